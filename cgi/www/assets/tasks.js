// tasks.js - the tasks a person holds (tasks.html): a manager's approvals
// and a performer's requests. An open task can be approved (an approval),
// taken and completed with a comment and files (an execution), rejected
// with a reason, or forwarded to a person chosen by name.
//   GET  /api/tasks?state=open|done|forwarded|rejected|all&limit=&offset=
//   POST /api/tasks/{id}/approve {"comment"}   /reject {"reason"}
//   POST /api/tasks/{id}/forward {"to_name", "comment"}   /take   /complete {"comment"}
//   POST /api/requests/{request_id}/files (the result's files, before completing)
// A manager gives HR tasks to their staff, HR (a performer, an
// administrator) to anyone (below). A manager or performer also names
// substitutes for the days away:
//   GET /api/substitutes   POST /api/substitutes {"substitute", "date_from", "date_to"}
//   DELETE /api/substitutes/{id}
"use strict";

const PAGE = 50;
let ME = null; // /api/me
let offset = 0;

const STEP_TITLE = { approval: "Согласование", execution: "Исполнение", hr_task: "Задание" };
const DONE_TEXT = { approve: "согласована", reject: "отклонена", forward: "передана", take: "взята в работу",
  complete: "выполнена" };

function button(action, text, cls) {
  return el("button", { type: "submit", className: cls, "data-action": action, text });
}

// An HR task (step hr_task, no request: core/hrtasks.h): the employee's
// own, answered and completed with a comment and files.
function hrTaskForm(t) {
  const p = `t${t.id}`;
  const form = el("form", { id: `${p}-form`, novalidate: true, "aria-label": `Задание № ${t.id}` },
    el("label", { for: `${p}-comment`, text: "Ответ" }),
    el("textarea", { id: `${p}-comment`, name: "comment", "aria-describedby": `e-${p}-comment` }),
    el("p", { className: "field-error", id: `e-${p}-comment`, "data-for": "comment" }),
    el("label", { for: `${p}-file`, text: `Файлы к ответу ${attachmentsNote(ME)}` }),
    el("input", { type: "file", id: `${p}-file`, name: "file", multiple: true, accept: ME.attachments && ME.attachments.accept, "aria-describedby": `e-${p}-file` }),
    el("p", { className: "field-error", id: `e-${p}-file`, "data-for": "file" }),
    el("p", { className: "alert", role: "alert", hidden: true }),
    el("div", { className: "actions" }, button("complete", "Выполнить")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    act(t, form, "complete");
  });
  return form;
}

// A <details> that loads HR task t once, when first opened, and hands the
// task to fill(box, task).
function hrTaskLoader(summary, t, fill) {
  const box = el("details", {}, el("summary", { text: summary }));
  box.addEventListener("toggle", async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = "1";
    const r = await api(`/api/hr-tasks/${t.id}`);
    if (r.status !== 200) {
      box.appendChild(el("p", { className: "alert", text: errorText(r, "Не удалось загрузить задание") }));
      return;
    }
    fill(box, r.data.task);
  });
  return box;
}

// The HR task's description and documents, asked for when opened.
function hrTaskDetails(t) {
  return hrTaskLoader("Описание и документы", t, (box, x) => {
    box.append(el("p", { text: x.description || "Без описания." }),
      el("ul", { className: "plain" }, ...x.files.map((f) => el("li", {},
        el("a", { href: f.url, download: f.name, text: f.name }),
        el("span", { className: "hint", text: ` ${f.uploaded_by || ""}` })))));
  });
}

