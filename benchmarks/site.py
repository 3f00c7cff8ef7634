"""Explorer site build over the mirror: build time and bytes, against a baseline.

Audits the first N models of ``../shared/hub`` (through the mirror source, as ``openscope
site build --mirror`` does, without lineage or link following so the audit part stays
comparable), then, in the same run, times:

- the baseline: writing the same reports as JSON files (what ``audit -f json`` per release
  would write);
- the full site build (leaderboard data, CSV, one page and one JSON report per release),
  plus the time spent writing each release's snapshot while it was audited
  (``snapshots/<slug>.json``, streamed by ``explorer.snapshots.SnapshotStore``; summed over
  the audit threads as CPU time: waits on the other audit thread are not counted);
- an incremental rebuild of the unchanged site (every page skipped).

Prints the total bytes, the bytes per release page (mean, max), the leaderboard data file's
size and the index page's bytes (the page weight a visitor loads first), each against
``site.PAGE_BUDGET``. With ``--workers N`` (N > 1) the build is also timed with a pool of N
rendering processes, and its files are checked to be byte-identical. Last line:
``site_build_s: N`` (the full build with the default of one process plus the snapshot
writes, audits excluded).

Usage: python benchmarks/site.py [--limit N] [--out DIR] [--workers N]
(default: every model, 10,499)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import SHARED  # noqa: E402
from openscope.errors import OpenscopeError  # noqa: E402
from openscope.explorer import site as site_mod  # noqa: E402
from openscope.explorer.collect import audit_refs  # noqa: E402
from openscope.explorer.snapshots import SnapshotStore  # noqa: E402
from openscope.sources.options import SourceOptions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1,
                        help="also time a build with this many rendering processes")
    args = parser.parse_args()
    ids = [json.loads(line)["id"] for line in
           (SHARED / "hub" / "index.jsonl").read_text().splitlines() if line.strip()]
    if args.limit:
        ids = ids[: args.limit]
    refs = [f"hf:{i}" for i in ids]
    options = SourceOptions(mirror=SHARED / "hub", offline=True, use_cache=False,
                            follow_links=False)
    work = Path(tempfile.mkdtemp(prefix="openscope-site-bench-"))
    out = args.out or work / "site"
    if out.exists():
        shutil.rmtree(out)
    store = SnapshotStore(out)
    t0 = time.perf_counter()
    results = audit_refs(refs, options, jobs=args.jobs, lineage_depth=0, progress=False,
                         store=store)
    audit_s = time.perf_counter() - t0
    audited = [r for r in results if not isinstance(r, OpenscopeError)]
    print(f"releases: {len(audited)} of {len(refs)} mirror models audited in {audit_s:.1f} s "
          f"({len(refs) - len(audited)} failed)")
    print(f"snapshots written while auditing: {store.written} in {store.seconds:.2f} s, "
          f"{store.bytes / 1e6:.1f} MB ({store.bytes / max(store.written, 1):,.0f} bytes each; "
          f"downloads, not page weight)")
    entries = [site_mod.entry_of(a.data, a.extra) for a in audited]

    try:
        base = work / "baseline"
        base.mkdir()
        t0 = time.perf_counter()
        base_bytes = 0
        for entry in entries:
            text = json.dumps(entry.data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
            path = base / f"{site_mod.slug_of(entry.summary['ref'])}.json"
            path.write_text(text, encoding="utf-8")
            base_bytes += len(text.encode("utf-8"))
        baseline_s = time.perf_counter() - t0
        print(f"baseline (reports as JSON files): {baseline_s:.2f} s, {base_bytes / 1e6:.1f} MB")

        t0 = time.perf_counter()
        stats = site_mod.build(out, entries, "openscope explorer: mirror")
        pages_s = time.perf_counter() - t0
        build_s = pages_s + store.seconds
        pages = stats.page_bytes
        print(f"site build: {build_s:.2f} s ({pages_s:.2f} s of pages + {store.seconds:.2f} s "
              f"of snapshots; {build_s / max(baseline_s, 1e-9):.1f}x the baseline), "
              f"{stats.pages_written} pages, {stats.total_bytes / 1e6:.1f} MB in all + "
              f"{stats.snapshot_bytes / 1e6:.1f} MB of snapshots")
        budget = site_mod.PAGE_BUDGET
        mean_page = statistics.mean(pages) if pages else 0
        max_page = max(pages) if pages else 0
        index_bytes = sum((out / p).stat().st_size for p in
                          ("index.html", "assets/app.js", "assets/style.css"))
        per_row = stats.data_bytes / max(len(entries), 1)

        def verdict(value: float, key: str) -> str:
            return f"budget {budget[key]:,}: {'within' if value <= budget[key] else 'OVER'}"

        mean_verdict = verdict(mean_page, "release_page_mean")
        print(f"release page bytes: mean {mean_page:,.0f} ({mean_verdict}), max "
              f"{max_page:,} ({verdict(max_page, 'release_page_max')})")
        reports = stats.report_bytes
        mean_report = statistics.mean(reports) if reports else 0
        print(f"report JSON bytes: mean {mean_report:,.0f} (compact; the baseline's "
              f"indented files: {base_bytes / max(len(entries), 1):,.0f})")
        print(f"leaderboard first load: {index_bytes:,} bytes of page, script and style "
              f"({verdict(index_bytes, 'leaderboard_first_load')}) + "
              f"{stats.data_bytes:,} bytes of data/releases.json "
              f"({per_row:.0f} per release, {verdict(per_row, 'data_per_release')})")
        t0 = time.perf_counter()
        again = site_mod.build(out, entries, "openscope explorer: mirror")
        rebuild_s = time.perf_counter() - t0
        print(f"incremental rebuild (nothing changed): {rebuild_s:.2f} s, "
              f"{again.pages_skipped} pages skipped, {again.pages_written} written")
        if args.workers > 1:
            pooled = work / "pooled"
            t0 = time.perf_counter()
            site_mod.build(pooled, entries, "openscope explorer: mirror", workers=args.workers)
            pool_s = time.perf_counter() - t0
            same = all((pooled / p.relative_to(out)).read_bytes() == p.read_bytes()
                       for p in out.rglob("*")
                       if p.is_file() and p.parent.name != "snapshots")
            print(f"site build with {args.workers} rendering processes: {pool_s:.2f} s "
                  f"(byte-identical to the one-process build: {same})")
            shutil.rmtree(pooled, ignore_errors=True)
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(work / "baseline", ignore_errors=True)
    print(f"site_build_s: {build_s:.2f}")


if __name__ == "__main__":
    main()
