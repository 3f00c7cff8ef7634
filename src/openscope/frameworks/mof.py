"""Model Openness Framework 1.0: classes III / II / I and progress, in two modes.

**Strict (default).** A component is *included* when it is available without approval under
a licence that is open *and suited to its content type*: code under an OSI-approved licence,
weights and data under open-data terms (CDLA, CC-BY/CC-BY-SA, CC0, PDDL, ODC) or OpenMDW,
documents under open-content terms. Licence spellings are normalised and SPDX expressions
parsed by :mod:`openscope.licenses`. PDDL-1.0 and CC0-1.0 are accepted as open data.

**MOT-compatible** (:mod:`.mot`): the Model Openness Tool's own algorithm at 8b5d30e, fed with
each component's licence as a MOT record would declare it. Both are reported.

In both modes a Research paper may fill the Technical report slot, and the report says which
document filled it. Progress follows MOT (harder classes read 0 while an easier class is
incomplete); ``completion`` gives the raw per-class share so users see what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from openscope import licenses
from openscope.components.assess import Component, not_checked
from openscope.components.catalog import BY_ID, COMPONENTS, MOF_VERSION, MOT_COMMIT
from openscope.frameworks import mot
from openscope.frameworks.criteria import Outcome, Requirement, Result
from openscope.licenses import ContentType

VERSION = f"MOF {MOF_VERSION}; MOT {MOT_COMMIT}"
CLASS_LABELS = {0: "Unclassified", 3: "Class III - Open Model", 2: "Class II - Open Tooling",
                1: "Class I - Open Science"}
ROMAN = {3: "III", 2: "II", 1: "I"}
TECH_REPORT, RESEARCH_PAPER = 11, 21

#: What would satisfy each content type in strict mode.
SUITED = {
    "code": "an OSI-approved licence such as Apache-2.0 or MIT",
    "data": "open-data terms such as CDLA-Permissive-2.0, CC-BY-4.0 or CC0-1.0, or "
            "OpenMDW-1.0",
    "document": "open-content terms such as CC-BY-4.0 (or OpenMDW-1.0)",
}
_WHAT = {
    9: "the model architecture code or configuration (e.g. config.json, modelling code)",
    10: "the final weights (e.g. model.safetensors)",
    12: "evaluation results (a results section or model-index metadata in the card)",
    13: "a model card (README.md with uses, limitations, training and evaluation)",
    14: "a data card or datasheet describing the training data",
    11: "a technical report (a PDF in the release or a linked report)",
    20: "sample model outputs",
    7: "the training code (scripts, configs)",
    8: "inference code or a usage snippet",
    18: "the evaluation code",
    19: "the evaluation data",
    22: "supporting libraries and tools",
    15: "the training datasets",
    16: "the data preprocessing code",
    24: "intermediate checkpoints",
    21: "a research paper (arXiv preprint or peer-reviewed)",
    17: "model metadata (configuration, training settings)",
}


def slug(name: str) -> str:
    return (name.lower().replace("(", "").replace(")", "").replace(" ", "-"))


def _component_requirement(cid: int) -> Requirement:
    spec = BY_ID[cid]
    need = "required" if spec.required else "optional (reported, never counted)"
    return Requirement(
        id=f"mof.{slug(spec.name)}",
        framework="mof",
        title=f"{spec.name} included under an open licence suited to {spec.content_type}",
        description=(
            f"MOF component {spec.id} ({spec.content_type}), first needed for Class "
            f"{ROMAN[spec.mof_class]}; {need}. {spec.description} Included (strict mode) when "
            f"available without approval under {SUITED[spec.content_type]}. Not found in the "
            "sources checked = unmet (absence); available but its licence not established "
            "(linked elsewhere, unidentified licence) = unknown. MOT-compatible mode counts "
            "any licence on MOT's open list, whatever the content type."
            + (" A Research paper may fill this slot (MOT substitution)." if cid == TECH_REPORT
               else "")
        ),
        remediation=(f"Publish {_WHAT[cid]} in the release under {SUITED[spec.content_type]}, "
                     "and declare the licence (card `license:` or a scoped LICENSE file)."),
        version=VERSION,
        source="MOF 1.0 spec; MOT mof.settings.yml @ 8b5d30e",
    )


def _class_requirement(cls: int) -> Requirement:
    count = {3: 6, 2: 10, 1: 14}[cls]
    return Requirement(
        id=f"mof.class-{cls}",
        framework="mof",
        title=f"MOF {CLASS_LABELS[cls]}",
        description=(
            f"All {count} required components of Class {ROMAN[cls]} and every easier class are "
            "included under open licences (classes are cumulative). Strict mode also requires "
            "licences suited to each component's content type; the MOT-compatible mode "
            "reproduces the Model Openness Tool. Used by `openscope check --require "
            f"mof:{cls}` (met when the strict class is {ROMAN[cls]} or better)."
        ),
        remediation=("Publish every missing component listed in the verdict under a licence "
                     "suited to its content type (see each component requirement)."),
        version=VERSION,
        source="MOF 1.0 spec §classes; MOT ModelEvaluator.php @ 8b5d30e",
    )


REQUIREMENTS: tuple[Requirement, ...] = (
    *(_class_requirement(c) for c in (3, 2, 1)),
    *(_component_requirement(c.id) for c in COMPONENTS),
)
_BY_CID = {c.id: _component_requirement(c.id) for c in COMPONENTS}


@dataclass(frozen=True)
class MofResult:
    """Class (0 = unclassified, else 3, 2 or 1), MOT-style progress and raw completion."""

    mof_class: int
    progress: dict[int, float]
    completion: dict[int, float]
    missing: dict[int, list[str]]
    substitution: str | None
    mode: str
    results: tuple[Result, ...] = ()
    mot_compatible: mot.MotResult | None = None
    attainable_class: int | None = None
    to_confirm: tuple[tuple[str, str], ...] = ()

    @property
    def report_slot(self) -> str | None:
        """Which document fills the Technical report slot (None when neither counts)."""
        if self.substitution:
            return "Research paper"
        if "Technical report" not in self.missing.get(3, []):
            return "Technical report"
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``frameworks.mof``)."""
        out: dict[str, Any] = {
            "framework": "Model Openness Framework",
            "version": MOF_VERSION,
            "mot_commit": MOT_COMMIT,
            "mode": self.mode,
            "class": self.mof_class,
            "label": CLASS_LABELS[self.mof_class],
            "verdict": CLASS_LABELS[self.mof_class],
            "progress": {str(k): v for k, v in sorted(self.progress.items(), reverse=True)},
            "completion": {str(k): v for k, v in sorted(self.completion.items(), reverse=True)},
            "missing": {str(k): v for k, v in sorted(self.missing.items(), reverse=True)},
            "substitution": self.substitution,
            "report_slot": self.report_slot,
            "requirements": [r.to_dict() for r in self.results],
            "proven_class": self.mof_class,
            "attainable_class": (self.mof_class if self.attainable_class is None
                                 else self.attainable_class),
            "to_confirm": [{"component": name, "reason": why} for name, why in self.to_confirm],
        }
        if self.mot_compatible is not None:
            mc = self.mot_compatible.to_dict()
            mc["label"] = CLASS_LABELS[self.mot_compatible.mof_class]
            out["mot_compatible"] = mc
        return out


