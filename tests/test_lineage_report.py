"""Lineage in the report: the chain, inherited terms, laundering, base-model Index ratings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    base = root / "models" / "acme" / "base-7b"
    child = root / "models" / "someone" / "base-7b-finetune"
    base.mkdir(parents=True)
    child.mkdir(parents=True)
    (base / "README.md").write_text("---\nlicense: llama3.1\n---\n# Base\n\nWeights inside.\n")
    (base / "info.json").write_text(json.dumps({
        "id": "acme/base-7b", "sha": "a" * 40, "tags": ["safetensors", "license:llama3.1"],
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors"}],
        "gated": "manual",
    }))
    (child / "README.md").write_text(
        "---\nlicense: apache-2.0\nbase_model: acme/base-7b\n---\n# A fine-tune\n")
    (child / "info.json").write_text(json.dumps({
        "id": "someone/base-7b-finetune", "sha": "b" * 40,
        "tags": ["safetensors", "license:apache-2.0", "base_model:acme/base-7b"],
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors"}],
    }))
    return root


def test_fine_tune_report_shows_chain_laundering_and_base_ratings(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "openscope", "audit", "--mirror", str(mirror), "--no-cache",
         "hf:someone/base-7b-finetune", "--format", "json"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    chain = report["lineage"]
    assert [e["ref"] for e in chain] == ["hf:acme/base-7b"]
    assert chain[0]["license_openness"] == "restricted"
    assert chain[0]["dimensions"]["weights"] == "restricted"
    laundering = [f for f in report["findings"] if f["id"] == "license-laundering"]
    assert laundering, report["findings"]
    assert "hf:acme/base-7b (base model)" in laundering[0]["evidence"]
    params = report["frameworks"]["osai_index"]["parameters"]
    assert params["weights_endmodel"]["value"] == "open"
    assert params["weights_basemodel"]["value"] == "partial"  # the base is gated
    assert "base model hf:acme/base-7b" in params["weights_basemodel"]["reason"]


def test_lineage_depth_zero_leaves_no_chain(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "openscope", "audit", "--mirror", str(mirror), "--no-cache",
         "--lineage-depth", "0", "hf:someone/base-7b-finetune", "--format", "json"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "lineage" not in json.loads(proc.stdout)
