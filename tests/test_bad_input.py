"""Hostile and broken input: one clear line and a documented exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_release
from openscope.pipeline import audit


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=timeout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int) -> None:
    assert proc.returncode == code, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_path_exit_3() -> None:
    proc = run_cli("audit", "/nonexistent/release")
    assert_one_line_error(proc, 3)
    assert "no such file or folder" in proc.stderr


def test_unknown_option_exit_2() -> None:
    proc = run_cli("audit", "--no-such-option", ".")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_malformed_ref_exit_2() -> None:
    proc = run_cli("audit", "hf:not a valid id!")
    assert_one_line_error(proc, 2)


def test_not_a_snapshot_json_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    proc = run_cli("audit", str(bad))
    assert_one_line_error(proc, 3)
    assert "not an openscope snapshot" in proc.stderr


def test_broken_json_snapshot_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_bytes(b"\xff\xfe{garbage")
    assert_one_line_error(run_cli("audit", str(bad)), 3)


def test_malformed_yaml_front_matter_is_reported_not_fatal(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: [apache-2.0\n  bad: : yaml\n---\n# M\n")
    report = audit(str(rel))
    messages = [f["message"] for f in report.data["findings"]]
    assert any("malformed YAML front matter" in m for m in messages)
    assert report.component("Model parameters (Final)")["status"] == "unknown"


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    bomb += "license: mit\n---\n# M\n"
    report = audit(str(write_release(tmp_path / "r", bomb)))
    assert any("alias bomb" in f["message"] for f in report.data["findings"])


def test_huge_readme_is_truncated_quickly(tmp_path: Path) -> None:
    rel = tmp_path / "r"
    rel.mkdir()
    with open(rel / "README.md", "w") as fh:
        fh.write("---\nlicense: mit\n---\n# Big\n")
        line = "lorem ipsum dolor sit amet " * 40 + "\n"
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line)
    proc = run_cli("audit", str(rel), "--format", "json", timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "only the start was read" in proc.stdout


def test_binary_readme(tmp_path: Path) -> None:
    rel = tmp_path / "r"
    rel.mkdir()
    (rel / "README.md").write_bytes(os.urandom(4096) + b"\0" * 10)
    report = audit(str(rel))
    assert any("binary" in n for n in report.data["notes"])
    assert report.component("Model card")["status"] == "unknown"


def test_invalid_utf8_readme(tmp_path: Path) -> None:
    rel = tmp_path / "r"
    rel.mkdir()
    (rel / "README.md").write_bytes(b"---\nlicense: mit\n---\n# Caf\xe9 model\n\xff\xfe text\n")
    report = audit(str(rel))
    assert any("invalid UTF-8" in n for n in report.data["notes"])
    lic = [e for c in report.components for e in c["evidence"] if e["kind"] == "license.declared"]
    assert report.component("Model card")["status"] in ("unknown", "open")
    assert lic or report.component("Model parameters (Final)")["status"] == "unknown"


def test_empty_folder_audits_as_all_unknown(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run_cli("audit", str(tmp_path / "empty"), "--format", "json")
    assert proc.returncode == 0
    import json

    report = json.loads(proc.stdout)
    assert {c["status"] for c in report["components"]} == {"unknown"}


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_outside_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Apache License Version 2.0 SECRET-CONTENT")
    rel = write_release(tmp_path / "r", "# M\n")
    (rel / "LICENSE").symlink_to(secret)
    (rel / "escape").symlink_to(tmp_path, target_is_directory=True)
    from openscope.sources import open_ref

    snap = open_ref(str(rel))
    assert "SECRET-CONTENT" not in snap.to_json()
    assert any("symlink pointing outside" in n for n in snap.notes)
    assert all(not f.path.startswith("escape/") for f in snap.files or ())


def test_output_file_not_written_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = run_cli("audit", str(tmp_path / "missing"), "-o", str(out))
    assert proc.returncode == 3
    assert not out.exists()


def test_deeply_nested_yaml_does_not_crash(tmp_path: Path) -> None:
    rel = tmp_path / "r"
    rel.mkdir()
    # libyaml recurses per level: 50,000 levels would overflow the C stack
    (rel / "README.md").write_text("---\nlicense: " + "[" * 50000 + "]" * 50000 + "\n---\n# x\n")
    proc = run_cli("audit", str(rel), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "nested deeper than" in proc.stdout


def test_deeply_nested_json_documents_do_not_crash(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: mit\n---\n# M\n",
                        files={"dataset_infos.json": "[" * 100000 + "]" * 100000})
    (rel / "bad.safetensors").write_bytes(
        (200000).to_bytes(8, "little") + b"[" * 100000 + b"]" * 100000)
    proc = run_cli("audit", str(rel), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    assert_one_line_error(run_cli("audit", str(deep)), 3)


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: mit\n---\n# M\n")
    (rel / os.fsdecode(b"\xff\xfeodd.bin")).write_bytes(b"\0")
    proc = run_cli("audit", str(rel), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    import json

    report = json.loads(proc.stdout)
    assert any("not valid UTF-8" in n for n in report["notes"])


def test_snapshot_of_an_unknown_version_is_refused(tmp_path: Path) -> None:
    import json as _json

    from conftest import EXAMPLE as _EXAMPLE
    from openscope.errors import InputError
    from openscope.snapshot import Snapshot
    from openscope.sources import open_ref as _open_ref

    data = _open_ref(str(_EXAMPLE)).to_dict()
    data["version"] = 999
    try:
        Snapshot.from_json(_json.dumps(data))
    except InputError as exc:
        assert "version" in str(exc)
    else:
        raise AssertionError("a snapshot of version 999 was accepted")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_card_is_read_as_text(tmp_path: Path, encoding: str) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    card = "---\nlicense: apache-2.0\n---\n# A model\n\nWeights under Apache-2.0.\n"
    raw = card.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    (folder / "README.md").write_bytes(raw)
    report = audit(str(folder)).data
    assert any(c["license"] and c["license"]["id"] == "Apache-2.0" for c in report["components"])
