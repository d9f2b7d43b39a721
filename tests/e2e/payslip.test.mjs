// payslip.test.mjs - issue 11's payslip on a phone (390 px), on the admin
// page and on the employee site: vacation pay with its days and average,
// sick pay with the employer's days and the Social Fund's, a bonus, the
// month's payments (vacation pay, advance), money as "30 500,00 ₽" with
// no-break spaces (U+00A0).
//
// test_e2e.py seeds tenant "otpusk" (seed_payslip) and passes
//   CABINET_E2E_PAYSLIP  "subdomain:employee-email:password:admin-email:employee-id"
// (both users have the same password). June 2025, 60 000 by days, 19
// working days; by hand:
//   salary       7 of 19 days (vacation 8, sick 4)  60 000 x 7/19 = 22 105,26
//   vacation     09-22.06, 14 days less 12 June = 13; 12 months at 60 000:
//                720 000 / 351,6 = 2 047,78 a day  -> 26 621,14
//   sick pay     (2023: 5 months not in the opening balance, computed
//                from time as worked, 5 x 60 000, + 7 x 60 000; 2024:
//                720 000) / 730 = 1 440 000 / 730 = 1 972,60, 10 years:
//                100 %; the employer's 3 days 5 917,80, the Fund's 3
//                (28-30.06)
//   bonus        10 000,00
//   accrued      64 644,20; НДФЛ 13 % = 8 403,75 -> 8 404,00; net 56 240,20
//   payments     vacation pay 06.06: 26 621,14, НДФЛ 3 461,00 (13 % of it);
//                advance 20.06: 20 000,00, НДФЛ 2 600,00
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const b = suite(import.meta.url, { viewport: { width: 390, height: 844 } });
const [sub, email, password, adminEmail, eid] = (process.env.CABINET_E2E_PAYSLIP || "").split(":");
const host = b.origin(sub);
const NB = "\u00a0";
const rub = (s) => s.replace(/ /g, NB) + NB + "₽"; // "26 621,14" -> the page's form

async function signIn(page, login) {
  await page.goto(host + "/admin/login");
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await page.click('form[action="/admin/login"] button');
}

// no wider than the phone; else names the elements that stick out
async function fitsThePhone(page) {
  const [width, out] = await page.evaluate(() => {
    const over = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > 391 && e.getClientRects().length)
      .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > 391))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)} px: ` +
        (e.textContent || "").trim().slice(0, 60));
    return [document.documentElement.scrollWidth, over];
  });
  assert.ok(width <= 390, `the page is ${width} px wide at 390:\n${out.join("\n")}`);
}

b.test("the administrator's payslip shows every kind of line at 390 px", async ({ page }) => {
  await signIn(page, adminEmail);
  await page.waitForURL((u) => !u.pathname.endsWith("/login"));
  await page.goto(`${host}/admin/payroll/2025-06/employees/${eid}`);
  const slip = page.locator("section.payslip");
  await slip.waitFor();
  const rows = (await slip.locator("table").first().locator("tbody tr").allTextContents())
    .map((r) => r.replace(/\s+/g, " ").trim());
  assert.equal(rows.length, 4, rows.join("\n"));
  const body = await slip.textContent();
  for (const want of [rub("22 105,26"), rub("26 621,14"), rub("5 917,80"), rub("10 000,00"),
    rub("64 644,20"), rub("8 404,00"), rub("56 240,20"), rub("2 047,78"), rub("1 972,60"),
    rub("20 000,00"), rub("3 461,00"), rub("2 600,00")])
    assert.ok(body.includes(want), `the payslip has ${JSON.stringify(want)}`);
  assert.ok(rows.some((r) => /Отпускные.*13 дн\. ×/.test(r)), rows.join("\n"));
  assert.ok(rows.some((r) => /Пособие по временной нетрудоспособности.*Остальные 3 дн\. оплачивает Социальный фонд России.*3 дн\. × .*100 % от/.test(r)),
    rows.join("\n"));
  assert.ok(rows.some((r) => /Премия: за квартал/.test(r)), rows.join("\n"));
  assert.match(body, /Аванс/);
  // every amount is on the screen, not behind a sideways scroll (cards on a phone)
  const boxes = (sel) => sel.evaluateAll((cells) => cells.map((c) => {
    const r = c.getBoundingClientRect();
    return [c.textContent.trim(), r.left, r.right];
  }));
  const amounts = await boxes(slip.locator("td[data-label='Сумма'], td[data-label='Выплачено']"));
  assert.ok(amounts.length >= 6, `amount cells: ${amounts.length}`);
  for (const box of amounts)
    assert.ok(box[1] >= 0 && box[2] <= 390, `${box[0]} is at ${box[1]}–${box[2]} px, off a 390 px screen`);
  await page.goto(`${host}/admin/payroll/2025-06`);
  const list = await boxes(page.locator("td[data-label='К выплате'], td[data-label='НДФЛ']"));
  assert.ok(list.length >= 2, `payroll list cells: ${list.length}`);
  for (const box of list)
    assert.ok(box[1] >= 0 && box[2] <= 390, `the payroll list's ${box[0]} is at ${box[1]}–${box[2]} px`);
  await fitsThePhone(page);
  b.assertClean();
});

