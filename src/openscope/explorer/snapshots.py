"""The snapshots a site publishes beside its reports, written as they are collected.

A site build of the whole mirror audits 10,000+ releases; keeping every snapshot until the
pages are written would hold them all in memory. Instead :func:`openscope.explorer.collect.
audit_refs` hands each snapshot to a :class:`SnapshotStore` as soon as it is audited, which
writes ``snapshots/<slug>.json`` (the canonical JSON that ``openscope snapshot`` writes, so
``openscope audit`` replays it) and keeps only its file name and size.

A file whose bytes would not change is not rewritten (an incremental rebuild reads ~2.5 KB
per release and writes nothing). The files are plain JSON, not gzip: on the mirror they are
2.5 KB on average (gzip would make them 0.9 KB, but below one 4 KiB disk block either way,
and ``openscope audit`` reads ``*.json`` as it is).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from openscope.snapshot import Snapshot

#: The site folder the snapshots go in.
FOLDER = "snapshots"


@dataclass(frozen=True, slots=True)
class Published:
    """A snapshot as the site publishes it: its path in the site and its size in bytes."""

    path: str
    size: int


class SnapshotStore:
    """Writes each release's snapshot into ``SITE/snapshots/`` (thread-safe)."""

    def __init__(self, site: Path) -> None:
        self.folder = site / FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.written = 0
        self.unchanged = 0
        self.bytes = 0
        #: CPU time spent serialising and writing (``thread_time``: waits for the other audit
        #: threads are not counted), summed over the threads that called :meth:`put`.
        self.seconds = 0.0

    def put(self, slug: str, snapshot: Snapshot) -> Published:
        """Write ``snapshot`` as ``snapshots/<slug>.json`` unless the file already holds
        exactly these bytes; what the release page links to."""
        from openscope.explorer.site import _put

        start = time.thread_time()
        data = snapshot.to_json().encode("utf-8")
        path = self.folder / f"{slug}.json"
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            _put(path, data)
        with self._lock:
            if same:
                self.unchanged += 1
            else:
                self.written += 1
            self.bytes += len(data)
            self.seconds += time.thread_time() - start
        return Published(f"{FOLDER}/{slug}.json", len(data))
