"""The precomputed lookup data (``scripts/build_derived_data.py``) is current, and is
ignored (recomputed at run time) when it no longer matches what it was computed from."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from tests.licenses._paths import REPO

from openscope.licenses import kb, spdx_table

DATA = REPO / "src" / "openscope" / "licenses" / "data"
STALE = "stale: run PYTHONPATH=src python3 scripts/build_derived_data.py"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_derived_data", REPO / "scripts" / "build_derived_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_keys_are_those_of_the_shipped_knowledge_base() -> None:
    shipped = json.loads((DATA / kb.KEYS_FILE).read_text(encoding="utf-8"))
    assert shipped == _script().keys_data(), STALE


def test_the_knowledge_base_answers_alike_with_and_without_the_shipped_keys(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with_file = kb.load()
    kb.load.cache_clear()
    monkeypatch.setattr(kb, "KEYS_FILE", "no-such-file.json")
    try:
        computed = kb.load()
        assert {k: v.id for k, v in computed.by_key.items()} == {
            k: v.id for k, v in with_file.by_key.items()}
    finally:
        kb.load.cache_clear()


def test_keys_computed_from_another_knowledge_base_are_ignored() -> None:
    lics = kb.load().licenses
    text = (DATA / "licenses.json").read_text(encoding="utf-8")
    assert kb._shipped_keys(text, lics) is not None
    assert kb._shipped_keys(text + " ", lics) is None


def test_the_symbol_words_match_the_installed_license_expression() -> None:
    """Shipped words are used only for the index they were computed from; the words in use
    are always those of the installed index (shipped or computed)."""
    index = spdx_table.spdx_index()
    assert index is not None
    fresh = spdx_table.compute_symbol_words(index.read_text(encoding="utf-8"))
    in_use = spdx_table.symbol_words()
    assert in_use == {first: tuple(frozenset(w) for w in sets) for first, sets in fresh.items()}
    shipped = json.loads((DATA / spdx_table.SYMBOL_WORDS_FILE).read_text(encoding="utf-8"))
    if shipped["index_sha256"] == _script().symbol_words_data()["index_sha256"]:
        assert shipped["words"] == fresh, STALE


def test_every_derived_file_is_package_data() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"licenses/data/*.json"' in pyproject
    for name in (kb.KEYS_FILE, spdx_table.SYMBOL_WORDS_FILE):
        assert Path(DATA / name).is_file()
