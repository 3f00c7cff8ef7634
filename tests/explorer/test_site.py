"""`openscope site build`: files, escaping, incremental rebuilds, bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import EXAMPLE, SHARED
from openscope.explorer import site as site_mod
from openscope.pipeline import audit


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120)


def test_build_from_refs_writes_a_self_contained_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = _run("site", "build", str(out), str(EXAMPLE), "hf:bigcode/starcoder",
                "--mirror", str(SHARED / "hub"), "--title", "My <b>explorer</b>")
    assert proc.returncode == 0, proc.stderr
    assert "2 pages written" in proc.stderr
    rows = json.loads((out / "data" / "releases.json").read_text())["rows"]
    assert {r["n"] for r in rows} == {"tiny-open-model", "bigcode/starcoder"}
    star = next(r for r in rows if r["n"] == "bigcode/starcoder")
    assert star["p"] == "text-generation" and star["l"] == "bigcode-openrail-m"
    assert len(star["x"]) == 12
    index = (out / "index.html").read_text()
    assert "My &lt;b&gt;explorer&lt;/b&gt;" in index
    for page in [*out.glob("*.html"), *(out / "r").glob("*.html")]:
        text = page.read_text()
        assert "http://" not in text.split("<body>", 1)[0]  # no external asset in any head
        assert "<script src=\"http" not in text and "cdn" not in text.lower()
    assert (out / "releases.csv").read_text().startswith("name,ref,organisation")


def test_incremental_rebuild_skips_unchanged_pages(tmp_path: Path, malicious_release: Path) \
        -> None:
    out = tmp_path / "site"
    tiny = site_mod.entry_of(audit(str(EXAMPLE)).data)
    evil = site_mod.entry_of(audit(str(malicious_release)).data, {"card": "<script>x</script>"})
    first = site_mod.build(out, [tiny, evil])
    assert (first.pages_written, first.pages_skipped) == (2, 0)
    page = out / "r" / f"{site_mod.slug_of(tiny.summary['ref'])}.html"
    mtime = page.stat().st_mtime_ns
    second = site_mod.build(out, [tiny, evil])
    assert (second.pages_written, second.pages_skipped) == (0, 2)
    assert page.stat().st_mtime_ns == mtime
    changed = site_mod.entry_of(audit(str(malicious_release)).data, {"card": "new card"})
    third = site_mod.build(out, [tiny, changed])
    assert (third.pages_written, third.pages_skipped) == (1, 1)
    fourth = site_mod.build(out, [tiny])
    assert fourth.pages_removed == 1 and len(list((out / "r").glob("*.html"))) == 1


def test_release_page_escapes_the_card(tmp_path: Path, malicious_release: Path) -> None:
    card = (malicious_release / "README.md").read_text()
    entry = site_mod.entry_of(audit(str(malicious_release)).data, {"card": card})
    page = site_mod.release_page(entry, "x", "t")
    body = page.split("<body>", 1)[1]
    # The only image is the site's own badge; nothing from the card is rendered.
    assert "<script" not in body and "<iframe" not in body
    assert body.count("<img") == 1 and '<img src="../badges/x.svg"' in body
    assert "&lt;script&gt;window.__pwned=5&lt;/script&gt;" in body
    assert 'href="javascript' not in body.lower()


def test_bad_input() -> None:
    proc = _run("site", "build", "/tmp/never-written-site")
    assert proc.returncode == 2 and "nothing to publish" in proc.stderr
    proc = _run("site", "serve", str(EXAMPLE))
    assert proc.returncode == 3 and "not a site folder" in proc.stderr
    proc = _run("site", "build", "/tmp/never-written-site", "--census", str(EXAMPLE))
    assert proc.returncode == 3 and "not a census folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_pool_build_is_byte_identical_and_title_change_rewrites(
        tmp_path: Path, malicious_release: Path, monkeypatch: Any) -> None:
    tiny = site_mod.entry_of(audit(str(EXAMPLE)).data)
    evil = site_mod.entry_of(audit(str(malicious_release)).data, {"card": "<script>x</script>"})
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    site_mod.build(serial, [tiny, evil], workers=1)
    monkeypatch.setattr(site_mod, "POOL_MIN_PAGES", 1)
    stats = site_mod.build(pooled, [tiny, evil], workers=2)
    assert stats.pages_written == 2 and len(stats.report_bytes) == 2
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(pooled) for p in pooled.rglob("*") if p.is_file())
    for rel in files:
        assert (serial / rel).read_bytes() == (pooled / rel).read_bytes(), rel
    # the report is compact JSON with the audit's content
    report = next((serial / "reports").glob("*.json")).read_text()
    assert "\n" not in report.rstrip("\n") and json.loads(report)["components"]
    # the title is on every page: a new title rewrites them all
    again = site_mod.build(serial, [tiny, evil], "Another title")
    assert (again.pages_written, again.pages_skipped) == (2, 0)


def test_two_audits_of_a_release_get_a_history_page(tmp_path: Path) -> None:
    first = site_mod.entry_of(audit(str(EXAMPLE)).data)
    summary = dict(first.summary, ref=first.summary["ref"] + "@v2", license="MIT",
                   mof_class=None)
    second = site_mod.Entry(summary, first.data)
    out = tmp_path / "site"
    site_mod.build(out, [first, second])
    assert 'href="history-releases.html"' in (out / "index.html").read_text()
    changes = json.loads((out / "history-releases.json").read_text())
    fields = {c["field"]: c for c in changes}
    assert fields["licence"]["new"] == "MIT" and "MOF class (proven)" in fields
    assert fields["licence"]["to"].endswith("@v2")
    page = (out / "history-releases.html").read_text()
    for link in re.findall(r'href="(r/[^"]+)"', page):
        assert (out / link).is_file()
    site_mod.build(out, [first])  # one audit each: no history any more
    assert not (out / "history-releases.html").exists()


def test_release_pages_show_a_lineage_graph_and_an_embeddable_badge(tmp_path: Path) -> None:
    from openscope.explorer.site import lineage_svg

    out = tmp_path / "site"
    proc = _run("site", "build", str(out), str(EXAMPLE), "--title", "t")
    assert proc.returncode == 0, proc.stderr
    (badge,) = (out / "badges").glob("*.svg")
    assert badge.read_text().startswith("<svg")
    page = next((out / "r").glob("*.html")).read_text()
    assert f"badges/{badge.name}" in page and "[![MOF class of" in page
    # The graph: one box per model, the release and its bases, text escaped.
    data = {"subject": {"ref": "hf:org/<script>x</script>"},
            "lineage": [{"ref": "hf:org/base", "child": "hf:org/<script>x</script>",
                         "depth": 1},
                        {"ref": "hf:org/root", "child": "hf:org/base", "depth": 2}]}
    svg = str(lineage_svg(data))
    assert svg.count("<rect") == 3 and svg.count("<line") == 2
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_snapshot_download_replays_the_report(tmp_path: Path) -> None:
    """Each release page offers its snapshot with its size; `openscope audit` on the file
    gives a byte-identical JSON report; an unchanged rebuild does not rewrite it."""
    mirror = str(SHARED / "hub")
    # a fine-tune whose base model and dataset the audit collects from the mirror
    ref = "hf:02shanky/vit-finetuned-vanilla-cifar10-0"
    out = tmp_path / "site"
    proc = _run("site", "build", str(out), str(EXAMPLE), ref, "--mirror", mirror)
    assert proc.returncode == 0, proc.stderr
    assert "2 snapshots" in proc.stderr
    for name, args in ((ref, ("--mirror", mirror)), (str(EXAMPLE), ())):
        direct = _run("audit", name, *args, "-f", "json")
        assert direct.returncode == 0, direct.stderr
        data = json.loads(direct.stdout)
        slug = site_mod.report_slug(data)
        snap = out / "snapshots" / f"{slug}.json"
        page = (out / "r" / f"{slug}.html").read_text()
        size = site_mod._size(snap.stat().st_size)
        assert f'<a href="../snapshots/{slug}.json" download>Download the snapshot</a> ' \
               f"({size})" in page
        report = out / "reports" / f"{slug}.json"
        assert f"Download the JSON report</a> ({site_mod._size(report.stat().st_size)})" in page
        replay = _run("audit", str(snap), *args, "-f", "json")
        assert replay.returncode == 0, replay.stderr
        assert replay.stdout == direct.stdout  # byte-identical
        assert site_mod.report_text(json.loads(replay.stdout)).encode() == report.read_bytes()
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "snapshots").iterdir()}
    proc = _run("site", "build", str(out), str(EXAMPLE), ref, "--mirror", mirror)
    assert proc.returncode == 0 and "0 pages written" in proc.stderr, proc.stderr
    assert {p: p.stat().st_mtime_ns for p in (out / "snapshots").iterdir()} == mtimes
    proc = _run("site", "build", str(out), str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (out / "snapshots").iterdir()] == [
        f"{site_mod.slug_of('local:tiny-open-model')}.json"]


def test_census_and_api_pages_say_why_there_is_no_snapshot() -> None:
    audited = site_mod.entry_of(audit(str(EXAMPLE)).data)
    page = site_mod.release_page(audited, "x", "t", 1234)
    assert "Download the JSON report</a> (1.2 kB)" in page
    assert "no snapshot was published with this build" in page
    census = site_mod.Entry(dict(audited.summary), None)
    page = site_mod.release_page(census, "y", "t")
    assert "No JSON report or snapshot: this row comes from a census" in page
    assert 'href="../snapshots/' not in page and 'href="../reports/' not in page
