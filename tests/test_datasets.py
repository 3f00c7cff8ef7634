"""Dataset releases: the card's licence governs the data components."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED
from openscope.pipeline import audit_snapshot
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions


def _mirror_snapshot(ref: str):  # type: ignore[no-untyped-def]
    return open_ref(ref, SourceOptions(mirror=SHARED / "hub"))


def test_dataset_card_licence_opens_the_datasets_component() -> None:
    report = audit_snapshot(_mirror_snapshot("hf-dataset:squad"))
    assert report.data["subject"]["kind"] == "dataset"
    datasets = report.component("Datasets")
    assert datasets["status"] == "open"
    assert datasets["license"]["id"] == "CC-BY-4.0"
    assert report.dimensions["data"]["status"] == "open"
    assert report.component("Data card")["available"] is True


@pytest.mark.slow  # every recorded dataset card
def test_every_recorded_dataset_card_audits() -> None:
    index = (SHARED / "hub" / "datasets" / "index.jsonl").read_text().splitlines()
    statuses = set()
    for line in index:
        rec = json.loads(line)
        report = audit_snapshot(_mirror_snapshot(f"hf-dataset:{rec['id']}"))
        statuses.add(report.component("Datasets")["status"])
        assert report.component("Datasets")["available"] is True
    assert "open" in statuses and ("restricted" in statuses or "unknown" in statuses)


def test_named_hub_datasets_decide_the_models_datasets_component(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    import jsonschema

    from conftest import REPO

    proc = subprocess.run(
        [sys.executable, "-m", "openscope", "audit", "--mirror", str(SHARED / "hub"),
         "--no-cache", "--lineage-depth", "0",
         "hf:1987kostya/distilbert-base-uncased-finetuned-squad", "--format", "json"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [d["ref"] for d in report["datasets"]] == ["hf-dataset:squad"]
    assert report["datasets"][0]["license"] == "CC-BY-4.0"
    datasets = next(c for c in report["components"] if c["id"] == 15)
    assert datasets["status"] == "open"
    assert "hf-dataset:squad" in datasets["reason"]
    schema = json.loads((REPO / "src/openscope/schema/report.schema.json").read_text())
    jsonschema.validate(report, schema)
