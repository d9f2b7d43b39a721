-- 0022_time_idempotency: requests that create time documents accept an
-- Idempotency-Key header; the same key again answers with the document the
-- first request created instead of a second one (or a conflict).
ALTER TABLE deviations ADD COLUMN idempotency_key text
    CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX deviations_idempotency ON deviations (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
ALTER TABLE schedules ADD COLUMN idempotency_key text
    CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX schedules_idempotency ON schedules (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
