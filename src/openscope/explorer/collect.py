"""Audit many refs for the explorer, keeping what the source saw beside each report.

The same path as ``openscope audit REF...`` (:func:`openscope.cli.remote_opts.audit_collected`
on each snapshot collected by :func:`openscope.sources.many.collect_each`), plus the source
facts the report does not carry (pipeline tag, downloads) for the site's filters. Each ref is
collected and audited in one step, so a snapshot lives only while its release is audited;
with a :class:`~openscope.explorer.snapshots.SnapshotStore` it is written to the site first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openscope.errors import InputError, OpenscopeError
from openscope.explorer.snapshots import SnapshotStore
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
               progress: bool = True,
               store: SnapshotStore | None = None) -> list[Audited | OpenscopeError]:
    """Collect and audit every ref (at most ``jobs`` at a time), in the order given.

    A ref that fails gives an :class:`OpenscopeError` in its place; the others go on. With
    ``store``, each snapshot (with its code repositories and papers followed, as
    ``openscope snapshot`` saves it) is written as soon as it is audited, and ``extra``
    gets ``snapshot``: the :class:`~openscope.explorer.snapshots.Published` file.
    """
    from openscope.cli.remote_opts import audit_collected, follow_links
    from openscope.explorer.site import report_slug
    from openscope.sources.many import collect_each, collect_each_with_progress

    def finish(result: Snapshot) -> Audited:
        if store is not None:
            # what `openscope snapshot` saves: a replay then needs no network for them
            result = follow_links(result, options)
        try:
            report = audit_collected(result, options, lineage_depth)
        except OpenscopeError as exc:
            raise InputError(f"{result.ref}: {exc.one_line()}") from exc
        extra = source_extra(result)
        if store is not None:
            extra["snapshot"] = store.put(report_slug(report.data), result)
        return Audited(report.data, extra)

    if progress:
        return collect_each_with_progress(refs, finish, options, jobs=jobs)
    return collect_each(refs, finish, options, jobs=jobs)
