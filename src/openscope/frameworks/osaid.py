"""OSI Open Source AI Definition 1.0 (2024-10-28): pass / fail / unknown per requirement.

The preferred form for making modifications has three parts: data information, complete
code under OSI-approved licences, and parameters under OSI-approved terms. The verdict is
``pass`` only if every requirement is met, ``fail`` if any is unmet, else ``unknown``.

Outcomes follow one rule throughout: a part not found in the sources checked is ``unmet``
(basis ``absence``: publishing it fixes that); a part that is there but whose licence could
not be established (linked elsewhere, unidentified licence, automatic gate) is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from openscope.components.assess import Component, not_checked
from openscope.components.licensing import AppliedLicense
from openscope.evidence.facts import Evidence, Fact
from openscope.frameworks.criteria import (
    Requirement,
    Result,
    locations,
    overall,
    weights_licence,
)
from openscope.licenses import Clause

VERSION = "OSAID 1.0 (2024-10-28)"
SOURCE = "https://opensource.org/ai/open-source-ai-definition"
OSI = "an OSI-approved licence such as Apache-2.0 or MIT"

#: Licences accepted for parameters besides OSI-approved ones when the policy opts in
#: (``osaid_parameters = "osd-compatible"``): open data terms that grant the four freedoms.
OSD_COMPATIBLE_DATA = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDLA-Permissive-2.0",
                       "CDLA-Permissive-1.0", "ODC-By-1.0", "PDDL-1.0", "OpenMDW-1.0")


@dataclass(frozen=True)
class Options:
    """Configurable interpretation: which licences count as "OSI-approved terms" for weights.

    ``parameters_accept`` holds extra licence ids accepted for the parameters on top of
    OSI-approved licences (empty by default, i.e. OSI-approved only).
    """

    parameters_accept: tuple[str, ...] = ()


def _req(slug: str, title: str, description: str, remediation: str) -> Requirement:
    return Requirement(f"osaid.{slug}", "osaid", title, description, remediation, VERSION,
                       SOURCE)


_CODE_RULE = (" Met when the code is found in the release under an OSI-approved licence; "
              "unmet when not found in the sources checked, withheld, or under a licence that "
              "is not OSI-approved; unknown when it is linked elsewhere (its licence was not "
              "checked) or its licence could not be identified.")

DATA_INFORMATION = _req(
    "data-information", "Data information sufficient to build a substantially equivalent system",
    "A full description of the training data (provenance, scope, characteristics, selection, "
    "labelling, processing and filtering), the list of publicly available training data and "
    "where to get it, and third-party data and where to obtain it. Sharing the data itself is "
    "not required. Evidence: a data card or datasheet, a filled training-data section in the "
    "card, named datasets (`datasets:` metadata, dataset links). Met with a data card, or a "
    "filled training-data section plus named datasets; unknown when only part of it is found "
    "or a paper may hold it; unmet when none of it is found.",
    "Publish a datasheet (e.g. a DATA_CARD.md or a 'Training data' section) describing "
    "provenance, selection, processing and filtering, and list every dataset with where to "
    "obtain it (`datasets:` in the card metadata).",
)
TRAINING_CODE = _req(
    "training-code", "Training code (including arguments and settings) under OSI licences",
    "The complete source used to train the model, including configuration and "
    "hyperparameters." + _CODE_RULE,
    f"Publish the training code under {OSI}.",
)
PREPROCESSING_CODE = _req(
    "data-processing-code", "Data processing and filtering code under OSI licences",
    "The code that prepares, cleans and filters the training data." + _CODE_RULE,
    f"Publish the data preprocessing and filtering code under {OSI}.",
)
EVALUATION_CODE = _req(
    "evaluation-code", "Validation and testing code under OSI licences",
    "The code used to validate and test the model (evaluation harness, benchmarks run)."
    + _CODE_RULE,
    f"Publish the evaluation (validation and testing) code under {OSI}.",
)
INFERENCE_CODE = _req(
    "inference-code", "Inference code under OSI licences",
    "Code to run the model (inference scripts or the usage code in the card, when the card "
    "itself is OSI-licensed)." + _CODE_RULE,
    f"Publish inference code under {OSI}.",
)
SUPPORTING_LIBS = _req(
    "supporting-libraries", "Supporting libraries and tools under OSI licences",
    "Libraries the system needs, such as tokenizers and hyperparameter search. Met when they "
    "are in the release under an OSI-approved licence; unmet when shown under a non-OSI "
    "licence; unknown when named but elsewhere (e.g. `library_name: transformers`, whose "
    "licence is not checked here) or when none are identified.",
    f"Ship or link the supporting libraries with their licences ({OSI}).",
)
ARCHITECTURE = _req(
    "architecture", "Model architecture code under an OSI licence",
    "Modelling code or configuration that defines the architecture (config.json, modelling "
    "files), under an OSI-approved licence." + _CODE_RULE,
    f"Publish the modelling code and configuration under {OSI}.",
)
PARAMETERS = _req(
    "parameters", "Parameters (weights) under OSI-approved terms, usable without permission",
    "Weight files downloadable without permission, under terms granting use for any purpose, "
    "study, modification and sharing. By default only OSI-approved licences count; a policy "
    "can also accept OSD-compatible data terms (CC-BY-4.0, CDLA-Permissive-2.0, OpenMDW-1.0, "
    "...). A manual gate (permission needed) is unmet, an automatic gate unknown.",
    "Publish the weights, ungated, under an OSI-approved licence such as Apache-2.0 or MIT "
    "(or, if your policy accepts them, CDLA-Permissive-2.0 or OpenMDW-1.0).",
)

REQUIREMENTS: tuple[Requirement, ...] = (DATA_INFORMATION, TRAINING_CODE, PREPROCESSING_CODE,
                                         EVALUATION_CODE, INFERENCE_CODE, SUPPORTING_LIBS,
                                         ARCHITECTURE, PARAMETERS)
VERDICT_WORD = {"met": "pass", "unmet": "fail", "unknown": "unknown"}


def _ev(facts: Iterable[Fact]) -> tuple[str, ...]:
    return locations(facts)


def osi_terms(comp: Component, accept: tuple[str, ...] = ()) -> bool | None:
    """Whether the component's licence is OSI-approved (or in ``accept``); None if unknown."""
    if comp.license is None:
        return None
    c = comp.license.classification
    members = list(c.members) or ([c.license] if c.license else [])
    if not members:
        return None
    ok = [m.osi_approved or m.id in accept or (m.spdx_id or "") in accept for m in members]
    expr = (c.expression or "").upper()
    return any(ok) if " OR " in expr else all(ok)


