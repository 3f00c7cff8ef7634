"""Columnar features of Hub list records: DuckDB parses, Arrow compute derives.

:func:`read_raw` parses a JSONL partition with DuckDB into an Arrow table of
:data:`RAW_COLUMNS`; :func:`derive` turns it into census data columns plus the verdict key
of :mod:`openscope.census.keyspec`, with vectorised Arrow kernels over the flattened tags
(no per-record Python). Nothing here judges openness: the key only decides which records
share one synthetic snapshot; the verdicts come from the audit code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openscope.census.keyspec import FORMAT_TAG_NAMES, KEY_FIELDS, RICH_FIELDS
from openscope.evidence.metadata import model_types
from openscope.evidence.research import ARCHIVE_DOI
from openscope.evidence.weights import FORMAT_TAGS

#: Columns read from every record, with their DuckDB types. Rich fields are read as JSON
#: only to tell whether they are present.
RAW_COLUMNS: dict[str, str] = {
    "id": "VARCHAR",
    "likes": "BIGINT",
    "downloads": "BIGINT",
    "createdAt": "VARCHAR",
    "pipeline_tag": "VARCHAR",
    "library_name": "VARCHAR",
    "tags": "VARCHAR[]",
    "gated": "JSON",
    "private": "JSON",
    "disabled": "JSON",
    **{f: "JSON" for f in RICH_FIELDS},
}

_NAME_CLAIM = r"(?i)open[-_]?source[^/]*$"  # evidence.claims: the repo name (after the last /)
_TAG_CLAIM = r"(?i)^open[-_ ]?source$"  # evidence.claims: a tag that is exactly the claim


def read_raw(con: duckdb.DuckDBPyConnection, path: str) -> pa.Table:
    """Parse a JSONL file strictly (a malformed line raises ``duckdb.Error``)."""
    cols = ", ".join(f"'{k}': '{v}'" for k, v in RAW_COLUMNS.items())
    rich = " OR ".join(f'"{f}" IS NOT NULL' for f in RICH_FIELDS)
    sql = (f"SELECT id, likes, downloads, createdAt, pipeline_tag, library_name, tags, "
           f"CAST(gated AS VARCHAR) AS gated, CAST(private AS VARCHAR) AS private, "
           f"CAST(disabled AS VARCHAR) AS disabled, ({rich}) AS rich "
           f"FROM read_json(?, format='newline_delimited', columns={{{cols}}}, "
           f"maximum_object_size=16777216)")
    table: pa.Table = con.sql(sql, params=[path]).to_arrow_table()
    return table


def _lists(parents: np.ndarray, n: int, mask: pa.Array, values: pa.Array) -> pa.ListArray:
    """Group masked flat values back into one list per row (order kept).

    ``values`` is either flat-length (filtered here) or already filtered by ``mask``.
    """
    m = np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
    counts = np.bincount(parents[m], minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    if len(values) != int(offsets[-1]):
        values = values.filter(mask)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _scatter(length: int, positions: np.ndarray) -> pa.Array:
    """A boolean mask of ``length`` with ``positions`` set."""
    out = np.zeros(length, dtype=bool)
    out[positions] = True
    return pa.array(out)


def _any(parents: np.ndarray, n: int, mask: pa.Array) -> pa.Array:
    m = np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
    return pa.array(np.bincount(parents[m], minlength=n) > 0)


def _first(lists: pa.ListArray) -> pa.Array:
    """The first element of each list (null for an empty or null list)."""
    n = len(lists)
    lengths = np.asarray(pc.fill_null(pc.list_value_length(lists), 0)
                         .to_numpy(zero_copy_only=False), dtype=np.int64)
    starts = np.asarray(lists.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)[:n]
    idx = pa.array(starts - int(lists.offset and 0), mask=lengths == 0)
    return lists.values.take(idx) if n else pa.array([], pa.string())


def derive(raw: pa.Table, seqs: np.ndarray) -> tuple[pa.Table, pa.Table]:
    """(features, keys): one features row per record, one keys row per distinct key.

    ``seqs`` numbers the rows of ``raw`` (their position in the whole input).

    ``features`` carries the data columns and ``verdict_key``; ``keys`` carries, for every
    distinct ``verdict_key``, the key fields (:data:`~openscope.census.keyspec.KEY_FIELDS`).
    """
    n = raw.num_rows
    tags = raw.column("tags").combine_chunks() if n else pa.array([], pa.list_(pa.string()))
    flat = tags.flatten()
    parents = np.asarray(pc.list_parent_indices(tags).to_numpy(zero_copy_only=False),
                         dtype=np.int64)

    def prefixed(prefix: str) -> tuple[pa.Array, pa.Array]:
        mask = pc.starts_with(flat, prefix)
        return mask, pc.utf8_slice_codeunits(flat.filter(mask), len(prefix))

    lic_mask, lic_vals = prefixed("license:")
    license_tags = _lists(parents, n, lic_mask, lic_vals)
    ds_mask, ds_vals = prefixed("dataset:")
    ax_mask, ax_vals = prefixed("arxiv:")
    # A DOI an archive minted for a repository (Hugging Face, Zenodo) is not a paper: the
    # audit ignores it, so the key does too.
    doi_mask = pc.starts_with(flat, "doi:")
    for prefix, _archive in ARCHIVE_DOI:
        doi_mask = pc.and_(doi_mask, pc.invert(pc.starts_with(flat, "doi:" + prefix)))
    bm_mask = pc.starts_with(flat, "base_model:")
    bm_pos = np.flatnonzero(np.asarray(bm_mask.to_numpy(zero_copy_only=False), dtype=bool))
    colons = np.asarray(pc.count_substring(flat.take(pa.array(bm_pos)), ":")
                        .to_numpy(zero_copy_only=False))
    bm2, bm3 = _scatter(len(flat), bm_pos[colons == 1]), _scatter(len(flat), bm_pos[colons == 2])
    fmt_index = pc.index_in(flat, value_set=pa.array(FORMAT_TAG_NAMES))
    fmt_mask = pc.is_valid(fmt_index)
    fmt_names = pa.array([FORMAT_TAGS[t] for t in FORMAT_TAG_NAMES], pa.string())
    fmt_mapped = fmt_names.take(fmt_index)
    k_formats = _lists(parents, n, fmt_mask, flat)
    weight_formats = _lists(parents, n, fmt_mask, fmt_mapped)
    # a claim tag is 10 or 11 characters long: run the regex on those only
    lengths = np.asarray(pc.utf8_length(flat).to_numpy(zero_copy_only=False))
    short = np.flatnonzero((lengths == 10) | (lengths == 11))
    hits = np.asarray(pc.match_substring_regex(flat.take(pa.array(short)), _TAG_CLAIM)
                      .to_numpy(zero_copy_only=False), dtype=bool)
    claim_mask = _scatter(len(flat), short[hits])
    base_models, base_relation, k_base_rel = _lineage(tags, parents, n, bm2, bm3)
    ids = raw.column("id").combine_chunks() if n else pa.array([], pa.string())
    gated = raw.column("gated")
    k_gated = pc.if_else(pc.equal(pc.fill_null(gated, "null"), "null"),
                         pa.scalar(None, pa.string()), gated)
    keycols: dict[str, Any] = {
        "k_license": license_tags,
        "k_formats": k_formats,
        "k_dataset": _any(parents, n, ds_mask),
        "k_arxiv": _any(parents, n, ax_mask),
        "k_doi": _any(parents, n, doi_mask),
        "k_base": _any(parents, n, bm2),
        "k_base_rel": k_base_rel,
        "k_claim_tag": _any(parents, n, claim_mask),
        "k_claim_name": pc.fill_null(pc.match_substring_regex(ids, _NAME_CLAIM), False),
        "k_library": pc.fill_null(pc.greater(pc.utf8_length(raw.column("library_name")), 0),
                                  False),
        "k_pipeline": pc.fill_null(pc.greater(pc.utf8_length(raw.column("pipeline_tag")), 0),
                                   False),
        "k_gated": k_gated,
        "k_private": pc.fill_null(pc.equal(raw.column("private"), "true"), False),
        "k_disabled": pc.fill_null(pc.equal(raw.column("disabled"), "true"), False),
        "k_tagged": pa.array(np.bincount(parents, minlength=n) > 0),
        "k_model_type": _any(parents, n, pc.is_in(flat, value_set=pa.array(
            sorted(model_types()), pa.string()))),
    }
    assert tuple(keycols) == KEY_FIELDS
    verdict_key, first_rows = _hash_keys(keycols, n)
    seq = pa.array(np.asarray(seqs, dtype=np.int64))
    author = pc.if_else(pc.match_substring(ids, "/"),
                        pc.list_element(pc.split_pattern(ids, "/", max_splits=1), 0),
                        pa.scalar(None, pa.string()))
    features = pa.table({
        "seq": seq,
        "id": ids,
        "author": author,
        "likes": raw.column("likes"),
        "downloads": raw.column("downloads"),
        "created_at": pc.cast(pc.strptime(pc.utf8_slice_codeunits(raw.column("createdAt"), 0, 19),
                                          "%Y-%m-%dT%H:%M:%S", "s", error_is_null=True),
                              pa.timestamp("s")),
        "pipeline_tag": raw.column("pipeline_tag"),
        "library_name": raw.column("library_name"),
        "license": _first(license_tags),
        "license_tags": license_tags,
        "weight_formats": weight_formats,
        "datasets": _lists(parents, n, ds_mask, ds_vals),
        "arxiv": _lists(parents, n, ax_mask, ax_vals),
        "base_models": base_models,
        "base_relation": base_relation,
        "gated": k_gated,
        "rich": pc.fill_null(raw.column("rich"), False),
        "verdict_key": verdict_key,
    })
    keys = pa.table({"verdict_key": verdict_key.take(first_rows),
                     **{k: v.take(first_rows) for k, v in keycols.items()}})
    return features, keys


def _lineage(tags: pa.ListArray, parents: np.ndarray, n: int, bm2: pa.Array,
             bm3: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(base models, first relation, sorted distinct relations) from ``base_model:`` tags.

    ``base_model:ID`` and ``base_model:RELATION:ID`` as :mod:`openscope.evidence.metadata`
    reads them. Relations are rare in list records, so rows carrying them are handled in
    Python; every other row stays columnar.
    """
    base2 = _lists(parents, n, bm2, pc.utf8_slice_codeunits(tags.flatten().filter(bm2), 11))
    empty = pa.array(np.zeros(n + 1, dtype=np.int32))
    no_rel = pa.ListArray.from_arrays(empty, pa.array([], pa.string()))
    if not pc.any(bm3).as_py():
        return base2, pa.nulls(n, pa.string()), no_rel
    models = base2.to_pylist()
    first: list[str | None] = [None] * n
    rels: list[list[str]] = [[] for _ in range(n)]
    m3 = np.asarray(bm3.to_numpy(zero_copy_only=False), dtype=bool)
    for row in np.unique(parents[m3]).tolist():
        row_rels: list[str] = []
        for tag in tags[row].as_py() or []:
            parts = tag.split(":")
            if parts[0] == "base_model" and len(parts) == 3:
                models[row].append(parts[2])
                row_rels.append(parts[1])
        first[row] = row_rels[0] if row_rels else None
        rels[row] = sorted(set(row_rels))
    return (pa.array(models, pa.list_(pa.string())), pa.array(first, pa.string()),
            pa.array(rels, pa.list_(pa.string())))


