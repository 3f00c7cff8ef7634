"""The static explorer website: a leaderboard of every release, a page per release, a compare
page, and downloads (CSV, JSON), all in one folder with no external asset.

Layout of ``OUT``::

    index.html            leaderboard (assets/app.js renders data/releases.json a page at a time)
    compare.html          2 to 4 releases side by side (reads reports/<slug>.json)
    r/<slug>.html         one page per release (no script at all)
    reports/<slug>.json   the release's JSON report, as ``openscope audit -f json`` writes it
    snapshots/<slug>.json what the source saw, as ``openscope snapshot`` writes it (written
                          while collecting, by :mod:`openscope.explorer.snapshots`)
    data/releases.json    one summary row per release (the leaderboard's data)
    releases.csv          the same rows as CSV
    assets/               style.css, app.js, compare.js, census.js (written by openscope, no
                          third-party code)
    .openscope-site.json  manifest: each release's input hash, for incremental rebuilds

Everything from a report or a card is escaped with :mod:`markupsafe` on the server side, and the
page script only ever sets ``textContent``; only ``http``/``https`` URLs become external links.
A release page is rewritten only when its input (report JSON, card, source facts) changed.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import marshal
import multiprocessing
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from markupsafe import Markup, escape

from openscope.explorer.assets import APP_JS, CENSUS_JS, COMPARE_JS, STYLE_CSS
from openscope.explorer.snapshots import FOLDER as SNAPSHOTS
from openscope.explorer.snapshots import Published
from openscope.explorer.summary import (
    DIMENSIONS,
    INDEX_LABELS,
    INDEX_PARAMETERS,
    TERMS,
    mof_label,
    release_name,
    summarize,
)
from openscope.formats import _common as c
from openscope.report import Report
from openscope.writing import write_atomic

#: Bumped when page markup changes, so an incremental build rewrites every page.
SITE_VERSION = "2"
MANIFEST = ".openscope-site.json"
#: The card text shown on a release page is cut at this many characters.
CARD_LIMIT = 64 * 1024
#: The page-weight budget, in bytes (measured by ``benchmarks/site.py``): a release page on
#: average and at most (the card is cut at :data:`CARD_LIMIT`), the leaderboard's first load
#: (page, script, style) and its data per release. Downloads (JSON report, snapshot, CSV)
#: are not page weight: a page states their size.
PAGE_BUDGET = {"release_page_mean": 48_000, "release_page_max": 256_000,
               "leaderboard_first_load": 64_000, "data_per_release": 400}

PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "form-action 'none'")
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
           "img-src 'self' data:; base-uri 'none'; form-action 'none'")

_LETTER = {"open": "O", "partial": "P", "closed": "C", "restricted": "R", "unknown": "U"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One release to publish: its report JSON (``None`` for a census row, which has only
    its summary), its summary, the card text the source read (if any), and its snapshot
    file when one was written into the site (:mod:`openscope.explorer.snapshots`)."""

    summary: dict[str, Any]
    data: dict[str, Any] | None = None
    card: str | None = None
    snapshot: Published | None = None


@dataclass(slots=True)
class BuildStats:
    """What a build wrote: counts and bytes."""

    releases: int = 0
    pages_written: int = 0
    pages_skipped: int = 0
    pages_removed: int = 0
    total_bytes: int = 0
    page_bytes: list[int] = field(default_factory=list)
    report_bytes: list[int] = field(default_factory=list)
    data_bytes: int = 0
    #: Snapshots the site links to, and their bytes (written while collecting).
    snapshots: int = 0
    snapshot_bytes: int = 0


def entry_of(data: dict[str, Any], extra: Mapping[str, Any] | None = None) -> Entry:
    """The entry of an audited release (``extra``: ``pipeline``, ``downloads``, ``card``,
    ``snapshot``)."""
    extra = dict(extra or {})
    card = extra.pop("card", None)
    snap = extra.pop("snapshot", None)
    return Entry(summarize(data, extra), data, card if isinstance(card, str) else None,
                 snap if isinstance(snap, Published) else None)


def slug_of(ref: str) -> str:
    """A file-name-safe, collision-free id of a release: readable name + hash of the ref."""
    name = re.sub(r"^(hf|hf-dataset|gh|local|corpus|mirror):", "", ref).split("@", 1)[0]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("/", "--")).strip("._-")[:80]
    digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()[:10]
    return f"{name or 'release'}-{digest}"


