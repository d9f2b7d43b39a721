-- 0003_audit: the append-only audit log of administrative actions,
-- connections, activations, sign-ins, code requests, rights changes,
-- publications, approvals and signatures.
--
-- cabinet_app may only INSERT and SELECT; a trigger refuses UPDATE and
-- DELETE for everybody, the owner included (drop the trigger on purpose to
-- purge old rows).

CREATE TABLE audit_log (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'anonymous', 'operator', 'system')),
    actor_user_id bigint,
    action text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_.]+$'),
    success boolean NOT NULL DEFAULT true,
    object_type text,
    object_id text,
    ip inet,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_at ON audit_log (tenant_id, at DESC);
CREATE INDEX audit_log_action ON audit_log (tenant_id, action, at DESC);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (tenant_id = app_tenant() OR app_system());
CREATE POLICY audit_log_add ON audit_log FOR INSERT WITH CHECK (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT ON audit_log TO cabinet_app;

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
