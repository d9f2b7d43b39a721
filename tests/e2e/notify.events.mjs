// More open pages than responder processes, all told of a new notification
// at once (issue 12, item 8; run by test_notify_events.py, which starts the
// stack with `responders = 2` and passes the sessions in CABINET_E2E_NOTIFY).
//
// Three browsers (contexts) of the manager with four pages each and three
// of a colleague with one page each: 15 EventSources of the real employee
// site (assets/notify.js) to /api/notifications/events, held by nginx's
// nchan, while cabinet-api has two processes. An employee files a vacation
// request in a fifth browser: every page of the manager shows the new unread
// count without a reload, the colleague's pages keep theirs, and the pages
// still fetch from the API meanwhile (no responder is held by a stream).
import assert from "node:assert/strict";
import { suite } from "./harness.mjs";

const cfg = JSON.parse(process.env.CABINET_E2E_NOTIFY || "{}");
const b = suite(import.meta.url, { viewport: { width: 390, height: 844 } });

async function browserOf(session) {
  const [token, csrf] = session;
  const ctx = await b.newContext();
  const host = new URL(b.origin(cfg.sub)).hostname;
  await ctx.addCookies([
    { name: "cabinet_session", value: token, domain: host, path: "/", httpOnly: true, sameSite: "Lax" },
    { name: "cabinet_csrf", value: csrf, domain: host, path: "/", sameSite: "Lax" },
  ]);
  return ctx;
}

async function openPage(ctx) {
  const page = await ctx.newPage();
  await page.goto(b.url("/", cfg.sub));
  // the stream is open (notify.js marks it) and the count shown
  await page.waitForFunction(() => document.documentElement.dataset.notifyLive === "open");
  return page;
}

const unreadOf = (page) => page.evaluate(() => {
  const el = document.querySelector("#notify-unread");
  return el.hidden ? 0 : Number(el.textContent);
});

b.test("every open page hears of a new task, more pages than responders", async () => {
  const manager = [], colleague = [];
  for (const s of cfg.sessions.M) {
    const ctx = await browserOf(s);
    for (let i = 0; i < 4; i++) manager.push(await openPage(ctx));
  }
  for (const s of cfg.sessions.E3) colleague.push(await openPage(await browserOf(s)));
  const pages = manager.length + colleague.length;
  assert.ok(pages > cfg.responders, `${pages} pages, ${cfg.responders} responders`);
  const before = await unreadOf(manager[0]);
  const colleagueBefore = await Promise.all(colleague.map(unreadOf));

  // the employee files a request in their own browser
  const author = await (await browserOf(cfg.sessions.E1[0])).newPage();
  await author.goto(b.url("/", cfg.sub));
  const started = Date.now();
  const status = await author.evaluate(async () => {
    const csrf = document.cookie.match(/(?:^|;\s*)cabinet_csrf=([^;]*)/)[1];
    const r = await fetch("/api/requests", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf) },
      body: JSON.stringify({ type: "vacation", date_from: "2032-06-01", date_to: "2032-06-14", kind: "annual" }),
    });
    return r.status;
  });
  assert.equal(status, 201);

  // every page of the manager: the count goes up and the list shows the task
  const delays = await Promise.all(manager.map(async (page) => {
    await page.waitForFunction((n) => {
      const el = document.querySelector("#notify-unread");
      return !el.hidden && Number(el.textContent) === n;
    }, before + 1);
    const d = Date.now() - started;
    await page.locator("#notifications-items li.unread", { hasText: "нужно ваше согласование" }).first().waitFor();
    return d;
  }));
  console.log(`pages=${pages} responders=${cfg.responders} slowest page=${Math.max(...delays)} ms`);
  // the colleague's pages: nothing new
  assert.deepEqual(await Promise.all(colleague.map(unreadOf)), colleagueBefore);

  // "mark all read" on one page: the others hear the new count too
  await manager[0].click("#notifications-read-all");
  await Promise.all(manager.map((page) => page.waitForFunction(
    () => document.querySelector("#notify-unread").hidden)));
  for (const page of [...manager, ...colleague, author]) b.assertClean(page);
});