function taskForm(t) {
  if (t.step === "hr_task") return hrTaskForm(t);
  const p = `t${t.id}`;
  const exec = t.step === "execution";
  const form = el("form", { id: `${p}-form`, novalidate: true, "aria-label": `Задача № ${t.id}` },
    el("label", { for: `${p}-comment`, text: exec ? "Комментарий к результату или причина отказа"
      : "Комментарий или причина отказа" }),
    el("textarea", { id: `${p}-comment`, name: "comment", "aria-describedby": `e-${p}-comment` }),
    el("p", { className: "field-error", id: `e-${p}-comment`, "data-for": "comment", "data-also": "reason" }),
    exec ? [
      el("label", { for: `${p}-file`, text: `Файлы к результату ${attachmentsNote(ME)}` }),
      el("input", { type: "file", id: `${p}-file`, name: "file", multiple: true, accept: ME.attachments && ME.attachments.accept, "aria-describedby": `e-${p}-file` }),
      el("p", { className: "field-error", id: `e-${p}-file`, "data-for": "file" }),
    ] : [],
    el("label", { for: `${p}-to`, text: "Передать сотруднику: ФИО или табельный номер" }),
    el("input", { id: `${p}-to`, name: "to_name", autocomplete: "off", "aria-describedby": `e-${p}-to` }),
    el("p", { className: "field-error", id: `e-${p}-to`, "data-for": "to_name", "data-also": "to" }),
    el("p", { className: "alert", role: "alert", hidden: true }),
    el("div", { className: "actions" },
      t.step === "approval" ? button("approve", "Согласовать") : "",
      exec && ["submitted", "approved"].includes(t.request_state) ? button("take", "Взять в работу", "secondary") : "",
      exec ? button("complete", "Выполнить") : "",
      button("reject", "Отклонить", "danger"),
      button("forward", "Передать", "secondary")));
  // the applicant is not offered their own request (F12)
  setupPeoplePicker(form.querySelector(`#${p}-to`), ME, { canAct: true, exclude: t.employee && t.employee.id });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const focused = document.activeElement && document.activeElement.name === "to_name";
    const action = focused ? "forward" : (ev.submitter && ev.submitter.dataset.action);
    if (action) act(t, form, action);
  });
  return form;
}

