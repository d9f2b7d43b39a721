// pages.sweep.mjs - every page a person can open, as a person would use it,
// generated from the page list so that pages added later are covered too:
//
//  - the admin pages: the page table of cabinet-admin (GET /admin/debug/pages,
//    debug_ops = on) is walked by following the links a person clicks,
//    starting at /admin/ (signed in) and at the sign-in pages (signed out);
//    a page of the table that no link reaches fails the sweep;
//  - the employee site: every cgi/www/*.html (connect.html on the base host,
//    the others on the organization's host, signed in and out).
//
// Each page at 390 px and 1280 px fails on: a page wider than the window, a
// console error, a CSP violation, a failed request or an HTTP error the test
// did not provoke, an axe-core violation of WCAG 2.1 A/AA. A screenshot of
// each is saved to $CABINET_E2E_SHOTS/<width>/.
//
// Each form that takes typed input declares a bad value on one field
// (data-bad) and may give examples for the others (data-example). The sweep
// fills the form with the keyboard only (Tab to each field, typing, Enter on
// the submit button), expects the form back with a 4xx, the message next to
// the bad field (aria-invalid + aria-describedby), shown once, and every
// typed value kept (passwords aside). Forms with data-confirm must ask
// before submitting; print buttons must print, and the print layout (the
// declared @page size: A4, orientation) is checked in print media.
//
// Run by test_pages.py (seeded tenant "stranitsy"); see README.md.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { suite } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = [390, 1280];
const SHOTS = process.env.CABINET_E2E_SHOTS || "/tmp/cabinet-e2e-pages";
const GUIDE = process.env.CABINET_GUIDE_IMG || "";
const WWW = process.env.CABINET_E2E_WWW || new URL("../../cgi/www", import.meta.url).pathname;
const [SUB, ADMIN_LOGIN, ADMIN_PASSWORD] = (process.env.CABINET_E2E_ADMIN || "").split(":");
const [, EMP_LOGIN, EMP_PASSWORD] = (process.env.CABINET_E2E_EMPLOYEE || "").split(":");

const b = suite(import.meta.url);
// window.print() counts instead of opening a dialog (headless has none)
const STUB_PRINT = () => {
  window.__printed = 0;
  window.print = () => { window.__printed++; };
};

// ------------------------------------------------------------------ helpers

const slug = (u) => {
  const x = new URL(u);
  return (x.hostname.split(".")[0] + x.pathname + (x.search ? "_" + x.search.slice(1) : ""))
    .replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_|_$/g, "") || "root";
};

function patternRegex(pattern) {
  return new RegExp("^" + pattern.replace(/\/$/, "").replace(/\{[^}]+\}/g, "[^/]+") + "/?$");
}

// What the page recorded from index `mark` on, minus what the test provoked.
function newProblems(page, mark, provoked = []) {
  const r = b.problems(page);
  const ok = (s) => provoked.some((p) => s.includes(p));
  const console = r.console.slice(mark.console).filter((l) => /^error:/.test(l) &&
    !(/Failed to load resource/.test(l) && provoked.length && ok(l + " " + provoked.join(" "))));
  return {
    "page errors": r.pageErrors.slice(mark.pageErrors),
    "CSP violations": r.csp.slice(mark.csp),
    "failed requests": r.failedRequests.slice(mark.failedRequests).filter((f) => !/ERR_ABORTED/.test(f)),
    "HTTP errors": r.httpErrors.slice(mark.httpErrors).filter((h) => !ok(h)),
    "console errors": console.filter((l) => !(provoked.length && /status of 4\d\d/.test(l))),
  };
}

function markOf(page) {
  const r = b.problems(page);
  return { console: r.console.length, pageErrors: r.pageErrors.length, csp: r.csp.length,
    failedRequests: r.failedRequests.length, httpErrors: r.httpErrors.length };
}

function assertNoProblems(page, mark, what, provoked = []) {
  const found = Object.entries(newProblems(page, mark, provoked)).filter(([, xs]) => xs.length);
  assert.ok(found.length === 0, `${what}:\n` + found.map(([k, xs]) => `${k}:\n  ${xs.join("\n  ")}`).join("\n"));
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const r = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    AXE_TAGS);
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ` +
    v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\s+/g, " ")).join("\n    "));
}

// Boxes whose content sticks out of them without a scroll bar of their own
// (a table wider than its card: amounts cut off or spilling over the edge),
// which the page's own width does not show while it stays inside the window.
function overflowing() {
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    if (!e.offsetParent || e.clientWidth === 0) continue;
    const s = getComputedStyle(e);
    if (s.display === "inline" || ["auto", "scroll"].includes(s.overflowX)) continue;
    if (s.clip !== "auto" || s.clipPath !== "none") continue; // visually hidden on purpose
    if (e.scrollWidth > e.clientWidth + 1) {
      const cls = typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "";
      out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${cls}: content ${e.scrollWidth} px in ${e.clientWidth} px`);
    }
  }
  return out;
}

// The menu marks the section the page belongs to: the home page only on
// itself, the staff pages (with their own sub-menu) under "Сотрудники".
function menuSection() {
  const cur = [...document.querySelectorAll("#menu nav a[aria-current=page]")].map((a) => new URL(a.href).pathname);
  const sub = document.querySelector("nav.subnav a");
  return { path: location.pathname, current: cur, subnav: sub ? new URL(sub.href).pathname : null };
}

