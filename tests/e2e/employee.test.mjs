// employee.test.mjs - an employee signs in and sees the vacation balance
// and the payslip of a closed month on the cabinet's start page.
//
// test_e2e.py seeds tenant "slip" (the seed's April 2017: summed norm, sick
// 17-19 April, 26 250,00 accrued, closed) and passes
//   CABINET_E2E_EMPLOYEE  "subdomain:email:password".
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const b = suite(import.meta.url);
const [sub, email, password] = (process.env.CABINET_E2E_EMPLOYEE || "").split(":");
const host = b.origin(sub);

const text = async (sel) => (await b.page.locator(sel).textContent()).trim();

// The timesheet's month by its two Russian selects (F-emp-1).
async function pickMonth(page, month) {
  const [y, m] = month.split("-");
  await page.selectOption("#timesheet-year", y);
  await page.selectOption("#timesheet-month-name", m);
}

b.test("a wrong password is refused without saying whether the login exists", async ({ page }) => {
  await page.goto(host + "/admin/login");
  await page.fill('input[name="login"]', email);
  await page.fill('input[name="password"]', "not-the-password-1");
  await page.click('form[action="/admin/login"] button');
  await page.getByText("Неверный логин или пароль").waitFor();
});

b.test("the employee lands on the start page with the payslip of the closed month", async ({ page }) => {
  await page.fill('input[name="login"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form[action="/admin/login"] button');
  await page.waitForURL(host + "/");
  await page.locator("#payslip").waitFor({ state: "visible" });
  assert.equal(await text("#title"), "ООО «Листок»");
  assert.equal(await text("#user-name"), "Васильев Василий Васильевич");
  assert.equal(await page.locator("#admin-link").isVisible(), false);
  assert.match(await text("#payslip-month"), /Апрель 2017/i);

  const rows = await page.locator("#payslip-accruals tr").allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /01\.04\.2017.*11\.04\.2017.*11 из 24 дн\..*13\s750,00\s₽/);
  assert.match(rows[1], /12\.04\.2017.*30\.04\.2017.*10 из 24 дн\..*12\s500,00\s₽/);
  assert.match(await text("#payslip-accrued"), /^26\s250,00\s₽$/);
  assert.match(await text("#payslip-deductions"), /НДФЛ.*3\s413,00\s₽/);
  assert.match(await text("#payslip-net"), /^22\s837,00\s₽$/);
  // closing a month records no payment: nothing paid, the net still owed
  assert.match(await text("#payslip-paid"), /^0,00\s₽$/);
  assert.match(await text("#payslip-balance"), /^22\s837,00\s₽$/);
});

b.test("the vacation balance is shown with one decimal and the right word", async ({ page }) => {
  await page.locator("#vacation").waitFor({ state: "visible" });
  const balance = await text("#vacation-balance");
  assert.match(balance, /^\d+(,\d)? (день|дня|дней)$/);
  const [num] = balance.split(" ");
  if (num.includes(",") && !num.endsWith(",0")) assert.match(balance, /дня$/);
  assert.match(await text("#vacation-detail"), /на \d\d\.\d\d\.\d{4}/);
});

b.test("the employee's timesheet shows the month by days with the sick leave", async ({ page }) => {
  // the years offered start at his hire year (2016), not before (F12)
  const years = await page.locator("#timesheet-year option").evaluateAll((os) => os.map((o) => o.value));
  assert.equal(years.at(-1), "2016");
  assert.equal(years[0], String(new Date().getFullYear() + 1));
  await pickMonth(page, "2017-04");
  await page.locator('#timesheet-days[data-month="2017-04"]').waitFor({ state: "attached" });
  const day = async (n) => (await page.locator(`#timesheet-days .day[data-day="${n}"]`).textContent()).trim();
  assert.equal(await day(1), "1Я8"); // a Saturday on the shift schedule: worked
  assert.equal(await day(15), "15В"); // a Saturday on the five-day week
  assert.equal(await day(17), "17Б"); // sick leave
  assert.equal(await day(20), "20Я8");
  assert.equal(await text("#timesheet-total"), "Отработано за месяц: 21 день, 168 ч.");
  assert.match(await text("#timesheet-absences"), /Б — 3 дня/);
  b.assertClean();
});

b.test("the current month's timesheet: worked so far and the plan apart", async ({ page }) => {
  // the organization's today (Europe/Moscow), not the machine's
  // (by parts: a locale's whole-date pattern is not fixed across ICU
  // versions; en-CA's broke the month input under Debian's Node.js)
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en", { timeZone: "Europe/Moscow", year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  const month = `${parts.year}-${parts.month}`, day = Number(parts.day);
  await pickMonth(page, month);
  await page.locator(`#timesheet-days[data-month="${month}"]`).waitFor({ state: "attached" });
  const total = await text("#timesheet-total");
  // the 1st: the month has begun, nothing is worked yet (never «Месяц ещё не начался» - trial-user 16)
  assert.match(total, day === 1
    ? /^Отработанных дней пока нет: месяц начался сегодня\. По плану за месяц: \d+ (день|дня|дней), [\d,]+ ч\.$/
    : /^Отработано по \d\d\.\d\d\.\d{4}: \d+ (день|дня|дней), [\d,]+ ч\. По плану за месяц: \d+ (день|дня|дней), [\d,]+ ч\.$/);
  assert.doesNotMatch(total, /Отработано за месяц/);
  // today and the days after it are the plan, the days before are not
  const planned = await page.locator("#timesheet-days .day.planned").evaluateAll((els) => els.map((e) => Number(e.dataset.day)));
  assert.equal(planned[0], day);
  assert.equal(await page.locator("#timesheet-days .day:not(.planned)").count(), day - 1);
  assert.match(await page.locator(`#timesheet-days .day[data-day="${day}"]`).getAttribute("aria-label"), /по плану|выходной|праздник/);
  b.assertClean();
});

// CABINET_E2E_SCREENSHOTS=DIR keeps a picture of the page for a person to look at.
b.test("screenshot on request", { skip: !process.env.CABINET_E2E_SCREENSHOTS }, async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 900 });
  await page.screenshot({ path: `${process.env.CABINET_E2E_SCREENSHOTS}/employee.png`, fullPage: true });
});
