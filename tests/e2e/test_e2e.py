"""Browser tests: starts a real stack (stack.py) and runs the Node test files
of this folder (playwright-core driving Debian's headless Chromium) against
it. Needs `npm ci` here and /usr/bin/chromium (scripts/test.sh does both)."""
import glob
import json
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


STAFF_LOGIN = "kadry@kadry.example"
STAFF_PASSWORD = "Kadry-Zima-2026"


def seed_staff(s):
    """Tenant "kadry" as an accounting system leaves it: an organization, a
    department tree (Цех №1 under Производство) with heads, positions, four
    employees, and a personal file with a record of every kind for
    Смирнова; its administrator signs in with a password."""
    tid, _, admin = tenant_with_admin(s, "kadry", "ООО «Кадры»")
    key = admin.post("/api/admin/api-keys", {"name": "1С:ЗУП"}).json()["key"]

    def put(what, items):
        r = s.http("PUT", "/api/exchange/v1/" + what, raw=json.dumps({"items": items}).encode(),
                   host="kadry.localhost", headers={"Authorization": "Bearer " + key,
                                                    "Content-Type": "application/json"})
        assert r.status == 200, r

    put("organizations", [{"external_id": "o1", "name": "ООО «Кадры»", "inn": "7707083893"}])
    put("positions", [{"external_id": "p-%d" % i, "name": n}
                      for i, n in enumerate(["Директор", "Бухгалтер", "Мастер", "Технолог"])])
    put("departments", [{"external_id": "d-cex", "name": "Цех №1", "parent": "d-prod"},
                        {"external_id": "d-dir", "name": "Дирекция", "organization": "o1"},
                        {"external_id": "d-prod", "name": "Производство", "organization": "o1"}])
    people = [("0001", "Иванов Иван Иванович", "d-dir", "p-0", {}),
              ("0002", "Петрова Мария Олеговна", "d-dir", "p-1", {}),
              ("0003", "Кузнецов Олег Петрович", "d-prod", "p-2", {"phone": "+79120000003"}),
              ("0004", "Смирнова Анна Сергеевна", "d-cex", "p-3", {"snils": "112-233-445 95",
                                                                    "phone": "+79120000004"})]
    put("employees", [dict({"external_id": "e" + n, "personnel_number": n, "full_name": name,
                            "organization": "o1", "department": dep, "position": pos,
                            "hired": "2024-01-15"}, **extra) for n, name, dep, pos, extra in people])
    put("departments", [{"external_id": "d-prod", "head": "e0003"}, {"external_id": "d-cex", "head": "e0003"},
                        {"external_id": "d-dir", "head": "e0001"}])
    rec = lambda n, kind, **kw: dict({"external_id": "r%d" % n, "employee": "e0004", "kind": kind}, **kw)
    put("personal-file", [
        rec(1, "employment", event="hire", date_from="2024-01-15", position="Технолог", department="Цех №1",
            order_number="7-к", order_date="2024-01-12"),
        rec(2, "vacation", type="ежегодный", days=14, date_from="2024-07-01", date_to="2024-07-14"),
        rec(3, "trip", destination="Казань", purpose="наладка линии", date_from="2024-09-02",
            date_to="2024-09-06"),
        rec(4, "seniority", type="total", years=12, months=4, date_from="2025-01-01"),
        rec(5, "attestation", result="соответствует", next_date="2027-03-01", date_from="2024-03-01"),
        rec(6, "education", institution="МГТУ им. Баумана", speciality="технология машиностроения",
            year=2010),
        rec(7, "training", course="Охрана труда", organization="УЦ «Профи»", hours=40,
            date_from="2025-03-01", date_to="2025-03-10")])
    # last: a new password ends the user's sessions (the fixture's one above)
    s.psql("UPDATE users SET email = %s WHERE tenant_id = %d" % (sql_quote(STAFF_LOGIN), tid))
    p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                        "user", "password", "kadry", STAFF_LOGIN], input=STAFF_PASSWORD + "\n",
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert p.returncode == 0, p.stdout


PAYSLIP_EMAIL = "otpusk@otpusk.example"
PAYSLIP_PASSWORD = "Otpusk-Iyun-2025"


