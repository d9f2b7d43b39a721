"""Employees from a CSV file through the real stack (POST
/api/admin/import/employees): a Windows-1251 file with ';' and quoted
fields, the preview naming every bad row and writing nothing, the refused
import, the import from the kept file, an idempotent import again,
departments and positions by name, the column mapping (guessed from Russian
and English headers, or given), employees found by personnel number, and
another tenant's kept file."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import Client, Stack, _fixture_sql, add_session, tenant_with_admin  # noqa: E402

HEADER = "Табельный номер;ФИО;Подразделение;Должность;Телефон;Email;Дата приёма;СНИЛС\r\n"
GOOD = [
    '0001;Иванов Иван Иванович;Бухгалтерия;Бухгалтер;8 (912) 345-67-01;ivanov@romashka.example;15.01.2024;112-233-445 95\r\n',
    '0002;"Петрова Анна Сергеевна";"Склад; цех №2";"Кладовщик ""старший""";+7 912 345-67-02;;1.2.2024;\r\n',
    '0003;Сидоров Олег Петрович;"Склад; цех №2";"Водитель\r\nпогрузчика";;sidorov@romashka.example;2024-03-01;\r\n',
    '0007;Кузнецова Мария Олеговна;бухгалтерия;;;maria@romashka.example;01.04.2024;\r\n',
]


def cp1251(rows):
    return (HEADER + "".join(rows)).encode("cp1251")


