"""HR tasks and KPIs through the real stack (issue 12 item 7; seed 003,
Парус «Личный кабинет»): a manager or HR gives an employee a task with a
deadline and a document; the employee finds it among their tasks
(GET /api/tasks, step hr_task), answers with a file and completes it; the
giver sees the answer and the file, and is told; nobody else sees any of
it. KPIs come through the exchange (idempotent upsert by external id, bad
items named by index) or from the administrator, and are shown to the
employee and to their manager, to nobody else. The organization is
orgfix.Org (E1 works in M's department; E2 in «Склад», H's; P is HR)."""
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Client, Stack  # noqa: E402

PDF = b"%PDF-1.4\n% a document\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(client, path, name, data, ctype="application/octet-stream"):
    boundary = "----hrtasks"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
            "Content-Type: %s\r\n\r\n" % (boundary, name, ctype)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    return client.request("POST", path, headers={
        "Content-Type": "multipart/form-data; boundary=%s" % boundary}, raw=body)


class HrTasksAndKpi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("hrtasks").__enter__()
        cls.o = Org(cls.s, "zadaniya", "ООО «Задания»")
        cls.other = Org(cls.s, "drugie", "ООО «Другие»")
        r = cls.o.admin.post("/api/admin/api-keys", {"name": "1С"})
        assert r.status == 201, r
        cls.key = r.json()["key"]
        cls.x = Client(cls.s, "zadaniya")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # ------------------------------------------------------------ helpers

    def count(self, sql):
        return int(self.s.psql(sql))

    def notes(self, who, kind, task):
        return self.s.psql("SELECT string_agg(text, ' | ' ORDER BY id) FROM notifications WHERE "
                           "employee_id = %d AND kind = '%s' AND task_id = %d"
                           % (self.o.id[who], kind, task))

    def give(self, who, to, status=201, **body):
        body.setdefault("title", "Пройти инструктаж по охране труда")
        r = self.o[who].post("/api/hr-tasks", dict(body, employee_id=self.o.id[to]))
        self.assertEqual(r.status, status, r)
        return r.json()

    def tomorrow_plus(self, days):
        return self.s.psql("SELECT to_char((now() AT TIME ZONE 'Europe/Moscow')::date + %d, 'DD.MM.YYYY')"
                           % days)

    def exchange(self, items, key=None):
        return self.x.request("PUT", "/api/exchange/v1/kpi", body={"items": items},
                              headers={"Authorization": "Bearer %s" % (key or self.key)})

    def ext(self, who):
        return self.s.psql("SELECT external_id FROM employees WHERE id = %d" % self.o.id[who])

    # ----------------------------------------------------------- HR tasks

    def test_a_task_given_answered_with_a_file_and_completed(self):
        o = self.o
        due = self.tomorrow_plus(7)
        given = self.give("M", "E1", title="Подготовить отчёт о командировке",
                          description="Приложите авансовый отчёт и посадочные талоны.", due=due)
        t = given["id"]
        self.assertEqual(given["state"], "open")
        self.assertEqual(given["task"]["due_ru"], due)
        self.assertEqual(given["task"]["given_by"], {"id": o.id["M"], "full_name": "Смирнова Анна Сергеевна"})
        # the giver's document goes with it
        r = upload(o["M"], "/api/hr-tasks/%d/files" % t, "форма.pdf", PDF, "application/pdf")
        self.assertEqual(r.status, 201, r)
        doc = r.json()["file"]
        # the employee is told, and finds it among their tasks
        self.assertIn("Подготовить отчёт о командировке", self.notes("E1", "task_new", t))
        # the giver after «от» in the genitive (F14)
        self.assertIn("Новое задание от Смирновой Анны Сергеевны: «Подготовить отчёт о командировке»",
                      self.notes("E1", "task_new", t))
        item = [i for i in o.tasks("E1") if i["id"] == t]
        self.assertEqual(len(item), 1, o.tasks("E1"))
        item = item[0]
        self.assertEqual((item["step"], item["state"], item["type"], item["request_id"]),
                         ("hr_task", "open", "hr_task", None))
        self.assertEqual(item["employee"], {"id": o.id["E1"], "full_name": "Иванов Иван Иванович"})
        self.assertEqual(item["title"], "Подготовить отчёт о командировке")
        self.assertEqual(item["given_by"]["full_name"], "Смирнова Анна Сергеевна")
        self.assertEqual(item["due_ru"], due)  # the day given, not the midnight after it
        # the detail with the description and the giver's document, which downloads
        r = o["E1"].get("/api/hr-tasks/%d" % t)
        self.assertEqual(r.status, 200, r)
        task = r.json()["task"]
        self.assertEqual(task["description"], "Приложите авансовый отчёт и посадочные талоны.")
        self.assertEqual([(f["name"], f["from"]) for f in task["files"]], [("форма.pdf", "giver")])
        r = o["E1"].get(doc["url"])
        self.assertEqual((r.status, r.body), (200, PDF))
        # the employee answers with a file and completes it
        r = upload(o["E1"], "/api/hr-tasks/%d/files" % t, "отчёт.png", PNG, "image/png")
        self.assertEqual(r.status, 201, r)
        answer = r.json()["file"]
        r = o["E1"].post("/api/tasks/%d/complete" % t, {"comment": "Отчёт приложен"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["state"], r.json()["task"]["answer"]), ("done", "Отчёт приложен"))
        self.assertEqual([i["id"] for i in o.tasks("E1")].count(t), 0)
        self.assertIn(t, [i["id"] for i in o.tasks("E1", "done")])
        # the giver sees the answer and the file, and was told
        # the verb agrees with the employee (his patronymic), no "(а)"
        self.assertIn("Иванов Иван Иванович выполнил задание «Подготовить отчёт о командировке». "
                      "Ответ: Отчёт приложен", self.notes("M", "hr_task_done", t))
        r = o["M"].get("/api/hr-tasks/%d" % t)
        self.assertEqual(r.status, 200, r)
        task = r.json()["task"]
        self.assertEqual((task["state"], task["state_title"], task["answer"]),
                         ("done", "Выполнено", "Отчёт приложен"))
        self.assertEqual([(f["name"], f["from"], f["uploaded_by"]) for f in task["files"]],
                         [("форма.pdf", "giver", "Смирнова Анна Сергеевна"),
                          ("отчёт.png", "employee", "Иванов Иван Иванович")])
        r = o["M"].get(answer["url"])
        self.assertEqual((r.status, r.body), (200, PNG))
        mine = o["M"].get("/api/hr-tasks?state=done").json()["items"]
        self.assertIn(t, [i["id"] for i in mine])
        # done is done: no second answer, no more files
        self.assertEqual(o["E1"].post("/api/tasks/%d/complete" % t, {}).status, 409)
        self.assertEqual(upload(o["E1"], "/api/hr-tasks/%d/files" % t, "ещё.png", PNG).status, 409)
        # in the audit log
        self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action IN "
                                    "('hr_tasks.given', 'hr_tasks.completed') AND object_id = '%d'" % t), 2)
        # the administrator sees the task, but its files are the giver's and
        # the employee's only: no link, and 404 (the trial's item 1)
        r = o.admin.get("/api/hr-tasks/%d" % t)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([f["url"] for f in r.json()["task"]["files"]], [None, None])
        self.assertEqual(o.admin.get(answer["url"]).status, 404)
        self.assertEqual(o.admin.get(doc["url"]).status, 404)
        # nobody else sees it: another employee, one of the same department,
        # another organization's administrator (404 alike, no probing)
        for who in ("E2", "E3", "S"):
            self.assertEqual(o[who].get("/api/hr-tasks/%d" % t).status, 404, who)
            self.assertEqual(o[who].get(answer["url"]).status, 404, who)
            self.assertEqual(o[who].post("/api/tasks/%d/complete" % t, {}).status, 404, who)
        self.assertEqual(self.other.admin.get("/api/hr-tasks/%d" % t).status, 404)
        self.assertEqual(o["E2"].get("/api/hr-tasks").status, 403)
        # a request's file route does not serve it either
        self.assertEqual(o.admin.get("/api/requests/1/files/%d" % answer["id"]).status, 404)

    def test_a_task_is_its_employees_and_its_givers_only(self):
        """A routing performer (the coordinator C, HR's P), the employee's
        manager who did not give it: the task, its files, its cancellation
        and the list entries are not theirs (the trial's item: any
        performer saw every HR task)."""
        o = self.o
        t = self.give("A", "E1", title="Сдать медицинскую книжку")["id"]
        doc = upload(o.admin, "/api/hr-tasks/%d/files" % t, "бланк.pdf", PDF, "application/pdf")
        self.assertEqual(doc.status, 201, doc)
        url = doc.json()["file"]["url"]
        mine = self.give("P", "E2", title="Заполнить анкету")["id"]
        for who in ("C", "P", "M"):
            self.assertEqual(o[who].get("/api/hr-tasks/%d" % t).status, 404, who)
            self.assertEqual(o[who].get(url).status, 404, who)
            self.assertEqual(upload(o[who], "/api/hr-tasks/%d/files" % t, "x.pdf", PDF).status, 404, who)
            self.assertEqual(o[who].post("/api/hr-tasks/%d/cancel" % t, {}).status, 404, who)
            self.assertEqual(o[who].post("/api/tasks/%d/complete" % t, {}).status, 404, who)
            listed = o[who].get("/api/hr-tasks?state=all").json()["items"]
            self.assertNotIn(t, [i["id"] for i in listed], who)
            self.assertNotIn(t, [i["id"] for i in o.tasks(who, "all")], who)
        # the coordinator does not see the performer P's task either
        self.assertEqual(o["C"].get("/api/hr-tasks/%d" % mine).status, 404)
        # its employee and its giver do, with the document
        for c in (o["E1"], o.admin):
            r = c.get("/api/hr-tasks/%d" % t)
            self.assertEqual(r.status, 200, r)
            self.assertEqual([f["name"] for f in r.json()["task"]["files"]], ["бланк.pdf"])
            self.assertEqual(c.get(url).status, 200)
        r = o["P"].get("/api/hr-tasks/%d" % mine)
        self.assertEqual(r.status, 200, r)
        self.assertIn(mine, [i["id"] for i in o["P"].get("/api/hr-tasks?state=all").json()["items"]])

    def test_who_may_give_to_whom(self):
        o = self.o
        # a manager to the people in her charge only; an employee not at all
        self.give("M", "E2", status=404)
        self.give("E1", "E3", status=403)
        # HR: a performer and the administrator, to anyone of the tenant
        self.give("P", "E4")
        self.give("A", "H")
        # nobody to themselves; another tenant's employee is not found
        r = self.give("P", "P", status=422)
        self.assertIn("employee_id", r["error"]["fields"])
        # a manager too: the same 422, not the 404 of someone outside her charge
        for who in ("M", "A"):
            r = self.give(who, who, status=422)
            self.assertEqual(r["error"]["fields"]["employee_id"], "Задание нельзя поставить самому себе")
        r = o["P"].post("/api/hr-tasks", {"employee_id": self.other.id["E1"], "title": "Чужое"})
        self.assertEqual(r.status, 404, r)
        # the fields, named
        r = o["M"].post("/api/hr-tasks", {"employee_id": o.id["E1"]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("title", r.json()["error"]["fields"])
        r = self.give("M", "E1", status=422, due="01.01.2020", title="Просрочено заранее")
        self.assertIn("due", r["error"]["fields"])
        r = self.give("M", "E1", status=422, title="   ")
        self.assertIn("title", r["error"]["fields"])
        # none of the refused ones was written
        self.assertEqual(self.count("SELECT count(*) FROM request_tasks WHERE title IN "
                                    "('Просрочено заранее', 'Чужое')"), 0)
        # the approval verbs do not apply to an HR task
        t = self.give("A", "E3")["id"]
        for verb, body in (("approve", {}), ("take", {}), ("reject", {"reason": "нет"}),
                           ("forward", {"to": o.id["E1"]})):
            self.assertEqual(o["E3"].post("/api/tasks/%d/%s" % (t, verb), body).status, 409, verb)
        # the giver or the administrator cancels; E3's manager did not give
        # it: to her it is not there
        self.assertEqual(o["M"].post("/api/hr-tasks/%d/cancel" % t, {}).status, 404)
        self.assertEqual(o["E3"].post("/api/hr-tasks/%d/cancel" % t, {}).status, 403)
        r = o.admin.post("/api/hr-tasks/%d/cancel" % t, {"comment": "Поставлено по ошибке"})
        self.assertEqual((r.status, r.json()["state"]), (200, "cancelled"))
        self.assertIn("Поставлено по ошибке", self.notes("E3", "hr_task_cancelled", t))
        self.assertEqual(o["E3"].post("/api/tasks/%d/complete" % t, {}).status, 409)
        # the administrator's list has every one, the performer's hers only
        every = {i["id"] for i in o.admin.get("/api/hr-tasks?state=all").json()["items"]}
        hers = {i["id"] for i in o["P"].get("/api/hr-tasks?state=all").json()["items"]}
        self.assertIn(t, every)
        self.assertNotIn(t, hers)
        self.assertTrue(hers and hers < every)

    def test_an_administrator_with_tasks_finds_them_in_the_admin_menu(self):
        """An administrator who is an employee too has "Мой кабинет" in the
        admin pages' menu, and "Задачи (N)" while she has open tasks: N is
        the count of her own task list (GET /api/tasks?state=open)."""
        o = self.o

        def menu():
            r = o.admin.get("/admin/")
            self.assertEqual(r.status, 200, r)
            return r.text[:r.text.index("</header>")]

        def open_tasks():
            return o.admin.get("/api/tasks?state=open&limit=1").json()["total"]

        self.assertIn('<a href="/">Мой кабинет</a>', menu())
        t = self.give("P", "A", title="Сверить список сотрудников")["id"]
        n = open_tasks()
        self.assertGreaterEqual(n, 1)
        self.assertIn('<a href="/tasks.html">Задачи (%d)</a>' % n, menu())
        r = o.admin.post("/api/tasks/%d/complete" % t, {"comment": "Сверено"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(open_tasks(), n - 1)
        if n == 1:  # neither a manager nor a performer: no tasks, no link
            self.assertNotIn('href="/tasks.html"', menu())
        else:
            self.assertIn('<a href="/tasks.html">Задачи (%d)</a>' % (n - 1), menu())
        # a manager who is not an administrator has no admin menu at all
        self.assertNotIn('href="/tasks.html"', o["M"].get("/admin/").text)

    def test_a_reminder_at_half_time_and_the_giver_told_past_the_deadline(self):
        o = self.o
        t = self.give("P", "E2", title="Сдать справку 086/у", due=self.tomorrow_plus(4))["id"]

        def moment(column, shift):
            return self.s.psql("SELECT to_char((%s + interval '%s') AT TIME ZONE 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM request_tasks WHERE id = %d"
                               % (column, shift, t))

        def run(now):
            r = o.admin.post("/api/debug/routing-deadlines", {"now": now})
            self.assertEqual(r.status, 200, r)
            return r.json()["tasks"]

        self.assertEqual(run(moment("remind_at", "-1 minute")), 0)
        self.assertEqual(run(moment("remind_at", "1 minute")), 1)
        self.assertEqual(run(moment("remind_at", "2 minutes")), 0)
        self.assertIn("Сдать справку 086/у", self.notes("E2", "task_reminder", t))
        # past the deadline it stays the employee's; HR is told once
        self.assertEqual(run(moment("due_at", "1 hour")), 1)
        self.assertEqual(run(moment("due_at", "2 hours")), 0)
        self.assertIn("Сдать справку 086/у", self.notes("P", "task_overdue", t))
        item = [i for i in o.tasks("E2") if i["id"] == t][0]
        self.assertEqual(item["state"], "open")
        self.assertEqual(self.count("SELECT count(*) FROM request_tasks WHERE id = %d AND "
                                    "assignee_id = %d AND state = 'open'" % (t, o.id["E2"])), 1)

    # --------------------------------------------------------------- KPIs

    def test_kpis_through_the_exchange_shown_to_the_employee_and_the_manager(self):
        o = self.o
        e1 = self.ext("E1")
        items = [
            {"external_id": "kpi-e1-03", "employee": e1, "period": "2026-03", "name": "Выполнение плана продаж",
             "unit": "руб.", "plan": 1200000, "fact": "1158000.50"},
            {"external_id": "kpi-e1-q1", "employee": e1, "period": "2026-Q1", "name": "Новые клиенты",
             "unit": "чел.", "plan": 30, "fact": 33},
            {"external_id": "kpi-e1-y", "employee": e1, "period": "2026", "name": "Удовлетворённость клиентов",
             "unit": "%", "plan": 95.5, "fact": None},
        ]
        r = self.exchange(items)
        self.assertEqual((r.status, r.json()), (200, {"created": 3, "updated": 0, "unchanged": 0}))
        r = self.exchange(items)
        self.assertEqual(r.json(), {"created": 0, "updated": 0, "unchanged": 3})
        items[2] = dict(items[2], fact=96.1)
        r = self.exchange(items)
        self.assertEqual(r.json(), {"created": 0, "updated": 1, "unchanged": 2})
        # a bad batch names each bad item and writes nothing
        before = self.count("SELECT count(*) FROM kpis")
        r = self.exchange([dict(items[0], fact=1), {"external_id": "kpi-bad-1", "employee": e1, "period": "2026-13",
                                                    "name": "Х"},
                           {"external_id": "kpi-bad-2", "employee": "нет-такого", "period": "2026", "name": "Х",
                            "plan": "много"}])
        self.assertEqual(r.status, 422, r)
        err = r.json()["error"]
        self.assertEqual(sorted(err["items"]), ["1", "2"])
        self.assertIn("items[1].period", err["fields"])
        self.assertIn("items[2].plan", err["fields"])
        self.assertIn("items[2].employee", err["fields"])
        self.assertEqual(self.count("SELECT count(*) FROM kpis"), before)
        self.assertEqual(self.s.psql("SELECT fact FROM kpis WHERE external_id = 'kpi-e1-03'"), "1158000.50")
        # an API key only; another tenant's key is not this tenant's
        self.assertEqual(self.x.request("PUT", "/api/exchange/v1/kpi", body={"items": []}).status, 401)
        # the employee sees hers: newest period first, months before quarters before the year
        r = o["E1"].get("/api/kpi?year=2026")
        self.assertEqual(r.status, 200, r)
        got = r.json()
        self.assertEqual([(k["period_title"], k["name"]) for k in got["items"]],
                         [("март 2026 г.", "Выполнение плана продаж"), ("I квартал 2026 г.", "Новые клиенты"),
                          ("2026 г.", "Удовлетворённость клиентов")])
        # the periods she has, for the pages' select, in Russian (F15)
        self.assertEqual(got["periods"], [{"period": "2026-03", "title": "март 2026 г."},
                                          {"period": "2026-Q1", "title": "I квартал 2026 г."},
                                          {"period": "2026", "title": "2026 г."}])
        one = o["E1"].get("/api/kpi?period=2026-Q1").json()
        self.assertEqual([k["name"] for k in one["items"]], ["Новые клиенты"])
        self.assertEqual(len(one["periods"]), 3)
        sales = got["items"][0]
        self.assertEqual((sales["plan"], sales["fact"], sales["plan_ru"], sales["fact_ru"], sales["percent"],
                          sales["unit"], sales["source"]),
                         ("1200000.00", "1158000.50", "1\u00a0200\u00a0000,00", "1\u00a0158\u00a0000,50", 96.5,
                          "руб.", "exchange"))
        self.assertEqual(got["items"][1]["percent"], 110.0)
        self.assertEqual(got["items"][2]["fact_ru"], "96,1")
        # not money: as entered, without trailing zeros
        self.assertEqual((got["items"][1]["plan_ru"], got["items"][1]["fact_ru"]), ("30", "33"))
        self.assertEqual(got["years"], [2026])
        self.assertEqual(o["E1"].get("/api/kpi?year=2025").json()["items"], [])
        # her manager sees them; a manager not hers, an employee, another tenant do not
        r = o["M"].get("/api/team/%d/kpi" % o.id["E1"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["items"]), 3)
        self.assertEqual(r.json()["employee"]["full_name"], "Иванов Иван Иванович")
        self.assertEqual(o["M"].get("/api/team/%d/kpi" % o.id["E2"]).status, 404)
        self.assertEqual(o["E2"].get("/api/team/%d/kpi" % o.id["E1"]).status, 403)
        self.assertEqual(self.other["M"].get("/api/team/%d/kpi" % o.id["E1"]).status, 404)
        self.assertEqual(o["E3"].get("/api/kpi").json()["items"], [])
        # the exchange log names the route
        log = o.admin.get("/api/admin/exchange-log").json()["items"]
        self.assertEqual(log[0]["route"], "kpi")

    def form(self, path, fields):
        body = urllib.parse.urlencode(dict(fields, _csrf=self.o.admin.csrf)).encode()
        return self.o.admin.post(path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_kpis_on_the_admin_page_by_name_or_number(self):
        """The trial's item 3: an admin page to enter and edit KPIs, the
        employee typed as a full name or a personnel number (item 2: a
        namesake makes the name ambiguous, said at the field)."""
        o = self.o
        page = o.admin.get("/admin/kpi")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/admin/kpi"', page.text)  # in the menu
        # a typed exact full name is the person
        r = self.form("/admin/kpi", {"employee": "  соколова елена  павловна ", "employee_id": "",
                                     "period": "2026-Q2", "name": "Выручка отдела", "unit": "₽",
                                     "plan": "1 200 000", "fact": "1200000,5"})
        self.assertIn(r.status, (302, 303), r)
        self.assertEqual(r.headers["Location"], "/admin/kpi")
        row = self.s.psql("SELECT employee_id || '|' || plan || '|' || fact FROM kpis WHERE name = 'Выручка отдела'")
        self.assertEqual(row, "%d|1200000.00|1200000.50" % o.id["E3"])
        page = o.admin.get("/admin/kpi?employee=%s" % urllib.parse.quote("Соколова Елена Павловна"))
        self.assertEqual(page.status, 200)
        self.assertIn("II квартал 2026 г.", page.text)
        self.assertIn("1\u00a0200\u00a0000,50", page.text)  # money with kopecks
        kid = int(self.s.psql("SELECT id FROM kpis WHERE name = 'Выручка отдела'"))
        self.assertIn('/admin/kpi/%d/edit' % kid, page.text)
        # bad fields named in Russian next to them; nothing written
        before = self.count("SELECT count(*) FROM kpis")
        r = self.form("/admin/kpi", {"employee": "Нет Такого", "employee_id": "", "period": "2026-13",
                                     "name": "Х", "plan": "много"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Сотрудник «Нет Такого» не найден", r.text)
        self.assertIn('id="e-employee"', r.text)
        r = self.form("/admin/kpi", {"employee": "Соколова Елена Павловна", "employee_id": "",
                                     "period": "2026-13", "name": "Х", "plan": "много"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-period"', r.text)
        self.assertIn('id="e-plan"', r.text)
        self.assertEqual(self.count("SELECT count(*) FROM kpis"), before)
        # a namesake: the name is ambiguous, the personnel number is not
        self.s.psql("INSERT INTO employees (tenant_id, external_id, full_name, personnel_number) SELECT "
                    "tenant_id, 'namesake-e3', full_name, 'ТЁЗКА-1' FROM employees WHERE id = %d" % o.id["E3"])
        r = self.form("/admin/kpi", {"employee": "Соколова Елена Павловна", "employee_id": "",
                                     "period": "2026", "name": "Годовой план"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Найдено 2 сотрудника с таким ФИО — выберите из списка", r.text)
        number = self.s.psql("SELECT personnel_number FROM employees WHERE id = %d" % o.id["E3"])
        r = self.form("/admin/kpi", {"employee": number, "employee_id": "", "period": "2026",
                                     "name": "Годовой план", "unit": "%", "plan": "95,50"})
        self.assertIn(r.status, (302, 303), r)
        self.assertEqual(self.s.psql("SELECT employee_id FROM kpis WHERE name = 'Годовой план'"), str(o.id["E3"]))
        # the same rule on every picker: the deviations' form, the API's forward
        r = self.form("/admin/deviations", {"employee": "Соколова Елена Павловна", "employee_id": "",
                                            "code": "НН", "date_from": "01.02.2026", "date_to": "01.02.2026"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Найдено 2 сотрудника с таким ФИО — выберите из списка", r.text)
        # the edit form: the values as people type them; a change is saved
        page = o.admin.get("/admin/kpi/%d/edit" % kid)
        self.assertEqual(page.status, 200)
        self.assertIn('value="1200000,5"', page.text)
        self.assertIn('value="%d"' % o.id["E3"], page.text)  # the picked person, not the ambiguous name
        r = self.form("/admin/kpi/%d/edit" % kid, {"employee": "Соколова Елена Павловна",
                                                   "employee_id": str(o.id["E3"]), "period": "2026-Q2",
                                                   "name": "Выручка отдела", "unit": "₽", "plan": "1 200 000",
                                                   "fact": ""})
        self.assertIn(r.status, (302, 303), r)
        self.assertEqual(self.s.psql("SELECT coalesce(fact::text, 'null') FROM kpis WHERE id = %d" % kid), "null")
        r = self.form("/admin/kpi/%d/edit" % kid, {"employee_id": str(o.id["E3"]), "period": "2026-Q5",
                                                   "name": "Выручка отдела"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('value="2026-Q5"', r.text)
        r = self.form("/admin/kpi/%d/delete" % kid, {})
        self.assertIn(r.status, (302, 303), r)
        self.assertEqual(self.count("SELECT count(*) FROM kpis WHERE id = %d" % kid), 0)
        self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action IN ('kpi.created', "
                                    "'kpi.updated', 'kpi.deleted') AND object_id = '%d'" % kid), 3)
        self.s.psql("DELETE FROM kpis WHERE name = 'Годовой план'")
        self.s.psql("DELETE FROM employees WHERE external_id = 'namesake-e3'")

    def test_kpis_entered_by_the_administrator(self):
        o = self.o
        r = o.admin.post("/api/admin/kpi", {"employee_id": o.id["E3"], "period": "2025-q4",
                                            "name": "Закрытие заявок в срок", "unit": "%", "plan": "90",
                                            "fact": "87,5"})
        self.assertEqual(r.status, 201, r)
        k = r.json()["kpi"]
        self.assertEqual((k["period"], k["plan"], k["fact"], k["percent"], k["source"]),
                         ("2025-Q4", "90.00", "87.50", 97.2, "admin"))
        self.assertTrue(k["external_id"].startswith("local-"))
        kid = r.json()["id"]
        r = o.admin.put("/api/admin/kpi/%d" % kid, {"fact": "91"})
        self.assertEqual((r.status, r.json()["kpi"]["fact"]), (200, "91.00"))
        r = o.admin.put("/api/admin/kpi/%d" % kid, {"fact": ""})
        self.assertEqual((r.status, r.json()["kpi"]["fact"], r.json()["kpi"]["percent"]), (200, None, None))
        self.assertEqual([i["name"] for i in o["E3"].get("/api/kpi").json()["items"]], ["Закрытие заявок в срок"])
        listed = o.admin.get("/api/admin/kpi?employee_id=%d" % o.id["E3"]).json()
        self.assertEqual([i["id"] for i in listed["items"]], [kid])
        # bad fields named; no row
        r = o.admin.post("/api/admin/kpi", {"employee_id": o.id["E3"], "period": "март", "name": "Х",
                                            "plan": "много"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(sorted(r.json()["error"]["fields"]), ["period", "plan"])
        r = o.admin.post("/api/admin/kpi", {"employee_id": self.other.id["E1"], "period": "2026", "name": "Х"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("employee_id", r.json()["error"]["fields"])
        # an employee is not an administrator; another tenant's KPI is not found
        self.assertEqual(o["E3"].post("/api/admin/kpi", {"employee_id": o.id["E3"], "period": "2026",
                                                         "name": "Сам себе"}).status, 403)
        self.assertEqual(self.other.admin.delete("/api/admin/kpi/%d" % kid).status, 404)
        self.assertEqual(o.admin.delete("/api/admin/kpi/%d" % kid).status, 200)
        self.assertEqual(o["E3"].get("/api/kpi").json()["items"], [])
        self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action IN ('kpi.created', "
                                    "'kpi.updated', 'kpi.deleted') AND object_id = '%d'" % kid), 4)


if __name__ == "__main__":
    unittest.main()
