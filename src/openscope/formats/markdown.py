"""The Markdown report, for pull-request comments and READMEs (GitHub-flavoured Markdown).

Everything taken from the report is escaped: card text can carry Markdown or HTML, and none
of it may become a live link, image or tag. Only ``http``/``https`` URLs become links.
"""

from __future__ import annotations

from typing import Any

from openscope import lazyre
from openscope.formats import _common as c
from openscope.report import Report

STATUS_MARK = {"open": "🟢", "restricted": "🟡", "closed": "🔴", "unknown": "⚪",
               "partial": "🟡"}
OUTCOME_MARK = {"met": "✅", "unmet": "❌", "unknown": "❔"}
ROMAN = {3: "III", 2: "II", 1: "I", 0: "-"}

_SPECIAL = lazyre.compile(r"([\\`*_{}\[\]#!|~$])")


def md(text: object) -> str:
    """Escape ``text`` for inline Markdown: one line, no markup, no HTML, no autolinks."""
    flat = " ".join(str(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _SPECIAL.sub(r"\\\1", flat)
    # keep "www." and "://" from being autolinked by GFM
    return flat.replace("www.", "www&#46;")


def link(text: str, url: str | None) -> str:
    """``[text](url)`` when ``url`` is a safe http(s) URL, else the escaped text."""
    safe = c.safe_url(url)
    if not safe:
        return md(text)
    target = safe.replace("(", "%28").replace(")", "%29")
    return f"[{md(text)}]({target})"


def status(value: str) -> str:
    """A status with its colour mark."""
    return f"{STATUS_MARK.get(value, '')} {md(value)}".strip()


def _evidence(report: Report, items: list[Any], limit: int = 3) -> str:
    locs = [c.location(e) for e in items[:limit]]
    out = [link(loc.text, c.link_for(report, loc)) for loc in locs if loc.text]
    more = len(items) - limit
    return ", ".join(out) + (f" (+{more} more)" if more > 0 else "")


def render(report: Report, color: bool = False) -> str:
    """The report as GitHub-flavoured Markdown; ``color`` is ignored."""
    d = report.data
    subj = d["subject"]
    lines: list[str] = [f"# openscope report: {md(c.subject_name(report))}", ""]
    lines.append(f"**{md(subj['ref'])}** ({md(subj['kind'])}, source {md(subj['source'])}, "
                 f"revision `{md(subj.get('revision') or 'unknown')}`)")
    lines += ["", "## At a glance", "", "| dimension | status | why |", "|---|---|---|"]
    for name in c.DIMENSIONS:
        dim = d["dimensions"][name]
        lines.append(f"| {name} | {status(dim['status'])} | {md(dim['reason'])} |")
    lines.append("")
    lines.extend(_headline(report))
    lines += ["", "## Components (Model Openness Framework)", "",
              "| # | component | class | status | licence | evidence |",
              "|---:|---|---|---|---|---|"]
    for comp in d["components"]:
        lic = comp.get("license") or {}
        lic_text = md(lic.get("name") or lic.get("raw") or "")
        name = md(comp["name"]) + ("" if comp.get("required", True) else " (optional)")
        lines.append(f"| {comp['id']} | {name} | {ROMAN.get(comp['mof_class'], '')} | "
                     f"{status(comp['status'])} | {lic_text} | "
                     f"{_evidence(report, comp.get('evidence', []), 2)} |")
    lines.extend(_openwashing(report))
    for fw in c.frameworks(report):
        if fw.key == "openwashing":
            continue
        lines += ["", f"## {OUTCOME_MARK.get(fw.outcome, '')} {md(fw.label)}: {md(fw.verdict)}",
                  ""]
        if not fw.requirements:
            continue
        lines += ["| outcome | requirement | reason | remediation | evidence |",
                  "|---|---|---|---|---|"]
        for req in fw.requirements:
            ev = [e.text for e in req.evidence]
            lines.append(
                f"| {OUTCOME_MARK.get(req.outcome, '')} {md(req.outcome)} | "
                f"{md(req.title)} (`{md(req.id)}`) | {md(req.reason)} | "
                f"{md(req.remediation or '')} | {_evidence(report, ev)} |")
    lines.extend(_lineage(report))
    lines.extend(_documentation(report))
    if d.get("findings"):
        lines += ["", "## Findings", ""]
        for f in d["findings"]:
            lines.append(f"- **{md(f['severity'])}** {md(f['message'])}"
                         + (f" ({_evidence(report, list(f.get('evidence') or []))})"
                            if f.get("evidence") else ""))
    if d.get("notes"):
        lines += ["", "## Not read", ""]
        lines += [f"- {md(n)}" for n in d["notes"]]
    lines += ["", "## Stamps", ""]
    lines += [f"- {md(k)}: {md(v)}" for k, v in stamps(report)]
    lines += ["", f"_{md(d['disclaimer'])}_", ""]
    return "\n".join(lines)


def _extra(report: Report, key: str) -> str:
    """A framework's own headline detail: MOF completion, the Index score."""
    fw = report.data["frameworks"].get(key) or {}
    if key == "mof" and fw.get("completion"):
        comp = ", ".join(f"{ROMAN.get(int(k), k)} {v:.0f}%"
                         for k, v in sorted(fw["completion"].items()))
        return f"completion: {comp}"
    overall = (fw.get("scores") or {}).get("overall", "-")
    if key == "osai_index" and overall != "-":
        return "score " + ("n/a" if overall is None else f"{overall:.2f}") + " (0-1)"
    return ""


def _headline(report: Report) -> list[str]:
    out = []
    for fw in c.frameworks(report):
        n = {o: sum(1 for r in fw.requirements if r.outcome == o)
             for o in ("met", "unmet", "unknown")}
        extra = _extra(report, fw.key)
        out.append(f"- {OUTCOME_MARK.get(fw.outcome, '')} **{md(fw.label)}:** {md(fw.verdict)}"
                   f" ({n['met']} met, {n['unmet']} unmet, {n['unknown']} unknown"
                   f"{'; ' + md(extra) if extra else ''})")
    return out


def _openwashing(report: Report) -> list[str]:
    fws = {fw.key: fw for fw in c.frameworks(report)}
    ow = fws.get("openwashing")
    if ow is None:
        return []
    out = ["", f"## {OUTCOME_MARK.get(ow.outcome, '')} Open-washing flags: {md(ow.verdict)}",
           ""]
    raised = [r for r in ow.requirements if r.outcome != "met"]
    if not raised:
        out.append("No open-washing flag raised.")
    for req in raised:
        ev = _evidence(report, [e.text for e in req.evidence])
        out.append(f"- {OUTCOME_MARK.get(req.outcome, '')} **{md(req.title)}** "
                   f"(`{md(req.id)}`): {md(req.reason)}"
                   + (f" Remedy: {md(req.remediation)}" if req.remediation else "")
                   + (f" ({ev})" if ev else ""))
    return out


def _lineage(report: Report) -> list[str]:
    chain = report.data.get("lineage")
    if not isinstance(chain, list) or not chain:
        return []
    out = ["", "## Lineage", "", f"- {md(report.data['subject']['ref'])} (this release)"]
    for entry in chain:
        if not isinstance(entry, dict):
            continue
        indent = "  " * max(int(entry.get("depth") or 1), 1)
        ref = link(str(entry.get("ref", "")), entry.get("url"))
        differs = " ⚠ licence differs from its child" if entry.get("license_differs") else ""
        out.append(f"{indent}- {ref}: {md('; '.join(c.lineage_details(entry)))}{differs}")
    return out


def _documentation(report: Report) -> list[str]:
    doc = report.data.get("documentation")
    if not isinstance(doc, dict) or not doc.get("card"):
        return []
    out = ["", "## Documentation", ""]
    card = doc.get("model_card")
    if isinstance(card, dict):
        out += [f"Model card: {card['filled']} of {len(card['sections'])} Hugging Face "
                f"template sections filled (fill ratio {card['fill_ratio']:.2f}).", "",
                "| section | status | fill | evidence |", "|---|---|---:|---|"]
        for sec in card["sections"]:
            out.append(f"| {md(sec['title'])} | {md(sec['status'])} | {sec['fill']:.2f} | "
                       f"{_evidence(report, list(sec['evidence']))} |")
        out.append("")
    sheet = doc.get("data_card")
    if isinstance(sheet, dict):
        got = [g for g in sheet["groups"] if g["status"] == "filled"]
        out.append(f"Data card: {sheet['filled']} of {len(sheet['groups'])} "
                   "Datasheets-for-Datasets groups answered"
                   + (": " + ", ".join(f"{md(g['id'])} ({_evidence(report, g['evidence'])})"
                                       for g in got) if got else "") + ".")
        out.append("")
    eth = doc.get("ethics")
    if isinstance(eth, dict):
        themes = ", ".join(f"{md(k)} {v}" for k, v in eth["themes"].items() if v)
        out.append(f"Ethical considerations: {eth['paragraphs']} paragraph(s)"
                   + (f" ({themes})" if themes else "")
                   + (f"; {eth['boilerplate']} copied unchanged from the template"
                      if eth["boilerplate"] else "") + ".")
        for par in eth["listed"]:
            tag = " (template text)" if par.get("boilerplate") else ""
            out.append(f"- {_evidence(report, [par['where']])} {md(', '.join(par['themes']))}"
                       f"{tag}: {md(par['text'])}")
    return out


def stamps(report: Report) -> list[tuple[str, str]]:
    """The provenance stamps: tool, schema, framework and licence-data versions, revision,
    retrieval date."""
    d = report.data
    out = [("tool", f"{d['tool']['name']} {d['tool']['version']}"),
           ("report schema", str(d["schema_version"]))]
    for key, version in sorted((d.get("versions") or {}).get("frameworks", {}).items()):
        out.append((f"framework {key}", str(version)))
    out.append(("licence data", str((d.get("versions") or {}).get("license_data", ""))))
    out.append(("revision", str(d["subject"].get("revision") or "unknown")))
    out.append(("retrieved", str(d["subject"].get("retrieved_at") or "not recorded (local)")))
    return out
