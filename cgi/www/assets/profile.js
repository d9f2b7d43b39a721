// profile.js - the person's profile (profile.html): the contacts the
// cabinet uses (sign-in, codes, notifications) and where to change them: a
// personal-data request, which the HR department checks.
"use strict";

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  const dl = $("contacts-facts");
  const fact = (t, v) => dl.append(el("dt", { text: t }), el("dd", { text: v || "не указан" }));
  fact("ФИО", me.user.full_name);
  fact("Вход", me.user.login || me.user.email || me.user.phone);
  fact("Почта", me.user.email);
  fact("Мобильный телефон", me.user.phone);
  $("contacts-change").hidden = !me.user.employee_id;
  $("contacts").hidden = false;
  $("security").hidden = false;
}));
