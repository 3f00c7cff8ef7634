"""``openscope audit`` and ``openscope snapshot``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from openscope.cli.remote_opts import (
    audit_collected,
    audit_many,
    check_many_format,
    failures_error,
    follow_links,
    gather_refs,
    link_options,
    make_options,
    many_options,
    source_options,
)
from openscope.errors import UsageError
from openscope.formats import FORMATS, render
from openscope.snapshot import Snapshot
from openscope.sources import open_ref, parse_ref
from openscope.sources.options import SourceOptions
from openscope.writing import write_output

F = TypeVar("F", bound=Callable[..., Any])

LISTING_HELP = ("The upstream file listing of a partially downloaded release folder (one path "
                "per line, optional TAB size; `git ls-tree -r -l` output; an `hf` listing; or "
                "JSON): its files join the folder's, so absence is judged on the whole "
                "release. Only with a folder REF.")


def listing_option(func: F) -> F:
    """``--listing FILE`` for a folder ref."""
    return click.option("--listing", "listing_path", metavar="FILE",
                        type=click.Path(path_type=Path), help=LISTING_HELP)(func)


def collect(ref: str, options: SourceOptions, listing_path: Path | None) -> Snapshot:
    """The snapshot of ``ref``; with a listing, of the folder plus the listed files."""
    if listing_path is None:
        return open_ref(ref, options)
    parsed = parse_ref(ref)
    if parsed.scheme != "local":
        raise UsageError(f"--listing applies to a release folder, not {ref}",
                         "give the folder the listing describes")
    from openscope.sources.listing import read_listing
    from openscope.sources.local import LocalFolderSource

    return LocalFolderSource(listing=read_listing(listing_path)).collect(parsed)
_follow = follow_links


@click.command()
@click.argument("refs", nargs=-1, metavar="REF...")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output (nothing is written when the audit "
                   "fails; with several refs, the reports that succeeded).")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: when writing to a terminal).")
@click.option("--badge", "badge_name", metavar="NAME",
              help="With -f badge or badge-json: which badge (mof, code, weights, data, "
                   "research, osaid, eu_ai_act, osai_index, openwashing). Default: mof.")
@listing_option
@source_options
@link_options
@many_options
def audit(refs: tuple[str, ...], fmt: str, output: Path | None, color: bool | None,
          badge_name: str | None, listing_path: Path | None,
          mirror: Path | None, cache_dir: Path | None, offline: bool, no_cache: bool,
          follow_links: bool, github_mirror: Path | None, arxiv_api: str | None,
          from_file: Path | None, jobs: int, lineage_depth: int) -> None:
    """Audit a release and report how open it is, with evidence.

    REF is a release folder, a snapshot saved with `openscope snapshot`, or a Hub ref such
    as hf:org/name[@revision], hf-dataset:org/name or gh:owner/repo. Several refs (or
    --from-file) are collected concurrently; one that fails is reported and the others go on.

    \b
    Examples:
      openscope audit examples/tiny-open-model
      openscope audit ./my-model --format json -o report.json
      openscope audit snapshot.json
      openscope audit ./docs-only-clone --listing files.txt
    """
    names = gather_refs(refs, from_file)
    if listing_path is not None and len(names) > 1:
        raise UsageError("--listing applies to one release folder",
                         "audit the folder on its own with its listing")
    options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links,
                           arxiv_api)
    use_color = color if color is not None else (
        output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if len(names) > 1:
        check_many_format(fmt, len(names))
        text, failed = audit_many(names, options, jobs,
                                  lambda r: render(r, fmt, color=bool(use_color) and fmt == "text"),
                                  fmt, lineage_depth)
        write_output(text, output)
        if failed:
            raise failures_error(len(names), failed)
        return
    report = audit_collected(collect(names[0], options, listing_path), options, lineage_depth)
    text = render(report, fmt, color=bool(use_color) and fmt == "text", badge_name=badge_name)
    write_output(text, output)


@click.command()
@click.argument("ref")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the snapshot to FILE (default: standard output).")
@listing_option
@source_options
@link_options
def snapshot(ref: str, output: Path | None, listing_path: Path | None, mirror: Path | None,
             cache_dir: Path | None, offline: bool, no_cache: bool, follow_links: bool,
             github_mirror: Path | None, arxiv_api: str | None) -> None:
    """Save what a source sees of a release, to replay the audit later.

    `openscope audit FILE.json` on the saved snapshot gives byte-identical output every time
    (a --listing is recorded in the snapshot). For Hub refs the code repositories the card
    presents as its own are followed and saved inside the snapshot, and its own arXiv
    papers' records (title, venue, licence) too (unless --no-follow-links), so the replay
    needs no network for them.
    """
    options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links,
                           arxiv_api)
    write_output(_follow(collect(ref, options, listing_path), options).to_json(), output)
