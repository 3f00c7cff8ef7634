"""The parser's fast path: strings in which no SPDX symbol can occur are parsed with an
operators-only table instead of building license_expression's SPDX table (~40 ms). The two
must parse every such string alike, or the fast path would change a verdict."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.licenses._paths import SHARED

from openscope.licenses import spdx_table

WORDS = ["the", "code", "this", "card", "weights", "MIT", "mit", "Apache-2.0", "apache",
         "2.0", "License", "GPL", "gpl-2.0+", "2.0+", "isc", "cc-by", "4.0", "for", "of",
         "and", "or", "with", "AND", "OR", "WITH", "(", ")", ",", "Classpath-exception-2.0",
         "LicenseRef-x", "llama", "community", "non-commercial", "é", "中文", "+", "/"]


def _outcome(licensing: object, text: str) -> str:
    try:
        return repr(licensing.parse(text, simple=False))  # type: ignore[attr-defined]
    except Exception as error:
        return f"error {type(error).__name__}"


def _same_where_fast(text: str) -> None:
    chosen = spdx_table.licensing_for(text)
    if chosen is spdx_table.spdx_licensing():
        return
    assert _outcome(chosen, text) == _outcome(spdx_table.spdx_licensing(), text), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=9),
       st.sampled_from([" ", "  ", "", "\t"]))
def test_generated_strings_parse_alike_on_the_fast_path(words: list[str], sep: str) -> None:
    _same_where_fast(sep.join(words))


def _declared_licences() -> Iterator[str]:
    """Every licence string the recorded Hub declares (card ``license``, ``license_name``,
    ``license:`` tags), and the prose lines of cards that name a licence."""
    for info in sorted((SHARED / "hub" / "models").glob("*/*/info.json")):
        record = json.loads(info.read_text(encoding="utf-8"))
        card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
        for value in (card.get("license"), card.get("license_name")):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    yield item
        for tag in record.get("tags") or ():
            if isinstance(tag, str) and tag.startswith("license:"):
                yield tag[8:]
    for readme in sorted((SHARED / "hub" / "models").glob("*/*/README.md")):
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
            if "licen" in line.lower() and len(line) < 200:
                yield from (part.strip(" .;:*") for part in line.split(","))


@pytest.mark.slow
def test_every_declared_licence_of_the_recorded_hub_parses_alike() -> None:
    seen = set(_declared_licences())
    fast = [text for text in seen
            if spdx_table.licensing_for(text) is not spdx_table.spdx_licensing()]
    assert len(seen) > 600 and len(fast) > 400  # the fast path is taken, and checked
    for text in fast:
        _same_where_fast(text)


def test_a_string_with_an_spdx_symbol_takes_the_full_table() -> None:
    for text in ("MIT", "gpl  2.0+ or mit", "Apache-2.0 and MIT", "(BSD-3-Clause)"):
        assert spdx_table.licensing_for(text) is spdx_table.spdx_licensing()
    for text in ("the code and this card", "card", "weights and code"):
        assert spdx_table.licensing_for(text) is not spdx_table.spdx_licensing()
