"""Evidence: pure functions from a Snapshot to facts with provenance.

One module per kind of evidence; :func:`extract` runs them all. Extractors never raise on
bad content: a card that cannot be parsed yields a ``card.problem`` fact instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from openscope.evidence import (
    claims,
    code,
    compute,
    data,
    documentation,
    ethics,
    license_decl,
    lineage_prose,
    linked_code,
    metadata,
    research,
    weights,
)
from openscope.evidence.context import Context
from openscope.evidence.facts import Evidence, Fact
from openscope.snapshot import Snapshot

Extractor = Callable[[Context], Iterable[Fact]]

#: Every extractor, in report order.
EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("metadata", metadata.extract),
    ("lineage_prose", lineage_prose.extract),
    ("licenses", license_decl.extract),
    ("weights", weights.extract),
    ("code", code.extract),
    ("linked_code", linked_code.extract),
    ("data", data.extract),
    ("research", research.extract),
    ("documentation", documentation.extract),
    ("ethics", ethics.extract),
    ("claims", claims.extract),
    ("compute", compute.extract),
)


def extract(snapshot: Snapshot) -> Evidence:
    """All facts about ``snapshot``, from every extractor."""
    ctx = Context(snapshot)
    facts: list[Fact] = []
    for _name, extractor in EXTRACTORS:
        facts.extend(extractor(ctx))
    return Evidence(facts)


__all__ = ["EXTRACTORS", "Context", "Evidence", "Fact", "extract"]
