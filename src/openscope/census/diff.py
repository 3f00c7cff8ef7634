"""``openscope census diff A B``: what changed between two censuses.

Releases are matched by id. Reported: releases new in B, removed from A, and releases whose
licence (first tag), licence class, openness profile, MOF class, OSAID or EU outcome
changed. Error rows are left out of both sides.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb

from openscope import csvsafe
from openscope.census.stats import open_census

#: Columns compared for releases present in both censuses.
COMPARED: tuple[str, ...] = ("license", "license_openness", "profile", "mof_class",
                             "osaid_outcome", "eu_outcome", "openwashing_outcome")


def diff_censuses(old: Path, new: Path) -> dict[str, Any]:
    """The differences between the census in ``old`` and the one in ``new``."""
    for path in (old, new):
        open_census(path).close()  # raises InputError for an incomplete census
    con = duckdb.connect()
    con.execute("SET enable_progress_bar=false")
    for name, path in (("a", old), ("b", new)):
        glob = str(path / "releases" / "*.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{glob}') "
                    "WHERE error IS NULL QUALIFY row_number() OVER (PARTITION BY id "
                    "ORDER BY seq) = 1")
    added = [r[0] for r in con.execute(
        "SELECT id FROM b ANTI JOIN a USING (id) ORDER BY id").fetchall()]
    removed = [r[0] for r in con.execute(
        "SELECT id FROM a ANTI JOIN b USING (id) ORDER BY id").fetchall()]
    changes: list[dict[str, Any]] = []
    summary: dict[str, int] = {}
    for col in COMPARED:
        rows = con.execute(
            f"SELECT id, CAST(a.{col} AS VARCHAR), CAST(b.{col} AS VARCHAR) FROM a JOIN b "
            f"USING (id) WHERE a.{col} IS DISTINCT FROM b.{col} ORDER BY id").fetchall()
        summary[col] = len(rows)
        changes += [{"id": rid, "field": col, "old": o, "new": n} for rid, o, n in rows]
    transitions = con.execute(
        "SELECT coalesce(a.license_openness, 'none'), coalesce(b.license_openness, 'none'), "
        "count(*) FROM a JOIN b USING (id) WHERE a.license_openness IS DISTINCT FROM "
        "b.license_openness GROUP BY ALL ORDER BY 3 DESC").fetchall()
    common = con.execute("SELECT count(*) FROM a JOIN b USING (id)").fetchall()[0][0]
    con.close()
    return {
        "a": str(old), "b": str(new),
        "counts": {"common": int(common), "added": len(added), "removed": len(removed),
                   "changed": summary},
        "licence_class_transitions": [{"from": f, "to": t, "releases": int(n)}
                                      for f, t, n in transitions],
        "added": added, "removed": removed, "changes": changes,
    }


def render(result: dict[str, Any], fmt: str, limit: int = 20) -> str:
    """The diff as ``text``, ``json`` or ``csv`` (one line per change)."""
    if fmt == "json":
        return json.dumps(result, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["change", "id", "field", "old", "new"])
        for rid in result["added"]:
            writer.writerow(["added", csvsafe.cell(rid), "", "", ""])
        for rid in result["removed"]:
            writer.writerow(["removed", csvsafe.cell(rid), "", "", ""])
        for c in result["changes"]:
            writer.writerow(["changed", *(csvsafe.cell(c[k]) for k in ("id", "field", "old",
                                                                        "new"))])
        return buf.getvalue()
    counts = result["counts"]
    lines = [f"census diff: {result['a']} -> {result['b']}",
             f"  releases in both: {counts['common']:,}; new: {counts['added']:,}; "
             f"removed: {counts['removed']:,}"]
    for col, n in counts["changed"].items():
        lines.append(f"  {col} changed: {n:,}")
    for t in result["licence_class_transitions"]:
        lines.append(f"  licence class {t['from']} -> {t['to']}: {t['releases']:,}")
    for title, ids in (("new", result["added"]), ("removed", result["removed"])):
        for rid in ids[:limit]:
            lines.append(f"  {title}: {rid}")
        if len(ids) > limit:
            lines.append(f"  ... {len(ids) - limit:,} more {title}")
    for c in result["changes"][:limit]:
        lines.append(f"  {c['id']}: {c['field']} {c['old']} -> {c['new']}")
    if len(result["changes"]) > limit:
        lines.append(f"  ... {len(result['changes']) - limit:,} more changes "
                     "(--format csv lists them all)")
    return "\n".join(lines) + "\n"
