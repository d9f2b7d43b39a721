// story.mjs - the whole story of issue 12 in a browser at 390 px, as the
// people of a small company would live it (run by test_story.py, ctest
// e2e_story, on a fresh stack whose email goes to a real SMTP server and SMS
// to a real gateway; the organization's clock fixed at 05.10.2026):
//
//   connect -> the administrator activates (code from the SMS gateway) ->
//   imports the staff from CSV -> the accounting system names the department
//   head (exchange) -> a schedule and pay terms -> the vacation performer ->
//   publish -> create cabinets -> invite by email (links read from the SMTP
//   server) -> the employee, the manager and the performer activate -> the
//   employee files a vacation -> the manager approves -> the performer
//   completes -> the vacation is in the timesheet -> a month later the
//   administrator computes and closes October's payroll -> the vacation pay
//   is on the employee's payslip and in the pay chart, the balance is 14
//   days lower; plus a
//   certificate of employment requested, completed and downloaded as a PDF
//   whose text (pdftotext) names the employee and the organization.
//
// Every step leaves a screenshot in $CABINET_E2E_SHOTS (NN-step.png); every
// page must end its step without a console error, a page error, a CSP
// violation or a failed request (an HTTP error answer included).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite, outbox } from "./harness.mjs";

const PHONE = { width: 390, height: 844 };
const b = suite(import.meta.url, { viewport: PHONE });
const SHOTS = process.env.CABINET_E2E_SHOTS || join(tmpdir(), "cabinet-e2e-story");
mkdirSync(SHOTS, { recursive: true });
const SUB = "istoriya";
const host = b.origin(SUB);
const ADMIN = { name: "Громов Андрей Викторович", phone: "+79167770001", email: "gromov@istoriya.example",
  password: "Gromov-Osen-2026" };
const PEOPLE = {
  employee: { number: "0001", name: "Орлова Дарья Игоревна", phone: "+79167770011", email: "orlova@istoriya.example",
    department: "Отдел продаж", position: "Менеджер", password: "Orlova-Osen-2026" },
  manager: { number: "0002", name: "Соколов Игорь Павлович", phone: "+79167770012", email: "sokolov@istoriya.example",
    department: "Отдел продаж", position: "Руководитель отдела", password: "Sokolov-Osen-2026" },
  performer: { number: "0003", name: "Белова Ирина Сергеевна", phone: "+79167770013", email: "belova@istoriya.example",
    department: "Отдел кадров", position: "Специалист по кадрам", password: "Belova-Osen-2026" },
};
const CSV = "Табельный номер;ФИО;Подразделение;Должность;Дата приёма;Телефон;Почта\n" +
  Object.values(PEOPLE).map((p) => `${p.number};${p.name};${p.department};${p.position};01.02.2025;${p.phone};${p.email}`).join("\n") + "\n";
const pages = {}; // role -> page

let step = 0;
async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

// The page ended its step clean: no console error (a failed resource is one),
// no page error, CSP violation or failed request, no HTTP error answer.
function clean(page) {
  b.assertClean(page);
  const r = b.problems(page);
  const errors = r.console.filter((l) => /^error:/.test(l));
  assert.deepEqual([...errors, ...r.httpErrors], [], `${page.url()}: console errors or HTTP errors`);
}

async function newPhone(role) {
  const context = await b.newContext({ viewport: PHONE });
  pages[role] = await context.newPage();
  return pages[role];
}

// A call from the page's origin (Node cannot resolve *.localhost; Chromium
// does): the administrator's session and CSRF token, or (bearer) the
// accounting system's key and no cookies. {status, data}.
function call(page, method, path, body, bearer) {
  return page.evaluate(async ([method, path, body, bearer]) => {
    const headers = { "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (bearer) headers["Authorization"] = "Bearer " + bearer;
    else headers["X-CSRF-Token"] = decodeURIComponent((document.cookie.match(/cabinet_csrf=([^;]*)/) || ["", ""])[1]);
    const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined,
      credentials: bearer ? "omit" : "same-origin" });
    return { status: r.status, data: await r.json().catch(() => null) };
  }, [method, path, body, bearer]);
}

async function setClock(now) {
  const r = await fetch(b.url("/api/debug/clock"), { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ now }) });
  assert.equal(r.status, 200, "debug.clock");
}