b.test("the employee site shows the same payslip at 390 px", async ({ browser }) => {
  const ctx = await b.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await signIn(page, email);
  await page.waitForURL(host + "/");
  await page.locator("#payslip").waitFor({ state: "visible" });
  const text = async (sel) => (await page.locator(sel).textContent()).trim();
  assert.match(await text("#payslip-month"), /Июнь 2025/i);
  const rows = (await page.locator("#payslip-accruals tr").allTextContents()).map((r) => r.replace(/\s+/g, " "));
  assert.equal(rows.length, 4, rows.join("\n"));
  const acc = (await page.locator("#payslip-accruals").textContent());
  for (const want of [rub("22 105,26"), rub("26 621,14"), rub("5 917,80"), rub("10 000,00")])
    assert.ok(acc.includes(want), `the accruals have ${JSON.stringify(want)}`);
  assert.ok(rows.some((r) => /13 дн\. × 2 047,78 ₽/.test(r)), rows.join("\n"));
  assert.ok(rows.some((r) => /Социальный фонд/.test(r) && /3 дн\. × 1 972,60 ₽ \(100 % от 1 972,60 ₽\)/.test(r)),
    rows.join("\n"));
  assert.equal(await text("#payslip-accrued"), rub("64 644,20"));
  assert.equal(await text("#payslip-deducted"), rub("8 404,00"));
  assert.equal(await text("#payslip-net"), rub("56 240,20"));
  const pays = (await page.locator("#payslip-payments tr").allTextContents()).join("\n");
  assert.match(pays, /Аванс, 20\.06\.2025/);
  assert.ok(pays.includes(rub("17 400,00")), pays);
  await fitsThePhone(page);
  b.assertClean(page);
});