async function act(t, form, action) {
  clearFieldErrors(form);
  const comment = form.comment.value.trim();
  let body = { comment };
  if (action === "reject") {
    body = { reason: comment };
    if (comment && !window.confirm("Отклонить заявку? Сотрудник увидит причину отказа.")) return;
  } else if (action === "forward") {
    body = { to_name: form.to_name.value.trim(), comment };
  }
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    if (action === "complete") {
      const upload = t.step === "hr_task" ? `/api/hr-tasks/${t.id}/files` : `/api/requests/${t.request_id}/files`;
      for (const file of form.querySelector("input[type=file]").files) {
        const fd = new FormData();
        fd.append("file", file, file.name);
        const u = await api(upload, { method: "POST", form: fd });
        if (u.status !== 201) {
          const fields = (u.data.error && u.data.error.fields) || {};
          showFieldErrors(form, { status: u.status, data: { error: { fields: {
            file: `Файл «${file.name}» не принят: ${Object.values(fields)[0] || errorText(u, "ошибка загрузки")}` } } } });
          return;
        }
      }
    }
    const r = await api(`/api/tasks/${t.id}/${action}`, { method: "POST", body });
    if (r.status !== 200) {
      showFieldErrors(form, r);
      return;
    }
    await showTasks(false);
    const done = $("tasks-done");
    done.textContent = t.step === "hr_task" ? `Задание «${t.title}» выполнено.`
      : `Заявка № ${t.request_number} (${t.type_title}, ${t.employee.full_name}): ${DONE_TEXT[action]}.`;
    done.hidden = false;
    done.focus();
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function hrTaskItem(t) {
  return el("article", { className: "task", id: `task-${t.id}`, "aria-labelledby": `task-${t.id}-title` },
    el("h3", { id: `task-${t.id}-title`, text: `Задание: ${t.title}` }),
    el("p", {}, tag(STEP_TITLE.hr_task), " ", tag(t.state_title, STATE_TONE[t.state]),
      t.overdue && t.state === "open" ? [" ", tag("срок истёк", "bad")] : ""),
    el("p", { text: [t.given_by ? `От кого: ${t.given_by.full_name}` : "", t.created_at_ru ? `поступило ${t.created_at_ru}` : "",
      t.due_ru ? `срок ${t.due_ru}` : ""].filter(Boolean).join(" · ") }),
    hrTaskDetails(t),
    t.state === "open" ? taskForm(t) : "");
}

// An annual vacation's task: the employee's balance (GET
// /api/tasks/{id}/vacation-balance) and a warning when the days asked
// exceed it (vacation in advance is by agreement, not refused).
function vacationBalance(t) {
  if (t.type !== "vacation" || t.state !== "open") return "";
  const box = el("p", { className: "hint", id: `task-${t.id}-balance`, "aria-live": "polite" });
  api(`/api/tasks/${t.id}/vacation-balance`).then((r) => {
    const b = r.data || {};
    if (b.kind && b.kind !== "annual") return; // the balance is of the annual vacation
    if (r.status !== 200 || !b.balance_ru) {
      box.textContent = b.reason || "";
      return;
    }
    const left = b.balance_after !== null && b.balance_after !== undefined ? b.balance_after : b.balance;
    let text = `Остаток ежегодного отпуска сотрудника: ${b.balance_ru} ${daysWord(b.balance_ru)}` +
      (b.balance_after_ru ? `, после запланированных отпусков — ${b.balance_after_ru} ${daysWord(b.balance_after_ru)}` : "") + ".";
    // the days as the balance spends them (holidays inside do not count)
    const days = b.requested_days !== undefined ? b.requested_days
      : t.date_from && t.date_to ? Math.round((Date.parse(t.date_to) - Date.parse(t.date_from)) / 86400000) + 1 : 0;
    // always (F4); a warning when more than the balance
    if (days) text += " " + requestedText(days, b.requested_calendar_days, b.requested_holidays);
    if (days > Number(left)) {
      text = text.slice(0, -1) + ` — больше остатка (${b.balance_after_ru || b.balance_ru} ${daysWord(String(b.balance_after_ru || b.balance_ru))}): ` +
        "отпуск авансом — только по соглашению с работодателем.";
      box.className = "hint warn";
    }
    // no opening balance yet: say the number may be too high
    if (b.opening_missing) text += " " + b.opening_missing.text_ru;
    box.textContent = text;
  });
  return box;
}

function taskItem(t) {
  if (t.step === "hr_task") return hrTaskItem(t);
  const when = period(t.date_from, t.date_to);
  return el("article", { className: "task", id: `task-${t.id}`, "aria-labelledby": `task-${t.id}-title` },
    el("h3", { id: `task-${t.id}-title`, text: `${t.type_title}: ${t.employee.full_name}` }),
    el("p", {}, tag(STEP_TITLE[t.step] || t.step), " ", tag(t.state_title, STATE_TONE[t.state]), " ",
      t.state === "open" ? tag(t.request_state_title, STATE_TONE[t.request_state]) : "",
      t.overdue && t.state === "open" ? [" ", tag("срок истёк", "bad")] : ""),
    el("p", {}, `Заявка № ${t.request_number}` + (when ? `, ${when}` : "") + ` · поступила ${t.created_at_ru}` +
      (t.due_ru ? ` · срок ${t.due_ru}` : "") + (t.on_behalf_of ? ` · вместо: ${t.on_behalf_of.full_name}` : "") + " · ",
      el("a", { href: `/requests.html?id=${t.request_id}`, text: "открыть заявку" })),
    vacationBalance(t),
    // who has a forwarded task now, who passed this one, and why
    t.forwarded_to ? el("p", { className: "hint", text: `Передана: ${t.forwarded_to.full_name}` +
      (t.comment ? ` · «${t.comment}»` : "") }) : "",
    t.forwarded_from ? el("p", { className: "hint", text: `Кто передал: ${t.forwarded_from.full_name}` +
      (t.forward_comment ? ` · «${t.forward_comment}»` : "") }) : "",
    t.state === "open" ? taskForm(t) : "");
}

async function showTasks(more) {
  if (!more) offset = 0;
  const state = $("filter").value;
  const r = await api(`/api/tasks?state=${encodeURIComponent(state)}&limit=${PAGE}&offset=${offset}`);
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить задачи"));
    return;
  }
  const box = $("tasks-box");
  if (!more) box.replaceChildren();
  for (const t of r.data.items) box.appendChild(taskItem(t));
  offset += r.data.items.length;
  // requests can come to someone who is neither a manager nor a named
  // performer (the administrator by default, a forward, a substitute): the
  // intro then says what the list holds
  if (!ME.roles.includes("manager") && !ME.roles.includes("performer") &&
      r.data.items.some((t) => t.step !== "hr_task")) {
    $("tasks-intro").textContent = "Заявки сотрудников, которые поручены вам, и задания, которые дали вам.";
  }
  $("tasks-none").hidden = r.data.total > 0;
  $("tasks-more").hidden = offset >= r.data.total;
}

