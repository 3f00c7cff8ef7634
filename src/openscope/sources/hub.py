"""The Hugging Face Hub source, on the real ``huggingface_hub`` client.

One API call per repository (``GET /api/{models|datasets}/{id}[/revision/{rev}]`` with
``expand=`` for the fields openscope reads) and one streamed download per small document
(card, licences, use policies, configs: never weights), pinned to the commit sha the API
returned. Requests go through the client's shared HTTP session, headers
(``build_hf_headers``: token, user agent) and error mapping (``hf_raise_for_status``); the
API JSON is kept as returned, because rebuilding it from ``ModelInfo`` drops fields (an
invalid ``model-index``, an empty ``cardData``). ``ModelInfo`` / ``DatasetInfo`` still
validate each record.

``HF_ENDPOINT`` and ``HF_TOKEN`` are read when the source is created. The token is sent as a
header only: it is never printed, logged, or written to a snapshot, report or cache.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx2
from huggingface_hub import HfApi, get_session, hf_raise_for_status
from huggingface_hub import constants as hf_constants
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.file_download import hf_hub_url
from huggingface_hub.hf_api import DatasetInfo, ModelInfo
from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

from openscope import __version__
from openscope.errors import SourceError
from openscope.lineage_names import Candidate, first_word, name_matches
from openscope.snapshot import Snapshot
from openscope.sources.bounded import (
    API_JSON_BYTES,
    READ_DEADLINE,
    ReadLimitError,
    buffered,
    deadline_at,
    read_body,
)
from openscope.sources.cache import DEFAULT_MAX_AGE, SnapshotCache, default_cache_dir, endpoint_slug
from openscope.sources.hubrecord import FileRead, ReadLimits, assemble_snapshot
from openscope.sources.mirror import candidate_of, expand_for
from openscope.sources.refs import Ref

T = TypeVar("T")

DEFAULT_ENDPOINT = "https://huggingface.co"
#: Repositories listed when a base named without organisation is searched for on the Hub.
SEARCH_LIMIT = 100
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff; ``Retry-After`` is honoured up to a cap.

    Attributes:
        attempts: tries per request, the first included.
        base_delay: first backoff in seconds, doubled each time up to ``max_delay``.
        max_delay: largest backoff between two tries.
        max_retry_after: longest ``Retry-After`` waited for; a longer one fails at once.
    """

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0


