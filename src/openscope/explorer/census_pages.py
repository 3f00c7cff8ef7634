"""Census pages of the explorer: the dashboard of ``census report`` and census history.

``census.html`` shows the charts of ``openscope census report`` (licences over time,
openness profiles, download concentration, organisations) as static SVG figures with a PNG
fallback and a text alternative, the statistics tables (lineage included) with CSV
downloads, and links from each figure into the leaderboard's filters (permalinks of
``index.html``). The bar charts also carry their data as a table (:func:`chart_table`: each
value linked to its slice of the grid), which ``assets/census.js`` draws as an interactive
chart (tooltips, keyboard-focusable marks, click to the grid, chart/table toggle, legend
toggles); without script the static figure and the table show the same numbers.
``history.html`` shows what changed between two censuses (the logic of
``openscope census diff``), with ``history.json`` and ``history.csv``.

Layout added to the site folder::

    census.html                   the dashboard
    census/charts/<name>.svg|png  figures (matplotlib, reproducible bytes)
    census/tables/<name>.csv      every statistic in full
    history.html, history.json, history.csv   with two censuses

Figures are redrawn only when the census changed (a hash of its manifest and table files is
kept in ``census/.inputs``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from openscope import csvsafe
from openscope.explorer.site import _LETTER, APP_CSP, PAGE_CSP, _head, _put, _table

#: Chart files of the dashboard, with their text alternative.
CHARTS: dict[str, str] = {
    "licence_by_month": "Stacked bars: releases created per month, by licence class (open, "
                        "restricted, unknown, none).",
    "profiles": "Horizontal bars: the most common openness profiles (code, weights, data, "
                "research).",
    "downloads": "Lorenz curve and complementary CDF of downloads, with the fitted Pareto "
                 "tail.",
    "organisations": "Horizontal bars: organisations by share of all downloads.",
}
#: Series of the licence chart, in the order drawn, with their colours (as the figure's).
LICENCE_CLASSES = {"open": "#2a9d8f", "restricted": "#e9c46a", "unknown": "#8d99ae",
                   "none": "#d9d9d9"}
#: Bars of the profiles and organisations charts (as the figures draw).
CHART_BARS = {"profiles": 12, "organisations": 15}
#: Rows of each statistic shown on the dashboard (the CSV holds them all).
TABLE_ROWS = 15
#: Changed releases listed on the history page (the JSON and CSV hold them all).
HISTORY_ROWS = 500


#: Leaderboard row fields compared between two audits of the same release.
ROW_FIELDS: dict[str, str] = {
    "l": "licence", "lo": "licence openness", "d": "dimensions (code, weights, data, "
    "research)", "m": "MOF class (proven)", "ma": "MOF class (attainable)", "os": "OSAID",
    "eu": "EU exemption", "x": "Index parameters (O/P/C/U)", "sc": "Index score",
    "c": "usable commercially", "od": "open data", "f": "findings"}


def release_key(ref: str) -> str:
    """The release a ref names, whatever its revision: ``hf:org/name@rev`` -> ``org/name``."""
    return re.sub(r"^(hf|hf-dataset|gh|local|corpus|mirror):", "", ref).split("@", 1)[0]


def report_changes(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Where the same release was given more than once (two revisions, two audits), what
    changed from each of its rows to the next, in the order given."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(release_key(str(row.get("ref") or row["n"])), []).append(row)
    changes = []
    for key in sorted(groups):
        group = groups[key]
        for before, after in itertools.pairwise(group):
            for field, label in ROW_FIELDS.items():
                if before.get(field) != after.get(field):
                    changes.append({"release": key, "from": before["ref"], "to": after["ref"],
                                    "from_slug": before["s"], "to_slug": after["s"],
                                    "field": label, "old": before.get(field),
                                    "new": after.get(field)})
    return changes


def releases_history_page(title: str, changes: Sequence[Mapping[str, Any]]) -> str:
    """What changed between two audits of the same release, each linked to its page."""
    rows = [(c["release"],
             Markup('<a href="r/{}.html">{}</a> → <a href="r/{}.html">{}</a>').format(
                 c["from_slug"], c["from"], c["to_slug"], c["to"]),
             c["field"], _fmt(c["old"]), _fmt(c["new"])) for c in changes]
    body = Markup("""<body><nav aria-label="site"><a href="index.html">{title}</a> › release
