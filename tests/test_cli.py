"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from openscope import __version__

SCHEMA = Path(__file__).resolve().parents[1] / "src" / "openscope" / "schema" / "report.schema.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120)


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


def test_console_script_installed() -> None:
    proc = subprocess.run(["openscope", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "audit" in proc.stdout


def test_audit_example_text(example: Path) -> None:
    proc = run("audit", str(example))
    assert proc.returncode == 0, proc.stderr
    for word in ("Dimensions of openness", "Model parameters (Final)", "MOF:", "weights"):
        assert word in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour codes when not a terminal


def test_audit_example_json_valid_against_schema(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run("audit", str(example), "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    assert report["tool"]["version"] == __version__
    assert report["dimensions"]["weights"]["status"] == "open"
    assert report["dimensions"]["code"]["status"] == "open"


def test_snapshot_replay_is_byte_identical(example: Path, tmp_path: Path) -> None:
    snap = tmp_path / "snap.json"
    assert run("snapshot", str(example), "-o", str(snap)).returncode == 0
    first = run("audit", str(snap), "--format", "json")
    second = run("audit", str(snap), "--format", "json")
    direct = run("audit", str(example), "--format", "json")
    assert first.returncode == 0
    assert first.stdout == second.stdout
    a, b = json.loads(first.stdout), json.loads(direct.stdout)
    assert a["components"] == b["components"]
    assert a["subject"]["revision"] == b["subject"]["revision"]


def test_folder_audit_is_deterministic(example: Path) -> None:
    assert run("audit", str(example), "-f", "json").stdout == \
        run("audit", str(example), "-f", "json").stdout


def test_badge_choice(example: Path) -> None:
    proc = run("audit", str(example), "-f", "badge-json", "--badge", "weights")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"schemaVersion": 1, "label": "weights",
                                       "message": "open", "color": "brightgreen"}
    svg = run("audit", str(example), "-f", "badge", "--badge", "osaid")
    assert svg.returncode == 0 and svg.stdout.startswith("<svg") and "OSAID" in svg.stdout
    bad = run("audit", str(example), "-f", "badge", "--badge", "nope")
    assert bad.returncode == 2 and "choose one of" in bad.stderr


@pytest.mark.parametrize("fmt", ["json", "cyclonedx", "spdx", "sarif", "badge-json"])
def test_several_refs_give_one_json_array(fmt: str) -> None:
    import json as _json
    import subprocess as _sp
    import sys as _sys

    from conftest import EXAMPLE as _EXAMPLE

    proc = _sp.run([_sys.executable, "-m", "openscope", "audit", str(_EXAMPLE), str(_EXAMPLE),
                    "-f", fmt], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    docs = _json.loads(proc.stdout)
    assert isinstance(docs, list) and len(docs) == 2


@pytest.mark.parametrize("fmt", ["html", "badge"])
def test_several_refs_refused_for_one_page_formats(fmt: str) -> None:
    import subprocess as _sp
    import sys as _sys

    from conftest import EXAMPLE as _EXAMPLE

    proc = _sp.run([_sys.executable, "-m", "openscope", "audit", str(_EXAMPLE), str(_EXAMPLE),
                    "-f", fmt], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "one document per release" in proc.stderr
