"""Openness claims the release makes about itself ("open source", "fully open", "open").

These facts feed the open-washing flags: a claim is compared with the verdicts later, never
judged here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, LineIndex, snippet

# (claim, pattern) strongest first; one fact per claim kind and location.
CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fully-open", re.compile(r"\b(fully|completely|truly|100%)[ -]open(?:[ -]source)?\b", re.I)),
    ("open-source", re.compile(r"\bopen[ -]?source[ds]?\b(?![ -]?(?:licen[cs]e|librar|code|"
                               r"software|tools?|project|framework|communit))", re.I)),
    ("open-weights", re.compile(r"\bopen[ -](weights?|model weights)\b", re.I)),
    ("open-model", re.compile(r"\b(open|openly[ -]available|openly[ -]released)[ -]"
                              r"(model|llm|language model|release)s?\b", re.I)),
)


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``claim.*`` facts from the card text, the tags and the repo name."""
    card = ctx.card
    if card is not None:
        lines = LineIndex(card.body)
        for claim, pattern in CLAIMS:
            m = pattern.search(card.body)
            if m:
                yield Fact(f"claim.{claim}", m.group(0), "declared", path=card.path,
                           line=card.body_line + lines.line(m.start()) - 1,
                           snippet=snippet(lines.line_text(m.start())))
    for tag in ctx.tags + tuple(str(t) for t in ctx.card_data.get("tags") or []
                                if isinstance(ctx.card_data.get("tags"), list)):
        if re.fullmatch(r"open[-_ ]?source", tag, re.I):
            yield Fact("claim.open-source", tag, "declared", key="tags", snippet=tag)
    name = ctx.snapshot.ref.rsplit("/", 1)[-1]
    if re.search(r"open[-_]?source", name, re.I):
        yield Fact("claim.open-source", name, "declared", key="name", snippet=name)
