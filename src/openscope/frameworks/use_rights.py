"""Use-rights specs for ``openscope check``: "may I fine-tune and ship this commercially?".

Each ``use:`` spec is decided from the licence knowledge base's terms of the licence that
governs the weights (the report's ``Model parameters (Final)`` component, its ``license``;
when no weights were seen, the licence the card declares for the whole release),
naming the deciding clause as evidence; it is ``unknown`` when the weights' licence is not
found or not in the knowledge base. ``use:compatible`` reads the report's ``lineage`` (base
models, with the laundering finding :func:`openscope.licenses.check_laundering` made) and
its ``datasets`` (named Hub datasets, with their licences).

==========================  =================================================================
``use:commercial``          the weights' licence allows commercial use
``use:modify``              it allows modification (fine-tuning, merging)
``use:redistribute``        it allows redistribution (shipping the weights or a derivative)
``use:no-user-cap``         no user-count or revenue threshold above which a licence is needed
``use:no-field-of-use``     no field-of-use / acceptable-use restrictions
``use:ship``                all five above
``use:compatible``          the declared licence is no more permissive than the base models'
                            and named datasets' licences allow (alias ``lineage-compatible``)
==========================  =================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openscope.licenses import check_laundering, classify, get
from openscope.licenses.model import Clause, License

#: The component whose licence governs the weights.
WEIGHTS = "Model parameters (Final)"

#: spec -> (title, licence-term test, clause topics that decide it, remediation).
_Test = Callable[[License], bool | None]
RIGHTS: dict[str, tuple[str, _Test, tuple[str, ...], str]] = {
    "use:commercial": (
        "The weights' licence allows commercial use",
        lambda lic: lic.terms.commercial_use,
        ("non-commercial", "research-only", "commercial"),
        "Release the weights under a licence that allows commercial use."),
    "use:modify": (
        "The weights' licence allows modification (fine-tuning)",
        lambda lic: lic.terms.modification,
        ("no-derivatives", "modification"),
        "Release the weights under a licence that allows modification."),
    "use:redistribute": (
        "The weights' licence allows redistribution",
        lambda lic: lic.terms.redistribution,
        ("redistribution", "flow-down", "distribution-only"),
        "Release the weights under a licence that allows redistribution."),
    "use:no-user-cap": (
        "The weights' licence has no user-count or revenue threshold",
        lambda lic: _no_cap(lic),
        ("user-threshold", "revenue-threshold"),
        "Release the weights under a licence without user or revenue thresholds."),
    "use:no-field-of-use": (
        "The weights' licence has no field-of-use restrictions",
        lambda lic: None if lic.terms.use_restrictions is None
        else not lic.terms.use_restrictions,
        ("use-restrictions", "remote-restriction"),
        "Release the weights under a licence without use-based restrictions."),
}
SHIP = "use:ship"
COMPATIBLE = "use:compatible"
ALIASES = {"lineage-compatible": COMPATIBLE}
SPECS = (*RIGHTS, SHIP, COMPATIBLE)


def _no_cap(lic: License) -> bool | None:
    t = lic.terms
    if t.user_threshold or t.revenue_threshold:
        return False
    if t.commercial_use is None and t.modification is None:
        return None  # terms not known for this licence
    return True


def canonical(text: str) -> str | None:
    """The ``use:`` spec ``text`` names (case-insensitive), else ``None``."""
    t = ALIASES.get(text.strip().lower(), text.strip().lower())
    return t if t in SPECS else None


def _clause(lic: License, topics: tuple[str, ...]) -> Clause | None:
    for topic in topics:
        for c in lic.clauses:
            if c.topic == topic:
                return c
    return None


def _detail(spec: str, title: str, outcome: str, reason: str, remediation: str | None,
            evidence: list[Any]) -> dict[str, Any]:
    return {"id": spec, "title": title, "outcome": outcome, "reason": reason,
            "remediation": None if outcome == "met" else remediation,
            "evidence": evidence, "basis": "licence-terms"}


def weights_license(components: Sequence[Mapping[str, Any]] | None
                    ) -> tuple[License | None, Mapping[str, Any] | None]:
    """The KB licence of the weights component (or ``None``) and its ``license`` record."""
    comp = next((c for c in components or () if c.get("name") == WEIGHTS), None)
    record = comp.get("license") if comp else None
    if not isinstance(record, Mapping):
        # weights not seen (no file listing): the card's release-wide licence governs them
        record = next((c["license"] for c in components or ()
                       if isinstance(c.get("license"), Mapping)
                       and c["license"].get("level") == "card"), None)
    if not isinstance(record, Mapping):
        return None, None
    lic = get(str(record.get("id") or "")) if record.get("id") else None
    if lic is None and record.get("raw"):
        lic = classify(str(record["raw"])).license
    if lic is not None and lic.kind in ("unspecified", "family", "unknown"):
        lic = None
    return lic, record


def right(spec: str, components: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    """One use right of :data:`RIGHTS` as a requirement detail (id, outcome, reason, ...)."""
    title, test, topics, remediation = RIGHTS[spec]
    lic, record = weights_license(components)
    if record is None:
        return _detail(spec, title, "unknown", "no licence found for the weights (without "
                       "one, no rights are granted; the publisher should name one)",
                       remediation, [])
    evidence: list[Any] = [str(e) for e in record.get("evidence") or ()]
    label = str(record.get("id") or record.get("raw"))
    if lic is None:
        return _detail(spec, title, "unknown", f"the weights' licence {label!r} is not in "
                       "the licence knowledge base, so its terms are unknown", remediation,
                       evidence)
    allowed = test(lic)
    clause = _clause(lic, topics)
    if clause is not None:
        evidence.append(f"{lic.id} {clause.section}: {clause.text}")
    if allowed is None:
        return _detail(spec, title, "unknown", f"{lic.id} ({lic.name}): the knowledge base "
                       "does not record this term", remediation, evidence)
    where = f" ({clause.section})" if clause else ""
    if allowed:
        return _detail(spec, title, "met", f"{lic.id} ({lic.name}) allows it{where}",
                       remediation, evidence)
    extra = ""
    if spec == "use:no-user-cap":
        extra = ": " + "; ".join(x for x in (lic.terms.user_threshold,
                                            lic.terms.revenue_threshold) if x)
    return _detail(spec, title, "unmet", f"{lic.id} ({lic.name}) does not allow it{extra}"
                   f"{where}", remediation, evidence)


def ship(components: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Every right of :data:`RIGHTS`, in order."""
    return [right(spec, components) for spec in RIGHTS]


