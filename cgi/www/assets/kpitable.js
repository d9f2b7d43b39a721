// kpitable.js - KPIs as a table (plan, fact, percent per period), for the
// employee's own page (kpi.js) and a manager's card of a subordinate
// (team.js). Items are GET /api/kpi's (core/kpi.c).
"use strict";

// renderKpis(box, items, label): the table into box, or a hint when none.
function renderKpis(box, items, label) {
  if (!items.length) {
    box.replaceChildren(el("p", { className: "hint", text: "Показателей пока нет: их передаёт учётная система или вносит отдел кадров." }));
    return;
  }
  const tbody = el("tbody", {}, ...items.map((k) => {
    const tr = el("tr");
    cell(tr, capital(k.period_title), "nowrap");
    cell(tr, k.name + (k.unit ? `, ${k.unit}` : ""));
    cell(tr, k.plan_ru || "—", "num");
    cell(tr, k.fact_ru || "—", "num");
    const pct = k.percent === null || k.percent === undefined ? "" : `${String(k.percent).replace(".", ",")} %`;
    cell(tr, pct ? tag(pct, Number(k.percent) >= 100 ? "ok" : "warn") : "—", "num");
    return tr;
  }));
  box.replaceChildren(tableWrap(label, el("table", { className: "list kpi" },
    el("thead", {}, el("tr", {}, ...["Период", "Показатель", "План", "Факт", "Выполнение"].map((h, i) =>
      el("th", { scope: "col", className: i >= 2 ? "num" : null, text: h })))), tbody)));
}
