"""The probe table: every fact comes from a declared probe, and docs/probes.md is current."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE, REPO, SHARED, corpus_snapshot, hub_card_folders, hub_snapshot
from openscope import evidence
from openscope.evidence.probes import all_probes, markdown, probe_of
from openscope.pipeline import audit_snapshot
from openscope.sources import open_ref


@pytest.mark.slow  # 400 hub cards and the whole corpus
def test_every_emitted_kind_belongs_to_one_probe() -> None:
    snapshots = [open_ref(str(EXAMPLE))]
    snapshots += [corpus_snapshot(f) for f in sorted((SHARED / "corpus" / "releases").iterdir())]
    snapshots += [hub_snapshot(f) for f in hub_card_folders()[:400]]
    seen = {fact.kind for snap in snapshots for fact in evidence.extract(snap)}
    assert {k for k in seen if probe_of(k) is None} == set()
    declared = [k for p in all_probes() for k in p.emits]
    assert len(declared) == len(set(declared)), "a kind is declared by two probes"


def test_every_probe_is_documented_fully() -> None:
    ids = [p.id for p in all_probes()]
    assert len(ids) == len(set(ids))
    for p in all_probes():
        assert p.question.endswith("?"), p.id
        assert p.emits and p.how and p.false_positives and p.module, p.id


def test_generated_probe_docs_are_current() -> None:
    assert (REPO / "docs" / "probes.md").read_text(encoding="utf-8") == markdown(), (
        "docs/probes.md is stale: run python scripts/gen_probe_docs.py")


def test_report_facts_name_their_probe() -> None:
    report = audit_snapshot(open_ref(str(EXAMPLE)))
    facts = [f for c in report.data["components"] for f in c["evidence"]]
    assert facts and all(f.get("probe") for f in facts)
    json.dumps(report.data)
