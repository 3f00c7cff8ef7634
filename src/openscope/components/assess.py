"""From evidence to the 17 MOF components, each with a status, licence and reasons.

Statuses (DESIGN.md):

* ``open`` - available to anyone without approval, under terms open for its content type;
* ``restricted`` - available, but gated, or under terms that limit use;
* ``closed`` - stated or shown to be withheld;
* ``unknown`` - no evidence either way, or available with no identifiable licence.

Unknown is never closed: absence from a folder is not evidence of withholding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from openscope import licenses
from openscope.components.catalog import COMPONENTS, ComponentSpec
from openscope.components.licensing import AppliedLicense, decide, licenses_for
from openscope.evidence.facts import Evidence, Fact

Status = Literal["open", "restricted", "closed", "unknown"]
STATUSES: tuple[Status, ...] = ("open", "restricted", "closed", "unknown")

# Where a component lives decides which licence governs it and whether gating applies:
#   "repo"     - files in the release itself (gating applies)
#   "card"     - content of the card (documents; the card stays readable when gated)
#   "external" - elsewhere (a linked repo, a Hub dataset, a paper): its licence is not
#                this release's licence and was not checked here
#   "linked"   - in the release's own code repository, followed by the audit: governed by
#                that repository's licence (``license.repo``), not gated
Where = Literal["repo", "card", "external", "linked"]


@dataclass(frozen=True, slots=True)
class Signal:
    """A fact kind that shows a component is available, and where that puts it."""

    kind: str
    where: Where
    filter: Callable[[Fact], bool] | None = None


def _role(role: str) -> Callable[[Fact], bool]:
    return lambda f: f.attrs.get("role") == role


def _local(fact: Fact) -> bool:
    # Files of the release itself, not of a followed code repository.
    return not fact.attrs.get("followed")


def _followed(fact: Fact) -> bool:
    return bool(fact.attrs.get("followed"))


def _unfollowed_role(role: str) -> Callable[[Fact], bool]:
    # A followed repository speaks through its files; only an unfollowed link stands in.
    return lambda f: f.attrs.get("role") == role and not f.attrs.get("followed")


def _own(fact: Fact) -> bool:
    # Papers the card cites or merely mentions are context, not the release's research; a
    # DOI an archive minted for the repository itself is not a paper.
    return fact.own and fact.attrs.get("paper") is not False


def _filled(topic: str) -> Callable[[Fact], bool]:
    return lambda f: f.value == topic and bool(f.attrs.get("filled"))


# Component id -> signals of availability, strongest first. Code facts found in the
# release's own code repository, followed by the audit (``attrs.followed``), are "linked":
# their licence is the repository's (``license.repo``) and the release's gate does not apply.
SIGNALS: dict[int, tuple[Signal, ...]] = {
    9: (Signal("code.architecture", "repo", _local), Signal("code.architecture_config", "repo"),
        Signal("meta.model_type", "repo"), Signal("code.architecture", "linked", _followed)),
    10: (Signal("weights.file", "repo"), Signal("weights.parameters", "repo"),
         Signal("weights.format_tag", "repo")),
    12: (Signal("eval.results", "card"), Signal("doc.section", "card", _filled("evaluation"))),
    13: (Signal("doc.model_card", "card", lambda f: int(f.attrs.get("words", 0)) >= 50),),
    14: (Signal("data.card", "repo"), Signal("data.description", "card")),
    11: (Signal("research.tech_report", "repo"),
         Signal("research.tech_report_mention", "external")),
    20: (Signal("doc.sample_outputs", "card"),
         Signal("doc.section", "card", _filled("sample_outputs"))),
    7: (Signal("code.training", "repo", _local), Signal("code.training_config", "repo", _local),
        Signal("code.training", "linked", _followed),
        Signal("code.training_config", "linked", _followed),
        Signal("code.repo", "external", _unfollowed_role("training"))),
    8: (Signal("code.inference", "repo", _local), Signal("code.usage", "card"),
        Signal("code.inference", "linked", _followed),
        Signal("code.repo", "external", _unfollowed_role("inference"))),
    18: (Signal("code.evaluation", "repo", _local),
         Signal("code.evaluation", "linked", _followed),
         Signal("code.repo", "external", _unfollowed_role("evaluation"))),
    19: (Signal("eval.dataset", "external"),),
    22: (Signal("code.supporting", "repo", _local), Signal("code.library", "external"),
         Signal("code.supporting", "linked", _followed)),
    15: (Signal("data.release", "repo"), Signal("data.file", "repo"),
         Signal("data.dataset", "external"),
         Signal("data.dataset_link", "external"), Signal("data.external", "external")),
    16: (Signal("code.preprocessing", "repo", _local),
         Signal("code.preprocessing", "linked", _followed),
         Signal("code.repo", "external", _unfollowed_role("preprocessing"))),
    24: (Signal("weights.intermediate", "repo", _local),
         Signal("weights.intermediate", "linked", _followed)),
    21: (Signal("research.paper", "external", _own), Signal("research.doi", "external", _own),
         Signal("research.arxiv", "external", _own)),
    17: (Signal("card.present", "card"), Signal("code.architecture_config", "repo")),
}

# Component id -> where its signals look (repo, card, external).
_WHERES: dict[int, frozenset[str]] = {cid: frozenset(s.where for s in sigs)
                                      for cid, sigs in SIGNALS.items()}

# Component id -> fact kinds that show it is withheld.
WITHHELD: dict[int, tuple[str, ...]] = {7: ("code.withheld",), 15: ("data.withheld",)}

# Content scope of each component for licence resolution.
SCOPE: dict[int, str] = {9: "code", 7: "code", 8: "code", 18: "code", 16: "code", 22: "code",
                         10: "weights", 24: "weights", 15: "data", 19: "data", 17: "weights"}


@dataclass(frozen=True)
class Component:
    """One assessed MOF component."""

    spec: ComponentSpec
    status: Status
    available: bool | None  # True published, False withheld, None no evidence
    reason: str
    license: AppliedLicense | None = None
    evidence: tuple[Fact, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    clause: licenses.Clause | None = None

    @property
    def id(self) -> int:
        """MOF component id."""
        return self.spec.id

    @property
    def name(self) -> str:
        """MOF component name."""
        return self.spec.name

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the report's ``components[]`` entries)."""
        out: dict[str, Any] = {
            "id": self.spec.id,
            "name": self.spec.name,
            "content_type": self.spec.content_type,
            "mof_class": self.spec.mof_class,
            "required": self.spec.required,
            "status": self.status,
            "available": self.available,
            "reason": self.reason,
            "license": self.license.to_dict() if self.license else None,
            "evidence": [f.to_dict() for f in self.evidence],
        }
        if self.clause is not None:
            out["license_clause"] = {"topic": self.clause.topic, "section": self.clause.section,
                                     "text": self.clause.text}
        if self.attributes:
            out["attributes"] = dict(sorted(self.attributes.items()))
        return out


