"""The whole story in a browser (story.mjs, issue 12 "Done when"): a fresh
stack whose outbox delivers to a real SMTP server and a real SMS gateway
(integration/sinks.py), their messages mirrored as JSON lines into the file
the harness's `outbox` reads, and the organization's clock fixed with
debug.clock so the months are known. Screenshots of every step are kept in
<build>/e2e-story/."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from sinks import SmsSink, SmtpSink  # noqa: E402
from stack import Stack  # noqa: E402

# 05.10.2026 10:00 in Moscow: the story's vacation is in October 2026, whose
# payroll is computed when the clock moves to November (story.mjs)
START = "2026-10-05T07:00:00Z"


class Mirror(list):
    """A sink's list of messages that also writes each one, as the outbox's
    file driver would, to a JSON-lines file: {"channel", "to", "subject", "text"}."""

    def __init__(self, path, channel):
        super().__init__()
        self.path, self.channel = path, channel
        self.lock = threading.Lock()

    def append(self, m):
        super().append(m)
        to = m["to"][0] if isinstance(m["to"], list) else m["to"]
        line = {"channel": self.channel, "to": to, "subject": m.get("subject"), "text": m.get("text", "")}
        with self.lock, open(self.path, "a") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


class Story(unittest.TestCase):
    def test_the_whole_story(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
                        "run `npm ci` in tests/e2e first")
        build = os.environ.get("CABINET_BUILD_DIR", "/tmp")
        shots = os.path.join(build, "e2e-story")
        artifacts = os.path.join(build, "e2e-artifacts-story")
        for d in (shots, artifacts):
            shutil.rmtree(d, ignore_errors=True)
        tmp = tempfile.mkdtemp(prefix="cab-story-")
        os.chmod(tmp, 0o755)
        mail = os.path.join(tmp, "messages.jsonl")
        smtp, sms = SmtpSink(tmp), SmsSink()
        smtp.messages, sms.messages = Mirror(mail, "email"), Mirror(mail, "sms")
        try:
            with Stack("story", conf_extra=smtp.conf() + sms.conf(),
                       env={"CABINET_NGINX_LIMITS": "on"}) as s:
                r = s.http("POST", "/api/debug/clock", {"now": START})
                self.assertEqual(r.status, 200, r)
                env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                           CABINET_E2E_OUTBOX=mail, CABINET_E2E_ARTIFACTS=artifacts,
                           CABINET_E2E_SHOTS=shots)
                p = subprocess.run(["node", "--test", "--test-reporter=spec", "story.mjs"], cwd=HERE, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
                print(p.stdout)
                if p.returncode != 0:
                    reports = []
                    for root, _, files in os.walk(artifacts):
                        for name in files:
                            if name == "report.txt":
                                with open(os.path.join(root, name), errors="replace") as f:
                                    reports.append("==> %s <==\n%s" % (root, f.read()[-6000:]))
                    self.fail("the story failed:\n%s\n%s\n%s" % (p.stdout[-8000:], "\n".join(reports), s.logs()))
        finally:
            smtp.stop()
            sms.stop()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
