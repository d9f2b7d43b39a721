// requests.js - the employee's requests (requests.html): the list with a
// state filter, a new request of each type (with files: the request is
// kept as a draft while its files go up, then sent), and one request
// (?id=N) with its fields, files, history, and what may be done with it
// now: send a draft, attach a file, cancel.
//   GET  /api/requests?state=&limit=&offset=     POST /api/requests
//   GET  /api/requests/{id}                      POST /api/requests/{id}/submit|cancel
//   POST /api/requests/{id}/files (multipart "file")
//   GET  /api/requests/{id}/document (the application or the certificate, PDF)
"use strict";

const PAGE = 20;
let ME = null; // /api/me
const TYPE_HINT = {
  vacation: "Сначала заявление согласует руководитель, затем отпуск оформит отдел кадров.",
  absence: "Сначала согласует руководитель, затем отсутствие отметят в табеле.",
  business_trip: "Командировку оформит координатор; дни поездки сохраняют средний заработок.",
  personal_data: "После проверки отдел кадров изменит данные в вашей карточке.",
  tax_deduction: "Вычет начнёт учитываться при расчёте зарплаты после проверки.",
  certificate_employment: "Готовую справку можно будет скачать на странице заявки.",
  certificate_ndfl: "Справка о доходах и суммах налога физического лица (КНД 1175018) за выбранный год.",
  certificate_vacation_balance: "Справка о числе неиспользованных дней отпуска.",
  question: "Вопрос получит координатор; ответ придёт в комментарии к заявке.",
};
const KIND_TITLE = { annual: "ежегодный оплачиваемый", additional: "дополнительный оплачиваемый",
  unpaid: "без сохранения заработной платы" };
const REASON_TITLE = { sick: "болезнь", day_off: "оплачиваемый день отдыха", unpaid: "за свой счёт",
  public_duty: "исполнение государственных обязанностей", study: "учебный отпуск" };
const CHANGE_TITLE = { full_name: "ФИО", phone: "Телефон", email: "Почта", address: "Адрес" };
const PASSPORT_TITLE = { series: "серия", number: "номер", issued_by: "кем выдан", issued_on: "дата выдачи",
  division_code: "код подразделения" };
const STEP_TITLE = { approval: "согласование", execution: "исполнение", hr_task: "задание" };
const CAN_CANCEL = ["draft", "submitted", "awaiting_approval", "approved", "in_progress"];
const CLOSED = ["done", "rejected", "cancelled"];

// A message for the next page (after a redirect to the request).
const flash = {
  set(kind, text) { sessionStorage.setItem("requests.flash", JSON.stringify({ kind, text })); },
  take() {
    const v = sessionStorage.getItem("requests.flash");
    sessionStorage.removeItem("requests.flash");
    return v ? JSON.parse(v) : null;
  },
};

// "31.12.2026" -> "2026-12-31"; anything else as typed (the core says why).
function isoDate(text) {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  return m ? `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}` : text.trim();
}

// ------------------------------------------------------------ the list

let listOffset = 0;
let listTable = null; // dataTable of the list shown (more rows go into it)

async function showList(more) {
  const state = $("filter-state").value;
  if (!more) listOffset = 0;
  const r = await api(`/api/requests?limit=${PAGE}&offset=${listOffset}` +
    (state ? "&state=" + encodeURIComponent(state) : ""));
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить заявки"));
    return;
  }
  if (!more || !listTable) {
    listTable = dataTable("Мои заявки", [{ title: "№", cls: "nowrap", main: true }, { title: "Вид" },
      { title: "Период", cls: "nowrap" }, { title: "Состояние" }, { title: "Изменена", cls: "nowrap" }]);
    $("list-box").replaceChildren(r.data.total ? listTable.box : "");
  }
  for (const q of r.data.items) {
    listTable.add([el("a", { href: `/requests.html?id=${q.id}`, text: `№ ${q.number}` }), q.type_title,
      q.date_from ? period(q.date_from, q.date_to) : "", tag(q.state_title, STATE_TONE[q.state]),
      q.updated_at_ru]);
  }
  listOffset += r.data.items.length;
  $("list-none").hidden = r.data.total > 0;
  $("list-more").hidden = listOffset >= r.data.total;
}

