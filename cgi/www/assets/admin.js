// The administrator's pages: behaviour that the strict Content-Security-Policy
// allows only from a file (no inline handlers). Everything is declared in the
// templates with data attributes; without JavaScript the pages still work
// (the menu stays open, forms submit without the confirmation).
//
//   <button data-print>                       prints the page
//   <form data-confirm="Текст вопроса">       asks before submitting
//   <div data-picker="employee">              an employee chosen by name or
//     <input name="employee" role="combobox">   personnel number, with
//     <input type="hidden" name="employee_id">  suggestions while typing
//   </div>                                    (data-can-act on the div: only
//                                             those who can act on a task
//                                             now, for a forward or a
//                                             substitute)
//   <div data-picker="department">            a department chosen by name, the
//     <input name="parent" role="combobox">     same way (suggestions from
//     <input type="hidden" name="parent_id">    GET /api/admin/structure)
//   </div>
//   <div data-when-code="ОТ ОД">             shown (and its fields sent) only
//                                             while the form's "code" field
//                                             holds one of these codes
//   <input type="month" name="month"        one month picker for every page
//     data-month-pick>                       that picks a month: a Russian
//                                            month select and a year select
//                                            (the input, hidden, still sends
//                                            YYYY-MM)
//   <div data-when-vacation>                 shown (and its fields sent) only
//                                             while the form's code is Б and
//                                             its dates overlap a vacation
//                                             (ОТ, ОД) of the chosen employee
"use strict";

document.documentElement.classList.add("js");

function setupMenu() {
  const button = document.querySelector(".menu-toggle");
  const menu = document.getElementById("menu");
  if (!button || !menu) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = !menu.classList.contains("open");
    menu.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && menu.classList.contains("open")) {
      menu.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
  // the section of this page: the longest menu path it is under (its own
  // or one of data-also="/admin/a /admin/b"); the home page only itself
  const here = location.pathname.replace(/\/$/, "");
  let best = null;
  for (const a of menu.querySelectorAll("nav a")) {
    const own = new URL(a.href).pathname.replace(/\/$/, "");
    // links to the employee site («Мой кабинет», «Задачи») are no section here
    if (!own.startsWith("/admin")) continue;
    for (const p of [own, ...(a.dataset.also || "").split(/\s+/).filter(Boolean)]) {
      const under = here === p || (p !== "/admin" && here.startsWith(p + "/"));
      if (under && (!best || p.length > best.p.length)) best = { a, p };
    }
  }
  if (best) best.a.setAttribute("aria-current", "page");
}

function setupPrint() {
  for (const b of document.querySelectorAll("[data-print]")) {
    b.addEventListener("click", () => window.print());
  }
}

function setupConfirm() {
  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (ev) => {
      if (!window.confirm(f.dataset.confirm)) ev.preventDefault();
    });
  }
}

// The first field with a problem gets the focus, so a keyboard or screen
// reader user lands where the fix is needed.
function focusFirstProblem() {
  const bad = document.querySelector('main [aria-invalid="true"]');
  if (bad && typeof bad.focus === "function") bad.focus();
}

// ------------------------------------------------------------ pickers
// employee: GET /api/admin/employees?q=&limit= -> {"items": [{id,
// personnel_number, full_name, department, position}], "total"} (the staff
// issue's route); department: GET /api/admin/structure (the whole tree,
// small), matched by name here.

function employeeLabel(e) {
  return e.personnel_number ? `${e.full_name} (таб. № ${e.personnel_number})` : e.full_name;
}

let structure = null;
const PICKERS = {
  employee: {
    listLabel: "Подходящие сотрудники",
    label: employeeLabel,
    sub: (e) => [e.position && e.position.name, e.department && e.department.name].filter(Boolean).join(", "),
    async find(q, box) {
      const r = await fetch("/api/admin/employees?limit=10&q=" + encodeURIComponent(q) +
        ("canAct" in box.dataset ? "&can_act=true" : ""), { headers: { Accept: "application/json" } });
      if (!r.ok) return null;
      const data = await r.json().catch(() => ({}));
      return data.items || [];
    },
  },
  department: {
    listLabel: "Подходящие подразделения",
    label: (d) => d.name,
    sub: (d) => (d.organization && d.organization.name) || "",
    async find(q) {
      if (!structure) {
        const r = await fetch("/api/admin/structure", { headers: { Accept: "application/json" } });
        if (!r.ok) return null;
        structure = await r.json().catch(() => ({}));
      }
      const needle = q.toLowerCase();
      return (structure.departments || []).filter((d) => d.name.toLowerCase().includes(needle)).slice(0, 10);
    },
  },
};

