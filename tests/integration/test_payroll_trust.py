"""Issue 11 through the real stack: each kind of wrong answer reproduced as
the issue tells it and its right value checked - holiday work planned by the
schedule, stale results, months that have not ended, one rule for codes
sharing a date, dates outside the employment, a document hidden by a posted
timesheet, vacation service and the employee's own calendar, provisional
calendars, illness during a vacation."""
import datetime
import os
import re
import sys
import unittest
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
from stack import FIVE_DAYS, Stack, add_paid_employee, sql_quote, tenant_with_admin  # noqa: E402

DAILY = "[[800,0]]"


def json_text(o):
    import json
    return json.dumps(o, ensure_ascii=False)


class Trust(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("trust").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "trust")
        cls.five = cls.schedule("Пятидневка", "week", "calendar", FIVE_DAYS)
        cls.daily = cls.schedule("Каждый день по 8 ч", "cycle", "ignore", DAILY, "2025-01-01")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # ------------------------------------------------------------ fixtures

    @classmethod
    def schedule(cls, name, kind, holidays, pattern, start=None, calendar=None):
        return int(cls.s.psql(
            "INSERT INTO schedules (tenant_id, name, kind, holidays, cycle_start, pattern, calendar_id) "
            "VALUES (%d, %s, %s, %s, %s, %s, %s) RETURNING id"
            % (cls.tid, sql_quote(name), sql_quote(kind), sql_quote(holidays), sql_quote(start),
               sql_quote(pattern), sql_quote(calendar))))

    def employee(self, name, rate="60000.00", pay_by="days", schedule=None, hired="2024-01-15",
                 dismissed=None, since="2024-01-15"):
        return add_paid_employee(self.s, self.tid, name, schedule or self.five, hired, rate=rate,
                                 pay_by=pay_by, since=since, dismissed=dismissed)

    def calculate(self, month, ids, status=200):
        r = self.admin.post("/api/admin/payroll/%s/calculate" % month, {"employees": ids})
        self.assertEqual(r.status, status, r)
        return r.json()

    def slip(self, eid, month):
        r = self.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def deviation(self, body, status=201):
        r = self.admin.post("/api/admin/deviations", body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def t13_line(self, eid, month):
        r = self.admin.get("/api/admin/t13/%s?ids=%d" % (month, eid))
        self.assertEqual(r.status, 200, r)
        return r.json()["employees"][0]

    # --------------------------------------------------------------- 5.1

    def test_holiday_work_planned_by_the_schedule(self):
        eid = self.employee("Сменщик Май", rate="62000.00", pay_by="hours", schedule=self.daily,
                            hired="2025-01-01", since="2025-01-01")
        self.calculate("2025-05", [eid])
        slip = self.slip(eid, "2025-05")
        self.assertEqual(slip["accrued"], "66000.00")
        self.assertEqual([(a["kind"], a.get("date"), a.get("hours"), a["amount"]) for a in slip["accruals"]],
                         [("salary", None, None, "62000.00"), ("holiday_work", "2025-05-01", 8, "2000.00"),
                          ("holiday_work", "2025-05-09", 8, "2000.00")])
        line = self.t13_line(eid, "2025-05")
        self.assertEqual((line["days"][0]["codes"], line["days"][0]["hours"]), ("РВ", "8"))
        self.assertEqual((line["days"][8]["codes"], line["days"][8]["hours"]), ("РВ", "8"))
        self.assertEqual(line["days"][1]["codes"], "Я")  # 2 May: a transferred day off, an ordinary day
        self.assertEqual(line["total"]["hours"], 248)
        # an РВ document of 8 h on 1 May pays nothing more and the day stays 8 h
        self.deviation({"employee_id": eid, "code": "РВ", "date": "2025-05-01", "hours": 8})
        self.calculate("2025-05", [eid])
        self.assertEqual(self.slip(eid, "2025-05")["accrued"], "66000.00")
        line = self.t13_line(eid, "2025-05")
        self.assertEqual((line["days"][0]["codes"], line["days"][0]["hours"]), ("РВ", "8"))

    # --------------------------------------------------------------- 5.6

    def test_stale_results_are_not_closed(self):
        eid = self.employee("Устаревший Июнь")
        self.calculate("2025-06", [eid])
        self.deviation({"employee_id": eid, "code": "Б", "date_from": "2025-06-16", "date_to": "2025-06-18"})
        doc = self.admin.get("/api/admin/payroll/2025-06").json()
        self.assertEqual([(x["employee_id"], x["reason"]) for x in doc["stale"]], [(eid, "deviation")])
        page = self.admin.get("/admin/payroll/2025-06").text
        self.assertIn("устарел: изменились документы-отклонения", page)
        self.assertTrue([e for e in doc["employees"] if e["id"] == eid][0]["stale"])
        r = self.admin.post("/api/admin/payroll/2025-06/close", {})
        self.assertEqual(r.status, 409, r)
        err = r.json()["error"]
        self.assertEqual(err["code"], "stale")
        self.assertIn("employees.%d" % eid, err["fields"])
        self.calculate("2025-06", [eid])
        # June 2025: 19 working days, 16/19 of 60 000
        self.assertEqual(self.slip(eid, "2025-06")["accruals"][0]["amount"], "50526.32")
        self.assertEqual(self.admin.post("/api/admin/payroll/2025-06/close", {}).status, 200)
        # after closing, the month's inputs are locked
        self.deviation({"employee_id": eid, "code": "ПР", "date_from": "2025-06-25",
                        "date_to": "2025-06-25"}, status=423)
        # reopening June while July is closed: 409 naming July
        self.calculate("2025-07", [eid])
        self.assertEqual(self.admin.post("/api/admin/payroll/2025-07/close", {}).status, 200)
        r = self.admin.post("/api/admin/payroll/2025-06/reopen", {})
        self.assertEqual(r.status, 409, r)
        self.assertIn("июль 2025", r.json()["error"]["message"])
        self.assertEqual(r.json()["error"]["fields"]["later_month"], "2025-07")
        # July reopened, then June reopened and recalculated as it was: nothing
        # July's НДФЛ reads changed, so July stays as it is
        self.assertEqual(self.admin.post("/api/admin/payroll/2025-07/reopen", {}).status, 200)
        self.assertEqual(self.admin.post("/api/admin/payroll/2025-06/reopen", {}).status, 200)
        other = self.employee("Неизменный Июнь")
        self.calculate("2025-06", [eid, other])
        self.calculate("2025-07", [eid, other])
        self.calculate("2025-06", [eid, other])
        self.assertEqual(self.admin.get("/api/admin/payroll/2025-07").json()["stale"], [])
        # a June bonus of one of them: June's income changed, so July's НДФЛ is
        # stale for that employee only
        r = self.admin.post("/api/admin/accruals", {"employee_id": eid, "month": "2025-06", "kind": "bonus",
                                                    "amount": "5000.00", "title": "за июнь"})
        self.assertEqual(r.status, 201, r)
        self.calculate("2025-06", [eid, other])
        doc = self.admin.get("/api/admin/payroll/2025-07").json()
        self.assertEqual([(x["employee_id"], x["reason"]) for x in doc["stale"]], [(eid, "ndfl")])
        # June's draft deleted: July read the June results that are gone
        self.calculate("2025-07", [eid, other])
        self.assertEqual(self.admin.delete("/api/admin/payroll/2025-06").status, 200)
        doc = self.admin.get("/api/admin/payroll/2025-07").json()
        self.assertEqual(sorted((x["employee_id"], x["reason"]) for x in doc["stale"]),
                         sorted([(eid, "ndfl"), (other, "ndfl")]))

    # ---------------------------------------------------------------- 6

    def test_a_month_that_has_not_ended(self):
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()
        month = today.strftime("%Y-%m")
        eid = self.employee("Досрочный")
        self.calculate(month, [eid])
        self.assertIs(self.admin.get("/api/admin/payroll/%s" % month).json().get("not_ended"), True)
        r = self.admin.post("/api/admin/payroll/%s/close" % month, {})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["code"], "early_close")
        # the page asks once, before sending: its close button says so and
        # carries the confirmation
        page = self.admin.get("/admin/payroll/%s" % month).text
        form = re.search(r'<form method="post" action="/admin/payroll/%s/close"[^>]*>.*?</form>' % month, page, re.S)
        self.assertIn("ещё не закончился", form.group(0))
        self.assertIn('name="confirm_early" value="true"', form.group(0))
        self.assertIn("Закрыть досрочно", form.group(0))
        # a page loaded before the month's end still gets the 409: the
        # message once, and the button that confirms
        page = self.admin.post("/admin/payroll/%s/close" % month, raw=("_csrf=%s" % self.admin.csrf).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertIn('name="confirm_early" value="true"', page.text)
        self.assertEqual(page.text.count("Данные оставшихся дней могут измениться"), 1)
        self.assertNotIn("данные его последних дней", page.text)  # no second banner
        r = self.admin.post("/api/admin/payroll/%s/close" % month, {"confirm_early": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.admin.post("/api/admin/payroll/%s/reopen" % month, {}).status, 200)
        self.assertEqual(self.admin.delete("/api/admin/payroll/%s" % month).status, 200)

    # --------------------------------------------------------------- 5a

    def test_codes_that_cannot_share_a_date(self):
        eid = self.employee("Больной Апрель")
        sick = self.deviation({"employee_id": eid, "code": "Б", "date_from": "2025-04-07",
                               "date_to": "2025-04-09"})["deviation"]["id"]
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "С", "date": "2025-04-08",
                                                      "hours": 2})
        self.assertEqual(r.status, 409, r)
        self.assertIn("08.04.2025", r.json()["error"]["message"])
        # the other order
        self.assertEqual(self.admin.delete("/api/admin/deviations/%d" % sick).status, 200)
        self.deviation({"employee_id": eid, "code": "С", "date": "2025-04-08", "hours": 2})
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "Б", "date_from": "2025-04-07",
                                                      "date_to": "2025-04-09"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("08.04.2025", r.json()["error"]["message"])
        # timesheet rows: Б + Я 8 and ОТ + С 3 on one date
        for rows in ([{"code": "Б"}, {"code": "Я", "hours": 8}], [{"code": "ОТ"}, {"code": "С", "hours": 3}]):
            r = self.admin.put("/api/admin/timesheets/%d/2025-04" % eid,
                               {"days": [{"date": "2025-04-10", "rows": rows}]})
            self.assertEqual(r.status, 422, r)
            self.assertIn("days[0].rows", r.json()["error"]["fields"])

    def test_a_day_never_holds_more_than_24_hours_with_its_plan(self):
        # G3: Tuesday 08.04.2025 has 8 planned hours: overtime at most 16 h, counted with the С
        # already entered; the payroll loader's own message names the date as 08.04.2025
        eid = self.employee("Сверхурочный Апрель")
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "С", "date": "2025-04-08",
                                                      "hours": 24})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["hours"],
                         "08.04.2025: по графику 8 ч, вместе со сверхурочными и работой в выходной не больше "
                         "24 ч — не больше 16 ч")
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "С", "date": "2025-04-08",
                                                      "hours": 16.01})
        self.assertEqual(r.status, 422, r)
        self.deviation({"employee_id": eid, "code": "С", "date": "2025-04-08", "hours": 10})
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "С", "date": "2025-04-08",
                                                      "hours": 7})
        self.assertEqual(r.status, 422, r)
        self.assertIn("уже введено 10 ч", r.json()["error"]["fields"]["hours"])
        self.assertIn("не больше 6 ч", r.json()["error"]["fields"]["hours"])
        self.deviation({"employee_id": eid, "code": "С", "date": "2025-04-08", "hours": 6})
        # a document stored before this check (by SQL here): the payroll names the date in Russian
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, whole_day) "
                    "VALUES (%d, %d, 4, '2025-04-09', '2025-04-09', 2400, false)" % (self.tid, eid))
        err = self.calculate("2025-04", [eid], status=422)["error"]
        self.assertIn("09.04.2025: больше 24 часов работы за день", json_text(err["fields"]))
        self.assertNotIn("2025-04-09", json_text(err["fields"]))

    def test_dates_outside_the_employment(self):
        eid = self.employee("Уволенный Март", hired="2024-01-15", dismissed="2025-03-14")
        r = self.admin.put("/api/admin/timesheets/%d/2025-03" % eid,
                           {"days": [{"date": "2025-03-20", "rows": [{"code": "Я", "hours": 8}]}]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("20.03.2025", r.json()["error"]["fields"]["days[0].date"])
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "С", "date": "2025-03-20",
                                                      "hours": 2})
        self.assertEqual(r.status, 422, r)
        self.assertIn("20.03.2025", r.json()["error"]["fields"]["date"])
        r = self.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "ОТ",
                                                      "date_from": "2024-01-10", "date_to": "2024-01-20"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("10.01.2024", r.json()["error"]["fields"]["date_from"])

    def test_a_document_a_posted_timesheet_hides(self):
        eid = self.employee("Табельный Март")
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-03/fill" % eid, {}).status, 200)
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-03/post" % eid, {}).status, 200)
        self.calculate("2025-03", [eid])
        out = self.deviation({"employee_id": eid, "code": "Б", "date_from": "2025-03-18",
                              "date_to": "2025-03-19"})
        [w] = out["warnings"]
        self.assertEqual(w["code"], "posted_timesheet")
        self.assertEqual(w["dates"], ["2025-03-18", "2025-03-19"])
        self.assertIn("18.03.2025, 19.03.2025", w["message"])
        self.assertEqual(w["refill"], "/api/admin/timesheets/%d/2025-03/refill" % eid)
        doc = self.admin.get("/api/admin/payroll/2025-03").json()
        self.assertIn(eid, [x["employee_id"] for x in doc["stale"]])
        r = self.admin.post(w["refill"], {})
        self.assertEqual(r.status, 200, r)
        days = {d["date"]: d["codes"] for d in r.json()["days"]}
        self.assertEqual((r.json()["status"], days["2025-03-18"]), ("draft", "Б"))

    # ------------------------------------------------------------ 5.2, 5.3, 5.7

    def test_vacation_service_without_unpaid_leave(self):
        eid = self.employee("Без содержания", hired="2025-01-01", since="2025-01-01")
        self.deviation({"employee_id": eid, "code": "ДО", "date_from": "2025-03-01", "date_to": "2025-03-31"})
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-12-31" % eid).json()
        self.assertEqual((b["balance"], b["service_months"], b["excluded_days"]), ("25.7", 11, 17))
        # truancy is out of the service too
        self.deviation({"employee_id": eid, "code": "ПР", "date_from": "2025-06-02", "date_to": "2025-06-02"})
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-12-31" % eid).json()
        self.assertEqual(b["excluded_days"], 18)

    def test_provisional_calendar_for_2027(self):
        eid = self.employee("Январский отпуск", hired="2025-01-01", since="2025-01-01")
        self.deviation({"employee_id": eid, "code": "ОТ", "date_from": "2027-01-01", "date_to": "2027-01-10"})
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2027-01-31" % eid).json()
        self.assertEqual(b["used_days"], 2)
        self.assertEqual(b["provisional_calendar"], [2027])
        self.assertIn("Импортируйте", b["calendar_warnings"][0])
        doc = self.calculate("2027-02", [eid])
        self.assertEqual(doc["provisional_calendar"], [2027])
        r = self.admin.get("/api/admin/t13/2027-01?ids=%d" % eid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["provisional_calendar"], [2027])
        self.assertEqual(r.json()["employees"][0]["days"][0]["codes"], "ОТ")
        # the calendars page offers the year as provisional, with the import
        page = self.admin.get("/admin/calendars")
        self.assertIn("предварительный", page.text)
        self.assertIn('enctype="multipart/form-data"', page.text)

    def test_the_employees_own_calendar(self):
        cal = int(self.s.psql("INSERT INTO calendars (tenant_id, name, region, base_ru) VALUES (%d, "
                              "'Татарстан', 'Татарстан', true) RETURNING id" % self.tid))
        r = self.admin.put("/api/admin/calendars/%d/years/2025" % cal,
                           {"days": [{"date": "2025-06-06", "kind": "holiday", "title": "Курбан-байрам"}]})
        self.assertEqual(r.status, 200, r)
        regional = self.schedule("Пятидневка РТ", "week", "calendar", FIVE_DAYS, calendar=cal)
        eid = self.employee("Казанский", schedule=regional)
        self.deviation({"employee_id": eid, "code": "ОТ", "date_from": "2025-06-02", "date_to": "2025-06-15"})
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-06-30" % eid).json()
        self.assertEqual(b["used_days"], 12)  # 14 days without 6 and 12 June
        line = self.t13_line(eid, "2025-06")
        self.assertEqual(line["days"][5]["codes"], "ОТ")

    def test_illness_during_a_vacation(self):
        eid = self.employee("Заболевший в отпуске", hired="2024-01-01", since="2024-01-01")
        vac = self.deviation({"employee_id": eid, "code": "ОТ", "date_from": "2025-08-04",
                              "date_to": "2025-08-17"})["deviation"]["id"]
        self.deviation({"employee_id": eid, "code": "Б", "date_from": "2025-08-11", "date_to": "2025-08-13"})
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-08-31" % eid).json()
        self.assertEqual((b["used_days"], b["returned_days"]), (11, 3))
        line = self.t13_line(eid, "2025-08")
        self.assertEqual([line["days"][i]["codes"] for i in (9, 10, 13)], ["ОТ", "Б", "ОТ"])
        # extending instead: the vacation's end moves by the 3 days
        other = self.employee("Продливший отпуск", hired="2024-01-01", since="2024-01-01")
        vac = self.deviation({"employee_id": other, "code": "ОТ", "date_from": "2025-08-04",
                              "date_to": "2025-08-17"})["deviation"]["id"]
        out = self.deviation({"employee_id": other, "code": "Б", "date_from": "2025-08-11",
                              "date_to": "2025-08-13", "vacation": "extend"})
        self.assertEqual(out["extended"], [{"id": vac, "date_to": "2025-08-20"}])
        b = self.admin.get("/api/admin/employees/%d/vacation-balance?date=2025-08-31" % other).json()
        self.assertEqual(b["used_days"], 14)
        # a vacation over a sick leave is still refused
        r = self.admin.post("/api/admin/deviations", {"employee_id": other, "code": "ДО",
                                                      "date_from": "2025-08-12", "date_to": "2025-08-12"})
        self.assertEqual(r.status, 409, r)


if __name__ == "__main__":
    unittest.main()
