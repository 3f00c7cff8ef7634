"""``openscope compare``: releases side by side, differences highlighted."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from openscope.cli.remote_opts import (
    failures_error,
    gather_refs,
    link_options,
    make_options,
    many_options,
    source_options,
)
from openscope.errors import OpenscopeError, UsageError
from openscope.explorer.compare import FORMATS, comparison, render
from openscope.writing import write_output


@click.command()
@click.argument("refs", nargs=-1, metavar="REF...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output (written only on success).")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: when writing to a terminal).")
@source_options
@link_options
@many_options
def compare(refs: tuple[str, ...], fmt: str, output: Path | None, color: bool | None,
            mirror: Path | None, cache_dir: Path | None, offline: bool, no_cache: bool,
            follow_links: bool, github_mirror: Path | None, arxiv_api: str | None,
            from_file: Path | None, jobs: int, lineage_depth: int) -> None:
    """Compare 2 or more releases side by side, differences highlighted.

    REF is anything `openscope audit` takes (a folder, a saved snapshot, hf:org/name,
    hf-dataset:org/name, gh:owner/repo); the refs are collected concurrently. Rows: the
    four dimensions, the 17 components (status and licence), MOF proven and attainable
    class, OSAID, EU AI Act exemption, open-washing, the 12 Open Source AI Index
    parameters and score, the weights licence's key terms (commercial use, user and
    revenue caps, field of use, attribution) and the findings. Rows where the releases
    differ are marked ≠ (bold in text, highlighted in Markdown and HTML, `differs` in JSON
    and CSV). A ref that fails is reported; the others are compared if at least two remain
    (exit 3 at the end).

    \b
    Examples:
      openscope compare examples/tiny-open-model hf:bigcode/starcoder --mirror ../shared/hub
      openscope compare hf:a/b hf:c/d -f html -o compare.html
    """
    from openscope.explorer.collect import audit_refs

    names = gather_refs(refs, from_file)
    if len(names) < 2:
        raise UsageError("compare needs at least two refs", "name two releases or more")
    options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links,
                           arxiv_api)
    results = audit_refs(names, options, jobs, lineage_depth)
    audited = []
    for item in results:
        if isinstance(item, OpenscopeError):
            click.echo(f"openscope: error: {item.one_line()}", err=True)
        else:
            audited.append(item)
    failed = len(names) - len(audited)
    if len(audited) < 2:
        raise failures_error(len(names), failed)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    table = comparison([a.data for a in audited], [a.extra for a in audited])
    write_output(render(table, fmt, color=bool(use_color) and fmt == "text"), output)
    if failed:
        raise failures_error(len(names), failed)
