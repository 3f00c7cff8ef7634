"""The static explorer website: a leaderboard of every release, a page per release, a compare
page, and downloads (CSV, JSON), all in one folder with no external asset.

Layout of ``OUT``::

    index.html            leaderboard (assets/app.js renders data/releases.json a page at a time)
    compare.html          2 to 4 releases side by side (reads reports/<slug>.json)
    r/<slug>.html         one page per release (no script at all)
    reports/<slug>.json   the release's JSON report, as ``openscope audit -f json`` writes it
    data/releases.json    one summary row per release (the leaderboard's data)
    releases.csv          the same rows as CSV
    assets/               style.css, app.js (written by openscope, no third-party code)
    .openscope-site.json  manifest: each release's input hash, for incremental rebuilds

Everything from a report or a card is escaped with :mod:`markupsafe` on the server side, and the
page script only ever sets ``textContent``; only ``http``/``https`` URLs become external links.
A release page is rewritten only when its input (report JSON, card, source facts) changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from openscope.explorer.assets import APP_JS, COMPARE_JS, STYLE_CSS
from openscope.explorer.summary import (
    DIMENSIONS,
    INDEX_LABELS,
    INDEX_PARAMETERS,
    TERMS,
    mof_label,
    summarize,
)
from openscope.formats import _common as c
from openscope.report import Report
from openscope.writing import write_atomic

#: Bumped when page markup changes, so an incremental build rewrites every page.
SITE_VERSION = "1"
MANIFEST = ".openscope-site.json"
#: The card text shown on a release page is cut at this many characters.
CARD_LIMIT = 64 * 1024

PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "form-action 'none'")
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
           "img-src 'self' data:; base-uri 'none'; form-action 'none'")

_LETTER = {"open": "O", "partial": "P", "closed": "C", "restricted": "R", "unknown": "U"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One release to publish: its report JSON (``None`` for a census row, which has only
    its summary), its summary, and the card text the source read (if any)."""

    summary: dict[str, Any]
    data: dict[str, Any] | None = None
    card: str | None = None


@dataclass(slots=True)
class BuildStats:
    """What a build wrote: counts and bytes."""

    releases: int = 0
    pages_written: int = 0
    pages_skipped: int = 0
    pages_removed: int = 0
    total_bytes: int = 0
    page_bytes: list[int] = field(default_factory=list)
    data_bytes: int = 0


def entry_of(data: dict[str, Any], extra: Mapping[str, Any] | None = None) -> Entry:
    """The entry of an audited release (``extra``: ``pipeline``, ``downloads``, ``card``)."""
    extra = dict(extra or {})
    card = extra.pop("card", None)
    return Entry(summarize(data, extra), data, card if isinstance(card, str) else None)


def slug_of(ref: str) -> str:
    """A file-name-safe, collision-free id of a release: readable name + hash of the ref."""
    name = re.sub(r"^(hf|hf-dataset|gh|local|corpus|mirror):", "", ref).split("@", 1)[0]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("/", "--")).strip("._-")[:80]
    digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()[:10]
    return f"{name or 'release'}-{digest}"


def _row(entry: Entry, slug: str) -> dict[str, Any]:
    """The leaderboard row of one release (compact keys: the file holds 10,000+ rows)."""
    s = entry.summary
    terms = s["terms"]
    return {
        "s": slug, "n": s["name"], "ref": s["ref"], "o": s["org"], "k": s["kind"],
        "p": s["pipeline"], "dl": s["downloads"], "l": s["license"],
        "lo": s["license_openness"],
        "d": "".join(_LETTER.get(s["dimensions"][d], "U") for d in DIMENSIONS),
        "m": s["mof_class"], "ma": s["mof_attainable"], "os": s["osaid"], "eu": s["eu"],
        "x": "".join(_LETTER.get(s["index"][p], "U") for p in INDEX_PARAMETERS),
        "sc": s["index_score"], "c": s["commercial"], "od": s["open_data"],
        "t": [terms.get(k) for k in TERMS], "f": s["findings"],
    }


