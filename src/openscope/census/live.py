"""A live Hub listing (``GET /api/models``, ``Link``-paginated) through the Hub client.

The real client's session, headers and errors are used (so ``HF_ENDPOINT`` and ``HF_TOKEN``
apply, and tests run it against a local server). Each page record is validated as a
:class:`~huggingface_hub.hf_api.ModelInfo` and turned back into the API's list record
(camelCase names), the shape every other census input has.

The listing is bounded: each page is read under a size cap and a deadline, a listing without
``limit`` stops at :data:`DEFAULT_LISTING_MAX` records, and a ``next`` link that repeats one
already followed ends it (see :func:`list_records`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

#: Fields asked for with ``expand=`` (what a list record carries, plus access flags).
LIST_EXPAND: tuple[str, ...] = (
    "author", "createdAt", "disabled", "downloads", "gated", "lastModified", "library_name",
    "likes", "pipeline_tag", "private", "sha", "tags",
)

_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "id"), ("author", "author"), ("created_at", "createdAt"),
    ("last_modified", "lastModified"), ("downloads", "downloads"), ("likes", "likes"),
    ("pipeline_tag", "pipeline_tag"), ("library_name", "library_name"), ("tags", "tags"),
    ("gated", "gated"), ("private", "private"), ("disabled", "disabled"), ("sha", "sha"),
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        text = value.isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    return value


def to_record(info: Any) -> dict[str, Any]:
    """The API list record of a ``ModelInfo``."""
    out: dict[str, Any] = {}
    for attr, key in _FIELDS:
        value = getattr(info, attr, None)
        if value is not None:
            out[key] = _iso(value)
    return out


_SORT = {"last_modified": "lastModified", "created_at": "createdAt",
         "trending_score": "trendingScore"}

#: Records a ``hub:`` listing reads when its query names no ``limit`` (then ``limit=N``
#: reads N); a listing that would go on is cut there with a note.
DEFAULT_LISTING_MAX = 100_000
#: Records asked for per page (the Hub's own page size).
PAGE_SIZE = 1000
#: Seconds per request (each wait), and per page (request to last byte).
LIST_TIMEOUT = 30.0
LIST_DEADLINE = 120.0


def list_records(query: Mapping[str, str], notes: list[str] | None = None,
                 ) -> Iterator[dict[str, Any]]:
    """Records of a live listing filtered by ``query`` (search, author, filter, limit, ...).

    Pages are requested through the Hub client's session (``HF_ENDPOINT``, ``HF_TOKEN``
    apply) and followed by their ``Link: rel="next"`` header, each page read under a size
    cap and an overall deadline (:mod:`openscope.sources.bounded`). The listing stops at
    ``limit`` records, else at :data:`DEFAULT_LISTING_MAX`, and when a ``next`` link repeats
    one already followed, or a page holds only records already read (a cycle); both stops add
    a line to ``notes``. A record repeated on a later page is read once.
    """
    from huggingface_hub import constants, get_session, hf_raise_for_status
    from huggingface_hub.errors import HfHubHTTPError
    from huggingface_hub.hf_api import ModelInfo
    from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

    from openscope import __version__
    from openscope.errors import SourceError
    from openscope.sources.bounded import API_JSON_BYTES, ReadLimitError, buffered, deadline_at

    notes = notes if notes is not None else []
    params: dict[str, Any] = {k: v for k, v in query.items() if k != "limit"}
    if "library" in params:
        params["filter"] = params.pop("library")
    if "sort" in params:  # the client's names for the API's fields
        params["sort"] = _SORT.get(params["sort"], params["sort"])
    explicit = "limit" in query
    most = int(query["limit"]) if explicit else DEFAULT_LISTING_MAX
    params["limit"] = max(1, min(PAGE_SIZE, most))
    params["expand"] = list(LIST_EXPAND)
    if constants.HF_HUB_OFFLINE:
        raise SourceError("a live Hub listing needs the network, and HF_HUB_OFFLINE is set",
                          "unset HF_HUB_OFFLINE, or give the census a file of records", "offline")
    endpoint = (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
    headers = build_hf_headers(library_name="openscope", library_version=__version__)
    url: str | None = f"{endpoint}/api/models"
    followed: set[str] = set()
    seen: set[str] = set()
    count = 0
    try:
        while url is not None and count < most:
            with get_session().stream("GET", url, headers=headers, timeout=LIST_TIMEOUT,
                                      params=params if not followed else None) as streamed:
                response = buffered(streamed, cap=API_JSON_BYTES,
                                    deadline=deadline_at(LIST_DEADLINE))
            followed.add(url)
            hf_raise_for_status(response)
            try:
                page = response.json()
            except (ValueError, RecursionError):
                raise SourceError("Hub listing failed: a page is not valid JSON",
                                  "check HF_ENDPOINT, then rerun", "server-error") from None
            if not isinstance(page, list):
                raise SourceError("Hub listing failed: a page is not a JSON list",
                                  "check HF_ENDPOINT, then rerun", "server-error")
            fresh = 0
            for item in page:
                if count >= most:
                    break
                if not isinstance(item, dict) or item.get("id") in seen:
                    continue
                seen.add(str(item.get("id")))
                item.setdefault("siblings", None)
                yield to_record(ModelInfo(**item))  # type: ignore[no-untyped-call]
                count += 1
                fresh += 1
            nxt = response.links.get("next", {}).get("url")
            if nxt is not None and (nxt in followed or (page and not fresh)):
                notes.append(f"Hub listing stopped after {count} records: the server's next "
                             "page repeats one already read (a pagination cycle)")
                nxt = None
            url = nxt
    except ReadLimitError as exc:
        raise SourceError(f"Hub listing failed: page {len(followed) + 1}: {exc.message}",
                          "check HF_ENDPOINT, then rerun", exc.reason) from None
    except (HfHubHTTPError, OSError) as exc:
        raise SourceError(f"Hub listing failed: {str(exc).splitlines()[0]}",
                          "check HF_ENDPOINT and the network, then rerun", "network") from exc
    except Exception as exc:
        # The client's transport errors (connection refused, DNS, timeouts) are not OSError.
        if not type(exc).__module__.startswith(("httpx", "httpcore", "requests", "urllib3")):
            raise
        raise SourceError(f"Hub listing failed: {type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else 'no answer'}",
                          "check the network and HF_ENDPOINT, then rerun (or set "
                          "HF_HUB_OFFLINE=1 to fail at once)", "network") from exc
    if url is not None and count >= most and not explicit:
        notes.append(f"Hub listing stopped at the default maximum of {DEFAULT_LISTING_MAX} "
                     "records; add limit=N to the hub: query to read more")
