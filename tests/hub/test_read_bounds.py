"""Deadlines and size caps on every network read, and the bounded ``hub:`` listing.

The real clients (huggingface_hub's session, the shared httpx2 client) against the local
servers, which drip a body one byte at a time (each wait far below the per-request
timeout, so only an overall deadline stops it) or stream a 1.5 GB body.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from openscope.census import live
from openscope.errors import SourceError
from openscope.sources.arxiv import ArxivSource
from openscope.sources.bounded import API_JSON_BYTES
from openscope.sources.github import GitHubSource
from openscope.sources.hub import HubSource
from openscope.sources.mirror import HubMirror
from openscope.sources.refs import parse_ref
from openscope.testing.arxivserver import ArxivServer
from openscope.testing.githubserver import GitHubServer
from openscope.testing.hubserver import Fault, HubServer

from .conftest import FAST, MIRROR, cache_files

FULL = "01-ai/Yi-34B"
RECORDS = Path(__file__).resolve().parents[1] / "data" / "arxiv"
Make = Callable[..., HubSource]


def _fails_fast(call: Callable[[], object], within: float) -> SourceError:
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        call()
    assert time.monotonic() - started < within
    return info.value


# -- Hub -----------------------------------------------------------------------------------


def test_hub_api_dripped_stops_at_the_deadline(make: Make, hub_server: HubServer,
                                                cache_dir: Path) -> None:
    hub_server.add_fault(Fault("drip", repo=FULL, target="api", times=None, seconds=0.02))
    err = _fails_fast(lambda: make(deadline=1.0, timeout=2.0).collect(parse_ref(f"hf:{FULL}")),
                      within=6.0)
    assert err.reason == "timeout" and "deadline" in err.message
    assert "\n" not in err.one_line()
    assert cache_files(cache_dir) == []


def test_hub_card_dripped_stops_at_the_deadline(make: Make, hub_server: HubServer) -> None:
    hub_server.add_fault(Fault("drip", repo=FULL, target="file", times=None, seconds=0.02))
    err = _fails_fast(lambda: make(deadline=1.0, timeout=2.0).collect(parse_ref(f"hf:{FULL}")),
                      within=6.0)
    assert err.reason == "timeout"


def test_hub_api_huge_body_is_never_read_whole(make: Make, hub_server: HubServer) -> None:
    hub_server.add_fault(Fault("huge", repo=FULL, target="api", times=None))
    err = _fails_fast(lambda: make().collect(parse_ref(f"hf:{FULL}")), within=20.0)
    assert err.reason == "too-large" and "16 MiB" in err.message
    assert len([r for r in hub_server.requests if r[1].startswith("/api/")]) == 1  # no retry


def test_hub_card_huge_body_is_cut_at_the_document_cap(make: Make,
                                                      hub_server: HubServer) -> None:
    hub_server.add_fault(Fault("huge", repo=FULL, target="file", times=None))
    snap = make().collect(parse_ref(f"hf:{FULL}"))
    card = snap.document("README.md")
    assert card is not None and card.truncated


def test_cli_exit_3_one_line_on_a_huge_answer(hub_server: HubServer, tmp_path: Path) -> None:
    hub_server.add_fault(Fault("huge", repo=FULL, target="api", times=None))
    env = {**os.environ, "HF_ENDPOINT": hub_server.url, "PYTHONPATH": "src",
           "XDG_CACHE_HOME": str(tmp_path), "OPENSCOPE_GITHUB_API": "http://127.0.0.1:9",
           "OPENSCOPE_ARXIV_API": "http://127.0.0.1:9"}
    env.pop("HF_TOKEN", None)
    proc = subprocess.run([sys.executable, "-m", "openscope", "audit", f"hf:{FULL}",
                           "--no-cache"], capture_output=True, text=True, env=env, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 3, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "cap" in proc.stderr and "Traceback" not in proc.stderr
    assert len([line for line in lines if line.startswith("openscope: error")]) == 1


# -- GitHub and arXiv ----------------------------------------------------------------------


def test_github_dripped_and_huge(github_server: GitHubServer, tmp_path: Path) -> None:
    repo = next(p for p in (MIRROR.parent / "github" / "repos").glob("*/*") if p.is_dir())
    ref = parse_ref(f"gh:{repo.parent.name}/{repo.name}")
    src = GitHubSource(use_cache=False, retry=FAST, timeout=2.0, deadline=1.0)
    github_server.shape(drip=0.02)
    assert _fails_fast(lambda: src.collect(ref), within=6.0).reason == "timeout"
    github_server.shape(huge=1_500_000_000)
    err = _fails_fast(lambda: src.collect(ref), within=20.0)
    assert err.reason == "too-large"
    github_server.shape()
    assert src.collect(ref).ref  # the same server, well behaved again


def test_arxiv_dripped_and_huge() -> None:
    with ArxivServer(RECORDS) as server:
        src = ArxivSource(api=server.url, use_cache=False, timeout=2.0, deadline=1.0)
        ident = sorted(p.stem for p in (RECORDS / "records").glob("*.json"))[0]
        server.shape(drip=0.02)
        assert _fails_fast(lambda: src.resolve(ident), within=6.0).reason == "timeout"
        server.shape(huge=1_500_000_000)
        assert "cap" in _fails_fast(lambda: src.resolve(ident), within=20.0).message
        server.shape()
        assert src.resolve(ident).id == ident


# -- hub: listing --------------------------------------------------------------------------


@pytest.fixture()
def listing_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[HubServer], None]:
    def point(server: HubServer) -> None:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)

    return point


def test_endless_listing_stops_at_the_default_maximum(
    listing_env: Callable[[HubServer], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "DEFAULT_LISTING_MAX", 2500)
    with HubServer(MIRROR, listing="endless") as server:
        listing_env(server)
        notes: list[str] = []
        rows = list(live.list_records({}, notes))
        assert len(rows) == 2500 and len({r["id"] for r in rows}) == 2500
        assert len(server.requests) == 3  # pages of 1000: never a page more than needed
        assert notes and "default maximum of 2500" in notes[0] and "limit=" in notes[0]
        # An explicit limit overrides the default, and is no reason for a note.
        notes.clear()
        assert len(list(live.list_records({"limit": "3100"}, notes))) == 3100 and not notes


def test_cyclic_listing_stops_at_the_repeated_cursor(
    listing_env: Callable[[HubServer], None]
) -> None:
    orgs = Counter(i.split("/")[0] for i in HubMirror(MIRROR).ids("model"))
    org, count = next((o, n) for o, n in orgs.most_common() if 3 <= n <= 12)
    with HubServer(MIRROR, listing="cycle", page_size=2) as server:
        listing_env(server)
        notes: list[str] = []
        rows = list(live.list_records({"author": org}, notes))
    ids = [r["id"] for r in rows]
    assert len(ids) == count == len(set(ids))
    assert notes and "cycle" in notes[0]


def test_huge_listing_page_is_one_line_too_large(
    listing_env: Callable[[HubServer], None]
) -> None:
    with HubServer(MIRROR, faults=[Fault("huge", target="list", times=None)]) as server:
        listing_env(server)
        err = _fails_fast(lambda: list(live.list_records({"author": "x"})), within=20.0)
    assert err.reason == "too-large" and f"{API_JSON_BYTES // 1024 // 1024} MiB" in err.message


def test_census_of_an_endless_listing_ends_with_a_note(
    listing_env: Callable[[HubServer], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openscope.census import CensusOptions, run_census

    monkeypatch.setattr(live, "DEFAULT_LISTING_MAX", 40)
    with HubServer(MIRROR, listing="endless", page_size=25) as server:
        listing_env(server)
        manifest = run_census("hub:", tmp_path / "out", CensusOptions(workers=1))
    assert manifest["counts"]["rows"] == 40
    assert "default maximum" in manifest["input"]["notes"][0]
