"""Classify declared licence strings and judge components by licence.

``classify`` accepts what a release declares anywhere: Hugging Face ids (any case),
SPDX ids and expressions, ``LicenseRef-scancode-*`` keys, and common free-text
spellings ("Apache 2.0", "BSD-3", "CC BY-NC 4.0", "llama 3.1 community license").
Results are cached per distinct string, so a census pays once per spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from openscope import lazyre
from openscope.licenses.kb import load
from openscope.licenses.model import (
    Classification,
    Clause,
    ContentType,
    License,
    Openness,
)
from openscope.licenses.normalize import normalize_key
from openscope.licenses.spdx_table import licensing_for

#: Order in which restrictive clauses decide a "restricted" verdict.
DECIDING_TOPICS: tuple[str, ...] = (
    "non-commercial",
    "research-only",
    "authorization",
    "user-threshold",
    "revenue-threshold",
    "regional-restriction",
    "use-restrictions",
    "no-derivatives",
    "output-training",
    "remote-restriction",
    "naming",
    "flow-down",
)

_OPERATORS = lazyre.compile(r"(?:^|\s)(?:and|or|with)(?:\s|$)|[()]", re.IGNORECASE)
_SPACE = lazyre.compile(r"\s")
_SLASH = lazyre.compile(r"(?<!\s)\s*/\s*")
_MAX_RAW = 2_000

# ----------------------------------------------------------------------------- trees


@dataclass(frozen=True, slots=True)
class _Leaf:
    raw: str
    license: License | None


@dataclass(frozen=True, slots=True)
class _Node:
    op: Literal["AND", "OR", "WITH"]
    children: tuple[_Leaf | _Node, ...]


_Tree = _Leaf | _Node


def _lookup(name: str, loose: bool = True) -> tuple[License | None, str]:
    """Resolve one id or name; returns (licence, method)."""
    kb = load()
    s = name.strip().strip("'\"`").strip()
    if not s:
        return None, "none"
    low = s.lower()
    lic = kb.by_id.get(low)
    if lic is not None:
        if low in kb.hf_ids and (lic.hf_id or "").lower() == low:
            return lic, "hf-id"
        if low in kb.spdx_ids or low == lic.id.lower():
            return lic, "spdx-id" if lic.spdx_id else "kb-id"
        return lic, "alias"
    key = normalize_key(s) if loose else ""
    if key:
        for k in (key, key + "0", key.removesuffix("0")):
            lic = kb.by_key.get(k)
            if lic is not None:
                return lic, "normalized-name"
    return None, "unknown"


def _to_tree(expr: object) -> _Tree:
    from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

    if isinstance(expr, LicenseWithExceptionSymbol):
        lic_sym = expr.license_symbol
        exc = expr.exception_symbol
        return _Node(
            "WITH",
            (_Leaf(lic_sym.key, _lookup(lic_sym.key)[0]), _Leaf(exc.key, None)),
        )
    if isinstance(expr, LicenseSymbol):
        return _Leaf(expr.key, _lookup(expr.key)[0])
    op = type(expr).__name__.upper()  # AND / OR from boolean.py
    if op not in ("AND", "OR"):
        raise ValueError(f"unsupported operator {op}")
    return _Node(op, tuple(_to_tree(a) for a in expr.args))  # type: ignore[attr-defined, arg-type]


@lru_cache(maxsize=65_536)
def _parse(expression: str) -> _Tree | None:
    """Parse an SPDX-style expression into a tree; None when malformed."""
    try:
        parsed = licensing_for(expression).parse(expression, simple=False)
    except Exception:  # license_expression raises several error types
        return None
    if parsed is None:
        return None
    try:
        return _to_tree(parsed)
    except (ValueError, AttributeError, RecursionError):
        return None


def _render(t: _Tree, top: bool = True) -> str:
    if isinstance(t, _Leaf):
        return t.license.id if t.license is not None else t.raw
    if t.op == "WITH":
        return f"{_render(t.children[0], False)} WITH {t.children[1].raw}"  # type: ignore[union-attr]
    inner = f" {t.op} ".join(_render(c, False) for c in t.children)
    return inner if top else f"({inner})"


def _members(t: _Tree) -> list[License]:
    if isinstance(t, _Leaf):
        return [t.license] if t.license is not None else []
    if t.op == "WITH":
        return _members(t.children[0])
    out: list[License] = []
    for c in t.children:
        for m in _members(c):
            if m not in out:
                out.append(m)
    return out


def _combine(op: str, values: list[Openness]) -> Openness:
    if op == "OR":
        if "open" in values:
            return "open"
        return "unknown" if "unknown" in values else "restricted"
    if "restricted" in values:
        return "restricted"
    return "unknown" if "unknown" in values else "open"


def _tree_openness(t: _Tree) -> Openness:
    if isinstance(t, _Leaf):
        return t.license.openness if t.license is not None else "unknown"
    if t.op == "WITH":
        return _tree_openness(t.children[0])
    return _combine(t.op, [_tree_openness(c) for c in t.children])


# ----------------------------------------------------------------------------- reasons


def _kind_phrase(lic: License) -> str:
    return {
        "osi-approved-open-source": "an OSI-approved open source licence",
        "other-open-content": "an open content licence",
        "open-data": "a data licence",
        "noncommercial": "a non-commercial licence",
        "no-derivatives": "a no-derivatives licence",
        "ai-vendor-community-license": "a vendor community licence with use conditions",
        "ai-rail-use-restricted": "a responsible-AI licence with use-based restrictions",
        "ai-research-noncommercial": "a research / non-commercial model licence",
        "ai-open-model-permissive": "a permissive licence for model materials",
        "family": "a licence family label, not one licence",
        "unspecified": "not a licence",
        "spdx-unclassified": "an SPDX licence openscope has not classified",
        "use-policy": "a use policy (restrictions incorporated by a licence)",
        "distribution-only": "a licence to distribute only (no reuse rights for others)",
    }.get(lic.kind, lic.kind)


def deciding_clause(lic: License) -> Clause | None:
    """The clause that makes a licence restrictive (first by :data:`DECIDING_TOPICS`)."""
    for topic in DECIDING_TOPICS:
        for c in lic.clauses:
            if c.topic == topic:
                return c
    if lic.kind == "noncommercial":
        return Clause("non-commercial", "licence terms",
                      f"{lic.name}: use is limited to non-commercial purposes.")
    if lic.kind == "no-derivatives":
        return Clause("no-derivatives", "licence terms",
                      f"{lic.name}: adapted material may not be shared.")
    return lic.clauses[0] if lic.clauses else None


def _grant_clause(lic: License) -> Clause | None:
    return next((c for c in lic.clauses if c.topic == "grant"), None)


def _leaf_reason(lic: License | None, raw: str) -> str:
    if lic is None:
        return f"'{raw}' is not a licence openscope knows"
    if lic.id.lower() == "other":
        return "declared as 'other' (custom licence): read license_name / license_link"
    if lic.id.lower() == "unknown":
        return "declared as 'unknown' (no usable licence)"
    base = f"{lic.id} is {_kind_phrase(lic)}"
    if lic.open_for:
        return f"{base}, open for {', '.join(sorted(lic.open_for))}"
    clause = deciding_clause(lic)
    if clause is not None and lic.openness == "restricted":
        return f"{base} ({clause.topic}, {clause.section})"
    return base


def _from_tree(raw: str, t: _Tree, method: str) -> Classification:
    openness = _tree_openness(t)
    members = tuple(_members(t))
    if isinstance(t, _Leaf):
        reason = _leaf_reason(t.license, t.raw)
        return Classification(raw, t.license, None if t.license is None else t.license.id,
                              openness, method if t.license is not None else "unknown",
                              reason, members)
    expr = _render(t)
    single = members[0] if len(members) == 1 and t.op == "WITH" else None
    parts = "; ".join(_leaf_reason(m, m.id) for m in members) or "no operand identified"
    unknown_ops = [leaf.raw for leaf in _leaves(t) if leaf.license is None
                   and not (isinstance(t, _Node) and t.op == "WITH" and leaf is t.children[-1])]
    if unknown_ops:
        parts += "; unknown: " + ", ".join(unknown_ops)
    rule = {"OR": "OR is open if any operand is open",
            "AND": "AND is open only if every operand is open",
            "WITH": "an exception does not change the licence's openness"}[t.op]
    return Classification(raw, single, expr, openness, method, f"{expr}: {rule} ({parts})",
                          members)


def _leaves(t: _Tree) -> list[_Leaf]:
    if isinstance(t, _Leaf):
        return [t]
    out: list[_Leaf] = []
    for c in t.children:
        out.extend(_leaves(c))
    return out


# ----------------------------------------------------------------------------- public


@lru_cache(maxsize=131_072)
def classify(raw: str) -> Classification:
    """Classify a declared licence id, name or SPDX expression.

    ``method`` records how: ``hf-id``, ``spdx-id``, ``kb-id``, ``alias``,
    ``normalized-name``, ``spdx-expression``, ``unknown``, ``unparsable`` or ``none``.
    Expressions: ``OR`` is open if any operand is open, ``AND`` only if all are; malformed
    expressions are ``unknown`` (never an exception). For ``license: other`` pass the
    card's ``license_name`` instead.
    """
    if not isinstance(raw, str):
        return Classification(str(raw), None, None, "unknown", "none", "not a string")
    s = raw.strip().strip("'\"`").strip()
    if s[:8].lower() == "license:":  # a Hub tag such as "license:apache-2.0"
        s = s[8:].strip()
    if not s:
        return Classification(raw, None, None, "unknown", "none", "no licence declared")
    if len(s) > _MAX_RAW:
        return Classification(raw, None, None, "unknown", "unparsable",
                               "licence string too long to be an id or expression")
    lic, method = _lookup(s, loose=not _OPERATORS.search(s))
    if lic is not None:
        return _from_tree(raw, _Leaf(s, lic), method)
    if _OPERATORS.search(s):
        tree = _parse(s)
        if tree is None:
            return Classification(raw, None, None, "unknown", "unparsable",
                                  f"'{s}' is not a valid licence expression")
        return _from_tree(raw, tree, "spdx-expression")
    if "/" in s:  # "MIT/Apache-2.0" as written in many READMEs means a choice
        parts = [p for p in _SLASH.split(s) if p]
        resolved = [_lookup(p)[0] for p in parts]
        if len(parts) > 1 and all(resolved):
            tree_or = _Node("OR", tuple(_Leaf(p, r) for p, r in zip(parts, resolved, strict=True)))
            return _from_tree(raw, tree_or, "spdx-expression")
    # A single SPDX symbol license_expression can normalise (GPL-2.0+). Prose such as
    # "Apache-2.0 for the weights" holds spaces and no operator, so it cannot be one symbol:
    # it is not handed to the parser.
    tree = _parse(s) if not _SPACE.search(s) else None
    if isinstance(tree, _Leaf) and tree.license is not None:
        return _from_tree(raw, tree, "spdx-expression")
    return Classification(raw, None, None, "unknown", "unknown",
                          f"'{s}' is not a licence id, expression or name openscope knows")


def _tree_of(c: Classification) -> _Tree:
    if c.expression and _OPERATORS.search(c.expression):
        t = _parse(c.expression)
        if t is not None:
            return t
    return _Leaf(c.raw, c.license)


def _leaf_status(leaf: _Leaf, ct: ContentType) -> tuple[Openness, str, Clause | None]:
    lic = leaf.license
    if lic is None:
        return "unknown", _leaf_reason(None, leaf.raw), None
    if lic.openness == "unknown":
        return "unknown", _leaf_reason(lic, leaf.raw), None
    if ct in lic.open_for:
        return "open", f"{lic.id} is {_kind_phrase(lic)}, open for {ct}", _grant_clause(lic)
    if lic.open_for and ct in ("data", "document"):
        # An open licence grants use, study, modification and sharing whatever it was
        # written for (the Model Openness Tool and OSAID accept it for weights and data);
        # the MOF's preference for data-specific terms is advice, reported by the MOF.
        return ("open", f"{lic.id} is {_kind_phrase(lic)}, open (written for "
                f"{', '.join(sorted(lic.open_for))}, used here for {ct})", _grant_clause(lic))
    if lic.open_for:
        need = {"code": "an OSI-approved licence",
                "data": "an open data licence, a permissive licence or OpenMDW",
                "document": "an open content licence"}[ct]
        return ("restricted",
                f"{lic.id} is {_kind_phrase(lic)} but not an open licence for {ct} "
                f"(the MOF asks for {need})", None)
    clause = deciding_clause(lic)
    why = f" - {clause.topic} ({clause.section})" if clause else ""
    return "restricted", f"{lic.id} is {_kind_phrase(lic)}{why}", clause


def _status(t: _Tree, ct: ContentType) -> tuple[Openness, str, Clause | None]:
    if isinstance(t, _Leaf):
        return _leaf_status(t, ct)
    if t.op == "WITH":
        return _status(t.children[0], ct)
    results = [_status(c, ct) for c in t.children]
    overall = _combine(t.op, [r[0] for r in results])
    deciding = next((r for r in results if r[0] == overall), results[0])
    rule = "one operand of OR" if t.op == "OR" else "AND needs every operand"
    return overall, f"{_render(t)}: {rule}: {deciding[1]}", deciding[2]


def component_status(
    c: Classification, content_type: ContentType
) -> tuple[Openness, str, Clause | None]:
    """Openness of a component of ``content_type`` under the classified licence.

    Returns ``(status, reason, clause)``: ``open`` when the licence counts as open for
    that content type (MOF rules: OSI licences for code, open data/content licences for
    data and documents, permissive licences and OpenMDW for all), ``restricted`` with the
    deciding clause (e.g. the Llama 3.1 700M MAU section) when it does not, ``unknown``
    when the licence is not identified or unspecified.
    """
    if content_type not in ("code", "data", "document"):
        raise ValueError(f"content_type must be code, data or document, not {content_type!r}")
    return _status(_tree_of(c), content_type)


def _fit(t: _Tree, ct: ContentType) -> bool:
    if isinstance(t, _Leaf):
        lic = t.license
        return lic is not None and ct in lic.open_for and ct in lic.suits
    if t.op == "WITH":
        return _fit(t.children[0], ct)
    fits = [_fit(ch, ct) for ch in t.children]
    return any(fits) if t.op == "OR" else all(fits)


def type_fit(c: Classification, content_type: ContentType) -> bool:
    """Strict MOF type appropriateness: an open licence made for this content type.

    Code needs an open code licence, data and weights an open data licence (or OpenMDW),
    documents an open content licence. ``OR`` fits if any operand fits, ``AND`` if all do.
    """
    return _fit(_tree_of(c), content_type)
