-- 0006_idempotency: the idempotency keys of every operation that creates
-- something, kept by one mechanism in the dispatcher (core/idempotency.c).
--
-- A request with an Idempotency-Key inserts its row in its own transaction
-- before the handler runs: a concurrent request with the same key waits on
-- the unique key until the first commits, then answers with the stored
-- answer (or runs itself if the first rolled back). The same key with
-- another operation or body is refused. Rows expire after 24 hours (the
-- core's task idempotency.expire deletes them).
--
-- tenant_id 0 holds the keys of requests without a tenant (connecting an
-- organization), which are scoped by the client's address ('ip:...'); a
-- tenant's keys have scope ''.
CREATE TABLE idempotency_keys (
    tenant_id bigint NOT NULL,
    scope text NOT NULL,
    key text NOT NULL CHECK (key ~ '^[ -~]{1,255}$'),
    op text NOT NULL,
    -- SHA-256 of the operation, its arguments and its file; NULL for a key
    -- carried over from before this table (any body matches)
    request_hash bytea CHECK (request_hash IS NULL OR length(request_hash) = 32),
    status integer,
    response jsonb,
    -- a carried-over key: the operation and arguments that answer it again
    -- ({"op": "schedules.get", "args": {"id": 5}})
    replay jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_own ON idempotency_keys
    USING (tenant_id = app_tenant() OR app_system() OR tenant_id = 0);
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO cabinet_app;

-- Keys stored by the handlers before (0004 connections, 0022 schedules and
-- deviations) keep answering with what they created, for the usual 24 hours
-- from now. On a new database those tables come later and hold nothing.
DO $$
BEGIN
    IF to_regclass('schedules') IS NOT NULL THEN
        EXECUTE $q$
            INSERT INTO idempotency_keys (tenant_id, scope, key, op, status, replay)
            SELECT tenant_id, '', idempotency_key, 'schedules.create', 201,
                   jsonb_build_object('op', 'schedules.get', 'args', jsonb_build_object('id', id))
            FROM schedules WHERE idempotency_key ~ '^[ -~]{1,255}$'
            ON CONFLICT DO NOTHING $q$;
    END IF;
    IF to_regclass('deviations') IS NOT NULL THEN
        EXECUTE $q$
            INSERT INTO idempotency_keys (tenant_id, scope, key, op, status, replay)
            SELECT tenant_id, '', idempotency_key, 'deviations.create', 201,
                   jsonb_build_object('op', 'deviations.get', 'args', jsonb_build_object('id', id))
            FROM deviations WHERE idempotency_key ~ '^[ -~]{1,255}$'
            ON CONFLICT DO NOTHING $q$;
    END IF;
    IF to_regclass('connections') IS NOT NULL THEN
        EXECUTE $q$
            INSERT INTO idempotency_keys (tenant_id, scope, key, op, status, replay)
            SELECT 0, 'ip:' || coalesce(host(ip), ''), idempotency_key, 'connect.request', 202,
                   jsonb_build_object('op', 'connect.status', 'args', jsonb_build_object('id', id))
            FROM connections WHERE idempotency_key ~ '^[ -~]{1,255}$'
            ON CONFLICT DO NOTHING $q$;
    END IF;
END
$$;
