"""Census benchmark: the 760k-record Hub listing, and a 10x replicated listing.

In one run, each as a child process (wall time, and peak memory of the whole process tree
sampled with psutil every 0.1 s, see ``INTERVAL``: the census runs a process pool of forked
workers, so the tree's memory is reported as the sum of PSS - proportional set size, shared
pages split between the processes sharing them - next to the plain sum of RSS, which counts
shared pages once per process):

* ``zcat`` of the listing (the floor: just decompressing);
* a plain Python loop that parses every line with ``json.loads`` and counts licence tags;
* ``openscope census`` of the listing, cold (``--no-verdict-cache``: every verdict key is
  audited) and warm (verdicts read from the cache a previous run of the same code filled);
* ``openscope census`` of a 10x replicated listing (7.6M records, ids suffixed so every
  record is distinct), generated once under /tmp, cold.

Medians over ``--repeat`` runs (the 10x input runs ``--repeat-10x`` times). Targets: census
<= 5x zcat, peak memory <= 1 GB, the 10x input in <= 10x the time of the 1x input.
Last line: ``ratio_vs_zcat: N``.

Usage: python benchmarks/census.py [--repeat 3] [--repeat-10x 1] [--skip-10x]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
LISTING = REPO.parent / "shared" / "census" / "hf-models-2024-07.jsonl.gz"
WORK = Path(tempfile.gettempdir()) / "openscope-census-bench"

PY_LOOP = """
import gzip, json, sys
n = licensed = 0
with gzip.open(sys.argv[1], "rb") as fh:
    for line in fh:
        rec = json.loads(line)
        n += 1
        licensed += any(t.startswith("license:") for t in rec.get("tags") or ())