@dataclass
class HubSource:
    """Collects snapshots of Hub models and datasets.

    Args:
        endpoint: API base URL; defaults to ``HF_ENDPOINT`` or https://huggingface.co.
        token: access token; defaults to ``HF_TOKEN`` (else the client's stored login);
            ``""`` sends no token at all.
        cache_dir: snapshot cache folder; ``None`` uses the user cache dir.
        use_cache: read and write the cache.
        offline: use the cache only; a miss is an ``offline`` error.
        timeout: seconds per request (each wait: connecting, each read of the socket).
        deadline: seconds per read, from request to last byte (a server dripping its answer
            is cut there; see :mod:`openscope.sources.bounded`).
        retry: the retry policy for 429, 5xx, timeouts and cut-off bodies.
        max_age: seconds a branch name (``main``) keeps resolving from the cache.
        limits: document size bounds.

    Example:
        >>> src = HubSource(endpoint="http://127.0.0.1:9", offline=True, use_cache=False)
        >>> src.endpoint
        'http://127.0.0.1:9'
    """

    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)
    cache_dir: Path | str | None = None
    use_cache: bool = True
    offline: bool = False
    timeout: float = 20.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_age: float = DEFAULT_MAX_AGE
    deadline: float = READ_DEADLINE
    limits: ReadLimits = field(default_factory=ReadLimits)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        self.endpoint = (self.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip(
            "/"
        )
        if self.token is None:
            self.token = os.environ.get("HF_TOKEN") or None
        if os.environ.get("HF_HUB_OFFLINE", "").upper() in ("1", "ON", "YES", "TRUE"):
            self.offline = True
        self.cache: SnapshotCache | None = None
        if self.use_cache:
            root = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
            self.cache = SnapshotCache(
                root, f"hf/{endpoint_slug(self.endpoint)}", max_age=self.max_age
            )

    # -- public --------------------------------------------------------------------------

    def collect(self, ref: Ref) -> Snapshot:
        """Return the snapshot of an ``hf-model`` / ``hf-dataset`` ref, or raise SourceError."""
        kind = "dataset" if ref.scheme == "hf-dataset" else "model"
        if self.cache is not None:
            hit = self.cache.get(kind, ref.target, ref.revision, offline=self.offline)
            if hit is not None:
                return hit
        if self.offline:
            raise SourceError(
                f"{ref}: not in the cache and openscope is offline",
                "run once online, or audit it from a --mirror",
                "offline",
            )
        data = self._with_retries(ref, "the Hub API record", lambda: self._api(kind, ref))
        commit = data.get("sha") if isinstance(data.get("sha"), str) else None
        revision = commit or ref.revision or "main"

        def read(filename: str, limit: int) -> FileRead:
            return self._with_retries(
                ref, filename, lambda: self._download(kind, ref.target, revision, filename, limit)
            )

        snap = assemble_snapshot(
            ref, kind, data, read, source="hf", retrieved_at=_now(), limits=self.limits
        )
        if self.cache is not None:
            self.cache.put(snap, kind, ref.target, ref.revision)
        return snap

    def name_candidates(self, name: str) -> list[Candidate]:
        """The Hub's :data:`~openscope.lineage_names.Resolve`: the :data:`SEARCH_LIMIT` most
        downloaded model repositories whose id contains the name's first normalised token
        (``HfApi.list_models(search=..., sort="downloads")``), kept when their name could
        be the base ``name`` (:func:`~openscope.lineage_names.name_matches`).

        One listing request (paged by the client); raises :class:`SourceError` offline or
        when the Hub cannot be searched.
        """
        word = first_word(name)
        if not word:
            return []
        if self.offline:
            raise SourceError(f"cannot search the Hub for {name!r} offline", None, "offline")
        api = HfApi(endpoint=self.endpoint, token=False if self.token == "" else self.token,
                    library_name="openscope", library_version=__version__)
        try:
            found = list(api.list_models(search=word, sort="downloads", limit=SEARCH_LIMIT,
                                         expand=["downloads", "tags", "gated", "cardData"]))
        except (HfHubHTTPError, httpx2.HTTPError, OSError, ValueError) as exc:
            raise SourceError(f"cannot search the Hub for {name!r}: {exc}", None,
                              "network") from exc
        out = []
        for info in found:
            if not name_matches(name, info.id):
                continue
            card = {"base_model": getattr(info.card_data, "base_model", None)}
            out.append(candidate_of(info.id, {"downloads": info.downloads, "tags": info.tags,
                                              "gated": info.gated, "cardData": card}))
        return out

    # -- HTTP ----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        # None: the client's default (HF_TOKEN, else the stored login); "": anonymous.
        token: str | bool | None = False if self.token == "" else self.token
        return build_hf_headers(token=token, library_name="openscope", library_version=__version__)

    def _api(self, kind: str, ref: Ref) -> dict[str, Any]:
        plural = "datasets" if kind == "dataset" else "models"
        url = f"{self.endpoint}/api/{plural}/{ref.target}"
        if ref.revision:
            url += f"/revision/{quote(ref.revision, safe='')}"
        until = deadline_at(self.deadline)
        with get_session().stream(
            "GET",
            url,
            headers=self._headers(),
            params={"expand": list(expand_for(kind))},
            timeout=self.timeout,
        ) as streamed:
            response = buffered(streamed, cap=API_JSON_BYTES, deadline=until)
        hf_raise_for_status(response)
        try:
            data = response.json()
        except (ValueError, RecursionError) as exc:
            raise SourceError(
                f"{ref}: the Hub answered with invalid JSON", "try again later", "server-error"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise SourceError(f"{ref}: the Hub record has no id", "try again later", "server-error")
        # The client's own model of the record: raises if the client could not read it.
        (DatasetInfo if kind == "dataset" else ModelInfo)(**dict(data))
        return data

    def _download(
        self, kind: str, repo_id: str, revision: str, filename: str, limit: int
    ) -> FileRead:
        url = hf_hub_url(
            repo_id,
            filename,
            repo_type="dataset" if kind == "dataset" else None,
            revision=revision,
            endpoint=self.endpoint,
        )
        headers = self._headers()
        headers["Accept-Encoding"] = "identity"
        until = deadline_at(self.deadline)
        try:
            with get_session().stream(
                "GET", url, headers=headers, timeout=self.timeout
            ) as response:
                if response.status_code >= 400:
                    hf_raise_for_status(buffered(response, cap=0, deadline=until))
                size = _int_header(
                    response.headers.get(hf_constants.HUGGINGFACE_HEADER_X_LINKED_SIZE)
                    or response.headers.get("Content-Length")
                )
                raw, cut = read_body(response, cap=limit, deadline=until, truncate=True)
        except GatedRepoError:
            return FileRead(None, None, "gated: access needs approval")
        except (RemoteEntryNotFoundError, RevisionNotFoundError):
            return FileRead.missing()
        except RepositoryNotFoundError:
            return FileRead(None, None, "not accessible (private or removed)")
        except HfHubHTTPError as exc:
            if _status(exc) in (401, 403):
                return FileRead(None, None, f"forbidden (HTTP {_status(exc)})")
            if _status(exc) == 404:
                return FileRead.missing()
            raise
        if size is not None and not cut and len(raw) != size:
            raise httpx2.RemoteProtocolError(
                f"body of {filename} cut at {len(raw)} of {size} bytes"
            )
        return FileRead(raw, size if size is not None else len(raw), None, cut)

    # -- retries and errors --------------------------------------------------------------

    def _with_retries(self, ref: Ref, what: str, call: Callable[[], T]) -> T:
        delay = self.retry.base_delay
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                return call()
            except SourceError:
                raise
            except ReadLimitError as exc:  # a dripping or oversized answer: not retried
                raise SourceError(f"{ref}: {what}: {exc.message}",
                                  "try again later, or audit a --mirror copy",
                                  exc.reason) from None
            except GatedRepoError as exc:
                raise self._error(ref, what, exc) from None
            except HfHubHTTPError as exc:
                status = _status(exc)
                if status not in _RETRY_STATUS or last:
                    raise self._error(ref, what, exc) from None
                wait = _retry_after(exc)
                if wait is not None and wait > self.retry.max_retry_after:
                    raise self._error(ref, what, exc) from None
                self.sleep(wait if wait is not None else _jitter(delay))
            except (httpx2.TimeoutException, httpx2.RemoteProtocolError, httpx2.ReadError) as exc:
                if last:
                    raise self._error(ref, what, exc) from None
                self.sleep(_jitter(delay))
            except (httpx2.ConnectError, OfflineModeIsEnabled) as exc:
                raise self._error(ref, what, exc) from None
            except (httpx2.HTTPError, OSError) as exc:
                raise self._error(ref, what, exc) from None
            delay = min(self.retry.max_delay, delay * 2)
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, ref: Ref, what: str, exc: BaseException) -> SourceError:
        """One clear line per failure; never the token, never a traceback."""
        status = _status(exc) if isinstance(exc, HfHubHTTPError) else None
        tries = self.retry.attempts
        if isinstance(exc, GatedRepoError):
            return SourceError(
                f"{ref}: gated: the repository exists but access needs approval",
                "request access on the Hub and set HF_TOKEN",
                "gated",
            )
        if isinstance(exc, DisabledRepoError):
            return SourceError(f"{ref}: the repository is disabled on the Hub", None, "disabled")
        if isinstance(exc, RevisionNotFoundError):
            return SourceError(
                f"{ref}: revision {ref.revision} not found",
                "check the branch, tag or sha",
                "not-found",
            )
        if isinstance(exc, RepositoryNotFoundError):
            if status == 401:
                return SourceError(
                    f"{ref}: not found, or private (HTTP 401)",
                    "check the id; for a private repository set HF_TOKEN",
                    "private",
                )
            return SourceError(f"{ref}: not found on the Hub", "check the id and kind", "not-found")
        if status == 429:
            wait = _retry_after(exc) if isinstance(exc, HfHubHTTPError) else None
            after = f" (retry after {wait:g} s)" if wait is not None else ""
            return SourceError(
                f"{ref}: rate-limited by the Hub{after}",
                "wait and try again, or set HF_TOKEN",
                "rate-limited",
            )
        if status in (401, 403):
            return SourceError(
                f"{ref}: access refused (HTTP {status})", "check HF_TOKEN's permissions", "private"
            )
        if status is not None and status >= 500:
            return SourceError(
                f"{ref}: the Hub kept failing (HTTP {status}) for {what} after {tries} tries",
                "try again later",
                "server-error",
            )
        if isinstance(exc, httpx2.TimeoutException) or status == 408:
            return SourceError(
                f"{ref}: timed out fetching {what} after {tries} tries ({self.timeout:g} s each)",
                "try again later or raise the timeout",
                "timeout",
            )
        if isinstance(exc, httpx2.RemoteProtocolError | httpx2.ReadError):
            return SourceError(
                f"{ref}: the answer for {what} was cut off after {tries} tries",
                "try again later",
                "truncated",
            )
        if isinstance(exc, httpx2.ConnectError | OfflineModeIsEnabled):
            return SourceError(
                f"{ref}: cannot reach {self.endpoint}",
                "check the network, or use --offline with a cache or --mirror",
                "offline",
            )
        detail = f"HTTP {status}" if status is not None else type(exc).__name__
        return SourceError(f"{ref}: fetching {what} failed ({detail})", "try again later", "error")


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    if not isinstance(value, str):
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _int_header(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _jitter(delay: float) -> float:
    return delay * (0.5 + random.random() / 2)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
