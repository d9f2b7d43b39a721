// cabinets.test.mjs - an administrator walks the cabinets page: the legend
// filters by state, some rows are marked and get cabinets (one cannot: the
// reason shows on click), then everyone on the page is marked at once and
// invited by email; the states follow.
//
// test_e2e.py seeds tenant "kabinety" (an administrator with a password and
// four employees: two with email and phone, one with a phone only, one with
// the administrator's own email) and passes CABINET_E2E_CABINETS
// "subdomain:email:password".
import assert from "node:assert/strict";
import { suite, outbox } from "./harness.mjs";

const b = suite(import.meta.url, { viewport: { width: 390, height: 900 } });
const [sub, email, password] = (process.env.CABINET_E2E_CABINETS || "").split(":");
const host = b.origin(sub);
let page;

const row = (name) => page.locator("table.cabinets tbody tr", { hasText: name });
const stateOf = async (name) => row(name).locator("img.st").getAttribute("alt");

b.test("the administrator signs in and sees every published employee without a cabinet", async (t) => {
  page = t.page;
  await page.goto(host + "/admin/login");
  await page.fill('input[name="login"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form[action="/admin/login"] button');
  await page.waitForURL(host + "/admin/");
  await page.goto(host + "/admin/cabinets");
  // the legend: every state with its meaning and count
  const legend = await page.locator(".legend li").allTextContents();
  assert.equal(legend.length, 9);
  assert.match(legend[0], /Кабинет пока не создавался\s+4/);
  assert.match(legend[7], /Сотрудник зашёл в свой кабинет\s+0/);
  assert.equal(await page.locator("table.cabinets tbody tr").count(), 4);
  assert.equal(await stateOf("Анисимова"), "Кабинет пока не создавался");
});

b.test("the legend filters the list by state", async () => {
  await page.click('.legend a[href="/admin/cabinets?state=not_created"]');
  await page.waitForURL(/state=not_created/);
  assert.equal(await page.locator("table.cabinets tbody tr").count(), 4);
  assert.equal(await page.locator('.legend a[aria-current="page"]').count(), 1);
  await page.click('.legend a[href="/admin/cabinets?state=invited"]');
  await page.waitForURL(/state=invited/);
  assert.match(await page.locator("table.cabinets tbody").textContent(), /Никого нет в этом состоянии/);
});

b.test("marked rows get cabinets; one cannot, and its reason shows on click", async () => {
  await page.goto(host + "/admin/cabinets");
  // nothing marked: the page says so instead of sending
  await page.click('button[formaction="/admin/cabinets/create"]');
  await page.locator("#e-employees").getByText("Отметьте сотрудников").waitFor();
  await row("Анисимова").locator('input[type="checkbox"]').check();
  await row("Дубликатов").locator('input[type="checkbox"]').check();
  await row("Телефонов").locator('input[type="checkbox"]').check();
  await page.click('button[formaction="/admin/cabinets/create"]');
  await page.locator(".done").waitFor();
  assert.match(await page.locator(".done").textContent(), /Создано кабинетов: 2\. Не удалось создать: 1\./);
  assert.match(await page.locator(".done li").textContent(), /Дубликатов.*уже указана в кабинете другого человека/);
  assert.equal(await stateOf("Анисимова"), "Кабинет создан, можно отправлять приглашение на почту");
  assert.equal(await stateOf("Телефонов"), "Кабинет создан, можно отправлять приглашение по SMS");
  // the failed row: its reason is one click away
  const why = row("Дубликатов").locator("details.why");
  assert.equal(await why.locator("p").isVisible(), false);
  await why.locator("summary").click();
  assert.match(await why.locator("p").textContent(), /исправьте почту сотрудника/);
});

b.test("everyone on the page marked at once and invited by email", async () => {
  await page.goto(host + "/admin/cabinets");
  await page.locator("#select-all").check();
  for (const box of await page.locator('input[name="employees[]"]').all()) assert.equal(await box.isChecked(), true);
  await page.click('button[formaction="/admin/cabinets/invite"][value="email"]');
  await page.locator(".done").waitFor();
  // the phone-only employee is invited by SMS, counted, not failed (the trial's F-cab-1)
  assert.match(await page.locator(".done").textContent(),
               /Приглашения отправлены: 2, из них по SMS \(почты нет\): 1\. Не отправлены: \d+\./);
  // some were not sent: a warning's colours, not a success's
  assert.match(await page.locator(".done").getAttribute("class"), /\bpartial\b/);
  assert.equal(await stateOf("Анисимова"), "Приглашение отправлено, но сотрудник ещё не заходил в свой кабинет");
  assert.equal(await stateOf("Телефонов"), "Приглашение отправлено, но сотрудник ещё не заходил в свой кабинет");
  // the one never created is still waiting for a cabinet
  assert.equal(await stateOf("Борисов"), "Кабинет пока не создавался");
  const legend = await page.locator(".legend li").allTextContents();
  assert.match(legend[6], /Приглашение отправлено.*\s2$/s);
  b.assertClean(page);
});

b.test("the invited employee opens the link, gets a code, agrees and lands in the cabinet", async () => {
  const mail = await outbox.wait("email", "anisimova@kabinety.example");
  const link = mail.text.match(/http:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)[0];
  const employee = await (await b.newContext()).newPage();
  await employee.goto(link);
  await employee.getByText("Здравствуйте, Анисимова Алла Андреевна!").waitFor();
  assert.match(await employee.locator("#where").textContent(), /по SMS на номер \+7 \*\*\* \*\*\*-00-01/);
  const since = outbox.count();
  await employee.click("#send");
  const sms = await outbox.wait("sms", "+79161110001", { since });
  const code = sms.text.match(/Код подтверждения: (\d{6})/)[1];
  await employee.fill("#code", code);
  // the password rule is told before the first attempt (U5)
  assert.match(await employee.locator("#password-hint").textContent(), /^Не короче 12 символов\./);
  await employee.fill("#password", "Anisimova-Vesna-2026");
  // without the consent the cabinet is not activated, and the typed values stay
  await employee.click("#submit");
  await employee.locator('.field-error[data-for="consent"]').getByText("Без согласия").waitFor();
  assert.equal(await employee.inputValue("#code"), code);
  await employee.check("#consent");
  await employee.click("#submit");
  await employee.waitForURL(new URL("/", link).href);
  await employee.locator("#user-name").getByText("Анисимова Алла Андреевна").waitFor();
  // the same link again says it was used and what to do
  await employee.goto(link);
  await employee.locator("#gone").getByText("уже использовано").waitFor();
  // the trial's F-inv-1: no advice to ask for a new invitation for an
  // activated cabinet, a sentence with its period, a link to sign in
  assert.match(await employee.locator("#gone-text").textContent(), /по коду из SMS\.$/);
  assert.doesNotMatch(await employee.locator("#gone").textContent(), /новое приглашение/);
  assert.equal(await employee.locator("#gone").getByRole("link", { name: "Войти в кабинет" }).getAttribute("href"),
               "/admin/login");
  // and the administrator sees the green man
  await page.goto(host + "/admin/cabinets");
  assert.equal(await stateOf("Анисимова"), "Сотрудник зашёл в свой кабинет");
  b.assertClean(employee);
  b.assertClean(page);
});

// CABINET_E2E_SCREENSHOTS=DIR keeps a picture of the page for a person to look at.
b.test("screenshot on request", { skip: !process.env.CABINET_E2E_SCREENSHOTS }, async () => {
  await page.screenshot({ path: `${process.env.CABINET_E2E_SCREENSHOTS}/cabinets.png`, fullPage: true });
});
