"""The outbox under a hung peer, its priorities, its secrets and its SMS cap,
through the real stack with a real SMTP server (aiosmtpd), an HTTP SMS
gateway and a server that accepts connections and never answers."""
import os
import re
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from sinks import SilentServer, SmsSink, SmtpSink  # noqa: E402
from stack import Client, Stack, add_tenant, add_user, tenant_with_admin  # noqa: E402

CODE = r"Код подтверждения: (\d{4,8})"


def request_code(stack, sub, login, source=None):
    r = stack.http("POST", "/api/auth/code", body={"login": login}, host="%s.localhost" % sub,
                   source=source)
    assert r.status == 202, r
    return r


def queue_emails(stack, tid, count, kind="invitation"):
    """Emails waiting in the outbox, as the invitations of a whole staff
    would (written as the tables' owner)."""
    stack.psql("INSERT INTO outbox (tenant_id, channel, recipient, subject, body, kind, priority) "
               "SELECT %d, 'email', 'person' || i || '@example.ru', 'Приглашение', "
               "'Вас приглашают в кабинет сотрудника', '%s', 2 FROM generate_series(1, %d) i"
               % (tid, kind, count))


def wait_until(what, fn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError("%s: not within %ss" % (what, timeout))


class SilentMailServer(unittest.TestCase):
    """The mail server accepts and never answers; SMS go to a gateway."""

    @classmethod
    def setUpClass(cls):
        cls.silent = SilentServer()
        cls.sms = SmsSink()
        conf = cls.sms.conf() + (
            "outbox_email = smtp\nsmtp_url = smtp://127.0.0.1:%d\nsmtp_starttls = off\n"
            "outbox_retry_s = 1\nsms_daily_limit_per_tenant = 3\n" % cls.silent.port)
        cls.s = Stack("outbox", conf_extra=conf).__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.s.__exit__(None, None, None)
        finally:
            cls.silent.stop()
            cls.sms.stop()

    def outbox(self, tid, where="true"):
        rows = self.s.psql("SELECT id, channel, kind, status, attempts, coalesce(last_error, ''), body, "
                           "coalesce(redacted_body, '') FROM outbox WHERE tenant_id = %d AND %s ORDER BY id"
                           % (tid, where))
        return [dict(zip(("id", "channel", "kind", "status", "attempts", "error", "body", "redacted"),
                         line.split("|"))) for line in rows.splitlines()]

    def test_a_code_sms_arrives_while_the_mail_server_is_silent(self):
        tid = add_tenant(self.s, "tikho")
        add_user(self.s, tid, "Иванов Иван", phone="+79161110001")
        queue_emails(self.s, tid, 12)
        self.silent.wait_connected()  # the mail sender is stuck on the first one
        seen = len(self.sms.messages)
        t0 = time.time()
        request_code(self.s, "tikho", "+79161110001")
        sms = self.sms.wait_for("+79161110001", after=seen, timeout=10)
        took = time.time() - t0
        self.assertLess(took, 5, "the code SMS took %.1f s" % took)
        self.assertRegex(sms["text"], CODE)
        emails = self.outbox(tid, "channel = 'email'")
        self.assertEqual({e["status"] for e in emails}, {"pending"})
        # the hung attempt ends by itself (connect timeout: the greeting
        # never came) and is retried later, not forever
        failed = wait_until("a failed attempt on the silent server",
                            lambda: [e for e in self.outbox(tid, "channel = 'email'") if e["error"]])
        self.assertRegex(failed[0]["error"], r"(?i)timeout|timed out")
        self.assertEqual(failed[0]["status"], "pending")

    def test_a_sent_code_is_blanked_in_the_outbox(self):
        tid, _, admin = tenant_with_admin(self.s, "zabyt")
        add_user(self.s, tid, "Петров Пётр", phone="+79161110002")
        seen = len(self.sms.messages)
        request_code(self.s, "zabyt", "+79161110002")
        code = re.search(CODE, self.sms.wait_for("+79161110002", after=seen)["text"]).group(1)
        row = wait_until("the code marked sent",
                         lambda: [m for m in self.outbox(tid, "kind = 'code'") if m["status"] == "sent"])[0]
        self.assertNotIn(code, row["body"])
        self.assertIn("Код подтверждения: ••••••.", row["body"])
        self.assertEqual(row["redacted"], "")
        dump = self.s.psql("SELECT o::text FROM outbox o WHERE tenant_id = %d" % tid)
        self.assertNotIn(code, dump)
        # what the administrator sees has no text at all
        r = admin.get("/api/admin/outbox?channel=sms")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(code, r.text)
        self.assertNotIn(code, admin.get("/admin/outbox").text)
        with open(os.path.join(self.s.var, "log", "cabinetd.log")) as f:
            self.assertNotIn(code, f.read())

    def test_a_code_not_sent_in_time_fails_unsent_and_blanked(self):
        tid = add_tenant(self.s, "pozdno")
        add_user(self.s, tid, "Сидоров Семён", phone="+79161110003")
        self.sms.mode = "busy"
        try:
            request_code(self.s, "pozdno", "+79161110003")
            row = wait_until("a failed attempt", lambda: [m for m in self.outbox(tid) if m["error"]])[0]
            self.assertEqual(row["status"], "pending")
            code = re.search(CODE, row["body"]).group(1)
            # the code's validity is over before the gateway recovers
            self.s.psql("UPDATE outbox SET expires_at = now() - interval '1 second' WHERE id = %s" % row["id"])
            row = wait_until("the expired code failed",
                             lambda: [m for m in self.outbox(tid) if m["status"] == "failed"])[0]
        finally:
            self.sms.mode = "ok"
        self.assertEqual(row["error"], "Не отправлено: срок действия истёк до отправки")
        self.assertNotIn(code, row["body"])
        self.assertIn("••••••", row["body"])

    def test_the_daily_sms_limit_of_a_tenant(self):
        tid, _, admin = tenant_with_admin(self.s, "limitsms")
        phones = ["+7916222000%d" % i for i in range(1, 5)]
        for i, phone in enumerate(phones):
            add_user(self.s, tid, "Сотрудник %d" % i, phone=phone)
        seen = len(self.sms.messages)
        for i, phone in enumerate(phones):
            # each from an address of its own: the code limits per address
            # are not what this is about
            request_code(self.s, "limitsms", phone, source="127.0.9.%d" % (i + 1))
        for phone in phones[:3]:
            self.sms.wait_for(phone, after=seen)
        rows = self.outbox(tid, "channel = 'sms'")
        self.assertEqual([r["status"] for r in rows][3], "failed")
        stopped = rows[3]
        self.assertEqual(stopped["attempts"], "0")
        self.assertNotRegex(stopped["body"], r"\d{4,8}")
        time.sleep(1.5)  # a sender pass later: still not sent
        self.assertEqual([m["to"] for m in self.sms.messages[seen:]].count(phones[3]), 0)
        item = admin.get("/api/admin/outbox?status=failed").json()["items"][0]
        self.assertEqual(item["to"], phones[3])
        self.assertEqual(item["last_error"], "Не отправлено: организация исчерпала дневной лимит SMS "
                                             "(3 в сутки, настройка sms_daily_limit_per_tenant)")
        self.assertIn("исчерпала дневной лимит SMS", admin.get("/admin/outbox").text)
        # another organization has its own limit
        other = add_tenant(self.s, "drugoe")
        add_user(self.s, other, "Другой", phone="+79162220009")
        request_code(self.s, "drugoe", "+79162220009")
        self.sms.wait_for("+79162220009", after=seen)


class SilentSmsGateway(unittest.TestCase):
    """The SMS gateway accepts and never answers; mail goes to a real SMTP
    server."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cab-sinks-")
        os.chmod(cls.tmp, 0o755)
        cls.smtp = SmtpSink(cls.tmp)
        cls.silent = SilentServer()
        conf = cls.smtp.conf() + (
            "outbox_sms = sms_http\nsms_url = http://127.0.0.1:%d/sms\noutbox_read_timeout_ms = 2000\n"
            % cls.silent.port)
        cls.s = Stack("outbox2", conf_extra=conf).__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.s.__exit__(None, None, None)
        finally:
            cls.smtp.stop()
            cls.silent.stop()

    def test_a_code_email_arrives_while_the_sms_gateway_is_silent(self):
        tid = add_tenant(self.s, "bezsms")
        add_user(self.s, tid, "С телефоном", phone="+79163330001")
        add_user(self.s, tid, "Без телефона", email="bez.telefona@example.ru")
        request_code(self.s, "bezsms", "+79163330001")
        self.silent.wait_connected()
        t0 = time.time()
        request_code(self.s, "bezsms", "bez.telefona@example.ru")
        self.smtp.wait_for("bez.telefona@example.ru", CODE, timeout=10)
        self.assertLess(time.time() - t0, 5)
        # the gateway's silence ends the attempt after outbox_read_timeout_ms
        err = wait_until("the silent gateway's attempt failed", lambda: self.s.psql(
            "SELECT last_error FROM outbox WHERE tenant_id = %d AND channel = 'sms' AND last_error IS NOT NULL"
            % tid), timeout=15)
        self.assertRegex(err, r"(?i)too slow|timeout|timed out")

    def test_codes_go_ahead_of_bulk_mail(self):
        tid = add_tenant(self.s, "ochered")
        add_user(self.s, tid, "Срочный", email="srochno@example.ru")
        self.smtp.delay = 0.05  # 100 invitations take 5 s at least, as on a real server
        try:
            queue_emails(self.s, tid, 100)
            wait_until("the invitations started", lambda: len(self.smtp.messages) > 0)
            request_code(self.s, "ochered", "srochno@example.ru")
            # counted once the code is queued: a loaded machine may have sent
            # any number of invitations between the first one and the request
            ahead = len(self.smtp.messages)
            self.smtp.wait_for("srochno@example.ru", CODE, timeout=20)
            wait_until("every invitation sent", lambda: len(self.smtp.messages) >= 101, timeout=90)
        finally:
            self.smtp.delay = 0
        to = [m["to"][0] for m in self.smtp.messages]
        position = to.index("srochno@example.ru")
        # at most the invitation in flight went between; the rest waited
        self.assertLessEqual(position - ahead, 1, to)
        self.assertGreater(len(to) - position, 20, to)

if __name__ == "__main__":
    unittest.main()