// ------------------------------------------------------------ the form

// A message said after a colon starts lower-case, unless it is an
// abbreviation ("НДФЛ"): "…черновиком: не удалось отправить" (ru_after_colon
// of core/ru.h does the same in the core).
function afterColon(text) {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

// Shows the fields of the chosen type; the fields the new type does not
// have are cleared, so nothing typed for another type goes with it (what
// both types have, as the comment, stays).
function showType(form) {
  const type = form.type.value;
  for (const fs of form.querySelectorAll("fieldset.type-fields")) {
    const on = fs.dataset.types.split(" ").includes(type);
    if (!on && !fs.hidden) {
      for (const c of fs.querySelectorAll("input, textarea, select")) {
        if (c.type === "checkbox" || c.type === "radio") c.checked = c.defaultChecked;
        else if (c.tagName === "SELECT") c.selectedIndex = Math.max(0, [...c.options].findIndex((o) => o.defaultSelected));
        else c.value = c.type === "file" ? "" : c.defaultValue;
      }
      if (fs.querySelector("#children")) $("children").replaceChildren();
      for (const p of fs.querySelectorAll(".field-error")) p.textContent = "";
    }
    fs.hidden = !on;
    fs.disabled = !on;
  }
  $("f-type-hint").textContent = TYPE_HINT[type] || "";
  if (type === "tax_deduction" && !$("children").children.length) addChild();
}

function renumberChildren() {
  [...$("children").children].forEach((box, i) => {
    box.setAttribute("aria-label", `Ребёнок ${i + 1}`);
    for (const input of box.querySelectorAll("input")) {
      const key = input.dataset.key || (input.dataset.key = input.name);
      input.name = `children[${i}].${key}`;
      input.id = `child-${i}-${key}`;
    }
    for (const p of box.querySelectorAll(".field-error")) {
      const key = p.dataset.key || (p.dataset.key = p.dataset.for);
      p.dataset.for = `children[${i}].${key}`;
      p.id = `e-child-${i}-${key}`;
      box.querySelector(`#child-${i}-${key}`).setAttribute("aria-describedby", p.id);
    }
  });
}

function addChild() {
  const box = $("child-template").content.firstElementChild.cloneNode(true);
  box.querySelector("input[name=order]").value = String($("children").children.length + 1);
  box.querySelector("[data-remove-child]").addEventListener("click", () => {
    box.remove();
    renumberChildren();
  });
  $("children").appendChild(box);
  renumberChildren();
}

// Sets obj's member at a path "a.b", "a[0].b".
function setPath(obj, path, value) {
  const keys = path.split(/\.|\[(\d+)\]\.?/).filter((k) => k !== undefined && k !== "");
  let o = obj;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      o[k] = value;
    } else {
      if (o[k] === undefined) o[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      o = o[k];
    }
  });
}

// The request as the API takes it, from the fields of the chosen type.
function collect(form) {
  const body = { type: form.type.value };
  for (const c of form.elements) {
    if (!c.name || c.name === "type" || c.type === "file" || c.matches(":disabled")) continue;
    if (c.name.startsWith("children[")) {
      const key = c.dataset.key;
      const v = c.type === "checkbox" ? c.checked
        : key === "order" ? (c.value.trim() === "" ? "" : Number(c.value)) : isoDate(c.value);
      if (v !== "") setPath(body, c.name, v);
      continue;
    }
    if (c.value.trim() === "") continue;
    setPath(body, c.name, c.value.trim());
  }
  if (body.children) body.children = body.children.filter(Boolean);
  return body;
}

async function uploadFiles(id, files) {
  for (const file of files) {
    const fd = new FormData();
    fd.append("file", file, file.name);
    const u = await api(`/api/requests/${id}/files`, { method: "POST", form: fd });
    if (u.status !== 201) {
      const fields = (u.data.error && u.data.error.fields) || {};
      return `Файл «${file.name}» не принят: ${afterColon(Object.values(fields)[0] || errorText(u, "ошибка загрузки"))}`;
    }
  }
  return "";
}

