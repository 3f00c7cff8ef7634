"""Pytest fixtures for the local Hub and GitHub servers.

Use from a ``conftest.py``::

    from openscope.testing.fixtures import hub_server, hf_endpoint  # noqa: F401

``hub_server`` serves ``OPENSCOPE_TEST_MIRROR`` (default: ``../shared/hub`` beside the
repository) and ``hf_endpoint`` sets ``HF_ENDPOINT`` to it for one test, removing
``HF_TOKEN`` so no real credential is ever sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from openscope.testing.githubserver import GitHubServer
from openscope.testing.hubserver import HubServer


def shared_dir() -> Path:
    """The read-only ``shared/`` data folder beside the repository checkout."""
    env = os.environ.get("OPENSCOPE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared"


@pytest.fixture()
def hub_server() -> Iterator[HubServer]:
    """A fresh local Hub over the shared mirror (faults can be added per test)."""
    mirror = Path(os.environ.get("OPENSCOPE_TEST_MIRROR") or shared_dir() / "hub")
    with HubServer(mirror) as server:
        yield server


@pytest.fixture()
def hf_endpoint(hub_server: HubServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """``HF_ENDPOINT`` pointing at :func:`hub_server`; ``HF_TOKEN`` unset."""
    monkeypatch.setenv("HF_ENDPOINT", hub_server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return hub_server.url


@pytest.fixture()
def github_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubServer]:
    """A local GitHub API over ``../shared/github``; sets ``OPENSCOPE_GITHUB_API``."""
    with GitHubServer(shared_dir() / "github") as server:
        monkeypatch.setenv("OPENSCOPE_GITHUB_API", server.url)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield server
