"""Criteria tables: the declarative definition of every requirement openscope checks.

Each framework module declares its requirements as a tuple of :class:`Requirement` (id,
title, description, remediation, framework and criteria version). Verdicts are lists of
:class:`Result`, one per requirement, each with an outcome (``met`` / ``unmet`` /
``unknown``), a reason, the remediation that would fix it and the evidence behind it.

The documentation of every requirement (``openscope explain``, ``docs/requirements/``) is
generated from these tables, so a requirement cannot exist without its documentation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from openscope import licenses
from openscope.components.assess import Component
from openscope.components.licensing import AppliedLicense, decide, licenses_for
from openscope.evidence.facts import Evidence, Fact
from openscope.licenses import Clause

Outcome = Literal["met", "unmet", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("met", "unmet", "unknown")


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement of a framework, as documented.

    Attributes:
        id: stable dotted id, ``<framework>.<slug>`` (e.g. ``osaid.training-code``).
        framework: the framework key in the report (``mof``, ``osaid``, ``eu_ai_act``, ...).
        title: one line.
        description: what is checked, the evidence used and how outcomes are decided.
        remediation: what a publisher does to meet it (file or information to publish,
            licence that would satisfy it).
        version: the framework version these criteria implement.
        source: where the criterion comes from (article, section, commit).
    """

    id: str
    framework: str
    title: str
    description: str
    remediation: str
    version: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one requirement for one release."""

    requirement: Requirement
    outcome: Outcome
    reason: str
    evidence: tuple[str, ...] = ()
    remediation: str | None = None  # specific advice; defaults to the table's text
    # "absence": unmet because nothing was found where the sources looked;
    # "not-checked": unknown because the sources could not look (no listing, no card)
    basis: str = "evidence"

    @property
    def id(self) -> str:
        """The requirement id."""
        return self.requirement.id

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{id, title, outcome, reason, remediation, evidence, basis}``."""
        remediation = None
        if self.outcome != "met":
            remediation = self.remediation or self.requirement.remediation
        return {
            "id": self.requirement.id,
            "title": self.requirement.title,
            "outcome": self.outcome,
            "reason": self.reason,
            "remediation": remediation,
            "evidence": list(self.evidence),
            "basis": self.basis,
        }


def locations(facts: Iterable[Fact], limit: int = 6) -> tuple[str, ...]:
    """Short, de-duplicated pointers (``README.md:12``, a URL, a key) to ``facts``."""
    out: dict[str, None] = {}
    for fact in facts:
        loc = fact.location()
        text = f"{loc} ({fact.value})" if loc and loc != fact.value else fact.value
        out.setdefault(text, None)
        if len(out) >= limit:
            break
    return tuple(out)


def overall(results: Iterable[Result]) -> Outcome:
    """``met`` only if every result is met; ``unmet`` if any is unmet; else ``unknown``."""
    outcomes = [r.outcome for r in results]
    if "unmet" in outcomes:
        return "unmet"
    if "unknown" in outcomes:
        return "unknown"
    return "met"


def counts(results: Iterable[Result]) -> dict[str, int]:
    """How many results have each outcome."""
    out: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    for r in results:
        out[r.outcome] += 1
    return out


def table_by_id(*tables: Iterable[Requirement]) -> dict[str, Requirement]:
    """Merge criteria tables into one mapping by id, refusing duplicate ids."""
    out: dict[str, Requirement] = {}
    for table in tables:
        for req in table:
            if req.id in out:
                raise ValueError(f"duplicate requirement id {req.id}")
            out[req.id] = req
    return out


def weights_licence(
    components: list[Component], evidence: Evidence
) -> tuple[AppliedLicense | None, Clause | None]:
    """The licence governing the final weights, and its deciding clause.

    The weights component's own licence when it was assessed; otherwise the licence the
    release states for the weights scope (a release whose listing was not recorded still
    declares its licence). The clause is the component's, else the licence's deciding clause
    for data (weights are data in the MOF).
    """
    weights = next(c for c in components if c.id == 10)
    applied = weights.license or decide(licenses_for(evidence, "weights"))
    if applied is None:
        return None, None
    clause = weights.clause
    if clause is None:
        _status, _why, clause = licenses.component_status(applied.classification, "data")
    return applied, clause