async function sendForm(form, draft) {
  clearFieldErrors(form);
  const files = form.querySelector("#f-files").matches(":disabled") ? [] : [...$("f-files").files];
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const r = await api("/api/requests", { method: "POST", body: { ...collect(form), draft: draft || files.length > 0 } });
    if (r.status !== 201) {
      showFieldErrors(form, r);
      return;
    }
    const id = r.data.id;
    const number = r.data.request.number;
    const bad = await uploadFiles(id, files);
    if (bad) {
      flash.set("error", `${bad}. Заявка № ${number} сохранена черновиком: приложите подходящий файл и отправьте её.`);
    } else if (!draft && files.length) {
      const s = await api(`/api/requests/${id}/submit`, { method: "POST" });
      if (s.status !== 200) flash.set("error", `Заявка № ${number} сохранена черновиком: ${afterColon(errorText(s, "не удалось отправить"))}`);
      else flash.set("done", `Заявка № ${number}: ${s.data.request.state_title.toLowerCase()}.`);
    } else {
      flash.set("done", draft ? `Черновик заявки № ${number} сохранён.`
        : `Заявка № ${number}: ${r.data.request.state_title.toLowerCase()}.`);
    }
    location.assign(`/requests.html?id=${id}`);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// The annual vacation's balance next to the vacation form (GET
// /api/vacation/balance: today's balance and the one after the scheduled
// vacations), and a warning when the period asked is longer: not a refusal
// (vacation in advance is granted by agreement, art. 122 ТК РФ).
let vacationBalance = null, vacationBalanceSeq = 0;
async function showVacationBalance(form) {
  const box = $("vacation-balance");
  if (form.type.value !== "vacation") return;
  if (vacationBalance === null) {
    const r = await api("/api/vacation/balance");
    vacationBalance = r.status === 200 ? r.data : {};
  }
  const b = vacationBalance;
  if (!b.balance_ru) {
    box.textContent = b.reason || "";
    return;
  }
  const left = b.balance_after !== null && b.balance_after !== undefined ? b.balance_after : b.balance;
  const leftRu = b.balance_after_ru || b.balance_ru;
  let text = `Остаток ежегодного отпуска: ${b.balance_ru} ${daysWord(b.balance_ru)}` +
    (b.balance_after_ru ? `, после запланированных отпусков — ${b.balance_after_ru} ${daysWord(b.balance_after_ru)}` : "") + ".";
  box.classList.remove("warn");
  const fromIso = isoDate(form.date_from.value), toIso = isoDate(form.date_to.value);
  const from = Date.parse(fromIso), to = Date.parse(toIso);
  const seq = ++vacationBalanceSeq;
  if (form.kind.value === "annual" && from && to && to >= from) {
    // the days as the balance spends them (holidays inside do not count):
    // the server's rule and the employee's calendar, not the calendar days
    const p = await api(`/api/vacation/balance?date_from=${fromIso}&date_to=${toIso}`);
    if (seq !== vacationBalanceSeq) return; // the dates changed meanwhile
    const q = p.status === 200 ? p.data : {};
    const days = q.requested_days !== undefined ? q.requested_days : Math.round((to - from) / 86400000) + 1;
    // always (F4); a warning when more than the balance
    text += " " + requestedText(days, q.requested_calendar_days, q.requested_holidays);
    if (days > Number(left)) {
      text = text.slice(0, -1) + ` — больше остатка (${leftRu} ${daysWord(leftRu)}). ` +
        "Заявление можно подать: отпуск авансом предоставляется по соглашению с работодателем.";
      box.classList.add("warn");
    }
  }
  box.textContent = text;
}

function setupForm() {
  const form = $("request-form");
  // a 2-НДФЛ certificate: the years of the employment up to this one (the
  // server's rule), in the organization's today
  const year = Number((ME.tenant.today || new Date().toISOString()).slice(0, 4));
  for (const y of employmentYears(ME, year)) $("f-year").appendChild(el("option", { value: String(y), text: String(y) }));
  const want = new URLSearchParams(location.search).get("type");
  if (want && form.type.querySelector(`option[value="${want}"]`)) form.type.value = want;
  form.type.addEventListener("change", () => { showType(form); showVacationBalance(form); });
  for (const f of [form.date_from, form.date_to, form.kind]) {
    for (const e of ["input", "change"]) f.addEventListener(e, () => showVacationBalance(form));
  }
  $("add-child").addEventListener("click", addChild);
  showType(form);
  showVacationBalance(form);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    sendForm(form, false);
  });
  $("save-draft").addEventListener("click", () => sendForm(form, true));
  $("new").hidden = false;
}

