// requests.test.mjs - the employee site's requests, tasks and team at 390 px:
// an employee files a vacation (a period the wrong way round first: the
// message at the field, every typed value kept), a question with a file and
// a personal-data change refused at its phone field; the manager is refused
// a rejection without a reason, approves, names a substitute, sees the team
// and the employee's card with the personal file; the performer completes
// the vacation; the employee sees its history and cancels the question; the
// manager gives her an HR task, she answers it with a file; both see her
// KPIs; she asks for notifications by email too; every section fits.
//
// test_e2e.py seeds tenant "zayavki" and passes
//   CABINET_E2E_REQUESTS  "subdomain:employee,manager,performer logins:password"
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const b = suite(import.meta.url, { viewport: { width: 390, height: 844 } });
const [sub, logins, password] = (process.env.CABINET_E2E_REQUESTS || "").split(":");
const [EMPLOYEE, MANAGER, PERFORMER] = (logins || "").split(",");
const host = b.origin(sub);

// A vacation two months ahead: the 3rd to the 16th.
const ahead = new Date();
ahead.setDate(1);
ahead.setMonth(ahead.getMonth() + 2);
const ru = (d) => `${String(d).padStart(2, "0")}.${String(ahead.getMonth() + 1).padStart(2, "0")}.${ahead.getFullYear()}`;
const FROM = ru(3), TO = ru(16);
// a one-pixel PNG
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function signIn(page, login) {
  await page.goto(host + "/admin/login");
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(host + "/"), page.click('form[action="/admin/login"] button')]);
}

let vacationId, questionId;
// the 14 days asked, as the form and the tasks state them (F4)
const REQUESTED_14 = /Запрошено (14 дней отпуска|\d+ (день|дня|дней) отпуска \(14 календарных, из них \d+ праздничн(ый не считается|ых не считаются)\))\./;

b.test("the employee files a vacation: a bad period first, then sent to the manager", async ({ page }) => {
  await signIn(page, EMPLOYEE);
  await Promise.all([page.waitForURL(host + "/requests.html"), page.click('#nav a[href="/requests.html"]')]);
  await page.locator("#request-form").waitFor();
  assert.equal(await page.locator("#f-type").inputValue(), "vacation");
  // a 2-НДФЛ certificate's years: from her hire year (2024) to this one,
  // never years before she was hired (F12)
  const years = await page.locator("#f-year option").evaluateAll((os) => os.map((o) => Number(o.value)));
  const now = new Date().getFullYear();
  assert.deepEqual(years, Array.from({ length: now - 2024 + 1 }, (_, i) => now - i));
  // the balance next to the form; 91 days asked: a warning, not a refusal
  const balance = page.locator("#vacation-balance");
  await balance.filter({ hasText: /Остаток ежегодного отпуска: \d+(,\d)? (день|дня|дней)\.(?!\.)/ }).waitFor();
  const far = new Date(ahead.getFullYear(), ahead.getMonth(), 3 + 90);
  const FAR = `${String(far.getDate()).padStart(2, "0")}.${String(far.getMonth() + 1).padStart(2, "0")}.${far.getFullYear()}`;
  await page.fill("#f-date_from", FROM);
  await page.fill("#f-date_to", FAR);
  // in the balance's days: public holidays inside are left out (U9)
  await balance.filter({ hasText: new RegExp("Запрошено (91 день|\\d+ (день|дня|дней) отпуска \\(91 календарный, из них " +
    "\\d+ праздничн(ый не считается|ых не считаются)\\)) — больше остатка \\(\\d+(,\\d)? (день|дня|дней)\\)\\. Заявление можно подать") }).waitFor();
  assert.equal(await balance.getAttribute("class"), "hint warn");
  await page.fill("#f-date_to", FROM);
  // the count asked is always there, live as the dates change (F4)
  await balance.filter({ hasText: /Запрошено 1 день отпуска\.$/ }).waitFor();
  assert.equal(await balance.getAttribute("class"), "hint");
  await page.fill("#f-date_from", TO);
  await page.fill("#f-date_to", FROM);
  await page.fill("#f-comment", "Семейная поездка");
  await page.click('#request-form button[type="submit"]');
  await page.locator("#e-date_to").filter({ hasText: /раньше/ }).waitFor();
  assert.equal(await page.locator("#f-date_to").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#f-date_from").inputValue(), TO, "kept");
  assert.equal(await page.locator("#f-comment").inputValue(), "Семейная поездка", "kept");
  await page.fill("#f-date_from", FROM);
  await page.fill("#f-date_to", TO);
  await Promise.all([page.waitForURL(/requests\.html\?id=\d+/), page.click('#request-form button[type="submit"]')]);
  vacationId = Number(new URL(page.url()).searchParams.get("id"));
  await page.locator("#detail").waitFor();
  assert.match(await page.locator("#detail-done").textContent(), new RegExp(`^Заявка № ${vacationId}: на согласовании`));
  assert.match(await page.locator("#detail-facts").innerText(), new RegExp(`${FROM} — ${TO}( \\(14 дней\\)|: \\d+ (день|дня|дней) отпуска \\(14 календарных, из них \\d+ праздничн[^)]*\\))\\n[\\s\\S]*ежегодный[\\s\\S]*Семейная поездка[\\s\\S]*Кузнецов Олег Петрович \\(согласование`));
  assert.ok(await page.locator("#detail-cancel").isVisible(), "can be cancelled");
  // the application to print: a PDF attachment
  const link = page.locator("#detail-document-link");
  assert.match(await link.textContent(), /Заявление для печати/);
  const pdf = await page.evaluate(async (href) => {
    const r = await fetch(href);
    const head = new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5));
    return { status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"), head };
  }, await link.getAttribute("href"));
  assert.deepEqual([pdf.status, pdf.type, pdf.head], [200, "application/pdf", "%PDF-"]);
  assert.match(pdf.disposition, /^attachment;/);
  assert.ok(await fits(page));
  b.assertClean();
});