def _code(req: Requirement, comp: Component, accept: tuple[str, ...] = ()) -> Result:
    ev = _ev(comp.evidence)
    what = comp.name.lower()
    if comp.available is None:
        gap = not_checked(comp)
        if gap:
            return Result(req, "unknown", f"no {what} found, but {gap}", ev,
                          basis="not-checked")
        return Result(req, "unmet", f"no {what} found in the sources checked", ev,
                      basis="absence")
    if comp.status == "closed":
        return Result(req, "unmet", comp.reason, ev)
    if comp.attributes.get("location") == "external" or comp.license is None:
        return Result(req, "unknown", comp.reason, ev,
                      remediation=f"State the licence of the {what} ({OSI}) in the release.")
    lic = comp.license
    name = lic.classification.license.name if lic.classification.license else lic.raw
    osi = osi_terms(comp, accept)
    ev = (*ev, *(f.location() for f in lic.facts[:2]))
    if osi is None:
        return Result(req, "unknown", f"{what} found; licence {lic.raw!r} could not be identified",
                      ev)
    if not osi:
        clause = f" ({comp.clause.section}: {comp.clause.text})" if comp.clause else ""
        return Result(req, "unmet", f"{what} found, but under {name}, which is not "
                      f"OSI-approved{clause}", ev,
                      remediation=f"Re-license the {what} under {OSI} instead of {name}.")
    access = str(comp.attributes.get("access", ""))
    if access == "gated":
        access = f"gated ({comp.attributes.get('gate', 'approval')})"
        if "manual" in access:
            return Result(req, "unmet", f"{what} under {name}, but {access}: use requires "
                          "permission", ev, remediation=f"Remove the access gate on the {what}.")
        return Result(req, "unknown", f"{what} under {name}, but {access}: access needs "
                      "registration; check that no permission is required", ev,
                      remediation=f"Remove the access gate on the {what}.")
    return Result(req, "met", f"{what} found under {name} (OSI-approved)", ev)


