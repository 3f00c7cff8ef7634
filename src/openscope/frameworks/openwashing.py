"""Open-washing flags: what a release says about itself against what the frameworks find.

Two checks, each citing the claim (file and line, tag or name) and the failing requirement:

* ``openwashing.open-source-claim`` - the release calls itself "open source", "fully open" or
  an "open model" while failing the OSI Open Source AI Definition;
* ``openwashing.restrictive-weights`` - the release calls itself "open source" (or its
  weights "open") while the weights' licence restricts use.

A claim with an OSAID verdict of ``unknown`` is reported as ``unknown``, never as a flag.
"""

from __future__ import annotations

from typing import Any

from openscope.components.assess import Component
from openscope.evidence.facts import Evidence, Fact
from openscope.frameworks.criteria import Requirement, Result, weights_licence

VERSION = "openscope open-washing checks 1 (against OSAID 1.0 and the weights' licence)"

CLAIM_WORDS = {"open-source": "open source", "fully-open": "fully open",
               "open-model": "open model", "open-weights": "open weights"}

OPEN_SOURCE_CLAIM = Requirement(
    "openwashing.open-source-claim", "openwashing",
    "An 'open source' / 'fully open' / 'open model' claim is backed by the OSAID",
    "Looks for openness claims in the card text, the tags and the repository name ('open "
    "source', 'fully open', 'open model'). A claim is open-washing when the release fails the "
    "OSI Open Source AI Definition 1.0; the flag cites the claim and the failing OSAID "
    "requirements. Unknown when OSAID is undecided; met when there is no claim or OSAID "
    "passes.",
    "Either meet the failing OSAID requirements (see `openscope explain osaid.<id>`) or "
    "describe the release accurately, e.g. 'open weights under <licence>' instead of 'open "
    "source'.",
    VERSION, "OSAID 1.0; OSAI Index inclusion criteria (systems that call themselves open)",
)
RESTRICTIVE_WEIGHTS = Requirement(
    "openwashing.restrictive-weights", "openwashing",
    "Weights called open source / open are not under a restrictive licence",
    "A release that calls itself 'open source' or its weights 'open' while the weights' "
    "licence restricts use (non-commercial, field-of-use restrictions, user thresholds, "
    "vendor community terms) is flagged, citing the claim and the licence clause.",
    "License the weights under an open licence (Apache-2.0, MIT, CC-BY-4.0, OpenMDW-1.0) or "
    "stop calling them open source; 'weights available under <licence>' is accurate.",
    VERSION, "OSAID 1.0 parameters requirement; EU AI Act Recital 102",
)
REQUIREMENTS: tuple[Requirement, ...] = (OPEN_SOURCE_CLAIM, RESTRICTIVE_WEIGHTS)


def _cite(fact: Fact) -> str:
    """Where the claim is and the claim in full: the whole sentence when the card gave one."""
    where = fact.location() or fact.key or ""
    quote = fact.attrs.get("sentence") or fact.value
    return f"{where}: \u201c{quote}\u201d"


def evaluate(components: list[Component], evidence: Evidence,
             osaid: dict[str, Any]) -> tuple[list[Result], list[dict[str, Any]]]:
    """The two checks' outcomes and the flags raised (each citing claim and requirement)."""
    claims = evidence.of("claim.open-source", "claim.fully-open", "claim.open-model")
    weight_claims = evidence.of("claim.open-source", "claim.fully-open", "claim.open-weights")
    flags: list[dict[str, Any]] = []
    results: list[Result] = []

    failing = [r for r in osaid.get("requirements", []) if r["outcome"] == "unmet"]
    if not claims:
        results.append(Result(OPEN_SOURCE_CLAIM, "met", "no open-source or open-model claim "
                              "found"))
    elif osaid.get("outcome") == "unmet":
        cited = tuple(_cite(c) for c in claims[:3])
        names = ", ".join(r["id"] for r in failing)
        results.append(Result(OPEN_SOURCE_CLAIM, "unmet", f"claims to be "
                              f"{CLAIM_WORDS[claims[0].kind.split('.', 1)[1]]} but fails OSAID "
                              f"({names})", cited))
        for claim in claims[:3]:
            flags.append({
                "id": OPEN_SOURCE_CLAIM.id,
                "claim": claim.to_dict(),
                "cited": _cite(claim),
                "failing_requirements": [
                    {"id": r["id"], "reason": r["reason"], "remediation": r["remediation"]}
                    for r in failing],
                "message": f"calls itself {CLAIM_WORDS[claim.kind.split('.', 1)[1]]} "
                           f"({_cite(claim)}) but fails OSAID 1.0: {names}",
            })
    elif osaid.get("outcome") == "unknown":
        results.append(Result(OPEN_SOURCE_CLAIM, "unknown", "an openness claim is made and the "
                              "OSAID verdict is undecided",
                              tuple(_cite(c) for c in claims[:3])))
    else:
        results.append(Result(OPEN_SOURCE_CLAIM, "met", "openness claim backed by an OSAID "
                              "pass", tuple(_cite(c) for c in claims[:3])))

    lic, clause = weights_licence(components, evidence)
    restrictive = lic is not None and lic.classification.openness == "restricted"
    if not weight_claims:
        results.append(Result(RESTRICTIVE_WEIGHTS, "met", "no claim that the weights are open "
                              "source"))
    elif restrictive and lic is not None:
        name = lic.classification.license.name if lic.classification.license else lic.raw
        cite = f" ({clause.section}: \u201c{clause.text}\u201d)" if clause else ""
        cited = tuple(_cite(c) for c in weight_claims[:3])
        reason = f"weights called open but licensed under {name}, which restricts use{cite}"
        results.append(Result(RESTRICTIVE_WEIGHTS, "unmet", reason, cited))
        for claim in weight_claims[:3]:
            flags.append({
                "id": RESTRICTIVE_WEIGHTS.id,
                "claim": claim.to_dict(),
                "cited": _cite(claim),
                "failing_requirements": [{"id": "osaid.parameters", "reason": reason,
                                          "remediation": RESTRICTIVE_WEIGHTS.remediation}],
                "license": name,
                "clause": ({"section": clause.section, "text": clause.text}
                           if clause else None),
                "message": f"calls itself {CLAIM_WORDS[claim.kind.split('.', 1)[1]]} "
                           f"({_cite(claim)}) but the weights are under {name}{cite}",
            })
    elif lic is None or lic.classification.openness == "unknown":
        results.append(Result(RESTRICTIVE_WEIGHTS, "unknown", "weights claimed open; their "
                              "licence could not be established",
                              tuple(_cite(c) for c in weight_claims[:3])))
    else:
        results.append(Result(RESTRICTIVE_WEIGHTS, "met", "weights claimed open and under an "
                              "open licence", tuple(_cite(c) for c in weight_claims[:3])))
    return results, flags


def verdict(components: list[Component], evidence: Evidence,
            osaid: dict[str, Any]) -> dict[str, Any]:
    """The ``frameworks.openwashing`` object."""
    results, flags = evaluate(components, evidence, osaid)
    has_claims = evidence.has("claim")
    if flags:
        text = f"{len(flags)} open-washing flag(s)"
        outcome = "unmet"
    elif any(r.outcome == "unknown" for r in results):
        text, outcome = "openness claims could not be checked", "unknown"
    else:
        text = "no open-washing found" if has_claims else "no openness claims found"
        outcome = "met"
    return {
        "version": VERSION,
        "outcome": outcome,
        "verdict": text,
        "claims": [c.to_dict() for c in evidence.of("claim")][:10],
        "flags": flags,
        "requirements": [r.to_dict() for r in results],
    }
