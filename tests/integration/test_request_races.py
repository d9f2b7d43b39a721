"""Requests under concurrency and the month's close (trial-break F25, F19,
F24, F11, F7): one person's filings take turns on the employee's row (one lock
order for every path that files, submits or writes an absence), the daily
quota is counted under that lock, a month's close waits for a write into the
month's inputs, idempotency keys are the caller's, not the tenant's, and no
one's own request is routed to them.
The organization is orgfix.Org."""
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Client, Stack, add_employee, add_session, add_user  # noqa: E402

QUOTA = 5


def at_once(n, fn):
    """fn(i) in n threads released together; the answers in order of i."""
    got, go = [None] * n, threading.Barrier(n)

    def one(i):
        go.wait()
        got[i] = fn(i)
    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    return got


class Races(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("races", conf_extra="requests_per_day = %d\n" % QUOTA).__enter__()
        cls.o = Org(cls.s, "gonki", "ООО «Гонки»")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def person(self, name):
        eid = add_employee(self.s, self.o.tid, name, hired="2020-01-01",
                           organization_id=int(self.s.psql(
                               "SELECT organization_id FROM employees WHERE id = %d"
                               % self.o.id["E1"])),
                           department_id=int(self.s.psql(
                               "SELECT department_id FROM employees WHERE id = %d"
                               % self.o.id["E1"])))
        self.s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, "
                    "date_from) SELECT tenant_id, %d, schedule_id, date_from FROM "
                    "schedule_assignments WHERE employee_id = %d" % (eid, self.o.id["E1"]))
        self.s.psql("INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by) "
                    "VALUES (%d, %d, '2020-01-01', 60000, 'days')" % (self.o.tid, eid))
        uid = add_user(self.s, self.o.tid, name, employee_id=eid)
        token, csrf = add_session(self.s, self.o.tid, uid)
        return eid, Client(self.s, self.o.sub, token, csrf)

    def count(self, sql):
        return int(self.s.psql(sql))

    def test_cancel_against_complete_and_reject_never_deadlocks(self):
        """Every transition locks the request row first, then its tasks
        (trial-break3: cancel against complete/reject deadlocked in 4 of 9
        races): one wins, the others 409, and postgresql.log has no
        deadlock."""
        log = os.path.join(self.s.var, "log", "postgresql.log")
        with open(log, errors="replace") as f:
            before = f.read().count("deadlock detected")
        p = self.o["P"]
        authors = [self.person("Отзывов Отзыв Отзывович"), self.person("Отзывова Анна Отзывовна")]
        for n in range(8):
            e = authors[n % 2][1]  # requests_per_day is 5 here
            r = e.post("/api/requests", {"type": "certificate_employment", "purpose": "банк",
                                         "copies": 1})
            self.assertEqual(r.status, 201, r)
            rid = r.json()["id"]
            t = self.o.task("P", rid, "execution")
            calls = [lambda: p.post("/api/tasks/%d/complete" % t, {}),
                     lambda: e.post("/api/requests/%d/cancel" % rid, {}),
                     lambda: p.post("/api/tasks/%d/reject" % t, {"reason": "нет"})]
            got = at_once(3, lambda i: calls[i]())
            self.assertEqual(sorted(x.status for x in got), [200, 409, 409], got)
        with open(log, errors="replace") as f:
            self.assertEqual(f.read().count("deadlock detected"), before)

    def test_sick_leave_may_be_filed_ahead(self):
        """A planned hospitalization is known ahead, and its sick leave runs
        from the day of admission: an absence for illness may start after
        today (trial-break3 asked to refuse it; the lead kept it allowed)."""
        _, e = self.person("Больнов Борис Борисович")
        ahead = self.s.psql("SELECT (now() AT TIME ZONE 'Europe/Moscow')::date + 90")
        r = e.post("/api/requests", {"type": "absence", "reason": "sick", "date_from": ahead,
                                     "date_to": ahead})
        self.assertEqual(r.status, 201, r)

    def test_six_identical_filings_one_wins(self):
        """F25: six identical vacation filings at once (a double click and
        retries): one 201, five 409 naming the first, one request stored,
        no 503 (the filings used to deadlock on the employee's row)."""
        eid, c = self.person("Шестеро Кликов Кликович")
        body = {"type": "vacation", "kind": "annual", "date_from": "2027-12-06",
                "date_to": "2027-12-10"}
        got = at_once(6, lambda i: c.post("/api/requests", body))
        self.assertEqual(sorted(r.status for r in got), [201] + [409] * 5, got)
        won = [r for r in got if r.status == 201][0].json()
        for r in got:
            if r.status == 409:
                self.assertIn("Пересекается с вашей заявкой № %d" % won["request"]["number"],
                              r.json()["error"]["message"])
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE employee_id = %d "
                                    "AND state <> 'draft'" % eid), 1)
        # mixed absences and business trips over the same days: one wins
        bodies = [{"type": "absence", "reason": "day_off", "date_from": "2027-12-13",
                   "date_to": "2027-12-14"},
                  {"type": "business_trip", "date_from": "2027-12-13", "date_to": "2027-12-15",
                   "destination": "Тверь", "purpose": "переговоры"}] * 3
        got = at_once(6, lambda i: c.post("/api/requests", bodies[i]))
        self.assertEqual(sorted(r.status for r in got), [201] + [409] * 5, got)
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE employee_id = %d "
                                    "AND date_from = '2027-12-13'" % eid), 1)

    def test_quota_under_concurrency(self):
        """F19: the requests_per_day quota holds under concurrent filings:
        at most QUOTA stored, the rest 429."""
        eid, c = self.person("Квотов Квота Квотович")
        got = at_once(3 * QUOTA, lambda i: c.post(
            "/api/requests", {"type": "question", "text": "квота %d" % i, "draft": True}))
        self.assertEqual(sorted(r.status for r in got), [201] * QUOTA + [429] * (2 * QUOTA), got)
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE employee_id = %d" % eid),
                         QUOTA)
        r = [r for r in got if r.status == 429][0]
        self.assertIn("Не больше %d заявок за сутки" % QUOTA, r.json()["error"]["message"])

    def lock_waiters(self):
        return self.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")

    def test_close_waits_for_a_write_into_the_month(self):
        """F24: a write into a month's inputs (a deviation document) still
        open while the month is closed: the close waits for it and answers
        409 stale, never closes the month with a stale result. The write is
        held open by a test transaction holding the employee's result row
        (which the write's stale mark updates), after its closed-month check."""
        o = self.o
        eid, _ = self.person("Гонкин Закрыт Месяцевич")
        r = o.admin.post("/api/admin/payroll/2026-10/calculate", {})
        self.assertEqual(r.status, 200, r)
        s = self.s
        cmd = ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h",
               os.path.join(s.var, "pg", "sock"), "-U", "cabinet", "-d", "cabinet"]
        if os.getuid() == 0:
            cmd = ["setpriv", "--reuid=cabinet", "--regid=cabinet", "--init-groups", "--"] + cmd
        holder = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            holder.stdin.write("BEGIN;\nSELECT 1 FROM payroll_employees WHERE employee_id = %d "
                               "AND month = '2026-10-01' FOR UPDATE;\n\\echo held\n" % eid)
            holder.stdin.flush()
            self.assertEqual(holder.stdout.readline().strip(), "1")
            self.assertEqual(holder.stdout.readline().strip(), "held")
            got = {}

            def write():
                got["write"] = o.admin.post("/api/admin/deviations", {
                    "employee_id": eid, "code": "НН", "date_from": "2026-10-05",
                    "date_to": "2026-10-05"})

            def close():
                got["close"] = o.admin.post("/api/admin/payroll/2026-10/close", {})
            w = threading.Thread(target=write)
            w.start()
            deadline = time.monotonic() + 20
            while self.lock_waiters() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(self.lock_waiters(), 1, "the write did not reach the held row")
            c = threading.Thread(target=close)
            c.start()
            # the close either waits (on the month, or on the held row) or
            # finishes at once
            deadline = time.monotonic() + 5
            while c.is_alive() and self.lock_waiters() < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)
        finally:
            holder.stdin.write("ROLLBACK;\n")
            holder.stdin.close()
            holder.wait(30)
            holder.stdout.close()
        w.join(60)
        c.join(60)
        self.assertEqual(got["write"].status, 201, got["write"])
        self.assertEqual(got["close"].status, 409, got["close"])
        self.assertEqual(got["close"].json()["error"]["code"], "stale", got["close"])
        doc = o.admin.get("/api/admin/payroll/2026-10").json()
        self.assertNotEqual(doc["status"], "closed")
        self.assertEqual([(x["employee_id"], x["reason"]) for x in doc["stale"]],
                         [(eid, "deviation")])
        # a write after the close waits for it and is refused (423)
        r = o.admin.post("/api/admin/payroll/2026-10/calculate", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(o.admin.post("/api/admin/payroll/2026-10/close", {}).status, 200)
        r = o.admin.post("/api/admin/deviations", {"employee_id": eid, "code": "НН",
                                                   "date_from": "2026-10-06",
                                                   "date_to": "2026-10-06"})
        self.assertEqual(r.status, 423, r)
        self.assertIn("октябрь 2026", r.json()["error"]["message"])


    def test_idempotency_keys_are_the_callers(self):
        """F11: two users sending the same Idempotency-Key and body each get
        their own request; the same user's replay still replays."""
        _, c1 = self.person("Ключев Первый Ключевич")
        _, c2 = self.person("Ключева Вторая Ключевна")
        body = {"type": "question", "text": "идемп 1", "draft": True}
        h = {"Idempotency-Key": "req-key-1"}
        r1 = c1.post("/api/requests", body, headers=h)
        r2 = c2.post("/api/requests", body, headers=h)
        self.assertEqual((r1.status, r2.status), (201, 201), (r1, r2))
        self.assertNotEqual(r1.json()["id"], r2.json()["id"])
        self.assertEqual(r1.json()["request"]["employee"]["full_name"], "Ключев Первый Ключевич")
        self.assertEqual(r2.json()["request"]["employee"]["full_name"], "Ключева Вторая Ключевна")
        self.assertIsNone(r2.headers.get("Idempotent-Replayed"))
        again = c2.post("/api/requests", body, headers=h)
        self.assertEqual((again.status, again.json()["id"]), (201, r2.json()["id"]))
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        # another body with the first user's key is the second user's own
        # new request, not "this key was used"
        _, c3 = self.person("Ключин Третий Ключинович")
        r3 = c3.post("/api/requests", dict(body, text="другое"), headers=h)
        self.assertEqual(r3.status, 201, r3)


    def test_own_request_never_routed_to_its_author(self):
        """F7: the only performer of a role who files a request of that type
        does not get its task (they would complete their own НДФЛ
        deduction): it goes to the coordinator."""
        o = self.o
        r = o["P"].post("/api/requests", {"type": "tax_deduction", "children": [
            {"order": 1, "from": "2026-01-01", "to": "2026-12-31", "disabled": True}]})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        self.assertIsNone(o.task("P", rid, "execution"))
        t = o.task("C", rid, "execution")
        self.assertIsNotNone(t)
        self.assertEqual(o["P"].post("/api/tasks/%d/complete" % t, {}).status, 404)


    def test_filing_into_a_closed_month_refused(self):
        """F16: an absence into a closed payroll month is refused at filing
        (423 naming the month), not accepted to fail at completion."""
        o = self.o
        eid, c = self.person("Закрытов Месяц Ноябрёвич")
        self.assertEqual(o.admin.post("/api/admin/payroll/2026-11/calculate", {}).status, 200)
        r = o.admin.post("/api/admin/payroll/2026-11/close", {})
        self.assertEqual(r.status, 200, r)
        r = c.post("/api/requests", {"type": "absence", "reason": "day_off",
                                     "date_from": "2026-11-05", "date_to": "2026-11-05"})
        self.assertEqual(r.status, 423, r)
        self.assertIn("Месяц ноябрь 2026 г. закрыт", r.json()["error"]["message"])
        self.assertEqual(self.count("SELECT count(*) FROM requests WHERE employee_id = %d "
                                    "AND state <> 'draft'" % eid), 0)
        # December is open: accepted
        r = c.post("/api/requests", {"type": "absence", "reason": "day_off",
                                     "date_from": "2026-12-07", "date_to": "2026-12-07"})
        self.assertEqual(r.status, 201, r)


if __name__ == "__main__":
    unittest.main()
