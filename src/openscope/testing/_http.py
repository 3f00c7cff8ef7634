"""What the local test servers share: a quiet handler, a loopback server, a background runner,
and the state of a server replaying a recorded folder (latency, injected failures, request log).

Two body shapes test the clients' read bounds (:mod:`openscope.sources.bounded`):
:func:`write_body` with ``drip`` sends the body one byte at a time, ``drip`` seconds apart
(each wait shorter than any per-request timeout, the whole far longer than any deadline);
with ``huge`` it announces and streams that many bytes of a JSON array that never closes,
until the client hangs up.

Only 127.0.0.1 is ever bound: the servers replay recorded data for tests and benchmarks.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Self


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler that logs nothing and sends small writes at once."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet


def write_body(
    handler: BaseHTTPRequestHandler,
    status: int,
    headers: dict[str, str],
    body: bytes,
    *,
    drip: float = 0.0,
    huge: int = 0,
) -> None:
    """Send a whole answer: as is, dripped (``drip`` seconds per byte), or ``huge``.

    A client hanging up mid-body ends the answer quietly.
    """
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(huge or len(body)))
    handler.end_headers()
    try:
        if huge:
            chunk = b'{"id": "huge/body", "tags": ["x"]}, ' * 30_000
            handler.wfile.write(b"[")
            sent = 1
            while sent < huge:
                part = chunk[: huge - sent]
                handler.wfile.write(part)
                sent += len(part)
        elif drip:
            for i in range(len(body)):
                handler.wfile.write(body[i : i + 1])
                handler.wfile.flush()
                time.sleep(drip)
        else:
            handler.wfile.write(body)
    except OSError:  # the client hung up (ConnectionError is an OSError)
        handler.close_connection = True


class LoopbackServer(ThreadingHTTPServer):
    """A threading server on 127.0.0.1 that stays quiet when a client gives up."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that gave up (timeouts, injected hangs) are normal here: stay quiet."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class BackgroundServer:
    """Runs a :class:`LoopbackServer` in a daemon thread; a context manager.

    Subclasses implement :meth:`make_server`.
    """

    _server: LoopbackServer | None = None

    def make_server(self) -> LoopbackServer:
        """The server to run (called by :meth:`start`)."""
        raise NotImplementedError

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` of the running server."""
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Start serving in a daemon thread."""
        self._server = self.make_server()
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RecordedServer(LoopbackServer):
    """A loopback server over a recorded folder, with what tests steer and read: an added
    ``latency``, ``fail_next`` requests to fail, the body shape of every answer (``drip``
    seconds per byte, or a ``huge`` body of that many bytes: see :func:`write_body`), and
    the ``requests`` seen (under ``lock``)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], root: Path) -> None:
        super().__init__(handler)
        self.root = root
        self.latency = 0.0
        self.fail_next = 0
        self.drip = 0.0
        self.huge = 0
        self.lock = threading.Lock()
        self.requests: list[Any] = []


class RecordedBackground(BackgroundServer):
    """Runs a :class:`RecordedServer` over ``root``; subclasses name its ``handler``.

    Args:
        root: the recorded folder.
        latency: seconds added to each request.
    """

    handler: ClassVar[type[BaseHTTPRequestHandler]]
    _server: RecordedServer | None

    def __init__(self, root: Path | str, latency: float = 0.0) -> None:
        self.root = Path(root)
        self.latency = latency
        self._server = None

    def make_server(self) -> RecordedServer:
        """A server over the recorded folder (``url`` is the API's base URL)."""
        server = RecordedServer(self.handler, self.root)
        server.latency = self.latency
        return server

    def fail(self, times: int) -> None:
        """Answer the next ``times`` requests with a server error."""
        assert self._server is not None
        with self._server.lock:
            self._server.fail_next = times

    def shape(self, *, drip: float = 0.0, huge: int = 0) -> None:
        """Send every answer dripped (``drip`` s per byte) or ``huge`` (bytes); 0 resets."""
        assert self._server is not None
        with self._server.lock:
            self._server.drip = drip
            self._server.huge = huge

    @property
    def requests(self) -> list[Any]:
        """What the handler logged for each request so far, in order."""
        assert self._server is not None
        with self._server.lock:
            return list(self._server.requests)