// One page at one width: loads it, checks it, saves its picture.
async function checkPage(page, url, width, { status = 200, provoked = [], tag = "" } = {}) {
  await page.setViewportSize({ width, height: 900 });
  const mark = markOf(page);
  const resp = await page.goto(url, { waitUntil: "load" });
  // the employee site's pages load their data with fetch after "load"
  if (!new URL(url).pathname.startsWith("/admin")) await page.waitForLoadState("networkidle");
  const what = `${url} at ${width} px`;
  assert.equal(resp.status(), status, `${what}: HTTP ${resp.status()}`);
  const sizes = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  assert.ok(sizes.page <= sizes.window, `${what}: the page is ${sizes.page} px wide, wider than the window`);
  const spill = await page.evaluate(overflowing);
  assert.deepEqual(spill, [], `${what}: content wider than its box (make it fit or scroll in a .table-wrap)`);
  if (new URL(url).pathname.startsWith("/admin") && (await page.locator("#menu nav").count())) {
    const m = await page.evaluate(menuSection);
    assert.ok(m.current.length <= 1, `${what}: more than one menu section is current: ${m.current}`);
    if (m.path.replace(/\/$/, "") !== "/admin") assert.ok(!m.current.includes("/admin/"), `${what}: the menu marks «Главная» as the current section`);
    if (m.subnav) assert.deepEqual(m.current, [m.subnav], `${what}: the page of a sub-menu belongs to its section in the menu`);
  }
  // a wide table scrolls in its frame; a short one (three columns or fewer)
  // has nothing to scroll for and must fit a phone, not be cut at the edge
  const cut = await page.evaluate(() => [...document.querySelectorAll(".table-wrap")]
    .filter((w) => w.scrollWidth > w.clientWidth + 1)
    .map((w) => ({ label: w.getAttribute("aria-label"), width: w.scrollWidth, frame: w.clientWidth,
      cols: Math.max(0, ...[...w.querySelectorAll("tr")].map((r) => [...r.cells].reduce((n, c) => n + c.colSpan, 0))) }))
    .filter((t) => t.cols <= 3));
  assert.deepEqual(cut, [], `${what}: short tables cut off at the right edge of their frame`);
  // the employee site on a phone: nothing scrolls sideways inside a table's
  // frame (a table of more than three columns is a list of cards there,
  // lib.js dataTable), and no table, card or cell reaches past its frame
  if (!new URL(url).pathname.startsWith("/admin") && width <= 390) {
    const hidden = await page.evaluate(() => [...document.querySelectorAll("main table")]
      .filter((t) => t.offsetParent)
      .flatMap((t) => {
        const wrap = t.closest(".table-wrap") || t.parentElement;
        const f = wrap.getBoundingClientRect();
        const label = wrap.getAttribute("aria-label") || t.id || t.className;
        const out = [];
        if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(`${label}: scrolls sideways, ${wrap.scrollWidth} px in a ${wrap.clientWidth} px frame`);
        for (const e of [t, ...t.querySelectorAll("tr, td, th")]) {
          if (!e.offsetParent && e !== t) continue;
          const r = e.getBoundingClientRect();
          if (r.width && (r.right > f.right + 1 || r.left < f.left - 1)) {
            out.push(`${label}: a ${e.tagName.toLowerCase()} «${e.innerText.trim().slice(0, 30)}» at ${Math.round(r.left - f.left)}..${Math.round(r.right - f.left)} px of a ${Math.round(f.width)} px frame`);
            break;
          }
        }
        return out;
      }));
    assert.deepEqual(hidden, [], `${what}: a table wider than its frame on a phone (more than three columns: cards, lib.js dataTable)`);
  }
  const violations = await axe(page);
  assert.deepEqual(violations, [], `${what}: accessibility (axe-core, WCAG 2.1 AA):\n  ${violations.join("\n  ")}`);
  assertNoProblems(page, mark, what, provoked);
  const dir = join(SHOTS, String(width));
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, slug(url) + (tag ? "_" + tag : "") + ".png"), fullPage: true });
}

// The controls of a form a person fills in, in document order. A file is
// chosen in the system's dialog, not typed: a form with a file input is
// checked with the values it declares for its other fields.
const FILLABLE = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio]):not([type=file]):not([hidden]), select, textarea';

async function formsOf(page) {
  return page.evaluate((sel) => [...document.querySelectorAll("main form, body > form")].map((f, i) => ({
    index: i,
    id: f.id,
    method: (f.getAttribute("method") || "get").toLowerCase(),
    action: f.getAttribute("action") || "",
    js: !f.getAttribute("method") && !f.getAttribute("action"),
    fillable: f.querySelectorAll(sel).length,
    typed: [...f.querySelectorAll(sel)].filter((e) => e.tagName !== "SELECT").length,
    bad: f.querySelectorAll("[data-bad]").length,
    confirm: f.dataset.confirm || null,
  })), FILLABLE);
}

// Is the focus ring of the focused element visible?
function focusVisible(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return false;
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  });
}

