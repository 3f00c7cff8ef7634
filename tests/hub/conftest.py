"""Fixtures of the Hub tests: the local servers, a fast retry policy, a private cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from openscope.sources.hub import HubSource, RetryPolicy
from openscope.testing.fixtures import github_server, hf_endpoint, hub_server, shared_dir

__all__ = ["github_server", "hf_endpoint", "hub_server"]

SHARED = shared_dir()
MIRROR = SHARED / "hub"
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


@pytest.fixture(autouse=True)
def _no_real_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hub audits follow own code repositories through gh: and resolve own arXiv papers:
    never the real GitHub or arXiv in tests (a closed local port: "cannot reach"); tests
    that serve them set their own URL."""
    monkeypatch.setenv("OPENSCOPE_GITHUB_API", "http://127.0.0.1:9")
    # Own arXiv papers likewise: never the real arXiv (tests that serve it set their own).
    monkeypatch.setenv("OPENSCOPE_ARXIV_API", "http://127.0.0.1:9")


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    """An empty snapshot cache for one test."""
    return tmp_path / "cache"


@pytest.fixture()
def make(hf_endpoint: str, cache_dir: Path) -> Callable[..., HubSource]:
    """Build a HubSource on the local server with a fast retry policy."""

    def make(**kwargs: object) -> HubSource:
        kwargs.setdefault("cache_dir", cache_dir)
        kwargs.setdefault("retry", FAST)
        kwargs.setdefault("timeout", 5.0)
        return HubSource(**kwargs)  # type: ignore[arg-type]

    return make


def cache_files(cache_dir: Path) -> list[Path]:
    """Every file in the cache (snapshots and refs)."""
    return sorted(p for p in cache_dir.rglob("*") if p.is_file()) if cache_dir.exists() else []