b.test("the employee asks a question with a file, and a phone change is refused at its field", async ({ page }) => {
  await page.goto(host + "/requests.html?type=question#new");
  await page.locator("#f-text").waitFor({ state: "visible" });
  // the file field says what the server takes (test_e2e.py's stack:
  // attachments_types = pdf,png,tiff, attachments_max_size = 5m)
  assert.equal(await page.locator('label[for="f-files"]').innerText(), "Файлы (PDF, PNG, TIFF до 5 МБ)");
  assert.equal(await page.locator("#f-files").getAttribute("accept"), ".pdf,.png,.tif,.tiff");
  // switching the type clears what the other type had; the comment, which
  // every type has, stays
  await page.selectOption("#f-type", "business_trip");
  await page.fill("#f-destination", "Казань");
  await page.fill("#f-date_from", "01.03.2027");
  await page.fill("#f-comment", "Общий комментарий");
  await page.selectOption("#f-type", "question");
  assert.equal(await page.locator("#f-comment").inputValue(), "Общий комментарий", "kept");
  await page.selectOption("#f-type", "business_trip");
  assert.equal(await page.locator("#f-destination").inputValue(), "", "cleared");
  assert.equal(await page.locator("#f-date_from").inputValue(), "", "cleared");
  await page.selectOption("#f-type", "question");
  await page.fill("#f-comment", "");
  await page.fill("#f-text", "Когда придёт справка 2-НДФЛ?");
  await page.setInputFiles("#f-files", { name: "скан.png", mimeType: "image/png", buffer: PNG });
  await Promise.all([page.waitForURL(/requests\.html\?id=\d+/), page.click('#request-form button[type="submit"]')]);
  questionId = Number(new URL(page.url()).searchParams.get("id"));
  await page.locator("#detail-files a", { hasText: "скан.png" }).waitFor();
  assert.equal(await page.locator('label[for="attach-file"]').innerText(), "Приложить файл (PDF, PNG, TIFF до 5 МБ)");
  assert.match(await page.locator("#detail-state").textContent(), /Отправлена исполнителю/);
  // a personal-data change with a phone nobody can call
  await page.goto(host + "/requests.html?type=personal_data#new");
  await page.fill("#f-changes-phone", "12");
  await page.fill("#f-changes-address", "г. Казань, ул. Баумана, д. 1");
  await page.click('#request-form button[type="submit"]');
  await page.locator("#e-changes-phone").filter({ hasText: /./ }).waitFor();
  assert.equal(await page.locator("#f-changes-phone").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#f-changes-address").inputValue(), "г. Казань, ул. Баумана, д. 1", "kept");
  // the list has both, newest first, with their states
  await page.goto(host + "/requests.html");
  const rows = page.locator("#list-box tbody tr");
  await rows.first().waitFor();
  // at 390 px each row is a card (lib.js dataTable): its cells are lines
  assert.deepEqual((await rows.allInnerTexts()).map((t) => t.split(/[\t\n]+/).slice(0, 2).join(" ")),
    [`№ ${questionId} Вопрос`, `№ ${vacationId} Отпуск`]);
  b.assertClean();
});

b.test("the manager refuses to reject without a reason, approves, and sees the team", async () => {
  const context = await b.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, MANAGER);
  await page.locator('#nav a[href="/team.html"]').waitFor();
  await page.locator("#tasks-list a").first().waitFor();
  await Promise.all([page.waitForURL(/tasks\.html/), page.click('#nav a[href="/tasks.html"]')]);
  const task = page.locator("article.task", { hasText: "Смирнова Анна Сергеевна" });
  await task.waitFor();
  assert.match(await task.innerText(), new RegExp(`Заявка № ${vacationId}, ${FROM.replace(/\./g, "\\.")}`));
  // the employee's balance next to the request (14 days: within it, no warning)
  await task.locator(`#task-${await task.getAttribute("id").then((x) => x.slice(5))}-balance`)
    .filter({ hasText: /Остаток ежегодного отпуска сотрудника: \d+(,\d)? (день|дня|дней)\.(?!\.)/ }).waitFor();
  assert.doesNotMatch(await task.innerText(), /больше остатка/);
  // and what is asked, always (F4)
  assert.match(await task.innerText(), REQUESTED_14);
  // the forward's suggestions never offer the applicant her own request (F12)
  const to = task.locator('input[name="to_name"]');
  const asked = page.waitForResponse((r) => r.url().includes("/api/employees?q="));
  await to.pressSequentially("Смирнов");
  await (await asked).finished();
  await page.waitForTimeout(300);
  assert.equal(await task.locator('datalist option[value^="Смирнова Анна"]').count(), 0);
  await to.fill("");
  await task.locator('button[data-action="reject"]').click();
  await task.locator(".field-error").filter({ hasText: /./ }).first().waitFor();
  assert.equal(await task.locator("textarea").getAttribute("aria-invalid"), "true");
  await task.locator("textarea").fill("Согласовано, хорошего отдыха");
  await task.locator('button[data-action="approve"]').click();
  await page.locator("#tasks-done").filter({ hasText: "согласована" }).waitFor();
  // the request as the employee quotes it (U4), not the task's own number
  assert.equal(await page.locator("#tasks-done").innerText(),
    `Заявка № ${vacationId} (Отпуск, Смирнова Анна Сергеевна): согласована.`);
  assert.equal(await page.locator("article.task").count(), 0, "no open task left");
  // a substitute for the days away: suggestions while typing, a bad date first
  await page.locator("#sub-name").pressSequentially("Петров");
  await page.locator('#sub-name-people option[value="Петрова Мария Олеговна (таб. № 0003)"]').waitFor({ state: "attached" });
  await page.fill("#sub-name", "Петрова Мария Олеговна (таб. № 0003)");
  await page.fill("#sub-from", FROM);
  await page.fill("#sub-to", "31.02.2099");
  await page.click('#substitute-form button[type="submit"]');
  await page.locator("#e-sub-to").filter({ hasText: /./ }).waitFor();
  assert.equal(await page.locator("#sub-name").inputValue(), "Петрова Мария Олеговна (таб. № 0003)", "kept");
  await page.fill("#sub-to", TO);
  await page.click('#substitute-form button[type="submit"]');
  await page.locator("#substitutes-list li", { hasText: `Петрова Мария Олеговна: ${FROM} — ${TO}` }).waitFor();
  // the team and the employee's card with the personal file
  await Promise.all([page.waitForURL(/team\.html/), page.click('#nav a[href="/team.html"]')]);
  const link = page.locator("#team-box a", { hasText: "Смирнова Анна Сергеевна" });
  await Promise.all([page.waitForURL(/team\.html\?id=\d+/), link.click()]);
  await page.locator("#card-title").waitFor();
  const card = await page.locator("#card").innerText();
  assert.match(card, /Отдел продаж[\s\S]*Менеджер[\s\S]*Согласует заявления\s*Кузнецов Олег Петрович/);
  assert.match(card, /Отсутствия[\s\S]*Записи личного дела/);
  assert.doesNotMatch(card, /Условия оплаты/);
  assert.ok(await fits(page));
  b.assertClean(page);
  await context.close();
});

