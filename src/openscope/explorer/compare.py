"""Releases side by side: one table of rows (dimension, component, verdict, Index parameter,
licence term, findings) with one cell per release, each row marked when the releases differ.

:func:`comparison` builds the table from reports' JSON; :func:`render` writes it as text,
JSON, CSV, Markdown or a self-contained HTML page. Every value comes from the reports (and the
licence knowledge base for the terms): nothing is judged here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from openscope.explorer.summary import (
    DIMENSIONS,
    INDEX_LABELS,
    INDEX_PARAMETERS,
    TERMS,
    mof_label,
    summarize,
)

FORMATS = ("text", "json", "csv", "markdown", "html")


@dataclass(frozen=True, slots=True)
class Row:
    """One compared field: a value per release, and whether they differ."""

    section: str
    field: str
    values: tuple[str, ...]

    @property
    def differs(self) -> bool:
        """Whether at least two releases have different values."""
        return len(set(self.values)) > 1


@dataclass(frozen=True, slots=True)
class Comparison:
    """The releases compared (their summaries) and the rows."""

    releases: tuple[dict[str, Any], ...]
    rows: tuple[Row, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column headers: each release's name (its ref when two share a name)."""
        names = [r["name"] for r in self.releases]
        return tuple(r["ref"] if names.count(r["name"]) > 1 else r["name"]
                     for r in self.releases)


def _term(value: object) -> str:
    if value is None:
        return "unknown"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _cap(terms: Mapping[str, Any], key: str) -> str:
    """A user or revenue cap: its text, ``none recorded`` for an identified licence without
    one, ``unknown`` when no licence was identified."""
    if terms.get(key):
        return str(terms[key])
    return "none recorded" if terms.get("source") else "unknown"


def _component_cell(comp: Mapping[str, Any] | None) -> str:
    if comp is None:
        return "-"
    lic = comp.get("license") if isinstance(comp.get("license"), Mapping) else None
    status = str(comp.get("status", "unknown"))
    if lic and (lic.get("id") or lic.get("raw")):
        return f"{status} ({lic.get('id') or lic.get('raw')})"
    return status


