"""The licence knowledge base: versioned data shipped in ``licenses/data/licenses.json``.

Loaded once, lazily, from package data (never from the network or ../shared).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from openscope.licenses.model import Clause, License, LicenseTerms
from openscope.licenses.normalize import normalize_key

_TERM_FIELDS = frozenset(LicenseTerms.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All licences with their lookup indexes."""

    version: str
    sources: dict[str, str]
    licenses: tuple[License, ...]
    by_id: dict[str, License]  # lowercased id / HF id / SPDX id / alias -> licence
    by_key: dict[str, License]  # normalize_key(...) -> licence
    hf_ids: frozenset[str]  # lowercased Hugging Face ids
    spdx_ids: frozenset[str]  # lowercased SPDX ids


def _read_json(name: str) -> Any:
    return json.loads(_read_text(name))


def _read_text(name: str) -> str:
    return resources.files("openscope.licenses").joinpath("data", name).read_text(
        encoding="utf-8")


#: ``normalize_key`` of every id, alias and name, computed from ``licenses.json`` by
#: ``scripts/build_derived_data.py`` (a small audit spent a tenth of its time on it).
KEYS_FILE = "licenses-keys.json"


def compute_keys(ordered: list[License]) -> dict[str, License]:
    """``normalize_key`` of ids, then aliases, then names -> licence (first one wins)."""
    by_key: dict[str, License] = {}
    groups: tuple[list[tuple[License, str | None]], ...] = (
        [(lic, n) for lic in ordered for n in (lic.id, lic.hf_id, lic.spdx_id)],
        [(lic, n) for lic in ordered for n in lic.aliases],
        [(lic, lic.name) for lic in ordered],
    )
    for group in groups:
        for lic, name in group:
            if name:
                key = normalize_key(name)
                if key:
                    by_key.setdefault(key, lic)
    return by_key


def _shipped_keys(kb_text: str, lics: tuple[License, ...]) -> dict[str, License] | None:
    """The precomputed keys when they were computed from this very ``licenses.json``."""
    try:
        shipped = _read_json(KEYS_FILE)
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(kb_text.encode("utf-8")).hexdigest()
    if not isinstance(shipped, dict) or shipped.get("licenses_sha256") != digest:
        return None
    try:
        return {key: lics[i] for key, i in shipped["keys"].items()}
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _license(d: dict[str, Any]) -> License:
    terms = LicenseTerms(**{k: v for k, v in (d.get("terms") or {}).items() if k in _TERM_FIELDS})
    clauses = tuple(
        Clause(topic=c["topic"], section=c["section"], text=c["text"])
        for c in d.get("clauses") or ()
    )
    return License(
        id=d["id"],
        name=d["name"],
        kind=d["kind"],
        spdx_id=d.get("spdx_id"),
        hf_id=d.get("hf_id"),
        osi_approved=bool(d.get("osi_approved")),
        fsf_libre=bool(d.get("fsf_libre")),
        open_for=frozenset(d.get("open_for") or ()),
        suits=frozenset(d.get("suits") or ()),
        terms=terms,
        clauses=clauses,
        url=d.get("url"),
        sources=tuple(d.get("sources") or ()),
        aliases=tuple(d.get("aliases") or ()),
        note=d.get("note"),
        use_policy=d.get("use_policy"),
        policy_of=d.get("policy_of"),
        deprecated=bool(d.get("deprecated")),
        fsf_osi_source=d.get("fsf_osi_source"),
    )


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """Load the shipped knowledge base (cached)."""
    text = _read_text("licenses.json")
    raw = json.loads(text)
    lics = tuple(_license(d) for d in raw["licenses"])
    by_id: dict[str, License] = {}
    # Priority: canonical ids, then HF ids, then SPDX ids, then aliases, then names.
    # Non-deprecated entries first, so a deprecated SPDX id never shadows a current one.
    ordered = sorted(lics, key=lambda lic: lic.deprecated)
    for lic in ordered:
        if not lic.deprecated:
            by_id.setdefault(lic.id.lower(), lic)
    for lic in ordered:
        if lic.hf_id:
            by_id.setdefault(lic.hf_id.lower(), lic)
    for lic in ordered:  # deprecated SPDX ids -> their successors (GPL-2.0+ -> -or-later)
        if lic.deprecated:
            succ = lic.id[:-1] + "-or-later" if lic.id.endswith("+") else lic.id + "-only"
            target = by_id.get(succ.lower())
            if target is not None:
                by_id.setdefault(lic.id.lower(), target)
    for lic in ordered:
        for name in (lic.id, lic.spdx_id):
            if name:
                by_id.setdefault(name.lower(), lic)
    for lic in ordered:
        for alias in lic.aliases:
            by_id.setdefault(alias.lower(), lic)
    by_key = _shipped_keys(text, lics) or compute_keys(ordered)
    return KnowledgeBase(
        version=str(raw["version"]),
        sources=dict(raw.get("sources") or {}),
        licenses=lics,
        by_id=by_id,
        by_key=by_key,
        hf_ids=frozenset(lic.hf_id.lower() for lic in lics if lic.hf_id),
        spdx_ids=frozenset(lic.spdx_id.lower() for lic in lics if lic.spdx_id),
    )


def get(license_id: str) -> License | None:
    """The licence named by an id, HF id, SPDX id or known alias (case-insensitive)."""
    if not isinstance(license_id, str):
        return None
    kb = load()
    lid = license_id.strip().lower()
    return kb.by_id.get(lid) or kb.by_key.get(normalize_key(license_id)) if lid else None


def all_licenses() -> tuple[License, ...]:
    """Every licence and use policy of the knowledge base, sorted by id."""
    return load().licenses


def kb_version() -> str:
    """The version of the shipped knowledge base data."""
    return load().version
