"""`openscope site build --census`: the census dashboard and the history page, over two small
censuses built from the real Hub listing in ../shared/census."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from explorer.test_site_browser import _wait, browser, downloads  # noqa: F401  (fixtures)
from openscope.explorer.serve import make_server

LISTING = SHARED / "census" / "hf-models-2024-07.jsonl.gz"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def censuses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Census A: the first 2,000 rows of the listing. Census B, a month later: rows 501 to
    2,300, with the licence tag of every 10th release of A switched to MIT."""
    if not LISTING.is_file():
        pytest.skip("no ../shared/census listing")
    work = tmp_path_factory.mktemp("census")
    with gzip.open(LISTING, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(2300)]
    (work / "a.jsonl").write_text("".join(lines[:2000]))
    later = []
    for n, line in enumerate(lines[500:], start=500):
        row = json.loads(line)
        if n < 2000 and n % 10 == 0:
            row["tags"] = [t for t in row.get("tags", []) if not t.startswith("license:")]
            row["tags"].append("license:mit")
        later.append(json.dumps(row) + "\n")
    (work / "b.jsonl").write_text("".join(later))
    for name in ("a", "b"):
        proc = _run("census", str(work / f"{name}.jsonl"), "-o", str(work / name))
        assert proc.returncode == 0, proc.stderr
    return work / "a", work / "b"


def _local_links(page: Path) -> list[str]:
    hrefs = re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', page.read_text())
    return [h for h in hrefs if not h.startswith("http")]


def test_dashboard_and_history(tmp_path: Path, censuses: tuple[Path, Path]) -> None:
    old, new = censuses
    out = tmp_path / "site"
    proc = _run("site", "build", str(out), "--census", str(old), "--census", str(new))
    assert proc.returncode == 0, proc.stderr
    index = (out / "index.html").read_text()
    assert 'href="census.html"' in index and 'href="history.html"' in index
    dashboard = (out / "census.html").read_text()
    for name in ("licence_by_month", "profiles", "downloads", "organisations"):
        svg = out / "census" / "charts" / f"{name}.svg"
        assert svg.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
        assert (out / "census" / "charts" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert f'src="census/charts/{name}.svg" alt="' in dashboard  # with a text alternative
    # the figures link into the grid's filters; the organisations table too
    assert 'href="index.html#license=' in dashboard and 'href="index.html#org=' in dashboard
    assert 'href="index.html#opendata=1"' in dashboard
    assert 'id="lineage"' in dashboard and "census/tables/lineage_pairs.csv" in dashboard
    for page in ("census.html", "history.html", "index.html"):
        for link in _local_links(out / page):
            assert (out / link).is_file(), (page, link)
    # history: every 10th release of A still in B changed its licence to MIT
    result = json.loads((out / "history.json").read_text())
    assert result["counts"]["common"] == 1500 and result["counts"]["added"] == 300
    assert result["counts"]["removed"] == 500
    assert result["counts"]["changed"]["license"] >= 100
    assert any(c["field"] == "license" and c["new"] == "mit" for c in result["changes"])
    history = (out / "history.html").read_text()
    changed = re.findall(r'<td><a href="(r/[^"]+\.html)">', history)
    assert changed and all((out / link).is_file() for link in changed)
    assert (out / "history.csv").read_text().startswith("change,id,field,old,new")
    # same inputs, another folder: byte-identical files (figures included)
    again = tmp_path / "again"
    assert _run("site", "build", str(again), "--census", str(old), "--census",
                str(new)).returncode == 0
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel
    assert result["a"] == "a" and result["b"] == "b"  # folder names, not local paths


def test_one_census_has_no_history(tmp_path: Path, censuses: tuple[Path, Path]) -> None:
    old, new = censuses
    out = tmp_path / "site"
    assert _run("site", "build", str(out), "--census", str(old), "--census",
                str(new)).returncode == 0
    proc = _run("site", "build", str(out), "--census", str(new))
    assert proc.returncode == 0, proc.stderr
    assert (out / "census.html").is_file() and not (out / "history.html").exists()
    assert 'href="history.html"' not in (out / "index.html").read_text()
    proc = _run("site", "build", str(out), "--census", str(tmp_path), "--census", str(new))
    assert proc.returncode == 3 and "not a census folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dashboard_in_a_browser(tmp_path: Path, censuses: tuple[Path, Path],
                                request: pytest.FixtureRequest) -> None:
    """The figures load, and an organisation's link opens the grid filtered to it."""
    chromium: Any = request.getfixturevalue("browser")  # Chromium of test_site_browser
    out = tmp_path / "site"
    assert _run("site", "build", str(out), "--census", str(censuses[1])).returncode == 0
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        chromium.get(f"http://127.0.0.1:{server.server_address[1]}/census.html")
        loaded = _wait(chromium, "var i = Array.from(document.images); return i.length === 4 "
                                "&& i.every(x => x.complete && x.naturalWidth > 0) && i.length")
        assert loaded == 4
        link = chromium.find_element("css selector", '#t-organisations a[href^="index.html#org="]')
        org = link.text
        link.click()
        _wait(chromium, "return document.querySelectorAll('#grid tbody tr').length > 0")
        assert chromium.execute_script("return document.getElementById('org').value") == org
        shown = _wait(chromium, "return document.getElementById('status').textContent")
        assert "of" in shown or "release" in shown
    finally:
        server.shutdown()
        server.server_close()
