"""The census table: its columns, their types and meaning, and Arrow builders.

One row per release (per input record). Data columns come from the record; verdict
columns (:data:`openscope.census.verdicts.VERDICT_COLUMNS`) from the audit of the row's
verdict key; licence columns from :func:`openscope.licenses.classify` of the first licence
tag. ``error`` is null, or the reason a record could not be read (its other columns are
then null, except ``seq`` and, when it could be read, ``id``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openscope.census.verdicts import VERDICT_COLUMNS

#: Data columns with their meaning (docs/census.md is generated from the same text).
DATA_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("seq", "BIGINT", "position of the record in the input (0-based, non-blank lines)"),
    ("id", "VARCHAR", "repository id, `org/name` or a legacy `name`"),
    ("author", "VARCHAR", "organisation or user: the part of the id before `/` (null if none)"),
    ("likes", "BIGINT", "likes"),
    ("downloads", "BIGINT", "downloads as the listing gives them (a trailing 30-day window)"),
    ("created_at", "TIMESTAMP", "`createdAt`"),
    ("pipeline_tag", "VARCHAR", "the Hub's task"),
    ("library_name", "VARCHAR", "the Hub's library"),
    ("license", "VARCHAR", "the first `license:` tag (Osborne et al.'s rule); null: none"),
    ("license_tags", "VARCHAR[]", "every `license:` tag, in order"),
    ("weight_formats", "VARCHAR[]", "weight formats from format tags (and the file listing "
     "when the record has one)"),
    ("datasets", "VARCHAR[]", "`dataset:` tags"),
    ("arxiv", "VARCHAR[]", "`arxiv:` tags"),
    ("base_models", "VARCHAR[]", "`base_model:` tags"),
    ("base_relation", "VARCHAR", "relation named by `base_model:RELATION:ID` tags, if any"),
    ("gated", "VARCHAR", "the `gated` field as JSON (`\"auto\"`, `\"manual\"`, `false`), "
     "null when not recorded"),
    ("verdict_key", "VARCHAR", "where the verdicts come from: `k...` a verdict key, `r...` a "
     "rich record audited on its own, `d...` a `--deep` audit"),
    ("error", "VARCHAR", "null, or why the record could not be read"),
)

#: Licence columns (from ``openscope.licenses.classify`` of ``license``).
LICENSE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("license_canonical", "VARCHAR", "the licence's canonical id (SPDX where there is one)"),
    ("license_openness", "VARCHAR", "`open`, `restricted` or `unknown` (null: no licence tag)"),
    ("license_kind", "VARCHAR", "licence kind, e.g. `osi-approved-open-source`, "
     "`ai-rail-use-restricted`, `noncommercial`, `unspecified`"),
)

_ARROW = {
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "BIGINT": pa.int64(),
    "TINYINT": pa.int8(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("s"),
}


def arrow_type(sql_type: str) -> pa.DataType:
    """The Arrow type of a column type named as in DuckDB."""
    return _ARROW[sql_type]


#: The features of a partition: the data columns, as :mod:`.partition` writes them.
FEATURES_SCHEMA = pa.schema([(name, arrow_type(t)) for name, t, _ in DATA_COLUMNS])

VERDICT_SCHEMA = pa.schema([("verdict_key", pa.string())]
                           + [(name, arrow_type(t)) for name, t in VERDICT_COLUMNS])


def verdict_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Verdict rows (``verdict_key`` + verdict columns) as an Arrow table."""
    return pa.Table.from_pylist(rows, schema=VERDICT_SCHEMA)


def error_table(errors: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Error rows shaped like a features table (plus ``error``)."""
    cols: dict[str, pa.Array] = {}
    n = len(errors)
    for field in schema:
        if field.name == "seq":
            cols["seq"] = pa.array([e["seq"] for e in errors], pa.int64())
        elif field.name == "id":
            cols["id"] = pa.array([e["id"] for e in errors], pa.string())
        else:
            cols[field.name] = pa.nulls(n, field.type)
    cols["error"] = pa.array([e["error"] for e in errors], pa.string())
    return pa.table(cols)
