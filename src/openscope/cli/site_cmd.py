"""``openscope site build`` and ``openscope site serve``: the static explorer website."""

from __future__ import annotations

import time
from pathlib import Path

import click

from openscope.cli.remote_opts import (
    link_options,
    make_options,
    many_options,
    source_options,
)
from openscope.errors import InputError, OpenscopeError, UsageError
from openscope.sources.many import read_ref_file


@click.group()
def site() -> None:
    """Build and serve a static website over many audits (the openness explorer).

    \b
    Examples:
      openscope site build site examples/tiny-open-model hf:bigcode/starcoder --mirror ../shared/hub
      openscope site serve site --port 8000
    """


@site.command("build")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.argument("refs", nargs=-1, metavar="[REF...]")
@click.option("--census", "census_dirs", type=click.Path(file_okay=False, path_type=Path),
              multiple=True,
              help="Publish the rows of a census folder (written by `openscope census`) and "
                   "its dashboard (census.html). Give it twice (older first) for a history "
                   "page of what changed; the rows of the last one are published.")
@click.option("--title", default="openscope explorer", show_default=True,
              help="The site's title.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes rendering release pages (more helps only on idle cores).")
@source_options
@link_options
@many_options
def build(out: Path, refs: tuple[str, ...], census_dirs: tuple[Path, ...], title: str,
          workers: int, mirror: Path | None, cache_dir: Path | None, offline: bool, no_cache: bool,
          follow_links: bool, github_mirror: Path | None, arxiv_api: str | None,
          from_file: Path | None, jobs: int, lineage_depth: int) -> None:
    """Write a static, self-contained website for many releases into OUT.

    The releases are REFs (anything `openscope audit` takes, collected concurrently with the
    same source options), the refs of --from-file, or the rows of a --census folder. OUT
    gets a sortable, filterable leaderboard (index.html), one page per release with its
    verdicts, components, evidence, lineage, datasets, findings and card (as text), its JSON
    report and snapshot (`openscope audit` replays it), a compare page, and CSV/JSON
    downloads. With --census, a dashboard of the census's
    charts and statistics (census.html); with --census given twice (older first), a history
    page of what changed (history.html); a release given twice (two revisions) gets a
    release history (history-releases.html). No CDN and no network at view time; open it with
    `openscope site serve OUT`. Rebuilding into the same OUT rewrites only the pages whose
    input changed. A ref that fails is reported and the others are published (exit 3 at the
    end).
    """
    from openscope.explorer import site as site_mod
    from openscope.explorer.collect import audit_refs
    from openscope.explorer.snapshots import SnapshotStore

    names = list(refs) + (read_ref_file(from_file) if from_file is not None else [])
    if not names and not census_dirs:
        raise UsageError("nothing to publish", "name refs, --from-file FILE or --census DIR")
    start = time.perf_counter()
    entries: list[site_mod.Entry] = []
    failed = 0
    if census_dirs:
        from openscope.explorer.census_rows import census_entries

        for folder in census_dirs[:-1]:
            census_entries(folder)  # an older census must be readable too (exit 3 if not)
        entries += census_entries(census_dirs[-1])
    if names:
        options = make_options(mirror, cache_dir, offline, no_cache, github_mirror, follow_links,
                           arxiv_api)
        store = SnapshotStore(out)  # each snapshot is written as soon as it is audited
        for item in audit_refs(names, options, jobs, lineage_depth, store=store):
            if isinstance(item, OpenscopeError):
                failed += 1
                click.echo(f"openscope: error: {item.one_line()}", err=True)
            else:
                entries.append(site_mod.entry_of(item.data, item.extra))
    if not entries:
        raise InputError("no release could be audited", "see the lines above")
    stats = site_mod.build(out, entries, title, workers=workers, censuses=census_dirs)
    click.echo(f"wrote {out}: {len(entries)} releases, {stats.pages_written} pages written, "
               f"{stats.pages_skipped} unchanged, {stats.pages_removed} removed, "
               f"{stats.total_bytes / 1e6:.1f} MB + {stats.snapshots} snapshots "
               f"({stats.snapshot_bytes / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s; "
               f"view it with: openscope site serve {out}", err=True)
    if failed:
        raise InputError(f"{failed} of {len(names)} refs could not be audited",
                         "see the lines above")


@site.command("serve")
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
def serve(out: Path, port: int) -> None:
    """Serve a built site folder on http://127.0.0.1:PORT/ (Ctrl-C stops)."""
    from openscope.explorer.serve import make_server

    if not (out / "index.html").exists():
        raise InputError(f"{out} is not a site folder (no index.html)",
                         "build one with: openscope site build OUT REF...")
    try:
        server = make_server(out, port)
    except OSError as exc:
        raise InputError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})",
                         "choose another --port") from exc
    bound = server.server_address[1]
    click.echo(f"serving {out} on http://127.0.0.1:{bound}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
