"""Collect 1,000 Hub repositories through the local server with 50 ms latency per request.

In one run: one at a time, then concurrently (``collect_many``, repeated, median), then
again from the snapshot cache (repeated, median). The real ``huggingface_hub`` client talks
to :class:`openscope.testing.HubServer` on 127.0.0.1 over ``../shared/hub``; nothing
leaves the machine. Last line: ``speedup_vs_sequential: N``.

Usage: ``python benchmarks/hub_concurrency.py [--repos 1000] [--jobs 32] [--latency 0.05]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openscope.errors import OpenscopeError
from openscope.sources.hub import HubSource, RetryPolicy
from openscope.sources.many import collect_many
from openscope.sources.refs import parse_ref
from openscope.testing.hubserver import HubServer

ROOT = Path(__file__).resolve().parents[1]
MIRROR = ROOT.parent / "shared" / "hub"


def pick_refs(count: int) -> list[str]:
    """``count`` model ids spread evenly over the mirror's index (deterministic)."""
    ids = [json.loads(line)["id"] for line in (MIRROR / "index.jsonl").read_text().splitlines()]
    step = max(1, len(ids) // count)
    return [f"hf:{i}" for i in ids[::step][:count]]


def run(refs: list[str], endpoint: str, cache: Path | None, jobs: int) -> tuple[float, int]:
    """Collect ``refs``; returns (seconds, errors)."""
    source = HubSource(
        endpoint=endpoint,
        token="",
        cache_dir=cache,
        use_cache=cache is not None,
        retry=RetryPolicy(attempts=3, base_delay=0.1),
    )
    start = time.perf_counter()
    if jobs == 1:
        errors = 0
        for ref in refs:
            try:
                source.collect(parse_ref(ref))
            except OpenscopeError:
                errors += 1
    else:
        results = collect_many(refs, jobs=jobs, source=source)
        errors = sum(1 for r in results if isinstance(r, OpenscopeError))
    return time.perf_counter() - start, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    refs = pick_refs(args.repos)
    with HubServer(MIRROR, latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        print(
            f"repos: {len(refs)}  latency: {args.latency * 1000:.0f} ms/request  jobs: {args.jobs}"
        )
        seq, seq_err = run(refs, server.url, None, 1)
        requests = len(server.requests)
        print(
            f"sequential:  {seq:8.2f} s  {len(refs) / seq:8.1f} repos/s  errors {seq_err}"
            f"  ({requests} requests, {requests / len(refs):.2f} per repo)"
        )
        conc: list[float] = []
        errors = 0
        for i in range(args.repeat):
            cache = Path(tmp) / f"cache{i}"
            seconds, err = run(refs, server.url, cache, args.jobs)
            conc.append(seconds)
            errors += err
        med = statistics.median(conc)
        print(
            f"concurrent:  {med:8.2f} s  {len(refs) / med:8.1f} repos/s  errors {errors}"
            f"  (median of {args.repeat}: {', '.join(f'{c:.2f}' for c in conc)})"
        )
        before = len(server.requests)
        cached = [
            run(refs, server.url, Path(tmp) / "cache0", args.jobs) for _ in range(args.repeat)
        ]
        cached_med = statistics.median(c for c, _ in cached)
        cached_err = sum(e for _, e in cached)
        print(
            f"cached:      {cached_med:8.3f} s  {len(refs) / cached_med:8.1f} repos/s  errors "
            f"{cached_err}  ({len(server.requests) - before} requests; "
            f"{med / cached_med:.1f}x faster than the first concurrent run)"
        )
    total_errors = seq_err + errors + cached_err
    print(f"errors: {total_errors}")
    print(f"cached_vs_first: {med / cached_med:.1f}")
    print(f"speedup_vs_sequential: {seq / med:.1f}")
    sys.exit(1 if total_errors else 0)


if __name__ == "__main__":
    main()
