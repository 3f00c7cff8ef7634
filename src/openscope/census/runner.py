"""Running a census: split the input, process partitions, audit keys, assemble.

Safe to kill at any point and rerun (see :mod:`openscope.census.store`): a partition is
processed again only if its summary is missing; keys already audited are not audited
again; assembly rewrites the outputs from the per-partition results. A rerun refuses to
continue a folder that holds a census of another input or with other options.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from openscope import __version__, licenses
from openscope.census.assemble import (
    connect,
    prepare_lookups,
    publish_database,
    publish_parts,
    write_database,
)
from openscope.census.cache import cache_dir, census_fingerprint
from openscope.census.executors import Executor, make_executor, wait_some
from openscope.census.inputs import Input, fetch_listing, open_input, stat_size
from openscope.census.keyspec import KEY_VERSION
from openscope.census.schema import DATA_COLUMNS, LICENSE_COLUMNS, VERDICT_SCHEMA
from openscope.census.store import (
    Layout,
    read_json,
    write_bytes_atomic,
    write_json_atomic,
    write_parquet_atomic,
)
from openscope.census.tasks import audit_keys, finish_partition, process_partition
from openscope.census.verdicts import VERDICT_COLUMNS
from openscope.errors import UsageError
from openscope.report import FRAMEWORK_VERSIONS

CENSUS_FORMAT = "openscope.census"
CENSUS_VERSION = "1"

#: Progress callback: (stage, done, total or None).
Progress = Callable[[str, int, int | None], None]


@dataclass
class CensusOptions:
    """How to run a census.

    Attributes:
        rows_per_partition: records per partition (the unit of work and of resumption).
        workers: local worker processes (default: CPU count; 1 runs in process).
        scheduler: a Dask scheduler address; tasks then run on that cluster.
        keep_work: keep ``.work/`` after success (per-partition results).
        force: start afresh in a folder that holds another census.
        verdict_cache: reuse verdicts computed by earlier runs of the same code
            (:mod:`openscope.census.cache`).
    """

    rows_per_partition: int = 50_000
    workers: int | None = None
    scheduler: str | None = None
    keep_work: bool = False
    force: bool = False
    verdict_cache: bool = True
    progress: Progress | None = field(default=None, repr=False)


def criteria_versions() -> dict[str, str]:
    """Versions of everything a verdict depends on."""
    return {**FRAMEWORK_VERSIONS, "license_data": str(licenses.KB_VERSION),
            "verdict_key": KEY_VERSION}


def _state(inp: Input, options: CensusOptions) -> dict[str, Any]:
    return {
        "format": CENSUS_FORMAT,
        "version": CENSUS_VERSION,
        "tool": __version__,
        "code": census_fingerprint()[:16],
        "criteria": criteria_versions(),
        "input": inp.fingerprint(),
        "rows_per_partition": options.rows_per_partition,
    }


def _prepare(layout: Layout, state: dict[str, Any], force: bool) -> dict[str, Any] | None:
    """Check the folder; returns the manifest when the same census is already complete."""
    manifest = read_json(layout.manifest)
    previous = read_json(layout.state)
    if manifest is not None and previous is None:
        if manifest.get("state") == state:
            return dict(manifest)
        if not force:
            raise UsageError(f"{layout.root} already holds a census of another input, "
                             "version or options", "choose a new output folder, or pass --force")
    started = (layout.work / "done").is_dir() and any((layout.work / "done").iterdir())
    if previous is not None and {k: v for k, v in previous.items() if k != "sha256"} != state:
        if not force and started:
            raise UsageError(f"{layout.root} holds an unfinished census of another input or "
                             "with other options", "rerun with the same input and options, "
                             "choose a new folder, or pass --force")
        _clear(layout)  # nothing of it was finished, or --force: start afresh
        previous = None
    elif force and previous is None:
        _clear(layout)
    layout.work.mkdir(parents=True, exist_ok=True)
    if previous is None:
        write_json_atomic(layout.state, state)
    return None


def _clear(layout: Layout) -> None:
    """Remove a previous census's files (only the ones a census writes)."""
    shutil.rmtree(layout.work, ignore_errors=True)
    shutil.rmtree(layout.releases, ignore_errors=True)
    layout.database.unlink(missing_ok=True)
    layout.manifest.unlink(missing_ok=True)


