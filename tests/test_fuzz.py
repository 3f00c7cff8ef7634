"""Property-based fuzzing of the four parsers that meet hostile input (issue 15).

Seeds are real cards and Hub records from ``../shared/hub``; hypothesis mutates them
(splices, repeated runs, control characters, lone surrogates, wrong types) and each target
must return or raise only its documented error. The suite runs a brief budget; for a long
run outside the suite: ``FUZZ_EXAMPLES=1000000 python3 -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from openscope.census.partition import validate
from openscope.errors import InputError
from openscope.evidence.card import parse_card
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Document, FileEntry, Snapshot
from openscope.testing.fuzzseeds import NASTY, real_seeds

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


CARDS, RECORDS = real_seeds(SHARED / "hub", 40, lines=4000)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A seed card with slices spliced, repeated or replaced by hostile runs."""
    text = draw(st.sampled_from(CARDS))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=40)))
        text = text[:i] + piece * draw(st.integers(1, 200)) + text[i:]
    return text


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(NASTY),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


@st.composite
def mutated_record(draw: st.DrawFn) -> dict[str, Any]:
    """A seed Hub record with some keys replaced by values of any type."""
    record = dict(draw(st.sampled_from(RECORDS)))
    keys = [*record, "tags", "cardData", "config", "baseModels", "siblings", "links",
            "lastModified", "safetensors", "gated"]
    for _ in range(draw(st.integers(1, 5))):
        record[draw(st.sampled_from(keys))] = draw(_JSONISH)
    return record


@FUZZ
@given(mutated_text())
def test_card_parser_never_raises(text: str) -> None:
    card = parse_card("README.md", text)
    assert isinstance(card.metadata, dict)


@FUZZ
@given(mutated_record(), st.one_of(st.none(), mutated_text()))
def test_pipeline_never_raises(record: dict[str, Any], card: str | None) -> None:
    siblings = record.get("siblings")
    files = tuple(FileEntry(s["rfilename"], None) for s in siblings
                  if isinstance(s, dict) and isinstance(s.get("rfilename"), str)) \
        if isinstance(siblings, list) else None
    docs = (Document("README.md", card, len(card)),) if card is not None else ()
    snap = Snapshot(ref="hf:org/model", source="hub", files=files, documents=docs,
                    metadata=record)
    report = audit_snapshot(snap)
    report.to_json().encode("utf-8", "surrogateescape")


@FUZZ
@given(mutated_record(), _JSONISH)
def test_snapshot_loader_raises_only_input_error(record: dict[str, Any], files: Any) -> None:
    data = Snapshot(ref="hf:org/model", source="hub").to_dict()
    data.update(metadata=record, files=files)
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return
    with contextlib.suppress(InputError):
        Snapshot.from_json(text)


@FUZZ
@given(st.one_of(mutated_record().map(lambda r: json.dumps(r)),
                 st.text(max_size=200), mutated_text()))
def test_census_record_parser_never_raises(line: str) -> None:
    record, error, _rid = validate(line)
    assert (record is None) == (error is not None)
