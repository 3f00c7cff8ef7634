"""A local GitHub REST API replaying a recorded folder laid out like ``../shared/github``.

``repos/<owner>/<repo>/<file>`` holds recorded documents (README.md, MODEL_CARD.md, ...).
Optional recorded API answers sit beside them: ``repo.json`` (``/repos/{o}/{r}``),
``license.json`` (``/license``), ``tree.json`` (``/git/trees/...``), ``commit.json``
(``/commits/{ref}``). What was not recorded answers 404, which the GitHub source treats as
unknown, never as absent. Binds 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from openscope.testing._http import BackgroundServer, LoopbackServer, QuietHandler

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_ROUTE = re.compile(r"^/repos/([^/]+)/([^/]+)(?:/(.*))?$")
_RECORDED_API = frozenset({"repo.json", "license.json", "tree.json", "commit.json"})


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
        parts = urlsplit(self.path)
        match = _ROUTE.match(unquote(parts.path))
        if not match or not (_PART.match(match.group(1)) and _PART.match(match.group(2))):
            self._json(404, {"message": "Not Found"})
            return
        owner, name, rest = match.group(1), match.group(2), match.group(3) or ""
        folder = srv.root / "repos" / owner / name
        if not folder.is_dir():
            self._json(404, {"message": "Not Found"})
            return
        self._route(folder, f"{owner}/{name}", rest)

    def _route(self, folder: Path, full: str, rest: str) -> None:
        recorded = {p: folder / p for p in _RECORDED_API if (folder / p).is_file()}
        if rest == "":
            data = _load(recorded.get("repo.json")) or {
                "full_name": full,
                "name": full.split("/")[1],
                "owner": {"login": full.split("/")[0]},
                "html_url": f"https://github.com/{full}",
            }
            self._json(200, data)
        elif rest == "license" or rest.startswith(("git/trees/", "commits/")):
            key = (
                "license.json"
                if rest == "license"
                else ("tree.json" if rest.startswith("git/") else "commit.json")
            )
            data = _load(recorded.get(key))
            self._json(200, data) if data is not None else self._json(404, {"message": "Not Found"})
        elif rest == "readme":
            self._content(folder, "README.md")
        elif rest.startswith("contents/"):
            self._content(folder, rest.removeprefix("contents/"))
        else:
            self._json(404, {"message": "Not Found"})

    def _content(self, folder: Path, path: str) -> None:
        if not path or any(p in ("", ".", "..") for p in path.split("/")) or path in _RECORDED_API:
            self._json(404, {"message": "Not Found"})
            return
        file = folder / path
        if not file.is_file() or file.is_symlink():
            self._json(404, {"message": "Not Found"})
            return
        raw = file.read_bytes()
        self._json(
            200,
            {
                "type": "file",
                "name": file.name,
                "path": path,
                "size": len(raw),
                "encoding": "base64",
                "content": base64.b64encode(raw).decode(),
            },
        )

    def _json(self, status: int, data: Mapping[str, Any] | list[Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-RateLimit-Remaining", "4999")
        self.end_headers()
        self.wfile.write(body)


def _load(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
