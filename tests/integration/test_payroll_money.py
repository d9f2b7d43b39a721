"""Issue 11 items 1-4 through the real stack, each with its hand-computed value:
vacation pay from a year of stored results (the same line as the preview),
sick pay from opening balances and the insurance record, opening balances by
the admin API and the exchange, one-off accruals and material aid in НДФЛ,
payments (advance, vacation pay on its date, the final settlement with the
compensation for unused vacation), regional pay."""
import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import (FIVE_DAYS, Client, Stack, add_employee, add_five_day_schedule,  # noqa: E402
                   add_paid_employee, tenant_with_admin)

UNIT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit", "data", "payroll")


class Money(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("money").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "money")
        cls.five = add_five_day_schedule(cls.s, cls.tid)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def employee(self, name, hired, rate="60000.00", dismissed=None, external_id=None):
        extra = {"external_id": external_id} if external_id else {}
        return add_paid_employee(self.s, self.tid, name, self.five, hired, rate=rate, dismissed=dismissed,
                                 **extra)

    def calculate(self, eid, *months):
        for m in months:
            r = self.admin.post("/api/admin/payroll/%s/calculate" % m, {"employees": [eid]})
            self.assertEqual(r.status, 200, r)

    def slip(self, eid, month):
        r = self.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def post(self, path, body, status):
        r = self.admin.post(path, body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def exchange(self, what, items, status=200):
        key = self.post("/api/admin/api-keys", {"name": "ЗУП %s" % what}, 201)["key"]
        c = Client(self.s, "money")
        r = c.request("PUT", "/api/exchange/v1/%s" % what, {"items": items},
                      headers={"Authorization": "Bearer " + key})
        self.assertEqual(r.status, status, r)
        return r.json()

    # ------------------------------------------------------------ item 1

    def test_vacation_pay_counts_the_hire_month_never_calculated(self):
        """Decree 922 items 4-5: the hire month partly worked counts its days
        and its pay even when its payroll was never calculated (computed from
        its time, not dropped). Hired Monday 17.03.2025 at 60 000, five-day
        week; April-July calculated, March not; vacation 01-14.09.2025 paid
        29.08 (August's payroll)."""
        eid = self.employee("Новенькая Мартовская", "2025-03-17")
        self.calculate(eid, "2025-04", "2025-05", "2025-06", "2025-07")
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-09-01",
                                            "date_to": "2025-09-14"}, 201)
        self.calculate(eid, "2025-08")
        vac = [a for a in self.slip(eid, "2025-08")["accruals"] if a["kind"] == "vacation_pay"]
        # March: 11 of its 21 working days, 60 000 x 11 / 21 = 31 428.57; days
        # 1-16 before the hire excluded, so it counts 29.3 x 15 / 31.
        # (31 428.57 + 5 x 60 000) / (5 x 29.3 + 29.3 x 15 / 31) = 2 062.70 a
        # day (2 047.78 if March were dropped), 14 days
        self.assertEqual([(a["days"], a["average_daily"], a["amount"]) for a in vac],
                         [(14, "2062.70", "28877.80")])
        # nothing of March was stored: the month stays uncalculated
        self.assertEqual(self.admin.get("/api/admin/payslips/%d/2025-03" % eid).status, 404)

    def test_vacation_pay_from_stored_results(self):
        eid = self.employee("Отпускник", "2024-06-01")
        self.calculate(eid, *(["2024-%02d" % m for m in range(7, 13)] + ["2025-%02d" % m for m in range(1, 7)]))
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-07-07",
                                            "date_to": "2025-07-20"}, 201)
        self.calculate(eid, "2025-07")
        slip = self.slip(eid, "2025-07")
        vac = [a for a in slip["accruals"] if a["kind"] == "vacation_pay"]
        # 12 months of 60 000: 720 000 / 351.6 = 2 047.78 a day, 14 days
        self.assertEqual([(a["from"], a["to"], a["days"], a["average_daily"], a["amount"]) for a in vac],
                         [("2025-07-07", "2025-07-20", 14, "2047.78", "28668.92")])
        self.assertIn("14 дн. × 2", self.admin.get("/admin/payroll/2025-07/employees/%d" % eid).text)
        self.assertEqual(slip["accrued"], "62581.96")  # + 60 000 x 13/23
        # the preview of the same inputs gives the same line (payroll.md's case 046)
        with open(os.path.join(UNIT_DATA, "046_vacation_pay_full_year.json")) as f:
            scenario = json.load(f)["scenario"]
        r = self.admin.post("/api/payroll/preview", scenario)
        self.assertEqual(r.status, 200, r)
        pv = [l for l in r.json()["lines"] if l["kind"] == "vacation_pay"]
        self.assertEqual([(l["from"], l["to"], l["days"], l["average_daily"], l["amount"]) for l in pv],
                         [(a["from"], a["to"], a["days"], a["average_daily"], a["amount"]) for a in vac])
        # paid on its date, 3 days before (art. 136); НДФЛ withheld from it
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-07-04", "kind": "vacation_pay"},
                      201)["payment"]
        # 360 000 earned in the year: 13 % x (360 000 + 28 668.92) - 46 800 = 3 727
        self.assertEqual((p["amount"], p["ndfl"], p["net"]), ("28668.92", "3727.00", "24941.92"))
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2025-07-05", "kind": "vacation_pay"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("04.07.2025", r.json()["error"]["fields"]["date"])
        # illness during the vacation (art. 124): the result is stale, and the
        # recalculation pays 11 vacation days and the employer's 3 sick days
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-07-14",
                                            "date_to": "2025-07-16"}, 201)
        doc = self.admin.get("/api/admin/payroll/2025-07").json()
        self.assertEqual([(x["employee_id"], x["reason"]) for x in doc["stale"]], [(eid, "deviation")])
        self.calculate(eid, "2025-07")
        slip = self.slip(eid, "2025-07")
        # 11 x 2 047.78 = 22 525.58 (payroll.md's case 051); sick pay: 2024's 420 000 (June, never
        # calculated, from its time, and the stored July - December) / 730 = 575.34 is under
        # the floor 22 440 x 24 / 730 = 737.75; no insurance record entered, so the service here
        # (01.06.2024 - 14.07.2025, 13 months: 60 %): 442.65 a day, raised to MROT / 31 = 723.87:
        # 3 days 2 171.61, the Fund pays none
        self.assertEqual([(a["kind"], a.get("days"), a.get("daily"), a["amount"]) for a in slip["accruals"]],
                         [("salary", None, None, "33913.04"), ("vacation_pay", 11, None, "22525.58"),
                          ("sick_pay", 3, "723.87", "2171.61")])
        self.assertEqual(slip["accrued"], "58610.23")
        # the line says the MROT rule that gave the day, so it computes as written
        rule = "60 % от 737,75 ₽ = 442,65 ₽, не ниже МРОТ: 22 440,00 ₽ / 31 дн. = 723,87 ₽"
        sick = [a for a in slip["accruals"] if a["kind"] == "sick_pay"][0]
        self.assertEqual(sick["daily_rule_ru"].replace("\u00a0", " "), rule)
        page = self.admin.get("/admin/payroll/2025-07/employees/%d" % eid).text.replace("\u00a0", " ")
        self.assertIn("3 дн. × 723,87 ₽ (%s)" % rule, page)

    # ------------------------------------------------------------ item 2, 3

    def test_sick_pay_from_opening_balances_and_the_insurance_record(self):
        eid = self.employee("Больничный", "2022-01-10")
        months = [{"month": "%d-%02d" % (y, m), "earnings": "50000.00", "excluded_days": 0}
                  for y in (2023, 2024) for m in range(1, 13)]
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-12-31", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, 200, r)
        self.s.psql("UPDATE employees SET insurance_years = 6, insurance_months = 6, insurance_as_of = "
                    "'2025-01-01' WHERE id = %d" % eid)
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)
        self.calculate(eid, "2025-03")
        slip = self.slip(eid, "2025-03")
        sick = [a for a in slip["accruals"] if a["kind"] == "sick_pay"]
        # (600 000 + 600 000) / 730 = 1 643.84; 6 y 8 m on 10.03 -> 80 %: 1 315.07 a day
        self.assertEqual([(a["from"], a["to"], a["days"], a["average_daily"], a["percent"], a["daily"],
                           a["amount"], a["fund_days"]) for a in sick],
                         [("2025-03-10", "2025-03-12", 3, "1643.84", 80, "1315.07", "3945.21", 4)])
        self.assertIn("Социальный фонд", sick[0]["fund_note"])
        # a changed record makes the month stale, and the page says it was the record
        self.s.psql("UPDATE employees SET insurance_years = 9 WHERE id = %d" % eid)
        mine = [e for e in self.admin.get("/api/admin/payroll/2025-03").json()["employees"]
                if e["id"] == eid][0]
        self.assertEqual((mine["stale"], mine["stale_title"]), (True, "изменился страховой стаж"))
        self.s.psql("UPDATE employees SET insurance_years = 6 WHERE id = %d" % eid)
        self.calculate(eid, "2025-03")
        # the preview of the same inputs gives the same line (item 8)
        r = self.admin.post("/api/payroll/preview", {
            "month": "2025-03", "calendar": "RU",
            "schedules": {"five": {"kind": "week", "hours": [8, 8, 8, 8, 8, 0, 0], "holidays": "calendar"}},
            "employee": {"rate": "60000.00", "pay_by": "days"},
            "assignments": [{"from": "2022-01-10", "schedule": "five"}],
            "deviations": [{"code": "Б", "from": "2025-03-10", "to": "2025-03-16"}],
            "sick": {"insurance_years": 6.7, "earnings": {"2023": "600000.00", "2024": "600000.00"}}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(l["from"], l["to"], l["days"], l["average_daily"], l["percent"], l["daily"],
                           l["amount"], l["fund_days"]) for l in r.json()["lines"] if l["kind"] == "sick_pay"],
                         [(a["from"], a["to"], a["days"], a["average_daily"], a["percent"], a["daily"],
                           a["amount"], a["fund_days"]) for a in sick])
        self.assertEqual(slip["accruals"][0]["amount"], "45714.29")  # 16/21 of 60 000
        page = self.admin.get("/admin/payroll/2025-03/employees/%d" % eid)
        self.assertEqual(page.status, 200)
        self.assertIn("Пособие по временной нетрудоспособности", page.text)
        self.assertIn("Остальные 4 дн. оплачивает Социальный фонд России", page.text)
        self.assertIn("80 % от 1", page.text)

    def test_preview_refuses_rv_on_a_working_day_and_overtime_on_a_day_off(self):
        # F21: the preview follows the same rule as documents and the timesheet (payroll.md's cases 930, 931)
        for case, date, code in (("930_error_rv_on_working_day", "14.05.2025", "код С"),
                                 ("931_error_overtime_on_day_off", "17.05.2025", "код РВ")):
            with open(os.path.join(UNIT_DATA, case + ".json")) as f:
                scenario = json.load(f)["scenario"]
            r = self.admin.post("/api/payroll/preview", scenario)
            self.assertEqual(r.status, 422, r)
            self.assertIn(date, r.json()["error"]["fields"]["deviations[0]"])
            self.assertIn(code, r.json()["error"]["fields"]["deviations[0]"])

    def test_sick_pay_without_an_entered_record_takes_the_service_here(self):
        # F18: hired 10.01.2022, no insurance record in the card, a Б from 10.03.2025: the record is
        # at least the service here, 3 years 2 months (>= 6 months, < 5 years): 60 % without the
        # MROT cap. (600 000 + 600 000) / 730 = 1 643.84; 60 % = 986.30 a day (> MROT 22 440 / 31 =
        # 723.87); the employer's 3 days 2 958.90 (it used to be capped: 3 x 723.87 = 2 171.61)
        eid = self.employee("Стаж не указан", "2022-01-10")
        months = [{"month": "%d-%02d" % (y, m), "earnings": "50000.00", "excluded_days": 0}
                  for y in (2023, 2024) for m in range(1, 13)]
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-12-31", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, 200, r)
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)
        self.calculate(eid, "2025-03")
        sick = [a for a in self.slip(eid, "2025-03")["accruals"] if a["kind"] == "sick_pay"]
        self.assertEqual([(a["days"], a["average_daily"], a["percent"], a["daily"], a["amount"],
                           a["insurance_months"], a["insurance_source"]) for a in sick],
                         [(3, "1643.84", 60, "986.30", "2958.90", 38, "employment")])
        note = "Страховой стаж: 3 года 2 месяца — в карточке не указан, взят стаж в организации с 10.01.2022"
        self.assertEqual(sick[0]["insurance_ru"], note)
        self.assertEqual(sick[0]["daily_rule_ru"].replace("\u00a0", " "), "60 % от 1 643,84 ₽")
        self.assertIn(note, self.admin.get("/admin/payroll/2025-03/employees/%d" % eid).text)
        # an entered record (4 months as of 01.03.2025) is taken as entered plus the time since:
        # under 6 months, so the day is capped at MROT / 31 = 723.87
        self.s.psql("UPDATE employees SET insurance_years = 0, insurance_months = 4, insurance_as_of = "
                    "'2025-03-01' WHERE id = %d" % eid)
        self.calculate(eid, "2025-03")
        sick = [a for a in self.slip(eid, "2025-03")["accruals"] if a["kind"] == "sick_pay"]
        self.assertEqual([(a["daily"], a["amount"], a["insurance_months"], a["insurance_source"],
                           a["insurance_ru"]) for a in sick],
                         [("723.87", "2171.61", 4, "entered", "Страховой стаж: 4 месяца (по карточке)")])

    # ---------------------------------------------- item 2: sick pay's earnings

    SICK_FIELDS = ("from", "to", "days", "average_daily", "percent", "daily", "amount", "fund_days")

    def sick_lines(self, eid, month):
        return [tuple(a[k] for k in self.SICK_FIELDS) for a in self.slip(eid, month)["accruals"]
                if a["kind"] == "sick_pay"]

    def preview_sick(self, hired, rate, years, earnings):
        """The sick pay lines of the preview of the same March 2025 leave
        (payroll.md item 8: the preview and the payroll give the same lines)."""
        r = self.admin.post("/api/payroll/preview", {
            "month": "2025-03", "calendar": "RU",
            "schedules": {"five": {"kind": "week", "hours": [8, 8, 8, 8, 8, 0, 0], "holidays": "calendar"}},
            "employee": {"rate": rate, "pay_by": "days", "hired": hired},
            "assignments": [{"from": hired, "schedule": "five"}],
            "deviations": [{"code": "Б", "from": "2025-03-10", "to": "2025-03-16"}],
            "sick": {"insurance_years": years, "earnings": earnings}})
        self.assertEqual(r.status, 200, r)
        return [tuple(l[k] for k in self.SICK_FIELDS) for l in r.json()["lines"] if l["kind"] == "sick_pay"]

    def sick_leave(self, eid, record_years):
        self.s.psql("UPDATE employees SET insurance_years = %d, insurance_months = 0, insurance_as_of = "
                    "'2025-03-01' WHERE id = %d" % (record_years, eid))
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)
        self.calculate(eid, "2025-03")

    def test_sick_pay_counts_the_hire_month_never_calculated(self):
        """255-FZ art. 14: sick pay's two years take every month from the
        same loader as vacation pay: the hire month partly worked and never
        calculated counts its pay computed from its time, not 0. Hired
        Wednesday 15.03.2023 at 60 000, five-day week; April 2023 - December
        2024 calculated, March 2023 not; sick 10-16.03.2025, record 10
        years (100 %)."""
        eid = self.employee("Мартовский Больной", "2023-03-15")
        self.calculate(eid, *(["2023-%02d" % m for m in range(4, 13)] + ["2024-%02d" % m for m in range(1, 13)]))
        self.sick_leave(eid, 10)
        # March 2023: 22 working days (8 March a holiday), 13 of them from the
        # 15th: 60 000 x 13 / 22 = 35 454.55. 2023: 35 454.55 + 9 x 60 000 =
        # 575 454.55 (under the base limit 1 917 000); 2024: 12 x 60 000 =
        # 720 000 (under 2 225 000). (575 454.55 + 720 000) / 730 =
        # 1 774.595... = 1 774.60 a day (1 726.03 if March were dropped);
        # 100 %: 1 774.60 over MROT / 31 = 723.87; the employer's 3 days
        # 5 323.80, the Fund's 4
        want = [("2025-03-10", "2025-03-12", 3, "1774.60", 100, "1774.60", "5323.80", 4)]
        self.assertEqual(self.sick_lines(eid, "2025-03"), want)
        self.assertEqual(self.preview_sick("2023-03-15", "60000.00", 10,
                                           {"2023": "575454.55", "2024": "720000.00"}), want)
        # nothing of March 2023 was stored: the month stays uncalculated
        self.assertEqual(self.admin.get("/api/admin/payslips/%d/2023-03" % eid).status, 404)

    def test_sick_pay_from_opening_balances_for_part_of_the_period(self):
        """Opening balances for January 2023 - June 2024, July - September
        2024 calculated, October - December 2024 neither (computed from
        their time, with November's bonus; December's material aid is not
        insured income). Hired 10.01.2022 at 60 000; record 6 years (80 %)."""
        eid = self.employee("Частичные остатки", "2022-01-10")
        months = [{"month": "%d-%02d" % (y, m), "earnings": "50000.00", "excluded_days": 0}
                  for y, last in ((2023, 12), (2024, 6)) for m in range(1, last + 1)]
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-06-30", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, 200, r)
        self.calculate(eid, "2024-07", "2024-08", "2024-09")
        self.post("/api/admin/accruals", {"employee_id": eid, "month": "2024-11", "kind": "bonus",
                                          "amount": "10000.00"}, 201)
        self.post("/api/admin/accruals", {"employee_id": eid, "month": "2024-12", "kind": "material_aid",
                                          "amount": "4000.00"}, 201)
        self.sick_leave(eid, 6)
        # 2023: 12 x 50 000 = 600 000 (opening balances); 2024: 6 x 50 000
        # (opening) + 3 x 60 000 (stored) + 3 x 60 000 + 10 000 (computed:
        # October - December with November's bonus, not December's material
        # aid) = 670 000. (600 000 + 670 000) / 730 = 1 739.726... = 1 739.73
        # (1 479.45 if the three months counted 0); 80 %: 1 391.784 =
        # 1 391.78 a day, 3 days 4 175.34
        want = [("2025-03-10", "2025-03-12", 3, "1739.73", 80, "1391.78", "4175.34", 4)]
        self.assertEqual(self.sick_lines(eid, "2025-03"), want)
        self.assertEqual(self.preview_sick("2022-01-10", "60000.00", 6,
                                           {"2023": "600000.00", "2024": "670000.00"}), want)
        for m in ("2024-10", "2024-11", "2024-12"):
            self.assertEqual(self.admin.get("/api/admin/payslips/%d/%s" % (eid, m)).status, 404, m)

    def test_sick_pay_mrot_floor_over_a_computed_hire_month(self):
        """The floor of the average: hired Tuesday 15.10.2024 at 30 000,
        October never calculated, November and December calculated; nothing
        in 2023; record 10 years (100 %)."""
        eid = self.employee("Минимальный", "2024-10-15", rate="30000.00")
        self.calculate(eid, "2024-11", "2024-12")
        self.sick_leave(eid, 10)
        # October 2024: 23 working days, 13 from the 15th: 30 000 x 13 / 23 =
        # 16 956.52; 2024: 16 956.52 + 2 x 30 000 = 76 956.52; 2023: 0.
        # 76 956.52 / 730 = 105.42, under the floor MROT 2025 22 440 x 24 /
        # 730 = 737.753... = 737.75; 100 %: 737.75 over MROT / 31 = 723.87;
        # 3 days 2 213.25
        want = [("2025-03-10", "2025-03-12", 3, "737.75", 100, "737.75", "2213.25", 4)]
        self.assertEqual(self.sick_lines(eid, "2025-03"), want)
        self.assertEqual(self.preview_sick("2024-10-15", "30000.00", 10, {"2024": "76956.52"}), want)

    def form(self, path, fields):
        body = urllib.parse.urlencode(dict(fields, _csrf=self.admin.csrf)).encode()
        return self.admin.post(path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_the_insurance_record_typed_on_the_employee_form_sets_the_sick_pay_percent(self):
        """Issue 11 item 2 through the admin form (the trial's item 6): years
        and months typed there reach the sick pay's percent (under 5 years
        60 %, 5 to 8 years 80 %, 8 and more 100 %)."""
        eid = self.employee("Стаж с формы", "2022-01-10")
        months = [{"month": "%d-%02d" % (y, m), "earnings": "50000.00", "excluded_days": 0}
                  for y in (2023, 2024) for m in range(1, 13)]
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-12-31", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, 200, r)
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-03-10",
                                            "date_to": "2025-03-16"}, 201)

        def percent():
            self.calculate(eid, "2025-03")
            return [a["percent"] for a in self.slip(eid, "2025-03")["accruals"] if a["kind"] == "sick_pay"]

        page = self.admin.get("/admin/employees/%d/edit" % eid)
        self.assertIn('name="insurance_years"', page.text)
        base = {"full_name": "Стаж с формы", "hired": "10.01.2022"}
        # out of range: named at the field in Russian, nothing saved
        r = self.form("/admin/employees/%d/edit" % eid, dict(base, insurance_years="81", insurance_months="12"))
        self.assertEqual(r.status, 422, r)
        self.assertIn("Полных лет страхового стажа: целое число от 0 до 80", r.text)
        self.assertIn("Месяцев сверх полных лет: целое число от 0 до 11", r.text)
        self.assertIn('value="81"', r.text)
        self.assertEqual(self.s.psql("SELECT coalesce(insurance_years::text, 'null') FROM employees "
                                     "WHERE id = %d" % eid), "null")
        for years, months, want in (("3", "11", 60), ("6", "6", 80), ("8", "", 100)):
            r = self.form("/admin/employees/%d/edit" % eid, dict(base, insurance_years=years, insurance_months=months))
            self.assertIn(r.status, (302, 303), r)
            self.assertEqual(percent(), [want], (years, months))
        card = self.admin.get("/api/admin/employees/%d" % eid).json()
        self.assertEqual((card["insurance_record"]["years"], card["insurance_record"]["months"]), (8, 0))
        as_of = card["insurance_record"]["as_of"]
        # the edit form shows it; saving other fields keeps its date
        page = self.admin.get("/admin/employees/%d/edit" % eid)
        self.assertIn('name="insurance_years" value="8"', page.text)
        self.s.psql("UPDATE employees SET insurance_as_of = '2024-01-01' WHERE id = %d" % eid)
        r = self.form("/admin/employees/%d/edit" % eid, dict(base, phone="+79120000077", insurance_years="8",
                                                             insurance_months="0"))
        self.assertIn(r.status, (302, 303), r)
        self.assertEqual(self.s.psql("SELECT insurance_as_of FROM employees WHERE id = %d" % eid), "2024-01-01")
        self.assertNotEqual(as_of, "2024-01-01")

    def test_opening_balances_admin_and_exchange(self):
        eid = self.employee("Со старыми остатками", "2024-01-01", external_id="ob-1")
        body = {"as_of": "2024-12-31", "vacation_days_used": 10,
                "months": [{"month": "2024-12", "earnings": "60000.00", "excluded_days": 0}],
                "ndfl": {"year": 2024, "income": "720000.00", "deductions": "0.00", "tax": "93600.00"}}
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid, body)
        self.assertEqual(r.status, 200, r)
        got = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).json()
        self.assertEqual((got["as_of"], got["vacation_days_used"], got["months"], got["ndfl"]),
                         ("2024-12-31", 10, body["months"], body["ndfl"]))
        # a vacation before the balance's date is already in its days
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day) "
                    "VALUES (%d, %d, 9, '2024-07-01', '2024-07-14', true)" % (self.tid, eid))
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-06-30" % eid).json()
        self.assertEqual((b["service_months"], b["used_days"], b["balance"]), (18, 0, "32.0"))  # 42 - 10
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2024-12-31", "months": [{"month": "2025-02", "earnings": "1.00",
                                                               "excluded_days": 0}], "bonus": 1})
        self.assertEqual(r.status, 422, r)
        self.assertIn("months[0].month", r.json()["error"]["fields"])
        self.assertIn("bonus", r.json()["error"]["fields"])
        # the exchange: created, the same again unchanged, a bad item writes nothing
        other = self.employee("Из учётной системы", "2024-03-01", external_id="ob-2")
        item = dict(body, employee="ob-2", vacation_days_used=2.5)
        js = self.exchange("opening-balances", [item])
        self.assertEqual((js["created"], js["updated"], js["unchanged"]), (1, 0, 0))
        js = self.exchange("opening-balances", [item])
        self.assertEqual((js["created"], js["updated"], js["unchanged"]), (0, 0, 1))
        bad = dict(item, months=[{"month": "2024-11", "earnings": "много", "excluded_days": 0}])
        js = self.exchange("opening-balances", [dict(item, vacation_days_used=3), bad], status=422)
        self.assertIn("months[0].earnings", js["error"]["items"]["1"])
        got = self.admin.get("/api/admin/employees/%d/opening-balance" % other).json()
        self.assertEqual(got["vacation_days_used"], 2.5)

    def test_opening_balance_ndfl_and_date_must_be_possible(self):
        # F1, F2, G2: hired 15.01.2024; the 2025 scale gives 13,00 on 100,00, and a ruble a month of
        # rounding to November: at most 24,00
        eid = self.employee("Невозможные остатки", "2024-01-15")
        path = "/api/admin/employees/%d/opening-balance" % eid

        def put(as_of, income, deductions, tax):
            return self.admin.put(path, {"as_of": as_of, "vacation_days_used": 0, "months": [],
                                         "ndfl": {"year": int(as_of[:4]), "income": income,
                                                  "deductions": deductions, "tax": tax}})
        r = put("2025-11-30", "100.00", "0", "1000000.00")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["ndfl.tax"].replace("\u00a0", " "),
                         "Налог больше возможного: по шкале 2025 года налог с 100,00 ₽ (доход за вычетом "
                         "вычетов) — 13,00 ₽; с округлением по выплатам не больше 24,00 ₽")
        r = put("2025-11-30", "100.00", "500.00", "0")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["ndfl.deductions"].replace("\u00a0", " "),
                         "Вычеты не больше дохода (100,00 ₽)")
        r = put("2020-01-01", "0", "0", "0")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["as_of"],
                         "Дата остатков 01.01.2020 — до приёма на работу 15.01.2024: укажите дату не раньше "
                         "приёма")
        r = put("2030-01-01", "0", "0", "0")
        self.assertEqual(r.status, 422, r)
        self.assertIn("Дата остатков 01.01.2030 ещё не наступила", r.json()["error"]["fields"]["as_of"])
        self.assertEqual(self.admin.get(path).status, 404)  # nothing was stored
        # at the bound it is accepted
        self.assertEqual(put("2025-11-30", "100.00", "0", "24.00").status, 200)

    def test_opening_ndfl_tax_follows_the_years_scale(self):
        # G2: 145 200 on 660 000 is 22 %, but the 2025 scale gives 13 % = 85 800; eleven months of
        # rounding allow 85 811,00 and not a kopeck more, in the admin API, the exchange and the CSV
        eid = self.employee("Шкала НДФЛ", "2024-01-15", external_id="scale-1")
        path = "/api/admin/employees/%d/opening-balance" % eid

        def put(tax, income="660000.00", deductions="0", as_of="2025-11-30"):
            return self.admin.put(path, {"as_of": as_of, "vacation_days_used": 0, "months": [],
                                         "ndfl": {"year": int(as_of[:4]), "income": income,
                                                  "deductions": deductions, "tax": tax}})
        r = put("145200.00")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["ndfl.tax"].replace("\u00a0", " "),
                         "Налог больше возможного: по шкале 2025 года налог с 660 000,00 ₽ (доход за "
                         "вычетом вычетов) — 85 800,00 ₽; с округлением по выплатам не больше 85 811,00 ₽")
        self.assertEqual(put("85811.01").status, 422)
        self.assertEqual(put("93612.01", income="720000.00", as_of="2025-12-31").status, 422)  # 93 612 max
        self.assertEqual(put("93612.00", income="720000.00", as_of="2025-12-31").status, 200)
        # deductions lower the base: 13 % of 600 000 = 78 000
        self.assertEqual(put("78005.00", deductions="60000.00").status, 200)
        self.assertEqual(put("85800.00", deductions="60000.00").status, 422)
        # 2024's scale: 13 % up to 5 M
        self.assertEqual(put("78000.00", income="600000.00", as_of="2024-06-30").status, 200)
        self.assertEqual(put("78007.00", income="600000.00", as_of="2024-06-30").status, 422)
        self.assertEqual(put("85811.00").status, 200)
        self.assertEqual(self.admin.get(path).json()["ndfl"]["tax"], "85811.00")
        # the exchange: the same check, nothing written
        item = {"employee": "scale-1", "as_of": "2025-11-30", "vacation_days_used": 0, "months": [],
                "ndfl": {"year": 2025, "income": "600000", "deductions": "0", "tax": "132000"}}
        js = self.exchange("opening-balances", [item], status=422)
        self.assertIn("ndfl.tax", js["error"]["items"]["0"])
        self.assertEqual(self.admin.get(path).json()["ndfl"]["tax"], "85811.00")

    def test_opening_balance_fits_the_employment(self):
        # G4: hired 15.01.2024; by 31.12.2025 24 months of service earned 56 days, and a working
        # year's 28 may have been given in advance: at most 84 used; no month before the hire
        eid = self.employee("Остатки до приёма", "2024-01-15", external_id="hire-1")
        path = "/api/admin/employees/%d/opening-balance" % eid

        def put(days, month="2025-12"):
            return self.admin.put(path, {"as_of": "2025-12-31", "vacation_days_used": days,
                                         "months": [{"month": month, "earnings": "1000.00",
                                                     "excluded_days": 0}]})
        r = put(0, "2023-12")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["months[0].month"],
                         "2023-12 — до приёма на работу 15.01.2024: заработок у этого работодателя "
                         "начинается с месяца приёма")
        r = put(500)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["vacation_days_used"],
                         "Использовано дней отпуска больше возможного: к 31.12.2025 заработано 56 "
                         "(стаж 24 мес.), вместе с отпуском авансом за рабочий год (28) — не больше 84")
        self.assertEqual(put(84.01).status, 422)
        self.assertEqual(self.admin.get(path).status, 404)  # nothing was stored
        self.assertEqual(put(84, "2024-01").status, 200)  # the hire month itself is fine
        # the exchange: the same checks
        item = {"employee": "hire-1", "as_of": "2025-11-30", "vacation_days_used": 0,
                "months": [{"month": "2023-06", "earnings": "50000", "excluded_days": 0}]}
        js = self.exchange("opening-balances", [item], status=422)
        self.assertIn("months[0].month", js["error"]["items"]["0"])
        js = self.exchange("opening-balances", [dict(item, months=[], vacation_days_used=500)], status=422)
        self.assertIn("vacation_days_used", js["error"]["items"]["0"])

    def test_a_closed_month_locks_only_the_results_it_holds(self):
        # an organization that closed January 2025 takes on an employee hired
        # in 2024: their past is entered, the paid employee's is locked
        tid, _, admin = tenant_with_admin(self.s, "moneyclosed")
        five = add_five_day_schedule(self.s, tid)
        paid = add_employee(self.s, tid, "Давно в расчёте", hired="2024-01-01", external_id="lock-paid")
        new = add_employee(self.s, tid, "Пришедший с историей", hired="2024-06-01", external_id="lock-new")
        for path, body in (("/api/admin/employees/%d/pay", {"date_from": "2024-01-01", "rate": "60000.00",
                                                            "pay_by": "days"}),
                           ("/api/admin/employees/%d/schedule-assignments", {"schedule_id": five,
                                                                             "date_from": "2024-01-01"})):
            r = admin.post(path % paid, body)
            self.assertEqual(r.status, 201, r)
        r = admin.post("/api/admin/payroll/2025-01/calculate", {"employees": [paid]})
        self.assertEqual(r.status, 200, r)
        r = admin.post("/api/admin/payroll/2025-01/close", {})
        self.assertEqual(r.status, 200, r)
        # the newcomer's terms, schedule, opening balance and a 2025 vacation
        for path, body in (("/api/admin/employees/%d/pay", {"date_from": "2024-06-01", "rate": "50000.00",
                                                            "pay_by": "days"}),
                           ("/api/admin/employees/%d/schedule-assignments", {"schedule_id": five,
                                                                             "date_from": "2024-06-01"})):
            r = admin.post(path % new, body)
            self.assertEqual(r.status, 201, r)
        balance = {"as_of": "2024-12-31", "vacation_days_used": 0,
                   "months": [{"month": "2024-12", "earnings": "50000.00", "excluded_days": 0}]}
        r = admin.put("/api/admin/employees/%d/opening-balance" % new, balance)
        self.assertEqual(r.status, 200, r)
        r = admin.post("/api/admin/deviations", {"employee_id": new, "code": "ОТ", "date_from": "2025-01-20",
                                                 "date_to": "2025-01-24"})
        self.assertEqual(r.status, 201, r)
        # the same for the employee January paid: 423 naming the month
        r = admin.put("/api/admin/employees/%d/opening-balance" % paid, balance)
        self.assertEqual(r.status, 423, r)
        # trial-break 2's note: a change before the closed month says why it touches it
        self.assertEqual(r.json()["error"]["message"],
                         "Месяц январь 2025 г. закрыт: изменение с 01.12.2024 затронуло бы его расчёт "
                         "(средний заработок, остаток отпуска, НДФЛ с начала года или расчёт этого месяца), "
                         "а закрытый расчёт не меняется. Чтобы внести изменение, откройте месяц.")
        # trial-break3: a bad value is told as such, not as the closed month
        r = admin.put("/api/admin/employees/%d/opening-balance" % paid,
                      dict(balance, vacation_days_used=-5))
        self.assertEqual(r.status, 422, r)
        self.assertIn("vacation_days_used", r.json()["error"]["fields"])
        self.assertNotIn("закрыт", r.json()["error"]["message"])
        r = admin.post("/api/admin/deviations", {"employee_id": paid, "code": "ОТ", "date_from": "2025-01-20",
                                                 "date_to": "2025-01-24"})
        self.assertEqual(r.status, 423, r)
        self.assertIn("январь 2025", r.json()["error"]["message"])
        r = admin.post("/api/admin/employees/%d/pay" % paid, {"date_from": "2025-01-01", "rate": "70000.00",
                                                               "pay_by": "days"})
        self.assertEqual(r.status, 423, r.text[r.text.find("<main"):][:1500])
        # trial-user4 F10: the answer names the month, the page links to it;
        # its reopening says what exactly happens
        self.assertEqual(r.json()["error"]["locked_month"], "2025-01")
        body = urllib.parse.urlencode({"date_from": "01.01.2025", "rate": "70000,00", "pay_by": "days",
                                       "_csrf": admin.csrf}).encode()
        r = admin.post("/admin/employees/%d/pay" % paid, raw=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 423, r)
        self.assertIn('<a href="/admin/payroll/2025-01">Перейти к расчёту месяца, чтобы открыть его</a>',
                      r.text)
        page = admin.get("/admin/payroll/2025-01").text
        self.assertIn("Записанные выплаты и удержанный НДФЛ не удаляются", page)
        self.assertNotIn("обнулится", page)
        # closing recorded no payment: January is still owed in full
        slip = admin.get("/api/admin/payslips/%d/2025-01" % paid).json()
        self.assertEqual((slip["paid"], slip["balance"]), ("0.00", slip["net"]))

        # the employment dates (trial-break 2, 7): a change from a date up to
        # the closed January is refused like the pay terms (the admin API 423
        # naming the date, the exchange 422 at the field); a dismissal in the
        # open February is taken and leaves January's result as it is
        for body, day in (({"hired": "2024-06-01"}, "01.01.2024"), ({"hired": "2023-06-01"}, "01.06.2023"),
                          ({"dismissed": "2025-01-31"}, "31.01.2025")):
            r = admin.put("/api/admin/employees/%d" % paid, body)
            self.assertEqual(r.status, 423, "%r: %r" % (body, r))
            self.assertEqual(r.json()["error"]["message"],
                             "Изменение с %s затрагивает закрытый месяц зарплаты: сначала откройте его" % day)
            self.assertEqual(r.json()["error"]["fields"], {list(body)[0]: r.json()["error"]["message"]})
        key = admin.post("/api/admin/api-keys", {"name": "ЗУП"}).json()["key"]
        for item in ({"external_id": "lock-paid", "hired": "2024-03-01"},
                     {"external_id": "lock-paid", "dismissed": "2024-12-31"}):
            r = Client(self.s, "moneyclosed").request("PUT", "/api/exchange/v1/employees", {"items": [item]},
                                                      headers={"Authorization": "Bearer " + key})
            self.assertEqual(r.status, 422, r)
            field = [k for k in item if k != "external_id"][0]
            self.assertEqual(r.json()["error"]["items"]["0"][field],
                             "Изменение с %s затрагивает закрытый месяц зарплаты: сначала откройте его"
                             % ("01.01.2024" if field == "hired" else "31.12.2024"))
        self.assertEqual(self.s.psql("SELECT hired || ' ' || coalesce(dismissed::text, '-') FROM employees "
                                     "WHERE id = %d" % paid), "2024-01-01 -")
        r = admin.put("/api/admin/employees/%d" % paid, {"dismissed": "2025-02-14"})
        self.assertEqual(r.status, 200, r)
        r = admin.put("/api/admin/employees/%d" % new, {"hired": "2024-07-01"})  # no closed result of theirs
        self.assertEqual(r.status, 200, r)
        doc = admin.get("/api/admin/payroll/2025-01").json()
        self.assertEqual((doc["status"], doc["stale_count"]), ("closed", 0))
        # the February draft of the dismissed employee is stale from the date on
        r = admin.post("/api/admin/payroll/2025-02/calculate", {"employees": [paid]})
        self.assertEqual(r.status, 200, r)
        r = admin.put("/api/admin/employees/%d" % paid, {"dismissed": "2025-02-21"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(admin.get("/api/admin/payroll/2025-02").json()["stale_count"], 1)
        self.assertEqual(admin.get("/api/admin/payroll/2025-01").json()["stale_count"], 0)

    def test_opening_balances_csv(self):
        a = self.employee("Из файла А", "2024-02-01", external_id="csv-a")
        b = self.employee("Из файла Б", "2024-02-01", external_id="csv-b")
        self.s.psql("UPDATE employees SET personnel_number = 'Т-77' WHERE id = %d" % b)
        text = ("personnel_number;as_of;vacation_days_used;month;earnings;excluded_days;ndfl_year;ndfl_income;"
                "ndfl_deductions;ndfl_tax\n"
                "Т-77;2024-12-31;5,5;2024-11;\"60 000,00\";0;2024;660000.00;0;85800.00\n"
                "Т-77;;;2024-12;61000.00;3;;;;\n")
        r = self.admin.request("POST", "/api/admin/opening-balances/csv", raw=text.encode(),
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["created"], 1)
        got = self.admin.get("/api/admin/employees/%d/opening-balance" % b).json()
        self.assertEqual((got["vacation_days_used"], [m["earnings"] for m in got["months"]], got["ndfl"]["tax"]),
                         (5.5, ["60000.00", "61000.00"], "85800.00"))
        # a bad row is named by its row in the file; nothing is written
        text = ("employee,as_of,month,earnings,excluded_days\n"
                "csv-a,2024-12-31,2024-12,60000.00,0\n"
                "csv-a,2024-12-31,2024-11,шестьдесят,0\n")
        r = self.admin.request("POST", "/api/admin/opening-balances/csv", raw=text.encode(),
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("rows[2].months[1].earnings", r.json()["error"]["fields"])
        self.assertEqual(self.admin.get("/api/admin/employees/%d/opening-balance" % a).status, 404)

    def test_vacation_pay_on_the_employees_own_calendar(self):
        # 5.7: a regional holiday inside the vacation is no vacation day, in the pay too
        cal = int(self.s.psql("INSERT INTO calendars (tenant_id, name, region, base_ru) VALUES (%d, "
                              "'Регион', 'Регион', true) RETURNING id" % self.tid))
        r = self.admin.put("/api/admin/calendars/%d/years/2025" % cal,
                           {"days": [{"date": "2025-06-16", "kind": "holiday", "title": "Региональный праздник"}]})
        self.assertEqual(r.status, 200, r)
        regional = int(self.s.psql(
            "INSERT INTO schedules (tenant_id, name, kind, holidays, pattern, calendar_id) VALUES (%d, "
            "'Пятидневка региона', 'week', 'calendar', '%s', %d) RETURNING id" % (self.tid, FIVE_DAYS, cal)))
        eid = self.employee("Отпускник региона", "2024-01-01")
        self.s.psql("UPDATE schedule_assignments SET schedule_id = %d WHERE employee_id = %d" % (regional, eid))
        months = [{"month": "%d-%02d" % (2024 + (m > 12), (m - 1) % 12 + 1), "earnings": "60000.00",
                   "excluded_days": 0} for m in range(6, 18)]
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                           {"as_of": "2025-05-31", "vacation_days_used": 0, "months": months})
        self.assertEqual(r.status, 200, r)
        self.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ", "date_from": "2025-06-09",
                                            "date_to": "2025-06-22"}, 201)
        self.calculate(eid, "2025-06")
        slip = self.slip(eid, "2025-06")
        # 14 days without 12 June (federal) and 16 June (regional): 12 x 2 047.78 = 24 573.36;
        # June has 18 working days on this calendar, 7 of them in the vacation: 60 000 x 11/18
        self.assertEqual([(a["kind"], a.get("days"), a["amount"]) for a in slip["accruals"]],
                         [("salary", None, "36666.67"), ("vacation_pay", 12, "24573.36")])
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-06-30" % eid).json()
        self.assertEqual(b["used_days"], 12)

    # ------------------------------------------------------------ item 4

    def test_accruals_and_material_aid(self):
        eid = self.employee("Премированный", "2024-01-01", external_id="acc-1")
        self.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-01", "kind": "bonus",
                                          "amount": "10 000,00", "title": "за квартал"}, 201)
        self.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-01", "kind": "material_aid",
                                          "amount": "5000.00", "title": "Материальная помощь к отпуску"}, 201)
        self.calculate(eid, "2025-01")
        slip = self.slip(eid, "2025-01")
        self.assertEqual([(a["kind"], a["amount"]) for a in slip["accruals"]],
                         [("salary", "60000.00"), ("bonus", "10000.00"), ("material_aid", "5000.00")])
        self.assertEqual(slip["accruals"][1]["title"], "Премия: за квартал")
        # a title that already names its kind is not prefixed twice
        self.assertEqual(slip["accruals"][2]["title"], "Материальная помощь к отпуску")
        self.assertIn("Премия: за квартал", self.admin.get("/admin/payroll/2025-01/employees/%d" % eid).text)
        # material aid up to 4 000 a year is not taxed: 13 % x 71 000 = 9 230
        self.assertEqual((slip["accrued"], slip["deducted"]), ("75000.00", "9230.00"))
        r = self.admin.post("/api/admin/accruals", {"employee_id": eid, "month": "2023-12", "kind": "bonus",
                                                    "amount": "1.00"})
        self.assertEqual(r.status, 422, r)  # not employed then
        # trial-break 8, 14: an amount payroll cannot carry is refused at its
        # own field with the limits, by the admin API and the exchange
        limits = ("Сумма в рублях: больше 0, не больше 999 999 999,99, копейки — не больше двух знаков: "
                  "10000.00 или 10 000,00")
        for amount in ("9999999999999.99", "1000000000.00", "100.555", "0"):
            r = self.admin.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-02", "kind": "bonus",
                                                        "amount": amount})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["fields"], {"amount": limits}, amount)
        js = self.exchange("accruals", [{"external_id": "b-big", "employee": "acc-1", "month": "2025-02",
                                         "kind": "bonus", "amount": "1000000000.00"}], status=422)
        self.assertEqual(js["error"]["items"]["0"], {"amount": limits})
        for amount in ("100.555", "1e10", "1000000000.00"):
            r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2025-01-31",
                                                        "kind": "salary", "amount": amount})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["fields"]["amount"],
                             "Сумма в рублях: больше 0, не больше 999 999 999,99, копейки — не больше двух "
                             "знаков (10000.00 или 10 000,00), или не указывайте её")
        r = self.admin.post("/api/admin/employees/%d/pay" % eid, {"date_from": "2025-03-01",
                                                                   "rate": "1000000000.00", "pay_by": "days"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("не больше 999 999 999,99", r.json()["error"]["fields"]["rate"])
        self.assertEqual(self.admin.get("/api/admin/accruals?employee_id=%d&month=2025-02" % eid)
                         .json()["accruals"], [])
        js = self.exchange("accruals", [{"external_id": "b-1", "employee": "acc-1", "month": "2025-02",
                                         "kind": "bonus", "amount": "3000.00", "title": "разовая"}])
        self.assertEqual(js["created"], 1)
        js = self.exchange("accruals", [{"external_id": "b-1", "employee": "acc-1", "month": "2025-02",
                                         "kind": "bonus", "amount": "3000.00", "title": "разовая"}])
        self.assertEqual(js["unchanged"], 1)
        listed = self.admin.get("/api/admin/accruals?employee_id=%d&month=2025-02" % eid).json()["accruals"]
        self.assertEqual([(a["amount"], a["external_id"]) for a in listed], [("3000.00", "b-1")])
        # January's 4 000 of aid stays out of the year's income later on: the base
        # is 71 000 + 63 000, tax 13 % x 134 000 = 17 420 less January's 9 230
        self.calculate(eid, "2025-02")
        slip = self.slip(eid, "2025-02")
        self.assertEqual((slip["accrued"], slip["deducted"]), ("63000.00", "8190.00"))

    def test_advance_and_final_settlement(self):
        r = self.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent", "advance_percent": 40})
        self.assertEqual(r.status, 200, r)
        eid = self.employee("Увольняющийся", "2025-01-01", dismissed="2025-10-15")
        self.calculate(eid, *["2025-%02d" % m for m in range(1, 10)])
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-10", "kind": "advance"},
                      201)["payment"]
        self.assertEqual((p["amount"], p["ndfl"]), ("24000.00", "3120.00"))  # 40 % of the rate, 13 %
        self.calculate(eid, "2025-10")
        slip = self.slip(eid, "2025-10")
        # 11 of 23 days worked; 10 months of service -> 23.3 unused days x 2 047.78
        self.assertEqual([(a["kind"], a["amount"]) for a in slip["accruals"]],
                         [("salary", "28695.65"), ("vacation_compensation", "47781.53")])
        # its days: 28/12 a month for 10 months, exact (2 047.78 x 70/3 = 47 781.53)
        self.assertEqual((slip["accruals"][1]["days"], slip["accruals"][1]["unused_days_ru"]), (23.33, "23 1/3"))
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-14", "kind": "final"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("15.10.2025", r.json()["error"]["fields"]["date"])
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-15", "kind": "final"},
                      201)["payment"]
        # the rest of 76 477.18; the month's НДФЛ 9 942 less the advance's 3 120
        self.assertEqual((p["amount"], p["ndfl"]), ("52477.18", "6822.00"))
        slip = self.slip(eid, "2025-10")
        self.assertEqual((slip["accrued"], slip["deducted"], slip["net"], slip["paid"], slip["balance"]),
                         ("76477.18", "9942.00", "66535.18", "66535.18", "0.00"))
        self.assertEqual([x["kind"] for x in slip["payments"]], ["advance", "final"])
        page = self.admin.get("/admin/payroll/2025-10/employees/%d" % eid).text
        for text in ("Компенсация за неиспользованный отпуск", "Аванс", "Окончательный расчёт",
                     "23 1/3 дн. × 2\u00a0047,78\u00a0₽ (неиспользованные дни отпуска)"):
            self.assertIn(text, page)
        # the first half's worked time instead of a percent
        self.admin.put("/api/admin/payroll/settings", {"advance_mode": "first_half"})
        other = self.employee("Авансовый", "2025-01-01")
        p = self.post("/api/admin/payments", {"employee_id": other, "date": "2025-09-15", "kind": "advance"},
                      201)["payment"]
        self.assertEqual(p["amount"], "30000.00")  # 11 of 22 September days
        self.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent"})

    def test_a_payment_never_makes_a_calculated_months_balance_negative(self):
        # F23 and F8: September 2025 calculated in full (22 of 22 days: 60 000,00 accrued)
        self.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent", "advance_percent": 40})
        eid = self.employee("Рассчитанный", "2025-01-01")
        self.calculate(eid, "2025-09")
        # an advance within what is left is paid (40 % of the rate)
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-09-20", "kind": "advance"},
                      201)["payment"]
        self.assertEqual(p["amount"], "24000.00")
        # more than is left (60 000 - 24 000 = 36 000) is refused naming the amount allowed
        f = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-05", "kind": "salary",
                                              "month": "2025-09", "amount": "36000.01"}, 422)["error"]["fields"]
        self.assertEqual(f["amount"].replace("\u00a0", " "),
                         "За сентябрь 2025 г. осталось выплатить не больше 36 000,00 ₽ (до НДФЛ), а указано "
                         "36 000,01 ₽")
        # the rest settles the month; then an advance on top is refused, and so is a second
        # salary for September dated in October, naming September (the month it is for)
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-05", "kind": "salary",
                                              "month": "2025-09"}, 201)["payment"]
        self.assertEqual((p["month"], p["amount"]), ("2025-09", "36000.00"))
        f = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-09-25", "kind": "advance"},
                      422)["error"]["fields"]
        self.assertEqual(f["amount"], "За сентябрь 2025 г. всё уже выплачено")
        f = self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-05", "kind": "salary",
                                              "month": "2025-09"}, 422)["error"]["fields"]
        self.assertEqual(f["amount"], "За сентябрь 2025 г. всё уже выплачено")
        slip = self.slip(eid, "2025-09")
        self.assertEqual((slip["accrued"], slip["balance"]), ("60000.00", "0.00"))
        self.assertEqual([x["kind"] for x in slip["payments"]], ["advance", "salary"])
        # a month not calculated yet takes an advance ahead of its calculation
        self.post("/api/admin/payments", {"employee_id": eid, "date": "2025-10-20", "kind": "advance"}, 201)

    def test_a_payment_in_a_month_without_a_current_result_is_bounded(self):
        # G1: November 2026 not calculated yet: one advance by the rule (40 % of 60 000 = 24 000),
        # no second one and no 999 999; a salary asks for the calculation first
        self.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent", "advance_percent": 40})
        eid = self.employee("Неосторожный аванс", "2025-01-01")
        p = self.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-16", "kind": "advance"},
                      201)["payment"]
        self.assertEqual(p["amount"], "24000.00")
        f = self.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-17", "kind": "advance"},
                      422)["error"]["fields"]
        self.assertEqual(f["amount"].replace("\u00a0", " "),
                         "Аванс за ноябрь 2026 г. — не больше 24 000,00 ₽ по настройке аванса (уже выплачено "
                         "24 000,00 ₽, указано 24 000,00 ₽): месяц ещё не рассчитан; больше можно выплатить "
                         "после расчёта")
        self.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-17", "kind": "advance",
                                          "amount": "999999.00"}, 422)
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-30", "kind": "salary",
                                                    "month": "2026-11", "amount": "1000.00"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("Сначала рассчитайте месяц: расчёт за ноябрь 2026 г. (Неосторожный аванс) ещё не "
                      "выполнен", r.json()["error"]["message"])
        # calculated (20 of 20 days: 60 000): the rest, 36 000, is paid and nothing more
        self.calculate(eid, "2026-11")
        self.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-30", "kind": "salary",
                                          "month": "2026-11", "amount": "36000.01"}, 422)
        self.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-30", "kind": "salary",
                                          "month": "2026-11"}, 201)
        slip = self.slip(eid, "2026-11")
        self.assertEqual((slip["accrued"], slip["paid"], slip["balance"]), ("60000.00", "52200.00", "0.00"))
        # a stale month: July 2026 paid in full, then a deviation makes it stale: no second salary
        # (409) and no advance on top of the last result (422)
        other = self.employee("Устаревший июль", "2025-01-01")
        self.calculate(other, "2026-07")
        self.post("/api/admin/payments", {"employee_id": other, "date": "2026-08-05", "kind": "salary",
                                          "month": "2026-07"}, 201)
        self.post("/api/admin/deviations", {"employee_id": other, "code": "Н", "date": "2026-07-15",
                                            "hours": 1}, 201)
        r = self.admin.post("/api/admin/payments", {"employee_id": other, "date": "2026-08-05",
                                                    "kind": "salary", "month": "2026-07", "amount": "50000.00"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("расчёт за июль 2026 г. (Устаревший июль) устарел", r.json()["error"]["message"])
        f = self.post("/api/admin/payments", {"employee_id": other, "date": "2026-07-20", "kind": "advance"},
                      422)["error"]["fields"]
        self.assertEqual(f["amount"], "За июль 2026 г. всё уже выплачено")
        self.assertEqual(self.slip(other, "2026-07")["balance"], "0.00")
        # an unexcused day's absence, recalculated: the month owes less than was paid: the payslip
        # says so (G1: an overpayment is never silent)
        self.post("/api/admin/deviations", {"employee_id": other, "code": "ПР", "date_from": "2026-07-16",
                                            "date_to": "2026-07-16"}, 201)
        self.calculate(other, "2026-07")
        slip = self.slip(other, "2026-07")
        self.assertTrue(slip["balance"].startswith("-"), slip["balance"])
        self.assertEqual(slip["overpaid"], slip["balance"][1:])
        self.assertIn("Выплачено больше, чем причитается к выплате: переплата", slip["overpaid_message"])
        page = self.admin.get("/admin/payroll/2026-07/employees/%d" % other).text
        self.assertIn("Выплачено больше, чем причитается к выплате", page)

    def test_compensation_days_are_rounded_not_truncated(self):
        # F9: 01.01-20.11.2025 is 11 months of service (20 days of November are over half a month):
        # 28/12 x 11 = 25 2/3 unused days; average 600 000 / (10 x 29.3) = 2 047.78;
        # 2 047.78 x 77/3 = 52 559.69. "days" is 25.67 (half up), not a truncated 25.66
        eid = self.employee("Компенсация", "2025-01-01", dismissed="2025-11-20")
        self.calculate(eid, "2025-11")
        comp = [a for a in self.slip(eid, "2025-11")["accruals"] if a["kind"] == "vacation_compensation"]
        self.assertEqual([(a["days"], a["days_twelfths"], a["unused_days_ru"], a["average_daily"], a["amount"])
                          for a in comp], [(25.67, 308, "25 2/3", "2047.78", "52559.69")])

    def test_regional_pay(self):
        eid = self.employee("Северянин", "2024-01-01", rate="50000.00")
        r = self.admin.post("/api/admin/employees/%d/pay" % eid, {"date_from": "2025-01-01", "rate": "50000.00",
                                                                  "pay_by": "days", "district_coefficient": "1,5",
                                                                  "northern_percent": 50})
        self.assertEqual(r.status, 201, r)
        self.calculate(eid, "2025-03")
        slip = self.slip(eid, "2025-03")
        self.assertEqual([(a["kind"], a["amount"]) for a in slip["accruals"]],
                         [("salary", "50000.00"), ("district_coefficient", "25000.00"),
                          ("northern_allowance", "25000.00")])


if __name__ == "__main__":
    unittest.main()
