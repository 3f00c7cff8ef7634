"""Serve a built site folder on 127.0.0.1 with the standard library's HTTP server."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files only, with safe headers; no directory listings, quiet logs."""

    # The stdlib's own class attribute, extended (hence mutable at class level).
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,  # noqa: RUF012
                      ".json": "application/json", ".js": "text/javascript",
                      ".csv": "text/csv; charset=utf-8", ".html": "text/html; charset=utf-8",
                      ".css": "text/css"}

    def end_headers(self) -> None:
        """Add ``nosniff`` and a no-referrer policy to every response."""
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def list_directory(self, path: Any) -> None:
        """No directory listings."""
        self.send_error(404, "not found")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no line per request."""


def make_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server for ``folder`` bound to 127.0.0.1:``port`` (0: any free port)."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)
