"""Notifications reach open pages without a reload and without a responder
each (issue 12, item 8): a stack with two responder processes per responder,
an organization (orgfix.Org), and notify.events.mjs opening more employee
pages in headless Chromium than there are responders — each page's own
EventSource to /api/notifications/events, held by nginx (nchan) — then one
request filed in the browser: every page of the manager shows the new
unread count, the other person's pages do not."""
import glob
import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from orgfix import Org  # noqa: E402
from stack import Stack, add_session  # noqa: E402

RESPONDERS = 2


class NotifyEvents(unittest.TestCase):
    def test_more_pages_than_responders_all_hear(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
                        "run `npm ci` in tests/e2e first")
        artifacts = os.path.join(os.environ.get("CABINET_BUILD_DIR", "/tmp"), "e2e-artifacts-notify")
        shutil.rmtree(artifacts, ignore_errors=True)
        with Stack("e2e-notify", conf_extra="responders = %d\n" % RESPONDERS) as s:
            o = Org(s, "vesti", "ООО «Вести»")
            # each browser of a person holds a session of its own
            sessions = {k: [add_session(s, o.tid, o.user[k]) for _ in range(3)] for k in ("M", "E3")}
            sessions["E1"] = [add_session(s, o.tid, o.user["E1"])]
            env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                       CABINET_E2E_ARTIFACTS=artifacts,
                       CABINET_E2E_NOTIFY=json.dumps({"sub": "vesti", "responders": RESPONDERS,
                                                      "sessions": sessions}))
            p = subprocess.run(["node", "--test", "--test-reporter=spec", "notify.events.mjs"], cwd=HERE,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=300)
            print(p.stdout)
            if p.returncode != 0:
                reports = []
                for path in sorted(glob.glob(os.path.join(artifacts, "*", "*", "report.txt"))):
                    with open(path, errors="replace") as f:
                        reports.append("==> %s <==\n%s" % (path, f.read()[-6000:]))
                self.fail("browser test failed:\n%s\n%s\n%s" % (p.stdout[-6000:], "\n".join(reports), s.logs()))


if __name__ == "__main__":
    unittest.main()
