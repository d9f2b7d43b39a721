// profile.js - the person's profile (profile.html): the contacts the
// cabinet uses (sign-in, codes, notifications) and where to change them: a
// personal-data request, which the HR department checks; how notifications
// come besides the cabinet (email, SMS).
"use strict";

// Notification preferences: GET/PUT /api/profile/notifications {"email", "sms"}
// (core/notifications.h); in the cabinet they are always shown.
function showPrefs(p) {
  $("prefs-email").checked = p.email;
  $("prefs-sms").checked = p.sms;
  $("prefs-email-to").textContent = p.email_to ? `на ${p.email_to}` : "адрес почты не указан";
  $("prefs-sms-to").textContent = p.sms_to ? `на ${phoneRu(p.sms_to)}` : "номер телефона не указан";
}

async function setupPrefs() {
  const r = await api("/api/profile/notifications");
  if (r.status !== 200) return;
  showPrefs(r.data);
  const form = $("prefs-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    $("prefs-done").hidden = true;
    const s = await api("/api/profile/notifications", { method: "PUT",
      body: { email: $("prefs-email").checked, sms: $("prefs-sms").checked } });
    if (s.status !== 200) {
      showFieldErrors(form, s);
      return;
    }
    showPrefs(s.data);
    $("prefs-done").hidden = false;
  });
  $("prefs").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  const dl = $("contacts-facts");
  const fact = (t, v) => dl.append(el("dt", { text: t }), el("dd", { text: v || "не указан" }));
  fact("ФИО", me.user.full_name);
  fact("Вход", me.user.login || me.user.email || me.user.phone_ru || phoneRu(me.user.phone));
  fact("Почта", me.user.email);
  fact("Мобильный телефон", me.user.phone_ru || phoneRu(me.user.phone));
  $("contacts-change").hidden = !me.user.employee_id;
  $("contacts").hidden = false;
  $("security").hidden = false;
  await setupPrefs();
}));
