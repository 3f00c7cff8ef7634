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


def _fan_mirror(root: Path, fan: int) -> Path:
    """A synthetic mirror where the child names ``fan`` bases and each base ``fan`` more."""

    def model(repo: str, bases: list[str]) -> None:
        folder = root / "models" / repo
        folder.mkdir(parents=True)
        front = "license: mit\n" + (f"base_model: {json.dumps(bases)}\n" if bases else "")
        (folder / "README.md").write_text(f"---\n{front}---\n# {repo}\n")
        (folder / "info.json").write_text(json.dumps({"id": repo, "sha": "c" * 40,
                                                      "siblings": []}))

    model("fan/child", [f"fan/b{i}" for i in range(fan)])
    for i in range(fan):
        model(f"fan/b{i}", [f"fan/b{i}-{j}" for j in range(fan)])
        for j in range(fan):
            model(f"fan/b{i}-{j}", [])
    return root


def test_lineage_breadth_is_bounded_and_what_was_cut_stays_unknown(tmp_path: Path) -> None:
    from openscope.lineage import (
        MAX_BASES_PER_MODEL,
        MAX_LINEAGE_FETCHES,
        MAX_UNFOLLOWED_ENTRIES,
        collect_lineage,
        lineage_coverage_note,
    )
    from openscope.snapshot import Snapshot
    from openscope.sources.mirror import MirrorSource
    from openscope.sources.refs import parse_ref

    fan = 40  # 40 bases each naming 40 more: 1,640 fetches at depth 3 unbounded
    mirror = MirrorSource(_fan_mirror(tmp_path / "m", fan))
    calls: list[str] = []

    def collect(ref: str) -> Snapshot:
        calls.append(ref)
        return mirror.collect(parse_ref(ref))

    skipped: list[str] = []
    chain = collect_lineage(mirror.collect(parse_ref("hf:fan/child")), collect, depth=3,
                            skipped=skipped)
    assert len(calls) == MAX_LINEAGE_FETCHES and len(set(calls)) == len(calls)
    direct = [a for a in chain if a.depth == 1]
    assert sum(a.snapshot is not None for a in direct) == MAX_BASES_PER_MODEL
    cut = [a for a in chain if a.snapshot is None]
    assert cut and all(getattr(a.error, "reason", None) == "not-checked" for a in cut)
    assert len(cut) == MAX_UNFOLLOWED_ENTRIES < len(skipped)
    # Every base named by a collected model is either collected or listed as skipped.
    named = {f"hf:fan/b{i}" for i in range(fan)} | {
        f"hf:fan/b{i}-{j}" for i in range(fan) for j in range(fan)
        if f"hf:fan/b{i}" in calls}
    assert named == set(calls) | set(skipped)
    note = lineage_coverage_note(skipped)
    assert note is not None and f"{len(skipped)} base model(s) not followed" in note
    assert lineage_coverage_note([]) is None


def test_report_notes_a_lineage_cut_short(tmp_path: Path) -> None:
    mirror = _fan_mirror(tmp_path / "m", 12)
    proc = subprocess.run(
        [sys.executable, "-m", "openscope", "audit", "--mirror", str(mirror), "--no-cache",
         "hf:fan/child", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert any(n.startswith("lineage cut short") for n in report["notes"]), report["notes"]
    cut = [e for e in report["lineage"] if e["status"] == "not collected"]
    assert cut and {e["reason"] for e in cut} == {"not-checked"}
    assert all("dimensions" not in e for e in cut)  # nothing judged for what was not read
