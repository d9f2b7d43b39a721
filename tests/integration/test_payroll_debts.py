"""Payroll and timesheet findings of fixpay3 through the real stack:
an overpayment named in the month's payroll document, warned at its close
and carried as the employee's debt into the next month (payroll_debts(),
sql/0094); the 24-hour rule of a day on the timesheet's fill; the overtime
limits of art. 99 (sql/0095); a sick leave over a vacation request not done
yet, and the vacation balance's projection without its sick days (art. 124)."""
import io
import os
import re
import sys
import unittest
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Stack, add_five_day_schedule, add_paid_employee, tenant_with_admin  # noqa: E402


def kopecks(text):
    return int(round(float(text) * 100))


def plain(text):
    return text.replace("\u00a0", " ")


class Debts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("debts").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "debts")
        cls.five = add_five_day_schedule(cls.s, cls.tid)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def post(self, path, body, status):
        r = self.admin.post(path, body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def calculate(self, month, *eids):
        self.post("/api/admin/payroll/%s/calculate" % month, {"employees": list(eids)}, 200)

    def slip(self, eid, month):
        r = self.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def xlsx_sheet(self, month):
        r = self.admin.get("/api/admin/t13/%s/export.xlsx" % month)
        self.assertEqual(r.status, 200, r)
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            return z.read("xl/worksheets/sheet1.xml").decode()

    def test_an_overpayment_is_named_warned_at_the_close_and_carried(self):
        over = add_paid_employee(self.s, self.tid, "Переплатова Анна Ивановна", self.five, "2025-01-01")
        fine = add_paid_employee(self.s, self.tid, "Точная Вера Петровна", self.five, "2025-01-01")
        # September 2025: 22 working days, 60 000,00 each; both paid in full
        self.calculate("2025-09", over, fine)
        for eid in (over, fine):
            p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-03", "kind": "salary",
                                                  "month": "2025-09"}, 201)["payment"]
            self.assertEqual(p["amount"], "60000.00")
        doc = self.admin.get("/api/admin/payroll/2025-09").json()
        self.assertEqual(doc["overpaid_count"], 0)
        self.assertNotIn("overpaid_summary_ru", doc)
        # then a day of truancy: recalculated, the month owes 60 000 × 21/22 = 57 272,73
        self.post("/api/admin/deviations", {"employee_id": over, "code": "ПР", "date_from": "2025-09-16",
                                            "date_to": "2025-09-16"}, 201)
        self.calculate("2025-09", over)
        slip = self.slip(over, "2025-09")
        self.assertEqual(slip["accrued"], "57272.73")
        expected = kopecks(slip["paid"]) + kopecks(slip["deducted"]) - kopecks(slip["accrued"])
        self.assertGreater(expected, 0)
        self.assertEqual(kopecks(slip["overpaid"]), expected)
        # the payroll document names the overpayment per employee and in total
        doc = self.admin.get("/api/admin/payroll/2025-09").json()
        rows = {e["id"]: e for e in doc["employees"]}
        self.assertEqual(rows[over]["overpaid"], slip["overpaid"])
        self.assertEqual(rows[over]["paid"], slip["paid"])
        self.assertNotIn("overpaid", rows[fine])
        self.assertEqual(doc["overpaid_count"], 1)
        self.assertEqual(doc["overpaid_total"], slip["overpaid"])
        self.assertEqual([(x["employee_id"], x["overpaid"]) for x in doc["overpaid_employees"]],
                         [(over, slip["overpaid"])])
        summary = plain(doc["overpaid_summary_ru"])
        self.assertIn("Переплатова Анна Ивановна — %s" % plain(slip["overpaid_ru"]), summary)
        self.assertNotIn("Точная", summary)
        self.assertTrue(summary.startswith("Выплачено больше, чем причитается, у 1 сотрудника — переплата"),
                        summary)
        # the admin page shows it and the close's confirmation names it
        page = self.admin.get("/admin/payroll/2025-09").text
        self.assertIn('id="overpaid-summary"', page)
        form = re.search(r'<form method="post" action="/admin/payroll/2025-09/close" data-confirm="([^"]*)"',
                         page)
        self.assertIsNotNone(form)
        self.assertIn("Переплатова Анна Ивановна — ", form.group(1))
        # closing warns and is not refused
        closed = self.post("/api/admin/payroll/2025-09/close", {}, 200)
        self.assertTrue(closed["closed"])
        self.assertEqual(closed["warnings"], [doc["overpaid_summary_ru"]])
        # October: the debt is carried into the amount due
        self.calculate("2025-10", over, fine)
        oct_slip = self.slip(over, "2025-10")
        self.assertEqual(oct_slip["carried"], slip["overpaid"])
        self.assertEqual(kopecks(oct_slip["due"]), kopecks(oct_slip["net"]) - expected)
        self.assertEqual(kopecks(oct_slip["balance"]), kopecks(oct_slip["net"]) - expected)
        self.assertNotIn("overpaid", oct_slip)
        self.assertNotIn("carried", self.slip(fine, "2025-10"))
        oct_doc = self.admin.get("/api/admin/payroll/2025-10").json()
        rows = {e["id"]: e for e in oct_doc["employees"]}
        self.assertEqual(rows[over]["carried"], slip["overpaid"])
        self.assertEqual(rows[over]["due"], oct_slip["due"])
        self.assertNotIn("carried", rows[fine])
        self.assertEqual(oct_doc["overpaid_count"], 0)
        page = self.admin.get("/admin/payroll/2025-10").text
        self.assertIn("долг прошлых месяцев −%s" % slip["overpaid_ru"], page)
        # the employee's payslip page shows the debt line too
        page = self.admin.get("/admin/payroll/2025-10/employees/%d" % over).text
        self.assertIn("Долг за сотрудником: переплата прошлых месяцев", page)

    def test_the_fill_keeps_a_day_within_24_hours(self):
        a = add_paid_employee(self.s, self.tid, "Сутками Олег Петрович", self.five, "2025-01-01")
        b = add_paid_employee(self.s, self.tid, "Вовремя Ирина Сергеевна", self.five, "2025-01-01")
        # the API refuses an overtime document beyond the day's 24 h (8 h planned + 17 h)...
        r = self.admin.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-03-12",
                                                      "hours": 17})
        self.assertEqual(r.status, 422, r)
        # ...but one made before that rule (or a schedule lengthened after it) stays
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, "
                    "whole_day) VALUES (%d, %d, 4, '2025-03-12', '2025-03-12', 1700, false)" % (self.tid, a))
        before = self.s.psql("SELECT count(*) FROM timesheets WHERE tenant_id = %d" % self.tid)
        # the fill of everyone: refused naming the employee and the day, nothing written
        r = self.admin.post("/api/admin/timesheets/fill", {"month": "2025-03"})
        self.assertEqual(r.status, 422, r)
        err = r.json()["error"]
        self.assertEqual(plain(err["fields"]["employees.%d" % a]),
                         "Сутками Олег Петрович, 12.03.2025: по графику и документам-отклонениям за день "
                         "получается 25 ч, а в дне не больше 24 ч. Исправьте документ (сверхурочная работа, "
                         "работа в выходной) или график и заполните табель снова")
        self.assertNotIn("employees.%d" % b, err["fields"])
        self.assertIn("Табели за март 2025 г. не заполнены: у 1 сотрудника", err["message"])
        self.assertEqual(self.s.psql("SELECT count(*) FROM timesheets WHERE tenant_id = %d" % self.tid), before)
        # one employee's fill: the same refusal at month
        r = self.admin.post("/api/admin/timesheets/%d/2025-03/fill" % a, {})
        self.assertEqual(r.status, 422, r)
        self.assertIn("12.03.2025: по графику и документам-отклонениям за день получается 25 ч",
                      plain(r.json()["error"]["fields"]["month"]))
        self.assertEqual(self.s.psql("SELECT count(*) FROM timesheet_rows r JOIN timesheets t ON "
                                     "t.tenant_id = r.tenant_id AND t.id = r.timesheet_id WHERE "
                                     "t.tenant_id = %d AND t.employee_id = %d" % (self.tid, a)), "0")
        # the other employee's own fill is unaffected; once the document fits, everyone's fill works
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-03/fill" % b, {}).status, 200)
        self.s.psql("UPDATE deviations SET hours = 1600 WHERE tenant_id = %d AND employee_id = %d AND "
                    "code = 4" % (self.tid, a))
        r = self.admin.post("/api/admin/timesheets/fill", {"month": "2025-03"})
        self.assertEqual(r.status, 200, r)

    def test_overtime_beyond_article_99_is_recorded_and_warned(self):
        a = add_paid_employee(self.s, self.tid, "Сверхурочный Пётр Ильич", self.five, "2025-01-01")
        # 3 h on Wednesday 09.04.2025: within the limits, no warning
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-04-09",
                                                "hours": 3}, 201)
        self.assertEqual([w for w in r["warnings"] if w["code"] == "overtime_limit"], [])
        # 2 h more the next day: 5 h in two consecutive days: recorded (201) and warned
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-04-10",
                                                "hours": 2}, 201)
        w = [x for x in r["warnings"] if x["code"] == "overtime_limit"]
        self.assertEqual(len(w), 1, r)
        self.assertEqual(w[0]["kind"], "two_days")
        self.assertEqual(w[0]["message"], "Сверхурочная работа 09.04.2025 и 10.04.2025 — 5 ч: больше 4 ч за два "
                                          "дня подряд (ст. 99 ТК РФ). Сохранено и будет оплачено: соблюдать "
                                          "предел — обязанность работодателя")
        # the page's form: saved, and the page says so with the warning (no redirect that loses it)
        page = self.admin.post("/admin/deviations", raw=urllib.parse.urlencode(
            {"_csrf": self.admin.csrf, "employee_id": a, "code": "С", "date": "22.04.2025",
             "hours": "5"}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(page.status, 200, page)
        self.assertIn("Документ сохранён. Сверхурочная работа 22.04.2025 и 23.04.2025 — 5 ч: больше 4 ч за "
                      "два дня подряд", page.text)
        self.assertEqual(self.s.psql("SELECT count(*) FROM deviations WHERE tenant_id = %d AND employee_id = %d "
                                     "AND code = 4 AND date_from = '2025-04-22'" % (self.tid, a)), "1")
        # the T-13 and the payroll month's view mark the employee
        t13 = self.admin.get("/api/admin/t13/2025-04").json()
        row = [e for e in t13["employees"] if e["id"] == a][0]
        self.assertIn("09.04.2025 и 10.04.2025 — 5 ч", row["overtime_limit_ru"])
        self.assertIn("22.04.2025 и 23.04.2025 — 5 ч", row["overtime_limit_ru"])
        self.assertEqual(t13["overtime_limit_count"], 1)
        # the XLSX carries the same marks, at the employee's row, and their count
        sheet = self.xlsx_sheet("2025-04")
        self.assertIn("Сверхурочные сверх ст. 99 ТК РФ", sheet)
        self.assertIn("09.04.2025 и 10.04.2025 — 5 ч: больше 4 ч за два дня подряд", sheet)
        self.assertIn("22.04.2025 и 23.04.2025 — 5 ч", sheet)
        row = re.search(r'<row r="(\d+)"[^>]*>(?:(?!</row>).)*Сверхурочный Пётр Ильич(?:(?!</row>).)*</row>',
                        sheet, re.S).group(0)
        self.assertIn("09.04.2025 и 10.04.2025", row)
        self.assertIn("Сверхурочная работа сверх пределов ст. 99 ТК РФ (4 ч за два дня подряд, 120 ч в год): "
                      "1 сотрудник<", sheet)
        self.assertIn("больше 4 ч за два дня подряд", self.admin.get("/admin/timesheets/2025-04").text)
        self.calculate("2025-04", a)
        doc = self.admin.get("/api/admin/payroll/2025-04").json()
        row = [e for e in doc["employees"] if e["id"] == a][0]
        self.assertIn("09.04.2025 и 10.04.2025 — 5 ч", row["overtime_limit_ru"])
        self.assertIn("больше 4 ч за два дня подряд", self.admin.get("/admin/payroll/2025-04").text)
        # 120 h a year: 26 earlier days of 4 h (Mondays, Wednesdays and Fridays from 13.01.2025, never
        # two days in a row) make 104 + 5 + 5 = 114 h; 3 h on 11.06.2025 give 117 h, 4 h on 17.06.2025 121 h
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, whole_day) "
                    "SELECT %d, %d, 4, d, d, 400, false FROM generate_series('2025-01-13'::date, "
                    "'2025-03-31'::date, '1 day') AS d WHERE extract(isodow FROM d) IN (1, 3, 5) "
                    "ORDER BY d LIMIT 26" % (self.tid, a))
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-06-11",
                                                "hours": 3}, 201)
        self.assertEqual([x["kind"] for x in r["warnings"] if x["code"] == "overtime_limit"], [])
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-06-17",
                                                "hours": 4}, 201)
        w = [x for x in r["warnings"] if x["code"] == "overtime_limit"]
        self.assertEqual([x["kind"] for x in w], ["year"], r)
        self.assertTrue(w[0]["message"].startswith("Сверхурочная работа за 2025 г. — 121 ч: больше 120 ч в год "
                                                   "(с 17.06.2025; ст. 99 ТК РФ)"), w[0]["message"])
        # a timesheet row: another employee, 5 h of overtime on one day of a draft
        b = add_paid_employee(self.s, self.tid, "Табельный Семён Ильич", self.five, "2025-01-01")
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-05/fill" % b, {}).status, 200)
        r = self.admin.put("/api/admin/timesheets/%d/2025-05" % b,
                           {"days": [{"date": "2025-05-13", "rows": [{"code": "Я", "hours": 8},
                                                                     {"code": "С", "hours": 5}]}]})
        self.assertEqual(r.status, 200, r)
        w = [x for x in r.json()["warnings"] if x["code"] == "overtime_limit"]
        self.assertEqual(len(w), 1, r)
        self.assertIn("Сверхурочная работа 13.05.2025 и 14.05.2025 — 5 ч", w[0]["message"])

    def test_overtime_pair_across_the_new_year(self):
        """31 Dec and 1 Jan are two consecutive days of art. 99 (2027's
        calendar is not shipped yet: 31.12.2025 + 01.01.2026, both working
        days of an organization's own calendar, С only standing on working
        days); the 120 h stay counted per calendar year."""
        tid, _, admin = tenant_with_admin(self.s, "novygod")
        for year, day in ((2025, "2025-12-31"), (2026, "2026-01-01")):
            r = admin.put("/api/admin/calendars/0/years/%d" % year, {"days": [{"date": day, "kind": "work"}]})
            self.assertEqual(r.status, 200, r)
        a = add_paid_employee(self.s, tid, "Новогодний Олег Ильич", add_five_day_schedule(self.s, tid),
                              "2025-01-01")
        self.admin, admin_before = admin, self.admin
        self.addCleanup(setattr, self, "admin", admin_before)
        # 116 h in 2025 before: 29 days of 4 h, never two in a row
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, whole_day) "
                    "SELECT %d, %d, 4, d, d, 400, false FROM generate_series('2025-09-01'::date, "
                    "'2025-12-15'::date, '1 day') AS d WHERE extract(isodow FROM d) IN (1, 3, 5) "
                    "ORDER BY d LIMIT 29" % (tid, a))
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-12-31",
                                                "hours": 3}, 201)
        self.assertEqual([w for w in r["warnings"] if w["code"] == "overtime_limit"], [])
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2026-01-01",
                                                "hours": 2}, 201)
        w = [x for x in r["warnings"] if x["code"] == "overtime_limit"]
        # the pair, said once; 119 h in 2025 and 2 h in 2026: no year over 120 h
        self.assertEqual([x["kind"] for x in w], ["two_days"], r)
        self.assertTrue(w[0]["message"].startswith(
            "Сверхурочная работа 31.12.2025 и 01.01.2026 — 5 ч: больше 4 ч за два дня подряд"), w[0]["message"])
        # both months' T-13 mark it
        for month in ("2025-12", "2026-01"):
            t13 = self.admin.get("/api/admin/t13/%s" % month).json()
            row = [e for e in t13["employees"] if e["id"] == a][0]
            self.assertIn("31.12.2025 и 01.01.2026 — 5 ч", row.get("overtime_limit_ru", ""), month)
            self.assertNotIn("120 ч", row["overtime_limit_ru"], month)
            self.assertIn("31.12.2025 и 01.01.2026 — 5 ч", self.xlsx_sheet(month), month)
        # 1 h on 12.01.2026: 119 h + 3 h over both years, but each year is within its 120 h
        r = self.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2026-01-12",
                                                "hours": 1}, 201)
        self.assertNotIn("year", [x["kind"] for x in r["warnings"] if x["code"] == "overtime_limit"])

    def test_a_sick_leave_over_a_vacation_request_not_done_yet(self):
        o = Org(self.s, "sickvac", "ООО «Больничный в отпуске»")

        def step(who, rid, kind):
            t = o.task(who, rid, kind)
            self.assertIsNotNone(t, (who, rid, kind, o.tasks(who)))
            r = o[who].post("/api/tasks/%d/%s" % (t, "approve" if kind == "approval" else "complete"), {})
            self.assertEqual(r.status, 200, r)

        def vacation(who):
            r = o[who].post("/api/requests", {"type": "vacation", "date_from": "2026-12-14",
                                              "date_to": "2026-12-25"})
            self.assertEqual(r.status, 201, r)
            step("M", r.json()["id"], "approval")
            return r.json()["id"]

        def days(who):
            r = o[who].get("/api/timesheet/2026-12")
            self.assertEqual(r.status, 200, r)
            codes = {d["day"]: d["codes"] for d in r.json()["employee"]["days"]}
            return [codes[d] for d in (14, 15, 16, 17, 18)]

        # E1: the vacation approved, not done; the administrator records the sick leave: 201, and the
        # request is not said to be blocked (it can still be completed)
        vac = vacation("E1")
        r = o["A"].post("/api/admin/deviations", {"employee_id": o.id["E1"], "code": "Б",
                                                  "date_from": "2026-12-16", "date_to": "2026-12-17"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual([w["code"] for w in r.json()["warnings"]], [])
        # the balance's projection before the vacation leaves the sick days out (item 5)
        bal = o["E1"].get("/api/vacation/balance?date=2026-12-10").json()
        self.assertEqual([(v["days"], v.get("returned_days")) for v in bal["scheduled"]], [(10, 2)], bal)
        self.assertAlmostEqual(float(bal["balance"]) - float(bal["balance_after"]), 10.0)
        # the vacation's completion lays it with the sick days left out (returned)
        step("P", vac, "execution")
        self.assertEqual(days("E1"), ["ОТ", "ОТ", "Б", "Б", "ОТ"])
        bal = o["E1"].get("/api/vacation/balance?date=2026-12-10").json()
        self.assertEqual([(v["days"], v.get("returned_days")) for v in bal["scheduled"]], [(10, 2)], bal)
        self.assertAlmostEqual(float(bal["balance"]) - float(bal["balance_after"]), 10.0)
        after = o["E1"].get("/api/vacation/balance?date=2026-12-31").json()
        self.assertEqual((after["used_days"], after["returned_days"]), (10, 2), after)
        # E3: the employee's own sick absence filed over the approved vacation request: accepted
        # (another absence there is still refused); the sick leave done first, then the vacation
        vac = vacation("E3")
        r = o["E3"].post("/api/requests", {"type": "absence", "reason": "day_off", "date_from": "2026-12-15",
                                           "date_to": "2026-12-15"})
        self.assertEqual(r.status, 409, r)
        r = o["E3"].post("/api/requests", {"type": "absence", "reason": "sick", "date_from": "2026-12-15",
                                           "date_to": "2026-12-16"})
        self.assertEqual(r.status, 201, r)
        sick = r.json()["id"]
        step("M", sick, "approval")
        step("P", sick, "execution")
        step("P", vac, "execution")
        self.assertEqual(days("E3"), ["ОТ", "Б", "Б", "ОТ", "ОТ"])
        after = o["E3"].get("/api/vacation/balance?date=2026-12-31").json()
        self.assertEqual((after["used_days"], after["returned_days"]), (10, 2), after)
        # E2 in the other order: the vacation done first, then the sick leave (as before)
        r = o["E2"].post("/api/requests", {"type": "vacation", "date_from": "2026-12-14",
                                           "date_to": "2026-12-25"})
        vac = r.json()["id"]
        step("H", vac, "approval")
        step("P", vac, "execution")
        r = o["A"].post("/api/admin/deviations", {"employee_id": o.id["E2"], "code": "Б",
                                                  "date_from": "2026-12-17", "date_to": "2026-12-18"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(days("E2"), ["ОТ", "ОТ", "ОТ", "Б", "Б"])
        after = o["E2"].get("/api/vacation/balance?date=2026-12-31").json()
        self.assertEqual((after["used_days"], after["returned_days"]), (10, 2), after)


if __name__ == "__main__":
    unittest.main()
