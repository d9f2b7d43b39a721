"""Security gaps of requests, attachments, notifications and the exchange
(issue 12 under issue 8's rules; README "Security"), each closed as a
kind and shown through the real stack:

- a manager sees a subordinate's request (and its files) only when its
  chain asks the manager to approve it: never personal data with passport
  scans, tax deductions with children, certificates, questions;
- another organization's session on the notifications' event stream is
  404 like everywhere else (it was 503);
- signing out, a new password and an expired session end the open event
  streams at once (they used to listen up to 5 minutes);
- an API key reaches only the scopes it was given (staff, payroll,
  requests, kpi); keys made before keep all of them;
- an employee's requests a day and bytes of files on open requests have
  quotas (requests_per_day, attachments_bytes_per_employee);
- nginx's error log holds no query strings when a responder is down;
- the hostile pass (Hostile): another organization's ids, session and
  key, forged Origin, bad bodies, file names and content.

The organization is orgfix.Org."""
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import BUILD, Client, Stack, add_session, add_user, tenant_with_admin  # noqa: E402
from test_notify import EventStream  # noqa: E402
from test_requests import PNG, upload  # noqa: E402


class Stream(EventStream):
    """An event stream that also tells when the server ended it."""

    def __init__(self, *a, **kw):
        self.ended = threading.Event()
        super().__init__(*a, **kw)

    def _read(self):
        try:
            super()._read()
        finally:
            self.ended.set()


