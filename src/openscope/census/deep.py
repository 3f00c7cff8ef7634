"""``census --deep``: fetch cards and licence files for the rows that need them.

Rows whose listing leaves the licence undecided (no licence tag, or ``other`` /
``unknown`` / an unidentified id) are collected with a real source - the Hub
(:class:`~openscope.sources.hub.HubSource`, with its snapshot cache) or a mirror folder -
and audited individually with :func:`openscope.pipeline.audit_snapshot`, exactly as
``openscope audit hf:ID`` would. Their verdicts replace the metadata-only ones (their
``verdict_key`` starts with ``d``); a row that cannot be fetched keeps its metadata verdict
and the reason is counted in the manifest.

Resumable: results are written in batches, atomically, and rows already done are skipped
on a rerun; the outputs are then reassembled.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from openscope.census.executors import InlineExecutor
from openscope.census.runner import Progress, finalize
from openscope.census.schema import FEATURES_SCHEMA, verdict_table
from openscope.census.store import (
    Layout,
    arrow_reader,
    read_arrow,
    read_json,
    write_arrow_atomic,
    write_parquet_atomic,
)
from openscope.census.verdicts import verdict_row
from openscope.errors import OpenscopeError, UsageError

#: Rows audited per result file (the unit of resumption).
BATCH = 200

#: Which rows need cards and licence files (SQL over the features).
NEEDS_DEEP = "license IS NULL OR license_openness = 'unknown'"


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def deep_key(repo_id: str) -> str:
    """The verdict key of a row audited with its card and licence files."""
    return "d" + hashlib.sha256(repo_id.encode("utf-8")).hexdigest()[:24]


def _collect(repo_id: str, mirror: Path | None) -> dict[str, Any]:
    from openscope.pipeline import audit_snapshot
    from openscope.sources.base import open_ref
    from openscope.sources.options import SourceOptions

    try:
        snap = open_ref(f"hf:{repo_id}", SourceOptions(mirror=mirror))
    except OpenscopeError as exc:
        return {"id": repo_id, "problem": exc.message}
    return {"id": repo_id, "row": {"verdict_key": deep_key(repo_id),
                                   **verdict_row(audit_snapshot(snap))}}


def run_deep(out: Path, *, mirror: Path | None = None, limit: int | None = None,
             progress: Progress | None = None, keep_work: bool = False,
             threads: int = 8) -> dict[str, Any]:
    """Audit the rows that need it with cards and licence files; reassemble the census."""
    report = progress or (lambda stage, done, total: None)
    layout = Layout(Path(out))
    manifest = read_json(layout.manifest)
    deep_done = (manifest or {}).get("deep") or {}
    if (manifest is not None and not (layout.work / "features").is_dir()
            and deep_done.get("limit") == limit
            and deep_done.get("source") == (str(mirror) if mirror else "hub")):
        return dict(manifest)  # this deep census is complete already
    if manifest is None or not (layout.work / "features").is_dir():
        raise UsageError(f"{out}: no census work folder to deepen",
                         "run the census with --deep (or --keep-work) from the start")
    deep_dir = layout.dir("deep")
    con = duckdb.connect()
    lic = str(layout.work / "licenses.parquet")
    con.register("features", arrow_reader(layout.feature_files(), FEATURES_SCHEMA))
    rows = con.execute(
        f"SELECT f.id FROM features f LEFT JOIN read_parquet(?) l USING (license) "
        f"WHERE f.error IS NULL AND ({NEEDS_DEEP}) ORDER BY f.downloads DESC NULLS LAST, f.seq",
        [lic]).fetchall()
    ids = list(dict.fromkeys(r[0] for r in rows))
    if limit is not None:
        ids = ids[:limit]
    done: set[str] = set()
    problems: dict[str, str] = {}
    for path in deep_dir.glob("batch-*.parquet"):
        table = pq.read_table(path, columns=["id", "problem"])
        for rid, problem in zip(table.column("id").to_pylist(),
                                table.column("problem").to_pylist(), strict=True):
            done.add(rid)
            if problem:
                problems[rid] = problem
    todo = [i for i in ids if i not in done]
    report("deep", len(ids) - len(todo), len(ids))
    with cf.ThreadPoolExecutor(max_workers=threads) as pool:
        for batch in _batches(todo, BATCH):
            results = list(pool.map(lambda rid: _collect(rid, mirror), batch))
            _write_batch(deep_dir, batch, results)
            for r in results:
                if "problem" in r:
                    problems[r["id"]] = r["problem"]
            done.update(batch)
            report("deep", len(ids) - len(todo) + len(done & set(todo)), len(ids))
    audited = _apply(layout, deep_dir)
    counts = dict(manifest["counts"])
    counts.update({"deep_selected": len(ids), "deep": audited,
                   "deep_problems": len(problems)})
    manifest = {**manifest, "counts": counts,
                "deep": {"rule": NEEDS_DEEP, "source": str(mirror) if mirror else "hub",
                         "limit": limit,
                         "problem_examples": dict(sorted(problems.items())[:10])}}
    return finalize(layout, InlineExecutor(), manifest, report, keep_work)


def _write_batch(deep_dir: Path, batch: list[str], results: list[dict[str, Any]]) -> None:
    name = hashlib.sha256("\n".join(batch).encode()).hexdigest()[:20]
    good = [r["row"] for r in results if "row" in r]
    write_parquet_atomic(deep_dir / f"verdicts-{name}.parquet", verdict_table(good))
    status = pa.table({"id": [r["id"] for r in results],
                       "problem": [r.get("problem") for r in results]},
                      schema=pa.schema([("id", pa.string()), ("problem", pa.string())]))
    write_parquet_atomic(deep_dir / f"batch-{name}.parquet", status)


def _apply(layout: Layout, deep_dir: Path) -> int:
    """Point deep rows at their deep verdicts (features rewritten atomically); count them."""
    tables = [pq.read_table(p) for p in sorted(deep_dir.glob("verdicts-*.parquet"))]
    if not tables:
        return 0
    verdicts = pa.concat_tables(tables)
    write_parquet_atomic(layout.dir("verdicts") / "deep.parquet", verdicts)
    keys = set(verdicts.column("verdict_key").to_pylist())
    total = 0
    for path in layout.feature_files():
        table = read_arrow(path)
        ids = table.column("id").to_pylist()
        new = [deep_key(i) if i is not None and deep_key(i) in keys else None for i in ids]
        mask = np.array([k is not None for k in new], dtype=bool)
        if not mask.any():
            continue
        total += int(mask.sum())
        old = table.column("verdict_key")
        merged = pc.if_else(pa.array(mask), pa.array(new, pa.string()), old)
        table = table.set_column(table.schema.get_field_index("verdict_key"), "verdict_key",
                                 merged)
        write_arrow_atomic(path, table)
    return total
