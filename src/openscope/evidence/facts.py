"""The unit of evidence: a :class:`Fact` with its provenance."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
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

    @property
    def own(self) -> bool:
        """Whether the release presents this (paper, repository) as its own.

        Facts a probe judged carry ``attrs.own``; a fact without it is the release's own
        (a file in the release, a declared value).
        """
        return self.attrs.get("own", True) is True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, omitting empty fields."""
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "method": self.method}
        probe = _probe_of(self.kind)
        if probe:
            out["probe"] = probe
        for name in ("path", "line", "key", "url"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.snippet:
            out["snippet"] = self.snippet
        if self.attrs:
            out["attrs"] = dict(sorted(self.attrs.items()))
        return out


def _probe_of(kind: str) -> str | None:
    from openscope.evidence.probes import probe_of  # late: probes imports every extractor

    return probe_of(kind)


def snippet(text: str) -> str:
    """Collapse whitespace and cut ``text`` to :data:`SNIPPET_CHARS`."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


class Evidence:
    """All facts extracted from one snapshot, with small query helpers.

    Facts are indexed by kind and by every dotted prefix of it (``license`` finds
    ``license.declared`` and ``license.file``), so lookups stay cheap on large releases.
    """

    __slots__ = ("_index", "facts")

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.facts: tuple[Fact, ...] = tuple(facts)
        index: dict[str, list[Fact]] = {}
        for fact in self.facts:
            parts = fact.kind.split(".")
            for i in range(1, len(parts) + 1):
                index.setdefault(".".join(parts[:i]), []).append(fact)
        self._index = index

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def of(self, *kinds: str) -> list[Fact]:
        """Facts whose kind equals one of ``kinds`` or starts with ``kind + '.'``, in order."""
        index = self._index
        found = [index[k] for k in kinds if k in index]
        if not found:
            return []
        if len(found) == 1:
            return list(found[0])
        wanted = {id(f) for facts in found for f in facts}
        return [f for f in self.facts if id(f) in wanted]

    def first(self, *kinds: str) -> Fact | None:
        """The first fact of one of ``kinds``, or ``None``."""
        found = self.of(*kinds)
        return found[0] if found else None

    def has(self, *kinds: str) -> bool:
        """Whether any fact of ``kinds`` exists."""
        index = self._index
        return any(k in index for k in kinds)


class LineIndex:
    """Maps character offsets in a text to 1-based line numbers (binary search).

    Extractors search a whole document with one regex pass and convert match offsets to
    lines, instead of running every pattern on every line.
    """

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # line i+1 starts one past the end of line i: running sums of the line lengths
        starts = [0]
        starts.extend(accumulate(len(line) + 1 for line in text.split("\n")))
        starts.pop()
        self._starts = starts

    def line(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        return bisect_right(self._starts, offset)

    def line_text(self, offset: int) -> str:
        """The whole line holding ``offset`` (without its newline)."""
        i = bisect_right(self._starts, offset) - 1
        start = self._starts[i]
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]


@lru_cache(maxsize=16)
def line_index(text: str) -> LineIndex:
    """The :class:`LineIndex` of ``text``, built once however many extractors ask for it.

    A ``LineIndex`` is never changed after it is built, so the same one is shared.
    """
    return LineIndex(text)