b.test("the performer completes the vacation; the employee sees it done and cancels the question", async ({ page }) => {
  const context = await b.newContext({ viewport: { width: 390, height: 844 } });
  const perf = await context.newPage();
  await signIn(perf, PERFORMER);
  await perf.goto(host + "/tasks.html");
  const task = perf.locator("article.task", { hasText: "Отпуск: Смирнова Анна Сергеевна" });
  await task.waitFor();
  await task.locator(".hint", { hasText: REQUESTED_14 }).waitFor();
  await task.locator("textarea").fill("Приказ № 15-о");
  await task.locator('button[data-action="complete"]').click();
  await perf.locator("#tasks-done").filter({ hasText: "выполнена" }).waitFor();
  assert.equal(await perf.locator("#tasks-done").innerText(),
    `Заявка № ${vacationId} (Отпуск, Смирнова Анна Сергеевна): выполнена.`);
  b.assertClean(perf);
  await context.close();

  await page.goto(host + `/requests.html?id=${vacationId}`);
  await page.locator("#detail-state").filter({ hasText: "Выполнена" }).waitFor();
  const history = await page.locator("#detail-history").innerText();
  assert.match(history, /Согласована[\s\S]*Согласовано, хорошего отдыха[\s\S]*Выполнена[\s\S]*Приказ № 15-о/);
  assert.ok(await page.locator("#detail-cancel").isHidden(), "a done request is not cancelled");
  // a vacation over the done one: refused at the date field in the
  // employee's words (F-req-1), at 390 and 1280 px
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(host + "/requests.html");
    await page.locator("#request-form").waitFor();
    await page.fill("#f-date_from", ru(10));
    await page.fill("#f-date_to", ru(25));
    await page.click('#request-form button[type="submit"]');
    const at = page.locator("#e-date_from");
    await at.filter({ hasText: /./ }).waitFor();
    assert.equal(await at.textContent(), `Пересекается с вашим отпуском по заявке № ${vacationId} (${FROM}–${TO})`);
    assert.equal(await page.locator("#f-date_from").getAttribute("aria-invalid"), "true");
    assert.ok(await page.locator('#request-form [role="alert"]').isHidden(), "said once, at the field");
    const box = await at.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width, `the message fits ${width} px`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(host + `/requests.html?id=${questionId}`);
  page.once("dialog", (d) => d.accept());
  await page.locator("#detail-cancel").click();
  await page.locator("#detail-state").filter({ hasText: "Отозвана" }).waitFor();
  // an absence's application is offered while the request stands, not once withdrawn
  await page.goto(host + "/requests.html");
  await page.locator("#request-form").waitFor();
  await page.selectOption("#f-type", "absence");
  await page.fill("#f-date_from", ru(20));
  await page.fill("#f-date_to", ru(20));
  await page.selectOption("#f-reason", "public_duty");
  await Promise.all([page.waitForURL(/requests\.html\?id=\d+/), page.click('#request-form button[type="submit"]')]);
  const absenceId = Number(new URL(page.url()).searchParams.get("id"));
  await page.locator("#detail-document-link").waitFor();
  page.once("dialog", (d) => d.accept());
  await page.locator("#detail-cancel").click();
  await page.locator("#detail-state").filter({ hasText: "Отозвана" }).waitFor();
  assert.ok(await page.locator("#detail-document").isHidden(), "no application for a withdrawn request");
  const doc = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, message: (await r.json()).error.message };
  }, `/api/requests/${absenceId}/document`);
  assert.deepEqual(doc, { status: 409, message: "Заявка отозвана: заявление по ней не подаётся" });
  b.assertClean();
});

