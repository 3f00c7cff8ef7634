"""One release in a few fields: the view the explorer (``compare``, the site) reads.

A summary is a pure function of a report's JSON (``report.data``) plus, optionally, what the
source recorded about the release (pipeline tag, downloads) that the report does not carry.
Nothing here judges: statuses and verdicts are the report's; licence terms are the licence
knowledge base's (:mod:`openscope.licenses`), looked up by the licence id the report names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from openscope.licenses import get as get_license

DIMENSIONS = ("code", "weights", "data", "research")

#: The 12 European Open Source AI Index parameters, in the Index's order.
INDEX_PARAMETERS = (
    "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
    "trainingcode", "code", "hardware_architecture", "preprint", "paper", "modelcard",
    "datasheet", "licenses",
)

#: Short column labels of the Index parameters (the Index website's names).
INDEX_LABELS = {
    "datasources_basemodel": "Base data", "datasources_endmodel": "End data",
    "weights_basemodel": "Base weights", "weights_endmodel": "End weights",
    "trainingcode": "Training code", "code": "Code", "hardware_architecture": "Architecture",
    "preprint": "Preprint", "paper": "Paper", "modelcard": "Model card",
    "datasheet": "Datasheet", "licenses": "Licences",
}

#: The licence terms shown side by side: key -> label.
TERMS = {
    "commercial_use": "commercial use",
    "user_threshold": "user cap",
    "revenue_threshold": "revenue cap",
    "use_restrictions": "field-of-use restrictions",
    "attribution": "attribution",
    "acceptance_required": "acceptance required",
}

WEIGHTS = "Model parameters (Final)"

_ROMAN = {0: "0", 1: "I", 2: "II", 3: "III"}


def mof_label(value: object) -> str:
    """``I``/``II``/``III`` for a MOF class, ``0`` for unclassified, ``?`` if absent."""
    return _ROMAN.get(value, "?") if isinstance(value, int) else "?"


def release_name(data: Mapping[str, Any]) -> str:
    """The release as a person names it: the ref without scheme or revision."""
    ref = str(data.get("subject", {}).get("ref", ""))
    ref = re.sub(r"^(hf|hf-dataset|gh|local|corpus|mirror):", "", ref)
    return ref.split("@", 1)[0]


def organisation(data: Mapping[str, Any]) -> str:
    """The owner part of an ``org/name`` release, else ``""``."""
    name = release_name(data)
    return name.split("/", 1)[0] if "/" in name else ""


def component(data: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    """The component entry called ``name``, if present."""
    for comp in data.get("components") or []:
        if isinstance(comp, Mapping) and comp.get("name") == name:
            return comp
    return None


def weights_license(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The licence entry of the final weights (else of the first licensed component)."""
    comp = component(data, WEIGHTS)
    if comp and isinstance(lic := comp.get("license"), Mapping):
        return lic
    for other in data.get("components") or []:
        if isinstance(other, Mapping) and isinstance(lic := other.get("license"), Mapping):
            return lic
    return {}


def license_terms(license_entry: Mapping[str, Any]) -> dict[str, Any]:
    """The key terms of a report's licence entry, from the knowledge base.

    Returns ``{term: value}`` for :data:`TERMS` (``True``/``False``/a cap text, ``None`` when
    the knowledge base does not know or the licence is not identified) and ``source``: the
    knowledge-base id the terms come from (``None`` when none).
    """
    ident = license_entry.get("id") or license_entry.get("raw")
    lic = get_license(str(ident)) if ident else None
    out: dict[str, Any] = {key: None for key in TERMS}
    out["source"] = None
    if lic is None:
        return out
    for key in TERMS:
        out[key] = getattr(lic.terms, key, None)
    out["source"] = lic.id
    return out


def usable_commercially(data: Mapping[str, Any], terms: Mapping[str, Any]) -> bool | None:
    """Whether the final weights are available under terms that allow commercial use.

    ``True``: weights available and the licence's terms allow commercial use (caps and use
    policies may still apply: see the terms); ``False``: the terms forbid it, or the
    weights are stated withheld; ``None``: unknown (no licence identified, or availability
    unknown).
    """
    comp = component(data, WEIGHTS)
    if comp is None:
        return None
    if comp.get("status") == "closed":
        return False
    if terms.get("commercial_use") is False:
        return False
    if comp.get("available") and terms.get("commercial_use") is True:
        return True
    return None


def _fw(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    fws = data.get("frameworks") or {}
    value = fws.get(key) if isinstance(fws, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def summarize(data: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A flat summary of one report (``report.data``), JSON-serialisable.

    ``extra`` may give ``pipeline`` and ``downloads`` recorded by the source (the report
    does not hold them).
    """
    extra = extra or {}
    subject = data.get("subject") or {}
    mof = _fw(data, "mof")
    index = _fw(data, "osai_index")
    params = index.get("parameters")
    params = params if isinstance(params, Mapping) else {}
    scores = index.get("scores")
    scores = scores if isinstance(scores, Mapping) else {}
    lic = weights_license(data)
    terms = license_terms(lic)
    dims = data.get("dimensions") or {}
    overall = scores.get("overall")
    return {
        "name": release_name(data),
        "ref": str(subject.get("ref", "")),
        "org": organisation(data),
        "kind": str(subject.get("kind", "")),
        "source": str(subject.get("source", "")),
        "revision": subject.get("revision"),
        "url": subject.get("url"),
        "pipeline": str(extra.get("pipeline") or ""),
        "downloads": extra.get("downloads") if isinstance(extra.get("downloads"), int) else None,
        "license": str(lic.get("id") or lic.get("raw") or ""),
        "license_openness": str(lic.get("openness") or "unknown") if lic else "unknown",
        "dimensions": {d: str((dims.get(d) or {}).get("status", "unknown")) for d in DIMENSIONS},
        "mof_class": mof.get("class") if isinstance(mof.get("class"), int) else None,
        "mof_attainable": (mof.get("attainable_class")
                           if isinstance(mof.get("attainable_class"), int) else None),
        "osaid": str(_fw(data, "osaid").get("outcome") or "unknown"),
        "eu": str(_fw(data, "eu_ai_act").get("outcome") or "unknown"),
        "openwashing": str(_fw(data, "openwashing").get("outcome") or "unknown"),
        "index": {p: str((params.get(p) or {}).get("value", "unknown")) for p in INDEX_PARAMETERS},
        "index_score": float(overall) if isinstance(overall, (int, float)) else None,
        "terms": terms,
        "commercial": usable_commercially(data, terms),
        "open_data": (dims.get("data") or {}).get("status") == "open",
        "findings": len(data.get("findings") or []),
    }
