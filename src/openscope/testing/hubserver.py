"""A local Hugging Face Hub serving a mirror directory, for tests and benchmarks.

It answers the paths and headers the real ``huggingface_hub`` client uses:

* ``GET /api/models/{id}[/revision/{rev}]`` and ``GET /api/datasets/{id}[/revision/{rev}]``:
  the recorded API record, reduced to the ``expand=`` fields asked for.
* ``HEAD`` / ``GET /{id}/resolve/{rev}/{file}`` and ``/datasets/{id}/resolve/{rev}/{file}``:
  the file with ``ETag``, ``X-Repo-Commit`` and ``Content-Length``.
* ``GET /api/models?author=&search=&sort=downloads&limit=&cursor=``: the listing (ids
  containing ``search``; most downloaded first with ``sort=downloads``), pages of ``limit``
  (at most ``page_size``) records with a ``Link: <...>; rel="next"`` header while more
  remain. ``listing="endless"`` makes it never end (every page links to a new one, with
  fresh made-up records), ``listing="cycle"`` makes the last page link back to the first.
* errors as the Hub sends them: ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``,
  ``EntryNotFound``, ``GatedRepo``) and ``X-Error-Message``, which ``hf_raise_for_status``
  turns into the client's typed errors.

Switches inject trouble: latency on every request, and :class:`Fault` rules for 429 with
``Retry-After``, 500s, hangs past the client's timeout, cut-off bodies, bodies dripped a
byte at a time and huge bodies (see :func:`openscope.testing._http.write_body`); ``gated`` marks
repositories gated (API readable, files other than the card refused), ``private`` requires
a token, ``disabled`` disables. It binds 127.0.0.1 only.

Run by hand: ``python -m openscope.testing.hubserver ../shared/hub --port 8080``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from openscope import lazyre
from openscope.errors import SourceError
from openscope.sources.mirror import HubMirror
from openscope.testing._http import BackgroundServer, LoopbackServer, QuietHandler, write_body

_API = lazyre.compile(r"^/api/(models|datasets)/(.+?)(?:/revision/([^/]+))?$")
_RESOLVE = lazyre.compile(r"^/(datasets/)?([^/]+(?:/[^/]+)?)/resolve/([^/]+)/(.+)$")
#: Files of a gated repository anyone may read (the Hub shows the card to everyone).
GATED_OPEN_FILES = frozenset({"README.md", ".gitattributes"})


@dataclass
class Fault:
    """One injected failure.

    Attributes:
        kind: ``429`` (with ``Retry-After``), ``500``, ``hang`` (sleep ``seconds`` before
            answering), ``truncate`` (send half the body, then close), ``drip`` (send the
            body a byte every ``seconds``), ``huge`` (announce and stream ``size`` bytes).
        repo: only requests for this repository id (``None``: every repository).
        target: ``api``, ``file``, ``list`` or ``any``.
        times: how many requests it hits (``None``: all of them).
        seconds: ``Retry-After`` value for ``429``; sleep for ``hang``.
    """

    kind: str
    repo: str | None = None
    target: str = "any"
    times: int | None = 1
    seconds: float = 1.0
    size: int = 1_500_000_000
    hits: int = 0

    def matches(self, repo: str, target: str) -> bool:
        """Whether this fault applies to a request (and still has hits left)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.repo is not None and self.repo != repo:
            return False
        return self.target in ("any", target)


