"""Packaging: the LICENSE file, declared dependencies, every command without extras."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, SHARED

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
#: Modules imported at module level that belong to an extra, with why that is fine.
EXTRA_IMPORTS = {"census/charts.py": "matplotlib"}  # imported only by `census report`
#: What the extras bring: a plain ``pip install .`` has none of these.
EXTRA_MODULES = ("dask", "distributed", "matplotlib", "jsonschema", "scancode", "hypothesis",
                 "pytest", "selenium", "psutil")


def _dist(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_license_file_is_the_declared_licence() -> None:
    from openscope.licenses import identify_text

    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert identify_text(text).id == PYPROJECT["project"]["license"] == "Apache-2.0"
    assert "LICENSE" in PYPROJECT["project"]["license-files"]


def _module_level_imports(path: Path) -> set[str]:
    """Top-level names imported at module level, outside ``try`` (optional imports)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_module_level_import_is_a_declared_dependency() -> None:
    declared = {_dist(r) for r in PYPROJECT["project"]["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    missing = []
    src = REPO / "src" / "openscope"
    for path in sorted(src.rglob("*.py")):
        if path.parent.name == "testing":  # test helpers, run under pytest
            continue
        for name in _module_level_imports(path):
            if name in sys.stdlib_module_names or name in ("openscope", "__future__") \
                    or EXTRA_IMPORTS.get(path.relative_to(src).as_posix()) == name:
                continue
            dists = {d.lower().replace("_", "-") for d in owners.get(name, [name])}
            if not dists & declared:
                missing.append(f"{path.relative_to(REPO)}: {name} ({', '.join(sorted(dists))})")
    assert not missing, missing


def test_declared_dependencies_are_imported() -> None:
    owners = importlib.metadata.packages_distributions()
    imported: set[str] = set()
    for path in (REPO / "src" / "openscope").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    used = {d.lower().replace("_", "-") for name in imported for d in owners.get(name, [])}
    unused = [r for r in PYPROJECT["project"]["dependencies"]
              if _dist(r) not in used and _dist(r) not in ("isal", "httpx2")]
    assert not unused, unused  # jsonschema was declared and never imported


_BLOCK = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"No module named {{name!r}} (extras not installed)")
sys.meta_path.insert(0, Block())
sys.argv = ["openscope", *sys.argv[1:]]
from openscope.cli.main import main
main()
"""


def run_plain(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The command line with the extras' modules unimportable, as after ``pip install .``."""
    code = _BLOCK.format(blocked=EXTRA_MODULES)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})


@pytest.mark.parametrize("args, codes", [
    (("--version",), (0,)),
    (("audit", "examples/tiny-open-model", "-f", "json"), (0,)),
    (("audit", "examples/tiny-open-model", "-f", "html"), (0,)),
    (("snapshot", "examples/tiny-open-model"), (0,)),
    (("check", "examples/tiny-open-model", "--require", "mof:1"), (1,)),
    (("explain", "osaid.training-code"), (0,)),
    (("licenses", "show", "mit"), (0,)),
    (("licenses", "list"), (0,)),
    (("licenses", "identify", "LICENSE"), (0,)),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) and isinstance(v[0], str) else "")
def test_every_command_runs_without_extras(args: tuple[str, ...], codes: tuple[int, ...]
                                          ) -> None:
    proc = run_plain(*args)
    assert proc.returncode in codes, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_census_runs_without_extras(tmp_path: Path) -> None:
    listing = tmp_path / "in.jsonl"
    lines = (SHARED / "census").glob("*.jsonl*")
    assert next(lines, None) is not None
    listing.write_text('{"id": "a/b", "tags": ["license:mit"], "downloads": 3}\n'
                       '{"id": "c/d", "tags": ["license:llama3"]}\n')
    out = tmp_path / "out"
    proc = run_plain("census", str(listing), "-o", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    proc = run_plain("census", "diff", str(out), str(out))
    assert proc.returncode == 0, proc.stderr
    proc = run_plain("census", "report", str(out))
    assert proc.returncode in (0, 2), proc.stderr  # charts need the [census] extra
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_json_audit_does_not_import_the_other_renderers() -> None:
    """Start-up: the CycloneDX, SPDX and rich renderers load only when their format runs."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "openscope", "audit",
                           "examples/tiny-open-model", "-f", "json"], capture_output=True,
                          text=True, timeout=120, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert proc.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    for heavy in ("cyclonedx", "spdx_python_model", "openscope.formats.cdx",
                  "openscope.formats.spdx3", "openscope.formats.html"):
        assert heavy not in imported, heavy
