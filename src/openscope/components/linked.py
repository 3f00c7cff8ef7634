"""Crediting linked releases to a model's components: the Hub datasets it names.

A model card names its training datasets; when a source has collected those datasets'
own snapshots (``hf-dataset:`` refs), each is audited as a dataset release and its verdict
replaces "licence not checked" on the model's Datasets component. Every dataset named must
be collected and open for the component to be open; one restricted dataset makes it
restricted; one not collected keeps it unknown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openscope.components.assess import Component, Status

DATASETS = 15
_ORDER: dict[str, int] = {"closed": 0, "restricted": 1, "unknown": 2, "open": 3}


def dataset_entries(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's ``datasets`` list from the datasets' own report data: verdict, licence."""
    out = []
    for report in reports:
        comp = next(c for c in report["components"] if c["id"] == DATASETS)
        lic = comp.get("license") or {}
        out.append({
            "ref": report["subject"]["ref"],
            "url": report["subject"]["url"],
            "revision": report["subject"]["revision"],
            "status": comp["status"],
            "license": lic.get("id") or lic.get("raw"),
            "reason": comp["reason"],
        })
    return out


def credit_datasets(components: list[Component], entries: list[dict[str, Any]],
                    named: int) -> list[Component]:
    """Components with the Datasets component decided by the collected datasets.

    ``named`` is how many datasets the model names; those not collected stay unknown.
    Only an external (named, unchecked) Datasets component is replaced: a withheld or an
    in-release dataset keeps its own verdict.
    """
    if not entries:
        return components
    out = []
    for comp in components:
        if comp.id != DATASETS or comp.attributes.get("location") != "external":
            out.append(comp)
            continue
        statuses: list[Status] = [e["status"] for e in entries]
        if named > len(entries):
            statuses.append("unknown")
        status: Status = min(statuses, key=lambda s: _ORDER[s])
        listed = "; ".join(f"{e['ref']} ({e['license'] or 'no licence found'}: {e['status']})"
                           for e in entries)
        missing = named - len(entries)
        reason = f"datasets audited on the Hub: {listed}" + (
            f"; {missing} more named but not collected" if missing > 0 else "")
        attributes = {**comp.attributes, "location": "linked",
                      "datasets": [e["ref"] for e in entries]}
        out.append(replace(comp, status=status, reason=reason, attributes=attributes))
    return out
