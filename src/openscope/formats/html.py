"""The HTML report: one self-contained file (inline CSS, no script, no external assets).

Card text is untrusted. Every value from the report goes through :mod:`markupsafe` escaping
(``Markup.format`` escapes its arguments), only ``http``/``https`` URLs become links, and a
Content-Security-Policy forbids scripts, so nothing from a card can become live HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from openscope.formats import _common as c
from openscope.formats.markdown import ROMAN, _extra, stamps
from openscope.report import Report

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:.9em}
.st{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;
white-space:nowrap}
.st-open,.st-met{background:#dafbe1;color:#116329}
.st-restricted,.st-partial{background:#fff8c5;color:#7d4e00}
.st-closed,.st-unmet{background:#ffebe9;color:#a40e26}
.st-unknown{background:#eaeef2;color:#57606a}
.dims{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem}
.dim{border:1px solid #d0d7de;border-radius:.4rem;padding:.6rem}
.dim h3{margin:0 0 .3rem;font-size:1rem;text-transform:capitalize}
.muted{color:#57606a;font-size:.9em}ul.lineage{list-style:none;padding-left:0}
ul.lineage li{margin:.2rem 0}
"""


#: The colour class of each status, outcome and verdict word.
PILL = {"open": "open", "restricted": "restricted", "closed": "closed", "unknown": "unknown",
        "partial": "partial", "met": "met", "unmet": "unmet", "pass": "met", "fail": "unmet",
        "eligible": "met", "not eligible": "unmet", "flagged": "unmet", "clear": "met",
        "filled": "met", "empty": "partial", "absent": "unmet"}


def badge(value: object) -> Markup:
    """A coloured status, outcome or verdict pill."""
    text = str(value)
    cls = PILL.get(text.lower(), "unknown")
    return Markup('<span class="st st-{}">{}</span>').format(cls, text)


def link(text: str, url: str | None) -> Markup:
    """A link when ``url`` is a safe http(s) URL, else the escaped text."""
    safe = c.safe_url(url)
    if not safe:
        return Markup("{}").format(text)
    return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(safe, text)


def _evidence(report: Report, items: Iterable[Any], limit: int = 4) -> Markup:
    items = list(items)
    locs = [c.location(e) for e in items[:limit]]
    parts = [link(loc.text, c.link_for(report, loc)) for loc in locs if loc.text]
    out = Markup(", ").join(parts)
    if len(items) > limit:
        out += Markup(' <span class="muted">(+{} more)</span>').format(len(items) - limit)
    return out


