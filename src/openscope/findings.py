"""Findings: problems and disagreements worth a reader's attention, each with evidence.

Findings do not change statuses; they explain them (a licence conflict, an unreadable card,
a licence text that could not be identified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openscope.components.licensing import conflicts, licenses_for
from openscope.evidence.facts import Evidence


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: a stable id, a severity, a message and where to look."""

    id: str
    severity: str  # info | warning | error
    message: str
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"id": self.id, "severity": self.severity, "message": self.message,
                "evidence": list(self.evidence)}


def collect(evidence: Evidence) -> list[Finding]:
    """Findings from the evidence, in a stable order."""
    out: list[Finding] = []
    for fact in evidence.of("card.problem"):
        out.append(Finding("card-unreadable", "warning", f"card: {fact.value}",
                           (fact.location(),)))
    seen: set[tuple[str, str]] = set()
    for scope in ("weights", "code"):
        for a, b in conflicts(licenses_for(evidence, scope)):
            key = tuple(sorted(((a.id or "").lower(), (b.id or "").lower())))
            if key in seen:
                continue
            seen.add(key)  # type: ignore[arg-type]
            out.append(Finding(
                "license-conflict", "warning",
                f"licence statements disagree: {a.raw} ({a.level}) vs {b.raw} ({b.level}); "
                "the more restrictive one decides",
                tuple(f.location() for f in a.facts + b.facts),
            ))
    for fact in evidence.of("license.file"):
        if fact.attrs.get("read") and not fact.attrs.get("id") and \
                fact.attrs.get("scope") not in ("notice",):
            cands = ", ".join(f"{c[0]} ({c[1]})" for c in fact.attrs.get("candidates") or [])
            out.append(Finding("license-unidentified", "info",
                               f"{fact.path}: licence text not identified"
                               + (f"; closest: {cands}" if cands else ""),
                               (fact.location(),)))
    for fact in evidence.of("license.declared"):
        if fact.attrs.get("openness") == "unknown" and fact.value.lower() not in ("other",):
            out.append(Finding("license-unrecognised", "info",
                               f"declared licence {fact.value!r} is not a known id",
                               (fact.location(),)))
    return out
