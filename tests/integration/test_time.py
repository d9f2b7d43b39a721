"""Time through the real stack: production calendars (norms, edits, import and
export, copies for a region), work schedules and their year, assignments and
individual schedules, deviation documents (overlaps refused naming both),
timesheets (fill, edit, warnings, post), the T-13 report as JSON, XLSX and an
admin page; bad input answered 422 naming the field; roles and tenants."""
import datetime
import io
import os
import sys
import unittest
import urllib.parse
import zipfile
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Client, Stack, add_employee, add_session, add_user, tenant_with_admin  # noqa: E402

FIVE_DAY = [{"hours": 8}] * 5 + [{"hours": 0}] * 2


class Time(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("time").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "vremya", "ООО «Время»")
        cls.bid, _, cls.other = tenant_with_admin(cls.s, "drugaya", "ООО «Другая»")
        cls.ivanov = add_employee(cls.s, cls.tid, "Иванов Иван Иванович", personnel_number="0001",
                                  position="Инженер")
        cls.petrov = add_employee(cls.s, cls.tid, "Петров Пётр Петрович", personnel_number="0002")
        cls.sidorova = add_employee(cls.s, cls.tid, "Сидорова Анна Павловна", personnel_number="0003")
        uid = add_user(cls.s, cls.tid, "Обычный Сотрудник", employee_id=cls.petrov)
        token, csrf = add_session(cls.s, cls.tid, uid)
        cls.employee = Client(cls.s, "vremya", token, csrf)
        r = cls.admin.post("/api/admin/schedules", {"name": "Пятидневка 40", "kind": "week", "days": FIVE_DAY})
        assert r.status == 201, r
        cls.five = r.json()["schedule"]["id"]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def fields(self, r, status=422):
        self.assertEqual(r.status, status, r)
        return r.json()["error"].get("fields", {})

    # ------------------------------------------------------------ calendars

    def test_calendar_year_norms(self):
        r = self.admin.get("/api/admin/calendars")
        self.assertEqual(r.status, 200, r)
        cals = r.json()["calendars"]
        self.assertEqual(cals[0]["name"], "Российская Федерация")
        self.assertIn(2025, r.json()["reference_years"])
        self.assertIn(2025, cals[0]["years"])
        y = self.admin.get("/api/admin/calendars/0/years/2025").json()
        self.assertEqual(y["norms"]["w40"]["days"], 247)
        self.assertEqual(y["norms"]["w40"]["hours"], 1972)
        self.assertEqual(y["norms"]["w36"]["hours"], 1774.4)
        self.assertEqual(y["norms"]["w36"]["hours_ru"], "1774,4")
        self.assertEqual(y["norms"]["w24"]["hours"], 1181.6)
        april = y["months"][3]
        self.assertEqual(april["norms"]["w40"]["days"], 22)
        self.assertEqual(april["norms"]["w40"]["hours"], 175)
        self.assertTrue(april["days"][29].get("short"))
        # a year after the last official one: the Labor Code's provisional calendar
        # (payroll.md), marked with a call to import; before the first: 404 naming it
        r = self.admin.get("/api/admin/calendars/0/years/2199")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["provisional"])
        self.assertIn("2199", r.json()["provisional_note"])
        self.assertIn("Импортируйте", r.json()["provisional_note"])
        r = self.admin.get("/api/admin/calendars/0/years/2010")
        self.assertEqual(r.status, 404, r)
        self.assertIn("на 2010 год не загружен", r.json()["error"]["message"])

    def test_calendar_edit_copy_import_export(self):
        # a copy for a region, then an extra regional holiday changes its norms only
        r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Татарстан", "region": "16"})
        self.assertEqual(r.status, 201, r)
        cid = r.json()["calendar"]["id"]
        self.assertEqual(r.json()["calendar"]["region"], "16")
        r = self.admin.put("/api/admin/calendars/%d/years/2025" % cid, {"days": [
            {"date": "2025-03-31", "kind": "holiday", "title": "Ураза-байрам"}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["norms"]["w40"]["days"], 246)
        self.assertEqual(r.json()["norms"]["w40"]["hours"], 1964)
        base = self.admin.get("/api/admin/calendars/0/years/2025").json()
        self.assertEqual(base["norms"]["w40"]["days"], 247)
        self.assertEqual(self.admin.post("/api/admin/calendars/0/copy", {"name": "Татарстан"}).status, 422)

        # export of the shipped year, import into the copy, export again: same text
        r = self.admin.get("/api/admin/calendars/0/years/2025/export.xml")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("application/xml"))
        self.assertIn("attachment", r.headers["Content-Disposition"])
        xml = r.body
        self.assertIn(b'<calendar year="2025"', xml)
        r = self.admin.post("/api/admin/calendars/%d/import" % cid, raw=xml,
                            headers={"Content-Type": "application/xml"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["norms"]["w40"]["days"], 247)
        again = self.admin.get("/api/admin/calendars/%d/years/2025/export.xml" % cid)
        self.assertEqual(again.body, xml)
        # the shipped file itself imports as the JSON "xml" argument
        with open(os.path.join(ROOT, "sql", "calendars", "ru", "2024.xml"), encoding="utf-8") as f:
            r = self.admin.post("/api/admin/calendars/%d/import" % cid, {"xml": f.read()})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["year"], 2024)
        self.assertEqual(r.json()["norms"]["w40"]["hours"], 1979)
        # a multipart upload of the file, as a browser form sends it
        boundary = "----cabinet-test-boundary"
        with open(os.path.join(ROOT, "sql", "calendars", "ru", "2023.xml"), "rb") as f:
            data = f.read()
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2023.xml\"\r\n"
                 "Content-Type: application/xml\r\n\r\n" % boundary).encode() + data +
                ("\r\n--%s--\r\n" % boundary).encode())
        r = self.admin.post("/api/admin/calendars/%d/import" % cid, raw=body,
                            headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["year"], r.json()["norms"]["w40"]["days"]), (2023, 247))
        # JSON export and import
        j = self.admin.get("/api/admin/calendars/%d/years/2024/export.json" % cid)
        self.assertEqual(j.status, 200)
        self.assertTrue(j.headers["Content-Type"].startswith("application/json"))
        r = self.admin.post("/api/admin/calendars/%d/import" % cid, {"json": j.json()})
        self.assertEqual(r.status, 200, r)
        # bad files name the line / the field
        f = self.fields(self.admin.post("/api/admin/calendars/%d/import" % cid, raw=b'<calendar year="2025">\n<days>\n<day d="13.45" t="1"/>',
                                        headers={"Content-Type": "application/xml"}))
        self.assertIn("строка 3", f["file"])
        # a DOCTYPE is refused: no entity is expanded or fetched
        xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE calendar [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
               b'<calendar year="2025"><holidays><holiday id="1" title="&x;"/></holidays></calendar>')
        f = self.fields(self.admin.post("/api/admin/calendars/%d/import" % cid, raw=xxe,
                                        headers={"Content-Type": "application/xml"}))
        self.assertIn("Файл календаря с объявлением DOCTYPE не принимается", f["file"])
        self.assertIn("строка 2", f["file"])
        f = self.fields(self.admin.post("/api/admin/calendars/%d/import" % cid, {"json": {"year": 2025, "days": [{"date": "2025-01-01", "kind": "party"}]}}))
        self.assertIn("json", f)
        self.assertEqual(self.admin.post("/api/admin/calendars/%d/import" % cid, {}).status, 422)
        # the implicit default becomes a row on its first edit
        r = self.admin.put("/api/admin/calendars/0/years/2026", {"date": "2026-12-30", "kind": "work", "short": "1"})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["calendar"]["implicit"])
        self.assertEqual(self.s.psql("SELECT count(*) FROM calendars WHERE tenant_id = %d AND is_default" % self.tid), "1")
        self.assertIn("calendars.year_edited", self.s.psql("SELECT string_agg(action, ',') FROM audit_log WHERE tenant_id = %d" % self.tid))
        # a weekend that is not Saturday/Sunday, a date of another year
        f = self.fields(self.admin.put("/api/admin/calendars/0/years/2026", {"days": [{"date": "2026-12-29", "kind": "weekend"}]}))
        self.assertIn("days[0].kind", f)
        f = self.fields(self.admin.put("/api/admin/calendars/0/years/2026", {"days": [{"date": "2025-12-29", "kind": "work"}]}))
        self.assertIn("days[0].date", f)
        self.assertEqual(self.admin.get("/api/admin/calendars/99999/years/2025").status, 404)

    # ------------------------------------------------------------ schedules

    def test_schedules_and_year(self):
        r = self.admin.get("/api/admin/schedules/%d/days?year=2025" % self.five)
        self.assertEqual(r.status, 200, r)
        d = r.json()
        self.assertEqual(d["work_days"], 247)
        self.assertEqual(d["hours"], 1972)
        self.assertEqual(d["months"][3]["work_days"], 22)
        self.assertEqual(d["months"][3]["hours"], 175)
        r = self.admin.post("/api/admin/schedules", {"name": "Сутки через трое", "kind": "cycle", "holidays": "ignore",
                                                     "cycle_start": "2025-01-01",
                                                     "days": [{"hours": 24, "night": 8}, {"hours": 0}, {"hours": 0}, {"hours": 0}]})
        self.assertEqual(r.status, 201, r)
        sid = r.json()["schedule"]["id"]
        d = self.admin.get("/api/admin/schedules/%d/days?year=2025" % sid).json()
        self.assertEqual(d["work_days"], 92)  # 365 / 4, from 1 January
        self.assertEqual(d["night"], 736)
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "Сутки через трое", "kind": "cycle", "holidays": "ignore",
                                                             "cycle_start": "2025-01-02", "week_hours": 36,
                                                             "days": [{"hours": 24, "night": 8}, {"hours": 0}, {"hours": 0}, {"hours": 0}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["schedule"]["week_hours"], 36)
        names = [x["name"] for x in self.admin.get("/api/admin/schedules").json()["schedules"]]
        self.assertIn("Сутки через трое", names)
        self.assertEqual(self.admin.get("/api/admin/schedules/%d" % sid).json()["schedule"]["cycle_start"], "2025-01-02")
        # bad input
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Плохой", "days": [{"hours": 25}] + FIVE_DAY[1:]}))
        self.assertIn("days[0].hours", f)
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Плохой", "days": FIVE_DAY[:6]}))
        self.assertIn("days", f)
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Плохой", "days": [{"hours": 8, "night": 9}] + FIVE_DAY[1:]}))
        self.assertIn("days[0].night", f)
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Пятидневка 40", "days": FIVE_DAY}))
        self.assertIn("name", f)
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Цикл", "kind": "cycle", "days": [{"hours": 8}]}))
        self.assertIn("cycle_start", f)
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Вид", "kind": "month", "days": FIVE_DAY}))
        self.assertIn("kind", f)
        # a JSON null among the form's hours[] of a cycle: a field error, the core stays up
        f = self.fields(self.admin.post("/api/admin/schedules", {"name": "Нули", "kind": "cycle", "hours": [None]}))
        self.assertIn("cycle_start", f)
        self.assertEqual(self.admin.get("/api/admin/schedules").status, 200)
        f = self.fields(self.admin.get("/api/admin/schedules/%d/days?year=3000" % self.five))
        self.assertIn("year", f)
        f = self.fields(self.admin.get("/api/admin/schedules/%d/days?year=2010" % self.five))
        self.assertIn("2010", f["year"])  # no calendar for 2010: the year and what to do
        self.assertIn("импортируйте", f["year"])
        r = self.admin.get("/api/admin/schedules/%d/days?year=2030" % self.five)
        self.assertEqual(r.status, 200, r)  # 2030: the provisional calendar
        self.assertEqual(self.admin.get("/api/admin/schedules/99999").status, 404)
        # a stored schedule the core cannot use (a cycle start outside the years it
        # knows, written around the API): 500 for that request, the core stays up
        bad = int(self.s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, cycle_start, pattern) "
                              "VALUES (%d, 'Старый', 'cycle', 'ignore', '1800-01-01', '[[800,0]]') RETURNING id"
                              % self.tid))
        self.assertEqual(self.admin.get("/api/admin/schedules/%d/days?year=2025" % bad).status, 500)
        self.assertEqual(self.admin.get("/api/admin/schedules/%d/days?year=2025" % self.five).status, 200)
        self.s.psql("DELETE FROM schedules WHERE id = %d" % bad)

    def test_assignments_and_individual_schedule(self):
        emp = add_employee(self.s, self.tid, "Кузнецова Мария Игоревна")
        r = self.admin.post("/api/admin/employees/%d/schedule-assignments" % emp,
                            {"schedule_id": self.five, "date_from": "2025-01-01"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(len(r.json()["assignments"]), 1)
        aid = r.json()["id"]
        f = self.fields(self.admin.post("/api/admin/employees/%d/schedule-assignments" % emp,
                                        {"schedule_id": 99999, "date_from": "2025-31-01"}))
        self.assertIn("date_from", f)
        f = self.fields(self.admin.post("/api/admin/employees/%d/schedule-assignments" % emp,
                                        {"schedule_id": 99999, "date_from": "2025-03-01"}))
        self.assertIn("schedule_id", f)
        self.assertEqual(self.admin.post("/api/admin/employees/99999/schedule-assignments",
                                         {"schedule_id": self.five, "date_from": "2025-03-01"}).status, 404)
        # an individual schedule replaces the assignment for its month
        days = [{"hours": 6, "night": 0}] * 28
        r = self.admin.put("/api/admin/employees/%d/individual-schedules/2025-02" % emp, {"days": days})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["hours"], 168)
        r = self.admin.post("/api/admin/timesheets/%d/2025-02/fill" % emp)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["worked_days"], 28)
        self.assertEqual(r.json()["worked_hours"], 168)
        f = self.fields(self.admin.put("/api/admin/employees/%d/individual-schedules/2025-02" % emp, {"days": days[:27]}))
        self.assertIn("days", f)
        f = self.fields(self.admin.put("/api/admin/employees/%d/individual-schedules/2025-02" % emp,
                                       {"days": [{"hours": 30}] + days[1:]}))
        self.assertIn("days[0].hours", f)
        self.assertEqual(self.admin.delete("/api/admin/employees/%d/individual-schedules/2025-02" % emp).status, 200)
        self.assertEqual(self.admin.get("/api/admin/employees/%d/individual-schedules/2025-02" % emp).status, 404)
        r = self.admin.delete("/api/admin/employees/%d/schedule-assignments/%d" % (emp, aid))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["assignments"], [])

    # ------------------------------------------------- deviations, timesheets

    def test_deviations_timesheet_and_t13(self):
        a = self.admin
        r = a.post("/api/admin/employees/%d/schedule-assignments" % self.ivanov,
                   {"schedule_id": self.five, "date_from": "2025-01-01"})
        self.assertEqual(r.status, 201, r)
        r = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "Б",
                                             "date_from": "2025-04-14", "date_to": "2025-04-16"})
        self.assertEqual(r.status, 201, r)
        sick = r.json()["deviation"]["id"]
        r = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "ОТ",
                                             "date_from": "2025-04-16", "date_to": "2025-04-20"})
        self.assertEqual(r.status, 409, r)
        msg = r.json()["error"]["message"]
        self.assertIn("«Больничный (Б)» № %d с 14.04.2025 по 16.04.2025" % sick, msg)
        self.assertIn("«Отпуск основной (ОТ)»", msg)
        r = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-04-17", "hours": 2})
        self.assertEqual(r.status, 201, r)
        # the same request with the same Idempotency-Key: the same document, no second one
        body = {"employee_id": self.ivanov, "code": "Н", "date": "2025-04-18", "hours": 1}
        r1 = a.post("/api/admin/deviations", body, headers={"Idempotency-Key": "dev-1"})
        r2 = a.post("/api/admin/deviations", body, headers={"Idempotency-Key": "dev-1"})
        self.assertEqual((r1.status, r2.status), (201, 201), r2)
        self.assertEqual(r1.json()["deviation"]["id"], r2.json()["deviation"]["id"])
        self.assertEqual(a.delete("/api/admin/deviations/%d" % r1.json()["deviation"]["id"]).status, 200)
        listed = a.get("/api/admin/deviations?employee_id=%d&month=2025-04" % self.ivanov).json()["deviations"]
        self.assertEqual([d["code"] for d in listed], ["Б", "С"])
        # the backstop holds even past the core (a Б meets only a vacation, art. 124)
        with self.assertRaises(AssertionError):
            self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day) "
                        "VALUES (%d, %d, 16, '2025-04-15', '2025-04-15', true)" % (self.tid, self.ivanov))

        # bad deviation documents
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "ЖЖ",
                                                         "date_from": "2025-05-01", "date_to": "2025-05-02"}))
        self.assertEqual(r.status, 201)
        self.assertIn("code", f)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "Я",
                                                         "date_from": "2025-05-01", "date_to": "2025-05-02"}))
        self.assertIn("code", f)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "ОТ",
                                                         "date_from": "2025-05-10", "date_to": "2025-05-01"}))
        self.assertIn("date_to", f)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "ОТ",
                                                         "date_from": "1899-12-31", "date_to": "2025-05-01"}))
        self.assertIn("date_from", f)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С",
                                                         "date": "2025-05-05", "hours": 25}))
        self.assertIn("hours", f)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-05"}))
        self.assertIn("hours", f)
        # hour documents of a date add up: С 16 + С 9 > 24 (and with the 8 planned hours of
        # Tuesday 06.05.2025 the day holds at most 16 of С, trial-break 2 G3)
        r = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-06", "hours": 16})
        self.assertEqual(r.status, 201, r)
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-06", "hours": 9}))
        self.assertIn("24 часов", f["hours"])
        f = self.fields(a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-07", "hours": 17}))
        self.assertIn("07.05.2025: по графику 8 ч", f["hours"])
        # where an hour code may stand (F21, art. 152/153): РВ on a working day (Wednesday
        # 14.05.2025) and С on a day off (Saturday 17.05.2025) or a holiday (09.05.2025) are refused
        x = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "РВ", "date": "2025-05-14", "hours": 8})
        self.assertEqual(x.status, 422, x)
        self.assertEqual(x.json()["error"]["fields"]["date"],
                         "14.05.2025 — рабочий день по графику сотрудника: работа в выходной или праздник (РВ) "
                         "бывает только в его выходной или нерабочий праздничный день; сверхурочная работа в "
                         "рабочий день — код С")
        x = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-17", "hours": 4})
        self.assertEqual(x.status, 422, x)
        self.assertIn("17.05.2025 — выходной день по графику сотрудника", x.json()["error"]["fields"]["date"])
        self.assertIn("код РВ", x.json()["error"]["fields"]["date"])
        x = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "С", "date": "2025-05-09", "hours": 2})
        self.assertIn("09.05.2025 — нерабочий праздничный день", self.fields(x)["date"])
        self.assertEqual([(d["code"], d["date_from"]) for d in a.get(
            "/api/admin/deviations?employee_id=%d&month=2025-05" % self.ivanov).json()["deviations"]],
            [("С", "2025-05-06")])
        # the right codes on those dates are accepted
        x = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": "РВ", "date": "2025-05-17", "hours": 4})
        self.assertEqual(x.status, 201, x)
        self.assertEqual(a.delete("/api/admin/deviations/%d" % x.json()["deviation"]["id"]).status, 200)
        # the same hours document twice: 409 naming the one entered; the
        # code as typed ("c" Latin, lower case) and hours with a comma
        first = r.json()["deviation"]
        r2 = a.post("/api/admin/deviations", {"employee_id": self.ivanov, "code": " c ", "date": "2025-05-06",
                                              "hours": "16,0"})
        self.assertEqual(r2.status, 409, r2)
        self.assertIn("№ %d" % first["id"], r2.json()["error"]["message"])
        self.assertIn("06.05.2025", r2.json()["error"]["message"])
        self.assertEqual(a.delete("/api/admin/deviations/%d" % r.json()["deviation"]["id"]).status, 200)
        self.assertEqual(a.post("/api/admin/deviations", {"employee_id": 999999, "code": "Б", "date_from": "2025-05-01",
                                                          "date_to": "2025-05-02"}).status, 404)

        # timesheet: fill from schedule + deviations
        r = a.post("/api/admin/timesheets/%d/2025-04/fill" % self.ivanov)
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual(t["status"], "draft")
        self.assertEqual(t["worked_days"], 19)
        self.assertEqual(t["worked_hours"], 153)  # 175 - 3 x 8 + 2 overtime
        by_date = {d["date"]: d["rows"] for d in t["days"]}
        self.assertEqual(by_date["2025-04-14"], [{"code": "Б", "hours": 0}])
        self.assertEqual(by_date["2025-04-05"], [{"code": "В", "hours": 0}])
        self.assertEqual(by_date["2025-04-30"], [{"code": "Я", "hours": 7}])
        self.assertEqual(sorted(x["code"] for x in by_date["2025-04-17"]), ["С", "Я"])

        # edits: attendance on a planned day off warns, РВ does not
        r = a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [{"date": "2025-04-05", "rows": [{"code": "Я", "hours": 4}]}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["warnings"]), 1)
        self.assertIn("05.04.2025", r.json()["warnings"][0]["message"])
        r = a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [{"date": "2025-04-05", "rows": [{"code": "РВ", "hours": 4}]}]})
        self.assertEqual(r.json()["warnings"], [])
        self.s.psql("UPDATE tenants SET settings = settings || '{\"warn_dayoff_attendance\": false}' WHERE id = %d" % self.tid)
        r = a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [{"date": "2025-04-06", "rows": [{"code": "Я", "hours": 2}]}]})
        self.assertEqual(r.json()["warnings"], [])
        self.s.psql("UPDATE tenants SET settings = settings - 'warn_dayoff_attendance' WHERE id = %d" % self.tid)
        r = a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [{"date": "2025-04-06", "rows": []}]})
        self.assertEqual(r.status, 200, r)

        # bad timesheet rows
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-08", "rows": [{"code": "Я", "hours": 8}, {"code": "РВ", "hours": 2}]}]}))
        self.assertIn("08.04.2025 — рабочий день по графику сотрудника", f["days[0].rows"])
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-12", "rows": [{"code": "С", "hours": 3}]}]}))
        self.assertIn("12.04.2025 — выходной день по графику сотрудника", f["days[0].rows"])
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-07", "rows": [{"code": "Я", "hours": 16}, {"code": "С", "hours": 9}]}]}))
        self.assertIn("days[0].rows", f)
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-07", "rows": [{"code": "QQ", "hours": 8}]}]}))
        self.assertIn("days[0].rows[0].code", f)
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-05-07", "rows": [{"code": "Я", "hours": 8}]}]}))
        self.assertIn("days[0].date", f)
        f = self.fields(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-07", "rows": [{"code": "Я", "hours": 25}]}]}))
        self.assertIn("days[0].rows[0].hours", f)
        f = self.fields(a.get("/api/admin/timesheets/%d/2025-13" % self.ivanov))
        self.assertIn("month", f)
        f = self.fields(a.post("/api/admin/timesheets/%d/2025-04/fill" % self.petrov))
        self.assertIn("month", f)  # no schedule
        self.assertTrue(f["month"].startswith("Нет графика работы на апрель 2025 г."), f["month"])
        gone = add_employee(self.s, self.tid, "Уволенный Пётр", hired="2020-01-01", dismissed="2024-12-31")
        f = self.fields(a.post("/api/admin/timesheets/%d/2025-04/fill" % gone))
        self.assertIn("не работал", f["month"])

        # post: then it has priority and is locked
        r = a.post("/api/admin/timesheets/%d/2025-04/post" % self.ivanov)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "posted")
        self.assertEqual(a.post("/api/admin/timesheets/%d/2025-04/post" % self.ivanov).status, 409)
        self.assertEqual(a.put("/api/admin/timesheets/%d/2025-04" % self.ivanov, {"days": [
            {"date": "2025-04-07", "rows": [{"code": "Я", "hours": 8}]}]}).status, 409)
        self.assertEqual(a.post("/api/admin/timesheets/%d/2025-04/fill" % self.ivanov).status, 409)
        self.assertEqual(a.post("/api/admin/timesheets/%d/2025-05/post" % self.ivanov).status, 404)
        # every timesheet of the month at once: Ivanov's posted one stays, Petrov has no schedule
        r = a.post("/api/admin/timesheets/fill", {"month": "2025-04"})
        self.assertEqual(r.status, 200, r)
        self.assertGreaterEqual(r.json()["posted"], 1)
        self.assertIn(self.petrov, [x["employee_id"] for x in r.json()["skipped"]])
        self.assertEqual(a.get("/api/admin/timesheets/%d/2025-04" % self.ivanov).json()["worked_hours"], 157)
        self.assertIn("month", self.fields(a.post("/api/admin/timesheets/fill", {})))
        self.assertIn(self.sidorova, [x["employee_id"] for x in r.json()["skipped"]])
        listed = {t["employee_id"]: t["status"] for t in a.get("/api/admin/timesheets?month=2025-04").json()["timesheets"]}
        self.assertEqual(listed[self.ivanov], "posted")
        self.assertEqual(listed[self.petrov], "none")
        self.assertIn("month", self.fields(a.get("/api/admin/timesheets?month=04.2025")))

        # T-13: Ivanov from his posted timesheet, Sidorova from an individual plan
        a.put("/api/admin/employees/%d/individual-schedules/2025-04" % self.sidorova,
              {"days": [{"hours": 8, "night": 2} if i % 2 == 0 else {"hours": 0} for i in range(30)]})
        r = a.get("/api/admin/t13/2025-04?ids=%d,%d" % (self.ivanov, self.sidorova))
        self.assertEqual(r.status, 200, r)
        rep = r.json()
        self.assertEqual(rep["count"], 2)
        iv, si = rep["employees"]
        self.assertEqual(iv["source"], "timesheet")
        self.assertEqual(iv["total"]["days"], 20)  # 19 + Saturday 5 April (РВ)
        self.assertEqual(iv["total"]["hours"], 157)
        self.assertEqual(iv["first_half"]["days"] + iv["second_half"]["days"], 20)
        self.assertEqual(iv["absences"], [{"code": "Б", "number": 19, "days": 3, "hours": 0,
                                           "meaning": "временная нетрудоспособность с назначением пособия"}])
        self.assertEqual(iv["days"][13]["codes"], "Б")
        self.assertEqual(si["source"], "plan")
        self.assertEqual(si["total"]["days"], 15)
        self.assertEqual(si["total"]["hours"], 120)
        self.assertEqual(si["days"][0]["codes"], "Я/Н")
        self.assertEqual(si["days"][0]["hours"], "8/2")
        # a draft does not change the T-13; filling the month again picks Sidorova up
        self.assertEqual(a.post("/api/admin/timesheets/fill", {"month": "2025-04"}).status, 200)
        si_ts = a.get("/api/admin/timesheets/%d/2025-04" % self.sidorova).json()
        self.assertEqual((si_ts["status"], si_ts["worked_days"], si_ts["worked_hours"]), ("draft", 15, 120))
        self.assertEqual(a.get("/api/admin/t13/2025-04?ids=%d" % self.sidorova).json()["employees"][0]["source"], "plan")
        # all employees
        everyone = a.get("/api/admin/t13/2025-04").json()
        self.assertGreaterEqual(everyone["count"], 3)
        # XLSX
        r = a.get("/api/admin/t13/2025-04/export.xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertTrue(r.body.startswith(b"PK"))
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("Иванов Иван Иванович", sheet)
        self.assertIn("Я/Н", sheet)
        self.assertIn("T-13-2025-04.xlsx", r.headers["Content-Disposition"])
        # bad input
        self.assertIn("month", self.fields(a.get("/api/admin/t13/2025-00")))
        self.assertIn("ids", self.fields(a.get("/api/admin/t13/2025-04?ids=1,x")))
        self.assertEqual(a.get("/api/admin/t13/2025-04?ids=999999").status, 404)

        # unposting makes it editable again; deleting a deviation
        self.assertEqual(a.post("/api/admin/timesheets/%d/2025-04/unpost" % self.ivanov).status, 200)
        self.assertEqual(a.delete("/api/admin/deviations/%d" % sick).status, 200)
        self.assertEqual(a.delete("/api/admin/deviations/%d" % sick).status, 404)
        actions = self.s.psql("SELECT string_agg(DISTINCT action, ',') FROM audit_log WHERE tenant_id = %d" % self.tid)
        for act in ("deviations.created", "deviations.deleted", "timesheets.filled", "timesheets.edited",
                    "timesheets.posted", "timesheets.unposted", "schedules.assigned"):
            self.assertIn(act, actions)

    def test_overlapping_documents_at_once(self):
        """Eight requests for overlapping sick leaves of one employee at the
        same moment: the employee's row lock lets exactly one through."""
        import threading
        emp = add_employee(self.s, self.tid, "Быстрова Ольга Сергеевна")
        results = []

        def one(i):
            r = self.admin.post("/api/admin/deviations", {"employee_id": emp, "code": "Б",
                                                          "date_from": "2025-06-%02d" % (2 + i % 3),
                                                          "date_to": "2025-06-10"})
            results.append(r.status)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201] + [409] * 7)
        self.assertEqual(self.s.psql("SELECT count(*) FROM deviations WHERE employee_id = %d" % emp), "1")

    # ------------------------------------------------------------- pages

    def test_admin_pages(self):
        for path, text in (("/admin/calendars", "Российская Федерация"),
                           ("/admin/calendars/0/2025", "1972"),
                           ("/admin/schedules", "Пятидневка 40"),
                           ("/admin/schedules/%d?year=2025" % self.five, "1972"),
                           ("/admin/timesheets/2025-04", "Т-13")):
            r = self.admin.get(path)
            self.assertEqual(r.status, 200, (path, r.text[:2000]))
            self.assertIn(text, r.text, path)
        page = self.admin.get("/admin/timesheets/2025-04").text
        self.assertIn('href="/assets/print-t13.css" media="print"', page)
        self.assertIn("size: A4 landscape", self.s.http("GET", "/assets/print-t13.css", host="vremya.localhost").text)
        self.assertIn("0301008", page)  # ОКУД of the unified form, in its printed header
        self.assertNotIn("<style", page)
        self.assertNotIn("javascript:", page)
        # a bad month: the page with its form and the message once, not a dead end
        r = self.admin.get("/admin/timesheets?month=2025-13")
        self.assertEqual(r.status, 422)
        self.assertIn('value="2025-13"', r.text)
        self.assertEqual(r.text.count("Месяц в виде ГГГГ-ММ"), 1, r.text)
        self.assertIn("Апрель 2025", self.admin.get("/admin/timesheets?month=2025-04").text)
        self.assertEqual(self.admin.get("/admin/timesheets").status, 200)  # the current month

        def form(path, **fields):
            fields["_csrf"] = self.admin.csrf
            return self.admin.request("POST", path, raw=urllib.parse.urlencode(fields).encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        # a schedule from the page's form: hours[] of the days
        body = [("_csrf", self.admin.csrf), ("name", "Шестидневка"), ("kind", "week"), ("holidays", "calendar"),
                ("cycle_start", ""), ("week_hours", "40")] + [("hours[]", h) for h in ("7", "7", "7", "7", "7", "5", "")] + \
            [("night[]", "")] * 7
        r = self.admin.request("POST", "/admin/schedules", raw=urllib.parse.urlencode(body).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r.text[:3000])
        six = [x for x in self.admin.get("/api/admin/schedules").json()["schedules"] if x["name"] == "Шестидневка"][0]
        self.assertEqual([d["hours"] for d in six["days"]], [7, 7, 7, 7, 7, 5, 0])
        # deviations: a document from the form, the list, an overlap shown on the page, deletion
        emp = add_employee(self.s, self.tid, "Формова Вера Павловна")
        r = form("/admin/deviations", employee_id=str(emp), code="К", date_from="2025-09-01", date_to="2025-09-05",
                 date="", hours="", note="Казань")
        self.assertEqual(r.status, 303, r.text[:3000])
        page = self.admin.get("/admin/deviations?month=2025-09&employee_id=").text
        self.assertIn("Формова Вера Павловна", page)
        self.assertIn("Командировка (К)", page)
        r = form("/admin/deviations", employee_id=str(emp), code="Б", date_from="2025-09-05", date_to="2025-09-08",
                 date="", hours="", note="")
        self.assertEqual(r.status, 409)
        self.assertIn("пересекается с документом «Командировка (К)»", r.text)
        r = form("/admin/deviations", employee_id=str(emp), code="С", date_from="", date_to="", date="2025-09-10",
                 hours="30", note="")
        self.assertEqual(r.status, 422)
        self.assertIn("Часы за день", r.text)
        dev = self.admin.get("/api/admin/deviations?employee_id=%d" % emp).json()["deviations"][0]["id"]
        self.assertEqual(form("/admin/deviations/%d/delete" % dev).status, 303)
        # one employee's timesheet page: fill, set a date (with the day-off warning), post
        emp2 = add_employee(self.s, self.tid, "Страницева Нина Олеговна")
        self.admin.post("/api/admin/employees/%d/schedule-assignments" % emp2,
                        {"schedule_id": self.five, "date_from": "2025-01-01"})
        page = "/admin/timesheets/2025-10/%d" % emp2
        self.assertIn("не заполнен", self.admin.get(page).text)
        r = form(page, action="fill")
        self.assertEqual(r.status, 200, r.text[:3000])
        self.assertIn("Отработано: дней 23, часов 184", r.text)
        r = form(page, action="set", date="2025-10-04", code="Я", hours="3")
        self.assertEqual(r.status, 200)
        self.assertIn("04.10.2025 — выходной день по графику", r.text)
        r = form(page, action="set", date="2025-10-04", code="ЯЯ", hours="3")
        self.assertEqual(r.status, 422)
        # the message next to the field, every typed value kept
        self.assertIn("Неизвестный код табеля «ЯЯ»", r.text)
        self.assertIn('aria-describedby="ts-code-hint e-code" aria-invalid="true"', r.text)
        for value in ('value="2025-10-04"', 'value="ЯЯ"', 'value="3"'):
            self.assertIn(value, r.text)
        r = form(page, action="set", date="2025-10-06", code="Я", hours="25")
        self.assertEqual(r.status, 422)
        self.assertIn('id="e-hours">Часы: от 0 до 24', r.text)
        self.assertIn('value="25"', r.text)
        # codes as people type them: any case, spaces, Latin look-alikes; hours with a comma
        r = form(page, action="set", date="2025-10-11", code=" p b ", hours="2,5")
        self.assertEqual(r.status, 200, r.text[:3000])
        day = [d for d in self.admin.get("/api/admin/timesheets/%d/2025-10" % emp2).json()["days"]
               if d["date"] == "2025-10-11"][0]
        self.assertEqual((day["codes"], day["hours"]), ("РВ", "2,5"))
        # РВ on a working day (Monday) is refused naming the date and the right code (F21)
        r = form(page, action="set", date="2025-10-06", code="РВ", hours="2")
        self.assertEqual(r.status, 422)
        self.assertIn("06.10.2025 — рабочий день по графику сотрудника", r.text)
        self.assertIn("код С", r.text)
        # a cleared day off by the schedule shows В, not an empty cell
        r = form(page, action="set", date="2025-10-05", code="", hours="")
        self.assertEqual(r.status, 200, r.text[:3000])
        day = [d for d in self.admin.get("/api/admin/timesheets/%d/2025-10" % emp2).json()["days"]
               if d["date"] == "2025-10-05"][0]
        self.assertEqual(day["codes"], "В")
        r = form(page, action="post")
        self.assertIn("проведён", r.text)
        self.assertEqual(form(page, action="fill").status, 409)
        self.assertIn(page, self.admin.get("/admin/timesheets/2025-10").text)
        # an edit through the page's form
        r = self.admin.request("POST", "/admin/calendars/0/2024", raw=(
            "_csrf=%s&date=2024-06-13&kind=holiday&title=" % self.admin.csrf).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r)

    def test_a_day_edit_of_an_unfilled_timesheet_fills_the_month_first(self):
        # trial 4, F1: one day entered on a timesheet never filled used to save that day
        # alone (every other day empty: 0 days worked, 0 ₽ paid after posting)
        def hired(name):
            emp = add_employee(self.s, self.tid, name)
            r = self.admin.post("/api/admin/employees/%d/schedule-assignments" % emp,
                                {"schedule_id": self.five, "date_from": "2025-01-01"})
            self.assertEqual(r.status, 201, r)
            return emp
        filled, emp = hired("Полный Июнь"), hired("Морозов Июнь")
        full = self.admin.post("/api/admin/timesheets/%d/2025-06/fill" % filled).json()
        self.assertGreater(full["worked_days"], 15)
        r = self.admin.put("/api/admin/timesheets/%d/2025-06" % emp,
                           {"days": [{"date": "2025-06-27", "rows": [{"code": "НН"}]}]})
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual(t["worked_days"], full["worked_days"] - 1)
        days = {d["date"]: d["codes"] for d in t["days"]}
        self.assertEqual((days["2025-06-26"], days["2025-06-27"], days["2025-06-28"]), ("Я", "НН", "В"))
        self.assertIn("Табель за июнь 2025 г. не был заполнен: сначала он заполнен по графику",
                      " ".join(w["message"] for w in t["warnings"]))
        # a working day left empty is not posted: the message names it
        r = self.admin.put("/api/admin/timesheets/%d/2025-06" % emp, {"days": [{"date": "2025-06-26", "rows": []}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([w["code"] for w in r.json()["warnings"]], [])
        f = self.fields(self.admin.post("/api/admin/timesheets/%d/2025-06/post" % emp))
        self.assertEqual(f["month"], "В табеле остался рабочий день без отметок — по графику рабочий: "
                                     "26.06.2025. Отметьте, что было (Я, НН, ОТ…), или заполните табель "
                                     "заново по графику и отклонениям, затем проведите")
        self.assertEqual(self.admin.get("/api/admin/timesheets/%d/2025-06" % emp).json()["status"], "draft")
        self.admin.put("/api/admin/timesheets/%d/2025-06" % emp,
                       {"days": [{"date": "2025-06-26", "rows": [{"code": "Я", "hours": 8}]}]})
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-06/post" % emp).status, 200)
        t13 = self.admin.get("/api/admin/t13/2025-06?ids=%d" % emp).json()["employees"][0]
        self.assertEqual((t13["source"], t13["total"]["days"]), ("timesheet", full["worked_days"] - 1))
        # the same on the admin page's one-day form
        emp2 = hired("Страничный Июль")
        page = "/admin/timesheets/2025-07/%d" % emp2
        r = self.admin.request("POST", page, raw=urllib.parse.urlencode({
            "_csrf": self.admin.csrf, "action": "set", "date": "15.07.2025", "code": "НН", "hours": ""}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r.text[:3000])
        self.assertIn("не был заполнен: сначала он заполнен по графику и отклонениям", r.text)
        self.assertIn("Отработано: дней 22, часов 176", r.text)  # July 2025: 23 working days, one НН

    def test_schedule_assignment_pages(self):
        """An administrator assigns an employee's schedule on the pages: the
        card links to it, a bad date comes back at its field with what was
        chosen and typed, removal asks first, the home page names who has no
        schedule and links to the page that fixes it."""
        def form(path, **fields):
            fields["_csrf"] = self.admin.csrf
            return self.admin.request("POST", path, raw=urllib.parse.urlencode(fields).encode(),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        emp = add_employee(self.s, self.tid, "Графикова Зоя Петровна", personnel_number="0777")
        path = "/admin/employees/%d/schedules" % emp
        self.assertIn('href="%s"' % path, self.admin.get("/admin/employees/%d" % emp).text)
        home = self.admin.get("/admin/").text
        self.assertIn('<a href="%s">Графикова Зоя Петровна</a>' % path, home)
        self.assertIn('<a href="/admin/employees/%d/pay">Графикова Зоя Петровна</a>' % emp, home)
        page = self.admin.get(path)
        self.assertEqual(page.status, 200, page)
        self.assertIn("Графикова Зоя Петровна</strong>, табельный номер 0777", page.text)
        self.assertIn("График не назначен", page.text)
        self.assertIn('<option value="%d">Пятидневка 40</option>' % self.five, page.text)
        # a day the month has not: said so at the field, the choice and the text kept
        r = form(path, schedule_id=str(self.five), date_from="31.11.2025")
        self.assertEqual(r.status, 422, r.text[:3000])
        self.assertIn('id="e-date_from">Такой даты нет в календаре', r.text)
        self.assertIn('value="31.11.2025"', r.text)
        self.assertIn('<option value="%d" selected>' % self.five, r.text)
        self.assertIn("Графикова Зоя Петровна", r.text)  # the page's own data again
        r = form(path, schedule_id=str(self.five), date_from="01.02.2025")
        self.assertEqual(r.status, 303, r.text[:3000])
        self.assertTrue(r.headers["Location"].endswith(path), r.headers["Location"])
        page = self.admin.get(path).text
        self.assertIn("01.02.2025", page)
        self.assertIn('href="/admin/schedules/%d">Пятидневка 40</a>' % self.five, page)
        self.assertIn('data-confirm="Убрать график «Пятидневка 40» с 01.02.2025?', page)
        got = self.admin.get("/api/admin/employees/%d/schedule-assignments" % emp).json()["assignments"]
        self.assertEqual([(a["schedule_id"], a["date_from"]) for a in got], [(self.five, "2025-02-01")])
        self.assertNotIn('<a href="%s">' % path, self.admin.get("/admin/").text)
        self.assertEqual(self.s.psql("SELECT count(*) FROM audit_log WHERE tenant_id = %d AND action = "
                                     "'schedules.assigned' AND object_id = '%d'" % (self.tid, emp)), "1")
        r = form("%s/%d/delete" % (path, got[0]["id"]))
        self.assertEqual(r.status, 303, r.text[:3000])
        self.assertEqual(self.admin.get("/api/admin/employees/%d/schedule-assignments" % emp).json()["assignments"], [])
        # another tenant's administrator and a made-up employee: not found
        self.assertEqual(self.other.get(path).status, 404)
        self.assertEqual(self.admin.get("/admin/employees/999999/schedules").status, 404)

    # ---------------------------------------------------- roles, tenants

    def test_own_timesheet_of_a_month_not_ended(self):
        """The employee's own timesheet of the current month: the days not yet
        come (from today in the organization's zone) are the plan, marked so,
        and not counted as worked; the month's plan is given apart."""
        eid = add_employee(self.s, self.tid, "Текущий Месяц Сотрудник")
        self.s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
                    "VALUES (%d, %d, %d, '2020-01-01')" % (self.tid, eid, self.five))
        uid = add_user(self.s, self.tid, "Текущий Месяц Сотрудник", employee_id=eid)
        me = Client(self.s, "vremya", *add_session(self.s, self.tid, uid))
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()
        # a vacation day ahead (today): an absence of the month all the same
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, whole_day) "
                    "VALUES (%d, %d, 9, '%s', '%s', true)" % (self.tid, eid, today, today))
        r = me.get("/api/timesheet/%s" % today.strftime("%Y-%m"))
        self.assertEqual(r.status, 200, r)
        e = r.json()["employee"]
        past = [d for d in e["days"] if d["day"] < today.day]
        ahead = [d for d in e["days"] if d["day"] >= today.day]
        self.assertFalse([d for d in past if d.get("planned")])
        self.assertTrue(ahead and all(d.get("planned") for d in ahead))
        self.assertEqual(e["total"]["days"], len([d for d in past if d["codes"] == "Я"]))
        self.assertEqual(e["plan"]["days"], len([d for d in e["days"] if d["codes"] == "Я"]))
        self.assertEqual(e["plan"]["days"] - e["total"]["days"], len([d for d in ahead if d["codes"] == "Я"]))
        self.assertEqual(sum(a["days"] for a in e["absences"] if a["code"] == "ОТ"),
                         len([d for d in ahead if d["codes"] == "ОТ"]))
        if today.day > 1:
            self.assertEqual(e["worked_through"], (today - datetime.timedelta(days=1)).strftime("%d.%m.%Y"))
        else:
            self.assertNotIn("worked_through", e)
        # a month that has ended is all fact: March 2025, 21 working days of 8 h
        e = me.get("/api/timesheet/2025-03").json()["employee"]
        self.assertNotIn("plan", e)
        self.assertFalse([d for d in e["days"] if d.get("planned")])
        self.assertEqual((e["total"]["days"], e["total"]["hours"]), (21, 167))

    def test_own_timesheet_on_the_first_day_of_the_month(self):
        """trial-user 16: on the 1st the month has begun though nothing is
        worked yet ("started", the page: «Отработанных дней пока нет»); a
        minute before midnight in the organization's zone it is a month
        ahead. The organization's zone decides, not the server's."""
        eid = add_employee(self.s, self.tid, "Первое Число Сотрудник")
        self.s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
                    "VALUES (%d, %d, %d, '2020-01-01')" % (self.tid, eid, self.five))
        uid = add_user(self.s, self.tid, "Первое Число Сотрудник", employee_id=eid)
        me = Client(self.s, "vremya", *add_session(self.s, self.tid, uid))

        def december(now):
            self.assertEqual(self.s.http("POST", "/api/debug/clock", {"now": now}).status, 200)
            r = me.get("/api/timesheet/2026-12")
            self.assertEqual(r.status, 200, r)
            return r.json()["employee"]

        try:
            # Moscow (UTC+3): 23:59 on 30.11 and 00:00 on 01.12
            e = december("2026-11-30T20:59:00Z")
            self.assertEqual((e["started"], e["total"]["days"], e["plan"]["days"]), (False, 0, 22))
            e = december("2026-11-30T21:00:00Z")
            self.assertEqual((e["started"], e["total"]["days"], e["plan"]["days"]), (True, 0, 22))
            self.assertNotIn("worked_through", e)
            self.assertTrue(all(d.get("planned") for d in e["days"]))
            e = december("2026-12-02T09:00:00Z")
            self.assertEqual((e["started"], e["worked_through"], e["total"]["days"]), (True, "01.12.2026", 1))
            # Vladivostok (UTC+10): 01.12 begins at 14:00 UTC on 30.11
            r = self.admin.put("/api/admin/settings", {"timezone": "Asia/Vladivostok"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(december("2026-11-30T13:59:00Z")["started"], False)
            self.assertEqual(december("2026-11-30T14:00:00Z")["started"], True)
        finally:
            self.s.http("POST", "/api/debug/clock", {"now": None})
            self.admin.put("/api/admin/settings", {"timezone": "Europe/Moscow"})
        # the page says so (site.js)
        js = open(os.path.join(ROOT, "cgi", "www", "assets", "site.js"), encoding="utf-8").read()
        self.assertIn('e.started ? "Отработанных дней пока нет: месяц начался сегодня."', js)

    def test_roles_and_tenants(self):
        for method, path in (("GET", "/api/admin/calendars"), ("GET", "/api/admin/schedules"),
                             ("GET", "/api/admin/t13/2025-04"), ("POST", "/api/admin/deviations"),
                             ("GET", "/api/admin/timesheets/%d/2025-04" % self.petrov)):
            r = self.employee.request(method, path, body={} if method == "POST" else None)
            self.assertEqual(r.status, 403, (path, r))
        # another tenant's admin does not see this tenant's schedule or employees
        self.assertEqual(self.other.get("/api/admin/schedules/%d" % self.five).status, 404)
        self.assertEqual(self.other.get("/api/admin/schedules").json()["schedules"], [])
        self.assertEqual(self.other.post("/api/admin/timesheets/%d/2025-04/fill" % self.ivanov).status, 404)
        self.assertEqual(self.other.get("/api/admin/t13/2025-04?ids=%d" % self.ivanov).status, 404)
        self.assertEqual(self.other.get("/api/admin/t13/2025-04").json()["count"], 0)
        # no session: 401
        self.assertEqual(self.s.http("GET", "/api/admin/schedules", host="vremya.localhost").status, 401)


if __name__ == "__main__":
    unittest.main()
