"""Final assembly: features joined with verdicts and licence classes.

Verdicts and licence classes are small tables (one row per verdict key, per licence id).
Each partition's features are joined to them on workers (:func:`finish_partition`) by
index lookup, and the verdict columns are written as Parquet dictionary columns, so the
cost does not grow with the number of verdict columns. The release table is the Parquet
dataset ``releases/part-NNNNN.parquet`` (input order), which the ``releases`` view of
``census.duckdb`` reads. Outputs are written under temporary names and renamed: assembly can be
interrupted and rerun at will, as it only reads the per-partition results.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from openscope import licenses
from openscope.census.schema import DATA_COLUMNS, LICENSE_COLUMNS, VERDICT_SCHEMA
from openscope.census.store import Layout, read_arrow, read_json
from openscope.census.verdicts import VERDICT_COLUMNS

#: Memory DuckDB may use in the main process (it spills to ``.work/tmp`` beyond that).
MEMORY_LIMIT = "400MB"

_LICENSE_SCHEMA = pa.schema([("license", pa.string())]
                            + [(n, pa.string()) for n, _, _ in LICENSE_COLUMNS])


#: Columns whose values are (nearly) all distinct: no dictionary encoding.
_UNIQUE = frozenset({"seq", "id", "likes", "downloads", "created_at", "verdict_key"})
#: Columns with min/max statistics in the Parquet parts (for readers' filters).
_STATISTICS = ("seq", "id", "author", "likes", "downloads", "created_at", "pipeline_tag",
               "library_name", "license", "license_openness", "license_kind", "profile",
               "mof_class", "osaid_outcome", "eu_outcome", "openwashing_outcome")


def column_order() -> list[str]:
    """Columns of the release table, in order."""
    data = [name for name, _, _ in DATA_COLUMNS if name not in ("verdict_key", "error")]
    lic = [name for name, _, _ in LICENSE_COLUMNS]
    at = data.index("license") + 1
    return [*data[:at], *lic, *data[at:], *(n for n, _ in VERDICT_COLUMNS), "verdict_key",
            "error"]


def license_table(values: list[str]) -> pa.Table:
    """Licence class of every distinct first licence tag, by :func:`licenses.classify`."""
    rows: dict[str, list[Any]] = {name: [] for name in _LICENSE_SCHEMA.names}
    for raw in values:
        c = licenses.classify(raw)
        rows["license"].append(raw)
        rows["license_canonical"].append(c.license.id if c.license else c.expression)
        rows["license_openness"].append(c.openness)
        kind = c.license.kind if c.license else ("expression" if c.members else "unknown")
        rows["license_kind"].append(kind)
    return pa.table(rows, schema=_LICENSE_SCHEMA)


def connect(layout: Layout) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection bounded in memory, spilling under the work folder."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar=false")
    con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
    con.execute("SET temp_directory=?", [str(layout.dir("tmp"))])
    return con


def _esc(text: str) -> str:
    return text.replace("'", "''")


def prepare_lookups(layout: Layout) -> tuple[Path, Path]:  # (licences, verdicts)
    """Write the deduplicated verdict table and the licence table; returns their paths.

    The licence ids are those the partition summaries list (``licenses``).
    """
    con = connect(layout)
    values_set: set[str] = set()
    for path in sorted((layout.work / "done").glob("*.json")):
        summary = read_json(path) or {}
        values_set.update(summary.get("licenses") or [])
    values = sorted(values_set)
    lic_path = layout.work / "licenses.parquet"
    pq.write_table(license_table(values), lic_path)
    verdict_files = sorted((layout.work / "verdicts").glob("*.parquet")) \
        if (layout.work / "verdicts").is_dir() else []
    if verdict_files:
        table = con.sql(
            "SELECT * FROM read_parquet(?) QUALIFY row_number() OVER "
            "(PARTITION BY verdict_key ORDER BY verdict_key) = 1 ORDER BY verdict_key",
            params=[[str(p) for p in verdict_files]]).to_arrow_table()
        table = table.select(VERDICT_SCHEMA.names).cast(VERDICT_SCHEMA)
    else:
        table = VERDICT_SCHEMA.empty_table()
    verdict_path = layout.work / "verdicts.parquet"
    pq.write_table(table, verdict_path)
    con.close()
    return lic_path, verdict_path


#: Lookup tables prepared by this process: (path, inode, mtime, size) -> prepared table.
#: A worker finishes many partitions against the same verdict and licence tables.
_PREPARED: dict[tuple[str, int, int, int], tuple[pa.Array, dict[str, pa.DictionaryArray]]] = {}


def _prepared(path: str, key: str, columns: list[str]) -> tuple[pa.Array,
                                                                 dict[str, pa.DictionaryArray]]:
    """(lookup key values, each column dictionary-encoded) of a lookup table file."""
    st = os.stat(path)
    ident = (path, st.st_ino, st.st_mtime_ns, st.st_size)
    found = _PREPARED.get(ident)
    if found is None:
        table = pq.read_table(path)
        # Each lookup column becomes (distinct values, code per lookup row); a release row
        # then only needs the code of its lookup row: one ``take`` per column.
        found = (table.column(key).combine_chunks(),
                 {name: pc.dictionary_encode(table.column(name).combine_chunks())
                  for name in columns})
        for old in [k for k in _PREPARED if k[0] == path]:
            del _PREPARED[old]
        _PREPARED[ident] = found
    return found


def _lookup(keys: pa.Array, path: str, key: str, columns: list[str]) -> dict[str, Any]:
    """Columns of the table in ``path`` for each of ``keys``, as dictionary arrays (null: no
    match)."""
    values, encoded = _prepared(path, key, columns)
    idx = pc.index_in(keys, value_set=values)
    out: dict[str, Any] = {}
    for name in columns:
        enc = encoded[name]
        codes = enc.indices.take(idx)  # null where no lookup row, or the value is null
        out[name] = pa.DictionaryArray.from_arrays(codes, enc.dictionary)
    return out


def finish_partition(task: dict[str, Any]) -> dict[str, Any]:
    """Join one partition's features with verdicts and licence classes; write its part."""
    features = read_arrow(task["features"])
    keys = features.column("verdict_key").combine_chunks()
    cols: dict[str, Any] = {name: features.column(name) for name in features.column_names}
    cols.update(_lookup(features.column("license").combine_chunks(), task["licenses"],
                        "license", [n for n, _, _ in LICENSE_COLUMNS]))
    cols.update(_lookup(keys, task["verdicts"], "verdict_key", [n for n, _ in VERDICT_COLUMNS]))
    table = pa.table({name: cols[name] for name in column_order()})
    dest = Path(task["dest"])
    tmp = dest.with_name(f".{dest.name}.tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=128 * 1024,
                   use_dictionary=[c for c in table.column_names if c not in _UNIQUE],
                   write_statistics=[c for c in _STATISTICS if c in table.column_names])
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
    rows = table.num_rows
    del table, cols, features
    pa.default_memory_pool().release_unused()  # keep long-lived workers small
    return {"index": task["index"], "rows": rows}


