"""Audit throughput: all 1,869 recorded hub cards, as snapshots, on one core.

Prints releases per second of the audit (snapshot to Report; median of several passes), the
rate of rendering those reports as pretty JSON, peak memory, and a baseline measured in the
same run (only splitting and safe-loading each card's YAML front matter), so the figure can be
compared across noisy machines. Last line: ``releases_per_s: N``, the audit's releases per
CPU-second on one core (wall-clock figures are printed too).

Usage: python benchmarks/audit_throughput.py [--repeat 3] [--limit N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import hub_card_folders, hub_snapshot  # noqa: E402
from openscope.evidence.card import load_yaml_mapping, split_front_matter  # noqa: E402
from openscope.pipeline import audit_snapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    folders = hub_card_folders()
    if args.limit:
        folders = folders[: args.limit]
    snapshots = [hub_snapshot(f) for f in folders]
    n = len(snapshots)
    print(f"releases: {n} hub cards (recorded card + API record where present)")

    baseline_rates = []
    audit_rates = []
    json_rates = []
    cpu_rates = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for snap in snapshots:
            card = snap.card()
            if card is not None and card.text:
                front, _body, _line = split_front_matter(card.text)
                if front is not None:
                    load_yaml_mapping(front)
        baseline_rates.append(n / (time.perf_counter() - start))
        start, cpu = time.perf_counter(), time.process_time()
        reports = [audit_snapshot(snap) for snap in snapshots]
        audit_rates.append(n / (time.perf_counter() - start))
        cpu_rates.append(n / (time.process_time() - cpu))
        start = time.perf_counter()
        for report in reports:
            report.to_json()
        json_rates.append(n / (time.perf_counter() - start))
        del reports
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = statistics.median(baseline_rates)
    rate = statistics.median(audit_rates)
    jrate = statistics.median(json_rates)
    both = 1 / (1 / rate + 1 / jrate)
    print(f"baseline (front matter only): {base:,.0f} releases/s (median of {args.repeat})")
    cpu_rate = statistics.median(cpu_rates)
    print(f"audit (snapshot -> Report):   {rate:,.0f} releases/s wall, "
          f"{cpu_rate:,.0f} per CPU-second (median of {args.repeat})")
    print(f"pretty JSON of the reports:   {jrate:,.0f} reports/s")
    print(f"audit + pretty JSON:          {both:,.0f} releases/s")
    print(f"ratio audit/baseline: {rate / base:.3f}")
    print(f"peak memory: {peak_mb:,.0f} MB")
    # One core: releases per CPU-second of this single-threaded process, which a loaded
    # shared machine does not deflate the way it deflates wall time.
    print(f"releases_per_s: {cpu_rate:.0f}")


if __name__ == "__main__":
    main()
