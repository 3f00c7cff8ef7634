"""How remote refs are collected: which source, which cache, online or not.

The CLI turns ``--mirror``, ``--cache-dir``, ``--offline`` (and ``--no-cache``) into one
:class:`SourceOptions`; :func:`remote_source` picks the source for a remote ref with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openscope.errors import UsageError
from openscope.sources.base import Source
from openscope.sources.refs import Ref

#: Ref schemes served by a remote (or mirrored) source.
REMOTE_SCHEMES = frozenset({"hf-model", "hf-dataset", "github"})


@dataclass(frozen=True)
class SourceOptions:
    """Options of remote sources.

    Attributes:
        mirror: a mirror directory for ``hf:`` / ``hf-dataset:`` refs (no network then).
        cache_dir: the snapshot cache folder (default: the user cache dir).
        use_cache: read and write the snapshot cache.
        offline: never use the network; only the cache (or a mirror) answers.
        timeout: seconds per HTTP request.
        github_mirror: a recorded GitHub folder for ``gh:`` refs (no network then; see
            :mod:`openscope.sources.github_record`).
        follow_links: when auditing a Hub release, follow the code repositories its card
            presents as its own (``gh:``, bounded) and read their evidence; and resolve
            its own arXiv papers (see :func:`papers_enabled`).
        arxiv_api: a server answering arXiv's query API and OAI-PMH (``BASE/api/query``,
            ``BASE/oai``); default ``OPENSCOPE_ARXIV_API``, else arXiv itself.
    """

    mirror: Path | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    offline: bool = False
    timeout: float = 20.0
    github_mirror: Path | None = None
    follow_links: bool = True
    arxiv_api: str | None = None


def remote_source(ref: Ref, options: SourceOptions | None = None) -> Source:
    """The source that collects a remote ref under ``options``."""
    options = options or SourceOptions()
    if ref.scheme in ("hf-model", "hf-dataset"):
        if options.mirror is not None:
            from openscope.sources.mirror import MirrorSource

            return MirrorSource(options.mirror)
        from openscope.sources.hub import HubSource

        return HubSource(
            cache_dir=options.cache_dir,
            use_cache=options.use_cache,
            offline=options.offline,
            timeout=options.timeout,
        )
    if ref.scheme == "github":
        from openscope.sources.github import GitHubSource

        return GitHubSource(
            mirror=options.github_mirror,
            cache_dir=options.cache_dir,
            use_cache=options.use_cache,
            offline=options.offline,
            timeout=options.timeout,
        )
    raise UsageError(f"not a remote ref: {ref}", "use hf:, hf-dataset: or gh:")


def papers_enabled(options: SourceOptions, source: str) -> bool:
    """Whether own arXiv papers are resolved for a Hub snapshot collected by ``source``.

    Only with ``follow_links``; then when an arXiv endpoint is configured (``arxiv_api`` or
    ``OPENSCOPE_ARXIV_API``), or for a live Hub ref (``source == "hf"``) neither offline nor
    read from a mirror. A mirror or offline audit without a configured endpoint never asks
    arXiv, so it stays offline and fast (its papers' licences stay unknown, as before).
    """
    import os

    if not options.follow_links:
        return False
    if options.arxiv_api or os.environ.get("OPENSCOPE_ARXIV_API"):
        return True
    return source == "hf" and not options.offline and options.mirror is None
