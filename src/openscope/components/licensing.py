"""Which licence governs which part of a release, from the licence facts.

A release states licences in several places: card YAML, Hub tags, LICENSE files (some scoped
by name, e.g. ``LICENSE_weights`` or ``LICENSE-CODE``), SPDX lines and README sections. For
each content scope (weights, code, documents, data) we pick the most specific statement,
falling back to release-wide ones, and keep every statement as evidence. When statements
disagree, the more restrictive one decides (and the disagreement becomes a finding).
"""

from __future__ import annotations

from dataclasses import dataclass

from openscope import licenses
from openscope.evidence.facts import Evidence, Fact

_RANK = {"restricted": 0, "unknown": 1, "open": 2}


@dataclass(frozen=True, slots=True)
class AppliedLicense:
    """The licence applied to one scope, with where it came from.

    ``level`` says which statement supplied it: ``scoped-file`` (a licence file named for this
    part), ``card`` (card YAML), ``hub-api`` (Hub tags), ``license-file`` (a release-wide
    licence file), ``spdx-line``, ``readme-section``, ``gate`` (the licence an access gate
    asks users to accept), ``code-repo`` (the licence of the release's own code repository,
    followed: code only).
    """

    id: str | None
    raw: str
    level: str
    facts: tuple[Fact, ...]
    classification: licenses.Classification

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        lic = self.classification.license
        return {
            "id": self.id,
            "raw": self.raw,
            "name": lic.name if lic else None,
            "openness": self.classification.openness,
            "level": self.level,
            "evidence": [f.location() for f in self.facts],
        }


def _statement(fact: Fact) -> tuple[str, str] | None:
    """(raw licence text, level) of a licence fact, or None when it names no licence."""
    if fact.kind == "license.declared":
        source = str(fact.attrs.get("source", "card"))
        return fact.value, ("hub-api" if source == "hub-api" else "card")
    if fact.kind in ("license.file", "license.section") and fact.attrs.get("id"):
        level = "readme-section" if fact.kind == "license.section" else "license-file"
        return str(fact.attrs["id"]), level
    if fact.kind == "license.file" and fact.attrs.get("scope", "all") not in ("all",):
        # A scoped licence file we could not identify still governs its scope: the
        # release-wide licence must not stand in for it.
        return fact.value, "license-file"
    if fact.kind == "license.spdx_line":
        return fact.value, "spdx-line"
    if fact.kind == "license.gate_terms" and fact.attrs.get("id"):
        return str(fact.attrs["id"]), "gate"
    if fact.kind == "license.repo" and fact.attrs.get("id"):
        return str(fact.attrs["id"]), "code-repo"
    return None


def licenses_for(evidence: Evidence, scope: str) -> list[AppliedLicense]:
    """Licence statements that govern ``scope`` (weights, code, document, data), best first."""
    scoped: list[AppliedLicense] = []
    general: list[AppliedLicense] = []
    for fact in evidence.of("license.declared", "license.file", "license.section",
                            "license.spdx_line", "license.gate_terms", "license.repo"):
        stmt = _statement(fact)
        if stmt is None:
            continue
        raw, level = stmt
        file_scope = str(fact.attrs.get("scope", "all"))
        if fact.kind == "license.file" and file_scope in ("policy", "notice", "subfolder"):
            continue
        c = _unidentified(raw) if raw == fact.value and fact.kind == "license.file" \
            else licenses.classify(raw)
        lic_id = c.license.id if c.license else c.expression
        applied = AppliedLicense(lic_id, raw, level, (fact,), c)
        if fact.kind == "license.file" and file_scope != "all":
            if _scope_matches(file_scope, scope):
                scoped.append(AppliedLicense(lic_id, raw, "scoped-file", (fact,), c))
            continue
        if fact.kind == "license.repo":
            # The licence of the release's own code repository (followed): code only,
            # and ahead of release-wide statements (a card's licence is the weights').
            if scope == "code":
                scoped.append(applied)
            continue
        if fact.kind == "license.spdx_line":
            if scope == "code":
                scoped.append(applied)
            continue
        subject = fact.attrs.get("subject") if fact.kind == "license.section" else None
        if subject in _SUBJECT_SCOPES:
            # "Code License: MIT" governs the code only; "Model license: X" the weights and
            # what ships with them.
            if scope in _SUBJECT_SCOPES[str(subject)]:
                scoped.append(AppliedLicense(lic_id, raw, "readme-section", (fact,), c))
            continue
        general.append(applied)
    return _merge(scoped) + _merge(general)


def decide(statements: list[AppliedLicense]) -> AppliedLicense | None:
    """The licence that decides a scope: the most specific level, most restrictive within it."""
    if not statements:
        return None
    pool = [s for s in statements if _specific(s) == _specific(statements[0])]
    identified = [s for s in pool if s.classification.openness != "unknown"] or pool
    return min(identified, key=lambda s: _RANK[s.classification.openness])


def conflicts(statements: list[AppliedLicense]) -> list[tuple[AppliedLicense, AppliedLicense]]:
    """Pairs of identified statements at the same scope that name different licences."""
    known = [s for s in statements if s.id and s.classification.openness != "unknown"]
    pairs = []
    for i, a in enumerate(known):
        for b in known[i + 1:]:
            # A scoped statement (LICENSE_weights) and a release-wide one (LICENSE) govern
            # different parts by design: that is split licensing, not a conflict.
            if _specific(a) != _specific(b):
                continue
            if a.id and b.id and a.id.lower() != b.id.lower():
                pairs.append((a, b))
    return pairs


#: What a licence statement scoped to a part of the release (``attrs.subject``) governs.
_SUBJECT_SCOPES: dict[str, frozenset[str]] = {
    "code": frozenset({"code"}),
    "model": frozenset({"weights"}),
    "data": frozenset({"data"}),
}


def _specific(s: AppliedLicense) -> bool:
    return s.level in ("scoped-file", "spdx-line", "code-repo") or (
        s.level == "readme-section" and any(f.attrs.get("subject") in _SUBJECT_SCOPES
                                            for f in s.facts))


def _unidentified(path: str) -> licenses.Classification:
    return licenses.Classification(
        raw=path, license=None, expression=None, openness="unknown",
        method="unidentified-text", reason=f"the licence text in {path} was not identified",
    )


def _scope_matches(file_scope: str, scope: str) -> bool:
    return file_scope == scope


def _merge(items: list[AppliedLicense]) -> list[AppliedLicense]:
    """Fold statements naming the same licence into one, keeping all their facts."""
    merged: dict[str, AppliedLicense] = {}
    order: list[str] = []
    for item in items:
        key = (item.id or item.raw).lower()
        if key in merged:
            prev = merged[key]
            merged[key] = AppliedLicense(prev.id, prev.raw, prev.level, prev.facts + item.facts,
                                         prev.classification)
        else:
            merged[key] = item
            order.append(key)
    return [merged[k] for k in order]
