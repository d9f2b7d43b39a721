// kpitable.js - KPIs as a table (plan, fact, percent per period), for the
// employee's own page (kpi.js) and a manager's card of a subordinate
// (team.js). Items are GET /api/kpi's (core/kpi.c); numbers through
// lib.js's kpiNumber (money with kopecks, the rest as entered).
"use strict";

// renderKpis(box, items, label): the table into box, or a hint when none.
function renderKpis(box, items, label) {
  if (!items.length) {
    box.replaceChildren(el("p", { className: "hint", text: "Показателей пока нет: их передаёт учётная система или вносит отдел кадров." }));
    return;
  }
  const t = dataTable(label, [{ title: "Период", cls: "nowrap" }, { title: "Показатель", main: true },
    { title: "План", cls: "num" }, { title: "Факт", cls: "num" }, { title: "Выполнение", cls: "num" }],
  { className: "kpi" });
  for (const k of items) {
    const pct = k.percent === null || k.percent === undefined ? "" : `${String(k.percent).replace(".", ",")} %`;
    t.add([capital(k.period_title), k.name + (k.unit ? `, ${k.unit}` : ""), kpiNumber(k.plan, k.unit) || "—",
      kpiNumber(k.fact, k.unit) || "—",
      pct ? tag(pct, Number(k.percent) >= 100 ? "ok" : "warn") : "—"]);
  }
  box.replaceChildren(t.box);
}
