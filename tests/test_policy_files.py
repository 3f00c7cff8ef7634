"""The audited release cannot choose its own rules; policy files are read defensively."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_release

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": SRC})


@pytest.fixture()
def cc_by_release(tmp_path: Path) -> Path:
    """Weights under CC-BY-4.0: not OSI-approved, so osaid.parameters is not met."""
    return write_release(tmp_path / "r", "---\nlicense: cc-by-4.0\n---\n# Model\n\nWeights.\n")


def test_policy_inside_the_audited_release_is_not_read(cc_by_release: Path) -> None:
    before = run("check", str(cc_by_release), "--require", "osaid.parameters")
    (cc_by_release / ".openscope.toml").write_text('osaid-parameters-accept = ["CC-BY-4.0"]\n'
                                                   'require = ["mof:1"]\n')
    after = run("check", str(cc_by_release), "--require", "osaid.parameters")
    assert before.returncode == after.returncode == 1, after.stdout + after.stderr
    assert "not read" in after.stderr and "--policy" in after.stderr
    (cc_by_release / "pyproject.toml").write_text('[tool.openscope]\nrequire = ["mof:1"]\n')
    (cc_by_release / ".openscope.toml").unlink()
    assert run("check", str(cc_by_release)).returncode == 2  # nothing to check: not read
    named = run("check", str(cc_by_release), "--policy", str(cc_by_release))
    assert "policy: " in named.stdout


@pytest.mark.parametrize("content, words", [
    ("annotations = 5\n", "annotations"),
    ("require = 5\n", "require"),
    ("strict = \"yes\"\n", "strict"),
    ("tool = 5\n", "unknown policy key"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "policy file"),
    ("[[annotations]]\nrequirement = 5\nreason = \"not-applicable\"\n", "requirement"),
    ("x" * 300_000, "larger than"),
    ("\xff\xfe", "policy file"),
], ids=["annotations-int", "require-int", "strict-str", "tool-int", "nested", "req-int",
        "huge", "not-utf8"])
def test_bad_policy_files_are_one_clear_error(tmp_path: Path, content: str, words: str) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_bytes(content.encode("latin-1") if content == "\xff\xfe" else content.encode())
    proc = run("check", "examples/tiny-open-model", "--require", "osaid", "--policy",
               str(policy))
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in proc.stderr


def test_policy_symlinked_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('require = ["mof:1"]\n')
    folder = write_release(tmp_path / "r", "# m\n")
    (folder / ".openscope.toml").symlink_to(outside)
    proc = run("check", str(folder), "--policy", str(folder))
    assert proc.returncode == 2 and "symlink out of" in proc.stderr
