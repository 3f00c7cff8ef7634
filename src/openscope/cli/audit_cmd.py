"""``openscope audit`` and ``openscope snapshot``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from openscope.cli.remote_opts import (
    audit_collected,
    audit_many,
    failures_error,
    follow_links,
    gather_refs,
    link_options,
    make_options,
    many_options,
    source_options,
)
from openscope.formats import FORMATS, render
from openscope.sources import open_ref
from openscope.writing import write_output

_follow = follow_links


@click.command()
@click.argument("refs", nargs=-1, metavar="REF...")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output (written only on success).")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: when writing to a terminal).")
@click.option("--badge", "badge_name", metavar="NAME",
              help="With -f badge or badge-json: which badge (mof, code, weights, data, "
                   "research, osaid, eu_ai_act, osai_index, openwashing). Default: mof.")
@source_options
@link_options
@many_options
def audit(refs: tuple[str, ...], fmt: str, output: Path | None, color: bool | None,
          badge_name: str | None,
          mirror: Path | None, cache_dir: Path | None, offline: bool, no_cache: bool,
          follow_links: bool, github_mirror: Path | None,
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
    """
    names = gather_refs(refs, from_file)
    options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    if len(names) > 1:
        text, failed = audit_many(names, options, jobs,
                                  lambda r: render(r, fmt, color=bool(use_color) and fmt == "text"),
                                  fmt, lineage_depth)
        write_output(text, output)
        if failed:
            raise failures_error(len(names), failed)
        return
    report = audit_collected(open_ref(names[0], options), options, lineage_depth)
    text = render(report, fmt, color=bool(use_color) and fmt == "text", badge_name=badge_name)
    write_output(text, output)


@click.command()
@click.argument("ref")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the snapshot to FILE (default: standard output).")
@source_options
@link_options
def snapshot(ref: str, output: Path | None, mirror: Path | None, cache_dir: Path | None,
             offline: bool, no_cache: bool, follow_links: bool,
             github_mirror: Path | None) -> None:
    """Save what a source sees of a release, to replay the audit later.

    `openscope audit FILE.json` on the saved snapshot gives byte-identical output every time.
    For Hub refs the code repositories the card presents as its own are followed and saved
    inside the snapshot (unless --no-follow-links), so the replay needs no network for them.
    """
    options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links)
    write_output(_follow(open_ref(ref, options), options).to_json(), output)
