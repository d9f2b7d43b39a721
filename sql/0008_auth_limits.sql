-- 0008_auth_limits: the limits of one-time codes per account and per
-- address, sign-in counters that expire, sessions whose idle time
-- background polling does not refresh, and room for invitation codes.

-- One row per code sent or code entered, counted over a sliding hour and
-- day (core/codes.c). key: "user:<id>" (an account, all its identifiers
-- together), "login:<hash>" (a typed identifier that matches no account:
-- the same limits, so they reveal nothing) or "ip:<address>". Rows older
-- than a day are removed by the core's clean-up task.
CREATE TABLE auth_events (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    key text NOT NULL CHECK (key ~ '^(user|login|ip):'),
    kind text NOT NULL CHECK (kind IN ('send', 'check')),
    ok boolean NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX auth_events_key ON auth_events (tenant_id, key, kind, at DESC);
CREATE INDEX auth_events_at ON auth_events (at);
ALTER TABLE auth_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY auth_events_own ON auth_events USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, DELETE ON auth_events TO cabinet_app;

-- Invitation codes (the staff issue) use the same table and limits.
ALTER TABLE auth_codes DROP CONSTRAINT auth_codes_purpose_check;
ALTER TABLE auth_codes ADD CONSTRAINT auth_codes_purpose_check
    CHECK (purpose IN ('activate', 'reset', 'invite'));
GRANT DELETE ON auth_codes TO cabinet_app;
CREATE INDEX auth_codes_expires ON auth_codes (expires_at);

-- The resend cooldown is counted in auth_events now, per account.
ALTER TABLE auth_throttle DROP COLUMN last_code_at;
CREATE INDEX auth_throttle_window ON auth_throttle (window_start);

CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- app_resolve of 0002 with p_touch: a request that a page sends in the
-- background (X-Cabinet-Background: 1, polling) does not count as the
-- user's activity, so it neither refreshes last_seen_at nor keeps an idle
-- session alive.
DROP FUNCTION app_resolve(text, bytea, integer);
CREATE FUNCTION app_resolve(p_subdomain text, p_token_hash bytea, p_idle_seconds integer,
                            p_touch boolean)
RETURNS TABLE (tenant_id bigint, tenant_status text, session_state text, user_id bigint,
               employee_id bigint, user_status text, csrf text, roles text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    s sessions%ROWTYPE;
BEGIN
    SELECT t.id, t.status INTO tenant_id, tenant_status FROM tenants t WHERE t.subdomain = p_subdomain;
    IF tenant_id IS NOT NULL THEN
        PERFORM set_config('app.tenant_id', tenant_id::text, true);
    END IF;
    session_state := 'none';
    IF p_token_hash IS NOT NULL THEN
        SELECT * INTO s FROM sessions x WHERE x.token_hash = p_token_hash;
        IF FOUND THEN
            IF tenant_id IS NULL OR s.tenant_id <> tenant_id THEN
                session_state := 'foreign';
            ELSIF s.expires_at < now() OR s.last_seen_at < now() - make_interval(secs => p_idle_seconds) THEN
                DELETE FROM sessions x WHERE x.token_hash = p_token_hash;
                session_state := 'expired';
            ELSE
                session_state := 'valid';
                user_id := s.user_id;
                csrf := s.csrf;
                SELECT u.employee_id, u.status INTO employee_id, user_status
                  FROM users u WHERE u.tenant_id = s.tenant_id AND u.id = s.user_id;
                roles := ARRAY(SELECT r.role FROM user_roles r
                                WHERE r.tenant_id = s.tenant_id AND r.user_id = s.user_id
                                ORDER BY r.role);
                IF p_touch AND s.last_seen_at < now() - interval '1 minute' THEN
                    UPDATE sessions x SET last_seen_at = now() WHERE x.token_hash = p_token_hash;
                END IF;
            END IF;
        END IF;
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION app_resolve(text, bytea, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_resolve(text, bytea, integer, boolean) TO cabinet_app;
