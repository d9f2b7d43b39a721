// salary.js - pay over the last 12 months (salary.html): an SVG bar chart
// of what was accrued and paid out per month, drawn here from
// GET /api/payslips (closed months), with the same numbers as a table for
// screen readers and for people who prefer figures.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// "YYYY-MM" of the month n months after ym.
function addMonths(ym, n) {
  const [y, m] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

// A round step for about 4 grid lines up to max (rubles).
function gridStep(max) {
  const raw = max / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  for (const k of [1, 2, 2.5, 5, 10]) if (raw <= k * p) return k * p;
  return 10 * p;
}

function rubShort(v) {
  return v >= 1000 ? `${String(Math.round(v / 1000)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0")}\u00a0тыс.` : String(Math.round(v));
}

function drawChart(months, byMonth) {
  // about the width of a phone's card, so the labels stay readable there
  const W = 360, H = 230, L = 50, R = 4, T = 10, B = 34;
  const values = months.flatMap((m) => byMonth[m] ? [Number(byMonth[m].accrued), Number(byMonth[m].net)] : []);
  const step = gridStep(Math.max(...values, 1));
  const top = Math.ceil(Math.max(...values, 1) / step) * step;
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const box = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-title chart-desc" });
  box.append(svg("title", { id: "chart-title" }, "Начислено и к выплате по месяцам"),
    svg("desc", { id: "chart-desc" }, "Те же суммы — в таблице под графиком."));
  for (let v = 0; v <= top; v += step) {
    box.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "axis" }),
      svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, rubShort(v)));
  }
  const slot = (W - L - R) / months.length, bw = Math.max(4, slot * 0.32);
  months.forEach((m, i) => {
    const x = L + i * slot + slot / 2;
    const p = byMonth[m];
    if (p) {
      for (const [k, dx, cls] of [["accrued", -bw, "bar-accrued"], ["net", 0, "bar-net"]]) {
        const v = Number(p[k]);
        const bar = svg("rect", { x: x + dx, y: y(v), width: bw, height: Math.max(0, y(0) - y(v)), class: cls,
          "data-month": m, "data-amount": p[k] });
        bar.append(svg("title", {}, `${capital(p.month_title)}: ${k === "net" ? "к выплате" : "начислено"} ${p[k + "_ru"]}`));
        box.append(bar);
      }
    }
    box.append(svg("text", { x, y: H - 20, "text-anchor": "middle", "data-month": m }, MONTHS_SHORT[Number(m.slice(5)) - 1]));
    // the year under January, and under the first month unless January
    // follows at once (the two would overlap)
    if (m.endsWith("-01") || (i === 0 && !m.endsWith("-12"))) box.append(svg("text", { x, y: H - 6, "text-anchor": "middle" }, m.slice(0, 4)));
  });
  $("salary-chart").appendChild(box);
  $("salary-chart").hidden = false;
}

function drawTable(months, byMonth) {
  const t = dataTable("Зарплата по месяцам", [{ title: "Месяц", rowHeader: true, main: true },
    { title: "Начислено", cls: "num" }, { title: "НДФЛ", cls: "num" }, { title: "К выплате", cls: "num" }],
  { id: "salary-data", caption: "Суммы по месяцам" });
  for (const m of [...months].reverse()) {
    const p = byMonth[m];
    if (p) t.add([capital(p.month_title), p.accrued_ru, p.ndfl_ru, p.net_ru], { "data-month": m });
  }
  $("salary-table").replaceChildren(t.box);
}

document.addEventListener("DOMContentLoaded", () => startPage(async (me) => {
  if (!me.user.employee_id) return;
  const r = await api("/api/payslips");
  if (r.status !== 200) {
    showMessage(errorText(r, "Не удалось загрузить расчётные листки"));
    return;
  }
  $("salary").hidden = false;
  const list = r.data.payslips || [];
  // a closed month without a payslip for them: the truth (payslips.list)
  const missing = r.data.not_calculated_ru || "";
  $("salary-missing").textContent = missing;
  $("salary-missing").hidden = !missing;
  if (!list.length) {
    $("salary-none").hidden = !!missing;
    return;
  }
  // twelve months up to today's in the organization's zone: every closed
  // month up to it (the current month too when it was closed early), else
  // the twelve before it (its payslip comes when the month is closed)
  const current = me.tenant.today.slice(0, 7);
  const byMonth = Object.fromEntries(list.map((p) => [p.month, p]));
  const last = byMonth[current] ? current : addMonths(current, -1);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(last, i - 11));
  drawChart(months, byMonth);
  drawTable(months, byMonth);
}));
