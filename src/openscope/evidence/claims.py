"""Openness claims the release makes about itself ("open source", "fully open", "open").

These facts feed the open-washing flags: a claim is compared with the verdicts later, never
judged here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe

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
        # Every claim says "open": scan only the lines that do (cheap on long cards).
        seen: set[str] = set()
        for line_no, line in _lines_with(card.body, "open"):
            for claim, pattern in CLAIMS:
                if claim in seen:
                    continue
                m = pattern.search(line)
                if m:
                    seen.add(claim)
                    yield Fact(f"claim.{claim}", m.group(0), "declared", path=card.path,
                               line=card.body_line + line_no - 1, snippet=snippet(line))
    for tag in ctx.tags + tuple(str(t) for t in ctx.card_data.get("tags") or []
                                if isinstance(ctx.card_data.get("tags"), list)):
        if re.fullmatch(r"open[-_ ]?source", tag, re.I):
            yield Fact("claim.open-source", tag, "declared", key="tags", snippet=tag)
    name = ctx.snapshot.ref.rsplit("/", 1)[-1]
    if re.search(r"open[-_]?source", name, re.I):
        yield Fact("claim.open-source", name, "declared", key="name", snippet=name)


def _lines_with(text: str, word: str) -> list[tuple[int, str]]:
    """(1-based line number, line) of the lines containing ``word``, case-insensitively."""
    lower = text.lower()
    out = []
    pos = lower.find(word)
    while pos != -1:
        start = lower.rfind("\n", 0, pos) + 1
        end = lower.find("\n", pos)
        end = len(lower) if end == -1 else end
        out.append((lower.count("\n", 0, start) + 1, text[start:end][:5000]))
        pos = lower.find(word, end)
    return out

PROBES = (
    Probe("claims.openness", "Does the release call itself open?",
          ("claim.fully-open", "claim.open-source", "claim.open-weights", "claim.open-model"),
          "Sentences in the card where the release (this model, we, the name) is described as "
          "open source / open weights / fully open, `open-source` tags, the repository name.",
          "Comparisons with open models are not claims; see the module for the rules."),
)
