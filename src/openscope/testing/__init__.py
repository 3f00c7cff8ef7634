"""Test helpers: local servers that replay recorded data so the real clients run offline.

* :mod:`openscope.testing.hubserver`: a Hugging Face Hub over a mirror directory
  (``HubServer``, ``Fault``).
* :mod:`openscope.testing.githubserver`: the GitHub REST API over ``../shared/github``.
* :mod:`openscope.testing.fixtures`: pytest fixtures (``hub_server``, ``hf_endpoint``,
  ``github_server``).

Both servers listen on 127.0.0.1 only, on a random port, and never contact the internet.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Fault", "GitHubServer", "HubServer"]


def __getattr__(name: str) -> Any:
    # Lazy, so ``python -m openscope.testing.hubserver`` does not import itself twice.
    if name in ("Fault", "HubServer"):
        from openscope.testing import hubserver

        return getattr(hubserver, name)
    if name == "GitHubServer":
        from openscope.testing.githubserver import GitHubServer

        return GitHubServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
