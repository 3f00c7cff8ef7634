"""Types of the licence knowledge base. Pure data; no lookups here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Content types as the Model Openness Framework uses them.
ContentType = Literal["code", "data", "document"]
CONTENT_TYPES: tuple[ContentType, ...] = ("code", "data", "document")

#: Licence-level openness: ``open`` (grants use for any purpose, study, modification and
#: redistribution), ``restricted`` (non-commercial, field-of-use, user caps, no-derivatives,
#: research only, vendor community terms), ``unknown`` (not identified or unspecified).
Openness = Literal["open", "restricted", "unknown"]


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of a licence that decides an openness question, cited as evidence."""

    topic: str  # e.g. "user-threshold", "use-restrictions", "non-commercial"
    section: str  # e.g. "2. Additional Commercial Terms"
    text: str  # short quotation or faithful paraphrase


@dataclass(frozen=True, slots=True)
class LicenseTerms:
    """The terms that matter for openness. ``None`` means not known for this licence."""

    commercial_use: bool | None = None
    modification: bool | None = None
    redistribution: bool | None = None
    use_restrictions: bool | None = None  # field-of-use / acceptable-use restrictions
    user_threshold: str | None = None  # e.g. "700M monthly active users"
    revenue_threshold: str | None = None  # e.g. "US$1M annual revenue"
    attribution: bool | None = None
    share_alike: bool | None = None
    naming_requirement: bool | None = None  # derivatives must carry a name or display
    output_training_restriction: bool | None = None  # no use of outputs to train other models
    acceptance_required: bool | None = None  # click-through / agreement / gating


@dataclass(frozen=True, slots=True)
class License:
    """One licence of the knowledge base."""

    id: str  # canonical: the SPDX id when there is one, else the Hugging Face id, else LicenseRef-
    name: str
    kind: str  # e.g. osi-approved-open-source, open-data, ai-vendor-community-license, ...
    spdx_id: str | None = None
    hf_id: str | None = None
    osi_approved: bool = False
    fsf_libre: bool = False
    open_for: frozenset[str] = field(default_factory=frozenset)  # content types it opens
    suits: frozenset[str] = field(default_factory=frozenset)  # content types it is made for
    terms: LicenseTerms = field(default_factory=LicenseTerms)
    clauses: tuple[Clause, ...] = ()
    url: str | None = None
    sources: tuple[str, ...] = ()
    # optional additions (openscope.licenses knowledge base)
    aliases: tuple[str, ...] = ()  # other spellings and ids that name this licence
    note: str | None = None  # caveat worth showing a reader
    use_policy: str | None = None  # id of the use policy the licence incorporates
    policy_of: str | None = None  # for kind ``use-policy``: the licence it belongs to
    deprecated: bool = False  # deprecated SPDX id
    fsf_osi_source: str | None = None  # where the OSI/FSF flags come from

    @property
    def openness(self) -> Openness:
        """``open`` if it opens any content type, ``unknown`` for unspecified kinds."""
        if self.open_for:
            return "open"
        if self.kind in ("unspecified", "family", "unknown", "spdx-unclassified"):
            return "unknown"
        return "restricted"


@dataclass(frozen=True, slots=True)
class Classification:
    """The result of classifying one declared licence string or expression."""

    raw: str
    license: License | None  # the licence when a single one was identified
    expression: str | None  # normalised SPDX-style expression, when one was parsed
    openness: Openness
    method: str  # hf-id, spdx-id, spdx-expression, alias, license-name, unknown
    reason: str
    members: tuple[License, ...] = ()  # licences of an expression


@dataclass(frozen=True, slots=True)
class Identification:
    """The result of identifying a licence from its text."""

    id: str | None  # None when nothing matched confidently
    name: str | None
    confidence: float  # 0..1
    candidates: tuple[tuple[str, float], ...]  # closest ids with scores, best first
    method: str  # fingerprint, title, notice, spdx-line, scancode, none
    license: License | None = None