def rows_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The leaderboard rows as CSV (formula-looking cells are quoted with ')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["name", "ref", "organisation", "kind", "pipeline", "downloads", "licence",
              "licence_openness", *DIMENSIONS, "mof_class", "mof_attainable", "osaid", "eu",
              *INDEX_PARAMETERS, "index_score", "usable_commercially", "open_data", "findings"]
    writer.writerow(header)
    word = {v: k for k, v in _LETTER.items() if k != "restricted"}
    dim_word = {"O": "open", "R": "restricted", "C": "closed", "U": "unknown"}
    for r in rows:
        cells = [r["n"], r["ref"], r["o"], r["k"], r["p"], r["dl"], r["l"], r["lo"],
                 *[dim_word.get(ch, "unknown") for ch in r["d"]], r["m"], r["ma"], r["os"],
                 r["eu"], *[word.get(ch, "unknown") for ch in r["x"]], r["sc"],
                 {True: "yes", False: "no"}.get(r["c"], "unknown"), "yes" if r["od"] else "no",
                 r["f"]]
        writer.writerow(["" if v is None else _csv_safe(str(v)) for v in cells])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- pages ------------------------------------------------------------------------------

def _head(title: str, csp: str, css: str) -> Markup:
    return Markup(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<title>{}</title><link rel="stylesheet" href="{}"></head>\n').format(
            csp, title, css)


def pill(value: object) -> Markup:
    """A coloured status word (the word itself is the text alternative of the colour)."""
    text = str(value)
    cls = _PILL_CLASS.get(text)
    if cls is None:
        cls = re.sub(r"[^a-z]+", "-", text.lower()).strip("-") or "unknown"
    # escape() is MarkupSafe's: f-strings over escaped parts are much faster than
    # Markup.format on 10,000 pages, and as safe.
    return Markup(f'<span class="st st-{cls}">{escape(text)}</span>')


_PILL_CLASS = {w: w for w in ("open", "restricted", "closed", "unknown", "partial", "met",
                              "unmet", "pass", "fail", "warning", "error", "info")}


def _ext_link(text: object, url: object) -> Markup:
    safe = c.safe_url(url)
    if not safe:
        return Markup("{}").format(text)
    return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(safe, text)


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
           ident: str) -> Markup:
    """An escaped table (every cell through MarkupSafe's ``escape``)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in r) + "</tr>"
                     for r in rows)
    return Markup(f'<table id="{escape(ident)}"><caption>{escape(caption)}</caption><thead>'
                  f"<tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>")


def _evidence_index(data: Mapping[str, Any]) -> tuple[list[Any], dict[int, list[int]]]:
    """Every evidence item of the components, numbered once, and each component's numbers."""
    items: list[Any] = []
    seen: dict[str, int] = {}
    per: dict[int, list[int]] = {}
    for pos, comp in enumerate(data.get("components") or []):
        nums = []
        for item in comp.get("evidence") or []:
            key = repr(sorted(item.items())) if isinstance(item, Mapping) else repr(item)
            if key not in seen:
                seen[key] = len(items)
                items.append(item)
            nums.append(seen[key])
        per[pos] = nums
    return items, per


def release_page(entry: Entry, slug: str, title: str) -> str:
    """The page of one release: verdicts, components with evidence, lineage, datasets,
    findings, licence terms, the card as text, and downloads."""
    s = entry.summary
    data = entry.data or {}
    report = Report(data) if entry.data is not None else None
    body: list[Markup] = [
        Markup('<nav aria-label="site"><a href="../index.html">{}</a> › {}</nav>').format(
            title, s["name"]),
        Markup("<main><h1>{}</h1>").format(s["name"]),
        Markup('<p class="muted">{} · {} · source {} · revision <code>{}</code>{}</p>').format(
            s["ref"], s["kind"] or "release", s["source"] or "census",
            s["revision"] or "unknown",
            Markup(" · ") + _ext_link("on the web", s["url"]) if c.safe_url(s["url"]) else ""),
        Markup('<p class="actions">{}<a href="../compare.html#r={}">Compare with others</a>'
               "</p>").format(
            Markup('<a href="../reports/{}.json" download>Download the JSON report</a> · ')
            .format(slug) if entry.data is not None else "", slug),
        Markup("<h2>At a glance</h2>"),
    ]
    dims = data.get("dimensions") or {}
    body.append(Markup('<div class="dims">{}</div>').format(Markup("").join(
        Markup('<div class="dim"><h3>{}</h3>{}<p>{}</p></div>').format(
            d, pill(s["dimensions"][d]), (dims.get(d) or {}).get("reason", ""))
        for d in DIMENSIONS)))
    verdicts = [
        ("MOF class (proven)", mof_label(s["mof_class"])),
        ("MOF class (attainable)", mof_label(s["mof_attainable"])),
        ("OSI OSAID 1.0", pill(s["osaid"])),
        ("EU AI Act open-source exemption", pill(s["eu"])),
        ("Open-washing checks", pill(s["openwashing"])),
        ("Open Source AI Index score",
         f"{s['index_score']:.2f}" if s["index_score"] is not None else "unknown"),
        ("Licence of the weights", s["license"] or "none found"),
        ("Usable commercially", {True: "yes", False: "no"}.get(s["commercial"], "unknown")),
    ]
    body.append(_table("Verdicts", ("verdict", "value"), verdicts, "verdicts"))
    idx_params = ((data.get("frameworks") or {}).get("osai_index") or {}).get("parameters") or {}
    body.append(_table(
        "European Open Source AI Index parameters", ("parameter", "rating", "basis", "reason"),
        [(INDEX_LABELS[p], pill(s["index"][p]), (idx_params.get(p) or {}).get("basis", ""),
          (idx_params.get(p) or {}).get("reason", "")) for p in INDEX_PARAMETERS], "index"))
    terms = s["terms"]
    body.append(_table(
        "Key licence terms (licence knowledge base" + (f": {terms['source']})"
                                                       if terms.get("source") else ")"),
        ("term", "value"),
        [(label, {True: "yes", False: "no", None: "unknown"}.get(terms[k], str(terms[k])))
         for k, label in TERMS.items()], "terms"))
    if report is not None:
        body += _components(report)
        body += _frameworks(report)
        body += _lineage(data)
        body += _datasets(report, data)
        body += _findings(data)
    if entry.card:
        card = entry.card[:CARD_LIMIT]
        body.append(Markup('<h2 id="card">Model card (as text)</h2><p class="muted">Shown as '
                           "plain text: nothing in it is rendered or run.{}</p>"
                           '<pre class="card">{}</pre>').format(
            " Cut at 64 KiB." if len(entry.card) > CARD_LIMIT else "", card))
    body.append(Markup("</main>"))
    head = _head(f"{s['name']} · {title}", PAGE_CSP, "../assets/style.css")
    return str(head + Markup("<body>") + Markup("\n").join(body) + Markup("</body></html>\n"))


