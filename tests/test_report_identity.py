"""benchmarks/report_identity.py: the output-identity safety net for performance work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

SCRIPT = REPO / "benchmarks" / "report_identity.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, str(SCRIPT), "--limit", "6", *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)


def test_digests_repeat_and_a_changed_report_is_caught(tmp_path: Path) -> None:
    """Two runs over the same mirror releases agree; one altered digest fails the check."""
    out = tmp_path / "digests.txt"
    assert _run("--out", str(out)).returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 6 and all(len(line.split()[1]) == 64 for line in lines)
    same = _run("--check", str(out))
    assert same.returncode == 0, same.stdout
    assert "6/6 reports byte-identical" in same.stdout
    ref = lines[2].split()[0]
    lines[2] = f"{ref} {'0' * 64}"
    out.write_text("\n".join(lines) + "\n")
    changed = _run("--check", str(out))
    assert changed.returncode == 1
    assert f"DIFFERS: {ref}" in changed.stdout and "5/6" in changed.stdout
