"""Access declared once (core/access.h), checked from the declarations
themselves: every operation that a signed-in user may call is called, from
the operation tables (system.ops), as each kind of user — anonymous, an
employee, a manager, a performer, the administrator, another tenant's
administrator — and must answer

    401  anonymous;
    403  a user whose roles are none of the operation's;
    404  another tenant's administrator on this tenant's host; an object of
         the operation that is another person's (not the caller's own, not a
         task of theirs, not of someone in their charge), or another tenant's;
    else the operation runs (no 401, 403 or 404): on the caller's own object,
         their task, their subordinate's, any of the tenant's for the
         administrator.

A new operation is covered by its row: its declared roles and object say
what to expect, and the fixtures below make an object of each kind for
each relation. The organization is orgfix.Org."""
import json
import os
import socket
import sys
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Stack, add_session, frame, read_frame  # noqa: E402

# the roles each kind of user holds (orgfix: E1 works in M's department, P
# performs most routing roles, A is the administrator and an employee); a
# manager, a performer and the administrator may give HR tasks ("giver")
KINDS = {
    "employee": ("E1", {"user", "self", "assignee"}),
    "manager": ("M", {"user", "self", "assignee", "manager", "giver"}),
    "performer": ("P", {"user", "self", "assignee", "performer", "giver"}),
    "admin": ("A", {"user", "self", "assignee", "admin", "giver"}),
}
# the relations each kind of object admits, in the order tried for a caller;
# "performer" (HR) and "admin" relate the caller to every object of the
# tenant that admits them (an HR task admits no performer: it is its
# employee's and its giver's, access.h)
RELATIONS = ["self", "assignee", "giver", "manager", "performer", "admin"]
ANY_OBJECT = {"performer", "admin"}
PDF = b"%PDF-1.4\n%%EOF\n"


class Core:
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
        r = json.loads(f["payload"])
        if "blob" in r:  # a file follows its answer
            read_frame(self.sock)
        return r


def upload(client, rid, data=PDF, path="/api/requests/%d/files"):
    boundary = "----access"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n" % boundary).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    r = client.request("POST", path % rid, raw=body,
                       headers={"Content-Type": "multipart/form-data; boundary=%s" % boundary})
    assert r.status == 201, r
    return r.json()["file"]["id"]


