"""A local arXiv answering the query API and OAI-PMH from a folder of paper records.

``records/<id>.json`` holds ``title``, ``authors``, ``published``, ``journal_ref``,
``doi``, ``comments`` and ``license`` (the licence URL). The server renders them in the
documented formats of arXiv's two interfaces:

* ``GET /api/query?id_list=ID``: an Atom feed with one ``<entry>`` (``arxiv:`` namespace
  for ``journal_ref``, ``doi``, ``comment``); an id without a record gets a feed without
  entries (as arXiv answers a well-formed id it does not have), a malformed id the API's
  error entry (``/api/errors#incorrect_id_format_for_ID``);
* ``GET /oai?verb=GetRecord&identifier=oai:arXiv.org:ID&metadataPrefix=arXiv``: an
  OAI-PMH document whose ``arXiv`` metadata has ``<license>``; ``<error
  code="idDoesNotExist">`` without a record.

Binds 127.0.0.1 only. Used by the tests and by ``OPENSCOPE_ARXIV_API`` / ``--arxiv-api``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from openscope import lazyre
from openscope.testing._http import QuietHandler, RecordedBackground, RecordedServer, write_body

_ID = lazyre.compile(r"^\d{4}\.\d{4,5}$")


def _record(root: Path, ident: str) -> dict[str, Any] | None:
    if not _ID.match(ident):
        return None
    path = root / "records" / f"{ident}.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def atom_feed(ident: str, record: dict[str, Any] | None) -> str:
    """The query API's answer for ``id_list=ident``."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f'  <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D{ident}'
            '%26start%3D0%26max_results%3D1" rel="self" type="application/atom+xml"/>\n'
            f'  <title type="html">ArXiv Query: search_query=&amp;id_list={escape(ident)}'
            '&amp;start=0&amp;max_results=1</title>\n'
            '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
            f'{1 if record else 0}</opensearch:totalResults>\n')
    if not _ID.match(ident):
        return head + (
            "  <entry>\n"
            f"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(ident)}</id>\n"
            "    <title>Error</title>\n"
            f"    <summary>incorrect id format for {escape(ident)}</summary>\n"
            "  </entry>\n</feed>\n")
    if record is None:
        return head + "</feed>\n"
    ns = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
    parts = [f"    <id>http://arxiv.org/abs/{ident}v1</id>",
             f"    <published>{escape(str(record.get('published') or ''))}</published>",
             f"    <title>{escape(str(record.get('title') or ''))}</title>",
             "    <summary>Synthetic test record.</summary>"]
    parts += [f"    <author><name>{escape(str(a))}</name></author>"
              for a in record.get("authors") or ()]
    for key, tag in (("doi", "doi"), ("comments", "comment"), ("journal_ref", "journal_ref")):
        if record.get(key):
            parts.append(f"    <arxiv:{tag} {ns}>{escape(str(record[key]))}</arxiv:{tag}>")
    parts.append(f'    <link href="http://arxiv.org/abs/{ident}v1" rel="alternate" '
                 'type="text/html"/>')
    return head + "  <entry>\n" + "\n".join(parts) + "\n  </entry>\n</feed>\n"


def oai_record(ident: str, record: dict[str, Any] | None) -> str:
    """The OAI-PMH ``GetRecord`` answer (``metadataPrefix=arXiv``) for ``ident``."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            "  <responseDate>2026-11-30T00:00:00Z</responseDate>\n"
            f'  <request verb="GetRecord" identifier="oai:arXiv.org:{escape(ident)}" '
            'metadataPrefix="arXiv">http://oaipmh.arxiv.org/oai</request>\n')
    if record is None:
        return head + ('  <error code="idDoesNotExist">The value of the identifier argument is '
                       "unknown or illegal in this repository.</error>\n</OAI-PMH>\n")
    licence = (f"<license>{escape(str(record['license']))}</license>"
               if record.get("license") else "")
    return head + (
        "  <GetRecord><record><header>"
        f"<identifier>oai:arXiv.org:{ident}</identifier><datestamp>2026-01-01</datestamp>"
        "</header><metadata>"
        '<arXiv xmlns="http://arxiv.org/OAI/arXiv/">'
        f"<id>{ident}</id><title>{escape(str(record.get('title') or ''))}</title>"
        f"{licence}<abstract>Synthetic test record.</abstract></arXiv>"
        "</metadata></record></GetRecord>\n</OAI-PMH>\n")


class _Handler(QuietHandler):
    server: RecordedServer

    def do_GET(self) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with srv.lock:
            srv.requests.append(self.path)
            fail = srv.fail_next > 0
            if fail:
                srv.fail_next -= 1
        if srv.latency:
            time.sleep(srv.latency)
        if fail:
            self._send(503, "text/plain", "Service Unavailable")
            return
        if parts.path == "/api/query":
            ident = query.get("id_list", "")
            self._send(200, "application/atom+xml; charset=utf-8",
                       atom_feed(ident, _record(srv.root, ident)))
        elif parts.path == "/oai" and query.get("verb") == "GetRecord":
            ident = query.get("identifier", "").removeprefix("oai:arXiv.org:")
            self._send(200, "text/xml; charset=utf-8", oai_record(ident, _record(srv.root,
                                                                                 ident)))
        else:
            self._send(404, "text/plain", "not found")

    def _send(self, status: int, content_type: str, text: str) -> None:
        write_body(self, status, {"Content-Type": content_type}, text.encode("utf-8"),
                   drip=self.server.drip, huge=self.server.huge)


class ArxivServer(RecordedBackground):
    """A local arXiv (query API and OAI-PMH) over ``root/records/*.json``, in a background
    thread; ``url`` is the ``OPENSCOPE_ARXIV_API``. ``fail(n)`` answers HTTP 503,
    ``shape(drip=..., huge=...)`` drips or inflates the answers; ``requests``
    are the paths (with query)."""

    handler = _Handler
