"""Every regular expression that reads release text runs in linear time on hostile input.

A card is attacker-controlled: a pattern such as ``<!--.*?-->`` or a leading ``\\s*`` is
searched from every position of a long run and costs quadratic time (120 KB of ``<!--`` took
35 s). This test collects every pattern of ``openscope.evidence`` and ``openscope.licenses``
(module-level compiled patterns, tables of them, inline ``re.*`` literals and the licence
index's title patterns) and searches each over long runs of every character class and
pattern literal, ending in a failing tail, bounded in CPU time.
"""

from __future__ import annotations

import ast
import importlib
import re
import time
from typing import Any

import pytest

from conftest import REPO
from openscope import lazyre

PACKAGES = ("evidence", "licenses")
#: Length of each hostile string; a quadratic pattern costs seconds here, a linear one ms.
N = 30_000
#: Generous CPU-time bound for one search over one hostile string.
BOUND_S = 1.0
_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn",
          "split"}
#: Representatives of the character classes patterns use, and multi-character tokens.
_UNITS = (" ", "\t", "\n", " \n", "a", "Z", "0", "_", "-", ".", ",", ":", "/", "`", "é", "中",
          "<!--", "{{", "-->", "**", "](", "[a", "a ", "a:", "1.", "- ", "| ", "://a", "a-",
          "a b", "1 ", "# ", "#  ", "@misc{", "= {", "http://", "1.0 ", "a.", "A ")


def _collect(value: Any, out: dict[tuple[str, int], str], where: str, depth: int = 0) -> None:
    if isinstance(value, lazyre._LazyPattern):  # compiled on first use; same pattern
        value = re.compile(value.pattern, value.flags)
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        out.setdefault((value.pattern, value.flags), where)
    elif depth < 3 and isinstance(value, tuple | list | set | frozenset):
        for item in value:
            _collect(item, out, where, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            _collect(item, out, where, depth + 1)


def _flags(node: ast.expr | None) -> int:
    flags = 0
    if node is not None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(getattr(re, sub.attr, None),
                                                              re.RegexFlag):
                flags |= getattr(re, sub.attr)
    return flags


def all_patterns() -> dict[tuple[str, int], str]:
    """(pattern, flags) -> where it is defined, for every pattern of the two packages."""
    out: dict[tuple[str, int], str] = {}
    for package in PACKAGES:
        for path in sorted((REPO / "src" / "openscope" / package).glob("*.py")):
            name = f"openscope.{package}" + ("" if path.stem == "__init__" else f".{path.stem}")
            module = importlib.import_module(name)
            for key, value in vars(module).items():
                _collect(value, out, f"{path.name}:{key}")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                        and node.func.attr in _CALLS and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    continue
                flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
                pos = 1 if node.func.attr == "compile" else 3 if node.func.attr in (
                    "sub", "subn") else 2
                if flag_node is None and len(node.args) > pos + (node.func.attr in (
                        "sub", "subn")):
                    flag_node = node.args[-1]
                pattern = node.args[0].value
                out.setdefault((pattern, re.compile(pattern, _flags(flag_node)).flags),
                               f"{path.name}:{node.lineno}")
    from openscope.licenses import identify
    index = identify._index()
    for lid, rx in (*index.titles, *index.notices):
        out.setdefault((rx.pattern, rx.flags), f"licence index pattern {lid}")
    return out


def hostile_strings(pattern: str) -> list[str]:
    """Long runs of each class representative and literal character of ``pattern``, then a
    tail no pattern expects (a run that ends the text lets a pattern finish early)."""
    units = set(_UNITS) | {c for c in pattern if c.isprintable() and c != "\\"}
    out = []
    for unit in sorted(units):
        out.append((unit * (N // len(unit) + 1))[:N] + "\x01!")
    return out


PATTERNS = all_patterns()


def test_collects_the_patterns() -> None:
    """The collector sees the module tables, inline literals and the licence index."""
    wheres = " ".join(PATTERNS.values())
    assert len(PATTERNS) > 250
    assert "card.py:_FILLER" in wheres and "licence index pattern" in wheres
    # inline literals (``re.search(r"...", x)`` in a function) are collected by line number
    assert any(w.startswith("claims.py:") and w.split(":")[1].isdigit()
               for w in PATTERNS.values())
    # and the patterns moved from inline literals to module level are still collected
    assert "card.py:_EMPHASIS" in wheres and "card.py:_TITLE_LINK" in wheres


@pytest.mark.parametrize("key", sorted(PATTERNS), ids=lambda k: PATTERNS[k])
def test_pattern_is_linear_on_hostile_runs(key: tuple[str, int]) -> None:
    pattern, flags = key
    rx = re.compile(pattern, flags)
    for text in hostile_strings(pattern):
        start = time.process_time()
        for _ in rx.finditer(text):
            pass
        spent = time.process_time() - start
        assert spent < BOUND_S, (
            f"{PATTERNS[key]}: {spent:.2f} s CPU on {len(text)} chars of {text[:12]!r}…")


def test_card_of_unclosed_comments_is_fast() -> None:
    """The reported case: 120 KB of ``<!--`` through the card parser and section fill."""
    from openscope.evidence.card import parse_card

    text = "# Model\n\n" + "<!--" * 30_000 + "\n## Training data\n" + " " * 100_000 + "{" * 50_000
    start = time.process_time()
    card = parse_card("README.md", text)
    assert [s.filled for s in card.sections] == [False, False]
    assert time.process_time() - start < 2.0