history</nav><main><h1>Release history: what changed</h1><p class="muted">Releases given
more than once (two revisions or two audits), compared in the order given.
<a href="history-releases.json" download>JSON</a>.</p>{table}</main></body></html>
""").format(title=title, table=_table(
        "Changes", ("release", "audits", "what", "before", "after"), rows, "r-changes")
        if rows else Markup("<p>No verdict changed.</p>"))
    return str(_head(f"Release history · {title}", PAGE_CSP, "assets/style.css") + body)


def write_releases_history(out: Path, title: str,
                           rows: Sequence[Mapping[str, Any]]) -> list[Path]:
    """Write ``history-releases.html`` and ``.json`` when a release was given twice (and
    remove them otherwise); the files written."""
    files = (out / "history-releases.html", out / "history-releases.json")
    keys = [release_key(str(r.get("ref") or r["n"])) for r in rows]
    if len(set(keys)) == len(keys):
        for path in files:
            path.unlink(missing_ok=True)
        return []
    changes = report_changes(rows)
    _put(files[0], releases_history_page(title, changes).encode("utf-8"))
    _put(files[1], (json.dumps(changes, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":")) + "\n").encode("utf-8"))
    return list(files)


def census_fingerprint(folder: Path) -> str:
    """A hash of a census: its manifest and the names and sizes of its table files."""
    h = hashlib.sha256()
    manifest = folder / "manifest.json"
    h.update(manifest.read_bytes() if manifest.is_file() else b"")
    for part in sorted((folder / "releases").glob("*.parquet")):
        h.update(f"{part.name}:{part.stat().st_size}\n".encode())
    return h.hexdigest()


def _grid(**filters: str) -> str:
    """A permalink of the leaderboard with ``filters`` (the keys of assets/app.js)."""
    return "index.html#" + urlencode(filters)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _draw(census_dir: Path, chart_dir: Path) -> list[Any]:
    """Compute the statistics and draw the charts (matplotlib) into ``chart_dir``."""
    import numpy as np

    from openscope.census import charts
    from openscope.census.stats import all_stats, open_census

    stats = all_stats(census_dir)
    by = {s.name: s for s in stats}
    con = open_census(census_dir)
    downloads = np.asarray(con.sql("SELECT coalesce(downloads, 0) AS d FROM releases")
                           .to_arrow_table().column("d").to_numpy(), dtype=np.float64)
    con.close()
    chart_dir.mkdir(parents=True, exist_ok=True)
    charts.licence_over_time(by["licence_by_month"], chart_dir)
    charts.profiles(by["profiles"], chart_dir)
    charts.downloads(downloads, by["concentration"], chart_dir)
    charts.organisations(by["organisations"], chart_dir)
    for path in chart_dir.iterdir():
        path.chmod(0o644)
    return stats


def _stat_section(stat: Any, links: Mapping[str, str] | None = None) -> Markup:
    """One statistic: title, note, the first rows (a column may link to the grid), CSV."""
    names = stat.table.column_names
    rows = []
    for row in stat.table.slice(0, TABLE_ROWS).to_pylist():
        cells: list[object] = []
        for n in names:
            text = _fmt(row[n])
            key = (links or {}).get(n)
            cells.append(Markup('<a href="{}">{}</a>').format(_grid(**{key: text}), text)
                         if key and text and not text.startswith("(") else text)
        rows.append(cells)
    more = (Markup('<p class="muted">{} more rows in the CSV.</p>').format(
        f"{stat.table.num_rows - TABLE_ROWS:,}") if stat.table.num_rows > TABLE_ROWS else "")
    return Markup('<section id="{}"><h3>{}</h3>{}{}{}<p><a href="census/tables/{}.csv" '
                  "download>{} (CSV)</a></p></section>").format(
        stat.name, stat.title, Markup("<p>{}</p>").format(stat.note) if stat.note else "",
        _table(stat.title, names, rows, f"t-{stat.name}"), more, stat.name, stat.title)


def _cell(value: float, query: str, unit: str) -> Markup:
    """A data cell of a chart table: the value (``data-v``), linked to its grid slice."""
    text = _fmt(value)
    if not value or not query:
        return Markup('<td data-v="{}">{}</td>').format(value, text)
    return Markup('<td data-v="{}"><a href="index.html#{}" data-unit="{}">{}</a></td>').format(
        value, query, unit, text)


def chart_table(name: str, stat: Any) -> Markup:
    """The data of a bar chart as a table (``class="chart-data"``): what ``census.js``
    draws, the no-script text alternative, and the chart's table view. Each value links to
    the leaderboard filtered to its slice (``cm``/``lc``: creation month and licence class;
    ``d``: the four dimensions as letters; ``org``); empty for a chart that has no bars."""
    rows = stat.table.to_pylist()
    if name == "licence_by_month":
        months = sorted({r["month"] for r in rows if r.get("month")})
        classes = list(LICENCE_CLASSES) + sorted(
            {r["license_class"] for r in rows} - set(LICENCE_CLASSES))
        counts: dict[tuple[str, str], int] = {}
        for r in rows:
            if r.get("month"):
                key = (r["month"], r["license_class"])
                counts[key] = counts.get(key, 0) + int(r["releases"] or 0)
        head = Markup("").join(Markup('<th scope="col" data-series="{}" data-colour="{}">{}'
                                      "</th>").format(c, LICENCE_CLASSES.get(c, "#6e7781"), c)
                               for c in classes)
        body = Markup("").join(
            Markup('<tr><th scope="row">{}</th>{}</tr>').format(m, Markup("").join(
                _cell(counts.get((m, c), 0), urlencode({"cm": m, "lc": c}), "releases")
                for c in classes)) for m in months)
        return Markup('<table class="chart-data" id="d-{}" data-kind="stack" '
                      'data-unit="releases"><caption>{} (releases created per month, by '
                      'licence class)</caption><thead><tr><th scope="col">month</th>{}</tr>'
                      "</thead><tbody>{}</tbody></table>").format(name, stat.title, head, body)
    if name == "profiles":
        label, value, unit = "profile", "releases", "releases"
        queries = [urlencode({"d": "".join(_LETTER.get(str(r.get(f"dim_{d}")), "U") for d in
                                           ("code", "weights", "data", "research"))})
                   for r in rows]
    elif name == "organisations":
        label, value, unit = "organisation", "pct_downloads", "% of all downloads"
        queries = [urlencode({"org": r["organisation"]})
                   if r.get("organisation") and not str(r["organisation"]).startswith("(")
                   else ""
                   for r in rows]
    else:
        return Markup("")
    top = CHART_BARS[name]
    body = Markup("").join(
        Markup('<tr><th scope="row">{}</th>{}</tr>').format(
            r[label], _cell(float(r[value] or 0) if unit != "releases" else int(r[value] or 0),
                            q, unit))
        for r, q in zip(rows[:top], queries[:top], strict=False))
    return Markup('<table class="chart-data" id="d-{}" data-kind="bars" data-unit="{}">'
                  '<caption>{} (first {})</caption><thead><tr><th scope="col">{}</th>'
                  '<th scope="col" data-series="{}" data-colour="{}">{}</th></tr></thead>'
                  "<tbody>{}</tbody></table>").format(
        name, unit, stat.title, top, label, unit,
        "#457b9d" if name == "profiles" else "#2a9d8f", unit, body)


def _figure(name: str, caption: Markup, data: Markup | str = "") -> Markup:
    return Markup('<figure id="fig-{}" class="chart" data-chart="{}"><img '
                  'src="census/charts/{}.svg" alt="{}" loading="lazy"><figcaption>{} '
                  '<a href="census/charts/{}.svg">SVG</a> · <a href="census/charts/{}.png">PNG'
                  "</a></figcaption>{}</figure>").format(
        name, name, name, CHARTS[name], caption, name, name, data)


def dashboard_page(title: str, census_dir: Path, stats: Sequence[Any],
                   rows: Sequence[Mapping[str, Any]], charts: bool) -> str:
    """The census dashboard: figures linked to the grid, then every statistic."""
    by = {s.name: s for s in stats}
    licences = Counter(r["l"] for r in rows if r.get("l"))
    top_licences = Markup(", ").join(
        Markup('<a href="{}">{}</a> ({})').format(_grid(license=lic), lic, f"{n:,}")
        for lic, n in sorted(licences.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
    conc = by["concentration"].headline if "concentration" in by else {}
    lin = by["lineage"].headline if "lineage" in by else {}
    captions = {
        "licence_by_month": Markup("Licences over time. In the grid, most common licences: "
                                   "{}.").format(top_licences),
        "profiles": Markup('Openness profiles. In the grid: <a href="{}">open data</a> · '
                           '<a href="{}">usable commercially</a>.').format(
            _grid(opendata="1"), _grid(commercial="1")),
        "downloads": Markup('Download concentration: Gini {}, top 1% of releases hold {}% '
                            'of downloads. <a href="{}">The grid by downloads</a>.').format(
            f"{conc.get('gini', 0):.3f}", f"{100 * conc.get('share_top_1pct', 0):.1f}",
            _grid(sort="dl", dir="desc")),
        "organisations": Markup("Organisations by downloads (the table below links each to "
                                "the grid)."),
    }
    figures = (Markup("").join(_figure(n, captions[n], chart_table(n, by[n]) if n in by
                                       else Markup("")) for n in CHARTS) if charts else
               Markup('<p class="muted">Figures need matplotlib (pip install '
                      "'openscope[census]'); the tables below hold the same numbers.</p>"))
    sections = Markup("").join(
        _stat_section(s, {"organisation": "org"} if s.name == "organisations" else None)
        for s in stats)
    kpis = [("releases", f"{len(rows):,}"),
            ("derivatives with a base in the census", f"{lin.get('derivative_releases', 0):,}"),
            ("derivative/base licence conflicts", f"{lin.get('different_licence', 0):,}"),
            ("licence laundering", f"{lin.get('laundering', 0):,}")]
    body = Markup("""<body><nav aria-label="site"><a href="index.html">{title}</a> › census
