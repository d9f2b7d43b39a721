"""Durability of the stack people run (issue 8, item 2.11).

scripts/run.sh keeps PostgreSQL durable unless a test fixture asks otherwise
(CABINET_PG_NOSYNC=1, which stack.py sets for every other test), so a write
the API acknowledged with a 2xx survives `pg_ctl stop -m immediate`: the
server quits without a checkpoint and without flushing what it holds in
memory, as it would in a crash. With the old settings (synchronous_commit
off) the commits of the last fraction of a second before such a stop were
lost although their clients had been told "created"."""
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, tenant_with_admin  # noqa: E402

FIVE_DAY = [{"hours": 8}] * 5 + [{"hours": 0}] * 2
WRITERS = 4
BEFORE_STOP = 150  # acknowledged writes before the stop; the writers go on through it


class Durability(unittest.TestCase):
    def test_acknowledged_writes_survive_an_immediate_stop(self):
        with Stack("durable", durable=True) as s:
            for name in ("fsync", "synchronous_commit", "full_page_writes"):
                self.assertEqual(s.psql("SHOW %s" % name), "on", name)
            tid, _, admin = tenant_with_admin(s, "durable")

            acknowledged, refused = [], []
            lock = threading.Lock()
            enough, stop = threading.Event(), threading.Event()

            def writer(n):
                i = 0
                while not stop.is_set():
                    i += 1
                    r = admin.post("/api/admin/schedules",
                                   {"name": "График %d-%d" % (n, i), "kind": "week", "days": FIVE_DAY})
                    with lock:
                        if 200 <= r.status < 300:
                            acknowledged.append(r.json()["schedule"]["id"])
                            if len(acknowledged) >= BEFORE_STOP:
                                enough.set()
                        else:
                            refused.append(r.status)

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
            for t in threads:
                t.start()
            try:
                self.assertTrue(enough.wait(60), "only %d writes acknowledged in 60 s (refused: %s)"
                                % (len(acknowledged), refused[:10]))
                s.pg_ctl("stop", mode="immediate")  # while writes are in flight
                # the writers keep going until the database is gone for them too
                deadline = time.time() + 10
                while time.time() < deadline:
                    with lock:
                        if refused:
                            break
                    time.sleep(0.02)
            finally:
                stop.set()
                for t in threads:
                    t.join(30)
            s.pg_ctl("start")

            with lock:
                acked = list(acknowledged)
            self.assertTrue(refused, "no write was refused while PostgreSQL was down")
            stored = set(int(x) for x in s.psql("SELECT id FROM schedules WHERE tenant_id = %d" % tid).split())
            lost = [i for i in acked if i not in stored]
            self.assertEqual(lost, [], "%d of %d acknowledged writes lost after an immediate stop"
                             % (len(lost), len(acked)))


if __name__ == "__main__":
    unittest.main()
