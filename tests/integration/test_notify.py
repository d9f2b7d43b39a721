"""Notifications through the real stack (issue 12, item 8): on each
transition of a request the right people find a notification (the manager
or performer of a new task, the employee of each new state, the holder of a
task at half its deadline and past it), with the unread count; marks read;
the preferences send the same text to the SMTP server and the SMS gateway;
nobody sees, marks or hears another person's or organization's
notifications; and an open page hears of a new one through nginx's event
stream (nchan), at once and without a responder. The organization is
orgfix.Org; email and SMS go to the sinks of sinks.py."""
import json
import os
import queue
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from sinks import StackWithSinks  # noqa: E402
from stack import Client, add_employee, add_session, add_user, tenant_with_admin  # noqa: E402


class EventStream:
    """A page's EventSource, as the browser opens it: GET
    /api/notifications/events with the session cookie (and whatever else the
    page adds: query, headers), then the events (their data parsed as JSON)
    into a queue, read by a thread."""

    def __init__(self, stack, client, path="/api/notifications/events", headers=None, timeout=30):
        self.events = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", stack.port), timeout=timeout,
                                             source_address=(stack.source_for(client.host), 0))
        h = {"Host": "%s:%d" % (client.host, stack.port), "Accept": "text/event-stream"}
        if client.token:
            h["Cookie"] = "cabinet_session=" + client.token
        h.update(headers or {})
        self.sock.sendall(("GET %s HTTP/1.1\r\n%s\r\n" % (
            path, "".join("%s: %s\r\n" % kv for kv in h.items()))).encode())
        self.f = self.sock.makefile("rb")
        self.status = int(self.f.readline().split()[1])
        self.headers = {}
        while True:
            line = self.f.readline().decode().rstrip("\r\n")
            if not line:
                break
            k, v = line.split(":", 1)
            self.headers[k.strip().lower()] = v.strip()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = self.f.read(int(self.headers.get("content-length", "0")))
            self.close()

    def _read(self):
        data = []
        try:
            for line in self.f:
                # chunked transfer: the chunk sizes are lines of their own
                line = line.decode().rstrip("\r\n")
                if line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    self.events.put(json.loads("\n".join(data)))
                    data = []
        except (OSError, ValueError):
            pass

    def next(self, timeout=10):
        return self.events.get(timeout=timeout)

    def quiet(self, seconds=1.5):
        """Nothing arrives within seconds (after what is already there)."""
        try:
            e = self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        raise AssertionError("an event that is not this page's: %r" % e)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Notifications(StackWithSinks, unittest.TestCase):
    NAME = "notify"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = Org(cls.s, "izvest", "ООО «Извещения»")

    def test_the_publisher_socket_is_not_for_everyone(self):
        """run.sh's run/ folder is 0750 as the installed /run/cabinet-notify
        (trial-break3: any local account could publish fake notifications
        into anyone's page stream)."""
        run = os.path.join(self.s.var, "run")
        self.assertEqual(os.stat(run).st_mode & 0o777, 0o750)
        sock = os.path.join(run, "notify.sock")
        self.assertTrue(os.path.exists(sock))
        if os.geteuid() == 0:
            import subprocess
            p = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                "--", "/usr/bin/python3", "-c",
                                "import socket; socket.socket(socket.AF_UNIX).connect(%r)" % sock],
                               capture_output=True, text=True)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("PermissionError", p.stderr)

    # ------------------------------------------------------------ helpers

    def list(self, who, query="", status=200):
        r = self.o[who].get("/api/notifications" + query)
        self.assertEqual(r.status, status, r)
        return r.json()

    def newest(self, who):
        items = self.list(who)["items"]
        return items[0] if items else None

    def since(self, who, last_id):
        return [n for n in self.list(who, "?limit=100")["items"] if n["id"] > last_id]

    def top(self):
        return int(self.s.psql("SELECT coalesce(max(id), 0) FROM notifications"))

    def file(self, who, body):
        r = self.o[who].post("/api/requests", body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def number(self, who, rid):
        return self.o[who].get("/api/requests/%d" % rid).json()["request"]["number"]

    def act(self, who, task, verb, body=None):
        r = self.o[who].post("/api/tasks/%d/%s" % (task, verb), body or {})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait(self, fn, what, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = fn()
            if v:
                return v
            time.sleep(0.05)
        raise AssertionError("not within %ss: %s" % (timeout, what))

    # -------------------------------------------------------------- tests

    def test_each_transition_tells_the_right_people(self):
        o = self.o
        last = self.top()
        rid = self.file("E1", {"type": "vacation", "date_from": "2031-07-01", "date_to": "2031-07-14",
                               "kind": "annual"})
        # the manager has a task to approve; the author is not told of their own filing
        m = self.since("M", last)
        self.assertEqual([n["kind"] for n in m], ["task_new"], m)
        self.assertIn("согласование", m[0]["text"])
        self.assertIn("01.07.2031", m[0]["text"])
        self.assertIn("14 дней", m[0]["text"])
        self.assertIn("Иванов Иван Иванович", m[0]["text"])
        self.assertEqual(m[0]["request_id"], rid)
        self.assertFalse(m[0]["read"])
        self.assertRegex(m[0]["created_ru"], r"^\d\d\.\d\d\.\d{4} \d\d:\d\d$")
        self.assertRegex(m[0]["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(self.since("E1", last), [])
        for k in ("P", "E3", "C", "H"):
            self.assertEqual(self.since(k, last), [], k)
        # approved: the employee hears, the performer gets the execution task
        last = self.top()
        self.act("M", o.task("M", rid, "approval"), "approve")
        e = self.since("E1", last)
        self.assertEqual([n["kind"] for n in e], ["request_state"])
        self.assertIn("согласована", e[0]["text"].lower())
        p = self.since("P", last)
        self.assertEqual([n["kind"] for n in p], ["task_new"])
        self.assertIn("нужно её исполнить", p[0]["text"])
        self.assertEqual(self.since("M", last), [])
        # taken, then done: the employee hears each
        last = self.top()
        t = o.task("P", rid, "execution")
        self.act("P", t, "take")
        self.act("P", t, "complete", {"comment": "Приказ подписан"})
        e = self.since("E1", last)
        self.assertEqual([n["kind"] for n in e], ["request_state", "request_state"])
        self.assertIn("выполнена", e[0]["text"].lower())
        self.assertIn("взята в работу", e[1]["text"])
        self.assertEqual(self.since("P", last), [])
        # rejected with a reason: the employee reads it
        rid2 = self.file("E1", {"type": "absence", "date_from": "2031-08-03", "date_to": "2031-08-03",
                                "reason": "day_off"})
        last = self.top()
        self.act("M", o.task("M", rid2, "approval"), "reject", {"reason": "Сдача отчётности"})
        e = self.since("E1", last)
        self.assertEqual(len(e), 1)
        self.assertIn("Сдача отчётности", e[0]["text"])
        # forwarded: the new holder gets it
        rid3 = self.file("E2", {"type": "question", "text": "Когда аванс?"})
        last = self.top()
        self.act("C", o.task("C", rid3, "execution"), "forward", {"to": o.id["P"], "comment": "Вам"})
        self.assertEqual([n["kind"] for n in self.since("P", last)], ["task_new"])

    def test_reminder_and_escalation(self):
        o, s = self.o, self.s
        r = o.admin.put("/api/admin/routing/deadlines", {"certificate_vacation_balance": {"days": 2}})
        self.assertEqual(r.status, 200, r)
        try:
            rid = self.file("E2", {"type": "certificate_vacation_balance"})
            t = o.task("P", rid, "execution")
            moment = "SELECT to_char((%s + interval '1 minute') AT TIME ZONE 'UTC', " \
                     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM request_tasks WHERE id = %d"
            due = s.psql("SELECT to_char(due_at AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY HH24:MI') "
                         "FROM request_tasks WHERE id = %d" % t)
            last = self.top()
            r = o.admin.post("/api/debug/routing-deadlines", {"now": s.psql(moment % ("remind_at", t))})
            self.assertEqual(r.status, 200, r)
            p = self.since("P", last)
            self.assertEqual([n["kind"] for n in p], ["task_reminder"])
            self.assertIn("до %s" % due, p[0]["text"])
            self.assertEqual(p[0]["task_id"], t)
            last = self.top()
            r = o.admin.post("/api/debug/routing-deadlines", {"now": s.psql(moment % ("due_at", t))})
            self.assertEqual(r.status, 200, r)
            p = self.since("P", last)
            self.assertEqual([n["kind"] for n in p], ["task_escalated"])
            self.assertIn("истёк", p[0]["text"])
            self.assertEqual([n["kind"] for n in self.since("C", last)], ["task_new"])
        finally:
            o.admin.put("/api/admin/routing/deadlines", {"certificate_vacation_balance": None})

    def test_marks_and_unread_count(self):
        o = self.o
        for i in range(3):
            self.file("E3", {"type": "question", "text": "Вопрос %d" % i})
        before = self.list("C", "?limit=0")
        self.assertEqual(before["items"], [])
        self.assertGreaterEqual(before["unread"], 3)
        items = self.list("C", "?limit=3")["items"]
        self.assertEqual(len(items), 3)
        self.assertEqual([n["id"] for n in items], sorted([n["id"] for n in items], reverse=True))
        # paged: the next page goes on where this one stopped
        nxt = self.list("C", "?limit=2&offset=1")["items"]
        self.assertEqual([n["id"] for n in nxt], [n["id"] for n in items[1:3]])
        r = o["C"].post("/api/notifications/read", {"ids": [items[0]["id"], items[1]["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"marked": 2, "unread": before["unread"] - 2})
        after = self.list("C")
        self.assertEqual(after["unread"], before["unread"] - 2)
        self.assertTrue([n for n in after["items"] if n["id"] == items[0]["id"]][0]["read"])
        self.assertEqual(self.list("C", "?unread=true")["total"], after["unread"])
        self.assertTrue(all(not n["read"] for n in self.list("C", "?unread=true")["items"]))
        # marked again: nothing changes
        r = o["C"].post("/api/notifications/read", {"ids": [items[0]["id"]]})
        self.assertEqual(r.json()["marked"], 0)
        # nothing to mark, a bad id: 422 at the field, nothing marked
        r = o["C"].post("/api/notifications/read", {})
        self.assertEqual(r.status, 422, r)
        self.assertIn("ids", r.json()["error"]["fields"])
        r = o["C"].post("/api/notifications/read", {"ids": ["x"]})
        self.assertEqual(r.status, 422, r)
        # a form's "1,2"
        r = o["C"].request("POST", "/api/notifications/read", raw=("ids=%d" % items[2]["id"]).encode())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["marked"], 1)
        # all
        r = o["C"].post("/api/notifications/read", {"all": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["unread"], 0)
        self.assertEqual(self.list("C", "?limit=0")["unread"], 0)
        # a write without the CSRF token is refused
        r = o["C"].request("POST", "/api/notifications/read", {"all": True}, csrf=False)
        self.assertEqual(r.status, 403, r)

    def test_nobody_sees_anothers(self):
        o, s = self.o, self.s
        self.file("E4", {"type": "question", "text": "Чужое не видно?"})
        mine = self.newest("C")
        self.assertIsNotNone(mine)
        # another person: not in their list, and marking it is 404 with nothing marked
        self.assertNotIn(mine["id"], [n["id"] for n in self.list("E1", "?limit=100")["items"]])
        r = o["E1"].post("/api/notifications/read", {"ids": [mine["id"]]})
        self.assertEqual(r.status, 404, r)
        own = self.newest("E1")
        if own:
            r = o["E1"].post("/api/notifications/read", {"ids": [own["id"], mine["id"]]})
            self.assertEqual(r.status, 404, r)
        self.assertFalse([n for n in self.list("C", "?limit=100")["items"] if n["id"] == mine["id"]][0]["read"])
        # another organization: its session on this host is 404; its own list is empty
        tid, _, other = tenant_with_admin(s, "chuzhie", "ООО «Чужие»")
        intruder = Client(s, "izvest", other.token, other.csrf)
        self.assertEqual(intruder.get("/api/notifications").status, 404)
        self.assertEqual(intruder.post("/api/notifications/read", {"ids": [mine["id"]]}).status, 404)
        self.assertEqual(other.get("/api/notifications").json(), {"items": [], "total": 0, "unread": 0})
        r = other.post("/api/notifications/read", {"ids": [mine["id"]]})
        self.assertEqual(r.status, 404, r)
        # nobody signed in
        self.assertEqual(Client(s, "izvest").get("/api/notifications").status, 401)
        # a user without an employee record: nothing, not an error
        self.assertEqual(o.admin.get("/api/notifications").status, 200)

    def test_preferences_route_to_email_and_sms(self):
        o, s = self.o, self.s
        r = o["E3"].get("/api/profile/notifications")
        self.assertEqual(r.status, 200, r)
        prefs = r.json()
        self.assertEqual(prefs["in_app"], True)
        self.assertEqual((prefs["email"], prefs["sms"]), (False, False))
        self.assertEqual(prefs["email_to"], "e3.izvest@example.org")
        self.assertTrue(prefs["sms_to"].startswith("+7"))
        # nothing by email or SMS before opting in
        mails, texts = len(self.smtp.messages), len(self.sms.messages)
        rid = self.file("E3", {"type": "absence", "date_from": "2031-09-01", "date_to": "2031-09-01",
                               "reason": "day_off"})
        self.act("M", o.task("M", rid, "approval"), "reject", {"reason": "Без письма"})
        self.wait(lambda: self.newest("E3") and "Без письма" in self.newest("E3")["text"], "in the list")
        time.sleep(1)
        self.assertEqual([m for m in self.smtp.messages[mails:] if prefs["email_to"] in m["to"]], [])
        self.assertEqual([m for m in self.sms.messages[texts:] if m["to"] == prefs["sms_to"]], [])
        # email on
        r = o["E3"].put("/api/profile/notifications", {"email": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["email"], r.json()["sms"]), (True, False))
        self.assertEqual(o["E3"].get("/api/profile/notifications").json()["email"], True)
        rid = self.file("E3", {"type": "absence", "date_from": "2031-09-02", "date_to": "2031-09-02",
                               "reason": "day_off"})
        self.act("M", o.task("M", rid, "approval"), "reject", {"reason": "Письмом"})
        mail = self.smtp.wait_for(prefs["email_to"], match="Письмом")
        self.assertIn("Заявка", mail["subject"])
        self.assertIn("Кабинет сотрудника", mail["subject"])
        self.assertIn("http://izvest.localhost:%d/" % s.port, mail["text"])
        self.assertEqual([m for m in self.sms.messages[texts:] if m["to"] == prefs["sms_to"]], [])
        # SMS on, email off
        r = o["E3"].put("/api/profile/notifications", {"email": False, "sms": True})
        self.assertEqual(r.status, 200, r)
        mails = len(self.smtp.messages)
        rid = self.file("E3", {"type": "absence", "date_from": "2031-09-03", "date_to": "2031-09-03",
                               "reason": "day_off"})
        self.act("M", o.task("M", rid, "approval"), "reject", {"reason": "Эсэмэской " + "очень " * 60})
        sms = self.wait(lambda: [m for m in self.sms.messages[texts:]
                                 if m["to"] == prefs["sms_to"] and "отклонена" in m["text"]], "the SMS")
        # one Cyrillic segment: the short text of its kind, not the long one cut
        self.assertEqual(sms[0]["text"], "Кабинет сотрудника: заявка № %d отклонена" % self.number("E3", rid))
        self.assertLessEqual(len(sms[0]["text"]), 70)
        time.sleep(1)
        self.assertEqual([m for m in self.smtp.messages[mails:] if prefs["email_to"] in m["to"]], [])
        # the outbox keeps them as notices, not codes
        self.assertEqual(s.psql("SELECT DISTINCT kind FROM outbox WHERE recipient = '%s'" % prefs["sms_to"]),
                         "notification")
        # the in-app ones cannot be switched off; unknown values are refused
        r = o["E3"].put("/api/profile/notifications", {"in_app": False})
        self.assertEqual(r.status, 422, r)
        self.assertIn("in_app", r.json()["error"]["fields"])
        r = o["E3"].put("/api/profile/notifications", {"email": "может быть"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("email", r.json()["error"]["fields"])
        o["E3"].put("/api/profile/notifications", {"sms": False})

    def test_opting_in_without_an_address(self):
        o, s = self.o, self.s
        eid = add_employee(s, o.tid, "Безадресный Борис Борисович")
        uid = int(s.psql("INSERT INTO users (tenant_id, full_name, login, employee_id, status) VALUES "
                         "(%d, 'Безадресный Борис Борисович', 'bezadresa', %d, 'active') RETURNING id"
                         % (o.tid, eid)))
        c = Client(s, "izvest", *add_session(s, o.tid, uid))
        r = c.get("/api/profile/notifications")
        self.assertEqual(r.json()["email_to"], None)
        r = c.put("/api/profile/notifications", {"email": True, "sms": True})
        self.assertEqual(r.status, 422, r)
        fields = r.json()["error"]["fields"]
        self.assertIn("адреса электронной почты", fields["email"])
        self.assertIn("номера телефона", fields["sms"])
        self.assertEqual(c.get("/api/profile/notifications").json()["email"], False)

    def test_open_pages_hear_at_once(self):
        o, s = self.o, self.s
        pages = [EventStream(s, o["M"]) for _ in range(3)]
        other = EventStream(s, o["E3"])
        try:
            for p in pages + [other]:
                self.assertEqual(p.status, 200)
                self.assertTrue(p.headers["content-type"].startswith("text/event-stream"))
            unread = self.list("M", "?limit=0")["unread"]
            started = time.time()
            rid = self.file("E1", {"type": "vacation", "date_from": "2031-10-05", "date_to": "2031-10-09",
                                   "kind": "annual"})
            for p in pages:
                e = p.next()
                self.assertEqual(e["unread"], unread + 1)
            self.assertLess(time.time() - started, 5)
            newest = self.newest("M")
            self.assertEqual(e["latest"], newest["id"])
            self.assertEqual(newest["request_id"], rid)
            # another person's page heard nothing
            self.assertTrue(other.quiet())
            # marked read on one page: the others hear the new count
            r = o["M"].post("/api/notifications/read", {"ids": [newest["id"]]})
            self.assertEqual(r.status, 200, r)
            for p in pages:
                self.assertEqual(p.next()["unread"], unread)
        finally:
            for p in pages + [other]:
                p.close()

    def test_nobody_subscribes_to_anothers_channel(self):
        o, s = self.o, self.s
        # without a session: 401, JSON
        p = EventStream(s, Client(s, "izvest"))
        self.assertEqual(p.status, 401)
        self.assertEqual(json.loads(p.body)["error"]["code"], "unauthorized")
        # a session that does not exist
        p = EventStream(s, Client(s, "izvest", "x" * 43))
        self.assertEqual(p.status, 401)
        # another organization's session on this host: refused
        _, _, other = tenant_with_admin(s, "sosedi", "ООО «Соседи»")
        p = EventStream(s, Client(s, "izvest", other.token, other.csrf))
        self.assertNotEqual(p.status, 200)
        # the page cannot name a channel: the query and headers are ignored,
        # the channel is the session's
        named = "%du%d" % (o.tid, o.user["M"])
        listener = EventStream(s, o["E2"], path="/api/notifications/events?channel=%s&id=%s" % (named, named),
                               headers={"X-Cabinet-Channel": named})
        manager = EventStream(s, o["M"])
        try:
            self.assertEqual(listener.status, 200)
            self.file("E1", {"type": "vacation", "date_from": "2031-11-02", "date_to": "2031-11-06",
                             "kind": "annual"})
            manager.next()
            self.assertTrue(listener.quiet(1))  # M's event did not reach E2's stream
        finally:
            listener.close()
            manager.close()
        # the publisher is not on the site: nginx has no such path on the HTTP port
        r = s.http("POST", "/pub/%du%d" % (o.tid, o.user["M"]), body={"unread": 99},
                   host="izvest.localhost")
        self.assertEqual(r.status, 404, r)
        r = s.http("GET", "/internal/notifications/channel", host="izvest.localhost",
                   headers={"Cookie": "cabinet_session=" + o["M"].token})
        self.assertEqual(r.status, 404, r)


if __name__ == "__main__":
    unittest.main()
