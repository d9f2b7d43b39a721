// The connection page: availability of the address while typing, the
// request, then polling until the cabinet is ready (or failed).
"use strict";

const $ = (id) => document.getElementById(id);
let checkTimer = null;
let checkSeq = 0;

async function api(method, path, body) {
  const opts = { method, headers: { "Accept": "application/json" } };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = {};
  try { data = await r.json(); } catch (e) { /* not JSON */ }
  return { status: r.status, data };
}

// Each field's message once: a field's error replaces what its live check
// (#<field>-check, the address) said, which would mostly say the same
// («Адрес … уже занят»).
function showFieldErrors(fields) {
  document.querySelectorAll(".field-error").forEach((p) => {
    const text = (fields && fields[p.dataset.for]) || "";
    const check = document.getElementById(p.dataset.for + "-check");
    p.textContent = text;
    if (text && check) {
      check.textContent = "";
      check.className = "check";
    }
  });
}

// Typing in a field makes its old message stale: it goes (the live check,
// if any, speaks for the new value).
function clearFieldError(name) {
  const p = document.querySelector(`.field-error[data-for="${name}"]`);
  if (p) p.textContent = "";
}

async function checkSubdomain() {
  const value = $("subdomain").value.trim();
  const out = $("subdomain-check");
  if (value.length === 0) { out.textContent = ""; out.className = "check"; return; }
  const seq = ++checkSeq;
  const r = await api("GET", "/api/connect/check?subdomain=" + encodeURIComponent(value));
  if (seq !== checkSeq) return; // an older answer
  if (r.status === 200 && r.data.available) {
    out.textContent = "Адрес свободен: " + r.data.url;
    out.className = "check ok";
  } else if (r.status === 200) {
    out.textContent = r.data.reason;
    out.className = "check bad";
  } else {
    out.textContent = (r.data.error && r.data.error.message) || "Не удалось проверить адрес";
    out.className = "check bad";
  }
}

async function poll(id) {
  for (;;) {
    const r = await api("GET", "/api/connect/" + encodeURIComponent(id));
    if (r.status === 200 && r.data.status === "ready") {
      $("progress").hidden = true;
      $("done").hidden = false;
      $("cabinet-link").href = r.data.url;
      $("cabinet-link").textContent = r.data.url;
      return;
    }
    if (r.status === 200 && r.data.status === "failed") {
      $("progress-text").textContent = r.data.reason;
      return;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
}

async function submit(ev) {
  ev.preventDefault();
  const f = ev.target;
  const body = {
    subdomain: f.subdomain.value.trim(),
    name: f.name.value.trim(),
    responsible: {
      full_name: f["responsible.full_name"].value,
      phone: f["responsible.phone"].value,
      email: f["responsible.email"].value,
    },
  };
  if (!$("token-block").hidden) body.token = f.token.value.trim();
  $("submit").disabled = true;
  $("form-error").hidden = true;
  clearTimeout(checkTimer);
  checkSeq++; // a check still on its way would repeat the answer's message
  const r = await api("POST", "/api/connect", body);
  $("submit").disabled = false;
  if (r.status === 202) {
    f.hidden = true;
    $("progress").hidden = false;
    poll(r.data.id);
    return;
  }
  const err = r.data.error || {};
  showFieldErrors(err.fields);
  if (!err.fields) {
    $("form-error").textContent = err.message || "Не удалось отправить заявку";
    $("form-error").hidden = false;
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  // The handlers first: a person (or the browser's autofill) may type the
  // address before the policy answers, and that input must still be checked.
  for (const input of $("connect").querySelectorAll("input[name]")) {
    input.addEventListener("input", () => clearFieldError(input.name));
  }
  $("subdomain").addEventListener("input", () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkSubdomain, 250);
  });
  $("connect").addEventListener("submit", submit);
  if ($("subdomain").value.trim() !== "") checkSubdomain();
  const info = await api("GET", "/api/connect");
  if (info.status === 200) {
    $("base-domain").textContent = "." + info.data.base_domain;
    if (info.data.policy === "token") $("token-block").hidden = false;
    if (info.data.policy === "closed") {
      $("connect").hidden = true;
      $("closed").hidden = false;
    }
  }
});
