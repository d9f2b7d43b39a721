-- 0001_base: what every later migration relies on.
--
-- Two roles: the owner of the tables (who runs `cabinetd migrate`) and
-- cabinet_app, the role cabinetd connects as. cabinet_app owns nothing, so
-- row-level security applies to it; each migration grants it exactly what
-- it needs.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cabinet_app') THEN
        RAISE EXCEPTION 'role cabinet_app is missing: CREATE ROLE cabinet_app LOGIN (see sql/README.md)';
    END IF;
    IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'cabinet_app') THEN
        RAISE EXCEPTION 'role cabinet_app must not be a superuser nor bypass row-level security';
    END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO cabinet_app;
GRANT SELECT ON schema_migrations TO cabinet_app;

-- The tenant of the current transaction, set by the core with
-- set_config('app.tenant_id', id, true) once it has resolved the host.
-- NULL when unset, so policies match no rows.
CREATE FUNCTION app_tenant() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::bigint $$;

-- True inside the core's background tasks that work across tenants (the
-- outbox sender, cabinet creation), set with set_config('app.scope',
-- 'system', true). Request handlers never set it.
CREATE FUNCTION app_system() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'system' $$;

GRANT EXECUTE ON FUNCTION app_tenant() TO cabinet_app;
GRANT EXECUTE ON FUNCTION app_system() TO cabinet_app;