def report_slug(data: Mapping[str, Any]) -> str:
    """The slug of an audited release, from its report (as :func:`build` names its files)."""
    subject = data.get("subject")
    ref = str(subject.get("ref", "")) if isinstance(subject, Mapping) else ""
    return slug_of(ref or release_name(data))


def _size(n: int) -> str:
    """A download's size for people: ``812 bytes``, ``2.4 kB``, ``1.3 MB``."""
    if n < 1000:
        return f"{n} bytes"
    return f"{n / 1000:.1f} kB" if n < 1_000_000 else f"{n / 1e6:.1f} MB"


def _downloads(entry: Entry, slug: str, report_bytes: int | None) -> Markup:
    """The release page's downloads: the JSON report and the snapshot, with their sizes, or
    why there are none (a census row has neither)."""
    if entry.data is None:
        return Markup('<p class="downloads">No JSON report or snapshot: this row comes from '
                      "a census of Hub metadata, not from an audit. Audit the release for both: "
                      "<code>openscope snapshot {} -o snapshot.json</code>.</p>").format(
            entry.summary["ref"] or entry.summary["name"])
    size = f" ({_size(report_bytes)})" if report_bytes else ""
    report = Markup('<a href="../reports/{}.json" download>Download the JSON report</a>{}'
                    ).format(slug, size)
    snap = entry.snapshot
    if snap is None:
        return Markup('<p class="downloads">{} · no snapshot was published with this '
                      "build.</p>").format(report)
    return Markup('<p class="downloads">{} · <a href="../{}" download>Download the snapshot'
                  "</a> ({}): what the source saw. <code>openscope audit {}.json</code> replays "
                  "this report (with the build's source options, e.g. <code>--mirror</code>, "
                  "for the base models and datasets it links).</p>").format(
        report, snap.path, _size(snap.size), slug)


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
        # census rows only: the slices the dashboard's charts link to (licence class as the
        # census counts it, creation month)
        **({"lc": s["license_class"], "cm": s["created_month"]}
           if "license_class" in s else {}),
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


@functools.lru_cache(maxsize=1 << 16)
def _esc_str(text: str) -> str:
    """``text`` escaped as MarkupSafe escapes it (memoised: requirement titles, reasons and
    remediations repeat across thousands of pages)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _esc(value: object) -> str:
    """A table cell or text as HTML: :class:`Markup` as it is, anything else escaped."""
    if isinstance(value, Markup):
        return value
    if value.__class__ is not str and hasattr(value, "__html__"):
        return str(escape(value))
    return _esc_str(value if value.__class__ is str else str(value))


def pill(value: object) -> Markup:
    """A coloured status word (the word itself is the text alternative of the colour)."""
    text = str(value)
    cls = _PILL_CLASS.get(text)
    if cls is None:
        cls = re.sub(r"[^a-z]+", "-", text.lower()).strip("-") or "unknown"
    # escape() is MarkupSafe's: f-strings over escaped parts are much faster than
    # Markup.format on 10,000 pages, and as safe.
    return Markup(f'<span class="st st-{cls}">{_esc_str(text)}</span>')


_PILL_CLASS = {w: w for w in ("open", "restricted", "closed", "unknown", "partial", "met",
                              "unmet", "pass", "fail", "warning", "error", "info")}


def _ext_link(text: object, url: object) -> Markup:
    safe = c.safe_url(url)
    if not safe:
        return Markup(_esc(text))
    return Markup(f'<a href="{_esc_str(safe)}" rel="noopener noreferrer nofollow">'
                  f"{_esc(text)}</a>")


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
           ident: str) -> Markup:
    """An escaped table (every cell through MarkupSafe's ``escape``; a :class:`Markup`
    cell is already safe)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "\n".join(["<tr><td>" + "</td><td>".join([_esc(x) for x in r]) + "</td></tr>"
                      for r in rows])
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