// ------------------------------------------------------------ HR tasks given
// A manager gives tasks to the people in their charge, HR (a performer, an
// administrator) to anyone (core/hrtasks.h):
//   POST /api/hr-tasks {"employee_id", "title", "description", "due"}
//   POST /api/hr-tasks/{id}/files   POST /api/hr-tasks/{id}/cancel
//   GET  /api/hr-tasks?state=open|done|cancelled|all&limit=&offset= (newest first)
//   GET  /api/hr-tasks/{id}: the text, deadline, answer, files (a link for the
//        giver and the employee only), from which the history is drawn
let givenOffset = 0;

// The task's story, oldest first: given, each file, done or cancelled.
function givenHistory(x) {
  const rows = [[x.created_at_ru, `Поставлено: ${x.given_by.full_name}` + (x.due_ru ? `, срок ${x.due_ru}` : "")]];
  for (const f of x.files) {
    rows.push([f.uploaded_at_ru, `Приложен файл «${f.name}»: ${f.uploaded_by || (f.from === "giver" ? "тот, кто поставил" : "сотрудник")}`]);
  }
  if (x.closed_at_ru) {
    rows.push([x.closed_at_ru, (x.state === "done" ? "Выполнено" : "Отменено") + (x.answer ? `: ${x.answer}` : "")]);
  }
  rows.sort((p, q) => sortableRu(p[0]).localeCompare(sortableRu(q[0])));
  return el("ol", { className: "plain history" }, ...rows.map(([at, text]) =>
    el("li", {}, el("span", { className: "when", text: at || "" }), text)));
}

// "22.11.2026 10:05" -> "2026-11-22 10:05" (to order the history)
function sortableRu(t) {
  const m = String(t || "").match(/^(\d\d)\.(\d\d)\.(\d{4})(.*)$/);
  return m ? `${m[3]}-${m[2]}-${m[1]}${m[4]}` : String(t || "");
}

// One given task: title, person, state, deadline; opened, the whole of it.
function givenItem(t) {
  const box = hrTaskLoader("Текст, ответ, файлы и история", t, (box, x) => {
    const mine = x.files.filter((f) => f.from === "giver"), theirs = x.files.filter((f) => f.from !== "giver");
    const files = (list, none) => list.length ? el("ul", { className: "plain" }, ...list.map((f) => el("li", {},
      f.url ? el("a", { href: f.url, download: f.name, text: f.name }) : f.name,
      el("span", { className: "hint", text: ` ${f.uploaded_at_ru || ""}` })))) : el("p", { className: "hint", text: none });
    box.append(
      el("h4", { text: "Задание" }),
      el("p", { className: "prewrap", text: x.description || "Без описания." }),
      el("p", { text: x.due_ru ? `Срок: ${x.due_ru}` : "Срок не указан" }),
      files(mine, "Документов к заданию нет."),
      el("h4", { text: "Ответ сотрудника" }),
      el("p", { className: "prewrap", text: x.state === "done" ? (x.answer || "Без комментария.")
        : x.state === "cancelled" ? "Задание отменено" + (x.answer ? `: ${x.answer}` : ".") : "Ещё не выполнено." }),
      files(theirs, x.state === "open" ? "Файлов пока нет." : "Файлов нет."),
      el("h4", { text: "История" }),
      givenHistory(x));
  });
  const item = el("article", { className: "task", id: `given-${t.id}`, "aria-labelledby": `given-${t.id}-title` },
    el("h3", { id: `given-${t.id}-title`, text: `${t.title} — ${t.employee.full_name}` }),
    el("p", {}, tag(t.state_title, t.state === "done" ? "ok" : t.state === "open" ? "warn" : ""),
      t.overdue ? [" ", tag("срок истёк", "bad")] : "",
      // the tag says «Поставлено» already: the date follows as «от …»
      ` от ${t.created_at_ru}` + (t.due_ru ? ` · срок ${t.due_ru}` : "") +
      (t.closed_at_ru ? ` · ${t.state === "done" ? "выполнено" : "отменено"} ${t.closed_at_ru}` : "") +
      (t.files_count ? ` · файлов: ${t.files_count}` : "")),
    box);
  if (t.state === "open") {
    const cancel = el("button", { type: "button", className: "secondary", text: "Отменить",
      "aria-label": `Отменить задание «${t.title}»` });
    cancel.addEventListener("click", async () => {
      if (!window.confirm(`Отменить задание «${t.title}» для ${t.employee.full_name}? Сотрудник увидит, что оно отменено.`)) return;
      const c = await api(`/api/hr-tasks/${t.id}/cancel`, { method: "POST" });
      if (c.status !== 200) showMessage(errorText(c, "Не удалось отменить задание"));
      await showGiven(false);
    });
    item.appendChild(el("div", { className: "actions" }, cancel));
  }
  return item;
}

