-- 0065_session_read: resolving a request's session writes nothing, so a
-- reading operation can run its whole transaction READ ONLY from its BEGIN,
-- which goes to PostgreSQL in one flight with this resolution (core/db.c,
-- dispatch.c: one round trip where BEGIN, app_resolve and SET TRANSACTION
-- READ ONLY took three). The two writes app_resolve made inside the
-- request's transaction - refreshing last_seen_at at most once a minute and
-- dropping an expired session - are made by app_session_end_or_touch right
-- after the transaction, when app_session says one is due (`touch`, or the
-- state 'expired').
--
-- Same answer as app_resolve otherwise: the tenant of the host's subdomain
-- and the session of the token whatever tenant it belongs to (another
-- tenant's session is 'foreign', so the core answers 404), app.tenant_id set
-- for the rest of the transaction when the tenant exists. Two statements
-- instead of five: the tenant with the session, then the user with the
-- roles. Runs as the owner of the tables: nothing else may read across
-- tenants.
CREATE FUNCTION app_session(p_subdomain text, p_token_hash bytea, p_idle_seconds integer,
                            p_touch boolean)
RETURNS TABLE (tenant_id bigint, tenant_status text, session_state text, user_id bigint,
               employee_id bigint, user_status text, csrf text, roles text[], touch boolean)
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

-- After the request's transaction: p_end drops the session if it has
-- expired (checked again here, so no live session is ever dropped by it),
-- otherwise its last_seen_at is refreshed, at most once a minute. A session
-- ended meanwhile (signed out, password changed) stays ended: there is no
-- row to update.
CREATE FUNCTION app_session_end_or_touch(p_token_hash bytea, p_idle_seconds integer,
                                         p_end boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_end THEN
        DELETE FROM sessions x WHERE x.token_hash = p_token_hash
           AND (x.expires_at < now() OR x.last_seen_at < now() - make_interval(secs => p_idle_seconds));
    ELSE
        UPDATE sessions x SET last_seen_at = now()
         WHERE x.token_hash = p_token_hash AND x.last_seen_at < now() - interval '1 minute';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION app_session_end_or_touch(bytea, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_session_end_or_touch(bytea, integer, boolean) TO cabinet_app;

DROP FUNCTION app_resolve(text, bytea, integer, boolean);