function setupPicker(box) {
  const kind = PICKERS[box.dataset.picker] || PICKERS.employee;
  const input = box.querySelector('input[role="combobox"]');
  const hidden = box.querySelector('input[type="hidden"]');
  const list = document.createElement("ul");
  list.id = input.id + "-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", kind.listLabel);
  list.hidden = true;
  box.appendChild(list);
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  let items = [], active = -1, timer = null, seq = 0;

  // closing drops a search still under way (its answer would open the
  // list again after a choice, Escape or leaving the field)
  function close() {
    clearTimeout(timer);
    seq++;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function mark(i) {
    active = i;
    list.querySelectorAll('[role="option"]').forEach((li, k) => li.setAttribute("aria-selected", String(k === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", `${list.id}-${i}`);
  }
  function choose(i) {
    const e = items[i];
    if (!e) return;
    input.value = kind.label(e);
    hidden.value = String(e.id);
    hidden.dispatchEvent(new Event("change", { bubbles: true })); // for the form's other fields
    close();
  }
  async function search() {
    const q = input.value.trim();
    const my = ++seq;
    if (q.length < 1) { items = []; close(); return; }
    let found;
    try {
      found = await kind.find(q, box);
    } catch (e) { return; }
    if (my !== seq || !found) return;
    items = found;
    list.replaceChildren();
    items.forEach((e, i) => {
      const li = document.createElement("li");
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = kind.label(e);
      const sub = kind.sub(e);
      if (sub) {
        const s = document.createElement("div");
        s.className = "sub";
        s.textContent = sub;
        li.appendChild(s);
      }
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
      li.addEventListener("click", () => choose(i)); // a tap without a mousedown
      list.appendChild(li);
    });
    if (items.length === 0) {
      const li = document.createElement("li");
      li.className = "sub";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.setAttribute("aria-selected", "false");
      li.textContent = box.dataset.picker === "department" ? "Ничего не нашлось" : "Никого не нашлось";
      list.appendChild(li);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }
  input.addEventListener("input", () => {
    hidden.value = ""; // typed text: the server finds the person by it
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(active); }
    else if (ev.key === "Escape") { ev.preventDefault(); close(); }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  document.addEventListener("pointerdown", (ev) => { if (!box.contains(ev.target)) close(); });
}

document.addEventListener("DOMContentLoaded", () => {
  setupMenu();
  setupPrint();
  setupConfirm();
  document.querySelectorAll("[data-picker]").forEach(setupPicker);
  setupWhenCode();
  document.querySelectorAll("[data-when-vacation]").forEach(setupWhenVacation);
  document.querySelectorAll("input[data-month-pick]").forEach(setupMonthPick);
  focusFirstProblem();
});

// ------------------------------------------------------------ month picker
// The native <input type=month> is a bare text box in Firefox and Safari
// on the desktop, where people typed "2026-11" blind: every admin page that
// picks a month declares the input with data-month-pick and gets a month
// select in Russian and a year select instead. The input stays in the form
// as a hidden field holding YYYY-MM (or "" for an optional one left empty),
// so what the page sends does not change; without JavaScript the native
// input is shown.
const MONTH_NAMES = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
  "сентябрь", "октябрь", "ноябрь", "декабрь"];

function setupMonthPick(input) {
  const now = new Date();
  const found = /^(\d{4})-(\d{2})$/.exec(input.getAttribute("value") || input.value || "");
  const valid = found && +found[2] >= 1 && +found[2] <= 12;
  const box = document.createElement("span");
  box.className = "month-pick";
  const month = document.createElement("select");
  const year = document.createElement("select");
  month.setAttribute("aria-label", "Месяц");
  year.setAttribute("aria-label", "Год");
  if (!input.required) {
    month.add(new Option("любой месяц", ""));
    year.add(new Option("—", ""));
  }
  MONTH_NAMES.forEach((name, i) => month.add(new Option(name, String(i + 1).padStart(2, "0"))));
  // this year and five before, the next one, and the value's own
  let first = now.getFullYear() - 5, last = now.getFullYear() + 1;
  if (found) {
    first = Math.min(first, +found[1]);
    last = Math.max(last, +found[1]);
  }
  for (let y = last; y >= first; y--) year.add(new Option(String(y), String(y)));
  if (valid) {
    month.value = found[2];
    year.value = found[1];
  } else if (input.required || found) {
    // a refused month (2026-13) or none yet: a real month to start from
    month.value = found ? "" : String(now.getMonth() + 1).padStart(2, "0");
    year.value = found ? found[1] : String(now.getFullYear());
  } else {
    month.value = year.value = "";
  }
  // the field's problem, if the page names one, is the month's
  for (const a of ["aria-invalid", "aria-describedby"]) {
    if (input.hasAttribute(a)) month.setAttribute(a, input.getAttribute(a));
  }
  const sync = () => {
    input.value = month.value && year.value ? `${year.value}-${month.value}` : "";
  };
  month.addEventListener("change", () => {
    if (month.value && !year.value) year.value = String(now.getFullYear());
    sync();
  });
  year.addEventListener("change", () => {
    if (year.value && !month.value && input.required) month.value = "01";
    sync();
  });
  input.type = "hidden";
  box.append(month, year);
  input.after(box);
  if (valid || !found) sync();
}

// Fields of some codes only (the deviation form: the sick-leave cause for Б,
// the vacation's payment date for ОТ/ОД): hidden and not sent otherwise.
function setupWhenCode() {
  for (const box of document.querySelectorAll("[data-when-code]")) {
    const form = box.closest("form");
    const code = form && form.querySelector('input[name="code"]');
    if (!code) continue;
    const codes = box.dataset.whenCode.split(/\s+/);
    const update = () => {
      const on = codes.includes(code.value.trim().toUpperCase());
      box.hidden = !on;
      for (const c of box.querySelectorAll("input, select")) c.disabled = !on;
    };
    code.addEventListener("input", update);
    update();
  }
}

// "10.03.2025" or "2025-03-10" as "2025-03-10"; anything else "".
function isoDate(text) {
  const v = (text || "").trim();
  let m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
  m = /^\d{4}-\d{2}-\d{2}$/.exec(v);
  return m ? v : "";
}

// Illness during a vacation (art. 124): the choice to return the days or
// extend the vacation, shown only while the form's code is Б and its dates
// overlap a vacation (ОТ, ОД) of the employee - the employee's documents
// from GET /api/admin/deviations?employee_id= (or ?employee= with the typed
// name or number, which the server resolves the same way as on posting).
function setupWhenVacation(box) {
  const form = box.closest("form");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  let seq = 0;
  const show = (on) => {
    box.hidden = !on;
    for (const c of box.querySelectorAll("input, select")) c.disabled = !on;
  };
  const update = async () => {
    const my = ++seq;
    const id = field("employee_id").value, who = field("employee").value.trim();
    const from = isoDate(field("date_from").value), to = isoDate(field("date_to").value) || from;
    if (field("code").value.trim().toUpperCase() !== "Б" || !from || (!id && !who)) { show(false); return; }
    const q = id ? "employee_id=" + encodeURIComponent(id) : "employee=" + encodeURIComponent(who);
    let docs = [];
    try {
      const r = await fetch("/api/admin/deviations?" + q, { headers: { Accept: "application/json" } });
      docs = r.ok ? ((await r.json()).deviations || []) : [];
    } catch (e) { docs = []; }
    if (my !== seq) return;
    show(docs.some((d) => (d.code === "ОТ" || d.code === "ОД") && d.date_from <= to && d.date_to >= from));
  };
  let timer = null;
  form.addEventListener("input", (ev) => {
    if (ev.target.name === "vacation") return;
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  form.addEventListener("change", (ev) => { if (ev.target.name === "employee_id") update(); });
  show(false);
  update();
}
