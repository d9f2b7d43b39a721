"""НДФЛ by the income date (issue 11 item 4, payroll.md "Income tax") through
the real stack: the income of salary is the day it is paid (Tax Code art. 223
p. 2 since 2023), the tax is withheld from each payment, cumulative over the
calendar year of the payment's date. Hand-computed cases: a high earner paid
an advance on the 25th and the rest on the 10th of the next month (the
December salary paid in January is 2026's income at 13 %, and the income
certificates of both years say so), a child deduction whose 450 000 limit is
crossed in the month the money is paid, material aid paid in two parts (4 000
exempt once). The organization that records no payments keeps its results
(test_payroll.py, test_payroll_money.py)."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Stack  # noqa: E402
from test_certificates import one_line, pdf_text  # noqa: E402


def next_month(m):
    y, mm = int(m[:4]), int(m[5:])
    return "%04d-%02d" % (y + mm // 12, mm % 12 + 1)


class NdflDates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("ndfldates").__enter__()
        cls.o = Org(cls.s, "ndfl", "ООО «Выплаты»")
        r = cls.o.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent", "advance_percent": 40})
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def rate(self, who, rate):
        self.s.psql("UPDATE employee_pay SET rate = %s WHERE employee_id = %d" % (rate, self.o.id[who]))

    def calculate(self, eid, month):
        r = self.o.admin.post("/api/admin/payroll/%s/calculate" % month, {"employees": [eid]})
        self.assertEqual(r.status, 200, r)

    def pay(self, eid, date, kind, amount=None):
        body = {"employee_id": eid, "date": date, "kind": kind}
        if amount:
            body["amount"] = amount
        r = self.o.admin.post("/api/admin/payments", body)
        self.assertEqual(r.status, 201, r)
        p = r.json()["payment"]
        return p["amount"], p["ndfl"]

    def slip(self, eid, month):
        r = self.o.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        s = r.json()
        return s["accrued"], s["deducted"], s["balance"]

    def certificate(self, who, year):
        o = self.o
        r = o[who].post("/api/requests", {"type": "certificate_ndfl", "year": year})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        t = o.task("P", rid, "execution")
        self.assertEqual(o["P"].post("/api/tasks/%d/take" % t, {}).status, 200)
        r = o["P"].post("/api/tasks/%d/complete" % t, {"comment": "готово"})
        self.assertEqual(r.status, 200, r)
        r = o[who].get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, 200, r)
        text = pdf_text(r.body).replace("\u00a0", " ")
        rows = re.findall(r"^\s*(\d\d)\s+(\d{4})\s+([\d ]+,\d\d)", text, re.M)
        return rows, one_line(text)

    def test_high_earner_paid_on_the_tenth_of_the_next_month(self):
        """250 000 a month in 2025, the advance (40 %) on the 25th, the rest on
        the 10th of the next month."""
        eid = self.o.id["E1"]
        self.rate("E1", 250000)
        taxes = {}
        for m in range(1, 13):
            month = "2025-%02d" % m
            self.calculate(eid, month)
            taxes[month] = [self.pay(eid, month + "-25", "advance")]
            if m == 12:
                # unpaid yet: the rest is taken as paid on 31 December, 2025's income
                self.assertEqual(self.slip(eid, month), ("250000.00", "37500.00", "127500.00"))
            taxes[month].append(self.pay(eid, next_month(month) + "-10", "salary"))
        adv, sal = ("100000.00", "13000.00"), ("150000.00", "19500.00")
        # January's income is only its advance (no December 2024 here): the year to
        # date by payment dates is 100 000 + 250 000 a month, 13 % up to 2 400 000
        for m in range(1, 10):
            self.assertEqual(taxes["2025-%02d" % m], [adv, sal], m)
            self.assertEqual(self.slip(eid, "2025-%02d" % m), ("250000.00", "32500.00", "0.00"))
        # 2 350 000 after the October advance; the October salary paid 10 November
        # crosses 2 400 000: 312 000 + 15 % x 100 000 - 305 500 = 21 500
        self.assertEqual(taxes["2025-10"], [adv, ("150000.00", "21500.00")])
        self.assertEqual(self.slip(eid, "2025-10"), ("250000.00", "34500.00", "0.00"))
        self.assertEqual(taxes["2025-11"], [("100000.00", "15000.00"), ("150000.00", "22500.00")])
        self.assertEqual(self.slip(eid, "2025-11"), ("250000.00", "37500.00", "0.00"))
        # the December rest paid on 10 January 2026 is January 2026's income: 13 %
        self.assertEqual(taxes["2025-12"], [("100000.00", "15000.00"), ("150000.00", "19500.00")])
        self.assertEqual(self.slip(eid, "2025-12"), ("250000.00", "34500.00", "0.00"))

        rows, line = self.certificate("E1", 2025)
        self.assertEqual(rows, [("01", "2000", "100 000,00")] +
                         [("%02d" % m, "2000", "250 000,00") for m in range(2, 13)])
        self.assertIn("Общая сумма дохода 2 850 000,00", line)
        self.assertIn("Налоговая база 2 850 000,00", line)
        # 312 000 + 15 % x 450 000, each payment's tax added up
        self.assertIn("Сумма налога исчисленная 379 500,00", line)
        self.assertIn("Сумма налога удержанная 379 500,00", line)
        self.assertIn("Ставка налога, % 13, 15", line)
        rows, line = self.certificate("E1", 2026)
        self.assertEqual(rows, [("01", "2000", "150 000,00")])
        self.assertIn("Сумма налога исчисленная 19 500,00", line)
        self.assertIn("Сумма налога удержанная 19 500,00", line)
        self.assertIn("Ставка налога, % 13 ", line)

        # a month recalculated as it was marks nothing; one whose income
        # changed marks the later months of the year stale
        self.calculate(eid, "2025-10")
        self.assertEqual(self.o.admin.get("/api/admin/payroll/2025-11").json()["stale"], [])
        r = self.o.admin.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-10",
                                                      "kind": "bonus", "amount": "1000.00"})
        self.assertEqual(r.status, 201, r)
        self.calculate(eid, "2025-10")
        doc = self.o.admin.get("/api/admin/payroll/2025-11").json()
        self.assertEqual([(x["employee_id"], x["reason"]) for x in doc["stale"]], [(eid, "ndfl")])

    def test_child_deduction_limit_crossed_in_the_month_paid(self):
        """100 000 a month, one child (1 400), the salary paid on the 10th of
        the next month: the year's income by payment dates passes 450 000 with
        the May salary paid on 10 June, not with May's accrual."""
        eid = self.o.id["E2"]
        self.rate("E2", 100000)
        r = self.o.admin.put("/api/admin/employees/%d/ndfl-children" % eid,
                             {"children": [{"order": 1, "from": "2024-01-01"}]})
        self.assertEqual(r.status, 200, r)
        self.calculate(eid, "2025-01")
        # unpaid: January's rest as paid on 31 January: 13 % x (100 000 - 1 400)
        self.assertEqual(self.slip(eid, "2025-01"), ("100000.00", "12818.00", "87182.00"))
        taxes = []
        for m in range(1, 7):
            month = "2025-%02d" % m
            if m > 1:
                self.calculate(eid, month)
            taxes.append(self.pay(eid, next_month(month) + "-10", "salary")[1])
        # 10 February: 100 000 less January's and February's 1 400 -> 12 636;
        # then 13 % x (200 000 - 4 200) - 12 636 = 12 818, and so on to May;
        # 10 June: 500 000 > 450 000, June gets no deduction: 13 % x (500 000 -
        # 7 000) - 51 090 = 13 000; 10 July the same
        self.assertEqual(taxes, ["12636.00", "12818.00", "12818.00", "12818.00", "13000.00", "13000.00"])
        self.assertEqual(self.slip(eid, "2025-01"), ("100000.00", "12636.00", "0.00"))
        self.assertEqual(self.slip(eid, "2025-05"), ("100000.00", "13000.00", "0.00"))

    def test_child_deduction_of_the_known_months_only_and_on_the_payslip(self):
        """Trial-user 4, F4: the service computes only November 2024 (no earlier
        month, no opening balance) for an employee with a child since 2023: the
        deduction is November's 1 400 (code 126), not 11 x 1 400 for months whose
        income nobody told the service; both payslips show it as the НДФЛ part."""
        eid = self.o.id["M"]
        self.rate("M", 70000)
        r = self.o.admin.put("/api/admin/employees/%d/ndfl-children" % eid,
                             {"children": [{"order": 1, "from": "2023-05-01"}]})
        self.assertEqual(r.status, 200, r)
        self.calculate(eid, "2024-11")
        # 13 % x (70 000 - 1 400) = 8 918 (not 13 % x (70 000 - 15 400) = 7 098)
        self.assertEqual(self.slip(eid, "2024-11"), ("70000.00", "8918.00", "61082.00"))
        slip = self.o.admin.get("/api/admin/payslips/%d/2024-11" % eid).json()
        self.assertEqual([(d["code"], d["amount"]) for d in slip["tax_deductions"]], [(126, "1400.00")])
        self.assertEqual(slip["deductions"][0]["note"].replace("\u00a0", " "), "Вычеты: код 126 — 1 400,00 ₽")
        page = self.o.admin.get("/admin/payroll/2024-11/employees/%d" % eid).text.replace("\u00a0", " ")
        self.assertIn("Вычеты: код 126 — 1 400,00 ₽", page)
        # the month's warning says what a missing opening balance does to the deductions
        warn = self.o.admin.get("/api/admin/payroll/2024-11").json()["openbal_missing"]["text_ru"]
        self.assertIn("вычеты на детей — только с месяца, с которого сервис считает зарплату", warn)
        # the October computed later is known too: it gets its own 1 400
        self.calculate(eid, "2024-10")
        self.assertEqual(self.slip(eid, "2024-10"), ("70000.00", "8918.00", "61082.00"))
        # November, stale after October, computed again: 13 % x (140 000 - 2 800) - 8 918
        self.calculate(eid, "2024-11")
        self.assertEqual(self.slip(eid, "2024-11"), ("70000.00", "8918.00", "61082.00"))
        r = self.o.admin.post("/api/admin/payroll/2024-11/close")
        self.assertEqual(r.status, 200, r)
        own = self.o["M"].get("/api/payslips/2024-11")
        self.assertEqual(own.status, 200, own)
        self.assertEqual([(d["code"], d["amount_ru"].replace("\u00a0", " ")) for d in own.json()["tax_deductions"]],
                         [(126, "1 400,00 ₽")])

    def test_material_aid_paid_in_two_parts(self):
        """60 000 a month, material aid 10 000 in March; January and February
        paid on their last days (no payments recorded), March's salary and aid
        paid in two parts in April: the first 4 000 of aid is exempt once."""
        eid = self.o.id["E3"]
        r = self.o.admin.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-03",
                                                      "kind": "material_aid", "amount": "10000.00"})
        self.assertEqual(r.status, 201, r)
        for m in ("2025-01", "2025-02", "2025-03"):
            self.calculate(eid, m)
        # the rest as paid on 31 March: 13 % x (70 000 - 4 000)
        self.assertEqual(self.slip(eid, "2025-03"), ("70000.00", "8580.00", "61420.00"))
        # 65 000 = the salary and 5 000 of the aid (paid last): 61 000 taxable,
        # 13 % x 181 000 - 15 600 = 7 930; the other 5 000 of aid all taxable: 650
        self.assertEqual(self.pay(eid, "2025-04-05", "salary", "65000.00"), ("65000.00", "7930.00"))
        self.assertEqual(self.pay(eid, "2025-04-10", "salary"), ("5000.00", "650.00"))
        self.assertEqual(self.slip(eid, "2025-03"), ("70000.00", "8580.00", "0.00"))

    def test_certificate_counts_what_was_paid_by_its_kind(self):
        """The trial of issue 11: hired 01.09.2026, 60 000 a month; a vacation
        16-29.11.2026 (14 days x 2 047,78 = 28 668,92: 120 000 / 58,6 of
        September and October), so November accrues 30 000 (10 of 20 days)
        + 28 668,92; the advance 24 000 (40 %) paid 20.11, the vacation pay
        not recorded, the rest paid 01.12. September and October have no
        payments: paid on their last days (7 800 each)."""
        o = Org(self.s, "ndflkind", "ООО «Отпуск»", hired="2026-09-01")
        r = o.admin.put("/api/admin/payroll/settings", {"advance_mode": "percent", "advance_percent": 40})
        self.assertEqual(r.status, 200, r)
        eid = o.id["S"]
        r = o.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ",
                                                   "date_from": "2026-11-16", "date_to": "2026-11-29"})
        self.assertEqual(r.status, 201, r)
        for month in ("2026-09", "2026-10", "2026-11"):
            r = o.admin.post("/api/admin/payroll/%s/calculate" % month, {"employees": [eid]})
            self.assertEqual(r.status, 200, r)
            if month == "2026-11":
                r = o.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2026-11-20",
                                                         "kind": "advance"})
                self.assertEqual(r.status, 201, r)
                # 13 % x 144 000 - 15 600
                self.assertEqual((r.json()["payment"]["amount"], r.json()["payment"]["ndfl"]),
                                 ("24000.00", "3120.00"))
            r = o.admin.post("/api/admin/payroll/%s/close" % month)
            self.assertEqual(r.status, 200, r)
        r = o.admin.get("/api/admin/payslips/%d/2026-11" % eid)
        self.assertEqual(r.status, 200, r)
        # the month's tax: 13 % x 178 668,92 = 23 227 - 15 600 = 7 627, of which
        # 3 120 withheld from the advance and 4 507 to withhold from the rest
        self.assertEqual((r.json()["accrued"], r.json()["deducted"]), ("58668.92", "7627.00"))
        self.assertEqual(r.json()["deductions"][0]["title"].replace("\u00a0", " "),
                         "НДФЛ (удержан из выплат 3 120,00 ₽, будет удержан при выплате остатка 4 507,00 ₽)")

        def cert():
            r = o["S"].post("/api/requests", {"type": "certificate_ndfl", "year": 2026})
            self.assertEqual(r.status, 201, r)
            rid = r.json()["id"]
            t = o.task("P", rid, "execution")
            self.assertEqual(o["P"].post("/api/tasks/%d/take" % t, {}).status, 200)
            r = o["P"].post("/api/tasks/%d/complete" % t, {"comment": "готово"})
            self.assertEqual(r.status, 200, r)
            r = o["S"].get("/api/requests/%d/document" % rid)
            self.assertEqual(r.status, 200, r)
            text = pdf_text(r.body).replace("\u00a0", " ")
            return re.findall(r"^\s*(\d\d)\s+(\d{4})\s+([\d ]+,\d\d)", text, re.M), one_line(text)

        # before the rest is paid: November's income is the advance only, the
        # tax withheld is what the payments withheld; the rest is said apart
        rows, line = cert()
        self.assertEqual(rows, [("09", "2000", "60 000,00"), ("10", "2000", "60 000,00"),
                                ("11", "2000", "24 000,00")])
        self.assertIn("Общая сумма дохода 144 000,00", line)
        self.assertIn("Сумма налога исчисленная 18 720,00", line)
        self.assertIn("Сумма налога удержанная 18 720,00", line)
        self.assertIn("Сумма налога, не удержанная налоговым агентом 0,00", line)
        self.assertIn("Начислено за ноябрь и ещё не выплачено: 34 668,92 ₽, НДФЛ с этой суммы "
                      "4 507,00 ₽ будет удержан при выплате", line)

        # the rest paid 01.12: December's income; the advance paid the salary
        # (2000), the rest the salary's other 6 000 and the vacation pay (2012)
        r = o.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2026-12-01", "kind": "salary"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["payment"]["amount"], r.json()["payment"]["ndfl"]), ("34668.92", "4507.00"))
        rows, line = cert()
        self.assertEqual(rows, [("09", "2000", "60 000,00"), ("10", "2000", "60 000,00"),
                                ("11", "2000", "24 000,00"), ("12", "2000", "6 000,00"),
                                ("12", "2012", "28 668,92")])
        self.assertIn("Общая сумма дохода 178 668,92", line)
        self.assertIn("Сумма налога исчисленная 23 227,00", line)
        self.assertIn("Сумма налога удержанная 23 227,00", line)
        self.assertNotIn("ещё не выплачено", line)

    def test_certificate_after_an_opening_balance_and_a_month_closed_early(self):
        """trial-user 1 and 17, by hand: 60 000 a month (13 %), an opening
        balance as of 01.11.2026 (the year so far: 600 000 income, 78 000
        tax). November, paid on its last day 30.11 (no payments recorded),
        is the service's income: 660 000, tax 13 % = 85 800 (7 800 of it
        November's). December closed early on 01.12: on the certificate of
        01.12.2026 it is not paid yet, so neither income nor withheld tax -
        it is said apart (60 000, 7 800 to withhold). The certificate of
        10.01.2027 has it: 720 000, tax 93 600."""
        o = Org(self.s, "ndflob", "ООО «Остатки»", hired="2025-06-16")
        eid = o.id["S"]
        r = o.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                        {"as_of": "2026-11-01", "vacation_days_used": 0,
                         "months": [{"month": "2026-%02d" % m, "earnings": "60000.00", "excluded_days": 0}
                                    for m in range(1, 11)],
                         "ndfl": {"year": 2026, "income": "600000.00", "deductions": "0.00",
                                  "tax": "78000.00"}})
        self.assertEqual(r.status, 200, r)
        try:
            self.assertEqual(self.s.http("POST", "/api/debug/clock", {"now": "2026-12-01T06:00:00Z"}).status, 200)
            for month in ("2026-11", "2026-12"):
                r = o.admin.post("/api/admin/payroll/%s/calculate" % month, {"employees": [eid]})
                self.assertEqual(r.status, 200, r)
                r = o.admin.post("/api/admin/payroll/%s/close" % month, {"confirm_early": month == "2026-12"})
                self.assertEqual(r.status, 200, r)
            r = o.admin.get("/api/admin/payslips/%d/2026-11" % eid)
            self.assertEqual((r.json()["accrued"], r.json()["deducted"]), ("60000.00", "7800.00"))
            r = o.admin.get("/api/admin/payslips/%d/2026-12" % eid)
            self.assertEqual((r.json()["accrued"], r.json()["deducted"]), ("60000.00", "7800.00"))

            def cert():
                r = o["S"].post("/api/requests", {"type": "certificate_ndfl", "year": 2026})
                self.assertEqual(r.status, 201, r)
                rid = r.json()["id"]
                t = o.task("P", rid, "execution")
                self.assertEqual(o["P"].post("/api/tasks/%d/take" % t, {}).status, 200)
                r = o["P"].post("/api/tasks/%d/complete" % t, {"comment": "готово"})
                self.assertEqual(r.status, 200, r)
                r = o["S"].get("/api/requests/%d/document" % rid)
                self.assertEqual(r.status, 200, r)
                text = pdf_text(r.body).replace("\u00a0", " ")
                return re.findall(r"^\s*(\d\d)\s+(\d{4})\s+([\d ]+,\d\d)", text, re.M), one_line(text)

            rows, line = cert()
            self.assertEqual(rows, [("11", "2000", "60 000,00")])
            self.assertIn("Общая сумма дохода 660 000,00", line)
            self.assertIn("Налоговая база 660 000,00", line)
            self.assertIn("Сумма налога исчисленная 85 800,00", line)
            self.assertIn("Сумма налога удержанная 85 800,00", line)
            self.assertIn("Сумма налога, не удержанная налоговым агентом 0,00", line)
            self.assertIn("Начислено за декабрь и ещё не выплачено: 60 000,00 ₽, НДФЛ с этой суммы "
                          "7 800,00 ₽ будет удержан при выплате", line)

            self.assertEqual(self.s.http("POST", "/api/debug/clock", {"now": "2027-01-10T06:00:00Z"}).status, 200)
            rows, line = cert()
            self.assertEqual(rows, [("11", "2000", "60 000,00"), ("12", "2000", "60 000,00")])
            self.assertIn("Общая сумма дохода 720 000,00", line)
            self.assertIn("Сумма налога исчисленная 93 600,00", line)
            self.assertIn("Сумма налога удержанная 93 600,00", line)
            self.assertNotIn("ещё не выплачено", line)
        finally:
            self.s.http("POST", "/api/debug/clock", {"now": None})


if __name__ == "__main__":
    unittest.main()
