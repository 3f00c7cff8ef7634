"""Bounded network reads: an overall deadline and a size cap on every response body.

A per-request timeout in the HTTP client bounds each *wait* (connecting, each read of the
socket), not the whole answer: a server that drips one byte every few seconds never trips
it. Every remote source therefore streams each body through :func:`read_body`, which

* stops with :class:`ReadLimitError` (``reason="timeout"``) once the wall clock since the
  request started passes the read's deadline (checked as bytes arrive, so the worst case is
  the deadline plus one per-request timeout), and
* stops with :class:`ReadLimitError` (``reason="too-large"``) as soon as the body passes
  its cap, without reading the rest (a 1.5 GB ``/api/models`` answer is never read whole).

The caps are sized to what openscope needs, not to what a server may send:

* :data:`API_JSON_BYTES`: one API record or one listing page (Hub ``/api/models/{id}``,
  ``/api/models?...``, GitHub REST answers, arXiv feeds). The largest real Hub records
  (repositories with tens of thousands of files) are a few MB.
* :data:`ERROR_BODY_BYTES`: the body of an HTTP error answer (read for its message only).
* documents (cards, licence files) keep the per-document cap of
  :class:`~openscope.sources.hubrecord.ReadLimits` (1 MiB): past it they are cut and marked
  truncated, as before.

:data:`READ_DEADLINE` is the default overall deadline per read, in seconds; each source has
a ``deadline`` field to change it.
"""

from __future__ import annotations

import time

import httpx2

#: Largest API JSON answer read (one record, one listing page, one arXiv feed): 16 MiB.
API_JSON_BYTES = 16 * 1024 * 1024
#: Largest body of an HTTP error answer read for its message: 64 KiB.
ERROR_BODY_BYTES = 64 * 1024
#: Default overall deadline of one read (request sent to last byte), in seconds.
READ_DEADLINE = 60.0

_DROP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ReadLimitError(Exception):
    """A body passed its deadline (``reason="timeout"``) or its cap (``"too-large"``)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def deadline_at(seconds: float) -> float:
    """The monotonic clock time a read started now must finish by."""
    return time.monotonic() + seconds


def read_body(
    response: httpx2.Response, *, cap: int, deadline: float, truncate: bool = False
) -> tuple[bytes, bool]:
    """Read a streamed body under a cap and an overall deadline.

    Args:
        response: a response opened with ``client.stream(...)`` and not read yet.
        cap: most bytes (decoded) kept.
        deadline: the :func:`time.monotonic` time the read must finish by
            (see :func:`deadline_at`).
        truncate: past the cap, keep the first ``cap`` bytes and return ``cut=True``
            (documents); otherwise raise ``too-large`` (API JSON, where half a record is
            useless).

    Returns:
        (body, cut): ``cut`` is true when the body was longer than ``cap`` (``truncate``).

    Raises:
        ReadLimitError: deadline passed, or body over the cap without ``truncate``.
    """
    chunks: list[bytes] = []
    got = 0
    for chunk in response.iter_bytes():
        got += len(chunk)
        if got > cap:
            if truncate:
                chunks.append(chunk)
                return b"".join(chunks)[:cap], True
            raise ReadLimitError(
                "too-large", f"the answer passed the {_size(cap)} cap (stopped reading)"
            )
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise ReadLimitError(
                "timeout", f"the answer was still arriving at the read deadline ({got} bytes)"
            )
    return b"".join(chunks), False


def buffered(response: httpx2.Response, *, cap: int, deadline: float) -> httpx2.Response:
    """A fully read copy of a streamed response, its body read by :func:`read_body`.

    Error answers (status 400 and up) are read under :data:`ERROR_BODY_BYTES`. The copy
    has the same status, headers (minus encoding and length, the body being decoded) and
    request, so ``.json()``, ``.links`` and ``hf_raise_for_status`` work on it.
    """
    limit = ERROR_BODY_BYTES if response.status_code >= 400 else cap
    try:
        body, _ = read_body(response, cap=limit, deadline=deadline)
    except ReadLimitError as exc:
        if response.status_code < 400 or exc.reason != "too-large":
            raise
        body = b""  # an error answer too large to read: its status says enough
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k.lower() not in _DROP_HEADERS]
    return httpx2.Response(response.status_code, headers=headers, content=body,
                           request=response.request)


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"
