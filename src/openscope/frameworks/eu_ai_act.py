"""EU AI Act (Regulation (EU) 2024/1689) open-source exemption, Art. 53(2) and 54(6).

Each condition is judged separately. Conditions 1-4 (licence, weights, architecture and
usage information public) must be shown; conditions 5 and 6 (not monetised, no systemic
risk) are lost only on evidence to the contrary, so without such evidence they stay
``unknown`` and the verdict carries them as caveats. Duties under Art. 53(1)(c) (copyright
policy) and (d) (public summary of training content) always remain.

Indicative, not legal advice. Whether the model is a general-purpose AI model at all
(Art. 3(63)) is not judged here.
"""

from __future__ import annotations

from typing import Any

from openscope.components.assess import Component, not_checked
from openscope.components.licensing import AppliedLicense
from openscope.evidence.facts import Evidence
from openscope.frameworks.criteria import Requirement, Result, locations, weights_licence
from openscope.licenses import Clause

VERSION = "Regulation (EU) 2024/1689 Arts. 53(2), 54(6), 51; Recitals 102-104; " \
          "Commission GPAI guidelines C(2025) 5045 (2025-07-18)"
SYSTEMIC_FLOP = 1e25
DISCLAIMER = "Indicative, not legal advice."
DUTIES_REMAINING = (
    "Art. 53(1)(c): a policy to comply with EU copyright law, honouring text-and-data-mining "
    "opt-outs (Art. 4(3) Directive 2019/790)",
    "Art. 53(1)(d): a sufficiently detailed public summary of the training content (AI Office "
    "template)",
)
FOSS = "a free and open-source licence such as Apache-2.0, MIT, CC-BY-4.0 or OpenMDW-1.0"


def _req(slug: str, title: str, description: str, remediation: str, source: str) -> Requirement:
    return Requirement(f"eu.{slug}", "eu_ai_act", title, description, remediation, VERSION,
                       source)


LICENCE = _req(
    "foss-licence", "Free and open-source licence allowing access, use, modification and "
    "distribution",
    "The weights' licence must let anyone access, use (including commercially), modify and "
    "redistribute the model, with no field-of-use or user-count limits. Attribution and "
    "share-alike terms are allowed (Recital 102). Met for OSI-approved, open-data and OpenMDW "
    "licences; unmet for non-commercial, research-only, RAIL-style use restrictions or vendor "
    "community licences with user thresholds, citing the clause; unknown when the licence is "
    "unidentified or missing.",
    f"Release the model under {FOSS}; remove use-based restrictions, user thresholds and "
    "non-commercial terms.",
    "Art. 53(2); Recital 102",
)
WEIGHTS_PUBLIC = _req(
    "weights-public", "Parameters including weights publicly available",
    "The weight files are in the release and downloadable by anyone. A gate is not free public "
    "availability: an automatic gate (click-through) is flagged for review (unknown), a manual "
    "gate (approval) or paid access fails. Weights not found in the sources checked fail with "
    "basis absence.",
    "Publish the weight files in a public repository without an access gate.",
    "Art. 53(2); GPAI guidelines C(2025) 5045",
)
ARCHITECTURE = _req(
    "architecture-info", "Information on the model architecture publicly available",
    "Evidence: an architecture configuration or modelling code in the release (config.json), "
    "a filled architecture section in the card, or a paper.",
    "Publish the model configuration (config.json) or modelling code, or describe the "
    "architecture in the model card.",
    "Art. 53(2)",
)
USAGE = _req(
    "usage-info", "Information on model usage publicly available",
    "Evidence: filled intended-use or how-to-use sections in the model card, or a usage "
    "snippet.",
    "Add 'Intended uses' and 'How to use' sections with a usage example to the model card.",
    "Art. 53(2)",
)
MONETISATION = _req(
    "not-monetised", "No monetisation signal (Recital 103)",
    "Monetised releases lose the exemption: a price, paid support or services tied to the "
    "model, or use of personal data beyond security and interoperability. Publishing in an "
    "open repository is not monetisation. Fails only on explicit evidence; usually unknown, "
    "and then carried as a caveat of the verdict.",
    "Do not charge for access to the model or tie it to paid services; state this in the card.",
    "Recital 103",
)
SYSTEMIC = _req(
    "no-systemic-risk", "Not presumed to carry systemic risk (training compute <= 10^25 FLOP)",
    "Art. 51(2) presumes systemic risk above 10^25 FLOP of cumulative training compute; such "
    "models cannot use the exemption. Uses the compute stated in the card or documents; "
    "without a stated figure the condition is unknown and carried as a caveat. Commission "
    "designation is not checked.",
    "State the cumulative training compute in the model card (e.g. '3.1 x 10^23 FLOPs').",
    "Art. 51(2), Art. 53(2) last sentence",
)