def release_page(entry: Entry, slug: str, title: str, report_bytes: int | None = None) -> str:
    """The page of one release: verdicts, components with evidence, lineage, datasets,
    findings, licence terms, the card as text, and downloads (the JSON report of
    ``report_bytes`` bytes and the snapshot, with their sizes)."""
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
        Markup('<p class="actions"><a href="../compare.html#r={}">Compare with others</a>'
               "</p>").format(slug),
        _downloads(entry, slug, report_bytes),
        Markup("<h2>At a glance</h2>"),
    ]
    dims = data.get("dimensions") or {}
    body.append(Markup('<div class="dims">' + "".join([
        f'<div class="dim"><h3>{_esc(d)}</h3>{pill(s["dimensions"][d])}'
        f'<p>{_esc((dims.get(d) or {}).get("reason", ""))}</p></div>'
        for d in DIMENSIONS]) + "</div>"))
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
        body += _badge_snippets(slug, str(s["name"]))
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
    return str(head) + "<body>" + "\n".join(body) + "</body></html>\n"


def _components(report: Report) -> list[Markup]:
    data = report.data
    items, per = _evidence_index(data)
    locs = [c.location(item) for item in items]
    rows = []
    for pos, comp in enumerate(data.get("components") or []):
        lic = comp.get("license") or {}
        links = ", ".join([f'<a href="#ev-{n + 1}">{_esc(locs[n].text or n + 1)}</a>'
                           for n in per.get(pos, [])[:6]])
        more = len(per.get(pos, [])) - 6
        if more > 0:
            links += f' <span class="muted">(+{more} more)</span>'
        rows.append((comp.get("name", ""), pill(comp.get("status", "unknown")),
                     lic.get("id") or lic.get("raw") or "", comp.get("reason", ""),
                     Markup(links)))
    out = [Markup("<h2>Components (Model Openness Framework)</h2>"),
           _table("The 17 components", ("component", "status", "licence", "reason",
                                        "evidence"), rows, "components")]
    facts = []
    for n, item in enumerate(items):
        loc = locs[n]
        kind = item.get("kind", "") if isinstance(item, Mapping) else ""
        snippet = item.get("snippet", "") if isinstance(item, Mapping) else ""
        target = c.link_for(report, loc)
        quote = f" <q>{_esc(snippet)}</q>" if snippet else ""
        facts.append(f'<li id="ev-{n + 1}"><code>{_esc(kind)}</code> '
                     f'{_esc(loc.value or "")} — '
                     f'{_ext_link(loc.text or "(no location)", target)}{quote}</li>')
    out.append(Markup('<h2 id="evidence">Evidence</h2><ol class="evidence">'
                      + "\n".join(facts) + "</ol>"))
    return out


def _framework_titles() -> dict[str, str]:
    """The frameworks' display titles (read once per process)."""
    global _TITLES
    if _TITLES is None:
        _TITLES = c._framework_titles()
    return _TITLES


_TITLES: dict[str, str] | None = None


def _overall(outcomes: Sequence[str]) -> str:
    """A framework's outcome when the report gives none (as ``formats._common`` does)."""
    return "unmet" if "unmet" in outcomes else "unknown" if "unknown" in outcomes else "met"


def _frameworks(report: Report) -> list[Markup]:
    """One folded table of requirements per framework, in the order of
    :func:`openscope.formats._common.frameworks` (read straight from the report: the
    evidence of each requirement is not shown here, so it is not parsed)."""
    fws = report.data.get("frameworks") or {}
    titles = _framework_titles()
    order = [k for k in titles if k in fws] + sorted(k for k in fws if k not in titles)
    out = [Markup("<h2>Frameworks: requirements</h2>")]
    for key in order:
        fw = fws[key]
        if not isinstance(fw, Mapping) or not isinstance(fw.get("requirements"), list):
            continue
        rows = []
        outcomes = []
        for raw in fw["requirements"]:
            if not isinstance(raw, Mapping) or not raw.get("id"):
                continue
            rid = str(raw["id"])
            outcome = str(raw.get("outcome") or "unknown")
            outcomes.append(outcome)
            rows.append((rid, str(raw.get("title") or rid), pill(outcome),
                         str(raw.get("reason") or ""),
                         str(raw["remediation"]) if raw.get("remediation") else ""))
        label = titles.get(key) or str(fw.get("framework") or key)
        verdict = str(fw.get("verdict") or fw.get("label") or fw.get("outcome")
                      or _overall(outcomes))
        table = _table(label, ("id", "requirement", "outcome", "reason", "remediation"), rows,
                       f"fw-{key}")
        out.append(Markup(f"<details><summary>{_esc_str(label)}: {_esc_str(verdict)}</summary>"
                          f"{table}</details>"))
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
    return [Markup('<h2>Lineage</h2>'), lineage_svg(data),
            Markup('<ol class="lineage">{}</ol>').format(Markup("").join(items))]


