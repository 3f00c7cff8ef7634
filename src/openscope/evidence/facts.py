"""The unit of evidence: a :class:`Fact` with its provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Method = Literal["declared", "detected", "inferred"]

#: How long a snippet may be in a report.
SNIPPET_CHARS = 160


@dataclass(frozen=True, slots=True)
class Fact:
    """One observation about a release, traceable to where it was seen.

    Attributes:
        kind: dotted name of what was observed, e.g. ``license.declared``,
            ``weights.file``, ``code.training``, ``research.arxiv``, ``doc.section``.
        value: the observed value, as a short string (a licence id, a path, an arXiv id).
        method: ``declared`` (the publisher states it, e.g. YAML ``license:``),
            ``detected`` (found in the release, e.g. a weight file, a licence text), or
            ``inferred`` (concluded from other signals, e.g. a path naming ``train``).
        path: the file in the release, when there is one.
        line: 1-based line in that file, when known.
        key: the metadata key or API field, when the fact comes from structured data.
        url: a URL a person can open, when the fact is a link or remote record.
        snippet: a short excerpt showing the evidence.
        attrs: extra structured detail (sorted when serialised).
    """

    kind: str
    value: str
    method: Method
    path: str | None = None
    line: int | None = None
    key: str | None = None
    url: str | None = None
    snippet: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    def location(self) -> str:
        """A human-readable pointer: ``README.md:12``, ``README.md [license]``, a URL."""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "")
            return where + (f" [{self.key}]" if self.key and not self.line else "")
        if self.key:
            return f"[{self.key}]"
        return self.url or ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, omitting empty fields."""
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "method": self.method}
        for name in ("path", "line", "key", "url"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.snippet:
            out["snippet"] = self.snippet
        if self.attrs:
            out["attrs"] = dict(sorted(self.attrs.items()))
        return out


def snippet(text: str) -> str:
    """Collapse whitespace and cut ``text`` to :data:`SNIPPET_CHARS`."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


class Evidence:
    """All facts extracted from one snapshot, with small query helpers."""

    __slots__ = ("facts",)

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.facts: tuple[Fact, ...] = tuple(facts)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def of(self, *kinds: str) -> list[Fact]:
        """Facts whose kind equals one of ``kinds`` or starts with ``kind + '.'``."""
        return [
            f for f in self.facts if any(f.kind == k or f.kind.startswith(k + ".") for k in kinds)
        ]

    def first(self, *kinds: str) -> Fact | None:
        """The first fact of one of ``kinds``, or ``None``."""
        found = self.of(*kinds)
        return found[0] if found else None

    def has(self, *kinds: str) -> bool:
        """Whether any fact of ``kinds`` exists."""
        return self.first(*kinds) is not None
