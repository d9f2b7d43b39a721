"""Issue 11 through the real stack: the averages' months are inputs of a
result (sql/0073), across the year boundary, and an opening balance month's
insured earnings for sick pay (sql/0074). Each value hand-computed by
payroll.md's rules."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, Stack, add_five_day_schedule, add_paid_employee, tenant_with_admin  # noqa: E402

SICK = ("from", "to", "days", "average_daily", "percent", "daily", "amount", "fund_days")


class SickStale(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("sickstale").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "sickstale")
        cls.five = add_five_day_schedule(cls.s, cls.tid)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def employee(self, name, hired, rate="60000.00", record_years=None, external_id=None):
        extra = {"external_id": external_id} if external_id else {}
        eid = add_paid_employee(self.s, self.tid, name, self.five, hired, rate=rate, **extra)
        if record_years is not None:
            self.s.psql("UPDATE employees SET insurance_years = %d, insurance_months = 0, "
                        "insurance_as_of = '2025-01-01' WHERE id = %d" % (record_years, eid))
        return eid

    def calculate(self, eid, *months):
        for m in months:
            r = self.admin.post("/api/admin/payroll/%s/calculate" % m, {"employees": [eid]})
            self.assertEqual(r.status, 200, r)

    def post(self, path, body, status):
        r = self.admin.post(path, body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def accruals(self, eid, month, kind):
        r = self.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        return [a for a in r.json()["accruals"] if a["kind"] == kind]

    def sick_lines(self, eid, month):
        return [tuple(a[k] for k in SICK) for a in self.accruals(eid, month, "sick_pay")]

    def stale(self, eid, month):
        """(stale, reason) of the employee's result as the payroll API lists it."""
        doc = self.admin.get("/api/admin/payroll/%s" % month).json()
        mine = [e for e in doc["employees"] if e["id"] == eid][0]
        listed = [x["reason"] for x in doc["stale"] if x["employee_id"] == eid]
        self.assertEqual(listed, [mine["stale_reason"]] if mine["stale"] else [])
        return mine["stale"], mine.get("stale_reason")

    # ------------------------------------------- sick pay reads Y-2 and Y-1

    def test_a_recalculated_month_of_the_year_before_makes_sick_pay_stale(self):
        """Sick pay of March 2025 reads the insured earnings of 2023 and
        2024. A 2024 month recalculated with another amount after it makes
        it stale, closing it is refused naming the employee, and its
        recalculation pays from the new earnings."""
        eid = self.employee("Больнов Годовой", "2024-01-09", record_years=10)
        self.calculate(eid, *["2024-%02d" % m for m in range(1, 13)])
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)
        self.calculate(eid, "2025-03")
        # 2024: 12 x 60 000 (January from the 9th is all of its 17 working
        # days); 2023 none. 720 000 / 730 = 986.30 (above the floor 737.75),
        # 10 years: 100 %, above MROT / 31 = 723.87: 3 days 2 958.90
        self.assertEqual(self.sick_lines(eid, "2025-03"),
                         [("2025-03-10", "2025-03-12", 3, "986.30", 100, "986.30", "2958.90", 4)])
        self.assertEqual(self.stale(eid, "2025-03"), (False, None))

        # a bonus in June 2024: an input of a month sick pay reads
        self.post("/api/admin/accruals", {"employee_id": eid, "month": "2024-06", "kind": "bonus",
                                          "amount": "73000.00", "title": "Премия за полугодие"}, 201)
        self.assertEqual(self.stale(eid, "2024-06"), (True, "accrual"))
        self.assertEqual(self.stale(eid, "2025-03"), (True, "average"))
        # recalculated before June, March still reads June's stored 60 000
        self.calculate(eid, "2025-03")
        self.assertEqual(self.stale(eid, "2025-03"), (False, None))
        self.assertEqual(self.sick_lines(eid, "2025-03")[0][6], "2958.90")
        # June recalculated with another amount: March is stale again
        self.calculate(eid, "2024-06")
        self.assertEqual(self.stale(eid, "2025-03"), (True, "average"))
        page = self.admin.get("/admin/payroll/2025-03")
        self.assertEqual(page.status, 200)
        self.assertIn("из которых считается средний заработок", page.text)
        r = self.admin.post("/api/admin/payroll/2025-03/close", {})
        self.assertEqual(r.status, 409, r)
        err = r.json()["error"]
        self.assertEqual(err["code"], "stale")
        self.assertIn("employees.%d" % eid, err["fields"])
        self.assertIn("Больнов Годовой", err["fields"]["employees.%d" % eid])
        # recalculated: (720 000 + 73 000) / 730 = 1 086.30 a day, 3 days
        self.calculate(eid, "2025-03")
        self.assertEqual(self.sick_lines(eid, "2025-03"),
                         [("2025-03-10", "2025-03-12", 3, "1086.30", 100, "1086.30", "3258.90", 4)])
        r = self.admin.post("/api/admin/payroll/2025-03/close", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.admin.post("/api/admin/payroll/2025-03/reopen", {}).status, 200)

    def test_an_unchanged_recalculation_of_the_year_before_marks_nothing(self):
        eid = self.employee("Больнова Ровная", "2024-01-09", record_years=10)
        self.calculate(eid, "2024-05")
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-12"}, 201)
        self.calculate(eid, "2025-03")
        self.calculate(eid, "2024-05")
        self.assertEqual(self.stale(eid, "2025-03"), (False, None))
        # an input of a month its averages do not read (April 2025) neither
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "НН", "date_from": "2025-04-10",
                                            "date_to": "2025-04-10"}, 201)
        self.assertEqual(self.stale(eid, "2025-03"), (False, None))
        # one of a month they read, never calculated (January 2024), does
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "НН", "date_from": "2024-01-10",
                                            "date_to": "2024-01-10"}, 201)
        self.assertEqual(self.stale(eid, "2025-03"), (True, "average"))

    # ------------------------------- vacation pay across the year boundary

    def test_vacation_pay_reads_the_year_before_even_never_calculated(self):
        """Vacation from 03.02.2025 paid 31.01 (January's payroll) reads
        February 2024 - January 2025. None of 2024 was calculated (each
        month computed from its time): an unpaid leave entered in November
        2024 still makes January 2025 stale, and the recalculation pays the
        new average."""
        eid = self.employee("Отпускница Зимняя", "2024-01-09")
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-02-03",
                                            "date_to": "2025-02-16"}, 201)
        self.calculate(eid, "2025-01")
        # 12 months of 60 000: 720 000 / 351.6 = 2 047.78 a day, 14 days
        vac = self.accruals(eid, "2025-01", "vacation_pay")
        self.assertEqual([(a["days"], a["average_daily"], a["amount"]) for a in vac],
                         [(14, "2047.78", "28668.92")])
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ДО", "date_from": "2024-11-11",
                                            "date_to": "2024-11-17"}, 201)
        self.assertEqual(self.stale(eid, "2025-01"), (True, "average"))
        self.calculate(eid, "2025-01")
        # November 2024: 16 of its 21 working days, 60 000 x 16 / 21 =
        # 45 714.29; 7 of 30 days excluded: (11 x 60 000 + 45 714.29) /
        # (29.3 x 11 + 29.3 x 23 / 30) = 2 046.95 a day, 14 days 28 657.30
        vac = self.accruals(eid, "2025-01", "vacation_pay")
        self.assertEqual([(a["days"], a["average_daily"], a["amount"]) for a in vac],
                         [(14, "2046.95", "28657.30")])
        self.assertEqual(self.stale(eid, "2025-01"), (False, None))

    # --------------------------------- insured earnings in opening balances

    def put_balance(self, eid, months, status=200):
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-12-31", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, status, r)
        return r.json()

    def test_insured_earnings_set_the_sick_pay_base(self):
        """255-FZ art. 14: sick pay's base is the income subject to insurance
        contributions. Absent, it is the month's earnings (today's result);
        given, it replaces them for sick pay only."""
        eid = self.employee("Застрахованная Остаткова", "2022-01-10", record_years=6)
        months = [{"month": "%d-%02d" % (y, m), "earnings": "50000.00", "excluded_days": 0}
                  for y in (2023, 2024) for m in range(1, 13)]
        got = self.put_balance(eid, months)
        self.assertNotIn("insured_earnings", got["months"][0])
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)
        self.calculate(eid, "2025-03")
        # absent: (600 000 + 600 000) / 730 = 1 643.84; 6 years: 80 % = 1 315.07
        self.assertEqual(self.sick_lines(eid, "2025-03"),
                         [("2025-03-10", "2025-03-12", 3, "1643.84", 80, "1315.07", "3945.21", 4)])
        # 2024's months insured at 40 000 (10 000 a month of material aid)
        for m in months[12:]:
            m["insured_earnings"] = "40000.00"
        got = self.put_balance(eid, months)
        self.assertEqual([m.get("insured_earnings") for m in got["months"]],
                         [None] * 12 + ["40000.00"] * 12)
        self.assertEqual(self.stale(eid, "2025-03"), (True, "opening_balance"))
        self.calculate(eid, "2025-03")
        # (600 000 + 480 000) / 730 = 1 479.45; 80 % = 1 183.56, 3 days 3 550.68
        self.assertEqual(self.sick_lines(eid, "2025-03"),
                         [("2025-03-10", "2025-03-12", 3, "1479.45", 80, "1183.56", "3550.68", 4)])
        # the page shows it in the month's row, as typed
        page = self.admin.get("/admin/employees/%d/opening-balance" % eid).text.replace("\u00a0", " ")
        self.assertIn('name="insured_earnings[]" value="40 000,00"', page)
        self.assertIn("Для больничных", page)
        # vacation pay still reads the earnings: a vacation paid in January
        # 2025 averages February-December 2024 at 50 000 and January at 60 000
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-02-03",
                                            "date_to": "2025-02-09"}, 201)
        self.calculate(eid, "2025-01")
        # (11 x 50 000 + 60 000) / 351.6 = 1 734.93, 7 days 12 144.51
        vac = self.accruals(eid, "2025-01", "vacation_pay")
        self.assertEqual([(a["average_daily"], a["amount"]) for a in vac], [("1734.93", "12144.51")])

    def test_insured_earnings_validated_named_and_taken_by_exchange_and_csv(self):
        eid = self.employee("Проверяемая Остаткова", "2024-02-01", external_id="ins-a")
        for bad in ("-1.00", "10000000000000.00", "много", "1,001"):
            r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                               {"as_of": "2024-12-31", "months": [
                                   {"month": "2024-12", "earnings": "60000.00", "excluded_days": 0},
                                   {"month": "2024-11", "earnings": "60000.00", "excluded_days": 0,
                                    "insured_earnings": bad}]})
            self.assertEqual(r.status, 422, (bad, r))
            msg = r.json()["error"]["fields"].get("months[1].insured_earnings")
            self.assertIsNotNone(msg, (bad, r.json()))
            self.assertRegex(msg, "[а-я]")
        self.assertEqual(self.admin.get("/api/admin/employees/%d/opening-balance" % eid).status, 404)
        # the ceiling itself is taken
        self.put_balance(eid, [{"month": "2024-12", "earnings": "60000.00", "excluded_days": 0,
                                "insured_earnings": "9999999999999.99"}])
        # the exchange: the same item shape, the field as an extension
        key = self.post("/api/admin/api-keys", {"name": "ЗУП остатки"}, 201)["key"]
        c = Client(self.s, "sickstale")
        item = {"employee": "ins-a", "as_of": "2024-12-31", "months": [
            {"month": "2024-12", "earnings": "60000.00", "excluded_days": 0, "insured_earnings": "55000.00"},
            {"month": "2024-11", "earnings": "60000.00", "excluded_days": 0}]}
        r = c.request("PUT", "/api/exchange/v1/opening-balances", {"items": [item]},
                      headers={"Authorization": "Bearer " + key})
        self.assertEqual(r.status, 200, r)
        got = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).json()
        self.assertEqual([(m["month"], m.get("insured_earnings")) for m in got["months"]],
                         [("2024-11", None), ("2024-12", "55000.00")])
        bad = dict(item, months=[{"month": "2024-12", "earnings": "60000.00", "excluded_days": 0,
                                  "insured_earnings": "-5"}])
        r = c.request("PUT", "/api/exchange/v1/opening-balances", {"items": [bad]},
                      headers={"Authorization": "Bearer " + key})
        self.assertEqual(r.status, 422, r)
        self.assertIn("items[0].months[0].insured_earnings", r.json()["error"]["fields"])
        # CSV: an optional column; an empty cell is the earnings
        text = ("employee;as_of;month;earnings;excluded_days;insured_earnings\n"
                "ins-a;2024-12-31;2024-11;60000.00;0;\"52 000,00\"\n"
                "ins-a;;2024-12;60000.00;0;\n")
        r = self.admin.request("POST", "/api/admin/opening-balances/csv", raw=text.encode(),
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        got = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).json()
        self.assertEqual([(m["month"], m.get("insured_earnings")) for m in got["months"]],
                         [("2024-11", "52000.00"), ("2024-12", None)])
        text = ("employee;as_of;month;earnings;excluded_days;insured_earnings\n"
                "ins-a;2024-12-31;2024-11;60000.00;0;-1\n")
        r = self.admin.request("POST", "/api/admin/opening-balances/csv", raw=text.encode(),
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("rows[2].months[0].insured_earnings", r.json()["error"]["fields"])
        # the page's form: a row's bad value comes back at its input
        r = self.admin.get("/admin/employees/%d/opening-balance" % eid)
        self.assertEqual(r.status, 200)
        self.assertIn('name="insured_earnings[]" value="52 000,00"', r.text.replace("\u00a0", " "))


if __name__ == "__main__":
    unittest.main()
