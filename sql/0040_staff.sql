-- 0040_staff: the staff as the accounting system (1C:ZUP or any other) and
-- the admin pages know it: organizations, the department tree with heads,
-- positions, the employee's extended fields, the personal file, the API
-- keys of the exchange and its log.
--
-- Every object has an external id, unique per tenant: the key the exchange
-- upserts by. Objects made on pages get 'local-<id>' (trigger below), so
-- the exchange can still refer to them.

-- 'local-<id>' for a row inserted without an external id. Identity values
-- are assigned before BEFORE ROW triggers run, and NOT NULL is checked
-- after them.
CREATE FUNCTION app_local_external_id() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.external_id IS NULL THEN
        NEW.external_id := 'local-' || NEW.id;
    END IF;
    RETURN NEW;
END
$$;

-- Organizations of the tenant (one or more). head_id: the organization's
-- head (руководитель), who approves where a department has no published
-- head (see core/staff.h, managers).
CREATE TABLE organizations (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    inn text CHECK (inn ~ '^([0-9]{10}|[0-9]{12})$'),
    kpp text CHECK (kpp ~ '^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$'),
    okpo text CHECK (okpo ~ '^([0-9]{8}|[0-9]{10})$'),
    address text CHECK (length(address) <= 500),
    head_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CREATE TRIGGER organizations_external_id BEFORE INSERT ON organizations
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY organizations_own ON organizations USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON organizations TO cabinet_app;

-- Departments: a tree (parent_id) inside an organization, each with a head.
-- The core refuses cycles; the CHECK only stops the shortest one.
CREATE TABLE departments (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    organization_id bigint,
    parent_id bigint,
    head_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES departments (tenant_id, id),
    CHECK (parent_id <> id)
);
CREATE INDEX departments_parent ON departments (tenant_id, parent_id);
CREATE TRIGGER departments_external_id BEFORE INSERT ON departments
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
ALTER TABLE departments ENABLE ROW LEVEL SECURITY;
CREATE POLICY departments_own ON departments USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON departments TO cabinet_app;

CREATE TABLE positions (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CREATE TRIGGER positions_external_id BEFORE INSERT ON positions
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
ALTER TABLE positions ENABLE ROW LEVEL SECURITY;
CREATE POLICY positions_own ON positions USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON positions TO cabinet_app;

-- The employee's extended fields. SNILS (11 digits) and INN (12 digits) are
-- stored without separators, checked by the core (checksums), shown masked
-- and never logged. insurance_*: the insurance record (страховой стаж) as of
-- a date, all three or none. awaiting_match: the employee made for the
-- responsible person at connection; the first employee with the same phone
-- or email to arrive (exchange, CSV, form) is merged into this row, so the
-- responsible keeps one cabinet.
ALTER TABLE employees
    ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 100),
    ADD COLUMN birth_date date,
    ADD COLUMN organization_id bigint,
    ADD COLUMN department_id bigint,
    ADD COLUMN position_id bigint,
    ADD COLUMN snils text CHECK (snils ~ '^[0-9]{11}$'),
    ADD COLUMN inn text CHECK (inn ~ '^[0-9]{12}$'),
    ADD COLUMN insurance_years integer CHECK (insurance_years BETWEEN 0 AND 99),
    ADD COLUMN insurance_months integer CHECK (insurance_months BETWEEN 0 AND 11),
    ADD COLUMN insurance_as_of date,
    ADD COLUMN awaiting_match boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CHECK ((insurance_years IS NULL) = (insurance_months IS NULL)
               AND (insurance_years IS NULL) = (insurance_as_of IS NULL)),
    ADD FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, position_id) REFERENCES positions (tenant_id, id);
