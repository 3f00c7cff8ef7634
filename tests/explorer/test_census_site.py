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
    """The figures load or are drawn, and an organisation's link opens the grid filtered to
    it."""
    chromium: Any = request.getfixturevalue("browser")  # Chromium of test_site_browser
    out = tmp_path / "site"
    assert _run("site", "build", str(out), "--census", str(censuses[1])).returncode == 0
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        chromium.get(f"http://127.0.0.1:{server.server_address[1]}/census.html")
        # the downloads figure (curves) stays static and loads; the three bar charts are
        # drawn by census.js in place of their static figure (hidden, lazy: not fetched)
        loaded = _wait(chromium, "var i = Array.from(document.images).filter(x => !x.hidden);"
                                "return i.length === 1 && i[0].complete && "
                                "i[0].naturalWidth > 0 && i[0].src")
        assert loaded.endswith("census/charts/downloads.svg")
        assert chromium.execute_script("return document.querySelectorAll('svg.ichart').length") \
            == 3
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


def test_interactive_charts_in_a_browser(tmp_path: Path, censuses: tuple[Path, Path],
                                         request: pytest.FixtureRequest) -> None:
    """The bar charts are drawn from their data tables: a bar focused with the keyboard
    shows its exact value in a tooltip and its aria-label, Enter opens the grid filtered
    to its slice (as many rows as the value says), the legend hides a series, and the
    toggle shows the same data as a table."""
    chromium: Any = request.getfixturevalue("browser")
    out = tmp_path / "site"
    assert _run("site", "build", str(out), "--census", str(censuses[1])).returncode == 0
    dashboard = (out / "census.html").read_text()
    # no-script fallback: the static figure and the data table are in the page
    assert 'src="census/charts/licence_by_month.svg"' in dashboard
    assert 'class="chart-data" id="d-licence_by_month"' in dashboard
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        chromium.get(f"http://127.0.0.1:{server.server_address[1]}/census.html")
        marks = _wait(chromium, "return document.querySelectorAll("
                                "'#fig-licence_by_month svg rect.mark').length")
        assert marks > 3
        assert chromium.execute_script(
            "return document.querySelector('#fig-licence_by_month img').hidden && "
            "document.getElementById('d-licence_by_month').hidden")
        # keyboard: Tab from the chart's last control lands on the first bar segment
        legend = chromium.find_elements("css selector", "#fig-licence_by_month .legend button")
        assert [b.text for b in legend] == ["open", "restricted", "unknown", "none"]
        from selenium.webdriver.common.keys import Keys

        legend[-1].send_keys(Keys.TAB)
        focused = chromium.switch_to.active_element
        assert focused.tag_name == "rect" and focused.get_attribute("tabindex") == "0"
        label = focused.get_attribute("aria-label")
        month, rest = label.split(", ", 1)
        series, value = rest.split(": ", 1)
        value = int(value.split(" ", 1)[0].replace(",", ""))
        tip = chromium.find_element("css selector", "#fig-licence_by_month .tip")
        assert tip.is_displayed() and tip.text == f"{month}, {series}: {value:,} releases"
        # the same number is in the data table, cell (month, series)
        cell = chromium.execute_script(
            "var t = document.getElementById('d-licence_by_month');"
            "var col = Array.from(t.querySelectorAll('thead th')).findIndex("
            "  h => h.textContent === arguments[1]);"
            "var row = Array.from(t.querySelectorAll('tbody tr')).find("
            "  r => r.querySelector('th').textContent === arguments[0]);"
            "return row.children[col].dataset.v;", month, series)
        assert int(cell) == value
        focused.send_keys(Keys.ENTER)
        _wait(chromium, "return location.pathname.endsWith('index.html') && "
                        "document.querySelectorAll('#grid tbody tr').length > 0")
        status = _wait(chromium, "var s = document.getElementById('status').textContent;"
                                 "return s.indexOf('match') >= 0 && s")
        assert status.startswith(f"{value} of ") and f"created in {month}" in status
        assert f"licence class {series}" in status
        chromium.back()
        _wait(chromium, "return document.querySelectorAll("
                        "'#fig-licence_by_month svg rect.mark').length")
        # legend toggle: hiding a series removes its segments
        before = chromium.execute_script(
            "return document.querySelectorAll('#fig-licence_by_month rect.mark').length")
        chromium.find_element("css selector", "#fig-licence_by_month .legend button").click()
        after = chromium.execute_script(
            "return document.querySelectorAll('#fig-licence_by_month rect.mark').length")
        assert after < before
        pressed = chromium.find_element("css selector", "#fig-licence_by_month .legend button")
        assert pressed.get_attribute("aria-pressed") == "false"
        # organisations: a click on a bar filters the grid to that organisation
        bar = chromium.find_element("css selector", "#fig-organisations rect.mark[role=link]")
        org = bar.get_attribute("aria-label").split(":", 1)[0]
        chromium.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', "
                                "{bubbles: true}))", bar)
        _wait(chromium, "return document.querySelectorAll('#grid tbody tr').length > 0")
        assert chromium.execute_script("return document.getElementById('org').value") == org
        chromium.back()
        # chart / table toggle
        toggle = _wait(chromium, "return document.querySelector('#fig-profiles .view-toggle')")
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"
        assert toggle.text == "Show as chart"
        table = chromium.find_element("id", "d-profiles")
        assert table.is_displayed()
        assert not chromium.find_element("css selector", "#fig-profiles .chart-box") \
            .is_displayed()
        assert len(table.find_elements("css selector", "tbody tr")) > 1
    finally:
        server.shutdown()
        server.server_close()