def _components(report: Report) -> list[Markup]:
    data = report.data
    items, per = _evidence_index(data)
    rows = []
    for pos, comp in enumerate(data.get("components") or []):
        lic = comp.get("license") or {}
        links = Markup(", ").join(
            Markup('<a href="#ev-{}">{}</a>').format(n + 1, c.location(items[n]).text or n + 1)
            for n in per.get(pos, [])[:6])
        more = len(per.get(pos, [])) - 6
        if more > 0:
            links += Markup(' <span class="muted">(+{} more)</span>').format(more)
        rows.append((comp.get("name", ""), pill(comp.get("status", "unknown")),
                     lic.get("id") or lic.get("raw") or "", comp.get("reason", ""), links))
    out = [Markup("<h2>Components (Model Openness Framework)</h2>"),
           _table("The 17 components", ("component", "status", "licence", "reason",
                                        "evidence"), rows, "components")]
    facts = []
    for n, item in enumerate(items):
        loc = c.location(item)
        kind = item.get("kind", "") if isinstance(item, Mapping) else ""
        snippet = item.get("snippet", "") if isinstance(item, Mapping) else ""
        target = c.link_for(report, loc)
        quote = f" <q>{escape(snippet)}</q>" if snippet else ""
        facts.append(Markup(f'<li id="ev-{n + 1}"><code>{escape(kind)}</code> '
                            f'{escape(loc.value or "")} — '
                            f'{_ext_link(loc.text or "(no location)", target)}{quote}</li>'))
    out.append(Markup('<h2 id="evidence">Evidence</h2><ol class="evidence">{}</ol>').format(
        Markup("\n").join(facts)))
    return out


def _frameworks(report: Report) -> list[Markup]:
    out = [Markup("<h2>Frameworks: requirements</h2>")]
    for fw in c.frameworks(report):
        rows = [(r.id, r.title, pill(r.outcome), r.reason, r.remediation or "")
                for r in fw.requirements]
        out.append(Markup("<details><summary>{}: {}</summary>{}</details>").format(
            fw.label, fw.verdict,
            _table(fw.label, ("id", "requirement", "outcome", "reason", "remediation"), rows,
                   f"fw-{fw.key}")))
    return out


def _lineage(data: Mapping[str, Any]) -> list[Markup]:
    chain = data.get("lineage") or []
    if not chain:
        return []
    items = [Markup('<li class="node">{} <span class="muted">(this release)</span>').format(
        c.subject_name(Report(dict(data))))]
    for entry in chain:
        if not isinstance(entry, Mapping):
            continue
        items.append(Markup('<li class="node"><span aria-hidden="true">↑ </span>'
                            "base: {} <span class=\"muted\">{}</span></li>").format(
            _ext_link(entry.get("ref", ""), entry.get("url")),
            "; ".join(c.lineage_details(entry))))
    return [Markup('<h2>Lineage</h2><ol class="lineage">{}</ol>').format(
        Markup("").join(items))]


