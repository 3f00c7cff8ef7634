"""A disk cache of collected snapshots, keyed by endpoint, repository and revision.

Layout under the cache root (``platformdirs`` user cache dir unless ``--cache-dir``)::

    v1/<endpoint>/<kind>/<repo id>/<revision>.json      a snapshot, immutable
    v1/<endpoint>/<kind>/<repo id>/refs/<name>.json     {"revision": ..., "at": epoch seconds}

A pinned revision (a commit sha) never changes, so its entry is used whatever its age. A
branch name (``main``) resolves through its ``refs`` file while that is younger than
``max_age``; offline, any age will do. Every file is written to a temporary name and
renamed, so an interrupted or failed collection never leaves a partial entry.
Snapshots never contain credentials; nor does the cache.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from platformdirs import user_cache_dir

from openscope import lazyre
from openscope.errors import InputError
from openscope.snapshot import Snapshot

_SHA = lazyre.compile(r"^[0-9a-f]{40}$")

#: How long a branch name (``main``) keeps resolving to the revision cached for it.
DEFAULT_MAX_AGE = 24 * 3600.0


def default_cache_dir() -> Path:
    """The per-user cache folder of openscope's remote sources."""
    return Path(user_cache_dir("openscope", appauthor=False)) / "sources"


def _slug(text: str) -> str:
    return quote(text, safe="-_.") or "_"


def endpoint_slug(endpoint: str) -> str:
    """A folder name for an API endpoint (``huggingface.co``, ``127.0.0.1_8080``, ...)."""
    parts = urlsplit(endpoint)
    host = parts.netloc or endpoint
    return _slug(host.replace(":", "_"))


class SnapshotCache:
    """Snapshots on disk. Thread-safe: writes are atomic renames.

    Args:
        root: cache folder (created on first write).
        namespace: separates sources and endpoints, e.g. ``hf/huggingface.co``.
        max_age: seconds a branch name keeps resolving without asking the server.
    """

    def __init__(self, root: Path | str, namespace: str, max_age: float = DEFAULT_MAX_AGE) -> None:
        self.root = Path(root) / "v1" / namespace
        self.max_age = max_age

    def _repo_dir(self, kind: str, repo_id: str) -> Path:
        return self.root / kind / Path(*[_slug(p) for p in repo_id.split("/")])

    def _alias(self, kind: str, repo_id: str, requested: str | None) -> Path:
        return self._repo_dir(kind, repo_id) / "refs" / f"{_slug(requested or 'main')}.json"

    def entry_path(self, kind: str, repo_id: str, revision: str) -> Path:
        """Where the snapshot of ``repo_id`` at ``revision`` is stored."""
        return self._repo_dir(kind, repo_id) / f"{_slug(revision)}.json"

    def get(
        self, kind: str, repo_id: str, requested: str | None, *, offline: bool = False
    ) -> Snapshot | None:
        """The cached snapshot for a requested revision, or ``None`` on a miss.

        A requested commit sha hits directly. A branch name (or none, meaning ``main``) hits
        while its alias is fresh, or at any age when ``offline``.
        """
        if requested and _SHA.match(requested):
            return self._load(self.entry_path(kind, repo_id, requested))
        alias = self._alias(kind, repo_id, requested)
        try:
            data = json.loads(alias.read_text(encoding="utf-8"))
            revision = str(data["revision"])
            at = float(data["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not offline and time.time() - at > self.max_age:
            return None
        return self._load(self.entry_path(kind, repo_id, revision))

    def put(self, snapshot: Snapshot, kind: str, repo_id: str, requested: str | None) -> None:
        """Store a snapshot and point the requested name at it (atomically)."""
        revision = snapshot.revision or _unpinned_key(snapshot)
        _atomic_write(self.entry_path(kind, repo_id, revision), snapshot.to_json())
        alias = json.dumps({"revision": revision, "at": time.time()}, sort_keys=True)
        if not (requested and _SHA.match(requested)):
            _atomic_write(self._alias(kind, repo_id, requested), alias + "\n")

    def _load(self, path: Path) -> Snapshot | None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            return Snapshot.from_json(text)
        except InputError:
            # Not written by us (we rename complete files only): drop it and collect again.
            path.unlink(missing_ok=True)
            return None


def _unpinned_key(snapshot: Snapshot) -> str:
    """Entry name of a snapshot without a commit sha: a digest of its content."""
    import hashlib

    body = snapshot.to_dict()
    body.pop("retrieved_at", None)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:40]
    return f"unpinned-{digest}"


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
