"""The JSON report: the canonical, versioned form (``schema/report.schema.json``)."""

from __future__ import annotations

from openscope.report import Report


def render(report: Report, color: bool = False) -> str:
    """Canonical JSON text of the report; ``color`` is ignored."""
    return report.to_json()