def seed_payslip(s):
    """Tenant "otpusk": June 2025 of one employee (60 000 by days, five-day
    week) with every kind of line issue 11 puts on a payslip, entered through
    the API: an opening balance of June 2023 - May 2025 (24 months) at 60 000 a month and a
    10-year insurance record, a vacation 09-22.06 (paid 06.06), a sick leave
    25-30.06, a bonus and an advance on 20.06; the month calculated and
    closed. Hand-computed in payslip.test.mjs."""
    tid, _, admin = tenant_with_admin(s, "otpusk", "ООО «Отпуск»")
    five = s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, pattern) VALUES "
                  "(%d, 'Пятидневка', 'week', 'calendar', %s) RETURNING id" % (tid, sql_quote(FIVE)))
    eid = add_employee(s, tid, "Летова Анна Сергеевна", hired="2022-01-10", insurance_years=10,
                       insurance_months=0, insurance_as_of="2025-01-01")
    s.psql("INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by) "
           "VALUES (%d, %d, '2022-01-10', 60000.00, 'days')" % (tid, eid))
    s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
           "VALUES (%d, %d, %s, '2022-01-10')" % (tid, eid, five))
    add_user(s, tid, "Летова Анна Сергеевна", email=PAYSLIP_EMAIL, employee_id=eid)
    months = [{"month": "%d-%02d" % (y, m), "earnings": "60000.00", "excluded_days": 0}
              for y in (2023, 2024, 2025) for m in range(1, 13) if (2023, 6) <= (y, m) <= (2025, 5)]
    calls = [("PUT", "/api/admin/employees/%d/opening-balance" % eid,
              {"as_of": "2025-05-31", "vacation_days_used": 0, "months": months}),
             ("POST", "/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-06-09",
                                                "date_to": "2025-06-22"}),
             ("POST", "/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-06-25",
                                                "date_to": "2025-06-30"}),
             ("POST", "/api/admin/accruals", {"employee_id": eid, "month": "2025-06", "kind": "bonus",
                                              "amount": "10000.00", "title": "за квартал"}),
             ("POST", "/api/admin/payroll/2025-06/calculate", {}),
             ("POST", "/api/admin/payments", {"employee_id": eid, "date": "2025-06-06", "kind": "vacation_pay"}),
             ("POST", "/api/admin/payments", {"employee_id": eid, "date": "2025-06-20", "kind": "advance",
                                              "amount": "20000.00"}),
             ("POST", "/api/admin/payroll/2025-06/close", {})]
    for method, path, body in calls:
        r = admin.request(method, path, body)
        assert r.status in (200, 201), (path, r)
    # last: a new password ends the user's sessions (the administrator's above)
    admin_email = s.psql("SELECT email FROM users WHERE tenant_id = %d AND employee_id IS NULL" % tid)
    for login in (PAYSLIP_EMAIL, admin_email):
        p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                            "user", "password", "otpusk", login], input=PAYSLIP_PASSWORD + "\n",
                           text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert p.returncode == 0, p.stdout
    return "%s:%d" % (admin_email, eid)


CABINETS_PASSWORD = "Kabinety-Admin-2026"


def seed_cabinets(s):
    """Tenant "kabinety": an administrator who signs in with a password, and
    four published employees without cabinets: two with email and phone, one
    with a phone only, one whose email is the administrator's own (so their
    cabinet cannot be created)."""
    tid, _, _ = tenant_with_admin(s, "kabinety", "ООО «Кабинеты»")
    admin_email = s.psql("SELECT email FROM users WHERE tenant_id = %d" % tid)
    add_employee(s, tid, "Анисимова Алла Андреевна", email="anisimova@kabinety.example", phone="+79161110001")
    add_employee(s, tid, "Борисов Борис Борисович", email="borisov@kabinety.example", phone="+79161110002")
    add_employee(s, tid, "Телефонов Тимур Тимурович", phone="+79161110003")
    add_employee(s, tid, "Дубликатов Дмитрий Дмитриевич", email=admin_email)
    p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                        "user", "password", "kabinety", admin_email], input=CABINETS_PASSWORD + "\n",
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert p.returncode == 0, p.stdout
    return admin_email
REQUESTS_PASSWORD = "Zayavki-Vesna-2026"
REQUESTS_PEOPLE = [("z1", "0001", "Смирнова Анна Сергеевна", "smirnova@zayavki.example"),
                   ("z2", "0002", "Кузнецов Олег Петрович", "kuznecov@zayavki.example"),
                   ("z3", "0003", "Петрова Мария Олеговна", "petrova@zayavki.example")]


