"""The verdict key is complete: keyed verdicts equal each record's own audit.

* ~2,000 real records: the census row's verdict columns equal
  ``verdict_row(audit_snapshot(record_snapshot(record)))`` of the record itself;
* shuffling every non-key field between records changes no record's verdicts;
* the metadata the audit reads from a list record is exactly ``keyspec.READ_FIELDS``
  (plus the rich fields, whose presence sends a record to an individual audit).
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest

from census.conftest import read_rows
from openscope.census.keyspec import READ_FIELDS, RICH_FIELDS, record_snapshot
from openscope.census.verdicts import VERDICT_COLUMNS, audit_record, verdict_row
from openscope.evidence.metadata import model_types
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Snapshot

pytestmark = pytest.mark.slow  # a 20,000-record census


VERDICTS = [name for name, _ in VERDICT_COLUMNS]

# Records exercising every key field, besides the real ones.
EXTRA = [
    {"id": "org/open-source-model", "tags": ["license:mit"]},
    {"id": "org/x", "tags": ["Open-Source", "license:llama2", "gguf"]},
    {"id": "org/y", "tags": ["license:apache-2.0", "safetensors"], "gated": "manual"},
    {"id": "org/z", "tags": ["license:apache-2.0", "safetensors"], "gated": False},
    {"id": "org/w", "tags": ["base_model:finetune:meta-llama/Llama-2-7b", "license:other"]},
    {"id": "org/v", "tags": ["doi:10.1234/x", "license:cc-by-nc-4.0", "pytorch"]},
    {"id": "org/u", "tags": [], "private": True},
    {"id": "org/t", "tags": ["license:mit", "license:cc-by-nc-4.0", "tf", "jax"]},
    {"id": "org/s", "tags": ["region:us"], "disabled": True, "library_name": ""},
    {"id": "opensource"},
]


def _sample(records: list[dict[str, Any]], n: int = 2_000) -> list[int]:
    """Row numbers: the first row of every distinct tag signature, then a random spread."""
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        sig = json.dumps(sorted(t for t in rec.get("tags") or []
                                if not re.match(r"(dataset|arxiv|base_model):", t)))
        seen.setdefault(sig, i)
    picked = sorted(seen.values())[: n // 2]
    rng = random.Random(6)
    rest = [i for i in range(len(records)) if i not in set(picked)]
    picked += rng.sample(rest, n - len(picked))
    return sorted(picked)


def test_census_rows_equal_individual_audits(census20k: Path,
                                             records20k: list[dict[str, Any]]) -> None:
    rows = read_rows(census20k)
    sample = _sample(records20k)
    assert len(sample) == 2_000
    keys = {rows[i]["verdict_key"] for i in sample}
    assert len(keys) > 500  # the sample covers many distinct keys
    for i in sample:
        own = audit_record(records20k[i])
        census = {k: rows[i][k] for k in VERDICTS}
        assert census == own, records20k[i]["id"]


def test_key_covers_unusual_records(tmp_path: Path) -> None:
    from openscope.census import CensusOptions, run_census

    listing = tmp_path / "extra.jsonl"
    listing.write_text("\n".join(json.dumps(r) for r in EXTRA) + "\n")
    run_census(str(listing), tmp_path / "out", CensusOptions(workers=1))
    rows = read_rows(tmp_path / "out")
    for row, rec in zip(rows, EXTRA, strict=True):
        assert {k: row[k] for k in VERDICTS} == audit_record(rec), rec["id"]
    assert len({row["verdict_key"] for row in rows}) == len(EXTRA)  # all keys distinct


def _shuffled(records: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Records whose non-key fields are exchanged between records (key fields kept)."""
    rng = random.Random(seed)
    out = copy.deepcopy(records)
    for field in ("downloads", "likes", "createdAt", "lastModified"):
        values = [r.get(field) for r in out]
        rng.shuffle(values)
        for r, v in zip(out, values, strict=True):
            r[field] = v
    for field in ("library_name", "pipeline_tag"):  # values, keeping presence
        values = [r[field] for r in out if r.get(field)]
        rng.shuffle(values)
        it = iter(values)
        for r in out:
            if r.get(field):
                r[field] = next(it)
    # ids: swapped between records with the same name claim
    claim = re.compile(r"open[-_]?source", re.I)
    for flag in (True, False):
        group = [r for r in out if bool(claim.search(r["id"].rsplit("/", 1)[-1])) is flag]
        ids = [r["id"] for r in group]
        rng.shuffle(ids)
        for r, rid in zip(group, ids, strict=True):
            r["id"] = rid
    # values of dataset / arxiv / base_model tags, and the other (non-key) tags
    pools: dict[str, list[str]] = {"dataset:": [], "arxiv:": [], "base_model:": [], "": []}

    def kind(tag: str) -> str | None:
        for prefix in ("dataset:", "arxiv:", "base_model:"):
            if tag.startswith(prefix):
                return prefix if tag.count(":") == 1 else None
        if tag.startswith(("license:", "doi:")) or tag in {
                "safetensors", "pytorch", "gguf", "onnx", "tf", "jax", "keras", "tflite",
                "coreml", "mlx", "openvino"} or claim.fullmatch(tag) or tag in model_types():
            return None
        return ""

    for r in out:
        for t in r.get("tags") or []:
            k = kind(t)
            if k is not None:
                pools[k].append(t[len(k):])
    for pool in pools.values():
        rng.shuffle(pool)
    iters = {k: iter(v) for k, v in pools.items()}
    for r in out:
        tags = r.get("tags")
        if not tags:
            continue
        r["tags"] = [(k + next(iters[k])) if (k := kind(t)) is not None else t for t in tags]
    return out


def test_shuffling_non_key_fields_changes_no_verdict(records20k: list[dict[str, Any]]) -> None:
    records = records20k[:3_000] + EXTRA
    shuffled = _shuffled(records, seed=7)
    assert [r["id"] for r in shuffled] != [r["id"] for r in records]
    changed = 0
    for before, after in zip(records, shuffled, strict=True):
        changed += before != after
        assert audit_record(before) == audit_record(after), (before, after)
    assert changed > 2_500


class _Recording(dict[str, Any]):
    """Metadata that remembers which keys the audit reads."""

    read: ClassVar[set[str]] = set()

    def get(self, key: str, default: Any = None) -> Any:
        _Recording.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        _Recording.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _Recording.read.add(str(key))
        return super().__contains__(key)

    def __iter__(self) -> Any:
        _Recording.read.add("*")
        return super().__iter__()


def test_audit_reads_only_the_documented_fields(records20k: list[dict[str, Any]]) -> None:
    _Recording.read = set()
    for rec in records20k[:2_000] + EXTRA:
        snap = record_snapshot(rec)
        snap = Snapshot(ref=snap.ref, source=snap.source, files=None,
                        metadata=_Recording(snap.metadata), url=snap.url)
        verdict_row(audit_snapshot(snap))
    assert _Recording.read <= READ_FIELDS | set(RICH_FIELDS), _Recording.read - READ_FIELDS
