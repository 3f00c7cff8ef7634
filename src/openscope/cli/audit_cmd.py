"""``openscope audit`` and ``openscope snapshot``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from openscope.formats import FORMATS, render
from openscope.pipeline import audit_snapshot
from openscope.sources import open_ref
from openscope.writing import write_output


@click.command()
@click.argument("ref")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output (written only on success).")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: when writing to a terminal).")
def audit(ref: str, fmt: str, output: Path | None, color: bool | None) -> None:
    """Audit a release and report how open it is, with evidence.

    REF is a release folder, a snapshot saved with `openscope snapshot`, or a Hub ref such
    as hf:org/name[@revision].

    \b
    Examples:
      openscope audit examples/tiny-open-model
      openscope audit ./my-model --format json -o report.json
      openscope audit snapshot.json
    """
    report = audit_snapshot(open_ref(ref))
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    text = render(report, fmt, color=bool(use_color) and fmt == "text")
    write_output(text, output)


@click.command()
@click.argument("ref")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the snapshot to FILE (default: standard output).")
def snapshot(ref: str, output: Path | None) -> None:
    """Save what a source sees of a release, to replay the audit later.

    `openscope audit FILE.json` on the saved snapshot gives byte-identical output every time.
    """
    write_output(open_ref(ref).to_json(), output)