print(n, licensed)
"""


PEAKS: dict[str, float] = {}
#: Seconds between two memory samples of the process tree. Reading PSS walks the page
#: tables of every process (smaps_rollup) and competes with the census it measures: every
#: 20 ms it added ~0.6 s (15-20%) to the 760k census on 2 cores (3.2 s unsampled, 3.8-4.0 s
#: sampled). Every 100 ms costs little; the kernel's per-process peak RSS (VmHWM), read at
#: each sample, bounds what sampling could miss (``PEAKS["hwm"]``).
INTERVAL = 0.1


def _hwm(pid: int) -> int:
    """Peak RSS of a process in bytes (VmHWM), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def measure(cmd: list[str], stdout: int | None = subprocess.DEVNULL,
            env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak PSS in MB summed over the process tree) of one command.

    The peak RSS sum is kept in ``PEAKS["rss"]`` for the report, and the sum over the
    processes of each one's own peak RSS (an upper bound of the RSS sum) in ``PEAKS["hwm"]``.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    peak_pss = peak_rss = 0
    hwm: dict[int, int] = {}
    while proc.poll() is None:
        try:
            procs = [proc, *proc.children(recursive=True)]
            pss = rss = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    info = p.memory_full_info()
                    pss += info.pss
                    rss += info.rss
                    hwm[p.pid] = max(hwm.get(p.pid, 0), _hwm(p.pid))
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        except psutil.Error:
            pass
        time.sleep(INTERVAL)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    PEAKS["rss"] = peak_rss / 1e6
    PEAKS["hwm"] = sum(hwm.values()) / 1e6
    PEAKS["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak_pss / 1e6


def census_cmd(listing: Path, out: Path, cold: bool) -> list[str]:
    return [sys.executable, "-m", "openscope", "census", str(listing), "-o", str(out),
            "--no-progress", *(["--no-verdict-cache"] if cold else [])]


def replicate(listing: Path, times: int) -> Path:
    """A listing with every record repeated ``times`` times (ids suffixed ``~k``)."""
    dest = WORK / f"hf-models-x{times}.jsonl.gz"
    if dest.is_file():
        return dest
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    with gzip.open(listing, "rb") as fh:
        lines = fh.read().splitlines()
    with gzip.open(tmp, "wb", compresslevel=1) as out:
        for k in range(times):
            chunk = []
            for line in lines:
                end = line.index(b'"', 8)  # records start with {"id": "
                chunk.append(line[:end] + f"~{k}".encode() + line[end:])
            out.write(b"\n".join(chunk) + b"\n")
    tmp.replace(dest)
    return dest


def run(label: str, cmd_for: object, repeat: int) -> tuple[float, float]:
    walls, peaks = [], []
    for i in range(repeat):
        wall, peak = cmd_for(i)  # type: ignore[operator]
        walls.append(wall)
        peaks.append(peak)
        print(f"  {label} run {i + 1}: {wall:.2f} s wall, {PEAKS.get('cpu', 0):.2f} s CPU "
              f"(whole tree), peak {peak:.0f} MB PSS ({PEAKS.get('rss', 0):.0f} MB RSS summed, "
              f"{PEAKS.get('hwm', 0):.0f} MB summed per-process peaks), "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return statistics.median(walls), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-10x", type=int, default=1)
    parser.add_argument("--skip-10x", action="store_true")
    args = parser.parse_args()
    if not LISTING.is_file():
        raise SystemExit(f"listing not found: {LISTING}")
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"machine: {psutil.cpu_count()} CPUs, load average {psutil.getloadavg()}")

    def zcat(_: int) -> tuple[float, float]:
        return measure(["zcat", str(LISTING)])

    def loop(_: int) -> tuple[float, float]:
        return measure([sys.executable, "-c", PY_LOOP, str(LISTING)])

    env = {**os.environ, "OPENSCOPE_CENSUS_CACHE": str(WORK / "verdict-cache")}

    def census(listing: Path, cold: bool = True) -> object:
        def one(i: int) -> tuple[float, float]:
            out = WORK / f"out-{listing.stem}-{i}"
            shutil.rmtree(out, ignore_errors=True)
            result = measure(census_cmd(listing, out, cold), env=env)
            manifest = json.loads((out / "manifest.json").read_text())
            assert manifest["key_check"]["mismatches"] == 0, manifest["key_check"]
            shutil.rmtree(out, ignore_errors=True)
            return result
        return one

    z_wall, z_peak = run("zcat", zcat, args.repeat)
    p_wall, p_peak = run("python json loop", loop, args.repeat)
    c_wall, c_peak = run("census 760k cold", census(LISTING), args.repeat)
    shutil.rmtree(WORK / "verdict-cache", ignore_errors=True)
    measure(census_cmd(LISTING, WORK / "out-prime", False), env=env)  # fills the cache
    shutil.rmtree(WORK / "out-prime", ignore_errors=True)
    w_wall, w_peak = run("census 760k warm", census(LISTING, cold=False), args.repeat)
    print(f"zcat:              {z_wall:7.2f} s  peak {z_peak:6.0f} MB")
    print(f"python json loop:  {p_wall:7.2f} s  peak {p_peak:6.0f} MB")
    print(f"census 760k cold:  {c_wall:7.2f} s  peak {c_peak:6.0f} MB "
          f"({760_000 / c_wall:,.0f} records/s)")
    print(f"census 760k warm:  {w_wall:7.2f} s  peak {w_peak:6.0f} MB "
          f"({760_000 / w_wall:,.0f} records/s)")
    if not args.skip_10x:
        big = replicate(LISTING, 10)
        b_wall, b_peak = run("census 7.6M cold", census(big), args.repeat_10x)
        print(f"census 7.6M cold:  {b_wall:7.2f} s  peak {b_peak:6.0f} MB "
              f"({7_600_000 / b_wall:,.0f} records/s)")
        print(f"ratio_10x_vs_1x: {b_wall / c_wall:.2f} (target <= 10)")
    print(f"ratio_vs_python_loop: {c_wall / p_wall:.2f}")
    print(f"peak_memory_mb: {max(c_peak, w_peak, b_peak if not args.skip_10x else 0):.0f} "
          "PSS summed over the process tree (target <= 1000)")
    print(f"ratio_vs_zcat_warm: {w_wall / z_wall:.2f}")
    print(f"ratio_vs_zcat: {c_wall / z_wall:.2f}")


if __name__ == "__main__":
    main()
