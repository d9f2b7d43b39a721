#!/usr/bin/env python3
"""scripts/demo_data.py - the demo organization's content (called by demo.sh).

Everything goes through the service's own HTTP API, as an administrator and an
accounting system would send it: a work schedule, an API key and the exchange
(the organization, three departments with their heads — the director heads
«Дирекция», so nobody below him approves his requests: by the staff rule a
department's head goes to the organization's head, himself, so approval is
skipped —, positions, 30 employees
with schedules and pay terms; the responsible person arrives as an employee
too and keeps her one cabinet), deviations, the timesheets and the payroll of
the twelve months before this one (all closed, so the employee site's
salary chart - the twelve months before the current one in the organization's
zone - has every bar at once), and cabinets in each of the eight states plus a disabled
one. Prints nothing; exits 0 when it filled the organization, 3 when it had
been filled before.

Usage: demo_data.py PORT BASE_DOMAIN ADMIN_LOGIN ADMIN_PASSWORD"""
import datetime
import http.client
import json
import sys
import time
import urllib.parse

PORT, BASE, LOGIN, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
HOST = "demo.%s:%d" % (BASE, PORT)
cookies, csrf = {}, None


def call(method, path, body=None, key=None, ok=(200, 201, 202, 204)):
    """One request; waits and retries when the site's request limits answer 429."""
    global csrf
    for _ in range(30):
        h = {"Host": HOST, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if key:
            h["Authorization"] = "Bearer " + key
        else:
            if cookies:
                h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
            if csrf and method != "GET":
                h["X-CSRF-Token"] = csrf
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        for sc in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = sc.partition("=")
            cookies[name.strip()] = rest.split(";")[0]
        c.close()
        if r.status == 429:
            time.sleep(float(r.headers.get("Retry-After") or 1))
            continue
        js = json.loads(raw) if raw else {}
        if r.status not in ok:
            sys.exit("demo_data: %s %s answered %d: %s" % (method, path, r.status, raw[:300].decode(errors="replace")))
        if isinstance(js, dict) and js.get("csrf"):
            csrf = js["csrf"]
        return js
    sys.exit("demo_data: %s %s: too many requests" % (method, path))


def month_add(d, n):
    m = d.year * 12 + d.month - 1 + n
    return datetime.date(m // 12, m % 12 + 1, 1)


# ------------------------------------------------------------------ the staff

call("POST", "/api/auth/login", {"login": LOGIN, "password": PASSWORD})
if call("GET", "/api/admin/employees?limit=1")["total"] > 1:
    sys.exit(3)  # filled before
today = datetime.date.fromisoformat(call("GET", "/api/admin/settings")["today"])
shipped = set(call("GET", "/api/admin/calendars").get("reference_years", []))
this_month = today.replace(day=1)
months = [month_add(this_month, -k) for k in range(12, 0, -1)]   # the twelve months before this one
if shipped:
    months = [m for m in months if m.year in shipped] or months
first = months[0]
hired = (first - datetime.timedelta(days=1)).replace(day=9).isoformat()   # before the first month

call("POST", "/api/admin/schedules", {"name": "Пятидневка", "kind": "week", "holidays": "calendar",
                                      "days": [{"hours": 8}] * 5 + [{"hours": 0}] * 2})
key = call("POST", "/api/admin/api-keys", {"name": "Демо: 1С:ЗУП"})["key"]

positions = {"dir": "Генеральный директор", "gb": "Главный бухгалтер", "buh": "Бухгалтер",
             "kas": "Кассир", "ns": "Начальник склада", "kl": "Кладовщик", "vod": "Водитель",
             "gr": "Грузчик", "op": "Оператор склада"}
call("PUT", "/api/exchange/v1/positions", {"items": [{"external_id": k, "name": v} for k, v in positions.items()]},
     key=key)
call("PUT", "/api/exchange/v1/organizations", {"items": [{
    "external_id": "org", "name": "ООО «Демо»", "inn": "7707083893", "kpp": "770701001", "okpo": "12345678",
    "address": "г. Москва, ул. Примерная, д. 1"}]}, key=key)
call("PUT", "/api/exchange/v1/departments", {"items": [
    {"external_id": "dir", "name": "Дирекция", "organization": "org"},
    {"external_id": "buh", "name": "Бухгалтерия", "organization": "org"},
    {"external_id": "sklad", "name": "Склад", "organization": "org"}]}, key=key)

# name, department, position, rate, email, phone, plan (what the demo makes of the cabinet)
people = [
    ("Петров Пётр Сергеевич", "dir", "dir", "150000", "petrov@demo.example.ru", "+79990000002", "invited"),
    ("Иванова Мария Петровна", "buh", "gb", "110000", "admin@demo.example.ru", "+79990000001", "responsible"),
    ("Смирнов Алексей Викторович", "buh", "buh", "72000", "smirnov@demo.example.ru", "+79990000003", "signed_in"),
    ("Орлова Елена Николаевна", "buh", "buh", "70000", "orlova@demo.example.ru", "+79990000004", "invited"),
    ("Громова Наталья Павловна", "buh", "buh", "68000", "gromova@demo.example.ru", "+79990000005", "invited"),
    ("Васильева Ольга Игоревна", "buh", "kas", "52000", "vasilieva@demo.example.ru", None, "created_email"),
    ("Фёдоров Игорь Андреевич", "buh", "buh", "66000", "fedorov@demo.example.ru", "+79990000007", "created_email"),
    ("Никитина Светлана Юрьевна", "buh", "buh", "64000", None, "+79990000008", "created_sms"),
    ("Алексеева Дарья Михайловна", "buh", "kas", "50000", None, None, "create_failed"),
    ("Морозов Денис Олегович", "buh", "buh", "65000", "morozov@demo.example.ru", None, "sms_failed"),
    ("Кузнецов Андрей Иванович", "sklad", "ns", "95000", "kuznetsov@demo.example.ru", "+79990000011", "invited"),
    ("Соколов Михаил Дмитриевич", "sklad", "kl", "55000", "sokolov@demo.example.ru", "+79990000012", "invited"),
    ("Попов Сергей Николаевич", "sklad", "kl", "55000", None, "+79990000013", "email_failed"),
    ("Лебедев Артём Валерьевич", "sklad", "vod", "60000", "lebedev@demo.example.ru", "+79990000014", "invited"),
    ("Козлов Роман Евгеньевич", "sklad", "vod", "60000", None, "+79990000015", "created_sms"),
    ("Новиков Илья Сергеевич", "sklad", "gr", "48000", None, "+79990000016", "created_sms"),
    ("Егоров Павел Александрович", "sklad", "gr", "48000", "egorov@demo.example.ru", "+79990000017", "created_email"),
    ("Павлова Анна Викторовна", "sklad", "op", "58000", "pavlova@demo.example.ru", "+79990000018", "invited"),
    ("Семёнов Глеб Романович", "sklad", "op", "57000", "semenov@demo.example.ru", "+79990000019", "created_email"),
    ("Голубева Ксения Андреевна", "sklad", "op", "57000", "golubeva@demo.example.ru", "+79990000020", "not_created"),
    ("Виноградов Максим Ильич", "sklad", "gr", "48000", "vinogradov@demo.example.ru", "+79990000021", "not_created"),
    ("Богданова Ирина Олеговна", "buh", "buh", "63000", "bogdanova@demo.example.ru", "+79990000022", "not_created"),
    ("Воробьёв Кирилл Петрович", "sklad", "kl", "54000", "vorobiev@demo.example.ru", "+79990000023", "not_created"),
    ("Фролова Вера Сергеевна", "buh", "kas", "51000", "frolova@demo.example.ru", "+79990000024", "not_created"),
    ("Медведев Степан Ильич", "sklad", "vod", "59000", None, "+79990000025", "not_created"),
    ("Жукова Полина Денисовна", "buh", "buh", "62000", "zhukova@demo.example.ru", "+79990000026", "not_created"),
    ("Киселёв Тимур Маратович", "sklad", "gr", "47000", "kiselev@demo.example.ru", "+79990000027", "not_created"),
    ("Тарасова Алина Игоревна", "sklad", "op", "56000", "tarasova@demo.example.ru", "+79990000028", "not_created"),
    ("Белов Никита Юрьевич", "sklad", "kl", "53000", "belov@demo.example.ru", "+79990000029", "not_created"),
    ("Комаров Олег Викторович", "sklad", "kl", "53000", "komarov@demo.example.ru", "+79990000030", "disabled"),
]


def item(i, p, **extra):
    name, dep, pos, rate, email, phone, _ = p
    it = {"external_id": "e%02d" % (i + 1), "personnel_number": "%04d" % (i + 1), "full_name": name,
          "birth_date": "19%02d-%02d-%02d" % (70 + i, i % 12 + 1, i % 27 + 1), "organization": "org",
          "department": dep, "position": pos, "hired": hired, "email": email, "phone": phone,
          "schedules": [{"date_from": hired, "schedule": "Пятидневка"}],
          "pay": [{"date_from": hired, "rate": rate, "pay_by": "days"}]}
    it.update(extra)
    return it


call("PUT", "/api/exchange/v1/employees", {"items": [item(i, p) for i, p in enumerate(people)]}, key=key)
call("PUT", "/api/exchange/v1/departments", {"items": [
    {"external_id": "dir", "name": "Дирекция", "organization": "org", "head": "e01"},
    {"external_id": "buh", "name": "Бухгалтерия", "organization": "org", "head": "e02"},
    {"external_id": "sklad", "name": "Склад", "organization": "org", "head": "e11"}]}, key=key)
call("PUT", "/api/exchange/v1/organizations", {"items": [{"external_id": "org", "name": "ООО «Демо»",
                                                          "head": "e01"}]}, key=key)
ids = {}
for it in call("GET", "/api/admin/employees?limit=100")["items"]:
    ids[it["external_id"]] = it["id"]
emp = {p[0]: ids["e%02d" % (i + 1)] for i, p in enumerate(people)}

# ------------------------------------------------- a year of time and payroll

vac_month, sick_month = months[6], months[9]
call("POST", "/api/admin/deviations", {"employee_id": emp["Орлова Елена Николаевна"], "code": "ОТ",
                                       "date_from": vac_month.replace(day=3).isoformat(),
                                       "date_to": vac_month.replace(day=16).isoformat()})
call("POST", "/api/admin/deviations", {"employee_id": emp["Смирнов Алексей Викторович"], "code": "Б",
                                       "date_from": sick_month.replace(day=10).isoformat(),
                                       "date_to": sick_month.replace(day=14).isoformat()})
call("POST", "/api/admin/deviations", {"employee_id": emp["Соколов Михаил Дмитриевич"], "code": "С",
                                       "date": months[-1].replace(day=11).isoformat(), "hours": 2})
for m in months:
    ym = m.strftime("%Y-%m")
    call("POST", "/api/admin/timesheets/fill", {"month": ym})
    call("POST", "/api/admin/payroll/%s/calculate" % ym, {})
    call("POST", "/api/admin/payroll/%s/close" % ym, {})
    # the month paid in full on its last day (closing records no payment);
    # an employee without a result that month answers 422, which is fine
    last = (m.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    for eid in emp.values():
        call("POST", "/api/admin/payments", {"employee_id": eid, "date": last.isoformat(), "kind": "salary"},
             ok=(201, 422))

# --------------------------------------------------------------- cabinets

def plan(state):
    return [emp[p[0]] for p in people if p[6] == state]


call("POST", "/api/admin/cabinets/create", {"employees": plan("signed_in") + plan("invited") + plan("created_email") +
                                            plan("created_sms") + plan("create_failed") + plan("email_failed") +
                                            plan("sms_failed") + plan("disabled")})
call("POST", "/api/admin/cabinets/invite", {"employees": plan("invited"), "channel": "email"})
call("POST", "/api/admin/cabinets/invite", {"employees": plan("email_failed"), "channel": "email"})
call("POST", "/api/admin/cabinets/invite", {"employees": plan("sms_failed"), "channel": "sms"})
# dismissed today, in the current (open) month: its cabinet is disabled once the publication is applied
gone = {"external_id": "e%02d" % len(people), "dismissed": today.isoformat()}
call("PUT", "/api/exchange/v1/employees", {"items": [gone]}, key=key)
call("PUT", "/api/admin/publication", {"all": True})
call("POST", "/api/admin/publication/apply", {})