// Presses Tab until the element is focused (a keyboard user's way there).
async function tabTo(page, handle, what, max = 250) {
  for (let i = 0; i < max; i++) {
    if (await handle.evaluate((e) => e === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`${what}: not reachable with Tab`);
}

// Fills a form with the keyboard only and submits it with Enter: types
// data-bad / data-example into inputs, chooses a select's data-example
// option with the arrow keys, ticks checkboxes with data-example. Returns
// the values typed, by control index.
async function fillByKeyboard(page, form, what) {
  const controls = await form.locator(FILLABLE).elementHandles();
  const typed = new Map();
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press("Home");
  for (const [i, c] of controls.entries()) {
    const plan = await c.evaluate((e) => ({
      bad: e.dataset.bad, example: e.dataset.example, tag: e.tagName, type: e.type, visible: !!e.offsetParent,
    }));
    if (!plan.visible) continue;
    const value = plan.bad !== undefined ? plan.bad : plan.example;
    if (value === undefined) continue;
    if (plan.bad !== undefined && (plan.type === "month" || plan.type === "date")) {
      // a browser without a picker (as for type=month in Firefox): text
      await c.evaluate((e) => { e.type = "text"; });
    }
    await tabTo(page, c, `${what}: field ${i + 1}`);
    assert.ok(await focusVisible(page), `${what}: field ${i + 1} has no visible focus`);
    if (plan.tag === "SELECT") {
      // a choice with data-example: chosen with the arrow keys, and kept
      // (re-selected) when the form is refused
      for (let n = 0; n < 50 && (await c.evaluate((e) => e.value)) !== value; n++) {
        await page.keyboard.press((await c.evaluate((e, v) => [...e.options].findIndex((o) => o.value === v) > e.selectedIndex, value)) ? "ArrowDown" : "ArrowUp");
      }
      assert.equal(await c.evaluate((e) => e.value), value, `${what}: field ${i + 1}: the arrow keys choose «${value}»`);
      typed.set(i, { value, bad: false, type: "select" });
      continue;
    }
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type(value);
    await page.keyboard.press("Escape"); // closes suggestions, if any
    typed.set(i, { value, bad: plan.bad !== undefined, type: plan.type });
  }
  // checkboxes a person ticks: Space
  for (const box of await form.locator("input[type=checkbox][data-example]").elementHandles()) {
    await tabTo(page, box, `${what}: a checkbox`);
    assert.ok(await focusVisible(page), `${what}: a checkbox has no visible focus`);
    if (!(await box.isChecked())) await page.keyboard.press("Space");
    assert.ok(await box.isChecked(), `${what}: Space ticks the checkbox`);
    // a box of a list (name="scopes[]") is told from the others by its value
    typed.set("checkbox:" + (await box.getAttribute("name")) + "=" + (await box.getAttribute("value")),
      { checkbox: true, name: await box.getAttribute("name"), value: await box.getAttribute("value") });
  }
  const submit = form.locator('button[type=submit], button:not([type]), input[type=submit]').last();
  await tabTo(page, await submit.elementHandle(), `${what}: submit button`);
  assert.ok(await focusVisible(page), `${what}: the submit button has no visible focus`);
  return typed;
}

// ------------------------------------------------------------------ state

let adminPages = [];          // {method, pattern, title, auth} of the page table
const visited = new Map();    // pattern -> a URL of it, as reached by links
const apiLinks = new Set();   // downloads the pages link to
let admin;                    // {context, page} signed in as the administrator
let guest;                    // {context, page} signed out

// The notifications' event stream of the employee site stays open as long
// as the page does, so the page never reaches "networkidle": here it
// answers one empty event stream that asks the browser to come back in ten
// minutes (the live stream is e2e_notify's test, notify.events.mjs).
const STUB_EVENTS = { status: 200, contentType: "text/event-stream", body: "retry: 600000\n\n" };

async function newPage() {
  const context = await b.newContext();
  await context.addInitScript(STUB_PRINT);
  await context.route("**/api/notifications/events", (route) => route.fulfill(STUB_EVENTS));
  return { context, page: await context.newPage() };
}

function patternOf(url) {
  const path = new URL(url).pathname;
  const p = adminPages.find((x) => x.method === "GET" && patternRegex(x.pattern).test(path));
  return p ? p.pattern : null;
}

// Follows the links of the admin pages from start, one URL per page pattern.
async function crawl(page, start) {
  const queue = [start];
  while (queue.length) {
    const url = queue.shift();
    const pattern = patternOf(url);
    if (!pattern || visited.has(pattern)) continue;
    const resp = await page.goto(url);
    assert.equal(resp.status(), 200, `${url}: HTTP ${resp.status()}`);
    visited.set(pattern, url);
    const links = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.href));
    for (const l of links) {
      const u = new URL(l);
      if (u.origin !== new URL(url).origin) continue;
      u.hash = "";
      if (u.pathname.startsWith("/api/")) apiLinks.add(u.href);
      else if (u.pathname.startsWith("/admin") && !u.pathname.startsWith("/admin/debug")) queue.push(u.href);
    }
  }
}

// A GET from inside the page (the browser resolves *.localhost; Node does not).
function fetchIn(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return { status: r.status, text: await r.text() };
  }, url);
}

async function signIn(page, login, password) {
  await page.goto(b.url("/admin/login", SUB));
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('#form-login button[type="submit"]')]);
}

// ------------------------------------------------------------------ tests

