"""Audit many refs for the explorer, keeping what the source saw beside each report.

The same path as ``openscope audit REF...`` (:func:`openscope.cli.remote_opts.audit_collected`
over :func:`openscope.sources.many.collect_many_with_progress`), plus the source facts the
report does not carry (pipeline tag, downloads) for the site's filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from openscope.errors import InputError, OpenscopeError
from openscope.snapshot import Snapshot
from openscope.sources.options import SourceOptions


@dataclass(frozen=True, slots=True)
class Audited:
    """One audited release: its report JSON and the source facts beside it."""

    data: dict[str, Any]
    extra: dict[str, Any]


def source_extra(snapshot: Snapshot) -> dict[str, Any]:
    """What the source recorded beside the report: ``pipeline`` and ``downloads`` (the
    site's filters) and ``card``, the card's text (shown as escaped text, never rendered)."""
    meta = snapshot.metadata if isinstance(snapshot.metadata, dict) else {}
    pipeline = meta.get("pipeline_tag")
    downloads = meta.get("downloads")
    card = next((d.text for d in snapshot.documents
                 if d.path.lower() == "readme.md" and isinstance(d.text, str)), None)
    return {"pipeline": pipeline if isinstance(pipeline, str) else "",
            "downloads": downloads if isinstance(downloads, int) else None,
            "card": card}


def audit_refs(refs: Sequence[str], options: SourceOptions, jobs: int, lineage_depth: int,
               progress: bool = True) -> list[Audited | OpenscopeError]:
    """Collect and audit every ref (at most ``jobs`` at a time), in the order given.

    A ref that fails gives an :class:`OpenscopeError` in its place; the others go on.
    """
    from openscope.cli.remote_opts import audit_collected
    from openscope.sources.many import collect_many, collect_many_with_progress

    if progress:
        results = collect_many_with_progress(refs, options, jobs=jobs)
    else:
        results = collect_many(refs, options, jobs=jobs)

    def finish(result: Snapshot | OpenscopeError) -> Audited | OpenscopeError:
        if isinstance(result, OpenscopeError):
            return result
        try:
            report = audit_collected(result, options, lineage_depth)
        except OpenscopeError as exc:
            return InputError(f"{result.ref}: {exc.one_line()}")
        return Audited(report.data, source_extra(result))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(finish, results))