</nav><main><h1>Census dashboard</h1><p class="muted">Census {label}: the charts of
<code>openscope census report</code>; each links to the matching view of the
<a href="index.html">grid</a>. Heuristic assessment from Hub metadata; not legal advice.</p>
<ul class="kpis">{kpis}</ul>{figures}<h2 id="lineage">Lineage and every statistic</h2>
{sections}</main><script src="assets/census.js"></script></body></html>
""").format(title=title, label=census_dir.name,
            kpis=Markup("").join(Markup("<li><b>{}</b> {}</li>").format(v, k) for k, v in kpis),
            figures=figures, sections=sections)
    return str(_head(f"Census · {title}", APP_CSP, "assets/style.css") + body)


def write_dashboard(out: Path, census_dir: Path, title: str,
                    rows: Sequence[Mapping[str, Any]]) -> list[Path]:
    """Write ``census.html``, its figures and tables into the site ``out``; the files."""
    import pyarrow.csv as pacsv

    from openscope.census.stats import all_stats

    folder = out / "census"
    chart_dir = folder / "charts"
    stamp = folder / ".inputs"
    digest = census_fingerprint(census_dir)
    try:
        from openscope.census import charts as _charts  # noqa: F401  (needs matplotlib)
        can_draw = True
    except ImportError:
        can_draw = False
    fresh = (stamp.is_file() and stamp.read_text() == digest
             and all((chart_dir / f"{n}.svg").is_file() for n in CHARTS))
    # figures are redrawn only for a census they were not drawn from
    stats = _draw(census_dir, chart_dir) if can_draw and not fresh else all_stats(census_dir)
    tables = folder / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    written = []
    for stat in stats:
        path = tables / f"{stat.name}.csv"
        pacsv.write_csv(csvsafe.table(stat.table), path)
        path.chmod(0o644)
        written.append(path)
    page = out / "census.html"
    _put(page, dashboard_page(title, census_dir, stats, rows, can_draw).encode("utf-8"))
    if can_draw:
        _put(stamp, digest.encode())
    return [page, *written]


def history_page(title: str, result: Mapping[str, Any], slugs: Mapping[str, str]) -> str:
    """What changed between two censuses (``census diff``), releases linked to their pages."""
    counts = result["counts"]

    def name(rid: str) -> Markup:
        slug = slugs.get(rid)
        return Markup('<a href="r/{}.html">{}</a>').format(slug, rid) if slug else Markup(
            "{}").format(rid)

    summary = [("releases in both", f"{counts['common']:,}"),
               ("new", f"{counts['added']:,}"), ("removed", f"{counts['removed']:,}"),
               *[(f"{col} changed", f"{n:,}") for col, n in counts["changed"].items()]]
    transitions = [(t["from"], t["to"], f"{t['releases']:,}")
                   for t in result["licence_class_transitions"]]
    changes = [(name(c["id"]), c["field"], c["old"] or "", c["new"] or "")
               for c in result["changes"][:HISTORY_ROWS]]
    more = len(result["changes"]) - HISTORY_ROWS
    added = Markup(", ").join(name(r) for r in result["added"][:HISTORY_ROWS])
    removed = Markup(", ").join(Markup("{}").format(r) for r in result["removed"][:HISTORY_ROWS])
    body = Markup("""<body><nav aria-label="site"><a href="index.html">{title}</a> › history
