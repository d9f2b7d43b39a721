// lib.js - what every page of the employee site shares (loaded first, before
// the page's own script): the API call with the CSRF token, the header with
// the sections a person may open, sign-out, field errors next to their
// fields, Russian words and dates, small DOM helpers.
//
// A page's script calls startPage(async (me) => { ... }) once: it shows the
// sign-in links to a guest, the header and menu to a signed-in user, and
// runs the page's code for an employee (me.user.employee_id set; me.roles:
// "employee", and "admin", "manager", "performer" as the user is one).
// No inline handlers anywhere: the site's CSP (script-src 'self') blocks them.
"use strict";

const $ = (id) => document.getElementById(id);

// The CSRF token a state-changing call sends back: the cookie is
// __Host-cabinet_csrf over HTTPS and cabinet_csrf in development.
function csrfToken() {
  for (const name of ["__Host-cabinet_csrf", "cabinet_csrf"]) {
    const m = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    if (m) return decodeURIComponent(m[1]);
  }
  return "";
}

// One API call: GET, or a method with a JSON body (opts.body) or a
// multipart upload (opts.form, a FormData) and the CSRF token.
// opts.background marks a call the page makes on its own (polling): it does
// not count as the user's activity, so an idle session still ends (the
// X-Cabinet-Background header, see README "Security").
async function api(path, opts = {}) {
  const headers = { "Accept": "application/json" };
  const init = { method: opts.method || "GET", headers };
  if (opts.background) headers["X-Cabinet-Background"] = "1";
  if (init.method !== "GET") {
    headers["X-CSRF-Token"] = csrfToken();
    if (opts.form) {
      init.body = opts.form; // the browser writes the multipart boundary
    } else {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body || {});
    }
  }
  const r = await fetch(path, init);
  return { status: r.status, data: await r.json().catch(() => ({})) };
}

// The answer's message for a person, or `fallback`.
function errorText(r, fallback) {
  return (r.data && r.data.error && r.data.error.message) || fallback;
}

function showMessage(text) {
  $("message").textContent = text;
  $("message").hidden = false;
}

// el("p", {className: "hint", text: "..."}, child, ...): an element.
// Attributes other than className/text/hidden go through setAttribute;
// children are nodes, or text (strings, numbers: never HTML).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "className") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "hidden") e.hidden = true;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  if (text instanceof Node) td.appendChild(text);
  else td.textContent = text === undefined || text === null ? "" : text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

// A table that scrolls inside its own box on a phone (the pages' rule).
function tableWrap(label, table) {
  return el("div", { className: "table-wrap", tabindex: "0", role: "region", "aria-label": label }, table);
}

