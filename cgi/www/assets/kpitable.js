// kpitable.js - KPIs as a table (plan, fact, percent per period), for the
// employee's own page (kpi.js) and a manager's card of a subordinate
// (team.js). Items are GET /api/kpi's (core/kpi.c); numbers through
// lib.js's kpiNumber (money with kopecks, the rest as entered). The period
// is chosen from a select of the periods that have KPIs, in Russian.
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

// showKpiPeriods(url, ids, label): the KPIs of url (GET /api/kpi or
// /api/team/{id}/kpi) into the box ids.box, with the select ids.select
// (inside ids.wrap, shown when there are two periods or more) of the
// periods they have, as the answer names them («ноябрь 2026 г.», «IV
// квартал 2026 г.», «2026 г.»), «Все периоды» first; choosing one shows
// that period's. Returns the first answer.
async function showKpiPeriods(url, ids, label) {
  const select = $(ids.select), box = $(ids.box);
  const load = async (period) => {
    const r = await api(url + (period ? "?period=" + encodeURIComponent(period) : ""));
    if (r.status === 200) renderKpis(box, r.data.items, label);
    else showMessage(errorText(r, "Не удалось загрузить показатели"));
    return r;
  };
  const r = await load("");
  if (r.status !== 200) return r;
  const periods = r.data.periods || [];
  select.replaceChildren(el("option", { value: "", text: "Все периоды" }),
    ...periods.map((p) => el("option", { value: p.period, text: capital(p.title) })));
  $(ids.wrap).hidden = periods.length < 2;
  select.addEventListener("change", () => load(select.value));
  return r;
}
