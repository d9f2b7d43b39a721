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
- nginx's error log holds no query strings when a responder is down.

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
