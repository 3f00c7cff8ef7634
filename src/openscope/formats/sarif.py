"""SARIF 2.1.0 for code scanning: one rule per requirement, results anchored to release files.

* **Rules**: one per requirement, ``ruleId`` = the requirement's stable id
  (``osaid.training-code``, ``eu_ai_act.weights-public``, ...); help text from the
  frameworks' criteria tables (``frameworks/criteria.py``). MOF components can be selected
  too, as ``component.<slug>`` (``component.model-parameters-final``): open is met,
  restricted or closed is unmet, unknown is unknown.
* **Selection**: ``requirements`` is a list of ids or ``fnmatch`` patterns (``osaid.*``);
  selected requirements that are not met become results (``unmet`` → ``error``, ``unknown``
  → ``warning``). Without a selection: every unmet framework requirement.
* **Locations**: the first file of the release the evidence points to (``README.md:12``,
  ``LICENSE``, ``config.json``), else ``README.md``; URIs are relative to the audited folder.
* **Fingerprints**: ``partialFingerprints["openscope/v1"]`` hashes the subject's ref (without
  revision), the rule id and the file, so a result keeps its identity across revisions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
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


def _result(report: Report, req: c.RequirementView, index: int) -> dict[str, Any]:
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
        "level": LEVELS.get(req.outcome, "warning"),
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


def to_sarif(report: Report, requirements: Iterable[str] | None = None) -> dict[str, Any]:
    """The SARIF 2.1.0 log (a dict) for ``report``; see the module doc for ``requirements``."""
    chosen = select(report, requirements)
    docs = c.requirement_docs()
    rules = [_rule(r, docs) for r in chosen]
    results = [_result(report, r, i) for i, r in enumerate(chosen) if r.outcome != "met"]
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


def render_sarif(report: Report, requirements: Iterable[str] | None = None) -> str:
    """SARIF JSON text (sorted keys, trailing newline) for the selected requirements."""
    return json.dumps(to_sarif(report, requirements), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def render(report: Report, color: bool = False) -> str:
    """SARIF for the default selection (every unmet requirement); ``color`` is ignored."""
    return render_sarif(report)