def run_census(source: str, out: Path, options: CensusOptions | None = None) -> dict[str, Any]:
    """Run (or resume, or confirm) the census of ``source`` into ``out``; returns the manifest."""
    options = options or CensusOptions()
    if options.rows_per_partition < 1:
        raise UsageError("--partition-rows must be at least 1")
    report = options.progress or (lambda stage, done, total: None)
    started = time.monotonic()
    inp = open_input(source)
    layout = Layout(Path(out))
    state = _state(inp, options)
    done_manifest = _prepare(layout, state, options.force)
    if done_manifest is not None:
        return done_manifest
    if inp.kind == "hub":
        report("listing", 0, None)
        fetch_listing(inp, layout.work / "listing.jsonl")
    estimate = max(1, stat_size(inp.path) * (8 if inp.path.name.endswith(".gz") else 1)
                   // (300 * options.rows_per_partition) + 1) if inp.kind != "mirror" else 1
    executor = make_executor(options.workers, options.scheduler, estimate)
    try:
        summaries, total_rows = _split_and_process(inp, layout, options, executor, report)
        _check_sha(layout, state, inp)
        audited, cached = _audit_keys(layout, executor, report, options.verdict_cache)
        counts = {
            "rows": total_rows,
            "partitions": len(summaries),
            "errors": sum(s["errors"] for s in summaries),
            "rich": sum(s["rich"] for s in summaries),
            "verdict_keys": _count_keys(layout),
            "audits_this_run": audited,
            "verdicts_from_cache": cached,
        }
        checks = {"checked": sum(s["key_checks"]["checked"] for s in summaries),
                  "mismatches": sum(s["key_checks"]["mismatches"] for s in summaries),
                  "examples": [e for s in summaries for e in s["key_checks"]["examples"]][:5]}
        manifest: dict[str, Any] = {
            "format": CENSUS_FORMAT,
            "version": CENSUS_VERSION,
            "tool": {"name": "openscope", "version": __version__},
            "criteria": criteria_versions(),
            "input": {"label": inp.label, "kind": inp.kind, "sha256": inp.sha256,
                      "query": inp.query or None,
                      **({"notes": inp.notes} if inp.notes else {})},
            "state": state,
            "counts": counts,
            "key_check": checks,
            "outputs": {"parquet": "releases/part-*.parquet", "duckdb": "census.duckdb",
                        "table": "releases"},
            "columns": [{"name": n, "type": t, "description": d}
                        for n, t, d in (*DATA_COLUMNS, *LICENSE_COLUMNS)]
            + [{"name": n, "type": t, "description": "verdict (see docs/census.md)"}
               for n, t in VERDICT_COLUMNS],
        }
        manifest = finalize(layout, executor, manifest, report, options.keep_work)
    finally:
        executor.close()
    manifest_out = dict(manifest)
    manifest_out["elapsed_seconds"] = round(time.monotonic() - started, 3)
    return manifest_out


def finalize(layout: Layout, executor: Executor, manifest: dict[str, Any], report: Progress,
             keep_work: bool) -> dict[str, Any]:
    """Assemble the outputs from the work folder, then write the manifest (last).

    The Parquet dataset is written aside and moved into place, then the database (whose
    ``releases`` view reads it), then the manifest: a census is complete only when its
    manifest exists, and a rerun redoes whatever assembly step was interrupted.
    """
    partitions = int(manifest["counts"]["partitions"])
    report("assemble", 0, partitions + 1)
    lookups = prepare_lookups(layout)
    rows = [(k, json.dumps(v, sort_keys=True)) for k, v in sorted(manifest.items())]
    parts_dir, written = _finish(layout, executor, partitions, lookups, report)
    if written != manifest["counts"]["rows"]:  # pragma: no cover - an internal invariant
        raise RuntimeError(f"assembled {written} rows, expected {manifest['counts']['rows']}")
    publish_parts(layout, parts_dir)
    write_database(layout, lookups, rows)
    publish_database(layout)
    write_json_atomic(layout.manifest, manifest)
    if not keep_work:
        shutil.rmtree(layout.work, ignore_errors=True)
    report("assemble", partitions + 1, partitions + 1)
    return manifest


def _split_and_process(inp: Input, layout: Layout, options: CensusOptions, executor: Executor,
                       report: Progress) -> tuple[list[dict[str, Any]], int]:
    """Stream the input into partitions, process the ones not done; all summaries."""
    summaries: dict[int, dict[str, Any]] = {}
    pending: list[Any] = []
    limit = max(2, executor.workers * 2)
    size = options.rows_per_partition
    index = 0
    total = 0

    def flush(payload: bytes, idx: int) -> None:
        done = read_json(layout.done(idx))
        if done is not None and layout.features(idx).is_file():
            summaries[idx] = done
            report("partitions", len(summaries), None)
            return
        path = layout.split_part(idx)
        write_bytes_atomic(path, payload, durable=False)  # re-creatable from the input
        pending.append(executor.submit(process_partition, {
            "root": str(layout.root), "index": idx, "path": str(path),
            "first_seq": idx * size}))
        for result in wait_some(executor, pending, limit):
            summaries[result["index"]] = result
            report("partitions", len(summaries), None)

    for payload, count in inp.partitions(size):
        flush(payload, index)
        index += 1
        total += count
        report("rows", total, None)
    report("rows", total, total)
    for result in wait_some(executor, pending, 1):
        summaries[result["index"]] = result
        report("partitions", len(summaries), index)
    return [summaries[i] for i in range(index)], total


def _check_sha(layout: Layout, state: dict[str, Any], inp: Input) -> None:
    """Record the input's SHA-256; refuse to mix partitions of two different inputs."""
    saved = read_json(layout.state) or {}
    if saved.get("sha256") and saved["sha256"] != inp.sha256:
        raise UsageError(f"the input changed since this census was started ({inp.label})",
                         "rerun with --force to start afresh")
    write_json_atomic(layout.state, {**state, "sha256": inp.sha256})


def _audit_keys(layout: Layout, executor: Executor, report: Progress,
                use_cache: bool) -> tuple[int, int]:
    """Audit every verdict key not audited yet, in chunks; (audited, taken from cache)."""
    if not any((layout.work / "keys").glob("*.parquet")):
        return 0, 0
    vdir = layout.dir("verdicts")
    con = connect(layout)
    con.execute("SET threads=1")
    keys_glob = str(layout.work / "keys" / "*.parquet")
    con.execute("CREATE TEMP TABLE todo AS SELECT * FROM read_parquet(?) "
                "QUALIFY row_number() OVER (PARTITION BY verdict_key) = 1", [keys_glob])
    done = [str(p) for p in vdir.glob("keys-*.parquet")]
    if done:
        con.execute("DELETE FROM todo WHERE verdict_key IN "
                    "(SELECT verdict_key FROM read_parquet(?))", [done])
    cached = 0
    cache = cache_dir() if use_cache else None
    cached_files = [str(p) for p in cache.glob("*.parquet")] if cache else []
    if cached_files:
        hits = con.sql("SELECT v.* FROM read_parquet(?, union_by_name=true) v "
                       "SEMI JOIN todo USING (verdict_key) QUALIFY row_number() OVER "
                       "(PARTITION BY verdict_key) = 1",
                       params=[cached_files]).to_arrow_table()
        if hits.num_rows:
            hits = hits.select(VERDICT_SCHEMA.names).cast(VERDICT_SCHEMA)
            name = hashlib.sha256("\n".join(sorted(hits.column("verdict_key").to_pylist()))
                                  .encode()).hexdigest()[:20]
            write_parquet_atomic(vdir / f"keys-cache-{name}.parquet", hits)
            con.register("hits", hits)
            con.execute("DELETE FROM todo WHERE verdict_key IN (SELECT verdict_key FROM hits)")
            cached = hits.num_rows
    todo = con.sql("SELECT * FROM todo ORDER BY verdict_key").to_arrow_table().to_pylist()
    con.close()
    if not todo:
        return 0, cached
    chunk = max(100, -(-len(todo) // (executor.workers * 4)))
    futures = []
    paths = []
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        name = hashlib.sha256("\n".join(k["verdict_key"] for k in part).encode()).hexdigest()
        path = vdir / f"keys-{name[:20]}.parquet"
        paths.append(path)
        futures.append(executor.submit(audit_keys, {"keys": part, "path": str(path)}))
    audited = 0
    for result in executor.completed(futures):
        audited += int(result["keys"])
        report("verdicts", audited, len(todo))
    if cache is not None:
        _store_in_cache(cache, paths)
    return audited, cached


def _store_in_cache(cache: Path, paths: list[Path]) -> None:
    """Copy freshly computed verdicts into the shared cache (atomically, best effort)."""
    import pyarrow.parquet as pq

    try:
        table = pa.concat_tables([pq.read_table(p) for p in paths])
        name = hashlib.sha256("\n".join(sorted(table.column("verdict_key").to_pylist()))
                              .encode()).hexdigest()[:20]
        write_parquet_atomic(cache / f"verdicts-{name}.parquet", table)
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def _finish(layout: Layout, executor: Executor, partitions: int, lookups: tuple[Path, Path],
            report: Progress) -> tuple[Path, int]:
    """Write every release part (features + licence + verdict columns) aside.

    Returns the folder of the parts and the number of rows written.
    """
    lic, verdicts = lookups
    parts_dir = layout.root / ".releases.tmp"
    shutil.rmtree(parts_dir, ignore_errors=True)
    parts_dir.mkdir(parents=True)
    futures = [executor.submit(finish_partition, {
        "index": i, "features": str(layout.features(i)), "licenses": str(lic),
        "verdicts": str(verdicts), "dest": str(parts_dir / f"part-{i:05d}.parquet")})
        for i in range(partitions)]
    written = 0
    for n, result in enumerate(executor.completed(futures), 1):
        written += int(result["rows"])
        report("assemble", n, partitions + 1)
    return parts_dir, written


def _count_keys(layout: Layout) -> int:
    """Distinct verdicts: keys of keyed rows plus records audited on their own."""
    con = duckdb.connect()
    total = 0
    keys = list((layout.work / "keys").glob("*.parquet"))
    if keys:
        total += int(con.execute("SELECT count(DISTINCT verdict_key) FROM read_parquet(?)",
                                 [[str(p) for p in keys]]).fetchall()[0][0])
    rich = list((layout.work / "verdicts").glob("rich-*.parquet")) \
        if (layout.work / "verdicts").is_dir() else []
    if rich:
        total += int(con.execute("SELECT count(DISTINCT verdict_key) FROM read_parquet(?)",
                                 [[str(p) for p in rich]]).fetchall()[0][0])
    con.close()
    return total