class Access(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # every operation as every kind of user files far more requests
        # per employee than a person may in a day (requests_per_day)
        cls.s = Stack("access", conf_extra="requests_per_day = 100000\n").__enter__()
        cls.o = Org(cls.s, "dostup", "ООО «Доступ»")
        cls.b = Org(cls.s, "chuzhoi", "ООО «Чужой»")
        cls.core = Core(cls.s)
        r = cls.core.call("system.ops")
        assert r["status"] == 200, r
        cls.ops = [op for op in r["result"]["ops"] if op["access"] in ("employee", "admin")
                   and "debug" not in op["flags"]]

    @classmethod
    def tearDownClass(cls):
        cls.core.sock.close()
        cls.s.__exit__(None, None, None)

    # ----------------------------------------------------------- callers

    def auth(self, org, who=None):
        a = {"host": "%s.localhost" % org.sub, "ip": "127.0.0.1"}
        if who:
            a.update({"session": org[who].token, "via": "bearer"})
        return a

    def base_args(self, op):
        return {a["name"]: a["example"] for a in op["args"] if a.get("required")}

    # ----------------------------------------------------------- objects

    def question(self, org, who, text="Вопрос"):
        r = org[who].post("/api/requests", {"type": "question", "text": text})
        assert r.status == 201, r
        return r.json()["id"]

    def approval(self, org, who):
        """A fresh request of who that their manager approves (a business
        trip on days of its own): a manager sees only those (access.h)."""
        Access.trips = getattr(Access, "trips", 0) + 1
        day = "2040-%02d-%02d" % (1 + Access.trips // 28 % 12, 1 + Access.trips % 28)
        r = org[who].post("/api/requests", {"type": "business_trip", "date_from": day, "date_to": day,
                                            "destination": "Белгород", "purpose": "Проверка доступа"})
        assert r.status == 201, r
        return r.json()["id"]

    def task_for(self, org, who):
        """A fresh open task held by who: E2's question forwarded to them by the
        coordinator (anyone may be given a task). Returns (task, request)."""
        rid = self.question(org, "E2")
        t = org.task("C", rid, "execution")
        if who != "C":
            r = org["C"].post("/api/tasks/%d/forward" % t, {"to": org.id[who]})
            assert r.status == 200, r
            t = r.json()["next_task_id"]
        return t, rid

    def substitute_of(self, org, who):
        r = org.admin.post("/api/admin/routing/substitutes", {
            "employee_id": org.id[who], "substitute_id": org.id["S" if who != "S" else "E3"],
            "date_from": "2099-01-01", "date_to": "2099-01-31"})
        assert r.status == 201, r
        return r.json()["substitute"]["id"]

    def make(self, org, kind, relation, who):
        """A fresh object of the kind related to who by the relation (for
        "none": related to none of E1, M and P): the args that name it."""
        if kind == "employee":
            if relation == "self":
                return {"id": org.id[who]}
            if relation == "manager":
                return {"id": org.id["E1"]}  # in M's department
            return {"id": org.id["E2"]}  # «Склад»: H's, not M's
        if kind in ("request", "attachment"):
            if relation == "self":
                rid = self.question(org, who)
            elif relation == "assignee":
                rid = self.task_for(org, who)[1]
            elif relation == "manager":
                rid = self.approval(org, "E1")
            else:
                rid = self.question(org, "E2")  # its task is the coordinator's
            if kind == "request":
                return {"id": rid}
            owner = {"self": who, "manager": "E1"}.get(relation, "E2")
            if relation == "assignee":
                t = org.task(who, rid, "execution")
                return {"id": upload(org[who], rid), "request_id": rid, "_task": t}
            return {"id": upload(org[owner], rid), "request_id": rid}
        if kind == "task":
            if relation == "assignee":
                return {"id": self.task_for(org, who)[0]}
            return {"id": self.task_for(org, "C")[0]}
        if kind == "substitute":
            return {"id": self.substitute_of(org, who if relation == "self" else "C")}
        if kind == "hr_task":
            # given (with a document) to who, or by who (a manager to E1 in
            # her charge, HR to E2), or neither: given by another to E2
            if relation in ("self", "assignee"):
                to, giver = who, "A" if who != "A" else "P"
            elif relation == "giver":
                to, giver = "E1" if who == "M" else "E2", who
            else:
                to, giver = "E2", "A" if who != "A" else "P"
            r = org[giver].post("/api/hr-tasks", {"employee_id": org.id[to], "title": "Проверка доступа"})
            assert r.status == 201, r
            tid = r.json()["id"]
            return {"id": tid, "task_id": tid,
                    "_file": upload(org[giver], tid, path="/api/hr-tasks/%d/files")}
        raise AssertionError("no fixture for objects of kind %s" % kind)

    # ------------------------------------------------------------- checks

    def args_of(self, op, base, made):
        """The operation's args on a made object: the object under the name
        the operation declares (employee_id); an operation whose object is
        named by task_id acts on a file of it (id)."""
        args = dict(base, **{k: v for k, v in made.items() if not k.startswith("_")})
        arg = op["who"].get("arg")
        if arg == "task_id" and "_file" in made:
            args["id"] = made["_file"]
        elif arg not in (None, "id") and arg not in made:
            args[arg] = made["id"]
        return args

    def check(self, op, args, auth, want, what):
        r = self.core.call(op["name"], args, auth)
        # running is not failing: a 5xx (a reading operation that writes fails
        # in its read-only transaction) is no pass
        if want == "runs":
            self.assertNotIn(r["status"], (401, 403, 404), "%s: %s" % (what, r))
            self.assertLess(r["status"], 500, "%s: %s" % (what, r))
        elif want == "runs_or_none":  # an operation without an object may find nothing
            self.assertNotIn(r["status"], (401, 403), "%s: %s" % (what, r))
            self.assertLess(r["status"], 500, "%s: %s" % (what, r))
        else:
            self.assertEqual(r["status"], want, "%s: %s" % (what, r))

    def test_every_operation_as_every_kind_of_user(self):
        o, b = self.o, self.b
        self.assertGreater(len(self.ops), 60)
        tried = 0
        object_ops = [op for op in self.ops if op["who"].get("object")]
        self.assertTrue({"request", "task", "attachment", "substitute", "employee", "hr_task"} <=
                        {op["who"]["object"] for op in object_ops})
        for op in self.ops:
            roles = set(op["who"]["roles"])
            self.assertTrue(roles, "%s declares no roles" % op["name"])
            base = self.base_args(op)
            # anonymous, and another tenant's administrator on this host
            self.check(op, base, self.auth(o), 401, "%s anonymous" % op["name"])
            self.check(op, base, dict(self.auth(o), session=b.admin.token, via="bearer"), 404,
                       "%s as another tenant's administrator" % op["name"])
            tried += 2
            for kind, (who, held) in KINDS.items():
                what = "%s as %s" % (op["name"], kind)
                if not roles & held:
                    self.check(op, base, self.auth(o, who), 403, what)
                    tried += 1
                    continue
                obj = op["who"].get("object")
                if obj is None:
                    continue  # runs: below, last
                # another person's object, another tenant's
                if not roles & held & ANY_OBJECT:
                    args = self.args_of(op, base, self.make(o, obj, "none", who))
                    self.check(op, args, self.auth(o, who), 404, what + " on another person's " + obj)
                    tried += 1
                args = self.args_of(op, base, self.make(b, obj, "self", "E1"))
                self.check(op, args, self.auth(o, who), 404, what + " on another tenant's " + obj)
                # their own, their task's, their subordinate's, HR's
                for rel in RELATIONS:
                    if rel in roles & held:
                        args = self.args_of(op, base, self.make(o, obj, rel, who))
                        self.check(op, args, self.auth(o, who), "runs", "%s (%s)" % (what, rel))
                        tried += 2
                        break
        # operations without an object run for every kind holding a role;
        # the administrator's writes are left out (their examples would change
        # the organization: the routing, the rights), and a write gets a
        # session of its own (signing out ends it)
        for op in self.ops:
            if op["who"].get("object"):
                continue
            for kind, (who, held) in KINDS.items():
                if set(op["who"]["roles"]) & held and not (kind == "admin" and "write" in op["flags"]):
                    auth = self.auth(o, who)
                    if "write" in op["flags"]:
                        auth["session"] = add_session(self.s, o.tid, o.user[who])[0]
                    self.check(op, self.base_args(op), auth, "runs_or_none",
                               "%s as %s" % (op["name"], kind))
                    tried += 1
        self.assertGreater(tried, 400)

    def test_the_http_routes_answer_the_same(self):
        o, b = self.o, self.b
        rid = self.question(o, "E2")
        # anonymous 401, a plain employee 403 on the administrator's routes
        self.assertEqual(self.s.http("GET", "/api/tasks", host="dostup.localhost").status, 401)
        self.assertEqual(o["E1"].get("/api/admin/routing").status, 403)
        self.assertEqual(o["E1"].get("/api/team").status, 403)
        self.assertEqual(o["M"].get("/api/team").status, 200)
        # another person's request, another tenant's: 404 alike
        self.assertEqual(o["E1"].get("/api/requests/%d" % rid).status, 404)
        self.assertEqual(b.admin.get("/api/requests/%d" % rid).status, 404)
        self.assertEqual(o.admin.get("/api/requests/%d" % rid).status, 200)
        # the manager sees her staff's cards and requests, not others'
        card = o["M"].get("/api/team/%d" % o.id["E1"])
        self.assertEqual(card.status, 200)
        # the personal file and absences, not the pay (the administrator's)
        self.assertIn("personal_file_sections", card.json())
        self.assertIsInstance(card.json()["absences"], list)
        self.assertNotIn("pay", card.json())
        self.assertEqual(o["M"].get("/api/team/%d" % o.id["E2"]).status, 404)
        # the roles the pages show sections by; one's own card; people to hand a task to
        self.assertIn("manager", o["M"].get("/api/me").json()["roles"])
        self.assertNotIn("manager", o["E1"].get("/api/me").json()["roles"])
        self.assertIn("performer", o["P"].get("/api/me").json()["roles"])
        own = o["E1"].get("/api/me/employee")
        self.assertEqual((own.status, own.json()["id"]), (200, o.id["E1"]))
        self.assertNotIn("user_id", own.json())
        self.assertEqual(o["E1"].get("/api/employees?q=" + quote("Иван")).status, 403)
        found = o["M"].get("/api/employees?q=" + quote("Иванов")).json()["items"]
        self.assertEqual([i["full_name"] for i in found], ["Иванов Иван Иванович"])
        self.assertEqual(set(found[0]), {"id", "full_name", "personnel_number", "department", "position"})
        self.assertEqual(o["M"].get("/api/team/%d" % o.id["M"]).status, 404)
        names = [i["full_name"] for i in o["M"].get("/api/team").json()["items"]]
        self.assertEqual(sorted(names), sorted(["Иванов Иван Иванович", "Соколова Елена Павловна",
                                                "Зайцев Сергей Олегович"]))
        mine = self.approval(o, "E1")
        self.assertEqual(o["M"].get("/api/requests/%d" % mine).status, 200)
        # a question is not the manager's to approve, nor to see
        self.assertEqual(o["M"].get("/api/requests/%d" % self.question(o, "E1")).status, 404)
        # but not a draft of theirs
        r = o["E1"].post("/api/requests", {"type": "question", "text": "черновик", "draft": True})
        self.assertEqual(o["M"].get("/api/requests/%d" % r.json()["id"]).status, 404)


if __name__ == "__main__":
    unittest.main()