// ------------------------------------------------------------ one request

function fact(dl, title, value) {
  if (value === undefined || value === null || value === "") return;
  dl.append(el("dt", { text: title }), el("dd", {}, value));
}

function describe(dl, q) {
  const d = q.data || {};
  fact(dl, "Создана", q.created_at_ru);
  if (q.date_from_ru) {
    const cal = Math.round((Date.parse(q.date_to) - Date.parse(q.date_from)) / 86400000) + 1;
    const days = q.vacation_days !== undefined
      ? vacationDaysText(q.vacation_days, cal, q.vacation_holidays) : `${cal} ${daysWord(String(cal))}`;
    fact(dl, "Период", periodWithDays(q.date_from, q.date_to, days));
  }
  fact(dl, "Вид отпуска", KIND_TITLE[d.kind]);
  fact(dl, "Причина", REASON_TITLE[d.reason]);
  fact(dl, "Куда", d.destination);
  fact(dl, q.type === "certificate_employment" ? "Куда представляется" : "Цель", d.purpose);
  fact(dl, "Экземпляров", d.copies);
  fact(dl, "Год", d.year);
  if (q.type === "certificate_vacation_balance") fact(dl, "На дату", d.date ? dateRu(d.date) : "на дату выдачи");
  fact(dl, "Вопрос", d.text);
  for (const [k, v] of Object.entries(d.changes || {})) {
    if (k === "passport") {
      fact(dl, "Паспорт", Object.entries(v).map(([pk, pv]) =>
        `${PASSPORT_TITLE[pk] || pk}: ${pk === "issued_on" ? dateRu(pv) : pv}`).join("; "));
    } else {
      fact(dl, CHANGE_TITLE[k] || k, k === "phone" ? phoneRu(v) : v);
    }
  }
  for (const [i, c] of (d.children || []).entries()) {
    fact(dl, `Ребёнок ${i + 1}`, [`${c.order}-й по очерёдности`, c.from ? `с ${dateRu(c.from)}` : "",
      c.to ? `по ${dateRu(c.to)}` : "", c.disabled ? "инвалид" : "", c.sole_parent ? "единственный родитель" : ""]
      .filter(Boolean).join(", "));
  }
  fact(dl, "Комментарий", d.comment);
  if (q.reason) fact(dl, q.state === "rejected" ? "Причина отказа" : "Причина", q.reason);
  const open = (q.tasks || []).find((t) => t.state === "open");
  if (open) {
    fact(dl, "Сейчас у", `${open.assignee.full_name} (${STEP_TITLE[open.step] || open.step}` +
      (open.due_ru ? `, срок ${open.due_ru})` : ")"));
  }
}

