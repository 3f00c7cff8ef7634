"""SARIF 2.1.0 for code scanning: one rule per requirement, results anchored to release files.

* **Rules**: one per requirement, ``ruleId`` = the requirement's stable id
  (``osaid.training-code``, ``eu_ai_act.weights-public``, ...); help text from the
  frameworks' criteria tables (``frameworks/criteria.py``). MOF components can be selected
  too, as ``component.<slug>`` (``component.model-parameters-final``): open is met,
  restricted or closed is unmet, unknown is unknown.
* **Selection**: ``requirements`` is a list of ids or ``fnmatch`` patterns (``osaid.*``);
  selected requirements that are not met become results (``unmet`` → ``error``, ``unknown``
  → ``warning``, or ``error`` with ``strict``). Without a selection: every unmet framework
  requirement.
* **Gate results** (``openscope check -f sarif``): ``requirements`` may instead be the
  check's own items (dicts with ``id``, ``outcome``, ``reason``, ``evidence``, and for a
  waived one ``checked_outcome`` and ``waiver``): only those become results, at the level of
  their outcome and the check's strictness; a waived one keeps the level of the outcome it
  had and carries a SARIF ``suppressions`` entry (kind ``external``, status ``accepted``,
  justification = the waiver's reason and note), so code scanning shows it as dismissed.
* **Locations**: the first file of the release the evidence points to (``README.md:12``,
  ``LICENSE``, ``config.json``), else ``README.md``; URIs are relative to the audited folder.
* **Fingerprints**: ``partialFingerprints["openscope/v1"]`` hashes the subject's ref (without
  revision), the rule id and the file, so a result keeps its identity across revisions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from importlib import resources
from typing import Any

from openscope.formats import _common as c
from openscope.report import Report

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "openscope/v1"
LEVELS = {"unmet": "error", "unknown": "warning", "met": "none"}
DEFAULT_ANCHOR = "README.md"


def schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 JSON schema (OASIS, errata 01), shipped with openscope."""
    text = resources.files("openscope.formats").joinpath(
        "schemas/sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _component_items(report: Report) -> list[c.RequirementView]:
    out = []
    for comp in report.data["components"]:
        status = comp["status"]
        outcome = {"open": "met", "restricted": "unmet", "closed": "unmet"}.get(status,
                                                                               "unknown")
        out.append(c.RequirementView(
            framework="component",
            id=f"component.{_slug(comp['name'])}",
            title=f"{comp['name']} is openly available",
            outcome=outcome,
            reason=f"{status}: {comp.get('reason', '')}",
            remediation=None if outcome == "met" else
            f"Publish the {comp['name'].lower()} under an open licence (OSI-approved for "
            "code, an open data or content licence for data and documents), without gating.",
            evidence=tuple(c.location(e) for e in comp.get("evidence", [])),
        ))
    return out


def _gate_view(report: Report, item: Mapping[str, Any]) -> c.RequirementView:
    """A requirement view of one check item (a detail of ``openscope check``)."""
    ident = str(item["id"])
    known = next((r for fw in c.frameworks(report) for r in fw.requirements
                  if r.id == ident), None)
    outcome = str(item.get("checked_outcome") or item.get("outcome") or "unknown")
    if outcome == "waived":
        outcome = "unmet"
    framework = known.framework if known else ident.split(".", 1)[0].split(":", 1)[0]
    return c.RequirementView(
        framework=framework, id=ident, title=str(item.get("title") or ident),
        outcome=outcome, reason=str(item.get("reason") or ""),
        remediation=item.get("remediation") or None,
        evidence=known.evidence if known else tuple(
            c.location(e) for e in item.get("evidence") or ()),
        basis=item.get("basis") if isinstance(item.get("basis"), str) else None)


def select(report: Report, requirements: Iterable[str] | None = None
           ) -> list[c.RequirementView]:
    """The requirements the policy asks for: those matching ``requirements`` (ids or
    ``fnmatch`` patterns; components as ``component.*``), or by default every unmet
    framework requirement. Sorted by id, each id once."""
    reqs = [r for fw in c.frameworks(report) for r in fw.requirements]
    if requirements is None:
        chosen = [r for r in reqs if r.outcome == "unmet"]
    else:
        patterns = [p.strip() for p in requirements if p.strip()]
        pool = reqs + _component_items(report)
        chosen = [r for r in pool if any(fnmatchcase(r.id, p) for p in patterns)]
    unique = {r.id: r for r in chosen}
    return [unique[k] for k in sorted(unique)]


def _anchor(req: c.RequirementView) -> tuple[str, int | None]:
    for loc in req.evidence:
        if loc.path:
            return loc.path, loc.line
    return DEFAULT_ANCHOR, None


def _rule(req: c.RequirementView, docs: dict[str, Any]) -> dict[str, Any]:
    doc = docs.get(req.id)
    description = str(getattr(doc, "description", "") or req.title)
    remediation = str(getattr(doc, "remediation", "") or req.remediation or "")
    source = str(getattr(doc, "source", "") or "")
    version = str(getattr(doc, "version", "") or "")
    title = str(getattr(doc, "title", "") or req.title)
    help_text = description + (f"\n\nRemediation: {remediation}" if remediation else "")
    md = f"**{title}**\n\n{description}"
    if remediation:
        md += f"\n\n**Remediation:** {remediation}"
    if source or version:
        md += f"\n\nCriteria: {version}{'; ' if source and version else ''}{source}"
    props: dict[str, Any] = {"tags": ["openness", req.framework]}
    if version:
        props["criteriaVersion"] = version
    return {
        "id": req.id,
        "name": "".join(p.capitalize() for p in re.split(r"[^A-Za-z0-9]+", req.id) if p),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": md},
        "defaultConfiguration": {"level": "error"},
        "properties": props,
    }


def _fingerprint(report: Report, rule_id: str, path: str) -> str:
    ref = str(report.data["subject"]["ref"]).split("@", 1)[0]
    return hashlib.sha256(f"{ref}|{rule_id}|{path}".encode()).hexdigest()[:32]


def level(outcome: str, strict: bool = False) -> str:
    """The SARIF level of an outcome: unmet is an error; unknown a warning, or an error
    under ``strict`` (where the check counts it as not met)."""
    if outcome == "unknown" and strict:
        return "error"
    return LEVELS.get(outcome, "warning")


def _result(report: Report, req: c.RequirementView, index: int,
            strict: bool = False) -> dict[str, Any]:
    path, line = _anchor(req)
    message = f"{req.title}: {req.outcome}. {req.reason}".strip()
    if req.remediation:
        message += f" Remediation: {req.remediation}"
    physical: dict[str, Any] = {"artifactLocation": {"uri": path}}
    if line:
        physical["region"] = {"startLine": line}
    result: dict[str, Any] = {
        "ruleId": req.id,
        "ruleIndex": index,
        "level": level(req.outcome, strict),
        "kind": "fail",
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(report, req.id, path)},
        "properties": {"outcome": req.outcome,
                       "evidence": [loc.text for loc in req.evidence]},
    }
    if req.basis:
        result["properties"]["basis"] = req.basis
    return result