async function showGiven(more) {
  if (!more) givenOffset = 0;
  const state = $("given-filter").value;
  const r = await api(`/api/hr-tasks?state=${encodeURIComponent(state)}&limit=${PAGE}&offset=${givenOffset}`);
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить выданные задания"));
    return;
  }
  const list = $("given-list");
  if (!more) list.replaceChildren();
  for (const t of r.data.items) list.appendChild(givenItem(t));
  givenOffset += r.data.items.length;
  $("given-none").textContent = { open: "Открытых заданий нет.", done: "Выполненных заданий нет.",
    cancelled: "Отменённых заданий нет." }[state] || "Вы ещё не давали заданий.";
  $("given-none").hidden = r.data.total > 0;
  $("given-more").hidden = givenOffset >= r.data.total;
  $("given").hidden = false;
}

async function setupGive() {
  const form = $("give-form");
  const select = $("give-employee"), name = $("give-employee-name");
  if (ME.roles.includes("manager") && !ME.roles.includes("performer") && !ME.roles.includes("admin")) {
    const r = await api("/api/team");
    if (r.status !== 200) return;
    select.replaceChildren(el("option", { value: "", text: "выберите сотрудника" }),
      ...r.data.items.map((e) => el("option", { value: String(e.id), text: e.full_name })));
    select.hidden = false;
  } else {
    // HR: anyone, by name or personnel number, with suggestions
    name.hidden = false;
    $("give").querySelector('label[for="give-employee"]').htmlFor = "give-employee-name";
    $("give").querySelector('label[for="give-employee-name"]').textContent = "Сотрудник: ФИО или табельный номер";
    $("e-give-employee").dataset.for = "employee_name"; // the message marks the field typed in
    $("e-give-employee").dataset.also = "employee_id";
    setupPeoplePicker(name, ME);
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    $("give-done").hidden = true;
    let id = Number(select.value);
    if (select.hidden) {
      const who = await resolvePerson(name.value);
      if (who.error) {
        showFieldErrors(form, { status: 422, data: { error: { fields: { employee_name: who.error } } } });
        return;
      }
      id = who.id;
    } else if (!id) {
      showFieldErrors(form, { status: 422, data: { error: { fields: { employee_id: "Выберите сотрудника из списка" } } } });
      return;
    }
    const body = { employee_id: id, title: form.title.value.trim() };
    if (form.description.value.trim()) body.description = form.description.value.trim();
    if (form.due.value.trim()) body.due = form.due.value.trim();
    const r = await api("/api/hr-tasks", { method: "POST", body });
    if (r.status !== 201) {
      // the employee's errors belong to the field the person used
      if (select.hidden && r.data.error && r.data.error.fields && r.data.error.fields.employee_id) {
        r.data.error.fields.employee_name = r.data.error.fields.employee_id;
      }
      showFieldErrors(form, r);
      return;
    }
    let note = `Задание «${body.title}» дано.`;
    for (const file of $("give-files").files) {
      const fd = new FormData();
      fd.append("file", file, file.name);
      const u = await api(`/api/hr-tasks/${r.data.id}/files`, { method: "POST", form: fd });
      if (u.status !== 201) note += ` Файл «${file.name}» не принят: ${errorText(u, "ошибка загрузки")}.`;
    }
    form.reset();
    $("give-done").textContent = note;
    $("give-done").hidden = false;
    await showGiven(false);
  });
  $("give").hidden = false;
  $("given-filter").addEventListener("change", () => showGiven(false));
  $("given-more-button").addEventListener("click", () => showGiven(true));
  await showGiven(false);
}

