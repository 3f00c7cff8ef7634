"""Module-level regular expressions compiled on first use, not at import.

Python compiles a pattern in pure Python; openscope's probes hold a few hundred, and
compiling them all at import was a third of a small audit's run time, although an audit uses
about half of them. :func:`compile` returns a stand-in that compiles on its first method call
and then binds the real pattern's methods on itself, so later calls cost what a real pattern's
do. Use it only for patterns called through their methods and attributes (``search``,
``sub``, ``pattern``, ...): the stand-in is not a :class:`re.Pattern` for ``isinstance`` or
for the ``re.*`` functions.
"""

from __future__ import annotations

import re
from typing import Any, cast

_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
          "pattern", "flags", "groups", "groupindex", "scanner")


#: Every stand-in made, so a test can compile them all (a typo in a pattern fails at first
#: use, not at import).
MADE: list[_LazyPattern] = []


class _LazyPattern:
    """Compiles ``pattern`` on first attribute use; then holds the real methods itself."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        MADE.append(self)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names not yet bound: the first use, or a name outside _BOUND.
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        real = re.compile(*self._source)
        for bound in _BOUND:
            setattr(self, bound, getattr(real, bound))
        return getattr(real, name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self._source[0]!r}, {self._source[1]!r})"


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A pattern like ``re.compile(pattern, flags)``, compiled when first used.

    >>> word = compile(r"\\bopen\\w*", re.I)
    >>> word.findall("Open weights, openly licensed")
    ['Open', 'openly']
    >>> word.pattern
    '\\\\bopen\\\\w*'
    """
    return cast("re.Pattern[str]", _LazyPattern(pattern, int(flags)))


def compile_all() -> int:
    """Compile every stand-in made so far (the test of the patterns); returns how many."""
    for lazy in MADE:
        lazy.search  # noqa: B018 (the first attribute use compiles)
    return len(MADE)
