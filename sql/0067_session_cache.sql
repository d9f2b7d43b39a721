-- 0067_session_cache: app_session also tells how long the session has left
-- (expires_in, seconds to its absolute end) and how long ago it was last
-- used (seen_ago, seconds since last_seen_at), both by PostgreSQL's clock,
-- so cabinetd's session cache (core/sesscache.h) can refuse to serve a
-- session past its end or its idle timeout without asking again. Otherwise
-- the same function as 0065.
DROP FUNCTION app_session(text, bytea, integer, boolean);
CREATE FUNCTION app_session(p_subdomain text, p_token_hash bytea, p_idle_seconds integer,
                            p_touch boolean)
RETURNS TABLE (tenant_id bigint, tenant_status text, session_state text, user_id bigint,
               employee_id bigint, user_status text, csrf text, roles text[], touch boolean,
               expires_in double precision, seen_ago double precision)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    s_tenant bigint;
    s_user bigint;
    s_csrf text;
    s_expires timestamptz;
    s_seen timestamptz;
BEGIN
    session_state := 'none';
    touch := false;
    SELECT t.id, t.status, x.tenant_id, x.user_id, x.csrf, x.expires_at, x.last_seen_at,
           set_config('app.tenant_id', t.id::text, true)
      INTO tenant_id, tenant_status, s_tenant, s_user, s_csrf, s_expires, s_seen
      FROM tenants t LEFT JOIN sessions x ON x.token_hash = p_token_hash
     WHERE t.subdomain = p_subdomain;
    IF tenant_id IS NULL THEN
        RETURN NEXT; -- no such tenant: 404 whatever the token
        RETURN;
    END IF;
    IF s_tenant IS NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF s_tenant <> tenant_id THEN
        session_state := 'foreign';
    ELSIF s_expires < now() OR s_seen < now() - make_interval(secs => p_idle_seconds) THEN
        session_state := 'expired';
    ELSE
        session_state := 'valid';
        user_id := s_user;
        csrf := s_csrf;
        touch := p_touch AND s_seen < now() - interval '1 minute';
        expires_in := extract(epoch FROM s_expires - now());
        seen_ago := extract(epoch FROM now() - s_seen);
        SELECT u.employee_id, u.status,
               ARRAY(SELECT r.role FROM user_roles r
                      WHERE r.tenant_id = s_tenant AND r.user_id = s_user ORDER BY r.role)
          INTO employee_id, user_status, roles
          FROM users u WHERE u.tenant_id = s_tenant AND u.id = s_user;
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION app_session(text, bytea, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_session(text, bytea, integer, boolean) TO cabinet_app;
