// card.js - an employee's card with the personal file, as the personal-file
// page (file.html: GET /api/me/employee) and a manager's team page
// (team.html: GET /api/team/{id}) show it. The card is staff.card's
// (core/staff_pages.c): titles and Russian dates come with it.
"use strict";

// One record of a personal file section as a line of text.
function recordText(r) {
  const parts = [];
  const add = (...xs) => { const t = xs.filter(Boolean).join(""); if (t) parts.push(t); };
  if (r.event_title) add(r.event_title);
  add(r.position);
  add(r.department);
  if (r.order_number) add(`приказ № ${r.order_number}`, r.order_date_ru ? ` от ${r.order_date_ru}` : "");
  if (r.type_title) add(`${r.type_title} стаж: ${r.length_ru}`);
  else if (r.kind === "vacation") {
    add(r.code ? `${r.type} (${r.code})` : r.type, r.days_ru ? ` — ${r.days_ru}` : "");
    if (r.scheduled) add("запланирован");
  }
  if (r.destination) add(r.destination, r.purpose ? `: ${r.purpose}` : "");
  if (r.result) add(`результат: ${r.result}`, r.next_date_ru ? `; следующая аттестация ${r.next_date_ru}` : "");
  if (r.institution) {
    add(r.institution);
    add(r.speciality);
    if (r.qualification) add(`квалификация: ${r.qualification}`);
    if (r.year) add(String(r.year));
    if (r.document_number) add(`документ № ${r.document_number}`);
  }
  if (r.course) {
    add(r.course);
    add(r.organization);
    add(r.hours_ru);
    add(r.document);
  }
  return parts.join(", ");
}

// renderCard(box, card): the card into box (an h2#card-title first).
function renderCard(box, c) {
  const dl = el("dl", { className: "facts" });
  const fact = (t, v) => { if (v) dl.append(el("dt", { text: t }), el("dd", { text: v })); };
  fact("Табельный номер", c.personnel_number);
  fact("Организация", c.organization && c.organization.name);
  fact("Подразделение", c.department && c.department.name);
  fact("Должность", c.position && c.position.name);
  fact("Дата рождения", c.birth_date_ru);
  fact("Принят", c.hired_ru);
  fact("Уволен", c.dismissed_ru);
  fact("Мобильный телефон", c.phone_ru || phoneRu(c.phone));
  fact("Почта", c.email);
  fact("Адрес", c.address);
  fact("СНИЛС", c.snils_masked);
  fact("ИНН", c.inn_masked);
  fact("Страховой стаж", c.insurance_record && c.insurance_record.text_ru);
  if (c.manager) {
    fact("Согласует заявления", c.manager.full_name || c.manager.rule_title);
  }
  const parts = [el("h2", { id: "card-title", text: c.full_name }), dl];
  if (c.absences) {
    parts.push(el("h3", { text: "Отсутствия" }));
    parts.push(c.absences.length
      ? el("ul", { className: "plain", id: "card-absences" }, ...c.absences.map((a) => el("li", {},
        `${a.title} (${a.code}): ${a.date_from_ru === a.date_to_ru ? a.date_from_ru : `${a.date_from_ru} — ${a.date_to_ru}`}`,
        a.now ? [" ", tag("сейчас", "warn")] : "")))
      : el("p", { className: "hint", text: "Отсутствий за последний месяц и на полгода вперёд нет." }));
  }
  if (c.schedules && c.schedules.length) {
    parts.push(el("h3", { text: "График работы" }));
    parts.push(el("ul", { className: "plain" }, ...c.schedules.map((s) => el("li", { text: `с ${s.date_from_ru} — ${s.schedule_name}` }))));
  }
  if (c.pay && c.pay.length) {
    parts.push(el("h3", { text: "Условия оплаты" }));
    parts.push(el("ul", { className: "plain" }, ...c.pay.map((t) => el("li", { text: `с ${dateRu(t.date_from)} — ${t.rate_ru}, ${t.pay_by_title}` }))));
  }
  parts.push(el("h3", { text: "Записи личного дела" }));
  for (const sec of c.personal_file_sections || []) {
    parts.push(el("h4", { text: sec.title }));
    if (!sec.records.length) {
      parts.push(el("p", { className: "hint", text: "Записей нет" }));
      continue;
    }
    const t = dataTable(sec.title, [{ title: "Период" } /* wraps after the dash on a phone */, { title: "Сведения" }]);
    for (const r of sec.records) t.add([r.period_ru || "", recordText(r)]);
    parts.push(t.box);
  }
  box.replaceChildren(...parts);
}