def assess(evidence: Evidence) -> list[Component]:
    """Assess all 17 components from the evidence, in MOF order."""
    gated = evidence.first("access.gated")
    scope_cache: dict[str, AppliedLicense | None] = {}

    def governing(scope: str) -> AppliedLicense | None:
        if scope not in scope_cache:
            scope_cache[scope] = decide(licenses_for(evidence, scope))
        return scope_cache[scope]

    return [_assess_one(spec, evidence, gated, governing) for spec in COMPONENTS]


def _assess_one(
    spec: ComponentSpec,
    evidence: Evidence,
    gated: Fact | None,
    governing: Callable[[str], AppliedLicense | None],
) -> Component:
    withheld = [f for k in WITHHELD.get(spec.id, ()) for f in evidence.of(k)]
    found: list[tuple[Signal, Fact]] = []
    for signal in SIGNALS[spec.id]:
        for fact in evidence.of(signal.kind):
            if fact.kind == signal.kind and (signal.filter is None or signal.filter(fact)):
                found.append((signal, fact))
    if not found:
        if withheld:
            return Component(spec, "closed", False,
                             f"stated as not released: {withheld[0].snippet}",
                             evidence=tuple(withheld))
        gap = not_checked_reason(spec, evidence)
        if gap:
            return Component(spec, "unknown", None,
                             f"no evidence found, but {gap}, so it may exist",
                             attributes={"not_checked": gap})
        return Component(spec, "unknown", None, "no evidence found in the sources checked")

    facts = tuple(f for _, f in found[:12])
    where = found[0][0].where
    if where == "external" and any(s.where != "external" for s, _ in found):
        where = next(s.where for s, _ in found if s.where != "external")
    what = _describe(found)
    if where == "external":
        paper = _paper_component(spec, evidence, what, facts)  # an own paper read on arXiv
        if paper is not None:
            return paper
        return Component(
            spec, "unknown", True,
            f"{what}; it lives outside this release and its licence was not checked",
            evidence=facts, attributes={"location": "external"},
        )
    if where == "linked":
        return _assess_linked(spec, evidence, found)
    scope = SCOPE.get(spec.id, "document")
    applied = governing(scope)
    attributes: dict[str, Any] = {"location": where}
    if applied is None:
        return Component(
            spec, "unknown", True,
            f"{what}, but no licence was found (all rights reserved by default; "
            "openness cannot be confirmed)",
            evidence=facts, attributes=attributes,
        )
    content_type = "data" if scope in ("weights", "data") else spec.content_type
    openness, why, clause = licenses.component_status(applied.classification, content_type)  # type: ignore[arg-type]
    lic_name = (applied.classification.license.name if applied.classification.license
                else applied.raw)
    status: Status = openness
    reason = f"{what}; licence {lic_name}: {why}"
    if where == "repo":
        attributes["access"] = access_of(evidence)
    if gated is not None and where == "repo":
        attributes["gate"] = gated.value
        facts = (*facts, gated)
        if status == "open":
            status = "restricted"
        reason += f"; access is gated ({gated.value}): approval or registration is needed"
    if status == "unknown":
        reason = f"{what}; licence {lic_name} could not be classified: {why}"
    return Component(spec, status, True, reason, license=applied, evidence=facts,
                     attributes=attributes, clause=clause)


