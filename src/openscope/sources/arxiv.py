"""arXiv records of the papers a release presents as its own: title, venue and licence.

Two public arXiv interfaces answer, both read-only and without credentials:

* the query API, ``GET {query}?id_list=ID&max_results=1``: an Atom feed whose ``<entry>``
  has ``<title>``, ``<author><name>``, ``<published>``, and in the ``arxiv`` namespace
  ``<arxiv:journal_ref>``, ``<arxiv:doi>``, ``<arxiv:comment>``. An id arXiv does not know
  is answered with HTTP 200 and either no entry or an error entry (``<id>`` under
  ``/api/errors#``, ``<title>Error</title>``);
* OAI-PMH, ``GET {oai}?verb=GetRecord&identifier=oai:arXiv.org:ID&metadataPrefix=arXiv``:
  the ``arXiv`` metadata format carries ``<license>``, the URL of the licence the authors
  chose at submission (``http://creativecommons.org/licenses/by/4.0/``,
  ``http://arxiv.org/licenses/nonexclusive-distrib/1.0/``, ...). Errors are an
  ``<error code="idDoesNotExist">`` element.

The endpoints are https://export.arxiv.org/api/query and https://oaipmh.arxiv.org/oai; with
``OPENSCOPE_ARXIV_API=BASE`` (or ``--arxiv-api BASE``) they are ``BASE/api/query`` and
``BASE/oai`` (a local test server, :mod:`openscope.testing.arxivserver`). Requests to
arXiv itself are spaced 3 seconds apart (arXiv's terms of use). Answers are bounded
(1 MiB), parsed without DTDs, cached on disk per id (30 days; any age offline), and every
failure is a :class:`SourceError`; an endpoint that cannot be reached is not asked again in
the same process, so an audit without network fails fast, once.

A record is plain data (:class:`PaperRecord`); nothing here judges a licence: the licence
URL is mapped to a knowledge-base id by :func:`licence_id` and classified downstream.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx2

from openscope import __version__, lazyre
from openscope.errors import SourceError
from openscope.sources.bounded import READ_DEADLINE, ReadLimitError, deadline_at, read_body
from openscope.sources.cache import _atomic_write, default_cache_dir, endpoint_slug
from openscope.sources.client import shared_client

DEFAULT_QUERY = "https://export.arxiv.org/api/query"
DEFAULT_OAI = "https://oaipmh.arxiv.org/oai"
#: Seconds between two requests to arXiv itself (its terms of use ask for 3).
ARXIV_INTERVAL = 3.0
#: The most read of one answer.
MAX_BYTES = 1024 * 1024
#: How long a cached record is used online.
CACHE_MAX_AGE = 30 * 24 * 3600.0

#: A new-style arXiv id (``2310.10631``), with an optional version.
ARXIV_ID = lazyre.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OAI = "{http://www.openarchives.org/OAI/2.0/}"
_OAI_ARXIV = "{http://arxiv.org/OAI/arXiv/}"

#: Licence URLs arXiv records, mapped to knowledge-base ids. Creative Commons URLs are
#: read by their path (``/licenses/by-nc-sa/4.0/`` -> ``CC-BY-NC-SA-4.0``).
_CC = lazyre.compile(r"^https?://(?:www\.)?creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)/?$",
                     re.I)
_CC0 = lazyre.compile(r"^https?://(?:www\.)?creativecommons\.org/publicdomain/zero/1\.0/?$", re.I)
_ARXIV_NONEXCLUSIVE = lazyre.compile(
    r"^https?://(?:www\.)?arxiv\.org/licenses/nonexclusive-distrib/1\.0/?$", re.I)
#: The knowledge-base id of arXiv's non-exclusive distribution licence.
NONEXCLUSIVE_ID = "LicenseRef-arxiv-nonexclusive-distrib-1.0"

_UNREACHABLE: set[str] = set()
_LOCK = threading.Lock()
_LAST_REQUEST = [0.0]


def licence_id(url: str | None) -> str | None:
    """The knowledge-base id of a licence URL arXiv records, or ``None`` if not known.

    >>> licence_id("http://creativecommons.org/licenses/by-nc-sa/4.0/")
    'CC-BY-NC-SA-4.0'
    >>> licence_id("http://arxiv.org/licenses/nonexclusive-distrib/1.0/")
    'LicenseRef-arxiv-nonexclusive-distrib-1.0'
    """
    if not url:
        return None
    url = url.strip()
    if _ARXIV_NONEXCLUSIVE.match(url):
        return NONEXCLUSIVE_ID
    if _CC0.match(url):
        return "CC0-1.0"
    cc = _CC.match(url)
    if cc:
        return f"CC-{cc.group(1).upper()}-{cc.group(2)}"
    return None


@dataclass(frozen=True)
class PaperRecord:
    """What arXiv says of one paper.

    Attributes:
        id: the arXiv id without version.
        title, authors, published: from the query API (authors: the first 20).
        journal_ref, doi, comments: as the authors entered them, or ``None``.
        license_url: the ``<license>`` of the OAI-PMH record, or ``None`` when it could not
            be read (``license_error`` says why).
        retrieved: the UTC date the answers were fetched (``YYYY-MM-DD``).
    """

    id: str
    title: str
    authors: tuple[str, ...] = ()
    published: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    comments: str | None = None
    license_url: str | None = None
    license_error: str | None = None
    retrieved: str = ""
    endpoint: str = field(default=DEFAULT_QUERY)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with ``license`` (the knowledge-base id) added."""
        out = asdict(self)
        out["authors"] = list(self.authors)
        out["license"] = licence_id(self.license_url)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperRecord:
        """Read a record written by :meth:`to_dict` (unknown keys ignored)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["authors"] = tuple(str(a) for a in known.get("authors") or ())
        return cls(**known)


def _text(element: ElementTree.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def _parse_xml(body: bytes, what: str) -> ElementTree.Element:
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise SourceError(f"{what}: arXiv answered XML with a DTD (refused)", None, "server-error")
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise SourceError(f"{what}: arXiv answered malformed XML", None, "server-error") from None


def parse_feed(body: bytes, arxiv_id: str) -> dict[str, Any]:
    """The fields of ``arxiv_id`` in a query-API Atom feed, or :class:`SourceError`."""
    root = _parse_xml(body, f"arXiv:{arxiv_id}")
    if root.tag != f"{_ATOM}feed":
        raise SourceError(f"arXiv:{arxiv_id}: the query API did not answer an Atom feed", None,
                          "server-error")
    for entry in root.findall(f"{_ATOM}entry"):
        ident = _text(entry.find(f"{_ATOM}id")) or ""
        if "/api/errors" in ident:
            summary = _text(entry.find(f"{_ATOM}summary")) or "error"
            raise SourceError(f"arXiv:{arxiv_id}: arXiv refused the id ({summary})", None,
                              "not-found")
        m = re.search(r"/abs/(\d{4}\.\d{4,5})(v\d+)?$", ident)
        if m is None or m.group(1) != arxiv_id:
            continue
        return {
            "title": _text(entry.find(f"{_ATOM}title")) or "",
            "authors": tuple(n for a in entry.findall(f"{_ATOM}author")[:20]
                             if (n := _text(a.find(f"{_ATOM}name")))),
            "published": _text(entry.find(f"{_ATOM}published")),
            "journal_ref": _text(entry.find(f"{_ARXIV}journal_ref")),
            "doi": _text(entry.find(f"{_ARXIV}doi")),
            "comments": _text(entry.find(f"{_ARXIV}comment")),
        }
    raise SourceError(f"arXiv:{arxiv_id}: not found on arXiv", "check the id", "not-found")


def parse_oai(body: bytes, arxiv_id: str) -> str | None:
    """The ``<license>`` URL of an OAI-PMH ``GetRecord`` answer (``None``: none recorded)."""
    root = _parse_xml(body, f"arXiv:{arxiv_id}")
    if root.tag != f"{_OAI}OAI-PMH":
        raise SourceError(f"arXiv:{arxiv_id}: OAI-PMH did not answer an OAI-PMH document",
                          None, "server-error")
    error = root.find(f"{_OAI}error")
    if error is not None:
        raise SourceError(f"arXiv:{arxiv_id}: OAI-PMH error {error.get('code') or '?'}", None,
                          "not-found")
    record = root.find(f"{_OAI}GetRecord/{_OAI}record/{_OAI}metadata/{_OAI_ARXIV}arXiv")
    if record is None:
        raise SourceError(f"arXiv:{arxiv_id}: OAI-PMH record without arXiv metadata", None,
                          "server-error")
    return _text(record.find(f"{_OAI_ARXIV}license"))


@dataclass
class ArxivSource:
    """Fetches :class:`PaperRecord` s from arXiv (or a server given by ``api``).

    Args:
        api: base URL of a server answering ``/api/query`` and ``/oai`` (default:
            ``OPENSCOPE_ARXIV_API``, else arXiv's own endpoints).
        cache_dir, use_cache, offline: as for the other remote sources.
        timeout: seconds per request (connecting: at most 5).
        deadline: seconds per read, request to last byte (see :mod:`.bounded`); each answer
            is also capped at ``MAX_BYTES``.
    """

    api: str | None = None
    cache_dir: Path | str | None = None
    use_cache: bool = True
    offline: bool = False
    timeout: float = 10.0
    deadline: float = READ_DEADLINE

    def __post_init__(self) -> None:
        base = (self.api or os.environ.get("OPENSCOPE_ARXIV_API") or "").rstrip("/")
        self.query_url = f"{base}/api/query" if base else DEFAULT_QUERY
        self.oai_url = f"{base}/oai" if base else DEFAULT_OAI
        self.interval = 0.0 if base else ARXIV_INTERVAL
        self.cache_root: Path | None = None
        if self.use_cache:
            root = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
            self.cache_root = root / "v1" / "arxiv" / endpoint_slug(self.query_url)

    def resolve(self, arxiv_id: str) -> PaperRecord:
        """The record of ``arxiv_id`` (version dropped), from the cache or the network."""
        m = ARXIV_ID.match(arxiv_id.strip())
        if m is None:
            raise SourceError(f"arXiv:{arxiv_id}: not an arXiv id", None, "not-found")
        ident = m.group(1)
        cached = self._cached(ident)
        if cached is not None:
            return cached
        if self.offline:
            raise SourceError(f"arXiv:{ident}: not in the cache and openscope is offline", None,
                              "offline")
        fields = parse_feed(self._get(self.query_url, {"id_list": ident, "max_results": "1"},
                                      ident), ident)
        license_url: str | None = None
        license_error: str | None = None
        try:
            license_url = parse_oai(self._get(self.oai_url, {
                "verb": "GetRecord", "identifier": f"oai:arXiv.org:{ident}",
                "metadataPrefix": "arXiv"}, ident), ident)
            if license_url is None:
                license_error = "arXiv records no licence for this paper"
        except SourceError as exc:
            license_error = exc.one_line()
        record = PaperRecord(id=ident, license_url=license_url, license_error=license_error,
                             retrieved=datetime.now(UTC).strftime("%Y-%m-%d"),
                             endpoint=self.query_url, **fields)
        if self.cache_root is not None and license_error is None:
            body = {"at": time.time(), "record": record.to_dict()}
            _atomic_write(self.cache_root / f"{ident}.json", json.dumps(body, sort_keys=True))
        return record

    def _cached(self, ident: str) -> PaperRecord | None:
        if self.cache_root is None:
            return None
        try:
            data = json.loads((self.cache_root / f"{ident}.json").read_text(encoding="utf-8"))
            if not self.offline and time.time() - float(data["at"]) > CACHE_MAX_AGE:
                return None
            return PaperRecord.from_dict(data["record"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _get(self, url: str, params: dict[str, str], ident: str) -> bytes:
        with _LOCK:
            if url in _UNREACHABLE:
                raise SourceError(f"arXiv:{ident}: cannot reach {url}", "check the network",
                                  "offline")
        self._wait()
        headers = {"User-Agent": f"openscope/{__version__} (openness audit)",
                   "Accept": "application/atom+xml, application/xml"}
        timeout = httpx2.Timeout(self.timeout, connect=min(5.0, self.timeout))
        until = deadline_at(self.deadline)
        try:
            with shared_client().stream("GET", url, params=params, headers=headers,
                                        timeout=timeout) as response:
                status = response.status_code
                body, _ = read_body(response, cap=MAX_BYTES, deadline=until)
        except ReadLimitError as exc:
            raise SourceError(f"arXiv:{ident}: {url}: {exc.message}", "try again later",
                              "server-error" if exc.reason == "too-large" else exc.reason
                              ) from None
        except (httpx2.ConnectError, httpx2.TimeoutException) as exc:
            with _LOCK:
                _UNREACHABLE.add(url)
            reason = "timeout" if isinstance(exc, httpx2.TimeoutException) else "offline"
            raise SourceError(f"arXiv:{ident}: cannot reach {url}", "check the network",
                              reason) from None
        except httpx2.HTTPError:
            raise SourceError(f"arXiv:{ident}: the connection to {url} failed", None,
                              "truncated") from None
        if status == 429:
            raise SourceError(f"arXiv:{ident}: rate-limited by arXiv", "wait", "rate-limited")
        if status == 404:
            raise SourceError(f"arXiv:{ident}: not found ({url})", None, "not-found")
        if status != 200:
            raise SourceError(f"arXiv:{ident}: arXiv answered HTTP {status}", None,
                              "server-error")
        return body

    def _wait(self) -> None:
        if self.interval <= 0:
            return
        with _LOCK:
            delay = _LAST_REQUEST[0] + self.interval - time.monotonic()
            _LAST_REQUEST[0] = max(time.monotonic(), _LAST_REQUEST[0] + self.interval)
        if delay > 0:
            time.sleep(delay)
