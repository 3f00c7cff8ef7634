"""Hostile releases never crash openscope (issue 15): wrong types, huge integers, lone
surrogates, symlink loops, byte-order marks. Each case is one clear result or one clear
stderr line with a documented exit code, and stdout stays valid UTF-8."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_release
from openscope.pipeline import audit

HUGE = "9" * 5000  # beyond Python's 4,300-digit int/str conversion limit


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """The real command line; bytes, so invalid UTF-8 on stdout is seen."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          timeout=timeout, env=env)


def assert_clean(proc: subprocess.CompletedProcess[bytes], codes: tuple[int, ...] = (0,)) -> str:
    """Exit code expected, no traceback, stdout and stderr valid UTF-8; returns stdout."""
    err = proc.stderr.decode("utf-8")
    assert proc.returncode in codes, err
    assert "Traceback" not in err and "internal error" not in err, err
    return proc.stdout.decode("utf-8")  # raises on invalid UTF-8 (lone surrogates)


WRONG_TYPE_CARDS = {
    "tags-int": "tags: 5\nlicense: mit\n",
    "model-index-results-int": "model-index: [{name: x, results: 7}]\nlicense: mit\n",
    "model-index-int": "model-index: 5\n",
    "datasets-int": "datasets: 5\nbase_model: 7\n",
    "license-list-of-maps": "license: [{a: 1}, 3]\nlicense_name: [1]\nlicense_link: 5\n",
    "huge-int": f"license: mit\nparams: {HUGE}\ntags: [{HUGE}]\nbase_model: {HUGE}\n",
    "language-map": "language: {en: 5}\npipeline_tag: [1]\nlibrary_name: 5\n",
    "extra-gated": "extra_gated_prompt: 5\nextra_gated_fields: 7\ninference: [1]\n",
    "widget": "widget: 5\nco2_eq_emissions: [1, 2]\nthumbnail: {x: 1}\n",
}


@pytest.mark.parametrize("name", sorted(WRONG_TYPE_CARDS))
def test_wrong_types_in_card_never_crash(tmp_path: Path, name: str) -> None:
    card = f"---\n{WRONG_TYPE_CARDS[name]}---\n# Model\n\nA model trained on web text.\n"
    folder = write_release(tmp_path / "r", card)
    report = audit(str(folder))
    assert report.components
    out = assert_clean(run_cli("audit", str(folder), "-f", "json"))
    json.loads(out)


WRONG_TYPE_METADATA = {
    "tags": 5, "cardData": {"tags": 5, "license": 7, "base_model": {"x": 1}},
    "links": 5, "config": {"architectures": 5, "model_type": [1]},
    "baseModels": {"models": 5}, "siblings": [7, {"rfilename": 5}, {"rfilename": "a", "size": "x"}],
    "lastModified": 5, "sha": 7, "gated": [1], "pipeline_tag": 5, "safetensors": {"total": HUGE},
    "usedStorage": "HUGE_INT", "downloads": "many", "library_name": [2],
}


def _snapshot_json(path: Path, metadata: object, files: object = None,
                   documents: object = None, **extra: object) -> Path:
    from openscope.snapshot import Snapshot
    base = Snapshot(ref="hf:org/model", files=None, documents=(), metadata={},
                    source="hub").to_dict()
    base["metadata"] = metadata
    if files is not None:
        base["files"] = files
    if documents is not None:
        base["documents"] = documents
    base.update(extra)
    text = json.dumps(base, default=str).replace('"HUGE_INT"', HUGE)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("key", sorted(WRONG_TYPE_METADATA))
def test_wrong_types_in_hub_record_never_crash(tmp_path: Path, key: str) -> None:
    snap = _snapshot_json(tmp_path / "s.json", {key: WRONG_TYPE_METADATA[key]})
    assert_clean(run_cli("audit", str(snap), "-f", "json"), (0, 3))


@pytest.mark.parametrize("files", [
    [{"path": "model.safetensors", "size": "HUGE_INT"}],
    [{"path": "model.safetensors", "size": -5}],
    [7], "abc", [{"path": 5}], [{"path": "a\udc80b", "size": 1}],
])
def test_bad_snapshot_listing_never_crashes(tmp_path: Path, files: object) -> None:
    snap = tmp_path / "s.json"
    _snapshot_json(snap, {}, files=files)
    # json.dumps writes the lone surrogate as an escape, which json.loads reads back
    assert_clean(run_cli("audit", str(snap)), (0, 3))


@pytest.mark.parametrize("snapshot_extra", [
    {"ref": 5}, {"version": 999}, {"documents": [7]}, {"documents": [{"path": 1, "text": 2}]},
    {"lastModified": 5}, {"retrieved_at": [1]},
])
def test_bad_snapshot_fields_never_crash(tmp_path: Path, snapshot_extra: dict[str, object]
                                         ) -> None:
    snap = _snapshot_json(tmp_path / "s.json", {}, **snapshot_extra)
    assert_clean(run_cli("audit", str(snap)), (0, 3))


def test_huge_safetensors_shape_and_negative_shapes(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "# m\n", weights=False)
    header = ('{"a": {"dtype": "F32", "shape": [' + HUGE + '], "data_offsets": [0, 4]},'
              ' "b": {"dtype": "F32", "shape": [-13, true], "data_offsets": [0, 4]}}').encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 4)
    out = assert_clean(run_cli("audit", str(folder), "-f", "json"))
    report = json.loads(out)
    assert "-13" not in json.dumps(report.get("components"))


def test_lone_surrogate_file_name_and_tag(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "---\nlicense: mit\ntags: [\"a\\udc80\"]\n---\n# m\n")
    os.close(os.open(os.fsencode(folder) + b"/bad\x80name.py", os.O_CREAT | os.O_WRONLY))
    for fmt in ("text", "json", "markdown", "html", "sarif", "spdx", "cyclonedx"):
        assert_clean(run_cli("audit", str(folder), "-f", fmt))


def test_symlink_loop_in_folder(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "# m\n")
    (folder / "x").symlink_to("x")
    (folder / "y").symlink_to("z")
    (folder / "z").symlink_to("y")
    assert_clean(run_cli("audit", str(folder)))
    assert_clean(run_cli("audit", str(folder / "x")), (3,))


def test_bom_at_start_of_card(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "\ufeff---\nlicense: mit\n---\n# m\n")
    report = json.loads(assert_clean(run_cli("audit", str(folder), "-f", "json")))
    licences = json.dumps(report["components"])
    assert "MIT" in licences


def test_yaml_alias_fan_out_is_bounded_by_size(tmp_path: Path) -> None:
    """One 300 KB string aliased 2,000 times passes a count of values but not of bytes."""
    import time

    from openscope.evidence.card import parse_card

    front = "a: &s " + "x" * 300_000 + "\nb: [" + ", ".join(["*s"] * 2000) + "]\nlicense: mit\n"
    start = time.process_time()
    card = parse_card("README.md", f"---\n{front}---\n# m\n")
    assert card.metadata == {} and "too many values" in card.problems[0]
    assert time.process_time() - start < 5
