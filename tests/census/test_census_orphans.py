"""A census killed with SIGKILL leaves no worker processes behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

SCRIPT = """
import time
from openscope.census.executors import PoolExecutor
pool = PoolExecutor(2)
pool._pool.submit(time.sleep, 60)
pool._pool.submit(time.sleep, 60)
time.sleep(1.0)
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_killed_census() -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                            start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert workers, "the pool started no worker"
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as a user's kill -9 would
        proc.wait(timeout=10)
        end = time.monotonic() + 15
        alive = workers
        while alive and time.monotonic() < end:
            alive = [w for w in alive if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
            time.sleep(0.2)
        assert not alive, f"orphaned workers: {[w.pid for w in alive]}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
