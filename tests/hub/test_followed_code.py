"""Following a release's own code repository through ``gh:``: the real HTTP client against
the local GitHub API over the recorded repositories in ``tests/data/github``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from openscope.cli.remote_opts import audit_collected, make_options
from openscope.lineage import own_code_refs
from openscope.sources import open_ref
from openscope.testing.githubserver import GitHubServer

from .conftest import MIRROR

RECORDED = Path(__file__).resolve().parents[1] / "data" / "github"
DEV = MIRROR.parent / "labels" / "osai-index" / "dev-releases.jsonl"


def _recorded(ref: str) -> bool:
    return (RECORDED / "repos" / ref.removeprefix("gh:")).is_dir()


def _release_with_recorded_repo() -> str:
    """A dev release (the Index's rated set) whose card's own repositories are all recorded
    and at least one of them has an identified licence: chosen from the data, not by name."""
    offline = make_options(MIRROR, None, True, True, follow_links=False)
    for line in DEV.read_text().splitlines():
        hf = json.loads(line).get("hf")
        if not hf or not (MIRROR / "models" / hf).is_dir():
            continue
        refs = own_code_refs(open_ref(f"hf:{hf}", offline))
        if refs and all(_recorded(r) for r, _ in refs) and any(
                (RECORDED / "repos" / r[3:] / "license.json").is_file() for r, _ in refs):
            return f"hf:{hf}"
    pytest.skip("no dev release links a recorded own repository")


@pytest.fixture()
def recorded_github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubServer]:
    """The local GitHub API over tests/data/github (``OPENSCOPE_GITHUB_API``)."""
    with GitHubServer(RECORDED) as server:
        monkeypatch.setenv("OPENSCOPE_GITHUB_API", server.url)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield server


def _code(report: dict) -> dict[int, dict]:
    return {c["id"]: c for c in report["components"] if c["content_type"] == "code"}


def test_followed_repo_decides_code_components(recorded_github: GitHubServer,
                                               tmp_path: Path) -> None:
    ref = _release_with_recorded_repo()
    options = make_options(MIRROR, tmp_path / "c", False, True)
    report = audit_collected(open_ref(ref, options), options, 0).data
    assert any("/git/trees/" in p for p, _ in recorded_github.requests)  # through HTTP
    linked = [c for c in _code(report).values()
              if (c.get("attributes") or {}).get("location") == "linked"]
    assert linked, "no code component decided from the followed repository"
    for comp in linked:
        repos = comp["attributes"].get("repos") or [comp["attributes"]["repo"]]
        urls = [e.get("url") or "" for e in comp["evidence"]]
        prefixes = tuple(f"https://github.com/{r.split('@')[0]}/blob/{r.split('@')[1]}/"
                         for r in repos)
        assert urls and all(u.startswith(prefixes) for u in urls)  # pinned to the commit
        if comp["status"] != "unknown":
            assert comp["license"]["level"] == "code-repo"
    assert any(c["license"] and c["license"]["level"] == "code-repo" for c in linked)


def test_no_follow_links_keeps_code_unknown(recorded_github: GitHubServer,
                                            tmp_path: Path) -> None:
    ref = _release_with_recorded_repo()
    options = make_options(MIRROR, tmp_path / "c", False, True, follow_links=False)
    report = audit_collected(open_ref(ref, options), options, 0).data
    assert not recorded_github.requests
    for comp in _code(report).values():
        assert (comp.get("attributes") or {}).get("location") != "linked"
        assert not any((e.get("attrs") or {}).get("followed") for e in comp["evidence"])


def _cli(*args: str, api: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENSCOPE_GITHUB_API": api}
    env.pop("GITHUB_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=180, env=env, check=False)


def test_saved_snapshot_replays_byte_identical(recorded_github: GitHubServer,
                                               tmp_path: Path) -> None:
    ref = _release_with_recorded_repo()
    common = ("--mirror", str(MIRROR), "--no-cache", "--lineage-depth", "0")
    direct = _cli("audit", ref, *common, "-f", "json", api=recorded_github.url)
    assert direct.returncode == 0, direct.stderr
    saved = tmp_path / "snap.json"
    made = _cli("snapshot", ref, "--mirror", str(MIRROR), "--no-cache", "-o", str(saved),
                api=recorded_github.url)
    assert made.returncode == 0, made.stderr
    links = json.loads(saved.read_text())["metadata"]["links"]
    assert any(e.get("followed") and e.get("snapshot") for e in links)
    served = len(recorded_github.requests)
    # The replay needs no GitHub at all: point it at a closed port.
    replay = [_cli("audit", str(saved), *common, "-f", "json", api="http://127.0.0.1:9")
              for _ in range(2)]
    assert len(recorded_github.requests) == served
    assert replay[0].returncode == 0, replay[0].stderr
    assert replay[0].stdout == replay[1].stdout == direct.stdout


def test_github_mirror_gives_the_servers_evidence(recorded_github: GitHubServer,
                                                  tmp_path: Path) -> None:
    ref = _release_with_recorded_repo()
    served = make_options(MIRROR, tmp_path / "c", False, True)
    mirrored = make_options(MIRROR, None, True, True, github_mirror=RECORDED)
    a = audit_collected(open_ref(ref, served), served, 0).data
    b = audit_collected(open_ref(ref, mirrored), mirrored, 0).data
    assert a["components"] == b["components"]
    assert a["frameworks"] == b["frameworks"]


def test_unreachable_repo_stays_unknown_with_a_note(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _release_with_recorded_repo()
    empty = tmp_path / "gh"
    (empty / "repos").mkdir(parents=True)
    with GitHubServer(empty) as server:  # answers 404 for every repository
        monkeypatch.setenv("OPENSCOPE_GITHUB_API", server.url)
        options = make_options(MIRROR, tmp_path / "c", False, True)
        report = audit_collected(open_ref(ref, options), options, 0).data
    assert any("could not be followed" in n and "stays unknown" in n for n in report["notes"])
    for comp in _code(report).values():
        assert (comp.get("attributes") or {}).get("location") != "linked"
    assert report["frameworks"]["osai_index"]["parameters"]["trainingcode"]["value"] in (
        "unknown", "partial", "open")
