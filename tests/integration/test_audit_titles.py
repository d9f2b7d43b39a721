"""The audit log speaks Russian: every action code the core can write and
every kind of object it names show on /admin/audit with a Russian title,
never as a code ("requests.created", "request 5", "routing_role vacation").

The codes are found in the source (core/*.c): the literals given to
audit_log() and to the functions that pass their `action` on to it, the
request events (requests_event(), written as "requests.<event>") and the
structure forms' "staff.<object>_<created|updated>". A new code without a
title in core/audit.c fails here."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, sql_quote, tenant_with_admin  # noqa: E402

CORE = os.path.join(os.path.dirname(__file__), "..", "..", "core")
CODE = re.compile(r'"([a-z_]+\.[a-z_]+)"')
WORD = re.compile(r'"([a-z_]+)"')


def call_args(text, name):
    """The argument texts of every call of name(...) in text."""
    for m in re.finditer(r"\b%s\(" % name, text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        args, depth, cur = [], 0, ""
        for ch in text[m.end():i - 1]:
            if ch == "," and depth == 0:
                args.append(cur)
                cur = ""
                continue
            depth += {"(": 1, ")": -1}.get(ch, 0)
            cur += ch
        args.append(cur)
        yield [a.strip() for a in args]


def source():
    out = {}
    for f in sorted(os.listdir(CORE)):
        if f.endswith(".c"):
            with open(os.path.join(CORE, f), encoding="utf-8") as fh:
                out[f] = fh.read()
    return out


def written_codes():
    """(actions, object types) the core writes into audit_log."""
    src = source()
    actions, types, passers = set(), set(), set()
    for f, text in src.items():
        for args in call_args(text, "audit_log"):
            if len(args) < 4 or args[0] == "struct ctx *ctx":
                continue
            actions |= set(CODE.findall(args[1]))
            types |= set(WORD.findall(args[3]))
        # audit_log(ctx, action, ...): the enclosing function passes its
        # parameter `action` on; its callers' literals are the codes
        for m in re.finditer(r"audit_log\(\s*ctx,\s*action,", text):
            passers.add(re.findall(r"\n(?:static )?int (\w+)\([^)]*const char \*action", text[:m.start()])[-1])
        for name in ("requests_event", "requests_task_pass"):  # "requests.<event>"
            for args in call_args(text, name):
                if len(args) > 3:
                    actions |= {"requests." + w for w in WORD.findall(args[3])}
        if re.search(r'"requests\.%s"', text):
            types |= set(re.findall(r'"object_type", "([a-z_]+)"', text))
    for name in passers:
        for text in src.values():
            for args in call_args(text, name):
                for a in args:
                    actions |= set(CODE.findall(a))
    # structure_forms.c: "staff.%s_%s" of sf_objects x created/updated
    objs = re.search(r"sf_objects\[\] = \{([^}]*)\}", src["structure_forms.c"]).group(1)
    for o in WORD.findall(objs):
        types.add(o)
        actions |= {"staff.%s_created" % o, "staff.%s_updated" % o}
    return actions, types


class AuditTitles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("audittitles")
        cls.s.start()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        cls.s.cleanup()

    def test_the_source_walk_finds_the_codes_the_trial_saw(self):
        actions, types = written_codes()
        for code in ("requests.created", "requests.submitted", "requests.assigned", "requests.approved",
                     "requests.taken", "requests.completed", "routing.performer_added",
                     "payroll.payment_created", "payroll.accrual_created", "auth.activated",
                     "payroll.closed", "tenant.disabled", "staff.department_created", "consent.given"):
            self.assertIn(code, actions)
        for t in ("request", "hr_task", "routing_role", "payment", "department", "import"):
            self.assertIn(t, types)

    def test_every_action_and_object_has_a_russian_title(self):
        actions, types = written_codes()
        tid, _, admin = tenant_with_admin(self.s, "zhurnal")
        rows = ["(%d, 'system', %s, true, NULL, NULL)" % (tid, sql_quote(a)) for a in sorted(actions)]
        ids = {"routing_role": "vacation", "request_type": "vacation", "payroll": "2026-11",
               "exchange": "employees"}
        rows += ["(%d, 'system', 'tenant.ready', true, %s, %s)" % (tid, sql_quote(t), sql_quote(ids.get(t, "5")))
                 for t in sorted(types)]
        self.s.psql("INSERT INTO audit_log (tenant_id, actor_kind, action, success, object_type, object_id) "
                    "VALUES " + ", ".join(rows))
        r = admin.get("/api/admin/audit?limit=500")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        seen = {a["action"] for a in items}
        self.assertTrue(actions <= seen, actions - seen)
        latin = re.compile(r"[a-z]")  # a code; "Ключ API", "CSV" are how Russians write them
        for a in items:
            self.assertFalse(latin.search(a["title"]), "no Russian title for %s: %r" % (a["action"], a["title"]))
            if a["object_type"]:
                self.assertFalse(latin.search(a["object_title"] or ""),
                                 "object %s shown as %r" % (a["object_type"], a["object_title"]))
        # the page: none of the codes on the screen
        page = admin.get("/admin/audit?limit=500").text
        for code in ("requests.created", "routing.performer_added", "payroll.payment_created",
                     "request 5", "hr_task 5", "routing_role vacation", "payment 5", "department 5",
                     "import 5"):
            self.assertNotIn(code, page)
        self.assertIn("Роль «Ответственный за заявления на отпуск»", page)
        self.assertIn("Заявка № 5", page)


if __name__ == "__main__":
    unittest.main()
