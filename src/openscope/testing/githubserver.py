"""A local GitHub REST API replaying a recorded folder laid out like ``../shared/github``.

``repos/<owner>/<repo>/<file>`` holds recorded documents (README.md, MODEL_CARD.md, ...).
Optional recorded API answers sit beside them: ``repo.json`` (``/repos/{o}/{r}``),
``license.json`` (``/license``), ``tree.json`` or ``tree.json.gz`` (``/git/trees/...``),
``commit.json`` (``/commits/{ref}``); the routing is
:func:`openscope.sources.github_record.answer`, shared with ``--github-mirror``. What was not
recorded answers 404, which the GitHub source treats as unknown, never as absent. Binds
127.0.0.1 only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from openscope.sources.github_record import answer
from openscope.testing._http import QuietHandler, RecordedBackground, RecordedServer, write_body


class _Handler(QuietHandler):
    server: RecordedServer

    def do_GET(self) -> None:
        srv = self.server
        with srv.lock:
            srv.requests.append((self.path, self.headers.get("Authorization") is not None))
        if srv.latency:
            time.sleep(srv.latency)
        with srv.lock:
            if srv.fail_next > 0:
                srv.fail_next -= 1
                self._json(500, {"message": "Server Error"})
                return
        status, data = answer(srv.root, self.path)
        self._json(status, data)

    def _json(self, status: int, data: Mapping[str, Any] | list[Any]) -> None:
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "X-RateLimit-Remaining": "4999"}
        write_body(self, status, headers, body, drip=self.server.drip, huge=self.server.huge)


class GitHubServer(RecordedBackground):
    """A local GitHub REST API over a recorded folder (``repos/<owner>/<repo>/...``), in a
    background thread; ``url`` is the ``OPENSCOPE_GITHUB_API``. ``fail(n)`` answers HTTP 500,
    ``shape(drip=..., huge=...)`` drips or inflates the answers;
    ``requests`` are (path, had Authorization header)."""

    handler = _Handler
