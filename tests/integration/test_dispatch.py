"""The dispatcher's rules through the real stack: every operation's declared
arguments (system.ops) drive a generated test that sends a wrong-typed and an
over-long value for every optional argument of every write operation and
checks 422 naming that argument and an unchanged database; a request that
recorded a field error writes nothing, whatever its handler did; the defects
that showed it (a schedule with "kind": 7, a deviation with "note": 12345,
...); dates typed as DD.MM.YYYY."""
import json
import os
import socket
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, add_employee, frame, read_frame, tenant_with_admin  # noqa: E402

FIVE_DAY = [{"hours": 8}] * 5 + [{"hours": 0}] * 2

# A value of the wrong type for each declared type (system.ops names them).
WRONG = {
    "int": ["не число", 1.5],
    "string": [12345],
    "bool": ["yes"],
    "date": ["31.02.2025", 20250101],
    "month": ["2025-13"],
    "money": ["много"],
    "hours": ["восемь"],
    "enum": ["нет-такого"],
    "object": [5],
    "array": [5],
}
# The codes of the declared checks (core/args.h), as opposed to a handler's.
DECLARED_CODES = {"type", "invalid", "too_long", "date", "month", "money", "hours", "control",
                  "encoding"}
# Longer strings than this would not fit a frame (max_request = 1m): the
# frame cap guards them, not the declaration.
FRAME_FIT = 300000


def fingerprint(stack):
    """Rows and an md5 of the contents of every table: what "nothing was
    written" means."""
    gen = stack.psql(
        "SELECT string_agg(format('SELECT %L AS t, count(*) AS n, md5(coalesce(string_agg(x::text, "
        "E''\\n'' ORDER BY x::text), '''')) AS h FROM %I.%I x', c.relname, n.nspname, c.relname), "
        "' UNION ALL ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'")
    return stack.psql(gen)


class Core:
    """One connection to the core socket, as a responder has."""

    def __init__(self, stack):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(30)
        self.sock.connect(stack.core_socket())
        self.fid = 0

    def call(self, op, args=None, auth=None):
        self.fid += 1
        self.sock.sendall(frame(1, self.fid, {"id": self.fid, "op": op, "args": args or {},
                                              "auth": auth or {}}))
        f = read_frame(self.sock)
        assert f is not None, "the core closed the connection on %s" % op
        return json.loads(f["payload"])

    def close(self):
        self.sock.close()


class Dispatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("dispatch").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "dispetcher", "ООО «Диспетчер»")
        cls.emp = add_employee(cls.s, cls.tid, "Иванов Иван Иванович", personnel_number="0001",
                               hired="2020-01-01")
        cls.core = Core(cls.s)

    @classmethod
    def tearDownClass(cls):
        cls.core.close()
        cls.s.__exit__(None, None, None)

    def auth_for(self, access):
        if access in ("anyone", "operator"):
            return {"host": "localhost", "ip": "127.0.0.1"}
        return {"host": "%s.localhost" % self.admin.subdomain, "ip": "127.0.0.1",
                "session": self.admin.token, "via": "bearer"}

    def ops(self):
        r = self.core.call("system.ops")
        self.assertEqual(r["status"], 200, r)
        return r["result"]["ops"]

    # ------------------------------------------------ the generated test

    def test_declarations_are_complete(self):
        ops = self.ops()
        names = {op["name"] for op in ops}
        # the operations the API's routes name are all there, with their arguments
        for name in ("schedules.create", "deviations.create", "calendars.copy", "payterms.set",
                     "schedules.update", "connect.request", "auth.login", "system.ops"):
            self.assertIn(name, names)
        for op in ops:
            for a in op["args"]:
                if a["required"]:
                    self.assertIn("example", a, "%s.%s has no example" % (op["name"], a["name"]))

    def test_every_optional_argument_of_every_write_is_refused_whole(self):
        ops = [op for op in self.ops() if "write" in op["flags"]]
        self.assertGreater(len(ops), 30)
        tried = 0
        for op in ops:
            base = {a["name"]: a["example"] for a in op["args"] if a["required"]}
            auth = self.auth_for(op["access"])
            bad = []
            for a in op["args"]:
                if a["required"]:
                    continue
                values = list(WRONG[a["type"]])
                if a["type"] == "string" and a["max_length"] < FRAME_FIT:
                    values.append("я" * (a["max_length"] + 1))
                if a["type"] == "array" and "max" in a and a["max"] < 100000:
                    values.append([0] * (a["max"] + 1))
                if a["type"] in ("array", "object") and a.get("or_text"):
                    values = [v for v in values if not isinstance(v, str)]
                bad += [(a["name"], v) for v in values]
            if not bad:
                continue
            before = fingerprint(self.s)
            for name, value in bad:
                args = dict(base)
                args[name] = value
                r = self.core.call(op["name"], args, auth)
                what = "%s %s=%r" % (op["name"], name, value if len(repr(value)) < 60 else "…")
                self.assertEqual(r["status"], 422, "%s: %s" % (what, r))
                # the declared check names the argument (its first problem is
                # the one shown); the handler may add problems of its own
                codes = r["error"].get("field_codes", {})
                self.assertIn(codes.get(name), DECLARED_CODES, "%s: %s" % (what, r["error"]))
                tried += 1
            self.assertEqual(fingerprint(self.s), before, "%s changed the database" % op["name"])
        self.assertGreater(tried, 60)

    # ---------------------------------------------- the rule, the defects

    def count(self, sql):
        return int(self.s.psql(sql))

    def test_a_handler_that_reports_a_field_error_keeps_nothing(self):
        # the debug operation writes an audit row, records a field error and
        # returns 0 with status 201, as a careless handler would
        r = self.core.call("debug.write_field_error", {}, self.auth_for("admin"))
        self.assertEqual(r["status"], 422, r)
        self.assertIn("note", r["error"]["fields"])
        self.assertEqual(self.count("SELECT count(*) FROM audit_log WHERE action = 'debug.written'"), 0)

    def test_schedule_with_a_wrong_kind_is_not_stored(self):
        q = "SELECT count(*) FROM schedules WHERE tenant_id = %d" % self.tid
        audit = "SELECT count(*) FROM audit_log WHERE action = 'schedules.created'"
        n, a = self.count(q), self.count(audit)
        r = self.admin.post("/api/admin/schedules", {"name": "Вид 7", "kind": 7, "days": FIVE_DAY})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"], {"kind": "Вид графика: week или cycle"})
        self.assertEqual((self.count(q), self.count(audit)), (n, a))

    def test_schedule_update_with_a_bad_field_saves_nothing(self):
        r = self.admin.post("/api/admin/schedules", {"name": "До правки", "days": FIVE_DAY})
        self.assertEqual(r.status, 201, r)
        sid = r.json()["schedule"]["id"]
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "После правки", "holidays": 5,
                                                             "days": FIVE_DAY})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(list(r.json()["error"]["fields"]), ["holidays"])
        self.assertEqual(self.admin.get("/api/admin/schedules/%d" % sid).json()["schedule"]["name"],
                         "До правки")
        # "yes" is not a boolean: it does not un-archive (or archive) anything
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "До правки", "archived": True,
                                                             "days": FIVE_DAY})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["schedule"]["archived"])
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "До правки", "archived": "yes",
                                                             "days": FIVE_DAY})
        self.assertEqual(r.status, 422, r)
        self.assertIn("archived", r.json()["error"]["fields"])
        self.assertTrue(self.admin.get("/api/admin/schedules/%d" % sid).json()["schedule"]["archived"])
        # what an HTML checkbox sends
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "До правки", "archived": "false",
                                                             "days": FIVE_DAY})
        self.assertFalse(r.json()["schedule"]["archived"])
        r = self.admin.put("/api/admin/schedules/%d" % sid, {"name": "До правки", "archived": "on",
                                                             "days": FIVE_DAY})
        self.assertTrue(r.json()["schedule"]["archived"])

    def test_deviation_with_a_numeric_note_is_not_stored(self):
        q = "SELECT count(*) FROM deviations WHERE tenant_id = %d" % self.tid
        n = self.count(q)
        r = self.admin.post("/api/admin/deviations", {"employee_id": self.emp, "code": "Б",
                                                      "date_from": "2025-02-03", "date_to": "2025-02-04",
                                                      "note": 12345})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(list(r.json()["error"]["fields"]), ["note"])
        self.assertEqual(self.count(q), n)

    def test_calendar_copy_with_a_long_region_is_not_stored(self):
        q = "SELECT count(*) FROM calendars WHERE tenant_id = %d" % self.tid
        n = self.count(q)
        r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Длинный регион", "region": "р" * 201})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"]["region"], "too_long")
        self.assertEqual(self.count(q), n)

    def test_pay_terms_with_a_numeric_norm_are_not_stored(self):
        q = "SELECT count(*) FROM employee_pay WHERE tenant_id = %d" % self.tid
        n = self.count(q)
        r = self.admin.post("/api/admin/employees/%d/pay" % self.emp, {
            "date_from": "2025-01-01", "rate": "30000.00", "pay_by": "days", "norm": 5})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(list(r.json()["error"]["fields"]), ["norm"])
        self.assertEqual(self.count(q), n)

    def test_admin_form_with_a_long_note_stores_nothing_and_says_so(self):
        q = "SELECT count(*) FROM deviations WHERE tenant_id = %d" % self.tid
        n = self.count(q)
        form = urllib.parse.urlencode({
            "_csrf": self.admin.csrf, "employee_id": str(self.emp), "code": "НН",
            "date_from": "2025-03-03", "date_to": "2025-03-03", "date": "", "hours": "",
            "note": "з" * 600}).encode()
        r = self.admin.request("POST", "/admin/deviations", raw=form,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Не длиннее 500 символов", r.text)
        self.assertEqual(self.count(q), n)

    # ------------------------------------------------------- DD.MM.YYYY

    def test_dates_typed_as_people_write_them(self):
        r = self.admin.post("/api/admin/deviations", {"employee_id": self.emp, "code": "ОТ",
                                                      "date_from": "01.09.2025", "date_to": "14.09.2025"})
        self.assertEqual(r.status, 201, r)
        d = r.json()["deviation"]
        self.assertEqual((d["date_from"], d["date_to"]), ("2025-09-01", "2025-09-14"))
        # in a query string, and inside a list of days
        r = self.admin.get("/api/admin/employees/%d/vacation-balance?date=31.12.2025" % self.emp)
        self.assertEqual(r.status, 200, r)
        r = self.admin.put("/api/admin/timesheets/%d/2025-10" % self.emp, {"days": [
            {"date": "01.10.2025", "rows": [{"code": "Я", "hours": 8}]}]})
        self.assertEqual(r.status, 200, r)
        r = self.admin.post("/api/admin/employees/%d/pay" % self.emp, {
            "date_from": "01.01.2025", "rate": 45000, "pay_by": "days"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["terms"][-1]["date_from"], "2025-01-01")
        self.assertEqual(r.json()["terms"][-1]["rate"], "45000.00")
        r = self.admin.post("/api/admin/deviations", {"employee_id": self.emp, "code": "ОТ",
                                                      "date_from": "31.09.2025", "date_to": "01.10.2025"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("ДД.ММ.ГГГГ", r.json()["error"]["fields"]["date_from"])


if __name__ == "__main__":
    unittest.main()
