"""``scripts/fuzz.py``, the long fuzzing run outside the suite: it runs every target on real
seeds, and a target that raises is counted, saved and turns the exit code to 1."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("target", ["card", "census", "snapshot", "pipeline"])
def test_each_target_runs_clean(target: str, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(SCRIPT), target, "-n", "30", "--crashes",
                          str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith(f"fuzz {target}: 30 inputs, 0 "
                                                          "failures")
    assert not list(tmp_path.iterdir())


def test_a_failure_is_counted_and_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    fuzz = _load()

    def broken(rng: object, cards: object, records: object) -> None:
        raise RuntimeError("parser fell over")

    monkeypatch.setitem(fuzz.TARGETS, "card", broken)
    monkeypatch.setattr(sys, "argv", ["fuzz.py", "card", "-n", "3", "--crashes",
                                      str(tmp_path)])
    assert fuzz.main() == 1
    assert "3 inputs, 3 failures" in capsys.readouterr().out.splitlines()[-1]
    saved = sorted(tmp_path.iterdir())
    assert len(saved) == 3 and "parser fell over" in saved[0].read_text()


def test_start_continues_a_run_with_the_same_numbered_inputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A run split with ``--start`` tries exactly the inputs of the unsplit run, numbered
    the same, so a finding's file name reproduces it in either."""
    fuzz = _load()
    seen: list[float] = []

    def record(rng: object, cards: object, records: object) -> None:
        seen.append(rng.random())  # type: ignore[attr-defined]
        raise RuntimeError("saved under its number")

    monkeypatch.setitem(fuzz.TARGETS, "card", record)
    monkeypatch.setattr(sys, "argv", ["fuzz.py", "card", "-n", "4", "--crashes",
                                      str(tmp_path / "whole")])
    fuzz.main()
    whole = list(seen)
    seen.clear()
    for start, n in ((0, 2), (2, 2)):
        monkeypatch.setattr(sys, "argv", ["fuzz.py", "card", "--start", str(start), "-n",
                                          str(n), "--crashes", str(tmp_path / "split")])
        fuzz.main()
    assert seen == whole
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == sorted(
        p.name for p in (tmp_path / "whole").iterdir())
    assert "2 inputs, 2 failures" in capsys.readouterr().out.splitlines()[-1]