</nav><main><h1>History: what changed</h1><p class="muted">From census <code>{a}</code> to
census <code>{b}</code> (releases matched by id, as <code>openscope census diff</code>).
Downloads: <a href="history.json" download>JSON</a> · <a href="history.csv" download>CSV
(one line per change)</a>.</p>{summary}{transitions}<h2>Changed releases</h2>{changes}{more}
<h2>New releases</h2><p>{added}</p><h2>Removed releases</h2><p>{removed}</p></main>
</body></html>
""").format(
        title=title, a=result["a"], b=result["b"],
        summary=_table("Summary", ("what", "releases"), summary, "h-summary"),
        transitions=_table("Licence class transitions", ("from", "to", "releases"),
                           transitions, "h-transitions"),
        changes=_table("Changes (release, field, before, after)",
                       ("release", "field", "before", "after"), changes, "h-changes"),
        more=Markup('<p class="muted">{} more changes in the downloads.</p>').format(
            f"{more:,}") if more > 0 else "",
        added=added or "none", removed=removed or "none")
    return str(_head(f"History · {title}", PAGE_CSP, "assets/style.css") + body)


def write_history(out: Path, old: Path, new: Path, title: str,
                  slugs: Mapping[str, str]) -> list[Path]:
    """Write ``history.html``, ``history.json`` and ``history.csv`` for two censuses."""
    from openscope.census.diff import diff_censuses, render

    result = diff_censuses(old, new)
    # a published site names the census folders, not where they sit on this machine
    result["a"], result["b"] = old.resolve().name, new.resolve().name
    files = {"history.html": history_page(title, result, slugs),
             "history.json": json.dumps(result, sort_keys=True, ensure_ascii=False,
                                        separators=(",", ":")) + "\n",
             "history.csv": render(result, "csv")}
    for name, text in files.items():
        _put(out / name, text.encode("utf-8"))
    return [out / n for n in files]

