"""Requirement specs for ``openscope check`` and their outcomes on a report.

Specs a user can require:

==================  ===========================================================================
``mof:N``           MOF Class N or better in strict mode (N = 3, 2 or 1)
``mof-mot:N``       MOF Class N or better as the Model Openness Tool computes it
``osaid``           OSI Open Source AI Definition 1.0: every requirement met
``eu-exemption``    EU AI Act Art. 53(2) exemption conditions met (indicative)
``osai-index:X``    European Open Source AI Index overall score >= X (0..1)
``no-openwashing``  no open-washing flag
a requirement id    one requirement, e.g. ``osaid.training-code`` or ``eu.weights-public``
==================  ===========================================================================

Exit codes (:func:`exit_code`): 0 every required spec met; 1 at least one not met (with
``strict``, unknown counts as not met); 3 none unmet but at least one unknown (cannot
assess). Unmet wins over unknown: a definite failure is reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openscope.components.catalog import COMPONENTS
from openscope.errors import UsageError
from openscope.frameworks import REQUIREMENTS, mof
from openscope.frameworks.criteria import Outcome
from openscope.policy import Annotation, Policy

SPEC_HELP = ("mof:N (N = 3, 2, 1), mof-mot:N, osaid, eu-exemption, osai-index:X (0-1), "
             "no-openwashing, dataset, a requirement id (see `openscope explain --list`) or "
             "a component as SARIF names it (component.model-parameters-final)")
_FRAMEWORK_SPECS = {"osaid": "osaid", "eu-exemption": "eu_ai_act",
                    "no-openwashing": "openwashing", "dataset": "dataset"}
#: ``component.<slug>`` (as the SARIF export names components) -> component name.
COMPONENT_SPECS = {"component." + re.sub(r"[^a-z0-9]+", "-", c.name.lower()).strip("-"): c.name
                   for c in COMPONENTS}


@dataclass(frozen=True)
class Spec:
    """A parsed requirement spec."""

    text: str
    kind: str  # mof | mof-mot | framework | osai-index | requirement
    arg: Any = None


@dataclass
class Checked:
    """The outcome of one spec, the requirements behind it and the annotations shown."""

    spec: Spec
    outcome: Outcome
    reason: str
    details: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)

    def effective(self, strict: bool) -> Outcome:
        """The outcome that counts for the exit code (unknown is unmet under ``strict``)."""
        return "unmet" if strict and self.outcome == "unknown" else self.outcome

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        return {"require": self.spec.text, "outcome": self.outcome,
                "counts_as": self.effective(strict), "reason": self.reason,
                "requirements": self.details,
                "annotations": [a.to_dict() for a in self.annotations]}


def parse_spec(text: str) -> Spec:
    """Parse one ``--require`` value; a bad one raises :class:`UsageError` (exit 2)."""
    t = text.strip()
    m = re.fullmatch(r"(mof|mof-mot):([123])", t, re.I)
    if m:
        return Spec(t, m.group(1).lower(), int(m.group(2)))
    m = re.fullmatch(r"osai-index:(\d+(?:\.\d+)?)", t, re.I)
    if m and 0.0 <= float(m.group(1)) <= 1.0:
        return Spec(t, "osai-index", float(m.group(1)))
    if t.lower() in _FRAMEWORK_SPECS:
        return Spec(t, "framework", _FRAMEWORK_SPECS[t.lower()])
    if t in REQUIREMENTS:
        return Spec(t, "requirement", t)
    if t.lower() in COMPONENT_SPECS:
        return Spec(t, "component", COMPONENT_SPECS[t.lower()])
    raise UsageError(f"unknown requirement {text!r}", hint="use " + SPEC_HELP)


def _not_met(reqs: Iterable[dict[str, Any]], ids: set[str] | None = None) -> list[dict[str, Any]]:
    return [r for r in reqs if r["outcome"] != "met" and (ids is None or r["id"] in ids)]


def _mot_details(mof_report: dict[str, Any], level: int) -> list[dict[str, Any]]:
    """Components MOT does not count as included, for Class ``level`` and easier."""
    comps = mof_report.get("mot_compatible", {}).get("components", {})
    out = []
    for spec in COMPONENTS:
        if not spec.required or spec.mof_class < level:
            continue
        got = comps.get(spec.name, {})
        if got.get("status") == "included":
            continue
        req = REQUIREMENTS[f"mof.{mof.slug(spec.name)}"]
        lic = got.get("license")
        out.append({"id": req.id, "title": req.title, "outcome": "unmet",
                    "reason": f"{spec.name}: MOT status {got.get('status', 'missing')}"
                              + (f" (licence {lic!r})" if lic else ""),
                    "remediation": req.remediation, "evidence": [], "basis": "evidence"})
    return out


def evaluate(spec: Spec, frameworks: dict[str, Any],
             components: list[dict[str, Any]] | None = None) -> Checked:
    """The outcome of ``spec`` on a report's ``frameworks`` object (and, for a component
    spec, its ``components``: open is met, restricted or closed unmet, else unknown)."""
    if spec.kind == "component":
        comp = next((c for c in components or () if c.get("name") == spec.arg), None)
        if comp is None:
            return Checked(spec, "unknown", f"{spec.arg}: not assessed in this report")
        status = str(comp.get("status"))
        outcome: Outcome = ("met" if status == "open" else
                            "unmet" if status in ("restricted", "closed") else "unknown")
        return Checked(spec, outcome, f"{spec.arg}: {status}: {comp.get('reason', '')}")
    if spec.kind == "framework" and spec.arg not in frameworks:
        return Checked(spec, "unknown", f"{spec.text} does not apply to this release")
    if spec.kind in ("mof", "mof-mot"):
        mode = "strict" if spec.kind == "mof" else "mot-compatible"
        outcome, reason = mof.class_outcome(frameworks["mof"], spec.arg, mode)
        if outcome == "met":
            return Checked(spec, outcome, reason)
        if spec.kind == "mof-mot":
            return Checked(spec, outcome, reason, _mot_details(frameworks["mof"], spec.arg))
        needed = {f"mof.{mof.slug(n)}"
                  for n in frameworks["mof"].get("missing", {}).get(str(spec.arg), [])}
        return Checked(spec, outcome, reason,
                       _not_met(frameworks["mof"].get("requirements", []), needed))
    applicable = [k for k in ("mof", "osai_index", "osaid", "eu_ai_act")
                  if frameworks.get(k, {}).get("applicable") is False]
    if spec.kind in ("mof", "mof-mot", "osai-index") or (
            spec.kind == "framework" and spec.arg in applicable):
        key = {"mof": "mof", "mof-mot": "mof", "osai-index": "osai_index"}.get(spec.kind,
                                                                              str(spec.arg))
        if key in applicable:
            return Checked(spec, "unknown", str(frameworks[key]["verdict"]))
    if spec.kind == "framework":
        fw = frameworks[spec.arg]
        reqs = fw.get("requirements", [])
        tally = ", ".join(f"{sum(r['outcome'] == o for r in reqs)} {o}"
                          for o in ("met", "unmet", "unknown"))
        return Checked(spec, fw["outcome"], f"{fw['verdict']} ({tally})", _not_met(reqs))
    if spec.kind == "osai-index":
        scores = frameworks["osai_index"]["scores"]
        got, best = float(scores["overall"]), float(scores["overall_if_unknown_open"])
        reqs = frameworks["osai_index"].get("requirements", [])
        if got >= spec.arg:
            return Checked(spec, "met", f"Index score {got:.3f} >= {spec.arg}")
        if best >= spec.arg:
            return Checked(spec, "unknown", f"Index score {got:.3f} < {spec.arg}, but unknown "
                           f"parameters could raise it to {best:.3f}", _not_met(reqs))
        return Checked(spec, "unmet", f"Index score {got:.3f} < {spec.arg}", _not_met(reqs))
    for fw in frameworks.values():
        for req in fw.get("requirements", []) if isinstance(fw, dict) else []:
            if req["id"] == spec.arg:
                return Checked(spec, req["outcome"], req["reason"],
                               [req] if req["outcome"] != "met" else [])
    return Checked(spec, "unknown", "requirement not evaluated in this report")


def run(specs: Iterable[Spec], frameworks: dict[str, Any], policy: Policy,
        components: list[dict[str, Any]] | None = None) -> list[Checked]:
    """Evaluate every spec and attach the publisher's annotations (display only)."""
    out = []
    for spec in specs:
        checked = evaluate(spec, frameworks, components)
        ids = {spec.text, *(d["id"] for d in checked.details)}
        checked.annotations = policy.annotations_for(*ids)
        out.append(checked)
    return out


def exit_code(results: Iterable[Checked], strict: bool) -> int:
    """0 all met; 1 any not met (unknown too under ``strict``); 3 otherwise unknown."""
    effective = [r.effective(strict) for r in results]
    if "unmet" in effective:
        return 1
    if "unknown" in effective:
        return 3
    return 0
