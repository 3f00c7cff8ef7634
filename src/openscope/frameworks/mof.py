"""Model Openness Framework 1.0: classes III / II / I and progress, from the components.

Default (strict) mode: a component is *included* when its status is ``open`` (available,
ungated, under a licence open for its content type). The Technical report slot may be filled
by a Research paper (MOT's substitution), and the report says which document filled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openscope.components.assess import Component
from openscope.components.catalog import COMPONENTS, MOF_VERSION, MOT_COMMIT

CLASS_LABELS = {0: "Unclassified", 3: "Class III - Open Model", 2: "Class II - Open Tooling",
                1: "Class I - Open Science"}
TECH_REPORT, RESEARCH_PAPER = 11, 21


@dataclass(frozen=True)
class MofResult:
    """Class (0 = unclassified, else 3, 2 or 1), MOT-style progress and raw completion."""

    mof_class: int
    progress: dict[int, float]
    completion: dict[int, float]
    missing: dict[int, list[str]]
    substitution: str | None
    mode: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``frameworks.mof``)."""
        return {
            "framework": "Model Openness Framework",
            "version": MOF_VERSION,
            "mot_commit": MOT_COMMIT,
            "mode": self.mode,
            "class": self.mof_class,
            "label": CLASS_LABELS[self.mof_class],
            "progress": {str(k): v for k, v in sorted(self.progress.items(), reverse=True)},
            "completion": {str(k): v for k, v in sorted(self.completion.items(), reverse=True)},
            "missing": {str(k): v for k, v in sorted(self.missing.items(), reverse=True)},
            "substitution": self.substitution,
        }


def required_by_class() -> dict[int, list[int]]:
    """Cumulative required component ids per class: III = 6, II = 10, I = 14."""
    out: dict[int, list[int]] = {}
    acc: list[int] = []
    for cls in (3, 2, 1):
        acc = acc + [c.id for c in COMPONENTS if c.required and c.mof_class == cls]
        out[cls] = list(acc)
    return out


def classify(components: list[Component]) -> MofResult:
    """The MOF class in openscope's default (strict) mode."""
    included = {c.id: c.status == "open" for c in components}
    present = {c.id: bool(c.available) for c in components}
    names = {c.id: c.name for c in components}
    return evaluate(included, present, names, mode="strict")


def evaluate(
    included: dict[int, bool], present: dict[int, bool], names: dict[int, str], mode: str
) -> MofResult:
    """Class and progress from per-component inclusion (shared by every mode)."""
    substitution = None
    slots = dict(included)
    if not included.get(TECH_REPORT) and present.get(RESEARCH_PAPER):
        slots[TECH_REPORT] = included.get(RESEARCH_PAPER, False)
        substitution = "Research paper fills the Technical report slot"
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
