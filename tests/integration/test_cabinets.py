"""Publication, cabinets and their states, the jobs' schedule and the
organization's time zone, through the real stack with a real SMTP server
(STARTTLS + login, refusing one mailbox) and an HTTP SMS gateway (refusing
one number): every one of the eight states and the ninth, disabled."""
import os
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from sinks import SmsSink, SmtpSink  # noqa: E402
from stack import Client, Stack, _fixture_sql, add_employee, add_session, add_user, sql_quote, \
    tenant_with_admin  # noqa: E402

STATES = ("not_created", "created_email", "created_sms", "create_failed", "email_failed", "sms_failed",
          "invited", "signed_in")


def add_row(stack, table, **cols):
    return int(_fixture_sql(stack, "INSERT INTO %s (%s) VALUES (%s) RETURNING id" % (
        table, ", ".join(cols), ", ".join(sql_quote(v) for v in cols.values()))))


class Cabinets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cab-sinks-")
        os.chmod(cls.tmp, 0o755)
        cls.smtp = SmtpSink(cls.tmp)
        cls.sms = SmsSink()
        conf = cls.smtp.conf() + cls.sms.conf() + ("outbox_retry_s = 1\noutbox_max_attempts = 2\n"
                                                   "sms_daily_limit_per_tenant = 3\n")
        cls.s = Stack("cabinets", conf_extra=conf).__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.s.http("POST", "/api/debug/clock", {"now": None})
            cls.s.__exit__(None, None, None)
        finally:
            cls.smtp.stop()
            cls.sms.stop()

    # ------------------------------------------------------------ helpers

    def tenant(self, sub, name=None):
        tid, uid, admin = tenant_with_admin(self.s, sub, name or "ООО «%s»" % sub)
        return tid, admin

    def cabinets(self, admin, **q):
        r = admin.get("/api/admin/cabinets?" + urllib.parse.urlencode(dict(q, limit=1000)))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def state_of(self, admin, eid, **q):
        for it in self.cabinets(admin, **q)["items"]:
            if it["employee_id"] == eid:
                return it["state"], it["error"]
        return None, None

    def wait_state(self, admin, eid, state, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            st = self.state_of(admin, eid, state=state)
            if st[0] == state:
                return st
            time.sleep(0.2)
        self.fail("employee %d did not reach %s; now %r" % (eid, state, self.state_of(admin, eid)))

    def results(self, r):
        self.assertEqual(r.status, 200, r)
        return {it["employee_id"]: (it["state"], it["error"]) for it in r.json()["results"]}

    # -------------------------------------------------------------- tests

    def test_eight_states_and_disabled(self):
        s = self.s
        tid, admin = self.tenant("vosem", "ООО «Восемь»")
        emp = {}
        for k, email, phone in (
                ("mail", "mail@vosem.ru", "+79160000001"),     # created_email -> invited by email
                ("sms", None, "+79160000002"),                 # created_sms -> invited by SMS
                ("smsonly", None, "+79160000003"),             # created_sms, not invited
                ("none", None, None),                          # create_failed: no email, no phone
                ("bounce", "nobody@vosem.ru", "+79160000004"),  # the SMTP server refuses the mailbox
                ("badphone", None, "+79160000005"),            # the SMS gateway refuses the number
                ("refused", "refused@vosem.ru", None),         # refused by the SMTP server, stays email_failed
                ("noemail", None, "+79160000006"),             # email invitation without an email: by SMS
                ("nophone", "nophone@vosem.ru", None),         # SMS invitation without a phone: by email
                ("later", "later@vosem.ru", None),             # never created: not_created
                ("gone", "gone@vosem.ru", "+79160000009")):    # dismissed: disabled
            emp[k] = add_employee(s, tid, "Сотрудник %s" % k, email=email, phone=phone,
                                  personnel_number="В-%s" % k, hired="2024-01-10")
        self.smtp.refuse["nobody@vosem.ru"] = "550 5.1.1 <nobody@vosem.ru>: Recipient address rejected: User unknown"
        self.smtp.refuse["refused@vosem.ru"] = "550 5.1.1 <refused@vosem.ru>: Recipient address rejected: User unknown"
        self.sms.refuse_to.add("+79160000005")

        # not_created: published (everyone by default) and never created
        self.assertEqual(self.state_of(admin, emp["later"]), ("not_created", None))
        ids = [emp[k] for k in ("mail", "sms", "smsonly", "none", "bounce", "badphone", "noemail", "nophone",
                                "gone", "refused")]
        res = self.results(admin.post("/api/admin/cabinets/create", {"employees": ids}))
        self.assertEqual(res[emp["mail"]], ("created_email", None))
        self.assertEqual(res[emp["sms"]], ("created_sms", None))
        self.assertEqual(res[emp["none"]][0], "create_failed")
        self.assertIn("ни электронная почта, ни мобильный телефон", res[emp["none"]][1])
        # creating again changes nothing
        again = self.results(admin.post("/api/admin/cabinets/create", {"employees": [emp["mail"]]}))
        self.assertEqual(again[emp["mail"]], ("created_email", None))

        # invitations: by email, by SMS, refused by the server / gateway, and without the contact
        res = self.results(admin.post("/api/admin/cabinets/invite", {
            "employees": [emp["mail"], emp["bounce"], emp["noemail"], emp["later"], emp["refused"]],
            "channel": "email"}))
        self.assertEqual(res[emp["mail"]], ("invited", None))
        # without the contact asked: invited by the other one, as the automatic
        # invitation does (the trial's F-cab-1: not a failure)
        self.assertEqual(res[emp["noemail"]], ("invited", None))
        self.assertEqual(res[emp["later"]][0], "not_created")
        res = self.results(admin.post("/api/admin/cabinets/invite", {
            "employees": [emp["sms"], emp["badphone"], emp["nophone"]], "channel": "sms"}))
        self.assertEqual(res[emp["sms"]], ("invited", None))
        self.assertEqual(res[emp["nophone"]], ("invited", None))
        self.assertRegex(self.sms.wait_for("+79160000006")["text"], r"/invite/[A-Za-z0-9_-]{40,}")
        self.smtp.wait_for("nophone@vosem.ru", r"/invite/[A-Za-z0-9_-]{40,}")

        # delivered for real: the email and the SMS carry the one-time link
        m = self.smtp.wait_for("mail@vosem.ru", r"/invite/[A-Za-z0-9_-]{40,}")
        self.assertIn("Сотрудник mail", m["text"])
        self.assertIn("ООО «Восемь»", m["text"])
        self.assertIn("vosem.localhost", m["text"])
        self.assertTrue(m["tls"])
        sms = self.sms.wait_for("+79160000002")["text"]
        self.assertRegex(sms, r"/invite/[A-Za-z0-9_-]{40,}")
        # the default SMS is short (two SMS at most: 134 Cyrillic characters) and
        # says nothing of email; the email keeps the full text
        self.assertLessEqual(len(sms), 134, sms)
        self.assertNotRegex(sms, r"(?i)письм|почт")
        self.assertIn("ООО «Восемь»", sms)
        self.assertIn("На ваш мобильный телефон придёт SMS с кодом", m["text"])
        # the link's token does not stay readable in the outbox once sent
        token = __import__("re").search(r"/invite/([A-Za-z0-9_-]{40,})", m["text"]).group(1)
        deadline = time.time() + 10
        while time.time() < deadline and _fixture_sql(
                s, "SELECT count(*) FROM outbox WHERE recipient = 'mail@vosem.ru' AND status = 'sent'") != "1":
            time.sleep(0.2)
        self.assertEqual(_fixture_sql(s, "SELECT count(*) FROM outbox WHERE body LIKE %s" % sql_quote(
            "%" + token + "%")), "0")
        # the refusals come back with the server's own words
        st, err = self.wait_state(admin, emp["bounce"], "email_failed")
        self.assertIn("550", err)
        self.assertIn("User unknown", err)
        st, err = self.wait_state(admin, emp["badphone"], "sms_failed")
        self.assertIn("400", err)
        self.assertIn("not a mobile phone", err)
        self.assertEqual(self.wait_state(admin, emp["mail"], "invited"), ("invited", None))
        # retry once the address works: invited
        del self.smtp.refuse["nobody@vosem.ru"]
        self.assertEqual(self.results(admin.post("/api/admin/cabinets/invite", {
            "employees": [emp["bounce"]], "channel": "email"}))[emp["bounce"]], ("invited", None))
        self.smtp.wait_for("nobody@vosem.ru")
        time.sleep(0.5)
        self.assertEqual(self.state_of(admin, emp["bounce"]), ("invited", None))

        # signed_in at the first sign-in (the invitation flow itself: test_invitations)
        _fixture_sql(s, "UPDATE users SET activated_at = now(), status = 'active' WHERE employee_id = %d"
                     % emp["mail"])
        self.assertEqual(self.state_of(admin, emp["mail"]), ("signed_in", None))

        # every state is listed by its filter, with its count
        js = self.cabinets(admin)
        for st in STATES:
            listed = [it["employee_id"] for it in self.cabinets(admin, state=st)["items"]]
            self.assertTrue(listed, st)
            self.assertEqual(js["counts"][st], len(listed), st)
        self.assertEqual(set(js["items"][0]), {"employee_id", "full_name", "personnel_number", "state", "error"})

        # disabled: dismissed, then the publication is applied; the account is closed, the data kept
        uid = int(_fixture_sql(s, "SELECT id FROM users WHERE employee_id = %d" % emp["gone"]))
        token, csrf = add_session(s, tid, uid)
        _fixture_sql(s, "UPDATE users SET status = 'active', activated_at = now() WHERE id = %d" % uid)
        gone = Client(s, "vosem", token, csrf)
        self.assertEqual(gone.get("/api/me").status, 200)
        _fixture_sql(s, "UPDATE employees SET dismissed = current_date - 3 WHERE id = %d" % emp["gone"])
        r = admin.post("/api/admin/publication/apply", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["run"]["disabled"], 1)
        self.assertNotIn(emp["gone"], [it["employee_id"] for it in self.cabinets(admin)["items"]])
        self.assertEqual(self.state_of(admin, emp["gone"], state="disabled"), ("disabled", None))
        self.assertEqual(gone.get("/api/me").status, 401)
        self.assertEqual(_fixture_sql(s, "SELECT status FROM users WHERE id = %d" % uid), "blocked")
        self.assertEqual(admin.get("/api/admin/employees/%d" % emp["gone"]).json()["cabinet_state"], "disabled")
        # taken back (the dismissal cancelled): signed_in again
        _fixture_sql(s, "UPDATE employees SET dismissed = NULL WHERE id = %d" % emp["gone"])
        r = admin.post("/api/admin/publication/apply", {})
        self.assertEqual(r.json()["run"]["restored"], 1)
        self.assertEqual(self.state_of(admin, emp["gone"]), ("signed_in", None))
        self.assertEqual(_fixture_sql(s, "SELECT status FROM users WHERE id = %d" % uid), "active")

        # search by name and by personnel number, pages
        js = self.cabinets(admin, q="сотрудник MAIL")
        self.assertEqual([it["employee_id"] for it in js["items"]], [emp["mail"]])
        js = self.cabinets(admin, q="в-no")
        self.assertEqual({it["employee_id"] for it in js["items"]}, {emp["none"], emp["noemail"], emp["nophone"]})
        r = admin.get("/api/admin/cabinets?limit=2&offset=2")
        self.assertEqual(len(r.json()["items"]), 2)
        self.assertEqual(r.json()["total"], len(self.cabinets(admin)["items"]))

    def test_bad_requests_and_access(self):
        tid, admin = self.tenant("plokho")
        oid, other = self.tenant("chuzhoi")
        e = add_employee(self.s, tid, "Плохов Пётр", email="p@plokho.ru")
        foreign = add_employee(self.s, oid, "Чужой Человек", email="c@chuzhoi.ru")
        r = admin.post("/api/admin/cabinets/create", {"employees": [e, foreign, "x"]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"employees[2]"})
        r = admin.post("/api/admin/cabinets/create", {"employees": [e, foreign]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"employees[1]"})
        self.assertEqual(self.state_of(admin, e), ("not_created", None))   # nothing written
        r = admin.post("/api/admin/cabinets/invite", {"employees": [e], "channel": "pigeon"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("channel", r.json()["error"]["fields"])
        self.assertEqual(admin.post("/api/admin/cabinets/create", {"employees": []}).status, 422)
        self.assertEqual(admin.get("/api/admin/cabinets?state=lost").status, 422)
        # an employee (not an administrator) and an anonymous visitor
        uid = add_user(self.s, tid, "Плохов Пётр", employee_id=e)
        token, csrf = add_session(self.s, tid, uid)
        c = Client(self.s, "plokho", token, csrf)
        for method, path in (("GET", "/api/admin/cabinets"), ("POST", "/api/admin/cabinets/create"),
                             ("GET", "/api/admin/publication"), ("POST", "/api/admin/publication/apply"),
                             ("GET", "/api/admin/jobs"), ("GET", "/api/admin/settings")):
            self.assertEqual(c.request(method, path, {} if method == "POST" else None).status, 403, path)
            self.assertEqual(Client(self.s, "plokho").request(method, path, {} if method == "POST" else None)
                             .status, 401, path)
        # another organization sees none of it
        self.assertNotIn(e, [it["employee_id"] for it in self.cabinets(other)["items"]])

    def test_create_failures_named(self):
        s = self.s
        tid, admin = self.tenant("prichiny")
        dep = add_row(s, "departments", tenant_id=tid, name="Склад")
        pos = add_row(s, "positions", tenant_id=tid, name="Кладовщик")
        taken = add_employee(s, tid, "Первый Владелец", email="same@prichiny.ru")
        twin = add_employee(s, tid, "Второй С Той Же Почтой", email="same@prichiny.ru")
        fired = add_employee(s, tid, "Уволенный Сотрудник", email="fired@prichiny.ru", hired="2020-01-01",
                             dismissed="2021-01-01")
        outside = add_employee(s, tid, "Вне Публикации", email="out@prichiny.ru", department_id=dep)
        inside = add_employee(s, tid, "В Публикации", email="in@prichiny.ru", position_id=pos)
        res = self.results(admin.post("/api/admin/cabinets/create", {"employees": [taken, twin, fired]}))
        self.assertEqual(res[taken], ("created_email", None))
        self.assertEqual(res[twin][0], "create_failed")
        self.assertIn("same@prichiny.ru", res[twin][1])
        self.assertIn("уволен", res[fired][1])
        # an earlier cabinet with the email: named
        res = self.results(admin.post("/api/admin/cabinets/create", {"employees": [twin]}))
        self.assertIn("Первый Владелец", res[twin][1])
        # outside the publication in force
        r = admin.put("/api/admin/publication", {"positions": [pos]})
        self.assertEqual(r.status, 200, r)
        admin.post("/api/admin/publication/apply", {})
        res = self.results(admin.post("/api/admin/cabinets/create", {"employees": [outside, inside]}))
        self.assertIn("не включён в публикацию", res[outside][1])
        self.assertEqual(res[inside], ("created_email", None))
        # create_failed stays listed with its reason until it is created
        self.assertEqual(self.state_of(admin, outside, state="create_failed")[0], "create_failed")

    def test_publication(self):
        s = self.s
        tid, admin = self.tenant("publika", "ООО «Публика»")
        org = add_row(s, "organizations", tenant_id=tid, name="ООО «Публика»", external_id="org")
        top = add_row(s, "departments", tenant_id=tid, name="Дирекция", organization_id=org, external_id="dir")
        sub = add_row(s, "departments", tenant_id=tid, name="Бухгалтерия", organization_id=org, parent_id=top,
                      external_id="buh")
        other = add_row(s, "departments", tenant_id=tid, name="Склад", organization_id=org, external_id="sklad")
        drv = add_row(s, "positions", tenant_id=tid, name="Водитель", external_id="drv")
        a = add_employee(s, tid, "Бухгалтер Анна", email="a@publika.ru", department_id=sub)
        b = add_employee(s, tid, "Кладовщик Борис", email="b@publika.ru", department_id=other)
        c = add_employee(s, tid, "Водитель Виктор", phone="+79160001003", department_id=other, position_id=drv)
        d = add_employee(s, tid, "Без Связи Дмитрий", department_id=sub)
        head = add_employee(s, tid, "Главный Бухгалтер", email="head@publika.ru", department_id=sub)
        boss = add_employee(s, tid, "Директор Организации", email="boss@publika.ru", department_id=top)
        _fixture_sql(s, "UPDATE departments SET head_id = %d WHERE id = %d" % (head, sub))
        _fixture_sql(s, "UPDATE organizations SET head_id = %d WHERE id = %d" % (boss, org))
        # the administrator is the responsible person, an employee without a department
        resp = add_employee(s, tid, "Ответственная Ольга", email="olga@publika.ru")
        _fixture_sql(s, "UPDATE users SET employee_id = %d WHERE tenant_id = %d" % (resp, tid))

        js = admin.get("/api/admin/publication").json()
        self.assertTrue(js["all"])
        self.assertTrue(js["applied"]["all"])
        self.assertIsNone(js["warning"])
        # the page warns (red) about people without email and phone only
        # when there are some (F-pub-1)
        self.assertEqual((js["flagged"], js["any_flagged"]), (1, True))
        self.assertIn('class="bad-text">Без почты и телефона: 1</a>', admin.get("/admin/publication").text)
        _fixture_sql(s, "UPDATE employees SET phone = '+79160001004' WHERE id = %d" % d)
        js = admin.get("/api/admin/publication").json()
        self.assertEqual((js["flagged"], js["any_flagged"]), (0, False))
        self.assertNotIn("Без почты и телефона", admin.get("/admin/publication").text)
        _fixture_sql(s, "UPDATE employees SET phone = NULL WHERE id = %d" % d)
        # departments (with sub-departments) and positions are a union; unknown codes are named
        r = admin.put("/api/admin/publication", {"departments": ["dir", "nope"], "positions": ["drv", "zzz"]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"departments[1]", "positions[1]"})
        self.assertIn("nope", r.json()["error"]["fields"]["departments[1]"])
        r = admin.put("/api/admin/publication", {"departments": ["dir"], "positions": ["drv"]})
        self.assertEqual(r.status, 200, r)
        js = r.json()
        self.assertEqual((js["all"], js["departments"], js["positions"]), (False, ["dir"], ["drv"]))
        self.assertTrue(js["pending"])
        self.assertTrue(js["applied"]["all"])              # not in force before "apply"
        self.assertEqual(js["published"], 4)               # a, c, head, boss; d has no contact
        self.assertEqual(js["flagged"], 1)
        self.assertIn("Ответственн", js["warning"])
        tree = {t["external_id"]: t for t in js["department_tree"]}
        self.assertTrue(tree["dir"]["selected"])
        self.assertTrue(tree["buh"]["inherited"])
        self.assertFalse(tree["sklad"]["selected"] or tree["sklad"]["inherited"])
        lst = admin.get("/api/admin/publication/employees").json()
        self.assertEqual({i["id"] for i in lst["items"]}, {a, c, d, head, boss})
        self.assertEqual([i["id"] for i in lst["items"] if i["flagged"]], [d])
        self.assertEqual([i["id"] for i in admin.get("/api/admin/publication/employees?flagged=1")
                          .json()["items"]], [d])

        # cabinets of everyone first, then the narrower publication applied
        admin.post("/api/admin/cabinets/create", {"employees": [a, b, c, head, boss]})
        r = admin.post("/api/admin/publication/apply", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["published"], 4)
        self.assertEqual(r.json()["run"]["disabled"], 1)   # b; the administrator keeps theirs
        self.assertIn("Ответственн", r.json()["warning"])
        self.assertEqual(self.state_of(admin, b, state="disabled")[0], "disabled")
        self.assertIsNone(self.state_of(admin, b)[0])
        self.assertEqual(self.state_of(admin, resp)[0], "created_email")   # not published, not disabled
        self.assertEqual(_fixture_sql(s, "SELECT count(*) FROM users WHERE employee_id = %d AND status = "
                                         "'blocked'" % resp), "0")
        self.assertFalse(admin.get("/api/admin/publication").json()["pending"])
        # managers follow the publication: an unpublished head is skipped (no contact: not
        # published, yet the cabinet they have stays)
        self.assertEqual(admin.get("/api/admin/employees/%d/manager" % a).json()["manager_id"], head)
        admin.put("/api/admin/publication", {"departments": ["dir"]})
        _fixture_sql(s, "UPDATE employees SET email = NULL WHERE id = %d" % head)
        admin.post("/api/admin/publication/apply", {})
        m = admin.get("/api/admin/employees/%d/manager" % a).json()
        self.assertEqual((m["rule"], m["manager_id"]), ("organization_head", boss))
        self.assertEqual(self.state_of(admin, head), ("created_email", None))
        # everyone again: b comes back, to be invited anew
        r = admin.put("/api/admin/publication", {"all": True})
        self.assertTrue(r.json()["all"])
        r = admin.post("/api/admin/publication/apply", {})
        self.assertEqual(r.json()["run"]["restored"], 2)   # b, and c whose position left the publication
        self.assertEqual(self.state_of(admin, b), ("created_email", None))
        self.assertEqual(self.state_of(admin, c), ("created_sms", None))
        # audited
        audit = admin.get("/api/admin/audit?action=publication").json()["items"]
        self.assertEqual({a_["action"] for a_ in audit}, {"publication.changed", "publication.applied"})

    def test_auto_create_and_invite_after_publication(self):
        s = self.s
        tid, admin = self.tenant("avto", "ООО «Авто»")
        a = add_employee(s, tid, "Автоматов Аркадий", email="a@avto.ru")
        b = add_employee(s, tid, "Автоматова Белла", phone="+79160002002")
        n = add_employee(s, tid, "Никак Нельзя")  # no contact: not published, not created
        r = admin.put("/api/admin/cabinets/settings", {"auto_create": True, "auto_invite": True,
                                                       "invitation_text": "{ФИО}, вас ждут в {организация}: {ссылка}"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["auto_create"], True)
        self.assertIn("Иванова Анна Сергеевна, вас ждут в ООО «Ромашка»: http", r.json()["example"])
        r = admin.post("/api/admin/publication/apply", {})
        self.assertEqual(r.status, 200, r)
        run = r.json()["run"]
        self.assertEqual((run["trigger"], run["created"], run["invited"]), ("publication", 2, 2))
        self.assertEqual(self.state_of(admin, n)[0], None)
        m = self.smtp.wait_for("a@avto.ru")
        self.assertRegex(m["text"], r"^Автоматов Аркадий, вас ждут в ООО «Авто»: http://avto\.localhost:\d+/invite/")
        self.assertIn("Автоматова Белла, вас ждут", self.sms.wait_for("+79160002002")["text"])
        self.assertEqual(self.wait_state(admin, b, "invited"), ("invited", None))
        runs = admin.get("/api/admin/jobs").json()["runs"]
        self.assertEqual(runs[0]["trigger"], "publication")

    def test_sms_daily_limit(self):
        tid, admin = self.tenant("limit")
        ids = [add_employee(self.s, tid, "Лимитов %d" % i, phone="+7916555000%d" % i) for i in range(4)]
        admin.post("/api/admin/cabinets/create", {"employees": ids})
        self.assertEqual(admin.post("/api/admin/cabinets/invite", {"employees": ids, "channel": "sms"}).status, 200)
        states = [self.state_of(admin, e) for e in ids]
        self.assertEqual([st for st, _ in states].count("invited"), 3, states)
        failed = [err for st, err in states if st == "sms_failed"]
        self.assertEqual(len(failed), 1, states)
        self.assertIn("дневной лимит SMS", failed[0])

    def test_sms_daily_limit_is_the_organization_day(self):
        """The SMS cap counts the organization's day (its time zone), not
        Moscow's: at 14:30 UTC on 30 November Vladivostok is in 1 December,
        a new day with its own limit, while Moscow is still in 30 November."""
        s = self.s
        tid, admin = self.tenant("limitvl")
        self.assertEqual(admin.put("/api/admin/settings", {"timezone": "Asia/Vladivostok"}).status, 200)
        ids = [add_employee(s, tid, "Восточный %d" % i, phone="+7914555000%d" % i) for i in range(5)]
        admin.post("/api/admin/cabinets/create", {"employees": ids})
        try:
            # 23:30 of 30 November in Vladivostok: the day's three SMS
            self.assertEqual(s.http("POST", "/api/debug/clock", {"now": "2026-11-30T13:30:00Z"}).status, 200)
            got = self.results(admin.post("/api/admin/cabinets/invite", {"employees": ids[:4], "channel": "sms"}))
            self.assertEqual(sorted(st for st, _ in got.values()),
                             ["invited", "invited", "invited", "sms_failed"], got)
            # 00:30 of 1 December there (17:30 of 30 November in Moscow): a new day
            self.assertEqual(s.http("POST", "/api/debug/clock", {"now": "2026-11-30T14:30:00Z"}).status, 200)
            got = self.results(admin.post("/api/admin/cabinets/invite", {"employees": ids[4:], "channel": "sms"}))
            self.assertEqual(got[ids[4]], ("invited", None), got)
        finally:
            s.http("POST", "/api/debug/clock", {"now": None})

    def test_first_sign_in_through_the_invitation(self):
        import re
        s = self.s
        tid, admin = self.tenant("vhod", "ООО «Вход»")
        e = add_employee(s, tid, "Приглашённая Полина Петровна", email="polina@vhod.ru", phone="+79167770001")
        other = add_employee(s, tid, "Второй Василий", email="vasily@vhod.ru")
        admin.put("/api/admin/cabinets/settings", {"ask_login": True})
        admin.post("/api/admin/cabinets/create", {"employees": [e, other]})
        admin.post("/api/admin/cabinets/invite", {"employees": [e, other], "channel": "email"})
        link = re.search(r"(http://vhod\.localhost:\d+/invite/([A-Za-z0-9_-]{43}))",
                         self.smtp.wait_for("polina@vhod.ru", r"/invite/")["text"])
        token = link.group(2)
        guest = Client(s, "vhod")
        # the page of the link, served by the site
        r = guest.get("/invite/" + token)
        self.assertEqual(r.status, 200)
        self.assertIn("invite.js", r.text)
        info = guest.post("/api/auth/invite/info", {"token": token})
        self.assertEqual(info.status, 200, info)
        info = info.json()
        self.assertEqual((info["full_name"], info["organization"], info["ask_login"]),
                         ("Приглашённая Полина Петровна", "ООО «Вход»", True))
        self.assertEqual(info["code_to"], "по SMS на номер +7 *** ***-00-01")
        self.assertIn("152-ФЗ", info["consent"]["text"])
        self.assertIn("ООО «Вход»", info["consent"]["text"])
        # the code goes to the phone; asking again at once waits
        mark = len(self.sms.messages)
        r = guest.post("/api/auth/invite", {"token": token})
        self.assertEqual(r.status, 202, r)
        code = re.search(r"Код подтверждения: (\d{6})\.", self.sms.wait_for("+79167770001", mark)["text"]).group(1)
        # (a reload of the page: the calm "already sent" with the seconds left, nothing sent)
        again = guest.post("/api/auth/invite", {"token": token})
        self.assertEqual((again.status, again.json()["status"]), (200, "already_sent"), again)
        self.assertGreater(again.json()["retry_after"], 0)
        self.assertTrue(again.json()["message"].startswith("Код уже отправлен, новый можно запросить через "))
        time.sleep(0.5)
        self.assertEqual(len([m for m in self.sms.messages[mark:] if m["to"] == "+79167770001"]), 1)
        # consent, a login and a good password are needed; each missing one is named
        body = {"token": token, "code": code, "password": "Polina-Vesna-2026"}
        r = guest.post("/api/auth/invite/activate", body)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(set(r.json()["error"]["fields"]), {"consent", "login"})
        r = guest.post("/api/auth/invite/activate", dict(body, consent=True, login="Polina.P", password="123"))
        self.assertEqual(set(r.json()["error"]["fields"]), {"password"})
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        r = guest.post("/api/auth/invite/activate", dict(body, consent=True, login="polina.p", code=wrong))
        self.assertEqual(set(r.json()["error"]["fields"]), {"code"})
        self.assertEqual(self.state_of(admin, e)[0], "invited")
        # activated and signed in
        r = guest.post("/api/auth/invite/activate", dict(body, consent=True, login="Polina.P"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["roles"], ["employee"])
        cookie = r.headers.get_all("Set-Cookie")
        guest.token = [c.split(";")[0].split("=", 1)[1] for c in cookie if "cabinet_session=" in c][0]
        me = guest.get("/api/me").json()
        self.assertEqual((me["user"]["employee_id"], me["user"]["login"]), (e, "polina.p"))
        self.assertEqual(self.state_of(admin, e)[0], "signed_in")
        # the consent is recorded with its moment and the text's version
        self.assertRegex(_fixture_sql(s, "SELECT version || '|' || (accepted_at > now() - interval '1 minute') "
                                         "FROM consents WHERE employee_id = %d" % e), r"^\d{4}-\d\d-\d\d\|true$")
        self.assertEqual(admin.get("/api/admin/audit?action=invitation.activated&success=true").json()["total"], 1)
        # the chosen login signs in
        r = Client(s, "vhod").post("/api/auth/login", {"login": "polina.p", "password": "Polina-Vesna-2026"})
        self.assertEqual(r.status, 200, r)
        # the link once more: used
        r = Client(s, "vhod").post("/api/auth/invite/info", {"token": token})
        self.assertEqual(r.status, 410, r)
        self.assertIn("уже использовано", r.json()["error"]["message"])
        # an expired link, a replaced one, an unknown one, another organization's
        first = re.search(r"/invite/([A-Za-z0-9_-]{43})", self.smtp.wait_for("vasily@vhod.ru")["text"]).group(1)
        _fixture_sql(s, "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE employee_id = %d" % other)
        r = Client(s, "vhod").post("/api/auth/invite", {"token": first})
        self.assertEqual(r.status, 410, r)
        self.assertIn("Срок действия приглашения истёк", r.json()["error"]["message"])
        self.assertIn("администратора", r.json()["error"]["message"])
        admin.post("/api/admin/cabinets/invite", {"employees": [other], "channel": "email"})
        r = Client(s, "vhod").post("/api/auth/invite/info", {"token": first})
        self.assertIn("заменена более новым приглашением", r.json()["error"]["message"])
        self.assertEqual(Client(s, "vhod").post("/api/auth/invite/info", {"token": "x" * 43}).status, 404)
        self.tenant("chuzhaya")
        self.assertEqual(Client(s, "chuzhaya").post("/api/auth/invite/info", {"token": token}).status, 404)

    def test_a_contact_change_reaches_sign_in(self):
        """A done personal-data request and the administrator's edit change the
        account's sign-in phone and email (cabinets_contacts_follow): the new
        ones sign in and get the codes, the old ones do not; both are told."""
        import re
        s = self.s
        tid, admin = self.tenant("kontakt", "ООО «Контакт»")
        e = add_employee(s, tid, "Петров Пётр Петрович", email="petrov@kontakt.ru", phone="+79167770101",
                         hired="2020-01-01")
        other = add_employee(s, tid, "Другая Дарья", email="darya@kontakt.ru", phone="+79167770102")
        uid = add_user(s, tid, "Петров Пётр Петрович", email="petrov@kontakt.ru", phone="+79167770101",
                       employee_id=e)
        ouid = add_user(s, tid, "Другая Дарья", email="darya@kontakt.ru", phone="+79167770102",
                        employee_id=other)
        me = Client(s, "kontakt", *add_session(s, tid, uid))
        hr = Client(s, "kontakt", *add_session(s, tid, ouid))  # the performer
        r = admin.put("/api/admin/routing", {"roles": {"personal_data": [other]}})
        self.assertEqual(r.status, 200, r)
        # another account's phone or email: refused when filed, naming the field
        for ch, field in (({"phone": "8 916 777-01-02"}, "changes.phone"),
                          ({"email": "Darya@kontakt.ru"}, "changes.email")):
            r = me.post("/api/requests", {"type": "personal_data", "changes": ch})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(list(r.json()["error"]["fields"]), [field])
            self.assertNotIn("Дарья", r.text)

        def complete(rid, status=200):
            tasks = hr.get("/api/tasks").json()["items"]
            t = [x["id"] for x in tasks if x["request_id"] == rid and x["step"] == "execution"][0]
            r = hr.post("/api/tasks/%d/complete" % t, {})
            self.assertEqual(r.status, status, r)
            return r

        mark = len(self.sms.messages)
        r = me.post("/api/requests", {"type": "personal_data", "changes": {"phone": "8 916 777-01-03"}})
        self.assertEqual(r.status, 201, r)
        complete(r.json()["id"])
        user = me.get("/api/me").json()["user"]
        self.assertEqual(user["phone"], "+79167770103")
        self.assertEqual(me.get("/api/profile/notifications").json()["sms_to"], "+79167770103")
        # told on the old number and on the new one
        for to in ("+79167770101", "+79167770103"):
            self.assertIn("теперь по номеру +7 916 777-01-03", self.sms.wait_for(to, mark)["text"])
        # the code goes to the new number; the new one signs in, the old one no longer
        guest = Client(s, "kontakt")
        mark = len(self.sms.messages)
        self.assertEqual(guest.post("/api/auth/code", {"login": "+79167770103"}).status, 202)
        code = self.sms.code_for("+79167770103", after=mark)
        r = guest.post("/api/auth/reset", {"login": "+79167770103", "code": code, "password": "Petrov-Leto-2026",
                                           "consent": True})
        self.assertEqual(r.status, 200, r)
        for login, status in (("+79167770103", 200), ("+79167770101", 401)):
            r = Client(s, "kontakt").post("/api/auth/login", {"login": login, "password": "Petrov-Leto-2026"})
            self.assertEqual(r.status, status, (login, r))
        me = Client(s, "kontakt", *add_session(s, tid, uid))  # the reset ended the other sessions
        # the administrator edits the email: the account follows, both addresses are told
        r = admin.put("/api/admin/employees/%d" % e, {"email": "petr.new@kontakt.ru"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(me.get("/api/me").json()["user"]["email"], "petr.new@kontakt.ru")
        for to in ("petrov@kontakt.ru", "petr.new@kontakt.ru"):
            m = self.smtp.wait_for(to, "petr.new@kontakt.ru")
            self.assertEqual(m["subject"], "Изменён контакт для входа в кабинет сотрудника")
        for login, status in (("petr.new@kontakt.ru", 200), ("petrov@kontakt.ru", 401)):
            r = Client(s, "kontakt").post("/api/auth/login", {"login": login, "password": "Petrov-Leto-2026"})
            self.assertEqual(r.status, status, (login, r))
        # another account's email through the administrator's edit: named, nothing changes
        r = admin.put("/api/admin/employees/%d" % e, {"email": "darya@kontakt.ru"})
        self.assertIn(r.status, (409, 422), r)
        self.assertIn("email", r.json()["error"]["fields"])
        self.assertEqual(me.get("/api/me").json()["user"]["email"], "petr.new@kontakt.ru")
        # a contact taken between filing and completion: 409, the request unchanged
        r = me.post("/api/requests", {"type": "personal_data", "changes": {"email": "svobodny@kontakt.ru"}})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        r = admin.put("/api/admin/employees/%d" % other, {"email": "svobodny@kontakt.ru"})
        self.assertEqual(r.status, 200, r)
        r = complete(rid, 409)
        self.assertIn("changes.email", r.json()["error"]["fields"])
        self.assertNotEqual(me.get("/api/requests/%d" % rid).json()["request"]["state"], "done")
        self.assertEqual(me.get("/api/me").json()["user"]["email"], "petr.new@kontakt.ru")
        self.assertEqual(_fixture_sql(s, "SELECT email FROM employees WHERE id = %d" % e), "petr.new@kontakt.ru")

    def test_cabinets_page_keeps_the_marked_on_refusal(self):
        """A bulk action of the cabinets page that is refused renders the
        page again with the same employees marked (and «все по фильтру»)."""
        s = self.s
        tid, admin = self.tenant("otmetki", "ООО «Отметки»")
        a = add_employee(s, tid, "Отметкин Андрей", email="a@otmetki.ru")
        b = add_employee(s, tid, "Отметкина Белла", email="b@otmetki.ru")
        c = add_employee(s, tid, "Отметкин Виктор", email="c@otmetki.ru")

        def form(path, fields):
            fields = fields + [("_csrf", admin.csrf)]
            return admin.request("POST", path, raw=urllib.parse.urlencode(fields).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})

        def box(eid):
            return 'name="employees[]" value="%d" aria-label="' % eid

        # an employee gone meanwhile (another organization's id): refused, the marks kept
        for path, extra in (("/admin/cabinets/create", []), ("/admin/cabinets/invite", [("channel", "pigeon")])):
            r = form(path, [("employees[]", str(a)), ("employees[]", str(c)), ("employees[]", "999999")] + extra)
            self.assertEqual(r.status, 422, r.text[:2000])
            for eid, ticked in ((a, True), (b, False), (c, True)):
                i = r.text.index(box(eid))
                tag = r.text[i:r.text.index(">", i)]
                self.assertEqual(tag.endswith(" checked"), ticked, (path, eid, tag))
        r = form("/admin/cabinets/invite", [("scope", "filter"), ("channel", "pigeon")])
        self.assertEqual(r.status, 422, r.text[:2000])
        self.assertIn('name="scope" value="filter" checked>', r.text)
        # done: the page shows what happened, nobody stays marked for a second click
        r = form("/admin/cabinets/create", [("employees[]", str(a))])
        self.assertEqual(r.status, 200, r.text[:2000])
        self.assertIn("Создано кабинетов: 1", r.text)
        self.assertNotIn(" checked>", r.text)
        self.assertNotIn("Кабинет уже был", r.text)
        # asked again: the one who already has a cabinet is accounted for (F10)
        r = form("/admin/cabinets/create", [("employees[]", str(a))])
        self.assertEqual(r.status, 200, r.text[:2000])
        self.assertIn("Выбрано сотрудников: 1. Создано кабинетов: 0. Не удалось создать: 0. "
                      "Кабинет уже был: 1.", r.text)

    def test_settings_validation(self):
        tid, admin = self.tenant("tekst")
        r = admin.put("/api/admin/cabinets/settings", {"invitation_text": "Здравствуйте, {ФИО}!"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("{ссылка}", r.json()["error"]["fields"]["invitation_text"])
        r = admin.put("/api/admin/cabinets/settings", {"invitation_text": "{Имя}: {ссылка}"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("{Имя}", r.json()["error"]["fields"]["invitation_text"])
        r = admin.put("/api/admin/cabinets/settings", {"auto_create": "maybe"})
        self.assertEqual(r.status, 422, r)
        js = admin.get("/api/admin/cabinets/settings").json()
        self.assertEqual((js["auto_create"], js["auto_invite"], js["ask_login"]), (False, False, False))
        self.assertIn("{ссылка}", js["invitation_text"])
        r = admin.put("/api/admin/cabinets/settings", {"ask_login": True, "invitation_text": "Строка 1\r\n{ссылка}"})
        self.assertEqual(r.json()["invitation_text"], "Строка 1\n{ссылка}")
        self.assertEqual(r.json()["invitation_sms_text"], "Строка 1\n{ссылка}")  # one's own text: both
        self.assertTrue(r.json()["ask_login"])
        r = admin.put("/api/admin/cabinets/settings", {"invitation_text": ""})
        self.assertTrue(r.json()["invitation_text_default"])
        self.assertEqual(r.json()["invitation_sms_text"], "{организация}: ваш кабинет сотрудника, ссылка на 7 дней {ссылка}")
        self.assertLessEqual(len(r.json()["example_sms"]), 134)
        self.assertTrue(r.json()["ask_login"])   # left out: kept

    def test_jobs_schedule(self):
        s = self.s
        tid, admin = self.tenant("raspisanie")
        js = admin.get("/api/admin/jobs").json()
        self.assertEqual(js["interval_min"], 10)
        r = admin.put("/api/admin/jobs", {"interval_min": 0})
        self.assertEqual(r.status, 422, r)
        r = admin.put("/api/admin/jobs", {"interval_min": 5})
        self.assertEqual(r.json()["interval_min"], 5)
        # on demand
        e = add_employee(s, tid, "Уходящий Ушёл", email="u@raspisanie.ru")
        admin.post("/api/admin/cabinets/create", {"employees": [e]})
        r = admin.post("/api/admin/jobs/run", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["run"]["trigger"], r.json()["run"]["status"]), ("manual", "ok"))
        # by the schedule: a dismissal takes effect at the next run, logged
        _fixture_sql(s, "UPDATE employees SET dismissed = current_date - 1, hired = '2020-01-01' WHERE id = %d" % e)
        _fixture_sql(s, "UPDATE tenant_jobs SET next_run_at = now() - interval '1 second' WHERE tenant_id = %d" % tid)
        deadline = time.time() + 20
        while time.time() < deadline:
            runs = admin.get("/api/admin/jobs").json()["runs"]
            if runs and runs[0]["trigger"] == "schedule":
                break
            time.sleep(0.5)
        self.assertEqual((runs[0]["trigger"], runs[0]["disabled"]), ("schedule", 1), runs[:2])
        self.assertEqual(self.state_of(admin, e, state="disabled")[0], "disabled")
        js = admin.get("/api/admin/jobs").json()
        nxt = _fixture_sql(s, "SELECT round(extract(epoch FROM next_run_at - now()) / 60) FROM tenant_jobs "
                              "WHERE tenant_id = %d" % tid)
        self.assertEqual(nxt, "5")
        self.assertEqual([r_["trigger"] for r_ in js["runs"][:2]], ["schedule", "manual"])

    def test_time_zone(self):
        s = self.s
        tid, far = self.tenant("dalniy", "ООО «Дальний»")
        mid, msk = self.tenant("stolica", "ООО «Столица»")
        r = far.put("/api/admin/settings", {"timezone": "Mars/Olympus"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("timezone", r.json()["error"]["fields"])
        # F17: names the database knows that are no organization's zone
        for tz in ("localtime", "posixrules", "Factory", "Etc/GMT+3", "right/UTC", "UTC+3"):
            r = far.put("/api/admin/settings", {"timezone": tz})
            self.assertEqual(r.status, 422, (tz, r))
            self.assertIn("Регион/Город", r.json()["error"]["fields"]["timezone"])
        r = far.put("/api/admin/settings", {"timezone": "utc"})
        self.assertEqual((r.status, r.json().get("timezone")), (200, "UTC"), r)
        r = far.put("/api/admin/settings", {"timezone": "asia/vladivostok"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["timezone"], "Asia/Vladivostok")
        self.assertEqual(msk.get("/api/admin/settings").json()["timezone"], "Europe/Moscow")
        # 17:16 UTC on 30 November: already 1 December in Vladivostok
        self.assertEqual(s.http("POST", "/api/debug/clock", {"now": "2026-11-30T17:16:00Z"}).status, 200)
        try:
            self.assertEqual(far.get("/api/admin/settings").json()["today"], "2026-12-01")
            self.assertEqual(far.get("/api/admin/settings").json()["now_ru"], "01.12.2026 03:16")
            self.assertEqual(msk.get("/api/admin/settings").json()["today"], "2026-11-30")
            # the vacation balance's default date is the organization's today
            for t, c, want in ((tid, far, "2026-12-01"), (mid, msk, "2026-11-30")):
                e = add_employee(s, t, "Отпускник", hired="2025-12-01")
                js = c.get("/api/admin/employees/%d/vacation-balance" % e).json()
                self.assertEqual(js["date"], want, js)
                # dismissed on 30 November: dismissed in Vladivostok, still working in Moscow
                _fixture_sql(s, "UPDATE employees SET dismissed = '2026-11-30' WHERE id = %d" % e)
                st = c.get("/api/admin/employees?status=dismissed&q=" + urllib.parse.quote("Отпускник")).json()["total"]
                self.assertEqual(st, 1 if c is far else 0)
            # the employee site gets the organization's today
            uid = int(_fixture_sql(s, "SELECT id FROM users WHERE tenant_id = %d" % tid))
            token, csrf = add_session(s, tid, uid)
            self.assertEqual(Client(s, "dalniy", token, csrf).get("/api/me").json()["tenant"]["today"],
                             "2026-12-01")
        finally:
            s.http("POST", "/api/debug/clock", {"now": None})
        self.assertEqual(s.http("POST", "/api/debug/clock", {"now": "вчера"}).status, 422)


if __name__ == "__main__":
    unittest.main()
