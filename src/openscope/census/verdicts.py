"""Verdict columns of a census row, read from an audit :class:`~openscope.report.Report`.

The census stores what metadata can decide - statuses, classes, outcomes, the ids of
unmet and undecided requirements - never reasons or evidence lists (those name values,
such as a dataset id, that the verdict key deliberately leaves out). Every value here is
read from the report that :func:`openscope.pipeline.audit_snapshot` returns: the census
has no verdict logic of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from openscope.census.keyspec import key_snapshot, record_snapshot
from openscope.components.catalog import COMPONENTS
from openscope.frameworks.osai_index import PARAMETERS
from openscope.pipeline import audit_snapshot
from openscope.report import Report

DIMENSION_NAMES: tuple[str, ...] = ("code", "weights", "data", "research")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


#: MOF component id -> column name (``c_model_parameters_final``, ...).
COMPONENT_COLUMNS: dict[int, str] = {c.id: "c_" + _slug(c.name) for c in COMPONENTS}

#: Verdict columns with their DuckDB types, in table order.
VERDICT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("profile", "VARCHAR"),
    *((f"dim_{d}", "VARCHAR") for d in DIMENSION_NAMES),
    ("mof_class", "TINYINT"),
    ("osaid_outcome", "VARCHAR"),
    ("osaid_unmet", "VARCHAR"),
    ("eu_outcome", "VARCHAR"),
    ("eu_unmet", "VARCHAR"),
    ("eu_caveats", "VARCHAR"),
    ("openwashing_outcome", "VARCHAR"),
    ("openwashing_flags", "VARCHAR"),
    *((f"osai_{p}", "VARCHAR") for p in PARAMETERS),
    ("osai_score", "DOUBLE"),
    *((col, "VARCHAR") for col in COMPONENT_COLUMNS.values()),
    ("weights_license", "VARCHAR"),
    ("weights_license_openness", "VARCHAR"),
    ("undecided", "VARCHAR"),
)

#: Verdict columns holding a set of ids, stored comma-separated (sorted, except
#: ``undecided`` which follows component then framework order).
LIST_COLUMNS: tuple[str, ...] = ("osaid_unmet", "eu_unmet", "eu_caveats", "openwashing_flags",
                                 "undecided")

_LETTER = {"open": "O", "restricted": "R", "closed": "C", "unknown": "U"}


def _ids(items: Any, outcome: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return sorted({str(r.get("id")) for r in items
                   if isinstance(r, Mapping) and r.get("outcome") == outcome})


def verdict_row(report: Report) -> dict[str, Any]:
    """The census verdict columns of one report."""
    data = report.data
    fw: Mapping[str, Any] = data.get("frameworks") or {}
    row: dict[str, Any] = {}
    dims = data["dimensions"]
    for d in DIMENSION_NAMES:
        row[f"dim_{d}"] = dims[d]["status"]
    row["profile"] = "".join(_LETTER.get(row[f"dim_{d}"], "?") for d in DIMENSION_NAMES)
    row["mof_class"] = int(fw["mof"]["class"])
    osaid = fw.get("osaid") or {}
    row["osaid_outcome"] = osaid.get("outcome")
    row["osaid_unmet"] = _ids(osaid.get("requirements"), "unmet")
    eu = fw.get("eu_ai_act") or {}
    row["eu_outcome"] = eu.get("outcome")
    row["eu_unmet"] = _ids(eu.get("requirements"), "unmet")
    row["eu_caveats"] = sorted(str(c) for c in eu.get("caveats") or [])
    ow = fw.get("openwashing") or {}
    row["openwashing_outcome"] = ow.get("outcome")
    row["openwashing_flags"] = sorted({str(f.get("id")) for f in ow.get("flags") or []
                                       if isinstance(f, Mapping)})
    params = (fw.get("osai_index") or {}).get("parameters") or {}
    undecided: list[str] = []
    for p in PARAMETERS:
        rating = params.get(p) or {}
        row[f"osai_{p}"] = rating.get("value")
        if rating.get("value") == "unknown" or rating.get("basis") == "absence":
            undecided.append(f"osai.{p}")
    row["osai_score"] = ((fw.get("osai_index") or {}).get("scores") or {}).get("overall")
    weights_license = None
    for comp in data["components"]:
        col = COMPONENT_COLUMNS.get(int(comp["id"]))
        if col is None:
            continue
        row[col] = comp["status"]
        if comp["status"] == "unknown":
            undecided.append(col[2:])
        if comp["id"] == 10:
            weights_license = comp.get("license")
    row["weights_license"] = (weights_license or {}).get("id")
    row["weights_license_openness"] = (weights_license or {}).get("openness")
    for framework in (osaid, eu):
        undecided += _ids(framework.get("requirements"), "unknown")
    row["undecided"] = undecided
    for col in LIST_COLUMNS:
        row[col] = ",".join(row[col])
    return row


def audit_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """Verdict columns for a verdict key (its synthetic metadata-only snapshot)."""
    return verdict_row(audit_snapshot(key_snapshot(key)))


def audit_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Verdict columns for one record audited on its own."""
    return verdict_row(audit_snapshot(record_snapshot(record)))
