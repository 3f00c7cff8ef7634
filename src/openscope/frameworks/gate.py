"""Requirement specs for ``openscope check`` and their outcomes on a report.

Specs a user can require:

==================  ===========================================================================
``mof:N``           MOF Class N or better in strict mode (N = 3, 2 or 1)
``mof-mot:N``       MOF Class N or better as the Model Openness Tool computes it
``osaid``           OSI Open Source AI Definition 1.0: every requirement met
``eu-exemption``    EU AI Act Art. 53(2) exemption conditions met (indicative)
``osai-index:X``    European Open Source AI Index overall score >= X (0..1)
``no-openwashing``  no open-washing flag
``use:RIGHT``       a use right of the weights' licence (:mod:`openscope.frameworks.use_rights`):
                    ``use:commercial``, ``use:modify``, ``use:redistribute``,
                    ``use:no-user-cap``, ``use:no-field-of-use``, ``use:ship`` (all five)
``use:compatible``  the declared licence is compatible with the base models' and named
                    datasets' licences (alias ``lineage-compatible``)
a requirement id    one requirement, e.g. ``osaid.training-code`` or ``eu.weights-public``
==================  ===========================================================================

Waivers (:class:`openscope.policy.Waiver`, applied by :func:`apply_waivers`) turn a named
unmet or unknown spec or requirement into ``waived``, which does not block the exit code;
an expired waiver does not apply and is recorded beside the outcome it left unchanged.

Exit codes (:func:`exit_code`): 0 every required spec met; 1 at least one not met (with
``strict``, unknown counts as not met); 3 none unmet but at least one unknown (cannot
assess). Unmet wins over unknown: a definite failure is reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from openscope.components.catalog import COMPONENTS
from openscope.errors import UsageError
from openscope.frameworks import REQUIREMENTS, mof, use_rights
from openscope.policy import Annotation, Policy, Waiver

#: A gate outcome: a framework outcome, or ``waived`` (not met, but waived by the publisher).
Outcome = Literal["met", "unmet", "unknown", "waived"]
_NOT_MET = ("unmet", "unknown")

SPEC_HELP = ("mof:N (N = 3, 2, 1), mof-mot:N, osaid, eu-exemption, osai-index:X (0-1), "
             "no-openwashing, dataset, use:commercial, use:modify, use:redistribute, "
             "use:no-user-cap, use:no-field-of-use, use:ship (all five), use:compatible, "
             "a requirement id (see `openscope explain --list`) or "
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
    #: every id this spec looked at, met or not (what a waiver may name)
    scope: set[str] = field(default_factory=set)
    #: the waiver applied to the spec itself, and expired ones that did not apply
    waiver: Waiver | None = None
    expired: list[Waiver] = field(default_factory=list)
    #: the outcome before waivers (equal to ``outcome`` when none applied)
    checked_outcome: Outcome | None = None

    def effective(self, strict: bool) -> Outcome:
        """The outcome that counts for the exit code (unknown is unmet under ``strict``;
        waived counts as met)."""
        if self.outcome == "waived":
            return "met"
        return "unmet" if strict and self.outcome == "unknown" else self.outcome

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {
            "require": self.spec.text, "outcome": self.outcome,
            "counts_as": self.effective(strict), "reason": self.reason,
            "requirements": self.details,
            "annotations": [a.to_dict() for a in self.annotations]}
        if self.checked_outcome is not None and self.checked_outcome != self.outcome:
            out["checked_outcome"] = self.checked_outcome
        if self.waiver is not None:
            out["waiver"] = self.waiver.to_dict()
        if self.expired:
            out["expired_waivers"] = [w.to_dict() for w in self.expired]
        return out


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
    use = use_rights.canonical(t)
    if use is not None:
        return Spec(t, "use", use)
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


def _use(spec: Spec, components: list[dict[str, Any]] | None,
         report: dict[str, Any] | None) -> Checked:
    """A ``use:`` spec: one right, all five (``use:ship``) or lineage compatibility."""
    if spec.arg == use_rights.COMPATIBLE:
        details = use_rights.compatible(report or {"components": components})
        if not details:
            return Checked(spec, "met", "no base model or named dataset to be compatible "
                           "with")
    elif spec.arg == use_rights.SHIP:
        details = use_rights.ship(components)
    else:
        d = use_rights.right(spec.arg, components)
        return Checked(spec, d["outcome"], d["reason"], [d] if d["outcome"] != "met" else [],
                       scope={spec.text, spec.arg})
    outcomes = [d["outcome"] for d in details]
    outcome: Outcome = ("unmet" if "unmet" in outcomes else
                        "unknown" if "unknown" in outcomes else "met")
    tally = ", ".join(f"{outcomes.count(o)} {o}" for o in ("met", "unmet", "unknown"))
    lic, record = use_rights.weights_license(components)
    label = lic.id if lic else (record or {}).get("raw") or "no licence found"
    what = "weights' licence" if spec.arg == use_rights.SHIP else "lineage and datasets"
    return Checked(spec, outcome, f"{what}: {label} ({tally})",
                   [d for d in details if d["outcome"] != "met"],
                   scope={spec.text, spec.arg, *(d["id"] for d in details)})


def evaluate(spec: Spec, frameworks: dict[str, Any],
             components: list[dict[str, Any]] | None = None,
             report: dict[str, Any] | None = None) -> Checked:
    """The outcome of ``spec`` on a report's ``frameworks`` object (and, for a component
    spec, its ``components``: open is met, restricted or closed unmet, else unknown; for
    ``use:compatible``, the whole ``report`` data with its lineage and datasets)."""
    if spec.kind == "use":
        return _use(spec, components, report)
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


def _scope(spec: Spec, frameworks: dict[str, Any]) -> set[str]:
    """Every id a spec looks at: its text and the requirements behind it, met or not."""
    key = {"mof": "mof", "mof-mot": "mof", "osai-index": "osai_index"}.get(
        spec.kind, str(spec.arg) if spec.kind == "framework" else "")
    fw = frameworks.get(key) if key else None
    ids = {spec.text}
    if spec.kind in ("requirement", "component"):
        ids.add(str(spec.arg) if spec.kind == "requirement" else spec.text.lower())
    if spec.kind == "mof-mot":
        ids |= {r for r in REQUIREMENTS if r.startswith("mof.")}
    if isinstance(fw, dict):
        ids |= {str(r["id"]) for r in fw.get("requirements", []) if isinstance(r, dict)}
    return ids


def run(specs: Iterable[Spec], frameworks: dict[str, Any], policy: Policy,
        components: list[dict[str, Any]] | None = None,
        report: dict[str, Any] | None = None) -> list[Checked]:
    """Evaluate every spec and attach the publisher's annotations (display only).

    Waivers are applied separately (:func:`apply_waivers`), so a caller sees both."""
    out = []
    for spec in specs:
        checked = evaluate(spec, frameworks, components, report)
        checked.details = [dict(d) for d in checked.details]  # never the report's own dicts
        checked.scope |= _scope(spec, frameworks) | {d["id"] for d in checked.details}
        ids = {spec.text, *(d["id"] for d in checked.details)}
        checked.annotations = policy.annotations_for(*ids)
        checked.checked_outcome = checked.outcome
        out.append(checked)
    return out


def _apply(waivers: list[Waiver], ident: str, today: dt.date) -> tuple[Waiver | None,
                                                                        Waiver | None]:
    """(waiver that applies, expired waiver) for ``ident``: live ones win."""
    named = [w for w in waivers if w.requirement.casefold() == ident.casefold()]
    live = next((w for w in named if not w.expired(today)), None)
    return live, (None if live else next(iter(named), None))


def apply_waivers(results: list[Checked], waivers: Iterable[Waiver],
                  today: dt.date | None = None) -> list[Waiver]:
    """Turn waived unmet/unknown details and specs into ``waived``; return the waivers that
    match nothing checked.

    A detail keeps its framework outcome as ``checked_outcome`` and carries the ``waiver``;
    an expired waiver leaves the outcome as it is and is recorded as ``waiver_expired``.
    A spec is waived when it is named itself, or when every detail that was not met is
    waived (then the rest decide it: an unmet spec whose remaining details are unknown
    becomes unknown). Facts and framework verdicts are never touched.
    """
    today = today or dt.date.today()
    waivers = list(waivers)
    if not waivers:
        return []
    for r in results:
        for d in r.details:
            if d.get("outcome") not in _NOT_MET:
                continue
            live, expired = _apply(waivers, str(d["id"]), today)
            if live is not None:
                d["checked_outcome"], d["outcome"] = d["outcome"], "waived"
                d["waiver"] = live.to_dict()
            elif expired is not None:
                d["waiver_expired"] = expired.to_dict()
        if r.outcome not in _NOT_MET:
            continue
        live, expired = _apply(waivers, r.spec.text, today)
        if live is not None:
            r.outcome, r.waiver = "waived", live
            continue
        if expired is not None:
            r.expired.append(expired)
        left = [d["outcome"] for d in r.details if d.get("outcome") in _NOT_MET]
        if any(d.get("outcome") == "waived" for d in r.details):
            if not left:
                r.outcome = "waived"
            elif r.outcome == "unmet" and "unmet" not in left:
                r.outcome = "unknown"
    scope = set().union(*(r.scope for r in results)) if results else set()
    folded = {s.casefold() for s in scope}
    return [w for w in waivers if w.requirement.casefold() not in folded]


def exit_code(results: Iterable[Checked], strict: bool) -> int:
    """0 all met (or waived); 1 any not met (unknown too under ``strict``); 3 otherwise
    unknown."""
    effective = [r.effective(strict) for r in results]
    if "unmet" in effective:
        return 1
    if "unknown" in effective:
        return 3
    return 0