def lineage_svg(data: Mapping[str, Any]) -> Markup:
    """The lineage as a small graph: one box per model, the release at the bottom, each base
    above the model it was derived from, arrows from child to base. Text is escaped; the list
    below the figure carries the same information for screen readers."""
    chain = [e for e in data.get("lineage") or [] if isinstance(e, Mapping)][:12]
    if not chain:
        return Markup("")
    me = str((data.get("subject") or {}).get("ref") or "this release")
    levels: dict[int, list[str]] = {0: [me]}
    for e in chain:
        levels.setdefault(int(e.get("depth") or 1), []).append(str(e.get("ref") or "?"))
    box_w, box_h, gap_y = 260, 30, 26
    width = max(len(v) for v in levels.values()) * (box_w + 20) + 20
    height = (max(levels) + 1) * (box_h + gap_y) + 10
    pos: dict[str, tuple[int, int]] = {}
    parts = []
    for depth, refs in sorted(levels.items()):
        y = height - (depth + 1) * (box_h + gap_y) + gap_y // 2
        for i, ref in enumerate(refs):
            x = 20 + i * (box_w + 20)
            pos.setdefault(ref, (x, y))
            label = ref if len(ref) <= 38 else ref[:37] + "…"
            parts.append(f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" '
                         f'class="{"me" if depth == 0 else "base"}"/>'
                         f'<text x="{x + 8}" y="{y + 20}">{_esc_str(label)}</text>')
    for e in chain:
        child, base = str(e.get("child") or me), str(e.get("ref") or "?")
        if child in pos and base in pos:
            (cx, cy), (bx, by) = pos[child], pos[base]
            parts.append(f'<line x1="{cx + box_w // 2}" y1="{cy}" x2="{bx + box_w // 2}" '
                         f'y2="{by + box_h}" marker-end="url(#arrow)"/>')
    return Markup(
        f'<svg class="lineage-graph" role="img" aria-label="lineage graph: {_esc_str(me)} '
        f'and its base models" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="4" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>'
        + "".join(parts) + "</svg>")


def badge_svg(data: Mapping[str, Any]) -> bytes:
    """The release's MOF badge (the same SVG as ``openscope audit -f badge``)."""
    from openscope.formats import render

    return render(Report(dict(data)), "badge").encode("utf-8")


