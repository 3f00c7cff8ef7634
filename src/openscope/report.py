"""The Report: versioned JSON stamped with tool, schema, framework and licence-data versions.

The report is a plain dict with sorted keys when serialised, so identical input gives
identical bytes. Its layout is published as ``schema/report.schema.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from openscope import REPORT_SCHEMA_VERSION, __version__, licenses
from openscope.components import MOF_VERSION, Component, Dimension
from openscope.findings import Finding
from openscope.snapshot import Snapshot

#: Versions of the criteria each framework module implements.
FRAMEWORK_VERSIONS = {
    "mof": f"MOF {MOF_VERSION}; MOT 8b5d30e",
    "osai_index": "European Open Source AI Index, 12 parameters (main-database@5a388e8)",
    "osaid": "OSI Open Source AI Definition 1.0 (2024-10-28)",
    "eu_ai_act": "Regulation (EU) 2024/1689 Art. 53(2)/54(6); GPAI guidelines C(2025) 5045",
    "openwashing": "openscope open-washing checks 1",
}


@dataclass(frozen=True)
class Report:
    """An audit report. ``data`` follows ``schema/report.schema.json``."""

    data: dict[str, Any]

    def to_json(self) -> str:
        """Canonical JSON text: sorted keys, two-space indent, trailing newline."""
        return json.dumps(self.data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"

    @property
    def components(self) -> list[dict[str, Any]]:
        """The ``components`` list."""
        return list(self.data["components"])

    def component(self, name_or_id: str | int) -> dict[str, Any]:
        """One component entry by MOF name or id."""
        for comp in self.data["components"]:
            if comp["id"] == name_or_id or comp["name"] == name_or_id:
                return dict(comp)
        raise KeyError(name_or_id)

    @property
    def dimensions(self) -> dict[str, dict[str, Any]]:
        """The four dimensions."""
        return dict(self.data["dimensions"])


def build(
    snapshot: Snapshot,
    components: list[Component],
    dimensions: dict[str, Dimension],
    frameworks: dict[str, Any],
    findings: list[Finding],
    evidence_count: int,
    extra: dict[str, Any] | None = None,
) -> Report:
    """Assemble the report from the pipeline's parts."""
    data: dict[str, Any] = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "openscope", "version": __version__},
        "versions": {
            "frameworks": dict(FRAMEWORK_VERSIONS),
            "license_data": licenses.KB_VERSION,
        },
        "subject": {
            "ref": snapshot.ref,
            "kind": snapshot.kind,
            "source": snapshot.source,
            "revision": snapshot.revision,
            "retrieved_at": snapshot.retrieved_at,
            "url": snapshot.url,
            "files_listed": None if snapshot.files is None else len(snapshot.files),
        },
        "dimensions": {name: d.to_dict() for name, d in dimensions.items()},
        "components": [c.to_dict() for c in components],
        "frameworks": frameworks,
        "findings": [f.to_dict() for f in findings],
        "notes": list(snapshot.notes),
        "evidence_count": evidence_count,
        "disclaimer": "Heuristic assessment from the evidence found; not legal advice.",
    }
    if extra:
        data.update(extra)
    return Report(data)
