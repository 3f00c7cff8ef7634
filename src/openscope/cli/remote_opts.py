"""CLI options of remote sources and many refs: ``--mirror``, ``--cache-dir``, ``--offline``,
``--no-cache``, ``--from-file``, ``--jobs``; and auditing several refs in one run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from openscope.errors import InputError, OpenscopeError, UsageError
from openscope.lineage import (
    DEFAULT_DEPTH,
    collect_lineage,
    follow_code_repos,
    lineage_coverage_note,
    resolve_papers,
    verify_links,
)
from openscope.lineage_names import Resolve
from openscope.report import Report
from openscope.snapshot import Snapshot
from openscope.sources.base import open_ref
from openscope.sources.many import DEFAULT_JOBS, collect_many_with_progress, read_ref_file
from openscope.sources.options import SourceOptions, papers_enabled

F = TypeVar("F", bound=Callable[..., Any])


def source_options(func: F) -> F:
    """Add ``--mirror``, ``--cache-dir``, ``--offline`` and ``--no-cache``."""
    options = [
        click.option(
            "--mirror",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Read hf:/hf-dataset: refs from a folder laid out like the Hub (no network).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Snapshot cache folder (default: the user cache dir).",
        ),
        click.option(
            "--offline", is_flag=True, help="Never use the network: cache or mirror only."
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the snapshot cache."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def link_options(func: F) -> F:
    """Add ``--follow-links/--no-follow-links``, ``--github-mirror`` and ``--arxiv-api``."""
    func = click.option(
        "--arxiv-api",
        metavar="URL",
        help="Resolve own arXiv papers through this server (answering /api/query and /oai "
             "like arXiv; default OPENSCOPE_ARXIV_API, else arXiv itself for live hf: refs; "
             "with --mirror or --offline papers are resolved only when one is given).",
    )(func)
    func = click.option(
        "--github-mirror",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Read gh: refs (and followed code repositories) from a recorded folder "
             "(repos/OWNER/NAME/, see scripts/record_github.py): no network.",
    )(func)
    return click.option(
        "--follow-links/--no-follow-links",
        default=True,
        show_default=True,
        help="For Hub refs, follow the code repositories the card presents as its own "
             "(at most 3, through gh:) and read their code, licence and README; and read "
             "the licence and venue of its own arXiv papers (at most 2) on arXiv.",
    )(func)


def many_options(func: F) -> F:
    """Add ``--from-file``, ``--jobs`` and ``--lineage-depth``."""
    func = click.option(
        "--lineage-depth",
        type=click.IntRange(0, 10),
        default=DEFAULT_DEPTH,
        show_default=True,
        help="How many generations of base models to collect for Hub refs (0: none).",
    )(func)
    func = click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 256),
        default=DEFAULT_JOBS,
        show_default=True,
        help="Refs collected at the same time.",
    )(func)
    return click.option(
        "--from-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Also audit the refs listed in FILE (one per line, # comments).",
    )(func)


def make_options(
    mirror: Path | None, cache_dir: Path | None, offline: bool, no_cache: bool,
    github_mirror: Path | None = None, follow_links: bool = True,
    arxiv_api: str | None = None,
) -> SourceOptions:
    """The :class:`SourceOptions` of the command-line flags."""
    return SourceOptions(
        mirror=mirror, cache_dir=cache_dir, use_cache=not no_cache, offline=offline,
        github_mirror=github_mirror, follow_links=follow_links, arxiv_api=arxiv_api,
    )


def follow_links(snapshot: Snapshot, options: SourceOptions) -> Snapshot:
    """A Hub snapshot with its own code repositories followed and its own arXiv papers
    resolved (when the options say so).

    Each followed repository is embedded in ``metadata.links`` (see
    :func:`openscope.lineage.follow_code_repos`): a saved snapshot then replays the audit
    without the network, byte for byte.
    """
    if not options.follow_links or snapshot.source not in ("hf", "mirror") \
            or snapshot.kind != "model":
        return snapshot
    followed, _ = follow_code_repos(snapshot, lambda ref: open_ref(ref, options))
    return follow_papers(followed, options)


def follow_papers(snapshot: Snapshot, options: SourceOptions) -> Snapshot:
    """A Hub snapshot with its own arXiv papers resolved, when
    :func:`openscope.sources.options.papers_enabled` says so: each record (title, venue,
    licence URL, date) is kept in ``metadata.links`` (see
    :func:`openscope.lineage.resolve_papers`), so a saved snapshot replays offline."""
    if not papers_enabled(options, snapshot.source):
        return snapshot
    from openscope.sources.arxiv import ArxivSource

    source = ArxivSource(api=options.arxiv_api, cache_dir=options.cache_dir,
                         use_cache=options.use_cache, offline=options.offline,
                         timeout=min(options.timeout, 10.0))
    return resolve_papers(snapshot, lambda ident: source.resolve(ident).to_dict())


def gather_refs(refs: Sequence[str], from_file: Path | None) -> list[str]:
    """The refs named on the command line followed by those of ``--from-file``."""
    out = list(refs) + (read_ref_file(from_file) if from_file is not None else [])
    if not out:
        raise UsageError("no ref given", "name a folder, a snapshot file, hf:org/name or gh:o/r")
    return out


def name_resolver(options: SourceOptions) -> Resolve | None:
    """The source's resolver of base models named without an organisation (see
    :mod:`openscope.lineage_names`): the mirror's name index with ``--mirror``; else the
    Hub's search (``HF_ENDPOINT`` honoured); ``None`` with ``--offline`` (such a base is
    then tried under the release's own organisation, which the cache may hold)."""
    if options.mirror is not None:
        from openscope.sources.mirror import HubMirror

        return HubMirror(options.mirror).name_candidates
    if options.offline:
        return None
    from openscope.sources.hub import HubSource

    return HubSource(use_cache=False, timeout=options.timeout).name_candidates


