"""Whole-process start-up time of a small audit, against a bare Python start.

Runs ``openscope audit examples/tiny-open-model -f json`` and ``python -c pass`` alternately
in the same run (N rounds each, default 15), and prints the medians. The last line is
``audit_startup_s: N`` (the audit's median wall time, in seconds, interpreter start
included), so CI can read it::

    PYTHONPATH=src python3 benchmarks/startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AUDIT = [sys.executable, "-m", "openscope", "audit", "examples/tiny-open-model", "-f", "json"]
BARE = [sys.executable, "-c", "pass"]


def wall(cmd: list[str]) -> float:
    """Seconds one run of ``cmd`` takes, start to exit; it must succeed. Its CPU seconds
    (user + system) are appended to ``CPU``: on a shared machine they vary less."""
    # Bytecode is written and used, as after ``pip install`` (which compiles it); an
    # environment with PYTHONDONTWRITEBYTECODE would otherwise time the compiler.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO / "src")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(cmd[-1], []).append(after.ru_utime - before.ru_utime
                                       + after.ru_stime - before.ru_stime)
    return took


#: CPU seconds per run, by the command's last argument.
CPU: dict[str, list[float]] = {}


def main() -> None:
    """Measure and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    wall(AUDIT)  # warm the file cache and bytecode
    audit, bare = [], []
    for _ in range(args.rounds):
        audit.append(wall(AUDIT))
        bare.append(wall(BARE))
    a, b = statistics.median(audit), statistics.median(bare)
    print(f"python -c pass: median {b:.3f} s over {args.rounds} runs")
    print(f"openscope audit tiny-open-model -f json: median {a:.3f} s "
          f"({a - b:.3f} s beyond the interpreter)")
    ca, cb = statistics.median(CPU[AUDIT[-1]][1:]), statistics.median(CPU[BARE[-1]])
    print(f"CPU time (user + system, varies less on a shared machine): audit {ca:.3f} s, "
          f"python -c pass {cb:.3f} s")
    print(f"ratio to python -c pass: {a / b:.1f}x wall, {ca / cb:.1f}x CPU (the host's speed "
          "changes both; the ratio moves less)")
    print(f"audit_startup_s: {a:.3f}")


if __name__ == "__main__":
    main()
