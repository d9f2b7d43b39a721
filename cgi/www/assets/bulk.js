// The bulk actions of a list (form[data-bulk]: the cabinets page, the
// staff list's schedule and pay terms): "mark everyone on the page" (a
// header checkbox shown only with JavaScript; without it each row is marked
// by hand or "all by the filter" is used), and a bulk action without anyone
// marked is stopped with a message next to the buttons instead of a round
// trip.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-bulk]");
  const all = document.getElementById("select-all");
  if (!form || !all) return;
  const boxes = () => Array.from(form.querySelectorAll('input[name="employees[]"]'));
  const scope = form.querySelector('input[name="scope"]');
  all.hidden = boxes().length === 0;
  all.addEventListener("change", () => {
    for (const b of boxes()) b.checked = all.checked;
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.name !== "employees[]") return;
    const list = boxes();
    const marked = list.filter((b) => b.checked).length;
    all.checked = marked === list.length;
    all.indeterminate = marked > 0 && marked < list.length;
  });
  form.addEventListener("submit", (ev) => {
    if ((scope && scope.checked) || boxes().some((b) => b.checked)) return;
    ev.preventDefault();
    let note = document.getElementById("e-employees");
    if (!note) {
      note = document.createElement("p");
      note.id = "e-employees";
      note.className = "field-error";
      note.setAttribute("role", "alert");
      form.querySelector(".bulk").after(note);
    }
    note.textContent = "Отметьте сотрудников в списке или «все по фильтру»";
  });
});
