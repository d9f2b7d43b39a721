// connect.test.mjs - an organization connects and its administrator
// activates the cabinet, in a real headless Chromium against a real stack.
//
// Run by test_e2e.py, which starts the stack and passes:
//   CABINET_E2E_URL     the base host, e.g. http://localhost:8123
//   CABINET_E2E_OUTBOX  the stack's outbox.log (file driver)
//   CHROMIUM            the browser (default /usr/bin/chromium)
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.env.CABINET_E2E_URL;
const outbox = process.env.CABINET_E2E_OUTBOX;
const sub = "e2e" + Date.now().toString(36);
let browser, page;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  page = await (await browser.newContext({ locale: "ru-RU" })).newPage();
});
after(async () => browser && (await browser.close()));

function lastMessage(channel, to) {
  let text;
  try {
    text = readFileSync(outbox, "utf8"); // the sender creates it with the first message
  } catch (e) {
    if (e.code === "ENOENT") return undefined;
    throw e;
  }
  const lines = text.trim().split("\n").map((l) => JSON.parse(l));
  return lines.reverse().find((m) => m.channel === channel && m.to === to);
}

async function waitFor(fn, what, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("the connection page checks the address while typing", async () => {
  await page.goto(base + "/connect.html");
  const check = page.locator("#subdomain-check");
  await page.fill("#subdomain", "www");
  await assert.doesNotReject(check.filter({ hasText: "зарезервирован" }).waitFor());
  await page.fill("#subdomain", "-bad");
  await check.filter({ hasText: /латинск|дефис/ }).waitFor();
  await page.fill("#subdomain", sub);
  await check.filter({ hasText: "Адрес свободен" }).waitFor();
  assert.match(await check.textContent(), new RegExp(sub + "\\.localhost"));
});

test("bad input is shown next to its field, then the cabinet is created", async () => {
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
  const url = `http://${sub}.localhost:${new URL(base).port}/`;
  assert.equal(await link.textContent(), url);
  const mail = await waitFor(() => lastMessage("email", "petrov@e2e.example"), "the email with the link");
  assert.ok(mail.text.includes(url), "the email carries the link");
});

test("the responsible person activates the cabinet with an SMS code", async () => {
  const host = `http://${sub}.localhost:${new URL(base).port}`;
  await page.goto(host + "/admin/activate");
  await page.fill('input[name="login"]', "+79161112233");
  await page.click('form[action="/admin/activate/code"] button');
  const sms = await waitFor(() => lastMessage("sms", "+79161112233"), "the SMS with the code");
  const code = sms.text.match(/\b\d{4}\b/)[0];
  await page.fill('input[name="code"]', code === "0000" ? "1111" : "0000");
  await page.fill('input[name="password"]', "Proverka-Zima-2026");
  await page.click('form[action="/admin/activate"] button');
  await page.locator(".field-error", { hasText: "Неверный код" }).waitFor();
  await page.fill('input[name="code"]', code);
  await page.fill('input[name="password"]', "Proverka-Zima-2026");
  await page.click('form[action="/admin/activate"] button');
  await page.waitForURL(host + "/admin/");
  await page.goto(host + "/admin/users");
  const row = page.locator("table.list tr", { hasText: "Петров Пётр Петрович" });
  const text = await row.textContent();
  assert.match(text, /это вы/);
  assert.match(text, /снять права/, "the responsible person is an administrator");
});
