-- 0045_cabinets: publication of the staff, employees' cabinets and their
-- states, invitations, consents to the processing of personal data, the
-- per-tenant schedule of background jobs, and the organization's time
-- zone (seed 000: "Публикация кабинетов", "Создание кабинетов в сервисе",
-- "Расписание обмена"; core/publication.h, core/cabinets.h).

-- ------------------------------------------------------------- time zone

-- "Now" of the service: the real clock, or the clock a test fixed with the
-- debug operation debug.clock (cabinetd sets app.now per transaction only
-- with debug_ops = on).
CREATE FUNCTION app_now() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('app.now', true), '')::timestamptz, now()) $$;

-- The organization's time zone: tenants.settings.timezone (any IANA name,
-- checked by the core against pg_timezone_names), Europe/Moscow by default.
CREATE FUNCTION app_timezone() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce((SELECT t.settings->>'timezone' FROM tenants t WHERE t.id = app_tenant()),
                          'Europe/Moscow') $$;

-- "Today" of the transaction's organization: the date in its time zone.
-- Evaluate it once per statement (a CTE or a parameter), not per row.
CREATE FUNCTION app_today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (app_now() AT TIME ZONE app_timezone())::date $$;

GRANT EXECUTE ON FUNCTION app_now() TO cabinet_app;
GRANT EXECUTE ON FUNCTION app_timezone() TO cabinet_app;
GRANT EXECUTE ON FUNCTION app_today() TO cabinet_app;

-- The name as lists sort and search it: lower case, ё as е. Stored, so a
-- list of 10 000 employees does not run translate() 10 000 times per call
-- (it is the most expensive part of such a list).
ALTER TABLE employees ADD COLUMN search_name text
    GENERATED ALWAYS AS (translate(lower(full_name), 'ё', 'е')) STORED;
CREATE INDEX employees_search_name ON employees (tenant_id, search_name, id);

-- ----------------------------------------------------------- publication

-- Which employees are published: everyone, or the union of departments
-- (each with its sub-departments) and positions; being published also
-- needs an email or a phone and not being dismissed (core/publication.h).
-- draft_* is what the administrator edits (PUT /api/admin/publication);
-- applied_* is what "Обновить публикацию" put in force. No row: everyone,
-- both.
CREATE TABLE publication (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    draft_all boolean NOT NULL DEFAULT true,
    draft_departments bigint[] NOT NULL DEFAULT '{}',
    draft_positions bigint[] NOT NULL DEFAULT '{}',
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by bigint,
    applied_all boolean NOT NULL DEFAULT true,
    applied_departments bigint[] NOT NULL DEFAULT '{}',
    applied_positions bigint[] NOT NULL DEFAULT '{}',
    applied_at timestamptz,
    applied_by bigint
);
ALTER TABLE publication ENABLE ROW LEVEL SECURITY;
CREATE POLICY publication_own ON publication USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON publication TO cabinet_app;

-- -------------------------------------------------------------- cabinets

-- The cabinet of an employee and its state (seed 000's eight pictograms and
-- the ninth, disabled). No row: not_created. A cabinet exists when a user
-- (users.employee_id) does; the trigger below keeps created_* and
-- signed_in right whoever writes users. error: why creation, the email or
-- the SMS failed (the mail server's or the gateway's own words included).
-- invited_channel: the last invitation's channel.
CREATE TABLE cabinets (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('created_email', 'created_sms', 'create_failed',
                                         'email_failed', 'sms_failed', 'invited', 'signed_in',
                                         'disabled')),
    error text,
    state_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    invited_at timestamptz,
    invited_channel text CHECK (invited_channel IN ('email', 'sms')),
    signed_in_at timestamptz,
    disabled_at timestamptz,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX cabinets_state ON cabinets (tenant_id, state);
ALTER TABLE cabinets ENABLE ROW LEVEL SECURITY;
CREATE POLICY cabinets_own ON cabinets USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON cabinets TO cabinet_app;

-- A user linked to an employee is that employee's cabinet: created_email
-- (there is an email to invite to) or created_sms, and signed_in once
-- activated. An invitation's state (invited, *_failed) stays until the
-- first sign-in; a disabled cabinet stays disabled. New users are handled
-- per statement (thousands of cabinets are created by one INSERT), a
-- change of employee or activation per row (transition tables do not go
-- with column lists).
CREATE FUNCTION app_cabinets_of_new_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cabinets AS c (tenant_id, employee_id, state, signed_in_at)
    SELECT n.tenant_id, n.employee_id,
           CASE WHEN n.activated_at IS NOT NULL THEN 'signed_in'
                WHEN n.email IS NOT NULL THEN 'created_email' ELSE 'created_sms' END,
           n.activated_at
      FROM new_users n WHERE n.employee_id IS NOT NULL
    ON CONFLICT (tenant_id, employee_id) DO UPDATE SET
        state = EXCLUDED.state, error = NULL, state_at = now(),
        signed_in_at = coalesce(c.signed_in_at, EXCLUDED.signed_in_at)
    WHERE c.state <> 'disabled'
      AND (EXCLUDED.state = 'signed_in' OR c.state NOT IN ('invited', 'email_failed', 'sms_failed'));
    RETURN NULL;
