"""Requests through the real stack (issue 12): each type through its route —
with and without a department head, with nobody to approve, with a chain,
forwarded, rejected, cancelled, to a substitute during the approver's
vacation, escalated past its deadline — and what a done request changes:
the timesheet, the vacation balance, the employee's record, the НДФЛ child
deductions and the exchange feed; a completion whose effect fails (a closed
month, an overlapping document) changes nothing. The organization is
orgfix.Org."""
import json
import os
import re
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Client, Stack, add_employee, add_session, add_tenant, add_user  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(client, path, name, data, ctype="application/octet-stream"):
    boundary = "----cabinettest"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
            "Content-Type: %s\r\n\r\n" % (boundary, name, ctype)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    return client.request("POST", path, headers={
        "Content-Type": "multipart/form-data; boundary=%s" % boundary}, raw=body)


class Requests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("requests").__enter__()
        cls.o = Org(cls.s, "zayavki", "ООО «Заявки»")
        r = cls.o.admin.post("/api/admin/api-keys", {"name": "1С"})
        assert r.status == 201, r
        cls.key = r.json()["key"]
        cls.x = Client(cls.s, "zayavki")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # ------------------------------------------------------------ helpers

    def file(self, who, body, status=201):
        r = self.o[who].post("/api/requests", body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def get(self, who, rid, status=200):
        r = self.o[who].get("/api/requests/%d" % rid)
        self.assertEqual(r.status, status, r)
        return r.json().get("request")

    def act(self, who, task, verb, body=None, status=200):
        r = self.o[who].post("/api/tasks/%d/%s" % (task, verb), body or {})
        self.assertEqual(r.status, status, r)
        return r.json()

    def task(self, who, rid, step):
        t = self.o.task(who, rid, step)
        self.assertIsNotNone(t, "%s has no open %s task of request %d: %s" % (
            who, step, rid, self.o.tasks(who)))
        return t

    def actions(self, req):
        return [h["action"] for h in req["history"]]

    def exchange(self, method, path, body=None, key=None, headers=None):
        h = {"Authorization": "Bearer %s" % (key or self.key)}
        h.update(headers or {})
        return self.x.request(method, path, body=body, headers=h)

    def timesheet_codes(self, who, month):
        r = self.o[who].get("/api/timesheet/%s" % month)
        self.assertEqual(r.status, 200, r)
        return {d["day"]: d["codes"] for d in r.json()["employee"]["days"]}

    def count(self, sql):
        return int(self.s.psql(sql))

    # ------------------------------------------------------------- routes

    def test_certificates_only_for_the_employment(self):
        # F14: hired 01.01.2020; a year or a date before the hire (or a year not yet come) is refused,
        # the years named the same way whichever side is wrong
        o = Org(self.s, "godyspravok", "ООО «Годы справок»")
        e = o["E1"]
        today = e.get("/api/vacation/balance").json()["date"]
        allowed = "Год справки — от 2020 до %s (годы работы в организации)" % today[:4]
        for year in (2019, int(today[:4]) + 1, 1999):
            r = e.post("/api/requests", {"type": "certificate_ndfl", "year": year})
            self.assertEqual(r.status, 422, (year, r))
            self.assertEqual(r.json()["error"]["fields"]["year"], allowed)
        r = e.post("/api/requests", {"type": "certificate_vacation_balance", "date": "1999-01-01"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("01.01.2020", r.json()["error"]["fields"]["date"])
        self.assertEqual(e.post("/api/requests", {"type": "certificate_ndfl", "year": 2020}).status, 201)

    def test_vacation_through_the_department_head(self):
        o = self.o
        before = o["E1"].get("/api/vacation/balance?date=2026-12-31").json()
        # the outside check's names of the dates are accepted too
        js = self.file("E1", {"type": "vacation", "kind": "annual", "from": "2026-12-14",
                              "to": "2026-12-18", "comment": "отпуск"})
        rid = js["id"]
        self.assertEqual(js["state"], "awaiting_approval")
        self.assertEqual((js["request"]["date_from"], js["request"]["date_to"]),
                         ("2026-12-14", "2026-12-18"))
        # the employee's manager (the head of «Бухгалтерия») approves
        t = self.task("M", rid, "approval")
        # an approval is not passed to the applicant either (F12)
        e = self.act("M", t, "forward", {"to": o.id["E1"]}, status=422)["error"]
        self.assertEqual(e["fields"]["to"], "Нельзя передать задачу автору заявки")
        self.assertIsNone(o.task("P", rid, "execution"))
        # the employee cannot act on their own request's task, another
        # performer neither: it is not theirs
        self.assertEqual(o["E1"].post("/api/tasks/%d/approve" % t, {}).status, 404)
        self.assertEqual(o["C"].post("/api/tasks/%d/approve" % t, {}).status, 404)
        js = self.act("M", t, "approve", {"comment": "согласовано"})
        self.assertEqual(js["request"]["state"], "approved")
        self.act("M", t, "approve", status=409)  # once
        t2 = self.task("P", rid, "execution")
        self.act("P", t2, "approve", status=409)  # an execution task is not approved
        self.assertEqual(self.act("P", t2, "take")["request"]["state"], "in_progress")
        self.act("P", t2, "take", status=409)
        js = self.act("P", t2, "complete", {"comment": "оформлено"})
        self.assertEqual(js["request"]["state"], "done")
        self.act("P", t2, "complete", status=409)
        req = self.get("E1", rid)
        self.assertEqual(self.actions(req), ["created", "submitted", "assigned", "approved",
                                             "assigned", "taken", "completed"])
        self.assertEqual(req["history"][3]["who"], "Смирнова Анна Сергеевна")
        self.assertEqual(req["history"][3]["comment"], "согласовано")
        self.assertEqual(req["history"][2]["details"]["how"], "department_head")
        self.assertEqual(req["result"]["code"], "ОТ")
        # the timesheet, the document and the balance
        codes = self.timesheet_codes("E1", "2026-12")
        self.assertEqual([codes[d] for d in range(14, 19)], ["ОТ"] * 5)
        self.assertEqual(codes[21], "Я")
        self.assertEqual(self.count("SELECT count(*) FROM deviations WHERE request_id = %d AND code = 9 "
                                    "AND date_from = '2026-12-14' AND date_to = '2026-12-18'" % rid), 1)
        after = o["E1"].get("/api/vacation/balance?date=2026-12-31").json()
        self.assertEqual(before["balance_twelfths"] - after["balance_twelfths"], 5 * 12)
        # before it starts, the balance says what is left after it
        on = o["E1"].get("/api/vacation/balance?date=2026-12-01").json()
        self.assertEqual(on["scheduled"], [{"date_from": "2026-12-14", "date_to": "2026-12-18",
                                            "period_ru": "14–18 декабря", "days": 5}])
        self.assertEqual(float(on["balance"]) - float(on["balance_after"]), 5.0)
        self.assertEqual(on["balance_after_ru"], on["balance_after"].replace(".", ","))
        self.assertEqual(after["scheduled"], [])
        self.assertIsNone(after["balance_after"])
        # the personal file lists it under «Отпуска», from the timesheet
        card = o["E1"].get("/api/me/employee").json()
        vac = [v for v in card["personal_file"]["vacation"] if v.get("source") == "timesheet"]
        self.assertEqual([(v["code"], v["date_from"], v["date_to"], v["days"]) for v in vac],
                         [("ОТ", "2026-12-14", "2026-12-18", 5)])
        self.assertEqual(vac[0]["period_ru"], "14.12.2026 — 18.12.2026")
        # every step in the audit log, with its comment
        self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action = 'requests.approved' AND "
                                    "details->>'comment' = 'согласовано' AND object_id = '%d'" % rid), 1)
        # the employee and the manager were told
        self.assertGreaterEqual(self.count(
            "SELECT count(*) FROM notifications WHERE employee_id = %d AND kind = 'task_new' AND "
            "request_id = %d" % (o.id["M"], rid)), 1)
        self.assertEqual(self.count(
            "SELECT count(*) FROM notifications WHERE employee_id = %d AND kind = 'request_state' AND "
            "request_id = %d" % (o.id["E1"], rid)), 3)  # approved, in progress, done
        # a done request is not cancelled
        self.assertEqual(o["E1"].post("/api/requests/%d/cancel" % rid, {}).status, 409)
        # a vacation over it is refused in the employee's words, at the
        # date field (F-req-1): the request it came from, not «документ (ОТ)»
        number = self.get("E1", rid)["number"]
        r = o["E1"].post("/api/requests", {"type": "vacation", "kind": "annual",
                                           "date_from": "2026-12-17", "date_to": "2026-12-23"})
        self.assertEqual(r.status, 409, r)
        err = r.json()["error"]
        text = "Пересекается с вашим отпуском по заявке № %d (14.12.2026–18.12.2026)" % number
        self.assertEqual(err["message"], text)
        self.assertEqual(err["fields"], {"date_from": text})
        self.assertEqual(err["field_codes"], {"date_from": "overlap"})

    def test_vacation_days_leave_out_the_holidays(self):
        # U9: 22.02-09.03.2027 holds 23.02 and 08.03 (the 2027 calendar): the
        # vacation spends 14 days, not 16 - the form, the request and the
        # approver's task compare the same count with the balance
        o = self.o
        b = o["E1"].get("/api/vacation/balance?date_from=2027-02-22&date_to=2027-03-09").json()
        self.assertEqual((b["requested_days"], b["requested_calendar_days"], b["requested_holidays"]),
                         (14, 16, 2), b)
        self.assertNotIn("requested_days", o["E1"].get("/api/vacation/balance").json())
        r = o["E1"].get("/api/vacation/balance?date_from=2027-03-09&date_to=2027-02-22")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["date_to"],
                         "Дата окончания отпуска раньше даты начала")
        r = o["E1"].get("/api/vacation/balance?date_from=31.02.2027&date_to=2027-03-09")
        self.assertEqual(r.status, 422, r)
        self.assertIn("date_from", r.json()["error"]["fields"])
        rid = self.file("E1", {"type": "vacation", "kind": "annual", "date_from": "2027-02-22",
                               "date_to": "2027-03-09"})["id"]
        req = self.get("E1", rid)
        self.assertEqual((req["vacation_days"], req["vacation_holidays"]), (14, 2))
        t = self.task("M", rid, "approval")
        b = o["M"].get("/api/tasks/%d/vacation-balance" % t).json()
        self.assertEqual((b["requested_days"], b["requested_holidays"]), (14, 2), b)
        # the approver's notification (its email and SMS too) states the same length
        note = self.notes("M", "task_new", rid)
        self.assertEqual(len(note), 1, note)
        self.assertIn("с 22.02.2027 по 09.03.2027 (14 дней, не считая 2 праздничных)", note[0])
        self.assertNotIn("16 дней", note[0])
        # an unpaid leave is in calendar days: no vacation days to show
        self.assertEqual(o["E1"].post("/api/requests/%d/cancel" % rid, {}).status, 200)
        rid = self.file("E1", {"type": "vacation", "kind": "unpaid", "date_from": "2027-02-22",
                               "date_to": "2027-03-09", "comment": "семейные обстоятельства"})["id"]
        self.assertNotIn("vacation_days", self.get("E1", rid))
        note = self.notes("M", "task_new", rid)
        self.assertIn("с 22.02.2027 по 09.03.2027 (16 дней)", note[0])
        self.assertEqual(o["E1"].post("/api/requests/%d/cancel" % rid, {}).status, 200)

    def test_absence_without_a_department_head(self):
        o = self.o
        # «Склад» has no head: the organization's head approves
        js = self.file("E2", {"type": "absence", "reason": "sick", "date_from": "2026-12-07",
                              "date_to": "2026-12-08"})
        rid = js["id"]
        t = self.task("H", rid, "approval")
        self.assertIsNone(o.task("M", rid, "approval"))
        self.act("H", t, "approve")
        self.act("P", self.task("P", rid, "execution"), "complete")
        codes = self.timesheet_codes("E2", "2026-12")
        self.assertEqual((codes[7], codes[8], codes[9]), ("Б", "Б", "Я"))
        req = self.get("E2", rid)
        self.assertEqual(req["history"][2]["details"]["how"], "organization_head")
        # a reason that does not exist is named
        r = o["E2"].post("/api/requests", {"type": "absence", "reason": "мигрень",
                                           "date_from": "2026-12-09", "date_to": "2026-12-09"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("reason", r.json()["error"]["fields"])

    def test_nobody_to_approve_skips_approval_and_says_so(self):
        o = self.o
        js = self.file("E4", {"type": "vacation", "date_from": "2026-12-21", "date_to": "2026-12-22"})
        rid = js["id"]
        self.assertEqual(js["state"], "submitted")
        req = self.get("E4", rid)
        self.assertEqual(self.actions(req), ["created", "submitted", "approval_skipped", "assigned"])
        self.assertIn("пропущено", req["history"][2]["comment"])
        self.act("P", self.task("P", rid, "execution"), "complete")
        self.assertEqual(self.get("E4", rid)["state"], "done")

    def test_business_trip_goes_to_the_coordinator_after_approval(self):
        js = self.file("E3", {"type": "business_trip", "date_from": "2026-12-02", "date_to": "2026-12-03",
                              "destination": "Казань", "purpose": "Аудит филиала"})
        rid = js["id"]
        self.act("M", self.task("M", rid, "approval"), "approve")
        self.act("C", self.task("C", rid, "execution"), "complete")
        codes = self.timesheet_codes("E3", "2026-12")
        self.assertEqual((codes[2], codes[3]), ("К", "К"))
        # both fields are required
        r = self.o["E3"].post("/api/requests", {"type": "business_trip", "date_from": "2026-12-10",
                                                "date_to": "2026-12-10"})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(r.json()["error"]["fields"]), {"destination", "purpose"})

    def test_a_chain_of_three(self):
        o = self.o
        r = o.admin.put("/api/admin/routing/chains",
                        {"certificate_employment": ["manager", "role:certificate_employment",
                                                    "role:coordinator"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["certificate_employment"],
                         ["manager", "role:certificate_employment", "role:coordinator"])
        self.assertIsNone(r.json()["vacation"])
        try:
            rid = self.file("E1", {"type": "certificate_employment", "purpose": "в банк"})["id"]
            self.act("M", self.task("M", rid, "approval"), "approve")
            self.assertEqual(self.get("E1", rid)["state"], "awaiting_approval")
            self.act("P", self.task("P", rid, "approval"), "approve")
            self.assertEqual(self.get("E1", rid)["state"], "approved")
            self.act("C", self.task("C", rid, "execution"), "complete", {"comment": "готово"})
            self.assertEqual(self.get("E1", rid)["state"], "done")
        finally:
            o.admin.put("/api/admin/routing/chains", {"certificate_employment": None})
        # a step that is not a step is named
        r = o.admin.put("/api/admin/routing/chains", {"vacation": ["manager", "role:boss"]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("vacation[1]", r.json()["error"]["fields"])
        r = o.admin.put("/api/admin/routing/chains", {"holiday": ["manager"]})
        self.assertEqual(r.status, 422, r)

    def test_forward_picker_lists_who_can_act(self):
        """The people picker of a forward (and of the administrator's forward
        of stuck tasks, and of a substitute) suggests exactly the people the
        forward accepts: no one without a cabinet, blocked, with a closed
        cabinet or dismissed (the core's one rule, ROUTING_CAN_ACT_SQL)."""
        o, s = self.o, self.s
        people = {}
        for key, name in (("ok", "Подборов Активный Ильич"), ("nocab", "Подборов Безкабинетный Ильич"),
                          ("blocked", "Подборов Заблокированный Ильич"),
                          ("closed", "Подборов Закрытый Ильич"), ("gone", "Подборов Уволенный Ильич")):
            eid = people[key] = add_employee(s, o.tid, name, hired="2020-01-01",
                                             **({"dismissed": "2021-01-31"} if key == "gone" else {}))
            if key != "nocab":
                add_user(s, o.tid, name, employee_id=eid, status="blocked" if key == "blocked" else "active")
            if key == "closed":
                s.psql("INSERT INTO cabinets (tenant_id, employee_id, state) VALUES (%d, %d, 'disabled') "
                       "ON CONFLICT (tenant_id, employee_id) DO UPDATE SET state = 'disabled'" % (o.tid, eid))
        q = urllib.parse.quote("Подборов")

        def names(client, path):
            r = client.get(path)
            self.assertEqual(r.status, 200, r)
            return sorted(x["full_name"].split()[1] for x in r.json()["items"])

        self.assertEqual(names(o["C"], "/api/employees?q=%s&can_act=true" % q), ["Активный"])
        self.assertEqual(names(o.admin, "/api/admin/employees?q=%s&can_act=true" % q), ["Активный"])
        # without the filter: every working one (the HR task's picker)
        self.assertEqual(names(o["C"], "/api/employees?q=%s" % q),
                         ["Активный", "Безкабинетный", "Заблокированный", "Закрытый"])
        # the pickers of a forward and of a substitute ask for the filter
        page = o.admin.get("/admin/routing")
        self.assertEqual(page.status, 200, page)
        self.assertIn('data-picker="employee" data-can-act><label>Заместитель', page.text.replace("\n    ", ""))
        # the chains explained in the words of the selects, no internal codes (F7)
        hint = re.search(r'<p class="hint">Шаги цепочки.*?</p>', page.text).group(0)
        self.assertIn("«Руководитель сотрудника»", hint)
        self.assertIn("«Роль „Ответственный за заявления на отпуск“»", hint)
        self.assertNotRegex(hint, r"manager|role:|personal_data|<code>")
        # the forward takes exactly whom the picker lists
        rid = self.file("E1", {"type": "question", "text": "Кому передать?"})["id"]
        t = self.task("C", rid, "execution")
        for key in ("nocab", "blocked", "closed", "gone"):
            r = o["C"].post("/api/tasks/%d/forward" % t, {"to": people[key]})
            self.assertEqual(r.status, 422, (key, r))
            self.assertIn("to", r.json()["error"]["fields"])
        self.act("C", t, "forward", {"to": people["ok"]})

    def test_forwarding(self):
        o = self.o
        rid = self.file("E1", {"type": "question", "text": "Как получить справку 2-НДФЛ?"})["id"]
        t = self.task("C", rid, "execution")
        # not to the author (by id or by name, the field named in Russian -
        # F12), not to a stranger, not to oneself
        for body in ({"to": o.id["E1"]}, {"to": str(o.id["E1"])}):
            e = self.act("C", t, "forward", body, status=422)["error"]
            self.assertEqual(e["fields"]["to"], "Нельзя передать задачу автору заявки", body)
        self.assertIsNotNone(o.task("C", rid, "execution"))
        self.act("C", t, "forward", {"to": 999999}, status=422)
        self.act("C", t, "forward", {"to": o.id["C"]}, status=422)
        js = self.act("C", t, "forward", {"to": o.id["P"], "comment": "это к расчётному отделу"})
        self.assertIsNone(o.task("C", rid, "execution"))
        t2 = self.task("P", rid, "execution")
        self.assertEqual(js["next_task_id"], t2)
        self.assertEqual([i["state"] for i in o.tasks("C", "forwarded") if i["id"] == t], ["forwarded"])
        self.act("C", t, "complete", status=409)
        self.act("P", t2, "complete", {"comment": "Справку можно заказать в кабинете"})
        req = self.get("E1", rid)
        self.assertEqual(req["state"], "done")
        fw = [h for h in req["history"] if h["action"] == "forwarded"][0]
        self.assertEqual((fw["who"], fw["comment"]), ("Громова Нина Петровна", "это к расчётному отделу"))
        # the history names the new performer, not only "forwarded"
        self.assertEqual(fw["details"]["assignee"], "Орлова Екатерина Николаевна")
        # the task lists: who has it now, and who passed it and why
        old = [i for i in o.tasks("C", "forwarded") if i["id"] == t][0]
        self.assertEqual((old["forwarded_to"]["full_name"], old["comment"]),
                         ("Орлова Екатерина Николаевна", "это к расчётному отделу"))
        new = [i for i in o.tasks("P", "done") if i["id"] == t2][0]
        self.assertEqual((new["forwarded_from"]["full_name"], new["forward_comment"]),
                         ("Громова Нина Петровна", "это к расчётному отделу"))
        # the employee is told who has it and why; the new performer, why
        self.assertEqual(self.notes("E1", "request_forwarded", rid),
                         ["Ваша заявка «Вопрос № %d» передана другому исполнителю: Орлова Екатерина "
                          "Николаевна. Комментарий: это к расчётному отделу" % req["number"]])
        self.assertIn("Комментарий: это к расчётному отделу", self.notes("P", "task_new", rid)[0])

    def test_forwarding_to_a_surname(self):
        """trial-user4 F5: the employee site's forward takes a unique surname
        or the start of a name as the admin pickers do; several people are
        named in the refusal."""
        o = self.o
        rid = self.file("E1", {"type": "question", "text": "Кому про отпуск?"})["id"]
        t = self.task("C", rid, "execution")
        js = self.act("C", t, "forward", {"to_name": "О"}, status=422)
        msg = js["error"]["fields"]["to_name"]
        self.assertTrue(msg.startswith("Найдено 2 сотрудника по «О»: "), msg)
        self.assertIn("Одинокий Олег Олегович", msg)
        self.assertIn("Орлова Екатерина Николаевна", msg)
        self.assertTrue(msg.endswith("— уточните ФИО или укажите табельный номер"), msg)
        js = self.act("C", t, "forward", {"to_name": "Нетакова"}, status=422)
        self.assertEqual(js["error"]["fields"]["to_name"],
                         "Сотрудник «Нетакова» не найден: укажите ФИО или табельный номер")
        self.act("C", t, "forward", {"to_name": "орлова"})
        self.assertIsNotNone(self.task("P", rid, "execution"))
        self.cancel("E1", rid)

    # ------------------------------------------------ the breaker trial's findings

    def person(self, name, cabinet=True, **cols):
        """A new employee of the organization (hired 01.01.2020); with cabinet,
        an account and a session (a Client), else None."""
        cols.setdefault("hired", "2020-01-01")
        eid = add_employee(self.s, self.o.tid, name, **cols)
        if not cabinet:
            return eid, None
        uid = add_user(self.s, self.o.tid, name, employee_id=eid)
        token, csrf = add_session(self.s, self.o.tid, uid)
        return eid, Client(self.s, self.o.sub, token, csrf)

    def test_a_balance_without_opening_balances_says_so(self):
        """trial-user4 F6: someone hired years before the service knew the
        organization sees the balance with the warning that the vacations
        before then are unknown (the manager's task and the certificate say
        it too); entered opening balances make it a fact."""
        o = self.o
        eid, emp = self.person("Давнова Ирина Петровна", hired="2021-02-01")
        today = emp.get("/api/vacation/balance").json()["date"]
        first = self.s.psql("SELECT least((SELECT min(month) FROM payroll_employees WHERE tenant_id = %d), "
                            "date_trunc('month', '%s'::date)::date)" % (o.tid, today))
        b = emp.get("/api/vacation/balance").json()
        ru = "%s.%s.%s" % (first[8:10], first[5:7], first[0:4])
        self.assertEqual(b["opening_missing"]["known_from"], first)
        self.assertEqual(b["opening_missing"]["text_ru"],
                         "Начальные остатки ещё не введены: отпуска до %s сервису не известны, остаток "
                         "посчитан без них и может быть меньше. Точный остаток — в отделе кадров." % ru)
        # the same for HR's view of the balance
        a = o.admin.get("/api/admin/employees/%d/vacation-balance" % eid).json()
        self.assertEqual(a["opening_missing"]["known_from"], first)
        # someone hired in the month the service knows: nothing is missing
        _, fresh = self.person("Новикова Вера Павловна", hired=today)
        self.assertNotIn("opening_missing", fresh.get("/api/vacation/balance").json())
        # entered: the balance is a fact
        r = o.admin.put("/api/admin/employees/%d/opening-balance" % eid,
                        {"as_of": today, "vacation_days_used": 100})
        self.assertEqual(r.status, 200, r)
        b2 = emp.get("/api/vacation/balance").json()
        self.assertNotIn("opening_missing", b2)
        self.assertEqual(float(b2["balance"]), round(float(b["balance"]) - 100, 1))

    def test_two_filings_at_once_one_wins(self):
        """Finding 1: two requests for the same person sent at the same time
        (a double click) take turns: one 201, the other 409 naming the first."""
        _, c = self.person("Двойной Клик Кликович")
        for n, (f, t) in enumerate([("2027-11-08", "2027-11-12"), ("2027-11-15", "2027-11-19"),
                                    ("2027-11-22", "2027-11-26")]):
            body = {"type": "vacation", "kind": "annual", "date_from": f, "date_to": t}
            # the second one's period overlaps the first by a day
            body2 = dict(body, date_from=f if n == 0 else t)
            got, go = [], threading.Barrier(2)

            def send(b):
                go.wait()
                got.append(c.post("/api/requests", b))
            ts = [threading.Thread(target=send, args=(b,)) for b in (body, body2)]
            for x in ts:
                x.start()
            for x in ts:
                x.join()
            self.assertEqual(sorted(r.status for r in got), [201, 409], [str(r) for r in got])
            won = [r for r in got if r.status == 201][0].json()
            msg = [r for r in got if r.status == 409][0].json()["error"]["message"]
            self.assertIn("Пересекается с вашей заявкой № %d «Отпуск»" % won["request"]["number"], msg)
            self.assertIn(won["request"]["date_from"][8:10] + "." + won["request"]["date_from"][5:7], msg)

    def test_filing_checks_what_completion_checks(self):
        """Finding 5: what completing a request would refuse is refused when it
        is filed, at the employee's field, by the same check."""
        o = self.o
        eid, c = self.person("Ранний Пётр Петрович")
        # before the hire
        r = c.post("/api/requests", {"type": "absence", "reason": "day_off", "date_from": "1900-01-01",
                                     "date_to": "1900-01-01"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["date_from"],
                         "01.01.1900 — вне периода работы сотрудника: принят 01.01.2020")
        # a draft passes, its submission does not
        d = c.post("/api/requests", {"type": "vacation", "date_from": "2019-12-30", "date_to": "2020-01-03",
                                     "draft": True})
        self.assertEqual(d.status, 201, d)
        r = c.post("/api/requests/%d/submit" % d.json()["id"], {})
        self.assertEqual(r.status, 422, r)
        self.assertIn("вне периода работы", r.json()["error"]["fields"]["date_from"])
        # a child whose deduction ends before it starts
        r = c.post("/api/requests", {"type": "tax_deduction",
                                     "children": [{"order": 1, "from": "2026-05-01", "to": "2026-01-01"}]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["children[0].to"], "Дата окончания раньше даты начала")
        # after the dismissal
        self.s.psql("UPDATE employees SET dismissed = '2027-06-30' WHERE id = %d" % eid)
        r = c.post("/api/requests", {"type": "vacation", "date_from": "2027-06-29", "date_to": "2027-07-02"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["date_to"],
                         "01.07.2027 — вне периода работы сотрудника: уволен 30.06.2027")
        # the same check at completion: the hire date moved after the filing
        rid = c.post("/api/requests", {"type": "vacation", "date_from": "2027-03-01",
                                       "date_to": "2027-03-05"}).json()["id"]
        self.s.psql("UPDATE employees SET hired = '2027-03-03' WHERE id = %d" % eid)
        t = self.task("P", rid, "execution")
        js = self.act("P", t, "complete", status=422)
        self.assertEqual(js["error"]["fields"]["date_from"],
                         "01.03.2027 — вне периода работы сотрудника: принят 03.03.2027")
        self.assertEqual(self.get("P", rid)["state"], "submitted")
        self.assertEqual(o.admin.post("/api/tasks/%d/reject" % t, {"reason": "x"}).status, 404)
        self.act("P", t, "reject", {"reason": "Дата приёма изменилась"})

    def test_tasks_go_only_to_people_who_can_sign_in(self):
        """Finding 3: a forwarding, a routing role and a substitute name someone
        who can act; the administrator takes back a task whose holder cannot."""
        o = self.o
        nobody, _ = self.person("Безкабинетный Борис Борисович", cabinet=False)
        gone, _ = self.person("Уволенный Игорь Ильич", dismissed="2026-01-31")
        later, lc = self.person("Позднее Павел Павлович")
        rid = self.file("E1", {"type": "question", "text": "Кому это?"})["id"]
        t = self.task("C", rid, "execution")
        js = self.act("C", t, "forward", {"to": nobody}, status=422)
        self.assertIn("нет личного кабинета", js["error"]["fields"]["to"])
        js = self.act("C", t, "forward", {"to": gone}, status=422)
        self.assertEqual(js["error"]["fields"]["to"], "Сотрудник уволен 31.01.2026 — он не сможет выполнить задачу")
        js = self.act("C", t, "forward", {"to": 999999}, status=422)
        self.assertEqual(js["error"]["fields"]["to"], "Сотрудник не найден")
        # a role's performer may be named before the cabinets are made (the
        # usual order of setting up); the role passes over him until then
        before = o.admin.get("/api/admin/routing").json()["roles"]["certificate_employment"]
        r = o.admin.put("/api/admin/routing", {"roles": {"certificate_employment": [nobody]}})
        self.assertEqual(r.status, 200, r)
        try:
            rid0 = self.file("E1", {"type": "certificate_employment", "purpose": "в банк"})["id"]
            self.assertIsNotNone(self.task("C", rid0, "execution"))  # to the coordinator
            self.assertEqual(o["E1"].post("/api/requests/%d/cancel" % rid0, {}).status, 200)
        finally:
            o.admin.put("/api/admin/routing", {"roles": {"certificate_employment": before}})
        r = o.admin.put("/api/admin/routing", {"roles": {"certificate_ndfl": [gone]}})
        self.assertEqual(r.status, 422, r)
        self.assertIn("уволен", r.json()["error"]["fields"]["roles.certificate_ndfl[0]"])
        r = o["M"].post("/api/substitutes", {"substitute_id": gone, "date_from": "2027-01-01",
                                             "date_to": "2027-01-31"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("уволен", r.json()["error"]["fields"]["substitute_id"])
        # a holder whose cabinet closed after the task came: the request shows
        # it, and the administrator (who cannot act on it) passes it on
        js = self.act("C", t, "forward", {"to": later})
        t2 = js["next_task_id"]
        self.assertTrue([x for x in self.get("A", rid)["tasks"] if x["id"] == t2][0]["assignee_can_act"])
        self.s.psql("UPDATE users SET status = 'blocked' WHERE employee_id = %d" % later)
        self.assertFalse([x for x in self.get("A", rid)["tasks"] if x["id"] == t2][0]["assignee_can_act"])
        self.assertEqual(o.admin.post("/api/tasks/%d/complete" % t2, {}).status, 404)
        self.assertEqual(o["E2"].post("/api/tasks/%d/forward" % t2, {"to": o.id["P"]}).status, 404)
        js = self.act("A", t2, "forward", {"to": o.id["P"], "comment": "Сотрудник не может войти"})
        self.assertEqual(js["request"]["state"], "submitted")
        self.act("P", self.task("P", rid, "execution"), "complete", {"comment": "Ответ дан"})
        self.assertEqual(self.get("E1", rid)["state"], "done")
        # the routing page lists such tasks and passes them on by name
        self.s.psql("UPDATE users SET status = 'active' WHERE employee_id = %d" % later)
        rid2 = self.file("E2", {"type": "question", "text": "И это кому?"})["id"]
        t3 = self.act("C", self.task("C", rid2, "execution"), "forward", {"to": later})["next_task_id"]
        self.s.psql("UPDATE users SET status = 'blocked' WHERE employee_id = %d" % later)
        page = o.admin.get("/admin/routing")
        self.assertIn('action="/admin/routing/tasks/%d/forward"' % t3, page.text)
        self.assertIn("Позднее Павел Павлович", page.text)
        r = self.form("/admin/routing/tasks/%d/forward" % t3, "to_name=" + urllib.parse.quote(
            "Безкабинетный Борис Борисович"))
        self.assertEqual(r.status, 422, r)
        self.assertIn("нет личного кабинета", r.text)
        r = self.form("/admin/routing/tasks/%d/forward" % t3, "to_name=" + urllib.parse.quote(
            "Орлова Екатерина Николаевна"))
        self.assertEqual(r.status // 100, 3, r)
        self.assertNotIn('action="/admin/routing/tasks/%d/forward"' % t3, o.admin.get("/admin/routing").text)
        self.assertIsNotNone(o.task("P", rid2, "execution"))

    def test_a_deviation_over_a_running_request_warns(self):
        """Finding 6: the administrator's document over a request not done yet
        is saved with a warning naming the request."""
        o = self.o
        js = self.file("E3", {"type": "vacation", "date_from": "2027-04-01", "date_to": "2027-04-10"})
        rid, number = js["id"], js["request"]["number"]
        r = o.admin.post("/api/admin/deviations", {"employee_id": o.id["E3"], "code": "ОТ",
                                                   "date_from": "2027-04-03", "date_to": "2027-04-04"})
        self.assertEqual(r.status, 201, r)
        w = [x for x in r.json()["warnings"] if x["code"] == "running_request"]
        self.assertEqual([(x["request_id"], x["request_number"]) for x in w], [(rid, number)])
        self.assertEqual(w[0]["message"],
                         "Документ пересекается с заявкой № %d (Отпуск с 01.04.2027 по 10.04.2027), она ещё "
                         "не выполнена. Выполнить её теперь не получится: отклоните заявку или удалите этот "
                         "документ." % number)
        # a document elsewhere: no such warning
        r2 = o.admin.post("/api/admin/deviations", {"employee_id": o.id["E3"], "code": "ОТ",
                                                    "date_from": "2027-05-03", "date_to": "2027-05-04"})
        self.assertEqual([x for x in r2.json()["warnings"] if x["code"] == "running_request"], [])
        for d in (r, r2):
            self.assertEqual(o.admin.delete("/api/admin/deviations/%d" % d.json()["deviation"]["id"]).status,
                             200)
        self.cancel("E3", rid)

    def test_a_long_period_is_said_in_russian(self):
        """Finding 14: «не длиннее 731 дня», not «731 дней»."""
        r = self.o.admin.post("/api/admin/deviations", {"employee_id": self.o.id["E3"], "code": "ОТ",
                                                        "date_from": "2030-01-01", "date_to": "2032-12-31"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["date_to"], "Документ не длиннее 731 дня")

    def notes(self, who, kind, rid):
        return self.s.psql("SELECT text FROM notifications WHERE employee_id = %d AND kind = '%s' AND "
                           "request_id = %d ORDER BY id" % (self.o.id[who], kind, rid)).splitlines()

    # ------------------------------------------------- texts that read right

    def test_a_refusal_leaves_at_most_a_gap_in_the_numbers(self):
        o = self.o
        first = self.file("E3", {"type": "vacation", "date_from": "2027-09-06", "date_to": "2027-09-10"})
        # the same days again: refused (409); its number, drawn before the
        # overlap was found, is given to nobody (sql/0068: gaps are allowed)
        r = o["E3"].post("/api/requests", {"type": "vacation", "date_from": "2027-09-08",
                                            "date_to": "2027-09-09"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("№ %d " % first["request"]["number"], r.json()["error"]["message"])
        # a draft refused at its submission keeps the number it had
        r = o["E3"].post("/api/requests", {"type": "vacation", "date_from": "2027-09-08",
                                            "date_to": "2027-09-09", "draft": True})
        self.assertEqual(r.status, 201, r)
        draft = r.json()
        self.assertIn(draft["request"]["number"] - first["request"]["number"], (1, 2))
        self.assertEqual(o["E3"].post("/api/requests/%d/submit" % draft["id"], {}).status, 409)
        self.assertEqual(self.get("E3", draft["id"])["number"], draft["request"]["number"])
        nxt = self.file("E3", {"type": "question", "text": "Следующий номер?"})
        self.assertEqual(nxt["request"]["number"], draft["request"]["number"] + 1)
        # no request without a number, none shared
        self.assertEqual(self.count("SELECT count(*) - count(DISTINCT number) FROM requests WHERE "
                                    "tenant_id = %d" % o.tid), 0)
        # and it is what people read
        self.assertIn("Отпуск № %d с 06.09.2027" % first["request"]["number"],
                      self.notes("M", "task_new", first["id"])[0])
        self.assertEqual(self.notes("E3", "request_state", draft["id"]), [])
        self.cancel("E3", first["id"], nxt["id"])

    def test_concurrent_creations_take_distinct_numbers_without_waiting(self):
        o = self.o
        people = ["E1", "E2", "E3", "S", "E4", "H", "M", "A"]
        first = self.file("E1", {"type": "question", "text": "Первый"})
        filed = [("E1", first)]
        # one creation alone, for the record
        alone, took_alone = [], []
        for i in range(3):
            t0 = time.monotonic()
            alone.append(self.file(people[i], {"type": "question", "text": "Один %d" % i}))
            took_alone.append(time.monotonic() - t0)
            filed.append((people[i], alone[-1]))
        # sixteen at once in one organization
        got, lock = [], threading.Lock()
        start = threading.Barrier(16)

        def one(i):
            start.wait()
            t0 = time.monotonic()
            who = people[i % len(people)]
            r = o[who].post("/api/requests", {"type": "question", "text": "Вместе %d" % i})
            took = time.monotonic() - t0
            with lock:
                got.append((who, r, took))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(r.status for _, r, _ in got), [201] * 16, [r for _, r, _ in got])
        filed += [(who, r.json()) for who, r, _ in got]
        numbers = [r.json()["request"]["number"] for _, r, _ in got]
        self.assertEqual(len(set(numbers)), 16, numbers)
        # increasing: all after the ones filed before them
        self.assertGreater(min(numbers), max(a["request"]["number"] for a in alone))
        self.assertGreater(min(a["request"]["number"] for a in alone), first["request"]["number"])
        # each keeps the number its answer said
        for who, r, _ in got:
            js = r.json()
            self.assertEqual(self.get(who, js["id"])["number"], js["request"]["number"])
        # for the record, not asserted (the machine is shared; cabinetd's
        # workers take 16 at once in turns)
        sys.stderr.write("\n  16 creations at once: the slowest %.1f ms, the fastest %.1f ms; "
                         "one alone: %.1f ms\n" % (max(t for _, _, t in got) * 1000,
                                                    min(t for _, _, t in got) * 1000,
                                                    min(took_alone) * 1000))
        # a creation does not wait for another one still open after it took
        # its number (the old counter row held every creation until that
        # one's commit): the API answers while it is held, and the number
        # the open one drew is skipped after its rollback
        hold = self.psql_session()
        try:
            hold.stdin.write("BEGIN;\nSELECT set_config('app.tenant_id', '%d', true);\n"
                             "SELECT request_number_next() AS held;\n" % o.tid)
            hold.stdin.flush()
            self.wait_for("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                          "AND query LIKE '%request_number_next() AS held%'", "the number held")
            during = self.file("E2", {"type": "question", "text": "Пока другой открыт"})
            filed.append(("E2", during))
            # the held number is the next one: this creation takes the one after
            self.assertEqual(during["request"]["number"], max(numbers) + 2)
        finally:
            hold.stdin.write("ROLLBACK;\n\\q\n")
            hold.stdin.close()
            hold.wait(timeout=30)
        after = self.file("E2", {"type": "question", "text": "После отката"})
        filed.append(("E2", after))
        # rolled back, the held number stays a gap; the numbers go on
        self.assertEqual(after["request"]["number"], during["request"]["number"] + 1)
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE tenant_id = %d AND number = %d"
                                    % (o.tid, max(numbers) + 1)), 0)
        for who, js in filed:
            self.cancel(who, js["id"])

    def test_the_numbers_are_each_organizations_own(self):
        o = self.o
        mine = self.file("E1", {"type": "question", "text": "Свой номер", "draft": True})
        self.assertGreater(mine["request"]["number"], 1)
        # a new organization starts at 1 and goes on by itself, whatever
        # the first one files in between
        tid = add_tenant(self.s, "nomera", "ООО «Номера»")
        eid = add_employee(self.s, tid, "Новикова Нина Андреевна", personnel_number="N-1",
                           hired="2020-01-01", email="n@nomera.example")
        token, csrf = add_session(self.s, tid, add_user(self.s, tid, "Новикова Нина Андреевна",
                                                        employee_id=eid, email="n@nomera.example"))
        other = Client(self.s, "nomera", token, csrf)
        numbers = []
        for i in range(2):
            r = other.post("/api/requests", {"type": "question", "text": "Вопрос %d" % i, "draft": True})
            self.assertEqual(r.status, 201, r)
            numbers.append(r.json()["request"]["number"])
            self.file("E1", {"type": "question", "text": "Между %d" % i, "draft": True})
        self.assertEqual(numbers, [1, 2])
        # its sequence came with it, and the service's role draws a number
        # only of its own transaction's organization (request_number_next),
        # never another's directly
        self.assertEqual(self.s.psql("SELECT last_value FROM request_number_%d" % tid), "2")
        for sql in ("SELECT nextval('request_number_%d')" % o.tid,
                    "SELECT setval('request_number_%d', 1)" % o.tid):
            with self.assertRaises(AssertionError) as e:
                self.s.psql("BEGIN; SET LOCAL ROLE cabinet_app; SELECT set_config('app.tenant_id', '%d', "
                            "true); %s; COMMIT" % (tid, sql))
            self.assertIn("permission denied", str(e.exception))
        self.assertEqual(self.s.psql("SELECT count(*) FROM requests WHERE tenant_id = %d" % tid), "2")

    def psql_session(self):
        """A psql reading statements from a pipe, to hold a transaction open."""
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", os.path.join(self.s.var, "pg", "sock"),
               "-U", "cabinet", "-d", "cabinet"]
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)

    def wait_for(self, sql, what, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if int(self.s.psql(sql)) > 0:
                return
            time.sleep(0.02)
        self.fail("waited in vain for " + what)

    def cancel(self, who, *rids):
        """Cancels the requests so their tasks do not stay open for the other tests."""
        for rid in rids:
            self.assertEqual(self.o[who].post("/api/requests/%d/cancel" % rid, {}).status, 200)

    def test_a_draft_takes_partial_input_and_submit_names_what_is_missing(self):
        o = self.o
        # a draft: what is given is checked, what is missing waits
        r = o["E1"].post("/api/requests", {"type": "business_trip", "draft": True, "date_from": "31.02.2027"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("date_from", r.json()["error"]["fields"])
        r = o["E1"].post("/api/requests", {"type": "business_trip", "draft": True, "destination": 5})
        self.assertEqual(r.status, 422, r)
        self.assertIn("destination", r.json()["error"]["fields"])
        js = self.file("E1", {"type": "business_trip", "draft": True, "date_from": "2027-10-04",
                              "destination": "Казань"})
        self.assertEqual(js["state"], "draft")
        self.assertEqual(js["request"]["data"]["date_from"], "2027-10-04")
        # the submission names every required field still missing: 422
        r = o["E1"].post("/api/requests/%d/submit" % js["id"], {})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(sorted(r.json()["error"]["fields"]), ["date_to", "purpose"])
        self.assertEqual(self.get("E1", js["id"])["state"], "draft")
        # a whole draft goes
        for body in ({"type": "question", "draft": True},
                     {"type": "certificate_ndfl", "draft": True},
                     {"type": "personal_data", "draft": True},
                     {"type": "absence", "draft": True, "date_to": "2027-10-20"}):
            d = self.file("E1", body)
            self.assertEqual(d["state"], "draft", body)
            r = o["E1"].post("/api/requests/%d/submit" % d["id"], {})
            self.assertEqual(r.status, 422, (body, r))
        d = self.file("E1", {"type": "absence", "draft": True, "date_from": "2027-10-20",
                             "date_to": "20.10.2027", "reason": "day_off"})
        r = o["E1"].post("/api/requests/%d/submit" % d["id"], {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "awaiting_approval")
        self.assertEqual((r.json()["request"]["date_from"], r.json()["request"]["date_to"]),
                         ("2027-10-20", "2027-10-20"))
        self.cancel("E1", d["id"])

    def test_notifications_read_as_a_person_writes(self):
        o = self.o
        rid = self.file("E3", {"type": "absence", "date_from": "2027-11-02", "date_to": "2027-11-02",
                               "reason": "day_off"})["id"]
        number = self.get("E3", rid)["number"]
        # the manager: the verb agrees with the employee (her patronymic)
        self.assertEqual(self.notes("M", "task_new", rid),
                         ["Соколова Елена Павловна подала заявку «Отсутствие № %d с 02.11.2027 по "
                          "02.11.2027 (1 день)»: нужно ваше согласование" % number])
        self.act("M", self.task("M", rid, "approval"), "approve")
        # the employee: her request, not her name; the state lower-case
        self.assertEqual(self.notes("E3", "request_state", rid),
                         ["Ваша заявка «Отсутствие № %d с 02.11.2027 по 02.11.2027 (1 день)» "
                          "согласована и ждёт исполнителя" % number])
        # each SMS is one Cyrillic segment
        self.assertEqual(self.s.psql("SELECT sms FROM notifications WHERE request_id = %d AND kind = "
                                     "'request_state'" % rid),
                         "Кабинет сотрудника: заявка № %d согласована и ждёт исполнителя" % number)
        self.assertEqual(self.count("SELECT count(*) FROM notifications WHERE char_length(sms) > 70"), 0)
        self.cancel("E3", rid)
        # a masculine one
        rid = self.file("E1", {"type": "question", "text": "Кто мой руководитель?"})["id"]
        self.assertEqual(self.notes("C", "task_new", rid),
                         ["Иванов Иван Иванович подал заявку «Вопрос № %d»: нужно её исполнить"
                          % self.get("E1", rid)["number"]])
        self.cancel("E1", rid)

    def test_a_wrong_chain_step_is_named(self):
        o = self.o
        r = o.admin.put("/api/admin/routing/chains", {"vacation": ["manager", "role:boss"]})
        self.assertEqual(r.status, 422, r)
        why = r.json()["error"]["fields"]["vacation[1]"]
        self.assertTrue(why.startswith("Шаг 2: роль «boss» не существует; можно: manager"), why)
        self.assertIn("role:coordinator", why)
        self.assertIn("role:certificate_employment", why)
        r = o.admin.put("/api/admin/routing/chains", {"vacation": ["boss", "role:vacation"]})
        self.assertEqual(r.status, 422, r)
        self.assertTrue(r.json()["error"]["fields"]["vacation[0]"].startswith("Шаг 1: «boss»"), r)
        self.assertIsNone(o.admin.get("/api/admin/routing/chains").json()["vacation"])

    def test_rejection(self):
        o = self.o
        rid = self.file("E3", {"type": "vacation", "date_from": "2026-12-28", "date_to": "2026-12-30"})["id"]
        t = self.task("M", rid, "approval")
        r = o["M"].post("/api/tasks/%d/reject" % t, {})
        self.assertEqual(r.status, 422)
        # says what to give and who reads it, not just «Обязательное поле»
        self.assertEqual(r.json()["error"]["fields"]["reason"], "Укажите причину — её увидит сотрудник")
        js = self.act("M", t, "reject", {"reason": "Конец года: нет замены"})
        self.assertEqual(js["request"]["state"], "rejected")
        self.assertEqual(js["request"]["reason"], "Конец года: нет замены")
        self.act("M", t, "approve", status=409)
        self.assertEqual(o["E3"].post("/api/requests/%d/cancel" % rid, {}).status, 409)
        self.assertEqual(self.count("SELECT count(*) FROM deviations WHERE request_id = %d" % rid), 0)
        # a performer rejects too
        rid = self.file("E3", {"type": "question", "text": "Вопрос не по адресу"})["id"]
        self.act("C", self.task("C", rid, "execution"), "reject", {"reason": "Не по адресу"})
        self.assertEqual(self.get("E3", rid)["state"], "rejected")

    def test_cancellation(self):
        o = self.o
        rid = self.file("E3", {"type": "vacation", "date_from": "2026-12-21", "date_to": "2026-12-23"})["id"]
        t = self.task("M", rid, "approval")
        # only the employee cancels
        self.assertEqual(o["M"].post("/api/requests/%d/cancel" % rid, {}).status, 404)
        r = o["E3"].post("/api/requests/%d/cancel" % rid, {"comment": "передумала"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["request"]["state"], "cancelled")
        self.assertIsNone(o.task("M", rid, "approval"))
        self.assertEqual([i["state"] for i in o.tasks("M", "all") if i["id"] == t], ["cancelled"])
        self.act("M", t, "approve", status=409)
        self.assertEqual(o["E3"].post("/api/requests/%d/cancel" % rid, {}).status, 409)
        # a draft: cancelled, or submitted later
        d = self.file("E3", {"type": "question", "text": "Черновик", "draft": True})
        self.assertEqual(d["state"], "draft")
        self.assertEqual(self.o.tasks("C"), [t for t in self.o.tasks("C") if t["request_id"] != d["id"]])
        r = o["E3"].post("/api/requests/%d/submit" % d["id"], {})
        self.assertEqual(r.json()["state"], "submitted")
        self.assertEqual(o["E3"].post("/api/requests/%d/submit" % d["id"], {}).status, 409)

    def test_a_substitute_during_the_approvers_vacation(self):
        o, s = self.o, self.s
        today = s.psql("SELECT (now() AT TIME ZONE 'Europe/Moscow')::date")
        # the manager's open task moves when she names her substitute for today
        early = self.file("E1", {"type": "absence", "reason": "day_off", "date_from": "2026-12-29",
                                 "date_to": "2026-12-29"})["id"]
        early_task = self.task("M", early, "approval")
        # a plain employee has no substitutes to name
        self.assertEqual(o["E1"].post("/api/substitutes", {"substitute_id": o.id["S"], "date_from": today,
                                                           "date_to": today}).status, 403)
        # the manager is on vacation today (a document of the timesheet)
        r = o.admin.post("/api/admin/deviations", {"employee_id": o.id["M"], "code": "ОТ",
                                                   "date_from": today, "date_to": today})
        self.assertEqual(r.status, 201, r)
        dev = r.json()["deviation"]["id"]
        try:
            r = o["M"].post("/api/substitutes", {"substitute_id": o.id["S"], "date_from": "2026-01-01",
                                                 "date_to": "2026-01-31"})
            self.assertEqual(r.status, 422, r)  # a period that is over
            r = o["M"].post("/api/substitutes", {"substitute_id": o.id["S"], "date_from": today,
                                                 "date_to": "2026-12-31" if today <= "2026-12-31" else today})
            self.assertEqual(r.status, 201, r)
            sub = r.json()["substitute"]
            self.assertNotIn("warnings", r.json())  # the substitute is at work
            self.assertEqual(r.json()["moved_tasks"], 1)
            self.assertIsNone(o.task("M", early, "approval"))
            moved = self.task("S", early, "approval")
            # a new request of her staff goes to the substitute, on her behalf
            rid = self.file("E3", {"type": "vacation", "date_from": "2026-12-24",
                                   "date_to": "2026-12-25"})["id"]
            self.assertIsNone(o.task("M", rid, "approval"))
            t = self.task("S", rid, "approval")
            item = [i for i in o.tasks("S") if i["id"] == t][0]
            self.assertEqual(item["on_behalf_of"], {"id": o.id["M"], "full_name": "Смирнова Анна Сергеевна"})
            self.act("S", t, "approve", {"comment": "за Смирнову"})
            self.act("S", moved, "approve")
            self.assertEqual(self.get("E3", rid)["state"], "approved")
            self.assertIn("substituted", self.actions(self.get("E1", early)))
            self.assertNotEqual(early_task, moved)
            # the substitute list, and only she removes her own
            self.assertEqual([i["id"] for i in o["M"].get("/api/substitutes").json()["items"]], [sub["id"]])
            self.assertEqual(o["S"].delete("/api/substitutes/%d" % sub["id"]).status, 404)
            self.assertEqual(o["H"].delete("/api/substitutes/%d" % sub["id"]).status, 404)
            self.assertEqual(o["M"].delete("/api/substitutes/%d" % sub["id"]).status, 200)
        finally:
            o.admin.delete("/api/admin/deviations/%d" % dev)

    def test_a_substitute_away_on_those_days_is_saved_with_a_warning(self):
        """trial-user 3, F8: a substitute on vacation on the dates is
        accepted, and the answer says when and why they are away."""
        o, s = self.o, self.s
        day = s.psql("SELECT ((now() AT TIME ZONE 'Europe/Moscow')::date + 40)::text")
        r = o.admin.post("/api/admin/deviations", {"employee_id": o.id["S"], "code": "ОТ",
                                                   "date_from": day, "date_to": day})
        self.assertEqual(r.status, 201, r)
        dev = r.json()["deviation"]["id"]
        try:
            r = o["M"].post("/api/substitutes", {"substitute_id": o.id["S"], "date_from": day,
                                                 "date_to": day})
            self.assertEqual(r.status, 201, r)
            name = r.json()["substitute"]["substitute"]["full_name"]
            [w] = r.json()["warnings"]
            self.assertEqual(w["code"], "substitute_away")
            day_ru = ".".join(reversed(day.split("-")))
            self.assertTrue(w["message"].startswith("Заместитель %s в эти дни сам отсутствует: %s — "
                                                    % (name, day_ru)), w)
            self.assertIn("(ОТ)", w["message"])
            o["M"].delete("/api/substitutes/%d" % r.json()["substitute"]["id"])
        finally:
            o.admin.delete("/api/admin/deviations/%d" % dev)

    def test_the_background_pass_takes_each_organizations_own_today(self):
        o, s = self.o, self.s
        # a day a month ahead: the manager names her substitute for it alone
        day = s.psql("SELECT ((now() AT TIME ZONE 'Europe/Moscow')::date + 30)::text")
        eve = s.psql("SELECT to_char(('%s'::date - 1) + time '11:00', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" % day)
        r = o["M"].post("/api/substitutes", {"substitute_id": o.id["S"], "date_from": day, "date_to": day})
        self.assertEqual(r.status, 201, r)
        sub = r.json()["substitute"]["id"]
        rid = self.file("E1", {"type": "absence", "reason": "day_off", "date_from": "2027-03-03",
                               "date_to": "2027-03-03"})["id"]
        try:
            self.task("M", rid, "approval")
            # 11:00 UTC the day before is still the day before in Moscow
            self.deadlines(eve)
            self.assertIsNone(o.task("S", rid, "approval"))
            # and already the day itself on Kiritimati (UTC+14): she is away there
            self.assertEqual(o.admin.put("/api/admin/settings", {"timezone": "Pacific/Kiritimati"}).status, 200)
            self.deadlines(eve)
            self.assertIsNone(o.task("M", rid, "approval"))
            self.task("S", rid, "approval")
        finally:
            o.admin.put("/api/admin/settings", {"timezone": "Europe/Moscow"})
            o["E1"].post("/api/requests/%d/cancel" % rid, {})
            o["M"].delete("/api/substitutes/%d" % sub)

    def moment(self, task, column, shift):
        return self.s.psql("SELECT to_char((%s + interval '%s') AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM request_tasks WHERE id = %d"
                           % (column, shift, task))

    def deadlines(self, now):
        r = self.o.admin.post("/api/debug/routing-deadlines", {"now": now})
        self.assertEqual(r.status, 200, r)
        return r.json()["tasks"]

    def test_an_escalation_past_the_deadline(self):
        o, s = self.o, self.s
        r = o.admin.put("/api/admin/routing/deadlines", {"certificate_vacation_balance": {"days": 2}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["certificate_vacation_balance"], {"days": 2})
        try:
            r = o.admin.put("/api/admin/routing/chains", {"certificate_vacation_balance": [
                "manager", "role:certificate_vacation_balance"]})
            self.assertEqual(r.status, 200, r)
            rid = self.file("E1", {"type": "certificate_vacation_balance"})["id"]
            t = self.task("M", rid, "approval")
            item = [i for i in o.tasks("M") if i["id"] == t][0]
            self.assertTrue(item["due_ru"])
            self.assertFalse(item["overdue"])
            # the deadline: the end of the second working day after today, in
            # the organization's zone (weekends and holidays skipped)
            due = s.psql("SELECT (due_at AT TIME ZONE 'Europe/Moscow')::text FROM request_tasks WHERE id = %d" % t)
            self.assertTrue(due.endswith("00:00:00"), due)
            days = int(s.psql(
                "SELECT count(*) FROM generate_series((now() AT TIME ZONE 'Europe/Moscow')::date + 1, "
                "(SELECT (due_at AT TIME ZONE 'Europe/Moscow')::date - 1 FROM request_tasks WHERE id = %d), "
                "interval '1 day') d WHERE extract(isodow FROM d) < 6" % t))
            self.assertGreaterEqual(days, 2)
            # before half the time: nothing; at half: a reminder, once
            self.assertEqual(self.deadlines(self.moment(t, "remind_at", "-1 minute")), 0)
            self.assertEqual(self.deadlines(self.moment(t, "remind_at", "1 minute")), 1)
            self.assertEqual(self.deadlines(self.moment(t, "remind_at", "2 minutes")), 0)
            self.assertEqual(self.count("SELECT count(*) FROM notifications WHERE employee_id = %d AND kind = "
                                        "'task_reminder' AND task_id = %d" % (o.id["M"], t)), 1)
            # past the deadline: to the next head up (the organization's head)
            self.assertEqual(self.deadlines(self.moment(t, "due_at", "1 hour")), 1)
            self.assertIsNone(o.task("M", rid, "approval"))
            t2 = self.task("H", rid, "approval")
            self.assertEqual(self.count("SELECT count(*) FROM notifications WHERE employee_id = %d AND kind = "
                                        "'task_escalated' AND task_id = %d" % (o.id["M"], t)), 1)
            req = self.get("E1", rid)
            esc = [h for h in req["history"] if h["action"] == "escalated"]
            self.assertEqual(len(esc), 1)
            self.assertEqual(esc[0]["who"], "Сервис")
            self.assertIn("Срок истёк", esc[0]["comment"])
            self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action = 'requests.escalated' AND "
                                        "object_id = '%d'" % rid), 1)
            # the head approves; the performer's task, overdue, goes to the coordinator
            self.act("H", t2, "approve")
            t3 = self.task("P", rid, "execution")
            self.assertEqual(self.deadlines(self.moment(t3, "due_at", "1 minute")), 2)  # reminded, escalated
            self.assertIsNone(o.task("P", rid, "execution"))
            self.act("C", self.task("C", rid, "execution"), "complete", {"comment": "Справка готова"})
            self.assertEqual(self.get("E1", rid)["state"], "done")
        finally:
            o.admin.put("/api/admin/routing/deadlines", {"certificate_vacation_balance": None})
            o.admin.put("/api/admin/routing/chains", {"certificate_vacation_balance": None})

    # ------------------------------------------------------------ effects

    def test_a_completion_whose_effect_fails_changes_nothing(self):
        o = self.o
        # a payroll month closed after the approval: 423 at completion (a
        # filing into a closed month is refused at once: test_request_races)
        rid = self.file("E3", {"type": "vacation", "date_from": "2026-10-12", "date_to": "2026-10-13"})["id"]
        later = self.file("E3", {"type": "vacation", "date_from": "2026-10-26", "date_to": "2026-10-27"})["id"]
        self.act("M", self.task("M", rid, "approval"), "approve")
        r = o.admin.post("/api/admin/payroll/2026-10/calculate", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(o.admin.post("/api/admin/payroll/2026-10/close", {}).status, 200)
        self.file("E3", {"type": "vacation", "date_from": "2026-10-19", "date_to": "2026-10-20"},
                  status=423)
        # F16: the approval of one filed before the close is refused too,
        # naming the month; the request still waits for its approver
        js = self.act("M", self.task("M", later, "approval"), "approve", status=423)
        self.assertIn("Месяц октябрь 2026 г. закрыт", js["error"]["message"])
        self.assertEqual(self.get("E3", later)["state"], "awaiting_approval")
        self.act("M", self.task("M", later, "approval"), "reject", {"reason": "Месяц закрыт"})
        t = self.task("P", rid, "execution")
        self.act("P", t, "take")
        events = self.count("SELECT count(*) FROM request_events WHERE request_id = %d" % rid)
        js = self.act("P", t, "complete", status=423)
        self.assertIn("error", js)
        self.assertEqual(self.get("E3", rid)["state"], "in_progress")
        self.assertEqual(self.task("P", rid, "execution"), t)
        self.assertEqual(self.count("SELECT count(*) FROM request_events WHERE request_id = %d" % rid), events)
        self.assertEqual(self.count("SELECT count(*) FROM deviations WHERE request_id = %d" % rid), 0)
        # an overlapping document entered after the request: 409
        rid = self.file("E3", {"type": "absence", "reason": "unpaid", "date_from": "2026-12-15",
                               "date_to": "2026-12-16"})["id"]
        self.act("M", self.task("M", rid, "approval"), "approve")
        r = o.admin.post("/api/admin/deviations", {"employee_id": o.id["E3"], "code": "Б",
                                                   "date_from": "2026-12-16", "date_to": "2026-12-17"})
        self.assertEqual(r.status, 201, r)
        js = self.act("P", self.task("P", rid, "execution"), "complete", status=409)
        self.assertIn("пересекается", js["error"]["message"])
        self.assertEqual(self.get("E3", rid)["state"], "approved")
        # and the overlap is refused when the request is filed, naming both
        r = o["E3"].post("/api/requests", {"type": "vacation", "date_from": "2026-12-17",
                                           "date_to": "2026-12-18"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"],
                         "Пересекается с вашим больничным (16.12.2026–17.12.2026)")

    def test_illness_during_a_vacation_through_a_request(self):
        """F13: a sick absence inside a done vacation is accepted, as the
        document path accepts a Б on an ОТ (art. 124), and its completion
        gives the Б with the vacation's days returned; another absence
        there is still refused."""
        o = Org(self.s, "bolnichny", "ООО «Больничный»")
        e = o["E1"]

        def step(who, rid, kind):
            t = o.task(who, rid, kind)
            self.assertIsNotNone(t, (who, rid, kind, o.tasks(who)))
            r = o[who].post("/api/tasks/%d/%s" % (t, "approve" if kind == "approval" else "complete"), {})
            self.assertEqual(r.status, 200, r)

        r = e.post("/api/requests", {"type": "vacation", "date_from": "2026-12-14", "date_to": "2026-12-18"})
        self.assertEqual(r.status, 201, r)
        vac = r.json()["id"]
        step("M", vac, "approval")
        step("P", vac, "execution")
        before = e.get("/api/vacation/balance?date=2026-12-31").json()
        r = e.post("/api/requests", {"type": "absence", "reason": "day_off", "date_from": "2026-12-15",
                                     "date_to": "2026-12-15"})
        self.assertEqual(r.status, 409, r)
        number = e.get("/api/requests/%d" % vac).json()["request"]["number"]
        self.assertEqual(r.json()["error"]["message"],
                         "Пересекается с вашим отпуском по заявке № %d (14.12.2026–18.12.2026)" % number)
        r = e.post("/api/requests", {"type": "absence", "reason": "sick", "date_from": "2026-12-15",
                                     "date_to": "2026-12-16"})
        self.assertEqual(r.status, 201, r)
        sick = r.json()["id"]
        step("M", sick, "approval")
        step("P", sick, "execution")
        self.assertEqual(self.get_as(e, sick)["state"], "done")
        r = e.get("/api/timesheet/2026-12")
        self.assertEqual(r.status, 200, r)
        codes = {d["day"]: d["codes"] for d in r.json()["employee"]["days"]}
        self.assertEqual([codes[d] for d in (14, 15, 16, 17, 18)], ["ОТ", "Б", "Б", "ОТ", "ОТ"])
        after = e.get("/api/vacation/balance?date=2026-12-31").json()
        self.assertEqual((before["returned_days"], after["returned_days"]), (0, 2), (before, after))
        self.assertEqual(float(after["balance"]) - float(before["balance"]), 2.0, (before, after))

    def test_two_files_in_one_upload_refused(self):
        e = self.o["E1"]
        r = e.post("/api/requests", {"type": "question", "text": "Файлы"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        pdf = b"%PDF-1.4\n%%EOF"
        part = ("--Q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n\r\n")
        body = (part % "a.pdf").encode() + pdf + b"\r\n" + (part % "b.pdf").encode() + pdf + \
            b"\r\n--Q--\r\n"
        r = e.request("POST", "/api/requests/%d/files" % rid,
                      headers={"Content-Type": "multipart/form-data; boundary=Q"}, raw=body)
        self.assertEqual(r.status, 422, r)
        self.assertIn("Один файл", r.json()["error"]["fields"]["file"])
        self.assertEqual(self.count("SELECT count(*) FROM request_files WHERE request_id = %d" % rid), 0)

    def test_admin_substitute_of_an_unknown_employee_named_at_its_field(self):
        r = self.o.admin.post("/api/admin/routing/substitutes", {
            "employee_id": 999999, "substitute_id": self.o.id["S"],
            "date_from": "2027-01-01", "date_to": "2027-01-02"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["employee_id"], "Сотрудник не найден")

    def test_blank_texts_bad_escapes_and_bad_json_said_in_russian(self):
        """F3: a required text of only (Unicode) spaces is missing; F4: a lone
        surrogate escape or a noncharacter is 422 encoding at the field,
        nothing stored; F5: a body that is not JSON is told in Russian."""
        e = self.o["E1"]
        before = self.count("SELECT count(*) FROM requests WHERE employee_id = %d" % self.o.id["E1"])
        for text in ("   ", "\u00a0\u3000", "\u2800", "\u034f", "\ufe0f", "\u17b4", "\u0301\u0301",
                     "\u115f\u1160\uffa0"):
            r = e.post("/api/requests", {"type": "question", "text": text})
            self.assertEqual(r.status, 422, (text, r))
            self.assertEqual(r.json()["error"]["field_codes"]["text"], "required", text)

        def raw(body):
            return e.request("POST", "/api/requests", headers={"Content-Type": "application/json"},
                             raw=body.encode())
        for body in ('{"type":"question","text":"a\\ud800b"}', '{"type":"question","text":"a\\udc00"}',
                     '{"type":"question","text":"a\\uffff"}'):
            r = raw(body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(r.json()["error"]["field_codes"]["text"], "encoding", body)
        # a pair is one character, kept
        r = raw('{"type":"question","text":"Вопрос \\ud83d\\ude00"}')
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.get("E1", r.json()["id"])["data"]["text"], "Вопрос \U0001F600")
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE employee_id = %d" % self.o.id["E1"]),
                         before + 1)
        for body, want in (('{"type": "question", }', "Тело запроса — не JSON: ошибка в позиции "),
                           ('[1, 2]', "Тело запроса должно быть JSON-объектом"),
                           ('{"a":' + "[" * 100 + "]" * 100 + "}", "Слишком глубокая вложенность JSON")):
            r = raw(body)
            self.assertEqual(r.status, 400, (body, r))
            msg = r.json()["error"]["message"]
            self.assertTrue(msg.startswith(want), (body, msg))
            self.assertNotRegex(msg.replace("JSON", ""), "[A-Za-z]{3,}", msg)
        # a rejection's reason that shows nothing is no reason
        rid = self.file("E3", {"type": "question", "text": "Когда аванс?"})["id"]
        t = self.task("C", rid, "execution")
        js = self.act("C", t, "reject", {"reason": "\u200b \u00a0"}, status=422)
        self.assertEqual(js["error"]["field_codes"]["reason"], "required")
        self.act("C", t, "reject", {"reason": "Спросите в бухгалтерии"})

    def get_as(self, client, rid):
        r = client.get("/api/requests/%d" % rid)
        self.assertEqual(r.status, 200, r)
        return r.json()["request"]

    def test_personal_data_updates_the_record_and_reaches_the_exchange(self):
        o = self.o
        js = self.file("E2", {"type": "personal_data", "draft": True, "changes": {
            "phone": "8 (912) 345-67-89", "address": "г. Белгород, ул. Ленина, д. 1",
            "passport": {"series": "1410", "number": "123456", "issued_by": "УМВД России по Белгородской обл.",
                         "issued_on": "15.06.2015", "division_code": "310-001"}}})
        rid = js["id"]
        self.assertEqual(js["request"]["data"]["changes"]["phone"], "+79123456789")
        r = upload(o["E2"], "/api/requests/%d/files" % rid, "паспорт.png", PNG)
        self.assertEqual(r.status, 201, r)
        f = r.json()["file"]
        self.assertEqual((f["name"], f["content_type"], f["size"]), ("паспорт.png", "image/png", len(PNG)))
        self.assertEqual(o["E2"].post("/api/requests/%d/submit" % rid, {}).json()["state"], "submitted")
        t = self.task("P", rid, "execution")
        # the performer sees the scan
        r = o["P"].get(f["url"])
        self.assertEqual((r.status, r.body), (200, PNG))
        self.assertIn("attachment", r.headers["Content-Disposition"])
        self.act("P", t, "complete")
        card = o.admin.get("/api/admin/employees/%d" % o.id["E2"]).json()
        self.assertEqual(card["phone"], "+79123456789")
        self.assertEqual(self.s.psql("SELECT address || ' ' || (passport->>'number') FROM employees WHERE id = %d"
                                     % o.id["E2"]), "г. Белгород, ул. Ленина, д. 1 123456")
        # the address is shown: the administrator's card and the employee's own «Личное дело»
        self.assertEqual(card["address"], "г. Белгород, ул. Ленина, д. 1")
        self.assertEqual(card["phone_ru"], "+7 912 345-67-89")
        self.assertEqual(o["E2"].get("/api/me/employee").json()["address"], "г. Белгород, ул. Ленина, д. 1")
        r = o.admin.get("/admin/employees/%d" % o.id["E2"])
        self.assertIn("г. Белгород, ул. Ленина, д. 1", r.text)
        # the sign-in phone followed the card
        self.assertEqual(o["E2"].get("/api/me").json()["user"]["phone"], "+79123456789")
        # bad changes are named
        r = o["E2"].post("/api/requests", {"type": "personal_data", "changes": {
            "email": "нет", "passport": {"series": "14", "number": "1"}, "salary": "100"}})
        self.assertEqual(r.status, 422, r)
        self.assertTrue({"changes.email", "changes.passport.series", "changes.passport.issued_by",
                         "changes.salary"} <= set(r.json()["error"]["fields"]))
        self.assertEqual(r.json()["error"]["field_codes"]["changes.passport.series"], "format")
        # F12: the series and number as printed ("45 00", "123 456") are taken;
        # an issue date still to come is refused at the field
        passport = {"series": "45 00", "number": "123 456", "issued_by": "ОВД", "issued_on": "2031-01-01",
                    "division_code": "770-001"}
        r = o["E2"].post("/api/requests", {"type": "personal_data", "changes": {"passport": passport}})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"changes.passport.issued_on"}, r)
        self.assertIn("ещё не наступила", r.json()["error"]["fields"]["changes.passport.issued_on"])
        # ... and one before the 14th birthday (the passport is issued from 14,
        # Decree 828 of 08.07.1997): refused at the field with both dates
        self.s.psql("UPDATE employees SET birth_date = '1990-04-10' WHERE id = %d" % o.id["E2"])
        passport["issued_on"] = "09.04.2004"
        r = o["E2"].post("/api/requests", {"type": "personal_data", "changes": {"passport": passport}})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"], {"changes.passport.issued_on": "range"}, r)
        self.assertEqual(r.json()["error"]["fields"]["changes.passport.issued_on"],
                         "Дата выдачи паспорта 09.04.2004 раньше 14-летия (дата рождения 10.04.1990): "
                         "паспорт гражданина РФ выдаётся с 14 лет, не раньше 10.04.2004. Проверьте дату выдачи")
        passport["issued_on"] = "2020-01-01"
        r = o["E2"].post("/api/requests", {"type": "personal_data", "changes": {"passport": passport}})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.get("E2", r.json()["id"])["data"]["changes"]["passport"]["series"], "4500")
        self.assertEqual(self.get("E2", r.json()["id"])["data"]["changes"]["passport"]["number"], "123456")
        o["E2"].post("/api/requests/%d/cancel" % r.json()["id"], {})
        # in the feed, done, with its changes and its file (a request is
        # once on a page; a pull from the start may page through its earlier
        # changes too: its last appearance is it as it is now)
        items = self.pull_all()
        mine = [i for i in items if i["id"] == rid][-1:]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["state"], "done")
        self.assertEqual(mine[0]["data"]["changes"]["address"], "г. Белгород, ул. Ленина, д. 1")
        self.assertEqual(mine[0]["employee"]["full_name"], "Кузнецова Мария Олеговна")
        self.assertEqual([x["name"] for x in mine[0]["files"]], ["паспорт.png"])

    def test_tax_deduction_sets_the_child_deductions(self):
        o = self.o
        children = [{"order": 1, "from": "2026-11-01"}, {"order": 2, "disabled": True, "from": "2026-11-01",
                                                         "to": None}]
        rid = self.file("E1", {"type": "tax_deduction", "children": children})["id"]
        self.act("P", self.task("P", rid, "execution"), "complete")
        got = o.admin.get("/api/admin/employees/%d/ndfl-children" % o.id["E1"]).json()["children"]
        self.assertEqual([(c["order"], c["disabled"], c["from"]) for c in got],
                         [(1, False, "2026-11-01"), (2, True, "2026-11-01")])

    def test_files_kind_size_and_who_sees_them(self):
        o = self.o
        rid = self.file("E1", {"type": "question", "text": "С файлом"})["id"]
        # F6: a file of 0 bytes was attached, it is empty (not «Приложите файл»)
        r = upload(o["E1"], "/api/requests/%d/files" % rid, "a.pdf", b"")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["file"], "Файл пустой (0 байт): приложите файл с содержимым")
        r = upload(o["E1"], "/api/requests/%d/files" % rid, "virus.exe", b"MZ\x90\x00" + b"\0" * 100)
        self.assertEqual(r.status, 422, r)
        # said as people say it, from the config keys
        self.assertEqual(r.json()["error"]["fields"]["file"], "Можно приложить файлы PDF, JPEG, PNG до 10 МБ")
        # and the pages' file fields say the same before anyone tries (GET /api/me)
        self.assertEqual(o["E1"].get("/api/me").json()["attachments"], {
            "types": ["pdf", "jpeg", "png"], "accept": ".pdf,.jpg,.jpeg,.jpe,.png",
            "max_size": 10 << 20, "text": "PDF, JPEG, PNG до 10 МБ"})
        # a PDF named .exe is a PDF: the content decides
        r = upload(o["E1"], "/api/requests/%d/files" % rid, "скан", b"%PDF-1.4\n%%EOF\n")
        self.assertEqual(r.status, 201, r)
        url = r.json()["file"]["url"]
        self.assertTrue(r.json()["file"]["name"].endswith(".pdf"))
        # a question needs no manager's approval: not the manager's to see
        for who, status in (("E1", 200), ("C", 200), ("A", 200), ("M", 404), ("E2", 404), ("P", 404)):
            self.assertEqual(o[who].get(url).status, status, who)
        # a PDF named as a page or a program downloads under the PDF's
        # extension: saved by its name, it opens as what was checked
        for sent, kept in (("отчёт.html", "отчёт.html.pdf"), ("scan.exe", "scan.exe.pdf"),
                           ("Скан.PDF", "Скан.PDF")):
            r = upload(o["E1"], "/api/requests/%d/files" % rid, sent,
                       b"%PDF-1.4\n<html><script>alert(1)</script>\n")
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json()["file"]["name"], kept)
            got = o["E1"].get(r.json()["file"]["url"])
            self.assertEqual(got.headers["Content-Type"], "application/pdf")
            self.assertEqual(got.headers["X-Content-Type-Options"], "nosniff")
            self.assertTrue(got.headers["Content-Disposition"].startswith("attachment;"), got.headers)
            self.assertIn(urllib.parse.quote(kept), got.headers["Content-Disposition"])
        # another request's number with the file: 404
        other = self.file("E2", {"type": "question", "text": "Другое"})["id"]
        self.assertEqual(o["E1"].get("/api/requests/%d/files/%s" % (other, url.rsplit("/", 1)[1])).status, 404)
        # strangers may not add files; a closed request takes none
        self.assertEqual(upload(o["E2"], "/api/requests/%d/files" % rid, "a.pdf", b"%PDF-1.4").status, 404)
        self.act("C", self.task("C", rid, "execution"), "complete")
        self.assertEqual(upload(o["E1"], "/api/requests/%d/files" % rid, "a.pdf", b"%PDF-1.4").status, 409)

    # ------------------------------------------------------ the admin page

    def form(self, path, fields=""):
        body = ("_csrf=%s&%s" % (self.o.admin.csrf, fields)).encode()
        return self.o.admin.post(path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_the_admin_list_of_requests_and_a_questions_answer(self):
        """F12/F13 of trial-user4: HR finds the organization's requests by state,
        type, employee and period, pages through them, opens one with its
        history; a question's answer stands apart on the request and in the
        notification."""
        o = self.o
        today = time.strftime("%d.%m.%Y")
        q1 = self.file("E2", {"type": "question", "text": "Когда индексация?"})["id"]
        q2 = self.file("E2", {"type": "question", "text": "Где взять справку?"})["id"]
        n1, n2 = self.get("E2", q1)["number"], self.get("E2", q2)["number"]
        self.act("C", self.task("C", q1, "execution"), "complete", {"comment": "С 1 июля, на 5 %"})
        # the menu: «Заявки» is this list, the routing is «Маршруты»
        page = o.admin.get("/admin/requests?q=%D0%BA%D1%83%D0%B7%D0%BD%D0%B5%D1%86%D0%BE%D0%B2%D0%B0")
        self.assertEqual(page.status, 200, page)
        self.assertIn('<a href="/admin/requests">Заявки</a>', page.text)
        self.assertIn('<a href="/admin/routing">Маршруты</a>', page.text)
        rows = re.findall(r'<a href="/admin/requests/(\d+)">№ (\d+)</a>', page.text)
        ids = [int(i) for i, _ in rows]
        self.assertEqual(ids[:2], [q2, q1], page.text)  # newest first
        self.assertTrue(all(self.s.psql("SELECT employee_id FROM requests WHERE id = %d" % i) ==
                            str(o.id["E2"]) for i in ids), ids)
        self.assertIn("Кузнецова Мария Олеговна", page.text)
        self.assertIn("Громова Нина Петровна", page.text)  # who holds q2 now
        # by state and type; a period that has none
        done = o.admin.get("/admin/requests?state=done&type=question&q=%s&from=%s&to=%s" % (
            urllib.parse.quote("Кузнецова"), today, today)).text
        self.assertIn("№ %d</a>" % n1, done)
        self.assertNotIn("№ %d</a>" % n2, done)
        self.assertIn('<option value="done" selected>', done)
        none = o.admin.get("/admin/requests?q=%s&from=01.01.2020&to=31.12.2020" % urllib.parse.quote("Кузнецова")).text
        self.assertIn("Заявок не нашлось", none)
        # bad input: 422 at the field, in Russian
        bad = o.admin.get("/admin/requests?from=31.02.2026")
        self.assertEqual(bad.status, 422, bad)
        self.assertIn('id="e-from"', bad.text)
        bad = o.admin.get("/admin/requests?from=%s&to=01.01.2020" % today)
        self.assertEqual(bad.status, 422, bad)
        self.assertIn("Дата «по» раньше даты «с»", bad.text)
        # pages: one a page, the next link keeps the filters
        one = o.admin.get("/admin/requests?q=%s&limit=1" % urllib.parse.quote("Кузнецова")).text
        self.assertIn("№ %d</a>" % n2, one)
        self.assertNotIn("№ %d</a>" % n1, one)
        nxt = re.search(r'href="([^"]+)" rel="next"', one).group(1).replace("&amp;", "&")
        self.assertIn("q=%D0%9A", nxt)
        self.assertIn("№ %d</a>" % n1, o.admin.get(nxt + "&limit=1").text)
        # drafts are not filed: not listed
        d = self.file("E2", {"type": "question", "text": "Черновик", "draft": True})["id"]
        self.assertNotIn("/admin/requests/%d\"" % d, o.admin.get("/admin/requests").text)
        # one request: its facts, the answer above them, the history
        one = o.admin.get("/admin/requests/%d" % q1)
        self.assertEqual(one.status, 200, one)
        self.assertIn("№ %d: Вопрос" % n1, one.text)
        self.assertIn("Когда индексация?", one.text)
        self.assertLess(one.text.index("С 1 июля, на 5 %"), one.text.index("Ход заявки"))
        self.assertIn("Ответ", one.text)
        for text in ("Создана", "Назначена", "Выполнена"):
            self.assertIn(text, one.text)
        # the employee sees it as the request's answer and is told it
        self.assertEqual(self.get("E2", q1)["answer"]["text"], "С 1 июля, на 5 %")
        self.assertNotIn("answer", self.get("E2", q2))
        self.assertEqual(self.notes("E2", "request_state", q1),
                         ["Ваша заявка «Вопрос № %d» выполнена. Ответ: С 1 июля, на 5 %%" % n1])
        # only the administrator: an employee is refused, another tenant's id is absent
        self.assertEqual(o["E1"].get("/admin/requests").status, 403)
        self.assertEqual(o.admin.get("/admin/requests/999999").status, 404)
        self.cancel("E2", q2, d)

    def test_the_routing_page(self):
        o = self.o
        page = o.admin.get("/admin/routing")
        self.assertEqual(page.status, 200, page)
        for text in ("Координатор выполнения задач", "Громова Нина Петровна", "Орлова Екатерина Николаевна",
                     "Руководитель сотрудника → Ответственный за заявления на отпуск", "Админова Ольга Игоревна"):
            self.assertIn(text, page.text)
        # a performer by name, then removed
        r = self.form("/admin/routing/performers", "role=coordinator&performer=%D0%97%D0%B0%D0%B9%D1%86%D0%B5%D0%B2"
                      "+%D0%A1%D0%B5%D1%80%D0%B3%D0%B5%D0%B9+%D0%9E%D0%BB%D0%B5%D0%B3%D0%BE%D0%B2%D0%B8%D1%87")
        self.assertEqual(r.status // 100, 3, r)
        self.assertEqual(sorted(o.admin.get("/api/admin/routing").json()["roles"]["coordinator"]),
                         sorted([o.id["C"], o.id["S"]]))
        r = self.form("/admin/routing/performers/delete", "role=coordinator&employee_id=%d" % o.id["S"])
        self.assertEqual(r.status // 100, 3, r)
        self.assertEqual(o.admin.get("/api/admin/routing").json()["roles"]["coordinator"], [o.id["C"]])
        # errors at their fields, the values kept
        r = self.form("/admin/routing/performers", "role=coordinator&performer=Нет+Такого")
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-performer"', r.text)
        self.assertEqual(r.text.count("не найден"), 1)
        self.assertIn('value="Нет Такого"', r.text)
        # the chain is chosen step by step from the roles, by their names
        page = o.admin.get("/admin/routing").text
        self.assertEqual(page.count('<select name="chain_step[]"'), 4)
        self.assertIn('<option value="role:coordinator">Роль «Координатор выполнения задач»</option>', page)
        self.assertIn('<option value="manager">Руководитель сотрудника</option>', page)
        self.assertNotIn('name="chain"', page)
        step = "chain_step%5B%5D="
        r = self.form("/admin/routing/chains", "chain_type=question&" + "&".join(
            step + v for v in ("manager", "role%3Aboss", "", "")))
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-chain"', r.text)
        r = self.form("/admin/routing/chains", "chain_type=question&" + "&".join(
            step + v for v in ("", "manager", "", "role%3Acoordinator")))
        self.assertEqual(r.status // 100, 3, r)
        self.assertEqual(o.admin.get("/api/admin/routing/chains").json()["question"], ["manager", "role:coordinator"])
        r = self.form("/admin/routing/deadlines", "deadline_type=question&days=0")
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-days"', r.text)
        # a chain and a deadline saved, then back to the default
        self.assertEqual(self.form("/admin/routing/chains", "chain_type=question&chain=role%3Acoordinator").status // 100, 3)
        self.assertEqual(self.form("/admin/routing/deadlines", "deadline_type=question&days=3").status // 100, 3)
        self.assertEqual(o.admin.get("/api/admin/routing/deadlines").json()["question"], {"days": 3})
        self.assertIn("3 рабочих дня", o.admin.get("/admin/routing").text)
        self.assertEqual(self.form("/admin/routing/deadlines", "deadline_type=question&days=").status // 100, 3)
        self.assertEqual(self.form("/admin/routing/chains", "chain_type=question&chain=").status // 100, 3)
        self.assertIsNone(o.admin.get("/api/admin/routing/chains").json()["question"])
        self.assertIsNone(o.admin.get("/api/admin/routing/deadlines").json()["question"])
        # not for employees
        self.assertEqual(o["E1"].get("/admin/routing").status, 403)

    # --------------------------------------------------------- the exchange

    def pull_all(self, cursor=None):
        items = []
        while True:
            r = self.exchange("GET", "/api/exchange/v1/requests" + ("?cursor=%s" % cursor if cursor else ""))
            self.assertEqual(r.status, 200, r)
            js = r.json()
            items += js["items"]
            cursor = js["cursor"]
            if not js["items"]:
                self.last_cursor = cursor
                return items

    def test_the_feed_loses_nothing(self):
        o = self.o
        js = self.file("E1", {"type": "question", "text": "Лента"})
        rid = js["id"]
        items = self.pull_all()
        self.assertIn(rid, [i["id"] for i in items])
        # with the number people see
        self.assertEqual({i["number"] for i in items if i["id"] == rid}, {js["request"]["number"]})
        cursor = self.last_cursor
        # a change still being written (an open transaction) is not handed
        # out, and the cursor does not pass it
        hold = subprocess.Popen(
            ["psql", "-X", "-q", "-h", os.path.join(self.s.var, "pg", "sock"), "-U", "cabinet", "-d", "cabinet"]
            if os.getuid() != 0 else
            ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--", "psql", "-X", "-q",
             "-h", os.path.join(self.s.var, "pg", "sock"), "-U", "cabinet", "-d", "cabinet"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        hold.stdin.write("BEGIN;\nINSERT INTO request_events (tenant_id, request_id, actor_kind, action, state) "
                         "VALUES (%d, %d, 'system', 'reminded', 'submitted');\nSELECT 'held';\n"
                         % (o.tid, rid))
        hold.stdin.flush()
        time.sleep(1)
        later = self.file("E3", {"type": "question", "text": "После"})["id"]
        got = self.pull_all(cursor)
        self.assertNotIn(rid, [i["id"] for i in got])
        self.assertNotIn(later, [i["id"] for i in got])  # younger than the open transaction
        cursor2 = self.last_cursor
        hold.stdin.write("COMMIT;\n\\q\n")
        hold.stdin.flush()
        hold.wait(timeout=30)
        got = self.pull_all(cursor2)
        self.assertEqual(sorted(i["id"] for i in got if i["id"] in (rid, later)), sorted([rid, later]))
        # drafts never; a bad cursor is named; a session is no key
        d = self.file("E1", {"type": "question", "text": "Черновик", "draft": True})["id"]
        self.assertNotIn(d, [i["id"] for i in self.pull_all()])
        r = self.exchange("GET", "/api/exchange/v1/requests?cursor=abc")
        self.assertEqual(r.status, 422, r)
        self.assertIn("cursor", r.json()["error"]["fields"])
        self.assertEqual(o.admin.get("/api/exchange/v1/requests").status, 401)

    def test_the_accounting_system_pushes_states(self):
        o = self.o
        rid = self.file("E2", {"type": "vacation", "date_from": "2026-12-10", "date_to": "2026-12-11"})["id"]
        path = "/api/exchange/v1/requests/%d/state" % rid
        # awaiting approval: the accounting system does not skip the manager
        r = self.exchange("POST", path, {"state": "in_progress"}, headers={"Idempotency-Key": "k-1"})
        self.assertEqual(r.status, 409, r)
        self.act("H", self.task("H", rid, "approval"), "approve")
        r = self.exchange("POST", path, {"state": "in_progress"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Idempotency-Key", r.json()["error"]["fields"])
        r = self.exchange("POST", path, {"state": "in_progress", "comment": "приказ готовится"},
                          headers={"Idempotency-Key": "k-2"})
        self.assertEqual((r.status, r.json()["state"]), (200, "in_progress"), r)
        r = self.exchange("POST", path, {"state": "done", "comment": "приказ № 15-о"},
                          headers={"Idempotency-Key": "k-3"})
        self.assertEqual((r.status, r.json()["state"]), (200, "done"), r)
        # the same key again: the same answer, nothing done twice
        r = self.exchange("POST", path, {"state": "done", "comment": "приказ № 15-о"},
                          headers={"Idempotency-Key": "k-3"})
        self.assertEqual((r.status, r.json()["state"]), (200, "done"), r)
        self.assertEqual(self.count("SELECT count(*) FROM deviations WHERE request_id = %d" % rid), 1)
        self.assertEqual(self.count("SELECT count(*) FROM request_events WHERE request_id = %d AND action = "
                                    "'completed' AND actor_kind = 'api_key'" % rid), 1)
        codes = self.timesheet_codes("E2", "2026-12")
        self.assertEqual((codes[10], codes[11]), ("ОТ", "ОТ"))
        # a new key on a done request: 409
        r = self.exchange("POST", path, {"state": "rejected", "comment": "нет"}, headers={"Idempotency-Key": "k-4"})
        self.assertEqual(r.status, 409, r)
        # rejection needs its reason
        q = self.file("E2", {"type": "question", "text": "В учётную систему"})["id"]
        r = self.exchange("POST", "/api/exchange/v1/requests/%d/state" % q, {"state": "rejected"},
                          headers={"Idempotency-Key": "k-5"})
        self.assertEqual(r.status, 422, r)
        r = self.exchange("POST", "/api/exchange/v1/requests/%d/state" % q,
                          {"state": "rejected", "comment": "Вопрос снят"}, headers={"Idempotency-Key": "k-6"})
        self.assertEqual((r.status, r.json()["state"]), (200, "rejected"), r)
        self.assertEqual(self.get("E2", q)["reason"], "Вопрос снят")
        # unknown request, another tenant's request: 404
        r = self.exchange("POST", "/api/exchange/v1/requests/999999/state", {"state": "done"},
                          headers={"Idempotency-Key": "k-7"})
        self.assertEqual(r.status, 404, r)


if __name__ == "__main__":
    unittest.main()