async function showSubstitutes() {
  const r = await api("/api/substitutes");
  if (r.status !== 200) return;
  $("substitutes-list").replaceChildren(...r.data.items.map((x) => {
    const remove = el("button", { type: "button", className: "secondary", text: "Отменить",
      "aria-label": `Отменить замещение: ${x.substitute.full_name}, ${x.date_from_ru} — ${x.date_to_ru}` });
    remove.addEventListener("click", async () => {
      if (!window.confirm(`Отменить замещение: ${x.substitute.full_name} с ${x.date_from_ru} по ${x.date_to_ru}? ` +
        "Уже переданные задачи останутся у заместителя.")) return;
      const d = await api(`/api/substitutes/${x.id}`, { method: "DELETE" });
      if (d.status !== 200) showMessage(errorText(d, "Не удалось отменить замещение"));
      await showSubstitutes();
    });
    return el("li", {}, `${x.substitute.full_name}: ${x.date_from_ru} — ${x.date_to_ru} `,
      x.active ? tag("замещает сейчас", "warn") : "", " ", remove);
  }));
  $("substitutes-none").hidden = r.data.items.length > 0;
  $("substitutes").hidden = false;
}

function setupSubstitutes() {
  const form = $("substitute-form");
  setupPeoplePicker($("sub-name"), ME, { canAct: true });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
    const r = await api("/api/substitutes", { method: "POST", body });
    if (r.status !== 201) {
      showFieldErrors(form, r);
      return;
    }
    form.reset();
    await showSubstitutes();
    // saved, but the substitute is away on some of the days themselves
    const warned = (r.data.warnings || []).map((w) => w.message);
    if (warned.length) showMessage("Заместитель назначен. " + warned.join(" "));
  });
  return showSubstitutes();
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  ME = me;
  $("tasks-done").setAttribute("tabindex", "-1");
  $("filter").addEventListener("change", () => {
    $("tasks-done").hidden = true;
    showTasks(false);
  });
  $("tasks-more-button").addEventListener("click", () => showTasks(true));
  // the intro and the filter fit the person: approvals and requests only
  // for those who have them
  const approver = me.roles.includes("manager") || me.roles.includes("performer");
  if (approver) {
    const parts = [me.roles.includes("manager") ? "согласование заявлений ваших сотрудников" : "",
      me.roles.includes("performer") ? "заявки, которые поручены вам" : ""].filter(Boolean);
    // a "которые" clause closes with a comma before "и"
    const close = me.roles.includes("performer") ? "," : "";
    $("tasks-intro").textContent = capital(`${parts.join(", ")}${close} и задания, которые дали вам.`);
  } else {
    for (const o of document.querySelectorAll("#filter [data-approver]")) o.remove();
  }
  $("tasks").hidden = false;
  await showTasks(false);
  if (me.roles.includes("manager") || me.roles.includes("performer")) await setupSubstitutes();
  if (me.roles.some((r) => r === "manager" || r === "performer" || r === "admin")) await setupGive();
  if (location.hash) {
    const target = document.querySelector(location.hash);
    if (target) target.scrollIntoView();
  }
}));
