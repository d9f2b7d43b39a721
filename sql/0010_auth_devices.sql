-- 0010_auth_devices: browsers that have signed in to an account (device
-- cookies, as OWASP's "Slow down online guessing attacks with device
-- cookies" describes). Sign-in failures are counted per account over all
-- its identifiers; a browser that holds a device cookie of the account
-- counts its failures on its own and is not held by the account's lock, so
-- failing on purpose elsewhere cannot lock a person out of their own
-- browser (core/auth.c, auth_login). Only the SHA-256 of the cookie is
-- stored; rows unused for device_ttl_s are removed by the clean-up task,
-- and setting a password removes the user's other devices.
CREATE TABLE auth_devices (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
    user_id bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX auth_devices_user ON auth_devices (tenant_id, user_id);
CREATE INDEX auth_devices_last_used ON auth_devices (last_used_at);
ALTER TABLE auth_devices ENABLE ROW LEVEL SECURITY;
CREATE POLICY auth_devices_own ON auth_devices USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_devices TO cabinet_app;

-- Sign-in counters: "user:<id>" (an account, whichever identifier was
-- typed), "login:<hash>" (a typed identifier of no account: the same
-- limits), "ip:<address>" and "device:<hash>" (one browser of an account).
ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_key_check;
ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_key_check
    CHECK (key ~ '^(user|login|ip|device):');
