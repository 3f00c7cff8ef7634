"""Gating: from the API's ``gated`` or the card's ``extra_gated_*`` keys; "not gated" only
from a recorded ``gated: false``. Real cards from ../shared/hub, chosen by property."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from conftest import hub_card_folders, hub_snapshot
from openscope import evidence
from openscope.pipeline import audit_snapshot
from openscope.snapshot import FileEntry


def _front_matter(folder: Path) -> str:
    text = (folder / "README.md").read_text(encoding="utf-8", errors="replace")
    return text.split("\n---", 1)[0] if text.startswith("---") else ""


def _gated_card_folder() -> Path:
    """A recorded card whose front matter declares a gate naming a licence, with weights."""
    for folder in hub_card_folders():
        fm = _front_matter(folder)
        if "extra_gated_prompt" in fm and "icense" in fm.split("extra_gated_prompt", 1)[1]:
            return folder
    raise AssertionError("no gated card in the mirror")


def _with_weights(snap, **metadata):  # type: ignore[no-untyped-def]
    files = (*(snap.files or ()), FileEntry("model.safetensors", 10), FileEntry("README.md"))
    return dataclasses.replace(snap, files=files, metadata={**snap.metadata, **metadata})


def _req(report: dict, framework: str, rid: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in report["frameworks"][framework]["requirements"] if r["id"] == rid)


def test_card_gate_makes_weights_gated_and_names_its_licence() -> None:
    folder = _gated_card_folder()
    snap = _with_weights(hub_snapshot(folder))
    snap = dataclasses.replace(snap, metadata={k: v for k, v in snap.metadata.items()
                                               if k != "gated"})
    facts = evidence.extract(snap)
    gated = facts.first("access.gated")
    assert gated is not None and gated.attrs["source"] == "card"
    assert gated.path == "README.md" and gated.line
    report = audit_snapshot(snap).data
    weights = next(c for c in report["components"] if c["id"] == 10)
    assert weights["status"] in ("restricted", "unknown") and weights["attributes"]["access"] == \
        "gated"
    index = report["frameworks"]["osai_index"]["parameters"]["weights_endmodel"]
    assert index["value"] == "partial" and "gated" in index["reason"]
    assert _req(report, "eu_ai_act", "eu.weights-public")["outcome"] == "unmet"
    # The gate's licence is a licence statement when the knowledge base knows it.
    named = facts.of("license.gate_terms")
    if named:
        assert weights["license"] is not None


def test_recorded_not_gated_is_public() -> None:
    folder = next(f for f in hub_card_folders() if "extra_gated" not in _front_matter(f)
                  and (f / "info.json").exists()
                  and json.loads((f / "info.json").read_text()).get("gated") is False)
    snap = _with_weights(hub_snapshot(folder))
    assert evidence.extract(snap).has("access.public")
    report = audit_snapshot(snap).data
    public = _req(report, "eu_ai_act", "eu.weights-public")
    assert public["outcome"] == "met" and "not gated" in public["reason"]


def test_silence_is_not_evidence_of_no_gate() -> None:
    folder = next(f for f in hub_card_folders() if "extra_gated" not in _front_matter(f)
                  and (f / "info.json").exists()
                  and "gated" not in json.loads((f / "info.json").read_text()))
    snap = _with_weights(hub_snapshot(folder))
    facts = evidence.extract(snap)
    assert not facts.has("access.public") and facts.has("coverage.no_gate_record")
    public = _req(audit_snapshot(snap).data, "eu_ai_act", "eu.weights-public")
    assert public["outcome"] == "unknown" and public["basis"] == "not-checked"