@dataclass
class ServerState:
    """What the server serves and the trouble it injects; safe to change while running."""

    mirror: HubMirror
    latency: float = 0.0
    faults: list[Fault] = field(default_factory=list)
    gated: dict[str, str] = field(default_factory=dict)
    gated_api: set[str] = field(default_factory=set)
    private: set[str] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)
    token: str | None = None
    listing: str = "normal"
    page_size: int = 1000
    requests: list[tuple[str, str, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self, repo: str, target: str) -> Fault | None:
        """The first matching fault, counted as hit."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(repo, target):
                    fault.hits += 1
                    return fault
        return None


class _Handler(QuietHandler):
    server: _Server

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    # -- dispatch ----------------------------------------------------------------------

    def _handle(self, head: bool) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        auth = self.headers.get("Authorization")
        with state.lock:
            state.requests.append((self.command, path, auth is not None))
        if state.latency:
            time.sleep(state.latency)
        if path == "/api/models":
            if self._fault("", "list"):
                return
            self._listing(parse_qs(parts.query), head)
            return
        api = _API.match(path)
        if api:
            kind = "dataset" if api.group(1) == "datasets" else "model"
            repo = api.group(2)
            if self._fault(repo, "api"):
                return
            expand = parse_qs(parts.query).get("expand")
            self._api(kind, repo, api.group(3), expand, auth, head)
            return
        res = _RESOLVE.match(path)
        if res:
            kind = "dataset" if res.group(1) else "model"
            repo = res.group(2)
            if self._fault(repo, "file"):
                return
            self._resolve(kind, repo, res.group(3), res.group(4), auth, head)
            return
        self._error(404, None, "Not Found", head)

    def _fault(self, repo: str, target: str) -> bool:
        fault = self.server.state.take_fault(repo, target)
        if fault is None:
            return False
        if fault.kind == "429":
            self._error(
                429, None, "Too Many Requests", False, {"Retry-After": f"{fault.seconds:g}"}
            )
            return True
        if fault.kind == "500":
            self._error(500, None, "Internal Error", False)
            return True
        if fault.kind == "hang":
            time.sleep(fault.seconds)
            return False  # then answer normally (the client has given up by then)
        if fault.kind == "truncate":
            self.server.truncate_next.add(threading.get_ident())
            return False
        if fault.kind in ("drip", "huge"):
            self.server.shaped_next[threading.get_ident()] = fault
            return False
        return False

    # -- endpoints ---------------------------------------------------------------------

    def _listing(self, query: dict[str, list[str]], head: bool) -> None:
        """One page of ``/api/models``, ``Link``-paginated (see the module docstring)."""
        state = self.server.state
        one = {k: v[-1] for k, v in query.items()}
        size = max(1, min(int(one.get("limit") or state.page_size), state.page_size))
        start = int(one.get("cursor") or 0)
        if state.listing == "endless":
            page = [{"id": f"endless/model-{i}", "tags": ["license:mit"]}
                    for i in range(start, start + size)]
            more = True
        else:
            ids = [i for i in state.mirror.ids("model")
                   if "author" not in one or i.startswith(one["author"] + "/")]
            if "search" in one:
                ids = [i for i in ids if one["search"].lower() in i.lower()]
            if one.get("sort") == "downloads":
                ids = sorted(ids, key=lambda i: -_downloads(state.mirror.record("model", i)))
            page = []
            for repo in ids[start:start + size]:
                record = state.mirror.record("model", repo) or {"id": repo}
                keep = {"_id", "id", *query.get("expand", [])}
                page.append({k: v for k, v in record.items() if k in keep})
            more = start + size < len(ids)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        nxt = start + size if more else (0 if state.listing == "cycle" else None)
        if nxt is not None:
            rest = [(k, v) for k, vs in query.items() if k != "cursor" for v in vs]
            host, port = self.server.server_address[:2]
            url = f"http://{host!s}:{port}/api/models?{urlencode([*rest, ('cursor', nxt)])}"
            headers["Link"] = f'<{url}>; rel="next"'
        self._send(200, json.dumps(page).encode(), headers, head)

    def _access(self, kind: str, repo: str, auth: str | None, head: bool) -> bool:
        """Repository-level checks shared by the API and downloads; False when answered."""
        state = self.server.state
        if repo in state.disabled:
            self._error(403, None, "Access to this resource is disabled.", head)
            return False
        if repo in state.private and auth != f"Bearer {state.token}":
            self._error(401, "RepoNotFound", "Repository not found", head)
            return False
        if state.mirror.repo_dir(kind, repo) is None:
            self._error(404, "RepoNotFound", "Repository not found", head)
            return False
        return True

    def _api(
        self,
        kind: str,
        repo: str,
        revision: str | None,
        expand: list[str] | None,
        auth: str | None,
        head: bool,
    ) -> None:
        state = self.server.state
        if not self._access(kind, repo, auth, head):
            return
        if repo in state.gated_api:
            self._error(403, "GatedRepo", "Access to this repository is restricted.", head)
            return
        try:
            record = state.mirror.record(kind, repo) or {"id": repo}
        except SourceError:
            self._error(500, None, "broken record", head)
            return
        if not state.mirror.revision_matches(kind, repo, revision):
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
            return
        if repo in state.gated:
            record = {**record, "gated": state.gated[repo]}
        if expand:
            keep = {"_id", "id", *expand}
            record = {k: v for k, v in record.items() if k in keep}
        body = json.dumps(record).encode()
        self._send(200, body, {"Content-Type": "application/json; charset=utf-8"}, head)

    def _resolve(
        self, kind: str, repo: str, revision: str, filename: str, auth: str | None, head: bool
    ) -> None:
        state = self.server.state
        if not self._access(kind, repo, auth, head):
            return
        if not state.mirror.revision_matches(
            kind, repo, revision
        ) and revision != state.mirror.commit(kind, repo):
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", head)
            return
        if repo in state.gated and filename not in GATED_OPEN_FILES:
            status = 401 if auth is None else 403
            self._error(status, "GatedRepo", "Access to this repository is restricted.", head)
            return
        path = state.mirror.file_path(kind, repo, filename)
        if path is None:
            self._error(404, "EntryNotFound", f"{filename} does not exist", head)
            return
        data = path.read_bytes()
        etag = hashlib.sha1(data).hexdigest()
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "ETag": f'"{etag}"',
            "X-Repo-Commit": state.mirror.commit(kind, repo),
            "Accept-Ranges": "bytes",
        }
        self._send(200, data, headers, head)

    # -- output ------------------------------------------------------------------------

    def _error(
        self,
        status: int,
        code: str | None,
        message: str,
        head: bool,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        headers.update(extra or {})
        self._send(status, json.dumps({"error": message}).encode(), headers, head)

    def _send(self, status: int, body: bytes, headers: Mapping[str, str], head: bool) -> None:
        truncate = threading.get_ident() in self.server.truncate_next
        self.server.truncate_next.discard(threading.get_ident())
        shaped = self.server.shaped_next.pop(threading.get_ident(), None)
        if shaped is not None and not head:
            extra = {**headers, "X-Request-Id": uuid.uuid4().hex}
            write_body(self, status, extra, body, drip=shaped.seconds if shaped.kind == "drip"
                       else 0.0, huge=shaped.size if shaped.kind == "huge" else 0)
            return
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", uuid.uuid4().hex)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


class _Server(LoopbackServer):
    def __init__(self, state: ServerState, port: int = 0) -> None:
        super().__init__(_Handler, port)
        self.state = state
        self.truncate_next: set[int] = set()
        self.shaped_next: dict[int, Fault] = {}


class HubServer(BackgroundServer):
    """A local Hub over a mirror directory, in a background thread.

    Args:
        mirror: the mirror directory (laid out like ``../shared/hub``).
        latency: seconds added to every request.
        faults: injected failures (:class:`Fault`).
        gated: repository id -> ``"auto"`` / ``"manual"``: the API says so, files other than
            the card answer ``GatedRepo``.
        gated_api: repository ids whose API record itself answers ``GatedRepo``.
        private: repository ids that need ``token``.
        disabled: repository ids that are disabled.
        token: the token that opens private repositories.
        listing: ``normal``, ``endless`` or ``cycle`` (``/api/models`` pagination).
        page_size: most records per listing page.
        port: TCP port on 127.0.0.1 (0: a free one).

    Example:
        >>> with HubServer("../shared/hub") as hub:  # doctest: +SKIP
        ...     os.environ["HF_ENDPOINT"] = hub.url
    """

    def __init__(
        self,
        mirror: Path | str,
        *,
        latency: float = 0.0,
        faults: Iterable[Fault] = (),
        gated: Mapping[str, str] | None = None,
        gated_api: Iterable[str] = (),
        private: Iterable[str] = (),
        disabled: Iterable[str] = (),
        token: str | None = None,
        listing: str = "normal",
        page_size: int = 1000,
        port: int = 0,
    ) -> None:
        self.port = port
        self.state = ServerState(
            mirror=HubMirror(mirror),
            latency=latency,
            faults=list(faults),
            gated=dict(gated or {}),
            gated_api=set(gated_api),
            private=set(private),
            disabled=set(disabled),
            token=token,
            listing=listing,
            page_size=page_size,
        )
        self._server = None

    def make_server(self) -> _Server:
        """A server over the mirror (``url`` is the endpoint to use as ``HF_ENDPOINT``)."""
        return _Server(self.state, self.port)

    def add_fault(self, fault: Fault) -> Fault:
        """Inject one more failure rule; returns it (its ``hits`` count as it fires)."""
        with self.state.lock:
            self.state.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault and forget the request log."""
        with self.state.lock:
            self.state.faults.clear()
            self.state.requests.clear()

    @property
    def requests(self) -> list[tuple[str, str, bool]]:
        """(method, path, had Authorization header) for each request served so far."""
        with self.state.lock:
            return list(self.state.requests)


def main(argv: list[str] | None = None) -> None:
    """Serve a mirror directory until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mirror", type=Path)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = HubServer(args.mirror, latency=args.latency, port=args.port).start()
    print(f"HF_ENDPOINT={server.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def _downloads(record: dict[str, Any] | None) -> int:
    """A record's recorded downloads (0 when none), for ``sort=downloads``."""
    value = (record or {}).get("downloads")
    return value if isinstance(value, int) else 0


if __name__ == "__main__":
    main()
