"""Browser tests: starts a real stack (stack.py) and runs the Node test files
of this folder (playwright-core driving Debian's headless Chromium) against
it. Needs `npm ci` here and /usr/bin/chromium (scripts/test.sh does both)."""
import glob
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from stack import Stack, add_employee, add_user, sql_quote, tenant_with_admin  # noqa: E402

FIVE = "[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]"
EMPLOYEE_EMAIL = "vasiliev@slip.example"
EMPLOYEE_PASSWORD = "Vasiliev-Leto-2017"


def seed_employee(s):
    """Tenant "slip": the seed's April 2017 for one employee (summed norm,
    sick 17-19 April: 26 250,00), the month calculated and closed by the
    administrator through the API, and the employee's password set with
    cabinetctl."""
    tid, _, admin = tenant_with_admin(s, "slip", "ООО «Листок»")
    shift = s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, cycle_start, pattern) VALUES "
                   "(%d, 'Сменный', 'cycle', 'ignore', '2017-01-01', '[[800,0]]') RETURNING id" % tid)
    five = s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, pattern) VALUES "
                  "(%d, 'Пятидневка', 'week', 'calendar', %s) RETURNING id" % (tid, sql_quote(FIVE)))
    eid = add_employee(s, tid, "Васильев Василий Васильевич", hired="2016-01-01")
    s.psql("INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by, norm) "
           "VALUES (%d, %d, '2016-01-01', 30000.00, 'days', 'summed')" % (tid, eid))
    s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
           "VALUES (%d, %d, %s, '2017-04-01'), (%d, %d, %s, '2017-04-12')" % (tid, eid, shift, tid, eid, five))
    s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day) "
           "VALUES (%d, %d, 19, '2017-04-17', '2017-04-19', true)" % (tid, eid))
    add_user(s, tid, "Васильев Василий Васильевич", email=EMPLOYEE_EMAIL, employee_id=eid)
    for path in ("/api/admin/payroll/2017-04/calculate", "/api/admin/payroll/2017-04/close"):
        r = admin.post(path, {})
        assert r.status == 200, r
    p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                        "user", "password", "slip", EMPLOYEE_EMAIL], input=EMPLOYEE_PASSWORD + "\n",
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert p.returncode == 0, p.stdout


class Browser(unittest.TestCase):
    def test_browser_suites(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
                        "run `npm ci` in tests/e2e first")
        # a failed browser test leaves its screenshot, HTML and report here (harness.mjs)
        artifacts = os.path.join(os.environ.get("CABINET_BUILD_DIR", "/tmp"), "e2e-artifacts")
        shutil.rmtree(artifacts, ignore_errors=True)
        # a person's browser: every limit of the nginx site applies
        with Stack("e2e", env={"CABINET_NGINX_LIMITS": "on"}) as s:
            seed_employee(s)
            env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                       CABINET_E2E_OUTBOX=os.path.join(s.var, "outbox.log"),
                       CABINET_E2E_ARTIFACTS=artifacts,
                       CABINET_E2E_EMPLOYEE="slip:%s:%s" % (EMPLOYEE_EMAIL, EMPLOYEE_PASSWORD))
            files = sorted(glob.glob(os.path.join(HERE, "*.test.mjs")))
            p = subprocess.run(["node", "--test", "--test-reporter=spec", *files], cwd=HERE, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
            print(p.stdout)
            if p.returncode != 0:
                reports = []
                for path in sorted(glob.glob(os.path.join(artifacts, "*", "*", "report.txt"))):
                    with open(path, errors="replace") as f:
                        reports.append("==> %s <==\n%s" % (path, f.read()[-6000:]))
                self.fail("browser tests failed:\n%s\n%s\n%s" % (p.stdout[-6000:], "\n".join(reports), s.logs()))


if __name__ == "__main__":
    unittest.main()