function sizeText(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1).replace(".", ",")} МБ` : `${Math.max(1, Math.round(n / 1024))} КБ`;
}

async function showDetail(id) {
  const r = await api(`/api/requests/${encodeURIComponent(id)}`);
  if (r.status !== 200) {
    showMessage(r.status === 404 ? "Заявка не найдена" : errorText(r, "Не удалось загрузить заявку"));
    return;
  }
  const q = r.data.request;
  document.title = `Заявка № ${q.number} — Кабинет сотрудника`;
  $("detail-title").textContent = `Заявка № ${q.number}: ${q.type_title}`;
  $("detail-state").replaceChildren("Состояние: ", tag(q.state_title, STATE_TONE[q.state]));
  // a question's answer (the comment it was completed with), above the facts
  $("detail-answer").hidden = !q.answer;
  if (q.answer) {
    $("detail-answer-text").textContent = q.answer.text;
    $("detail-answer-who").textContent = (q.answer.who ? q.answer.who + ", " : "") + q.answer.at_ru;
  }
  const dl = $("detail-facts");
  dl.replaceChildren();
  describe(dl, q);
  $("detail-files").replaceChildren(...q.files.map((f) => el("li", {},
    el("a", { href: f.url, download: f.name, text: f.name }),
    el("span", { className: "hint", text: ` ${sizeText(f.size)}, ${f.uploaded_by || "сервис"}, ${f.uploaded_at_ru}` }))));
  $("detail-files-block").hidden = q.files.length === 0;
  // the application to print and sign, or the certificate made (GET /api/requests/{id}/document)
  const doc = $("detail-document-link");
  doc.href = q.document_url || "#";
  doc.textContent = q.type.startsWith("certificate_") ? "Справка (PDF)" : "Заявление для печати и подписи (PDF)";
  $("detail-document").hidden = !q.document_url;
  $("detail-history").replaceChildren(...q.history.map((h) => el("li", {},
    el("span", { className: "when", text: `${h.at_ru} · ${h.who}` }),
    h.action_title + (h.details && h.details.assignee ? ` → ${h.details.assignee}` : ""),
    h.comment ? el("div", { className: "hint", text: `«${h.comment}»` }) : "")));
  const mine = q.employee && q.employee.id === ME.user.employee_id;
  $("detail-submit").hidden = !(mine && q.state === "draft");
  $("detail-cancel").hidden = !(mine && CAN_CANCEL.includes(q.state));
  $("attach-form").hidden = !(mine && !CLOSED.includes(q.state));
  $("detail").hidden = false;
}

function setupDetail(id) {
  const note = flash.take();
  if (note) {
    const box = note.kind === "done" ? $("detail-done") : $("detail-error");
    box.textContent = note.text;
    box.hidden = false;
  }
  const act = async (path, done) => {
    $("detail-done").hidden = true;
    $("detail-error").hidden = true;
    const r = await api(path, { method: "POST" });
    if (r.status === 200) {
      $("detail-done").textContent = done(r.data.request);
      $("detail-done").hidden = false;
    } else {
      $("detail-error").textContent = errorText(r, "Не получилось, повторите");
      $("detail-error").hidden = false;
    }
    await showDetail(id);
  };
  $("detail-submit").addEventListener("click", () =>
    act(`/api/requests/${id}/submit`, (q) => `Заявка: ${q.state_title.toLowerCase()}.`));
  $("detail-cancel").addEventListener("click", () => {
    if (!window.confirm("Отозвать заявку? Её нельзя будет вернуть — только подать новую.")) return;
    act(`/api/requests/${id}/cancel`, () => "Заявка отозвана.");
  });
  const form = $("attach-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const files = [...$("attach-file").files];
    if (!files.length) {
      showFieldErrors(form, { status: 422, data: { error: { fields: { file: "Выберите файл" } } } });
      return;
    }
    const bad = await uploadFiles(id, files);
    if (bad) {
      showFieldErrors(form, { status: 422, data: { error: { fields: { file: bad } } } });
      return;
    }
    form.reset();
    $("detail-done").textContent = files.length > 1 ? "Файлы приложены." : "Файл приложен.";
    $("detail-done").hidden = false;
    await showDetail(id);
  });
  return showDetail(id);
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  ME = me;
  const id = new URLSearchParams(location.search).get("id");
  if (id) {
    $("title").textContent = "Заявка";
    await setupDetail(id);
    return;
  }
  $("filter-state").addEventListener("change", () => showList(false));
  $("list-more-button").addEventListener("click", () => showList(true));
  $("list").hidden = false;
  setupForm();
  await showList(false);
  if (location.hash === "#new") $("new").scrollIntoView();
}));