b.test("the organization connects and the administrator activates the cabinet with the SMS code", async ({ page }) => {
  pages.admin = page;
  await page.goto(b.url("/connect.html"));
  await page.fill("#subdomain", SUB);
  await page.locator("#subdomain-check").filter({ hasText: "Адрес свободен" }).waitFor();
  await page.fill("#name", "ООО «История»");
  await page.fill("#full_name", ADMIN.name);
  await page.fill("#phone", ADMIN.phone);
  await page.fill("#email", ADMIN.email);
  await page.click("#submit");
  await page.locator("#cabinet-link").waitFor({ state: "visible" });
  await shot(page, "connected");
  const mail = await outbox.wait("email", ADMIN.email);
  assert.ok(mail.text.includes(host + "/"), "the email from the SMTP server carries the cabinet's link");
  clean(page);
  await page.goto(host + "/admin/activate");
  const since = outbox.count();
  await page.fill('input[name="login"]', ADMIN.phone);
  await page.click('form[action="/admin/activate/code"] button');
  const sms = await outbox.wait("sms", ADMIN.phone, { since });
  await page.fill('input[name="code"]', sms.text.match(/Код подтверждения: (\d+)/)[1]);
  await page.fill('input[name="password"]', ADMIN.password);
  await page.check("#consent");
  await Promise.all([page.waitForURL(host + "/admin/"), page.click('form[action="/admin/activate"] button')]);
  await shot(page, "admin-home");
  clean(page);
});