b.test("the page list is served to the tests and the administrator signs in", async () => {
  const r = await b.page.request.get(b.url("/admin/debug/pages"));
  assert.equal(r.status(), 200);
  adminPages = await r.json();
  assert.ok(adminPages.some((p) => p.pattern === "/admin/timesheets/{month}"));
  admin = await newPage();
  guest = await newPage();
  await signIn(admin.page, ADMIN_LOGIN, ADMIN_PASSWORD);
  assert.equal(new URL(admin.page.url()).pathname, "/admin/");
});

b.test("every admin page is reached by a link a person can click", async () => {
  await crawl(admin.page, b.url("/admin/", SUB));
  for (const start of ["/admin/login", "/admin/activate", "/admin/reset"]) await crawl(guest.page, b.url(start, SUB));
  const missing = adminPages.filter((p) => p.method === "GET" && !visited.has(p.pattern)).map((p) => p.pattern);
  assert.deepEqual(missing, [], "pages no link leads to (add a link, or seed data that shows one)");
});

b.test("the downloads the pages link to answer", async () => {
  await admin.page.goto(b.url("/admin/", SUB));
  for (const u of apiLinks) {
    const r = await fetchIn(admin.page, u);
    assert.equal(r.status, 200, `${u}: HTTP ${r.status}`);
  }
});

b.test("every admin page fits 390 and 1280 px, is accessible and clean", async () => {
  for (const [pattern, url] of visited) {
    const who = adminPages.find((p) => p.pattern === pattern && p.method === "GET").auth ? admin : guest;
    for (const w of WIDTHS) await checkPage(who.page, url, w);
  }
});

b.test("the KPI pages also fit 360 px, with the numbers by their unit", async () => {
  for (const p of ["/admin/kpi", "/admin/kpi/{id}/edit"]) {
    assert.ok(visited.has(p), `${p} reached by a link`);
    await checkPage(admin.page, visited.get(p), 360);
  }
  await admin.page.goto(visited.get("/admin/kpi"));
  const text = await admin.page.locator("main table").innerText();
  assert.match(text, /Выручка отдела, тыс\. ₽\s+1\s200,00\s+1\s260,50\s+105 %/);
  assert.match(text, /%\s+95\s+97,5\s+102,6 %/);
});

b.test("a bad page parameter answers 422 with the form and the message once", async () => {
  const url = b.url("/admin/timesheets?month=2026-13", SUB);
  await checkPage(admin.page, url, 390, { status: 422, provoked: ["422"] });
  const page = admin.page;
  const month = page.locator('#form-t13 input[name="month"]');
  assert.equal(await month.getAttribute("value"), "2026-13");
  assert.equal(await month.getAttribute("aria-invalid"), "true");
  const text = (await page.locator("#e-month").textContent()).trim();
  assert.ok(text.length > 5, "the message next to the field");
  const body = await page.locator("body").innerText();
  assert.equal(body.split(text).length - 1, 1, "the message is shown once");
});

