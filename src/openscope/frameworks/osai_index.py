"""European Open Source AI Index: the 12 current parameters, open / partial / closed.

The Index rates availability and documentation separately from licences: weights anyone can
download under a restrictive licence are ``weights_endmodel: open`` with ``licenses: partial``
or ``closed``; gated weights are ``partial``. Following the Index's convention, a thing not
found is rated ``closed``, and the rating carries ``basis: "absence"`` so a reader can tell
"shown closed" from "not found". Scoring as the Index website (``composables/models.ts``):
open = 1, partial = 0.5, closed or missing = 0 (``unknown`` weighs 0 too, and is listed),
mean per category and over all parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from openscope.components.assess import Component
from openscope.evidence.facts import Evidence, Fact
from openscope.frameworks import osai_rules as rules
from openscope.frameworks.criteria import Outcome, Requirement, Result
from openscope.frameworks.osai_rules import PRACTICE, Rating

INDEX_VERSION = "main-database@5a388e8 (12 parameters since ff85b6f, 2026-03-13)"

CATEGORIES: dict[str, tuple[str, ...]] = {
    "availability": ("datasources_basemodel", "datasources_endmodel", "weights_basemodel",
                     "weights_endmodel", "trainingcode"),
    "documentation": ("code", "hardware_architecture", "preprint", "paper", "modelcard",
                      "datasheet"),
    "access": ("licenses",),
}
PARAMETERS: tuple[str, ...] = tuple(p for ps in CATEGORIES.values() for p in ps)
SCORES = {"open": 1.0, "partial": 0.5, "closed": 0.0}


def _locs(facts: list[Fact]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.location() or f.value for f in facts[:5]))


#: Where each parameter's evidence is looked for: in the files, in the card, or both.
#: The raters judge code, code documentation, architecture and datasheets from what the
#: release documents: a card that was read and documents nothing is absence, even where the
#: file listing was not kept (a training script nobody documents is not what they rate).
LOOKS_IN: dict[str, frozenset[str]] = {
    "datasources_endmodel": frozenset({"card"}),
    "weights_endmodel": frozenset({"files"}),
    "trainingcode": frozenset({"card"}),
    "code": frozenset({"card"}),
    "hardware_architecture": frozenset({"card"}),
    "preprint": frozenset({"card"}),
    "paper": frozenset({"card"}),
    "modelcard": frozenset({"card"}),
    "datasheet": frozenset({"card"}),
    "licenses": frozenset({"files", "card"}),
}


def _coverage(name: str, rating: Rating, evidence: Evidence) -> Rating:
    """A rating from absence becomes ``unknown`` where the sources could not look.

    The Index rates a thing not found as closed; that is only fair where we looked. With
    no file listing recorded, or no card read, absence there proves nothing.
    """
    if rating.basis != "absence":
        return rating
    gaps = []
    if "files" in LOOKS_IN[name] and evidence.has("coverage.no_listing"):
        gaps.append("the file listing was not recorded")
    if "card" in LOOKS_IN[name] and evidence.has("coverage.no_card"):
        gaps.append("no card was read")
    if not gaps:
        return rating
    return Rating("unknown", f"{rating.reason}, but {' and '.join(gaps)}", rating.evidence,
                  basis="not-checked")


def derived_from(evidence: Evidence) -> list[Fact]:
    """Facts showing the release is derived from another model (its base), if any."""
    return evidence.of("lineage.base_model", "lineage.base_named", "weights.adapter")


def rate(components: list[Component], evidence: Evidence) -> dict[str, Rating]:
    """Rate the 12 parameters for the end model (rules: :mod:`.osai_rules`).

    A release with no sign of a base model gets the end-model rating for the base-model
    items too, as the Index does. A derived release gets ``unknown`` (not-checked) base
    items, naming the base, until the base model's own audit rates them
    (:func:`openscope.pipeline.audit_snapshot` does that when lineage was collected).
    """
    by_id = {c.id: c for c in components}
    derived = derived_from(evidence)
    parts = {"weights": by_id[10], "training code": by_id[7], "data": by_id[15]}
    rule_of: dict[str, Callable[[], Rating]] = {
        "datasources_endmodel": lambda: rules.datasources(by_id[15], evidence),
        "weights_endmodel": lambda: rules.weights_end(by_id[10], evidence),
        "trainingcode": lambda: rules.trainingcode(evidence),
        "code": lambda: rules.code_docs(evidence),
        "hardware_architecture": lambda: rules.architecture(evidence),
        "preprint": lambda: rules.preprint(evidence),
        "paper": lambda: rules.paper(evidence),
        "modelcard": lambda: rules.modelcard(evidence),
        "datasheet": lambda: rules.datasheet(by_id[15], evidence, bool(derived)),
        "licenses": lambda: rules.licenses(parts, evidence),
    }
    out = {name: _coverage(name, rule(), evidence) for name, rule in rule_of.items()}
    for base, end in (("datasources_basemodel", "datasources_endmodel"),
                      ("weights_basemodel", "weights_endmodel")):
        if derived:
            names = ", ".join(dict.fromkeys(f.value for f in derived[:3]))
            out[base] = Rating("unknown", f"derived from {names}; the base model's own "
                               "evidence was not collected", _locs(derived),
                               basis="not-checked")
        else:
            out[base] = out[end]
    return {p: out[p] for p in PARAMETERS}


def score(ratings: dict[str, Rating]) -> dict[str, Any]:
    """The Index's scores: open 1, partial 0.5, closed 0, and (as on the Index website, where
    a missing value weighs 0) ``unknown`` 0 too; mean per category and over all parameters.

    ``unknown`` lists the parameters scored 0 for lack of evidence, and ``overall_if_unknown_
    open`` is the best score they could give, so a reader sees how much is undecided.
    """
    def value(name: str, unknown_as: float = 0.0) -> float:
        v = ratings[name].value
        return SCORES.get(v, unknown_as)

    def mean(names: tuple[str, ...], unknown_as: float = 0.0) -> float:
        return round(sum(value(n, unknown_as) for n in names) / len(names), 3)

    return {
        "overall": mean(PARAMETERS),
        "categories": {cat: mean(names) for cat, names in CATEGORIES.items()},
        "unknown": sorted(n for n in PARAMETERS if ratings[n].value == "unknown"),
        "overall_if_unknown_open": mean(PARAMETERS, 1.0),
        "method": "open 1, partial 0.5, closed or missing 0; mean per category and overall "
                  "(Index website composables/models.ts)",
    }


@cache
def _requirement(name: str) -> Requirement:
    cat = next(c for c, names in CATEGORIES.items() if name in names)
    text = f"{DESCRIPTIONS[name][0]} Raters' practice, as openscope reads it: {PRACTICE[name]}"
    if name in DEPARTURES:
        text += f" Departure from the published wording: {DEPARTURES[name]}."
    return Requirement(f"osai.{name}", "osai_index", f"{name} ({cat})", text,
                       DESCRIPTIONS[name][1], INDEX_VERSION,
                       "https://osai-index.eu; Language-Technology-Assessment/main-database")


#: Parameter -> (the Index's published criterion, remediation towards open). The raters'
#: practice as openscope reads it is :data:`openscope.frameworks.osai_rules.PRACTICE`.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "datasources_basemodel": (
        "Index: base model data sources not disclosed / partly disclosed / all disclosed "
        "and open for inspection.",
        "Name every pre-training data source and publish the data, or links to it."),
    "datasources_endmodel": (
        "Index: end model (fine-tuning, instruction, preference) data sources not disclosed "
        "/ partly disclosed / all disclosed and open for inspection.",
        "List the fine-tuning datasets (`datasets:` metadata) and publish them on the Hub."),
    "weights_basemodel": (
        "Index: base model weights not shared / partly shared or gated download / freely "
        "shared.",
        "Publish the base model weights without an access gate."),
    "weights_endmodel": (
        "Index: end model weights not shared / partly shared or gated download / freely "
        "shared (licences are rated separately).",
        "Publish the weight files in the release without an access gate."),
    "trainingcode": (
        "Index: training code closed / some components open / full pipeline open.",
        "Publish the training and data-preprocessing code (in the release or a linked "
        "repository of the release's own)."),
    "code": (
        "Index: code documentation none / covers parts / comprehensive.",
        "Publish the training code with documentation of how to run it."),
    "hardware_architecture": (
        "Index: architecture and hardware documentation none / covers parts / "
        "comprehensive.",
        "Describe the architecture (layers, dimensions, attention) and the training hardware "
        "in the card or the paper."),
    "preprint": (
        "Index: preprint none / covers parts / comprehensive.",
        "Publish a preprint about the release (e.g. on arXiv) and cite it in the card."),
    "paper": (
        "Index: peer-reviewed paper none / covers parts / comprehensive.",
        "Publish a peer-reviewed paper about the release and cite it in the card."),
    "modelcard": (
        "Index: model card none / covers parts / comprehensive.",
        "Document details, uses, limitations, training data, training procedure and "
        "evaluation in the card; '[More Information Needed]' counts as empty."),
    "datasheet": (
        "Index: datasheet none / partial / a Gebru et al. (2021) datasheet or an AI Act Art. "
        "53(1)(d) training-content summary.",
        "Publish a datasheet for the training data (e.g. DATA_CARD.md, or dataset cards for "
        "each dataset on the Hub)."),
    "licenses": (
        "Index (current wording): open = weights, training code and data sources under open "
        "licences; partial = two of the three; closed = unclear or non-open.",
        "License the weights, the training code and the data under open licences (e.g. "
        "Apache-2.0 for code, CC-BY-4.0 or CDLA-Permissive-2.0 for weights and data)."),
}
#: Where openscope's reading departs from the Index's published wording.
DEPARTURES: dict[str, str] = {
    "licenses": "the published wording asks for two of weights, code and data proven open; "
    "raters judge the licences actually declared, led by the weights (see practice), and so "
    "does openscope",
    "weights_basemodel": "a derived release whose base was not collected is unknown here, "
    "where the Index would look the base up by hand",
    "datasources_basemodel": "as weights_basemodel",
}


def block(ratings: dict[str, Rating]) -> dict[str, Any]:
    """The report's ``frameworks.osai_index`` object from the 12 ratings.

    Use it again after re-rating parameters (e.g. base-model parameters from lineage) so
    the scores and requirements stay consistent with the parameters.
    """
    scores = score(ratings)
    counts = {v: sum(r.value == v for r in ratings.values())
              for v in ("open", "partial", "closed", "unknown")}
    return {
        "version": INDEX_VERSION,
        # The Index scores; it does not pass or fail a release.
        "outcome": "scored",
        "verdict": f"score {scores['overall']:.2f} of 1 ("
                   + ", ".join(f"{n} {v}" for v, n in counts.items() if n) + ")",
        "parameters": {name: r.to_dict() for name, r in ratings.items()},
        "scores": scores,
        "requirements": [r.to_dict() for r in requirements(ratings)],
        "departures": dict(sorted(DEPARTURES.items())),
    }


def requirements(ratings: dict[str, Rating]) -> list[Result]:
    """Ratings as requirement outcomes: open = met, partial or closed = unmet, else unknown."""
    out = []
    for name in PARAMETERS:
        r = ratings[name]
        outcome: Outcome = ("met" if r.value == "open" else
                            "unknown" if r.value == "unknown" else "unmet")
        out.append(Result(_requirement(name), outcome, f"{r.value}: {r.reason}", r.evidence,
                          basis=r.basis))
    return out


REQUIREMENTS: tuple[Requirement, ...] = tuple(_requirement(p) for p in PARAMETERS)