def seed_requests(s):
    """Tenant "zayavki" for the requests' pages: Смирнова works in the sales
    department headed by Кузнецов (her approver), Петрова performs
    vacations and is the coordinator; each has a cabinet with a password;
    Смирнова's KPIs come from the accounting system."""
    tid, _, admin = tenant_with_admin(s, "zayavki", "ООО «Заявки»")
    key = admin.post("/api/admin/api-keys", {"name": "1С:ЗУП"}).json()["key"]

    def put(what, items):
        r = s.http("PUT", "/api/exchange/v1/" + what, raw=json.dumps({"items": items}).encode(),
                   host="zayavki.localhost", headers={"Authorization": "Bearer " + key,
                                                      "Content-Type": "application/json"})
        assert r.status == 200, r

    put("organizations", [{"external_id": "o1", "name": "ООО «Заявки»", "inn": "7707083893"}])
    put("positions", [{"external_id": "p1", "name": "Менеджер"}, {"external_id": "p2", "name": "Кадровик"}])
    put("departments", [{"external_id": "d1", "name": "Отдел продаж", "organization": "o1"},
                        {"external_id": "d2", "name": "Отдел кадров", "organization": "o1"}])
    put("employees", [{"external_id": ext, "personnel_number": num, "full_name": name, "organization": "o1",
                       "department": "d2" if ext == "z3" else "d1", "position": "p2" if ext == "z3" else "p1",
                       "hired": "2024-01-15", "email": login}
                      for ext, num, name, login in REQUESTS_PEOPLE])
    # namesakes without cabinets: a typed full name that matches two people
    put("employees", [{"external_id": ext, "personnel_number": num, "full_name": "Орлов Игорь Петрович",
                       "organization": "o1", "department": "d2", "hired": "2024-01-15"}
                      for ext, num in (("z5", "0005"), ("z6", "0006"))])
    put("departments", [{"external_id": "d1", "head": "z2"}])
    put("kpi", [{"external_id": "k1", "employee": "z1", "period": "2026-03", "name": "Продажи", "unit": "тыс. ₽",
                 "plan": 1200, "fact": 1260.5},
                {"external_id": "k2", "employee": "z1", "period": "2026-Q1", "name": "Новые клиенты",
                 "unit": "чел.", "plan": 30, "fact": 24}])
    ids = {}
    for ext, _, name, login in REQUESTS_PEOPLE:
        ids[ext] = int(s.psql("SELECT id FROM employees WHERE tenant_id = %d AND external_id = %s"
                              % (tid, sql_quote(ext))))
        add_user(s, tid, name, email=login, employee_id=ids[ext])
        p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                            "user", "password", "zayavki", login], input=REQUESTS_PASSWORD + "\n",
                           text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert p.returncode == 0, p.stdout
    r = admin.put("/api/admin/routing", {"roles": {"vacation": [ids["z3"]], "coordinator": [ids["z3"]]}})
    assert r.status == 200, r


class Browser(unittest.TestCase):
    def test_browser_suites(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
                        "run `npm ci` in tests/e2e first")
        # a failed browser test leaves its screenshot, HTML and report here (harness.mjs)
        artifacts = os.path.join(os.environ.get("CABINET_BUILD_DIR", "/tmp"), "e2e-artifacts")
        shutil.rmtree(artifacts, ignore_errors=True)
        # a person's browser: every limit of the nginx site applies; files
        # other than the defaults (the request form says what is allowed:
        # requests.test.mjs)
        with Stack("e2e", env={"CABINET_NGINX_LIMITS": "on"},
                   conf_extra="attachments_types = pdf,png,tiff\nattachments_max_size = 5m\n") as s:
            seed_employee(s)
            seed_staff(s)
            cabinets_admin = seed_cabinets(s)
            seed_requests(s)
            payslip_employee = seed_payslip(s)
            env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                       CABINET_E2E_CABINETS="kabinety:%s:%s" % (cabinets_admin, CABINETS_PASSWORD),
                       CABINET_E2E_OUTBOX=os.path.join(s.var, "outbox.log"),
                       CABINET_E2E_ARTIFACTS=artifacts,
                       CABINET_E2E_EMPLOYEE="slip:%s:%s" % (EMPLOYEE_EMAIL, EMPLOYEE_PASSWORD),
                       CABINET_E2E_PAYSLIP="otpusk:%s:%s:%s" % (PAYSLIP_EMAIL, PAYSLIP_PASSWORD,
                                                               payslip_employee),
                       CABINET_E2E_STAFF="kadry:%s:%s" % (STAFF_LOGIN, STAFF_PASSWORD),
                       CABINET_E2E_REQUESTS="zayavki:%s:%s" % (
                           ",".join(p[3] for p in REQUESTS_PEOPLE), REQUESTS_PASSWORD))
            files = sorted(glob.glob(os.path.join(HERE, os.environ.get("CABINET_E2E_ONLY", "*") + ".test.mjs")))
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