def required_by_class() -> dict[int, list[int]]:
    """Cumulative required component ids per class: III = 6, II = 10, I = 14."""
    out: dict[int, list[int]] = {}
    acc: list[int] = []
    for cls in (3, 2, 1):
        acc = acc + [c.id for c in COMPONENTS if c.required and c.mof_class == cls]
        out[cls] = list(acc)
    return out


def strict_outcome(comp: Component) -> Result:
    """Strict-mode outcome of one component: met, unmet (with why) or unknown."""
    req = _BY_CID[comp.id]
    ctype = cast(ContentType, comp.spec.content_type)
    ev = tuple(f.location() or f.value for f in comp.evidence[:4])
    if comp.available is None:
        gap = not_checked(comp)
        if gap:
            return Result(req, "unknown", f"{comp.name}: not found, but {gap}", ev,
                          basis="not-checked")
        return Result(req, "unmet", f"{comp.name}: not found in the sources checked", ev,
                      basis="absence")
    if comp.status == "closed":
        return Result(req, "unmet", f"{comp.name}: {comp.reason}", ev)
    if comp.status == "unknown":
        return Result(req, "unknown", f"{comp.name}: {comp.reason}", ev,
                      remediation=f"Declare the licence of {_WHAT[comp.id]} "
                      f"({SUITED[ctype]}) in the release, or ship it in the release.")
    lic = comp.license
    lic_name = (lic.classification.license.name if lic and lic.classification.license
                else (lic.raw if lic else "no licence"))
    if lic is not None:
        ev = (*ev, *(f.location() for f in lic.facts[:2]))
    if comp.status == "restricted":
        clause = f" ({comp.clause.section}: {comp.clause.text})" if comp.clause else ""
        return Result(req, "unmet", f"{comp.name}: {comp.reason}{clause}", ev,
                      remediation=f"Release {_WHAT[comp.id]} without approval under "
                      f"{SUITED[ctype]} instead of {lic_name}.")
    if lic is not None and not licenses.type_fit(lic.classification, ctype):
        # The component decision already judged the licence open for this part; MOF's
        # preference for type-specific licences is advice (as in MOT), never a second verdict.
        return Result(req, "met",
                      f"{comp.name}: {comp.reason} (advisory: MOF recommends {SUITED[ctype]} "
                      f"for {ctype}; {lic_name} is accepted, as the Model Openness Tool does)",
                      ev)
    return Result(req, "met", f"{comp.name}: {comp.reason}", ev)


