"""A plain install (no extras), offline: every command of the real ``openscope`` script once.

What ``python3 -m pip install .`` gives a user is rebuilt here without the network: a fresh
venv (``--without-pip``, no system site-packages) gets the closure of the package's declared
non-extra dependencies (``[project] dependencies``, followed through each distribution's
``Requires-Dist`` with the extras' requirements left out and other markers evaluated), linked
from this machine's site-packages; openscope itself is copied as setuptools would install it
(its ``.py`` files and the ``package-data`` globs of pyproject.toml only, a generated
``openscope-<ver>.dist-info`` with ``METADATA`` and ``entry_points.txt``) and the console
script ``bin/openscope`` is written from ``[project.scripts]``. Nothing of the extras
(``scancode``, ``census``, ``dev``: Dask, matplotlib, jsonschema, pytest, ...) is reachable.

Why not a real ``pip install .`` in a venv: tests have no network (PyPI is reachable only for
the README's set-up), so pip could neither fetch the build backend nor the dependencies into
an isolated venv; and the build itself needs setuptools >= 77 (``license = "Apache-2.0"`` as
a PEP 639 expression) while this machine has setuptools 65.5, which cannot build the package.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import click
import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

from conftest import REPO, SHARED

pytestmark = pytest.mark.slow  # builds a venv and runs every command in it

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
EXAMPLE = REPO / "examples" / "tiny-open-model"
#: Top-level modules of the extras: none may be importable after a plain install.
EXTRA_MODULES = ("dask", "distributed", "matplotlib", "jsonschema", "pytest", "hypothesis",
                 "scancode", "selenium", "psutil")
_NAME_RE = re.compile(r"[-_.]+")


def _norm(name: str) -> str:
    return _NAME_RE.sub("-", name).lower()


def _applies(marker: Marker | None, extras: frozenset[str]) -> bool:
    """Whether a requirement with ``marker`` is installed when ``extras`` are asked for."""
    if marker is None:
        return True
    if "extra" in str(marker) and not extras:
        return False  # an optional dependency of an extra nobody asked for
    return any(marker.evaluate({"extra": e}) for e in (extras or {""}))


def dependency_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """The installed distributions a plain install of ``requirements`` pulls in, recursively."""
    todo = [Requirement(r) for r in requirements]
    seen: dict[str, tuple[metadata.Distribution, set[str]]] = {}
    while todo:
        req = todo.pop()
        if not _applies(req.marker, frozenset()):
            continue
        key = _norm(req.name)
        extras = set(req.extras)
        if key in seen and extras <= seen[key][1]:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"dependency {req} is not installed on this machine "
                        "(run the README's set-up first)")
        seen[key] = (dist, seen.get(key, (dist, set()))[1] | extras)
        for sub in dist.requires or []:
            sub_req = Requirement(sub)
            if _applies(sub_req.marker, frozenset(seen[key][1])):
                todo.append(Requirement(str(sub_req).split(";")[0]))
    return [dist for dist, _ in seen.values()]


def top_level_entries(dist: metadata.Distribution) -> set[Path]:
    """What a distribution puts at the top of site-packages (packages, modules, dist-info)."""
    names: set[str] = set()
    for file in dist.files or []:
        parts = PurePosixPath(str(file)).parts
        if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith(".pth"):
            continue  # scripts in bin/, shared byte-code, path hooks
        names.add(parts[0])
    if not names:  # no RECORD: top_level.txt and the metadata folder
        names = {f"{n}.py" if (Path(str(dist.locate_file(n + ".py")))).is_file() else n
                 for n in (dist.read_text("top_level.txt") or "").split()}
        names.add(Path(str(dist._path)).name)  # type: ignore[attr-defined]
    return {Path(str(dist.locate_file(n))) for n in names
            if Path(str(dist.locate_file(n))).exists()}


def _link(source: Path, target: Path) -> None:
    """Symlink ``source`` at ``target``; two packages sharing a folder (a namespace) merge."""
    if not target.exists() and not target.is_symlink():
        target.symlink_to(source, target_is_directory=source.is_dir())
        return
    if target.resolve() == source.resolve():
        return
    if not (source.is_dir() and target.is_dir()):
        pytest.fail(f"two distributions install {target.name}")
    if target.is_symlink():  # turn the first package's link into a folder of links
        first = target.resolve()
        target.unlink()
        target.mkdir()
        for child in first.iterdir():
            (target / child.name).symlink_to(child, target_is_directory=child.is_dir())
    for child in source.iterdir():
        _link(child, target / child.name)


def install_openscope(site: Path) -> None:
    """Copy openscope as setuptools installs it: ``.py`` files and the declared package data."""
    src = REPO / "src"
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    for path in sorted((src / "openscope").rglob("*")):
        rel = path.relative_to(src)
        if not path.is_file() or "__pycache__" in rel.parts:
            continue
        package = ".".join(rel.parts[:-1])
        if path.suffix != ".py" and not any(
                package.startswith(pkg) and path.relative_to(src / pkg.replace(".", "/"))
                .match(glob) for pkg, globs in package_data.items() for glob in globs):
            continue
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, site / rel)
    info = site / f"{PROJECT['name']}-{PROJECT['version']}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.4", f"Name: {PROJECT['name']}",
             f"Version: {PROJECT['version']}", f"Summary: {PROJECT['description']}",
             f"License-Expression: {PROJECT['license']}",
             f"Requires-Python: {PROJECT['requires-python']}"]
    lines += [f"Requires-Dist: {r}" for r in PROJECT["dependencies"]]
    for extra, reqs in PROJECT["optional-dependencies"].items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in reqs]
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    scripts = "".join(f"{k} = {v}\n" for k, v in PROJECT["scripts"].items())
    (info / "entry_points.txt").write_text(f"[console_scripts]\n{scripts}", encoding="utf-8")
    (info / "top_level.txt").write_text("openscope\n", encoding="utf-8")
    (info / "INSTALLER").write_text("openscope-tests\n", encoding="utf-8")


def write_scripts(venv: Path) -> None:
    """The console scripts of ``[project.scripts]``, as pip writes them."""
    for name, target in PROJECT["scripts"].items():
        module, attr = target.split(":")
        script = venv / "bin" / name
        script.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\n"
                          f"from {module} import {attr}\n"
                          f"if __name__ == '__main__':\n    sys.exit({attr}())\n",
                          encoding="utf-8")
        script.chmod(0o755)


@dataclass(frozen=True)
class PlainVenv:
    """A venv holding openscope and its non-extra dependencies only."""

    root: Path
    site: Path
    env: dict[str, str]

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        """Run ``code`` with the venv's Python."""
        return subprocess.run([str(self.root / "bin" / "python"), "-c", code],
                              capture_output=True, text=True, timeout=60, env=self.env,
                              cwd=self.root)

    def openscope(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run the venv's ``openscope`` console script."""
        return subprocess.run([str(self.root / "bin" / "openscope"), *args],
                              capture_output=True, text=True, timeout=120, env=self.env,
                              cwd=cwd)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlainVenv]:
    """The plain install, built once for this module."""
    root = tmp_path_factory.mktemp("plain") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True,
                   timeout=120)
    site = Path(subprocess.run(
        [str(root / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
         "['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    for dist in dependency_closure(PROJECT["dependencies"]):
        for entry in sorted(top_level_entries(dist)):
            _link(entry, site / entry.name)
    install_openscope(site)
    write_scripts(root)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env.update(PATH=f"{root / 'bin'}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1",
               PYTHONNOUSERSITE="1", HF_HUB_OFFLINE="1", COLUMNS="100",
               OPENSCOPE_CENSUS_CACHE=str(root.parent / "verdict-cache"))
    yield PlainVenv(root, site, env)


def test_extras_are_not_installed(plain: PlainVenv) -> None:
    for module in EXTRA_MODULES:
        proc = plain.python(f"import {module}")
        assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr, module
    proc = plain.python("import openscope, importlib.metadata as m; print(openscope.__file__);"
                        "print(m.version('openscope'))")
    assert proc.returncode == 0, proc.stderr
    where, version = proc.stdout.split()
    assert Path(where).is_relative_to(plain.site) and version == PROJECT["version"]


def test_installed_metadata_lists_the_console_script(plain: PlainVenv) -> None:
    proc = plain.python("import importlib.metadata as m; print([e.value for e in "
                        "m.distribution('openscope').entry_points if e.group == "
                        "'console_scripts'])")
    assert proc.stdout.strip() == repr(list(PROJECT["scripts"].values()))


def _leaf_commands() -> set[str]:
    """Every subcommand path of the click group, e.g. ``census report``."""
    from openscope.cli.main import cli

    def walk(command: click.Command, prefix: str) -> Iterator[str]:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, f"{prefix} {name}".strip())
        else:
            yield prefix

    return set(walk(cli, ""))


def _census_input(path: Path, n: int = 60) -> Path:
    """The first ``n`` records of the real July 2024 Hub listing."""
    listing = SHARED / "census" / "hf-models-2024-07.jsonl.gz"
    with gzip.open(listing, "rt", encoding="utf-8") as fh:
        path.write_text("".join(itertools.islice(fh, n)), encoding="utf-8")
    return path


def _assert_clean(proc: subprocess.CompletedProcess[str], what: str) -> None:
    assert "openscope: internal error" not in proc.stderr, f"{what}: {proc.stderr[-2000:]}"
    for bad in ("Traceback", "No module named", "ImportError"):
        assert bad not in proc.stdout + proc.stderr, f"{what}: {proc.stderr[-2000:]}"


def test_every_command_runs_once(plain: PlainVenv, tmp_path: Path) -> None:
    """Each command with its documented exit code; never 4, a traceback or a missing module."""
    ex, snap, census = str(EXAMPLE), str(tmp_path / "snap.json"), str(tmp_path / "census")
    listing = str(_census_input(tmp_path / "listing.jsonl"))
    runs: list[tuple[str, list[str], int]] = [
        ("", ["--version"], 0),
        ("", ["--help"], 0),
        ("audit", ["audit", ex], 0),
        ("audit", ["audit", ex, "-f", "json", "-o", str(tmp_path / "r.json")], 0),
        *[("audit", ["audit", ex, "-f", f], 0)
          for f in ("markdown", "html", "cyclonedx", "spdx", "sarif", "badge", "badge-json")],
        ("snapshot", ["snapshot", ex, "-o", snap], 0),
        ("audit", ["audit", snap, "-f", "json", "-o", str(tmp_path / "replay.json")], 0),
        ("check", ["check", ex, "--require", "mof:3"], 0),
        ("check", ["check", ex, "--require", "mof:1"], 1),
        ("explain", ["explain", "--list"], 0),
        ("explain", ["explain", "osaid.training-code"], 0),
        ("licenses list", ["licenses", "list"], 0),
        ("licenses show", ["licenses", "show", "mit"], 0),
        ("licenses identify", ["licenses", "identify", str(REPO / "LICENSE")], 0),
        ("compare", ["compare", ex, snap, "-f", "json"], 0),
        ("census run", ["census", listing, "-o", census, "--no-progress"], 0),
        # a Dask cluster needs the [census] extra: a usage error naming it
        ("census run", ["census", listing, "-o", str(tmp_path / "dask"), "--no-progress",
                        "--scheduler", "tcp://127.0.0.1:9"], 2),
        ("census diff", ["census", "diff", census, census], 0),
        # charts need matplotlib (the [census] extra): a usage error naming it
        ("census report", ["census", "report", census], 2),
        ("site build", ["site", "build", str(tmp_path / "site"), ex, snap], 0),
        ("site build", ["site", "build", str(tmp_path / "csite"), "--census", census], 0),
    ]
    covered = set()
    for command, args, code in runs:
        started = time.monotonic()
        proc = plain.openscope(*args, cwd=tmp_path)
        assert proc.returncode == code, (args, proc.returncode, proc.stderr[-2000:])
        _assert_clean(proc, " ".join(args))
        assert time.monotonic() - started < 60, args
        covered.add(command)
        print(f"{time.monotonic() - started:5.1f}s", *args)
    assert (tmp_path / "r.json").read_bytes() == (tmp_path / "replay.json").read_bytes()
    assert json.loads((tmp_path / "r.json").read_text())["schema_version"]
    assert f"openscope, version {PROJECT['version']}" in plain.openscope(
        "--version", cwd=tmp_path).stdout
    report = plain.openscope("census", "report", census, cwd=tmp_path)
    assert report.stderr.count("\n") == 1 and "matplotlib" in report.stderr \
        and "openscope[census]" in report.stderr, report.stderr
    dask = plain.openscope("census", listing, "-o", str(tmp_path / "dask"), "--scheduler",
                           "tcp://127.0.0.1:9", cwd=tmp_path)
    assert dask.stderr.count("\n") == 1 and "openscope[census]" in dask.stderr, dask.stderr
    assert (tmp_path / "csite" / "census.html").is_file()
    assert (tmp_path / "csite" / "census" / "tables").is_dir()
    _serve_once(plain, tmp_path / "site")
    covered.add("site serve")
    assert _leaf_commands() <= covered, _leaf_commands() - covered


def _serve_once(plain: PlainVenv, site: Path) -> None:
    """``site serve`` on any free port answers with the leaderboard, then is stopped."""
    proc = subprocess.Popen([str(plain.root / "bin" / "openscope"), "site", "serve",
                             str(site), "--port", "0"], stderr=subprocess.PIPE, text=True,
                            env=plain.env, cwd=site)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{match[1]}/index.html", timeout=10) as resp:
            assert resp.status == 200 and b"<html" in resp.read().lower()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
