"""The accountant's payroll inputs on the admin pages (issue 11 items 2, 3,
4, 6a), posted as the browser posts them (urlencoded forms with the CSRF
token): each form goes through the API's operation, so what it stores is
read back through the API, and a refusal comes back as the page with the
message at its field."""
import datetime
import os
import sys
import unittest
import urllib.parse
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
from stack import Stack, add_employee, add_five_day_schedule, add_paid_employee, tenant_with_admin  # noqa: E402



class PayForms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack("payforms").__enter__()
        cls.tid, _, cls.admin = tenant_with_admin(cls.s, "payforms")
        cls.five = add_five_day_schedule(cls.s, cls.tid)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def employee(self, name):
        return add_paid_employee(self.s, self.tid, name, self.five, "2024-01-15")

    def form(self, path, fields):
        """POSTs a form as the page does; fields: a list of (name, value)."""
        body = urllib.parse.urlencode([("_csrf", self.admin.csrf)] + list(fields)).encode()
        return self.admin.post(path, raw=body,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_accruals_and_payments_on_the_payslip_page(self):
        eid = self.employee("Премиальная Анна")
        page = "/admin/payroll/2025-03/employees/%d" % eid
        r = self.admin.get(page)
        self.assertEqual(r.status, 200, r)
        self.assertIn("ещё не сформирован", r.text)
        # a bad amount: the page again, the message at the amount, the title kept
        r = self.form(page + "/accruals", [("kind", "bonus"), ("amount", "30 00"), ("title", "за март")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-accrual-amount"', r.text)
        self.assertIn('value="за март"', r.text)
        self.assertEqual(self.admin.get("/api/admin/accruals?employee_id=%d" % eid).json()["accruals"], [])
        r = self.form(page + "/accruals", [("kind", "material_aid"), ("amount", "30 500,50"), ("title", "")])
        self.assertEqual(r.status, 303, r)
        acc = self.admin.get("/api/admin/accruals?employee_id=%d" % eid).json()["accruals"]
        self.assertEqual([(a["kind"], a["amount"], a["month"]) for a in acc], [("material_aid", "30500.50", "2025-03")])
        # the payment with no amount: the advance by the setting (40 % of 60 000)
        r = self.form(page + "/payments", [("date", "20.03.2025"), ("kind", "advance"), ("amount", "")])
        self.assertEqual(r.status, 303, r)
        pays = self.admin.get("/api/admin/payments?employee_id=%d" % eid).json()["payments"]
        self.assertEqual([(p["kind"], p["date"], p["amount"]) for p in pays], [("advance", "2025-03-20", "24000.00")])
        text = self.admin.get(page).text
        self.assertIn("Материальная помощь", text)
        self.assertIn("30\u00a0500,50", text)
        self.assertIn("20.03.2025", text)
        # a final settlement on a day that is not the dismissal: refused at the date
        r = self.form(page + "/payments", [("date", "21.03.2025"), ("kind", "final"), ("amount", "")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-date"', r.text)
        self.assertIn("в день увольнения", r.text)
        # deleted from the page
        r = self.form(page + "/payments/%d/delete" % pays[0]["id"], [])
        self.assertEqual(r.status, 303, r)
        r = self.form(page + "/accruals/%d/delete" % acc[0]["id"], [])
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.admin.get("/api/admin/payments?employee_id=%d" % eid).json()["payments"], [])
        self.assertEqual(self.admin.get("/api/admin/accruals?employee_id=%d" % eid).json()["accruals"], [])
        # another organization's employee: 404
        other = add_employee(self.s, tenant_with_admin(self.s, "payforms-other")[0], "Чужой Иван")
        self.assertEqual(self.admin.get("/admin/payroll/2025-03/employees/%d" % other).status, 404)

    def test_payment_dates(self):
        """A payment is recorded when the money leaves: a date after today (the
        organization's zone), before the hire, or of another month than the
        payslip page's is refused at the date; nothing is stored."""
        eid = self.employee("Датова Дарья")
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()
        tomorrow = today + datetime.timedelta(days=1)
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": tomorrow.isoformat(),
                                                    "kind": "advance", "amount": "1000.00"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"]["date"],
                         "Выплату записывают в день, когда деньги выплачены: дата %s ещё не наступила "
                         "(сегодня %s)" % (tomorrow.strftime("%d.%m.%Y"), today.strftime("%d.%m.%Y")))
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": "2024-01-10",
                                                    "kind": "advance", "amount": "1000.00"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("15.01.2024", r.json()["error"]["fields"]["date"])
        # today itself is a payment day
        r = self.admin.post("/api/admin/payments", {"employee_id": eid, "date": today.isoformat(),
                                                    "kind": "advance", "amount": "1000.00"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.admin.delete("/api/admin/payments/%d" % r.json()["payment"]["id"]).status, 200)
        page = "/admin/payroll/2025-03/employees/%d" % eid
        # the March page: an advance dated in April would land on April's payslip
        r = self.form(page + "/payments", [("date", "20.04.2025"), ("kind", "advance"), ("amount", "100")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-date"', r.text)
        self.assertIn("Дата выплаты за март 2025 г. — в этом месяце (с 01.03.2025 по 31.03.2025), "
                      "а указана 20.04.2025", r.text)
        # a salary for March is paid in March or later, not before
        r = self.form(page + "/payments", [("date", "28.02.2025"), ("kind", "salary"), ("amount", "100")])
        self.assertEqual(r.status, 422, r)
        self.assertIn("Зарплату за март 2025 г. выплачивают не раньше 01.03.2025, а дата выплаты 28.02.2025",
                      r.text)
        self.assertEqual(self.admin.get("/api/admin/payments?employee_id=%d" % eid).json()["payments"], [])
        # March's salary paid on 10 April from the March page settles March (once March is
        # calculated: a salary of a month not calculated is refused, trial-break 2 G1)
        r = self.form(page + "/payments", [("date", "10.04.2025"), ("kind", "salary"), ("amount", "100")])
        self.assertEqual(r.status, 409, r)
        self.assertIn("Сначала рассчитайте месяц", r.text)
        r = self.admin.post("/api/admin/payroll/2025-03/calculate", {"employees": [eid]})
        self.assertEqual(r.status, 200, r)
        r = self.form(page + "/payments", [("date", "10.04.2025"), ("kind", "salary"), ("amount", "100")])
        self.assertEqual(r.status, 303, r)
        pays = self.admin.get("/api/admin/payments?employee_id=%d" % eid).json()["payments"]
        self.assertEqual([(p["date"], p["month"]) for p in pays], [("2025-04-10", "2025-03")])

    def test_stale_result_and_closed_month_on_the_payslip_page(self):
        """A bonus added after the calculation: the totals are said to be
        stale until recalculated; a closed month shows no accrual form (and
        says why), its payments are still recorded."""
        eid = self.employee("Закрытый Пётр")
        page = "/admin/payroll/2024-11/employees/%d" % eid
        r = self.admin.post("/api/admin/payroll/2024-11/calculate", {"employees": [eid]})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("Результат устарел", self.admin.get(page).text)
        r = self.form(page + "/accruals", [("kind", "bonus"), ("amount", "10 000"), ("title", "за ноябрь")])
        self.assertEqual(r.status, 303, r)
        text = self.admin.get(page).text
        self.assertIn("Результат устарел — пересчитайте: после расчёта изменились разовые начисления", text)
        self.assertIn("Всего начислено", text)
        r = self.admin.post("/api/admin/payroll/2024-11/calculate", {"employees": [eid]})
        self.assertEqual(r.status, 200, r)
        text = self.admin.get(page).text
        self.assertNotIn("Результат устарел", text)
        self.assertIn('id="form-accrual"', text)
        r = self.admin.post("/api/admin/payroll/2024-11/close")
        self.assertEqual(r.status, 200, r)
        text = self.admin.get(page).text
        self.assertNotIn('id="form-accrual"', text)
        self.assertNotIn("/accruals/", text)  # no delete of the bonus either
        self.assertIn("Расчёт за ноябрь 2024 г. закрыт: премии и материальную помощь за этот месяц не добавить", text)
        self.assertIn('id="form-payment"', text)
        self.assertIn("выплаты за него записываются", text)
        r = self.form(page + "/payments", [("date", "05.12.2024"), ("kind", "salary"), ("amount", "")])
        self.assertEqual(r.status, 303, r)

    def test_home_page_names_what_payroll_lacks(self):
        """The trial's employee hired before the first calculated month with
        no opening balances and no insurance record, an organization never
        entered: each on the home page with a link to the page that fixes
        it, gone once fixed."""
        s = self.s
        tid, _, admin = tenant_with_admin(s, "payforms-home")
        eid = add_paid_employee(s, tid, "Новикова Ольга", add_five_day_schedule(s, tid), "2025-02-01")
        balance, card = ('href="/admin/employees/%d/opening-balance"' % eid,
                         'href="/admin/employees/%d/edit"' % eid)
        home = admin.get("/admin/").text
        self.assertNotIn(balance, home)  # nothing calculated yet: no first month
        self.assertIn("1 сотрудник без страхового стажа", home)
        self.assertIn(card, home)
        # the connected organization by its name, its form to fill (F11)
        self.assertIn("1 организация без ИНН или КПП", home)
        self.assertIn('href="/admin/organizations/new">payforms-home</a>', home)
        self.assertNotIn("Всё в порядке", home)
        r = admin.post("/api/admin/payroll/2026-10/calculate", {"employees": [eid]})
        self.assertEqual(r.status, 200, r)
        home = admin.get("/admin/").text
        self.assertIn("1 сотрудник без входящих остатков", home)
        self.assertIn(balance, home)
        # fixed: the opening balance, the insurance record, the organization (КПП missing first)
        s.psql("INSERT INTO opening_balances (tenant_id, employee_id, as_of) VALUES (%d, %d, '2026-09-30')"
               % (tid, eid))
        s.psql("UPDATE employees SET insurance_years = 3, insurance_months = 0, insurance_as_of = '2025-02-01' "
               "WHERE id = %d" % eid)
        oid = int(s.psql("INSERT INTO organizations (tenant_id, external_id, name, inn) VALUES "
                         "(%d, 'o1', 'ООО «Дом»', '7707083893') RETURNING id" % tid))
        home = admin.get("/admin/").text
        self.assertNotIn(balance, home)
        self.assertNotIn(card, home)
        self.assertIn("1 организация без ИНН или КПП", home)
        self.assertIn('href="/admin/organizations/%d/edit">ООО «Дом»' % oid, home.replace("&laquo;", "«")
                      .replace("&raquo;", "»"))
        s.psql("UPDATE organizations SET kpp = '770701001' WHERE id = %d" % oid)
        self.assertIn("Всё в порядке", admin.get("/admin/").text)

    def test_payroll_page_warns_of_missing_opening_balances_before_calculating(self):
        """U2: an organization that starts mid-year is told on the payroll
        page, before the first calculation, who lacks opening balances and
        what they are (with a link to each one's page), and again in the
        close's confirmation; a newcomer hired in the month is not named;
        entered balances end the warning."""
        s = self.s
        tid, _, admin = tenant_with_admin(s, "payforms-openbal")
        five = add_five_day_schedule(s, tid)
        eid = add_paid_employee(s, tid, "Старожилова Ольга", five, "2025-02-01")
        add_paid_employee(s, tid, "Новенькая Ирина", five, "2026-10-05")
        link = 'href="/admin/employees/%d/opening-balance"' % eid
        page = admin.get("/admin/payroll?month=2026-10")
        self.assertEqual(page.status, 200, page)
        text = page.text
        self.assertIn("Перед расчётом за октябрь 2026 г.: 1 сотрудник без входящих остатков.", text)
        self.assertIn("Приняты до 01.10.2026, а сервис не знает их доходов и НДФЛ с 1 января, "
                      "заработка прежних месяцев и использованных дней отпуска.", text)
        self.assertIn(link + ">Старожилова Ольга</a>", text)
        self.assertNotIn("Новенькая Ирина", text)
        self.assertIn('value="2026-10"', text)
        # January: nothing of the НДФЛ year is before it
        text = admin.get("/admin/payroll?month=2026-01").text
        self.assertIn("сервис не знает их заработка прежних месяцев и использованных дней отпуска", text)
        # the API says the same to a program
        js = admin.get("/api/admin/payroll?month=2026-10").json()
        self.assertEqual((js["month"], js["openbal_missing"]["count"]), ("2026-10", 1))
        self.assertEqual(js["openbal_missing"]["people"],
                         [{"full_name": "Старожилова Ольга",
                           "href": "/admin/employees/%d/opening-balance" % eid}])
        # calculated: the document's page and its close's confirmation name her
        r = admin.post("/api/admin/payroll/2026-10/calculate", {})
        self.assertEqual(r.status, 200, r)
        text = admin.get("/admin/payroll/2026-10").text
        self.assertIn("Без входящих остатков 1 сотрудник: Старожилова Ольга — их НДФЛ, отпускные и "
                      "больничные посчитаны без данных прежних месяцев.", text)
        self.assertIn(link, text)
        # entered: no warning anywhere
        r = admin.put("/api/admin/employees/%d/opening-balance" % eid,
                      {"as_of": "2026-09-30", "vacation_days_used": 10})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("без входящих остатков", admin.get("/admin/payroll?month=2026-10").text)
        self.assertNotIn("Без входящих остатков", admin.get("/admin/payroll/2026-10").text)
        self.assertNotIn("openbal_missing", admin.get("/api/admin/payroll").json())

    def test_home_says_what_to_do_first_and_asks_for_the_hire_date(self):
        """F-home-1: a new organization's home (the administrator's own card
        at most) says to load the staff first, with the links; F-own-1: an
        employee without a hire date (the connecting administrator's card)
        is a todo item linked to the card's form."""
        s = self.s
        tid, _, admin = tenant_with_admin(s, "payforms-first")
        home = admin.get("/admin/").text
        self.assertIn("С чего начать", home)
        for href in ("/admin/import", "/admin/employees/new", "/admin/publication", "/admin/cabinets"):
            self.assertIn('href="%s"' % href, home)
        own = add_employee(s, tid, "Первая Анна Ивановна")
        home = admin.get("/admin/").text
        self.assertIn("С чего начать", home)  # her own card only
        self.assertIn("1 сотрудник без даты приёма", home)
        self.assertIn('href="/admin/employees/%d/edit">Первая Анна Ивановна' % own, home)
        add_employee(s, tid, "Второй Борис Петрович", hired="2025-02-01")
        home = admin.get("/admin/").text
        self.assertNotIn("С чего начать", home)
        self.assertIn("1 сотрудник без даты приёма", home)
        s.psql("UPDATE employees SET hired = '2025-01-10' WHERE id = %d" % own)
        self.assertNotIn("без даты приёма", admin.get("/admin/").text)

    def test_opening_balance_page(self):
        eid = self.employee("Остаткова Ольга")
        page = "/admin/employees/%d/opening-balance" % eid
        r = self.admin.get(page)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.text.count('name="month[]"'), 12)
        rows = [("2025-01", "60 000,00", ""), ("", "", ""), ("2025-02", "55 000,50", "3")]
        fields = [("as_of", "28.02.2025"), ("vacation_days_used", "12,5")]
        for m, e, x in rows:
            fields += [("month[]", m), ("earnings[]", e), ("excluded_days[]", x)]
        fields += [("ndfl_year", "2025"), ("ndfl_income", "115 000,50"), ("ndfl_deductions", "0"),
                   ("ndfl_tax", "14 950")]
        # a bad row: named by its number, nothing stored, what was typed kept
        bad = [(k, "30 00" if v == "55 000,50" else v) for k, v in fields]
        r = self.form(page, bad)
        self.assertEqual(r.status, 422, r)
        # the message at the third row's earnings, not at the top
        self.assertRegex(r.text, r'<input name="earnings\[\]" value="30 00"[^>]*aria-label="Заработок, строка 3" '
                                 r'aria-invalid="true" aria-describedby="e-earnings-3">'
                                 r'<span class="field-error" id="e-earnings-3">[^<]*рубл')
        self.assertEqual(r.text.count('aria-invalid="true"'), 1)
        self.assertNotIn('id="e-months"', r.text)
        self.assertEqual(self.admin.get("/api/admin/employees/%d/opening-balance" % eid).status, 404)
        r = self.form(page, fields)
        self.assertEqual(r.status, 303, r)
        # the page it goes back to says that it saved
        self.assertEqual(r.headers["Location"].split("?")[1], "saved=1")
        self.assertIn("Начальные остатки сохранены.", self.admin.get(page + "?saved=1").text)
        self.assertNotIn("Начальные остатки сохранены.", self.admin.get(page).text)
        b = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).json()
        self.assertEqual(b["as_of"], "2025-02-28")
        self.assertEqual(b["vacation_days_used"], 12.5)
        self.assertEqual([(m["month"], m["earnings"], m["excluded_days"]) for m in b["months"]],
                         [("2025-01", "60000.00", 0), ("2025-02", "55000.50", 3)])
        self.assertEqual(b["ndfl"], {"year": 2025, "income": "115000.50", "deductions": "0.00", "tax": "14950.00"})
        # the answer's numbers are numbers as the PUT takes them: 40, not "40.00" or 40.00
        body = {"as_of": "2025-02-28", "vacation_days_used": 40,
                "months": [{"month": "2025-01", "earnings": "60000.00", "excluded_days": 2}]}
        r = self.admin.put("/api/admin/employees/%d/opening-balance" % eid, body)
        self.assertEqual(r.status, 200, r)
        raw = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).text
        self.assertIn('"vacation_days_used":40,', raw.replace(" ", ""))
        self.assertIn('"excluded_days":2}', raw.replace(" ", ""))
        r = self.form(page, fields)
        self.assertEqual(r.status, 303, r)
        # the page shows what is stored as people type it: comma, date, spaces
        text = self.admin.get(page).text
        self.assertIn('value="55\u00a0000,50"', text)
        self.assertIn('value="28.02.2025"', text)
        self.assertIn('value="12,5"', text)
        self.assertIn('value="115\u00a0000,50"', text)
        self.assertNotIn('value="55000.50"', text)
        # and reads it back as it showed it
        again = [("as_of", "28.02.2025"), ("vacation_days_used", "12,5"), ("month[]", "2025-02"),
                 ("earnings[]", "55\u00a0000,50"), ("excluded_days[]", "3"), ("ndfl_year", "2025"),
                 ("ndfl_income", "115\u00a0000,50"), ("ndfl_deductions", "0,00"), ("ndfl_tax", "14\u00a0950,00")]
        self.assertEqual(self.form(page, again).status, 303)
        b = self.admin.get("/api/admin/employees/%d/opening-balance" % eid).json()
        self.assertEqual((b["vacation_days_used"], b["months"][0]["earnings"]), (12.5, "55000.50"))
        self.form(page, fields)
        # the НДФЛ of another year than the date's: at its field
        r = self.form(page, [(k, "2024" if k == "ndfl_year" else v) for k, v in fields])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-ndfl_year"', r.text)

    def test_deviation_cause_and_payment_date(self):
        eid = self.employee("Отпускная Вера")
        r = self.form("/admin/deviations", [("employee_id", str(eid)), ("employee", ""), ("code", "ОТ"),
                                            ("date_from", "10.03.2025"), ("date_to", "14.03.2025"),
                                            ("date", ""), ("hours", ""), ("note", ""), ("cause", ""),
                                            ("paid", "05.03.2025")])
        self.assertEqual(r.status, 303, r)
        r = self.form("/admin/deviations", [("employee_id", str(eid)), ("employee", ""), ("code", "Б"),
                                            ("date_from", "17.03.2025"), ("date_to", "19.03.2025"),
                                            ("date", ""), ("hours", ""), ("note", ""), ("cause", "care"),
                                            ("paid", "")])
        self.assertEqual(r.status, 303, r)
        devs = self.admin.get("/api/admin/deviations?employee_id=%d&month=2025-03" % eid).json()["deviations"]
        got = {(d["code"], d.get("paid"), d.get("cause")) for d in devs}
        self.assertEqual(got, {("ОТ", "2025-03-05", None), ("Б", None, "care")})
        # the payment date after the start: at the field
        r = self.form("/admin/deviations", [("employee_id", str(eid)), ("employee", ""), ("code", "ОТ"),
                                            ("date_from", "01.04.2025"), ("date_to", "02.04.2025"),
                                            ("cause", ""), ("paid", "03.04.2025")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-paid"', r.text)
        page = self.admin.get("/admin/deviations").text
        self.assertIn('data-when-code="Б"', page)
        self.assertIn("за 3 дня до начала отпуска", page)

    def test_illness_during_a_vacation_on_the_form(self):
        """Art. 124 through the deviation form: the page carries the choice
        (its script shows it when a Б overlaps a vacation), posted it goes
        through deviations.create: "extend" moves the vacation's end by the
        days of illness (calendar days, no holiday among them)."""
        eid = self.employee("Болеющая Отпускница")
        base = [("employee_id", str(eid)), ("employee", ""), ("date", ""), ("hours", ""), ("note", ""),
                ("cause", ""), ("paid", "")]
        r = self.form("/admin/deviations", base + [("code", "ОТ"), ("date_from", "10.03.2025"),
                                                   ("date_to", "14.03.2025")])
        self.assertEqual(r.status, 303, r)
        page = self.admin.get("/admin/deviations").text
        self.assertIn("data-when-vacation", page)
        self.assertIn('name="vacation" value="extend"', page)
        # a bad choice: at its field, nothing stored
        r = self.form("/admin/deviations", base + [("code", "Б"), ("date_from", "12.03.2025"),
                                                   ("date_to", "13.03.2025"), ("vacation", "later")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-vacation"', r.text)
        r = self.form("/admin/deviations", base + [("code", "Б"), ("date_from", "12.03.2025"),
                                                   ("date_to", "13.03.2025"), ("vacation", "extend")])
        self.assertEqual(r.status, 303, r)
        devs = self.admin.get("/api/admin/deviations?employee_id=%d" % eid).json()["deviations"]
        self.assertEqual(sorted((d["code"], d["date_from"], d["date_to"]) for d in devs),
                         [("Б", "2025-03-12", "2025-03-13"), ("ОТ", "2025-03-10", "2025-03-16")])

    def test_regional_pay_of_the_organization_and_the_employee(self):
        eid = self.employee("Северный Пётр")
        r = self.form("/admin/payroll/settings", [("advance_mode", "percent"), ("advance_percent", "50"),
                                                  ("district_coefficient", "1,15"), ("northern_percent", "30")])
        self.assertEqual(r.status, 303, r)
        st = self.admin.get("/api/admin/payroll/settings").json()
        self.assertEqual((st["district_coefficient"], st["northern_percent"], st["advance_percent"]), (1.15, 30, 50))
        # shown with a decimal comma; a point is read as well
        self.assertIn('name="district_coefficient" value="1,15"', self.admin.get("/admin/payroll/settings").text)
        r = self.form("/admin/payroll/settings", [("advance_mode", "percent"), ("advance_percent", "50"),
                                                  ("district_coefficient", "1.2"), ("northern_percent", "30")])
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.admin.get("/api/admin/payroll/settings").json()["district_coefficient_ru"], "1,2")
        self.assertIn('name="district_coefficient" value="1,2"', self.admin.get("/admin/payroll/settings").text)
        r = self.form("/admin/payroll/settings", [("district_coefficient", "0,5")])
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-district_coefficient"', r.text)
        r = self.form("/admin/employees/%d/pay" % eid, [("date_from", "01.02.2025"), ("rate", "60 000"),
                                                        ("pay_by", "days"), ("norm", ""),
                                                        ("district_coefficient", "1,5"), ("northern_percent", "")])
        self.assertEqual(r.status, 303, r)
        terms = self.admin.get("/api/admin/employees/%d/pay" % eid).json()["terms"]
        last = [t for t in terms if t["date_from"] == "2025-02-01"][0]
        self.assertEqual(last["district_coefficient"], 1.5)
        self.assertNotIn("northern_percent", last)
        page = self.admin.get("/admin/employees/%d/pay" % eid).text
        self.assertIn("коэффициент 1,50; надбавка как в организации", page)
        # February calculated: the employee's own coefficient, the organization's allowance
        r = self.admin.post("/api/admin/payroll/2025-02/calculate", {"employees": [eid]})
        self.assertEqual(r.status, 200, r)
        slip = self.admin.get("/api/admin/payslips/%d/2025-02" % eid).json()
        lines = {a["kind"]: a["amount"] for a in slip["accruals"]}
        self.assertEqual(lines.get("district_coefficient"), "30000.00")
        self.assertEqual(lines.get("northern_allowance"), "18000.00")
        self.s.psql("UPDATE tenants SET settings = settings - 'district_coefficient' - 'northern_percent' "
                    "- 'advance_percent' WHERE id = %d" % self.tid)


if __name__ == "__main__":
    unittest.main()
