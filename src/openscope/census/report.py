"""``openscope census report``: tables (CSV and Parquet), charts (PNG, SVG), an HTML page.

Everything is written into one folder; the HTML page links every table and chart and
escapes every text it shows.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from openscope import csvsafe
from openscope.census.stats import Stat, all_stats, open_census
from openscope.census.store import write_bytes_atomic

#: Rows of each table shown on the HTML page (the files hold them all).
HTML_ROWS = 25


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:,.4f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _table_html(stat: Stat) -> str:
    names = stat.table.column_names
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = []
    for row in stat.table.slice(0, HTML_ROWS).to_pylist():
        cells = "".join(f"<td>{html.escape(_fmt(row[n]))}</td>" for n in names)
        body.append(f"<tr>{cells}</tr>")
    more = (f"<p class=more>{stat.table.num_rows - HTML_ROWS:,} more rows in the files.</p>"
            if stat.table.num_rows > HTML_ROWS else "")
    links = " ".join(f'<a href="{html.escape(f"tables/{stat.name}.{ext}")}">{ext}</a>'
                     for ext in ("csv", "parquet"))
    note = f"<p>{html.escape(stat.note)}</p>" if stat.note else ""
    return (f'<section id="{html.escape(stat.name)}"><h2>{html.escape(stat.title)}</h2>'
            f"{note}<table><tr>{head}</tr>{''.join(body)}</table>{more}"
            f"<p class=files>Files: {links}</p></section>")


_STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;
text-align:left}th{background:#f3f3f3}img{max-width:100%}.more,.files{font-size:12px;color:#555}
.kpi{display:inline-block;margin:0 1.5em 1em 0}.kpi b{display:block;font-size:22px}"""


def _page(manifest: dict[str, Any], stats: list[Stat], chart_names: list[str]) -> str:
    conc = next(s for s in stats if s.name == "concentration").headline
    lin = next(s for s in stats if s.name == "lineage").headline
    ow = next(s for s in stats if s.name == "openwashing").headline
    counts = manifest.get("counts", {})
    kpis = [
        ("releases", f"{counts.get('rows', 0):,}"),
        ("with a licence tag", ""),
        ("zero downloads", f"{100 * conc.get('share_zero_downloads', 0):.1f}%"),
        ("downloads held by the top 1%", f"{100 * conc.get('share_top_1pct', 0):.1f}%"),
        ("Gini of downloads", f"{conc.get('gini', 0):.4f}"),
        ("derivative/base licence conflicts", f"{lin.get('different_licence', 0):,}"),
        ("open-washing flags", f"{ow.get('flagged_releases', 0):,}"),
    ]
    licensed = manifest.get("_licensed")
    kpis[1] = ("with a licence tag", f"{licensed:,}" if isinstance(licensed, int) else "")
    kpi_html = "".join(f"<span class=kpi><b>{html.escape(v)}</b>{html.escape(k)}</span>"
                       for k, v in kpis)
    imgs = "".join(
        f'<figure><img src="{html.escape(f"charts/{n}.png")}" alt="{html.escape(n)}">'
        f'<figcaption><a href="{html.escape(f"charts/{n}.svg")}">SVG</a></figcaption></figure>'
        for n in chart_names)
    source = manifest.get("input", {})
    meta = (f"Input {html.escape(str(source.get('label')))} (sha256 "
            f"{html.escape(str(source.get('sha256')))}); openscope "
            f"{html.escape(str(manifest.get('tool', {}).get('version')))}; criteria: "
            + html.escape(", ".join(f"{k} {v}" for k, v in
                                    sorted(manifest.get("criteria", {}).items()))))
    sections = "".join(_table_html(s) for s in stats)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<title>openscope census report</title><style>{_STYLE}</style></head><body>"
            f"<h1>openscope census</h1><p>{meta}</p>{kpi_html}{imgs}{sections}"
            "<p>Heuristic assessment from Hub metadata; not legal advice. Verdicts that "
            "metadata cannot decide are counted as unknown, never as closed.</p>"
            "</body></html>\n")


def build_report(census_dir: Path, target: Path) -> Path:
    """Write the report of the census in ``census_dir`` into ``target``; the HTML page."""
    try:
        from openscope.census import charts
    except ImportError as exc:
        from openscope.errors import UsageError

        raise UsageError("census report needs matplotlib",
                         "install it with: pip install 'openscope[census]'") from exc
    stats = all_stats(census_dir)
    manifest = json.loads((census_dir / "manifest.json").read_text(encoding="utf-8"))
    tables = target / "tables"
    chart_dir = target / "charts"
    tables.mkdir(parents=True, exist_ok=True)
    chart_dir.mkdir(parents=True, exist_ok=True)
    for stat in stats:
        pq.write_table(stat.table, tables / f"{stat.name}.parquet")
        pacsv.write_csv(csvsafe.table(stat.table), tables / f"{stat.name}.csv")
    by = {s.name: s for s in stats}
    con = open_census(census_dir)
    d = np.asarray(con.sql("SELECT coalesce(downloads, 0) AS d FROM releases")
                   .to_arrow_table().column("d").to_numpy(), dtype=np.float64)
    manifest["_licensed"] = int(con.execute(
        "SELECT count(*) FROM releases WHERE len(license_tags) > 0").fetchall()[0][0])
    con.close()
    charts.licence_over_time(by["licence_by_month"], chart_dir)
    charts.profiles(by["profiles"], chart_dir)
    charts.downloads(d, by["concentration"], chart_dir)
    charts.organisations(by["organisations"], chart_dir)
    names = ["licence_by_month", "profiles", "downloads", "organisations"]
    index = target / "index.html"
    write_bytes_atomic(index, _page(manifest, stats, names).encode("utf-8"))
    summary = {s.name: s.headline for s in stats if s.headline}
    write_bytes_atomic(target / "summary.json",
                       (json.dumps(summary, sort_keys=True, indent=1) + "\n").encode())
    return index
