"""An organization for the tests of requests and access: the structure, the
people with their cabinets and sessions, a five-day schedule and pay terms,
written straight into the database (as the tables' owner), and the routing
roles set through the API.

    H   Петров Пётр Петрович      head of the organization (and of nobody's department)
    M   Смирнова Анна Сергеевна   head of «Бухгалтерия» (D1)
    E1  Иванов Иван Иванович      D1: manager M
    E3  Соколова Елена Павловна   D1: manager M
    S   Зайцев Сергей Олегович    D1: M's substitute in the tests
    E2  Кузнецова Мария Олеговна  «Склад» (D2, no head): manager H
    P   Орлова Екатерина Николаевна  D2: performer of vacation, absence, personal_data,
                                  tax_deduction and the certificates
    C   Громова Нина Петровна     D2: the coordinator
    E4  Одинокий Олег Олегович    another organization without heads: no manager
    A   Админова Ольга            the administrator who connected the service (an employee
                                  without a department)
Every one of them has a signed-in cabinet (client.<key>).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, _fixture_sql, add_employee, add_session, add_tenant, add_user, \
    sql_quote  # noqa: E402

FIVE = "[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]"

PEOPLE = {
    "H": "Петров Пётр Петрович",
    "M": "Смирнова Анна Сергеевна",
    "E1": "Иванов Иван Иванович",
    "E3": "Соколова Елена Павловна",
    "S": "Зайцев Сергей Олегович",
    "E2": "Кузнецова Мария Олеговна",
    "P": "Орлова Екатерина Николаевна",
    "C": "Громова Нина Петровна",
    "E4": "Одинокий Олег Олегович",
    "A": "Админова Ольга Игоревна",
}


def add_row(stack, table, **cols):
    return int(_fixture_sql(stack, "INSERT INTO %s (%s) VALUES (%s) RETURNING id" % (
        table, ", ".join(cols), ", ".join(sql_quote(v) for v in cols.values()))))


class Org:
    def __init__(self, stack, subdomain, name, hired="2020-01-01"):
        s = self.s = stack
        self.sub = subdomain
        t = self.tid = add_tenant(s, subdomain, name)
        org = add_row(s, "organizations", tenant_id=t, name=name)
        org2 = add_row(s, "organizations", tenant_id=t, name=name + " (филиал)")
        d1 = add_row(s, "departments", tenant_id=t, name="Бухгалтерия", organization_id=org)
        d2 = add_row(s, "departments", tenant_id=t, name="Склад", organization_id=org)
        d4 = add_row(s, "departments", tenant_id=t, name="Филиал", organization_id=org2)
        where = {"H": (org, None), "M": (org, d1), "E1": (org, d1), "E3": (org, d1), "S": (org, d1),
                 "E2": (org, d2), "P": (org, d2), "C": (org, d2), "E4": (org2, d4), "A": (None, None)}
        sched = int(s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, pattern) VALUES "
                           "(%d, 'Пятидневка', 'week', 'calendar', '%s') RETURNING id" % (t, FIVE)))
        self.id, self.client, self.user = {}, {}, {}
        for n, (k, full_name) in enumerate(PEOPLE.items()):
            o, d = where[k]
            cols = {"personnel_number": "%s-%02d" % (subdomain[:3].upper(), n + 1), "hired": hired,
                    "email": "%s.%s@example.org" % (k.lower(), subdomain),
                    "phone": "+7900%07d" % (t * 100 + n)}
            if o:
                cols["organization_id"] = o
            if d:
                cols["department_id"] = d
            eid = self.id[k] = add_employee(s, t, full_name, **cols)
            s.psql("INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, date_from) "
                   "VALUES (%d, %d, %d, %s)" % (t, eid, sched, sql_quote(hired)))
            s.psql("INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by) "
                   "VALUES (%d, %d, %s, 60000, 'days')" % (t, eid, sql_quote(hired)))
            uid = self.user[k] = add_user(s, t, full_name, employee_id=eid, admin=(k == "A"),
                                          email=cols["email"])
            token, csrf = add_session(s, t, uid)
            self.client[k] = Client(s, subdomain, token, csrf)
        s.psql("UPDATE organizations SET head_id = %d WHERE id = %d" % (self.id["H"], org))
        s.psql("UPDATE departments SET head_id = %d WHERE id = %d" % (self.id["M"], d1))
        self.org, self.d1, self.d2 = org, d1, d2
        self.admin = self.client["A"]
        r = self.admin.put("/api/admin/routing", {"roles": {
            "coordinator": [self.id["C"]], "vacation": [self.id["P"]], "absence": [self.id["P"]],
            "personal_data": [self.id["P"]], "tax_deduction": [self.id["P"]],
            "certificate_employment": [self.id["P"]], "certificate_ndfl": [self.id["P"]],
            "certificate_vacation_balance": [self.id["P"]]}})
        assert r.status == 200, r

    def __getitem__(self, key):
        return self.client[key]

    def tasks(self, who, state=None):
        r = self.client[who].get("/api/tasks" + ("?state=%s" % state if state else ""))
        assert r.status == 200, r
        return r.json()["items"]

    def task(self, who, request_id, step):
        """The open task of the request for who, of the step; None when there is none."""
        for t in self.tasks(who):
            if t["request_id"] == request_id and t["step"] == step:
                return t["id"]
        return None
