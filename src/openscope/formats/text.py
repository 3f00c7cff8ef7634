"""The human summary for a terminal: dimensions, component table, MOF class, main reasons."""

from __future__ import annotations

import io
import shutil
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from openscope.report import Report
from openscope.terminal import clean_tree

#: Width when no terminal says otherwise (``COLUMNS`` or the terminal's own size win).
DEFAULT_WIDTH = 80

STYLE = {"open": "bold green", "restricted": "bold yellow", "closed": "bold red",
         "unknown": "dim", "partial": "yellow"}
SYMBOL = {"open": "●", "restricted": "◐", "closed": "○", "unknown": "?", "partial": "◐"}


def _status(status: str) -> str:
    return f"[{STYLE.get(status, '')}]{SYMBOL.get(status, '')} {status}[/]"


def render(report: Report, color: bool = False, width: int | None = None) -> str:
    """Render the report as text; with ``color`` the text carries ANSI colours.

    Lines fit ``width`` columns: by default the terminal's width (``COLUMNS``), else 80.
    Every string the release supplied is cleaned of control characters first.
    """
    buf = io.StringIO()
    width = width or shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    console = Console(file=buf, force_terminal=color, no_color=not color,
                      width=max(40, min(width, 200)),
                      highlight=False, emoji=False, soft_wrap=False)
    d = clean_tree(report.data)
    subj = d["subject"]
    console.print(f"[bold]openscope audit[/] of [bold]{escape(subj['ref'])}[/] "
                  f"({subj['kind']}, source {subj['source']}, revision "
                  f"{escape(str(subj['revision'] or 'unknown'))})")
    console.print()
    dims = Table(title="Dimensions of openness", title_justify="left", show_lines=False)
    dims.add_column("dimension")
    dims.add_column("status")
    dims.add_column("why", overflow="fold")
    for name in ("code", "weights", "data", "research"):
        dim = d["dimensions"][name]
        dims.add_row(name, _status(dim["status"]), escape(dim["reason"]))
    console.print(dims)
    comps = Table(title="Model Openness Framework components", title_justify="left")
    comps.add_column("id", justify="right")
    comps.add_column("component")
    comps.add_column("class")
    comps.add_column("status")
    comps.add_column("licence", overflow="fold")
    comps.add_column("evidence", overflow="fold")
    for comp in d["components"]:
        lic = comp.get("license") or {}
        ev = comp["evidence"][0] if comp["evidence"] else None
        where = _where(ev) if ev else ""
        comps.add_row(str(comp["id"]), comp["name"] + ("" if comp["required"] else " (opt.)"),
                      {3: "III", 2: "II", 1: "I"}[comp["mof_class"]], _status(comp["status"]),
                      escape(str(lic.get("name") or lic.get("raw") or "")), escape(where))
    console.print(comps)
    fw = d["frameworks"]
    mof = fw["mof"]
    if mof.get("applicable") is False:
        console.print(f"[bold]MOF:[/] {escape(str(mof['verdict']))}")
    else:
        prog = ", ".join(f"{_roman(k)} {v:.0f}%" for k, v in mof["completion"].items())
        proven = (f"{mof['label']} (proven by the evidence)" if int(mof.get("class") or 0)
                  else "Unclassified (no class proven)")
        console.print(f"[bold]MOF:[/] {proven}  (completion: {prog})")
        attainable = int(mof.get("attainable_class") or 0)
        if attainable != int(mof.get("class") or 0) and attainable:
            confirm = ", ".join(str(c["component"]) for c in mof.get("to_confirm", []))
            console.print(f"  Class {_roman(str(attainable))} attainable if these unknowns "
                          f"are confirmed open: {escape(confirm)}")
    index = fw.get("osai_index")
    if isinstance(index, dict) and index.get("applicable") is False:
        console.print(f"[bold]Open Source AI Index:[/] {escape(str(index['verdict']))}")
    elif isinstance(index, dict):
        overall = index["scores"]["overall"]
        console.print(f"[bold]Open Source AI Index:[/] score "
                      f"{'n/a' if overall is None else f'{overall:.2f}'} (0-1)")
    for extra in _framework_lines(fw):
        console.print(extra)
    if d.get("lineage"):
        console.print()
        console.print("[bold]Lineage[/] (base models)")
        for entry in d["lineage"]:
            indent = "  " * int(entry.get("depth", 1))
            if entry.get("status") != "collected":
                console.print(f"{indent}{escape(entry['ref'])}: not collected "
                              f"({escape(str(entry.get('error') or entry.get('reason')))})")
                continue
            ancestor_dims = entry.get("dimensions") or {}
            how = (f" (resolved by name from {entry['resolved_from']!r}, "
                   f"{entry.get('candidates', 0)} candidates)"
                   if entry.get("source") == "prose-by-name" else "")
            console.print(f"{indent}{escape(entry['ref'])}{escape(how)}: licence "
                          f"{escape(str(entry.get('license') or 'none found'))} "
                          f"({entry.get('license_openness', 'unknown')}); weights "
                          f"{_status(ancestor_dims.get('weights', 'unknown'))}")
    if d.get("datasets"):
        console.print()
        console.print("[bold]Datasets named[/] (audited on the Hub)")
        for entry in d["datasets"]:
            console.print(f"  {escape(entry['ref'])}: {_status(entry['status'])} "
                          f"({escape(str(entry.get('license') or 'no licence found'))})")
    for line in documentation_lines(d.get("documentation")):
        console.print(line)
    if d["findings"]:
        console.print()
        console.print("[bold]Findings[/]")
        for f in d["findings"][:10]:
            console.print(f"  [{STYLE.get('restricted')}]{f['severity']}[/] "
                          f"{escape(f['message'])}")
    if d["notes"]:
        console.print()
        console.print("[bold]Not read[/]")
        for note in d["notes"][:10]:
            console.print(f"  {escape(note)}")
    console.print()
    console.print(f"[dim]{d['evidence_count']} facts; openscope {d['tool']['version']}; "
                  f"{d['disclaimer']}[/]")
    return str(buf.getvalue())


