// harness.mjs - the shared harness of the browser tests (see README.md).
//
//   import { suite, until, outbox } from "./harness.mjs";
//   const b = suite(import.meta.url);            // one Chromium for this file
//   b.test("the user sees X", async ({ page }) => {
//     await page.goto(b.url("/admin/", "demo")); // a tenant's host
//     await page.locator("#x").waitFor();        // wait for conditions only
//     b.assertClean();                           // no page errors, CSP violations, failed requests
//   });
//
// suite() launches Debian's headless Chromium once per file with the flags
// that work here (a fresh temporary profile each launch: playwright-core
// makes the --user-data-dir and removes it on close), opens one context and
// page (`b.page`, `b.context`; more with `b.newContext()`), and records for
// every page: console messages, uncaught page errors, CSP violations, failed
// requests and HTTP error answers. When a test fails, each open page's
// screenshot, HTML and that record go to
//   $CABINET_E2E_ARTIFACTS/<file>/<test>/   (default /tmp/cabinet-e2e-artifacts)
// and the record is also printed to the test's log (stderr).
import { test as nodeTest, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { setDefaultResultOrder } from "node:dns";

// Node.js's own fetch (story.mjs's debug clock) to "localhost": the stack's
// nginx listens on 127.0.0.1, and Debian's Node.js 18 tries only the first
// address it resolves, ::1 on a minimal Debian 12 (ECONNREFUSED there).
setDefaultResultOrder("ipv4first");

// The flags that work here: no sandbox (root, containers), no GPU, and no
// background traffic of Chromium's own (updates, sync, QUIC probing) that
// would show up as failed requests or hang a machine without Internet.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const BASE = process.env.CABINET_E2E_URL || "";
export const ARTIFACTS = process.env.CABINET_E2E_ARTIFACTS || "/tmp/cabinet-e2e-artifacts";
const TIMEOUT_MS = Number(process.env.CABINET_E2E_TIMEOUT_MS || 20000);

const slug = (s) => s.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "test";

// until(fn, what, ms): polls fn (sync or async) until it returns something
// truthy, returns that; throws "timed out waiting for <what>" after ms. For
// conditions outside the page (a file, the database); inside the page use
// playwright's locator.waitFor / page.waitForURL / page.waitForFunction.
export async function until(fn, what, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The stack's outbox (the `file` delivery driver: one JSON line per email or
// SMS, {"channel", "to", "subject", "text", ...}), for codes and links.
export const outbox = {
  path: process.env.CABINET_E2E_OUTBOX || "",
  all() {
    let text;
    try {
      text = readFileSync(this.path, "utf8"); // the sender creates it with the first message
    } catch (e) {
      if (e.code === "ENOENT") return [];
      throw e;
    }
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  },
  last(channel, to) {
    return this.all().reverse().find((m) => m.channel === channel && m.to === to);
  },
  // the first message to `to` on `channel` matching `pred` that arrives
  // after `since` messages were already there (outbox.count() before acting)
  // (30 s: on a loaded machine a first attempt can time out, and the outbox
  // tries again after outbox_retry_s = 10 s, as it would in production)
  wait(channel, to, { since = 0, pred = () => true, ms = 30000 } = {}) {
    return until(() => this.all().slice(since).reverse().find((m) => m.channel === channel && m.to === to && pred(m)),
      `the ${channel} to ${to}`, ms);
  },
  count() {
    return this.all().length;
  },
};

// record(page): what the page did that a person would not see.
function record(page, log) {
  const r = { console: [], pageErrors: [], csp: [], failedRequests: [], httpErrors: [] };
  log.set(page, r);
  page.on("console", (m) => {
    const loc = m.location();
    const line = `${m.type()}: ${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ""}`;
    r.console.push(line);
    if (/Content Security Policy/i.test(m.text())) r.csp.push(m.text());
  });
  page.on("pageerror", (e) => r.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on("requestfailed", (q) =>
    r.failedRequests.push(`${q.method()} ${q.url()}: ${q.failure() ? q.failure().errorText : "failed"}`));
  page.on("response", (a) => {
    if (a.status() >= 400) r.httpErrors.push(`${a.status()} ${a.request().method()} ${a.url()}`);
  });
  return r;
}

function describe(page, r) {
  const list = (title, xs) => `${title}:${xs.length ? "\n  " + xs.join("\n  ") : " none"}`;
  let url = "";
  try {
    url = page.url();
  } catch {
    url = "(closed)";
  }
  return [
    `page: ${url}`,
    list("page errors", r.pageErrors),
    list("CSP violations", r.csp),
    list("failed requests", r.failedRequests),
    list("HTTP errors", r.httpErrors),
    list("console", r.console),
  ].join("\n");
}

// suite(import.meta.url, {locale, viewport, ...context options}): one
// browser for the test file, opened in before() and closed in after().
export function suite(fileUrl, contextOptions = {}) {
  const file = basename(fileURLToPath(fileUrl)).replace(/\.test\.mjs$|\.mjs$/, "");
  const log = new Map(); // page -> record
  const contexts = [];
  const s = {
    browser: null,
    context: null,
    page: null,
    base: BASE,
    // origin(sub): the base host, or a tenant's host <sub>.localhost:PORT
    // (Chromium resolves *.localhost to the loopback address by itself)
    origin: (sub) => {
      const u = new URL(BASE);
      if (sub) u.hostname = `${sub}.${u.hostname}`;
      return u.origin;
    },
    url: (path = "/", sub = "") => s.origin(sub) + path,
    async newContext(options = {}) {
      const ctx = await s.browser.newContext({ locale: "ru-RU", ...contextOptions, ...options });
      ctx.setDefaultTimeout(TIMEOUT_MS);
      ctx.on("page", (p) => record(p, log));
      contexts.push(ctx);
      return ctx;
    },
    // what the pages recorded so far: { console, pageErrors, csp, failedRequests, httpErrors }
    problems(page = s.page) {
      return log.get(page);
    },
    // no uncaught errors, no CSP violations and no requests that failed at
    // the network level (aborted ones aside: a navigation cancels fetches).
    // HTTP 4xx answers are the tests' business: they are only reported.
    assertClean(page = s.page) {
      const r = log.get(page);
      const failed = r.failedRequests.filter((f) => !/ERR_ABORTED/.test(f));
      const found = { "page errors": r.pageErrors, "CSP violations": r.csp, "failed requests": failed };
      const bad = Object.entries(found).filter(([, xs]) => xs.length);
      assert.ok(bad.length === 0, `the page ${page.url()} had:\n` +
        bad.map(([k, xs]) => `${k}:\n  ${xs.join("\n  ")}`).join("\n"));
    },
    // test(name, [options], fn): node:test's test; fn gets { page, context,
    // t }. A failure saves the artifacts of every open page, then fails.
    test(name, options, fn) {
      if (typeof options === "function") [options, fn] = [{}, options];
      return nodeTest(name, options, async (t) => {
        try {
          await fn({ page: s.page, context: s.context, t });
        } catch (err) {
          await s.saveFailure(name, err);
          throw err;
        }
      });
    },
    async saveFailure(name, err) {
      const dir = join(ARTIFACTS, file, slug(name));
      mkdirSync(dir, { recursive: true });
      const parts = [`test: ${file} / ${name}`, `error: ${err && err.stack ? err.stack : err}`];
      let n = 0;
      for (const [page, r] of log) {
        if (page.isClosed()) continue;
        const tag = n++ === 0 ? "page" : `page${n}`;
        try {
          await page.screenshot({ path: join(dir, `${tag}.png`), fullPage: true, timeout: 5000 });
          writeFileSync(join(dir, `${tag}.html`), await page.content());
          parts.push(`screenshot: ${join(dir, tag + ".png")}`);
        } catch (e) {
          parts.push(`screenshot of ${tag} failed: ${e.message}`);
        }
        parts.push(describe(page, r));
      }
      const report = parts.join("\n") + "\n";
      writeFileSync(join(dir, "report.txt"), report);
      process.stderr.write(`\n=== browser test failed; artifacts in ${dir}\n${report}=== end of ${name}\n`);
    },
  };
  before(async () => {
    assert.ok(BASE, "CABINET_E2E_URL is not set (test_e2e.py sets it)");
    s.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
      timeout: 60000,
    });
    s.context = await s.newContext();
    s.page = await s.context.newPage();
  });
  after(async () => {
    if (s.browser) await s.browser.close();
  });
  return s;
}
