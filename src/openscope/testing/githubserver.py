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
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openscope.sources.github_record import answer
from openscope.testing._http import BackgroundServer, LoopbackServer, QuietHandler


class _Handler(QuietHandler):
    server: _Server

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
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-RateLimit-Remaining", "4999")
        self.end_headers()
        self.wfile.write(body)


class _Server(LoopbackServer):
    def __init__(self, root: Path) -> None:
        super().__init__(_Handler)
        self.root = root
        self.latency = 0.0
        self.fail_next = 0
        self.lock = threading.Lock()
        self.requests: list[tuple[str, bool]] = []


class GitHubServer(BackgroundServer):
    """A local GitHub REST API over a recorded folder, in a background thread.

    Args:
        root: folder with ``repos/<owner>/<repo>/...``.
        latency: seconds added to each request.
    """

    _server: _Server | None

    def __init__(self, root: Path | str, latency: float = 0.0) -> None:
        self.root = Path(root)
        self.latency = latency
        self._server = None

    def make_server(self) -> _Server:
        """A server over the recorded folder (``url`` is the ``OPENSCOPE_GITHUB_API``)."""
        server = _Server(self.root)
        server.latency = self.latency
        return server

    def fail(self, times: int) -> None:
        """Answer the next ``times`` requests with HTTP 500."""
        assert self._server is not None
        with self._server.lock:
            self._server.fail_next = times

    @property
    def requests(self) -> list[tuple[str, bool]]:
        """(path, had Authorization header) for each request so far."""
        assert self._server is not None
        with self._server.lock:
            return list(self._server.requests)