b.test("the manager gives an HR task; the employee answers it with a file; KPIs for both", async ({ page }) => {
  const context = await b.newContext({ viewport: { width: 390, height: 844 } });
  const mgr = await context.newPage();
  await signIn(mgr, MANAGER);
  await mgr.goto(host + "/tasks.html");
  await mgr.locator("#give").waitFor();
  await mgr.selectOption("#give-employee", { label: "Смирнова Анна Сергеевна" });
  await mgr.fill("#give-title-input", "Пройти инструктаж по охране труда");
  await mgr.fill("#give-description", "Прочитайте инструкцию и подпишите лист ознакомления.");
  await mgr.fill("#give-due", "31.02.2099");
  await mgr.click('#give-form button[type="submit"]');
  await mgr.locator("#e-give-due").filter({ hasText: /./ }).waitFor();
  assert.equal(await mgr.locator("#give-title-input").inputValue(), "Пройти инструктаж по охране труда", "kept");
  await mgr.fill("#give-due", TO);
  await mgr.setInputFiles("#give-files", { name: "инструкция.png", mimeType: "image/png", buffer: PNG });
  await mgr.click('#give-form button[type="submit"]');
  await mgr.locator("#give-done").filter({ hasText: "дано" }).waitFor();
  await mgr.locator("#given-list article", { hasText: "Пройти инструктаж по охране труда — Смирнова Анна Сергеевна" }).waitFor();
  // the manager sees the employee's KPIs on her card
  await mgr.goto(host + "/team.html");
  await Promise.all([mgr.waitForURL(/team\.html\?id=\d+/), mgr.locator("#team-box a", { hasText: "Смирнова" }).click()]);
  await mgr.locator("#member-kpi table").waitFor();
  // money with kopecks, by its unit (lib.js kpiNumber)
  assert.match(await mgr.locator("#member-kpi").innerText(), /Март 2026 г\.\s+Продажи, тыс\. ₽\s+1\s200,00\s+1\s260,50\s+105 %/);
  // the period from a select of those that have KPIs, in Russian (F15)
  assert.deepEqual(await mgr.locator("#member-kpi-period option").allTextContents(),
    ["Все периоды", "Март 2026 г.", "I квартал 2026 г."]);
  await mgr.selectOption("#member-kpi-period", { label: "I квартал 2026 г." });
  await mgr.locator("#member-kpi tbody tr").filter({ hasText: "Новые клиенты" }).waitFor();
  await mgr.waitForFunction(() => document.querySelectorAll("#member-kpi tbody tr").length === 1);
  b.assertClean(mgr);

  await page.goto(host + "/tasks.html");
  // a plain employee: the intro speaks of her own tasks, no approvals, nothing to give
  await page.locator("#tasks").waitFor();
  assert.match(await page.locator("#tasks-intro").innerText(), /^Задания, которые вам дали/);
  assert.equal(await page.locator('#filter option[value="forwarded"]').count(), 0);
  assert.equal(await page.locator("#give").isVisible(), false);
  assert.equal(await page.locator("#given").isVisible(), false);
  const task = page.locator("article.task", { hasText: "Задание: Пройти инструктаж по охране труда" });
  await task.waitFor();
  assert.match(await task.innerText(), /От кого: Кузнецов Олег Петрович/);
  await task.locator("summary").click();
  await task.locator("details a", { hasText: "инструкция.png" }).waitFor();
  await task.locator("textarea").fill("Ознакомилась, лист подписан");
  await task.locator('input[type="file"]').setInputFiles({ name: "лист.png", mimeType: "image/png", buffer: PNG });
  await task.locator('button[data-action="complete"]').click();
  await page.locator("#tasks-done").filter({ hasText: "выполнено" }).waitFor();
  // the employee's own KPIs: plan, fact, percent
  await Promise.all([page.waitForURL(/kpi\.html/), page.click('#nav a[href="/kpi.html"]')]);
  await page.locator("#kpi-box table").waitFor();
  const rows = await page.locator("#kpi-box tbody tr").allInnerTexts();
  assert.equal(rows.length, 2);
  assert.ok(rows.some((r) => /I квартал 2026 г\.\s+Новые клиенты, чел\.\s+30\s+24\s+80 %/.test(r)), rows.join("\n"));
  // the periods she has, in Russian, to choose from - no typed «2026-Q1» (F15)
  assert.equal(await page.locator('#kpi input[type="text"], #kpi input:not([type])').count(), 0);
  assert.deepEqual(await page.locator("#kpi-period option").allTextContents(),
    ["Все периоды", "Март 2026 г.", "I квартал 2026 г."]);
  await page.selectOption("#kpi-period", "2026-03");
  await page.waitForFunction(() => document.querySelectorAll("#kpi-box tbody tr").length === 1);
  assert.match(await page.locator("#kpi-box tbody").innerText(), /Март 2026 г\.\s+Продажи/);
  assert.ok(await fits(page));
  b.assertClean(page);
  // the giver reopens it done: the text, the deadline, the answer, both
  // files (downloadable), the history (the trial's item 1)
  await mgr.goto(host + "/tasks.html");
  await mgr.locator("#given-none").filter({ hasText: "Открытых заданий нет." }).waitFor();
  assert.match(await mgr.locator("#tasks-intro").innerText(), /^Согласование заявлений ваших сотрудников и задания/);
  await mgr.selectOption("#given-filter", "done");
  const done = mgr.locator("#given-list article", { hasText: "Пройти инструктаж по охране труда — Смирнова Анна Сергеевна" });
  await done.waitFor();
  assert.match(await done.innerText(), /Выполнено/);
  await done.locator("summary").click();
  await done.locator("details a", { hasText: "лист.png" }).waitFor();
  const detail = await done.locator("details").innerText();
  assert.match(detail, /Прочитайте инструкцию и подпишите лист ознакомления\./);
  assert.match(detail, new RegExp(`Срок: ${TO.replace(/\./g, "\\.")}`));
  assert.match(detail, /Ответ сотрудника\s+Ознакомилась, лист подписан/);
  assert.match(detail, /История[\s\S]*Поставлено: Кузнецов Олег Петрович[\s\S]*Приложен файл «инструкция\.png»[\s\S]*Приложен файл «лист\.png»: Смирнова Анна Сергеевна[\s\S]*Выполнено: Ознакомилась, лист подписан/);
  const href = await done.locator("details a", { hasText: "лист.png" }).getAttribute("href");
  const got = await mgr.evaluate(async (u) => (await fetch(u)).status, href);
  assert.equal(got, 200, "the giver downloads the employee's file");
  await mgr.selectOption("#given-filter", "all");
  await done.waitFor();
  assert.ok(await fits(mgr), "the given tasks fit 390 px");
  b.assertClean(mgr);
  await context.close();
});