def _assess_linked(spec: ComponentSpec, evidence: Evidence,
                   found: list[tuple[Signal, Fact]]) -> Component:
    """A component found in the release's own code repository, followed: that repository's
    licence governs it (a release's card licence is not the repository's)."""
    linked = [f for s, f in found if s.where == "linked"]
    what = _describe([(s, f) for s, f in found if s.where == "linked"])
    facts = tuple(linked[:12])
    repos = list(dict.fromkeys(str(f.attrs.get("repo", "")) for f in facts))
    # Each repository's own licence; with several repositories, the most restrictive.
    statements = [s for s in licenses_for(evidence, "code")
                  if s.level == "code-repo" and any(f.attrs.get("repo") in repos
                                                    for f in s.facts)]
    applied = decide(statements)
    repo = repos[0]
    attributes: dict[str, Any] = {"location": "linked", "repo": repo}
    if len(repos) > 1:
        attributes["repos"] = repos
    where = f"in the release's code repository {', '.join(repos)}"
    if applied is None:
        return Component(spec, "unknown", True,
                         f"{what} {where}, but no licence was identified there (all rights "
                         "reserved by default; openness cannot be confirmed)",
                         evidence=facts, attributes=attributes)
    openness, why, clause = licenses.component_status(applied.classification,
                                                      spec.content_type)  # type: ignore[arg-type]
    lic_name = (applied.classification.license.name if applied.classification.license
                else applied.raw)
    reason = f"{what} {where}; licence {lic_name}: {why}"
    if openness == "unknown":
        reason = f"{what} {where}; licence {lic_name} could not be classified: {why}"
    return Component(spec, openness, True, reason, license=applied,
                     evidence=(*facts, *[f for f in applied.facts
                                         if f.attrs.get("repo") in repos][:2]),
                     attributes=attributes,
                     clause=clause)


# --- Papers resolved on arXiv (research.paper_record) ----------------------------------
#: Components an own paper resolved on arXiv can license: Research paper, Technical report.
PAPER_COMPONENTS = frozenset({21, 11})


def _paper_component(spec: ComponentSpec, evidence: Evidence, what: str,
                     facts: tuple[Fact, ...]) -> Component | None:
    """An external Research paper / Technical report under the licence its own arXiv
    record names (CC-BY-4.0 open; NC or arXiv's non-exclusive distribution licence
    restricted). ``None`` when no own paper was resolved for it: the caller's "licence was
    not checked" stands. A paper arXiv could not answer for stays unknown, and says so."""
    if spec.id not in PAPER_COMPONENTS:
        return None
    records = [f for f in evidence.of("research.paper_record") if f.own]
    if spec.id == 11:
        # The report is the paper whose record says so, or whose id the mention links.
        said = " ".join(f.snippet or "" for f in facts)
        records = [f for f in records if f.attrs.get("tech_report") or f.value in said]
    if not records:
        return None
    read = [f for f in records if f.attrs.get("license")]
    attributes: dict[str, Any] = {"location": "external", "paper": records[0].value}
    if not read:
        why = ("arXiv's OAI-PMH gave no licence" if records[0].attrs.get("resolved")
               else "arXiv did not answer: offline, unreachable or not found")
        return Component(spec, "unknown", True,
                         f"{what}; it lives outside this release and its licence could not "
                         f"be read ({why})",
                         evidence=(*facts, records[0]), attributes=attributes)
    record = read[0]
    classification = licenses.classify(str(record.attrs["license"]))
    applied = AppliedLicense(str(record.attrs["license"]), str(record.attrs.get("license_url")),
                             "arxiv", (record,), classification)
    openness, why, clause = licenses.component_status(classification, "document")
    lic_name = classification.license.name if classification.license else applied.raw
    attributes["paper"] = record.value
    reason = (f"{what}; arXiv:{record.value} is licensed {lic_name} (arXiv record, "
              f"retrieved {record.attrs.get('retrieved') or 'date unknown'}): {why}")
    if openness == "unknown":
        reason = f"{what}; arXiv:{record.value} licence {lic_name} could not be classified: {why}"
    return Component(spec, openness, True, reason, license=applied, evidence=(*facts, record),
                     attributes=attributes, clause=clause)


