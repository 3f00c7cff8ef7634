"""``openscope.lazyre``: module-level patterns compiled on first use behave as compiled ones,
and every one of them in the package compiles (a typo fails here, not in a user's audit)."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import openscope
from openscope import lazyre


def test_every_lazy_pattern_in_the_package_compiles() -> None:
    for info in pkgutil.walk_packages(openscope.__path__, "openscope."):
        importlib.import_module(info.name)
    assert lazyre.compile_all() >= 200


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    text = "Weights: Apache-2.0; code: MIT. See arXiv:2310.06825 and arXiv:2401.00001."
    source, flags = r"arxiv:(\d{4}\.\d{5})", re.I
    real, lazy = re.compile(source, flags), lazyre.compile(source, flags)
    assert lazy.findall(text) == real.findall(text)
    assert lazy.sub("<id>", text) == real.sub("<id>", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.search(text).group(1) == real.search(text).group(1)  # type: ignore[union-attr]
    assert (lazy.pattern, lazy.flags, lazy.groups) == (real.pattern, real.flags, real.groups)


def test_a_bad_pattern_fails_at_first_use() -> None:
    bad = lazyre.compile(r"(unclosed")
    with pytest.raises(re.error):
        bad.search("x")
