"""A live Hub listing through ``huggingface_hub.HfApi.list_models``.

The real client is used (so ``HF_ENDPOINT`` and ``HF_TOKEN`` apply, and tests run it
against a local server). Each :class:`~huggingface_hub.hf_api.ModelInfo` is turned back
into the API's list record (camelCase names), the shape every other census input has.
"""

from __future__ import annotations

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


def list_records(query: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Records of a live listing filtered by ``query`` (search, author, filter, limit, ...)."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    from openscope.errors import SourceError

    kwargs: dict[str, Any] = {k: v for k, v in query.items() if k != "limit"}
    if "library" in kwargs:
        kwargs["filter"] = kwargs.pop("library")
    if "limit" in query:
        kwargs["limit"] = int(query["limit"])
    import os

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        raise SourceError("a live Hub listing needs the network, and HF_HUB_OFFLINE is set",
                          "unset HF_HUB_OFFLINE, or give the census a file of records", "offline")
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None)
    try:
        for info in api.list_models(expand=list(LIST_EXPAND), **kwargs):  # type: ignore[arg-type]
            yield to_record(info)
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