def _badge_snippets(slug: str, name: str) -> list[Markup]:
    """The badge and the snippets to embed it elsewhere (Markdown and HTML)."""
    src = f"badges/{slug}.svg"
    md = f"[![MOF class of {name}]({src})](r/{slug}.html)"
    html = f'<a href="r/{slug}.html"><img src="{src}" alt="MOF class of {name}"></a>'
    return [Markup('<h2>Badge</h2><p><img src="../{}" alt="MOF class badge"></p>'
                   '<p class="muted">Embed it (paths relative to the site root):</p>'
                   "<pre>{}</pre><pre>{}</pre>").format(src, md, html)]


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
        out.append(Markup('<ul class="findings">' + "".join([
            f'<li>{pill(f.get("severity", ""))} <code>{_esc(f.get("id", ""))}</code>: '
            f'{_esc(f.get("message", ""))}</li>' for f in findings]) + "</ul>"))
    else:
        out.append(Markup("<p>None.</p>"))
    if notes:
        out.append(Markup('<h3>Not read</h3><ul class="notes">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(n) for n in notes)))
    return out


def _census_pages(out: Path, censuses: list[Path], title: str,
                  rows: Sequence[Mapping[str, Any]], stats: BuildStats) -> list[tuple[str, str]]:
    """Write (or remove) the census dashboard and history; the (link, text) pairs the
    leaderboard shows for them."""
    from openscope.explorer import census_pages

    links = []
    if censuses:
        files = census_pages.write_dashboard(out, censuses[-1], title, rows)
        links.append(("census.html", "Census dashboard"))
    else:
        files = []
        for stale in (out / "census.html", out / "census" / ".inputs"):
            stale.unlink(missing_ok=True)
    if not censuses:
        files += census_pages.write_releases_history(out, title, rows)
        if files:
            links.append(("history-releases.html", "Release history (what changed)"))
    if len(censuses) >= 2:
        files += census_pages.write_history(out, censuses[0], censuses[-1], title,
                                            {r["n"]: r["s"] for r in rows})
        links.append(("history.html", "History (what changed)"))
    else:
        for name in ("history.html", "history.json", "history.csv"):
            (out / name).unlink(missing_ok=True)
    stats.total_bytes += sum(f.stat().st_size for f in files)
    return links


def index_page(title: str, count: int, extra: Sequence[tuple[str, str]] = ()) -> str:
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
<a href="data/releases.json" download>All rows (JSON)</a>{extra}</nav></header>
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
""").format(title=title, count=count, cols=cols, extra=Markup("").join(
        Markup(' · <a href="{}">{}</a>').format(href, text) for href, text in extra))
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
<p class="actions"><button type="button" id="download-compare-csv" disabled>Download this
comparison (CSV)</button> <button type="button" id="download-compare-json"
disabled>(JSON)</button></p>
<div class="scroll"><table id="compare"><thead></thead><tbody></tbody></table></div>
</main><script src="assets/compare.js"></script></body></html>
""").format(title=title, pickers=pickers)
    return str(_head(f"Compare · {title}", APP_CSP, "assets/style.css") + body)


# --- the build --------------------------------------------------------------------------

def report_text(data: Mapping[str, Any]) -> str:
    """The release's report as the site publishes it: compact JSON with sorted keys (the
    same content as ``openscope audit -f json``, without the indentation, which makes the
    encoder several times slower and the file a third bigger)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _fingerprint(value: object) -> bytes:
    """Bytes that change whenever ``value`` (JSON-like data) changes: ``marshal`` format 2,
    which has no back-references, so equal data gives equal bytes whatever objects it
    shares, ~5x faster than JSON; JSON when a value is not a plain builtin type."""
    try:
        return b"m" + marshal.dumps(cast(Any, value), 2)
    except ValueError:
        return b"j" + json.dumps(value, sort_keys=True, default=str).encode("utf-8")


def _input_hash(entry: Entry, title: str) -> str:
    """The hash of everything a release's page and report are made of: the site version,
    the title, the report, the summary and the card."""
    h = hashlib.sha256(SITE_VERSION.encode())
    snap = entry.snapshot
    for part in (title.encode("utf-8"), _fingerprint(entry.data),
                 _fingerprint(entry.summary), (entry.card or "").encode("utf-8"),
                 f"{snap.path}:{snap.size}".encode() if snap is not None else b""):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _write(path: Path, text: str, stats: BuildStats) -> int:
    data = text.encode("utf-8")
    _put(path, data)
    stats.total_bytes += len(data)
    return len(data)


#: Fewer pages to render than this: render them in this process (a pool costs ~0.1 s).
POOL_MIN_PAGES = 400

# What the pool's workers render: set in the parent just before the (fork) pool starts, so
# the entries reach the workers without being pickled.
_JOB: tuple[Sequence[Entry], str, Path] | None = None


def _put(path: Path, data: bytes) -> None:
    write_atomic(path, data)
    path.chmod(0o644)  # a published site is world-readable


def _render_pages(todo: Sequence[tuple[int, str]]) -> list[tuple[int, int]]:
    """Render and write the release pages and JSON reports ``todo`` (entry index, slug) of
    :data:`_JOB`; the bytes of each page and of each report (0: none)."""
    assert _JOB is not None
    entries, title, out = _JOB
    sizes = []
    for pos, slug in todo:
        entry = entries[pos]
        report = b""
        if entry.data is not None:
            report = report_text(entry.data).encode("utf-8")
            _put(out / "reports" / f"{slug}.json", report)
            _put(out / "badges" / f"{slug}.svg", badge_svg(entry.data))
        if entry.snapshot is None:  # not published (any more): no stale file either
            (out / SNAPSHOTS / f"{slug}.json").unlink(missing_ok=True)
        page = release_page(entry, slug, title, len(report)).encode("utf-8")
        _put(out / "r" / f"{slug}.html", page)
        sizes.append((len(page), len(report)))
    return sizes


#: Processes that render release pages by default: one. On the 2-core shared machine of
#: ``benchmarks/site.py`` a pool of 2 was slower (2.8 s against 2.4 s for 1,000 pages): the
#: cores are busy and the page writes wait on the disk. ``--workers`` sets more.
DEFAULT_WORKERS = 1


def _render_all(out: Path, entries: Sequence[Entry], title: str,
                todo: list[tuple[int, str]], workers: int) -> list[tuple[int, int]]:
    """Render ``todo`` in a pool of ``workers`` forked processes (or here when the job is
    small, the platform cannot fork, or ``workers`` is 1); the page sizes, in order."""
    global _JOB
    _JOB = (entries, title, out)
    try:
        if (workers < 2 or len(todo) < POOL_MIN_PAGES
                or "fork" not in multiprocessing.get_all_start_methods()):
            return _render_pages(todo)
        size = max(50, len(todo) // (workers * 8))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [n for part in pool.imap(_render_pages, chunks) for n in part]
    finally:
        _JOB = None


def build(out: Path, entries: Sequence[Entry], title: str = "openscope explorer",
          workers: int | None = None, censuses: Sequence[Path] = ()) -> BuildStats:
    """Write the site for ``entries`` into ``out``; unchanged release pages are kept.

    A release page and its JSON report are rewritten only when the hash of their input
    (report, summary, card, title, :data:`SITE_VERSION`) differs from the manifest's; pages
    of releases no longer listed are removed. Pages are rendered by ``workers`` processes
    (default :data:`DEFAULT_WORKERS`); the output does not depend on their number.
    With ``censuses`` (census folders, oldest first) the site also gets the dashboard of
    the last one (``census.html``) and, with two or more, ``history.html``: what changed
    from the first to the last (:mod:`openscope.explorer.census_pages`).
    """
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("r", "reports", "badges", "data", "assets"):
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
    todo: list[tuple[int, str]] = []
    for pos, entry in enumerate(entries):
        slug = slug_of(entry.summary["ref"] or entry.summary["name"])
        if slug in pages:  # the same release twice: publish it once
            continue
        digest = _input_hash(entry, title)
        pages[slug] = digest
        rows.append(_row(entry, slug))
        if entry.snapshot is not None:
            stats.snapshots += 1
            stats.snapshot_bytes += entry.snapshot.size
        if old.get(slug) == digest and (out / "r" / f"{slug}.html").exists():
            stats.pages_skipped += 1
            continue
        todo.append((pos, slug))
    sizes = _render_all(out, entries, title, todo, workers or DEFAULT_WORKERS)
    stats.page_bytes = [page for page, _ in sizes]
    stats.report_bytes = [report for _, report in sizes if report]
    stats.pages_written = len(todo)
    stats.total_bytes += sum(stats.page_bytes) + sum(stats.report_bytes)
    for slug in set(old) - set(pages):
        for stale in (out / "r" / f"{slug}.html", out / "reports" / f"{slug}.json",
                      out / "badges" / f"{slug}.svg", out / SNAPSHOTS / f"{slug}.json"):
            if stale.exists():
                stale.unlink()
        stats.pages_removed += 1
    given = list(rows)  # the order given: the release history compares in it
    rows.sort(key=lambda r: (-(r["sc"] if r["sc"] is not None else -1), r["n"]))
    stats.data_bytes = _write(out / "data" / "releases.json",
                              json.dumps({"title": title, "rows": rows}, ensure_ascii=False,
                                         separators=(",", ":")), stats)
    _write(out / "releases.csv", rows_csv(rows), stats)
    extra = _census_pages(out, list(censuses), title, given, stats)
    _write(out / "index.html", index_page(title, len(rows), extra), stats)
    _write(out / "compare.html", compare_page(title), stats)
    _write(out / "assets" / "style.css", STYLE_CSS, stats)
    _write(out / "assets" / "app.js", APP_JS, stats)
    _write(out / "assets" / "compare.js", COMPARE_JS, stats)
    _write(out / "assets" / "census.js", CENSUS_JS, stats)
    _write(manifest_path, json.dumps({"site_version": SITE_VERSION, "pages": pages},
                                     sort_keys=True, indent=0) + "\n", stats)
    return stats
