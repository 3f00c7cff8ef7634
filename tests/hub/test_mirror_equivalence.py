"""``--mirror DIR`` and the Hub client through a server over ``DIR`` see the same release."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openscope.errors import OpenscopeError
from openscope.snapshot import Snapshot
from openscope.sources.hub import HubSource
from openscope.sources.many import collect_many
from openscope.sources.mirror import HubMirror, MirrorSource
from openscope.sources.options import SourceOptions
from openscope.sources.refs import parse_ref
from openscope.testing.hubserver import HubServer

from .conftest import FAST, MIRROR

pytestmark = pytest.mark.slow  # mirror-wide sample through a local Hub server


def sample_refs() -> list[str]:
    """A deterministic sample of >= 200 repos covering every kind of record in the mirror."""
    index = [json.loads(line) for line in (MIRROR / "index.jsonl").read_text().splitlines()]
    by: dict[tuple[str, bool], list[str]] = {}
    for entry in index:
        by.setdefault((entry["info"], entry["card"]), []).append(entry["id"])
    refs: list[str] = []
    for (_info, _card), ids in sorted(by.items()):
        step = max(1, len(ids) // 60)
        refs += [f"hf:{i}" for i in ids[::step][:60]]
    datasets = HubMirror(MIRROR).ids("dataset")
    refs += [f"hf-dataset:{d}" for d in datasets[:: max(1, len(datasets) // 40)][:40]]
    return refs


REFS = sample_refs()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Snapshot | OpenscopeError]]:
    cache = tmp_path_factory.mktemp("cache")
    with HubServer(MIRROR) as server:
        source = HubSource(endpoint=server.url, cache_dir=cache, retry=FAST, token="")
        results: list[Snapshot | OpenscopeError] = []
        # Many refs at once through the real client (16 threads).
        from concurrent.futures import ThreadPoolExecutor

        def one(ref: str) -> Snapshot | OpenscopeError:
            try:
                return source.collect(parse_ref(ref))
            except OpenscopeError as exc:
                return exc

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(one, REFS))
        yield results


def _comparable(snap: Snapshot) -> dict[str, Any]:
    data = snap.to_dict()
    data.pop("source")
    data.pop("retrieved_at")
    return data


def test_sample_is_large_and_varied() -> None:
    assert len(REFS) >= 200
    assert any(r.startswith("hf-dataset:") for r in REFS)


def test_snapshots_are_identical(served: list[Snapshot | OpenscopeError]) -> None:
    mirror = MirrorSource(MIRROR)
    errors = [r for r in served if isinstance(r, OpenscopeError)]
    assert not errors, [e.one_line() for e in errors[:3]]
    for ref, got in zip(REFS, served, strict=True):
        assert isinstance(got, Snapshot)
        assert got.source == "hf"
        expected = mirror.collect(parse_ref(ref))
        assert expected.source == "mirror" and expected.retrieved_at is None
        assert _comparable(got) == _comparable(expected), ref


def test_reports_are_identical(served: list[Snapshot | OpenscopeError]) -> None:
    pipeline = pytest.importorskip("openscope.pipeline")
    mirror = MirrorSource(MIRROR)
    for ref, got in zip(REFS, served, strict=True):
        assert isinstance(got, Snapshot)
        a = pipeline.audit_snapshot(got).data
        b = pipeline.audit_snapshot(mirror.collect(parse_ref(ref))).data
        for report in (a, b):
            report["subject"].pop("source", None)
            report["subject"].pop("retrieved_at", None)
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), ref


def test_collect_many_keeps_order_and_isolates_failures(tmp_path: Path) -> None:
    refs = ["hf:gpt2", "hf:nobody/missing", "hf-dataset:squad", "hf:bad ref!"]
    out = collect_many(refs, SourceOptions(mirror=MIRROR), jobs=4)
    assert isinstance(out[0], Snapshot) and out[0].ref == "hf:gpt2"
    assert isinstance(out[1], OpenscopeError) and getattr(out[1], "reason", "") == "not-found"
    assert isinstance(out[2], Snapshot) and out[2].kind == "dataset"
    assert isinstance(out[3], OpenscopeError)


def test_open_ref_with_mirror_option() -> None:
    from openscope.sources import open_ref

    snap = open_ref("hf:gpt2", SourceOptions(mirror=MIRROR))
    assert snap.source == "mirror" and snap.ref == "hf:gpt2"
    assert parse_ref("hf:gpt2").scheme == "hf-model"
