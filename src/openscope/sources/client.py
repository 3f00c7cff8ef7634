"""The one HTTP client (connection pool) the remote sources share, closed at exit.

The GitHub and arXiv sources call it with their own timeouts and headers per request; the
Hub source goes through ``huggingface_hub`` instead.
"""

from __future__ import annotations

import atexit
import threading

import httpx2

_CLIENT: httpx2.Client | None = None
_LOCK = threading.Lock()


def shared_client() -> httpx2.Client:
    """The process's HTTP client, created on first use (thread-safe)."""
    global _CLIENT
    with _LOCK:
        if _CLIENT is None:
            _CLIENT = httpx2.Client(follow_redirects=True)
            atexit.register(_CLIENT.close)
        return _CLIENT
