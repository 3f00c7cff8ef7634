"""Licence conflicts and laundering: pure functions over classifications.

* :func:`find_conflicts` reports declarations that disagree (card YAML ``apache-2.0`` vs a
  LICENSE file identified as MIT; card vs Hub API record), naming both sources.
* :func:`check_laundering` flags a derivative that declares a more permissive licence
  than its base model's licence allows, citing the base licence's flow-down clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openscope.licenses.classify import deciding_clause
from openscope.licenses.model import Classification, Clause, License

_RANK = {"open": 2, "restricted": 1, "unknown": 0}


def _clause_dict(c: Clause | None) -> dict[str, str] | None:
    return None if c is None else {"topic": c.topic, "section": c.section, "text": c.text}


def _label(c: Classification) -> str:
    if c.license is not None:
        return c.license.id
    return c.expression or c.raw


@dataclass(frozen=True, slots=True)
class LicenseConflict:
    """Two sources of one release declare licences that disagree."""

    source_a: str
    license_a: str
    openness_a: str
    source_b: str
    license_b: str
    openness_b: str
    severity: str  # "openness" (one open, one not) or "identity" (different licences)
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with sorted, stable keys."""
        return {
            "kind": "license-conflict",
            "message": self.message,
            "severity": self.severity,
            "a": {"source": self.source_a, "license": self.license_a,
                  "openness": self.openness_a},
            "b": {"source": self.source_b, "license": self.license_b,
                  "openness": self.openness_b},
        }


@dataclass(frozen=True, slots=True)
class LaunderingFinding:
    """A derivative declares a licence its base model's licence does not allow."""

    derivative_license: str
    derivative_openness: str
    base_license: str
    base_openness: str
    clause: Clause | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with sorted, stable keys."""
        return {
            "kind": "license-laundering",
            "message": self.message,
            "derivative": {"license": self.derivative_license,
                           "openness": self.derivative_openness},
            "base": {"license": self.base_license, "openness": self.base_openness},
            "clause": _clause_dict(self.clause),
        }


def _identity(c: Classification) -> frozenset[str] | None:
    """The set of licence ids a declaration names; None when nothing was identified."""
    if c.license is not None:
        return None if c.license.kind == "unspecified" else frozenset({c.license.id})
    ids = frozenset(m.id for m in c.members if m.kind != "unspecified")
    return ids or None


def find_conflicts(
    declarations: list[tuple[str, Classification]],
) -> list[LicenseConflict]:
    """Pairs of declarations that name different licences, each naming both sources.

    ``declarations`` are ``(source_label, classification)`` pairs, e.g.
    ``("README.md front matter: license", classify("apache-2.0"))`` and
    ``("LICENSE", classify(identify_text(text).id))``. Unidentified declarations
    (``unknown``, ``other``) never conflict: they say nothing. A use policy next to its
    licence is not a conflict. Declarations of the same licence by several sources are
    reported once per disagreeing pair, in input order.
    """
    out: list[LicenseConflict] = []
    seen: set[tuple[frozenset[str], frozenset[str]]] = set()
    items = [(src, c, _identity(c)) for src, c in declarations]
    for i, (src_a, ca, ida) in enumerate(items):
        if ida is None:
            continue
        for src_b, cb, idb in items[i + 1:]:
            if idb is None or ida == idb or ida & idb:
                continue
            if _is_policy_pair(ca.license, cb.license):
                continue
            key = (ida, idb)
            if key in seen:
                continue
            seen.add(key)
            severity = "openness" if ca.openness != cb.openness else "identity"
            la, lb = _label(ca), _label(cb)
            msg = (f"{src_a} declares {la} ({ca.openness}) but {src_b} declares {lb} "
                   f"({cb.openness})")
            out.append(LicenseConflict(src_a, la, ca.openness, src_b, lb, cb.openness,
                                       severity, msg))
    return out


def _is_policy_pair(a: License | None, b: License | None) -> bool:
    if a is None or b is None:
        return False
    return (a.kind == "use-policy" and a.policy_of == b.id) or (
        b.kind == "use-policy" and b.policy_of == a.id
    )


def _flow_down_clause(lic: License) -> Clause | None:
    for topic in ("flow-down", "use-restrictions", "non-commercial", "research-only"):
        for c in lic.clauses:
            if c.topic == topic:
                return c
    return deciding_clause(lic)


def check_laundering(
    derivative: Classification, base: Classification, share_alike: bool = True
) -> LaunderingFinding | None:
    """Flag a derivative declaring a more permissive licence than its base allows.

    A base under restrictive terms (a vendor community licence, an OpenRAIL licence,
    CC-BY-NC, a research licence) binds derivatives: when the derivative nevertheless
    declares an open licence (e.g. ``apache-2.0``), the finding cites the base licence's
    redistribution / flow-down clause. A derivative that grants commercial use its
    non-commercial base forbids (``cc-by-nc-4.0`` -> ``llama3``) is flagged too, and, with
    ``share_alike``, a derivative of a share-alike base (``CC-BY-SA-4.0``, GPL) under a
    licence without share-alike. Returns None when the base is open (and not share-alike)
    or unknown, when the derivative is not more open than the base, or when both name the
    same licence.
    """
    base_lic = base.license or (base.members[0] if base.members else None)
    if base_lic is None:
        return None
    same = _identity(derivative) is not None and _identity(derivative) == _identity(base)
    if same:
        return None
    if base.openness == "restricted" and derivative.openness == "open":
        restrictive = [m for m in (base.members or (base_lic,)) if m.openness == "restricted"]
        lic = restrictive[0] if restrictive else base_lic
        clause = _flow_down_clause(lic)
        where = f" ({clause.section})" if clause else ""
        msg = (f"derivative declares {_label(derivative)} (open) but its base model is under "
               f"{lic.id} ({lic.name}), whose terms bind derivatives{where}")
        return LaunderingFinding(_label(derivative), derivative.openness, _label(base),
                                 base.openness, clause, msg)
    child_lic = derivative.license
    if child_lic is None or base.license is None or base.openness == "unknown":
        return None
    if base_lic.terms.commercial_use is False and child_lic.terms.commercial_use is True:
        clause = next((c for c in base_lic.clauses if c.topic == "non-commercial"),
                      None) or deciding_clause(base_lic)
        where = f" ({clause.section})" if clause else ""
        msg = (f"derivative declares {child_lic.id}, which allows commercial use, but its "
               f"base model is under {base_lic.id} ({base_lic.name}), which forbids "
               f"it{where}")
        return LaunderingFinding(_label(derivative), derivative.openness, _label(base),
                                 base.openness, clause, msg)
    if share_alike and base_lic.terms.share_alike is True \
            and child_lic.terms.share_alike is False:
        clause = next((c for c in base_lic.clauses if c.topic in ("share-alike", "copyleft")),
                      None) or Clause("share-alike", "licence terms",
                                      f"{base_lic.name}: adaptations must be shared under "
                                      "the same or a compatible licence.")
        msg = (f"derivative declares {child_lic.id} (no share-alike) but its base model is "
               f"under {base_lic.id} ({base_lic.name}), whose share-alike terms require "
               f"derivatives under the same or a compatible licence ({clause.section})")
        return LaunderingFinding(_label(derivative), derivative.openness, _label(base),
                                 base.openness, clause, msg)
    return None
