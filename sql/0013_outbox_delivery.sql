-- Outbox delivery that does not stall, secrets that do not stay, and a cap
-- on a tenant's SMS a day (core/outbox.h).
--
-- priority: 0 one-time codes, 1 notices, 2 bulk mail (invitations); each
-- channel's sender takes the lowest first.
-- redacted_body: the body with its one-time secret (a code) replaced; it
-- replaces body as soon as the message is sent, fails or expires, so a
-- delivered code does not stay readable in the table.
-- expires_at: a message still pending then is failed unsent (a code that
-- no longer works is not worth sending).
ALTER TABLE outbox
    ADD COLUMN priority smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2),
    ADD COLUMN redacted_body text,
    ADD COLUMN expires_at timestamptz;

DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (channel, priority, next_attempt_at) WHERE status = 'pending';

-- codes queued before this migration: the digits of a sent or failed one
-- go now, a pending one's when it is sent
UPDATE outbox SET priority = 0 WHERE kind = 'code';
UPDATE outbox SET body = regexp_replace(body, '[0-9]{4,8}', '••••••', 'g')
    WHERE kind = 'code' AND status <> 'pending';
UPDATE outbox SET redacted_body = regexp_replace(body, '[0-9]{4,8}', '••••••', 'g')
    WHERE kind = 'code' AND status = 'pending';

-- SMS of a tenant per calendar day (Moscow time), every kind counted; the
-- sender of a message over sms_daily_limit_per_tenant finds none left.
CREATE TABLE sms_daily (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    day date NOT NULL,
    count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);
ALTER TABLE sms_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY sms_daily_own ON sms_daily USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON sms_daily TO cabinet_app;
