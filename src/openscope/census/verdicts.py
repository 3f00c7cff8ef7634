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
from openscope.evidence.ethics import THEMES
from openscope.frameworks.osai_index import PARAMETERS
from openscope.pipeline import audit_snapshot
from openscope.report import Report

DIMENSION_NAMES: tuple[str, ...] = ("code", "weights", "data", "research")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


#: MOF component id -> column name (``c_model_parameters_final``, ...).
COMPONENT_COLUMNS: dict[int, str] = {c.id: "c_" + _slug(c.name) for c in COMPONENTS}

#: Documentation columns (the report's ``documentation`` section), null when no card was
#: read - every metadata-only row; filled by ``--deep`` audits and rich records with a card.
DOC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_card_fill", "DOUBLE"),
    ("doc_sections_filled", "VARCHAR"),
    ("doc_sections_filled_n", "TINYINT"),
    ("doc_datasheet_groups", "VARCHAR"),
    ("doc_ethics_paragraphs", "BIGINT"),
    ("doc_has_ethics", "BOOLEAN"),
    ("doc_ethics_themes", "VARCHAR"),
    *((f"doc_theme_{t}", "BIGINT") for t in THEMES),
    ("doc_ethics_boilerplate", "BIGINT"),
)

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
    *DOC_COLUMNS,
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
    row.update(doc_row(data.get("documentation") or {}))
    return row


def doc_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The documentation columns of a report's ``documentation`` section.

    ``doc_has_ethics`` and ``doc_ethics_themes`` count only paragraphs that are not template
    copies (the study's "card with ethics content"); ``doc_theme_*`` count every paragraph
    of the theme, ``doc_ethics_boilerplate`` the template copies among them.
    """
    row: dict[str, Any] = {name: None for name, _ in DOC_COLUMNS}
    card = doc.get("model_card")
    if isinstance(card, Mapping):
        filled = [str(s.get("id")) for s in card.get("sections") or []
                  if isinstance(s, Mapping) and s.get("status") == "filled"]
        row["doc_card_fill"] = float(card.get("fill_ratio") or 0.0)
        row["doc_sections_filled"] = ",".join(filled)
        row["doc_sections_filled_n"] = len(filled)
    sheet = doc.get("data_card")
    if isinstance(sheet, Mapping) and sheet.get("datasheet"):
        row["doc_datasheet_groups"] = ",".join(
            str(g.get("id")) for g in sheet.get("groups") or []
            if isinstance(g, Mapping) and g.get("status") == "filled")
    ethics = doc.get("ethics")
    if isinstance(ethics, Mapping):
        themes = ethics.get("themes") or {}
        boiler = int(ethics.get("boilerplate") or 0)
        paragraphs = int(ethics.get("paragraphs") or 0)
        row["doc_ethics_paragraphs"] = paragraphs
        row["doc_ethics_boilerplate"] = boiler
        for t in THEMES:
            row[f"doc_theme_{t}"] = int(themes.get(t) or 0)
        own = ethics.get("themes_own") or {}
        row["doc_has_ethics"] = paragraphs > boiler
        row["doc_ethics_themes"] = ",".join(t for t in THEMES if own.get(t))
    return row


def audit_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """Verdict columns for a verdict key (its synthetic metadata-only snapshot)."""
    return verdict_row(audit_snapshot(key_snapshot(key)))


def audit_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Verdict columns for one record audited on its own."""
    return verdict_row(audit_snapshot(record_snapshot(record)))
