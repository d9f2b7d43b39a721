"""The exchange's OpenAPI description checked against a real stack: starts
the stack (integration/stack.py), makes a tenant and an API key, and runs
openapi.test.mjs (Redocly's linter, Ajv on real answers). Needs `npm ci`
here (scripts/test.sh does it)."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from stack import Stack, add_employee, tenant_with_admin  # noqa: E402


class OpenApi(unittest.TestCase):
    def test_openapi(self):
        with Stack("openapi") as s:
            tid, uid, admin = tenant_with_admin(s, "skhema", "ООО «Схема»")
            r = admin.post("/api/admin/api-keys", {"name": "проверка"})
            self.assertEqual(r.status, 201, r)
            # a request in the feed: the administrator, an employee, asks a
            # question (no performers yet: it is theirs to answer)
            s.psql("UPDATE users SET employee_id = %d WHERE id = %d"
                   % (add_employee(s, tid, "Администратор Схемы"), uid))
            q = admin.post("/api/requests", {"type": "question", "text": "Когда аванс?"})
            self.assertEqual(q.status, 201, q)
            env = dict(os.environ, CABINET_URL="http://127.0.0.1:%d/" % s.port,
                       CABINET_HOST="skhema.localhost:%d" % s.port, CABINET_KEY=r.json()["key"])
            p = subprocess.run(["node", "--test", "openapi.test.mjs"], cwd=HERE, env=env,
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout[-4000:] + p.stderr[-2000:])


if __name__ == "__main__":
    unittest.main()
