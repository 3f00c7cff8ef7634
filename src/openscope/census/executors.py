"""Where census tasks run: in process, on a local process pool, or on a Dask cluster.

Tasks are module-level functions taking and returning plain dicts, so the same task runs
unchanged everywhere. Workers read and write the census folder directly: a Dask cluster
must share the file system with the client (a local cluster always does).
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

Task = Callable[[dict[str, Any]], dict[str, Any]]


class Executor(Protocol):
    """Runs tasks and yields their results as they complete."""

    workers: int

    def submit(self, fn: Task, arg: dict[str, Any]) -> Any:
        """Start ``fn(arg)``; returns a future."""
        ...

    def completed(self, futures: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Results of ``futures`` in completion order (re-raises a task's error)."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


class InlineExecutor:
    """Runs each task at once in this process (small inputs, ``--workers 1``)."""

    workers = 1

    def submit(self, fn: Task, arg: dict[str, Any]) -> Any:
        """Run now; the 'future' is a finished one."""
        fut: cf.Future[dict[str, Any]] = cf.Future()
        fut.set_result(fn(arg))
        return fut

    def completed(self, futures: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Results in submission order."""
        for fut in futures:
            yield fut.result()

    def close(self) -> None:
        """Nothing to release."""


def die_with_parent() -> None:
    """Ask the kernel to end this worker when the census process dies, even by ``kill -9``
    (Linux ``PR_SET_PDEATHSIG``); elsewhere the workers end when their queue closes."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


class PoolExecutor:
    """A local process pool.

    Workers are forked where the platform allows it (they start with the census modules
    already imported: no per-worker import cost); elsewhere they are spawned. The parent
    holds no DuckDB connection while the pool starts.
    """

    def __init__(self, workers: int) -> None:
        import openscope.census.tasks  # noqa: F401 - imported once, inherited by the workers

        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                            initializer=die_with_parent)
        # The objects that exist now (modules, licence data, ...) live as long as the run:
        # frozen, the garbage collector never scans them, neither in this process nor in
        # the forked workers that inherit them (less work, fewer copied pages). The first
        # submission forks every worker; :meth:`close` unfreezes.
        gc.freeze()
        self._pool.submit(int)

    def submit(self, fn: Task, arg: dict[str, Any]) -> Any:
        """Queue ``fn(arg)`` on the pool."""
        return self._pool.submit(fn, arg)

    def completed(self, futures: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Results in completion order."""
        for fut in cf.as_completed(list(futures)):
            yield fut.result()

    def close(self) -> None:
        """Shut the pool down, cancelling what has not started."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            gc.unfreeze()


class DaskExecutor:
    """Tasks on a Dask cluster through ``distributed.Client``."""

    def __init__(self, address: str) -> None:
        from openscope.errors import InputError, UsageError

        try:
            from distributed import Client
        except ImportError as exc:
            raise UsageError("--scheduler needs Dask's distributed package",
                             "install it with: pip install 'openscope[census]'") from exc

        try:
            self._client = Client(address, timeout=10)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})",
                             "start it, or run without --scheduler") from exc
        workers = self._client.scheduler_info().get("workers", {})
        self.workers = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def submit(self, fn: Task, arg: dict[str, Any]) -> Any:
        """Submit ``fn(arg)`` (``pure=False``: every submission runs)."""
        return self._client.submit(fn, arg, pure=False)

    def completed(self, futures: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Results in completion order."""
        from distributed import as_completed

        for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
            yield fut.result()

    def close(self) -> None:
        """Disconnect (the cluster keeps running)."""
        self._client.close()  # type: ignore[no-untyped-call]


def make_executor(workers: int | None, scheduler: str | None, partitions: int) -> Executor:
    """The executor for a run: Dask when a scheduler is named, else a pool or inline."""
    if scheduler:
        return DaskExecutor(scheduler)
    count = workers if workers is not None else (os.cpu_count() or 1)
    count = max(1, min(count, max(partitions, 1)))
    if count == 1:
        return InlineExecutor()
    return PoolExecutor(count)


def wait_some(executor: Executor, futures: list[Any], limit: int) -> list[dict[str, Any]]:
    """Block until fewer than ``limit`` of ``futures`` are pending; return finished results.

    Finished futures are removed from ``futures`` in place.
    """
    results: list[dict[str, Any]] = []
    while len(futures) >= limit and futures:
        if isinstance(executor, DaskExecutor):
            from distributed import wait

            done = wait(futures, return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
        else:
            done = cf.wait(futures, return_when=cf.FIRST_COMPLETED).done
        for fut in list(done):
            futures.remove(fut)
            results.append(fut.result())
    return results
