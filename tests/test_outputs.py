"""``-o FILE`` conventions and ``--debug`` exit codes (issue 15)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
EXAMPLE = "examples/tiny-open-model"


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": SRC},
                          preexec_fn=set_umask)


def test_output_file_mode_follows_the_umask(tmp_path: Path) -> None:
    for umask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        out = tmp_path / f"r{umask:o}.json"
        assert run("audit", EXAMPLE, "-f", "json", "-o", str(out), umask=umask).returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == mode


def test_missing_parent_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "r.json"
    proc = run("audit", EXAMPLE, "-f", "json", "-o", str(out))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_debug_keeps_the_exit_code(tmp_path: Path) -> None:
    for args, code in ((("audit", str(tmp_path / "missing")), 3),
                       (("audit", "hf:not a valid id!"), 2),
                       (("check", EXAMPLE, "--require", "mof:4"), 2)):
        plain, debug = run(*args), run("--debug", *args)
        assert plain.returncode == debug.returncode == code, debug.stderr
        assert "Traceback" in debug.stderr and "Traceback" not in plain.stderr


def test_several_refs_with_one_failing_write_the_others(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run("audit", EXAMPLE, str(tmp_path / "missing"), "-f", "json", "-o", str(out))
    assert proc.returncode == 3
    assert out.exists() and "tiny-open-model" in out.read_text()  # as the README says