def classify(components: list[Component]) -> MofResult:
    """The MOF class in strict mode, with the MOT-compatible verdict alongside."""
    results = {c.id: strict_outcome(c) for c in components}
    included = {cid: r.outcome == "met" for cid, r in results.items()}
    present = {c.id: c.available is True for c in components}
    names = {c.id: c.name for c in components}
    base = evaluate(included, present, names, mode="strict")
    ordered = tuple(results[c.id] for c in COMPONENTS if c.required and c.id in results)
    # The class reached if every unknown resolved open: what the evidence leaves open.
    hopeful = {cid: r.outcome in ("met", "unknown") for cid, r in results.items()}
    attainable = evaluate(hopeful, {**present, **{cid: True for cid, ok in hopeful.items()
                                                  if ok}}, names, mode="strict")
    needed = set(required_by_class().get(attainable.mof_class, [])) if attainable.mof_class \
        else set()
    if TECH_REPORT in needed and results[TECH_REPORT].outcome != "met":
        needed.add(RESEARCH_PAPER)  # the paper fills the report's slot (MOT substitution)
    to_confirm = tuple((names[cid], results[cid].reason) for cid in (c.id for c in COMPONENTS)
                       if cid in needed and results[cid].outcome == "unknown")
    return MofResult(base.mof_class, base.progress, base.completion, base.missing,
                     base.substitution, base.mode, ordered,
                     mot.classify(to_mot_input(components)),
                     attainable_class=attainable.mof_class, to_confirm=to_confirm)


def to_mot_input(components: list[Component]) -> mot.MotInput:
    """Adapt assessed components to what a MOT record would declare.

    A component is listed when it was found. Its licence is the SPDX id when the licence
    was identified (as a MOT record would spell it), else the declared string; a component
    whose licence was not established is listed without one (MOT: unlicensed).
    """
    declared: dict[str, mot.Declared] = {}
    for comp in components:
        if comp.available is not True:
            continue
        lic = comp.license
        if lic is None:
            declared[comp.name] = mot.Declared(None, True)
            continue
        known = lic.classification.license
        spelled = (known.spdx_id or known.id) if known else (lic.classification.expression
                                                              or lic.raw)
        declared[comp.name] = mot.Declared(spelled, True)
    return mot.MotInput(declared)


