// The invitation page (/invite/<token>): the one-time link from the
// invitation email or SMS. It asks the service what the link is (POST
// /api/auth/invite/info), sends a code (POST /api/auth/invite) and activates
// the cabinet with the code, a password, the consent to the processing of
// personal data and, when the organization asks for one, a login (POST
// /api/auth/invite/activate), then lands on the employee's start page. The
// token never leaves the page but in request bodies (no query string, no
// Referer: the page's referrer policy is no-referrer).
"use strict";

const $ = (id) => document.getElementById(id);
const token = location.pathname.startsWith("/invite/")
  ? decodeURIComponent(location.pathname.slice("/invite/".length).split("/")[0])
  : "";

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await r.json();
  } catch (e) {
    data = {};
  }
  return { status: r.status, data };
}

function message(text) {
  $("message").textContent = text || "";
  $("message").hidden = !text;
}

function show(id) {
  for (const s of ["loading", "gone", "start", "activate"]) $(s).hidden = s !== id;
}

function fieldErrors(fields) {
  for (const p of document.querySelectorAll(".field-error")) {
    const text = (fields || {})[p.dataset.for] || "";
    p.textContent = text;
    const input = $(p.dataset.for);
    if (input) {
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }
  const first = document.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

function gone(r) {
  // the server's reason says what to do (sign in, or ask for a new
  // invitation); a sentence on the page ends with a period
  const text = (r.data.error && r.data.error.message) || "Ссылка не действует.";
  $("gone-text").textContent = /[.!?…]$/.test(text) ? text : text + ".";
  show("gone");
}

async function sendCode() {
  message("");
  $("send").disabled = $("resend").disabled = true;
  let r;
  try {
    r = await post("/api/auth/invite", { token });
  } catch (e) {
    message("Сервис временно недоступен, повторите позже");
    return;
  } finally {
    $("send").disabled = $("resend").disabled = false;
  }
  if (r.status === 410 || r.status === 404) return gone(r);
  if (r.status >= 300) {
    message((r.data.error && r.data.error.message) || "Не удалось отправить код");
    return;
  }
  // sent (202), or asked again too soon, e.g. after a reload (200
  // "already_sent": the code sent before stands, nothing new went out):
  // either way the code form with a calm countdown to the next code
  const wait = r.data.retry_after || 0;
  const sent = $("sent");
  sent.textContent = r.data.status === "already_sent"
    ? "Код уже отправлен, новый можно запросить "
    : (r.data.message || "Код отправлен") + (wait ? ". Новый код можно запросить " : "");
  if (wait) {
    const left = document.createElement("span");
    left.dataset.countdown = String(wait);
    sent.append(left, ".");
  }
  show("activate");
  if (wait) codeCountdown(wait, $("activate"));
  $("code").focus();
}

async function activate(ev) {
  ev.preventDefault();
  message("");
  const body = { token, code: $("code").value.trim(), password: $("password").value, consent: $("consent").checked };
  if (!$("login-block").hidden && $("login").value.trim()) body.login = $("login").value.trim();
  $("submit").disabled = true;
  let r;
  try {
    r = await post("/api/auth/invite/activate", body);
  } catch (e) {
    message("Сервис временно недоступен, повторите позже");
    return;
  } finally {
    $("submit").disabled = false;
  }
  if (r.status === 200) {
    location.assign(r.data.roles && r.data.roles.includes("admin") ? "/admin/" : "/");
    return;
  }
  if (r.status === 410 || r.status === 404) return gone(r);
  fieldErrors(r.data.error && r.data.error.fields);
  if (!(r.data.error && r.data.error.fields)) message((r.data.error && r.data.error.message) || "Не удалось войти");
}

document.addEventListener("DOMContentLoaded", async () => {
  $("send").addEventListener("click", sendCode);
  $("resend").addEventListener("click", sendCode);
  $("activate").addEventListener("submit", activate);
  if (!token) return gone({ data: { error: { message: "В ссылке нет кода приглашения." } } });
  let r;
  try {
    r = await post("/api/auth/invite/info", { token });
  } catch (e) {
    message("Сервис временно недоступен, повторите позже");
    return;
  }
  if (r.status !== 200) return gone(r);
  const i = r.data;
  $("person").textContent = i.full_name;
  $("org").textContent = i.organization;
  $("where").textContent = i.code_to;
  $("login-block").hidden = !i.ask_login;
  $("consent-text").textContent = i.consent.text;
  $("consent-version").textContent = "Версия текста: " + i.consent.version;
  show("start");
});