def _suppression(waiver: Mapping[str, Any]) -> dict[str, Any]:
    expiry = f" (expires {waiver['expires']})" if waiver.get("expires") else ""
    return {"kind": "external", "status": "accepted",
            "justification": f"{waiver.get('reason')}: {waiver.get('note')}{expiry}",
            "properties": {"waiver": dict(waiver)}}


def to_sarif(report: Report,
             requirements: Iterable[str] | Iterable[Mapping[str, Any]] | None = None,
             strict: bool = False) -> dict[str, Any]:
    """The SARIF 2.1.0 log (a dict) for ``report``; see the module doc for ``requirements``
    (ids and patterns, or the check's items) and ``strict``."""
    items = list(requirements) if requirements is not None else None
    waivers: dict[str, Mapping[str, Any]] = {}
    expired: dict[str, Mapping[str, Any]] = {}
    if items and all(isinstance(i, Mapping) for i in items):
        gate_items = [i for i in items if isinstance(i, Mapping)]
        unique = {str(i["id"]): _gate_view(report, i) for i in gate_items}
        chosen = [unique[k] for k in sorted(unique)]
        waivers = {str(i["id"]): i["waiver"] for i in gate_items if i.get("waiver")}
        expired = {str(i["id"]): i["waiver_expired"] for i in gate_items
                   if i.get("waiver_expired")}
    else:
        chosen = select(report, [str(i) for i in items] if items is not None else None)
    docs = c.requirement_docs()
    rules = [_rule(r, docs) for r in chosen]
    results = []
    for i, r in enumerate(chosen):
        if r.outcome == "met":
            continue
        result = _result(report, r, i, strict)
        if r.id in waivers:
            result["suppressions"] = [_suppression(waivers[r.id])]
        elif r.id in expired:
            result["properties"]["expiredWaiver"] = dict(expired[r.id])
        results.append(result)
    d = report.data
    subject = d["subject"]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "openscope",
            "version": d["tool"]["version"],
            "semanticVersion": d["tool"]["version"],
            "rules": rules,
        }},
        "automationDetails": {"id": f"openscope/{c.subject_name(report)}/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "subject": {k: subject.get(k) for k in ("ref", "kind", "source", "revision",
                                                    "retrieved_at")},
            "versions": d.get("versions", {}),
            "reportSchema": d["schema_version"],
        },
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Report,
                 requirements: Iterable[str] | Iterable[Mapping[str, Any]] | None = None,
                 strict: bool = False) -> str:
    """SARIF JSON text (sorted keys, trailing newline) for the selected requirements."""
    return json.dumps(to_sarif(report, requirements, strict), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def render(report: Report, color: bool = False) -> str:
    """SARIF for the default selection (every unmet requirement); ``color`` is ignored."""
    return render_sarif(report)
