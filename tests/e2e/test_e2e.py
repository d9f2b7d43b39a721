"""Browser tests: starts a real stack (stack.py) and runs the Node test files
of this folder (playwright-core driving Debian's headless Chromium) against
it. Needs `npm ci` here and /usr/bin/chromium (scripts/test.sh does both)."""
import glob
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from stack import Stack  # noqa: E402


class Browser(unittest.TestCase):
    def test_browser_suites(self):
        self.assertTrue(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
                        "run `npm ci` in tests/e2e first")
        with Stack("e2e") as s:
            env = dict(os.environ, CABINET_E2E_URL="http://localhost:%d" % s.port,
                       CABINET_E2E_OUTBOX=os.path.join(s.var, "outbox.log"))
            files = sorted(glob.glob(os.path.join(HERE, "*.test.mjs")))
            p = subprocess.run(["node", "--test", "--test-reporter=spec", *files], cwd=HERE, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
            print(p.stdout)
            self.assertEqual(p.returncode, 0, "browser tests failed:\n%s\n%s" % (p.stdout[-6000:], s.logs()))


if __name__ == "__main__":
    unittest.main()
