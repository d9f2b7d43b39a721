-- 0054_request_numbers: the numbers people see on requests, gapless per
-- tenant (issue 12, a new user's trial: "№ 12" was the row's identity, so
-- a refused submission, rolled back after it drew a value, left a hole).
-- A new request takes the next number of its tenant's counter row in its
-- own transaction (core/requests.c): a rolled-back creation gives its
-- number back, and two concurrent creations wait on the row and never
-- share one. The id stays the key of the API's addresses; number is what
-- texts, pages and documents say. Requests made before keep their id as
-- their number (people have seen it), and the counter goes on from the
-- largest.
CREATE TABLE request_numbers (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    last bigint NOT NULL CHECK (last > 0)
);
ALTER TABLE request_numbers ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_numbers_own ON request_numbers
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON request_numbers TO cabinet_app;

ALTER TABLE requests ADD COLUMN number bigint;
UPDATE requests SET number = id;
ALTER TABLE requests ALTER COLUMN number SET NOT NULL;
ALTER TABLE requests ADD CONSTRAINT requests_number_positive CHECK (number > 0);
CREATE UNIQUE INDEX requests_number ON requests (tenant_id, number);
INSERT INTO request_numbers (tenant_id, last)
    SELECT tenant_id, max(number) FROM requests GROUP BY tenant_id;

-- The short text of a notification's SMS (one Cyrillic segment, at most 70
-- characters: core/notify.c builds it with the full text); NULL for the
-- rows queued before, whose SMS is cut from the text as it was.
ALTER TABLE notifications ADD COLUMN sms text CHECK (char_length(sms) <= 70);