b.test("HR gives a task to a person typed by full name: none, several, then exactly one", async () => {
  const context = await b.newContext({ viewport: { width: 390, height: 844 } });
  const perf = await context.newPage();
  await signIn(perf, PERFORMER);
  await perf.goto(host + "/tasks.html");
  await perf.locator("#give-employee-name").waitFor();
  assert.match(await perf.locator("#tasks-intro").innerText(), /^Заявки, которые поручены вам, и задания/);
  await perf.fill("#give-title-input", "Принести справку с места учёбы");
  const send = async () => perf.click('#give-form button[type="submit"]');
  await perf.fill("#give-employee-name", "Смирнова Алла");
  await send();
  await perf.locator("#e-give-employee").filter({ hasText: "Сотрудник «Смирнова Алла» не найден: укажите ФИО или табельный номер" }).waitFor();
  assert.equal(await perf.locator("#give-employee-name").getAttribute("aria-invalid"), "true");
  await perf.fill("#give-employee-name", "Орлов Игорь Петрович");
  await send();
  await perf.locator("#e-give-employee").filter({ hasText: "Найдено 2 сотрудника с таким ФИО — выберите из списка" }).waitFor();
  // typed, not picked: the exact full name in any case is the one person
  await perf.fill("#give-employee-name", "  смирнова анна  сергеевна ");
  await send();
  await perf.locator("#give-done").filter({ hasText: "Задание «Принести справку с места учёбы» дано." }).waitFor();
  assert.equal(await perf.locator("#e-give-employee").innerText(), "");
  await perf.locator("#given-list article", { hasText: "Принести справку с места учёбы — Смирнова Анна Сергеевна" }).waitFor();
  // and a personnel number
  await perf.fill("#give-title-input", "Подписать график отпусков");
  await perf.fill("#give-employee-name", "0005");
  await send();
  await perf.locator("#given-list article", { hasText: "Подписать график отпусков — Орлов Игорь Петрович" }).waitFor();
  b.assertClean(perf);
  await context.close();
});

