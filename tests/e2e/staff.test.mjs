// staff.test.mjs - the administrator finds an employee in the list, opens
// the card with the personal file, changes the employee on the edit form
// (a bad value first: the message at the field, every typed value kept),
// and sees the change on the card; adds a department with its parent and
// head chosen by name from the suggestions (a bad parent first); on a phone
// the pages fit the screen.
//
// test_e2e.py seeds tenant "kadry" through the exchange (an organization, a
// department tree with a head, positions, employees with a personal file)
// and passes
//   CABINET_E2E_STAFF  "subdomain:login:password" of its administrator.
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const b = suite(import.meta.url, { viewport: { width: 390, height: 844 } });
const [sub, login, password] = (process.env.CABINET_E2E_STAFF || "").split(":");
const host = b.origin(sub);

const fits = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

b.test("the administrator signs in and opens the employee list from the menu", async ({ page }) => {
  await page.goto(host + "/admin/login");
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(host + "/admin/"), page.click('form[action="/admin/login"] button')]);
  await page.click(".menu-toggle");
  await Promise.all([page.waitForURL(host + "/admin/employees"), page.click('#menu a[href="/admin/employees"]')]);
  const rows = page.locator("table.list tbody tr");
  assert.equal(await rows.count(), 4);
  assert.ok(await fits(page), "the list fits 390 px (the table scrolls in its frame)");
  b.assertClean();
});

b.test("the list is searched by name and by personnel number and filtered by department", async ({ page }) => {
  await page.fill('input[name="q"]', "смирн");
  await Promise.all([page.waitForURL(/q=/), page.click('#form-employees button[type="submit"]')]);
  let names = await page.locator("table.list tbody td:nth-child(3)").allTextContents();
  assert.deepEqual(names.map((s) => s.trim()), ["Смирнова Анна Сергеевна"]);
  await page.fill('input[name="q"]', "0003");
  await Promise.all([page.waitForURL(/q=0003/), page.click('#form-employees button[type="submit"]')]);
  names = await page.locator("table.list tbody td:nth-child(3)").allTextContents();
  assert.deepEqual(names.map((s) => s.trim()), ["Кузнецов Олег Петрович"]);
  // the department with its sub-department
  await page.fill('input[name="q"]', "");
  await page.selectOption('select[name="department"]', { label: "Производство" });
  await Promise.all([page.waitForURL(/department=/), page.click('#form-employees button[type="submit"]')]);
  names = (await page.locator("table.list tbody td:nth-child(3)").allTextContents()).map((s) => s.trim());
  assert.deepEqual(names, ["Кузнецов Олег Петрович", "Смирнова Анна Сергеевна"]);
  assert.equal(await page.locator('select[name="department"]').inputValue() !== "", true, "the filter is kept");
  b.assertClean();
});

b.test("the card shows every section of the personal file, SNILS masked", async ({ page }) => {
  await Promise.all([page.waitForURL(/\/admin\/employees\/\d+$/), page.click("text=Смирнова Анна Сергеевна")]);
  const main = await page.locator("main").innerText();
  assert.match(main, /Смирнова Анна Сергеевна/);
  assert.match(main, /Цех №1/);
  assert.match(main, /Технолог/);
  assert.match(main, /15\.01\.2024/); // hired, as people write dates
  assert.match(main, /\*\*\*-\*\*\*-\*\*\* 95/);
  assert.doesNotMatch(main, /112-233-445|11223344595/);
  assert.match(main, /Согласует заявления\s+Кузнецов Олег Петрович, руководитель подразделения/);
  for (const [section, text] of [
    ["Трудовая деятельность", /Приём, Технолог, Цех №1; приказ № 7-к от 12\.01\.2024/],
    ["Отпуска", /ежегодный — 14 дней/],
    ["Командировки", /Казань: наладка линии/],
    ["Стаж", /Общий стаж: 12 лет 4 месяца/],
    ["Аттестации", /Результат: соответствует/],
    ["Образование", /МГТУ им\. Баумана, технология машиностроения/],
    ["Повышение квалификации", /Охрана труда, УЦ «Профи», 40 часов/],
  ]) {
    const h = page.locator("h3", { hasText: section });
    assert.equal(await h.count(), 1, section);
    assert.match(main, text, section);
  }
  assert.ok(await fits(page), "the card fits 390 px");
  b.assertClean();
});

b.test("the edit form refuses a bad email at the field, keeps what was typed, then saves", async ({ page }) => {
  const card = page.url();
  await Promise.all([page.waitForURL(/\/edit$/), page.click("text=Изменить")]);
  assert.equal(await page.locator('input[name="full_name"]').inputValue(), "Смирнова Анна Сергеевна");
  assert.equal(await page.locator('input[name="hired"]').inputValue(), "15.01.2024");
  await page.fill('input[name="phone"]', "8 (912) 000-11-22");
  await page.fill('input[name="email"]', "anna(at)kadry");
  await page.click('#form-employee button[type="submit"]');
  const email = page.locator('input[name="email"]');
  await page.locator("#e-email").waitFor();
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  assert.match(await email.getAttribute("aria-describedby"), /e-email/);
  assert.equal(await email.inputValue(), "anna(at)kadry");
  assert.equal(await page.locator('input[name="phone"]').inputValue(), "8 (912) 000-11-22");
  assert.notEqual(await page.locator('select[name="department_id"]').inputValue(), "", "the department is kept");
  await page.fill('input[name="email"]', "smirnova@kadry.example");
  await Promise.all([page.waitForURL(card), page.click('#form-employee button[type="submit"]')]);
  const main = await page.locator("main").innerText();
  assert.match(main, /\+7 912 000-11-22/, "the phone as people write it");
  assert.match(main, /smirnova@kadry\.example/);
  assert.match(main, /Цех №1/, "the department did not change");
  b.assertClean();
});

