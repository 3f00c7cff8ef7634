"""``openscope census``: run a census, report on it, diff two censuses."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from openscope.errors import UsageError

if TYPE_CHECKING:  # the census modules (DuckDB, Arrow) load only when a census command runs
    from openscope.census.runner import Progress


class _CensusGroup(click.Group):
    """A group whose default command is ``run``: ``census INPUT -o OUT``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args.insert(0, "run")
        return super().parse_args(ctx, args)


@click.group(cls=_CensusGroup)
def census() -> None:
    """The openness of every release in a Hub listing, with ecosystem statistics.

    \b
      openscope census INPUT -o OUT        run (or resume) a census
      openscope census report OUT          tables, charts and an HTML summary
      openscope census diff A B            what changed between two censuses
    """


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    if not enabled:
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"listing": "fetching listing", "rows": "reading records",
              "partitions": "partitions done", "verdicts": "auditing verdict keys",
              "assemble": "writing outputs", "deep": "deep audits"}
    with Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=False) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@census.command("run")
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (created; rerun with the same folder to resume).")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Local worker processes (default: CPU count; 1 runs in process).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run the tasks on a Dask cluster (e.g. tcp://127.0.0.1:8786); the "
                   "workers must see the output folder.")
@click.option("--partition-rows", type=click.IntRange(1, None), default=50_000,
              show_default=True, help="Records per partition (unit of work and resume).")
@click.option("--deep", is_flag=True,
              help="Also fetch cards and licence files for the rows whose licence the "
                   "listing leaves undecided, and audit those rows individually.")
@click.option("--mirror", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="With --deep: read cards from this mirror folder, not the Hub.")
@click.option("--deep-limit", type=click.IntRange(0, None), default=None,
              help="With --deep: at most this many rows (most downloaded first).")
@click.option("--keep-work", is_flag=True, help="Keep per-partition results in OUT/.work.")
@click.option("--no-verdict-cache", is_flag=True,
              help="Do not reuse verdicts cached by earlier runs of the same code.")
@click.option("--force", is_flag=True, help="Start afresh in a folder holding another census.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars on stderr (default: when stderr is a terminal).")
def run_cmd(source: str, out: Path, workers: int | None, scheduler: str | None,
            partition_rows: int, deep: bool, mirror: Path | None, deep_limit: int | None,
            keep_work: bool, no_verdict_cache: bool, force: bool,
            progress: bool | None) -> None:
    """Run a census of INPUT into OUT: one row per release, in Parquet and DuckDB.

    INPUT is a Hub listing: JSON lines of API list records (.jsonl, .jsonl.gz), a JSON
    array (.json), a Parquet file, a mirror folder laid out like the Hub, or `hub:` for a
    live listing (`hub:?author=ORG&search=TEXT&filter=TAG&limit=N`; HF_ENDPOINT applies).

    The census runs the same evidence and verdict code as `openscope audit`, once per
    distinct combination of verdict-relevant metadata. It can be killed at any point:
    rerunning the same command resumes without losing or duplicating a row.

    \b
    Examples:
      openscope census hf-models.jsonl.gz -o census-2024-07
      openscope census hf-models.jsonl.gz -o out --scheduler tcp://10.0.0.5:8786
      openscope census ../shared/hub -o mirror-census --deep --mirror ../shared/hub
    """
    from openscope.census.runner import CensusOptions, run_census

    if (mirror is not None or deep_limit is not None) and not deep:
        raise UsageError("--mirror and --deep-limit only apply with --deep")
    show = progress if progress is not None else sys.stderr.isatty()
    with _progress(show) as update:
        options = CensusOptions(rows_per_partition=partition_rows, workers=workers,
                                scheduler=scheduler, keep_work=keep_work or deep, force=force,
                                verdict_cache=not no_verdict_cache, progress=update)
        manifest = run_census(source, out, options)
        if deep:
            from openscope.census.deep import run_deep

            manifest = run_deep(out, mirror=mirror, limit=deep_limit, progress=update,
                                keep_work=keep_work)
    counts = manifest["counts"]
    check = manifest.get("key_check") or {}
    click.echo(
        f"census: {counts['rows']:,} rows ({counts['errors']:,} errors, "
        f"{counts['verdict_keys']:,} verdict keys, {counts['rich']:,} audited individually"
        + (f", {counts.get('deep', 0):,} deep" if deep else "")
        + f") -> {out}" + (f"; key check {check.get('mismatches', 0)} mismatches in "
                           f"{check.get('checked', 0)}" if check else ""),
        err=True)


@census.command("report")
@click.argument("census_dir", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "dest", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the report (default: OUT/report).")
def report_cmd(census_dir: Path, dest: Path | None) -> None:
    """Ecosystem statistics of a census: tables (CSV, Parquet), charts (PNG, SVG), HTML.

    Licence classes over time, openness profiles, download concentration (zero-download
    share, top 1% / 10% shares, Gini, a Pareto tail fit), licences along lineage,
    open-washing counts and per-organisation tables.
    """
    from openscope.census.report import build_report

    target = dest or census_dir / "report"
    index = build_report(census_dir, target)
    click.echo(f"census report: {index}", err=True)


@census.command("diff")
@click.argument("old", metavar="A", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new", metavar="B", type=click.Path(file_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]),
              default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (default: standard output).")
@click.option("--limit", type=click.IntRange(0, None), default=20, show_default=True,
              help="Text format: examples listed per change kind.")
def diff_cmd(old: Path, new: Path, fmt: str, output: Path | None, limit: int) -> None:
    """What changed between census A and census B.

    New and removed releases, and releases whose licence, licence class, openness profile
    or MOF class changed. `--format csv` lists every changed release.
    """
    from openscope.census.diff import diff_censuses, render
    from openscope.writing import write_output

    result = diff_censuses(old, new)
    write_output(render(result, fmt, limit), output)
