"""The layout of a census output folder and atomic file writes.

::

    OUT/manifest.json            written last: the census is complete when it exists
    OUT/releases/part-0.parquet  the release table (Parquet dataset)
    OUT/census.duckdb            the view ``releases`` over that dataset, plus ``verdicts``,
                                 ``licenses`` and ``manifest`` tables
    OUT/.work/state.json         what this folder is a census of (input, options, versions)
    OUT/.work/split/             input partitions (JSONL), deleted once processed
    OUT/.work/features/          one Arrow IPC file per processed partition (uncompressed:
                                 written and read back at memory speed)
    OUT/.work/keys/              distinct verdict keys per partition
    OUT/.work/verdicts/          verdict rows per key chunk and per rich partition
    OUT/.work/done/              one summary per processed partition (the commit point)

Every file is written to a temporary name and renamed, so a process killed at any moment
leaves either the whole file or none of it; a rerun redoes only what has no commit point.
(A rename is atomic for a killed process without ``fsync``; only the manifest and state are
also flushed to disk, against a machine crash.)
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


@dataclass(frozen=True)
class Layout:
    """Paths inside one census output folder."""

    root: Path

    @property
    def work(self) -> Path:
        """Intermediate results kept until the census completes."""
        return self.root / ".work"

    @property
    def state(self) -> Path:
        """The identity of the census being built (input fingerprint, options)."""
        return self.work / "state.json"

    @property
    def manifest(self) -> Path:
        """The manifest of a complete census."""
        return self.root / "manifest.json"

    @property
    def releases(self) -> Path:
        """The Parquet dataset of releases."""
        return self.root / "releases"

    @property
    def database(self) -> Path:
        """The DuckDB database."""
        return self.root / "census.duckdb"

    def dir(self, name: str) -> Path:
        """A work sub-folder (created)."""
        path = self.work / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def split_part(self, index: int) -> Path:
        """Input partition ``index``."""
        return self.dir("split") / f"part-{index:05d}.jsonl"

    def features(self, index: int) -> Path:
        """Features of partition ``index``."""
        return self.dir("features") / f"part-{index:05d}.arrow"

    def feature_files(self) -> list[Path]:
        """Features of every processed partition, in partition order."""
        folder = self.work / "features"
        return sorted(folder.glob("part-*.arrow")) if folder.is_dir() else []

    def keys(self, index: int) -> Path:
        """Distinct verdict keys of partition ``index``."""
        return self.dir("keys") / f"part-{index:05d}.parquet"

    def done(self, index: int) -> Path:
        """Summary of partition ``index``: its existence marks the partition complete."""
        return self.dir("done") / f"part-{index:05d}.json"


def write_bytes_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file (fsync'd if ``durable``), renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any, durable: bool = True) -> None:
    """Write canonical JSON (sorted keys) atomically."""
    text = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False, default=str) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"), durable)


def write_parquet_atomic(path: Path, table: pa.Table) -> None:
    """Write an intermediate Parquet file atomically (fast: snappy, no statistics)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        unique = {"seq", "id", "likes", "downloads", "created_at"}
        pq.write_table(table, tmp, compression="snappy", write_statistics=False,
                       use_dictionary=[c for c in table.column_names if c not in unique])
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_arrow_atomic(path: Path, table: pa.Table) -> None:
    """Write an intermediate table atomically as an uncompressed Arrow IPC file.

    Used for the features, which are read back whole (and memory-mapped) by the same
    census: no encoding or compression to pay for on either side.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh, pa.ipc.new_file(fh, table.schema) as writer:
            writer.write_table(table)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_arrow(path: Path | str) -> pa.Table:
    """An Arrow IPC file written by :func:`write_arrow_atomic` (memory-mapped)."""
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def arrow_reader(paths: list[Path], schema: pa.Schema) -> pa.RecordBatchReader:
    """One stream of the batches of several Arrow IPC files, in order, cast to ``schema``."""

    def batches() -> Any:
        for path in paths:
            yield from read_arrow(path).cast(schema).to_batches()

    return pa.RecordBatchReader.from_batches(schema, batches())


def read_json(path: Path) -> Any:
    """Read a JSON file, or ``None`` when it does not exist or is unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
