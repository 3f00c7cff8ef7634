"""Collect many refs at once: bounded concurrency, one failure never stops the others.

Remote collection is I/O bound (one API call and a few small downloads per repository), so
threads overlap the waiting. Results come back in the order of the refs given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from openscope.errors import OpenscopeError, SourceError
from openscope.snapshot import Snapshot
from openscope.sources.base import Source, open_ref
from openscope.sources.options import REMOTE_SCHEMES, SourceOptions, remote_source
from openscope.sources.refs import parse_ref

#: Default number of refs collected at the same time.
DEFAULT_JOBS = 16

#: Called after each ref: (index, ref text, snapshot or error).
ProgressCallback = Callable[[int, str, "Snapshot | OpenscopeError"], None]

T = TypeVar("T")


def read_ref_file(path: Path | str) -> list[str]:
    """Refs from a file, one per line; blank lines and ``#`` comments are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenscopeError(f"{path}: cannot read the list of refs ({exc})") from exc
    refs: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            refs.append(line)
    return refs


class _Sources:
    """One source instance per scheme, shared by all threads (they are thread-safe)."""

    def __init__(self, options: SourceOptions, source: Source | None = None) -> None:
        self.options = options
        self.source = source
        self._by_scheme: dict[str, Source] = {}
        self._lock = threading.Lock()

    def collect(self, text: str) -> Snapshot:
        ref = parse_ref(text)
        if ref.scheme not in REMOTE_SCHEMES:
            return open_ref(text, self.options)
        if self.source is not None:
            return self.source.collect(ref)
        with self._lock:
            source = self._by_scheme.get(ref.scheme)
            if source is None:
                source = remote_source(ref, self.options)
                self._by_scheme[ref.scheme] = source
        return source.collect(ref)


def collect_many(
    refs: Iterable[str],
    options: SourceOptions | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    on_result: ProgressCallback | None = None,
    source: Source | None = None,
) -> list[Snapshot | OpenscopeError]:
    """Collect the snapshot of every ref, at most ``jobs`` at a time.

    ``source``, when given, collects every remote ref (e.g. a configured ``HubSource``);
    otherwise one source per scheme is built from ``options``.

    Each item of the result is the ref's :class:`Snapshot` or the error that stopped it
    (:class:`~openscope.errors.SourceError` for remote failures, ``UsageError`` for a
    malformed ref); an unexpected exception becomes a ``SourceError`` with reason ``error``
    rather than stopping the batch.

    Example:
        >>> collect_many([], jobs=4)
        []
    """
    return collect_each(refs, lambda snapshot: snapshot, options, jobs=jobs,
                        on_result=on_result, source=source)


def collect_each(
    refs: Iterable[str],
    then: Callable[[Snapshot], T],
    options: SourceOptions | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    on_result: ProgressCallback | None = None,
    source: Source | None = None,
) -> list[T | OpenscopeError]:
    """:func:`collect_many`, applying ``then`` to each snapshot as soon as it is collected
    (in the same worker thread), so only ``jobs`` snapshots are alive at a time when
    ``then`` keeps what it needs and drops the snapshot (a site build of 10,000 releases).

    An :class:`OpenscopeError` raised by ``then`` takes the ref's place, as a collection
    error does.
    """
    items: Sequence[str] = list(refs)
    sources = _Sources(options or SourceOptions(), source)
    results: list[Any] = [None] * len(items)

    def one(index: int) -> None:
        text = items[index]
        result: Snapshot | OpenscopeError
        try:
            result = sources.collect(text)
        except OpenscopeError as exc:
            result = exc
        except Exception as exc:  # one bad ref must not stop the others
            result = SourceError(f"{text}: unexpected {type(exc).__name__}: {exc}", None, "error")
        if on_result is not None:
            on_result(index, text, result)
        if isinstance(result, OpenscopeError):
            results[index] = result
            return
        try:
            results[index] = then(result)
        except OpenscopeError as exc:
            results[index] = exc

    workers = max(1, min(jobs, len(items) or 1))
    if workers == 1:
        for i in range(len(items)):
            one(i)
    else:
        with ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="openscope-collect"
        ) as pool:
            list(pool.map(one, range(len(items))))
    return [r for r in results if r is not None]


def collect_many_with_progress(
    refs: Sequence[str],
    options: SourceOptions | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    transient: bool = True,
) -> list[Snapshot | OpenscopeError]:
    """:func:`collect_many` with a rich progress bar on stderr (for the CLI)."""
    return collect_each_with_progress(refs, lambda snapshot: snapshot, options, jobs=jobs,
                                      transient=transient)


def collect_each_with_progress(
    refs: Sequence[str],
    then: Callable[[Snapshot], T],
    options: SourceOptions | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    transient: bool = True,
) -> list[T | OpenscopeError]:
    """:func:`collect_each` with a rich progress bar on stderr (for the CLI)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    failed = 0
    lock = threading.Lock()
    with Progress(
        TextColumn("collecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("collect", total=len(refs), failed=0)

        def tick(_index: int, _text: str, result: Snapshot | OpenscopeError) -> None:
            nonlocal failed
            with lock:
                if isinstance(result, OpenscopeError):
                    failed += 1
                progress.update(task, advance=1, failed=failed)

        return collect_each(refs, then, options, jobs=jobs, on_result=tick)
