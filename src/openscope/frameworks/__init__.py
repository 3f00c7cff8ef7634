"""Framework verdicts: one module per framework, each a pure function of the components.

* :mod:`.mof` - Model Openness Framework 1.0, strict mode and MOT-compatible mode (:mod:`.mot`)
* :mod:`.osaid` - OSI Open Source AI Definition 1.0
* :mod:`.eu_ai_act` - EU AI Act Art. 53(2) / 54(6) open-source exemption (indicative)
* :mod:`.osai_index` - European Open Source AI Index parameters and scores
* :mod:`.openwashing` - openness claims against the verdicts

Every requirement is declared in a criteria table (:mod:`.criteria`); :func:`requirement`
and :data:`REQUIREMENTS` expose them for ``openscope explain`` and the generated docs.
"""

from __future__ import annotations

from typing import Any

from openscope.components.assess import Component
from openscope.evidence.facts import Evidence
from openscope.frameworks import dataset, eu_ai_act, mof, openwashing, osai_index, osaid
from openscope.frameworks.criteria import Requirement, Result, table_by_id

#: Every requirement of every framework, by id, in documentation order.
REQUIREMENTS: dict[str, Requirement] = table_by_id(
    mof.REQUIREMENTS, osaid.REQUIREMENTS, eu_ai_act.REQUIREMENTS, osai_index.REQUIREMENTS,
    openwashing.REQUIREMENTS, dataset.REQUIREMENTS,
)

#: Framework key -> (title, criteria version).
FRAMEWORKS: dict[str, tuple[str, str]] = {
    "mof": ("Model Openness Framework 1.0", mof.VERSION),
    "osaid": ("OSI Open Source AI Definition 1.0", osaid.VERSION),
    "eu_ai_act": ("EU AI Act open-source exemption", eu_ai_act.VERSION),
    "osai_index": ("European Open Source AI Index", osai_index.INDEX_VERSION),
    "openwashing": ("Open-washing flags", openwashing.VERSION),
    "dataset": ("Dataset openness (dataset releases)", dataset.VERSION),
}


def requirement(req_id: str) -> Requirement | None:
    """The requirement with this id, or ``None``."""
    return REQUIREMENTS.get(req_id)


def evaluate_all(components: list[Component], evidence: Evidence,
                 osaid_options: osaid.Options | None = None) -> dict[str, Any]:
    """Every framework's verdict, keyed as in the report's ``frameworks`` object."""
    ratings = osai_index.rate(components, evidence)
    osaid_verdict = osaid.verdict(components, evidence, osaid_options)
    out = {
        "mof": mof.classify(components).to_dict(),
        "osai_index": osai_index.block(ratings),
        "osaid": osaid_verdict,
        "eu_ai_act": eu_ai_act.verdict(components, evidence),
        "openwashing": openwashing.verdict(components, evidence, osaid_verdict),
    }
    if dataset.is_dataset(evidence):
        # Model frameworks do not apply to a dataset: a dataset verdict replaces them.
        out = dataset.not_applicable(out)
        out["dataset"] = dataset.verdict(components, evidence)
    return out


__all__ = ["FRAMEWORKS", "REQUIREMENTS", "Requirement", "Result", "eu_ai_act", "evaluate_all",
           "mof", "openwashing", "osai_index", "osaid", "requirement"]