b.test("the administrator imports the staff from a CSV file", async ({ page }) => {
  await page.goto(host + "/admin/import");
  await page.setInputFiles('#form-import input[type="file"]', { name: "сотрудники.csv", mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8") });
  await page.click('#form-import button[type="submit"]');
  await page.locator("#form-import-run").waitFor();
  await shot(page, "import-preview");
  await Promise.all([page.waitForURL(/\/admin\/exchange-log/), page.click('#form-import-run button[type="submit"]')]);
  await page.goto(host + "/admin/employees");
  const names = await page.locator("table.list tbody tr").allInnerTexts();
  for (const p of Object.values(PEOPLE)) {
    assert.ok(names.some((n) => n.includes(p.number) && n.replace(/\s+/g, " ").includes(p.name)), `${p.name} imported`);
  }
  await shot(page, "employees");
  clean(page);
});

b.test("the accounting system names the department head; a schedule, pay terms and the performers are set", async ({ page }) => {
  // an API key for the accounting system, shown once
  await page.goto(host + "/admin/api-keys");
  await page.fill('#form-api-key input[name="name"]', "1С:ЗУП");
  await page.check('#form-api-key input[value="staff"]');
  await page.click('#form-api-key button[type="submit"]');
  const key = (await page.locator("code.secret").textContent()).trim();
  const structure = (await call(page, "GET", "/api/admin/structure")).data;
  const sales = structure.departments.find((d) => d.name === "Отдел продаж");
  const staff = (await call(page, "GET", "/api/admin/employees")).data;
  const id = Object.fromEntries(Object.entries(PEOPLE).map(([role, p]) =>
    [role, staff.items.find((e) => e.full_name === p.name)]));
  const put = await call(page, "PUT", "/api/exchange/v1/departments",
    { items: [{ external_id: sales.external_id, head: id.manager.external_id }] }, key);
  assert.equal(put.status, 200, "the department head from the accounting system");
  // a five-day week, assigned to everyone from the hiring date
  await page.goto(host + "/admin/schedules");
  await page.fill('#form-schedule input[name="name"]', "Пятидневка");
  await Promise.all([page.waitForURL(/\/admin\/schedules/), page.click('#form-schedule button[type="submit"]')]);
  for (const e of Object.values(id)) {
    await page.goto(host + `/admin/employees/${e.id}/schedules`);
    await page.selectOption('#form-assign select[name="schedule_id"]', { label: "Пятидневка" });
    await page.fill('#form-assign input[name="date_from"]', "01.02.2025");
    await Promise.all([page.waitForNavigation(), page.click('#form-assign button[type="submit"]')]);
    assert.match(await page.locator("main").innerText(), /01\.02\.2025[\s\S]*Пятидневка|Пятидневка[\s\S]*01\.02\.2025/);
  }
  // the employee's pay terms on their page
  await page.goto(host + `/admin/employees/${id.employee.id}/pay`);
  await page.fill('#form-payterms input[name="date_from"]', "01.02.2025");
  await page.fill('#form-payterms input[name="rate"]', "87 900");
  await Promise.all([page.waitForNavigation(), page.click('#form-payterms button[type="submit"]')]);
  assert.match(await page.locator("main").innerText(), /87\s900,00\s₽/);
  await shot(page, "pay-terms");
  // the performer of vacations and of employment certificates
  await page.goto(host + "/admin/routing");
  for (const role of ["vacation", "certificate_employment"]) {
    await page.selectOption('#form-performer select[name="role"]', role);
    await page.locator("#performer-employee").pressSequentially("Белова");
    await page.locator('#form-performer [role="option"]', { hasText: PEOPLE.performer.name }).click();
    await Promise.all([page.waitForNavigation(), page.click('#form-performer button[type="submit"]')]);
  }
  assert.match(await page.locator("table.list").first().innerText(), /заявления на отпуск\s+Белова Ирина Сергеевна/i);
  await shot(page, "routing");
  clean(page);
});

b.test("the administrator publishes the staff, creates their cabinets and invites them by email", async ({ page }) => {
  await page.goto(host + "/admin/publication");
  page.once("dialog", (d) => d.accept());
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/publication/apply"] button')]);
  await shot(page, "published");
  await page.goto(host + "/admin/cabinets");
  await page.locator("#select-all").check();
  await page.click('button[formaction="/admin/cabinets/create"]');
  await page.locator(".done").filter({ hasText: "Создано кабинетов: 3" }).waitFor();
  await page.locator("#select-all").check();
  await page.click('button[formaction="/admin/cabinets/invite"][value="email"]');
  await page.locator(".done").filter({ hasText: "Приглашения отправлены: 3" }).waitFor();
  await shot(page, "invited");
  clean(page);
});

for (const role of ["employee", "manager", "performer"]) {
  b.test(`the ${role} opens the invitation from the email and activates the cabinet`, async () => {
    const p = PEOPLE[role];
    const mail = await outbox.wait("email", p.email);
    const link = mail.text.match(/http:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)[0];
    const page = await newPhone(role);
    await page.goto(link);
    await page.getByText(`Здравствуйте, ${p.name}!`).waitFor();
    const since = outbox.count();
    await page.click("#send");
    const sms = await outbox.wait("sms", p.phone, { since });
    await page.fill("#code", sms.text.match(/Код подтверждения: (\d+)/)[1]);
    await page.fill("#password", p.password);
    await page.check("#consent");
    await Promise.all([page.waitForURL(host + "/"), page.click("#submit")]);
    await page.locator("#user-name").filter({ hasText: p.name }).waitFor();
    await page.locator("#vacation").waitFor(); // (not "network idle": the notifications' stream stays open)
    await shot(page, `${role}-home`);
    clean(page);
  });
}

let vacationId, balanceBefore;

b.test("the employee files a vacation from 12 to 25 October", async () => {
  const page = pages.employee;
  await page.waitForFunction(() => /\d/.test(document.getElementById("vacation-balance")?.textContent || ""));
  balanceBefore = await page.locator("#vacation-balance").textContent();
  await page.click('a[href="/requests.html?type=vacation#new"]');
  await page.locator("#f-date_from").waitFor({ state: "visible" });
  await page.fill("#f-date_from", "12.10.2026");
  await page.fill("#f-date_to", "25.10.2026");
  await page.fill("#f-comment", "Ежегодный отпуск по графику");
  await Promise.all([page.waitForURL(/requests\.html\?id=\d+/), page.click('#request-form button[type="submit"]')]);
  vacationId = Number(new URL(page.url()).searchParams.get("id"));
  await page.locator("#detail-state").filter({ hasText: "На согласовании" }).waitFor();
  assert.match(await page.locator("#detail-facts").innerText(), /Соколов Игорь Павлович \(согласование/);
  await shot(page, "vacation-filed");
  clean(page);
});

b.test("the manager approves it from the task list", async () => {
  const page = pages.manager;
  await page.goto(host + "/tasks.html");
  const task = page.locator("article.task", { hasText: `Отпуск: ${PEOPLE.employee.name}` });
  await task.waitFor();
  await task.locator("textarea").fill("Согласовано");
  await task.locator('button[data-action="approve"]').click();
  await page.locator("#tasks-done").filter({ hasText: "согласована" }).waitFor();
  await shot(page, "manager-approved");
  clean(page);
});

b.test("the performer completes it", async () => {
  const page = pages.performer;
  await page.goto(host + "/tasks.html");
  const task = page.locator("article.task", { hasText: `Отпуск: ${PEOPLE.employee.name}` });
  await task.waitFor();
  await task.locator("textarea").fill("Приказ № 41-о от 06.10.2026");
  await task.locator('button[data-action="complete"]').click();
  await page.locator("#tasks-done").filter({ hasText: "выполнена" }).waitFor();
  await shot(page, "performer-completed");
  clean(page);
});

b.test("the employee sees it done and in the timesheet", async () => {
  const page = pages.employee;
  await page.goto(host + `/requests.html?id=${vacationId}`);
  await page.locator("#detail-state").filter({ hasText: "Выполнена" }).waitFor();
  assert.match(await page.locator("#detail-history").innerText(), /Согласована[\s\S]*Выполнена[\s\S]*Приказ № 41-о/);
  await shot(page, "vacation-done");
  await page.goto(host + "/");
  await page.locator("#timesheet-days .day").first().waitFor();
  await page.selectOption("#timesheet-year", "2026");
  await page.selectOption("#timesheet-month-name", "10");
  await page.locator('#timesheet-days[data-month="2026-10"]').waitFor({ state: "attached" });
  for (const day of [12, 16, 23]) {
    assert.equal(await page.locator(`#timesheet-days .day[data-day="${day}"] .c`).textContent(), "ОТ", `${day} October`);
  }
  assert.match(await page.locator("#timesheet-absences").textContent(), /ОТ — 14 дней/);
  await page.locator("#timesheet").screenshot({ path: join(SHOTS, `${String(++step).padStart(2, "0")}-timesheet.png`) });
  clean(page);
});

b.test("a month later the administrator closes October; the payslip has the vacation pay, the balance is lower", async () => {
  await setClock("2026-11-02T07:00:00Z");
  const page = pages.admin;
  await page.goto(host + "/admin/payroll");
  await page.selectOption('#form-payroll select[aria-label="Месяц"]', "10");
  await page.selectOption('#form-payroll select[aria-label="Год"]', "2026");
  await Promise.all([page.waitForURL(host + "/admin/payroll/2026-10"), page.click('#form-payroll button[type="submit"]')]);
  page.once("dialog", (d) => d.accept());
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/payroll/2026-10/close"] button')]);
  await shot(page, "payroll-closed");
  clean(page);
  const emp = pages.employee;
  await emp.goto(host + "/");
  await emp.locator("#payslip").waitFor({ state: "visible" });
  const slip = await emp.locator("#payslip-accruals").innerText();
  assert.match(slip, /Отпускные[\s\S]*14 дн\. ×/, "the vacation pay: 14 days at the average daily earnings");
  assert.match(await emp.locator("#last-payslip-text").textContent(), /Октябрь 2026 г\.: начислено/);
  // the balance on 02.11.2026: a month more accrued, the 14 days used
  // the balance comes in its own request, after the payslip
  await emp.waitForFunction(() => /\d/.test(document.getElementById("vacation-balance")?.textContent || ""));
  const after = await emp.locator("#vacation-balance").textContent();
  assert.ok(parseFloat(after.replace(",", ".")) < parseFloat(balanceBefore.replace(",", ".")),
    `the balance went down: ${balanceBefore} -> ${after}`);
  assert.match(await emp.locator("#vacation-detail").textContent(), /на 02\.11\.2026; использовано 14 дней/);
  await shot(emp, "payslip");
  await emp.goto(host + "/salary.html");
  await emp.locator("#salary-chart svg rect.bar-net").first().waitFor();
  assert.match(await emp.locator("#salary-data tbody").innerText(), /Октябрь 2026/);
  await shot(emp, "salary-chart");
  clean(emp);
});

b.test("a certificate of employment: requested, completed, downloaded as a PDF that names the employee", async () => {
  const page = pages.employee;
  await page.goto(host + "/requests.html?type=certificate_employment#new");
  await page.fill('#request-form input[name="purpose"]:not(:disabled)', "в банк");
  await Promise.all([page.waitForURL(/requests\.html\?id=\d+/), page.click('#request-form button[type="submit"]')]);
  const id = Number(new URL(page.url()).searchParams.get("id"));
  const perf = pages.performer;
  await perf.goto(host + "/tasks.html");
  const task = perf.locator("article.task", { hasText: `Справка с места работы: ${PEOPLE.employee.name}` });
  await task.waitFor();
  await task.locator('button[data-action="complete"]').click();
  await perf.locator("#tasks-done").filter({ hasText: "выполнена" }).waitFor();
  clean(perf);
  await page.goto(host + `/requests.html?id=${id}`);
  await page.locator("#detail-state").filter({ hasText: "Выполнена" }).waitFor();
  const link = page.locator("#detail-document-link");
  await link.waitFor();
  await shot(page, "certificate-done");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const dir = mkdtempSync(join(tmpdir(), "story-pdf-"));
  const pdf = join(dir, "certificate.pdf");
  await download.saveAs(pdf);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  assert.match(text, /Орлова Дарья Игоревна/);
  assert.match(text, /ООО «История»/);
  assert.match(text, /Менеджер/);
  clean(page);
});