b.test("every section of the site fits the phone, for the employee and the manager", async ({ page }) => {
  // (each page's own section, not "network idle": the notifications'
  // stream stays open)
  const sections = { "/": "#vacation", "/requests.html": "#list", "/tasks.html": "#tasks",
    "/team.html": "#not-manager", "/file.html": "#file", "/salary.html": "#salary", "/kpi.html": "#kpi", "/profile.html": "#prefs" };
  for (const [path, section] of Object.entries(sections)) {
    await page.goto(host + path);
    await page.locator(section).waitFor();
    assert.ok(await fits(page), `${path} fits 390 px`);
  }
  // notifications by email as well: the preference is kept
  await page.goto(host + "/profile.html");
  await page.locator("#prefs-email").check();
  await page.click('#prefs-form button[type="submit"]');
  await page.locator("#prefs-done").waitFor();
  await page.reload();
  await page.locator("#prefs").waitFor();
  assert.equal(await page.locator("#prefs-email").isChecked(), true);
  assert.match(await page.locator("#prefs-email-to").textContent(), /smirnova@zayavki\.example/);
  await page.goto(host + "/file.html");
  await page.locator("#card-title").filter({ hasText: "Смирнова Анна Сергеевна" }).waitFor();
  await page.goto(host + "/team.html");
  await page.locator("#not-manager").waitFor();
  b.assertClean();
});

b.test("an employee without a schedule is told why the timesheet is empty (F-emp-2)", async ({ page }) => {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(host + "/");
    const why = page.locator("#timesheet-no-schedule");
    await why.waitFor();
    assert.equal(await why.textContent(),
      "Вам ещё не назначен график работы, поэтому табель пуст. График назначает отдел кадров: если вы уже работаете, сообщите им.");
    assert.ok(await fits(page), `the home page fits ${width} px`);
    // the month is picked in Russian whatever the browser's language (F-emp-1)
    const months = await page.locator("#timesheet-month-name option").allTextContents();
    assert.deepEqual(months.slice(0, 3).concat(months.slice(-1)), ["январь", "февраль", "март", "декабрь"]);
    assert.equal(await page.locator("#timesheet-month").inputValue(),
      `${await page.inputValue("#timesheet-year")}-${await page.inputValue("#timesheet-month-name")}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  b.assertClean();
});