END
$$;
CREATE TRIGGER users_cabinets AFTER INSERT ON users REFERENCING NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION app_cabinets_of_new_users();

CREATE FUNCTION app_cabinet_of_user() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    IF NEW.employee_id IS NULL OR (OLD.employee_id IS NOT DISTINCT FROM NEW.employee_id
                                   AND (OLD.activated_at IS NOT NULL OR NEW.activated_at IS NULL)) THEN
        RETURN NULL;
    END IF;
    st := CASE WHEN NEW.activated_at IS NOT NULL THEN 'signed_in'
               WHEN NEW.email IS NOT NULL THEN 'created_email' ELSE 'created_sms' END;
    INSERT INTO cabinets AS c (tenant_id, employee_id, state, signed_in_at)
        VALUES (NEW.tenant_id, NEW.employee_id, st, CASE WHEN st = 'signed_in' THEN now() END)
        ON CONFLICT (tenant_id, employee_id) DO UPDATE SET
            state = EXCLUDED.state, error = NULL, state_at = now(),
            signed_in_at = coalesce(c.signed_in_at, EXCLUDED.signed_in_at)
        WHERE c.state <> 'disabled'
          AND (st = 'signed_in' OR c.state NOT IN ('invited', 'email_failed', 'sms_failed'));
    RETURN NULL;
END
$$;
CREATE TRIGGER users_cabinet AFTER UPDATE OF employee_id, activated_at ON users
    FOR EACH ROW EXECUTE FUNCTION app_cabinet_of_user();

-- The cabinets that exist already (the responsible persons').
INSERT INTO cabinets (tenant_id, employee_id, state, signed_in_at)
SELECT u.tenant_id, u.employee_id,
       CASE WHEN u.activated_at IS NOT NULL THEN 'signed_in'
            WHEN u.email IS NOT NULL THEN 'created_email' ELSE 'created_sms' END,
       u.activated_at
  FROM users u WHERE u.employee_id IS NOT NULL;

-- An invitation: a one-time link <tenant URL>/invite/<token>, valid 7
-- days. Only the SHA-256 of the token is kept, unique on its own (looked up
-- before the tenant is trusted, like session tokens). A newer invitation of
-- the same employee revokes the older ones; activation uses it (used_at).
-- delivery: what the outbox made of the message (outbox.ref_id = id).
CREATE TABLE invitations (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    user_id bigint NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    delivery text NOT NULL DEFAULT 'pending' CHECK (delivery IN ('pending', 'sent', 'failed')),
    delivery_error text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX invitations_employee ON invitations (tenant_id, employee_id, id DESC);
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_own ON invitations USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON invitations TO cabinet_app;

-- The object a message is about, for kinds whose delivery result matters
-- to it (kind 'invitation': invitations.id; core/outbox.h, hooks).
ALTER TABLE outbox ADD COLUMN ref_id bigint;

-- Consents to the processing of personal data (152-FZ), given at
-- activation: who, when, from where, and the version of the text agreed to.
CREATE TABLE consents (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id bigint NOT NULL,
    employee_id bigint,
    kind text NOT NULL CHECK (kind IN ('personal_data')),
    version text NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    ip inet,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX consents_user ON consents (tenant_id, user_id, accepted_at DESC);
ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
CREATE POLICY consents_own ON consents USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT ON consents TO cabinet_app;

-- ------------------------------------------------------------------ jobs

-- The schedule of a tenant's background jobs (publication kept in force,
-- automatic creation and invitation, outbox retries): every interval_min
-- minutes, and at once on "Выполнить сейчас". No row: every 10 minutes,
-- the first 10 minutes after the organization was ready.
CREATE TABLE tenant_jobs (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    interval_min integer NOT NULL DEFAULT 10 CHECK (interval_min BETWEEN 1 AND 1440),
    next_run_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_jobs_due ON tenant_jobs (next_run_at);
ALTER TABLE tenant_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_jobs_own ON tenant_jobs USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON tenant_jobs TO cabinet_app;

-- One row per run: what started it, what it did, or why it failed. The
-- newest runs of each tenant are kept (core/jobs.c prunes older ones).
CREATE TABLE job_runs (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'publication')),
    user_id bigint,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status text NOT NULL CHECK (status IN ('ok', 'failed')),
    disabled integer NOT NULL DEFAULT 0,
    restored integer NOT NULL DEFAULT 0,
    created integer NOT NULL DEFAULT 0,
    create_failed integer NOT NULL DEFAULT 0,
    invited integer NOT NULL DEFAULT 0,
    retried integer NOT NULL DEFAULT 0,
    error text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX job_runs_at ON job_runs (tenant_id, id DESC);
ALTER TABLE job_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_runs_own ON job_runs USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, DELETE ON job_runs TO cabinet_app;
