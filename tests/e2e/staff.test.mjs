// staff.test.mjs - the administrator finds an employee in the list, opens
// the card with the personal file, changes the employee on the edit form
// (a bad value first: the message at the field, every typed value kept),
// and sees the change on the card; on a phone the pages fit the screen.
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
  let names = await page.locator("table.list tbody td:nth-child(2)").allTextContents();
  assert.deepEqual(names.map((s) => s.trim()), ["Смирнова Анна Сергеевна"]);
  await page.fill('input[name="q"]', "0003");
  await Promise.all([page.waitForURL(/q=0003/), page.click('#form-employees button[type="submit"]')]);
  names = await page.locator("table.list tbody td:nth-child(2)").allTextContents();
  assert.deepEqual(names.map((s) => s.trim()), ["Кузнецов Олег Петрович"]);
  // the department with its sub-department
  await page.fill('input[name="q"]', "");
  await page.selectOption('select[name="department"]', { label: "Производство" });
  await Promise.all([page.waitForURL(/department=/), page.click('#form-employees button[type="submit"]')]);
  names = (await page.locator("table.list tbody td:nth-child(2)").allTextContents()).map((s) => s.trim());
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
  assert.match(main, /\+79120001122/);
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
