// The tenant's start page: who is signed in, or how to sign in.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const $ = (id) => document.getElementById(id);
  let r;
  try {
    r = await fetch("/api/me", { headers: { "Accept": "application/json" } });
  } catch (e) {
    $("message").textContent = "Сервис временно недоступен, повторите позже";
    $("message").hidden = false;
    return;
  }
  const data = await r.json().catch(() => ({}));
  if (r.status === 200) {
    $("title").textContent = data.tenant.name;
    $("user-name").textContent = data.user.full_name;
    $("admin-link").hidden = !data.roles.includes("admin");
    $("user").hidden = false;
  } else if (r.status === 401) {
    $("guest").hidden = false;
  } else {
    $("message").textContent = r.status === 404
      ? "Кабинет организации по этому адресу не найден"
      : ((data.error && data.error.message) || "Сервис временно недоступен");
    $("message").hidden = false;
  }
});
