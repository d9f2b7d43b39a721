// file.js - the employee's own personal file (file.html): the card from
// GET /api/me/employee, drawn by card.js.
"use strict";

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  const r = await api("/api/me/employee");
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить личное дело"));
    return;
  }
  renderCard($("card"), r.data);
  $("file").hidden = false;
}));
