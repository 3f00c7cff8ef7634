"""The offline mirror source: a frozen copy of the Hub laid out like ``../shared/hub``.

Layout (see ``docs/hub.md``)::

    models/<org>/<name>/info.json     the Hub API record (GET /api/models/{id}), as returned
    models/<org>/<name>/README.md     the card; any other file is served as a repo file
    models/<name>/...                 legacy ids without an organisation
    datasets/<id>/README.md           dataset card; datasets/<id>/info.json optional
    datasets/<id>/dataset_infos.json  ...

A repository exists when its folder holds an ``info.json`` or any file. A repository without
``info.json`` has a record of its id only: nothing else was recorded.

:class:`HubMirror` is the single reader of that layout; the mirror source and the local test
server (:mod:`openscope.testing.hubserver`) both use it, so auditing ``--mirror DIR`` and
auditing through a server over ``DIR`` give the same snapshot.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from openscope import lazyre
from openscope.errors import OpenscopeError, SourceError
from openscope.lineage_names import Candidate, first_word, name_matches
from openscope.snapshot import Snapshot
from openscope.sources.hubrecord import (
    DATASET_EXPAND,
    MODEL_EXPAND,
    FileRead,
    api_view,
    assemble_snapshot,
)
from openscope.sources.refs import Ref

_PART = lazyre.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")

#: The file of a mirror repository that holds its API record; never served as a repo file.
INFO_FILE = "info.json"


def _kind_dir(kind: str) -> str:
    return "datasets" if kind == "dataset" else "models"


class HubMirror:
    """Read-only access to a mirror directory.

    Args:
        root: the mirror directory (``models/``, ``datasets/``).
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def repo_dir(self, kind: str, repo_id: str) -> Path | None:
        """The folder of a repository, or ``None`` when the mirror does not hold it."""
        parts = repo_id.split("/")
        if not 1 <= len(parts) <= 2 or not all(
            _PART.match(p) and p not in (".", "..") for p in parts
        ):
            return None
        folder = self.root / _kind_dir(kind) / Path(*parts)
        if not folder.is_dir():
            return None
        if (folder / INFO_FILE).is_file():
            return folder
        # A folder of an organisation also exists; a repo folder holds files.
        if any(p.is_file() for p in folder.iterdir()):
            return folder
        return None

    def record(self, kind: str, repo_id: str) -> dict[str, Any] | None:
        """The recorded API record of a repository (``{"id": ...}`` when none was recorded).

        Returns ``None`` when the mirror does not hold the repository. Raises
        :class:`SourceError` (``server-error``) when ``info.json`` is not a JSON object.
        """
        folder = self.repo_dir(kind, repo_id)
        if folder is None:
            return None
        info = folder / INFO_FILE
        if not info.is_file():
            return {"id": repo_id}
        try:
            data = json.loads(info.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise SourceError(
                f"{kind} {repo_id}: mirror record {info} is not valid JSON",
                "repair or remove the file",
                "server-error",
            ) from exc
        if not isinstance(data, dict):
            raise SourceError(
                f"{kind} {repo_id}: mirror record {info} is not a JSON object",
                "repair or remove the file",
                "server-error",
            )
        data.setdefault("id", repo_id)
        return data

    def file_path(self, kind: str, repo_id: str, filename: str) -> Path | None:
        """The path of a repository file, or ``None`` when absent (or not a repo file)."""
        folder = self.repo_dir(kind, repo_id)
        if folder is None or not filename or filename.startswith("/") or filename == INFO_FILE:
            return None
        if any(part in ("", ".", "..") for part in filename.split("/")):
            return None
        path = folder / filename
        try:
            if not path.is_file() or path.is_symlink():
                return None
            if not path.resolve().is_relative_to(folder):
                return None
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python 3.11
            return None
        return path

    def read(self, kind: str, repo_id: str, filename: str, limit: int) -> FileRead:
        """Read at most ``limit`` bytes of a repository file."""
        path = self.file_path(kind, repo_id, filename)
        if path is None:
            return FileRead.missing()
        try:
            with open(path, "rb") as fh:
                size = path.stat().st_size
                raw = fh.read(limit + 1)
        except OSError as exc:
            return FileRead(None, None, f"unreadable ({exc.strerror})")
        return FileRead(raw[:limit], size, None, truncated=len(raw) > limit)

    def commit(self, kind: str, repo_id: str) -> str:
        """The commit a server reports for the repository: its ``sha``, else a stable stand-in.

        The stand-in (a digest of the id) only fills the ``X-Repo-Commit`` header a client
        expects; the snapshot's revision comes from the API record alone.
        """
        record = self.record(kind, repo_id) or {}
        sha = record.get("sha")
        if isinstance(sha, str) and sha:
            return sha
        return hashlib.sha1(f"openscope-mirror:{kind}:{repo_id}".encode()).hexdigest()

    def revision_matches(self, kind: str, repo_id: str, revision: str | None) -> bool:
        """Whether a requested revision names the one version the mirror holds."""
        if revision in (None, "", "main"):
            return True
        record = self.record(kind, repo_id) or {}
        sha = record.get("sha")
        return isinstance(sha, str) and bool(sha) and revision == sha

    def ids(self, kind: str = "model") -> list[str]:
        """Repository ids listed in the mirror's index (``index.jsonl``), in order."""
        index = self.root / ("index.jsonl" if kind == "model" else "datasets/index.jsonl")
        out: list[str] = []
        if not index.is_file():
            return out
        for line in index.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                out.append(entry["id"])
        return out

    def name_candidates(self, name: str) -> list[Candidate]:
        """The mirror's model repositories whose name could be the base ``name`` (see
        :mod:`openscope.lineage_names`), with their recorded downloads and whether they
        declare a base of their own: the mirror's :data:`~openscope.lineage_names.Resolve`.

        The ids are indexed by their first normalised token once per mirror (and index
        file version), so a call reads only the records of the few ids that match.
        """
        index = self.root / "index.jsonl"
        try:
            stamp = index.stat().st_mtime_ns
        except OSError:
            return []
        key = first_word(name)
        out = []
        for repo in _name_index(str(self.root), stamp).get(key or "", ()):
            if not name_matches(name, repo):
                continue
            try:
                record = self.record("model", repo)
            except OpenscopeError:
                continue
            if record is not None:
                out.append(candidate_of(repo, record))
        return out


@lru_cache(maxsize=4)
def _name_index(root: str, stamp: int) -> dict[str, tuple[str, ...]]:
    """First normalised token of each repository name -> the ids (``stamp``: the index
    file's mtime, so a changed mirror is indexed again)."""
    del stamp
    by_word: dict[str, list[str]] = {}
    for repo in HubMirror(root).ids("model"):
        word = first_word(repo.rsplit("/", 1)[-1])
        if word:
            by_word.setdefault(word, []).append(repo)
    return {w: tuple(ids) for w, ids in by_word.items()}


def candidate_of(repo: str, record: dict[str, Any]) -> Candidate:
    """A :class:`Candidate` from a Hub API record (mirror ``info.json`` or ``/api/models``):
    downloads, ``gated``, and whether it declares a base (card ``base_model``, the API's
    ``baseModels``, or a ``base_model:`` tag)."""
    downloads = record.get("downloads")
    raw_card, raw_tags = record.get("cardData"), record.get("tags")
    card: dict[str, Any] = raw_card if isinstance(raw_card, dict) else {}
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    declares = bool(card.get("base_model")) or bool(record.get("baseModels")) or any(
        isinstance(t, str) and t.startswith("base_model:") for t in tags)
    gated = record.get("gated")
    return Candidate(repo, downloads if isinstance(downloads, int) else None, declares,
                     gated if isinstance(gated, str | bool) else None)


def expand_for(kind: str) -> tuple[str, ...]:
    """The API fields openscope asks the Hub for, per kind."""
    return DATASET_EXPAND if kind == "dataset" else MODEL_EXPAND


class MirrorSource:
    """Collects snapshots from a mirror directory, with no network at all.

    The snapshot equals the one :class:`~openscope.sources.hub.HubSource` collects through a
    server over the same directory, except ``source`` (``mirror``) and ``retrieved_at``
    (``None``: a frozen copy has no retrieval time of its own).
    """

    def __init__(self, root: Path | str) -> None:
        self.mirror = HubMirror(root)
        if not self.mirror.root.is_dir():
            raise SourceError(
                f"mirror {root}: no such folder", "pass a folder laid out like the Hub", "not-found"
            )

    def collect(self, ref: Ref) -> Snapshot:
        """Return the snapshot of ``ref`` (an ``hf-model`` or ``hf-dataset`` ref)."""
        kind = "dataset" if ref.scheme == "hf-dataset" else "model"
        record = self.mirror.record(kind, ref.target)
        if record is None:
            raise SourceError(
                f"{ref}: not found in mirror {self.mirror.root}",
                "check the id, or audit it from the Hub without --mirror",
                "not-found",
            )
        if not self.mirror.revision_matches(kind, ref.target, ref.revision):
            raise SourceError(
                f"{ref}: revision {ref.revision} not in mirror (it holds one version)",
                "omit the revision or use the recorded sha",
                "not-found",
            )
        data = api_view(record, expand_for(kind))

        def read(filename: str, limit: int) -> FileRead:
            return self.mirror.read(kind, ref.target, filename, limit)

        return assemble_snapshot(ref, kind, data, read, source="mirror", retrieved_at=None)
