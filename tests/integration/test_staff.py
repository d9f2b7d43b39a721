"""Staff through the real stack: the employee search, the card, the structure,
the manager of an employee (every branch of the fallback), the responsible
person as an employee; tenants and roles."""
import json
import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, Stack, _fixture_sql, add_employee, add_five_day_schedule, add_session, add_user, \
    sql_quote, tenant_with_admin  # noqa: E402


def add_row(stack, table, **cols):
    return int(_fixture_sql(stack, "INSERT INTO %s (%s) VALUES (%s) RETURNING id" % (
        table, ", ".join(cols), ", ".join(sql_quote(v) for v in cols.values()))))


class Staff(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("staff").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "shtat", "ООО «Штат»")
        cls.bid, _, cls.other = tenant_with_admin(cls.s, "chuzhie", "ООО «Чужие»")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def search(self, client=None, **q):
        r = (client or self.admin).get("/api/admin/employees?" + urllib.parse.urlencode(q))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_search(self):
        s, t = self.s, self.tid
        org = add_row(s, "organizations", tenant_id=t, name="ООО «Штат»")
        top = add_row(s, "departments", tenant_id=t, name="Дирекция", organization_id=org)
        sub = add_row(s, "departments", tenant_id=t, name="Склад", organization_id=org, parent_id=top,
                      external_id="dep-sklad")
        pos = add_row(s, "positions", tenant_id=t, name="Кладовщик")
        a = add_employee(s, t, "Ёлкина Анна Сергеевна", personnel_number="П-0101", department_id=sub,
                         position_id=pos, organization_id=org)
        b = add_employee(s, t, "Бобров Борис 100%", personnel_number="П-0102", department_id=top,
                         organization_id=org, dismissed="2020-01-31", hired="2019-01-01")
        add_employee(s, self.bid, "Ёлкин Чужой", personnel_number="П-0101")
        add_user(s, t, "Ёлкина Анна Сергеевна", employee_id=a, status="active")
        _fixture_sql(s, "UPDATE users SET activated_at = now() WHERE employee_id = %d" % a)

        js = self.search(q="елкина")
        self.assertEqual(js["total"], 1)
        it = js["items"][0]
        self.assertEqual(set(it), {"id", "external_id", "personnel_number", "full_name", "department",
                                   "position", "cabinet_state"})
        self.assertEqual(it["id"], a)
        self.assertEqual(it["external_id"], "local-%d" % a)
        self.assertEqual(it["department"], {"id": sub, "name": "Склад"})
        self.assertEqual(it["position"], {"id": pos, "name": "Кладовщик"})
        self.assertEqual(it["cabinet_state"], "signed_in")
        # by personnel number, case-insensitive; LIKE characters are text
        self.assertEqual([i["id"] for i in self.search(q="п-010")["items"]], [b, a])
        self.assertEqual([i["id"] for i in self.search(q="100%")["items"]], [b])
        self.assertEqual(self.search(q="_")["total"], 0)
        # department with its sub-departments, by id or external id
        self.assertEqual({i["id"] for i in self.search(department=top)["items"]}, {a, b})
        self.assertEqual([i["id"] for i in self.search(department="dep-sklad")["items"]], [a])
        # working / dismissed, cabinet state
        self.assertEqual([i["id"] for i in self.search(q="п-010", status="dismissed")["items"]], [b])
        self.assertEqual([i["id"] for i in self.search(q="п-010", status="working")["items"]], [a])
        self.assertEqual([i["id"] for i in self.search(q="п-010", state="not_created")["items"]], [b])
        self.assertEqual(b_state := self.search(q="Бобров")["items"][0]["cabinet_state"], "not_created")
        # pages: the total stays, past the end too
        js = self.search(q="п-010", limit=1, offset=1)
        self.assertEqual((js["total"], [i["id"] for i in js["items"]]), (2, [a]))
        js = self.search(q="п-010", limit=1, offset=5)
        self.assertEqual((js["total"], js["items"]), (2, []))
        # bad filters name the field
        r = self.admin.get("/api/admin/employees?status=fired&state=zzz&limit=0")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"status", "state", "limit"})
        # another tenant sees none of it
        self.assertEqual(self.search(self.other, q="Ёлкин")["items"][0]["full_name"], "Ёлкин Чужой")
        self.assertEqual(self.other.get("/api/admin/employees/%d" % a).status, 404)
        del b_state

    def test_card(self):
        s, t = self.s, self.tid
        e = add_employee(s, t, "Карточкина Вера Павловна", personnel_number="К-1", snils="11223344595",
                         inn="500100732259", birth_date="1985-03-04")
        add_row(s, "personal_file", tenant_id=t, employee_id=e, kind="education", date_from="2007-06-30",
                data='{"institution": "МГУ", "speciality": "Экономика", "year": 2007}')
        r = self.admin.get("/api/admin/employees/%d" % e)
        self.assertEqual(r.status, 200, r)
        c = r.json()
        self.assertEqual(c["full_name"], "Карточкина Вера Павловна")
        self.assertEqual(c["birth_date_ru"], "04.03.1985")
        self.assertEqual(c["snils_masked"], "***-***-*** 95")
        self.assertEqual(c["inn_masked"], "********2259")
        self.assertNotIn("11223344595", r.text)
        self.assertNotIn("500100732259", r.text)
        self.assertEqual(c["personal_file"]["education"][0]["institution"], "МГУ")
        self.assertEqual(c["manager"], {"manager_id": None, "rule": "none"})
        self.assertEqual(self.admin.get("/api/admin/employees/999999").status, 404)

    def test_phones_as_the_pages_show_them(self):
        """The employee's card (theirs, a manager's, the administrator's) and
        /api/me give the phone as +7 912 111-22-33 (ru_format_phone), the
        stored one beside it."""
        s, t = self.s, self.tid
        e = add_employee(s, t, "Телефонова Инна Олеговна", phone="+79121112233")
        u = add_user(s, t, "Телефонова Инна Олеговна", phone="+79121112233", employee_id=e)
        me = Client(s, "shtat", *add_session(s, t, u))
        c = me.get("/api/me/employee").json()
        self.assertEqual((c["phone"], c["phone_ru"]), ("+79121112233", "+7 912 111-22-33"))
        self.assertEqual(self.admin.get("/api/admin/employees/%d" % e).json()["phone_ru"], "+7 912 111-22-33")
        user = me.get("/api/me").json()["user"]
        self.assertEqual((user["phone"], user["phone_ru"]), ("+79121112233", "+7 912 111-22-33"))

    def test_manager_branches(self):
        s, t = self.s, self.tid
        org = add_row(s, "organizations", tenant_id=t, name="ООО «Ветки»")
        # heads approve only when published: they need an email or a phone (publication.h)
        h = add_employee(s, t, "Глава Организации", organization_id=org, email="glava@vetki.ru")
        _fixture_sql(s, "UPDATE organizations SET head_id = %d WHERE id = %d" % (h, org))
        d0 = add_row(s, "departments", tenant_id=t, name="Дирекция", organization_id=org)
        d1 = add_row(s, "departments", tenant_id=t, name="Бухгалтерия", organization_id=org, parent_id=d0)
        d2 = add_row(s, "departments", tenant_id=t, name="Склад", organization_id=org, parent_id=d0)
        p = add_employee(s, t, "Директор Дирекции", organization_id=org, department_id=d0,
                         phone="+79160000101")
        m = add_employee(s, t, "Главбух Бухгалтерии", organization_id=org, department_id=d1,
                         email="glavbuh@vetki.ru")
        e1 = add_employee(s, t, "Бухгалтер Первый", organization_id=org, department_id=d1)
        e2 = add_employee(s, t, "Кладовщик Второй", department_id=d2)  # organization through the department
        lone = add_employee(s, t, "Одиночка Без Отдела")
        _fixture_sql(s, "UPDATE departments SET head_id = %d WHERE id = %d" % (p, d0))
        _fixture_sql(s, "UPDATE departments SET head_id = %d WHERE id = %d" % (m, d1))
        _fixture_sql(s, "UPDATE employees SET department_id = %d WHERE id = %d" % (d2, h))

        def manager(e):
            r = self.admin.get("/api/admin/employees/%d/manager" % e)
            self.assertEqual(r.status, 200, r)
            return r.json()["rule"], r.json()["manager_id"]

        self.assertEqual(manager(e1), ("department_head", m))      # the department's head
        self.assertEqual(manager(e2), ("organization_head", h))    # no head: the organization's
        self.assertEqual(manager(m), ("department_head", p))       # a head: the parent's head
        self.assertEqual(manager(p), ("organization_head", h))     # a head without a parent
        self.assertEqual(manager(h), ("none", None))               # nobody approves for themselves
        self.assertEqual(manager(lone), ("none", None))            # no department, no organization
        # the organization's head is nobody's subordinate, even as a member of
        # a department with a head of its own (their vacation went to the
        # chief accountant for approval: breaker trial 2)
        _fixture_sql(s, "UPDATE employees SET department_id = %d WHERE id = %d" % (d1, h))
        self.assertEqual(manager(h), ("none", None))
        _fixture_sql(s, "UPDATE employees SET department_id = %d WHERE id = %d" % (d2, h))
        self.assertEqual(self.admin.get("/api/admin/employees/%d/manager" % e1).json()["full_name"],
                         "Главбух Бухгалтерии")
        self.assertEqual(self.other.get("/api/admin/employees/%d/manager" % e1).status, 404)

    def test_manager_unpublished_heads(self):
        """"Published" decides (issue 10, item 5): a head who is not
        published (no email and no phone, or left out of the publication in
        force; a cabinet is not needed) does not approve, the next in the
        fallback does; with nobody published, the rule is none."""
        s = self.s
        t, _, admin = tenant_with_admin(s, "neopub", "ООО «Неопубликованные»")
        org = add_row(s, "organizations", tenant_id=t, name="ООО «Неопубликованные»", external_id="np-org")
        h = add_employee(s, t, "Глава Без Кабинета", organization_id=org, phone="+79160000201")
        _fixture_sql(s, "UPDATE organizations SET head_id = %d WHERE id = %d" % (h, org))
        d1 = add_row(s, "departments", tenant_id=t, name="Касса", organization_id=org, external_id="np-d1")
        d2 = add_row(s, "departments", tenant_id=t, name="Цех", organization_id=org, external_id="np-d2")
        mute = add_employee(s, t, "Начальник Без Контактов", organization_id=org, department_id=d1)
        e1 = add_employee(s, t, "Кассир Первый", organization_id=org, department_id=d1)
        m2 = add_employee(s, t, "Начальник Цеха", organization_id=org, department_id=d2,
                          email="ceh@neopub.ru")
        e2 = add_employee(s, t, "Рабочий Цеха", organization_id=org, department_id=d2)
        _fixture_sql(s, "UPDATE departments SET head_id = %d WHERE id = %d" % (mute, d1))
        _fixture_sql(s, "UPDATE departments SET head_id = %d WHERE id = %d" % (m2, d2))

        def manager(e):
            r = admin.get("/api/admin/employees/%d/manager" % e)
            self.assertEqual(r.status, 200, r)
            return r.json()["rule"], r.json()["manager_id"]

        # nobody has a cabinet: published is enough
        self.assertEqual(_fixture_sql(s, "SELECT count(*) FROM cabinets WHERE tenant_id = %d" % t), "0")
        self.assertEqual(manager(e2), ("department_head", m2))
        # the department's head has no email and no phone: not published
        self.assertEqual(manager(e1), ("organization_head", h))
        # the publication in force is only the workshop: the organization's
        # head (in no department) is out of it, so the cashier has nobody
        self.assertEqual(admin.put("/api/admin/publication", {"departments": ["np-d2"]}).status, 200)
        self.assertEqual(manager(e1), ("organization_head", h))  # a draft changes nothing yet
        self.assertEqual(admin.post("/api/admin/publication/apply", {}).status, 200)
        self.assertEqual(manager(e1), ("none", None))
        self.assertEqual(manager(e2), ("department_head", m2))
        # and the workshop's head, whose own manager would be the organization's head
        self.assertEqual(manager(m2), ("none", None))
        self.assertEqual(admin.put("/api/admin/publication", {"all": True}).status, 200)
        self.assertEqual(admin.post("/api/admin/publication/apply", {}).status, 200)
        self.assertEqual(manager(m2), ("organization_head", h))

    def test_admin_only(self):
        e = add_employee(self.s, self.tid, "Просто Сотрудник")
        uid = add_user(self.s, self.tid, "Просто Сотрудник", employee_id=e)
        token, csrf = add_session(self.s, self.tid, uid)
        c = Client(self.s, "shtat", token, csrf)
        for path in ("/api/admin/employees", "/api/admin/employees/%d" % e,
                     "/api/admin/employees/%d/manager" % e, "/api/admin/structure"):
            self.assertEqual(c.get(path).status, 403, path)
            self.assertEqual(Client(self.s, "shtat").get(path).status, 401, path)

    def test_responsible_is_an_employee(self):
        p = self.s.ctl("tenant", "create", "otvet", "ООО Ответ", "Кузнецова Анна Сергеевна",
                       "+79160000777", "anna@otvet.ru")
        self.assertEqual(p.returncode, 0, p.stderr)
        tid = int(_fixture_sql(self.s, "SELECT id FROM tenants WHERE subdomain = 'otvet'"))
        uid = int(_fixture_sql(self.s, "SELECT id FROM users WHERE tenant_id = %d" % tid))
        token, csrf = add_session(self.s, tid, uid)
        c = Client(self.s, "otvet", token, csrf)
        js = self.search(c)
        self.assertEqual([i["full_name"] for i in js["items"]], ["Кузнецова Анна Сергеевна"])
        self.assertEqual(js["items"][0]["cabinet_state"], "created_email")
        me = c.get("/api/me").json()
        self.assertEqual(me["user"]["employee_id"], js["items"][0]["id"])


    def test_responsible_matched_by_the_form(self):
        """The employee added on the form with the responsible person's
        phone (written another way) is their employee: one cabinet, their
        row filled in (issue 10, item 1)."""
        p = self.s.ctl("tenant", "create", "formsvoi", "ООО Форма", "Кузнецова Анна Сергеевна",
                       "+79160000558", "anna@formsvoi.ru")
        self.assertEqual(p.returncode, 0, p.stderr)
        tid = int(_fixture_sql(self.s, "SELECT id FROM tenants WHERE subdomain = 'formsvoi'"))
        uid = int(_fixture_sql(self.s, "SELECT id FROM users WHERE tenant_id = %d" % tid))
        token, csrf = add_session(self.s, tid, uid)
        c = Client(self.s, "formsvoi", token, csrf)
        me = c.get("/api/me").json()["user"]["employee_id"]
        # another person typed with the responsible's phone or email is not
        # merged into her card (it kept her cabinet and took the stranger's
        # name): refused at the contact, which her cabinet signs in with
        for contact in ({"phone": "8 (916) 000-05-58"}, {"email": "ANNA@formsvoi.ru"}):
            r = c.post("/api/admin/employees", dict(full_name="Тестов Тест Тестович", personnel_number="0199",
                                                    **contact))
            self.assertEqual(r.status, 422, r)
            field = list(contact)[0]
            self.assertIn("Кузнецова Анна Сергеевна", r.json()["error"]["fields"][field], r)
        card = c.get("/api/admin/employees/%d" % me).json()
        self.assertEqual(card["full_name"], "Кузнецова Анна Сергеевна")
        self.assertEqual(self.search(c)["total"], 1)
        # the same person: her surname (ё read as е, any case) with the contact
        r = c.post("/api/admin/employees", {"full_name": "КУЗНЕЦОВА Анна Сергеевна", "personnel_number": "0001",
                                            "phone": "8 (916) 000-05-58", "hired": "2023-05-02"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["id"], me)
        js = self.search(c)
        self.assertEqual(js["total"], 1, js)
        card = c.get("/api/admin/employees/%d" % me).json()
        self.assertEqual((card["personnel_number"], card["hired"]), ("0001", "2023-05-02"))
        # someone else with another phone is a new employee
        r = c.post("/api/admin/employees", {"full_name": "Орлов Пётр Ильич", "phone": "+79160000559"})
        self.assertEqual(r.status, 201, r)
        self.assertNotEqual(r.json()["id"], me)

    def test_birth_dates_that_cannot_be(self):
        # born after today, or hired before 14 (art. 63 of the Labor Code):
        # refused at birth_date, on the form and through the exchange alike
        tid, _, c = tenant_with_admin(self.s, "rozhdenie", "ООО «Рождение»")
        for body in ({"birth_date": "2099-01-01"}, {"birth_date": "2015-06-01", "hired": "2025-01-09"}):
            r = c.post("/api/admin/employees", dict(full_name="Младенцев Иван", **body))
            self.assertEqual(r.status, 422, (body, r))
            self.assertIn("birth_date", r.json()["error"]["fields"], r)
        r = c.post("/api/admin/employees", {"full_name": "Взрослый Иван", "birth_date": "2010-01-09",
                                            "hired": "2025-01-09"})
        self.assertEqual(r.status, 201, r)
        eid = r.json()["id"]
        r = c.request("PUT", "/api/admin/employees/%d" % eid, {"birth_date": "2031-01-01"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("birth_date", r.json()["error"]["fields"], r)
        self.assertEqual(c.get("/api/admin/employees/%d" % eid).json()["birth_date"], "2010-01-09")

    def test_selects_show_the_chosen_option(self):
        """The selects of the staff pages show the chosen option (the
        template's match section): the stored one on an edit form, the one
        sent in a refused form, the filter's on the list, the audit's actor."""
        s = self.s
        tid, uid, c = tenant_with_admin(s, "vybor", "ООО «Выбор»")
        o1 = add_row(s, "organizations", tenant_id=tid, name="ООО «Выбор»")
        o2 = add_row(s, "organizations", tenant_id=tid, name="ООО «Выбор-2»")
        d1 = add_row(s, "departments", tenant_id=tid, name="Цех", organization_id=o1)
        d2 = add_row(s, "departments", tenant_id=tid, name="Склад", organization_id=o2)
        p1 = add_row(s, "positions", tenant_id=tid, name="Токарь")
        p2 = add_row(s, "positions", tenant_id=tid, name="Кладовщик")
        e = add_employee(s, tid, "Выборов Вадим", personnel_number="В-1", organization_id=o2,
                         department_id=d2, position_id=p2)

        def chosen(html, name):
            """The values of the options of select `name` marked selected."""
            i = html.index('name="%s"' % name)
            block = html[i:html.index("</select>", i)]
            return [int(v) for v in re.findall(r'<option value="(\d+)" selected>', block)]

        def form(path, fields):
            fields = dict(fields, _csrf=c.csrf)
            return c.request("POST", path, raw=urllib.parse.urlencode(fields).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})

        page = c.get("/admin/employees/%d/edit" % e).text
        self.assertEqual([chosen(page, n) for n in ("organization_id", "department_id", "position_id")],
                         [[o2], [d2], [p2]])
        r = form("/admin/employees/%d/edit" % e, {"full_name": "Выборов Вадим", "personnel_number": "В-1",
                                                  "organization_id": o1, "department_id": d1, "position_id": p1,
                                                  "birth_date": "31.02.1990"})
        self.assertEqual(r.status, 422, r.text[:2000])
        self.assertIn("birth_date", r.text)
        self.assertEqual([chosen(r.text, n) for n in ("organization_id", "department_id", "position_id")],
                         [[o1], [d1], [p1]])
        page = c.get("/admin/employees?department=%d&state=not_created" % d2).text
        self.assertEqual(chosen(page, "department"), [d2])
        self.assertIn('<option value="not_created" selected>', page)
        self.assertEqual(chosen(c.get("/admin/departments/%d/edit" % d2).text, "organization_id"), [o2])
        # the audit's filter by who acted (the administrator made an employee)
        self.assertEqual(c.post("/api/admin/employees", {"full_name": "Журналов Юрий"}).status, 201)
        self.assertEqual(chosen(c.get("/admin/audit?user_id=%d" % uid).text, "user_id"), [uid])

    def test_taken_number_and_contacts_refused_where_typed(self):
        """The trial's F-staff-1: «Добавить сотрудника» and the card's edit
        refuse a personnel number another employee holds (an employee
        without an organization shares any organization's numbering) and an
        email or phone another person's cabinet signs in with, at the field,
        naming the other person (the exchange runs the same check)."""
        tid, _, c = tenant_with_admin(self.s, "dubli", "ООО «Дубли»")
        org = c.post("/api/admin/organizations", {"name": "ООО «Дубли»", "inn": "7707083893",
                                                  "kpp": "773601001"}).json()["id"]
        ivanov = c.post("/api/admin/employees", {"full_name": "Иванов Иван Иванович", "personnel_number": "102",
                                                 "organization_id": org}).json()["id"]
        sid = add_employee(self.s, tid, "Сидоров Пётр Петрович", email="sidorov@dubli.test")
        add_user(self.s, tid, "Сидоров Пётр Петрович", email="sidorov@dubli.test", phone="+79120000102",
                 employee_id=sid)

        def form(path, **fields):
            body = urllib.parse.urlencode(dict(fields, _csrf=c.csrf)).encode()
            return c.post(path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

        # the page's form, without an organization, as in the trial
        r = form("/admin/employees/new", full_name="Тестов Тест Тестович", personnel_number="102")
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-personnel_number">Табельный номер 102 уже у другого сотрудника: '
                      'Иванов Иван Иванович', r.text)
        self.assertIn('value="Тестов Тест Тестович"', r.text)  # kept to correct
        r = form("/admin/employees/new", full_name="Тестов Тест Тестович", email="sidorov@dubli.test")
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-email">Эта почта уже служит для входа в кабинет другого человека: '
                      'Сидоров Пётр Петрович', r.text)
        # through the API: each field named; nothing saved
        for body, field in (({"personnel_number": "102", "organization_id": org}, "personnel_number"),
                            ({"personnel_number": "102"}, "personnel_number"),
                            ({"phone": "+79120000102"}, "phone"),
                            ({"email": "SIDOROV@dubli.test"}, "email")):
            r = c.post("/api/admin/employees", dict(full_name="Тестов Тест Тестович", **body))
            self.assertEqual(r.status, 422, (body, r))
            self.assertIn(field, r.json()["error"]["fields"], (body, r))
        self.assertEqual(self.s.psql("SELECT count(*) FROM employees WHERE tenant_id = %d AND full_name = "
                                     "'Тестов Тест Тестович'" % tid).strip(), "0")
        # the card's edit: another's number refused, its own kept
        r = c.post("/api/admin/employees", {"full_name": "Тестов Тест Тестович", "personnel_number": "103",
                                            "organization_id": org})
        self.assertEqual(r.status, 201, r)
        tid_e = r.json()["id"]
        r = c.request("PUT", "/api/admin/employees/%d" % tid_e, {"personnel_number": "102"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Иванов Иван Иванович", r.json()["error"]["fields"]["personnel_number"], r)
        r = c.request("PUT", "/api/admin/employees/%d" % ivanov, {"personnel_number": "102"})
        self.assertEqual(r.status, 200, r)

    def test_structure_made_on_the_pages(self):
        """An organization without an accounting system builds its structure
        with the admin forms' operations (the exchange's upsert, local-<id>):
        an organization, a department tree with heads chosen by name, a
        position; then the manager rule finds the department's head."""
        tid, _, c = tenant_with_admin(self.s, "formy", "ООО «Формы»")
        _, _, other = tenant_with_admin(self.s, "formy-chuzhie", "ООО «Чужие формы»")

        def post(path, body, status=201):
            r = c.post(path, body)
            self.assertEqual(r.status, status, (path, body, r))
            return r.json()

        def emp(name, number, **kw):
            return post("/api/admin/employees", dict(full_name=name, personnel_number=number, **kw))["id"]

        org = post("/api/admin/organizations", {"name": "ООО «Формы»", "inn": "7707083893", "kpp": "773601001",
                                                "okpo": "12345678", "address": "Пермь, ул. Ленина, 1"})["id"]
        director = emp("Директоров Иван Петрович", "0001", phone="+79120000001")
        chief = emp("Главбухова Анна Сергеевна", "0002", email="glavbuh@formy.ru")
        clerk = emp("Счетоводов Пётр Ильич", "0003")
        # the head by name, as typed (any case)
        r = c.put("/api/admin/organizations/%d" % org, {"head": "директоров иван петрович"})
        self.assertEqual((r.status, r.json()["updated"]), (200, 1), r)
        top = post("/api/admin/departments", {"name": "Дирекция", "organization_id": org, "head_id": director})["id"]
        # the parent by its name, the head by personnel number; the organization through the parent
        acc = post("/api/admin/departments", {"name": "Бухгалтерия", "parent": "дирекция", "head": "0002"})["id"]
        pos = post("/api/admin/positions", {"name": "Бухгалтер"})["id"]
        r = c.put("/api/admin/employees/%d" % clerk, {"department_id": acc, "position_id": pos,
                                                      "organization_id": org})
        self.assertEqual(r.status, 200, r)
        for e, d in ((chief, acc), (director, top)):
            self.assertEqual(c.put("/api/admin/employees/%d" % e, {"department_id": d}).status, 200)

        st = c.get("/api/admin/structure").json()
        o = st["organizations"][0]
        self.assertEqual((o["external_id"], o["inn"], o["kpp"], o["okpo"], o["head"]["id"]),
                         ("local-%d" % org, "7707083893", "773601001", "12345678", director))
        deps = {d["name"]: d for d in st["departments"]}
        self.assertEqual(deps["Дирекция"]["external_id"], "local-%d" % top)
        self.assertEqual((deps["Бухгалтерия"]["parent_id"], deps["Бухгалтерия"]["head"]["id"],
                          deps["Бухгалтерия"]["level"]), (top, chief, 1))
        self.assertEqual([p["external_id"] for p in st["positions"]], ["local-%d" % pos])

        def manager(e):
            r = c.get("/api/admin/employees/%d/manager" % e)
            self.assertEqual(r.status, 200, r)
            return r.json()["rule"], r.json()["manager_id"]

        self.assertEqual(manager(clerk), ("department_head", chief))
        self.assertEqual(manager(chief), ("department_head", director))  # the parent's head
        self.assertEqual(manager(director), ("none", None))  # the organization's head himself

        # the same again: unchanged; a rename: updated
        r = c.put("/api/admin/positions/%d" % pos, {"name": "Бухгалтер"})
        self.assertEqual((r.status, r.json()["unchanged"]), (200, 1), r)
        r = c.put("/api/admin/positions/%d" % pos, {"name": "Главный бухгалтер"})
        self.assertEqual((r.status, r.json()["updated"]), (200, 1), r)

        # bad input: named at the field, nothing written
        before = c.get("/api/admin/structure").json()
        for path, body, field in (
                ("/api/admin/departments", {"name": "Склад", "parent": "Нет такого"}, "parent"),
                ("/api/admin/departments", {"name": "Склад", "head": "Никто Никтович"}, "head"),
                ("/api/admin/departments", {"name": "   "}, "name"),
                ("/api/admin/organizations", {"name": "ООО «Вторая»", "inn": "12345"}, "inn"),
                ("/api/admin/departments/%d" % top, {"parent_id": acc}, "parent")):  # a cycle
            r = c.post(path, body) if path.endswith("s") else c.put(path, body)
            self.assertEqual(r.status, 422, (path, body, r))
            self.assertIn(field, r.json()["error"]["fields"], r.json())
        self.assertEqual(c.get("/api/admin/structure").json(), before)
        # another tenant's objects are not there
        self.assertEqual(other.put("/api/admin/departments/%d" % top, {"name": "Захват"}).status, 404)
        self.assertEqual(other.put("/api/admin/organizations/%d" % org, {"name": "Захват"}).status, 404)
        self.assertEqual(c.get("/api/admin/structure").json(), before)


    def test_single_organization_is_everyone_s(self):
        """F11: a tenant with one organization has everyone in it. Before it
        exists the home page names the connected one by its name (not «не
        заведена») with the link to its form; once saved there, the
        department and the employee made before it are in it, and so is
        whatever is made after without choosing one: on the pages, by the
        CSV import and through the exchange with the key left out."""
        tid, _, c = tenant_with_admin(self.s, "odna", "ООО «Одна»")
        body = lambda r, status: (self.assertEqual(r.status, status, r), r.json())[1]
        dep = body(c.post("/api/admin/departments", {"name": "Склад"}), 201)["id"]
        early = body(c.post("/api/admin/employees", {"full_name": "Ранняя Анна Петровна",
                                                      "personnel_number": "0001", "department_id": dep}), 201)["id"]
        home = c.get("/admin/").text.replace("&laquo;", "«").replace("&raquo;", "»")
        self.assertNotIn("не заведена", home)
        self.assertIn("1 организация без ИНН или КПП", home)
        self.assertIn('href="/admin/organizations/new">ООО «Одна»</a>', home)
        # the new organization's form starts with the connected name
        self.assertIn('value="ООО «Одна»"', c.get("/admin/organizations/new").text
                      .replace("&laquo;", "«").replace("&raquo;", "»"))
        org = body(c.post("/api/admin/organizations", {"name": "ООО «Одна»", "inn": "7707083893",
                                                        "kpp": "773601001"}), 201)["id"]
        card = lambda e: body(c.get("/api/admin/employees/%d" % e), 200)["organization"]
        self.assertEqual(card(early)["id"], org)
        deps = {d["name"]: d for d in body(c.get("/api/admin/structure"), 200)["departments"]}
        self.assertEqual(deps["Склад"]["organization"]["id"], org)
        self.assertNotIn("организация без ИНН", c.get("/admin/").text)
        # made afterwards without choosing: the page's empty select, no key
        later = body(c.post("/api/admin/employees", {"full_name": "Поздний Олег Ильич", "personnel_number": "0002",
                                                      "organization_id": ""}), 201)["id"]
        self.assertEqual(card(later)["id"], org)
        dep2 = body(c.post("/api/admin/departments", {"name": "Цех", "organization_id": ""}), 201)["id"]
        deps = {d["id"]: d for d in body(c.get("/api/admin/structure"), 200)["departments"]}
        self.assertEqual(deps[dep2]["organization"]["id"], org)
        # the CSV import
        csv = "Табельный номер;ФИО;Подразделение\r\n0003;Импортов Иван Иванович;Цех\r\n".encode("cp1251")
        r = c.request("POST", "/api/admin/import/employees", raw=csv,
                      headers={"Content-Type": "text/csv; charset=windows-1251"})
        self.assertEqual(r.status, 200, r)
        imported = int(_fixture_sql(self.s, "SELECT id FROM employees WHERE tenant_id = %d AND "
                                            "personnel_number = '0003'" % tid))
        self.assertEqual(card(imported)["id"], org)
        # the exchange, the organization left out
        key = body(c.post("/api/admin/api-keys", {"name": "1С"}), 201)["key"]
        r = self.s.http("PUT", "/api/exchange/v1/employees", host="odna.localhost",
                        raw=json.dumps({"items": [{"external_id": "x4", "personnel_number": "0004",
                                                   "full_name": "Обменов Пётр"}]}).encode(),
                        headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(int(_fixture_sql(self.s, "SELECT count(*) FROM employees WHERE tenant_id = %d AND "
                                                  "organization_id IS DISTINCT FROM %d" % (tid, org))), 0)
        self.assertEqual(int(_fixture_sql(self.s, "SELECT count(*) FROM departments WHERE tenant_id = %d AND "
                                                  "organization_id IS DISTINCT FROM %d" % (tid, org))), 0)
        # a second organization: the choice is the person's again
        body(c.post("/api/admin/organizations", {"name": "ООО «Вторая»"}), 201)
        none = body(c.post("/api/admin/employees", {"full_name": "Ничей Пётр Ильич", "personnel_number": "0005"}),
                    201)["id"]
        self.assertIsNone(card(none))

    def test_bulk_schedule_and_pay_terms(self):
        """F13: the staff list gives a schedule or pay terms to several
        employees at once - the marked ones or all the filter shows - in one
        operation: everyone or, when one of them cannot take it, nobody,
        each refusal naming the employee and the field."""
        s = self.s
        tid, _, c = tenant_with_admin(s, "massovo", "ООО «Массово»")
        week = add_five_day_schedule(s, tid)
        dep = add_row(s, "departments", tenant_id=tid, name="Цех")
        ids = [add_employee(s, tid, "Рабочий %02d Иван" % i, personnel_number="%04d" % i, department_id=dep,
                            hired="2026-01-01") for i in range(1, 14)]
        other = add_employee(s, tid, "Бухгалтер Анна", personnel_number="0100", hired="2026-01-01")
        gone = add_employee(s, tid, "Ушедший Пётр Ильич", personnel_number="0200", hired="2020-01-01",
                            dismissed="2026-10-31")
        count = lambda table, cond="": int(_fixture_sql(s, "SELECT count(*) FROM %s WHERE tenant_id = %d %s"
                                                        % (table, tid, cond)))
        # all 13 of the department by the filter, a schedule from 01.12.2026
        r = c.post("/api/admin/employees/bulk", {"scope": "filter", "department": str(dep), "what": "schedule",
                                                 "schedule_id": week, "date_from": "01.12.2026"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["summary"], "График «Пятидневка» с 01.12.2026 назначен 13 сотрудникам.")
        self.assertEqual(count("schedule_assignments", "AND date_from = '2026-12-01' AND schedule_id = %d" % week), 13)
        self.assertEqual(count("schedule_assignments", "AND employee_id = %d" % other), 0)
        # pay terms to the marked ones; the card shows them
        r = c.post("/api/admin/employees/bulk", {"employees": ids[:2] + [other], "what": "pay",
                                                 "date_from": "2026-12-01", "rate": "45 000", "pay_by": "days"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["employees"], 3)
        terms = c.get("/api/admin/employees/%d/pay" % other).json()["terms"]
        self.assertEqual([(t["date_from"], t["rate"], t["pay_by"]) for t in terms], [("2026-12-01", "45000.00", "days")])
        # one who cannot take it (dismissed before the date): nobody gets it,
        # the refusal names him at his item's date_from
        before = count("employee_pay")
        r = c.post("/api/admin/employees/bulk", {"employees": [ids[5], gone, ids[6]], "what": "pay",
                                                 "date_from": "01.12.2026", "rate": "50000", "pay_by": "hours"})
        self.assertEqual(r.status, 422, r)
        e = r.json()["error"]
        self.assertEqual(e["fields"]["employees[1].date_from"],
                         "Ушедший Пётр Ильич: уволен(а) 31.10.2026, раньше даты 01.12.2026")
        self.assertEqual(set(e["fields"]), {"employees[1].date_from"})
        self.assertIn("Ничего не назначено: 1 из 3 сотрудников", e["message"])
        self.assertEqual(count("employee_pay"), before)
        # bad terms are the card's refusals, at their fields
        r = c.post("/api/admin/employees/bulk", {"employees": ids[:1], "what": "pay", "date_from": "01.12.2026",
                                                 "rate": "0", "pay_by": "days"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("rate", r.json()["error"]["fields"])
        r = c.post("/api/admin/employees/bulk", {"employees": ids[:1], "what": "schedule", "date_from": "01.12.2026",
                                                 "schedule_id": 999999})
        self.assertEqual((r.status, list(r.json()["error"]["fields"])), (422, ["schedule_id"]))
        # another tenant's administrator cannot reach these employees
        theirs = add_five_day_schedule(s, self.bid, "Их пятидневка")
        r = self.other.post("/api/admin/employees/bulk", {"employees": ids[:1], "what": "schedule",
                                                          "date_from": "01.12.2026", "schedule_id": theirs})
        self.assertEqual(r.status, 422, r)
        self.assertIn("employees[0]", r.json()["error"]["fields"])
        # the page: the marked rows and the form, a refusal by name, then done
        page = c.get("/admin/employees?department=%d" % dep).text
        self.assertIn('name="employees[]" value="%d"' % ids[0], page)
        self.assertIn('action="/admin/employees/bulk"', page)
        self.assertIn("все по фильтру (13)", page)
        form = lambda fields: c.post("/admin/employees/bulk", raw=urllib.parse.urlencode(
            fields + [("_csrf", c.csrf)]).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = form([("employees[]", str(ids[7])), ("employees[]", str(gone)), ("date_from", "01.12.2026"),
                  ("schedule_id", str(week)), ("rate", ""), ("pay_by", "days"), ("norm", ""), ("what", "schedule")])
        self.assertEqual(r.status, 422, r)
        self.assertIn("Ушедший Пётр Ильич: уволен(а) 31.10.2026, раньше даты 01.12.2026", r.text)
        r = form([("employees[]", str(ids[7])), ("employees[]", str(ids[8])), ("date_from", "01.12.2026"),
                  ("schedule_id", ""), ("rate", "60 000,50"), ("pay_by", "hours"), ("norm", ""),
                  ("what", "pay"), ("department", str(dep))])
        self.assertEqual(r.status, 200, r)
        self.assertIn("Условия оплаты с 01.12.2026 назначены 2 сотрудникам.", r.text)
        self.assertEqual(_fixture_sql(s, "SELECT string_agg(rate::text || pay_by, ',') FROM employee_pay WHERE "
                                         "tenant_id = %d AND employee_id IN (%d, %d)" % (tid, ids[7], ids[8])),
                         "60000.50hours,60000.50hours")

if __name__ == "__main__":
    unittest.main()
