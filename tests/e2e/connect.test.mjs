// connect.test.mjs - an organization connects and its administrator
// activates the cabinet, in a real headless Chromium against a real stack.
//
// Run by test_e2e.py, which starts the stack and passes:
//   CABINET_E2E_URL     the base host, e.g. http://localhost:8123
//   CABINET_E2E_OUTBOX  the stack's outbox.log (file driver)
//   CHROMIUM            the browser (default /usr/bin/chromium)
import assert from "node:assert/strict";
import { suite, outbox } from "./harness.mjs";

const b = suite(import.meta.url);
const sub = "e2e" + Date.now().toString(36);
const host = b.origin(sub);

b.test("the connection page checks the address while typing", async ({ page }) => {
  await page.goto(b.url("/connect.html"));
  const check = page.locator("#subdomain-check");
  await page.fill("#subdomain", "www");
  await assert.doesNotReject(check.filter({ hasText: "зарезервирован" }).waitFor());
  await page.fill("#subdomain", "-bad");
  await check.filter({ hasText: /латинск|дефис/ }).waitFor();
  await page.fill("#subdomain", sub);
  await check.filter({ hasText: "Адрес свободен" }).waitFor();
  assert.match(await check.textContent(), new RegExp(sub + "\\.localhost"));
});

b.test("bad input is shown next to its field, then the cabinet is created", async ({ page }) => {
  await page.fill("#name", "ООО «Проверка»");
  await page.fill("#full_name", "Петров Пётр Петрович");
  await page.fill("#phone", "12345");
  await page.fill("#email", "petrov@e2e.example");
  await page.click("#submit");
  const phoneError = page.locator('.field-error[data-for="responsible.phone"]');
  await phoneError.filter({ hasText: /\+7/ }).waitFor();
  await page.fill("#phone", "8 (916) 111-22-33");
  await page.click("#submit");
  const link = page.locator("#cabinet-link");
  await link.waitFor({ state: "visible", timeout: 20000 });
  const url = b.url("/", sub);
  assert.equal(await link.textContent(), url);
  const mail = await outbox.wait("email", "petrov@e2e.example");
  assert.ok(mail.text.includes(url), "the email carries the link");
  b.assertClean();
});

b.test("a taken address is said once, and goes when the address is changed", async ({ page }) => {
  await page.goto(b.url("/connect.html"));
  const check = page.locator("#subdomain-check");
  const error = page.locator('.field-error[data-for="subdomain"]');
  await page.fill("#subdomain", sub);
  await check.filter({ hasText: "уже занят" }).waitFor();
  await page.fill("#name", "ООО «Повтор»");
  await page.fill("#full_name", "Повторов Пётр Петрович");
  await page.fill("#phone", "8 (916) 111-22-44");
  await page.fill("#email", "povtor@e2e.example");
  await page.click("#submit");
  await error.filter({ hasText: "уже занят" }).waitFor();
  await page.waitForTimeout(500); // a check still on its way has landed by now
  const said = (await page.locator("main").innerText()).split("уже занят").length - 1;
  assert.equal(said, 1, "«уже занят» is said once, not by the check and the field both");
  await page.fill("#subdomain", sub + "x");
  await check.filter({ hasText: "Адрес свободен" }).waitFor();
  assert.equal(await error.textContent(), "", "the old message goes with the old address");
  b.assertClean();
});

b.test("the responsible person activates the cabinet with an SMS code", async ({ page }) => {
  await page.goto(host + "/admin/activate");
  await page.fill('input[name="login"]', "+79161112233");
  await page.click('form[action="/admin/activate/code"] button');
  const sms = await outbox.wait("sms", "+79161112233");
  const code = sms.text.match(/\b\d{4,8}\b/)[0];
  // the consent to the processing of personal data (152-FZ) is offered; an
  // employee cannot activate without it, the responsible person (who acts
  // for the employer) gives it here as well (integration_accounts: the rule)
  assert.ok((await page.locator("#consent-text").textContent()).includes("152-ФЗ"), "the consent's text is there");
  await page.fill('input[name="code"]', code.replace(/\d$/, (d) => (d === "0" ? "1" : "0")));
  await page.fill('input[name="password"]', "Proverka-Zima-2026");
  await page.check("#consent");
  await page.click('form[action="/admin/activate"] button');
  await page.locator(".field-error", { hasText: "Неверный код" }).waitFor();
  assert.ok(await page.isChecked("#consent"), "the consent stays ticked after a wrong code");
  await page.fill('input[name="code"]', code);
  await page.fill('input[name="password"]', "Proverka-Zima-2026");
  await page.click('form[action="/admin/activate"] button');
  await page.waitForURL(host + "/admin/");
  await page.goto(host + "/admin/users");
  const row = page.locator("table.list tr", { hasText: "Петров Пётр Петрович" });
  const text = await row.textContent();
  assert.match(text, /это вы/);
  assert.match(text, /снять права/, "the responsible person is an administrator");
  b.assertClean();
});