UPDATE employees SET external_id = 'local-' || id;
ALTER TABLE employees ALTER COLUMN external_id SET NOT NULL;
CREATE UNIQUE INDEX employees_external_id ON employees (tenant_id, external_id);
CREATE INDEX employees_department ON employees (tenant_id, department_id);
CREATE TRIGGER employees_external_id BEFORE INSERT ON employees
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
-- Personnel numbers are unique within an organization (1C numbers each
-- organization's staff on its own), not across the tenant.
DROP INDEX employees_personnel_number;
CREATE UNIQUE INDEX employees_personnel_number
    ON employees (tenant_id, coalesce(organization_id, 0), personnel_number)
    WHERE personnel_number IS NOT NULL;

-- employees.position (text, older than positions) stays the position's
-- name, for the readers that predate positions (T-13, payslips).
CREATE FUNCTION app_employee_position_name() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.position_id IS NOT NULL THEN
        SELECT p.name INTO NEW.position FROM positions p
         WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.position_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.position_id IS NOT NULL THEN
        NEW.position := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER employees_position_name BEFORE INSERT OR UPDATE OF position_id ON employees
    FOR EACH ROW EXECUTE FUNCTION app_employee_position_name();
CREATE FUNCTION app_position_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE employees e SET position = NEW.name
     WHERE e.tenant_id = NEW.tenant_id AND e.position_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER positions_renamed AFTER UPDATE OF name ON positions
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION app_position_renamed();

ALTER TABLE organizations
    ADD FOREIGN KEY (tenant_id, head_id) REFERENCES employees (tenant_id, id);
ALTER TABLE departments
    ADD FOREIGN KEY (tenant_id, head_id) REFERENCES employees (tenant_id, id);

-- The personal file (личное дело): records with their dates. kind's own
-- fields (core/staff.h lists them) are the members of data.
CREATE TABLE personal_file (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    employee_id bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('employment', 'vacation', 'trip', 'seniority',
                                       'attestation', 'education', 'training')),
    date_from date,
    date_to date,
    data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)
);
CREATE INDEX personal_file_employee ON personal_file (tenant_id, employee_id, kind, date_from);
CREATE TRIGGER personal_file_external_id BEFORE INSERT ON personal_file
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
ALTER TABLE personal_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY personal_file_own ON personal_file USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON personal_file TO cabinet_app;

-- API keys of the exchange: "ck_" + 43 base64url characters, shown once;
-- only the SHA-256 is kept (unique on its own, like session tokens).
-- prefix: the first characters, to tell keys apart in lists. A deleted key
-- is revoked (revoked_at), so the exchange log still names it.
CREATE TABLE api_keys (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    prefix text NOT NULL,
    created_by bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_keys_own ON api_keys USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON api_keys TO cabinet_app;

-- One row per exchange call or CSV import: who (key or user), what, the
-- counts, and the number of bad items of a refused batch.
CREATE TABLE exchange_log (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    api_key_id bigint,
    key_name text,
    user_id bigint,
    route text NOT NULL,
    status integer NOT NULL,
    created integer NOT NULL DEFAULT 0,
    updated integer NOT NULL DEFAULT 0,
    unchanged integer NOT NULL DEFAULT 0,
    errors integer NOT NULL DEFAULT 0,
    duration_ms integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX exchange_log_at ON exchange_log (tenant_id, at DESC);
ALTER TABLE exchange_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY exchange_log_own ON exchange_log USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT ON exchange_log TO cabinet_app;

-- The responsible person of an existing tenant becomes an employee (new
-- tenants get theirs at connection, core/tenants.c).
DO $$
DECLARE
    u record;
    emp bigint;
BEGIN
    FOR u IN SELECT x.tenant_id, x.id, x.full_name, x.email, x.phone FROM users x
              WHERE x.employee_id IS NULL
                AND EXISTS (SELECT 1 FROM user_roles r WHERE r.tenant_id = x.tenant_id
                               AND r.user_id = x.id AND r.role = 'admin')
    LOOP
        INSERT INTO employees (tenant_id, full_name, email, phone, awaiting_match)
            VALUES (u.tenant_id, u.full_name, u.email, u.phone, true) RETURNING id INTO emp;
        UPDATE users SET employee_id = emp WHERE tenant_id = u.tenant_id AND id = u.id;
    END LOOP;
END
$$;