def _rows(cells_list: Iterable[Iterable[object]]) -> Markup:
    rows = []
    for cells in cells_list:
        rows.append(Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td>{}</td>").format(cell) for cell in cells)))
    return Markup("\n").join(rows)


def _table(headers: Iterable[str], rows: Iterable[Iterable[object]], ident: str = "") -> Markup:
    head = Markup("").join(Markup("<th>{}</th>").format(h) for h in headers)
    id_attr = Markup(' id="{}"').format(ident) if ident else Markup("")
    return Markup("<table{}><thead><tr>{}</tr></thead><tbody>\n{}\n</tbody></table>").format(
        id_attr, head, _rows(rows))


def render(report: Report, color: bool = False) -> str:
    """The report as one self-contained HTML page; ``color`` is ignored."""
    d = report.data
    subj = d["subject"]
    name = c.subject_name(report)
    body: list[Markup] = [
        Markup("<h1>openscope report: {}</h1>").format(name),
        Markup('<p class="muted">{} ({}, source {}, revision <code>{}</code>)</p>').format(
            subj["ref"], subj["kind"], subj["source"], subj.get("revision") or "unknown"),
        Markup("<h2>At a glance</h2>"),
    ]
    dims = [Markup('<div class="dim" id="dim-{}"><h3>{}</h3>{}<p>{}</p></div>').format(
        n, n, badge(d["dimensions"][n]["status"]), d["dimensions"][n]["reason"])
        for n in c.DIMENSIONS]
    body.append(Markup('<div class="dims">{}</div>').format(Markup("").join(dims)))
    body.append(_headline(report))
    body.append(Markup("<h2>Components (Model Openness Framework)</h2>"))
    rows = []
    for comp in d["components"]:
        lic = comp.get("license") or {}
        lic_cell: Markup | str = lic.get("name") or lic.get("raw") or ""
        if lic.get("id") and lic.get("name") and lic["id"] != lic["name"]:
            lic_cell = Markup('{} <span class="muted">({})</span>').format(lic["name"], lic["id"])
        label = comp["name"] + ("" if comp.get("required", True) else " (optional)")
        rows.append((comp["id"], label, ROMAN.get(comp["mof_class"], ""), badge(comp["status"]),
                     lic_cell, comp.get("reason", ""),
                     _evidence(report, comp.get("evidence", []), 3)))
    body.append(_table(("#", "component", "class", "status", "licence", "reason", "evidence"),
                       rows, "components"))
    body.append(_openwashing(report))
    for fw in c.frameworks(report):
        if fw.key == "openwashing":
            continue
        body.append(Markup('<h2 id="fw-{}">{}: {} {}</h2>').format(
            fw.key, fw.label, fw.verdict, badge(fw.outcome)))
        body.append(_table(
            ("outcome", "requirement", "reason", "remediation", "evidence"),
            [(badge(r.outcome), Markup("{} <code>{}</code>").format(r.title, r.id), r.reason,
              r.remediation or "", _evidence(report, [e.text for e in r.evidence]))
             for r in fw.requirements], f"reqs-{fw.key}"))
    body.append(_lineage(report))
    body.append(_documentation(report))
    if d.get("findings"):
        items = [Markup("<li><b>{}</b> {} {}</li>").format(
            f["severity"], f["message"], _evidence(report, f.get("evidence") or []))
            for f in d["findings"]]
        body.append(Markup("<h2>Findings</h2><ul>{}</ul>").format(Markup("").join(items)))
    if d.get("notes"):
        body.append(Markup("<h2>Not read</h2><ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(n) for n in d["notes"])))
    body.append(Markup("<h2>Stamps</h2>"))
    body.append(_table(("stamp", "value"), stamps(report), "stamps"))
    body.append(Markup('<p class="muted">{}</p>').format(d["disclaimer"]))
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="{}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>openscope report: {}</title>\n<style>{}</style>\n</head>\n<body>\n{}\n"
        "</body>\n</html>\n").format(CSP, name, Markup(CSS), Markup("\n").join(body))
    return str(page)


def _headline(report: Report) -> Markup:
    items: list[Markup] = []
    for fw in c.frameworks(report):
        n = {o: sum(1 for r in fw.requirements if r.outcome == o)
             for o in ("met", "unmet", "unknown")}
        extra = _extra(report, fw.key)
        items.append(Markup("<li>{} <b>{}:</b> {} ({} met, {} unmet, {} unknown{})</li>").format(
            badge(fw.outcome), fw.label, fw.verdict, n["met"], n["unmet"], n["unknown"],
            f"; {extra}" if extra else ""))
    return Markup('<ul id="verdicts">{}</ul>').format(Markup("").join(items))


def _openwashing(report: Report) -> Markup:
    fws = {fw.key: fw for fw in c.frameworks(report)}
    ow = fws.get("openwashing")
    if ow is None:
        return Markup("")
    raised = [r for r in ow.requirements if r.outcome != "met"]
    head = Markup('<h2 id="openwashing">Open-washing flags: {} {}</h2>').format(
        ow.verdict, badge(ow.outcome))
    if not raised:
        return head + Markup("<p>No open-washing flag raised.</p>")
    return head + _table(
        ("outcome", "flag", "reason", "remediation", "evidence"),
        [(badge(r.outcome), Markup("{} <code>{}</code>").format(r.title, r.id), r.reason,
          r.remediation or "", _evidence(report, [e.text for e in r.evidence])) for r in raised],
        "reqs-openwashing")


def _lineage(report: Report) -> Markup:
    chain = report.data.get("lineage")
    if not isinstance(chain, list) or not chain:
        return Markup("")
    items = [Markup("<li><b>{}</b> (this release)</li>").format(report.data["subject"]["ref"])]
    for entry in chain:
        if not isinstance(entry, dict):
            continue
        depth = max(int(entry.get("depth") or 1), 1)
        details = c.lineage_details(entry)
        warn = (Markup(' <span class="st st-restricted">licence differs from its child</span>')
                if entry.get("license_differs") else Markup(""))
        items.append(Markup('<li style="margin-left:{}rem">&#8627; {} '
                            '<span class="muted">({})</span>{}</li>').format(
            depth * 1.5, link(str(entry.get("ref", "")), entry.get("url")),
            "; ".join(x for x in details if x), warn))
    return Markup('<h2>Lineage</h2><ul class="lineage" id="lineage">{}</ul>').format(
        Markup("").join(items))


def _documentation(report: Report) -> Markup:
    """The ``documentation`` section: template completeness, datasheet groups, ethics."""
    doc = report.data.get("documentation")
    if not isinstance(doc, dict) or not doc.get("card"):
        return Markup("")
    out = [Markup('<h2 id="documentation">Documentation</h2>')]
    card = doc.get("model_card")
    if isinstance(card, dict):
        out.append(Markup("<p>Model card: {} of {} Hugging Face template sections filled "
                          "(fill ratio {}).</p>").format(
            card["filled"], len(card["sections"]), f"{card['fill_ratio']:.2f}"))
        out.append(_table(("section", "status", "fill", "evidence"),
                          [(sec["title"], badge(sec["status"]), f"{sec['fill']:.2f}",
                            _evidence(report, sec["evidence"]))
                           for sec in card["sections"]], "doc-model-card"))
    sheet = doc.get("data_card")
    if isinstance(sheet, dict):
        out.append(Markup("<p>Data card: {} of {} Datasheets-for-Datasets groups "
                          "answered.</p>").format(sheet["filled"], len(sheet["groups"])))
        out.append(_table(("group", "status", "evidence"),
                          [(g["id"], g["status"], _evidence(report, g["evidence"]))
                           for g in sheet["groups"]], "doc-data-card"))
    eth = doc.get("ethics")
    if isinstance(eth, dict):
        themes = ", ".join(f"{k} {v}" for k, v in eth["themes"].items() if v)
        out.append(Markup("<p>Ethical considerations: {} paragraph(s){}{}.</p>").format(
            eth["paragraphs"], f" ({themes})" if themes else "",
            f"; {eth['boilerplate']} copied unchanged from the template"
            if eth["boilerplate"] else ""))
        if eth["listed"]:
            out.append(_table(
                ("where", "themes", "template text", "paragraph"),
                [(_evidence(report, [par["where"]]), ", ".join(par["themes"]),
                  par.get("boilerplate") or "", par["text"]) for par in eth["listed"]],
                "doc-ethics"))
    return Markup("\n").join(out)


__all__ = ["escape", "render"]