def audit_collected(snapshot: Snapshot, options: SourceOptions, lineage_depth: int) -> Report:
    """Audit a collected snapshot; for Hub refs, with linked datasets and the lineage.

    Datasets the card names are fetched through the same source (a mirror stays offline) and
    recorded in ``metadata.links`` (verified or "linked, not verified"); the code
    repositories the card presents as its own are followed through ``gh:`` (unless
    ``options.follow_links`` is off; ``options.github_mirror`` keeps them offline); base
    models are collected up to ``lineage_depth`` generations into the report's ``lineage``
    (a base named without an organisation is resolved by :func:`name_resolver`).
    """
    from openscope.pipeline import audit_snapshot

    if snapshot.source not in ("hf", "mirror"):
        return audit_snapshot(snapshot)

    def collect(ref: str) -> Snapshot:
        return open_ref(ref, options)

    # Code first: the links verified next keep the followed repositories' records, so a
    # saved snapshot (followed when saved) replays with the same links and notes.
    snapshot = follow_links(snapshot, options)
    snapshot, linked = verify_links(snapshot, collect)
    chain = []
    if lineage_depth > 0 and snapshot.kind == "model":
        skipped: list[str] = []
        chain = collect_lineage(snapshot, collect, depth=lineage_depth, skipped=skipped,
                                resolve=name_resolver(options))
        note = lineage_coverage_note(skipped)
        if note is not None:
            snapshot = replace(snapshot, notes=(*snapshot.notes, note))
    return audit_snapshot(snapshot, chain, datasets=[s for s in linked if s.kind == "dataset"])


def audit_many(
    refs: Sequence[str],
    options: SourceOptions,
    jobs: int,
    render_one: Callable[[Any], str],
    fmt: str,
    lineage_depth: int = DEFAULT_DEPTH,
) -> tuple[str, int]:
    """Collect ``refs`` concurrently (progress bar on stderr), audit each, render all.

    A ref that fails is reported on stderr, one line, and the others go on; the output holds
    every report that could be made (a JSON array for ``json``). Returns the text and the
    number of refs that failed (the caller writes the text, then fails with
    :func:`failures_error`).
    """
    results = collect_many_with_progress(refs, options, jobs=jobs)

    def finish(result: Snapshot | OpenscopeError) -> str | OpenscopeError:
        # Lineage and linked datasets are more I/O: done in the same bounded pool.
        if isinstance(result, OpenscopeError):
            return result
        try:
            return render_one(audit_collected(result, options, lineage_depth))
        except OpenscopeError as exc:
            return InputError(f"{result.ref}: {exc.one_line()}")

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        finished = list(pool.map(finish, results))
    parts: list[str] = []
    failed = 0
    for item in finished:
        if isinstance(item, OpenscopeError):
            failed += 1
            click.echo(f"openscope: error: {item.one_line()}", err=True)
        else:
            parts.append(item)
    if fmt in JSON_FORMATS:
        # One JSON document per release cannot be concatenated: several make an array.
        text = json.dumps(
            [json.loads(p) for p in parts], sort_keys=True, ensure_ascii=False, indent=2
        )
        return text + "\n", failed
    return "\n".join(parts), failed


#: Formats whose output is one JSON document: several refs give a JSON array of them.
JSON_FORMATS = frozenset({"json", "cyclonedx", "spdx", "sarif", "badge-json"})
#: Formats whose output is one page or image: several refs are refused (use one ref each).
SINGLE_FORMATS = frozenset({"html", "badge"})


def check_many_format(fmt: str, count: int) -> None:
    """Refuse a one-document format for several refs (exit 2), before any work is done."""
    if count > 1 and fmt in SINGLE_FORMATS:
        raise UsageError(f"-f {fmt} writes one document per release, and {count} refs were "
                         "given", f"audit one ref per run with -f {fmt}, or use -f json "
                         "(an array) or -f markdown for several")


def failures_error(total: int, failed: int) -> InputError:
    """The closing error of a batch where some refs failed."""
    return InputError(f"{failed} of {total} refs could not be audited", "see the lines above")