def _data_information(by_id: dict[int, Component], ev: Evidence) -> Result:
    sheets = ev.of("data.card")
    described = ev.of("data.description")
    named = ev.of("data.dataset", "data.dataset_link")
    facts = sheets + described + named
    if sheets:
        return Result(DATA_INFORMATION, "met", "a data card / datasheet is published",
                      _ev(facts))
    if described and named:
        return Result(DATA_INFORMATION, "met", "training data described in the card and the "
                      f"datasets named ({len(named)})", _ev(facts))
    papers = [f for f in ev.of("research.arxiv", "research.paper", "research.tech_report")
              if f.own]
    if described or named:
        part = "described but no datasets named" if described else \
            "named but not described (provenance, selection, processing)"
        return Result(DATA_INFORMATION, "unknown", f"training data {part}; completeness cannot "
                      "be judged from the sources checked", _ev(facts + papers))
    if papers:
        return Result(DATA_INFORMATION, "unknown", "no data information in the release; a "
                      "linked paper may hold it (not read)", _ev(papers))
    if ev.has("coverage.no_card"):
        return Result(DATA_INFORMATION, "unknown", "no description of the training data found, "
                      "but no card was read", (), basis="not-checked")
    return Result(DATA_INFORMATION, "unmet", "no description of the training data found in "
                  "the sources checked", (), basis="absence")


def _parameters(comp: Component, governing: AppliedLicense | None, clause: Clause | None,
                accept: tuple[str, ...]) -> Result:
    if comp.available is None and governing is not None:
        # No weight files seen, but the release states their licence: judge the terms.
        probe = replace(comp, license=governing, clause=clause, available=True,
                        attributes={"location": "repo"})
        judged = _code(PARAMETERS, probe, accept)
        if judged.outcome == "unmet":
            return Result(PARAMETERS, "unmet", "no weight files found in the sources checked, "
                          "and the licence stated for them is not OSI-approved: "
                          + judged.reason.split("under ", 1)[-1], judged.evidence,
                          remediation="Publish the weights under an OSI-approved licence such "
                          "as Apache-2.0 or MIT.")
    res = _code(PARAMETERS, comp, accept)
    if (res.outcome == "unmet" and comp.available and comp.license is not None
            and "gate" not in res.reason):
        return Result(PARAMETERS, "unmet", res.reason, res.evidence,
                      remediation="Release the weights under an OSI-approved licence such as "
                      "Apache-2.0 or MIT (the current licence does not grant the four "
                      "freedoms).")
    return Result(PARAMETERS, res.outcome, res.reason, res.evidence, basis=res.basis,
                  remediation=res.remediation)


def _supporting(comp: Component) -> Result:
    res = _code(SUPPORTING_LIBS, comp)
    if res.outcome == "unmet" and res.basis == "absence":
        return Result(SUPPORTING_LIBS, "unknown", "no supporting libraries identified in the "
                      "sources checked (the system may need none)", ())
    return res


def evaluate(components: list[Component], evidence: Evidence,
             options: Options | None = None) -> list[Result]:
    """Every OSAID requirement's outcome, in table order."""
    opts = options or Options()
    by_id = {c.id: c for c in components}
    return [
        _data_information(by_id, evidence),
        _code(TRAINING_CODE, by_id[7]),
        _code(PREPROCESSING_CODE, by_id[16]),
        _code(EVALUATION_CODE, by_id[18]),
        _code(INFERENCE_CODE, by_id[8]),
        _supporting(by_id[22]),
        _code(ARCHITECTURE, by_id[9]),
        _parameters(by_id[10], *weights_licence(components, evidence), opts.parameters_accept),
    ]


def verdict(components: list[Component], evidence: Evidence,
            options: Options | None = None) -> dict[str, Any]:
    """The ``frameworks.osaid`` object: verdict (pass / fail / unknown) and requirements."""
    results = evaluate(components, evidence, options)
    outcome = overall(results)
    accept = (options or Options()).parameters_accept
    return {
        "framework": "OSI Open Source AI Definition",
        "version": VERSION,
        "verdict": VERDICT_WORD[outcome],
        "outcome": outcome,
        "parameters_accept": ["OSI-approved", *accept],
        "requirements": [r.to_dict() for r in results],
    }
