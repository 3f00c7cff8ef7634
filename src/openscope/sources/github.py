"""The GitHub source: ``gh:owner/repo[@ref]`` through the GitHub REST API.

Calls: ``/repos/{o}/{r}`` (description, default branch, licence GitHub detected),
``/repos/{o}/{r}/commits/{ref}`` (the commit sha, pinned as the revision),
``/repos/{o}/{r}/git/trees/{sha}?recursive=1`` (the listing), ``/repos/{o}/{r}/readme`` and
``/repos/{o}/{r}/license`` and ``/repos/{o}/{r}/contents/{path}`` for small documents.

What GitHub does not answer is unknown, never absent: no tree means ``files=None``; a 404 on
``/license`` means GitHub recognised no licence, which is recorded as a note, not as "no
licence". The base URL is ``OPENSCOPE_GITHUB_API`` (default https://api.github.com);
``GITHUB_TOKEN`` is sent as a header only and never written anywhere. With ``mirror`` (a
recording, see :mod:`openscope.sources.github_record`) the same calls are answered from a
folder, without the network: the snapshot is the one the local test server over that folder
gives, with ``source`` ``github-mirror`` and no ``retrieved_at`` (so audits replay).
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import quote

import httpx2

from openscope import __version__
from openscope.errors import SourceError
from openscope.snapshot import Document, FileEntry, Snapshot
from openscope.sources.bounded import (
    API_JSON_BYTES,
    READ_DEADLINE,
    ReadLimitError,
    buffered,
    deadline_at,
)
from openscope.sources.cache import DEFAULT_MAX_AGE, SnapshotCache, default_cache_dir, endpoint_slug
from openscope.sources.client import shared_client
from openscope.sources.github_record import answer
from openscope.sources.hub import RetryPolicy
from openscope.sources.local import classify_path, decode_document
from openscope.sources.refs import Ref

T = TypeVar("T")

DEFAULT_API = "https://api.github.com"
_FALLBACK_DOCS = ("MODEL_CARD.md", "LICENSE")
_MAX_DOCS = 12
_DOC_BYTES = 1024 * 1024
_REPO_FIELDS = (
    "full_name",
    "description",
    "html_url",
    "homepage",
    "default_branch",
    "license",
    "topics",
    "archived",
    "fork",
    "private",
    "stargazers_count",
    "created_at",
    "pushed_at",
)




class _Missing(Exception):
    """A 404 on an optional resource."""


@dataclass
class GitHubSource:
    """Collects snapshots of GitHub repositories (code releases of models).

    Args:
        api: REST API base URL (default ``OPENSCOPE_GITHUB_API`` or https://api.github.com).
        token: default ``GITHUB_TOKEN``.
        cache_dir, use_cache, offline, timeout, deadline, retry, max_age: as for the Hub
            source (each answer is also capped at ``bounded.API_JSON_BYTES``).
        mirror: a recorded folder (``repos/<owner>/<repo>/``) answering instead of the API;
            no cache and no network then.
    """

    api: str | None = None
    token: str | None = field(default=None, repr=False)
    cache_dir: Path | str | None = None
    use_cache: bool = True
    offline: bool = False
    timeout: float = 20.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_age: float = DEFAULT_MAX_AGE
    deadline: float = READ_DEADLINE
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    mirror: Path | str | None = None

    def __post_init__(self) -> None:
        self.api = (self.api or os.environ.get("OPENSCOPE_GITHUB_API") or DEFAULT_API).rstrip("/")
        if self.token is None:
            self.token = os.environ.get("GITHUB_TOKEN") or None
        self.cache: SnapshotCache | None = None
        if self.use_cache and self.mirror is None:
            root = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
            self.cache = SnapshotCache(root, f"github/{endpoint_slug(self.api)}", self.max_age)

    def collect(self, ref: Ref) -> Snapshot:
        """Return the snapshot of a ``github`` ref, or raise :class:`SourceError`."""
        if self.cache is not None:
            hit = self.cache.get("code", ref.target, ref.revision, offline=self.offline)
            if hit is not None:
                return hit
        if self.offline and self.mirror is None:
            raise SourceError(f"{ref}: not in the cache and openscope is offline", None, "offline")
        base = f"/repos/{ref.target}"
        repo = self._get_json(ref, base)
        if not isinstance(repo, dict):
            raise SourceError(
                f"{ref}: GitHub answered with an unexpected record", None, "server-error"
            )
        notes: list[str] = []
        metadata: dict[str, Any] = {k: repo[k] for k in _REPO_FIELDS if k in repo}
        branch = ref.revision or repo.get("default_branch") or "HEAD"
        sha = self._optional(ref, f"{base}/commits/{quote(str(branch), safe='')}")
        revision = (
            sha.get("sha") if isinstance(sha, dict) and isinstance(sha.get("sha"), str) else None
        )
        if revision is None:
            notes.append("GitHub gave no commit sha: revision not pinned")
        files = self._tree(ref, base, revision or str(branch), notes)
        docs = self._documents(ref, base, revision or str(branch), files, notes)
        lic = self._optional(ref, f"{base}/license")
        if isinstance(lic, dict):
            metadata["license"] = lic.get("license") or metadata.get("license")
            doc = _content_document(lic)
            if doc is not None and all(d.path != doc.path for d in docs):
                docs.append(doc)
        elif lic is None and "license" not in metadata:
            notes.append("GitHub recognised no licence (the repository may still hold one)")
        snap = Snapshot(
            ref=str(ref),
            kind="model",
            source="github" if self.mirror is None else "github-mirror",
            revision=revision,
            retrieved_at=None if self.mirror is not None
            else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            files=files,
            documents=tuple(sorted(docs, key=lambda d: d.path)),
            metadata=metadata,
            notes=tuple(notes),
            url=str(repo.get("html_url") or f"https://github.com/{ref.target}"),
        )
        if self.cache is not None:
            self.cache.put(snap, "code", ref.target, ref.revision)
        return snap

    # -- parts ----------------------------------------------------------------------------

    def _tree(
        self, ref: Ref, base: str, rev: str, notes: list[str]
    ) -> tuple[FileEntry, ...] | None:
        tree = self._optional(ref, f"{base}/git/trees/{quote(rev, safe='')}?recursive=1")
        if not isinstance(tree, dict) or not isinstance(tree.get("tree"), list):
            notes.append("GitHub gave no file tree: files unknown (not the same as none)")
            return None
        if tree.get("truncated"):
            notes.append("GitHub truncated the file tree: the listing is partial")
        entries = [
            FileEntry(str(e["path"]), e.get("size") if isinstance(e.get("size"), int) else None)
            for e in tree["tree"]
            if isinstance(e, dict) and e.get("type") == "blob" and isinstance(e.get("path"), str)
        ]
        return tuple(sorted(entries, key=lambda f: f.path))

    def _documents(
        self, ref: Ref, base: str, rev: str, files: tuple[FileEntry, ...] | None, notes: list[str]
    ) -> list[Document]:
        docs: list[Document] = []
        readme = self._optional(ref, f"{base}/readme")
        if isinstance(readme, dict):
            doc = _content_document(readme)
            if doc is not None:
                docs.append(doc)
        if files is None:
            wanted = list(_FALLBACK_DOCS)
        else:
            wanted = [
                f.path
                for f in files
                if "/" not in f.path
                and classify_path(f.path) in ("doc", "config")
                and (f.size is None or f.size <= _DOC_BYTES)
            ][:_MAX_DOCS]
        have = {d.path for d in docs}
        for path in wanted:
            if path in have:
                continue
            url = f"{base}/contents/{quote(path)}?ref={quote(rev, safe='')}"
            got = self._optional(ref, url)
            if isinstance(got, dict):
                doc = _content_document(got)
                if doc is not None:
                    docs.append(doc)
                    have.add(doc.path)
        return docs

    # -- HTTP -------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"openscope/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _optional(self, ref: Ref, path: str) -> Any:
        """GET a resource whose absence is not an error: ``None`` on 404."""
        try:
            return self._get_json(ref, path, optional=True)
        except _Missing:
            return None

    def _get_json(self, ref: Ref, path: str, optional: bool = False) -> Any:
        if self.mirror is not None:
            status, data = answer(Path(self.mirror), path)
            if status == 200:
                return data
            if optional:
                raise _Missing(path)
            raise SourceError(f"{ref}: not in the GitHub mirror {self.mirror}",
                              "record it with scripts/record_github.py", "not-found")
        delay = self.retry.base_delay
        url = f"{self.api}{path}"
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                until = deadline_at(self.deadline)
                with shared_client().stream("GET", url, headers=self._headers(),
                                            timeout=self.timeout) as streamed:
                    response = buffered(streamed, cap=API_JSON_BYTES, deadline=until)
            except ReadLimitError as exc:  # a dripping or oversized answer: not retried
                raise SourceError(f"{ref}: GitHub {path}: {exc.message}",
                                  "try again later", exc.reason) from None
            except httpx2.ConnectError:
                raise SourceError(
                    f"{ref}: cannot reach {self.api}", "check the network", "offline"
                ) from None
            except (httpx2.TimeoutException, httpx2.RemoteProtocolError, httpx2.ReadError) as exc:
                if last:
                    reason = "timeout" if isinstance(exc, httpx2.TimeoutException) else "truncated"
                    raise SourceError(
                        f"{ref}: GitHub {reason} after {attempt} tries", "try again later", reason
                    ) from None
                self.sleep(delay)
                delay = min(self.retry.max_delay, delay * 2)
                continue
            status = response.status_code
            if status == 200:
                try:
                    return response.json()
                except (ValueError, RecursionError):
                    raise SourceError(
                        f"{ref}: GitHub answered invalid JSON", None, "server-error"
                    ) from None
            if status == 404:
                if optional:
                    raise _Missing(path)
                raise SourceError(f"{ref}: not found on GitHub", "check owner/repo", "not-found")
            if status == 401:
                raise SourceError(
                    f"{ref}: GitHub refused the credentials (401)", "check GITHUB_TOKEN", "private"
                )
            limited = status == 429 or (
                status == 403 and response.headers.get("X-RateLimit-Remaining") == "0"
            )
            if status == 403 and not limited:
                raise SourceError(
                    f"{ref}: access refused by GitHub (403)", "check GITHUB_TOKEN", "private"
                )
            if status == 451:
                raise SourceError(f"{ref}: disabled on GitHub (451)", None, "disabled")
            if limited or status >= 500:
                wait = _wait_seconds(response.headers, delay)
                if last or wait > self.retry.max_retry_after:
                    if limited:
                        raise SourceError(
                            f"{ref}: rate-limited by GitHub",
                            "set GITHUB_TOKEN or wait",
                            "rate-limited",
                        )
                    raise SourceError(
                        f"{ref}: GitHub kept failing (HTTP {status}) after {attempt} tries",
                        "try again later",
                        "server-error",
                    )
                self.sleep(wait)
                delay = min(self.retry.max_delay, delay * 2)
                continue
            raise SourceError(f"{ref}: GitHub answered HTTP {status}", None, "error")
        raise AssertionError("unreachable")  # pragma: no cover


def _wait_seconds(headers: httpx2.Headers, default: float) -> float:
    value = headers.get("Retry-After")
    if value is not None and value.strip().isdigit():
        return float(value)
    reset = headers.get("X-RateLimit-Reset")
    if reset is not None and reset.strip().isdigit():
        return max(0.0, float(reset) - time.time())
    return default


def _content_document(item: dict[str, Any]) -> Document | None:
    """A document from a contents-API item (base64 content)."""
    path = item.get("path") or item.get("name")
    content = item.get("content")
    if not isinstance(path, str) or not isinstance(content, str):
        return None
    if item.get("encoding", "base64") != "base64":
        return None
    try:
        raw = base64.b64decode(content, validate=False)
    except ValueError:
        return Document(path, None, None, False, "undecodable content")
    size = item.get("size") if isinstance(item.get("size"), int) else len(raw)
    truncated = len(raw) > _DOC_BYTES
    return decode_document(str(PurePosixPath(path)), raw[:_DOC_BYTES], size, truncated)
