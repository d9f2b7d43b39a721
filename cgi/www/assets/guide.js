// The administrators' guide: /guide/guide.md (docs/ru/guide.md of the
// source tree, served by nginx) shown as a page. A small Markdown subset,
// the one guide.md uses: headings, paragraphs, lists, images, links, **bold**,
// `code`, tables. Everything is built with DOM calls and textContent, never
// innerHTML, so nothing in the file can run as script.
"use strict";

function inline(parent, text) {
  // images, links, bold, code
  const re = /!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|`([^`]+)`/g;
  let at = 0, m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
    if (m[2] !== undefined) {
      const img = document.createElement("img");
      img.alt = m[1];
      img.src = /^(\/|https?:)/.test(m[2]) ? m[2] : "/guide/" + m[2];
      img.loading = "lazy";
      parent.appendChild(img);
    } else if (m[4] !== undefined) {
      const a = document.createElement("a");
      const href = m[4];
      a.href = /^(\/|https?:|#)/.test(href) ? href : "/guide/" + href;
      inline(a, m[3]);
      parent.appendChild(a);
    } else if (m[5] !== undefined) {
      const b = document.createElement("strong");
      b.textContent = m[5];
      parent.appendChild(b);
    } else {
      const c = document.createElement("code");
      c.textContent = m[6];
      parent.appendChild(c);
    }
    at = re.lastIndex;
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

function slug(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
}

function render(md, out) {
  const lines = md.replace(/\r/g, "").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (!line.trim()) { i++; continue; }
    if ((m = /^(#{1,4})\s+(.*)$/.exec(line))) {
      const h = document.createElement("h" + m[1].length);
      h.id = slug(m[2]);
      inline(h, m[2]);
      out.appendChild(h);
      i++;
    } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const list = document.createElement(ordered ? "ol" : "ul");
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i])) {
        const li = document.createElement("li");
        let text = lines[i].replace(/^\s*([-*]|\d+\.)\s+/, "");
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i])) text += " " + lines[i++].trim();
        inline(li, text);
        list.appendChild(li);
      }
      out.appendChild(list);
    } else if (/^\|/.test(line)) {
      const wrap = document.createElement("div");
      wrap.className = "table-wrap";
      const table = document.createElement("table");
      const cells = (l) => l.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
      const head = cells(line);
      i++;
      if (i < lines.length && /^\|[\s:|-]+\|?$/.test(lines[i])) i++;
      const tr = table.createTHead().insertRow();
      for (const c of head) { const th = document.createElement("th"); th.scope = "col"; inline(th, c); tr.appendChild(th); }
      const body = table.createTBody();
      while (i < lines.length && /^\|/.test(lines[i])) {
        const row = body.insertRow();
        for (const c of cells(lines[i])) inline(row.insertCell(), c);
        i++;
      }
      wrap.appendChild(table);
      out.appendChild(wrap);
    } else {
      const p = document.createElement("p");
      let text = line.trim();
      i++;
      while (i < lines.length && lines[i].trim() && !/^(#|\s*([-*]|\d+\.)\s|\|)/.test(lines[i])) text += " " + lines[i++].trim();
      inline(p, text);
      out.appendChild(p);
    }
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  const out = document.getElementById("guide");
  const loading = document.getElementById("guide-loading");
  try {
    const r = await fetch("/guide/guide.md");
    if (!r.ok) throw new Error(String(r.status));
    render(await r.text(), out);
    loading.remove();
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  } catch (e) {
    loading.textContent = "Руководство не загрузилось. Обновите страницу.";
  }
});
