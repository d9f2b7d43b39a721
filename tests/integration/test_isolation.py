"""Tenant isolation: row-level security holds even when the core's own
tenant filter is left out, and every API call made with tenant A's session
on tenant B's host answers 404. The audit log is append-only."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack, add_employee, add_user, tenant_with_admin  # noqa: E402

# operations that belong to no tenant (the base host, the service itself)
TENANTLESS = re.compile(r"^(system|debug|connect)\.")


def api_routes():
    with open(os.path.join(ROOT, "cgi", "api.c")) as f:
        return re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/api/[^"]*)", "([a-z_.]+)"', f.read())


class Isolation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("isolation").__enter__()
        s = cls.s
        cls.a_id, _, cls.a = tenant_with_admin(s, "tenant-a", "ООО А")
        cls.b_id, _, cls.b = tenant_with_admin(s, "tenant-b", "ООО Б")
        for tid in (cls.a_id, cls.b_id):
            emp = add_employee(s, tid, "Сотрудник %d" % tid, personnel_number="T%d" % tid)
            add_user(s, tid, "Пользователь %d" % tid, employee_id=emp)
        # rows in every tenant table of both tenants come from real use
        for c in (cls.a, cls.b):
            c.get("/api/me")
            c.get("/api/admin/users")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # Operator-issued connection tokens exist before any tenant does; their
    # tenant_id only records which cabinet consumed the token and the table is
    # touched by system-scope operations alone (tenants.c), never in a tenant's
    # context, so it is global by design.
    GLOBAL_TABLES = {"connect_tokens"}

    def tenant_tables(self):
        rows = self.s.psql("SELECT c.relname, c.relrowsecurity FROM pg_class c "
                           "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' "
                           "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                           "ORDER BY 1")
        return [r.split("|") for r in rows.splitlines() if r.split("|")[0] not in self.GLOBAL_TABLES]

    def test_every_tenant_table_has_row_level_security(self):
        tables = self.tenant_tables()
        self.assertGreater(len(tables), 5)
        for name, rls in tables:
            self.assertEqual(rls, "t", "table %s has tenant_id but no row-level security" % name)
        self.assertEqual(self.s.psql("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'cabinet_app'"), "f")
        self.assertEqual(self.s.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                                     "AND tableowner = 'cabinet_app'"), "0")

    def test_rls_hides_other_tenants_rows_without_the_cores_filter(self):
        for name, _ in self.tenant_tables():
            # as the core's role, in tenant A's context, no WHERE tenant_id = ...
            seen = self.s.psql("SELECT set_config('app.tenant_id', '%d', false); "
                               "SELECT DISTINCT tenant_id FROM %s" % (self.a_id, name), user="cabinet_app")
            ids = set(seen.split()[1:])  # first line: set_config's output
            self.assertLessEqual(ids, {str(self.a_id)}, "%s shows %s in tenant A's context" % (name, ids))
            none = self.s.psql("SELECT count(*) FROM %s" % name, user="cabinet_app")
            self.assertEqual(none, "0", "%s shows rows with no tenant set" % name)
        # and the owner sees both: the rows are there
        self.assertEqual(self.s.psql("SELECT count(DISTINCT tenant_id) FROM users"), "2")

    def test_writes_into_another_tenant_are_refused(self):
        with self.assertRaises(AssertionError) as e:
            self.s.psql("SELECT set_config('app.tenant_id', '%d', false); "
                        "INSERT INTO employees (tenant_id, full_name) VALUES (%d, 'Чужой')"
                        % (self.a_id, self.b_id), user="cabinet_app")
        self.assertIn("row-level security", str(e.exception))

    def test_every_api_call_with_another_tenants_session_is_404(self):
        routes = [r for r in api_routes() if not TENANTLESS.match(r[2])]
        self.assertGreater(len(routes), 8)
        for method, path, op in routes:
            url = re.sub(r"\{[a-z_]+\}", "1", path)
            headers = {"Cookie": "cabinet_session=%s; cabinet_csrf=%s" % (self.a.token, self.a.csrf),
                       "X-CSRF-Token": self.a.csrf}
            body = {} if method != "GET" else None
            r = self.s.http(method, url, body=body, headers=headers, host="tenant-b.localhost")
            self.assertEqual(r.status, 404, "%s %s (%s) with A's session on B's host: %r" % (method, url, op, r))
            self.assertEqual(r.json()["error"]["code"], "not_found")
            # bearer the same
            r = self.s.http(method, url, body=body, headers={"Authorization": "Bearer " + self.a.token},
                            host="tenant-b.localhost")
            self.assertEqual(r.status, 404, "%s %s with A's bearer token on B's host" % (method, url))
        # the same session at home works
        self.assertEqual(self.a.get("/api/admin/users").status, 200)
        self.assertEqual(self.a.get("/api/me").json()["tenant"]["subdomain"], "tenant-a")

    def test_unknown_and_foreign_hosts(self):
        self.assertEqual(self.s.http("GET", "/api/me", host="nobody.localhost").status, 404)
        self.assertEqual(self.s.http("GET", "/api/me", host="tenant-a.evil.example").status, 404)
        self.assertEqual(self.s.http("GET", "/api/me", host="x.tenant-a.localhost").status, 404)

    def test_audit_log_is_append_only(self):
        self.s.psql("SELECT 1")  # the table has rows from the sign-ins above
        for sql in ("UPDATE audit_log SET success = true", "DELETE FROM audit_log"):
            with self.assertRaises(AssertionError) as e:
                self.s.psql("SELECT set_config('app.tenant_id', '%d', false); %s" % (self.a_id, sql),
                            user="cabinet_app")
            self.assertIn("permission denied", str(e.exception))
            with self.assertRaises(AssertionError) as e:  # not even the owner
                self.s.psql(sql)
            self.assertIn("append-only", str(e.exception))


if __name__ == "__main__":
    unittest.main()
