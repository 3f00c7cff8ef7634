"""Own arXiv papers resolved on arXiv: the real HTTP client against the local arXiv server
(query API + OAI-PMH) over the synthetic records of ``tests/data/arxiv``, auditing real
cards of the Hub mirror that cite those papers as their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from openscope.cli.remote_opts import audit_collected, make_options
from openscope.errors import SourceError
from openscope.lineage import own_arxiv_ids
from openscope.sources import open_ref
from openscope.sources.arxiv import ArxivSource, licence_id, parse_feed, parse_oai
from openscope.testing.arxivserver import ArxivServer, atom_feed, oai_record

from .conftest import MIRROR

RECORDS = Path(__file__).resolve().parents[1] / "data" / "arxiv"


def _record(ident: str) -> dict:
    return json.loads((RECORDS / "records" / f"{ident}.json").read_text())


def _card_citing(licence_url: str) -> tuple[str, str]:
    """(hf:ref, arXiv id) of a mirror card whose own paper has a fixture record with this
    licence URL (README.md of tests/data/arxiv lists which card cites which)."""
    offline = make_options(MIRROR, None, True, True, follow_links=False)
    for line in (RECORDS / "README.md").read_text().splitlines():
        cells = [c.strip(" `") for c in line.split("|")]
        if len(cells) < 3 or not cells[1][:1].isdigit():
            continue
        ident, card = cells[1], cells[2].split(" ", 1)[0].strip("`")
        if _record(ident)["license"] != licence_url or not (MIRROR / "models" / card).is_dir():
            continue
        ref = f"hf:{card}"
        if ident in own_arxiv_ids(open_ref(ref, offline)):
            return ref, ident
    pytest.skip(f"no mirror card cites a fixture paper licensed {licence_url}")


@pytest.fixture()
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    """The local arXiv over tests/data/arxiv (``OPENSCOPE_ARXIV_API``)."""
    with ArxivServer(RECORDS) as server:
        monkeypatch.setenv("OPENSCOPE_ARXIV_API", server.url)
        yield server


def _component(report: dict, cid: int) -> dict:
    return next(c for c in report["components"] if c["id"] == cid)


def test_own_paper_licence_decides_research_paper(arxiv: ArxivServer, tmp_path: Path) -> None:
    ref, ident = _card_citing("http://creativecommons.org/licenses/by/4.0/")
    options = make_options(MIRROR, tmp_path / "c", False, True)
    report = audit_collected(open_ref(ref, options), options, 0).data
    assert any(p.startswith("/oai?verb=GetRecord") for p in arxiv.requests)  # through HTTP
    paper = _component(report, 21)
    assert paper["status"] == "open", paper["reason"]
    assert paper["license"]["id"] == "CC-BY-4.0" and paper["license"]["level"] == "arxiv"
    urls = [e.get("url") for e in paper["evidence"]]
    assert f"https://arxiv.org/abs/{ident}" in urls
    record = next(e for e in paper["evidence"] if e["kind"] == "research.paper_record")
    assert record["attrs"]["title"] == _record(ident)["title"]
    assert "retrieved" in paper["reason"]
    # A journal reference naming a venue: peer-reviewed, the Index's paper parameter.
    assert report["frameworks"]["osai_index"]["parameters"]["paper"]["value"] == "open"


def test_nonexclusive_licence_is_restricted(arxiv: ArxivServer, tmp_path: Path) -> None:
    ref, _ = _card_citing("http://arxiv.org/licenses/nonexclusive-distrib/1.0/")
    options = make_options(MIRROR, tmp_path / "c", False, True)
    paper = _component(audit_collected(open_ref(ref, options), options, 0).data, 21)
    assert paper["status"] == "restricted"
    assert paper["license"]["id"] == "LicenseRef-arxiv-nonexclusive-distrib-1.0"


def test_technical_report_takes_the_report_licence(arxiv: ArxivServer, tmp_path: Path) -> None:
    ref, _ = _card_citing("http://creativecommons.org/licenses/by-nc-sa/4.0/")
    options = make_options(MIRROR, tmp_path / "c", False, True)
    report = audit_collected(open_ref(ref, options), options, 0).data
    for cid in (21, 11):
        comp = _component(report, cid)
        assert comp["status"] == "restricted", comp["reason"]
        assert comp["license"]["id"] == "CC-BY-NC-SA-4.0"


def test_unreachable_api_stays_unknown_with_one_note(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ref, _ = _card_citing("http://creativecommons.org/licenses/by/4.0/")
    monkeypatch.setenv("OPENSCOPE_ARXIV_API", "http://127.0.0.1:9")  # closed port
    options = make_options(MIRROR, tmp_path / "c", False, True)
    start = time.monotonic()
    report = audit_collected(open_ref(ref, options), options, 0).data
    assert time.monotonic() - start < 20
    paper = _component(report, 21)
    assert paper["status"] == "unknown"
    assert "licence could not be read" in paper["reason"]
    assert len([n for n in report["notes"] if "could not be resolved on arXiv" in n]) == 1


def test_no_follow_links_does_not_ask_arxiv(arxiv: ArxivServer, tmp_path: Path) -> None:
    ref, _ = _card_citing("http://creativecommons.org/licenses/by/4.0/")
    options = make_options(MIRROR, tmp_path / "c", False, True, follow_links=False)
    paper = _component(audit_collected(open_ref(ref, options), options, 0).data, 21)
    assert not arxiv.requests
    assert paper["status"] == "unknown" and "was not checked" in paper["reason"]


def test_mirror_without_endpoint_never_asks(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The judgement benchmark's setting: --mirror, no endpoint configured: no request."""
    ref, _ = _card_citing("http://creativecommons.org/licenses/by/4.0/")
    with ArxivServer(RECORDS) as server:
        monkeypatch.delenv("OPENSCOPE_ARXIV_API", raising=False)
        options = make_options(MIRROR, None, True, True)
        report = audit_collected(open_ref(ref, options), options, 0).data
        assert not server.requests
    assert not any("arXiv" in n for n in report["notes"])


