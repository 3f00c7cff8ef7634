"""Census rows as site entries: a census (``openscope census``) holds one row of verdict
columns per release, not whole reports, so its releases get a summary and a short page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openscope.errors import InputError
from openscope.explorer.site import Entry
from openscope.explorer.summary import DIMENSIONS, INDEX_PARAMETERS, license_terms


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """A summary (the shape of :func:`openscope.explorer.summary.summarize`) of one row."""
    ident = str(row.get("id") or "")
    licence = str(row.get("weights_license") or row.get("license_canonical") or "")
    terms = license_terms({"id": licence} if licence else {})
    weights = row.get("c_model_parameters_final")
    commercial: bool | None = None
    if weights == "closed" or terms.get("commercial_use") is False:
        commercial = False
    elif weights in ("open", "restricted") and terms.get("commercial_use") is True:
        commercial = True
    score = row.get("osai_score")
    mof = row.get("mof_class")
    return {
        "name": ident, "ref": f"hf:{ident}", "org": str(row.get("author") or ""),
        "kind": "model", "source": "census", "revision": None,
        "url": f"https://huggingface.co/{ident}" if "/" in ident else None,
        "pipeline": str(row.get("pipeline_tag") or ""),
        "downloads": row.get("downloads") if isinstance(row.get("downloads"), int) else None,
        "license": licence,
        "license_openness": str(row.get("weights_license_openness")
                                or row.get("license_openness") or "unknown"),
        "dimensions": {d: str(row.get(f"dim_{d}") or "unknown") for d in DIMENSIONS},
        "mof_class": int(mof) if isinstance(mof, int) else None, "mof_attainable": None,
        "osaid": str(row.get("osaid_outcome") or "unknown"),
        "eu": str(row.get("eu_outcome") or "unknown"),
        "openwashing": str(row.get("openwashing_outcome") or "unknown"),
        "index": {p: str(row.get(f"osai_{p}") or "unknown") for p in INDEX_PARAMETERS},
        "index_score": float(score) if isinstance(score, (int, float)) else None,
        "terms": terms, "commercial": commercial,
        "open_data": row.get("dim_data") == "open", "findings": 0,
        # the slices of the census dashboard's charts (see census_pages.chart_table)
        "license_class": str(row.get("license_openness") or "none"),
        "created_month": _month(row.get("created_at")),
    }


def _month(value: Any) -> str:
    """``YYYY-MM`` of a creation time (datetime or ISO text), ``""`` when there is none."""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m"))
    text = str(value or "")
    return text[:7] if len(text) >= 7 and text[4:5] == "-" else ""


def census_entries(folder: Path) -> list[Entry]:
    """One entry per readable row of the census in ``folder`` (error rows are left out)."""
    import pyarrow.parquet as pq

    parts = sorted((folder / "releases").glob("*.parquet"))
    if not parts:
        raise InputError(f"{folder} is not a census folder (no releases/*.parquet)",
                         "build one with: openscope census INPUT -o DIR")
    out = []
    for part in parts:
        try:
            rows = pq.read_table(part).to_pylist()
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise InputError(f"{part}: cannot read the census table ({exc})") from exc
        out += [Entry(_summary(row)) for row in rows if not row.get("error") and row.get("id")]
    return out