def strict_from_declared(inp: mot.MotInput) -> MofResult:
    """Strict mode over declared licences (as in a MOT record): normalised, type-checked.

    Used by the agreement benchmark to show where strict mode and MOT differ.
    """
    included: dict[int, bool] = {}
    present: dict[int, bool] = {}
    names = {c.id: c.name for c in COMPONENTS}
    for spec in COMPONENTS:
        if spec.name not in inp.components:
            continue
        present[spec.id] = True
        raw, _level = mot.resolve(spec.id, inp)
        if not raw or raw.strip().lower() == "unlicensed":
            included[spec.id] = False
            continue
        c = licenses.classify(raw)
        ctype = cast(ContentType, spec.content_type)
        status, _why, _clause = licenses.component_status(c, ctype)
        included[spec.id] = status == "open" and licenses.type_fit(c, ctype)
    return evaluate(included, present, names, mode="strict")


def evaluate(
    included: dict[int, bool], present: dict[int, bool], names: dict[int, str], mode: str
) -> MofResult:
    """Class and progress from per-component inclusion (the strict mode's computation)."""
    substitution = None
    slots = dict(included)
    if not included.get(TECH_REPORT) and present.get(RESEARCH_PAPER):
        slots[TECH_REPORT] = included.get(RESEARCH_PAPER, False)
        state = "included" if slots[TECH_REPORT] else "not included"
        substitution = f"Research paper ({state}) fills the Technical report slot"
    elif included.get(TECH_REPORT):
        substitution = None
    progress: dict[int, float] = {}
    completion: dict[int, float] = {}
    missing: dict[int, list[str]] = {}
    easier_complete = True
    for cls, ids in required_by_class().items():
        if substitution and cls == 1:
            ids = [i for i in ids if i != TECH_REPORT]  # the paper counts once
        done = sum(1 for i in ids if slots.get(i))
        raw = round(min(100.0, 100.0 * done / len(ids)), 1)
        completion[cls] = raw
        progress[cls] = raw if easier_complete else 0.0
        missing[cls] = [names[i] for i in ids if not slots.get(i)]
        easier_complete = easier_complete and raw == 100.0
    mof_class = next((cls for cls in (1, 2, 3) if progress[cls] == 100.0), 0)
    return MofResult(mof_class, progress, completion, missing, substitution, mode)


def class_outcome(mof: dict[str, Any], level: int, mode: str = "strict") -> tuple[Outcome, str]:
    """Whether a report's MOF verdict reaches Class ``level`` (3, 2 or 1), and why.

    ``unmet`` when a component the class needs is definitively not open (not found,
    restricted, closed, ill-suited licence); ``unknown`` when only components whose licence
    could not be established stand in the way.
    """
    data = mof if mode == "strict" else mof.get("mot_compatible", {})
    got = int(data.get("class", 0))
    label = CLASS_LABELS[got]
    if got and got <= level:
        return "met", f"{label} ({mode})"
    if mode != "strict":
        return "unmet", f"{label} ({mode}); needs Class {ROMAN[level]}"
    needed = set(mof.get("missing", {}).get(str(level), []))
    ids = {f"mof.{slug(name)}" for name in needed}
    blockers = [r for r in mof.get("requirements", []) if r["id"] in ids]
    if blockers and all(r["outcome"] == "unknown" for r in blockers):
        return "unknown", (f"{label}; Class {ROMAN[level]} needs licences that could not be "
                           "established: " + ", ".join(sorted(needed)))
    return "unmet", (f"{label}; Class {ROMAN[level]} still needs: "
                     + ", ".join(sorted(needed)))