def _codes(col: pa.Array) -> np.ndarray:
    """Integer codes of a column's distinct values (nulls get their own code)."""
    if pa.types.is_list(col.type):
        col = pc.binary_join(col, "\x1f")
    enc = pc.dictionary_encode(col, null_encoding="encode")
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    return np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)


#: Names of the keys this process has seen (canonical key -> name): partitions processed by
#: one worker share most of their keys.
_NAMES: dict[tuple[Any, ...], str] = {}


def _hash_keys(cols: dict[str, Any], n: int) -> tuple[pa.Array, np.ndarray]:
    """(``verdict_key`` per row, index of the first row of each distinct key).

    Rows are grouped by integer codes of the key fields; each distinct key is then named
    by a digest of its canonical JSON, so the same key gets the same name in every
    partition and every run.
    """
    if n == 0:
        return pa.array([], pa.string()), np.zeros(0, dtype=np.int64)
    bits = np.zeros(n, dtype=np.int64)
    group = np.zeros(n, dtype=np.int64)
    span = 1  # group < span
    for name in KEY_FIELDS:
        col = cols[name]
        if pa.types.is_boolean(col.type):
            bits = bits * 2 + np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.int64)
            continue
        codes = _codes(col)
        radix = int(codes.max()) + 1
        if span * radix >= 2**62:  # renumber densely before the product could overflow
            group, span = _dense(group)
        group = group * radix + codes
        span *= radix
    radix = int(bits.max()) + 1
    if span * radix >= 2**62:
        group, span = _dense(group)
    combined = group * radix + bits
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    take = pa.array(first)
    firsts = pa.table({name: pc.take(cols[name], take) for name in KEY_FIELDS}).to_pylist()
    names = []
    for canon in firsts:
        memo = tuple(tuple(v) if isinstance(v, list) else v for v in canon.values())
        key_name = _NAMES.get(memo)
        if key_name is None:
            text = json.dumps(canon, sort_keys=True, separators=(",", ":"))
            key_name = "k" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
            _NAMES[memo] = key_name
        names.append(key_name)
    keys = pa.array(names, pa.string()).take(pa.array(inverse.reshape(-1)))
    return keys, np.sort(first)


def _dense(values: np.ndarray) -> tuple[np.ndarray, int]:
    """``values`` renumbered 0..k-1 in the same order; and k."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), len(uniq)