// The site's data table, the one way a page shows rows of data:
//   const t = dataTable("Мои заявки", [{ title: "Вид", main: true }, { title: "Период", cls: "nowrap" },
//     { title: "Сумма", cls: "num" }, ...], { caption: "..." });
//   t.add([cellValue, ...], { "data-name": "..." });  box.replaceChildren(t.box);
// A value is text, a number or a node. Every cell carries its column's title
// (data-label). A table of more than three columns becomes a list of cards
// on a narrow screen (site.css, max-width 600px): each row a card, the main
// column (`main`; the first when none is marked) its title, the others
// "label: value" lines, so nothing hides behind a sideways scroll on a
// phone. A column with `rowHeader` is a <th scope="row">.
const CARDS_OVER = 3;
function dataTable(label, columns, opts = {}) {
  const main = Math.max(0, columns.findIndex((c) => c.main));
  const cards = columns.length > CARDS_OVER;
  const tbody = el("tbody");
  const table = el("table", { className: "list" + (cards ? " cards" : "") + (opts.className ? " " + opts.className : ""), id: opts.id },
    opts.caption ? el("caption", { className: "hint", text: opts.caption }) : null,
    el("thead", {}, el("tr", {}, ...columns.map((c) =>
      el("th", { scope: "col", className: (c.cls || "").split(" ").includes("num") ? "num" : null, text: c.title })))),
    tbody);
  const add = (values, attrs = {}) => {
    const tr = el("tr", attrs);
    columns.forEach((c, i) => {
      const v = values[i];
      const td = el(c.rowHeader ? "th" : "td", { scope: c.rowHeader ? "row" : null, "data-label": c.title });
      const cls = [c.cls, cards && i === main ? "card-title" : null].filter(Boolean).join(" ");
      if (cls) td.className = cls;
      if (v instanceof Node) td.appendChild(v);
      else if (v !== undefined && v !== null) td.textContent = String(v);
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  };
  return { box: tableWrap(label, table), table, tbody, add };
}

// A tag coloured by meaning: ok (done), warn (to do, a draft), bad (refused).
const STATE_TONE = {
  draft: "warn", submitted: "warn", awaiting_approval: "warn", approved: "warn", in_progress: "warn",
  done: "ok", rejected: "bad", cancelled: "", open: "warn", forwarded: "", overdue: "bad",
};
function tag(text, tone) {
  return el("span", { className: "tag" + (tone ? " " + tone : ""), text });
}

// The form of a noun for a count, as core/ru.c ru_plural: plural(21, "день",
// "дня", "дней") is "день"; 2 "дня", 5, 11, 112 "дней".
function plural(n, one, few, many) {
  const a = Math.abs(n) % 100, d = a % 10;
  if (a >= 11 && a <= 14) return many;
  if (d === 1) return one;
  return d >= 2 && d <= 4 ? few : many;
}

// "1 день", "2 дня", "5 дней"; a fractional number takes "дня" (18,7 дня).
function daysWord(text) {
  if (/[.,]\d*[1-9]/.test(text)) return "дня";
  return plural(parseInt(text, 10) || 0, "день", "дня", "дней");
}

// A paid vacation's length as the balance spends it (the API's vacation days:
// public holidays inside do not count, art. 120 ТК РФ): "5 дней", or "108 дней
// отпуска (110 календарных, из них 2 праздничных не считаются)".
function vacationDaysText(days, calendarDays, holidays) {
  const n = `${days} ${plural(days, "день", "дня", "дней")}`;
  if (!holidays) return n;
  return `${n} отпуска (${calendarDays} ${plural(calendarDays, "календарный", "календарных", "календарных")}, ` +
    `из них ${holidays} ${plural(holidays, "праздничный не считается", "праздничных не считаются", "праздничных не считаются")})`;
}

// The sentence stating what a vacation request asks for, always shown to
// the employee while picking the dates and to the approver on the task (F4):
// "Запрошено 6 дней отпуска (14 календарных, из них 8 праздничных не
// считаются)." or "Запрошено 14 дней отпуска."
function requestedText(days, calendarDays, holidays) {
  const n = vacationDaysText(days, calendarDays, holidays);
  return `Запрошено ${holidays ? n : n + " отпуска"}.`;
}

// A request's period with its length (F5): "07.12.2026 (1 день)",
// "01.12.2026 — 14.12.2026 (14 дней)", and, a length with its own
// brackets, "28.12.2026 — 10.01.2027: 6 дней отпуска (14 календарных, ...)".
function periodWithDays(from, to, daysText) {
  const p = period(from, to);
  return daysText.includes("(") ? `${p}: ${daysText}` : `${p} (${daysText})`;
}

// "октябрь 2026 г." -> "Октябрь 2026 г." (a month title starting a line)
function capital(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "";
}

function dateRu(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}.${m}.${y}`;
}

// A stored mobile number (+79121112233) as every page shows a phone:
// "+7 912 111-22-33" (the core's ru_format_phone); anything else as it is.
// The years of the signed-in employee's employment, newest first: from
// their hire year (the card's, /api/me user.hired; 2000 without one) to
// `last` (their dismissal year when earlier) — what the year pickers offer.
function employmentYears(me, last) {
  const hired = me && me.user && me.user.hired, gone = me && me.user && me.user.dismissed;
  const first = hired ? Number(hired.slice(0, 4)) : 2000;
  if (gone && Number(gone.slice(0, 4)) < last) last = Number(gone.slice(0, 4));
  const years = [];
  for (let y = last; y >= first; y--) years.push(y);
  return years.length ? years : [first];
}

function phoneRu(phone) {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone || "");
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : phone;
}

function period(from, to) {
  if (!from) return "";
  return from === to ? dateRu(from) : `${dateRu(from)} — ${dateRu(to)}`;
}

// Field errors of an answer next to their fields: every
// <p class="field-error" data-for="NAME"> in `form` gets the message of
// NAME (also of the names in its data-also), the control named NAME gets
// aria-invalid; errors of fields the form does not show, and an error
// without fields, go to the form's [role=alert] element. Returns the number
// of fields marked; focuses the first.
function showFieldErrors(form, r) {
  const fields = (r && r.data && r.data.error && r.data.error.fields) || {};
  const shown = new Set();
  let first = null;
  for (const p of form.querySelectorAll(".field-error[data-for]")) {
    const off = p.closest("fieldset:disabled");
    const names = [p.dataset.for, ...(p.dataset.also ? p.dataset.also.split(" ") : [])];
    const name = off ? undefined : names.find((n) => fields[n]);
    p.textContent = name ? fields[name] : "";
    // the control next to the message (a name may be in two fieldsets)
    const input = p.parentElement.querySelector(`[name="${p.dataset.for}"]`) ||
      form.querySelector(`[name="${p.dataset.for}"]`);
    if (input) {
      if (name) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      } else {
        input.removeAttribute("aria-invalid");
      }
    }
    if (name) names.forEach((n) => shown.add(n));
  }
  const alert = form.querySelector('[role="alert"]');
  if (alert) {
    const rest = Object.entries(fields).filter(([k]) => !shown.has(k)).map(([, v]) => v);
    const general = r && r.status >= 400 && shown.size === 0 ? errorText(r, "Не получилось, повторите") : "";
    const text = [rest.length ? "" : general, ...rest].filter(Boolean).join(" ");
    alert.textContent = text;
    alert.hidden = !text;
    if (text && !first) first = alert;
  }
  if (first && first.focus) {
    if (first === alert) alert.setAttribute("tabindex", "-1");
    first.focus();
  }
  return shown.size;
}

function clearFieldErrors(form) {
  showFieldErrors(form, null);
}

// A KPI's value for people, by its unit (the guide's rule, "Показатели";
// the same as the core's kpi_number_ru): money (a ruble sign or word, "₽",
// "руб.", "тыс. руб.", "р.") with two decimals, "1 200 000,50"; anything else
// (%, шт., баллы) as entered, without trailing zeros, "95,5", "12". value is
// the API's text ("1200000.50"); no-break spaces between the thousands.
function kpiMoneyUnit(unit) {
  const u = String(unit || "").trim();
  return /₽|руб|rub/i.test(u) || /(^|\s)р\.?$/.test(u);
}
function kpiNumber(value, unit) {
  if (value === null || value === undefined || value === "") return "";
  const m = String(value).trim().match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (!m) return String(value);
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  let frac = (m[3] || "").padEnd(2, "0").slice(0, 2);
  if (!kpiMoneyUnit(unit)) frac = frac.replace(/0+$/, "");
  return m[1] + whole + (frac ? "," + frac : "");
}

// The person a picker's text names, as the core's worktime_arg_employee
// does: the picker's label "Ф. И. О. (таб. № N)", a personnel number, or
// an exact full name (any case, spaces aside) matching exactly one working
// employee. -> {id} or {error} (the message for the field, in Russian).
async function resolvePerson(text) {
  const t = String(text || "").trim().replace(/\s+/g, " ");
  if (!t) return { error: "Укажите сотрудника: ФИО или табельный номер" };
  const label = t.match(/^(.*) \(таб\. № (.+)\)$/);
  const q = label ? label[2] : t;
  const r = await api("/api/employees?q=" + encodeURIComponent(q));
  if (r.status !== 200) return { error: errorText(r, "Не удалось найти сотрудника, повторите") };
  const items = r.data.items || [];
  const norm = (s) => String(s || "").trim().replace(/\s+/g, " ").toLowerCase();
  let found = items.filter((e) => e.personnel_number && e.personnel_number === q);
  const byNumber = found.length > 0;
  if (!byNumber && !label) found = items.filter((e) => norm(e.full_name) === norm(t));
  if (found.length === 1) return { id: found[0].id };
  if (found.length === 0) return { error: `Сотрудник «${t}» не найден: укажите ФИО или табельный номер` };
  const n = found.length;
  const word = plural(n, "сотрудник", "сотрудника", "сотрудников");
  return { error: `Найдено ${n} ${word} с ${byNumber ? "таким табельным номером" : "таким ФИО"} — выберите из списка` };
}

// The employee picker of the site: a text field with suggestions (a
// <datalist>) of "Ф. И. О. (таб. № N)" from GET /api/employees?q= for the
// people who may look others up (a manager, a performer, the
// administrator); the core finds the person by that text (or a full name,
// or a personnel number) in the field named e.g. "to_name", or the page
// asks resolvePerson() when its call takes an id. opts.canAct: suggest only
// the people who can act on a task now (a forward, a substitute: the core
// refuses the others), GET /api/employees?can_act=true. opts.exclude: an
// employee id never suggested (a request's applicant for its own task's
// forward).
function setupPeoplePicker(input, me, opts = {}) {
  if (!me.roles.some((r) => r === "manager" || r === "performer" || r === "admin")) return;
  const list = el("datalist", { id: input.id + "-people" });
  input.after(list);
  input.setAttribute("list", list.id);
  let seq = 0, timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || /\(таб\. № /.test(q)) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      const r = await api("/api/employees?q=" + encodeURIComponent(q) + (opts.canAct ? "&can_act=true" : ""));
      if (mine !== seq || r.status !== 200) return;
      list.replaceChildren(...r.data.items.filter((e) => e.id !== opts.exclude).map((e) => el("option", {
        value: e.personnel_number ? `${e.full_name} (таб. № ${e.personnel_number})` : e.full_name,
        label: [e.position, e.department].filter(Boolean).join(", ") || null,
      })));
    }, 200);
  });
}

// The sections of the site; `show(me)` says who sees the link.
const SECTIONS = [
  { href: "/", title: "Главная" },
  { href: "/requests.html", title: "Заявки", employee: true },
  { href: "/tasks.html", title: "Задачи", employee: true },
  { href: "/team.html", title: "Сотрудники", role: "manager" },
  { href: "/file.html", title: "Личное дело", employee: true },
  { href: "/salary.html", title: "Зарплата", employee: true },
  { href: "/kpi.html", title: "Показатели", employee: true },
  { href: "/profile.html", title: "Профиль" },
  { href: "/admin/", title: "Администрирование", role: "admin" },
];

function buildNav(me) {
  const nav = $("nav");
  if (!nav) return;
  const here = location.pathname === "/index.html" ? "/" : location.pathname;
  const ul = el("ul");
  for (const s of SECTIONS) {
    if (s.employee && !me.user.employee_id) continue;
    if (s.role && !me.roles.includes(s.role)) continue;
    const a = el("a", { href: s.href, text: s.title });
    if (s.href === here) a.setAttribute("aria-current", "page");
    ul.appendChild(el("li", {}, a));
  }
  nav.replaceChildren(ul);
}

async function logout() {
  const r = await api("/api/auth/logout", { method: "POST" });
  if (r.status === 200 || r.status === 401) {
    location.assign("/");
    return;
  }
  showMessage(errorText(r, "Не удалось выйти, повторите"));
}

// What a file input takes, from the config keys attachments_types and
// attachments_max_size (GET /api/me "attachments"): "(PDF, JPEG, PNG до 10 МБ)".
function attachmentsNote(me) {
  return me && me.attachments ? `(${me.attachments.text})` : "";
}

// Every [data-attachments] part of a label says it; every file input under
// root offers those types (the server still tells a file by its bytes).
function showAttachments(me, root = document) {
  for (const e of root.querySelectorAll("[data-attachments]")) e.textContent = attachmentsNote(me);
  if (!me || !me.attachments) return;
  for (const i of root.querySelectorAll('input[type="file"]')) i.accept = me.attachments.accept;
}

// The page's start: guest, signed-in user without an employee record, or an
// employee (render(me) runs). Returns me, or null.
async function startPage(render) {
  for (const b of document.querySelectorAll("[data-print]")) b.addEventListener("click", () => window.print());
  $("logout").addEventListener("click", logout);
  const guest = () => {
    $("guest").hidden = false;
    for (const e of document.querySelectorAll("[data-signed-in]")) e.hidden = true;
  };
  if (!csrfToken()) { // no session cookies: a guest, no need to ask
    guest();
    return null;
  }
  let r;
  try {
    r = await api("/api/me");
  } catch (e) {
    showMessage("Сервис временно недоступен, повторите позже");
    return null;
  }
  if (r.status === 401) {
    guest();
    return null;
  }
  if (r.status !== 200) {
    showMessage(r.status === 404
      ? "Кабинет организации по этому адресу не найден"
      : errorText(r, "Сервис временно недоступен"));
    return null;
  }
  const me = r.data;
  $("org").textContent = me.tenant.name;
  $("who").textContent = me.user.full_name;
  buildNav(me);
  showAttachments(me);
  $("top").hidden = false;
  if (!me.user.employee_id && $("no-employee")) {
    $("no-employee").hidden = false;
  }
  await render(me);
  return me;
}
