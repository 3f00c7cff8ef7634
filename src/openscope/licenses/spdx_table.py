"""license_expression's SPDX table, built only for strings that may hold an SPDX symbol.

Building ``get_spdx_licensing()`` costs ~40 ms, a seventh of a small audit, while most
strings that reach the expression parser are prose ("the code and this card"). The tokenizer
matches a known symbol only as a run of whole words (split at spaces and parens, any case),
so every word of a symbol it matches is a word of the expression. When no symbol's words
all are, every symbol is unknown to both tables and the operators-only ``Licensing()`` parses
the string exactly as the SPDX table would (tested on generated strings and on every licence
string the recorded Hub declares).

The symbols' words are shipped precomputed (``scripts/build_derived_data.py``) with the
digest of the index they were computed from, and used only while it matches the installed
license-expression; otherwise they are computed from that index.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from openscope import lazyre

#: The shipped symbol words, in ``openscope/licenses/data/``.
SYMBOL_WORDS_FILE = "spdx-symbol-words.json"
#: A word as license_expression's tokenizer splits words: anything but space and parens.
_TOKEN_WORD = lazyre.compile(r"[^\s()]+")


@lru_cache(maxsize=1)
def spdx_licensing():  # type: ignore[no-untyped-def]
    """license_expression's full SPDX table (built once, on first need)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=1)
def keywords_only():  # type: ignore[no-untyped-def]
    """A table with no symbols: only the operators AND, OR, WITH and parentheses."""
    from license_expression import Licensing

    return Licensing()


def spdx_index() -> Path | None:
    """license_expression's vendored licence index, found without importing the package."""
    spec = importlib.util.find_spec("license_expression")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data" / "scancode-licensedb-index.json"


def compute_symbol_words(index_text: str) -> dict[str, list[list[str]]]:
    """The words of each SPDX key and alias of the index (lowercased), by first word, as
    ``get_spdx_licensing`` reads the index: keys of entries with an SPDX key, and their
    other SPDX keys as aliases."""
    entries = json.loads(index_text)
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for entry in entries if isinstance(entries, list) else ():
        key = entry.get("spdx_license_key") if isinstance(entry, dict) else None
        for name in (key, *(entry.get("other_spdx_license_keys") or ())) if key else ():
            words = _TOKEN_WORD.findall(str(name).lower())
            if words:
                by_first.setdefault(words[0], set()).add(tuple(sorted(set(words))))
    return {first: [list(w) for w in sorted(sets)] for first, sets in sorted(by_first.items())}


@lru_cache(maxsize=1)
def symbol_words() -> dict[str, tuple[frozenset[str], ...]] | None:
    """The words of each SPDX symbol, by first word: shipped when computed from the index
    installed here, computed from it otherwise; ``None`` if the index is not where this
    version keeps it (then every expression goes to the full table)."""
    index = spdx_index()
    try:
        text = index.read_text(encoding="utf-8") if index is not None else None
    except OSError:
        text = None
    if text is None:
        return None
    words: Any = None
    try:
        shipped = json.loads(resources.files("openscope.licenses").joinpath(
            "data", SYMBOL_WORDS_FILE).read_text(encoding="utf-8"))
        if shipped.get("index_sha256") == hashlib.sha256(text.encode("utf-8")).hexdigest():
            words = shipped["words"]
    except (OSError, ValueError, AttributeError, KeyError):
        words = None
    if not isinstance(words, dict):
        try:
            words = compute_symbol_words(text)
        except ValueError:
            return None
    return {first: tuple(frozenset(w) for w in sets) for first, sets in words.items()} or None


def licensing_for(expression: str):  # type: ignore[no-untyped-def]
    """The full SPDX table, or the operators-only one when no SPDX key or alias can occur
    in ``expression`` (both parse it alike then: see the module docstring)."""
    table = symbol_words()
    if table is None:
        return spdx_licensing()
    words = set(_TOKEN_WORD.findall(expression.lower()))
    for word in words:
        if any(symbol <= words for symbol in table.get(word, ())):
            return spdx_licensing()
    return keywords_only()
