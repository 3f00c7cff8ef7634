"""Dataset releases: dataset verdicts, and the model frameworks marked not applicable.

MOF, OSAID, the EU AI Act exemption and the Open Source AI Index rate models and AI systems;
asking them of a dataset gives false failures ("no weight files found"). A dataset release
gets its own verdict instead: is the data available without approval, under terms open for
data, and documented by a datasheet (Gebru et al.'s questions answered in its card)? The
model frameworks keep their keys, with ``applicable: false`` and the reason.
"""

from __future__ import annotations

from typing import Any

from openscope.components.assess import Component
from openscope.evidence.facts import Evidence
from openscope.frameworks.criteria import Requirement, Result, locations

VERSION = "openscope dataset verdict 1.0"
SOURCE = "Gebru et al., Datasheets for Datasets (CACM 2021); openscope licence knowledge base"

#: Datasheet question groups answered by a card for it to count as a datasheet.
DATASHEET_MIN = 4

AVAILABLE = Requirement(
    "dataset.available", "dataset", "Data available without approval",
    "The dataset's files are published without an access gate.",
    "Publish the data without an access gate.", VERSION, SOURCE)
LICENCE = Requirement(
    "dataset.licence", "dataset", "Licence open for data",
    "The dataset is under terms open for data (CC-BY, CC-BY-SA, CC0, CDLA, ODC, PDDL or an "
    "OSI-approved licence); non-commercial, no-derivatives and bespoke terms are not open.",
    "License the dataset under open data terms such as CC-BY-4.0 or CDLA-Permissive-2.0.",
    VERSION, SOURCE)
DATASHEET = Requirement(
    "dataset.datasheet", "dataset", "Documented by a datasheet",
    f"The dataset card answers at least {DATASHEET_MIN} of the 7 groups of Datasheets for "
    "Datasets questions (motivation, composition, collection, preprocessing, uses, "
    "distribution, maintenance), or a datasheet ships with the data.",
    "Answer the Datasheets for Datasets questions in the dataset card.", VERSION, SOURCE)
REQUIREMENTS: tuple[Requirement, ...] = (AVAILABLE, LICENCE, DATASHEET)

NOT_APPLICABLE = ("not applicable: this release is a dataset; {what} (see frameworks.dataset "
                  "for the dataset's verdict)")


def is_dataset(evidence: Evidence) -> bool:
    """Whether the audited release is a dataset."""
    return evidence.has("data.release")


def verdict(components: list[Component], evidence: Evidence) -> dict[str, Any]:
    """The ``frameworks.dataset`` object."""
    data = next(c for c in components if c.id == 15)
    results = [_available(data, evidence), _licence(data), _datasheet(evidence)]
    outcome = ("unmet" if any(r.outcome == "unmet" for r in results) else
               "unknown" if any(r.outcome == "unknown" for r in results) else "met")
    words = {"met": "open and documented", "unmet": "not open or not documented",
             "unknown": "cannot tell"}
    return {"framework": "Dataset openness", "version": VERSION, "applicable": True,
            "outcome": outcome, "verdict": words[outcome],
            "requirements": [r.to_dict() for r in results]}


def _available(data: Component, ev: Evidence) -> Result:
    facts = locations(data.evidence[:2])
    if data.attributes.get("access") == "gated":
        return Result(AVAILABLE, "unmet", "the dataset is gated: access needs approval",
                      (*facts, *locations(ev.of("access.gated")[:1])))
    if data.attributes.get("access") == "not-recorded":
        return Result(AVAILABLE, "unknown", "the Hub record kept does not say whether the "
                      "dataset is gated", facts, basis="not-checked")
    return Result(AVAILABLE, "met", "published without an access gate", facts)


def _licence(data: Component) -> Result:
    facts = locations(data.evidence[:2])
    if data.license is not None:
        facts = (*facts, *(f.location() for f in data.license.facts[:2]))
    if data.status == "open":
        return Result(LICENCE, "met", data.reason, facts)
    if data.status == "restricted":
        return Result(LICENCE, "unmet", data.reason, facts, remediation=LICENCE.remediation)
    return Result(LICENCE, "unknown", data.reason, facts)


def _datasheet(ev: Evidence) -> Result:
    sheets = ev.of("doc.datasheet")
    answered = max((int(f.value) for f in sheets if f.value.isdigit()), default=0)
    # The dataset's own card is a data card by name; it is a datasheet only when it
    # answers the questions. Another datasheet file in the release counts as one.
    card = ev.first("card.present")
    cards = [f for f in ev.of("data.card") if card is None or f.value != card.value]
    if cards:
        return Result(DATASHEET, "met", f"datasheet shipped: {cards[0].location()}",
                      locations(cards))
    if answered >= DATASHEET_MIN:
        return Result(DATASHEET, "met", f"the card answers {answered} of 7 datasheet question "
                      "groups", locations(sheets))
    if not ev.has("card.present"):
        if ev.has("coverage.no_card"):
            return Result(DATASHEET, "unknown", "the dataset card was not read",
                          basis="not-checked")
        return Result(DATASHEET, "unmet", "no dataset card found", basis="absence")
    return Result(DATASHEET, "unmet", f"the card does not answer at least {DATASHEET_MIN} of "
                  "the 7 datasheet question groups (motivation, composition, collection, "
                  "preprocessing, uses, distribution, maintenance)", locations(sheets),
                  remediation=DATASHEET.remediation)


def not_applicable(frameworks: dict[str, Any]) -> dict[str, Any]:
    """The model frameworks' blocks, kept in shape but marked not applicable."""
    out = dict(frameworks)
    why = {
        "mof": "the Model Openness Framework classifies models",
        "osaid": "the Open Source AI Definition defines open source AI systems and models",
        "eu_ai_act": "the Art. 53(2) exemption concerns general-purpose AI models",
        "osai_index": "the Open Source AI Index rates AI systems",
    }
    for key, what in why.items():
        block = dict(out[key])
        reason = NOT_APPLICABLE.format(what=what)
        block.update({"applicable": False, "verdict": reason, "requirements": []})
        if "outcome" in block:
            block["outcome"] = "not-applicable"
        if key == "mof":
            block.update({"label": "Not applicable (dataset release)", "missing": {},
                          "to_confirm": [], "attainable_class": 0})
        if key == "osai_index":
            block.update({"parameters": {}, "outcome": "not-applicable"})
        out[key] = block
    return out
