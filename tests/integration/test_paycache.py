"""The payslip cache (core/paycache.h) through the real stack: a repeated
read is served by cabinetd (a change written behind its back stays unseen
until the TTL, which shows the cache is in use), a change made through the
site shows at the very next read (a payment, a reopened month, a month
recalculated after a change and closed again), and two employees each get
their own payslip however their reads interleave."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import (Client, Stack, add_five_day_schedule, add_paid_employee, add_session,  # noqa: E402
                   add_user, tenant_with_admin)

MONTH = "2017-04"


class PayslipCache(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("paycache").__enter__()
        s = cls.s
        cls.tid, _, cls.admin = tenant_with_admin(s, "slips")
        five = add_five_day_schedule(s, cls.tid)
        cls.ann = cls.employee(five, "Аннова Анна", "30000.00")
        cls.bob = cls.employee(five, "Борисов Борис", "45000.00")
        cls.emp_ann = cls.client(cls.ann)
        cls.emp_bob = cls.client(cls.bob)
        r = cls.admin.post("/api/admin/payroll/%s/calculate" % MONTH, {})
        assert r.status == 200, r
        r = cls.admin.post("/api/admin/payroll/%s/close" % MONTH)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    @classmethod
    def employee(cls, schedule, name, rate):
        return add_paid_employee(cls.s, cls.tid, name, schedule, "2016-01-01", rate=rate)

    @classmethod
    def client(cls, eid):
        uid = add_user(cls.s, cls.tid, "Сотрудник %d" % eid, employee_id=eid)
        token, csrf = add_session(cls.s, cls.tid, uid)
        return Client(cls.s, "slips", token, csrf)

    def slip(self, client, status=200):
        r = client.get("/api/payslips/%s" % MONTH)
        self.assertEqual(r.status, status, r)
        return r.json()

    def test_a_repeated_read_is_served_by_cabinetd_until_its_ttl(self):
        first = self.slip(self.emp_ann)
        self.assertEqual(first["employee"]["full_name"], "Аннова Анна")
        # behind cabinetd's back (psql, no flush): the cached answer is served
        self.s.psql("UPDATE employees SET full_name = 'Аннова-Петрова Анна' WHERE id = %d" % self.ann,
                    flush=False)
        try:
            self.assertEqual(self.slip(self.emp_ann), first)
            # ... until payslip_cache_ttl_s (5 s) has passed
            deadline = time.time() + 15
            while self.slip(self.emp_ann)["employee"]["full_name"] != "Аннова-Петрова Анна":
                self.assertLess(time.time(), deadline, "the cached payslip outlived its TTL")
                time.sleep(0.5)
        finally:
            self.s.psql("UPDATE employees SET full_name = 'Аннова Анна' WHERE id = %d" % self.ann)
        self.assertEqual(self.slip(self.emp_ann)["employee"]["full_name"], "Аннова Анна")

    def test_a_payment_shows_at_once(self):
        before = self.slip(self.emp_bob)
        self.assertEqual(self.slip(self.emp_bob), before)  # now from the cache
        self.assertEqual(before["paid"], "0.00")
        self.assertFalse(before["has_payments"])
        r = self.admin.post("/api/admin/payments", {"employee_id": self.bob, "date": "2017-05-05",
                                                    "kind": "salary"})
        self.assertEqual(r.status, 201, r)
        after = self.slip(self.emp_bob)
        self.assertEqual(after["paid"], before["net"])
        self.assertEqual(after["balance"], "0.00")
        self.assertEqual([(p["date_ru"], p["title"]) for p in after["payments"]],
                         [("05.05.2017", "Зарплата")])
        # and the payment taken back
        pid = int(self.s.psql("SELECT id FROM payroll_payments WHERE employee_id = %d" % self.bob))
        r = self.admin.request("DELETE", "/api/admin/payments/%d" % pid)
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.slip(self.emp_bob)["paid"], "0.00")

    def test_a_reopened_and_recalculated_month_shows_at_once(self):
        before = self.slip(self.emp_ann)
        self.assertEqual(self.slip(self.emp_ann), before)  # now from the cache
        self.assertEqual(self.admin.post("/api/admin/payroll/%s/reopen" % MONTH).status, 200)
        try:
            # a draft again: the employee no longer sees it
            r = self.emp_ann.get("/api/payslips/%s" % MONTH)
            self.assertEqual(r.status, 404, r)
            self.assertIn("ещё не сформирован", r.json()["error"]["message"])
            # a raised rate (written behind cabinetd, no flush: what drops
            # the cached answer is the recalculation and the close, made
            # through the site)
            self.s.psql("UPDATE employee_pay SET rate = 36000.00 WHERE employee_id = %d" % self.ann,
                        flush=False)
            r = self.admin.post("/api/admin/payroll/%s/calculate" % MONTH, {})
            self.assertEqual(r.status, 200, r)
        finally:
            self.assertEqual(self.admin.post("/api/admin/payroll/%s/close" % MONTH).status, 200)
        after = self.slip(self.emp_ann)
        self.assertEqual(after["accrued"], "36000.00")
        self.assertNotEqual(after["accrued"], before["accrued"])

    def test_two_employees_never_see_each_others_payslip(self):
        for _ in range(5):
            for client, eid, name in ((self.emp_ann, self.ann, "Аннова Анна"),
                                      (self.emp_bob, self.bob, "Борисов Борис")):
                slip = self.slip(client)
                self.assertEqual(slip["employee"]["id"], eid)
                self.assertEqual(slip["employee"]["full_name"], name)
        ann, bob = self.slip(self.emp_ann), self.slip(self.emp_bob)
        self.assertNotEqual(ann["accrued"], bob["accrued"])
        # another employee's payslip is not reachable by any path
        self.assertEqual(self.emp_ann.get("/api/admin/payslips/%d/%s" % (self.bob, MONTH)).status, 403)


if __name__ == "__main__":
    unittest.main()
