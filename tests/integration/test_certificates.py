"""Documents of requests through the real stack (issue 12 items 6 and 9):
each certificate request completed by its performer carries a generated PDF
— opened here with pdftotext (poppler-utils) as the employee would read it:
the employee's name, the organization's details, the number and date, the
signer; for the income certificate each month's income with its code and the
year's tax, equal to the payslips'. A vacation request gives a printable
application. Who may download: the employee, their manager, the performer,
the administrator; another employee and another tenant get 404. The
organization is orgfix.Org."""
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from orgfix import Org  # noqa: E402
from stack import Client, Stack  # noqa: E402

ORG = "ООО «Справки»"


def pdf_text(data):
    """The text of a PDF as pdftotext -layout gives it, no-break spaces as
    they are."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True,
                              capture_output=True).stdout.decode()


def pdf_fonts(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdffonts", f.name], check=True,
                              capture_output=True).stdout.decode()


def one_line(text):
    """Words of the text with any run of spaces as one space (a wrapped
    sentence read as one)."""
    return re.sub(r"[ \n\f]+", " ", text)


class Certificates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("certificates").__enter__()
        o = cls.o = Org(cls.s, "spravki", ORG)
        cls.s.psql("UPDATE organizations SET inn = '7701234567', kpp = '770101001', "
                   "okpo = '12345678', address = 'г. Москва, ул. Примерная, д. 1' "
                   "WHERE id = %d" % o.org)
        cls.s.psql("UPDATE employees SET position = 'Генеральный директор' WHERE id = %d" % o.id["H"])
        cls.s.psql("UPDATE employees SET position = 'Бухгалтер' WHERE id = %d" % o.id["E1"])
        cls.s.psql("UPDATE employees SET position = 'Специалист по кадрам' WHERE id = %d" % o.id["P"])
        cls.other = Org(cls.s, "drugie", "ООО «Другие»")

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # ------------------------------------------------------------ helpers

    def complete(self, who, body):
        """Files the request as who, and the performer takes and completes
        it; returns the done request."""
        o = self.o
        r = o[who].post("/api/requests", body)
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        t = o.task("P", rid, "execution")
        self.assertIsNotNone(t, o.tasks("P"))
        r = o["P"].post("/api/tasks/%d/take" % t, {})
        self.assertEqual(r.status, 200, r)
        r = o["P"].post("/api/tasks/%d/complete" % t, {"comment": "готово"})
        self.assertEqual(r.status, 200, r)
        req = r.json()["request"]
        self.assertEqual(req["state"], "done")
        return req

    def download(self, client, rid, status=200):
        r = client.get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, status, r)
        if status != 200:
            return None, None
        self.assertEqual(r.headers["Content-Type"], "application/pdf")
        disp = r.headers["Content-Disposition"]
        self.assertTrue(disp.startswith("attachment;"), disp)
        name = urllib.parse.unquote(disp.split("filename*=UTF-8''")[1])
        self.assertTrue(r.body.startswith(b"%PDF-"))
        if os.environ.get("CABINET_KEEP_PDF"):  # a folder to look at the documents in
            with open(os.path.join(os.environ["CABINET_KEEP_PDF"], name), "wb") as f:
                f.write(r.body)
        return r.body, name

    # -------------------------------------------------------------- tests

    def test_employment_certificate(self):
        o = self.o
        req = self.complete("E1", {"type": "certificate_employment", "purpose": "в банк",
                                   "copies": 2})
        doc = req["result"]["document"]
        self.assertEqual(doc["url"], "/api/requests/%d/document" % req["id"])
        self.assertEqual(req["document_url"], doc["url"])
        data, name = self.download(o["E1"], req["id"])
        self.assertEqual(name, "Справка с места работы № %d по заявке № %d.pdf" % (doc["number"], req["number"]))
        text = pdf_text(data)
        line = one_line(text)
        # the organization's details
        self.assertIn(ORG, text)
        self.assertNotIn("ООО\n", text)  # the legal form kept with the name (a no-break space)
        self.assertIn("ИНН 7701234567, КПП 770101001, ОКПО 12345678", text)
        self.assertIn("Адрес: г. Москва, ул. Примерная, д. 1", text)
        self.assertIn("№ %d от %s" % (doc["number"], doc["date"]), text)
        self.assertRegex(doc["date"], r"^\d\d\.\d\d\.\d{4}$")
        # the employee
        self.assertIn("Иванов Иван Иванович работает в %s с 01.01.2020 по настоящее время"
                      % ORG, line)
        self.assertIn("Бухгалтер", text)
        self.assertIn("Бухгалтерия", text)
        self.assertIn("SPR-03", text)  # personnel number
        # the place as written, inside the sentence (the trial's F-cert-1)
        self.assertIn("Справка выдана для представления в банк.", line)
        self.assertNotIn("(место)", line)
        self.assertIn("Количество экземпляров: 2.", text)
        # signed by the performer who completed it
        self.assertIn("Специалист по кадрам", text)
        self.assertIn("Орлова Е. Н.", text)
        # fonts embedded
        fonts = pdf_fonts(data)
        self.assertIn("DejaVuSans", fonts)
        for row in fonts.splitlines()[2:]:
            self.assertEqual(row.split()[-5], "yes", fonts)  # emb
        # the same file is among the request's files
        files = o["E1"].get("/api/requests/%d" % req["id"]).json()["request"]["files"]
        self.assertIn(doc["file_id"], [f["id"] for f in files])
        r = o["E1"].get("/api/requests/%d/files/%d" % (req["id"], doc["file_id"]))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, data)
        # the next certificate gets the next number
        req2 = self.complete("E3", {"type": "certificate_employment"})
        self.assertEqual(req2["result"]["document"]["number"], doc["number"] + 1)
        text2 = pdf_text(self.download(o["E3"], req2["id"])[0])
        self.assertIn("Соколова Елена Павловна", text2)
        self.assertIn("по месту требования", text2)
        self.assertNotIn("Иванов", text2)

    def test_who_may_download(self):
        o = self.o
        req = self.complete("E1", {"type": "certificate_employment"})
        rid = req["id"]
        for who in ("E1", "P", "A"):  # self, performer, administrator
            self.download(o[who], rid)
        # colleagues, another department's people, and the managers: a
        # certificate is not theirs to approve, nor to see (access.h)
        for who in ("E2", "E3", "C", "E4", "M", "H"):
            self.download(o[who], rid, 404)
        self.download(self.other["A"], rid, 404)  # another tenant's administrator
        self.download(self.other["E1"], rid, 404)
        r = self.s.http("GET", "/api/requests/%d/document" % rid, host="spravki.localhost")
        self.assertEqual(r.status, 401)

    def test_completed_by_the_accounting_system_signed_by_the_head(self):
        o = self.o
        r = o.admin.post("/api/admin/api-keys", {"name": "1С"})
        self.assertEqual(r.status, 201, r)
        key = r.json()["key"]
        r = o["E2"].post("/api/requests", {"type": "certificate_employment"})
        rid = r.json()["id"]
        self.assertNotIn("document_url", r.json()["request"])
        x = Client(self.s, "spravki")
        r = x.request("POST", "/api/exchange/v1/requests/%d/state" % rid,
                      body={"state": "done", "comment": "из 1С"},
                      headers={"Authorization": "Bearer %s" % key, "Idempotency-Key": "cert-%d" % rid})
        self.assertEqual(r.status, 200, r)
        text = pdf_text(self.download(o["E2"], rid)[0])
        self.assertIn("Кузнецова Мария Олеговна", text)
        self.assertIn("Генеральный директор", text)
        self.assertIn("Петров П. П.", text)

    def test_before_done_and_other_types(self):
        o = self.o
        r = o["E1"].post("/api/requests", {"type": "certificate_employment"})
        rid = r.json()["id"]
        r = o["E1"].get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, 409, r)
        self.assertIn("Справка будет готова", r.json()["error"]["message"])
        o["E1"].post("/api/requests/%d/cancel" % rid, {})
        r = o["E1"].post("/api/requests", {"type": "question", "text": "Когда аванс?"})
        r = o["E1"].get("/api/requests/%d/document" % r.json()["id"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("нет документа", r.json()["error"]["message"])

    def test_vacation_balance_certificate(self):
        o = self.o
        bal = o["E3"].get("/api/vacation/balance?date=2026-12-31").json()
        req = self.complete("E3", {"type": "certificate_vacation_balance", "date": "31.12.2026"})
        data, name = self.download(o["E3"], req["id"])
        # its own register number and the request's, as the page shows it
        self.assertEqual(name, "Справка об остатке отпуска № %d по заявке № %d.pdf"
                         % (req["result"]["document"]["number"], req["number"]))
        text = pdf_text(data)
        line = one_line(text)
        self.assertIn(ORG, text)
        # the name stays in the nominative in a labelled field
        self.assertIn("Сотрудник: Соколова Елена Павловна. Остаток ежегодного оплачиваемого "
                      "отпуска на 31.12.2026 составляет", line)
        self.assertNotIn(",0 ", line)  # "35 дней", never "35,0 дней"
        self.assertIn(bal["balance_ru"], text)
        self.assertIn("%d месяц" % bal["service_months"], text)
        self.assertIn("Орлова Е. Н.", text)

    def test_vacation_application(self):
        o = self.o
        r = o["E1"].post("/api/requests", {"type": "vacation", "kind": "annual",
                                           "date_from": "2026-07-06", "date_to": "2026-07-19",
                                           "comment": "к морю"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        self.assertEqual(r.json()["request"]["document_url"], "/api/requests/%d/document" % rid)
        data, name = self.download(o["E1"], rid)
        self.assertEqual(name, "Заявление на отпуск № %d.pdf" % rid)
        line = one_line(pdf_text(data))
        self.assertIn("ЗАЯВЛЕНИЕ", line)
        # the head in the dative, as an application is addressed (ru.h's rule)
        self.assertIn("Генеральному директору %s Петрову П. П." % ORG, line.replace("\u00a0", " "))
        self.assertNotIn("Кому:", line)
        # the applicant in the genitive, as the printed form says it (F6;
        # the no-break spaces in the initials: test_date's test_ru_genitive,
        # the text extraction gives them as spaces)
        self.assertIn("от бухгалтера Иванова И. И. подразделение: Бухгалтерия, "
                      "таб. № SPR-03", line.replace("\u00a0", " "))
        self.assertIn("Прошу предоставить мне ежегодный оплачиваемый отпуск с 06.07.2026 по "
                      "19.07.2026 (14 календарных дней).", line)
        self.assertIn("Комментарий: к морю", line)
        self.assertIn("Заявка № %d" % rid, line)
        self.assertIn("состояние: на согласовании", line)
        self.assertIn("Иванов И. И.", line)
        self.assertNotIn("Согласовано:", line)
        # the manager approves: the application says so; the manager may print it
        t = o.task("M", rid, "approval")
        self.assertEqual(o["M"].post("/api/tasks/%d/approve" % t, {}).status, 200)
        line = one_line(pdf_text(self.download(o["M"], rid)[0]))
        self.assertIn("Согласовано: Смирнова Анна Сергеевна", line)
        self.download(o["E2"], rid, 404)
        self.download(self.other["A"], rid, 404)
        o["E1"].post("/api/requests/%d/cancel" % rid, {})

    def test_vacation_application_leaves_out_the_holidays(self):
        """The application states the vacation's length as its notifications
        and the balance count it: 22.02-09.03.2027 holds 23.02 and 08.03,
        14 days of vacation, not 16 (art. 120 ТК РФ)."""
        o = self.o
        r = o["E1"].post("/api/requests", {"type": "vacation", "kind": "annual",
                                           "date_from": "2027-02-22", "date_to": "2027-03-09"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        line = one_line(pdf_text(self.download(o["E1"], rid)[0]))
        self.assertIn("Прошу предоставить мне ежегодный оплачиваемый отпуск с 22.02.2027 по "
                      "09.03.2027 (14 календарных дней, не считая 2 нерабочих праздничных).", line)
        o["E1"].post("/api/requests/%d/cancel" % rid, {})

    def test_absence_application(self):
        o = self.o
        r = o["E2"].post("/api/requests", {"type": "absence", "reason": "public_duty",
                                           "date_from": "2026-09-01", "date_to": "2026-09-01"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        data, name = self.download(o["E2"], rid)
        self.assertEqual(name, "Заявление на отсутствие № %d.pdf" % rid)
        line = one_line(pdf_text(data))
        self.assertIn("с 01.09.2026 по 01.09.2026 (1 календарный день) по причине: исполнение "
                      "государственных обязанностей.", line)
        # withdrawn: no application any more, neither offered nor served
        self.assertEqual(o["E2"].post("/api/requests/%d/cancel" % rid, {}).status, 200)
        self.assertNotIn("document_url", o["E2"].get("/api/requests/%d" % rid).json()["request"])
        r = o["E2"].get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"], "Заявка отозвана: заявление по ней не подаётся")
        self.download(o["A"], rid, 409)

    def test_application_only_while_it_means_something(self):
        """A draft has no application yet; a rejected request none any more."""
        o = self.o
        r = o["E1"].post("/api/requests", {"type": "vacation", "kind": "annual", "draft": True,
                                           "date_from": "2026-10-05", "date_to": "2026-10-09"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        self.assertNotIn("document_url", o["E1"].get("/api/requests/%d" % rid).json()["request"])
        r = o["E1"].get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, 409, r)
        self.assertIn("черновик", r.json()["error"]["message"])
        self.assertEqual(o["E1"].post("/api/requests/%d/submit" % rid, {}).status, 200)
        self.assertIn("document_url", o["E1"].get("/api/requests/%d" % rid).json()["request"])
        self.download(o["E1"], rid)
        t = o.task("M", rid, "approval")
        r = o["M"].post("/api/tasks/%d/reject" % t, {"reason": "конец квартала"})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("document_url", o["E1"].get("/api/requests/%d" % rid).json()["request"])
        r = o["E1"].get("/api/requests/%d/document" % rid)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"], "Заявка отклонена: заявление по ней не подаётся")


    # ----------------------------------------------- справка о доходах

    CODES = {"salary": 2000, "bonus": 2002, "vacation_pay": 2012, "sick_pay": 2300,
             "material_aid": 2760}

    def test_income_certificate_equals_the_payslips(self):
        """A half year of 2025 through the API: salary, an annual vacation
        in March, a sick leave in May, a bonus in April, material aid in
        June, a child deduction, an advance and the salary paid for
        February; each month calculated and closed. The certificate shows
        each month's income by code by the month it was paid and the year's
        tax as the payslips do."""
        o, s = self.o, self.s
        eid = o.id["E3"]
        s.psql("UPDATE employees SET insurance_years = 10, insurance_months = 0, "
               "insurance_as_of = '2025-01-01', inn = '500100732259', birth_date = '1990-05-17', "
               "passport = '{\"series\": \"4510\", \"number\": \"123456\"}' WHERE id = %d" % eid)
        a = o.admin
        r = a.put("/api/admin/employees/%d/ndfl-children" % eid,
                  {"children": [{"order": 1, "from": "2025-01-01"}]})
        self.assertEqual(r.status, 200, r)
        for body in ({"code": "ОТ", "date_from": "2025-03-10", "date_to": "2025-03-23"},
                     {"code": "Б", "date_from": "2025-05-12", "date_to": "2025-05-16"}):
            body["employee_id"] = eid
            r = a.post("/api/admin/deviations", body)
            self.assertEqual(r.status, 201, r)
        for month, kind, amount in (("2025-04", "bonus", "10000"), ("2025-06", "material_aid", "6000")):
            r = a.post("/api/admin/accruals", {"employee_id": eid, "month": month, "kind": kind,
                                               "amount": amount, "title": kind})
            self.assertEqual(r.status, 201, r)
        for m in range(1, 7):
            month = "2025-%02d" % m
            r = a.post("/api/admin/payroll/%s/calculate" % month, {"employees": [eid]})
            self.assertEqual(r.status, 200, r)
            if m == 2:
                for date, kind in (("2025-02-20", "advance"), ("2025-03-05", "salary")):
                    r = a.post("/api/admin/payments", {"employee_id": eid, "date": date, "kind": kind})
                    self.assertEqual(r.status, 201, r)
            r = a.post("/api/admin/payroll/%s/close" % month)
            self.assertEqual(r.status, 200, r)
        slips = {}
        for m in range(1, 7):
            r = o["E3"].get("/api/payslips/2025-%02d" % m)
            self.assertEqual(r.status, 200, r)
            slips[m] = r.json()
        kinds = {a["kind"] for sl in slips.values() for a in sl["accruals"]}
        self.assertTrue({"salary", "vacation_pay", "sick_pay", "bonus", "material_aid"} <= kinds, kinds)

        req = self.complete("E3", {"type": "certificate_ndfl", "year": 2025})
        doc = req["result"]["document"]
        data, name = self.download(o["E3"], req["id"])
        self.assertEqual(name, "Справка о доходах за 2025 год № %d по заявке № %d.pdf" % (doc["number"], req["number"]))
        text = pdf_text(data).replace("\u00a0", " ")
        line = one_line(text)
        self.assertIn("Форма по КНД 1175018", text)
        self.assertIn("Справка о доходах и суммах налога физического лица", text)
        self.assertIn("за 2025 год от %s № %d" % (doc["date"], doc["number"]), text)
        self.assertIn(ORG, text)
        self.assertIn("7701234567 / 770101001", text)
        self.assertIn("Соколова Елена Павловна", text)
        self.assertIn("500100732259", text)
        self.assertIn("17.05.1990", text)
        self.assertIn("4510 123456", text)

        def ru(x):  # "60000.00" -> "60 000,00"
            whole, frac = ("%.2f" % x).split(".")
            return "{:,}".format(int(whole)).replace(",", " ") + "," + frac

        def kop(text):
            return int(round(float(text) * 100))

        # each month's income by code, as its payslip's lines add up
        rows = re.findall(r"^\s*(\d\d)\s+(\d{4})\s+([\d ]+,\d\d)(?:\s+(\d{3})\s+([\d ]+,\d\d))?\s*$",
                          text, re.M)
        got = {(int(mm), int(code)): amount for mm, code, amount, _, _ in rows}
        want = {}
        for m, sl in slips.items():
            for acc in sl["accruals"]:
                key = (m, self.CODES[acc["kind"]])
                want[key] = want.get(key, 0) + kop(acc["amount"])
        # the income date is the payment date (Tax Code art. 223 p. 2): the
        # February salary paid on 5 March is March's income, the advance of
        # 20 February (40 % of the rate) February's
        want[(3, 2000)] += want[(2, 2000)] - 2400000
        want[(2, 2000)] = 2400000
        self.assertEqual(got, {k: ru(v / 100) for k, v in want.items()})
        self.assertIn((6, 2760), got)
        self.assertIn(("06", "2760", ru(6000), "503", ru(4000)),
                      [(a, b, c, d, e) for a, b, c, d, e in rows if d])
        # the year's totals: income, base and tax as the payslips say
        income = sum(kop(sl["accrued"]) for sl in slips.values())
        tax = sum(kop(sl["deducted"]) for sl in slips.values())
        self.assertIn("Общая сумма дохода %s" % ru(income / 100), line)
        self.assertIn("Налоговая база %s" % ru(kop(slips[6]["ndfl_base_ytd"]) / 100), line)
        self.assertIn("Сумма налога исчисленная %s" % ru(tax / 100), line)
        self.assertIn("Сумма налога удержанная %s" % ru(tax / 100), line)
        self.assertIn("Сумма налога, не удержанная налоговым агентом 0,00", line)
        self.assertIn("Ставка налога, % 13", line)
        # the child deduction: 1 400 a month of the first child, code 126
        self.assertRegex(line, r"126 %s" % ru(1400 * 6))
        self.assertIn("Орлова Е. Н.", text)

    def test_income_certificate_of_a_year_without_closed_months(self):
        o = self.o
        r = o["E2"].post("/api/requests", {"type": "certificate_ndfl", "year": 2023})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        t = o.task("P", rid, "execution")
        self.assertEqual(o["P"].post("/api/tasks/%d/take" % t, {}).status, 200)
        r = o["P"].post("/api/tasks/%d/complete" % t, {})
        self.assertEqual(r.status, 409, r)
        self.assertIn("нет закрытых месяцев", r.json()["error"]["message"])
        # nothing changed: the task is still the performer's, no number was used
        self.assertEqual(o["E2"].get("/api/requests/%d" % rid).json()["request"]["state"], "in_progress")
        self.assertEqual(o.task("P", rid, "execution"), t)
        self.download(o["E2"], rid, 409)
        o["E2"].post("/api/requests/%d/cancel" % rid, {})


if __name__ == "__main__":
    unittest.main()
