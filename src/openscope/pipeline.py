"""The audit pipeline: ref -> Snapshot -> evidence -> components -> frameworks -> Report.

:func:`audit_snapshot` is pure: the same snapshot (and the same collected base models) give
the same report. Collecting base models is a source's job; their snapshots come in as
``lineage`` (see :mod:`openscope.lineage`), so a fine-tune's report can show the chain, the
licence terms it inherits, and rate the Open Source AI Index's base-model parameters from
the base model's own evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openscope import evidence as evidence_mod
from openscope import findings as findings_mod
from openscope.analysis import documentation as documentation_mod
from openscope.components import assess, summarise
from openscope.components.linked import credit_datasets, dataset_entries
from openscope.findings import Finding
from openscope.frameworks import evaluate_all, osai_index, osai_rules
from openscope.lineage import Ancestor, embed_code_repos, lineage_entries
from openscope.report import Report, build
from openscope.snapshot import Snapshot
from openscope.sources import open_ref

#: Index parameters rated from the base model, and the end-model parameter each mirrors.
BASE_PARAMETERS = {"weights_basemodel": "weights_endmodel",
                   "datasources_basemodel": "datasources_endmodel"}


def audit_snapshot(snapshot: Snapshot, lineage: Sequence[Ancestor] = (),
                   datasets: Sequence[Snapshot] = (),
                   code_repos: Sequence[Snapshot] = ()) -> Report:
    """Audit an already collected snapshot.

    Args:
        snapshot: what the source saw of the release.
        lineage: its base models, as collected (see :func:`openscope.lineage.collect_lineage`).
        datasets: snapshots of the Hub datasets it names, as collected; each is audited as a
            dataset release and decides the model's Datasets component.
        code_repos: snapshots of the GitHub repositories the card presents as its own, as
            collected (see :func:`openscope.lineage.follow_code_repos`); each is embedded,
            bounded, in the snapshot's ``links`` (``followed: true``) and its code, licence
            and README become evidence (``evidence/linked_code.py``). Repositories already
            embedded (a followed or replayed snapshot) need not be passed again.
    """
    if code_repos:
        snapshot = embed_code_repos(snapshot, code_repos)
    evidence = evidence_mod.extract(snapshot)
    components = assess(evidence)
    extra: dict[str, Any] = {
        "documentation": documentation_mod.section(evidence, snapshot.kind)}
    if datasets:
        entries = dataset_entries([audit_snapshot(ds).data for ds in datasets
                                   if ds.kind == "dataset"])
        named = len({f.value for f in evidence.of("data.dataset", "data.dataset_link",
                                                  "data.external")})
        components = credit_datasets(components, entries, max(named, len(entries)))
        extra["datasets"] = entries
    dimensions = summarise(components)
    frameworks = evaluate_all(components, evidence)
    findings = findings_mod.collect(evidence)
    if lineage:
        entries, base_reports = _lineage(snapshot, lineage)
        extra["lineage"] = entries
        findings.extend(_laundering_findings(entries))
        direct = next(((a, r) for a, r in zip(lineage, base_reports, strict=True)
                       if r is not None and a.depth == 1), None)
        if direct is not None and "osai_index" in frameworks:
            _rate_base_parameters(frameworks["osai_index"], direct[1], _how(direct[0]))
    return build(snapshot, components, dimensions, frameworks, findings, len(evidence),
                 extra=extra)


def audit(ref: str) -> Report:
    """Collect ``ref`` with its default source and audit it.

    >>> report = audit("examples/tiny-open-model")  # doctest: +SKIP
    >>> report.dimensions["weights"]["status"]  # doctest: +SKIP
    'open'
    """
    return audit_snapshot(open_ref(ref))


def _lineage(
    snapshot: Snapshot, lineage: Sequence[Ancestor]
) -> tuple[list[dict[str, Any]], list[Report | None]]:
    """Lineage entries, each collected ancestor with its four dimensions; and their reports."""
    entries = lineage_entries(snapshot, list(lineage))
    reports: list[Report | None] = []
    for entry, anc in zip(entries, lineage, strict=True):
        report = audit_snapshot(anc.snapshot) if anc.snapshot is not None else None
        reports.append(report)
        if report is not None:
            entry["dimensions"] = {k: v["status"] for k, v in sorted(report.dimensions.items())}
    return entries, reports


def _laundering_findings(entries: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for entry in entries:
        conflict = entry.get("conflict")
        if not conflict:
            continue
        clause = conflict.get("clause") or {}
        where = [f"{entry['child']} (declared licence)", f"{entry['ref']} (base model)"]
        if entry.get("url"):
            where.append(str(entry["url"]))
        text = str(conflict.get("message") or "derivative declares a more open licence")
        if clause:
            text += f" [{clause.get('section')}: {clause.get('text')}]"
        out.append(Finding("license-laundering", "warning", text, tuple(where)))
    return out


def _how(ancestor: Ancestor) -> str:
    """How the base was found, for the Index base items' reason ("" when declared or linked)."""
    res = ancestor.resolution
    if ancestor.source != "prose-by-name" or res is None:
        return ""
    return (f" (resolved by name: the card names {res.name!r} without an organisation; "
            f"chosen of {res.candidates} candidate repositories by the rule of "
            "openscope.lineage_names)")


def _rate_base_parameters(index: dict[str, Any], base: Report, how: str = "") -> None:
    """Rate the base-model parameters from the base model's own end-model ratings; ``how``
    says how the base was found when it was inferred (resolved by name)."""
    base_params = base.data["frameworks"].get("osai_index", {}).get("parameters", {})
    ref = base.data["subject"]["ref"]
    for param, source in BASE_PARAMETERS.items():
        rated = base_params.get(source)
        if not rated:
            continue
        index["parameters"][param] = {
            **rated, "reason": f"base model {ref}{how}: {rated['reason']}",
            "evidence": [ref, *rated.get("evidence", [])],
        }
    ratings = {name: osai_rules.Rating(r["value"], r["reason"], tuple(r["evidence"]), r["basis"])
               for name, r in index["parameters"].items()}
    index.update(osai_index.block(ratings))  # scores and requirements follow the new ratings
