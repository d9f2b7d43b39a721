// kpi.js - the employee's KPIs (kpi.html): plan and fact per period, a
// period chosen from those that have KPIs (GET /api/kpi?period=), drawn by
// kpitable.js.
"use strict";

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  const r = await showKpiPeriods("/api/kpi", { select: "kpi-period", wrap: "kpi-period-label", box: "kpi-box" },
    "Показатели эффективности");
  if (r.status === 200) $("kpi").hidden = false;
}));