REQUIREMENTS: tuple[Requirement, ...] = (LICENCE, WEIGHTS_PUBLIC, ARCHITECTURE, USAGE,
                                         MONETISATION, SYSTEMIC)
#: Conditions that must be shown; the others are lost only on contrary evidence.
MUST_SHOW = frozenset({LICENCE.id, WEIGHTS_PUBLIC.id, ARCHITECTURE.id, USAGE.id})


def _licence(w: Component, lic: AppliedLicense | None, clause: Clause | None) -> Result:
    ev = locations(w.evidence[:2])
    if lic is None:
        return Result(LICENCE, "unknown", "no licence found for the model in the sources "
                      "checked", ev,
                      remediation=f"Declare the licence (card `license:` and a LICENSE file): "
                      f"{FOSS}.")
    c = lic.classification
    ev = (*ev, *(f.location() for f in lic.facts[:2]))
    name = c.license.name if c.license else lic.raw
    members = list(c.members) or ([c.license] if c.license else [])
    problems: list[str] = []
    for m in members:
        t = m.terms
        if t.commercial_use is False:
            problems.append("no commercial use")
        if t.use_restrictions:
            problems.append("field-of-use restrictions")
        if t.user_threshold:
            problems.append(f"user limit ({t.user_threshold})")
        if t.revenue_threshold:
            problems.append(f"revenue limit ({t.revenue_threshold})")
        if t.modification is False:
            problems.append("no modification")
        if t.redistribution is False:
            problems.append("no redistribution")
    cite = f" — {clause.section}: \u201c{clause.text}\u201d" if clause else ""
    if c.openness == "restricted" or (problems and c.openness != "unknown"):
        what = ", ".join(dict.fromkeys(problems)) or "terms that restrict use"
        return Result(LICENCE, "unmet", f"{name} is not a free and open-source licence: "
                      f"{what}{cite}", ev,
                      remediation=f"Release the weights under {FOSS} instead of {name}.")
    if c.openness == "unknown":
        return Result(LICENCE, "unknown", f"licence {lic.raw!r} could not be identified", ev)
    return Result(LICENCE, "met", f"{name} allows access, use including commercial use, "
                  "modification and distribution", ev)


def _weights(w: Component, ev: Evidence) -> Result:
    facts = locations(w.evidence[:3])
    if w.available is None:
        gap = not_checked(w)
        if gap:
            return Result(WEIGHTS_PUBLIC, "unknown", f"no weight files found, but {gap}",
                          basis="not-checked")
        return Result(WEIGHTS_PUBLIC, "unmet", "no weight files found in the sources checked",
                      basis="absence")
    if w.available is False:
        return Result(WEIGHTS_PUBLIC, "unmet", w.reason, facts)
    if ev.has("access.private", "access.disabled"):
        return Result(WEIGHTS_PUBLIC, "unmet", "the repository is private or disabled", facts)
    if w.attributes.get("location") == "external":
        return Result(WEIGHTS_PUBLIC, "unknown", w.reason, facts)
    access = w.attributes.get("access")
    gate = str(w.attributes.get("gate", ""))
    if access == "gated":
        facts = (*facts, *locations(list(ev.of("access.gated"))[:1]))
        if gate == "manual":
            return Result(WEIGHTS_PUBLIC, "unmet", "weights are gated with manual approval: "
                          "not freely public", facts,
                          remediation="Remove the manual access gate on the weights.")
        return Result(WEIGHTS_PUBLIC, "unmet", f"weights are gated ({gate}): downloadable "
                      "only after accepting terms, so not publicly available", facts,
                      remediation="Remove the access gate on the weights.")
    if access == "not-recorded":
        return Result(WEIGHTS_PUBLIC, "unknown", "weight files are in the release, but the "
                      "Hub record kept does not say whether the repository is gated", facts,
                      basis="not-checked")
    if access == "public":
        return Result(WEIGHTS_PUBLIC, "met", "weight files are in the release and the Hub "
                      "records it as not gated", (*facts, *locations(ev.of("access.public"))))
    return Result(WEIGHTS_PUBLIC, "met", "weight files are in the release; no access gate is "
                  "declared in its card", facts)


def _architecture(by_id: dict[int, Component], ev: Evidence) -> Result:
    arch = by_id[9]
    sections = [f for f in ev.of("doc.section")
                if f.value == "model_architecture" and f.attrs.get("filled")]
    papers = [f for f in ev.of("research.arxiv", "research.paper", "research.tech_report")
              if f.own]
    if arch.available or sections:
        return Result(ARCHITECTURE, "met", "architecture configuration or description published",
                      locations([*arch.evidence[:2], *sections]))
    if papers:
        return Result(ARCHITECTURE, "met", "a paper describing the model is linked",
                      locations(papers))
    gaps = _gaps(ev, arch)
    if gaps:
        return Result(ARCHITECTURE, "unknown", f"no architecture information found, but "
                      f"{gaps}", basis="not-checked")
    return Result(ARCHITECTURE, "unmet", "no architecture information found in the sources "
                  "checked", basis="absence")