def _score(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else "unknown"


def comparison(reports: Sequence[Mapping[str, Any]],
               extras: Sequence[Mapping[str, Any] | None] | None = None) -> Comparison:
    """The side-by-side table of ``reports`` (each a report's JSON, ``report.data``)."""
    extras = list(extras or [None] * len(reports))
    sums = tuple(summarize(d, e) for d, e in zip(reports, extras, strict=True))
    rows: list[Row] = []

    def add(section: str, field: str, values: Sequence[str]) -> None:
        rows.append(Row(section, field, tuple(values)))

    add("release", "ref", [s["ref"] for s in sums])
    add("release", "kind", [s["kind"] for s in sums])
    add("release", "revision", [str(s["revision"] or "unknown") for s in sums])
    add("release", "licence (weights)", [s["license"] or "none found" for s in sums])
    for dim in DIMENSIONS:
        add("dimensions", dim, [s["dimensions"][dim] for s in sums])
    # Components in the first report's order, then any the others add.
    order: list[str] = []
    for d in reports:
        for comp in d.get("components") or []:
            if isinstance(comp, Mapping) and comp.get("name") not in order:
                order.append(str(comp.get("name")))
    by_name = [{str(c.get("name")): c for c in d.get("components") or []
                if isinstance(c, Mapping)} for d in reports]
    for name in order:
        add("components", name, [_component_cell(comps.get(name)) for comps in by_name])
    add("verdicts", "MOF class (proven)", [mof_label(s["mof_class"]) for s in sums])
    add("verdicts", "MOF class (attainable)", [mof_label(s["mof_attainable"]) for s in sums])
    add("verdicts", "OSAID 1.0", [s["osaid"] for s in sums])
    add("verdicts", "EU AI Act exemption", [s["eu"] for s in sums])
    add("verdicts", "open-washing", [s["openwashing"] for s in sums])
    for param in INDEX_PARAMETERS:
        add("Open Source AI Index", INDEX_LABELS[param], [s["index"][param] for s in sums])
    add("Open Source AI Index", "score", [_score(s["index_score"]) for s in sums])
    for key, label in TERMS.items():
        add("licence terms", label, [_cap(s["terms"], key) if key.endswith("_threshold")
                                     else _term(s["terms"][key]) for s in sums])
    add("licence terms", "usable commercially", [_term(s["commercial"]) for s in sums])
    add("findings", "count", [str(s["findings"]) for s in sums])
    add("findings", "messages", ["; ".join(str(f.get("message", "")) for f in
                                           (d.get("findings") or []) if isinstance(f, Mapping))
                                 or "none" for d in reports])
    return Comparison(sums, tuple(rows))


def to_json(comp: Comparison) -> str:
    """The comparison as JSON: the releases' summaries and every row with ``differs``."""
    payload = {
        "releases": list(comp.releases),
        "rows": [{"section": r.section, "field": r.field, "values": list(r.values),
                  "differs": r.differs} for r in comp.rows],
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def to_csv(comp: Comparison) -> str:
    """One line per row: section, field, differs (yes/no), then one column per release."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "field", "differs", *comp.names])
    for row in comp.rows:
        writer.writerow([row.section, row.field, "yes" if row.differs else "no",
                         *[_csv_safe(v) for v in row.values]])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (a cell starting with = + - @ is quoted with ')."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") and value != "-" \
        else value


def _md_cell(value: str) -> str:
    text = value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "<>*_`[]":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(comp: Comparison) -> str:
    """A Markdown table per section; differing cells are bold and the row starts with ≠."""
    lines = ["# openscope compare", "",
             "Rows marked **≠** differ between the releases.", ""]
    section = None
    for row in comp.rows:
        if row.section != section:
            section = row.section
            lines += ["", f"## {section}", "",
                      "| | field | " + " | ".join(_md_cell(n) for n in comp.names) + " |",
                      "|---|---|" + "---|" * len(comp.names)]
        mark = "**≠**" if row.differs else ""
        cells = [f"**{_md_cell(v)}**" if row.differs else _md_cell(v) for v in row.values]
        lines.append(f"| {mark} | {_md_cell(row.field)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_text(comp: Comparison, color: bool = False, width: int = 120) -> str:
    """A terminal table per section; differing rows are bold yellow and marked ≠."""
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False, markup=False)
    section = None
    table: Table | None = None
    for row in comp.rows:
        if row.section != section:
            if table is not None:
                console.print(table)
            section = row.section
            table = Table(title=section, title_justify="left", show_lines=False)
            table.add_column("", width=1)
            table.add_column("field", no_wrap=True)
            for name in comp.names:
                table.add_column(name, overflow="fold")
        assert table is not None
        table.add_row("≠" if row.differs else "", row.field, *row.values,
                      style="bold yellow" if row.differs else None)
    if table is not None:
        console.print(table)
    console.print("≠: the releases differ on this row.")
    return buf.getvalue()


HTML_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:90rem;padding:0 1rem;color:#1f2328;background:#fff}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.diff td{background:#fff8c5;font-weight:600}
.mark{color:#7d4e00;font-weight:700}
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")


def html_table(comp: Comparison) -> Markup:
    """The comparison as one HTML table (escaped); differing rows have class ``diff`` and a
    visible ≠ marker with a text alternative."""
    head = Markup("").join(Markup("<th scope=\"col\">{}</th>").format(n) for n in comp.names)
    parts = [Markup('<table id="compare"><thead><tr><th scope="col">differs</th>'
                    '<th scope="col">section</th><th scope="col">field</th>{}</tr></thead>'
                    "<tbody>").format(head)]
    for row in comp.rows:
        cls = Markup(' class="diff"') if row.differs else Markup("")
        mark = (Markup('<span class="mark" title="differs">≠<span class="sr"> differs</span>'
                       "</span>") if row.differs else Markup(""))
        cells = Markup("").join(Markup("<td>{}</td>").format(v) for v in row.values)
        parts.append(Markup("<tr{}><td>{}</td><td>{}</td><th scope=\"row\">{}</th>{}</tr>")
                     .format(cls, mark, row.section, row.field, cells))
    parts.append(Markup("</tbody></table>"))
    return Markup("\n").join(parts)


def to_html(comp: Comparison) -> str:
    """A self-contained page (no script, strict CSP) with the comparison table."""
    title = "openscope compare: " + ", ".join(comp.names)
    return str(Markup(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{}</title><style>{}.sr{{position:absolute;left:-9999px}}</style></head><body>"
        "<h1>{}</h1><p>Highlighted rows marked ≠ differ between the releases.</p>{}"
        "</body></html>\n").format(CSP, title, Markup(HTML_CSS), title, html_table(comp)))


def render(comp: Comparison, fmt: str, color: bool = False) -> str:
    """``comp`` in one of :data:`FORMATS`."""
    if fmt == "json":
        return to_json(comp)
    if fmt == "csv":
        return to_csv(comp)
    if fmt == "markdown":
        return to_markdown(comp)
    if fmt == "html":
        return to_html(comp)
    return to_text(comp, color=color)
