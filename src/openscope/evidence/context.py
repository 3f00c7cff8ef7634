"""What every extractor reads: the snapshot, its parsed card and merged card metadata."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from openscope.evidence.card import Card, parse_card
from openscope.snapshot import Snapshot


@dataclass(frozen=True)
class Context:
    """A snapshot with its card parsed once for all extractors."""

    snapshot: Snapshot

    @cached_property
    def card(self) -> Card | None:
        """The parsed card, or ``None`` when there is none or it could not be read as text."""
        doc = self.snapshot.card()
        if doc is None or doc.text is None:
            return None
        return parse_card(doc.path, doc.text)

    @cached_property
    def card_data(self) -> dict[str, Any]:
        """Card metadata: the card's own front matter, else the Hub record's ``cardData``."""
        if self.card is not None and self.card.metadata:
            return self.card.metadata
        data = self.snapshot.metadata.get("cardData")
        return dict(data) if isinstance(data, dict) else {}

    @property
    def card_path(self) -> str | None:
        """Path of the card document, if any."""
        return self.card.path if self.card is not None else None

    def meta_location(self, key: str) -> tuple[str | None, int | None, str | None]:
        """(path, line, key) for a card metadata key: the card line, else the API field."""
        if self.card is not None and key in self.card.metadata:
            return self.card.path, self.card.line_of(key), key
        return None, None, f"cardData.{key}"

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Hub tags from the API record (empty when not recorded)."""
        tags = self.snapshot.metadata.get("tags")
        return tuple(str(t) for t in tags) if isinstance(tags, list) else ()

    def docs_text(self) -> list[tuple[str, str]]:
        """(path, text) of every text document read."""
        return [(d.path, d.text) for d in self.snapshot.documents if d.text is not None]
