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
from dataclasses import dataclass
from functools import cache
from typing import Any

from openscope.components.assess import Component
from openscope.evidence.documentation import CORE_TOPICS
from openscope.evidence.facts import Evidence, Fact
from openscope.frameworks.criteria import Outcome, Requirement, Result

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


@dataclass(frozen=True, slots=True)
class Rating:
    """One parameter's rating with its evidence and basis (``evidence`` or ``absence``)."""

    value: str  # open | partial | closed | unknown
    reason: str
    evidence: tuple[str, ...] = ()
    basis: str = "evidence"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"value": self.value, "reason": self.reason, "evidence": list(self.evidence),
                "basis": self.basis}


def _locs(facts: list[Fact]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.location() or f.value for f in facts[:5]))


#: Where each parameter's evidence is looked for: in the files, in the card, or both.
LOOKS_IN: dict[str, frozenset[str]] = {
    "datasources_endmodel": frozenset({"card"}),
    "weights_endmodel": frozenset({"files"}),
    "trainingcode": frozenset({"files", "card"}),
    "code": frozenset({"files", "card"}),
    "hardware_architecture": frozenset({"files", "card"}),
    "preprint": frozenset({"card"}),
    "paper": frozenset({"card"}),
    "modelcard": frozenset({"card"}),
    "datasheet": frozenset({"files", "card"}),
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


def _absent(what: str) -> Rating:
    return Rating("closed", f"no {what} found in the sources checked", basis="absence")


def rate(components: list[Component], evidence: Evidence) -> dict[str, Rating]:
    """Rate the 12 parameters for the end model.

    Without lineage information the base-model items repeat the end-model items, as the
    Index does for systems with no base/end split.
    """
    by_id = {c.id: c for c in components}
    rules: dict[str, Callable[[], Rating]] = {
        "datasources_endmodel": lambda: _datasources(by_id, evidence),
        "weights_endmodel": lambda: _weights(by_id, evidence),
        "trainingcode": lambda: _trainingcode(by_id),
        "code": lambda: _code_docs(by_id, evidence),
        "hardware_architecture": lambda: _architecture(by_id, evidence),
        "preprint": lambda: _preprint(evidence),
        "paper": lambda: _paper(evidence),
        "modelcard": lambda: _modelcard(evidence),
        "datasheet": lambda: _datasheet(evidence),
        "licenses": lambda: _licenses(by_id),
    }
    out = {name: _coverage(name, rule(), evidence) for name, rule in rules.items()}
    out["datasources_basemodel"] = out["datasources_endmodel"]
    out["weights_basemodel"] = out["weights_endmodel"]
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
    return Requirement(f"osai.{name}", "osai_index", f"{name} ({cat})", DESCRIPTIONS[name][0],
                       DESCRIPTIONS[name][1], INDEX_VERSION,
                       "https://osai-index.eu; Language-Technology-Assessment/main-database")


#: Parameter -> (what is rated: closed / partial / open, remediation towards open).
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "datasources_basemodel": (
        "Training data sources of the base model: closed = not disclosed, partial = partly "
        "disclosed, open = all disclosed and open for inspection. Without lineage information "
        "the base-model rating repeats the end-model rating, as the Index does.",
        "Name every pre-training data source and publish the data, or links to it, under open "
        "terms."),
    "datasources_endmodel": (
        "Training data sources of the end model (fine-tuning, instruction and preference data): "
        "closed = not disclosed, partial = named or described, open = available under open "
        "terms.",
        "List the fine-tuning datasets (`datasets:` metadata) and publish them under open "
        "terms."),
    "weights_basemodel": (
        "Base model weights: closed = not shared, partial = gated or partly shared, open = "
        "freely downloadable. Repeats the end-model rating without lineage information.",
        "Publish the base model weights without an access gate."),
    "weights_endmodel": (
        "End model weights: closed = not shared, partial = gated download, open = freely "
        "downloadable (whatever the licence; licences are rated separately).",
        "Publish the weight files in the release without an access gate."),
    "trainingcode": (
        "Training code: closed = none, partial = some components (training or preprocessing), "
        "open = the full pipeline (training and data preprocessing).",
        "Publish the training and data-preprocessing code."),
    "code": (
        "Code documentation: closed = none, partial = some (usage snippet or code files), "
        "open = a documented code repository with usage.",
        "Link a code repository from the card and document its usage."),
    "hardware_architecture": (
        "Architecture and hardware documentation: closed = none, partial = configuration or "
        "description only, open = configuration and a documented architecture.",
        "Publish config.json and describe the architecture and training hardware in the card."),
    "preprint": (
        "Preprint: closed = none (rated from absence in the sources checked), partial = a "
        "technical report mentioned, open = an arXiv preprint.",
        "Publish a preprint (e.g. on arXiv) and link it from the card."),
    "paper": (
        "Peer-reviewed paper: closed = none found, open = a peer-reviewed publication (venue "
        "paper or DOI).",
        "Publish a peer-reviewed paper about the model and cite it in the card."),
    "modelcard": (
        "Model card: closed = none, partial = some core topics filled, open = at least 6 core "
        "topics filled (details, uses, limitations, bias and risks, training, evaluation ...).",
        "Fill the model card's core sections; '[More Information Needed]' counts as empty."),
    "datasheet": (
        "Datasheet: closed = none, partial = training data described in the card, open = a "
        "datasheet (Gebru et al.) or an AI Act Art. 53(1)(d) training-content summary.",
        "Publish a datasheet for the training data (e.g. DATA_CARD.md)."),
    "licenses": (
        "Licences: open = weights, training code and data sources all under open licences; "
        "partial = two of the three; closed = unclear or non-open.",
        "License the weights, the training code and the data under open licences (e.g. "
        "Apache-2.0 for code, CC-BY-4.0 or CDLA-Permissive-2.0 for weights and data)."),
}


