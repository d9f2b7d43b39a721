"""The dispatcher's rules through the real stack: every operation's declared
arguments (system.ops) drive a generated test that sends a wrong-typed and an
over-long value for every optional argument of every write operation and
checks 422 naming that argument and an unchanged database; a request that
recorded a field error writes nothing, whatever its handler did; the defects
that showed it (a schedule with "kind": 7, a deviation with "note": 12345,
...); dates typed as DD.MM.YYYY; text that is not UTF-8 refused where it
enters, naming the field or the line, and calendar files in Windows-1251 or
with a byte-order mark converted; Idempotency-Key (concurrent twins, the
key's form, another body, keys of /api/connect per client address, keys
stored before, expiry)."""
import http.client
import json
import os
import re
import socket
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack, add_employee, frame, read_frame, tenant_with_admin  # noqa: E402

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
DECLARED_CODES = {"type", "invalid", "too_long", "date", "month", "money", "hours", "control", "invisible",
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
        cls.tid, uid, cls.admin = tenant_with_admin(cls.s, "dispetcher", "ООО «Диспетчер»")
        # the caller holds every role an operation may declare (core/access.h):
        # an employee who heads a department and performs a routing role
        boss = add_employee(cls.s, cls.tid, "Руководитель Диспетчерской")
        cls.s.psql("UPDATE users SET employee_id = %d WHERE id = %d" % (boss, uid))
        cls.s.psql("INSERT INTO departments (tenant_id, name, head_id) VALUES (%d, 'Диспетчерская', %d)"
                   % (cls.tid, boss))
        cls.s.psql("INSERT INTO routing_performers (tenant_id, role, employee_id) VALUES "
                   "(%d, 'coordinator', %d)" % (cls.tid, boss))
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
        if access == "exchange":
            if not hasattr(self, "key"):
                r = self.admin.post("/api/admin/api-keys", {"name": "диспетчер"})
                self.assertEqual(r.status, 201, r)
                type(self).key = r.json()["key"]
            return {"host": "%s.localhost" % self.admin.subdomain, "ip": "127.0.0.1",
                    "session": self.key, "via": "bearer"}
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
                # an upload's file name is told at the form's field "file",
                # the part a client sends it with (ARG_ROW_FILE_NAME)
                field = "file" if name == "filename" else name
                self.assertIn(codes.get(field), DECLARED_CODES, "%s: %s" % (what, r["error"]))
                tried += 1
            self.assertEqual(fingerprint(self.s), before, "%s changed the database" % op["name"])
        self.assertGreater(tried, 60)

    def nested_fields(self, decl, value, name):
        """(field name, path into value, member declaration) of every field that
        decl's items declare inside value, its example: the first element's
        members (or the first element) of an array, an object's members,
        recursively."""
        for m in decl.get("items", []):
            if decl["type"] == "array":
                path, field = [0], "%s[0]" % name
                if m["name"]:
                    path, field = [0, m["name"]], "%s[0].%s" % (name, m["name"])
            else:
                path, field = [m["name"]], "%s.%s" % (name, m["name"])
            yield field, path, m
            inner = value
            for step in path:
                inner = inner[step] if isinstance(inner, list) or step in inner else None
                if inner is None:
                    break
            if inner is not None and m.get("items"):
                for f, p, mm in self.nested_fields(m, inner, field):
                    yield f, path + p, mm

    def test_every_nested_field_of_every_write_is_refused_whole(self):
        """The members of arrays' elements and of objects (days[0].title,
        days[0].rows[0].code, employees[0], responsible.email) are declared
        as well: each gets a wrong-typed and an over-long value."""
        ops = [op for op in self.ops() if "write" in op["flags"]]
        tried, ops_tried = 0, set()
        for op in ops:
            base = {a["name"]: a["example"] for a in op["args"] if a["required"]}
            auth = self.auth_for(op["access"])
            bad = []
            for a in op["args"]:
                if not a.get("items"):
                    continue
                self.assertIn("example", a, "%s.%s declares items but has no example" % (op["name"], a["name"]))
                for field, path, m in self.nested_fields(a, a["example"], a["name"]):
                    values = list(WRONG[m["type"]])
                    if m["type"] == "string" and m["max_length"] < FRAME_FIT:
                        values.append("я" * (m["max_length"] + 1))
                    if m["type"] == "array" and "max" in m and m["max"] < 100000:
                        values.append([0] * (m["max"] + 1))
                    for v in values:
                        example = json.loads(json.dumps(a["example"]))
                        at = example
                        for step in path[:-1]:
                            at = at[step]
                        at[path[-1]] = v
                        bad.append((a["name"], example, field, v))
            if not bad:
                continue
            before = fingerprint(self.s)
            for name, value, field, v in bad:
                args = dict(base)
                args[name] = value
                r = self.core.call(op["name"], args, auth)
                what = "%s %s=%r" % (op["name"], field, v if len(repr(v)) < 60 else "…")
                self.assertEqual(r["status"], 422, "%s: %s" % (what, r))
                codes = r["error"].get("field_codes", {})
                self.assertIn(codes.get(field), DECLARED_CODES, "%s: %s" % (what, r["error"]))
                tried += 1
                ops_tried.add(op["name"])
            self.assertEqual(fingerprint(self.s), before, "%s changed the database" % op["name"])
        # the operations whose nested fields people type
        self.assertLessEqual({"calendars.edit", "schedules.create", "schedules.update",
                              "schedules.individual_put", "timesheets.save", "deductions.children_set",
                              "payroll.calculate", "connect.request", "requests.create",
                              "opening_balance.set", "cabinets.create", "cabinets.invite",
                              "notifications.read"}, ops_tried)
        self.assertGreater(tried, 40)

    def test_a_calendar_day_with_a_bad_title_is_not_stored(self):
        path = "/api/admin/calendars/0/years/2025"
        before = self.admin.get(path).json()
        for day in ({"date": "2025-03-10", "kind": "holiday", "title": "Д" * 201},
                    {"date": "2025-03-10", "kind": "holiday", "title": 12345},
                    {"date": "2025-03-10", "kind": "holiday", "title": "День\u0007"},
                    {"date": "2025-03-10", "kind": "work", "short": "yes"}):
            r = self.admin.put(path, {"days": [day]})
            self.assertEqual(r.status, 422, (day, r))
            field = "days[0].%s" % ("short" if "short" in day else "title")
            self.assertIn(field, r.json()["error"]["fields"], r.json())
        self.assertEqual(self.admin.get(path).json(), before)

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

    def test_an_operation_that_does_not_declare_write_cannot_write(self):
        # a reading operation runs read-only: one that writes by mistake
        # (and would pass without the CSRF token, which only writes need)
        # fails, and nothing of it is kept
        q = "SELECT count(*) FROM audit_log WHERE action = 'debug.written_unflagged'"
        ops = {op["name"]: op for op in self.ops()}
        self.assertNotIn("write", ops["debug.write_unflagged"]["flags"])
        r = self.core.call("debug.write_unflagged", {}, self.auth_for("admin"))
        self.assertEqual(r["status"], 500, r)
        self.assertEqual(self.count(q), 0)

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

    def test_a_salary_of_nothing_is_refused(self):
        q = "SELECT count(*) FROM employee_pay WHERE tenant_id = %d" % self.tid
        n = self.count(q)
        for rate in ("0", "0.00", "-1"):
            r = self.admin.post("/api/admin/employees/%d/pay" % self.emp, {
                "date_from": "2025-01-01", "rate": rate, "pay_by": "days"})
            self.assertEqual(r.status, 422, (rate, r))
            self.assertIn("больше нуля", r.json()["error"]["fields"]["rate"])
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
        # the day the month has not is named as such; a date typed otherwise
        # is told the format
        self.assertIn("Такой даты нет в календаре", r.json()["error"]["fields"]["date_from"])
        r = self.admin.post("/api/admin/deviations", {"employee_id": self.emp, "code": "ОТ",
                                                      "date_from": "01/09/2025", "date_to": "01.10.2025"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("ДД.ММ.ГГГГ", r.json()["error"]["fields"]["date_from"])
        # the same words in a query string and in a payment's date
        r = self.admin.get("/api/admin/employees/%d/vacation-balance?date=31.02.2026" % self.emp)
        self.assertEqual(r.status, 422, r)
        self.assertIn("Такой даты нет в календаре", r.json()["error"]["fields"]["date"])



    # ------------------------------------------------------ encodings

    def calendar_file(self, year=2025):
        with open(os.path.join(ROOT, "sql", "calendars", "ru", "%d.xml" % year), encoding="utf-8") as f:
            return f.read()

    def import_file(self, data, cid=0, multipart=False):
        if not multipart:
            return self.admin.post("/api/admin/calendars/%d/import" % cid, raw=data,
                                   headers={"Content-Type": "application/xml"})
        boundary = "----cabinet-encoding-test"
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cal.xml\"\r\n"
                 "Content-Type: application/xml\r\n\r\n" % boundary).encode() + data +
                ("\r\n--%s--\r\n" % boundary).encode())
        return self.admin.post("/api/admin/calendars/%d/import" % cid, raw=body,
                               headers={"Content-Type": "multipart/form-data; boundary=" + boundary})

    def titles(self, answer):
        return {d.get("title") for m in answer["months"] for d in m["days"] if d.get("title")}

    def test_calendar_files_in_windows_1251_or_with_a_byte_order_mark(self):
        r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Кодировки"})
        self.assertEqual(r.status, 201, r)
        cid = r.json()["calendar"]["id"]
        text = self.calendar_file().replace("Новогодние каникулы", "Новогодние каникулы (Ёлка)")
        cp1251 = text.replace('encoding="UTF-8"', 'encoding="windows-1251"').encode("cp1251")
        self.assertIn("Ёлка".encode("cp1251"), cp1251)
        for name, data, multipart in (
                ("windows-1251", cp1251, False),
                ("windows-1251 as a form upload", cp1251, True),
                ("utf-8 with a byte-order mark", b"\xef\xbb\xbf" + text.encode(), False),
                ("utf-16 le with a byte-order mark", text.encode("utf-16"), True),
                ("utf-16 be with a byte-order mark", b"\xfe\xff" + text.encode("utf-16-be"), False)):
            r = self.import_file(data, cid, multipart)
            self.assertEqual(r.status, 200, (name, r))
            self.assertIn("Новогодние каникулы (Ёлка)", self.titles(r.json()), name)
            self.s.psql("DELETE FROM calendar_years WHERE calendar_id = %d" % cid)
        stored = self.admin.get("/api/admin/calendars/%d/years/2025" % cid)
        self.assertEqual(stored.status, 200, stored)

    def test_a_file_that_is_not_in_its_encoding_is_refused_naming_the_line(self):
        lines = self.calendar_file().split("\n")
        self.assertIn("Рождество", lines[4])
        # declared UTF-8 (or nothing), yet line 5 is in Windows-1251
        bad = "\n".join(lines[:4]).encode() + b"\n" + lines[4].encode("cp1251") + b"\n" + \
            "\n".join(lines[5:]).encode()
        for data in (bad, bad.replace(b' encoding="UTF-8"', b"")):
            r = self.import_file(data)
            self.assertEqual(r.status, 422, r)
            e = r.json()["error"]
            self.assertEqual(e["field_codes"], {"file": "encoding"})
            self.assertIn("Строка 5", e["fields"]["file"])
            self.assertIn("UTF-8", e["fields"]["file"])
        # an encoding it cannot take
        koi = self.calendar_file().replace('encoding="UTF-8"', 'encoding="koi8-r"').encode("koi8-r")
        r = self.import_file(koi)
        self.assertEqual(r.status, 422, r)
        self.assertIn("Строка 1", r.json()["error"]["fields"]["file"])
        self.assertIn("Windows-1251", r.json()["error"]["fields"]["file"])
        # a byte Windows-1251 does not have
        r = self.import_file(self.calendar_file().replace('encoding="UTF-8"', 'encoding="windows-1251"')
                             .encode("cp1251").replace(b"<holidays>", b"<holidays>\x98"))
        self.assertEqual(r.status, 422, r)
        self.assertIn("Строка 3", r.json()["error"]["fields"]["file"])

    def test_query_and_form_fields_that_are_not_utf8_are_named(self):
        r = self.admin.get("/api/admin/users?q=%C0%E1%E2")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"], {"q": "encoding"})
        r = self.admin.request("POST", "/api/admin/calendars/0/copy", raw=b"name=%C0%E1%E2&region=16",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"], {"name": "encoding"})
        self.assertEqual(self.count("SELECT count(*) FROM calendars WHERE region = '16' AND tenant_id = %d"
                                    % self.tid), 0)
        # a text part of a multipart form
        boundary = "----cabinet-encoding-part"
        body = ("--%s\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n" % boundary).encode() + \
            b"\xc0\xe1" + ("\r\n--%s--\r\n" % boundary).encode()
        r = self.admin.post("/api/admin/calendars/0/import", raw=body,
                            headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"], {"year": "encoding"})
        # the admin pages say which field
        form = b"_csrf=" + self.admin.csrf.encode() + b"&employee_id=1&code=%C1&date_from=2025-01-01"
        r = self.admin.request("POST", "/admin/deviations", raw=form,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Поле «code»: текст не в кодировке UTF-8", r.text)
        # JSON is UTF-8 by definition: other bytes are a bad request
        r = self.admin.request("POST", "/api/admin/calendars/0/copy", raw=b'{"name": "\xc0\xe1"}',
                               headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        self.assertIn("UTF-8", r.json()["error"]["message"])

    def post_json(self, path, raw, method="POST", headers=None):
        return self.admin.request(method, path, raw=raw.encode(),
                                  headers=dict({"Content-Type": "application/json"}, **(headers or {})))

    def test_a_member_named_twice_is_refused_naming_it(self):
        """json-c keeps the last of {"name": 1, "name": 2}: the API refuses
        it (422, the field named, nothing written), nested ones by their
        path, in an exchange batch too."""
        regions = "SELECT count(*) FROM calendars WHERE tenant_id = %d AND region = '%s'"
        r = self.post_json("/api/admin/calendars/0/copy",
                           '{"name": "Первый", "region": "91", "name": "Второй"}')
        self.assertEqual(r.status, 422, r)
        e = r.json()["error"]
        self.assertEqual((e["code"], e["field_codes"]), ("validation", {"name": "duplicate"}))
        self.assertIn("«name»", e["message"])
        self.assertIn("дважды", e["fields"]["name"])
        self.assertEqual(self.count(regions % (self.tid, "91")), 0)
        # the same name by an escape is the same member
        r = self.post_json("/api/admin/calendars/0/copy",
                           '{"name": "Первый", "region": "92", "n\\u0061me": "Второй"}')
        self.assertEqual((r.status, r.json()["error"]["field_codes"]), (422, {"name": "duplicate"}), r)
        self.assertEqual(self.count(regions % (self.tid, "92")), 0)
        # nested: named by its path
        r = self.post_json("/api/admin/schedules", '{"name": "Дубль", "kind": "cycle", "cycle_start": '
                           '"2025-01-01", "days": [{"hours": 8}, {"hours": 8, "night": 0, "hours": 0}]}')
        self.assertEqual((r.status, r.json()["error"]["field_codes"]),
                         (422, {"days[1].hours": "duplicate"}), r)
        self.assertEqual(self.count("SELECT count(*) FROM schedules WHERE tenant_id = %d AND name = "
                                    "'Дубль'" % self.tid), 0)
        # the same keys in different objects are fine
        r = self.post_json("/api/admin/calendars/0/copy", '{"name": "Дубли-93", "region": "93"}')
        self.assertEqual(r.status, 201, r)
        # an exchange batch: the item's field, by index
        auth = self.auth_for("exchange")
        r = self.s.http("PUT", "/api/exchange/v1/employees", host=auth["host"], raw=(
            '{"items": [{"external_id": "dup-1", "full_name": "Петров Пётр Петрович", '
            '"full_name": "Сидоров Сидор Сидорович"}]}').encode(),
            headers={"Authorization": "Bearer " + auth["session"], "Content-Type": "application/json"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"].get("items[0].full_name"), "duplicate", r)
        self.assertEqual(self.count("SELECT count(*) FROM employees WHERE tenant_id = %d AND "
                                    "external_id = 'dup-1'" % self.tid), 0)

    def test_invisible_characters_are_refused_naming_the_field(self):
        """Bidi controls and zero-width characters spoof names, comments and
        file names on pages and in PDFs: refused where text enters; Cyrillic,
        ё, punctuation and emoji stay."""
        regions = "SELECT count(*) FROM calendars WHERE tenant_id = %d AND region = '%s'"
        for ch, region in (("\u202e", "94"), ("\u2067", "95"), ("\u200b", "96"), ("\u200f", "97")):
            r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Счёт" + ch + "fdp.exe",
                                                                "region": region})
            self.assertEqual(r.status, 422, (ch, r))
            e = r.json()["error"]
            self.assertEqual(e["field_codes"], {"name": "invisible"}, r)
            self.assertIn("U+%04X" % ord(ch), e["fields"]["name"])
            self.assertEqual(self.count(regions % (self.tid, region)), 0)
        # an upload's file name
        boundary = "----cabinet-bidi-name"
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cal\u202egmx.xml\"\r\n"
                 "Content-Type: application/xml\r\n\r\n" % boundary).encode() +
                self.calendar_file().encode() + ("\r\n--%s--\r\n" % boundary).encode())
        r = self.admin.post("/api/admin/calendars/0/import", raw=body,
                            headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual((r.status, r.json()["error"]["field_codes"]), (422, {"file": "invisible"}), r)
        # the exchange's fields
        auth = self.auth_for("exchange")
        r = self.s.http("PUT", "/api/exchange/v1/employees", host=auth["host"], raw=json.dumps(
            {"items": [{"external_id": "bidi-1", "full_name": "Петров\u202e Пётр"}]}).encode(),
            headers={"Authorization": "Bearer " + auth["session"], "Content-Type": "application/json"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("U+202E", json.dumps(r.json()["error"], ensure_ascii=False))
        # ordinary text stays
        r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Ёлкино, «№ 5» — 👨\u200d💻",
                                                            "region": "98"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.count(regions % (self.tid, "98")), 1)


class Idempotency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("idempotency").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "povtor", "ООО «Повтор»")
        cls.emp = add_employee(cls.s, cls.tid, "Петров Пётр Петрович", hired="2020-01-01")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def schedule(self, name, key, **kw):
        body = {"name": name, "days": FIVE_DAY}
        body.update(kw)
        return self.admin.post("/api/admin/schedules", body, headers={"Idempotency-Key": key})

    def count(self, name):
        return int(self.s.psql("SELECT count(*) FROM schedules WHERE tenant_id = %d AND name = '%s'"
                               % (self.tid, name)))

    def psql_session(self):
        return self.s.psql_session()

    def wait_for(self, sql, what, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if int(self.s.psql(sql)) > 0:
                return
            time.sleep(0.02)
        self.fail("waited in vain for " + what)

    def waiting_on(self, query_start):
        return ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%s%%'"
                % query_start)

    def test_the_same_key_again_answers_the_same(self):
        a = self.schedule("Повтор А", "key-a")
        b = self.schedule("Повтор А", "key-a")
        self.assertEqual((a.status, b.status), (201, 201), b)
        self.assertEqual(a.json(), b.json())
        self.assertEqual(b.headers.get("Idempotent-Replayed"), "true")
        self.assertIsNone(a.headers.get("Idempotent-Replayed"))
        self.assertEqual(self.count("Повтор А"), 1)
        # without a key, the same body is a new request (and the name is taken)
        self.assertEqual(self.admin.post("/api/admin/schedules", {"name": "Повтор А", "days": FIVE_DAY}).status,
                         422)

    def test_a_concurrent_twin_waits_and_gets_the_first_answer(self):
        # the first request takes the key, then waits on a lock of the table
        # it writes; its twin must wait on the key, not fail with 409 or
        # make a second schedule
        locker = self.psql_session()
        try:
            locker.stdin.write("BEGIN; LOCK TABLE schedules IN EXCLUSIVE MODE;\n")
            locker.stdin.flush()
            self.wait_for("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                          "WHERE c.relname = 'schedules' AND l.mode = 'ExclusiveLock' AND l.granted",
                          "the table lock")
            answers = [None, None]

            def post(i):
                answers[i] = self.schedule("Двойник", "twin-1")

            first = threading.Thread(target=post, args=(0,))
            first.start()
            self.wait_for(self.waiting_on("INSERT INTO schedules"), "the first request at the table")
            second = threading.Thread(target=post, args=(1,))
            second.start()
            self.wait_for(self.waiting_on("INSERT INTO idempotency_keys"), "the twin at the key")
            locker.stdin.write("COMMIT;\n")
            locker.stdin.flush()
            first.join(30)
            second.join(30)
        finally:
            locker.stdin.close()
            locker.wait(10)
        self.assertEqual([r.status for r in answers], [201, 201], answers)
        self.assertEqual(answers[0].json()["schedule"]["id"], answers[1].json()["schedule"]["id"])
        self.assertEqual(answers[1].headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.count("Двойник"), 1)

    def test_the_key_must_be_printable_ascii_of_1_to_255(self):
        # (a header carries bytes: the UTF-8 of "ключ" goes as it is)
        for key in ("ключ".encode().decode("latin-1"), "x" * 256, "a\tb", ""):
            r = self.schedule("Плохой ключ", key)
            self.assertEqual(r.status, 422, (key, r))
            self.assertIn("Idempotency-Key", r.json()["error"]["fields"], key)
        self.assertEqual(self.count("Плохой ключ"), 0)
        r = self.schedule("Длинный ключ", "k" * 255)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.schedule("Длинный ключ", "k" * 255).status, 201)
        self.assertEqual(self.count("Длинный ключ"), 1)
        # the same through the core socket, where no responder trims anything
        c = socket.socket(socket.AF_UNIX)
        c.connect(self.s.core_socket())
        auth = {"host": "povtor.localhost", "session": self.admin.token, "via": "bearer",
                "idempotency_key": "k" * 300}
        c.sendall(frame(1, 1, {"id": 1, "op": "schedules.create", "auth": auth,
                               "args": {"name": "Сокет", "days": FIVE_DAY}}))
        r = json.loads(read_frame(c)["payload"])
        c.close()
        self.assertEqual(r["status"], 422, r)
        self.assertEqual(r["error"]["field_codes"], {"Idempotency-Key": "invalid"})

    def test_the_same_key_with_another_request_is_refused(self):
        self.assertEqual(self.schedule("Первый", "reuse-1").status, 201)
        r = self.schedule("Второй", "reuse-1")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field_codes"], {"Idempotency-Key": "reused"})
        self.assertEqual(self.count("Второй"), 0)
        # another operation with the key of a schedule
        r = self.admin.post("/api/admin/calendars/0/copy", {"name": "Копия"},
                            headers={"Idempotency-Key": "reuse-1"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Idempotency-Key", r.json()["error"]["fields"])
        # the order of the members does not make another request
        body = '{"days": %s, "name": "Порядок"}' % json.dumps(FIVE_DAY)
        h = {"Content-Type": "application/json", "Idempotency-Key": "order-1"}
        self.assertEqual(self.schedule("Порядок", "order-1").status, 201)
        self.assertEqual(self.admin.request("POST", "/api/admin/schedules", raw=body.encode(), headers=h).status,
                         201)

    def test_a_failed_request_leaves_its_key_free(self):
        r = self.schedule("", "fail-1")
        self.assertEqual(r.status, 422, r)
        r = self.schedule("После ошибки", "fail-1")
        self.assertEqual(r.status, 201, r)

    def connect(self, source, key, subdomain):
        body = json.dumps({"subdomain": subdomain, "name": "ООО Адрес", "responsible": {
            "full_name": "Адресов Адрес", "phone": "+7916000%04d" % (hash(subdomain) % 10000),
            "email": "%s@example.ru" % subdomain}})
        c = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30, source_address=(source, 0))
        c.request("POST", "/api/connect", body=body.encode(), headers={
            "Host": "localhost:%d" % self.s.port, "Content-Type": "application/json", "Idempotency-Key": key})
        r = c.getresponse()
        out = (r.status, json.loads(r.read().decode() or "{}"))
        c.close()
        return out

    def test_connect_keys_belong_to_the_client_address(self):
        a = self.connect("127.0.0.1", "conn-1", "adres-odin")
        b = self.connect("127.0.0.1", "conn-1", "adres-odin")
        self.assertEqual((a[0], b[0]), (202, 202), (a, b))
        self.assertEqual(a[1]["id"], b[1]["id"])
        # another client with the same key does not get the first one's answer
        # (its connection id): its request runs, and the subdomain is taken
        c = self.connect("127.0.0.2", "conn-1", "adres-odin")
        self.assertEqual(c[0], 422, c)
        self.assertEqual(c[1]["error"]["field_codes"]["subdomain"], "taken")
        self.assertNotIn(a[1]["id"], json.dumps(c[1]))
        d = self.connect("127.0.0.2", "conn-1", "adres-dva")
        self.assertEqual(d[0], 202, d)
        self.assertNotEqual(d[1]["id"], a[1]["id"])

    def test_keys_stored_before_keep_answering(self):
        # a schedule and a deviation made with keys by the handlers of before
        # (sql/0022 columns), carried over by sql/0006 as an upgrade does
        sid = int(self.s.psql("INSERT INTO schedules (tenant_id, name, kind, holidays, pattern, week_hours, "
                              "idempotency_key) VALUES (%d, 'Старый ключ', 'week', 'calendar', "
                              "'[[800,0],[800,0],[800,0],[800,0],[800,0],[0,0],[0,0]]', 4000, 'old-s') "
                              "RETURNING id" % self.tid))
        did = int(self.s.psql("INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, "
                              "whole_day, idempotency_key) VALUES (%d, %d, 19, '2025-02-03', '2025-02-04', "
                              "true, 'old-d') RETURNING id" % (self.tid, self.emp)))
        with open(os.path.join(ROOT, "sql", "0006_idempotency.sql")) as f:
            carry_over = re.search(r"^DO \$\$.*?^\$\$;", f.read(), re.S | re.M).group(0)
        self.s.psql(carry_over)
        r = self.schedule("Старый ключ", "old-s")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["schedule"]["id"], sid)
        self.assertEqual(self.count("Старый ключ"), 1)
        r = self.admin.post("/api/admin/deviations", {"employee_id": self.emp, "code": "Б",
                                                      "date_from": "2025-02-03", "date_to": "2025-02-04"},
                            headers={"Idempotency-Key": "old-d"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["deviation"]["id"], did)

    def test_an_expired_key_may_be_used_again(self):
        a = self.schedule("Истёк 1", "expire-1")
        self.assertEqual(a.status, 201, a)
        self.s.psql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
                    "WHERE key = 'expire-1'")
        b = self.schedule("Истёк 2", "expire-1")
        self.assertEqual(b.status, 201, b)
        self.assertNotEqual(a.json()["schedule"]["id"], b.json()["schedule"]["id"])

if __name__ == "__main__":
    unittest.main()