def _datasets(report: Report, data: Mapping[str, Any]) -> list[Markup]:
    named = c.datasets(report)
    audited = [d for d in data.get("datasets") or [] if isinstance(d, Mapping)]
    if not named and not audited:
        return []
    items = [Markup("<li>{}{}</li>").format(
        _ext_link(d.name, d.url), " (in the release)" if d.in_release else "") for d in named]
    items += [Markup("<li>{}: {} ({})</li>").format(
        d.get("ref", ""), pill(d.get("status", "unknown")), d.get("license") or "no licence found")
        for d in audited]
    return [Markup('<h2>Datasets named</h2><ul class="datasets">{}</ul>').format(
        Markup("").join(items))]


def _findings(data: Mapping[str, Any]) -> list[Markup]:
    findings = [f for f in data.get("findings") or [] if isinstance(f, Mapping)]
    notes = [str(n) for n in data.get("notes") or []]
    out = [Markup("<h2>Findings</h2>")]
    if findings:
        out.append(Markup('<ul class="findings">{}</ul>').format(Markup("").join(
            Markup("<li>{} <code>{}</code>: {}</li>").format(
                pill(f.get("severity", "")), f.get("id", ""), f.get("message", ""))
            for f in findings)))
    else:
        out.append(Markup("<p>None.</p>"))
    if notes:
        out.append(Markup('<h3>Not read</h3><ul class="notes">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(n) for n in notes)))
    return out


def index_page(title: str, count: int) -> str:
    """The leaderboard page: controls and an empty grid filled by assets/app.js."""
    cols = Markup("").join(
        Markup('<th scope="col" class="ix" title="{}"><abbr title="{}">{}</abbr></th>')
        .format(INDEX_LABELS[p], INDEX_LABELS[p], INDEX_LABELS[p][:6]) for p in INDEX_PARAMETERS)
    body = Markup("""<body><a class="skip" href="#grid">Skip to the table</a>
<header><h1>{title}</h1><p class="muted">{count} releases audited by openscope. Every
cell links to the evidence on the release's page. Colours have text: O open, P partial,
C closed, U unknown.</p>
<nav aria-label="site"><a href="compare.html">Compare releases</a> ·
<a href="releases.csv" download>All rows (CSV)</a> ·
<a href="data/releases.json" download>All rows (JSON)</a></nav></header>
<main>
<form id="filters" role="search" aria-label="Filter releases">
<label>Search <input id="q" type="search" placeholder="name or organisation"></label>
<label>Licence <select id="license"><option value="">any</option></select></label>
<label>Organisation <select id="org"><option value="">any</option></select></label>
<label>Pipeline <select id="pipeline"><option value="">any</option></select></label>
<label>MOF class <select id="mof"><option value="">any</option><option value="3">III or
better</option><option value="2">II or better</option><option value="1">I</option>
<option value="0">0 (unclassified)</option></select></label>
<label>Index score ≥ <input id="score" type="number" min="0" max="1" step="0.05"
value="0"></label>
<label><input id="commercial" type="checkbox"> usable commercially</label>
<label><input id="opendata" type="checkbox"> open data</label>
<button type="button" id="reset">Reset</button>
</form>
<p id="status" role="status" aria-live="polite">Loading…</p>
<p class="actions"><button type="button" id="download-csv">Download this view (CSV)</button>
<button type="button" id="compare-selected" disabled>Compare selected (pick 2 to 4)</button>
<a id="permalink" href="#">Permalink to this view</a></p>
<div class="scroll"><table id="grid"><caption>Releases (sortable: use the column
buttons)</caption><thead><tr><th scope="col"><span class="sr">select</span></th>
<th scope="col" data-sort="n" aria-sort="none"><button type="button">Name</button></th>
<th scope="col" data-sort="l" aria-sort="none"><button type="button">Licence</button></th>
<th scope="col" data-sort="m" aria-sort="none"><button type="button">MOF</button></th>
<th scope="col" data-sort="sc" aria-sort="descending"><button type="button">Index
score</button></th>
<th scope="col" data-sort="dl" aria-sort="none"><button type="button">Downloads</button></th>
<th scope="col" data-sort="p" aria-sort="none"><button type="button">Pipeline</button></th>
<th scope="col">Commercial</th><th scope="col">Data</th>{cols}</tr></thead>
<tbody></tbody></table></div>
<nav id="pager" aria-label="pages"><button type="button" id="prev">Previous page</button>
<span id="pageinfo"></span><button type="button" id="next">Next page</button></nav>
</main><script src="assets/app.js"></script></body></html>
""").format(title=title, count=count, cols=cols)
    return str(_head(title, APP_CSP, "assets/style.css") + body)


def compare_page(title: str) -> str:
    """The compare page: pick 2 to 4 releases; assets/compare.js shows them side by side."""
    pickers = Markup("").join(
        Markup('<label>Release {} <input class="pick" list="names" autocomplete="off"></label>')
        .format(i + 1) for i in range(4))
    body = Markup("""<body><nav aria-label="site"><a href="index.html">{title}</a> › compare
</nav><main><h1>Compare releases</h1>
<form id="picker" aria-label="Pick releases">{pickers}<datalist id="names"></datalist>
<button type="button" id="go">Compare</button></form>
<p id="status" role="status" aria-live="polite"></p>
<p class="muted">Rows marked ≠ differ between the releases.</p>
<div class="scroll"><table id="compare"><thead></thead><tbody></tbody></table></div>
</main><script src="assets/compare.js"></script></body></html>
""").format(title=title, pickers=pickers)
    return str(_head(f"Compare · {title}", APP_CSP, "assets/style.css") + body)


# --- the build --------------------------------------------------------------------------

def _input_hash(entry: Entry, report_json: str | None) -> str:
    h = hashlib.sha256(SITE_VERSION.encode())
    h.update((report_json or "").encode("utf-8"))
    h.update(json.dumps(entry.summary, sort_keys=True, default=str).encode("utf-8"))
    h.update((entry.card or "").encode("utf-8"))
    return h.hexdigest()


def _write(path: Path, text: str, stats: BuildStats) -> int:
    data = text.encode("utf-8")
    write_atomic(path, data)
    path.chmod(0o644)  # a published site is world-readable
    stats.total_bytes += len(data)
    return len(data)


def build(out: Path, entries: Sequence[Entry], title: str = "openscope explorer") -> BuildStats:
    """Write the site for ``entries`` into ``out``; unchanged release pages are kept.

    A release page and its JSON report are rewritten only when the hash of their input
    differs from the manifest's; pages of releases no longer listed are removed.
    """
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("r", "reports", "data", "assets"):
        (out / sub).mkdir(exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8")).get("pages", {})
        old = old if isinstance(old, dict) else {}
    except (OSError, ValueError, AttributeError):
        old = {}
    stats = BuildStats(releases=len(entries))
    pages: dict[str, str] = {}
    rows = []
    for entry in entries:
        slug = slug_of(entry.summary["ref"] or entry.summary["name"])
        if slug in pages:  # the same release twice: publish it once
            continue
        report_json = (json.dumps(entry.data, sort_keys=True, ensure_ascii=False, indent=2)
                       + "\n") if entry.data is not None else None
        digest = _input_hash(entry, report_json)
        pages[slug] = digest
        rows.append(_row(entry, slug))
        page_path = out / "r" / f"{slug}.html"
        if old.get(slug) == digest and page_path.exists():
            stats.pages_skipped += 1
            continue
        stats.page_bytes.append(_write(page_path, release_page(entry, slug, title), stats))
        if report_json is not None:
            _write(out / "reports" / f"{slug}.json", report_json, stats)
        stats.pages_written += 1
    for slug in set(old) - set(pages):
        for stale in (out / "r" / f"{slug}.html", out / "reports" / f"{slug}.json"):
            if stale.exists():
                stale.unlink()
        stats.pages_removed += 1
    rows.sort(key=lambda r: (-(r["sc"] if r["sc"] is not None else -1), r["n"]))
    stats.data_bytes = _write(out / "data" / "releases.json",
                              json.dumps({"title": title, "rows": rows}, ensure_ascii=False,
                                         separators=(",", ":")), stats)
    _write(out / "releases.csv", rows_csv(rows), stats)
    _write(out / "index.html", index_page(title, len(rows)), stats)
    _write(out / "compare.html", compare_page(title), stats)
    _write(out / "assets" / "style.css", STYLE_CSS, stats)
    _write(out / "assets" / "app.js", APP_JS, stats)
    _write(out / "assets" / "compare.js", COMPARE_JS, stats)
    _write(manifest_path, json.dumps({"site_version": SITE_VERSION, "pages": pages},
                                     sort_keys=True, indent=0) + "\n", stats)
    return stats