def _db_connect(layout: Layout) -> duckdb.DuckDBPyConnection:
    con = connect(layout)
    con.execute("SET threads=1")
    con.execute("SET memory_limit='256MB'")
    return con


def write_database(layout: Layout, lookups: tuple[Path, Path],
                   manifest_rows: list[tuple[str, str]]) -> None:
    """Write ``census.duckdb`` aside (:func:`publish_database` renames it).

    Tables ``verdicts`` (one row per verdict key), ``licenses`` (one row per licence id) and
    ``manifest``; the view ``releases`` reads the Parquet dataset (``releases/``, by absolute
    path), so the release table is written once, not twice. The Parquet dataset must
    already be in place (:func:`publish_parts`).
    """
    con = _db_connect(layout)
    db_tmp = layout.root / ".census.duckdb.tmp"
    db_tmp.unlink(missing_ok=True)
    con.execute(f"ATTACH '{_esc(str(db_tmp))}' AS out")
    lic, verdicts = lookups
    con.execute(f"CREATE TABLE out.verdicts AS SELECT * FROM read_parquet('{_esc(str(verdicts))}')")
    con.execute(f"CREATE TABLE out.licenses AS SELECT * FROM read_parquet('{_esc(str(lic))}')")
    con.execute("CREATE TABLE out.manifest (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO out.manifest VALUES (?, ?)", manifest_rows)
    con.execute("USE out")
    if any(layout.releases.glob("part-*.parquet")):
        parts = _esc(str(layout.releases.resolve() / "part-*.parquet"))
        con.execute(f"CREATE VIEW releases AS SELECT * FROM read_parquet('{parts}')")
    else:  # an empty census: no part to read, the same columns
        con.execute(f"CREATE VIEW releases AS SELECT {_empty_columns()} WHERE false")
    con.execute("USE memory")
    con.execute("DETACH out")
    con.close()


def _empty_columns() -> str:
    types = {n: t for n, t, _ in (*DATA_COLUMNS, *LICENSE_COLUMNS)}
    types.update(dict(VERDICT_COLUMNS))
    return ", ".join(f"NULL::{types[c]} AS {c}" for c in column_order())


def publish_parts(layout: Layout, parts_dir: Path) -> None:
    """Move the finished Parquet dataset into place."""
    replace_dir(parts_dir, layout.releases)


def publish_database(layout: Layout) -> None:
    """Move the finished database into place."""
    os.replace(layout.root / ".census.duckdb.tmp", layout.database)


def replace_dir(src: Path, dest: Path) -> None:
    """Move ``src`` to ``dest``, replacing it (the old one is removed first)."""
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(src, dest)
