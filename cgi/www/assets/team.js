// team.js - a manager's staff (team.html): the people in their charge with
// who is away today, and one person's card (?id=N) with their absences and
// personal file (seed 003: "руководитель видит личные дела подчинённых").
//   GET /api/team          GET /api/team/{id}     GET /api/team/{id}/kpi
"use strict";

async function showTeam() {
  const r = await api("/api/team");
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить сотрудников"));
    return;
  }
  const t = dataTable("Мои сотрудники", [{ title: "Сотрудник", main: true }, { title: "Должность" },
    { title: "Подразделение" }, { title: "Сегодня" }]);
  const rows = r.data.items.map((e) => t.add([el("a", { href: `/team.html?id=${e.id}`, text: e.full_name }),
    e.position, e.department, e.absent_today ? tag("отсутствует", "warn") : ""],
  { "data-name": e.full_name.toLowerCase().replace(/ё/g, "е") }));
  $("team-box").replaceChildren(rows.length ? t.box : "");
  $("team-none").hidden = rows.length > 0;
  $("team-q").addEventListener("input", () => {
    const q = $("team-q").value.trim().toLowerCase().replace(/ё/g, "е");
    for (const tr of rows) tr.hidden = q !== "" && !tr.dataset.name.includes(q);
  });
  $("team").hidden = false;
}

async function showMember(id) {
  const r = await api(`/api/team/${encodeURIComponent(id)}`);
  if (r.status !== 200) {
    showMessage(r.status === 404 ? "Сотрудник не найден среди ваших подчинённых" : errorText(r, "Не удалось загрузить карточку"));
    return;
  }
  document.title = `${r.data.full_name} — Кабинет сотрудника`;
  renderCard($("card"), r.data);
  const k = await showKpiPeriods(`/api/team/${encodeURIComponent(id)}/kpi`,
    { select: "member-kpi-period", wrap: "member-kpi-period-label", box: "member-kpi" }, "Показатели сотрудника");
  $("member-kpi-title").hidden = k.status !== 200;
  $("member").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  if (!me.roles.includes("manager")) {
    $("not-manager").hidden = false;
    return;
  }
  const id = new URLSearchParams(location.search).get("id");
  if (id) await showMember(id);
  else await showTeam();
}));