class Import(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("import", conf_extra="cleanup_interval_s = 1\n").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "zagruzka", "ООО «Загрузка»")
        cls.bid, _, cls.other = tenant_with_admin(cls.s, "chuzhie", "ООО «Чужие»")
        key = cls.admin.post("/api/admin/api-keys", {"name": "тест"}).json()["key"]
        h = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
        for what, items in [("organizations", [{"external_id": "org-1", "name": "ООО «Загрузка»"}]),
                            ("departments", [{"external_id": "d-buh", "name": "Бухгалтерия",
                                              "organization": "org-1"}])]:
            r = cls.s.http("PUT", "/api/exchange/v1/" + what, raw=json.dumps({"items": items}).encode(),
                           host="zagruzka.localhost", headers=h)
            assert r.status == 200, r
        # an employee made on the form, with personnel number 0007
        r = cls.admin.post("/api/admin/employees", {"full_name": "Кузнецова Мария", "personnel_number": "0007",
                                                    "organization_id": cls.org_id()})
        assert r.status == 201, r
        cls.form_id = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    @classmethod
    def org_id(cls):
        return int(_fixture_sql(cls.s, "SELECT id FROM organizations WHERE external_id = 'org-1'"))

    def upload(self, data, query="", client=None, ctype="text/csv; charset=windows-1251"):
        return (client or self.admin).request("POST", "/api/admin/import/employees" + query, raw=data,
                                              headers={"Content-Type": ctype})

    def multipart(self, data, fields, query="", filename="сотрудники.csv"):
        b = "----cabinet-csv-boundary"
        body = b""
        for k, v in fields.items():
            body += ('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (b, k, v)).encode()
        body += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                 'Content-Type: text/csv\r\n\r\n' % (b, filename)).encode() + data + ("\r\n--%s--\r\n" % b).encode()
        return self.admin.request("POST", "/api/admin/import/employees" + query, raw=body,
                                  headers={"Content-Type": "multipart/form-data; boundary=" + b})

    def count(self, table):
        return int(_fixture_sql(self.s, "SELECT count(*) FROM %s WHERE tenant_id = %d" % (table, self.tid)))

    def test_1_windows1251_preview_import_again(self):
        bad = list(GOOD)
        bad[0] = bad[0].replace("ivanov@romashka.example", "ivanov(at)romashka")
        bad[1] = bad[1].replace("1.2.2024", "31.02.2024")
        bad[2] = '0003;Сидоров Олег Петрович;"Склад; цех №2";"Водитель\r\nпогрузчика";;sidorov@romashka.example;2024-03-01;112-233-445 94\r\n'
        before = (self.count("employees"), self.count("departments"), self.count("positions"))
        r = self.upload(cp1251(bad), "?preview=1")
        self.assertEqual(r.status, 200, r)
        p = r.json()
        self.assertEqual((p["encoding"], p["delimiter"], p["total"], p["ok"]), ("Windows-1251", ";", 4, False))
        fields = {f["name"]: f["column"] for f in p["fields"]}
        self.assertEqual((fields["personnel_number"], fields["full_name"], fields["department"], fields["hired"],
                          fields["email"], fields["snils"]), (1, 2, 3, 7, 6, 8))
        rows = {row["line"]: row for row in p["rows"]}
        # every bad row named by its line in the file (the quoted line break makes row 4 two lines)
        self.assertEqual(sorted(rows), [2, 3, 4, 6])
        self.assertEqual(set(rows[2]["errors"]), {"email"})
        self.assertEqual(set(rows[3]["errors"]), {"hired"})
        self.assertEqual(set(rows[4]["errors"]), {"snils"})
        self.assertEqual((rows[6]["errors"], rows[6]["action"]), ({}, "update"))  # found by number 0007
        self.assertEqual(rows[3]["values"]["department"], "Склад; цех №2")
        self.assertEqual(rows[3]["values"]["position"], 'Кладовщик "старший"')
        self.assertEqual(rows[4]["values"]["position"], "Водитель погрузчика")
        self.assertEqual(rows[2]["values"]["snils"], "***-***-*** 95")
        self.assertNotIn("112-233-445", r.text)  # СНИЛС never echoed
        self.assertEqual(p["departments_new"], ["Склад; цех №2"])  # «бухгалтерия» is the stored one
        self.assertEqual(sorted(p["positions_new"]), sorted(['Бухгалтер', 'Кладовщик "старший"',
                                                             'Водитель погрузчика']))
        self.assertEqual(p["counts"]["errors"], 3)
        self.assertEqual(before, (self.count("employees"), self.count("departments"), self.count("positions")))
        # the import of the same file is refused whole, naming each bad cell by its line
        r = self.upload(cp1251(bad))
        self.assertEqual(r.status, 422, r)
        e = r.json()["error"]
        self.assertEqual(set(e["fields"]), {"rows[2].email", "rows[3].hired", "rows[4].snils"})
        self.assertIn("ошибки в 3 из 4 строк", e["message"])
        self.assertEqual(before, (self.count("employees"), self.count("departments"), self.count("positions")))
        log = self.admin.get("/api/admin/exchange-log").json()["items"][0]
        self.assertEqual((log["route"], log["status"], log["errors"]), ("csv", 422, 3))

        # the corrected file: preview as a browser form sends it, then the import of the kept file
        r = self.multipart(cp1251(GOOD), {"preview": "1"})
        self.assertEqual(r.status, 200, r)
        p = r.json()
        self.assertTrue(p["ok"], p)
        self.assertEqual((p["filename"], p["counts"]), ("сотрудники.csv", {"created": 3, "merged": 0,
                                                                          "updated": 1, "unchanged": 0,
                                                                          "errors": 0, "kept": 0}))
        self.assertEqual(before, (self.count("employees"), self.count("departments"), self.count("positions")))
        r = self.admin.post("/api/admin/import/employees", {"upload": p["upload"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"created": 3, "merged": 0, "updated": 1, "unchanged": 0, "departments_created": 1,
                                    "positions_created": 3})
        found = {i["personnel_number"]: i for i in
                 self.admin.get("/api/admin/employees?q=&limit=100").json()["items"]}
        self.assertEqual(found["0002"]["department"]["name"], "Склад; цех №2")
        self.assertEqual(found["0002"]["position"]["name"], 'Кладовщик "старший"')
        self.assertEqual(found["0001"]["department"]["name"], "Бухгалтерия")
        self.assertEqual(found["0007"]["id"], self.form_id)  # the form's employee, by its number
        card = self.admin.get("/api/admin/employees/%d" % found["0002"]["id"]).json()
        self.assertEqual((card["full_name"], card["phone"], card["hired"], card["organization"]["name"]),
                         ("Петрова Анна Сергеевна", "+79123456702", "2024-02-01", "ООО «Загрузка»"))
        self.assertEqual(self.admin.get("/api/admin/employees/%d" % self.form_id).json()["full_name"],
                         "Кузнецова Мария Олеговна")
        # the kept file is gone once imported
        r = self.admin.post("/api/admin/import/employees", {"upload": p["upload"]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("file", r.json()["error"]["fields"])
        # the same file again changes nothing
        counts = (self.count("employees"), self.count("departments"), self.count("positions"))
        r = self.upload(cp1251(GOOD))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"created": 0, "merged": 0, "updated": 0, "unchanged": 4, "departments_created": 0,
                                    "positions_created": 0})
        self.assertEqual(counts, (self.count("employees"), self.count("departments"), self.count("positions")))

    def test_2_mapping(self):
        # UTF-8 with a byte-order mark, ',' and English headers
        data = ("\ufeffEmployee ID,Full name,Department,Hire date,Phone\n"
                "E-100,Орлов Павел Ильич,Бухгалтерия,2025-05-05,9123456710\n").encode()
        r = self.upload(data, "?preview=1", ctype="text/csv")
        p = r.json()
        self.assertEqual((p["encoding"], p["delimiter"], p["ok"]), ("UTF-8", ",", True), p)
        self.assertEqual({c["name"]: c.get("field") for c in p["columns"]},
                         {"Employee ID": "personnel_number", "Full name": "full_name",
                          "Department": "department", "Hire date": "hired", "Phone": "phone"})
        # a header the guess does not know: the preview says so, the mapping fixes it
        data = "Номер;Работник предприятия\n0100;Лебедева Ольга Ивановна\n".encode()
        p = self.upload(data, "?preview=1", ctype="text/csv").json()
        self.assertFalse(p["ok"])
        self.assertEqual(set(p["mapping_errors"]), {"mapping.full_name", "mapping.personnel_number"})
        self.assertEqual([c["name"] for c in p["columns"]], ["Номер", "Работник предприятия"])
        p = self.upload(data, "?preview=1&map_personnel_number=1&map_full_name=2", ctype="text/csv").json()
        self.assertTrue(p["ok"], p)
        self.assertEqual(p["rows"][0]["values"], {"personnel_number": "0100", "full_name": "Лебедева Ольга Ивановна"})
        r = self.admin.post("/api/admin/import/employees?preview=1", {
            "upload": p["upload"], "mapping": json.dumps({"personnel_number": "Номер", "full_name": 9})})
        self.assertEqual(set(r.json()["mapping_errors"]), {"mapping.full_name"})
        # bad files are named
        r = self.upload(b'a;b\n"open', "?preview=1", ctype="text/csv")
        self.assertEqual(r.status, 422, r)
        self.assertIn("Строка 2", r.json()["error"]["fields"]["file"])
        r = self.upload(b"", "?preview=1", ctype="text/csv")
        self.assertEqual(r.status, 422, r)

    def test_4_responsible_matched(self):
        """The responsible person who connected the service keeps their one
        employee and cabinet when the CSV brings them (issue 10, item 1):
        the row with the same email (another case) or phone becomes theirs."""
        p = self.s.ctl("tenant", "create", "csvsvoi", "ООО Свои CSV", "Кузнецова Анна Сергеевна",
                       "+79160000556", "anna@csvsvoi.ru")
        self.assertEqual(p.returncode, 0, p.stderr)
        tid = int(_fixture_sql(self.s, "SELECT id FROM tenants WHERE subdomain = 'csvsvoi'"))
        uid = int(_fixture_sql(self.s, "SELECT id FROM users WHERE tenant_id = %d" % tid))
        token, csrf = add_session(self.s, tid, uid)
        a = Client(self.s, "csvsvoi", token, csrf)
        me = a.get("/api/me").json()["user"]["employee_id"]
        self.assertTrue(me)
        data = ("Таб. №;ФИО;Телефон;Email\r\n"
                "0100;Кузнецова Анна Сергеевна;;Anna@CsvSvoi.ru\r\n"
                "0101;Орлов Пётр Ильич;8 912 000-01-01;\r\n").encode("cp1251")
        # the preview says what the import will do with the row: merge it
        # into her employee, not add a second one
        r = a.request("POST", "/api/admin/import/employees?preview=1", raw=data,
                      headers={"Content-Type": "text/csv; charset=windows-1251"})
        self.assertEqual(r.status, 200, r)
        p = r.json()
        self.assertEqual([(x["line"], x["action"], x["action_title"]) for x in p["rows"]],
                         [(2, "merge", "объединить с «Кузнецова Анна Сергеевна»"),
                          (3, "create", "добавить")], p["rows"])
        self.assertEqual((p["counts"]["created"], p["counts"]["merged"]), (1, 1), p["counts"])
        r = a.request("POST", "/api/admin/import/employees", raw=data,
                      headers={"Content-Type": "text/csv; charset=windows-1251"})
        self.assertEqual(r.status, 200, r)
        # one added, one merged into her card: not "2 added" (trial-user4 F9)
        self.assertEqual((r.json()["created"], r.json()["merged"]), (1, 1), r.json())
        log = a.get("/api/admin/exchange-log").json()["items"][0]
        self.assertEqual((log["created"], log["updated"]), (1, 1), log)
        # the page the import goes to says so
        page = a.get("/admin/exchange-log?imported=csv&created=1&merged=1&updated=0&unchanged=0"
                     "&departments=0&positions=0").text
        self.assertIn("Сотрудников добавлено: 1, объединено с существующими карточками: 1, "
                      "изменено: 0", page)
        js = a.get("/api/admin/employees").json()
        self.assertEqual(js["total"], 2, js)  # not three: the responsible person is the row 0100
        mine = [i for i in js["items"] if i["id"] == me]
        self.assertEqual(len(mine), 1, js)
        self.assertEqual(mine[0]["personnel_number"], "0100")
        self.assertEqual(a.get("/api/me").json()["user"]["employee_id"], me)

    def test_5_kept_files_are_removed_after_a_day(self):
        """A preview keeps the file (people's names, contacts, SNILS) for the
        import: a day, then the clean-up task removes it, whether or not
        anyone uploads again."""
        data = cp1251(GOOD)
        old = self.upload(data, "?preview=1").json()["upload"]
        new = self.upload(data, "?preview=1").json()["upload"]
        _fixture_sql(self.s, "UPDATE import_uploads SET created_at = now() - interval '25 hours' "
                             "WHERE id = %d" % old)
        deadline = time.monotonic() + 20
        while _fixture_sql(self.s, "SELECT count(*) FROM import_uploads WHERE id = %d" % old) != "0":
            self.assertLess(time.monotonic(), deadline, "the day-old file is still kept")
            time.sleep(0.2)
        self.assertEqual(_fixture_sql(self.s, "SELECT count(*) FROM import_uploads WHERE id = %d" % new), "1")
        r = self.admin.post("/api/admin/import/employees", {"upload": old})
        self.assertEqual((r.status, r.json()["error"]["field_codes"]["file"]), (422, "expired"), r)

    def test_3_other_tenant(self):
        p = self.upload("Таб. №;ФИО\n0500;Зайцев Игорь Юрьевич\n".encode("cp1251"), "?preview=1").json()
        self.assertTrue(p["ok"], p)
        r = self.other.post("/api/admin/import/employees", {"upload": p["upload"]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("file", r.json()["error"]["fields"])
        self.assertEqual(int(_fixture_sql(self.s, "SELECT count(*) FROM employees WHERE personnel_number = '0500'")),
                         0)
        r = self.upload(b"x\n", "?preview=1", client=self.other)
        self.assertEqual(r.status, 422, r)
        self.assertIn("нет строк", r.json()["error"]["fields"]["file"])


    def test_6_reimport_shows_changes_and_keeps_the_service_s(self):
        # trial-user 4, F2: the same file again used to revert a surname an approved
        # request had changed, and the preview did not say what a row changes
        rows = ['0601;Смирнова Ольга Викторовна;Бухгалтерия;Бухгалтер;+7 912 345-66-01;;01.02.2021;\r\n',
                '0602;Лебедев Игорь Олегович;Бухгалтерия;Бухгалтер;+7 912 345-66-02;;01.03.2021;\r\n']
        r = self.upload(cp1251(rows))
        self.assertEqual(r.status, 200, r)
        sid = int(_fixture_sql(self.s, "SELECT id FROM employees WHERE tenant_id = %d AND personnel_number = "
                                       "'0601'" % self.tid))
        # changed in the service after the import (an administrator's edit here; a done
        # personal-data request writes the card the same way)
        r = self.admin.put("/api/admin/employees/%d" % sid, {"full_name": "Смирнова-Лебедева Ольга Викторовна"})
        self.assertEqual(r.status, 200, r)
        p = self.upload(cp1251(rows), "?preview=1").json()
        self.assertEqual((p["counts"]["updated"], p["counts"]["unchanged"], p["counts"]["kept"]), (0, 2, 1))
        row = {x["line"]: x for x in p["rows"]}[2]
        self.assertEqual((row["action"], row["action_title"]),
                         ("unchanged", "без изменений: сохранены изменения из сервиса"))
        self.assertEqual([c["text"] for c in row["changes"]],
                         ["ФИО: в сервисе изменено после прошлой загрузки на «Смирнова-Лебедева Ольга "
                          "Викторовна», в файле прежнее «Смирнова Ольга Викторовна» — остаётся "
                          "«Смирнова-Лебедева Ольга Викторовна»"])
        r = self.upload(cp1251(rows))
        self.assertEqual((r.status, r.json()["updated"], r.json()["unchanged"]), (200, 0, 2), r)
        self.assertEqual(self.admin.get("/api/admin/employees/%d" % sid).json()["full_name"],
                         "Смирнова-Лебедева Ольга Викторовна")
        # a real change of the file: old -> new, field by field, only that row counted
        changed = [rows[0], rows[1].replace("345-66-02", "345-66-09").replace("01.03.2021", "02.03.2021")]
        p = self.upload(cp1251(changed), "?preview=1").json()
        self.assertEqual((p["counts"]["updated"], p["counts"]["unchanged"]), (1, 1))
        row = {x["line"]: x for x in p["rows"]}[3]
        self.assertEqual((row["action"], [c["text"] for c in row["changes"]]),
                         ("update", ["Дата приёма: «01.03.2021» → «02.03.2021»",
                                     "Телефон: «+79123456602» → «+79123456609»"]))
        # the file changes a field the service changed too: written, and said so
        third = [rows[0].replace("Смирнова Ольга", "Смирнова-Павлова Ольга"), rows[1]]
        p = self.upload(cp1251(third), "?preview=1").json()
        row = {x["line"]: x for x in p["rows"]}[2]
        self.assertEqual([(c["conflict"], c["text"]) for c in row["changes"]],
                         [(True, "ФИО: «Смирнова-Лебедева Ольга Викторовна» → «Смирнова-Павлова Ольга "
                                 "Викторовна». Внимание: в сервисе это поле изменено после прошлой "
                                 "загрузки, файл его заменит")])

    def test_file_name_rules_are_the_preview_s_too(self):
        # the preview and the import take the same name rules as every
        # upload: at most 255 characters, the path left out
        data = cp1251(GOOD)
        for q in ({"preview": "1"}, {}):
            r = self.multipart(data, q, filename="е" * 300 + ".csv")
            self.assertEqual(r.status, 422, r)
            self.assertIn("file", r.json()["error"]["fields"])  # the form's field
        r = self.multipart(data, {"preview": "1"}, filename="../../x/сотрудники.csv")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["filename"], "сотрудники.csv")

if __name__ == "__main__":
    unittest.main()
