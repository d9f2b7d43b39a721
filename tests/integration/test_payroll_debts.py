"""Payroll and timesheet findings of fixpay3 through the real stack:
the 24-hour rule of a day on the timesheet's fill."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, add_five_day_schedule, add_paid_employee, tenant_with_admin  # noqa: E402


def plain(text):
    return text.replace("\u00a0", " ")


class Debts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("debts").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "debts")
        cls.five = add_five_day_schedule(cls.s, cls.tid)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def post(self, path, body, status):
        r = self.admin.post(path, body)
        self.assertEqual(r.status, status, r)
        return r.json()

    def calculate(self, month, *eids):
        self.post("/api/admin/payroll/%s/calculate" % month, {"employees": list(eids)}, 200)

    def slip(self, eid, month):
        r = self.admin.get("/api/admin/payslips/%d/%s" % (eid, month))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_the_fill_keeps_a_day_within_24_hours(self):
        a = add_paid_employee(self.s, self.tid, "Сутками Олег Петрович", self.five, "2025-01-01")
        b = add_paid_employee(self.s, self.tid, "Вовремя Ирина Сергеевна", self.five, "2025-01-01")
        # the API refuses an overtime document beyond the day's 24 h (8 h planned + 17 h)...
        r = self.admin.post("/api/admin/deviations", {"employee_id": a, "code": "С", "date": "2025-03-12",
                                                      "hours": 17})
        self.assertEqual(r.status, 422, r)
        # ...but one made before that rule (or a schedule lengthened after it) stays
        self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, hours, "
                    "whole_day) VALUES (%d, %d, 4, '2025-03-12', '2025-03-12', 1700, false)" % (self.tid, a))
        before = self.s.psql("SELECT count(*) FROM timesheets WHERE tenant_id = %d" % self.tid)
        # the fill of everyone: refused naming the employee and the day, nothing written
        r = self.admin.post("/api/admin/timesheets/fill", {"month": "2025-03"})
        self.assertEqual(r.status, 422, r)
        err = r.json()["error"]
        self.assertEqual(plain(err["fields"]["employees.%d" % a]),
                         "Сутками Олег Петрович, 12.03.2025: по графику и документам-отклонениям за день "
                         "получается 25 ч, а в дне не больше 24 ч. Исправьте документ (сверхурочная работа, "
                         "работа в выходной) или график и заполните табель снова")
        self.assertNotIn("employees.%d" % b, err["fields"])
        self.assertIn("Табели за март 2025 г. не заполнены: у 1 сотрудника", err["message"])
        self.assertEqual(self.s.psql("SELECT count(*) FROM timesheets WHERE tenant_id = %d" % self.tid), before)
        # one employee's fill: the same refusal at month
        r = self.admin.post("/api/admin/timesheets/%d/2025-03/fill" % a, {})
        self.assertEqual(r.status, 422, r)
        self.assertIn("12.03.2025: по графику и документам-отклонениям за день получается 25 ч",
                      plain(r.json()["error"]["fields"]["month"]))
        self.assertEqual(self.s.psql("SELECT count(*) FROM timesheet_rows r JOIN timesheets t ON "
                                     "t.tenant_id = r.tenant_id AND t.id = r.timesheet_id WHERE "
                                     "t.tenant_id = %d AND t.employee_id = %d" % (self.tid, a)), "0")
        # the other employee's own fill is unaffected; once the document fits, everyone's fill works
        self.assertEqual(self.admin.post("/api/admin/timesheets/%d/2025-03/fill" % b, {}).status, 200)
        self.s.psql("UPDATE deviations SET hours = 1600 WHERE tenant_id = %d AND employee_id = %d AND "
                    "code = 4" % (self.tid, a))
        r = self.admin.post("/api/admin/timesheets/fill", {"month": "2025-03"})
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
