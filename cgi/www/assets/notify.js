// The signed-in person's notifications on a page of the employee site: the
// unread count in every [data-notify-unread] element, the newest ones in a
// [data-notify-list] section (with "mark read"), kept current without a
// reload through the event stream nginx holds (/api/notifications/events;
// README "Notifications"). Other scripts can listen to the
// "cabinet:notifications" event on document ({detail: {unread, items}}).
// When the stream is refused (no nchan, a proxy that buffers) the page asks
// every minute instead, as background polling (X-Cabinet-Background).
"use strict";

(() => {
  const POLL_MS = 60000; // without the stream
  const CHECK_MS = 300000; // with it: a safety net (a publish lost, cabinetd not publishing)

  function csrfToken() {
    for (const name of ["__Host-cabinet_csrf", "cabinet_csrf"]) {
      const m = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
      if (m) return decodeURIComponent(m[1]);
    }
    return "";
  }

  // "1 непрочитанное", "2 непрочитанных", "5 непрочитанных"
  function unreadWords(n) {
    const m = n % 100;
    if (m % 10 === 1 && m !== 11) return `${n} непрочитанное уведомление`;
    if (m % 10 >= 2 && m % 10 <= 4 && (m < 12 || m > 14)) return `${n} непрочитанных уведомления`;
    return `${n} непрочитанных уведомлений`;
  }

  async function call(path, body) {
    const headers = { "Accept": "application/json" };
    const init = { headers };
    if (body) {
      init.method = "POST";
      headers["Content-Type"] = "application/json";
      headers["X-CSRF-Token"] = csrfToken();
      init.body = JSON.stringify(body);
    } else {
      headers["X-Cabinet-Background"] = "1"; // the page asks on its own
    }
    const r = await fetch(path, init);
    return { status: r.status, data: await r.json().catch(() => ({})) };
  }

  function showCount(unread) {
    for (const el of document.querySelectorAll("[data-notify-unread]")) {
      el.textContent = unread > 99 ? "99+" : String(unread);
      el.hidden = unread === 0;
    }
    for (const a of document.querySelectorAll("[data-notify-link]")) {
      a.setAttribute("aria-label", unread ? `Уведомления: ${unreadWords(unread)}` : "Уведомления");
    }
  }

  function showList(box, items) {
    const list = box.querySelector("[data-notify-items]");
    const none = box.querySelector("[data-notify-none]");
    list.replaceChildren();
    for (const n of items) {
      const li = document.createElement("li");
      if (!n.read) li.className = "unread";
      const time = document.createElement("time");
      time.dateTime = n.created_at;
      time.textContent = n.created_ru;
      const text = document.createElement("span");
      text.textContent = n.text;
      li.append(time, " ", text);
      list.appendChild(li);
    }
    if (none) none.hidden = items.length > 0;
    box.hidden = false;
  }

  async function refresh() {
    const box = document.querySelector("[data-notify-list]");
    const r = await call("/api/notifications?limit=" + (box ? 10 : 0));
    if (r.status !== 200) return false;
    showCount(r.data.unread);
    if (box) showList(box, r.data.items);
    const readAll = document.querySelector("[data-notify-read-all]");
    if (readAll) readAll.hidden = r.data.unread === 0;
    document.dispatchEvent(new CustomEvent("cabinet:notifications", { detail: r.data }));
    return true;
  }

  let timer = null;
  function poll(ms) {
    clearInterval(timer);
    timer = setInterval(() => { refresh().catch(() => {}); }, ms);
  }

  function listen() {
    if (!("EventSource" in window)) return poll(POLL_MS);
    poll(CHECK_MS);
    const es = new EventSource("/api/notifications/events");
    let opened = false;
    es.addEventListener("open", () => {
      document.documentElement.dataset.notifyLive = "open";
      // a stream that was ended (another session of the user signed out)
      // and opened again may have missed an event: fetch the count
      if (opened) refresh().catch(() => {});
      opened = true;
    });
    es.addEventListener("message", (ev) => {
      let data = {};
      try { data = JSON.parse(ev.data); } catch (e) { /* a hint only */ }
      if (typeof data.unread === "number") showCount(data.unread);
      refresh().catch(() => {});
    });
    es.addEventListener("error", () => {
      // the browser reconnects by itself unless the stream was refused
      if (es.readyState === EventSource.CLOSED) {
        document.documentElement.dataset.notifyLive = "polling";
        poll(POLL_MS);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (!csrfToken()) return; // a guest
    const readAll = document.querySelector("[data-notify-read-all]");
    if (readAll) {
      readAll.addEventListener("click", async () => {
        const r = await call("/api/notifications/read", { all: true });
        if (r.status === 200) await refresh();
      });
    }
    let ok = false;
    try {
      ok = await refresh();
    } catch (e) {
      return;
    }
    if (ok) listen();
  });
})();