b.test("every admin page that picks a month has the Russian month and year selects, sending YYYY-MM, on a phone too", async () => {
  // the native type=month is a bare text box in Firefox and Safari on the
  // desktop: the pages pick a month from a list instead
  const page = admin.page;
  for (const [path, form] of [["/admin/payroll", "#form-payroll"], ["/admin/timesheets", "#form-t13"],
    ["/admin/deviations", "#form-deviations-filter"]]) {
    await checkPage(page, b.url(path, SUB), 390, { tag: "month-pick" });
    const what = `${path} at 390 px`;
    assert.equal(await page.locator(`${form} input[type=month]`).count(), 0, `${what}: a native month input is left`);
    const month = page.locator(`${form} select[aria-label="Месяц"]`);
    const year = page.locator(`${form} select[aria-label="Год"]`);
    assert.ok(await month.isVisible() && await year.isVisible(), `${what}: the month and year selects`);
    const names = await month.locator("option").allTextContents();
    assert.ok(names.includes("январь") && names.includes("декабрь"), `${what}: months in Russian: ${names}`);
    for (const s of [month, year]) {
      const box = await s.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${what}: a select reaches past the screen`);
    }
    await month.selectOption("11");
    await year.selectOption("2025");
    assert.equal(await page.locator(`${form} input[name="month"]`).inputValue(), "2025-11", `${what}: the value sent`);
  }
  // chosen and sent: the page of that month
  await Promise.all([page.waitForURL(/\/admin\/deviations\?month=2025-11/), page.click('#form-deviations-filter button[type="submit"]')]);
  assert.equal(await page.locator('#form-deviations-filter select[aria-label="Месяц"]').inputValue(), "11");
  assert.equal(await page.locator('#form-deviations-filter select[aria-label="Год"]').inputValue(), "2025");
});

b.test("the menu folds into a button on a phone, and opens and closes by keyboard", async () => {
  const page = admin.page;
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(b.url("/admin/", SUB));
  const toggle = page.locator(".menu-toggle");
  const nav = page.locator("#menu nav");
  assert.ok(await toggle.isVisible(), "the menu button");
  assert.equal(await nav.isVisible(), false);
  await tabTo(page, await toggle.elementHandle(), "the menu button");
  assert.ok(await focusVisible(page));
  await page.keyboard.press("Enter");
  await nav.waitFor({ state: "visible" });
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.ok(await page.locator("#menu .signout button").isVisible(), "«Выйти» in the menu");
  await page.keyboard.press("Escape");
  await nav.waitFor({ state: "hidden" });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.ok(await nav.isVisible(), "at 1280 px the sections are shown");
  assert.equal(await toggle.isVisible(), false);
});

b.test("every form with typed input is filled by keyboard, refused with the message next to the field and keeps the values", async () => {
  let checked = 0;
  for (const [pattern, url] of visited) {
    const who = adminPages.find((p) => p.pattern === pattern && p.method === "GET").auth ? admin : guest;
    const page = who.page;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url);
    for (const f of await formsOf(page)) {
      if (f.typed === 0) continue; // buttons, or choices only (selects)
      const what = `${url}: form ${f.id || f.action || f.index}`;
      assert.ok(f.id, `${what}: a form that takes input needs an id`);
      assert.ok(f.bad > 0, `${what}: no field declares a bad value (data-bad)`);
      await page.goto(url);
      const form = page.locator(`form#${f.id}`);
      const typed = await fillByKeyboard(page, form, what);
      const mark = markOf(page);
      const [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
      const status = resp ? resp.status() : 0;
      assert.ok(status >= 400 && status < 500, `${what}: a bad value answered ${status}, not 4xx`);
      await page.waitForLoadState("load");
      assertNoProblems(page, mark, `${what} after submitting`, [String(status)]);
      const again = page.locator(`form#${f.id}`);
      assert.equal(await again.count(), 1, `${what}: the form is shown again`);
      const controls = await again.locator(FILLABLE).elementHandles();
      for (const [i, t] of typed) {
        if (t.checkbox) {
          const box = again.locator(`input[type=checkbox][name="${t.name}"]` + (t.value ? `[value="${t.value}"]` : ""));
          assert.ok(await box.isChecked(), `${what}: the ticked ${t.name} ${t.value || ""} is kept`);
          continue;
        }
        const c = controls[i];
        assert.ok(c, `${what}: field ${i + 1} is gone`);
        if (t.type !== "password") {
          const kept = await c.evaluate((e) => (e.type === "month" || e.type === "date" ? e.getAttribute("value") : e.value));
          assert.equal(kept, t.value, `${what}: field ${i + 1} lost its value`);
        }
        if (!t.bad) continue;
        const msg = await c.evaluate((e) => {
          const holder = e.getAttribute("aria-invalid") === "true" ? e : e.closest('[aria-invalid="true"]');
          if (!holder) return null;
          return (holder.getAttribute("aria-describedby") || "").split(/\s+/).map((id) => document.getElementById(id))
            .filter((x) => x && x.classList.contains("field-error")).map((x) => x.textContent.trim()).join(" ");
        });
        assert.ok(msg, `${what}: the bad field ${i + 1} is not marked with its message (aria-invalid, aria-describedby)`);
        const body = await page.locator("body").innerText();
        assert.equal(body.split(msg).length - 1, 1, `${what}: the message «${msg}» is shown ${body.split(msg).length - 1} times`);
      }
      assert.ok((await page.locator('[role="alert"]').count()) <= 1, `${what}: more than one alert`);
      checked++;
    }
  }
  assert.ok(checked >= 8, `only ${checked} forms checked`);
});

b.test("irreversible actions ask first and say what will happen", async () => {
  let asked = 0;
  for (const [pattern, url] of visited) {
    if (!adminPages.find((p) => p.pattern === pattern && p.method === "GET").auth) continue;
    const page = admin.page;
    await page.goto(url);
    const seen = new Set();
    for (const f of await formsOf(page)) {
      if (!f.confirm || seen.has(f.action)) continue;
      seen.add(f.action);
      const form = page.locator("main form").nth(f.index);
      let message = null;
      page.once("dialog", (d) => { message = d.message(); d.dismiss(); });
      await form.locator('button[type=submit], button:not([type])').first().click();
      await page.waitForTimeout(300);
      assert.equal(message, f.confirm, `${url}: form ${f.action || f.index} did not ask`);
      assert.ok(message.length > 30 && /\?/.test(message), `${url}: the question says what will happen: ${message}`);
      assert.equal(page.url(), url, `${url}: dismissed, nothing was sent`);
      asked++;
    }
  }
  assert.ok(asked >= 5, `only ${asked} confirmations seen`);
  // the ones that must ask, whatever else is added
  const must = ["/close", "/delete", "/revoke"];
  for (const m of must) {
    const found = adminPages.filter((p) => p.method === "POST" && p.pattern.endsWith(m));
    assert.ok(found.length > 0, m);
  }
});

// The @page size a print style sheet of the page declares, from the CSSOM.
function declaredPageSize(page) {
  return page.evaluate(() => {
    const sizes = [];
    const walk = (rules) => {
      for (const r of rules) {
        if (r instanceof CSSPageRule && r.style.getPropertyValue("size")) sizes.push(r.style.getPropertyValue("size"));
        else if (r.cssRules) walk(r.cssRules);
      }
    };
    for (const s of document.styleSheets) walk(s.cssRules);
    return sizes;
  });
}

// The first page's MediaBox of a PDF, in points.
function pdfPageSize(pdf) {
  const m = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
  assert.ok(m, "a MediaBox in the PDF");
  return { w: +m[3] - +m[1], h: +m[4] - +m[2] };
}

async function checkPrint(page, url, what) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  const buttons = page.locator("[data-print]");
  const n = await buttons.count();
  for (let i = 0; i < n; i++) {
    if (!(await buttons.nth(i).isVisible())) continue;
    const before = await page.evaluate(() => window.__printed);
    await buttons.nth(i).click();
    assert.equal(await page.evaluate(() => window.__printed), before + 1, `${what}: the print button does nothing`);
  }
  const sizes = await declaredPageSize(page);
  assert.ok(sizes.length > 0 && sizes.every((s) => /\bA4\b/i.test(s)), `${what}: no A4 page size for print (${sizes})`);
  const landscape = sizes.some((s) => /landscape/i.test(s));
  await page.emulateMedia({ media: "print" });
  const box = pdfPageSize(await page.pdf({ preferCSSPageSize: true, printBackground: false }));
  // A4 is 595.3 x 841.9 pt
  const [w, h] = landscape ? [842, 595] : [595, 842];
  assert.ok(Math.abs(box.w - w) < 3 && Math.abs(box.h - h) < 3, `${what}: printed on ${box.w}x${box.h} pt, not A4 ${landscape ? "landscape" : "portrait"}`);
  const chrome = await page.evaluate(() => [...document.querySelectorAll("header.top, footer.bottom, nav, .noprint, button")]
    .filter((e) => getComputedStyle(e).display !== "none" && e.offsetParent !== null).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(chrome, [], `${what}: the menu and buttons are printed`);
  return { landscape };
}

b.test("every print button prints, on A4 in the right orientation", async () => {
  let printed = 0;
  for (const [pattern, url] of visited) {
    if (!adminPages.find((p) => p.pattern === pattern && p.method === "GET").auth) continue;
    const page = admin.page;
    await page.goto(url);
    if ((await page.locator("[data-print]").count()) === 0) continue;
    await checkPrint(page, url, url);
    await page.emulateMedia({ media: "screen" });
    printed++;
  }
  assert.ok(printed >= 2, "the T-13 and the payslip have print buttons");
});

b.test("the printed T-13 has the unified form's header, cell borders and signature lines", async () => {
  const page = admin.page;
  const url = visited.get("/admin/timesheets/{month}") || visited.get("/admin/timesheets");
  const { landscape } = await checkPrint(page, url, "T-13");
  assert.ok(landscape, "the T-13 is printed in landscape");
  const head = page.locator(".t13-head");
  assert.ok(await head.isVisible());
  const text = await head.innerText();
  for (const s of ["0301008", "ОКПО", "12345678", "ООО «Страницы»", "Номер документа", "Дата составления", "Отчётный период"]) {
    assert.ok(text.includes(s), `the header has ${s}`);
  }
  const border = await page.evaluate(() => {
    const td = document.querySelector(".t13 tbody td");
    const s = getComputedStyle(td);
    return `${s.borderTopStyle} ${s.borderTopWidth}`;
  });
  assert.match(border, /^solid [1-9]/, "every cell has a border");
  // trial-user4 F14: the name column is not a third of the page, the days
  // are not squeezed: each day's codes fit inside its borders
  const cols = await page.evaluate(() => {
    const table = document.querySelector(".t13");
    const row = table.querySelector("tbody tr");
    const name = row.querySelector("td.name").getBoundingClientRect().width;
    const days = [...row.querySelectorAll("td:not([rowspan])")];
    return { table: table.getBoundingClientRect().width, name, day: Math.min(...days.map((d) => d.getBoundingClientRect().width)),
      over: days.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => d.textContent) };
  });
  assert.ok(cols.name <= cols.table * 0.16, `the name column takes ${Math.round(cols.name)} of ${Math.round(cols.table)} px`);
  assert.ok(cols.day * 3 >= cols.name / 3, `a day column is ${Math.round(cols.day)} px beside a ${Math.round(cols.name)} px name`);
  assert.deepEqual(cols.over, [], "codes wider than their day");
  assert.ok(await page.locator(".signatures").isVisible(), "the signature lines");
  await page.emulateMedia({ media: "screen" });
});

