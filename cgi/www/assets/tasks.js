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
    el("label", { for: `${p}-file`, text: "Файлы к ответу (PDF, JPEG или PNG)" }),
    el("input", { type: "file", id: `${p}-file`, name: "file", multiple: true, "aria-describedby": `e-${p}-file` }),
    el("p", { className: "field-error", id: `e-${p}-file`, "data-for": "file" }),
    el("p", { className: "alert", role: "alert", hidden: true }),
    el("div", { className: "actions" }, button("complete", "Выполнить")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    act(t, form, "complete");
  });
  return form;
}

// The HR task's description and documents, asked for when opened.
function hrTaskDetails(t) {
  const box = el("details", {}, el("summary", { text: "Описание и документы" }));
  box.addEventListener("toggle", async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = "1";
    const r = await api(`/api/hr-tasks/${t.id}`);
    if (r.status !== 200) {
      box.appendChild(el("p", { className: "alert", text: errorText(r, "Не удалось загрузить задание") }));
      return;
    }
    const x = r.data.task;
    box.append(el("p", { text: x.description || "Без описания." }),
      el("ul", { className: "plain" }, ...x.files.map((f) => el("li", {},
        el("a", { href: f.url, download: f.name, text: f.name }),
        el("span", { className: "hint", text: ` ${f.uploaded_by || ""}` })))));
  });
  return box;
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
      el("label", { for: `${p}-file`, text: "Файлы к результату (PDF, JPEG или PNG)" }),
      el("input", { type: "file", id: `${p}-file`, name: "file", multiple: true, "aria-describedby": `e-${p}-file` }),
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
  setupPeoplePicker(form.querySelector(`#${p}-to`), ME);
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
      : `Задача № ${t.id} (${t.type_title}, ${t.employee.full_name}): ${DONE_TEXT[action]}.`;
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

function taskItem(t) {
  if (t.step === "hr_task") return hrTaskItem(t);
  const when = t.date_from ? `${dateRu(t.date_from)} — ${dateRu(t.date_to)}` : "";
  return el("article", { className: "task", id: `task-${t.id}`, "aria-labelledby": `task-${t.id}-title` },
    el("h3", { id: `task-${t.id}-title`, text: `${t.type_title}: ${t.employee.full_name}` }),
    el("p", {}, tag(STEP_TITLE[t.step] || t.step), " ", tag(t.state_title, STATE_TONE[t.state]), " ",
      t.state === "open" ? tag(t.request_state_title, STATE_TONE[t.request_state]) : "",
      t.overdue && t.state === "open" ? [" ", tag("срок истёк", "bad")] : ""),
    el("p", {}, `Заявка № ${t.request_number}` + (when ? `, ${when}` : "") + ` · поступила ${t.created_at_ru}` +
      (t.due_ru ? ` · срок ${t.due_ru}` : "") + (t.on_behalf_of ? ` · вместо: ${t.on_behalf_of.full_name}` : "") + " · ",
      el("a", { href: `/requests.html?id=${t.request_id}`, text: "открыть заявку" })),
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
  $("tasks-none").hidden = r.data.total > 0;
  $("tasks-more").hidden = offset >= r.data.total;
}

// ------------------------------------------------------------ HR tasks given
// A manager gives tasks to the people in their charge, HR (a performer, an
// administrator) to anyone (core/hrtasks.h):
//   POST /api/hr-tasks {"employee_id", "title", "description", "due"}
//   POST /api/hr-tasks/{id}/files   GET /api/hr-tasks?state=open   POST /api/hr-tasks/{id}/cancel

let people = new Map(); // a suggestion's text -> employee id (HR's picker)

async function showGiven() {
  const r = await api("/api/hr-tasks?state=open");
  if (r.status !== 200) return;
  $("given-list").replaceChildren(...r.data.items.map((t) => {
    const cancel = el("button", { type: "button", className: "secondary", text: "Отменить",
      "aria-label": `Отменить задание «${t.title}»` });
    cancel.addEventListener("click", async () => {
      if (!window.confirm(`Отменить задание «${t.title}» для ${t.employee.full_name}? Сотрудник увидит, что оно отменено.`)) return;
      const c = await api(`/api/hr-tasks/${t.id}/cancel`, { method: "POST" });
      if (c.status !== 200) showMessage(errorText(c, "Не удалось отменить задание"));
      await showGiven();
    });
    return el("li", {}, `${t.title} — ${t.employee.full_name}` + (t.due_ru ? `, срок ${t.due_ru}` : "") + " ",
      t.overdue ? tag("срок истёк", "bad") : "", " ", cancel);
  }));
  $("given-none").hidden = r.data.items.length > 0;
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
    // HR: anyone, by name with suggestions
    name.hidden = false;
    $("give").querySelector('label[for="give-employee"]').htmlFor = "give-employee-name";
    setupPeoplePicker(name, ME);
    name.addEventListener("input", async () => {
      const q = name.value.trim();
      if (q.length < 2 || people.has(q)) return;
      const r = await api("/api/employees?q=" + encodeURIComponent(q.replace(/ \(таб\. № .*$/, "")));
      if (r.status !== 200) return;
      for (const e of r.data.items) {
        people.set(e.personnel_number ? `${e.full_name} (таб. № ${e.personnel_number})` : e.full_name, e.id);
      }
    });
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    $("give-done").hidden = true;
    const id = select.hidden ? people.get(name.value.trim()) : Number(select.value);
    if (!id) {
      showFieldErrors(form, { status: 422, data: { error: { fields: {
        [select.hidden ? "employee_name" : "employee_id"]: "Выберите сотрудника из списка" } } } });
      return;
    }
    const body = { employee_id: id, title: form.title.value.trim() };
    if (form.description.value.trim()) body.description = form.description.value.trim();
    if (form.due.value.trim()) body.due = form.due.value.trim();
    const r = await api("/api/hr-tasks", { method: "POST", body });
    if (r.status !== 201) {
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
    await showGiven();
  });
  $("give").hidden = false;
  await showGiven();
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
  setupPeoplePicker($("sub-name"), ME);
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
  $("tasks").hidden = false;
  await showTasks(false);
  if (me.roles.includes("manager") || me.roles.includes("performer")) await setupSubstitutes();
  if (me.roles.some((r) => r === "manager" || r === "performer" || r === "admin")) await setupGive();
  if (location.hash) {
    const target = document.querySelector(location.hash);
    if (target) target.scrollIntoView();
  }
}));
