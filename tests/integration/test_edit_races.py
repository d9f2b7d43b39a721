"""Two partial edits of one record at the same moment (trial-break4 B1): the
admin forms' PUT and the exchange's PUT promise that left-out keys keep their
value, so two writers of different fields of one employee, organization or
the cabinet settings must both be kept, whichever commits first. Each race
is run many times, the two requests released together from two threads over
real HTTP; after each, the stored record must hold both changes. (Also one
person's notification channels from two pages.)"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, Stack, add_employee, add_session, add_user, \
    tenant_with_admin  # noqa: E402
from test_request_races import at_once  # noqa: E402

ROUNDS = 12


class EditRaces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("editraces").__enter__()
        cls.tid, _, cls.a = tenant_with_admin(cls.s, "pravki", "ООО «Правки»")
        uid = add_user(cls.s, cls.tid, "Второй Администратор", admin=True)
        cls.b = Client(cls.s, "pravki", *add_session(cls.s, cls.tid, uid))
        r = cls.a.post("/api/admin/api-keys", {"name": "Учёт", "scopes": ["staff"]})
        assert r.status == 201, r
        cls.key = r.json()["key"]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def exchange(self, items):
        return self.s.http("PUT", "/api/exchange/v1/employees", raw=json.dumps({"items": items}).encode(),
                           host="pravki.localhost", source="127.61.0.9",
                           headers={"Authorization": "Bearer " + self.key,
                                    "Content-Type": "application/json"})

    def employee(self, eid):
        r = self.a.get("/api/admin/employees/%d" % eid)
        self.assertEqual(r.status, 200, r)
        return r.json().get("employee", r.json())

    def race(self, first, second, stored, want):
        """Runs first(i) and second(i) together ROUNDS times; both answer 200
        and stored() equals want(i) after each round."""
        lost = []
        for i in range(ROUNDS):
            got = at_once(2, lambda k: (first, second)[k](i))
            self.assertEqual([g.status for g in got], [200, 200], got)
            if stored() != want(i):
                lost.append((i, stored(), want(i)))
        self.assertEqual(lost, [], "lost updates %d of %d" % (len(lost), ROUNDS))

    def test_employee_two_admins(self):
        eid = add_employee(self.s, self.tid, "Гонкина Вера Петровна", hired="2020-01-01")
        self.race(lambda i: self.a.put("/api/admin/employees/%d" % eid, {"phone": "+7916%07d" % i}),
                  lambda i: self.b.put("/api/admin/employees/%d" % eid, {"email": "vera%d@example.org" % i}),
                  lambda: (self.employee(eid)["phone"], self.employee(eid)["email"]),
                  lambda i: ("+7916%07d" % i, "vera%d@example.org" % i))

    def test_employee_exchange_and_admin(self):
        eid = add_employee(self.s, self.tid, "Обменов Олег Ильич", hired="2020-01-01",
                           external_id="zup-oleg")
        self.race(lambda i: self.exchange([{"external_id": "zup-oleg", "phone": "+7917%07d" % i}]),
                  lambda i: self.b.put("/api/admin/employees/%d" % eid, {"email": "oleg%d@example.org" % i}),
                  lambda: (self.employee(eid)["phone"], self.employee(eid)["email"]),
                  lambda i: ("+7917%07d" % i, "oleg%d@example.org" % i))

    def test_dismissal_and_exchange(self):
        """A dismissal is not undone by the accounting system's routine
        update of another field of the card."""
        eid = add_employee(self.s, self.tid, "Уходов Ян Петрович", hired="2020-01-01",
                           external_id="zup-yan")
        day = ["2026-12-%02d" % (i + 1) for i in range(ROUNDS)]
        self.race(lambda i: self.a.put("/api/admin/employees/%d" % eid, {"dismissed": day[i]}),
                  lambda i: self.exchange([{"external_id": "zup-yan", "phone": "+7918%07d" % i}]),
                  lambda: (self.employee(eid)["dismissed"], self.employee(eid)["phone"]),
                  lambda i: (day[i], "+7918%07d" % i))

    def test_organization_two_admins(self):
        r = self.a.post("/api/admin/organizations", {"name": "ООО «Гонка»"})
        self.assertEqual(r.status, 201, r)
        oid = r.json()["id"]

        def stored():
            o = [x for x in self.a.get("/api/admin/structure").json()["organizations"] if x["id"] == oid]
            return (o[0]["name"], o[0]["address"])
        self.race(lambda i: self.a.put("/api/admin/organizations/%d" % oid, {"name": "ООО «Гонка %d»" % i}),
                  lambda i: self.b.put("/api/admin/organizations/%d" % oid,
                                       {"address": "г. Москва, ул. Гонки, д. %d" % (i + 1)}),
                  stored, lambda i: ("ООО «Гонка %d»" % i, "г. Москва, ул. Гонки, д. %d" % (i + 1)))

    def test_department_cycle(self):
        """Two admins putting each of two departments under the other at
        once: one of them is refused, the tree never gets a cycle."""
        for i in range(ROUNDS):
            ids = []
            for k in range(2):
                r = self.a.post("/api/admin/departments", {"name": "Отдел %d-%d" % (i, k)})
                self.assertEqual(r.status, 201, r)
                ids.append(r.json()["id"])
            got = at_once(2, lambda k: (self.a, self.b)[k].put(
                "/api/admin/departments/%d" % ids[k], {"parent_id": ids[1 - k]}))
            self.assertEqual(sorted(g.status for g in got), [200, 422], got)
            bad = [g for g in got if g.status == 422][0]
            self.assertIn("замкнутый круг", bad.json()["error"]["fields"]["parent"])

    def test_cabinet_settings_two_admins(self):
        def stored():
            g = self.a.get("/api/admin/cabinets/settings").json()
            return (g["invitation_text"], g["auto_invite"])
        self.race(lambda i: self.a.put("/api/admin/cabinets/settings",
                                       {"invitation_text": "Приглашение %d: {ссылка}" % i}),
                  lambda i: self.b.put("/api/admin/cabinets/settings", {"auto_invite": i % 2 == 0}),
                  stored, lambda i: ("Приглашение %d: {ссылка}" % i, i % 2 == 0))

    def test_notification_preferences(self):
        """One person's two pages changing the two channels at once."""
        uid = add_user(self.s, self.tid, "Двухвкладкина Ирина", email="irina@example.org",
                       phone="+79160000042")
        me = Client(self.s, "pravki", *add_session(self.s, self.tid, uid))

        def stored():
            g = me.get("/api/profile/notifications").json()
            return (g["email"], g["sms"])
        self.race(lambda i: me.put("/api/profile/notifications", {"email": i % 2 == 0}),
                  lambda i: me.put("/api/profile/notifications", {"sms": i % 3 != 0}),
                  stored, lambda i: (i % 2 == 0, i % 3 != 0))


if __name__ == "__main__":
    unittest.main()
