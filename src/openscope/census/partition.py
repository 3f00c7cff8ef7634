"""Processing one input partition: parse, validate, derive features, audit rich records.

:func:`process_partition` is the task a local process pool or a Dask worker runs. It reads
one JSONL partition, writes its features, its distinct verdict keys and the verdicts of
its rich records, and finally a small summary whose existence marks the partition done.
All writes are atomic, so a task killed half way leaves no trace a rerun could trust.

A malformed record (not JSON, not an object, no id, a field of the wrong type) becomes an
*error row* with its reason; the rest of the partition goes on.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openscope.census.features import derive, read_raw
from openscope.census.schema import FEATURES_SCHEMA, error_table, verdict_table
from openscope.census.store import (
    Layout,
    write_arrow_atomic,
    write_bytes_atomic,
    write_json_atomic,
    write_parquet_atomic,
)
from openscope.census.verdicts import audit_key, audit_record
from openscope.evidence.weights import weight_format
from openscope.sources.hubrecord import listing_from

_INT_FIELDS = ("likes", "downloads")
_STR_FIELDS = ("createdAt", "pipeline_tag", "library_name")
#: Sampled keyed rows per partition audited on their own to check the verdict key.
KEY_CHECKS = 8


_LOCAL = threading.local()


def _connect() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection (one per worker thread, reused across tasks)."""
    con: duckdb.DuckDBPyConnection | None = getattr(_LOCAL, "con", None)
    if con is None:
        con = duckdb.connect()
        con.execute("SET threads=1")
        con.execute("SET enable_progress_bar=false")
        _LOCAL.con = con
    return con


