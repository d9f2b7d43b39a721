"""Real local peers for the outbox: an SMTP server (aiosmtpd, with STARTTLS
and AUTH LOGIN/PLAIN) and an HTTP SMS gateway that records what it gets and
can be told to refuse."""
import asyncio
import base64
import email
import email.policy
import json
import logging
import os
import re
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

import shutil
import tempfile

from stack import Stack, free_port

# aiosmtpd (Debian 12's 1.4) warns on every AUTH that its own login_data is
# deprecated, setting it itself; the warning is not ours to act on and buried
# the tests' output in CI.
logging.getLogger("mail.log").addFilter(lambda r: "login_data is deprecated" not in r.getMessage())


def make_cert(directory):
    """A self-signed certificate for localhost/127.0.0.1: (cert, key) paths,
    readable by the stack's user."""
    cert, key = os.path.join(directory, "smtp-cert.pem"), os.path.join(directory, "smtp-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    os.chmod(cert, 0o644)
    return cert, key


class SmtpSink:
    """Collects messages; requires STARTTLS and the given login. A recipient
    listed in `refuse` (address -> reply) is refused at RCPT with that reply,
    as a real server refuses an unknown mailbox."""

    def __init__(self, directory, user="cabinet", password="smtp-secret-1"):
        self.port = free_port()
        self.user, self.password = user, password
        self.messages = []
        self.refuse = {}
        self.delay = 0  # seconds each message takes to accept, as a slow server's
        self.cert, key = make_cert(directory)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, key)
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return sink.refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                if sink.delay:
                    await asyncio.sleep(sink.delay)
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                sink.messages.append({
                    "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                    "subject": str(msg["subject"]), "text": msg.get_content(),
                    "tls": session.ssl is not None, "authenticated": session.authenticated,
                })
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == self.user and auth_data.password.decode() == self.password
            return AuthResult(success=ok)

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=ctx,
                                     require_starttls=True, authenticator=authenticator,
                                     auth_require_tls=True, auth_exclude_mechanism=["CRAM-MD5"])
        self.controller.start()

    def conf(self):
        return ("outbox_email = smtp\nsmtp_url = smtp://localhost:%d\nsmtp_starttls = on\n"
                "smtp_ca_file = %s\nsmtp_user = %s\nsmtp_password = %s\nsmtp_from = cabinet@example.ru\n"
                % (self.port, self.cert, self.user, self.password))

    def wait_for(self, to, match=None, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.messages:
                if to in m["to"] and (match is None or re.search(match, m["text"])):
                    return m
            time.sleep(0.1)
        raise AssertionError("no email to %s within %ss; got %r" % (to, timeout, self.messages))

    def stop(self):
        self.controller.stop()


class SmsSink:
    """An SMS gateway: records JSON posts; mode "ok", "busy" (503) or "refuse"
    (400); a number listed in `refuse_to` is refused (400 with a reason) whatever
    the mode."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.attempts = 0
        self.mode = "ok"
        self.refuse_to = set()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.attempts += 1
                to = None
                try:
                    to = json.loads(body).get("to")
                except ValueError:
                    pass
                if to in sink.refuse_to:
                    reason = b'{"error": "number is not a mobile phone"}'
                    self.send_response(400)
                    self.send_header("Content-Length", str(len(reason)))
                    self.end_headers()
                    self.wfile.write(reason)
                    return
                if sink.mode == "busy":
                    self.send_response(503)
                elif sink.mode == "refuse":
                    self.send_response(400)
                else:
                    msg = json.loads(body)
                    msg["auth"] = self.headers.get("Authorization")
                    sink.messages.append(msg)
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def conf(self):
        return ("outbox_sms = sms_http\nsms_url = http://127.0.0.1:%d/sms\n"
                "sms_auth_header = Authorization: Bearer gateway-key\n" % self.port)

    def wait_for(self, to, after=0, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.messages[after:]:
                if m["to"] == to:
                    return m
            time.sleep(0.1)
        raise AssertionError("no SMS to %s within %ss; got %r" % (to, timeout, self.messages))

    def code_for(self, to, after=0):
        m = self.wait_for(to, after)
        return re.search(r"Код подтверждения: (\d{6,9})", m["text"]).group(1)

    def stop(self):
        self.server.shutdown()


class SilentServer:
    """A server that accepts connections and never says a word: a hung SMTP
    server or SMS gateway. `connections` counts the accepted ones."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.connections += 1

    def wait_connected(self, timeout=15):
        deadline = time.time() + timeout
        while self.connections == 0 and time.time() < deadline:
            time.sleep(0.05)
        assert self.connections, "nobody connected to the silent server within %ss" % timeout

    def stop(self):
        self.sock.close()
        for c in self.held:
            c.close()


class StackWithSinks:
    """A test-class mixin: one stack for the class (cls.s) whose outbox delivers to a real SMTP
    server (cls.smtp) and SMS gateway (cls.sms). NAME names the stack, CONF adds cabinet.conf lines,
    ENV adds scripts/run.sh's environment."""
    NAME = "sinks"
    CONF = ""
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cab-sinks-")
        os.chmod(cls.tmp, 0o755)
        cls.smtp = SmtpSink(cls.tmp)
        cls.sms = SmsSink()
        try:
            cls.s = Stack(cls.NAME, conf_extra=cls.smtp.conf() + cls.sms.conf() + cls.CONF,
                          env=cls.ENV).__enter__()
        except BaseException:
            cls.smtp.stop()
            cls.sms.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.s.__exit__(None, None, None)
        finally:
            cls.smtp.stop()
            cls.sms.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
