// The resend countdown of a one-time code (the activation and password
// reset pages of /admin, the invitation page): after a code went out, or
// when the page asked again too soon (a reload: the service answers
// "already_sent" and sends nothing), the page says how long until a new
// code can be asked for and counts down, calmly, instead of an error.
//   <span data-countdown="45">через 45 секунд</span>  counts down each second
//   <button data-wait="45">                          disabled until then
// At zero the text becomes «сейчас» and the button is enabled again.
// codeCountdown(seconds, root) starts it for what a page shows later.
"use strict";

function countdownPlural(n, one, few, many) {
  const a = n % 100, d = a % 10;
  if (a >= 11 && a <= 14) return many;
  if (d === 1) return one;
  return d >= 2 && d <= 4 ? few : many;
}

// As core/ru.c ru_wait: seconds under two minutes, then minutes.
function countdownWords(s) {
  if (s < 120) return `через ${s} ${countdownPlural(s, "секунду", "секунды", "секунд")}`;
  const m = Math.ceil(s / 60);
  return `через ${m} ${countdownPlural(m, "минуту", "минуты", "минут")}`;
}

function codeCountdown(seconds, root) {
  const scope = root || document;
  const until = Date.now() + seconds * 1000;
  const texts = scope.querySelectorAll("[data-countdown]");
  const buttons = scope.querySelectorAll("[data-wait]");
  const tick = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    for (const t of texts) t.textContent = left ? countdownWords(left) : "сейчас";
    for (const b of buttons) b.disabled = left > 0;
    if (left) setTimeout(tick, 1000);
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("[data-countdown], [data-wait]");
  if (!first) return;
  const s = parseInt(first.dataset.countdown || first.dataset.wait, 10);
  if (s > 0) codeCountdown(s);
});
