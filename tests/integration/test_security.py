"""The accounts rules of issue 8 (section 2), each through the real stack so that
a fix could not pass by accident: code limits per account across its
identifiers and per address, the same answers for unknown logins, sign-in
locks that end, the clean-up job, session lifetimes, cookies over TLS,
refusal of cross-site writes, a change of password ending every other
credential, and e-mail addresses that compare as people type them.

Every test sends from its own loopback address (127.0.x.y), so the
per-address limits of one test never touch another."""
import hashlib
import http.client
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from sinks import StackWithSinks, make_cert  # noqa: E402
from stack import BUILD, ROOT, Client, Stack, free_port  # noqa: E402

PASSWORD = "Vesna-Krasna-2026"
_sources = itertools.count(2)


def new_source():
    """A loopback address no other test uses."""
    n = next(_sources)
    return "127.0.%d.%d" % (n // 250 + 10, n % 250 + 2)


def digitless(body):
    return re.sub(rb"\d", b"", body)


def as_cabinet(cmd):
    return ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd if os.getuid() == 0 else cmd


class Accounts(StackWithSinks, unittest.TestCase):
    NAME = "security"
    CONF = ("password_argon2_memory_kib = 4096\noutbox_retry_s = 1\n"
            "code_cooldown_s = 1\ncode_ip_checks_per_hour = 15\ncode_ip_sends_per_hour = 8\n"
            "login_window_s = 10\nlogin_delay_s = 1\nlogin_lock_s = 4\nlogin_ip_max_failures = 3\n"
            "cleanup_interval_s = 1\n")
    # the core's limits are what is tested here; nginx's own per-address
    # limits (test_limits.py) would answer some of these bursts first
    ENV = {"CABINET_NGINX_LIMITS": "off"}

    # ------------------------------------------------------------ helpers

    def tenant(self, sub, phone, email=None):
        """A ready tenant whose responsible person (not activated) has phone and email."""
        email = email or "boss@%s.example" % sub
        p = self.s.ctl("tenant", "create", sub, "ООО " + sub, "Кузнецова Анна Сергеевна", phone, email)
        self.assertEqual(p.returncode, 0, p.stderr)
        return email

    def tenant_id(self, sub):
        return int(self.s.psql("SELECT id FROM tenants WHERE subdomain = '%s'" % sub))

    def user_id(self, sub, phone):
        return int(self.s.psql("SELECT id FROM users WHERE tenant_id = %d AND phone = '%s'"
                               % (self.tenant_id(sub), phone)))

    def post(self, sub, path, body, src, headers=None):
        return self.s.http("POST", path, body=body, host="%s.localhost" % sub, source=src, headers=headers)

    def code_sms(self, sub, login, phone, src):
        seen = len(self.sms.messages)
        r = self.post(sub, "/api/auth/code", {"login": login}, src)
        self.assertEqual(r.status, 202, r)
        return self.sms.code_for(phone, after=seen)

    def activate(self, sub, login, phone, src):
        code = self.code_sms(sub, login, phone, src)
        r = self.post(sub, "/api/auth/activate", {"login": login, "code": code, "password": PASSWORD, "consent": True}, src)
        self.assertEqual(r.status, 200, r)
        return self.signed_in(sub, r)

    def signed_in(self, sub, r):
        cookies = " ".join(r.headers.get_all("Set-Cookie"))
        token = re.search(r"(?<![\w-])cabinet_session=([^;]+)", cookies).group(1)
        return Client(self.s, sub, token, r.json()["csrf"])

    def login(self, sub, login, password, src, headers=None):
        return self.post(sub, "/api/auth/login", {"login": login, "password": password}, src, headers)

    def emails_to(self, to, match):
        return [m for m in self.smtp.messages if to in m["to"] and re.search(match, m["text"])]

    def wait_gone(self, sql, timeout=10):
        deadline = time.time() + timeout
        while self.s.psql(sql) != "0":
            self.assertLess(time.time(), deadline, sql)
            time.sleep(0.2)

    # ---------------------------------------------------- 2.1 code limits

    def test_code_checks_are_limited_per_account_across_its_identifiers(self):
        phone = "+79170000101"
        email = self.tenant("cycle", phone)
        known, unknown = new_source(), new_source()
        ghost = "nobody@cycle.example"
        answers = {"known": [], "unknown": []}
        # phone and email of one account, alternately, against a typed
        # identifier of no account (in two spellings of one address)
        for i in range(12):
            for who, login, src in (("known", (phone, email)[i % 2], known),
                                    ("unknown", (ghost, ghost.upper())[i % 2], unknown)):
                r = self.post("cycle", "/api/auth/reset", {"login": login, "code": "%06d" % (i * 7919 % 10 ** 6),
                                                           "password": PASSWORD}, src)
                answers[who].append((r.status, r.headers.get("Retry-After"), digitless(r.body)))
        statuses = [a[0] for a in answers["known"]]
        self.assertEqual(statuses, [422] * 10 + [429] * 2)
        self.assertEqual([a[:1] + a[2:] for a in answers["known"]], [a[:1] + a[2:] for a in answers["unknown"]])
        for status, retry, _ in answers["known"][10:]:
            self.assertTrue(3500 < int(retry) <= 3600, retry)  # when the first of the ten leaves the hour
        # the limit is on entries, not on wrong ones: now even the right code is not looked at
        time.sleep(1.1)
        code = self.code_sms("cycle", phone, phone, known)
        r = self.post("cycle", "/api/auth/activate", {"login": email, "code": code, "password": PASSWORD, "consent": True}, known)
        self.assertEqual(r.status, 429, r)
        self.assertIn("Повторите через", r.json()["error"]["message"])
        self.assertEqual(r.json()["error"]["retry_after"], int(r.headers["Retry-After"]))
        # at the fifth wrong entry within the hour the owner heard of it by
        # email, the channel the codes did not go by; once
        deadline = time.time() + 10
        while not self.emails_to(email, "неверный код"):
            self.assertLess(time.time(), deadline, self.smtp.messages)
            time.sleep(0.1)
        time.sleep(1)
        alerts = self.emails_to(email, "неверный код")
        self.assertEqual(len(alerts), 1, alerts)
        self.assertIn("5 раз", alerts[0]["text"])
        self.assertIn("ООО cycle", alerts[0]["text"])
        self.assertEqual(self.s.psql("SELECT count(*) FROM outbox WHERE kind = 'code_alert' AND user_id = %d"
                                     % self.user_id("cycle", phone)), "1")

    def test_codes_sent_are_limited_per_account_across_its_identifiers(self):
        phone = "+79170000102"
        email = self.tenant("sends", phone)
        known, unknown = new_source(), new_source()
        seen = len(self.sms.messages)
        ghost = "ghost@sends.example"
        answers = {"known": [], "unknown": []}
        # the cooldown is per account too: email right after phone waits
        for who, first, then, src in (("known", phone, email, known), ("unknown", ghost, ghost.upper(), unknown)):
            for login in (first, then):
                r = self.post("sends", "/api/auth/code", {"login": login}, src)
                answers[who].append((r.status, r.headers.get("Retry-After"), digitless(r.body)))
        # asked again within the cooldown: the calm "already sent", not an error
        self.assertEqual(answers["known"][1][:2], (200, None))
        self.assertIn(b'"already_sent"', answers["known"][1][2])
        for i in range(5):
            time.sleep(1.1)  # code_cooldown_s
            for who, login, src in (("known", (email, phone)[i % 2], known),
                                    ("unknown", (ghost.upper(), ghost)[i % 2], unknown)):
                r = self.post("sends", "/api/auth/code", {"login": login}, src)
                answers[who].append((r.status, r.headers.get("Retry-After") is not None, digitless(r.body)))
        self.assertEqual([a[0] for a in answers["known"]], [202, 200] + [202] * 4 + [429])
        self.assertEqual(answers["known"], answers["unknown"])
        self.assertTrue(3500 < int(r.headers["Retry-After"]) <= 3600)
        time.sleep(1)
        self.assertEqual(len([m for m in self.sms.messages[seen:] if m["to"] == phone]), 5)
        # the admin form says the same, with the header
        r = self.s.http("POST", "/admin/reset/code", raw=("login=" + phone).encode(), host="sends.localhost",
                        source=known, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 429)
        self.assertIn("Новый код можно запросить через", r.text)
        self.assertTrue(3500 < int(r.headers["Retry-After"]) <= 3600)

    def test_the_daily_limit_counts_the_last_24_hours(self):
        phone = "+79170000103"
        self.tenant("daily", phone)
        tid, uid = self.tenant_id("daily"), self.user_id("daily", phone)
        # fifteen entries two hours ago: out of the hour, inside the day
        self.s.psql("INSERT INTO auth_events (tenant_id, key, kind, ok, at) SELECT %d, 'user:%d', 'check', false, "
                    "now() - interval '2 hours' FROM generate_series(1, 15)" % (tid, uid))
        src = new_source()
        statuses = []
        for i in range(6):
            r = self.post("daily", "/api/auth/reset", {"login": phone, "code": "00000%d" % i, "password": PASSWORD}, src)
            statuses.append(r.status)
        self.assertEqual(statuses, [422] * 5 + [429])
        self.assertTrue(22 * 3600 - 60 < int(r.headers["Retry-After"]) <= 22 * 3600, r.headers["Retry-After"])
        self.assertIn("через 22 часа", r.json()["error"]["message"])

    def test_code_limits_per_client_address(self):
        self.tenant("byip", "+79170000104")
        src, other = new_source(), new_source()
        # many identifiers, one address: code_ip_checks_per_hour = 15
        for i in range(15):
            r = self.post("byip", "/api/auth/reset", {"login": "x%d@byip.example" % (i // 5), "code": "123456",
                                                      "password": PASSWORD}, src)
            self.assertEqual(r.status, 422, (i, r))
        r = self.post("byip", "/api/auth/reset", {"login": "fresh@byip.example", "code": "123456",
                                                  "password": PASSWORD}, src)
        self.assertEqual(r.status, 429)
        self.assertIn("Retry-After", r.headers)
        r = self.post("byip", "/api/auth/reset", {"login": "fresh@byip.example", "code": "123456",
                                                  "password": PASSWORD}, other)
        self.assertEqual(r.status, 422)
        # code_ip_sends_per_hour = 8
        for i in range(8):
            self.assertEqual(self.post("byip", "/api/auth/code", {"login": "y%d@byip.example" % i}, src).status, 202)
        self.assertEqual(self.post("byip", "/api/auth/code", {"login": "z@byip.example"}, src).status, 429)
        self.assertEqual(self.post("byip", "/api/auth/code", {"login": "z@byip.example"}, other).status, 202)

    # ------------------------------------------------- 2.5 enumeration

    def test_unknown_and_known_logins_get_the_same_answers(self):
        phone = "+79170000105"
        email = self.tenant("same", phone)
        # an active account with a live code, one with an expired code, a blocked one
        self.activate("same", phone, phone, new_source())
        tid = self.tenant_id("same")
        blocked = "+79170000106"
        self.s.psql("INSERT INTO users (tenant_id, full_name, phone, status) VALUES (%d, 'Блокированный', '%s', 'blocked')"
                    % (tid, blocked))
        time.sleep(1.1)
        self.code_sms("same", email, phone, new_source())

        def answer(login, code="000000", path="/api/auth/reset"):
            r = self.post("same", path, {"login": login, "code": code, "password": PASSWORD, "consent": True},
                          new_source())
            return r.status, digitless(r.body)

        ghost = answer("ghost@same.example")
        self.assertEqual(ghost[0], 422)
        for login in (phone, email, email.upper(), blocked):
            self.assertEqual(answer(login), ghost, login)
            self.assertEqual(answer(login, path="/api/auth/activate"), answer("ghost@same.example", path="/api/auth/activate"))
        self.s.psql("UPDATE auth_codes SET expires_at = now() - interval '1 second' WHERE tenant_id = %d" % tid)
        self.assertEqual(answer(phone), ghost)
        # a code of the wrong form is the same refusal for both
        self.assertEqual(answer(phone, "12345"), answer("ghost@same.example", "12345"))
        self.assertEqual(answer(phone, "12345")[0], 422)
        # and asking for a code
        time.sleep(1.1)
        a = self.post("same", "/api/auth/code", {"login": phone}, new_source())
        b = self.post("same", "/api/auth/code", {"login": "ghost@same.example"}, new_source())
        self.assertEqual((a.status, digitless(a.body)), (b.status, digitless(b.body)))
        self.assertEqual(a.status, 202)

    # -------------------------------------- 2.8 a change ends credentials

    def test_a_password_change_ends_every_other_credential(self):
        phone = "+79170000107"
        email = self.tenant("creds", phone)
        src = new_source()
        first = self.activate("creds", email, phone, src)
        second = self.signed_in("creds", self.login("creds", phone, PASSWORD, src))
        time.sleep(1.1)
        code = self.code_sms("creds", phone, phone, src)  # an attacker's, say
        r = first.request("POST", "/api/auth/password", {"old_password": PASSWORD, "new_password": "Leto-Zharkoe-2026"},
                          source=src)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(first.get("/api/me").status, 200)
        self.assertEqual(second.get("/api/me").status, 401)
        r = self.post("creds", "/api/auth/reset", {"login": phone, "code": code, "password": "Osen-Zolotaya-2026"}, src)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"]["code"], "invalid")
        self.assertEqual(first.get("/api/me").status, 200)
        self.assertEqual(self.login("creds", phone, "Leto-Zharkoe-2026", src).status, 200)
        self.smtp.wait_for(email, match=r"Пароль вашего кабинета сотрудника \(ООО creds\) изменён")
        # a reset ends every session, its own request's included, and is announced too
        time.sleep(1.1)
        code = self.code_sms("creds", phone, phone, src)
        r = self.post("creds", "/api/auth/reset", {"login": phone, "code": code, "password": "Osen-Zolotaya-2026"}, src)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(first.get("/api/me").status, 401)
        deadline = time.time() + 10
        while len(self.emails_to(email, "изменён")) < 2:
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)
        # the operator setting a password ends sessions and codes as well
        third = self.signed_in("creds", self.login("creds", phone, "Osen-Zolotaya-2026", src))
        time.sleep(1.1)
        code = self.code_sms("creds", phone, phone, src)
        p = subprocess.run([os.path.join(BUILD, "core", "cabinetctl"), "-c", self.s.conf, "user", "password",
                            "creds", phone], input="Zima-Snezhnaya-2026\n", text=True, capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(third.get("/api/me").status, 401)
        r = self.post("creds", "/api/auth/reset", {"login": phone, "code": code, "password": "Vesna-Rannyaya-2026"}, src)
        self.assertEqual(r.status, 422)
        # and a password shorter than 12 characters is refused everywhere
        fourth = self.signed_in("creds", self.login("creds", phone, "Zima-Snezhnaya-2026", src))
        r = fourth.request("POST", "/api/auth/password", {"old_password": "Zima-Snezhnaya-2026",
                                                          "new_password": "Kor0tkiy-11"}, source=src)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["field_codes"]["new_password"], "too_short")
        self.assertIn("не короче 12 символов", r.json()["error"]["fields"]["new_password"])

    # ----------------------------------------- 2.8 logins as people type

    def test_an_address_signs_in_however_it_is_typed(self):
        phone = "+79170000108"
        r = self.s.http("POST", "/api/connect", {"subdomain": "anna", "name": "ООО «Пример»", "responsible": {
            "full_name": "Смирнова Анна Петровна", "phone": phone, "email": "Анна@Пример.рф"}})
        self.assertEqual(r.status, 202, r)
        deadline = time.time() + 15
        while self.s.http("GET", "/api/connect/" + r.json()["id"]).json()["status"] == "pending":
            self.assertLess(time.time(), deadline)
            time.sleep(0.2)
        self.assertEqual(self.s.psql("SELECT email FROM users WHERE tenant_id = %d" % self.tenant_id("anna")),
                         "анна@пример.рф")
        src = new_source()
        # a code asked for with exactly the text the organization gave is really sent
        self.activate("anna", "Анна@Пример.рф", phone, src)
        for login in ("Анна@Пример.рф", "анна@пример.рф", " АННА@ПРИМЕР.РФ ", "Анна@xn--e1afmkfd.xn--p1ai",
                      "анна@XN--E1AFMKFD.XN--P1AI"):
            self.assertEqual(self.login("anna", login, PASSWORD, src).status, 200, login)
        self.assertEqual(self.login("anna", "анна@пример.ру", PASSWORD, src).status, 401)
        # an address only (no phone): the code goes by email
        tid = self.tenant_id("anna")
        self.s.psql("INSERT INTO users (tenant_id, full_name, email) VALUES (%d, 'Борисов Борис', 'борис@пример.рф')" % tid)
        r = self.post("anna", "/api/auth/code", {"login": "Борис@XN--E1AFMKFD.xn--p1ai"}, src)
        self.assertEqual(r.status, 202)
        m = self.smtp.wait_for("борис@пример.рф", match="Код подтверждения")
        code = re.search(r"Код подтверждения: (\d{6})", m["text"]).group(1)
        r = self.post("anna", "/api/auth/activate", {"login": "борис@пример.рф", "code": code,
                                                     "password": "Borisov-Parol-2026", "consent": True}, src)
        self.assertEqual(r.status, 200, r)
        # the other spelling of a stored address is the same address
        r = self.s.http("POST", "/api/connect", {"subdomain": "anna2", "name": "ООО «Пример 2»", "responsible": {
            "full_name": "Смирнова Анна Петровна", "phone": phone, "email": "АННА@xn--e1afmkfd.xn--p1ai"}})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(self.s.psql("SELECT responsible_email FROM connections WHERE id = '%s'" % r.json()["id"]),
                         "анна@пример.рф")

    # ---------------------------------------------------- 2.3 locks end

    def test_a_sign_in_lock_ends_and_its_count_expires(self):
        phone = "+79170000109"
        email = self.tenant("ends", phone)
        office = new_source()
        self.activate("ends", email, phone, office)
        # login_ip_max_failures = 3 in a window of login_window_s = 10
        t0 = time.time()
        for i in range(3):
            self.assertEqual(self.login("ends", "typo%d@ends.example" % i, "x" * 12, office).status, 401)
        r = self.login("ends", email, PASSWORD, office)
        self.assertEqual(r.status, 429)
        self.assertEqual(r.headers["Retry-After"], "1")
        # another address is not locked
        self.assertEqual(self.login("ends", email, PASSWORD, new_source()).status, 200)
        time.sleep(1.1)
        self.assertEqual(self.login("ends", email, PASSWORD, office).status, 200)  # the lock ended
        self.assertEqual(self.login("ends", "typo@ends.example", "x" * 12, office).status, 401)
        self.assertEqual(self.login("ends", email, PASSWORD, office).status, 429)  # 4 in the window
        # once the window has passed, a single failure no longer locks anyone
        time.sleep(max(0, t0 + 10.5 - time.time()))
        self.assertEqual(self.login("ends", "typo@ends.example", "x" * 12, office).status, 401)
        self.assertEqual(self.login("ends", email, PASSWORD, office).status, 200)
        # and the job removes what has run out
        tid = self.tenant_id("ends")
        self.wait_gone("SELECT count(*) FROM auth_throttle WHERE tenant_id = %d AND key LIKE 'ip:%%' "
                       "AND window_start < now() - interval '11 seconds'" % tid, timeout=15)
        self.wait_gone("SELECT count(*) FROM auth_throttle WHERE tenant_id = %d" % tid, timeout=20)

    def test_failing_on_purpose_locks_nobody_out_of_their_own_browser(self):
        phone = "+79170000115"
        email = self.tenant("victim", phone)
        home, stranger, other = new_source(), new_source(), new_source()
        code = self.code_sms("victim", email, phone, home)
        r = self.post("victim", "/api/auth/activate", {"login": email, "code": code, "password": PASSWORD, "consent": True}, home)
        self.assertEqual(r.status, 200, r)
        # signing in made this browser a device of the account: a cookie that
        # outlives the browser session and signing out, HttpOnly, same-site only
        cookie = [c for c in r.headers.get_all("Set-Cookie") if c.startswith("cabinet_device=")]
        self.assertEqual(len(cookie), 1, r.headers.get_all("Set-Cookie"))
        self.assertIn("; Max-Age=15552000;", cookie[0])
        self.assertIn("; HttpOnly", cookie[0])
        self.assertIn("; SameSite=Strict", cookie[0])
        device = {"Cookie": cookie[0].split(";")[0]}
        with open(self.s.conf) as f:
            conf_before = f.read()
        try:
            # waits long enough to see who they hold
            with open(self.s.conf, "a") as f:
                f.write("login_window_s = 300\nlogin_delay_s = 60\nlogin_lock_s = 120\n"
                        "login_ip_max_failures = 100\n")
            self.s.reload()
            # a stranger fails on purpose, by email and by the phone as people
            # type it: one account, one count
            for login in (email, email.upper(), "8 (917) 000-01-15", phone, email):
                self.assertEqual(self.login("victim", login, "Ne-tot-parol-2026", stranger).status, 401)
            for login, src in ((email, stranger), (phone, other), ("+7 917 000 01 15", other), (email, home)):
                r = self.login("victim", login, PASSWORD, src)
                self.assertEqual(r.status, 429, (login, src, r))
                self.assertTrue(50 < int(r.headers["Retry-After"]) <= 60, r.headers["Retry-After"])
            # ... yet the owner's own browser signs in, and stays the same device
            r = self.login("victim", email, PASSWORD, home, device)
            self.assertEqual(r.status, 200, r)
            self.assertFalse([c for c in r.headers.get_all("Set-Cookie") if "cabinet_device=" in c])
            # a made-up or another account's device cookie is no device of this one
            for fake in ("cabinet_device=" + secrets.token_urlsafe(32), ):
                self.assertEqual(self.login("victim", email, PASSWORD, home, {"Cookie": fake}).status, 429)
            # the device's own failures are capped as well, on its own count
            for _ in range(5):
                self.assertEqual(self.login("victim", phone, "Ne-tot-parol-2026", home, device).status, 401)
            self.assertEqual(self.login("victim", phone, PASSWORD, home, device).status, 429)
            tid, uid = self.tenant_id("victim"), self.user_id("victim", phone)
            self.assertEqual(self.s.psql("SELECT string_agg(split_part(key, ':', 1), ',' ORDER BY key) "
                                         "FROM auth_throttle WHERE tenant_id = %d AND key NOT LIKE 'ip:%%'" % tid),
                             "device,user")
            # a new password by a code (from a new phone, say) ends the other
            # devices with the other credentials
            time.sleep(1.1)  # code_cooldown_s
            code = self.code_sms("victim", phone, phone, other)
            r = self.post("victim", "/api/auth/reset", {"login": phone, "code": code,
                                                        "password": PASSWORD + "-2"}, other)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(self.s.psql("SELECT count(*) FROM auth_devices WHERE tenant_id = %d AND user_id = %d"
                                         % (tid, uid)), "1")
            self.assertEqual(self.s.psql("SELECT count(*) FROM auth_throttle WHERE tenant_id = %d AND key = "
                                         "'user:%d'" % (tid, uid)), "0")
        finally:
            with open(self.s.conf, "w") as f:
                f.write(conf_before)
            self.s.reload()

    def test_the_clean_up_job_removes_what_has_expired(self):
        phone = "+79170000110"
        self.tenant("tidy", phone)
        tid, uid = self.tenant_id("tidy"), self.user_id("tidy", phone)

        def session(expires, seen):
            h = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
            self.s.psql("INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at, last_seen_at) "
                        "VALUES (%d, '\\x%s', %d, 'c', now() + interval '%s', now() - interval '%s')"
                        % (tid, h, uid, expires, seen))
            return h

        live = session("1 hour", "1 minute")
        session("-1 second", "1 minute")   # past its absolute end
        session("1 hour", "31 minutes")    # idle longer than session_idle_s (30 min)
        self.s.psql("INSERT INTO auth_throttle (tenant_id, key, failures, window_start, locked_until) VALUES "
                    "(%d, 'ip:192.0.2.1', 40, now() - interval '1 hour', now() - interval '1 minute'), "
                    "(%d, 'ip:192.0.2.2', 40, now() - interval '1 hour', now() + interval '1 hour')" % (tid, tid))
        self.s.psql("INSERT INTO auth_events (tenant_id, key, kind, ok, at) VALUES "
                    "(%d, 'user:%d', 'send', true, now() - interval '25 hours'), "
                    "(%d, 'user:%d', 'send', true, now() - interval '23 hours')" % (tid, uid, tid, uid))
        self.wait_gone("SELECT count(*) FROM sessions WHERE tenant_id = %d AND token_hash <> '\\x%s'" % (tid, live))
        self.wait_gone("SELECT count(*) FROM auth_throttle WHERE tenant_id = %d AND key = 'ip:192.0.2.1'" % tid)
        self.wait_gone("SELECT count(*) FROM auth_events WHERE tenant_id = %d AND at < now() - interval '1 day'" % tid)
        self.assertEqual(self.s.psql("SELECT count(*) FROM sessions WHERE tenant_id = %d" % tid), "1")
        self.assertEqual(self.s.psql("SELECT count(*) FROM auth_throttle WHERE tenant_id = %d" % tid), "1")
        self.assertEqual(self.s.psql("SELECT count(*) FROM auth_events WHERE tenant_id = %d" % tid), "1")

    # ------------------------------------------------- 2.6 sessions, CSRF

    def test_session_lifetime_and_background_polling(self):
        phone = "+79170000111"
        email = self.tenant("idle", phone)
        src = new_source()
        me = self.activate("idle", email, phone, src)
        tid = self.tenant_id("idle")
        self.assertEqual(self.s.psql("SELECT extract(epoch FROM expires_at - created_at)::int FROM sessions "
                                     "WHERE tenant_id = %d" % tid), "43200")
        seen = "SELECT round(extract(epoch FROM now() - last_seen_at) / 60) FROM sessions WHERE tenant_id = %d" % tid
        self.s.psql("UPDATE sessions SET last_seen_at = now() - interval '25 minutes' WHERE tenant_id = %d" % tid)
        background = {"X-Cabinet-Background": "1"}
        self.assertEqual(me.get("/api/me", headers=background).status, 200)
        self.assertEqual(self.s.psql(seen), "25")  # polling is no activity
        self.assertEqual(me.get("/api/me").status, 200)
        self.assertEqual(self.s.psql(seen), "0")  # the user's own request is
        self.s.psql("UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE tenant_id = %d" % tid)
        self.assertEqual(me.get("/api/me", headers=background).status, 200)
        self.s.psql("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE tenant_id = %d" % tid)
        self.assertEqual(me.get("/api/me", headers=background).status, 401)
        # the absolute end holds however busy the session is
        me = self.signed_in("idle", self.login("idle", email, PASSWORD, src))
        self.s.psql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE tenant_id = %d" % tid)
        self.assertEqual(me.get("/api/me").status, 401)

    def test_an_expired_session_is_ended_by_the_request_that_finds_it(self):
        # resolving a session writes nothing (a reading request is read-only
        # from its BEGIN); the session found expired is deleted right after
        # the request's transaction, before its 401 is answered
        phone = "+79170000113"
        email = self.tenant("ended", phone)
        me = self.activate("ended", email, phone, new_source())
        tid = self.tenant_id("ended")
        count = "SELECT count(*) FROM sessions WHERE tenant_id = %d" % tid
        self.assertEqual(self.s.psql(count), "1")
        self.s.psql("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE tenant_id = %d" % tid)
        self.assertEqual(me.get("/api/me").status, 401)
        self.assertEqual(self.s.psql(count), "0")

    # ------------------------------------- the session cache (core/sesscache.h)
    #
    # Each session below is read twice before the change, so the core serves
    # it from its cache; what ends or changes it must be seen by the very
    # next request, not after the cache's TTL.

    def test_the_session_cache_drops_what_ends_or_changes_a_session(self):
        phone = "+79170000114"
        email = self.tenant("kesh", phone)
        src = new_source()
        first = self.activate("kesh", email, phone, src)
        second = self.signed_in("kesh", self.login("kesh", phone, PASSWORD, src))
        for c in (first, second, first, second):
            self.assertEqual(c.get("/api/me").status, 200)
        # sign-out: refused at once, the other session untouched
        self.assertEqual(second.request("POST", "/api/auth/logout", {}, source=src).status, 200)
        self.assertEqual(second.get("/api/me").status, 401)
        self.assertEqual(first.get("/api/me").status, 200)
        # a password change ends every other session at once
        third = self.signed_in("kesh", self.login("kesh", phone, PASSWORD, src))
        self.assertEqual(third.get("/api/me").status, 200)
        self.assertEqual(third.get("/api/me").status, 200)
        r = first.request("POST", "/api/auth/password", {"old_password": PASSWORD, "new_password": "Leto-Kesh-2026!"},
                          source=src)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(third.get("/api/me").status, 401)
        self.assertEqual(first.get("/api/me").status, 200)
        # rights taken away: the next administrator's request is refused
        tid, uid = self.tenant_id("kesh"), self.user_id("kesh", phone)
        other = self.s.psql("INSERT INTO users (tenant_id, full_name, phone, status) VALUES "
                            "(%d, 'Второй администратор', '+79170000115', 'active') RETURNING id" % tid)
        self.assertEqual(first.request("POST", "/api/admin/users/%s/admin" % other, {}, source=src).status, 200)
        self.assertEqual(first.get("/api/admin/users").status, 200)
        self.assertEqual(first.get("/api/admin/users").status, 200)
        self.assertEqual(first.request("DELETE", "/api/admin/users/%d/admin" % uid, source=src).status, 200)
        self.assertEqual(first.get("/api/admin/users").status, 403)
        self.assertEqual(first.get("/api/me").status, 200)
        # the organization disabled by the operator: refused at once
        p = self.s.ctl("tenant", "disable", "kesh")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(first.get("/api/me").status, 403)
        p = self.s.ctl("tenant", "enable", "kesh")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(first.get("/api/me").status, 200)

    def test_the_session_cache_asks_again_after_its_ttl(self):
        # a change written straight into the database (not through the core)
        # is seen once the entry is older than session_cache_ttl_s (5 s)
        phone = "+79170000116"
        email = self.tenant("ttl", phone)
        me = self.activate("ttl", email, phone, new_source())
        uid = self.user_id("ttl", phone)
        started = time.monotonic()
        self.assertEqual(me.get("/api/me").status, 200)  # resolved and cached
        self.s.psql("UPDATE users SET status = 'blocked' WHERE id = %d" % uid, flush=False)
        r = me.get("/api/me")
        if time.monotonic() - started < 4:
            self.assertEqual(r.status, 200)  # still the cached session
        time.sleep(max(0.0, started + 5.5 - time.monotonic()))
        self.assertEqual(me.get("/api/me").status, 401)  # asked again: blocked
        self.s.psql("UPDATE users SET status = 'active' WHERE id = %d" % uid)
        self.assertEqual(me.get("/api/me").status, 200)

    def test_cross_site_writes_are_refused(self):
        phone = "+79170000112"
        email = self.tenant("xsite", phone)
        src = new_source()
        self.activate("xsite", email, phone, src)
        own = "http://xsite.localhost:%d" % self.s.port
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Origin": "http://xsite.localhost.evil.example:%d" % self.s.port},
                        {"Origin": "http://xsite.localhost:%d/path" % self.s.port},
                        {"Origin": "http://other.localhost:%d" % self.s.port},
                        {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                        {"Origin": own, "Sec-Fetch-Site": "cross-site"}):
            r = self.login("xsite", email, PASSWORD, src, headers)
            self.assertEqual(r.status, 403, headers)
            self.assertEqual(r.json()["error"]["code"], "csrf")
            self.assertNotIn("Set-Cookie", r.headers)
        for headers in ({}, {"Origin": own}, {"Origin": own.upper()}, {"Sec-Fetch-Site": "same-origin"},
                        {"Sec-Fetch-Site": "none"}, {"Origin": own, "Sec-Fetch-Site": "same-origin"}):
            self.assertEqual(self.login("xsite", email, PASSWORD, src, headers).status, 200, headers)
        # the admin sign-in form too
        r = self.s.http("POST", "/admin/login", raw=("login=%s&password=%s" % (email, PASSWORD)).encode(),
                        host="xsite.localhost", source=src,
                        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
        self.assertEqual(r.status, 403)
        # a signed-in browser request with its CSRF token, sent from another site
        me = self.signed_in("xsite", self.login("xsite", email, PASSWORD, src))
        r = me.request("POST", "/api/auth/logout", {}, headers={"Origin": "http://evil.example"}, source=src)
        self.assertEqual(r.status, 403)
        self.assertEqual(me.get("/api/me").status, 200)
        # a bearer token is no browser's: it passes
        r = self.post("xsite", "/api/auth/logout", {}, src,
                      headers={"Authorization": "Bearer " + me.token, "Origin": "http://evil.example",
                               "Sec-Fetch-Site": "cross-site"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(me.get("/api/me").status, 401)
        # the base host's connection request as well
        r = self.s.http("POST", "/api/connect", {"subdomain": "xsite2", "name": "x", "responsible": {
            "full_name": "Иванов Иван", "phone": "+79170000113", "email": "x@xsite2.example"}},
                        headers={"Origin": "http://evil.example"})
        self.assertEqual(r.status, 403)

    # ------------------------------------------- personal data in logs

    def test_searches_for_people_stay_out_of_every_log(self):
        phone = "+79170000114"
        email = self.tenant("logs", phone)
        src = new_source()
        admin = self.activate("logs", email, phone, src)
        # what an administrator types to find a person: a name, a phone,
        # an email, a SNILS; in the query string and in the Referer that
        # repeats the page's address
        secrets_ = ["Прохорова", "+79035550142", "prohorova.lena@mail.example", "112-233-445 95"]
        page = "http://logs.localhost:%d/admin/employees?q=" % self.s.port
        for q in secrets_:
            for path in ("/api/admin/employees?q=", "/admin/employees?q=", "/api/admin/users?q="):
                r = admin.get(path + urllib.parse.quote(q), source=src,
                              headers={"Referer": page + urllib.parse.quote_plus(q)})
                self.assertEqual(r.status, 200, (path, r))
        logs = {}
        for name in sorted(os.listdir(os.path.join(self.s.var, "log"))):
            with open(os.path.join(self.s.var, "log", name), "rb") as f:
                logs[name] = f.read().decode("utf-8", "replace")
        # the requests were logged (by path), so an absent value means
        # something
        self.assertIn("GET /api/admin/users", logs["nginx-access.log"])
        self.assertIn("GET /admin/employees", logs["nginx-access.log"])
        for q in secrets_:
            spellings = {q, urllib.parse.quote(q), urllib.parse.quote_plus(q), urllib.parse.quote(q).lower(),
                         urllib.parse.quote(q, safe=""), urllib.parse.quote_plus(q, safe="")}
            for name, text in logs.items():
                for s in spellings:
                    self.assertNotIn(s, text, "%r in %s" % (s, name))


class Migration(unittest.TestCase):
    """Addresses stored before the canonical form existed are brought to it by the migration."""

    def test_stored_addresses_take_the_canonical_form(self):
        sql = tempfile.mkdtemp(prefix="cab-sql-")
        os.chmod(sql, 0o755)
        later = []
        for name in sorted(os.listdir(os.path.join(ROOT, "sql"))):
            src = os.path.join(ROOT, "sql", name)
            if os.path.isdir(src):
                later.append(name)  # reference calendars need the later tables
            elif name.endswith(".sql") and name < "0009":
                shutil.copy(src, sql)
            elif name.endswith(".sql"):
                later.append(name)
        self.assertIn("0009_identifiers.sql", later)
        try:
            with Stack("secmig", conf_extra="sql_dir = %s\n" % sql) as s:
                tid = int(s.psql("INSERT INTO tenants (subdomain, name, status) VALUES ('old', 'ООО Старое', 'ready') "
                                 "RETURNING id"))
                s.psql("INSERT INTO users (tenant_id, full_name, email, phone) VALUES "
                       "(%d, 'Анна', 'Анна@Пример.рф', '+79170000201'), "
                       "(%d, 'Борис', 'Boris@XN--E1AFMKFD.xn--p1ai', NULL), "
                       "(%d, 'Вера', 'Vera.K@Example.RU', NULL), "
                       "(%d, 'Глеб', 'gleb@xn--bcher-kva.de', NULL)" % (tid, tid, tid, tid))
                for name in later:
                    if os.path.isdir(os.path.join(ROOT, "sql", name)):
                        shutil.copytree(os.path.join(ROOT, "sql", name), os.path.join(sql, name))
                    else:
                        shutil.copy(os.path.join(ROOT, "sql", name), sql)
                p = subprocess.run(as_cabinet([os.path.join(BUILD, "core", "cabinetd"), "-c", s.conf, "migrate"]),
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(s.psql("SELECT string_agg(email, ' ' ORDER BY id) FROM users WHERE tenant_id = %d" % tid),
                                 "анна@пример.рф boris@пример.рф vera.k@example.ru gleb@bücher.de")
                # a second spelling of a stored address is now the same address
                dup = subprocess.run(as_cabinet(["psql", "-X", "-q", "-h", os.path.join(s.var, "pg", "sock"), "-U",
                                                 "cabinet", "-d", "cabinet", "-c",
                                                 "INSERT INTO users (tenant_id, full_name, email) "
                                                 "VALUES (%d, 'Копия', 'анна@пример.рф')" % tid]),
                                     capture_output=True, text=True)
                self.assertIn("users_email", dup.stderr)
        finally:
            shutil.rmtree(sql, ignore_errors=True)


class Tls(unittest.TestCase):
    """Cookies as a browser gets them over TLS (nginx with a certificate) and over plain HTTP."""

    @classmethod
    def setUpClass(cls):
        cls.s = Stack("sectls", conf_extra="password_argon2_memory_kib = 4096\ntrusted_proxies = 127.0.0.9\n")
        cls.tls_port = free_port()
        cert, key = make_cert(cls.s.var)
        os.chmod(key, 0o644)  # a test certificate, read by the stack's user
        os.makedirs(os.path.join(cls.s.var, "nginx.d"), exist_ok=True)
        with open(os.path.join(cls.s.var, "nginx.d", "tls.conf"), "w") as f:
            f.write("listen 127.0.0.1:%d ssl;\nssl_certificate %s;\nssl_certificate_key %s;\n"
                    % (cls.tls_port, cert, key))
        try:
            cls.s.start()
        except BaseException:
            cls.s.cleanup()
            raise
        p = cls.s.ctl("tenant", "create", "tls", "ООО TLS", "Кузнецова Анна Сергеевна", "+79170000301",
                      "boss@tls.example")
        assert p.returncode == 0, p.stderr
        p = subprocess.run([os.path.join(BUILD, "core", "cabinetctl"), "-c", cls.s.conf, "user", "password", "tls",
                            "boss@tls.example"], input=PASSWORD + "\n", text=True, capture_output=True)
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        cls.s.cleanup()

    def https(self, method, path, body=None, headers=None):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", self.tls_port, context=ctx, timeout=15)
        h = {"Host": "tls.localhost:%d" % self.tls_port}
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def cookies(self, headers):
        return {c.split("=", 1)[0]: c for c in headers.get_all("Set-Cookie") or []}

    def test_cookies_over_tls_are_host_only_browser_session_cookies(self):
        st, h, body = self.https("POST", "/api/auth/login", {"login": "boss@tls.example", "password": PASSWORD},
                                 {"Origin": "https://tls.localhost:%d" % self.tls_port})
        self.assertEqual(st, 200, body)
        c = self.cookies(h)
        self.assertEqual(set(c), {"__Host-cabinet_session", "__Host-cabinet_csrf", "__Host-cabinet_device"})
        # the device cookie (no credential: it only lets this browser's failed
        # sign-ins count on their own) outlives the browser, same-site only
        device = c.pop("__Host-cabinet_device")
        attrs = [a.strip().lower() for a in device.split(";")[1:]]
        self.assertEqual(sorted(attrs), ["httponly", "max-age=15552000", "path=/", "samesite=strict", "secure"])
        for name, line in c.items():
            attrs = [a.strip().lower() for a in line.split(";")[1:]]
            self.assertIn("path=/", attrs)
            self.assertIn("secure", attrs)
            self.assertIn("samesite=lax", attrs)
            self.assertFalse([a for a in attrs if a.startswith(("max-age", "expires", "domain"))], line)
        self.assertIn("httponly", c["__Host-cabinet_session"].lower())
        self.assertNotIn("httponly", c["__Host-cabinet_csrf"].lower())
        token = re.search(r"=([^;]+)", c["__Host-cabinet_session"]).group(1)
        csrf = re.search(r"=([^;]+)", c["__Host-cabinet_csrf"]).group(1)
        self.assertEqual(csrf, json.loads(body)["csrf"])
        self.assertEqual(self.https("GET", "/api/me", headers={"Cookie": "__Host-cabinet_session=" + token})[0], 200)
        # over TLS the plain name is not read (a sibling host could have set it)
        self.assertEqual(self.https("GET", "/api/me", headers={"Cookie": "cabinet_session=" + token})[0], 401)
        # an http Origin on an https request is another origin
        st, _, _ = self.https("POST", "/api/auth/login", {"login": "boss@tls.example", "password": PASSWORD},
                              {"Origin": "http://tls.localhost:%d" % self.tls_port})
        self.assertEqual(st, 403)
        # signing out clears them
        st, h, _ = self.https("POST", "/api/auth/logout", {}, {
            "Cookie": "__Host-cabinet_session=%s; __Host-cabinet_csrf=%s" % (token, csrf), "X-CSRF-Token": csrf})
        self.assertEqual(st, 200)
        self.assertTrue(all("max-age=0" in v.lower() for v in self.cookies(h).values()), h)
        self.assertEqual(set(self.cookies(h)), {"__Host-cabinet_session", "__Host-cabinet_csrf"})

    def test_plain_http_and_forwarded_proto(self):
        body = {"login": "boss@tls.example", "password": PASSWORD}
        r = self.s.http("POST", "/api/auth/login", body, host="tls.localhost")
        self.assertEqual(r.status, 200)
        c = self.cookies(r.headers)
        self.assertEqual(set(c), {"cabinet_session", "cabinet_csrf", "cabinet_device"})
        self.assertNotIn("secure", c.pop("cabinet_device").lower())
        for line in c.values():
            self.assertNotIn("secure", line.lower())
            self.assertNotIn("max-age", line.lower())
        # X-Forwarded-Proto from anyone but a trusted proxy means nothing
        r = self.s.http("POST", "/api/auth/login", body, host="tls.localhost", source="127.0.0.8",
                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
        self.assertEqual(set(self.cookies(r.headers)), {"cabinet_session", "cabinet_csrf", "cabinet_device"})
        # from the proxy named in trusted_proxies, it does; the core sees the client's address
        r = self.s.http("POST", "/api/auth/login", body, host="tls.localhost", source="127.0.0.9",
                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
        self.assertEqual(r.status, 200)
        c = self.cookies(r.headers)
        self.assertEqual(set(c), {"__Host-cabinet_session", "__Host-cabinet_csrf", "__Host-cabinet_device"})
        self.assertIn("secure", c["__Host-cabinet_session"].lower())
        self.assertIn("secure", c["__Host-cabinet_device"].lower())
        tid = self.s.psql("SELECT id FROM tenants WHERE subdomain = 'tls'")
        self.assertEqual(self.s.psql("SELECT host(ip) FROM audit_log WHERE tenant_id = %s AND action = 'auth.login' "
                                     "ORDER BY id DESC LIMIT 1" % tid), "198.51.100.7")


if __name__ == "__main__":
    unittest.main()