def _gaps(ev: Evidence, arch: Component | None = None) -> str:
    """What the sources could not look at, for information that lives in the card (and, for
    the architecture, in the files): absence there proves nothing."""
    gaps = []
    if ev.has("coverage.no_card"):
        gaps.append("no card was read")
    if arch is not None and not_checked(arch):
        gaps.append(str(not_checked(arch)))
    return " and ".join(gaps)


def _usage(ev: Evidence) -> Result:
    facts = [f for f in ev.of("doc.section")
             if f.value in ("intended_uses", "how_to_use") and f.attrs.get("filled")]
    facts += ev.of("code.usage")
    if facts:
        return Result(USAGE, "met", "usage information in the model card", locations(facts))
    gaps = _gaps(ev)
    if gaps:
        return Result(USAGE, "unknown", f"no usage information found, but {gaps}",
                      basis="not-checked")
    return Result(USAGE, "unmet", "no intended-use or how-to-use information found in the "
                  "sources checked", basis="absence")


def _monetisation(ev: Evidence) -> Result:
    signals = ev.of("access.paid", "access.pricing")
    if signals:
        return Result(MONETISATION, "unmet", "a monetisation signal was found",
                      locations(signals))
    return Result(MONETISATION, "unknown", "no monetisation signal found; pricing and paid "
                  "services are outside the sources checked", remediation=None)


def _systemic(ev: Evidence) -> Result:
    flops = ev.of("compute.flops")
    if not flops:
        return Result(SYSTEMIC, "unknown", "training compute not stated in the sources checked")
    value = max(float(f.attrs.get("flops", 0.0)) for f in flops)
    if value > SYSTEMIC_FLOP:
        return Result(SYSTEMIC, "unmet", f"stated training compute {value:.3g} FLOP exceeds "
                      "10^25: systemic risk presumed (Art. 51(2)), exemption not available",
                      locations(flops),
                      remediation="The exemption is not available for models with systemic "
                      "risk; Art. 53(1) and Art. 55 duties apply.")
    return Result(SYSTEMIC, "met", f"stated training compute {value:.3g} FLOP is below 10^25",
                  locations(flops))


def evaluate(components: list[Component], evidence: Evidence) -> list[Result]:
    """Every condition's outcome, in table order."""
    by_id = {c.id: c for c in components}
    lic, clause = weights_licence(components, evidence)
    return [_licence(by_id[10], lic, clause), _weights(by_id[10], evidence),
            _architecture(by_id, evidence), _usage(evidence), _monetisation(evidence),
            _systemic(evidence)]


def verdict(components: list[Component], evidence: Evidence) -> dict[str, Any]:
    """The ``frameworks.eu_ai_act`` object."""
    results = evaluate(components, evidence)
    unmet = [r for r in results if r.outcome == "unmet"]
    unknown_core = [r for r in results if r.outcome == "unknown" and r.id in MUST_SHOW]
    caveats = [r for r in results if r.outcome == "unknown" and r.id not in MUST_SHOW]
    if unmet:
        outcome, text = "unmet", "exemption not available: " + "; ".join(
            r.requirement.title.lower() for r in unmet)
    elif unknown_core:
        outcome, text = "unknown", "cannot tell: " + "; ".join(
            r.requirement.title.lower() for r in unknown_core)
    else:
        outcome = "met"
        text = "exemption conditions met"
        if caveats:
            text += " provided that " + " and ".join(
                {"eu.not-monetised": "the model is not monetised",
                 "eu.no-systemic-risk": "training compute is at most 10^25 FLOP"}[r.id]
                for r in caveats)
    return {
        "framework": "EU AI Act open-source exemption (Art. 53(2), 54(6))",
        "version": VERSION,
        "outcome": outcome,
        "verdict": f"{text} (indicative)",
        "caveats": [r.id for r in caveats],
        "requirements": [r.to_dict() for r in results],
        "exempt_from": ["Art. 53(1)(a) technical documentation", "Art. 53(1)(b) information "
                        "for downstream providers", "Art. 54 authorised representative"],
        "duties_remaining": list(DUTIES_REMAINING),
        "scope_note": "Applies to general-purpose AI models (Art. 3(63)); whether this model "
                      "is one is not judged here.",
        "disclaimer": DISCLAIMER,
    }