#: How each availability signal reads in a reason.
LABELS: dict[str, str] = {
    "code.architecture": "modelling code",
    "code.architecture_config": "architecture configuration",
    "meta.model_type": "architecture configuration (model type tag from config.json)",
    "weights.file": "weight file",
    "weights.parameters": "parameter count from safetensors headers",
    "weights.format_tag": "weight format listed in the Hub tags",
    "eval.results": "evaluation results in the card metadata",
    "doc.section": "card section",
    "doc.model_card": "model card",
    "data.card": "data card",
    "data.description": "training-data description in the card",
    "research.tech_report": "technical report file",
    "research.tech_report_mention": "technical report mentioned",
    "doc.sample_outputs": "sample outputs in the card",
    "code.training": "training code",
    "code.training_config": "training configuration",
    "code.repo": "linked code repository",
    "code.inference": "inference code",
    "code.usage": "usage snippet in the card",
    "code.evaluation": "evaluation code",
    "eval.dataset": "evaluation dataset named",
    "code.supporting": "supporting code or packaging",
    "code.library": "library named",
    "data.dataset": "dataset named",
    "data.file": "data file",
    "data.release": "the release itself (a dataset)",
    "data.dataset_link": "dataset linked",
    "data.external": "training data hosted elsewhere",
    "code.preprocessing": "data-preprocessing code",
    "weights.intermediate": "intermediate checkpoint",
    "research.paper": "peer-reviewed paper",
    "research.doi": "DOI",
    "research.arxiv": "arXiv paper",
    "card.present": "card metadata",
    "research.paper_record": "arXiv record",
}


#: How a release's files can be reached, decided once for every repo-located component.
ACCESS = ("gated", "public", "not-recorded", "no-gate-declared")


def access_of(evidence: Evidence) -> str:
    """``gated`` (API or card gate), ``public`` (a recorded ``gated: false``),
    ``not-recorded`` (a Hub record that does not say, no gate in the card) or
    ``no-gate-declared`` (a folder or repository with no gate declared in its card)."""
    if evidence.has("access.gated", "access.private", "access.disabled"):
        return "gated"
    if evidence.has("access.public"):
        return "public"
    if evidence.has("coverage.no_gate_record"):
        return "not-recorded"
    return "no-gate-declared"


def not_checked_reason(spec: ComponentSpec, evidence: Evidence) -> str | None:
    """Why the sources could not show a component, when they could not look where it lives.

    A component found in files cannot be ruled out when the listing is unknown; one found
    through the card cannot be when no card was read.
    """
    wheres = _WHERES[spec.id]
    if "repo" in wheres and evidence.has("coverage.no_listing"):
        return "the source did not record the file listing"
    if wheres & {"card", "external"} and evidence.has("coverage.no_card"):
        return "no card was read"
    return None


def not_checked(component: Component) -> str | None:
    """The reason a component could not be checked, or ``None`` when absence is evidence."""
    gap = component.attributes.get("not_checked")
    return str(gap) if gap else None


def _describe(found: list[tuple[Signal, Fact]]) -> str:
    first = found[0][1]
    count = sum(1 for _, f in found if f.kind == first.kind)
    label = LABELS.get(first.kind, first.kind.split(".", 1)[1].replace("_", " "))
    loc = first.location()
    more = f" (+{count - 1} more)" if count > 1 else ""
    return f"{label}: {first.value}{more}" + (f" at {loc}" if loc and loc != first.value
                                             else "")
