"""The examples in docstrings run (``>>>``): every module of ``src/openscope``."""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import REPO

SRC = REPO / "src"
MODULES = sorted(
    ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for p in (SRC / "openscope").rglob("*.py") if p.name != "__main__.py")


def test_there_are_doctests() -> None:
    finder = doctest.DocTestFinder()
    count = sum(len([t for t in finder.find(importlib.import_module(m)) if t.examples])
                for m in MODULES if m not in ("openscope.census.charts",))
    assert count >= 20


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} doctest(s) failed"
