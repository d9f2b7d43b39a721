-- 0077_timezone_plpgsql: app_timezone() (0045) as PL/pgSQL, whose plan is
-- cached per connection. As a LANGUAGE sql function with a sub-SELECT it
-- could not be inlined, so PostgreSQL planned its body again at every
-- execution of every statement that calls it (app_today() included): 0.2-2
-- ms a call, most of the time of a task list or a request's answer
-- (tests/bench/README.md, "Requests"). Same result, same privileges.
CREATE OR REPLACE FUNCTION app_timezone() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
BEGIN
    RETURN coalesce((SELECT t.settings->>'timezone' FROM tenants t WHERE t.id = app_tenant()),
                    'Europe/Moscow');
END $$;
