# ruff: noqa: E501  (JavaScript source in strings: its lines are not Python lines)
"""The site's stylesheet and scripts, written by openscope (no third-party code, no CDN).

The scripts only ever put data into the page with ``textContent`` (never ``innerHTML``),
build links only to the site's own pages (slugs checked against ``[A-Za-z0-9._-]+``), and run
under a Content-Security-Policy that allows scripts from the site itself only.
"""

from __future__ import annotations

STYLE_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem auto;
max-width:110rem;padding:0 1rem;color:#1f2328;background:#fff}
a{color:#0550ae}a:focus,button:focus,input:focus,select:focus,summary:focus{
outline:3px solid #0969da;outline-offset:2px}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #d0d7de}
ul.kpis{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1.5rem}
ul.kpis b{display:block;font-size:1.4rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}caption{text-align:left;
font-weight:600;padding:.3rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}th button{font:inherit;font-weight:600;background:none;border:0;
padding:0;cursor:pointer;color:#0550ae;text-decoration:underline}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{
content:" ▼"}
.muted{color:#57606a;font-size:.92em}.scroll{overflow-x:auto}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;
padding:.3rem}
.st{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;
white-space:nowrap}
.st-open,.st-met,.st-pass,.c-O{background:#dafbe1;color:#0f5323}
.st-restricted,.st-partial,.st-warning,.c-P,.c-R{background:#fff8c5;color:#6a4300}
.st-closed,.st-unmet,.st-fail,.st-error,.c-C{background:#ffebe9;color:#8e0c20}
.st-unknown,.c-U,.st-info{background:#eaeef2;color:#424a53}
td.ix{text-align:center;font-weight:700;min-width:1.6rem}
.dims{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem}
.dim{border:1px solid #d0d7de;border-radius:.4rem;padding:.6rem}.dim h3{margin:0 0 .3rem;
text-transform:capitalize}
#filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;margin:1rem 0}
#filters label{display:flex;flex-direction:column;font-size:.9em}
#filters label:has(input[type=checkbox]){flex-direction:row;gap:.3rem;align-items:center}
#pager{display:flex;gap:1rem;align-items:center;margin:.6rem 0}
tr.diff td,tr.diff th{background:#fff8c5;font-weight:600}.mark{color:#6a4300;
font-weight:700}
pre.card{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.8rem;
border:1px solid #d0d7de;max-height:40rem;overflow:auto}
ol.lineage{list-style:none;padding-left:0}ol.lineage li{margin:.2rem 0;padding:.3rem .5rem;
border-left:3px solid #0969da}
ol.evidence li:target{background:#fff8c5}
#picker{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end}
#picker label{display:flex;flex-direction:column;font-size:.9em}
.lineage-graph{display:block;margin:.5em 0;max-width:100%}
.lineage-graph rect.me{fill:#dbeafe;stroke:#1e3a8a}
.lineage-graph rect.base{fill:#f3f4f6;stroke:#374151}
.lineage-graph text{font:13px sans-serif;fill:#111827}
.lineage-graph line{stroke:#374151;stroke-width:1.5}
.chart-controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.4rem 0}
.chart-controls button{font:inherit;padding:.15rem .5rem;border:1px solid #8c959f;
border-radius:.3rem;background:#f6f8fa;cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:.4rem}.legend button[aria-pressed=false]{
opacity:.55;text-decoration:line-through}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;
border:1px solid #57606a;vertical-align:middle}
.chart-box{position:relative}.ichart{width:100%;max-width:60rem;height:auto;display:block}
.ichart .tick{font:11px sans-serif;fill:#1f2328}.ichart .axis{stroke:#57606a}
.ichart .mark{cursor:pointer}.ichart .mark:focus,.ichart .mark:hover{stroke:#0969da;
stroke-width:3px;outline:none}
.tip{position:absolute;background:#1f2328;color:#fff;padding:.2rem .5rem;border-radius:.3rem;
font-size:.85em;pointer-events:none;white-space:nowrap;z-index:2}
"""

_COMMON_JS = r"""
function csvCell(v) {
  var s = (v === null || v === undefined) ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }
  return /[",\n\r]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
}
var SLUG = /^[A-Za-z0-9._-]+$/;
var WORD = {O: "open", P: "partial", C: "closed", R: "restricted", U: "unknown"};
var ROMAN = {0: "0", 1: "I", 2: "II", 3: "III"};
var INDEX = ["Base data", "End data", "Base weights", "End weights", "Training code", "Code",
  "Architecture", "Preprint", "Paper", "Model card", "Datasheet", "Licences"];
var DIMS = ["code", "weights", "data", "research"];
var TERMS = ["commercial use", "user cap", "revenue cap", "field-of-use restrictions",
  "attribution", "acceptance required"];
function $(id) { return document.getElementById(id); }
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== null && text !== undefined) { e.textContent = String(text); }
  if (cls) { e.className = cls; }
  return e;
}
function yn(v) { return v === true ? "yes" : v === false ? "no" : v ? String(v) : "unknown"; }
function mof(v) { return (v === null || v === undefined) ? "?" : (ROMAN[v] || "?"); }
function score(v) { return (typeof v === "number") ? v.toFixed(2) : "unknown"; }
function status(text) { var s = $("status"); if (s) { s.textContent = text; } }
function loadRows() {
  return fetch("data/releases.json").then(function (r) {
    if (!r.ok) { throw new Error("HTTP " + r.status); }
    return r.json();
  });
}
function failed(err) {
  status("Could not load the data (" + err.message + "). Serve this folder over HTTP, " +
    "for example with: openscope site serve FOLDER");
}
"""

APP_JS = "(function () {\n\"use strict\";\n" + _COMMON_JS + r"""
var PAGE = 50;
var rows = [], view = [], selected = [];
var DEFAULTS = {q: "", license: "", org: "", pipeline: "", mof: "", score: "0",
  commercial: "", opendata: "", sort: "sc", dir: "desc", page: "1", d: "", lc: "", cm: ""};
// slices the census dashboard links to (no control of their own: the status names them)
var SLICES = {d: "dimensions (code, weights, data, research)", lc: "licence class", cm: "created in"};
var state = Object.assign({}, DEFAULTS);

function readHash() {
  var p = new URLSearchParams(location.hash.slice(1));
  state = Object.assign({}, DEFAULTS);
  Object.keys(DEFAULTS).forEach(function (k) { if (p.has(k)) { state[k] = p.get(k); } });
  $("q").value = state.q; $("license").value = state.license; $("org").value = state.org;
  $("pipeline").value = state.pipeline; $("mof").value = state.mof; $("score").value = state.score;
  $("commercial").checked = state.commercial === "1"; $("opendata").checked = state.opendata === "1";
}
function writeHash() {
  var p = new URLSearchParams();
  Object.keys(DEFAULTS).forEach(function (k) { if (state[k] !== DEFAULTS[k]) { p.set(k, state[k]); } });
  var h = "#" + p.toString();
  history.replaceState(null, "", h === "#" ? location.pathname : h);
  $("permalink").href = h;
}
function fillSelect(id, key) {
  var counts = {};
  rows.forEach(function (r) { var v = r[key]; if (v) { counts[v] = (counts[v] || 0) + 1; } });
  var sel = $(id);
  Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })
    .forEach(function (v) {
      var o = el("option", v + " (" + counts[v] + ")"); o.value = v; sel.appendChild(o);
    });
}
function matches(r) {
  if (state.q) {
    var q = state.q.toLowerCase();
    if (r.n.toLowerCase().indexOf(q) < 0 && (r.o || "").toLowerCase().indexOf(q) < 0) { return false; }
  }
  if (state.license && r.l !== state.license) { return false; }
  if (state.org && r.o !== state.org) { return false; }
  if (state.pipeline && r.p !== state.pipeline) { return false; }
  if (state.mof !== "") {
    var want = Number(state.mof);
    if (want === 0 ? r.m !== 0 : !(r.m >= want)) { return false; }
  }
  var min = Number(state.score) || 0;
  if (min > 0 && !(r.sc >= min)) { return false; }
  if (state.commercial === "1" && r.c !== true) { return false; }
  if (state.opendata === "1" && r.od !== true) { return false; }
  if (state.d && r.d !== state.d) { return false; }
  if (state.lc && r.lc !== state.lc) { return false; }
  if (state.cm && r.cm !== state.cm) { return false; }
  return true;
}
function compare(a, b) {
  var k = state.sort, x = a[k], y = b[k];
  var xn = (x === null || x === undefined || x === ""), yn2 = (y === null || y === undefined || y === "");
  if (xn || yn2) { return xn === yn2 ? (a.n < b.n ? -1 : 1) : (xn ? 1 : -1); }
  var c = (typeof x === "number") ? x - y : String(x).localeCompare(String(y));
  if (c === 0) { return a.n < b.n ? -1 : a.n > b.n ? 1 : 0; }
  return state.dir === "asc" ? c : -c;
}
function apply(keepPage) {
  view = rows.filter(matches);
  view.sort(compare);
  if (!keepPage) { state.page = "1"; }
  document.querySelectorAll("#grid th[data-sort]").forEach(function (th) {
    th.setAttribute("aria-sort", th.dataset.sort === state.sort ?
      (state.dir === "asc" ? "ascending" : "descending") : "none");
  });
  render();
  writeHash();
}
function indexCell(ch, label) {
  var td = el("td", null, "ix c-" + ch);
  var vis = el("span", ch); vis.setAttribute("aria-hidden", "true"); td.appendChild(vis);
  td.appendChild(el("span", label + ": " + (WORD[ch] || "unknown"), "sr"));
  td.title = label + ": " + (WORD[ch] || "unknown");
  return td;
}
function render() {
  var pages = Math.max(1, Math.ceil(view.length / PAGE));
  var page = Math.min(Math.max(1, parseInt(state.page, 10) || 1), pages);
  state.page = String(page);
  var body = document.querySelector("#grid tbody");
  var frag = document.createDocumentFragment();
  view.slice((page - 1) * PAGE, page * PAGE).forEach(function (r) {
    var tr = document.createElement("tr");
    var pick = el("td"); var box = document.createElement("input"); box.type = "checkbox";
    box.setAttribute("aria-label", "select " + r.n + " to compare");
    box.checked = selected.indexOf(r.s) >= 0;
    box.addEventListener("change", function () {
      if (box.checked) { selected.push(r.s); } else { selected = selected.filter(function (s) { return s !== r.s; }); }
      updateCompare();
    });
    pick.appendChild(box); tr.appendChild(pick);
    var name = el("td"); var a = el("a", r.n);
    if (SLUG.test(r.s)) { a.href = "r/" + r.s + ".html"; }
    name.appendChild(a); tr.appendChild(name);
    tr.appendChild(el("td", r.l || "none found"));
    tr.appendChild(el("td", mof(r.m)));
    tr.appendChild(el("td", score(r.sc)));
    tr.appendChild(el("td", r.dl === null || r.dl === undefined ? "" : r.dl));
    tr.appendChild(el("td", r.p || ""));
    tr.appendChild(el("td", yn(r.c)));
    tr.appendChild(el("td", r.od ? "open" : "no"));
    for (var i = 0; i < INDEX.length; i++) { tr.appendChild(indexCell(r.x.charAt(i) || "U", INDEX[i])); }
    frag.appendChild(tr);
  });
  body.replaceChildren(frag);
  $("pageinfo").textContent = "Page " + page + " of " + pages;
  $("prev").disabled = page <= 1; $("next").disabled = page >= pages;
  var slice = Object.keys(SLICES).filter(function (k) { return state[k]; })
    .map(function (k) { return SLICES[k] + " " + state[k]; }).join(", ");
  status(view.length + " of " + rows.length + " releases match" + (slice ? " (slice: " + slice + ")" : ""));
}
function updateCompare() {
  var b = $("compare-selected");
  b.disabled = selected.length < 2 || selected.length > 4;
  b.textContent = "Compare selected (" + selected.length + "; pick 2 to 4)";
}
function viewCsv() {
  var head = ["name", "ref", "organisation", "licence", "mof_class", "index_score", "downloads",
    "pipeline", "usable_commercially", "open_data"].concat(INDEX);
  var lines = [head.map(csvCell).join(",")];
  view.forEach(function (r) {
    var cells = [r.n, r.ref, r.o, r.l, mof(r.m), score(r.sc), r.dl, r.p, yn(r.c), r.od ? "yes" : "no"];
    for (var i = 0; i < INDEX.length; i++) { cells.push(WORD[r.x.charAt(i)] || "unknown"); }
    lines.push(cells.map(csvCell).join(","));
  });
  return lines.join("\n") + "\n";
}
function bind() {
  var inputs = {q: "input", license: "change", org: "change", pipeline: "change", mof: "change", score: "input"};
  Object.keys(inputs).forEach(function (k) {
    $(k).addEventListener(inputs[k], function () { state[k] = $(k).value; apply(false); });
  });
  ["commercial", "opendata"].forEach(function (k) {
    $(k).addEventListener("change", function () { state[k] = $(k).checked ? "1" : ""; apply(false); });
  });
  $("reset").addEventListener("click", function () { location.hash = ""; readHash(); apply(false); });
  document.querySelectorAll("#grid th[data-sort] button").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var key = btn.parentNode.dataset.sort;
      if (state.sort === key) { state.dir = state.dir === "asc" ? "desc" : "asc"; }
      else { state.sort = key; state.dir = (key === "n" || key === "l" || key === "p") ? "asc" : "desc"; }
      apply(false);
    });
  });
  $("prev").addEventListener("click", function () { state.page = String(Number(state.page) - 1); render(); writeHash(); });
  $("next").addEventListener("click", function () { state.page = String(Number(state.page) + 1); render(); writeHash(); });
  $("download-csv").addEventListener("click", function () {
    var blob = new Blob([viewCsv()], {type: "text/csv"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = "releases-view.csv";
    document.body.appendChild(a); a.click(); a.remove();
  });
  $("compare-selected").addEventListener("click", function () {
    location.href = "compare.html#r=" + selected.filter(function (s) { return SLUG.test(s); }).join(",");
  });
  window.addEventListener("hashchange", function () { readHash(); apply(true); });
}
loadRows().then(function (d) {
  rows = d.rows || [];
  fillSelect("license", "l"); fillSelect("org", "o"); fillSelect("pipeline", "p");
  bind(); readHash(); apply(true); updateCompare();
}).catch(failed);
})();
"""

COMPARE_JS = "(function () {\n\"use strict\";\n" + _COMMON_JS + r"""
var bySlug = {}, byName = {}, shown = null;
function differsOf(values) { return values.some(function (v) { return v !== values[0]; }); }
function compareCsv() {
  var lines = [["differs", "section", "field"].concat(shown.names).map(csvCell).join(",")];
  shown.rows.forEach(function (row) {
    lines.push([differsOf(row[2]) ? "yes" : "no", row[0], row[1]].concat(row[2]).map(csvCell).join(","));
  });
  return lines.join("\n") + "\n";
}
function compareJson() {
  return JSON.stringify({releases: shown.refs, names: shown.names, rows: shown.rows.map(function (row) {
    return {section: row[0], field: row[1], values: row[2], differs: differsOf(row[2])};
  })}, null, 2) + "\n";
}
function save(text, type, name) {
  var a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type: type})); a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
}
function slugsFromHash() {
  var p = new URLSearchParams(location.hash.slice(1));
  return (p.get("r") || "").split(",").filter(function (s) { return SLUG.test(s) && bySlug[s]; }).slice(0, 4);
}
function fetchReport(slug) {
  return fetch("reports/" + slug + ".json").then(function (r) { return r.ok ? r.json() : null; })
    .catch(function () { return null; });
}
function componentCells(reports) {
  var names = [];
  reports.forEach(function (d) {
    ((d && d.components) || []).forEach(function (c) { if (names.indexOf(c.name) < 0) { names.push(c.name); } });
  });
  return names.map(function (n) {
    return [n, reports.map(function (d) {
      var c = ((d && d.components) || []).filter(function (x) { return x.name === n; })[0];
      if (!c) { return "-"; }
      var lic = c.license && (c.license.id || c.license.raw);
      return c.status + (lic ? " (" + lic + ")" : "");
    })];
  });
}
function show(slugs) {
  var thead = document.querySelector("#compare thead"), tbody = document.querySelector("#compare tbody");
  thead.replaceChildren(); tbody.replaceChildren();
  if (slugs.length < 2) { status("Pick 2 to 4 releases."); return; }
  status("Loading " + slugs.length + " reports…");
  Promise.all(slugs.map(fetchReport)).then(function (reports) {
    var rs = slugs.map(function (s) { return bySlug[s]; });
    var hr = document.createElement("tr");
    ["differs", "section", "field"].forEach(function (h) { var th = el("th", h); th.scope = "col"; hr.appendChild(th); });
    rs.forEach(function (r) {
      var th = el("th"); th.scope = "col"; var a = el("a", r.n); a.href = "r/" + r.s + ".html";
      th.appendChild(a); hr.appendChild(th);
    });
    thead.appendChild(hr);
    var rows = [];
    function add(section, field, values) { rows.push([section, field, values]); }
    add("release", "licence (weights)", rs.map(function (r) { return r.l || "none found"; }));
    DIMS.forEach(function (d, i) { add("dimensions", d, rs.map(function (r) { return WORD[r.d.charAt(i)] || "unknown"; })); });
    componentCells(reports).forEach(function (c) { add("components", c[0], c[1]); });
    add("verdicts", "MOF class (proven)", rs.map(function (r) { return mof(r.m); }));
    add("verdicts", "MOF class (attainable)", rs.map(function (r) { return mof(r.ma); }));
    add("verdicts", "OSAID 1.0", rs.map(function (r) { return r.os; }));
    add("verdicts", "EU AI Act exemption", rs.map(function (r) { return r.eu; }));
    INDEX.forEach(function (p, i) { add("Open Source AI Index", p, rs.map(function (r) { return WORD[r.x.charAt(i)] || "unknown"; })); });
    add("Open Source AI Index", "score", rs.map(function (r) { return score(r.sc); }));
    TERMS.forEach(function (t, i) { add("licence terms", t, rs.map(function (r) { return yn(r.t[i]); })); });
    add("licence terms", "usable commercially", rs.map(function (r) { return yn(r.c); }));
    add("findings", "count", rs.map(function (r) { return String(r.f); }));
    shown = {names: rs.map(function (r) { return r.n; }), refs: rs.map(function (r) { return r.ref; }),
      rows: rows};
    $("download-compare-csv").disabled = false; $("download-compare-json").disabled = false;
    rows.forEach(function (row) {
      var values = row[2], differs = values.some(function (v) { return v !== values[0]; });
      var tr = document.createElement("tr"); if (differs) { tr.className = "diff"; }
      var mark = el("td");
      if (differs) {
        var m = el("span", "≠", "mark"); m.setAttribute("aria-hidden", "true"); mark.appendChild(m);
        mark.appendChild(el("span", "differs", "sr"));
      }
      tr.appendChild(mark); tr.appendChild(el("td", row[0]));
      var th = el("th", row[1]); th.scope = "row"; tr.appendChild(th);
      values.forEach(function (v) { tr.appendChild(el("td", v)); });
      tbody.appendChild(tr);
    });
    status("Comparing " + rs.map(function (r) { return r.n; }).join(", "));
  });
}
loadRows().then(function (d) {
  var list = $("names");
  (d.rows || []).forEach(function (r) {
    bySlug[r.s] = r; byName[r.n] = r.s; byName[r.ref] = r.s;
    var o = document.createElement("option"); o.value = r.n; list.appendChild(o);
  });
  var picks = document.querySelectorAll(".pick");
  function fromHash() {
    var slugs = slugsFromHash();
    picks.forEach(function (p, i) { p.value = slugs[i] ? bySlug[slugs[i]].n : ""; });
    show(slugs);
  }
  $("go").addEventListener("click", function () {
    var slugs = [];
    picks.forEach(function (p) { var s = byName[p.value.trim()]; if (s && slugs.indexOf(s) < 0) { slugs.push(s); } });
    location.hash = "r=" + slugs.join(",");
  });
  $("download-compare-csv").addEventListener("click", function () {
    if (shown) { save(compareCsv(), "text/csv", "compare.csv"); }
  });
  $("download-compare-json").addEventListener("click", function () {
    if (shown) { save(compareJson(), "application/json", "compare.json"); }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
}).catch(failed);
})();
"""

CENSUS_JS = r"""(function () {
"use strict";
// The census dashboard's interactive charts, drawn from each figure's data table
// (table.chart-data: one row per bar, one column per series, td[data-v] the value and its
// link the grid slice). Without script the static figure and the table stay as they are.
var NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  var e = document.createElementNS(NS, tag);
  Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  return e;
}
function fmt(v) { return Number(v).toLocaleString("en-US", {maximumFractionDigits: 3}); }
function read(table) {
  var series = Array.prototype.map.call(table.querySelectorAll("thead th[data-series]"), function (th) {
    return {name: th.dataset.series, colour: /^#[0-9a-f]{6}$/i.test(th.dataset.colour) ? th.dataset.colour : "#6e7781", on: true};
  });
  var cats = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
    return {label: tr.querySelector("th").textContent, cells: Array.prototype.map.call(tr.querySelectorAll("td"), function (td) {
      var a = td.querySelector("a");
      return {v: Number(td.dataset.v) || 0, href: a ? a.getAttribute("href") : ""};
    })};
  });
  return {kind: table.dataset.kind, unit: table.dataset.unit || "", series: series, cats: cats};
}
function setup(fig) {
  var table = fig.querySelector("table.chart-data");
  if (!table) { return; }
  var data = read(table), img = fig.querySelector("img");
  var controls = document.createElement("div"); controls.className = "chart-controls";
  var toggle = document.createElement("button"); toggle.type = "button"; toggle.className = "view-toggle";
  toggle.setAttribute("aria-pressed", "false"); toggle.textContent = "Show as table";
  controls.appendChild(toggle);
  var legend = null;
  if (data.series.length > 1) {
    legend = document.createElement("div"); legend.className = "legend";
    legend.setAttribute("role", "group"); legend.setAttribute("aria-label", "Series shown");
    data.series.forEach(function (s) {
      var b = document.createElement("button"); b.type = "button"; b.setAttribute("aria-pressed", "true");
      var sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = s.colour;
      sw.setAttribute("aria-hidden", "true");
      b.appendChild(sw); b.appendChild(document.createTextNode(s.name));
      b.addEventListener("click", function () {
        s.on = !s.on; b.setAttribute("aria-pressed", String(s.on)); draw();
      });
      legend.appendChild(b);
    });
    controls.appendChild(legend);
  }
  var box = document.createElement("div"); box.className = "chart-box";
  var tip = document.createElement("div"); tip.className = "tip"; tip.hidden = true;
  tip.setAttribute("role", "tooltip"); tip.id = "tip-" + fig.id;
  box.appendChild(tip);
  fig.insertBefore(controls, fig.firstChild);
  fig.insertBefore(box, controls.nextSibling);
  if (img) { img.hidden = true; }
  table.hidden = true;
  toggle.addEventListener("click", function () {
    var tableView = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(tableView));
    toggle.textContent = tableView ? "Show as chart" : "Show as table";
    table.hidden = !tableView; box.hidden = tableView;
    if (legend) { legend.hidden = tableView; }
  });
  function show(mark, text) {
    tip.textContent = text; tip.hidden = false;
    var r = mark.getBoundingClientRect(), b = box.getBoundingClientRect();
    tip.style.left = Math.max(0, r.left - b.left + r.width / 2 - 60) + "px";
    tip.style.top = Math.max(0, r.top - b.top - 34) + "px";
  }
  function hide() { tip.hidden = true; }
  function mark(el, text, href) {
    el.setAttribute("tabindex", "0");
    el.setAttribute("aria-label", text + (href ? ". Opens the grid filtered to them." : ""));
    el.setAttribute("role", href ? "link" : "img");
    el.setAttribute("aria-describedby", tip.id);
    el.classList.add("mark");
    el.addEventListener("mouseenter", function () { show(el, text); });
    el.addEventListener("focus", function () { show(el, text); });
    el.addEventListener("mouseleave", hide); el.addEventListener("blur", hide);
    if (href && /^index\.html#[^<>"]*$/.test(href)) {
      el.addEventListener("click", function () { location.href = href; });
      el.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); location.href = href; }
      });
    }
  }
  function draw() {
    Array.prototype.forEach.call(box.querySelectorAll("svg"), function (s) { s.remove(); });
    var W = 820, on = data.series.filter(function (s) { return s.on; });
    var chart;
    if (data.kind === "stack") {
      var H = 300, left = 50, bottom = 60, top = 10, n = data.cats.length || 1;
      var totals = data.cats.map(function (c) {
        return data.series.reduce(function (t, s, i) { return t + (s.on ? c.cells[i].v : 0); }, 0);
      });
      var max = Math.max.apply(null, totals.concat([1]));
      var bw = (W - left - 10) / n;
      chart = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "group", "class": "ichart"});
      chart.setAttribute("aria-label", fig.querySelector("img") ? fig.querySelector("img").alt : "chart");
      chart.appendChild(svg("line", {x1: left, y1: H - bottom, x2: W - 10, y2: H - bottom, "class": "axis"}));
      var yl = svg("text", {x: left - 6, y: top + 10, "text-anchor": "end", "class": "tick"}); yl.textContent = fmt(max);
      chart.appendChild(yl);
      var step = Math.max(1, Math.ceil(n / 12));
      data.cats.forEach(function (c, ci) {
        var y = H - bottom;
        data.series.forEach(function (s, si) {
          var v = c.cells[si].v;
          if (!s.on || !v) { return; }
          var h = v / max * (H - bottom - top);
          y -= h;
          var r = svg("rect", {x: left + ci * bw + 1, y: y, width: Math.max(1, bw - 2), height: Math.max(1, h), fill: s.colour});
          mark(r, c.label + ", " + s.name + ": " + fmt(v) + " " + data.unit, c.cells[si].href);
          chart.appendChild(r);
        });
        if (ci % step === 0) {
          var t = svg("text", {x: left + ci * bw + bw / 2, y: H - bottom + 14, "text-anchor": "end",
            transform: "rotate(-45 " + (left + ci * bw + bw / 2) + " " + (H - bottom + 14) + ")", "class": "tick"});
          t.textContent = c.label; chart.appendChild(t);
        }
      });
    } else {
      var rowH = 24, lw = 300, H2 = data.cats.length * rowH + 10;
      var max2 = Math.max.apply(null, data.cats.map(function (c) { return c.cells[0].v; }).concat([1e-9]));
      chart = svg("svg", {viewBox: "0 0 " + W + " " + H2, role: "group", "class": "ichart"});
      chart.setAttribute("aria-label", fig.querySelector("img") ? fig.querySelector("img").alt : "chart");
      data.cats.forEach(function (c, ci) {
        var v = c.cells[0].v, y = 5 + ci * rowH;
        var label = svg("text", {x: lw - 6, y: y + rowH * 0.65, "text-anchor": "end", "class": "tick"});
        label.textContent = c.label.length > 44 ? c.label.slice(0, 43) + "…" : c.label;
        chart.appendChild(label);
        var w = Math.max(1, v / max2 * (W - lw - 90));
        var r = svg("rect", {x: lw, y: y + 3, width: w, height: rowH - 6, fill: on.length ? data.series[0].colour : "#6e7781"});
        mark(r, c.label + ": " + fmt(v) + " " + data.unit, c.cells[0].href);
        chart.appendChild(r);
        var vt = svg("text", {x: lw + w + 4, y: y + rowH * 0.65, "class": "tick"}); vt.textContent = fmt(v);
        vt.setAttribute("aria-hidden", "true");
        chart.appendChild(vt);
      });
    }
    box.appendChild(chart);
  }
  draw();
}
Array.prototype.forEach.call(document.querySelectorAll("figure.chart"), setup);
})();
"""