def _cli(*args: str, api: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENSCOPE_ARXIV_API": api}
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=180, env=env, check=False)


def test_saved_snapshot_replays_byte_identical_offline(tmp_path: Path) -> None:
    ref, ident = _card_citing("http://creativecommons.org/licenses/by/4.0/")
    common = ("--mirror", str(MIRROR), "--no-cache", "--lineage-depth", "0")
    saved = tmp_path / "snap.json"
    with ArxivServer(RECORDS) as server:
        direct = _cli("audit", ref, *common, "-f", "json", api=server.url)
        assert direct.returncode == 0, direct.stderr
        made = _cli("snapshot", ref, "--mirror", str(MIRROR), "--no-cache", "-o", str(saved),
                    api=server.url)
        assert made.returncode == 0, made.stderr
    links = json.loads(saved.read_text())["metadata"]["links"]
    entry = next(e for e in links if e.get("ref") == f"arxiv:{ident}")
    assert entry["resolved"] is True and entry["record"]["license_url"]
    assert entry["record"]["retrieved"]
    # The server is stopped: the replay reads the records from the snapshot.
    replay = [_cli("audit", str(saved), *common, "-f", "json", api=server_url)
              for server_url in ("http://127.0.0.1:9", "http://127.0.0.1:9")]
    assert replay[0].returncode == 0, replay[0].stderr
    assert replay[0].stdout == replay[1].stdout == direct.stdout
    assert _component(json.loads(direct.stdout), 21)["status"] == "open"


def test_arxiv_api_option(tmp_path: Path) -> None:
    ref, _ = _card_citing("http://arxiv.org/licenses/nonexclusive-distrib/1.0/")
    with ArxivServer(RECORDS) as server:
        out = subprocess.run(
            [sys.executable, "-m", "openscope", "audit", ref, "--mirror", str(MIRROR),
             "--no-cache", "--lineage-depth", "0", "-f", "json", "--arxiv-api", server.url],
            capture_output=True, text=True, timeout=180, check=False,
            env={k: v for k, v in os.environ.items() if k != "OPENSCOPE_ARXIV_API"})
        assert server.requests
    assert out.returncode == 0, out.stderr
    assert _component(json.loads(out.stdout), 21)["status"] == "restricted"


# --- the client on the documented answers ---------------------------------------------------


def test_parsers_read_the_documented_formats() -> None:
    rec = _record("2310.10631")
    fields = parse_feed(atom_feed("2310.10631", rec).encode(), "2310.10631")
    assert fields["title"] == rec["title"] and fields["authors"][0] == rec["authors"][0]
    assert fields["journal_ref"] == rec["journal_ref"]
    assert parse_oai(oai_record("2310.10631", rec).encode(), "2310.10631") == rec["license"]
    with pytest.raises(SourceError, match="not found"):
        parse_feed(atom_feed("2310.99999", None).encode(), "2310.99999")
    with pytest.raises(SourceError, match="refused the id"):
        parse_feed(atom_feed("23.1", None).encode(), "23.1")
    with pytest.raises(SourceError, match="idDoesNotExist"):
        parse_oai(oai_record("2310.99999", None).encode(), "2310.99999")
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed>&a;</feed>'
    with pytest.raises(SourceError, match="DTD"):
        parse_feed(hostile, "2310.10631")
    with pytest.raises(SourceError, match="malformed"):
        parse_feed(b"<feed", "2310.10631")


def test_licence_urls_map_to_knowledge_base_ids() -> None:
    assert licence_id("http://creativecommons.org/licenses/by/4.0/") == "CC-BY-4.0"
    assert licence_id("http://creativecommons.org/licenses/by-nc-sa/4.0/") == "CC-BY-NC-SA-4.0"
    assert licence_id("http://creativecommons.org/publicdomain/zero/1.0/") == "CC0-1.0"
    assert licence_id("http://arxiv.org/licenses/nonexclusive-distrib/1.0/") == \
        "LicenseRef-arxiv-nonexclusive-distrib-1.0"
    assert licence_id("https://example.org/licence") is None


def test_client_caches_and_reports_server_errors(tmp_path: Path) -> None:
    with ArxivServer(RECORDS) as server:
        source = ArxivSource(api=server.url, cache_dir=tmp_path)
        first = source.resolve("2310.10631v2")
        assert first.id == "2310.10631" and first.license_url
        served = len(server.requests)
        assert ArxivSource(api=server.url, cache_dir=tmp_path).resolve("2310.10631") == first
        assert len(server.requests) == served  # the cache answered
        offline = ArxivSource(api=server.url, cache_dir=tmp_path, offline=True)
        assert offline.resolve("2310.10631") == first
        with pytest.raises(SourceError, match="offline"):
            offline.resolve("2204.06745")
        server.fail(1)
        with pytest.raises(SourceError, match="HTTP 503"):
            ArxivSource(api=server.url, use_cache=False).resolve("2204.06745")
