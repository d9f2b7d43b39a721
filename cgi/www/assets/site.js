// The tenant's start page: who is signed in, or how to sign in; for an
// employee, the dashboard (open tasks, the last requests, the vacation
// balance, the last payslip in short), the timesheet of a month by days and
// the payslips of closed months (printable); a password change. The header,
// the menu and sign-out are lib.js's.
"use strict";

async function showVacation() {
  const r = await api("/api/vacation/balance");
  if (r.status !== 200) return;
  const v = r.data;
  if (v.balance_ru === null) { // not known: no hire date on the card
    $("vacation-balance").parentElement.hidden = true;
    $("vacation-detail").textContent = v.reason;
  } else {
    $("vacation-balance").textContent = `${v.balance_ru} ${daysWord(v.balance_ru)}`;
    $("vacation-detail").textContent =
      `Остаток ежегодного отпуска на ${dateRu(v.date)}; использовано ${v.used_days} ${daysWord(String(v.used_days))}.`;
    // no opening balance yet: the number is not a fact (the vacations
    // before the service knew the organization are missing from it)
    const unsure = $("vacation-unsure");
    unsure.hidden = !v.opening_missing;
    if (v.opening_missing) unsure.textContent = v.opening_missing.text_ru;
    // after the vacations already scheduled (approved or in the timesheet)
    const after = $("vacation-after");
    after.hidden = !v.balance_after_ru;
    if (v.balance_after_ru) {
      const many = v.scheduled.length > 1;
      after.textContent = `После ${many ? "запланированных отпусков" : "запланированного отпуска"} ` +
        `${v.scheduled.map((s) => s.period_ru).join(", ")}: ${v.balance_after_ru} ${daysWord(v.balance_after_ru)}.`;
    }
  }
  $("vacation").hidden = false;
}

const KIND_TITLE = { holiday: "праздник", day_off: "перенесённый выходной", paid_off: "нерабочий день", weekend: "выходной" };

async function showTimesheet(month) {
  const r = await api("/api/timesheet/" + encodeURIComponent(month));
  if (month !== $("timesheet-month").value) return; // another month was picked meanwhile
  const box = $("timesheet-days");
  box.replaceChildren();
  box.dataset.month = month;
  if (r.status !== 200) {
    $("timesheet-source").textContent = (r.data.error && r.data.error.message) || "Табель недоступен";
    $("timesheet-no-schedule").hidden = true;
    $("timesheet-total").textContent = "";
    $("timesheet-absences").textContent = "";
    return;
  }
  const e = r.data.employee;
  // no schedule assigned (yet): the grid is empty for that reason, say so
  $("timesheet-source").textContent = e.source === "timesheet"
    ? "По табелю учёта рабочего времени."
    : "По графику работы с учётом отпусков, больничных и других отклонений.";
  const none = $("timesheet-no-schedule");
  none.textContent = e.no_schedule === "all"
    ? "Вам ещё не назначен график работы, поэтому табель пуст. График назначает отдел кадров: если вы уже работаете, сообщите им."
    : e.no_schedule === "from"
      ? `С ${e.no_schedule_from} вам не назначен график работы: эти дни в табеле пусты. Сообщите в отдел кадров.`
      : "";
  none.hidden = !none.textContent;
  const [y, m] = r.data.month.split("-").map(Number);
  for (const d of e.days) {
    const cellBox = document.createElement("div");
    const weekday = new Date(Date.UTC(y, m - 1, d.day)).getUTCDay();
    const kind = d.kind || (weekday === 0 || weekday === 6 ? "weekend" : "work");
    cellBox.className = "day " + kind;
    if (kind === "weekend" || weekday === 0 || weekday === 6) cellBox.classList.add("weekend");
    if (d.day === 1) cellBox.classList.add("start-" + (((weekday + 6) % 7) + 1)); // weeks from Monday
    cellBox.dataset.day = d.day;
    cellBox.setAttribute("role", "listitem");
    const what = [`${d.day} ${MONTHS_GEN[m - 1]}`];
    if (d.title) what.push(d.title);
    else if (KIND_TITLE[kind]) what.push(KIND_TITLE[kind]);
    if (d.codes) what.push((d.planned ? "по плану " : "") + d.codes + (d.hours ? " " + d.hours + " ч" : ""));
    // a day not yet come: the plan, not worked time
    if (d.planned) cellBox.classList.add("planned");
    cellBox.setAttribute("aria-label", what.join(", "));
    if (d.title) cellBox.title = d.title;
    for (const [cls, text] of [["n", String(d.day)], ["c", d.codes], ["h", d.hours]]) {
      const s = document.createElement("span");
      s.className = cls;
      s.textContent = text;
      s.setAttribute("aria-hidden", "true");
      cellBox.appendChild(s);
    }
    box.appendChild(cellBox);
  }
  const t = e.total;
  const worked = (x) => `${x.days} ${daysWord(String(x.days))}, ${x.hours_ru} ч`;
  // a month that has not ended: worked so far (the organization's today)
  // and the month's plan apart; the days not yet come are marked as plan
  $("timesheet-total").textContent = !e.plan
    ? `Отработано за месяц: ${worked(t)}.`
    : (e.worked_through ? `Отработано по ${e.worked_through}: ${worked(t)}.`
      : e.started ? "Отработанных дней пока нет: месяц начался сегодня." : "Месяц ещё не начался.") +
      ` По плану за месяц: ${worked(e.plan)}.`;
  $("timesheet-absences").textContent = e.absences.length
    ? (e.plan ? "Неявки за месяц, с запланированными: " : "Неявки: ") + e.absences.map((a) => `${a.code} — ${a.days} ${daysWord(String(a.days))}`).join("; ")
    : "";
}

const MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
  "сентября", "октября", "ноября", "декабря"];

const MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
  "сентябрь", "октябрь", "ноябрь", "декабрь"];

// The month is picked by two selects in Russian (a native month field
// speaks the browser's language: «December 2026» on an English phone);
// #timesheet-month keeps the "YYYY-MM" shown.
async function setupTimesheet(me) {
  const today = me.tenant.today;
  const input = $("timesheet-month"), name = $("timesheet-month-name"), year = $("timesheet-year");
  // the organization's today (its time zone), not the browser's
  input.value = today ? today.slice(0, 7) : new Date().toISOString().slice(0, 7);
  const [y, m] = input.value.split("-").map(Number);
  name.replaceChildren(...MONTHS_NOM.map((t, i) => el("option", { value: String(i + 1).padStart(2, "0"), text: t })));
  // from the hire year (not years before it) to the next one
  year.replaceChildren(...employmentYears(me, y + 1).map((k) => el("option", { value: String(k), text: String(k) })));
  name.value = String(m).padStart(2, "0");
  year.value = String(y);
  const pick = () => {
    input.value = `${year.value}-${name.value}`;
    showTimesheet(input.value);
  };
  name.addEventListener("change", pick);
  year.addEventListener("change", pick);
  $("timesheet").hidden = false;
  await showTimesheet(input.value);
}

async function showPayslip(month) {
  const r = await api("/api/payslips/" + encodeURIComponent(month));
  if (r.status !== 200) {
    showMessage((r.data.error && r.data.error.message) || "Не удалось загрузить расчётный листок");
    return;
  }
  const p = r.data;
  const acc = $("payslip-accruals"), ded = $("payslip-deductions");
  acc.replaceChildren();
  ded.replaceChildren();
  for (const l of p.accruals) {
    const tr = document.createElement("tr");
    cell(tr, l.title);
    const period = document.createElement("div");
    period.className = "period";
    period.textContent = l.period_ru || "";
    tr.firstChild.appendChild(period);
    const hoursRu = (v, ru) => ru !== undefined ? ru : String(v).replace(".", ",");
    let worked = l.salary
      ? (p.pay_by === "hours"
        ? `${hoursRu(l.worked_hours, l.worked_hours_ru)} из ${hoursRu(l.norm_hours, l.norm_hours_ru)} ч`
        : `${l.worked_days} из ${l.norm_days} дн.`)
      : (l.hours !== undefined ? `${hoursRu(l.hours, l.hours_ru)} ч` : "");
    // vacation and sick pay: days at the average daily earnings
    if (l.days !== undefined && l.average_daily_ru) {
      worked = l.kind === "sick_pay"
        ? `${l.days} дн. × ${l.daily_ru} (${l.daily_rule_ru || `${l.percent} % от ${l.average_daily_ru}`})`
        : `${l.unused_days_ru || l.days} дн. × ${l.average_daily_ru}`;
    }
    // on a phone the column gives its room to the title: the same text under it
    if (worked) {
      const inline = document.createElement("div");
      inline.className = "period worked-inline";
      inline.textContent = worked;
      tr.firstChild.appendChild(inline);
    }
    cell(tr, worked, "num wrap col-worked");
    cell(tr, l.amount_ru, "num");
    for (const note of [l.fund_note, l.insurance_ru, l.note]) {
      if (!note) continue;
      const n = document.createElement("div");
      n.className = "period";
      n.textContent = note;
      tr.firstChild.appendChild(n);
    }
    acc.appendChild(tr);
  }
  for (const d of p.deductions) {
    const tr = document.createElement("tr");
    cell(tr, d.title);
    tr.firstChild.colSpan = 2;
    if (d.note) {
      const n = document.createElement("div");
      n.className = "period";
      n.textContent = d.note;
      tr.firstChild.appendChild(n);
    }
    cell(tr, d.amount_ru, "num");
    ded.appendChild(tr);
  }
  $("payslip-heading").textContent = `${p.employee ? p.employee.full_name + ". " : ""}Расчётный листок за ${p.month_title}`;
  $("payslip-accrued").textContent = p.accrued_ru;
  $("payslip-deducted").textContent = p.deducted_ru;
  $("payslip-net").textContent = p.net_ru;
  $("payslip-paid").textContent = p.paid_ru;
  const pays = $("payslip-payments");
  pays.replaceChildren();
  for (const x of p.payments || []) {
    const tr = document.createElement("tr");
    cell(tr, `${x.title}, ${x.date_ru}`);
    cell(tr, x.ndfl_ru !== "0,00 ₽" && x.ndfl_ru !== "0,00\u00a0₽" ? `НДФЛ ${x.ndfl_ru}` : "", "num wrap");
    cell(tr, x.net_ru, "num");
    pays.appendChild(tr);
  }
  $("payslip-payments-block").hidden = !(p.payments && p.payments.length);
  $("payslip-balance").textContent = p.balance_ru;
  // an overpayment of earlier months, carried as a debt (payslips.c)
  $("payslip-carried").textContent = p.carried_ru ? `−${p.carried_ru}` : "";
  $("payslip-carried-row").hidden = !p.carried_ru;
  $("payslip-overpaid").textContent = p.overpaid_message || "";
  $("payslip-overpaid").hidden = !p.overpaid_message;
  $("payslip").hidden = false;
}