class Hardening(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # expired sessions are removed (and their streams ended) each second
        cls.s = Stack("harden", conf_extra="cleanup_interval_s = 1\n").__enter__()
        cls.o = Org(cls.s, "zaschita", "ООО «Защита»")
        _, _, cls.other_admin = tenant_with_admin(cls.s, "chuzhaya", "ООО «Чужая»")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def file(self, who, body):
        r = self.o[who].post("/api/requests", body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def session(self, who):
        """A new session of who's user (a second browser)."""
        token, csrf = add_session(self.s, self.o.tid, self.o.user[who])
        return Client(self.s, self.o.sub, token, csrf)

    # --------------------------------------------- what a manager may see

    def test_a_manager_sees_only_the_requests_they_approve(self):
        o = self.o
        # E1 (manager M, and H over the whole organization): a passport change with its scan
        pd = self.file("E1", {"type": "personal_data", "draft": True, "changes": {"passport": {
            "series": "1410", "number": "654321", "issued_by": "УМВД России по Белгородской обл.",
            "issued_on": "15.06.2015", "division_code": "310-001"}}})["id"]
        r = upload(o["E1"], "/api/requests/%d/files" % pd, "паспорт.png", PNG)
        self.assertEqual(r.status, 201, r)
        scan = r.json()["file"]["url"]
        self.assertEqual(o["E1"].post("/api/requests/%d/submit" % pd, {}).status, 200)
        tax = self.file("E1", {"type": "tax_deduction", "children": [{"order": 1, "from": "2026-11-01"}]})["id"]
        cert = self.file("E1", {"type": "certificate_ndfl", "year": 2026})["id"]
        vac = self.file("E1", {"type": "vacation", "date_from": "2032-07-01", "date_to": "2032-07-14",
                               "kind": "annual"})["id"]
        r = upload(o["E1"], "/api/requests/%d/files" % vac, "заявление.png", PNG)
        self.assertEqual(r.status, 201, r)
        vac_file = r.json()["file"]["url"]
        for who in ("M", "H"):
            for rid in (pd, tax, cert):
                self.assertEqual(o[who].get("/api/requests/%d" % rid).status, 404, (who, rid))
                self.assertEqual(o[who].get("/api/requests/%d/document" % rid).status, 404, (who, rid))
            self.assertEqual(o[who].get(scan).status, 404, who)
            # the vacation they approve, with its file
            self.assertEqual(o[who].get("/api/requests/%d" % vac).status, 200, who)
            self.assertEqual(o[who].get(vac_file).status, 200, who)
        # the employee, the performer of the role and the administrator see the scan
        for who in ("E1", "P", "A"):
            self.assertEqual(o[who].get("/api/requests/%d" % pd).status, 200, who)
            r = o[who].get(scan)
            self.assertEqual((r.status, r.body), (200, PNG), who)
        # and whoever the performer forwards it to
        t = o.task("P", pd, "execution")
        r = o["P"].post("/api/tasks/%d/forward" % t, {"to": o.id["S"], "comment": "Проверьте паспорт"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(o["S"].get(scan).status, 200)
        self.assertEqual(o["E3"].get(scan).status, 404)
        # a chain an administrator gives the manager's approval opens it to the manager
        r = o.admin.put("/api/admin/routing/chains", {"question": ["manager", "role:coordinator"]})
        self.assertEqual(r.status, 200, r)
        q = self.file("E1", {"type": "question", "text": "Когда аванс?"})["id"]
        self.assertEqual(o["M"].get("/api/requests/%d" % q).status, 200)
        r = o.admin.put("/api/admin/routing/chains", {"question": None})
        self.assertEqual(r.status, 200, r)

    # ----------------------------------------------------- the event stream

    def test_another_tenants_session_on_the_stream_is_404(self):
        st = Stream(self.s, Client(self.s, self.o.sub, self.other_admin.token))
        self.assertEqual(st.status, 404, st.body)
        self.assertIn(b"not_found", st.body)
        # and on its own host it listens
        st = Stream(self.s, self.other_admin)
        self.assertEqual(st.status, 200)
        st.close()
        # no session: 401 as before
        self.assertEqual(Stream(self.s, Client(self.s, self.o.sub)).status, 401)

    def assert_ends(self, st, what):
        self.assertTrue(st.ended.wait(5), "the stream still listens after %s" % what)

    def test_sign_out_ends_the_stream_at_once(self):
        c = self.session("E3")
        st = Stream(self.s, c)
        self.assertEqual(st.status, 200)
        self.assertFalse(st.ended.wait(1))
        r = c.post("/api/auth/logout", {})
        self.assertEqual(r.status, 200, r)
        self.assert_ends(st, "sign-out")
        self.assertEqual(Stream(self.s, c).status, 401)

    def test_a_new_password_ends_the_other_sessions_streams(self):
        c = self.session("E2")
        st = Stream(self.s, c)
        self.assertEqual(st.status, 200)
        p = subprocess.run([os.path.join(BUILD, "core", "cabinetctl"), "-c", self.s.conf, "user", "password",
                            self.o.sub, "e2.%s@example.org" % self.o.sub], input="Новый-пароль-2026-ок\n",
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assert_ends(st, "a new password")
        self.assertEqual(Stream(self.s, c).status, 401)

    def test_an_expired_session_ends_its_stream(self):
        c = self.session("C")
        st = Stream(self.s, c)
        self.assertEqual(st.status, 200)
        self.s.psql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = %d "
                    "AND expires_at < now() + interval '2 days' AND created_at > now() - interval '5 seconds'"
                    % self.o.user["C"])
        self.assert_ends(st, "the session expired")


class Scopes(unittest.TestCase):
    """API keys carry scopes; each exchange route needs its own."""

    @classmethod
    def setUpClass(cls):
        cls.s = Stack("scopes").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "klyuchi", "ООО «Ключи»")
        cls.x = Client(cls.s, "klyuchi")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def key(self, body, status=201):
        r = self.admin.post("/api/admin/api-keys", body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def call(self, key, method, path, body=None):
        return self.x.request(method, path, body=body, headers={"Authorization": "Bearer " + key})

    ROUTES = {"staff": ("PUT", "/api/exchange/v1/organizations", {"items": []}),
              "payroll": ("PUT", "/api/exchange/v1/accruals", {"items": []}),
              "requests": ("GET", "/api/exchange/v1/requests", None),
              "kpi": ("PUT", "/api/exchange/v1/kpi", {"items": []})}

    def test_a_key_reaches_only_its_scopes(self):
        staff = self.key({"name": "Кадры", "scopes": ["staff"]})
        self.assertEqual(staff["items"][-1]["scopes"], ["staff"])
        feed = self.key({"name": "Заявки", "scopes": ["requests", "kpi", "requests"]})["key"]
        for key, allowed in ((staff["key"], {"staff"}), (feed, {"requests", "kpi"})):
            for scope, (method, path, body) in self.ROUTES.items():
                r = self.call(key, method, path, body)
                if scope in allowed:
                    self.assertNotIn(r.status, (401, 403), (scope, r))
                else:
                    self.assertEqual(r.status, 403, (scope, r))
                    self.assertIn("(%s)" % scope, r.json()["error"]["message"])
            # the exchange log is any key's
            self.assertEqual(self.call(key, "GET", "/api/exchange/v1/log").status, 200)

    def test_keys_made_before_keep_every_scope(self):
        # a key as the migration left it: the column's default
        old = self.key({"name": "Старый"})
        self.assertEqual(sorted(old["items"][-1]["scopes"]), ["kpi", "payroll", "requests", "staff"])
        self.assertEqual(self.s.psql("SELECT column_default FROM information_schema.columns WHERE "
                                     "table_name = 'api_keys' AND column_name = 'scopes'"),
                         "'{staff,payroll,requests,kpi}'::text[]")
        for scope, (method, path, body) in self.ROUTES.items():
            self.assertNotIn(self.call(old["key"], method, path, body).status, (401, 403), scope)

    def test_bad_scopes_are_named(self):
        r = self.admin.post("/api/admin/api-keys", {"name": "Всё", "scopes": ["staff", "admin"]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("scopes[1]", r.json()["error"]["fields"])
        r = self.admin.post("/api/admin/api-keys", {"name": "Ничего", "scopes": []})
        self.assertEqual(r.status, 422, r)
        self.assertIn("scopes", r.json()["error"]["fields"])

    def test_the_admin_page_asks_which_scopes(self):
        def form(fields):
            body = ("_csrf=%s&name=%%D0%%97%%D0%%A3%%D0%%9F&scopes%%5B%%5D=%s" % (self.admin.csrf, fields)).encode()
            return self.admin.post("/admin/api-keys", raw=body,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = form("")
        self.assertEqual(r.status, 422, r.text[:300])
        self.assertIn("Выберите хотя бы один раздел", r.text)
        r = form("&scopes%5B%5D=payroll")
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertIn("зарплата", r.text)
        keys = self.admin.get("/api/admin/api-keys").json()["items"]
        self.assertEqual([k["scopes"] for k in keys if k["name"] == "ЗУП"], [["payroll"]])
        # refused for its name: the list is still there, the ticked boxes stay ticked
        body = ("_csrf=%s&name=&scopes%%5B%%5D=&scopes%%5B%%5D=staff&scopes%%5B%%5D=kpi"
                % self.admin.csrf).encode()
        r = self.admin.post("/admin/api-keys", raw=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 422, r.text[:300])
        self.assertIn('id="e-name"', r.text)
        self.assertIn("<td>ЗУП</td>", r.text.replace("\n", ""))
        self.assertRegex(r.text, r'value="staff"[^>]* checked>')
        self.assertRegex(r.text, r'value="kpi"[^>]* checked>')
        self.assertNotRegex(r.text, r'value="payroll"[^>]* checked>')


class Quotas(unittest.TestCase):
    """requests_per_day and attachments_bytes_per_employee."""

    @classmethod
    def setUpClass(cls):
        cls.s = Stack("quotas", conf_extra="requests_per_day = 3\nattachments_bytes_per_employee = 3k\n").__enter__()
        cls.o = Org(cls.s, "limity", "ООО «Лимиты»")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_requests_per_day(self):
        o = self.o
        for i in range(3):
            r = o["E3"].post("/api/requests", {"type": "question", "text": "Вопрос %d" % i, "draft": i == 0})
            self.assertEqual(r.status, 201, r)
        r = o["E3"].post("/api/requests", {"type": "question", "text": "Четвёртый"})
        self.assertEqual(r.status, 429, r)
        self.assertIn("requests_per_day", r.json()["error"]["message"])
        self.assertIn("Не больше 3 заявок за сутки", r.json()["error"]["message"])
        self.assertGreater(int(r.headers["Retry-After"]), 86000)
        self.assertEqual(self.s.psql("SELECT count(*) FROM requests WHERE employee_id = %d" % o.id["E3"]), "3")
        # another employee is not held back; a day later E3 may again
        self.assertEqual(o["E2"].post("/api/requests", {"type": "question", "text": "Мой"}).status, 201)
        self.s.psql("UPDATE requests SET created_at = created_at - interval '25 hours' WHERE employee_id = %d"
                    % o.id["E3"])
        self.assertEqual(o["E3"].post("/api/requests", {"type": "question", "text": "Снова"}).status, 201)

    def test_attachment_bytes_per_employee(self):
        o = self.o
        pdf = b"%PDF-1.4\n" + b"0" * 1400
        a = o["E1"].post("/api/requests", {"type": "question", "text": "С файлами"}).json()["id"]
        b = o["E1"].post("/api/requests", {"type": "question", "text": "Ещё"}).json()["id"]
        for rid in (a, b):
            self.assertEqual(upload(o["E1"], "/api/requests/%d/files" % rid, "скан.pdf", pdf).status, 201)
        r = upload(o["E1"], "/api/requests/%d/files" % b, "третий.pdf", pdf)
        self.assertEqual(r.status, 422, r)
        msg = r.json()["error"]["fields"]["file"]
        self.assertIn("attachments_bytes_per_employee", msg)
        self.assertIn("3 КБ", msg)
        self.assertEqual(self.s.psql("SELECT count(*) FROM request_files WHERE employee_id = %d" % o.id["E1"]), "2")
        # the performer's result does not count against the employee, nor against the performer
        t = o.task("C", a, "execution")
        self.assertIsNotNone(t)
        self.assertEqual(upload(o["C"], "/api/requests/%d/files" % a, "ответ.pdf", pdf).status, 201)
        self.assertEqual(upload(o["C"], "/api/requests/%d/files" % a, "ответ2.pdf", pdf).status, 201)
        # a finished request frees its share
        self.assertEqual(o["E1"].post("/api/requests/%d/cancel" % a, {}).status, 200)
        self.assertEqual(upload(o["E1"], "/api/requests/%d/files" % b, "третий.pdf", pdf).status, 201)


class Hostile(unittest.TestCase):
    """The hostile pass: an employee of organization A and one of B try to
    read or change what is not theirs through every route of requests,
    tasks, files, HR tasks, KPIs, substitutes, routing and notifications,
    with ids of the other organization, forged headers, bad bodies and file
    names, and the exchange with the other organization's key."""

    @classmethod
    def setUpClass(cls):
        cls.s = Stack("hostile").__enter__()
        cls.a = Org(cls.s, "alfa", "ООО «Альфа»")
        cls.b = Org(cls.s, "beta", "ООО «Бета»")
        cls.key_b = cls.b.admin.post("/api/admin/api-keys", {"name": "1С Бета"}).json()["key"]
        a = cls.a
        cls.rid = a["E1"].post("/api/requests", {"type": "personal_data", "changes": {
            "phone": "+79120000001"}}).json()["id"]
        r = upload(a["E1"], "/api/requests/%d/files" % cls.rid, "паспорт.png", PNG)
        assert r.status == 201, r
        cls.file_url = r.json()["file"]["url"]
        cls.task = a.task("P", cls.rid, "execution")
        r = a.admin.post("/api/hr-tasks", {"employee_id": a.id["E1"], "title": "Принести справку"})
        assert r.status == 201, r
        cls.hr = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_the_other_organizations_ids_are_404(self):
        a, b = self.a, self.b
        for who in ("E2", "P", "A"):  # B's employee, performer, administrator on B's host
            c = b[who]
            for path in ("/api/requests/%d" % self.rid, self.file_url, "/api/requests/%d/document" % self.rid,
                         "/api/hr-tasks/%d" % self.hr, "/api/team/%d" % a.id["E1"],
                         "/api/team/%d/kpi" % a.id["E1"]):
                self.assertIn(c.get(path).status, (403, 404), (who, path))
            for path, body in (("/api/tasks/%d/approve" % self.task, {}), ("/api/tasks/%d/complete" % self.task, {}),
                               ("/api/tasks/%d/forward" % self.task, {"to": b.id["E3"]}),
                               ("/api/requests/%d/cancel" % self.rid, {}),
                               ("/api/hr-tasks/%d/cancel" % self.hr, {})):
                # 403: a caller without the route's role at all (an employee
                # cancelling an HR task), before any object is looked at
                self.assertIn(c.post(path, body).status, (403, 404), (who, path))
            self.assertIn(upload(c, "/api/requests/%d/files" % self.rid, "x.pdf", b"%PDF-1.4\n").status, (404,))
        # B's people given A's people: not found, as a field
        qid = b["E1"].post("/api/requests", {"type": "question", "text": "?"}).json()["id"]
        r = b["C"].post("/api/tasks/%d/forward" % b.task("C", qid, "execution"), {"to": a.id["E3"]})
        self.assertEqual(r.status, 422, r)
        r = b["M"].post("/api/substitutes", {"substitute_id": a.id["S"], "date_from": "2031-01-01",
                                             "date_to": "2031-01-10"})
        self.assertEqual(r.status, 422, r)
        r = b.admin.post("/api/hr-tasks", {"employee_id": a.id["E1"], "title": "Чужому"})
        self.assertIn(r.status, (404, 422), r)
        r = b.admin.put("/api/admin/routing", {"roles": {"coordinator": [a.id["C"]]}})
        self.assertEqual(r.status, 422, r)
        r = b["E1"].post("/api/notifications/read", {"ids": [int(self.s.psql(
            "SELECT coalesce(max(id), 1) FROM notifications WHERE tenant_id = %d" % a.tid))]})
        self.assertEqual(r.status, 404, r)
        # A's data is unchanged
        self.assertEqual(a["E1"].get("/api/requests/%d" % self.rid).json()["request"]["state"], "submitted")

    def test_the_other_organizations_session_on_this_host(self):
        a, b = self.a, self.b
        stranger = Client(self.s, a.sub, b["A"].token, b["A"].csrf)
        for path in ("/api/requests", "/api/tasks", "/api/requests/%d" % self.rid, self.file_url,
                     "/api/hr-tasks/%d" % self.hr, "/api/notifications", "/api/substitutes", "/api/kpi",
                     "/api/admin/routing"):
            self.assertEqual(stranger.get(path).status, 404, path)
        self.assertEqual(stranger.post("/api/requests", {"type": "question", "text": "x"}).status, 404)

    def test_the_exchange_with_the_other_organizations_key(self):
        x = Client(self.s, self.a.sub)
        h = {"Authorization": "Bearer " + self.key_b}
        self.assertEqual(x.request("GET", "/api/exchange/v1/requests", headers=h).status, 401)
        r = x.request("POST", "/api/exchange/v1/requests/%d/state" % self.rid, body={"state": "done"},
                      headers=dict(h, **{"Idempotency-Key": "k1"}))
        self.assertEqual(r.status, 401, r)
        # on its own host, A's request id is nobody's
        y = Client(self.s, self.b.sub)
        r = y.request("POST", "/api/exchange/v1/requests/%d/state" % self.rid, body={"state": "done"},
                      headers=dict(h, **{"Idempotency-Key": "k2"}))
        self.assertEqual(r.status, 404, r)
        items = y.request("GET", "/api/exchange/v1/requests", headers=h).json()["items"]
        self.assertNotIn(self.rid, [i["id"] for i in items])

    def test_forged_origin_bad_bodies_and_file_names(self):
        c = self.a["E3"]
        r = c.post("/api/requests", {"type": "question", "text": "x"}, headers={"Origin": "https://evil.example"})
        self.assertEqual(r.status, 403, r)
        r = c.post("/api/requests", raw=b'{"type": "question", "text": ', headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        r = c.post("/api/requests", raw=b'{"type": "question", "text": "' + b"x" * (2 << 20) + b'"}',
                   headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413, r)
        r = c.post("/api/requests", {"type": "question", "text": "x" * 5000})
        self.assertEqual(r.status, 422, r)
        rid = c.post("/api/requests", {"type": "question", "text": "Файлы"}).json()["id"]
        for name in ("../../../etc/passwd.pdf", "a\r\nSet-Cookie: x=1.pdf", "..\\..\\boot.ini.pdf",
                     "<script>alert(1)</script>.pdf", "%2e%2e%2fx.pdf"):
            r = upload(c, "/api/requests/%d/files" % rid, name, b"%PDF-1.4\n%%EOF\n")
            if "\r" in name:
                # a line break in the part's header is no upload at all
                self.assertEqual(r.status, 400, (name, r))
                continue
            self.assertEqual(r.status, 201, (name, r))
            f = r.json()["file"]
            self.assertNotIn("/", f["name"])
            self.assertNotIn("\\", f["name"])
            self.assertNotIn("\n", f["name"])
            self.assertLessEqual(len(f["name"]), 255)
            got = c.get(f["url"])
            self.assertEqual(got.status, 200)
            self.assertNotIn("x=1", got.headers.get("Set-Cookie", ""))
            self.assertTrue(got.headers["Content-Disposition"].startswith("attachment;"))
        # an HTML page named .pdf and sent as application/pdf is refused
        r = upload(c, "/api/requests/%d/files" % rid, "page.pdf", b"<html><script>alert(1)</script>",
                   ctype="application/pdf")
        self.assertEqual(r.status, 422, r)
        # path tricks in the URL reach no file
        for path in ("/api/requests/%d/files/..%%2f..%%2fetc%%2fpasswd" % rid, "/api/requests/%d/files/-1" % rid,
                     "/api/requests/%d/files/99999999999999999999" % rid):
            self.assertIn(c.get(path).status, (400, 404, 422), path)

    def test_long_file_names_are_named_not_a_bare_400(self):
        """A file name is kept whole up to 255 characters of any script (a
        Cyrillic one of 136 is 260 bytes), and a longer one is refused with
        422 naming the field and the limit by every upload: a request's
        scan, a performer's result, personal-data scans, an HR task's
        files (both sides), the staff import; also one longer than the
        multipart parser keeps (1024 bytes). Nothing is written."""
        a = self.a
        pdf = b"%PDF-1.4\n%%EOF\n"
        rid = a["E3"].post("/api/requests", {"type": "question", "text": "Длинные имена"}).json()["id"]
        kept = "Скан " + "ж" * 130 + ".pdf"
        self.assertGreater(len(kept.encode()), 255)
        r = upload(a["E3"], "/api/requests/%d/files" % rid, kept, pdf)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["file"]["name"], kept)
        got = a["E3"].get(r.json()["file"]["url"])
        self.assertEqual(got.status, 200)
        self.assertIn("filename*=UTF-8''", got.headers["Content-Disposition"])
        # a name of exactly 255 characters whose extension is added stays within 255
        r = upload(a["E3"], "/api/requests/%d/files" % rid, "ж" * 255, pdf)
        self.assertEqual(r.status, 201, r)
        self.assertEqual((len(r.json()["file"]["name"]), r.json()["file"]["name"][-4:]), (255, ".pdf"))
        before = self.s.psql("SELECT count(*) FROM request_files")
        for who, path in (("E3", "/api/requests/%d/files" % rid),   # the employee's own request
                          ("E1", "/api/requests/%d/files" % self.rid),  # personal-data scans
                          ("P", "/api/requests/%d/files" % self.rid),   # the performer's result
                          ("E1", "/api/hr-tasks/%d/files" % self.hr),   # the employee's answer
                          ("A", "/api/hr-tasks/%d/files" % self.hr)):   # the giver's document
            for name in ("ж" * 252 + ".pdf", "f" * 1500 + ".pdf"):
                r = upload(a[who], path, name, pdf)
                self.assertEqual(r.status, 422, (who, path, len(name), r))
                why = r.json()["error"]["fields"]["file"]
                self.assertIn("Имя файла — не длиннее 255 символов", why, (who, path))
        self.assertEqual(self.s.psql("SELECT count(*) FROM request_files"), before)
        # the staff import's file, as the administrator's page sends it
        b = "----long-name"
        body = ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s.csv"\r\n'
                'Content-Type: text/csv\r\n\r\n' % (b, "сотрудники" * 30)).encode() + \
            "Табельный номер;ФИО\r\n".encode() + ("\r\n--%s--\r\n" % b).encode()
        r = a.admin.request("POST", "/api/admin/import/employees?preview=1", raw=body,
                            headers={"Content-Type": "multipart/form-data; boundary=" + b})
        self.assertEqual(r.status, 422, r)
        self.assertIn("255", r.json()["error"]["fields"]["file"])

    def test_control_characters_in_a_file_name_are_named_not_a_bare_400(self):
        """A file named with a control character (\\x01, DEL: browsers
        send them raw inside the quoted filename) is refused by every upload
        with the same Russian field error as a too long name - at the form's
        field "file", saying what a name may be - not a generic 400 from the
        multipart parser; the admin's import page says it at its file input.
        Nothing is written."""
        a = self.a
        pdf = b"%PDF-1.4\n%%EOF\n"
        rid = a["E3"].post("/api/requests", {"type": "question", "text": "Странные имена"}).json()["id"]
        before = self.s.psql("SELECT count(*) FROM request_files")
        for who, path in (("E3", "/api/requests/%d/files" % rid),
                          ("E1", "/api/requests/%d/files" % self.rid),
                          ("A", "/api/hr-tasks/%d/files" % self.hr)):
            for name in ("скан\x01.pdf", "скан\x7f.pdf"):
                r = upload(a[who], path, name, pdf)
                self.assertEqual(r.status, 422, (who, path, name, r))
                err = r.json()["error"]
                self.assertEqual(err["field_codes"]["file"], "control", (who, path, name))
                self.assertEqual(err["fields"]["file"],
                                 "Имя файла — не длиннее 255 символов, без управляющих и невидимых символов: "
                                 "переименуйте файл и приложите его снова")
        self.assertEqual(self.s.psql("SELECT count(*) FROM request_files"), before)
        # a tab, as text allows it, is taken and given back as "_"; the name
        # without the character is taken as it is
        r = upload(a["E3"], "/api/requests/%d/files" % rid, "скан\tмая.pdf", pdf)
        self.assertEqual((r.status, r.json()["file"]["name"]), (201, "скан_мая.pdf"), r)
        self.assertEqual(upload(a["E3"], "/api/requests/%d/files" % rid, "скан.pdf", pdf).status, 201)
        # the staff import page: the page again, the message at the file input
        b = "----ctl-name"
        body = ('--%s\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n%s\r\n'
                '--%s\r\nContent-Disposition: form-data; name="file"; filename="сотрудники\x01.csv"\r\n'
                'Content-Type: text/csv\r\n\r\n' % (b, a.admin.csrf, b)).encode() + \
            "Табельный номер;ФИО\r\n".encode() + ("\r\n--%s--\r\n" % b).encode()
        r = a.admin.request("POST", "/admin/import", raw=body,
                            headers={"Content-Type": "multipart/form-data; boundary=" + b})
        self.assertEqual(r.status, 422, r)
        self.assertIn("без управляющих и невидимых символов", r.text)
        self.assertNotIn("Некорректная загрузка файла", r.text)

    def test_two_files_in_one_upload_are_refused_on_the_pages_as_on_the_api(self):
        a = self.a
        b = "----two-files"

        def two_files(first, second, csrf=True):
            body = ('--%s\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n%s\r\n' % (b, a.admin.csrf)
                    if csrf else "").encode()
            for name, data in (("первый.csv", first), ("второй.csv", second)):
                body += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                         'Content-Type: text/csv\r\n\r\n' % (b, name)).encode() + data + b"\r\n"
            return body + ("--%s--\r\n" % b).encode()

        first = "Табельный номер;ФИО\r\n0901;Первый Пётр Петрович\r\n".encode()
        second = "Табельный номер;ФИО\r\n0902;Второй Иван Иванович\r\n".encode()
        mp = {"Content-Type": "multipart/form-data; boundary=" + b}
        # the API: 422 at the field file
        r = a.admin.request("POST", "/api/admin/import/employees?preview=1", raw=two_files(first, second),
                            headers=mp)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["file"],
                         "Один файл на одну загрузку: отправьте файлы по одному")
        # the staff import page: the page again with the same message at the
        # file input, no preview of the second file kept in silence
        r = a.admin.request("POST", "/admin/import", raw=two_files(first, second, csrf=True), headers=mp)
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-file">Один файл на одну загрузку: отправьте файлы по одному', r.text)
        self.assertNotIn("Проверка файла", r.text)
        self.assertNotIn("второй.csv", r.text)
        # one file is still previewed
        one = ('--%s\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n%s\r\n'
               '--%s\r\nContent-Disposition: form-data; name="file"; filename="один.csv"\r\n'
               'Content-Type: text/csv\r\n\r\n' % (b, a.admin.csrf, b)).encode() + second + \
            ("\r\n--%s--\r\n" % b).encode()
        r = a.admin.request("POST", "/admin/import", raw=one, headers=mp)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Проверка файла «один.csv»", r.text)
        # the calendars page's import: the same check, nothing imported
        before = a.admin.get("/api/admin/calendars").json()
        xml = b'<calendar year="2031"><days><day d="01.02" t="1"/></days></calendar>'
        r = a.admin.request("POST", "/admin/calendars/0/import", raw=two_files(xml, xml), headers=mp)
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-file">Один файл на одну загрузку', r.text)
        self.assertEqual(a.admin.get("/api/admin/calendars").json(), before)

    def test_the_event_stream_names_no_channel(self):
        a = self.a
        st = Stream(self.s, a["E3"], path="/api/notifications/events?channel=%du%d" % (a.tid, a.user["E1"]),
                    headers={"X-Cabinet-Channel": "%du%d" % (a.tid, a.user["E1"])})
        self.assertEqual(st.status, 200)
        st.close()
        # the internal check is not reachable from outside
        self.assertEqual(a["E3"].get("/internal/notifications/channel").status, 404)


class ErrorLog(unittest.TestCase):
    """A responder that is down: the error log says so without the query."""

    def test_no_query_strings_in_the_error_log(self):
        with Stack("errlog") as s:
            tid, uid, admin = tenant_with_admin(s, "poisk")
            s.kill("cabinet-api", signal.SIGTERM)
            s.wait_dead("cabinet-api")
            secret = "Иванова"
            for path in ("/api/admin/employees?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0",
                         "/api/employees?q=112-233-445+95", "/api/notifications/events?snils=11223344595"):
                r = admin.get(path)
                self.assertEqual(r.status, 503, (path, r))
            s.kill("cabinet-admin", signal.SIGTERM)
            s.wait_dead("cabinet-admin")
            r = admin.get("/admin/employees?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0")
            self.assertEqual(r.status, 503, r)
            # nginx's own page, in Russian, with nothing that asks the API
            self.assertIn("Сервис временно недоступен", r.text)
            self.assertNotIn("<script", r.text)
            self.assertNotIn("nginx", r.text)
            # the employee site's pages (their host is checked by cabinet-api): the same
            r = admin.get("/")
            self.assertEqual(r.status, 503, r)
            self.assertIn("Сервис временно недоступен", r.text)
            r = admin.get("/api/me")
            self.assertEqual((r.status, r.json()["error"]["code"]), (503, "unavailable"))
            time.sleep(0.5)
            logdir = os.path.join(s.var, "log")
            error_log = open(os.path.join(logdir, "nginx-error.log"), errors="replace").read()
            # the failure is there, with the path and not the query
            self.assertIn('responder failed (502) on "GET /api/admin/employees"', error_log)
            self.assertIn('on "GET /admin/employees"', error_log)
            for name in os.listdir(logdir):
                text = open(os.path.join(logdir, name), errors="replace").read()
                for leak in ("q=", "snils=", "112-233", "11223344595", secret, "%D0%98"):
                    self.assertNotIn(leak, text, "%s in %s" % (leak, name))


if __name__ == "__main__":
    unittest.main()
