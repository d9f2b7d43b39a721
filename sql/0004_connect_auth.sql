-- 0004_connect_auth: connection requests, operator-issued connect tokens,
-- one-time codes, sign-in throttling, the common-password list and the
-- outbox of email and SMS messages.

-- A request to connect an organization. Its id is the public handle the
-- connection page polls (random, unguessable); the tenant row is created
-- with it (status pending) so the subdomain is taken at once.
CREATE TABLE connections (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id text NOT NULL UNIQUE CHECK (id ~ '^[0-9a-f]{32}$'),
    responsible_name text NOT NULL,
    responsible_phone text NOT NULL CHECK (responsible_phone ~ '^\+79[0-9]{9}$'),
    responsible_email text NOT NULL,
    idempotency_key text UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    ip inet,
    via text NOT NULL CHECK (via IN ('page', 'token', 'operator')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX connections_ip ON connections (ip, created_at);
ALTER TABLE connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY connections_own ON connections USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT ON connections TO cabinet_app;

-- One-time tokens an operator issues (cabinetctl connect-token) when
-- connect_policy = token. Only the SHA-256 is kept. Not tenant data.
CREATE TABLE connect_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at timestamptz,
    tenant_id bigint REFERENCES tenants (id)
);
GRANT SELECT, INSERT, UPDATE ON connect_tokens TO cabinet_app;

-- One-time codes (activation, password reset): only a salted SHA-256 of
-- the code is kept; 10 minutes, 5 attempts.
CREATE TABLE auth_codes (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id bigint NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('activate', 'reset')),
    code_hash bytea NOT NULL,
    salt bytea NOT NULL,
    channel text NOT NULL CHECK (channel IN ('sms', 'email')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    used_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX auth_codes_user ON auth_codes (tenant_id, user_id, created_at DESC);
ALTER TABLE auth_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY auth_codes_own ON auth_codes USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON auth_codes TO cabinet_app;

-- Failure counters and cooldowns, keyed by what was typed (a hash of the
-- normalized login, existing or not, so answers never tell whether a login
-- exists) or by the client's address.
CREATE TABLE auth_throttle (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    key text NOT NULL CHECK (key ~ '^(login|ip):'),
    failures integer NOT NULL DEFAULT 0,
    window_start timestamptz NOT NULL DEFAULT now(),
    last_failure_at timestamptz,
    locked_until timestamptz,
    last_code_at timestamptz,
    PRIMARY KEY (tenant_id, key)
);
ALTER TABLE auth_throttle ENABLE ROW LEVEL SECURITY;
CREATE POLICY auth_throttle_own ON auth_throttle USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO cabinet_app;

-- Outgoing email and SMS, written in the transaction of the change that
-- causes them and delivered by the core's sender task with retries.
CREATE TABLE outbox (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient text NOT NULL,
    subject text,
    body text NOT NULL,
    kind text NOT NULL,
    user_id bigint,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_user ON outbox (tenant_id, user_id, created_at DESC);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbox_own ON outbox USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON outbox TO cabinet_app;
