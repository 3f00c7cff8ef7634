"""Training-data mix tables: which of the sources a card lists are pointed to, which not.

Pretraining cards often give the data mix as a table ("Data source | Fraction | Tokens").
When some rows link their source (a dataset page) and others do not ("Books", "Code",
"Conversations"), the card discloses the mix only in part: the unlinked rows are named but
not published. A table whose rows are all unlinked usually describes the parts of one
published corpus, and says nothing either way, so only mixed tables count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openscope import lazyre

_SOURCE_HEADER = lazyre.compile(r"\b(?:data(?:[ \t]*sets?)?|sources?|corpus|corpora|subsets?|"
                                r"domains?|collections?)\b", re.I)
_SHARE_HEADER = lazyre.compile(r"fraction|proportion|percent|%|\btokens?\b|\bweights?\b|"
                               r"\bratio\b|\bshare\b|\bsampling\b|\bepochs?\b|\bmix\b", re.I)
_LINK = lazyre.compile(r"\]\([^)\s]{1,400}\)|https?://|<a\s", re.I)
_LINK_TEXT = lazyre.compile(r"!?\[([^\]]{0,200})\]\([^)]{0,400}\)|<[^>]{0,300}>|[*_`]")
_RULE_CELL = lazyre.compile(r"^\s*:?-{2,}:?\s*$")
#: Rows at most looked at per table (hostile cards may hold huge tables).
MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class MixTable:
    """A data-mix table: its line (0-based, in the text given), rows, and unlinked names."""

    line: int
    rows: int
    linked: int
    unlinked: tuple[str, ...]


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _name(cell: str) -> str:
    return " ".join(_LINK_TEXT.sub(lambda m: m.group(1) or "", cell).split())


def mix_tables(text: str, available: frozenset[str] = frozenset()) -> list[MixTable]:
    """The data-mix tables of ``text`` that link some sources and not others.

    A row counts as pointed to when its first cell holds a link, or names one of the
    ``available`` datasets (their names, lowercased, e.g. the last part of a Hub id).

    >>> card = '''| Data source | Fraction |
    ... |---|---|
    ... | [Web](https://huggingface.co/datasets/org/web) | 80% |
    ... | Books | 20% |'''
    >>> [(t.rows, t.linked, t.unlinked) for t in mix_tables(card)]
    [(2, 1, ('Books',))]
    """
    lines = text.split("\n")  # not splitlines: line numbers must match the card's
    found: list[MixTable] = []
    i = 0
    while i < len(lines) - 2:
        header = lines[i]
        if not (header.lstrip().startswith("|") and all(
                _RULE_CELL.match(c) for c in _cells(lines[i + 1]) if c)
                and lines[i + 1].strip().startswith("|")):
            i += 1
            continue
        heads = _cells(header)
        start = i
        i += 2
        rows: list[list[str]] = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            if len(rows) < MAX_ROWS:
                rows.append(_cells(lines[i]))
            i += 1
        if not heads or not _SOURCE_HEADER.search(heads[0]) or not any(
                _SHARE_HEADER.search(h) for h in heads[1:]):
            continue
        linked, unlinked = 0, []
        for row in rows:
            name = _name(row[0]) if row else ""
            if not name:
                continue
            if _LINK.search(row[0]) or name.lower() in available:
                linked += 1
            else:
                unlinked.append(name[:80])
        if linked and unlinked:
            found.append(MixTable(start, linked + len(unlinked), linked, tuple(unlinked)))
    return found