def validate(line: str) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(record, error, id) for one input line; ``error`` is ``None`` for a good record."""

    def _no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        record = json.loads(line.lstrip("\ufeff"), parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        where = f" at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        return None, f"invalid JSON: {msg}{where}", None
    if not isinstance(record, dict):
        return None, f"record is a JSON {type(record).__name__}, not an object", None
    try:  # JSON escapes can spell lone surrogates ("\\udc80"), which no output can hold
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, RecursionError):
        rid = record.get("id")
        shown = rid.encode("utf-8", "backslashreplace").decode("utf-8") \
            if isinstance(rid, str) else None
        return None, "record holds text that is not valid Unicode (a lone surrogate)", shown
    rid = record.get("id")
    if not isinstance(rid, str) or not rid.strip():
        return None, "record has no id (a non-empty string)", None
    tags = record.get("tags")
    if tags is not None and (not isinstance(tags, list)
                             or not all(isinstance(t, str) for t in tags)):
        return None, "tags is not a list of strings", rid
    for field in _INT_FIELDS:
        value = record.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not -(2**63) <= value < 2**63):
            return None, f"{field} is not an integer", rid
    for field in _STR_FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return None, f"{field} is not a string", rid
    return record, None, rid


def _parse(con: duckdb.DuckDBPyConnection, path: Path, lines: _Lines | None,
           first_seq: int) -> tuple[pa.Table, np.ndarray, list[dict[str, Any]]]:
    """(raw table, seq of each raw row, error rows). Fast path first, per line if needed."""
    try:
        raw = read_raw(con, str(path))
        return raw, np.arange(first_seq, first_seq + raw.num_rows, dtype=np.int64), []
    except duckdb.Error:
        pass
    lines = lines if lines is not None else _lines(path)
    good: list[str] = []
    seqs: list[int] = []
    errors: list[dict[str, Any]] = []
    for i, line in enumerate(lines):
        record, error, rid = validate(line)
        if error is not None or record is None:
            errors.append({"seq": first_seq + i, "id": rid, "error": error})
            continue
        good.append(json.dumps(record, ensure_ascii=False))
        seqs.append(first_seq + i)
    clean = path.with_name(path.name + ".clean")
    write_bytes_atomic(clean, ("\n".join(good) + "\n").encode("utf-8") if good else b"")
    try:
        raw = read_raw(con, str(clean)) if good else _empty_raw(con)
    except duckdb.Error as exc:  # the reader still refuses what Python accepted
        reason = f"unreadable record: {str(exc).splitlines()[0][:200]}"
        errors += [{"seq": s, "id": None, "error": reason} for s in seqs]
        raw, seqs = _empty_raw(con), []
    finally:
        clean.unlink(missing_ok=True)
    return raw, np.asarray(seqs, dtype=np.int64), errors


def _empty_raw(con: duckdb.DuckDBPyConnection) -> pa.Table:
    from openscope.census.features import RAW_COLUMNS

    cols = ", ".join(f"NULL::{'VARCHAR' if t == 'JSON' else t} AS \"{k}\""
                     for k, t in RAW_COLUMNS.items())
    table = con.sql(f"SELECT {cols} WHERE false").to_arrow_table()
    return table.select(["id", "likes", "downloads", "createdAt", "pipeline_tag",
                         "library_name", "tags", "gated", "private", "disabled"]).append_column(
        "rich", pa.array([], pa.bool_()))


class _Lines:
    """The lines of a partition file, decoded on demand (a partition has no blank lines).

    ``lines[i]`` is the i-th line (``split(b"\\n")[i]``), found through the positions of
    the newlines, computed once, without splitting the file into one object per line.
    """

    def __init__(self, path: Path) -> None:
        self._data = path.read_bytes()
        self._ends: np.ndarray | None = None

    def __getitem__(self, i: int) -> str:
        if self._ends is None:
            self._ends = np.flatnonzero(np.frombuffer(self._data, dtype=np.uint8) == 10)
        start = int(self._ends[i - 1]) + 1 if i > 0 else 0
        end = int(self._ends[i]) if i < len(self._ends) else len(self._data)
        return self._data[start:end].decode("utf-8", "replace")

    def __iter__(self) -> Iterator[str]:
        for raw in self._data.split(b"\n"):
            if raw.strip():
                yield raw.decode("utf-8", "replace")


def _lines(path: Path) -> _Lines:
    """The lines of a partition file."""
    return _Lines(path)


def _no_id_rows(raw: pa.Table, seqs: np.ndarray) -> tuple[pa.Table, np.ndarray,
                                                           list[dict[str, Any]]]:
    ids = raw.column("id")
    bad = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(ids), ""), True)
    bad_np = np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)
    if not bad_np.any():
        return raw, seqs, []
    errors = [{"seq": int(s), "id": None, "error": "record has no id (a non-empty string)"}
              for s in seqs[bad_np]]
    keep = pa.array(~bad_np)
    return raw.filter(keep), seqs[~bad_np], errors


def _record_formats(record: dict[str, Any]) -> list[str]:
    files = listing_from(record) or ()
    found = {fmt[0] for f in files if (fmt := weight_format(f.path)) is not None}
    return sorted(found)


def process_partition(task: dict[str, Any]) -> dict[str, Any]:
    """Process one partition; returns (and records) its summary.

    ``task`` holds ``root`` (the census folder), ``index``, ``path`` (the JSONL partition)
    and ``first_seq`` (the input position of its first record).
    """
    layout = Layout(Path(task["root"]))
    index = int(task["index"])
    path = Path(task["path"])
    first_seq = int(task["first_seq"])
    con = _connect()
    raw, seqs, errors = _parse(con, path, None, first_seq)
    raw, seqs, more = _no_id_rows(raw, seqs)
    errors += more
    features, keys = derive(raw, seqs)
    rich_np = np.asarray(features.column("rich").to_numpy(zero_copy_only=False), dtype=bool)
    lines: _Lines | None = None
    seq_np = np.asarray(features.column("seq").to_numpy(), dtype=np.int64)
    need_lines = bool(rich_np.any()) or KEY_CHECKS > 0
    if need_lines and features.num_rows:
        lines = _lines(path)
    rich_rows: list[dict[str, Any]] = []
    if rich_np.any() and lines is not None:
        vkeys = features.column("verdict_key").to_pylist()
        formats = features.column("weight_formats").to_pylist()
        for pos in np.flatnonzero(rich_np).tolist():
            line = lines[int(seq_np[pos]) - first_seq]
            record = json.loads(line)
            vkey = "r" + hashlib.sha256(line.encode("utf-8")).hexdigest()[:24]
            vkeys[pos] = vkey
            formats[pos] = sorted(set(formats[pos] or []) | set(_record_formats(record)))
            rich_rows.append({"verdict_key": vkey, **audit_record(record)})
        features = features.set_column(features.schema.get_field_index("verdict_key"),
                                       "verdict_key", pa.array(vkeys, pa.string()))
        features = features.set_column(features.schema.get_field_index("weight_formats"),
                                       "weight_formats",
                                       pa.array(formats, pa.list_(pa.string())))
        used = pc.is_in(keys.column("verdict_key"),
                        value_set=features.column("verdict_key").filter(pa.array(~rich_np)))
        keys = keys.filter(used)
    checks = _check_keys(features, keys, lines, first_seq, rich_np)
    features = features.drop_columns(["rich"])
    if errors:
        features = pa.concat_tables([features, error_table(errors, features.schema)],
                                    promote_options="default")
        features = features.sort_by("seq")
    else:
        features = features.append_column("error", pa.nulls(features.num_rows, pa.string()))
    write_parquet_atomic(layout.keys(index), keys)
    if rich_rows:
        write_parquet_atomic(layout.dir("verdicts") / f"rich-{index:05d}.parquet",
                             verdict_table(rich_rows))
    write_arrow_atomic(layout.features(index), features.cast(FEATURES_SCHEMA))
    summary = {
        "index": index,
        "first_seq": first_seq,
        "rows": features.num_rows,
        "errors": len(errors),
        "rich": int(rich_np.sum()),
        "keys": keys.num_rows,
        "key_checks": checks,
        "licenses": sorted(v for v in pc.unique(features.column("license")).to_pylist() if v),
    }
    write_json_atomic(layout.done(index), summary, durable=False)
    path.unlink(missing_ok=True)
    del raw, features, keys, lines
    pa.default_memory_pool().release_unused()  # keep long-lived workers small
    return summary


def _check_keys(features: pa.Table, keys: pa.Table, lines: _Lines | None, first_seq: int,
                rich: np.ndarray) -> dict[str, Any]:
    """Audit a spread sample of keyed rows on their own; count disagreements with the key."""
    result: dict[str, Any] = {"checked": 0, "mismatches": 0, "examples": []}
    if lines is None or KEY_CHECKS <= 0:
        return result
    keyed = np.flatnonzero(~rich)
    if not len(keyed):
        return result
    step = max(1, math.ceil(len(keyed) / KEY_CHECKS))
    by_key = {row["verdict_key"]: row for row in keys.to_pylist()}
    seqs = features.column("seq").to_numpy()
    vkeys = features.column("verdict_key")
    for pos in keyed[::step][:KEY_CHECKS].tolist():
        record = json.loads(lines[int(seqs[pos]) - first_seq])
        key = by_key[vkeys[pos].as_py()]
        result["checked"] += 1
        if audit_key(key) != audit_record(record):
            result["mismatches"] += 1
            if len(result["examples"]) < 3:
                result["examples"].append(record.get("id"))
    return result
