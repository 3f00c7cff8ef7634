"""The audit pipeline: ref -> Snapshot -> evidence -> components -> frameworks -> Report."""

from __future__ import annotations

from openscope import evidence as evidence_mod
from openscope import findings as findings_mod
from openscope.components import assess, summarise
from openscope.frameworks import evaluate_all
from openscope.report import Report, build
from openscope.snapshot import Snapshot
from openscope.sources import open_ref


def audit_snapshot(snapshot: Snapshot) -> Report:
    """Audit an already collected snapshot. Pure: same snapshot, same report."""
    evidence = evidence_mod.extract(snapshot)
    components = assess(evidence)
    dimensions = summarise(components)
    frameworks = evaluate_all(components, evidence)
    findings = findings_mod.collect(evidence)
    return build(snapshot, components, dimensions, frameworks, findings, len(evidence))


def audit(ref: str) -> Report:
    """Collect ``ref`` with its default source and audit it.

    >>> report = audit("examples/tiny-open-model")  # doctest: +SKIP
    >>> report.dimensions["weights"]["status"]  # doctest: +SKIP
    'open'
    """
    return audit_snapshot(open_ref(ref))