def block(ratings: dict[str, Rating]) -> dict[str, Any]:
    """The report's ``frameworks.osai_index`` object from the 12 ratings.

    Use it again after re-rating parameters (e.g. base-model parameters from lineage) so
    the scores and requirements stay consistent with the parameters.
    """
    return {
        "version": INDEX_VERSION,
        "parameters": {name: r.to_dict() for name, r in ratings.items()},
        "scores": score(ratings),
        "requirements": [r.to_dict() for r in requirements(ratings)],
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


def _datasources(by_id: dict[int, Component], ev: Evidence) -> Rating:
    ds = by_id[15]
    if ds.status == "closed":
        return Rating("closed", ds.reason, _locs(list(ds.evidence)))
    described = ev.of("data.description", "data.card")
    if ds.status == "open":
        return Rating("open", "training datasets available under open terms",
                      _locs(list(ds.evidence)))
    if ds.available or described:
        facts = list(ds.evidence) + described
        return Rating("partial", "training data named or described, not all open for "
                      "inspection", _locs(facts))
    return _absent("disclosure of training data sources")


def _weights(by_id: dict[int, Component], ev: Evidence) -> Rating:
    w = by_id[10]
    if w.available:
        if w.attributes.get("access") == "gated":
            return Rating("partial", "gated download: weights downloadable after accepting "
                          f"the gate's terms ({w.attributes.get('gate', 'gated')})",
                          _locs([*w.evidence, *ev.of("access.gated")[:1]]))
        return Rating("open", "weights freely downloadable", _locs(list(w.evidence)))
    if w.status == "closed":
        return Rating("closed", w.reason)
    if not ev.has("weights.format_tag") and not ev.has("card.present") and not ev.facts:
        return Rating("unknown", "nothing recorded about the files")
    return _absent("weight files")


def _trainingcode(by_id: dict[int, Component]) -> Rating:
    train, prep = by_id[7], by_id[16]
    if train.status == "closed":
        return Rating("closed", train.reason, _locs(list(train.evidence)))
    if train.available and prep.available:
        return Rating("open", "training and data-preprocessing code available",
                      _locs([*train.evidence, *prep.evidence]))
    if train.available or prep.available:
        comp = train if train.available else prep
        return Rating("partial", f"only some of the pipeline available: {comp.name}",
                      _locs(list(comp.evidence)))
    return _absent("training code")


def _code_docs(by_id: dict[int, Component], ev: Evidence) -> Rating:
    code_facts = [f for i in (7, 8, 16, 18) for f in by_id[i].evidence]
    usage = ev.of("code.usage")
    repos = ev.of("code.repo")
    if repos and usage:
        return Rating("open", "code repository linked and usage documented",
                      _locs(repos + usage))
    if code_facts or usage or repos:
        return Rating("partial", "some code documentation (usage snippet or code files)",
                      _locs(code_facts + usage + repos))
    return _absent("code documentation")


def _architecture(by_id: dict[int, Component], ev: Evidence) -> Rating:
    arch = by_id[9]
    described = [f for f in ev.of("doc.section")
                 if f.value in ("model_architecture", "hardware") and f.attrs.get("filled")]
    if arch.available and described:
        return Rating("open", "architecture defined and hardware/architecture documented",
                      _locs([*arch.evidence, *described]))
    if arch.available or described:
        return Rating("partial", "architecture partly documented",
                      _locs([*arch.evidence, *described]))
    return _absent("architecture documentation")


def _preprint(ev: Evidence) -> Rating:
    arxiv = ev.of("research.arxiv")
    if arxiv:
        return Rating("open", f"preprint arXiv:{arxiv[0].value}", _locs(arxiv))
    reports = ev.of("research.tech_report", "research.tech_report_mention")
    if reports:
        return Rating("partial", "a technical report is mentioned or shipped", _locs(reports))
    return _absent("preprint")


def _paper(ev: Evidence) -> Rating:
    papers = ev.of("research.paper") + [f for f in ev.of("research.doi")]
    if papers:
        return Rating("open", f"peer-reviewed publication: {papers[0].value}", _locs(papers))
    return _absent("peer-reviewed paper")


def _modelcard(ev: Evidence) -> Rating:
    filled = {f.value for f in ev.of("doc.section") if f.attrs.get("filled")}
    core = [t for t in CORE_TOPICS if t in filled]
    facts = [f for f in ev.of("doc.section") if f.value in core]
    if not ev.has("doc.model_card"):
        return _absent("model card")
    if len(core) >= 6:
        return Rating("open", f"model card covers {len(core)}/{len(CORE_TOPICS)} core topics",
                      _locs(facts))
    if core:
        return Rating("partial", f"model card covers {len(core)}/{len(CORE_TOPICS)} core topics: "
                      + ", ".join(core), _locs(facts))
    return Rating("closed", "model card has none of the core topics filled",
                  _locs(ev.of("doc.model_card")))


def _datasheet(ev: Evidence) -> Rating:
    sheets = ev.of("data.card")
    if sheets:
        return Rating("open", "datasheet / data card shipped", _locs(sheets))
    described = ev.of("data.description")
    if described:
        return Rating("partial", "training data described in the model card", _locs(described))
    return _absent("datasheet")


def _licenses(by_id: dict[int, Component]) -> Rating:
    parts = {"weights": by_id[10], "training code": by_id[7], "data sources": by_id[15]}
    open_parts = [name for name, c in parts.items() if c.status == "open"]
    evidence = tuple(c.license.raw for c in parts.values() if c.license)
    if len(open_parts) == 3:
        return Rating("open", "weights, training code and data under open licences", evidence)
    if len(open_parts) == 2:
        return Rating("partial", "openly licensed: " + ", ".join(open_parts), evidence)
    detail = ", ".join(f"{n}: {c.status}" for n, c in parts.items())
    basis = "evidence" if any(c.license for c in parts.values()) else "absence"
    return Rating("closed", f"unclear or non-open licensing ({detail})", evidence, basis)
