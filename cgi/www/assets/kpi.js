// kpi.js - the employee's KPIs (kpi.html): plan and fact per period, by
// year (GET /api/kpi?year=), drawn by kpitable.js.
"use strict";

async function showKpis(year) {
  const r = await api("/api/kpi" + (year ? "?year=" + encodeURIComponent(year) : ""));
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить показатели"));
    return;
  }
  const select = $("kpi-year");
  if (!select.options.length) {
    select.appendChild(el("option", { value: "", text: "все годы" }));
    for (const y of r.data.years || []) select.appendChild(el("option", { value: String(y), text: String(y) }));
    $("kpi-year-label").hidden = select.options.length < 3;
  }
  renderKpis($("kpi-box"), r.data.items, "Показатели эффективности");
  $("kpi").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  $("kpi-year").addEventListener("change", () => showKpis($("kpi-year").value));
  await showKpis("");
}));
