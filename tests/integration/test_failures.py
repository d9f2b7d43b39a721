"""Failure paths of the backbone: the core killed or stopped mid-request, a
silent core, PostgreSQL down, configuration reloads."""
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, tenant_with_admin  # noqa: E402


def in_background(fn, *args):
    out = {}

    def run():
        t0 = time.time()
        out["response"] = fn(*args)
        out["done_at"] = time.time()
        out["took"] = out["done_at"] - t0

    t = threading.Thread(target=run)
    t.start()
    return t, out


class Failures(unittest.TestCase):
    def setUp(self):
        self.s = Stack(self.id().split(".")[-1][5:], conf_extra="core_timeout_ms = 1500\n").__enter__()

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def sleep_request(self, ms):
        return self.s.http("GET", "/api/debug/sleep?ms=%d" % ms)

    def responder_pids(self):
        return self.s.pid("cabinet-api"), self.s.pid("cabinet-admin")

    def test_core_killed_with_requests_in_flight(self):
        before = self.responder_pids()
        flights = [in_background(self.sleep_request, 1200) for _ in range(3)]
        time.sleep(0.4)
        killed_at = time.time()
        self.s.kill("cabinetd", signal.SIGKILL)
        for t, out in flights:
            t.join(10)
            r = out["response"]
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            self.assertLess(out["done_at"] - killed_at, 1.0)
        # while the core is down: 503 JSON at once, not a hang
        t0 = time.time()
        r = self.s.http("GET", "/api/health")
        self.assertEqual(r.status, 503)
        self.assertEqual(r.json()["error"]["code"], "unavailable")
        self.assertLess(time.time() - t0, 1.0)
        # restart only the core: the responders reconnect by themselves
        self.s.start()
        self.assertEqual(self.responder_pids(), before)
        r = self.s.http("GET", "/api/health")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["db"], "ok")

    def test_silent_core_gives_503_after_the_timeout(self):
        t, out = in_background(self.sleep_request, 4000)  # longer than core_timeout_ms
        t.join(10)
        self.assertEqual(out["response"].status, 503)
        self.assertLess(out["took"], 2.5)
        # the next request goes through on a fresh connection
        r = self.s.http("GET", "/api/health")
        self.assertEqual(r.status, 200)

    def test_database_down_and_back_without_restarting_the_core(self):
        core = self.s.pid("cabinetd")
        self.s.pg_ctl("stop")
        r = self.s.http("GET", "/api/health")
        self.assertEqual(r.status, 503)
        self.assertEqual(r.json()["db"], "down")
        self.assertEqual(r.json()["status"], "degraded")
        self.s.pg_ctl("start")
        deadline = time.time() + 5
        while True:
            r = self.s.http("GET", "/api/health")
            if r.status == 200 or time.time() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["db"], "ok")
        self.assertEqual(self.s.pid("cabinetd"), core)

    def test_database_restarted_while_the_core_idles(self):
        # every worker's connection broke while idle; a transaction's BEGIN
        # travels with its first statement (core/db.c), so the flight that
        # finds its connection broken is sent again on a fresh one, and no
        # signed-in request - reading or writing - sees the restart
        # (a background task that ran while the server was down waits 1 s
        # before its worker connects again, db.c: DB_RETRY_MS; past it)
        _, _, admin = tenant_with_admin(self.s, "idle")
        self.assertEqual(admin.get("/api/me").status, 200)
        self.s.pg_ctl("restart")
        time.sleep(1.2)
        for _ in range(8):  # more requests than workers: each one's connection
            r = admin.get("/api/me")
            self.assertEqual(r.status, 200, r)
        self.s.pg_ctl("restart")
        time.sleep(1.2)
        for i in range(8):
            r = admin.post("/api/admin/schedules", {"name": "График %d" % i, "kind": "week",
                                                    "days": [{"hours": 8}] * 5 + [{"hours": 0}] * 2})
            self.assertEqual(r.status, 201, r)
        self.assertEqual(self.s.psql("SELECT count(*) FROM schedules"), "8")

    def test_an_operation_stops_within_its_budget(self):
        # core_timeout_ms = 1500: the core's own budget (1 s, core/dispatch.h) cancels the statement before the responder gives
        # up, so the worker is free again and nothing is half-written
        _, _, admin = tenant_with_admin(self.s, "budget")
        audit = "SELECT count(*) FROM audit_log WHERE action = 'debug.written'"
        t0 = time.time()
        r = admin.post("/api/debug/pg-sleep", {"ms": 4000})
        took = time.time() - t0
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.json()["error"]["code"], "unavailable")
        self.assertIn("слишком долго", r.json()["error"]["message"])
        self.assertLess(took, 1.5)  # the core answered, not the responder's timeout
        self.assertEqual(self.s.psql(audit), "0")
        self.assertEqual(self.s.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep($1%'"
            " AND state = 'active' AND pid <> pg_backend_pid()"), "0")
        # more such calls than workers: everyone else is still served
        flights = [in_background(admin.post, "/api/debug/pg-sleep", {"ms": 4000})
                   for _ in range(6)]
        for t, out in flights:
            t.join(10)
            self.assertEqual(out["response"].status, 503)
        self.assertEqual(self.s.http("GET", "/api/health").status, 200)
        r = admin.post("/api/debug/pg-sleep", {"ms": 10})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s.psql(audit), "1")
        with open(os.path.join(self.s.var, "log", "cabinetd.log")) as f:
            self.assertIn("sqlstate=57014", f.read())

    def test_sigterm_finishes_requests_in_flight(self):
        t, out = in_background(self.sleep_request, 800)
        time.sleep(0.3)
        self.s.kill("cabinetd", signal.SIGTERM)
        t.join(10)
        self.assertEqual(out["response"].status, 200, out["response"])
        self.assertEqual(out["response"].json()["slept_ms"], 800)
        self.assertTrue(self.s.wait_dead("cabinetd"))
        with open(os.path.join(self.s.var, "log", "cabinetd.log")) as f:
            self.assertIn("event=stopped", f.read())

    def test_sighup_reloads_and_a_bad_file_keeps_the_old_config(self):
        with open(self.s.conf) as f:
            original = f.read()
        with open(self.s.conf, "a") as f:
            f.write("debug_ops = off\n")
        self.s.reload()
        self.assertEqual(self.sleep_request(1).status, 404)

        with open(self.s.conf, "w") as f:
            f.write(original + "no_such_key = 1\n")
        self.s.reload()
        self.assertEqual(self.sleep_request(1).status, 404)  # still the reloaded config
        with open(self.s.conf, "w") as f:
            f.write(original + "workers = 7\n")
        self.s.reload()
        with open(os.path.join(self.s.var, "log", "cabinetd.log")) as f:
            log = f.read()
        self.assertIn("event=reload_failed", log)
        self.assertIn("no_such_key", log)
        self.assertIn("key=workers", log)
        with open(self.s.conf, "w") as f:
            f.write(original)
        self.s.reload()
        self.assertEqual(self.sleep_request(1).status, 200)


if __name__ == "__main__":
    unittest.main()