def _framework_lines(fw: dict[str, Any]) -> list[str]:
    lines = []
    mot = fw.get("mof", {}).get("mot_compatible")
    if isinstance(mot, dict) and fw["mof"].get("applicable") is not False:
        sub = fw["mof"].get("substitution")
        lines.append(f"[bold]MOF (MOT-compatible):[/] {escape(str(mot.get('label', '')))}"
                     + (f"  [dim]({escape(sub)})[/]" if sub else ""))
    for key, label in (("dataset", "Dataset openness"),
                       ("osaid", "OSI Open Source AI Definition 1.0"),
                       ("eu_ai_act", "EU AI Act Art. 53(2) exemption"),
                       ("openwashing", "Open-washing")):
        if key in fw and isinstance(fw[key], dict) and "verdict" in fw[key]:
            lines.append(f"[bold]{label}:[/] {escape(str(fw[key]['verdict']))}")
            for req in fw[key].get("requirements", []):
                if req.get("outcome") == "unmet":
                    lines.append(f"  [red]✗[/] {escape(req['id'])}: {escape(req['reason'])}")
            for flag in fw[key].get("flags", [])[:3]:
                lines.append(f"  [yellow]![/] {escape(flag['message'])}")
    return lines


def documentation_lines(doc: Any) -> list[str]:
    """The documentation section: card and datasheet fill, ethics themes (rich markup)."""
    if not isinstance(doc, dict) or not doc.get("card"):
        return []
    out = ["", f"[bold]Documentation[/] ({escape(str(doc['card']))})"]
    card = doc.get("model_card")
    if isinstance(card, dict):
        missing = [s["title"] for s in card["sections"] if s["status"] != "filled"]
        out.append(f"  Model card: {card['filled']}/{len(card['sections'])} template sections "
                   f"filled (fill ratio {card['fill_ratio']:.2f})"
                   + (f"; not filled: {escape(', '.join(missing))}" if missing else ""))
    sheet = doc.get("data_card")
    if isinstance(sheet, dict):
        got = [g["id"] for g in sheet["groups"] if g["status"] == "filled"]
        out.append(f"  Data card: {sheet['filled']}/{len(sheet['groups'])} datasheet groups "
                   f"answered" + (f" ({escape(', '.join(got))})" if got else ""))
    eth = doc.get("ethics")
    if isinstance(eth, dict):
        themes = ", ".join(f"{k} {v}" for k, v in eth["themes"].items() if v)
        out.append(f"  Ethical considerations: {eth['paragraphs']} paragraph(s)"
                   + (f" ({escape(themes)})" if themes else "")
                   + (f"; {eth['boilerplate']} copied from the template"
                      if eth["boilerplate"] else ""))
    return out


def _roman(key: str) -> str:
    return {"3": "III", "2": "II", "1": "I"}.get(str(key), str(key))


def _where(ev: dict[str, Any]) -> str:
    if ev.get("path"):
        return str(ev["path"]) + (f":{ev['line']}" if ev.get("line") else "")
    if ev.get("key"):
        return f"[{ev['key']}] {ev.get('value', '')}"
    return str(ev.get("url") or ev.get("value") or "")