// The accountant's inputs on the page, no curl: July 2025 of the same
// employee (open, not calculated). A bonus of 5 000,50 typed as people type
// it and an advance of 20 000 on 18.07.2025; calculated from the payroll
// page, the payslip has the bonus line and the advance (НДФЛ 13 % of it:
// 2 600,00; paid 17 400,00).
b.test("the accountant adds a bonus and records an advance on the page and sees them on the payslip", async ({ page }) => {
  await signIn(page, adminEmail);
  await page.waitForURL((u) => !u.pathname.endsWith("/login"));
  const url = `${host}/admin/payroll/2025-07/employees/${eid}`;
  await page.goto(url);
  await page.locator("#form-accrual").waitFor();
  assert.match(await page.locator("main").textContent(), /ещё не сформирован/);
  // a bad amount comes back with the reason at the field and what was typed kept
  await page.locator('#form-accrual select[name="kind"]').selectOption("bonus");
  await page.fill('#form-accrual input[name="amount"]', "5 000,5,0");
  await page.fill('#form-accrual input[name="title"]', "за июль");
  await page.click('#form-accrual button[type="submit"]');
  await page.locator("#form-accrual .field-error").waitFor();
  assert.equal(await page.inputValue('#form-accrual input[name="title"]'), "за июль");
  assert.equal(await page.getAttribute('#form-accrual input[name="amount"]', "aria-invalid"), "true");
  await page.fill('#form-accrual input[name="amount"]', "5 000,50");
  await page.click('#form-accrual button[type="submit"]');
  await page.waitForURL(url);
  const accruals = await page.locator('[aria-label="Разовые начисления"]').textContent();
  assert.ok(accruals.includes("Премия: за июль") && accruals.includes(rub("5 000,50")), accruals);
  await page.fill('#form-payment input[name="date"]', "18.07.2025");
  await page.locator('#form-payment select[name="kind"]').selectOption("advance");
  await page.fill('#form-payment input[name="amount"]', "20 000");
  await page.click('#form-payment button[type="submit"]');
  await page.waitForURL(url);
  const pays = await page.locator('[aria-label="Выплаты"]').textContent();
  assert.ok(/Аванс/.test(pays) && pays.includes("18.07.2025") && pays.includes(rub("20 000,00")) &&
    pays.includes(rub("2 600,00")), pays);
  await fitsThePhone(page);
  // calculated from the payroll page: the payslip shows both
  await page.goto(`${host}/admin/payroll`);
  await page.selectOption('#form-payroll select[aria-label="Месяц"]', "07");
  await page.selectOption('#form-payroll select[aria-label="Год"]', "2025");
  await page.click('#form-payroll button[type="submit"]');
  await page.waitForURL(`${host}/admin/payroll/2025-07`);
  await page.goto(url);
  const slip = page.locator("section.payslip");
  await slip.waitFor();
  const body = await slip.textContent();
  assert.ok(/Премия: за июль/.test(body) && body.includes(rub("5 000,50")) && body.includes(rub("65 000,50")), body);
  assert.ok(/Аванс/.test(body) && body.includes("18.07.2025") && body.includes(rub("17 400,00")), body);
  await fitsThePhone(page);
  b.assertClean();
});

b.test("illness during a vacation: the deviation form offers to return the days or extend the vacation", async ({ page }) => {
  await page.goto(`${host}/admin/deviations`);
  const form = page.locator("#form-deviation");
  const choice = form.locator("[data-when-vacation]");
  const fill = async (code, from, to) => {
    await form.locator('input[name="code"]').fill(code);
    await form.locator('input[name="date_from"]').fill(from);
    await form.locator('input[name="date_to"]').fill(to);
  };
  // a vacation in September through the same form
  await form.locator('input[name="employee"]').fill("Летова Анна Сергеевна");
  await fill("ОТ", "08.09.2025", "19.09.2025");
  assert.equal(await choice.isVisible(), false);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === "/admin/deviations" && !u.search.includes("error"));
  // a sick leave inside it: the choice appears; outside it or another code: not
  await form.locator('input[name="employee"]').fill("Летова Анна Сергеевна");
  await fill("Б", "10.09.2025", "11.09.2025");
  await choice.waitFor({ state: "visible" });
  await fill("Б", "01.10.2025", "02.10.2025");
  await choice.waitFor({ state: "hidden" });
  await fill("Б", "10.09.2025", "11.09.2025");
  await choice.waitFor({ state: "visible" });
  await fill("К", "10.09.2025", "11.09.2025");
  await choice.waitFor({ state: "hidden" });
  await fill("Б", "10.09.2025", "11.09.2025");
  await choice.waitFor({ state: "visible" });
  await choice.getByLabel("продлить отпуск на эти дни").check();
  await form.locator('button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === "/admin/deviations");
  // two days of illness: the vacation ends on 21.09 instead of 19.09 (art. 124)
  await page.goto(`${host}/admin/deviations?month=2025-09`);
  const rows = await page.locator('[aria-label="Документы отклонений"] tbody tr').allTextContents();
  assert.ok(rows.some((r) => /\(ОТ\)/.test(r) && r.includes("08.09.2025 — 21.09.2025")), rows.join("\n"));
  assert.ok(rows.some((r) => /\(Б\)/.test(r) && r.includes("10.09.2025 — 11.09.2025")), rows.join("\n"));
  b.assertClean();
});
