"""The page sweep (pages.sweep.mjs): every admin page and every page of the
employee site at 390 px and 1280 px in a real Chromium, against a real stack
seeded here with a small organization that has something on every page.

Runs in the normal build only (scripts/test.sh skips it in the sanitizer
pass: it tests pages, not memory; the responders' code paths run under the
sanitizers in the integration tests). Screenshots of every page at both
widths go to $CABINET_BUILD_DIR/e2e-pages/ (a test artifact), and with
CABINET_GUIDE_IMG=DIR the pictures of docs/ru/guide.md are written to DIR."""
import datetime
import glob
import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from stack import Client, Stack, add_employee, add_session, add_user, sql_quote, tenant_with_admin  # noqa: E402

FIVE = "[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]"
ADMIN_EMAIL = "kadry@stranitsy.example"
ADMIN_PASSWORD = "Stranitsy-Admin-2026"
EMPLOYEE_EMAIL = "sidorova@stranitsy.example"
EMPLOYEE_PASSWORD = "Sidorova-Osen-2026"


def month_add(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return datetime.date(y, m + 1, 1)


def set_password(s, sub, login, password):
    p = subprocess.run([os.path.join(s.env["CABINET_BUILD_DIR"], "core", "cabinetctl"), "-c", s.conf,
                        "user", "password", sub, login], input=password + "\n",
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert p.returncode == 0, p.stdout


def seed(s):
    """Tenant "stranitsy": three employees on a five-day week with pay terms,
    a sick leave and overtime in the current month, last month calculated
    and closed, this month calculated (a draft), one timesheet filled; an
    administrator and an employee who sign in with passwords."""
    tid, admin_id, _ = tenant_with_admin(s, "stranitsy", "ООО «Страницы»")
    today = datetime.date.today()
    cur, prev = month_add(today, 0), month_add(today, -1)
    s.psql("INSERT INTO organizations (tenant_id, name, okpo) VALUES (%d, 'ООО «Страницы»', '12345678')" % tid)
    five = s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, pattern) VALUES "
                  "(%d, 'Пятидневка', 'week', 'calendar', %s) RETURNING id" % (tid, sql_quote(FIVE)))
    people = [("Сидорова Анна Викторовна", "0001", "Бухгалтер"),
              ("Петров Пётр Сергеевич", "0002", "Инженер"),
              ("Кузнецова Ольга Ивановна", "0003", "Менеджер по кадрам")]
    ids = []
    for name, number, position in people:
        eid = add_employee(s, tid, name, personnel_number=number, position=position, hired="2024-01-15")
        s.psql("INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by) "
               "VALUES (%d, %d, '2024-01-15', 80000.00, 'days')" % (tid, eid))
        s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
               "VALUES (%d, %d, %s, '2024-01-15')" % (tid, eid, five))
        ids.append(eid)
    # the administrator (the fixture's user) signs in with a password and is,
    # as after connecting, the responsible person: an employee with no hire
    # date, schedule or pay terms yet; the first employee has her own cabinet
    boss = add_employee(s, tid, "Кадрова Елена Николаевна")
    s.psql("UPDATE users SET email = %s, full_name = 'Кадрова Елена Николаевна', employee_id = %d "
           "WHERE tenant_id = %d AND id = %d" % (sql_quote(ADMIN_EMAIL), boss, tid, admin_id))
    set_password(s, "stranitsy", ADMIN_EMAIL, ADMIN_PASSWORD)
    emp_user = add_user(s, tid, people[0][0], email=EMPLOYEE_EMAIL, employee_id=ids[0])
    set_password(s, "stranitsy", EMPLOYEE_EMAIL, EMPLOYEE_PASSWORD)
    # a new password ends the user's sessions: the API client signs in after it
    api = Client(s, "stranitsy", *add_session(s, tid, admin_id))
    # documents of the current month, a filled timesheet, payroll
    for body in ({"employee_id": ids[1], "code": "Б", "date_from": cur.isoformat(),
                  "date_to": (cur + datetime.timedelta(days=2)).isoformat(), "note": "листок нетрудоспособности"},
                 {"employee_id": ids[2], "code": "С", "date": (cur + datetime.timedelta(days=9)).isoformat(),
                  "hours": "2.5"}):
        r = api.post("/api/admin/deviations", body)
        assert r.status == 201, r
    r = api.post("/api/admin/timesheets/%d/%s/fill" % (ids[0], cur.strftime("%Y-%m")), {})
    assert r.status == 200, r
    # the salary chart's window is the twelve months before this one: a
    # closed month just outside it, one inside, and the last one
    for m in (month_add(today, -13), month_add(today, -3)):
        r = api.post("/api/admin/timesheets/fill", {"month": m.strftime("%Y-%m")})
        assert r.status == 200, r
        for verb in ("calculate", "close"):
            r = api.post("/api/admin/payroll/%s/%s" % (m.strftime("%Y-%m"), verb), {})
            assert r.status == 200, (m, verb, r)
    for path in ("/api/admin/payroll/%s/calculate" % prev.strftime("%Y-%m"),
                 "/api/admin/payroll/%s/close" % prev.strftime("%Y-%m"),
                 "/api/admin/payroll/%s/calculate" % cur.strftime("%Y-%m")):
        r = api.post(path, {})
        assert r.status == 200, (path, r)
    seed_staff(s, api, ids)
    # the employee's requests and KPIs: the site's wide tables (five columns),
    # which must be cards at 360 and 390 px, not scroll sideways
    emp = Client(s, "stranitsy", *add_session(s, tid, emp_user))
    start = today + datetime.timedelta(days=40)
    for body in ({"type": "question", "text": "Когда будет премия за квартал?"},
                 {"type": "certificate_employment", "comment": "для банка"},
                 {"type": "vacation", "kind": "annual", "date_from": start.isoformat(),
                  "date_to": (start + datetime.timedelta(days=13)).isoformat()}):
        r = emp.post("/api/requests", body)
        assert r.status == 201, (body, r)
    return ids


