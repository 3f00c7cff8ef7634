"""Release-supplied text never reaches a terminal with control sequences (issue 15):
file names, card values, a snapshot's ref, error lines; ``NO_COLOR`` and the width."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from helpers import write_release

SRC = str(Path(__file__).resolve().parents[1] / "src")
ESC_TITLE = "\x1b]0;pwned\x07"
OSC8 = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
#: Any control character but TAB and LF, C1 included.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    return {**env, "PYTHONPATH": SRC, **extra}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          timeout=120, env=_env(**env))


def run_on_tty(*args: str, **env: str) -> tuple[int, str]:
    """Run with standard output on a pseudo-terminal; (exit code, what the terminal got)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "openscope", *args], stdout=follower,
                            stderr=subprocess.PIPE, env=_env(**env))
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = proc.wait(timeout=120)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8")


def hostile_release(tmp_path: Path) -> Path:
    # YAML forbids raw controls, but its double-quoted escapes spell them (backslash-e: ESC)
    card = ('---\nlicense: "mit\\e]0;pwned\\a"\ndatasets: ["data\\e]8;;http://e.example\\e\\\\"]\n'
            f'base_model: "x\\x9b2J"\n---\n# Model{ESC_TITLE}\n\nTrained on text.\n')
    return write_release(tmp_path / "r", card, {f"train{ESC_TITLE}.py": "print(1)\n",
                                                "LICENSE\x1b[2J": "MIT License\n"})


def test_text_report_has_no_release_control_characters(tmp_path: Path) -> None:
    folder = hostile_release(tmp_path)
    for args in (("audit", str(folder)), ("audit", str(folder), "--color"),
                 ("check", str(folder), "--require", "osaid")):
        proc = run(*args)
        out = proc.stdout.decode("utf-8")
        if "--color" in args:  # only colour (SGR) sequences survive
            out = re.sub("\x1b\\[[0-9;]*m", "", out)
        assert not CONTROL.search(out), (args, out)
        assert "pwned" in out or args[0] == "check"  # the text stays, the escapes go


def test_terminal_gets_no_control_characters_in_any_format(tmp_path: Path) -> None:
    folder = hostile_release(tmp_path)
    (folder / "weird\x9b2J\u202ename.py").write_text("x = 1\n")
    for fmt in ("json", "markdown", "sarif"):
        code, out = run_on_tty("audit", str(folder), "-f", fmt)
        assert code == 0
        assert not CONTROL.search(out.replace("\r", "")), fmt
        assert "\u202e" not in out


def test_snapshot_ref_and_error_lines_are_cleaned(tmp_path: Path) -> None:
    from openscope.snapshot import Snapshot

    snap = Snapshot(ref=f"hf:org/model{ESC_TITLE}", source="hub").to_dict()
    (tmp_path / "s.json").write_text(json.dumps(snap), encoding="utf-8")
    out = run("audit", str(tmp_path / "s.json")).stdout.decode("utf-8")
    assert not CONTROL.search(out) and "pwned" in out
    proc = run("audit", str(tmp_path / f"missing{ESC_TITLE}"))
    assert proc.returncode == 3
    assert not CONTROL.search(proc.stderr.decode("utf-8").rstrip("\n"))


def test_no_color_is_honoured_on_a_terminal(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "---\nlicense: mit\n---\n# m\n")
    code, out = run_on_tty("audit", str(folder))
    assert code == 0 and "\x1b[" in out  # coloured by default on a terminal
    code, out = run_on_tty("audit", str(folder), NO_COLOR="1")
    assert code == 0 and "\x1b[" not in out


def test_text_report_fits_the_terminal_width(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", "---\nlicense: mit\n---\n# m\n")
    for columns in (80, 100):
        out = run("audit", str(folder), COLUMNS=str(columns)).stdout.decode("utf-8")
        assert max(len(line) for line in out.splitlines()) <= columns
    wide = run("audit", "examples/tiny-open-model").stdout.decode("utf-8")
    assert max(len(line) for line in wide.splitlines()) <= 80  # no terminal, no COLUMNS