b.test("the department tree shows the heads, and the pages of the menu fit a phone", async ({ page }) => {
  await page.goto(host + "/admin/departments");
  const rows = await page.locator("table.tree tbody tr").allTextContents();
  assert.match(rows.join("\n"), /Производство[\s\S]*Кузнецов Олег Петрович/);
  assert.match(rows.join("\n"), /Цех №1/);
  for (const path of ["/admin/positions", "/admin/api-keys", "/admin/exchange-log", "/admin/import",
    "/admin/employees/new"]) {
    const r = await page.goto(host + path);
    assert.equal(r.status(), 200, path);
    assert.ok(await fits(page), path + " fits 390 px");
  }
  b.assertClean();
});

// picks the suggestion that has text, typed into the picker's field
async function pick(page, field, typed, text) {
  await page.locator(field).pressSequentially(typed);
  const option = page.locator('[role="option"]', { hasText: text });
  await option.first().waitFor();
  await option.first().dispatchEvent("mousedown");
}

b.test("a department is added at 390 px with its parent and head chosen from the suggestions", async ({ page }) => {
  await page.goto(host + "/admin/departments");
  await Promise.all([page.waitForURL(host + "/admin/departments/new"), page.click("text=Добавить подразделение")]);
  assert.ok(await fits(page), "the form fits 390 px");
  await page.fill('input[name="name"]', "Отдел кадров");
  // a parent nobody has: the message at the field, the values kept
  await page.fill('input[name="parent"]', "Нет такого");
  await pick(page, 'input[name="head"]', "Смирн", "Смирнова Анна Сергеевна");
  await page.click('#form-department button[type="submit"]');
  await page.locator("#e-parent").waitFor();
  assert.match(await page.locator("#e-parent").innerText(), /Нет такого/);
  assert.equal(await page.locator('input[name="parent"]').getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator('input[name="name"]').inputValue(), "Отдел кадров");
  assert.match(await page.locator('input[name="head"]').inputValue(), /Смирнова Анна Сергеевна/);
  await page.fill('input[name="parent"]', "");
  await pick(page, 'input[name="parent"]', "произв", "Производство");
  assert.equal(await page.locator('input[name="parent"]').inputValue(), "Производство");
  await Promise.all([page.waitForURL(host + "/admin/departments"), page.click('#form-department button[type="submit"]')]);
  const rows = (await page.locator("table.tree tbody tr").allTextContents()).join("\n");
  assert.match(rows, /Производство[\s\S]*Отдел кадров\s*ООО «Кадры»\s*Смирнова Анна Сергеевна/);
  assert.ok(await fits(page), "the tree fits 390 px");
  // the edit form shows what was saved
  await Promise.all([page.waitForURL(/\/admin\/departments\/\d+\/edit$/),
    page.click('a:has-text("Изменить Отдел кадров")')]);
  assert.equal(await page.locator('input[name="parent"]').inputValue(), "Производство");
  assert.match(await page.locator('input[name="head"]').inputValue(), /Смирнова Анна Сергеевна/);
  b.assertClean();
});

b.test("pay terms are given to the marked employees at once at 390 px (F13)", async ({ page }) => {
  await page.goto(host + "/admin/employees");
  // nobody marked: stopped on the page with a message, nothing sent
  await page.fill('#employees-bulk input[name="date_from"]', "01.12.2026");
  await page.fill('#employees-bulk input[name="rate"]', "55 000");
  await page.click('#employees-bulk button[value="pay"]');
  await page.locator("#e-employees").filter({ hasText: "Отметьте сотрудников" }).waitFor();
  // the header box marks everyone on the page; two unmarked again
  await page.check("#select-all");
  const boxes = page.locator('#employees-bulk input[name="employees[]"]');
  assert.equal(await boxes.count(), 4);
  await boxes.nth(2).uncheck();
  await boxes.nth(3).uncheck();
  assert.equal(await page.locator("#select-all").evaluate((e) => e.indeterminate), true);
  assert.ok(await fits(page), "the list with its bulk form fits 390 px");
  await Promise.all([page.waitForLoadState("load"), page.click('#employees-bulk button[value="pay"]')]);
  await page.locator(".notice.done").filter({ hasText: "Условия оплаты с 01.12.2026 назначены 2 сотрудникам." }).waitFor();
  assert.ok(await fits(page));
  // the first one's card shows them
  await Promise.all([page.waitForURL(/\/admin\/employees\/\d+$/), page.locator("table.list tbody a").first().click()]);
  await Promise.all([page.waitForURL(/\/pay$/), page.click('a:has-text("Условия оплаты")')]);
  assert.match(await page.locator("table.list tbody").innerText(), /01\.12\.2026\s+55\s000,00\s₽/);
  b.assertClean();
});
