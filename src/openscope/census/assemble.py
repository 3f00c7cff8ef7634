"""Final assembly: features joined with verdicts and licence classes, written twice.

The release table is written as one Parquet file (``releases/part-0.parquet``, rows in
input order) and as the ``releases`` table of ``census.duckdb``. Both are written under
temporary names and renamed, so assembly can be interrupted and rerun at will: it reads
only the per-partition results, which it never changes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from openscope import licenses
from openscope.census.schema import DATA_COLUMNS, LICENSE_COLUMNS
from openscope.census.store import Layout
from openscope.census.verdicts import VERDICT_COLUMNS

#: Memory DuckDB may use during assembly (it spills to ``.work/tmp`` beyond that).
MEMORY_LIMIT = "600MB"


def column_order() -> list[str]:
    """Columns of the release table, in order."""
    data = [name for name, _, _ in DATA_COLUMNS if name not in ("verdict_key", "error")]
    lic = [name for name, _, _ in LICENSE_COLUMNS]
    at = data.index("license") + 1
    return [*data[:at], *lic, *data[at:], *(n for n, _ in VERDICT_COLUMNS), "verdict_key",
            "error"]


def license_table(values: list[str]) -> pa.Table:
    """Licence class of every distinct first licence tag, by :func:`licenses.classify`."""
    rows: dict[str, list[Any]] = {"license": [], "license_canonical": [],
                                  "license_openness": [], "license_kind": []}
    for raw in values:
        c = licenses.classify(raw)
        rows["license"].append(raw)
        rows["license_canonical"].append(c.license.id if c.license else c.expression)
        rows["license_openness"].append(c.openness)
        kind = c.license.kind if c.license else ("expression" if c.members else "unknown")
        rows["license_kind"].append(kind)
    return pa.table(rows, schema=pa.schema([(k, pa.string()) for k in rows]))


def connect(layout: Layout) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection bounded in memory, spilling under the work folder."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar=false")
    con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
    con.execute("SET temp_directory=?", [str(layout.dir("tmp"))])
    con.execute("SET preserve_insertion_order=true")
    return con


def assemble(layout: Layout, manifest_rows: list[tuple[str, str]]) -> int:
    """Write the release table (Parquet and DuckDB); returns its row count."""
    con = connect(layout)
    features = str(layout.work / "features" / "*.parquet")
    verdicts = str(layout.work / "verdicts" / "*.parquet")
    values = [r[0] for r in con.execute(
        "SELECT DISTINCT license FROM read_parquet(?) WHERE license IS NOT NULL ORDER BY 1",
        [features]).fetchall()]
    lic = license_table(values)
    con.register("lic", lic)
    has_verdicts = any((layout.work / "verdicts").glob("*.parquet"))
    if has_verdicts:
        con.execute(f"CREATE TEMP VIEW v AS SELECT * FROM read_parquet('{_esc(verdicts)}') "
                    "QUALIFY row_number() OVER (PARTITION BY verdict_key) = 1")
    else:
        cols = ", ".join(f"NULL::{t} AS {n}" for n, t in VERDICT_COLUMNS)
        con.execute(f"CREATE TEMP VIEW v AS SELECT NULL::VARCHAR AS verdict_key, {cols} "
                    "WHERE false")
    select = ", ".join(f"{_qual(c)} AS {c}" for c in column_order())
    query = (f"SELECT {select} FROM read_parquet('{_esc(features)}') f "
             "LEFT JOIN lic l ON f.license = l.license "
             "LEFT JOIN v ON f.verdict_key = v.verdict_key ORDER BY f.seq")
    tmp_dir = layout.root / ".releases.tmp"
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    part = tmp_dir / "part-0.parquet"
    con.execute(f"COPY ({query}) TO '{_esc(str(part))}' "
                "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
    db_tmp = layout.root / ".census.duckdb.tmp"
    db_tmp.unlink(missing_ok=True)
    con.execute(f"ATTACH '{_esc(str(db_tmp))}' AS out")
    con.execute(f"CREATE TABLE out.releases AS SELECT * FROM read_parquet('{_esc(str(part))}')")
    con.execute("CREATE TABLE out.manifest (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO out.manifest VALUES (?, ?)", manifest_rows)
    count = int(con.execute("SELECT count(*) FROM out.releases").fetchone()[0])  # type: ignore[index]
    con.execute("DETACH out")
    con.close()
    _replace_dir(tmp_dir, layout.releases)
    os.replace(db_tmp, layout.database)
    return count


def _qual(col: str) -> str:
    if col in {n for n, _, _ in LICENSE_COLUMNS}:
        return f"l.{col}"
    if col in {n for n, _ in VERDICT_COLUMNS}:
        return f"v.{col}"
    return f"f.{col}"


def _esc(text: str) -> str:
    return text.replace("'", "''")


def _replace_dir(src: Path, dest: Path) -> None:
    """Move ``src`` to ``dest``, replacing it (the old one is removed first)."""
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(src, dest)