async function showPayslips() {
  const r = await api("/api/payslips");
  if (r.status !== 200) return;
  $("payslips").hidden = false;
  const list = r.data.payslips || [];
  // a closed month without a payslip for them: the truth (payslips.list)
  const missing = r.data.not_calculated_ru || "";
  $("payslips-missing").textContent = missing;
  $("payslips-missing").hidden = !missing;
  if (list.length === 0) {
    $("payslips-none").hidden = !!missing;
    return;
  }
  const select = $("payslip-month");
  for (const p of list) {
    const o = document.createElement("option");
    o.value = p.month;
    // the month alone: with its amount the option was cut at the edge of a
    // phone (the amount is on the payslip below)
    o.textContent = p.month_title;
    select.appendChild(o);
  }
  select.addEventListener("change", () => showPayslip(select.value));
  showLastPayslip(list[0]);
  $("payslip-month-label").hidden = false;
  await showPayslip(list[0].month);
}

function setupPassword(me) {
  const f = $("password-form");
  $("password-username").value = me.user.email || me.user.phone || "";
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("password-done").hidden = true;
    $("password-error").hidden = true;
    const r = await api("/api/auth/password", {
      method: "POST",
      body: { old_password: f.old_password.value, new_password: f.new_password.value },
    });
    const fields = (r.data.error && r.data.error.fields) || {};
    for (const p of f.querySelectorAll(".field-error")) {
      p.textContent = fields[p.dataset.for] || "";
      const input = f.elements[p.dataset.for];
      if (fields[p.dataset.for]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    if (r.status === 200) {
      f.reset();
      $("password-done").hidden = false;
    } else if (Object.keys(fields).length === 0) {
      $("password-error").textContent = (r.data.error && r.data.error.message) || "Не удалось сменить пароль";
      $("password-error").hidden = false;
    } else {
      f.querySelector('[aria-invalid="true"]').focus();
    }
  });
  $("password").hidden = false;
}

// The dashboard: open tasks (GET /api/tasks), the last requests.
async function showTasksCard() {
  const r = await api("/api/tasks?state=open&limit=5");
  if (r.status !== 200) return;
  const box = $("tasks-list");
  box.replaceChildren(...r.data.items.map((t) => el("li", {},
    el("a", { href: `/tasks.html#task-${t.id}`,
      text: t.step === "hr_task" ? `Задание: ${t.title}` : `${t.type_title}: ${t.employee.full_name}` }),
    t.overdue ? " " : "", t.overdue ? tag("срок истёк", "bad") : "")));
  $("tasks-count").textContent = r.data.total
    ? `Открытых задач: ${r.data.total}` : "Открытых задач нет.";
  $("tasks-card").hidden = false;
}

async function showRequestsCard() {
  const r = await api("/api/requests?limit=3");
  if (r.status !== 200) return;
  const box = $("requests-list");
  box.replaceChildren(...r.data.items.map((q) => el("li", {},
    el("a", { href: `/requests.html?id=${q.id}`, text: `№ ${q.number} ${q.type_title}` }), " ",
    tag(q.state_title, STATE_TONE[q.state]))));
  $("requests-none").hidden = r.data.items.length > 0;
  $("requests-card").hidden = false;
}

// The last payslip in short, above the full one.
function showLastPayslip(p) {
  $("last-payslip-text").textContent =
    `${capital(p.month_title)}: начислено ${p.accrued_ru}, к выплате ${p.net_ru}.`;
  $("last-payslip").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  $("title").textContent = me.tenant.name;
  $("user-name").textContent = me.user.full_name;
  $("admin-link").hidden = !me.roles.includes("admin");
  $("user").hidden = false;
  setupPassword(me);
  if (me.user.employee_id) {
    await Promise.all([showTasksCard(), showRequestsCard(), showVacation(), showPayslips(),
      setupTimesheet(me)]);
  }
}));
