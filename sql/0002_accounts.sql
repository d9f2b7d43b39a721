-- 0002_accounts: tenants, employees, users (cabinets), roles and sessions.
--
-- Every tenant table carries tenant_id leading its primary key and has a
-- row-level security policy: rows of the transaction's tenant only
-- (app_tenant()), or any row inside a cross-tenant background task
-- (app_system()). Ids come from identities, unique across tenants.

CREATE TABLE tenants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subdomain text NOT NULL UNIQUE
        CHECK (subdomain ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'ready', 'failed', 'disabled')),
    failure_reason text,
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    ready_at timestamptz,
    disabled_at timestamptz
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_own ON tenants USING (id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON tenants TO cabinet_app;

-- The staff as the service knows it; the staff issue extends this table.
CREATE TABLE employees (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    personnel_number text,
    full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 300),
    position text,
    email text,
    phone text,
    hired date,
    dismissed date,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (dismissed IS NULL OR hired IS NULL OR dismissed >= hired)
);
CREATE UNIQUE INDEX employees_personnel_number ON employees (tenant_id, personnel_number)
    WHERE personnel_number IS NOT NULL;
ALTER TABLE employees ENABLE ROW LEVEL SECURITY;
CREATE POLICY employees_own ON employees USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON employees TO cabinet_app;

-- A personal cabinet: the account a person signs in with. employee_id links
-- it to the staff (NULL for the responsible person until published).
CREATE TABLE users (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint,
    full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 300),
    login text CHECK (login ~ '^[a-z0-9._-]{3,64}$'),
    email text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone text CHECK (phone ~ '^\+7[0-9]{10}$'),
    password_hash text,
    status text NOT NULL DEFAULT 'created'
        CHECK (status IN ('created', 'active', 'blocked')),
    created_at timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz,
    password_changed_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (email IS NOT NULL OR phone IS NOT NULL OR login IS NOT NULL)
);
CREATE UNIQUE INDEX users_login ON users (tenant_id, login) WHERE login IS NOT NULL;
CREATE UNIQUE INDEX users_email ON users (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_phone ON users (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX users_employee ON users (tenant_id, employee_id) WHERE employee_id IS NOT NULL;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_own ON users USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON users TO cabinet_app;

-- Roles granted explicitly (managers are derived from the structure).
CREATE TABLE user_roles (
    tenant_id bigint NOT NULL,
    user_id bigint NOT NULL,
    role text NOT NULL CHECK (role IN ('admin')),
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by bigint,
    PRIMARY KEY (tenant_id, user_id, role),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
ALTER TABLE user_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_roles_own ON user_roles USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, DELETE ON user_roles TO cabinet_app;

-- Sessions: only the SHA-256 of the 256-bit token is stored. The core looks
-- a token up before it knows the tenant (to answer 404 for another
-- tenant's session), so token_hash is unique on its own.
CREATE TABLE sessions (
    tenant_id bigint NOT NULL,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id bigint NOT NULL,
    csrf text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ip inet,
    user_agent text,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_own ON sessions USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO cabinet_app;

-- Resolves a request in one round trip: the tenant of the host's subdomain
-- and the session of the token, whatever tenant it belongs to (so the core
-- can answer 404 to another tenant's session). Sets app.tenant_id for the
-- rest of the transaction when the tenant exists, drops an expired session
-- and refreshes last_seen_at at most once a minute. Runs as the owner of
-- the tables: nothing else may read across tenants.
CREATE FUNCTION app_resolve(p_subdomain text, p_token_hash bytea, p_idle_seconds integer)
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
                IF s.last_seen_at < now() - interval '1 minute' THEN
                    UPDATE sessions x SET last_seen_at = now() WHERE x.token_hash = p_token_hash;
                END IF;
            END IF;
        END IF;
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION app_resolve(text, bytea, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_resolve(text, bytea, integer) TO cabinet_app;
