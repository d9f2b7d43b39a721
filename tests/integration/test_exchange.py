"""The exchange with an accounting system through the real stack: API keys
(shown once, stored hashed, accepted only under /api/exchange/v1/), the
idempotent upserts of every kind, all-or-nothing batches naming each bad
item and field, references in any order, null clears and a left-out key
keeps, schedules and pay terms written through with the closed-month lock,
the responsible person merged with their employee, the exchange log, the
admin's employee form routes, a large body."""
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, Stack, _fixture_sql, add_session, add_user, tenant_with_admin  # noqa: E402

FIVE_DAY = [{"hours": 8}] * 5 + [{"hours": 0}] * 2


class Exchange(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("exchange", conf_extra="max_positions = 1000\n").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "obmen", "ООО «Обмен»")
        cls.bid, _, cls.other = tenant_with_admin(cls.s, "drugoi", "ООО «Другой»")
        r = cls.admin.post("/api/admin/api-keys", {"name": "ЗУП"})
        assert r.status == 201, r
        cls.key = r.json()["key"]
        cls.key_id = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def put(self, what, items, key=None, host="obmen.localhost", raw=None):
        body = raw if raw is not None else json.dumps({"items": items}).encode()
        return self.s.http("PUT", "/api/exchange/v1/" + what, raw=body, host=host, headers={
            "Authorization": "Bearer " + (key or self.key), "Content-Type": "application/json"})

    def ok(self, what, items, **want):
        r = self.put(what, items)
        self.assertEqual(r.status, 200, r)
        if want:
            self.assertEqual(r.json(), dict({"created": 0, "updated": 0, "unchanged": 0}, **want))
        return r.json()

    def employee(self, ext):
        r = self.admin.get("/api/admin/employees?q=&limit=1000")
        for it in r.json()["items"]:
            if it["external_id"] == ext:
                return self.admin.get("/api/admin/employees/%d" % it["id"]).json()
        return None

    def base(self, tag):
        self.ok("organizations", [{"external_id": tag + "-org", "name": "ООО «Обмен»", "inn": "7707083893",
                                   "kpp": "773601001", "okpo": "00032537", "address": "Москва"}])
        self.ok("positions", [{"external_id": tag + "-pos", "name": "Бухгалтер"}])
        self.ok("departments", [{"external_id": tag + "-d", "name": "Бухгалтерия",
                                 "organization": tag + "-org"}])

    def person(self, tag, n, **kw):
        return dict({"external_id": "%s-e%d" % (tag, n), "personnel_number": "%s%04d" % (tag, n),
                     "full_name": "Иванов Иван Иванович", "organization": tag + "-org",
                     "department": tag + "-d", "position": tag + "-pos", "hired": "2024-01-15",
                     "email": "e%d.%s@example.org" % (n, tag)}, **kw)

    # ------------------------------------------------------------ keys

    def test_keys(self):
        self.assertTrue(self.key.startswith("ck_") and len(self.key) == 46, self.key)
        digest = hashlib.sha256(self.key.encode()).hexdigest()
        stored = _fixture_sql(self.s, "SELECT encode(key_hash, 'hex') FROM api_keys WHERE id = %d" % self.key_id)
        self.assertEqual(stored, digest)  # only the hash is kept
        keys = self.admin.get("/api/admin/api-keys").json()["items"]
        self.assertNotIn(self.key, json.dumps(keys))
        self.assertIn("ЗУП", [k["name"] for k in keys])
        # a key works only under /api/exchange/v1/; a session never does there
        h = {"Authorization": "Bearer " + self.key}
        self.assertEqual(self.s.http("GET", "/api/admin/employees", host="obmen.localhost", headers=h).status, 401)
        self.assertEqual(self.s.http("GET", "/api/me", host="obmen.localhost", headers=h).status, 401)
        self.assertEqual(self.admin.get("/api/exchange/v1/log").status, 401)
        r = self.admin.request("PUT", "/api/exchange/v1/positions", body={"items": []})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(self.s.http("GET", "/api/exchange/v1/log", host="obmen.localhost").status, 401)
        # another tenant's host does not know the key
        self.assertEqual(self.put("positions", [], host="drugoi.localhost").status, 401)
        # a deleted key stops at once
        r = self.admin.post("/api/admin/api-keys", {"name": "временный"})
        tmp = r.json()
        self.assertEqual(self.put("positions", [], key=tmp["key"]).status, 200)
        self.assertEqual(self.admin.delete("/api/admin/api-keys/%d" % tmp["id"]).status, 200)
        self.assertEqual(self.put("positions", [], key=tmp["key"]).status, 401)
        self.assertEqual(self.other.delete("/api/admin/api-keys/%d" % self.key_id).status, 404)
        self.assertEqual(self.admin.post("/api/admin/api-keys", {"name": ""}).status, 422)

    def test_times_in_the_organization_zone(self):
        """The exchange log's and the keys' times are shown in the
        organization's time zone (issue 10, item 9), not Moscow's."""
        import datetime
        _, _, far = tenant_with_admin(self.s, "vostok", "ООО «Восток»")
        self.assertEqual(far.put("/api/admin/settings", {"timezone": "Asia/Vladivostok"}).status, 200)
        before = datetime.datetime.now(datetime.timezone.utc)
        r = far.post("/api/admin/api-keys", {"name": "ЗУП Восток"})
        self.assertEqual(r.status, 201, r)
        key = r.json()["key"]
        r = self.put("positions", [{"external_id": "v-pos", "name": "Инженер"}], key=key, host="vostok.localhost")
        self.assertEqual(r.status, 200, r)
        after = datetime.datetime.now(datetime.timezone.utc)
        vlad = datetime.timezone(datetime.timedelta(hours=10))  # UTC+10, no daylight saving
        shown = {t.astimezone(vlad).strftime("%d.%m.%Y %H:%M") for t in (before, after)}
        log = far.get("/api/admin/exchange-log").json()["items"][0]
        at = datetime.datetime.strptime(log["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        self.assertEqual(log["at_ru"], at.astimezone(vlad).strftime("%d.%m.%Y %H:%M"), log)
        k = [k for k in far.get("/api/admin/api-keys").json()["items"] if k["name"] == "ЗУП Восток"][0]
        self.assertIn(k["created_ru"], shown, k)
        self.assertIn(k["last_used_ru"], shown, k)
        # the log's page shows the same
        page = far.get("/admin/exchange-log")
        self.assertEqual(page.status, 200)
        self.assertIn(log["at_ru"], page.text)

    def test_the_log_page_says_who_and_how_many(self):
        """What an administrator reads on /admin/exchange-log: a key by its
        name (a name with its own «quotes» not quoted again), "ключ API",
        revoked ones so marked; the person who loaded a file by name; the
        count in words with its plural and the page shown; the older
        entries on the next page. A key reading the log gets no person's
        name."""
        _, _, adm = tenant_with_admin(self.s, "zhurnal", "ООО «Журнал»")
        r = adm.post("/api/admin/api-keys", {"name": "Бухгалтерия «1С»"})
        self.assertEqual(r.status, 201, r)
        key, kid = r.json()["key"], r.json()["id"]
        r = self.put("organizations", [{"external_id": "o", "name": "ООО «Журнал»"}], key=key,
                     host="zhurnal.localhost")
        self.assertEqual(r.status, 200, r)
        csv = "Табельный номер;ФИО;Подразделение;Должность;Дата приёма\r\n" \
              "0001;Новиков Пётр Ильич;Склад;Грузчик;01.11.2026\r\n"
        r = adm.request("POST", "/api/admin/import/employees", raw=csv.encode(),
                        headers={"Content-Type": "text/csv; charset=utf-8"})
        self.assertEqual(r.status, 200, r)
        for i in range(49):
            r = self.put("positions", [{"external_id": "p%d" % i, "name": "Должность %d" % i}], key=key,
                         host="zhurnal.localhost")
            self.assertEqual(r.status, 200, r)
        self.assertEqual(adm.delete("/api/admin/api-keys/%d" % kid).status, 200)
        page = adm.get("/admin/exchange-log")
        self.assertEqual(page.status, 200)
        text = page.text
        self.assertIn("51 запись, показаны 1–50", text)
        self.assertIn("Бухгалтерия «1С»<br><span class=\"hint\">ключ API, отозван</span>", text.replace("&laquo;", "«").replace("&raquo;", "»"))
        self.assertNotIn("««", text)
        self.assertNotIn("»»", text)
        self.assertIn('name="offset" value="50"', text)
        older = adm.get("/admin/exchange-log?offset=50").text
        self.assertIn("51 запись, показана 51-я", older)
        # the oldest is the organizations' batch; the file's loader is named
        self.assertIn("Организации", older)
        log = adm.get("/api/admin/exchange-log?limit=100").json()
        self.assertEqual(log["total_ru"], "51 запись")
        csv_row = [i for i in log["items"] if i["route"] == "csv"][0]
        self.assertEqual((csv_row["who_ru"], csv_row.get("who_note_ru")), (adm.get("/api/me").json()["user"]["full_name"], None))
        # a key reads counts and keys' names only
        r = adm.post("/api/admin/api-keys", {"name": "Читатель"})
        got = self.s.http("GET", "/api/exchange/v1/log?limit=100", host="zhurnal.localhost",
                          headers={"Authorization": "Bearer " + r.json()["key"]}).json()
        self.assertEqual(len(got["items"]), 51)
        self.assertNotIn(csv_row["who_ru"], json.dumps(got, ensure_ascii=False))
        self.assertTrue(all("user" not in i and "who_ru" not in i for i in got["items"]))

    # ------------------------------------------------------------ batches

    def test_bad_json_said_in_russian(self):
        """F5: json-c's English never reaches the accounting system."""
        for body, want in (('{"items": [ {"a":1}, ]', "Тело запроса — не JSON: ошибка в позиции 22"),
                           ('[1,2]', "Тело запроса должно быть JSON-объектом"),
                           ('{"items": ' + "[" * 5000 + "]" * 5000 + "}", "Слишком глубокая вложенность JSON"),
                           ('{"items": [', "Тело запроса — не JSON: текст оборвался в позиции 12")):
            r = self.put("employees", None, raw=body.encode())
            self.assertEqual(r.status, 400, (body[:40], r))
            msg = r.json()["error"]["message"]
            self.assertTrue(msg.startswith(want), (body[:40], msg))
            self.assertNotRegex(msg.replace("JSON", ""), "[A-Za-z]{3,}", msg)
        # a lone surrogate in a field: 422 encoding there, nothing written
        r = self.put("positions", [{"external_id": "sur-1", "name": "Бух\ud800галтер"}])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"]["items[0].name"], "encoding")

    def test_a_latin_letter_in_a_russian_name(self):
        """F22: «Пaвел» with a Latin «a» is refused at full_name naming the
        word and the letter, through the exchange as through the form."""
        self.base("lat")
        r = self.put("employees", [self.person("lat", 1, full_name="Перформер Пaвел Пaвлович")])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"]["items[0].full_name"], "mixed_script")
        self.assertIn("«Пaвел» латинская буква «a»", r.json()["error"]["fields"]["items[0].full_name"])
        self.ok("employees", [self.person("lat", 1, full_name="Перформер Павел Павлович")], created=1)

    def test_a_dismissal_closes_the_cabinet_at_once(self):
        """F10: a dismissal dated before today ends the employee's sessions
        and closes the cabinet in the exchange's transaction, not at the next
        scheduled run; one dated later leaves it open."""
        import datetime
        s = self.s
        self.base("uv")
        self.ok("employees", [self.person("uv", 1, full_name="Уходящий Иван Иванович"),
                              self.person("uv", 2, full_name="Остающийся Пётр Петрович")])
        clients = {}
        for n in (1, 2):
            eid = int(_fixture_sql(s, "SELECT id FROM employees WHERE tenant_id = %d AND external_id = "
                                      "'uv-e%d'" % (self.tid, n)))
            # the cabinet the exchange created, signed in
            uid = _fixture_sql(s, "SELECT id FROM users WHERE tenant_id = %d AND employee_id = %d"
                                  % (self.tid, eid)).strip()
            uid = int(uid) if uid else add_user(s, self.tid, "Сотрудник %d" % n, employee_id=eid,
                                                email="e%d.uv@example.org" % n)
            _fixture_sql(s, "UPDATE users SET status = 'active', activated_at = now() WHERE id = %d" % uid)
            _fixture_sql(s, "INSERT INTO cabinets (tenant_id, employee_id, state, signed_in_at) VALUES "
                            "(%d, %d, 'signed_in', now()) ON CONFLICT (tenant_id, employee_id) DO UPDATE "
                            "SET state = 'signed_in'" % (self.tid, eid))
            token, csrf = add_session(s, self.tid, uid)
            clients[n] = (eid, Client(s, "obmen", token, csrf))
            self.assertEqual(clients[n][1].get("/api/me").status, 200)
        today = datetime.date.today()
        self.ok("employees", [self.person("uv", 1, full_name="Уходящий Иван Иванович",
                                          dismissed=(today - datetime.timedelta(days=12)).isoformat()),
                              self.person("uv", 2, full_name="Остающийся Пётр Петрович",
                                          dismissed=(today + datetime.timedelta(days=30)).isoformat())],
                updated=2)
        self.assertEqual(clients[1][1].get("/api/me").status, 401)
        self.assertEqual(_fixture_sql(s, "SELECT state FROM cabinets WHERE tenant_id = %d AND employee_id = %d"
                                         % (self.tid, clients[1][0])).strip(), "disabled")
        self.assertEqual(clients[2][1].get("/api/me").status, 200)

    def test_employees_idempotent_all_or_nothing(self):
        tag = "ia"
        self.base(tag)
        people = [self.person(tag, n, full_name=name) for n, name in
                  enumerate(["Петров Пётр Петрович", "Смирнова Анна Сергеевна", "Кузнецова Мария Олеговна"])]
        self.ok("employees", people, created=3)
        self.ok("employees", people, unchanged=3)
        # one bad item: nothing written, the item and field named
        bad = [self.person(tag, 10), self.person(tag, 11, email="not-an-email", phone="123"),
               self.person(tag, 12, department="no-such-dep", colour="red")]
        r = self.put("employees", bad)
        self.assertEqual(r.status, 422, r)
        e = r.json()["error"]
        self.assertEqual(set(e["items"]), {"1", "2"})
        self.assertEqual(set(e["items"]["1"]), {"email", "phone"})
        self.assertIn("items[1].email", e["fields"])
        self.assertIn("no-such-dep", e["items"]["2"]["department"])
        self.assertIn("Неизвестное поле", e["items"]["2"]["colour"])
        self.assertIsNone(self.employee(tag + "-e10"))
        # the log has both calls, with their counts and errors
        log = self.s.http("GET", "/api/exchange/v1/log?limit=50", host="obmen.localhost",
                          headers={"Authorization": "Bearer " + self.key}).json()["items"]
        # counts and the keys' names: no person's name for a key (access.h: "any")
        self.assertEqual(set(log[0]), {"at", "key", "route", "route_title", "created", "updated", "unchanged",
                                       "errors", "status", "at_ru", "duration_ms", "ok"})
        self.assertEqual(log[0]["route_title"], "Сотрудники")
        self.assertEqual((log[0]["route"], log[0]["errors"], log[0]["key"]), ("employees", 2, "ЗУП"))
        self.assertEqual((log[1]["unchanged"], log[2]["created"]), (3, 3))
        self.assertEqual(self.admin.get("/api/admin/exchange-log").json()["items"][0]["errors"], 2)

    def test_a_changed_contact_moves_the_sign_in(self):
        """The exchange changes an employee's email or phone: the account signs
        in with the new one (cabinets_contacts_follow); another account's
        contact is refused at the item, naming the field."""
        tag = "ct"
        self.base(tag)
        self.ok("employees", [self.person(tag, 1, phone="+79125550001"), self.person(tag, 2)], created=2)
        e1, e2 = self.employee(tag + "-e1")["id"], self.employee(tag + "-e2")["id"]
        add_user(self.s, self.tid, "Иванов Иван Иванович", email="e1.ct@example.org", phone="+79125550001",
                 employee_id=e1)
        add_user(self.s, self.tid, "Иванов Иван Иванович", email="e2.ct@example.org", employee_id=e2)
        self.ok("employees", [{"external_id": tag + "-e1", "phone": "8 912 555-00-09",
                               "email": "e1.new@example.org"}], updated=1)
        got = self.s.psql("SELECT email || ' ' || phone FROM users WHERE employee_id = %d" % e1)
        self.assertEqual(got, "e1.new@example.org +79125550009")
        n = int(self.s.psql("SELECT count(*) FROM outbox WHERE kind = 'contact_changed' AND tenant_id = %d"
                            % self.tid))
        self.assertEqual(n, 4)  # the old and the new email, the old and the new phone
        # e2's account's email for e1: the item is refused, nothing changes
        r = self.put("employees", [{"external_id": tag + "-e1", "email": "e2.ct@example.org"}])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["items"]["0"]), {"email"})
        self.assertEqual(self.employee(tag + "-e1")["email"], "e1.new@example.org")
        # a contact removed from the card leaves the account too (its value was
        # the card's): the old number no longer signs in nor gets codes, and is told
        mark = self.s.psql("SELECT coalesce(max(id), 0) FROM outbox WHERE tenant_id = %d" % self.tid)
        self.ok("employees", [{"external_id": tag + "-e1", "phone": None}], updated=1)
        got = self.s.psql("SELECT email || ' ' || coalesce(phone, '-') FROM users WHERE employee_id = %d" % e1)
        self.assertEqual(got, "e1.new@example.org -")
        told = self.s.psql("SELECT recipient || ': ' || body FROM outbox WHERE tenant_id = %d AND kind = "
                           "'contact_changed' AND id > %s" % (self.tid, mark))
        self.assertIn("+79125550009: ", told)
        self.assertIn("по этому номеру больше не действует", told)
        # a contact the card never held (set on the account by hand) stays when
        # the card's email goes; the card's removed email leaves the account
        self.s.psql("UPDATE users SET phone = '+79125550002' WHERE employee_id = %d" % e2)
        self.ok("employees", [{"external_id": tag + "-e2", "email": None}], updated=1)
        got = self.s.psql("SELECT coalesce(email, '-') || ' ' || phone FROM users WHERE employee_id = %d" % e2)
        self.assertEqual(got, "- +79125550002")
        # the account's last way to sign in stays: e1 loses its email too, keeps it
        self.ok("employees", [{"external_id": tag + "-e1", "email": None}], updated=1)
        got = self.s.psql("SELECT coalesce(email, '-') || ' ' || coalesce(phone, '-') FROM users WHERE "
                          "employee_id = %d" % e1)
        self.assertEqual(got, "e1.new@example.org -")
        # without an account the card changes alone
        self.ok("employees", [self.person(tag, 3, email="e3.ct@example.org")], created=1)
        self.ok("employees", [{"external_id": tag + "-e3", "email": "e3.new@example.org"}], updated=1)

    def test_left_out_keeps_null_clears(self):
        tag = "nl"
        self.base(tag)
        p = self.person(tag, 1, phone="8 (912) 345-67-01", snils="112-233-445 95", inn="500100732259",
                        birth_date="17.05.1990", insurance_record={"years": 7, "months": 3, "as_of": "2025-01-01"})
        self.ok("employees", [p], created=1)
        c = self.employee(tag + "-e1")
        self.assertEqual((c["phone"], c["birth_date"], c["snils_masked"]), ("+79123456701", "1990-05-17",
                                                                           "***-***-*** 95"))
        self.assertEqual(c["insurance_record"], {"years": 7, "months": 3, "as_of": "2025-01-01"})
        self.ok("employees", [{"external_id": tag + "-e1", "full_name": "Иванова Анна Ивановна"}], updated=1)
        c = self.employee(tag + "-e1")
        self.assertEqual((c["full_name"], c["phone"], c["department"]["name"]),
                         ("Иванова Анна Ивановна", "+79123456701", "Бухгалтерия"))
        self.ok("employees", [{"external_id": tag + "-e1", "phone": None, "department": None,
                               "insurance_record": None}], updated=1)
        c = self.employee(tag + "-e1")
        self.assertEqual((c["phone"], c["department"], c["insurance_record"], c["email"]),
                         (None, None, None, p["email"]))
        r = self.put("employees", [{"external_id": tag + "-e1", "full_name": None}])
        self.assertEqual(r.status, 422, r)
        self.assertIn("full_name", r.json()["error"]["items"]["0"])
        # identifiers are checked, never echoed in full
        r = self.put("employees", [{"external_id": tag + "-e1", "snils": "112-233-445 94", "inn": "500100732258"}])
        self.assertEqual(set(r.json()["error"]["items"]["0"]), {"snils", "inn"})
        self.assertNotIn("11223344594", r.text)
        r = self.put("organizations", [{"external_id": tag + "-org", "inn": "7707083894", "kpp": "7736", "okpo": "1"}])
        self.assertEqual(set(r.json()["error"]["items"]["0"]), {"inn", "kpp", "okpo"})

    def test_departments_tree_any_order(self):
        tag = "tr"
        self.base(tag)
        # the child comes before its parent in the same batch
        self.ok("departments", [{"external_id": tag + "-c", "name": "Склад №1", "parent": tag + "-p"},
                                {"external_id": tag + "-p", "name": "Склады", "organization": tag + "-org"}],
                created=2)
        st = self.admin.get("/api/admin/structure").json()
        deps = {d["external_id"]: d for d in st["departments"]}
        self.assertEqual(deps[tag + "-c"]["parent_id"], deps[tag + "-p"]["id"])
        self.assertEqual(deps[tag + "-c"]["organization"]["name"], "ООО «Обмен»")  # the parent's
        self.assertEqual(deps[tag + "-c"]["level"], deps[tag + "-p"]["level"] + 1)
        # a cycle is refused, naming the item
        r = self.put("departments", [{"external_id": tag + "-p", "parent": tag + "-c"}])
        self.assertEqual(r.status, 422, r)
        self.assertIn("parent", r.json()["error"]["items"]["0"])
        r = self.put("departments", [{"external_id": tag + "-x", "name": "X", "head": "nobody"}])
        self.assertIn("nobody", r.json()["error"]["items"]["0"]["head"])
        # the same item twice in a batch
        r = self.put("positions", [{"external_id": tag + "-q", "name": "A"}, {"external_id": tag + "-q", "name": "B"}])
        self.assertIn("external_id", r.json()["error"]["items"]["1"])
        # names that pages gave cannot be created by the exchange
        r = self.put("positions", [{"external_id": "local-999999", "name": "A"}])
        self.assertEqual(r.status, 422, r)
        # bad bodies
        self.assertEqual(self.put("positions", None, raw=b"{not json").status, 400)
        r = self.put("positions", None, raw=b'{"items": [], "extra": 1}')
        self.assertEqual(r.status, 422, r)
        self.assertIn("extra", r.json()["error"]["fields"])
        self.assertEqual(self.put("positions", None, raw=b'{"items": {}}').status, 422)

    def test_schedules_pay_and_closed_month(self):
        tag = "sp"
        self.base(tag)
        sch = self.admin.post("/api/admin/schedules", {"name": "Пятидневка SP", "kind": "week", "days": FIVE_DAY})
        sid = sch.json()["schedule"]["id"]
        p = self.person(tag, 1, schedules=[{"date_from": "2024-01-15", "schedule": sid}],
                        pay=[{"date_from": "2024-01-15", "rate": "60000.00", "pay_by": "days"},
                             {"date_from": "2025-01-01", "rate": 70000, "pay_by": "days", "norm": "summed"}])
        self.ok("employees", [p], created=1)
        self.ok("employees", [p], unchanged=1)
        c = self.employee(tag + "-e1")
        self.assertEqual([(s["date_from"], s["schedule"]) for s in c["schedules"]], [("2024-01-15", sid)])
        self.assertEqual([(t["date_from"], t["rate"], t["norm"]) for t in c["pay"]],
                         [("2024-01-15", "60000.00", None), ("2025-01-01", "70000.00", "summed")])
        # by name, and a new list replaces the old one
        p2 = dict(p, schedules=[{"date_from": "2024-01-15", "schedule": "Пятидневка SP"}],
                  pay=[{"date_from": "2024-01-15", "rate": "65000.00", "pay_by": "hours"}])
        self.ok("employees", [p2], updated=1)
        c = self.employee(tag + "-e1")
        self.assertEqual([(t["date_from"], t["rate"], t["pay_by"]) for t in c["pay"]],
                         [("2024-01-15", "65000.00", "hours")])
        r = self.put("employees", [dict(p2, schedules=[{"date_from": "2024-01-15", "schedule": "Нет такого"}])])
        self.assertIn("schedules[0].schedule", r.json()["error"]["items"]["0"])
        # a closed month locks the terms it was paid on
        r = self.admin.post("/api/admin/payroll/2024-02/calculate", {"employees": [c["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.admin.post("/api/admin/payroll/2024-02/close").status, 200)
        r = self.put("employees", [dict(p2, pay=[{"date_from": "2024-01-15", "rate": "1.00", "pay_by": "days"}])])
        self.assertEqual(r.status, 422, r)
        self.assertIn("закрытый месяц", r.json()["error"]["items"]["0"]["pay"])
        self.ok("employees", [dict(p2, pay=p2["pay"] + [{"date_from": "2024-03-01", "rate": "1.00",
                                                          "pay_by": "days"}])], updated=1)
        self.admin.post("/api/admin/payroll/2024-02/reopen")

    def test_personal_file(self):
        tag = "pf"
        self.base(tag)
        self.ok("employees", [self.person(tag, 1)], created=1)
        recs = [{"external_id": tag + "-r1", "employee": tag + "-e1", "kind": "employment", "event": "hire",
                 "date_from": "2024-01-15", "position": "Бухгалтер", "department": "Бухгалтерия",
                 "order_number": "12-к", "order_date": "2024-01-12"},
                {"external_id": tag + "-r2", "employee": tag + "-e1", "kind": "education",
                 "institution": "РЭУ им. Плеханова", "speciality": "Бухучёт", "year": 2012},
                {"external_id": tag + "-r3", "employee": tag + "-e1", "kind": "training", "course": "1С:ЗУП 3",
                 "organization": "УЦ №1", "hours": 40, "document": "удостоверение 77-1",
                 "date_from": "2025-03-01", "date_to": "2025-03-10"},
                {"external_id": tag + "-r4", "employee": tag + "-e1", "kind": "seniority", "type": "total",
                 "years": 12, "months": 4, "days": 3, "date_from": "2025-01-01"}]
        self.ok("personal-file", recs, created=4)
        self.ok("personal-file", recs, unchanged=4)
        c = self.employee(tag + "-e1")
        self.assertEqual(c["personal_file"]["employment"][0]["order_number"], "12-к")
        self.assertEqual(c["personal_file"]["education"][0]["year"], 2012)
        self.assertEqual(c["personal_file"]["training"][0]["hours"], 40)
        r = self.put("personal-file", [{"external_id": tag + "-r9", "employee": tag + "-e1", "kind": "trip",
                                        "course": "x", "date_from": "2025-02-02", "date_to": "2025-02-01"},
                                       {"external_id": tag + "-r8", "employee": "nobody", "kind": "party"}])
        e = r.json()["error"]["items"]
        self.assertEqual(set(e["0"]), {"course", "date_to"})
        self.assertEqual(set(e["1"]), {"employee", "kind"})

    def test_responsible_matched(self):
        p = self.s.ctl("tenant", "create", "svoi", "ООО Свои", "Кузнецова Анна Сергеевна", "+79160000555",
                       "anna@svoi.ru")
        self.assertEqual(p.returncode, 0, p.stderr)
        tid = int(_fixture_sql(self.s, "SELECT id FROM tenants WHERE subdomain = 'svoi'"))
        uid = int(_fixture_sql(self.s, "SELECT id FROM users WHERE tenant_id = %d" % tid))
        token, csrf = add_session(self.s, tid, uid)
        a = Client(self.s, "svoi", token, csrf)
        me = a.get("/api/me").json()["user"]["employee_id"]
        key = a.post("/api/admin/api-keys", {"name": "1С"}).json()["key"]
        items = [{"external_id": "zup-77", "full_name": "Кузнецова Анна Сергеевна", "phone": "+7 916 000-05-55",
                  "personnel_number": "0077"},
                 {"external_id": "zup-78", "full_name": "Другой Сотрудник", "email": "other@svoi.ru"}]
        r = self.put("employees", items, key=key, host="svoi.localhost")
        self.assertEqual(r.json(), {"created": 2, "updated": 0, "unchanged": 0})
        js = a.get("/api/admin/employees").json()
        self.assertEqual(js["total"], 2)  # one cabinet, one employee for the responsible
        mine = [i for i in js["items"] if i["id"] == me][0]
        self.assertEqual((mine["external_id"], mine["personnel_number"]), ("zup-77", "0077"))
        self.assertEqual(a.get("/api/me").json()["user"]["employee_id"], me)
        r = self.put("employees", items, key=key, host="svoi.localhost")
        self.assertEqual(r.json(), {"created": 0, "updated": 0, "unchanged": 2})

    def test_admin_form_routes(self):
        tag = "af"
        self.base(tag)
        st = self.admin.get("/api/admin/structure").json()
        dep = [d for d in st["departments"] if d["external_id"] == tag + "-d"][0]["id"]
        r = self.admin.post("/api/admin/employees", {"full_name": "Новиков Олег Петрович", "department_id": dep,
                                                     "hired": "2025-02-03", "email": "oleg@example.org"})
        self.assertEqual(r.status, 201, r)
        eid = r.json()["id"]
        c = self.admin.get("/api/admin/employees/%d" % eid).json()
        self.assertEqual((c["external_id"], c["department"]["id"], c["organization"]["name"]),
                         ("local-%d" % eid, dep, "ООО «Обмен»"))
        r = self.admin.put("/api/admin/employees/%d" % eid, {"email": "bad", "hired": "2025-13-01"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"email", "hired"})
        r = self.admin.put("/api/admin/employees/%d" % eid, {"phone": "+79001234567"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.admin.get("/api/admin/employees/%d" % eid).json()["phone"], "+79001234567")
        # the exchange can refer to it by its local id
        self.ok("departments", [{"external_id": tag + "-d", "head": "local-%d" % eid}], updated=1)
        self.assertEqual(self.other.put("/api/admin/employees/%d" % eid, {"phone": None}).status, 404)

    def test_batches_over_chunks(self):
        """A batch is read, checked and written in chunks of 500 items inside
        one transaction: references, cycles, duplicates and personnel numbers
        work across chunks, and one bad item anywhere undoes every chunk."""
        tag = "ch"
        self.base(tag)
        fill = [{"external_id": "%s-f%d" % (tag, n), "name": "Отдел %d" % n} for n in range(1098)]
        # the child is item 0, its parent item 1099: two chunks apart
        deps = [{"external_id": tag + "-c", "name": "Склад", "parent": tag + "-p"}] + fill + \
               [{"external_id": tag + "-p", "name": "Склады", "organization": tag + "-org"}]
        self.ok("departments", deps, created=1100)
        st = {d["external_id"]: d for d in self.admin.get("/api/admin/structure").json()["departments"]}
        self.assertEqual(st[tag + "-c"]["parent_id"], st[tag + "-p"]["id"])
        self.assertEqual(st[tag + "-c"]["organization"]["name"], "ООО «Обмен»")
        self.ok("departments", deps, unchanged=1100)
        # a cycle closed by an item of a later chunk
        cyc = [{"external_id": tag + "-x", "name": "X", "parent": tag + "-y"}] + fill + \
              [{"external_id": tag + "-y", "name": "Y", "parent": tag + "-x"}]
        r = self.put("departments", cyc)
        self.assertEqual(r.status, 422, r)
        self.assertIn("замкнутый круг", r.json()["error"]["items"]["1099"]["parent"])
        self.assertNotIn(tag + "-x", json.dumps(self.admin.get("/api/admin/structure").json()))

        people = [self.person(tag, n, full_name="Сотрудник Чанков Первый") for n in range(1200)]
        bad = [dict(p) for p in people]
        bad[2]["email"] = "nope"
        bad[1150]["hired"] = "31.02.2024"
        bad[800]["external_id"] = bad[10]["external_id"]  # the same item twice
        bad[900]["personnel_number"] = bad[5]["personnel_number"]
        before = self.admin.get("/api/admin/exchange-log").json()["total"]
        r = self.put("employees", bad)
        self.assertEqual(r.status, 422, r)
        e = r.json()["error"]
        self.assertEqual(set(e["items"]), {"2", "800", "900", "1150"})
        self.assertIn("email", e["items"]["2"])
        self.assertIn("hired", e["items"]["1150"])
        self.assertIn("элемент 10", e["items"]["800"]["external_id"])
        self.assertIn("уже у другого", e["items"]["900"]["personnel_number"])
        self.assertIn("ошибки в 4 из 1200", e["message"])
        # nothing of the good chunks stayed; the refused call is logged
        self.assertEqual(self.admin.get("/api/admin/employees?q=%s&limit=1" % tag).json()["total"], 0)
        log = self.admin.get("/api/admin/exchange-log").json()
        self.assertEqual(log["total"], before + 1)
        self.assertEqual((log["items"][0]["errors"], log["items"][0]["created"], log["items"][0]["status"]),
                         (4, 0, 422))
        self.ok("employees", people, created=1200)
        self.ok("employees", people, unchanged=1200)
        self.assertEqual(self.admin.get("/api/admin/employees?q=%s&limit=1" % tag).json()["total"], 1200)

    def test_a_batch_of_bad_items_answers_the_first_errors(self):
        """The error list of a batch is bounded: the first 100 field errors
        and error.fields_total counting them all (trial-break3: 100 000 bad
        items answered 28 MB)."""
        r = self.put("positions", [{"external_id": "bad-%d" % n, "name": ""} for n in range(3000)])
        self.assertEqual(r.status, 422, r)
        self.assertLess(len(r.body), 64 * 1024)
        e = r.json()["error"]
        self.assertEqual(len(e["fields"]), 100)
        self.assertEqual(len(e["items"]), 100)
        self.assertEqual(e["fields_total"], 3000)
        self.assertIn("0", e["items"])
        self.assertIn("3000", e["message"])

    def test_structure_size_is_bounded(self):
        """max_positions (here 1000): a batch that would pass it is refused
        with 422 naming the setting, nothing of it written."""
        count = "SELECT count(*) FROM positions WHERE tenant_id = %d" % self.tid
        have = int(self.s.psql(count))
        r = self.put("positions", [{"external_id": "lim-%d" % n, "name": "Должность %d" % n}
                                   for n in range(1001 - have)])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"]["items"], "limit")
        self.assertIn("не больше 1000 должностей (настройка max_positions)",
                      r.json()["error"]["fields"]["items"])
        self.assertEqual(int(self.s.psql(count)), have)
        self.ok("positions", [{"external_id": "lim-ok", "name": "Должность"}], created=1)

    def test_large_body(self):
        tag = "lb"
        self.base(tag)
        people = [self.person(tag, n, full_name="Сотрудник Номер Первый") for n in range(6000)]
        body = json.dumps({"items": people}).encode()
        self.assertGreater(len(body), 1 << 20)  # over max_body, under exchange_max_body
        r = self.put("employees", None, raw=body)
        self.assertEqual(r.json(), {"created": 6000, "updated": 0, "unchanged": 0})
        self.assertEqual(self.admin.get("/api/admin/employees?q=%s&limit=1" % tag).json()["total"], 6000)


if __name__ == "__main__":
    unittest.main()