def seed_staff(s, api, ids):
    """The staff pages' content: an organization, departments with a head,
    positions, the first employee's place and a personal file record of
    each kind, a key of the exchange and the log of its calls."""
    key = api.post("/api/admin/api-keys", {"name": "1С:ЗУП"}).json()["key"]

    def put(what, items):
        r = s.http("PUT", "/api/exchange/v1/" + what, raw=json.dumps({"items": items}).encode(),
                   host="stranitsy.localhost", headers={"Authorization": "Bearer " + key,
                                                        "Content-Type": "application/json"})
        assert r.status == 200, (what, r)

    first = "local-%d" % ids[0]
    # the tenant's one organization (seed above): its details, its head
    org = s.psql("SELECT o.external_id FROM organizations o JOIN tenants t ON t.id = o.tenant_id "
                 "WHERE t.subdomain = 'stranitsy'")
    put("organizations", [{"external_id": org, "inn": "7707083893", "kpp": "773601001",
                           "address": "Москва, ул. Лесная, 5", "head": first}])
    put("positions", [{"external_id": "p-buh", "name": "Бухгалтер"}, {"external_id": "p-eng", "name": "Инженер"}])
    put("departments", [{"external_id": "d-buh", "name": "Бухгалтерия", "organization": org, "head": first},
                        {"external_id": "d-calc", "name": "Расчётный отдел", "parent": "d-buh"},
                        # a third level with a longer name: the tables of the structure and of the
                        # publication must still fit a phone (or scroll in their frame)
                        {"external_id": "d-mts", "name": "Отдел снабжения и логистики",
                         "parent": "d-calc"}])
    put("employees", [{"external_id": first, "organization": org, "department": "d-calc",
                       "position": "p-buh", "phone": "+79120000001", "snils": "112-233-445 95"},
                      {"external_id": "local-%d" % ids[1], "organization": org, "position": "p-eng"}])
    rec = lambda n, kind, **kw: dict({"external_id": "pf-%d" % n, "employee": first, "kind": kind}, **kw)
    put("personal-file", [
        rec(1, "employment", event="hire", date_from="2024-01-15", position="Бухгалтер",
            order_number="3-к", order_date="2024-01-12"),
        rec(2, "vacation", type="ежегодный", days=14, date_from="2025-07-01", date_to="2025-07-14"),
        rec(3, "trip", destination="Тверь", purpose="сверка расчётов", date_from="2025-09-02",
            date_to="2025-09-03"),
        rec(4, "seniority", type="total", years=10, months=2, date_from="2025-01-01"),
        rec(5, "attestation", result="соответствует", next_date="2027-03-01", date_from="2024-03-01"),
        rec(6, "education", institution="Финансовый университет", speciality="бухгалтерский учёт",
            year=2012),
        rec(7, "training", course="1С:Зарплата и управление персоналом", hours=24,
            date_from="2025-03-01", date_to="2025-03-03")])
    # KPIs: money with kopecks, a percent as entered; long names must fit a phone
    put("kpi", [{"external_id": "k-1", "employee": first, "period": "2026-03", "name": "Закрытие месяца в срок",
                 "unit": "дн.", "plan": 5, "fact": 4},
                {"external_id": "k-2", "employee": first, "period": "2026-Q1",
                 "name": "Доля первичных документов, проведённых без исправлений", "unit": "%",
                 "plan": 98.5, "fact": 99.1},
                {"external_id": "kpi-1", "employee": first, "period": "2026-03", "name": "Выручка отдела",
                 "unit": "тыс. ₽", "plan": 1200, "fact": 1260.5},
                {"external_id": "kpi-2", "employee": first, "period": "2026-Q1",
                 "name": "Доля платёжных поручений, отправленных в банк без замечаний", "unit": "%",
                 "plan": 95, "fact": 97.5}])


class Pages(unittest.TestCase):
    def test_every_page(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "axe-core")),
                        "run `npm ci` in tests/e2e first")
        shots = os.path.join(os.environ.get("CABINET_BUILD_DIR", "/tmp"), "e2e-pages")
        shutil.rmtree(shots, ignore_errors=True)
        with Stack("pages") as s:
            seed(s)
            env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                       CABINET_E2E_OUTBOX=os.path.join(s.var, "outbox.log"),
                       CABINET_E2E_ARTIFACTS=os.path.join(shots, "failures"),
                       CABINET_E2E_SHOTS=shots,
                       CABINET_E2E_WWW=os.path.join(HERE, "..", "..", "cgi", "www"),
                       CABINET_E2E_ADMIN="stranitsy:%s:%s" % (ADMIN_EMAIL, ADMIN_PASSWORD),
                       CABINET_E2E_EMPLOYEE="stranitsy:%s:%s" % (EMPLOYEE_EMAIL, EMPLOYEE_PASSWORD))
            p = subprocess.run(["node", "--test", "--test-reporter=spec", "pages.sweep.mjs"], cwd=HERE, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
            print(p.stdout)
            if p.returncode != 0:
                reports = []
                for path in sorted(glob.glob(os.path.join(shots, "failures", "*", "*", "report.txt"))):
                    with open(path, errors="replace") as f:
                        reports.append("==> %s <==\n%s" % (path, f.read()[-6000:]))
                self.fail("the page sweep failed:\n%s\n%s\n%s" % (p.stdout[-8000:], "\n".join(reports), s.logs()))


if __name__ == "__main__":
    unittest.main()