b.test("a payslip prints on A4 portrait, one per page", async () => {
  const page = admin.page;
  const url = visited.get("/admin/payroll/{month}/employees/{employee_id}");
  const { landscape } = await checkPrint(page, url, "payslip");
  assert.equal(landscape, false);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".payslip")).breakAfter), "page");
  await page.emulateMedia({ media: "screen" });
});

// The number of pages of a PDF made by Chromium.
function pdfPages(pdf) {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
}

b.test("the payslips of a month print one per A4 page", async () => {
  const page = admin.page;
  const url = visited.get("/admin/payroll/{month}/payslips");
  assert.ok(url, "the payroll page links to the month's payslips");
  const { landscape } = await checkPrint(page, url, "the month's payslips");
  assert.equal(landscape, false);
  const n = await page.locator("section.payslip").count();
  assert.ok(n >= 3, `${n} payslips`);
  assert.equal(pdfPages(await page.pdf({ preferCSSPageSize: true })), n, "one payslip a page");
  await page.emulateMedia({ media: "screen" });
});

b.test("a sick leave is entered with the keyboard only, the employee chosen from suggestions", async () => {
  const page = admin.page;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(b.url("/admin/deviations", SUB));
  const form = page.locator("#form-deviation");
  const who = form.locator('input[name="employee"]');
  await tabTo(page, await who.elementHandle(), "the employee field");
  await page.keyboard.type("петр");
  const list = form.locator('[role="listbox"]');
  const option = form.locator('[role="option"]', { hasText: "Петров Пётр Сергеевич" });
  await option.waitFor();
  assert.equal(await who.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Escape"); // Esc closes the suggestions
  await list.waitFor({ state: "hidden" });
  await page.keyboard.type("о");
  await option.waitFor();
  await page.keyboard.press("ArrowDown");
  assert.equal(await option.getAttribute("aria-selected"), "true");
  await page.keyboard.press("Enter");
  assert.equal(await who.inputValue(), "Петров Пётр Сергеевич (таб. № 0002)");
  assert.match(await form.locator('input[name="employee_id"]').inputValue(), /^\d+$/);
  await page.keyboard.press("Tab");
  await page.keyboard.type(" б "); // the code in lower case, with spaces
  await page.keyboard.press("Tab");
  const from = form.locator('input[name="date_from"]');
  assert.ok(await from.evaluate((e) => e === document.activeElement), "Tab goes on to the dates");
  await page.keyboard.type("01.02.2027"); // dates as people type them
  await page.keyboard.press("Tab");
  await page.keyboard.type("03.02.2027");
  const submit = form.locator('button[type="submit"]');
  await tabTo(page, await submit.elementHandle(), "the submit button");
  const mark = markOf(page);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert.equal(new URL(page.url()).pathname, "/admin/deviations");
  assertNoProblems(page, mark, "after adding the sick leave");
  await page.goto(b.url("/admin/deviations?month=2027-02", SUB));
  const row = page.locator("tr", { hasText: "Петров Пётр Сергеевич" });
  assert.match(await row.innerText(), /Больничный \(Б\)[\s\S]*01\.02\.2027 — 03\.02\.2027/);
  // the same hours document twice: refused, naming the one entered
  await page.goto(b.url("/admin/deviations", SUB));
  for (let i = 0; i < 2; i++) {
    await page.fill('#form-deviation input[name="employee"]', "0003");
    await page.fill('#form-deviation input[name="code"]', "C"); // a Latin C
    await page.fill('#form-deviation input[name="date"]', "05.02.2027");
    await page.fill('#form-deviation input[name="hours"]', "1,5");
    await Promise.all([page.waitForNavigation(), page.click('#form-deviation button[type="submit"]')]);
  }
  assert.match(await page.locator('[role="alert"]').innerText(), /Такой документ уже введён: «Сверхурочная работа \(С\)» № \d+ на 05\.02\.2027, 1,5 ч/);
  assert.equal(await page.locator('#form-deviation input[name="hours"]').inputValue(), "1,5", "kept");
});

// ------------------------------------------------------- the employee site

const sitePages = readdirSync(WWW).filter((f) => f.endsWith(".html")).sort();

b.test("every page of the employee site fits, is accessible and clean, signed out and in", async () => {
  const emp = await newPage();
  await signIn(emp.page, EMP_LOGIN, EMP_PASSWORD);
  assert.equal(new URL(emp.page.url()).pathname, "/");
  for (const file of sitePages) {
    const path = file === "index.html" ? "/" : "/" + file;
    const host = file === "connect.html" ? "" : SUB; // the connection page is the base host's
    for (const w of [360, ...WIDTHS]) {
      await checkPage(guest.page, b.url(path, host), w, { tag: "guest" });
      if (host) await checkPage(emp.page, b.url(path, host), w, { tag: "employee" });
      // the administrator is the responsible person: an employee with no
      // hire date yet, whose vacation balance cannot be counted
      if (host) await checkPage(admin.page, b.url(path, host), w, { tag: "admin" });
    }
  }
  await admin.page.goto(b.url("/", SUB));
  await admin.page.locator("#vacation").waitFor({ state: "visible" });
  assert.match(await admin.page.locator("#vacation-detail").innerText(), /не указана дата приёма/);
  await emp.context.close();
});

// nginx's own answers (www/errors/) and a host of no organization: pages
// like the others, which load nothing that fails (no /api/me of a guest)
b.test("error pages fit, are accessible and ask nothing that fails", async () => {
  const cases = [
    [b.url("/no-such-page.html", SUB), "Страница не найдена"],
    [b.url("/assets/no-such.css", SUB), "Страница не найдена"],
    [b.url("/", "netu"), "Организация не найдена"],
    [b.url("/requests.html", "netu"), "Организация не найдена"],
    [b.url("/admin/login", "netu"), "Организация не найдена"],
  ];
  for (const [url, title] of cases) {
    for (const w of [360, ...WIDTHS]) {
      await checkPage(guest.page, url, w, { status: 404, provoked: ["404"], tag: "guest" });
      assert.equal(await guest.page.locator("h1").innerText(), title, url);
    }
    await checkPage(admin.page, url, 390, { status: 404, provoked: ["404"], tag: "admin" });
  }
});

b.test("the employee prints the payslip, changes the password and signs out", async () => {
  const emp = await newPage();
  const page = emp.page;
  await signIn(page, EMP_LOGIN, EMP_PASSWORD);
  await page.locator("#payslip").waitFor({ state: "visible" });
  await checkPrint(page, b.url("/", SUB), "the employee's payslip");
  await page.emulateMedia({ media: "screen" });
  await page.locator("#payslip").waitFor({ state: "visible" });
  // the month grid: weekday headings, holidays marked
  assert.equal((await page.locator(".weekdays span").allTextContents()).join(" "), "пн вт ср чт пт сб вс");
  // a wrong current password: the message next to the field, values kept
  const form = page.locator("#password-form");
  const mark = markOf(page);
  const typed = await fillByKeyboard(page, form, "the employee's password form");
  await page.keyboard.press("Enter");
  await page.locator("#e-old_password").filter({ hasText: /парол/i }).waitFor();
  assert.equal(await page.locator("#old-password").getAttribute("aria-invalid"), "true");
  assert.equal(typed.size, 2);
  assertNoProblems(page, mark, "the password form", ["401", "422"]);
  // sign out
  await page.setViewportSize({ width: 390, height: 800 });
  await page.locator("#logout").click();
  await page.locator("#guest").waitFor({ state: "visible" });
  const me = await fetchIn(page, b.url("/api/me", SUB));
  assert.equal(me.status, 401, "signed out");
  await emp.context.close();
});

b.test("the salary chart: the twelve months up to the last closed one (this one when closed early), each bar the payslip's amount", async () => {
  const emp = await newPage();
  const page = emp.page;
  await signIn(page, EMP_LOGIN, EMP_PASSWORD);
  await page.goto(b.url("/salary.html", SUB));
  await page.locator("#salary-chart svg").waitFor();
  const me = JSON.parse((await fetchIn(page, b.url("/api/me", SUB))).text);
  const slips = JSON.parse((await fetchIn(page, b.url("/api/payslips", SUB))).text).payslips;
  // the window: twelve months up to the organization's current month when it
  // is closed (early), else up to the month before (trial-user 10)
  const [y, m] = me.tenant.today.split("-").map(Number);
  const closedNow = slips.some((p) => p.month === me.tenant.today.slice(0, 7));
  const months = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (closedNow ? 12 : 13) + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
  const chart = await page.evaluate(() => ({
    labels: [...document.querySelectorAll("#salary-chart text[data-month]")].map((t) => t.dataset.month),
    bars: [...document.querySelectorAll("#salary-chart rect[data-month]")].map((r) =>
      [r.dataset.month, r.getAttribute("class"), r.dataset.amount]),
    rows: [...document.querySelectorAll("#salary-data tbody tr")].map((r) => r.dataset.month),
  }));
  assert.deepEqual(chart.labels, months, "the months under the bars");
  const inside = slips.filter((p) => months.includes(p.month)).sort((a, b) => a.month.localeCompare(b.month));
  assert.ok(inside.length >= 2 && slips.length > inside.length, "the seed has closed months inside and outside the window");
  assert.deepEqual(chart.bars, inside.flatMap((p) => [[p.month, "bar-accrued", p.accrued], [p.month, "bar-net", p.net]]),
    "a bar per closed month of the window, with the payslip's amounts");
  assert.deepEqual(chart.rows, inside.map((p) => p.month).reverse(), "the table: the same months, newest first");
  assert.equal(chart.bars.at(-1)[0], months.at(-1), "the last bar is the last closed month's");
  await emp.context.close();
});

b.test("signing in as someone else in a browser with a session ends the old session", async () => {
  const page = admin.page;
  await page.goto(b.url("/admin/login", SUB));
  assert.ok(await page.locator(".notice").isVisible(), "says who is signed in");
  await page.goto(b.url("/admin/activate", SUB));
  await page.locator("#form-code").waitFor();
  await signIn(page, EMP_LOGIN, EMP_PASSWORD);
  assert.equal(new URL(page.url()).pathname, "/");
  const me = JSON.parse((await fetchIn(page, b.url("/api/me", SUB))).text);
  assert.equal(me.user.full_name, "Сидорова Анна Викторовна");
  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  assert.equal(new URL(page.url()).pathname, "/admin/");
});

// ------------------------------------------------- pictures for the guide

b.test("pictures for the administrators' guide", { skip: !GUIDE }, async () => {
  mkdirSync(GUIDE, { recursive: true });
  const shot = async (page, url, name, width = 1024, height = 640) => {
    await page.setViewportSize({ width, height });
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(GUIDE, name + ".png") });
  };
  await shot(guest.page, b.url("/connect.html"), "connect");
  await shot(guest.page, b.url("/admin/activate", SUB), "activate");
  await shot(admin.page, b.url("/admin/", SUB), "home");
  await shot(admin.page, visited.get("/admin/calendars/{id}/{year}"), "calendar");
  await shot(admin.page, visited.get("/admin/schedules"), "schedules");
  await shot(admin.page, visited.get("/admin/deviations"), "deviations");
  await shot(admin.page, visited.get("/admin/timesheets/{month}") || visited.get("/admin/timesheets"), "t13");
  await shot(admin.page, visited.get("/admin/payroll/{month}"), "payroll");
  await shot(admin.page, visited.get("/admin/payroll/{month}/employees/{employee_id}"), "payslip");
  await shot(admin.page, visited.get("/admin/employees"), "staff-list");
  await admin.page.goto(visited.get("/admin/employees"));
  const card = await admin.page.locator("main a", { hasText: "Сидорова Анна Викторовна" }).getAttribute("href");
  await shot(admin.page, b.url(card, SUB), "staff-card", 1024, 1400);
  await shot(admin.page, visited.get("/admin/import"), "staff-import");
  const emp = await newPage();
  await signIn(emp.page, EMP_LOGIN, EMP_PASSWORD);
  await emp.page.locator("#payslip").waitFor({ state: "visible" });
  await shot(emp.page, b.url("/", SUB), "employee", 390, 844);
  await emp.context.close();
});