def compatible(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``use:compatible`` details: one per base model (``lineage:<ref>``) and one per named
    dataset (``dataset:<ref>``), each met, unmet (the laundering finding) or unknown."""
    out: list[dict[str, Any]] = []
    title = "The declared licence is compatible with the base model's licence"
    fix = ("Declare the base model's licence (or one its terms allow for derivatives) and "
           "carry its conditions.")
    for e in report.get("lineage") or ():
        ref = str(e.get("ref"))
        rid = f"lineage:{ref}"
        ev = [x for x in (ref, e.get("url")) if x]
        if e.get("status") != "collected":
            out.append(_detail(rid, title, "unknown", f"base model {ref} was not collected "
                               f"({e.get('error') or 'no reason recorded'}), so its licence "
                               "is unknown", fix, ev))
        elif not e.get("license"):
            out.append(_detail(rid, title, "unknown", f"base model {ref} declares no "
                               "licence, so the terms its derivatives inherit are unknown",
                               fix, ev))
        elif e.get("conflict"):
            conflict = e["conflict"]
            clause = conflict.get("clause") or {}
            if clause:
                ev.append(f"{e['license']} {clause.get('section')}: {clause.get('text')}")
            out.append(_detail(rid, title, "unmet", str(conflict.get("message")), fix, ev))
        elif "license_openness" not in e or e.get("license_openness") == "unknown":
            out.append(_detail(rid, title, "unknown", f"base model {ref} declares "
                               f"{e['license']!r}, a licence whose terms are unknown", fix, ev))
        else:
            out.append(_detail(rid, title, "met", f"base model {ref} is under "
                               f"{e['license']}; {e['child']} declares a licence its terms "
                               "allow", fix, ev))
    child = _declared(report)
    dtitle = "The declared licence is compatible with the named dataset's licence"
    dfix = "Declare a licence the training data's terms allow, or use data that allows it."
    for d in report.get("datasets") or ():
        ref = str(d.get("ref"))
        rid = f"dataset:{ref}"
        ev = [x for x in (ref, d.get("url")) if x]
        if not d.get("license"):
            out.append(_detail(rid, dtitle, "unknown", f"dataset {ref}: no licence found",
                               dfix, ev))
            continue
        base_c = classify(str(d["license"]))
        if base_c.openness == "unknown" or child is None:
            what = (f"dataset {ref}'s licence {d['license']!r} is unknown"
                    if base_c.openness == "unknown" else "the release declares no licence")
            out.append(_detail(rid, dtitle, "unknown", what, dfix, ev))
            continue
        finding = check_laundering(classify(child), base_c, share_alike=False)
        if finding is None:
            out.append(_detail(rid, dtitle, "met", f"dataset {ref} is under {d['license']}; "
                               f"the release declares {child}, which its terms allow",
                               dfix, ev))
        else:
            msg = finding.message.replace("its base model is", f"its dataset {ref} is")
            out.append(_detail(rid, dtitle, "unmet", msg, dfix, ev))
    collected = {str(d.get("ref", "")).split(":", 1)[-1].split("@", 1)[0].lower()
                 for d in report.get("datasets") or ()}
    for name in report.get("named_datasets") or ():
        if str(name).lower() not in collected:
            out.append(_detail(f"dataset:hf-dataset:{name}", dtitle, "unknown",
                               f"dataset {name} is named by the card but was not collected, "
                               "so its licence is unknown", dfix, [f"hf-dataset:{name}"]))
    return out


def _declared(report: Mapping[str, Any]) -> str | None:
    _lic, record = weights_license(report.get("components"))
    if record is None:
        return None
    return str(record.get("id") or record.get("raw") or "") or None
