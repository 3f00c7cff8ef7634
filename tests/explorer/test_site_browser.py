"""The explorer site in headless Chromium, served by `openscope site serve`'s server on
127.0.0.1: leaderboard (sort, filter, search, pages), a release page and its evidence links,
the compare page, CSV downloads, and a hostile card that must stay inert.

Browser set-up and skipping follow tests/formats/test_browser.py: without Chromium the
tests skip locally and fail in CI.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium
from conftest import EXAMPLE, SHARED
from explorer.hostile_card import write_hostile
from openscope.explorer import site as site_mod
from openscope.explorer.collect import audit_refs
from openscope.explorer.serve import make_server
from openscope.sources.options import SourceOptions

#: Real mirror releases with different licences, MOF classes and pipelines.
MIRROR_REFS = ["hf:bigcode/starcoder", "hf:HuggingFaceH4/mistral-7b-sft-beta",
               "hf:0xlws/musicgen-large", "hf:Supabase/gte-small"]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    """A headless Chromium with a fresh profile that saves downloads in ``downloads``."""
    yield from chromium(tmp_path_factory.mktemp("chromium-profile"), downloads)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of the example, real mirror releases and a hostile card, served on 127.0.0.1."""
    hostile = tmp_path_factory.mktemp("hostile") / "hostile-model"
    hostile.mkdir()
    write_hostile(hostile)
    out = tmp_path_factory.mktemp("site")
    options = SourceOptions(mirror=SHARED / "hub", offline=True, use_cache=False)
    results = audit_refs([str(EXAMPLE), str(hostile), *MIRROR_REFS], options, jobs=2,
                         lineage_depth=1, progress=False)
    entries = [site_mod.entry_of(r.data, r.extra) for r in results
               if not isinstance(r, Exception)]
    assert len(entries) == 2 + len(MIRROR_REFS)
    site_mod.build(out, entries, "Test explorer")
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _wait(browser: Any, script: str, timeout: float = 10.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def _names(browser: Any) -> list[str]:
    return list(browser.execute_script(
        "return Array.from(document.querySelectorAll('#grid tbody tr td:nth-child(2)'))"
        ".map(td => td.textContent)"))


def _open_grid(browser: Any, url: str) -> None:
    browser.get(url)
    _wait(browser, "return document.querySelectorAll('#grid tbody tr').length > 0")


def test_leaderboard_sort_filter_search_permalink(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    _open_grid(browser, site_url + "/index.html")
    assert browser.title == "Test explorer"
    assert len(_names(browser)) == 6
    scores = browser.execute_script(
        "return Array.from(document.querySelectorAll('#grid tbody tr td:nth-child(5)'))"
        ".map(td => td.textContent)")
    assert scores == sorted(scores, reverse=True)  # default: Index score, best first
    # index cells carry their word as text, not colour alone
    cell = browser.execute_script("return document.querySelector('#grid td.ix').textContent")
    assert any(w in cell for w in ("open", "partial", "closed", "unknown"))
    # sort by name (keyboard-reachable button in the header)
    browser.find_element(By.CSS_SELECTOR, "th[data-sort=n] button").click()
    names = _names(browser)
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    assert browser.execute_script(
        "return document.querySelector('th[data-sort=n]').getAttribute('aria-sort')") == \
        "ascending"
    # search
    box = browser.find_element(By.ID, "q")
    box.send_keys("starcoder")
    assert _names(browser) == ["bigcode/starcoder"]
    assert "q=starcoder" in browser.current_url  # permalink of the view
    box.clear()
    box.send_keys(" ")
    browser.find_element(By.ID, "reset").click()
    # filter: usable commercially excludes the CC-BY-NC release
    browser.find_element(By.ID, "commercial").click()
    names = _names(browser)
    assert "0xlws/musicgen-large" not in names and "tiny-open-model" in names
    # a permalink restores the filter
    link = browser.current_url
    _open_grid(browser, link.replace("commercial=1", "commercial=1&license=MIT"))
    assert set(_names(browser)) <= {"HuggingFaceH4/mistral-7b-sft-beta", "Supabase/gte-small"}
    assert browser.find_element(By.ID, "commercial").is_selected()


def test_release_page_and_evidence_link(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    _open_grid(browser, site_url + "/index.html#q=tiny")
    browser.find_element(By.LINK_TEXT, "tiny-open-model").click()
    _wait(browser, "return document.querySelector('h1') !== null")
    assert browser.find_element(By.TAG_NAME, "h1").text == "tiny-open-model"
    rows = browser.execute_script("return document.querySelectorAll('#components tbody tr')"
                                  ".length")
    assert rows == 17
    link = browser.find_element(By.CSS_SELECTOR, "#components tbody a[href^='#ev-']")
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    assert browser.execute_script("return location.hash") == "#" + target
    assert browser.execute_script(
        f"return document.getElementById('{target}').matches(':target')")
    # the JSON report download is the report itself
    report = browser.find_element(By.PARTIAL_LINK_TEXT, "JSON report").get_attribute("href")
    assert report.endswith(".json")
    # (the release page's CSP forbids fetch: read the download over HTTP from the test)
    with urllib.request.urlopen(report, timeout=10) as resp:
        assert json.load(resp)["subject"]["ref"] == "local:tiny-open-model"


def test_compare_two_releases(browser: Any, site_url: str, downloads: Path) -> None:
    from selenium.webdriver.common.by import By

    _open_grid(browser, site_url + "/index.html")
    boxes = browser.find_elements(By.CSS_SELECTOR, "#grid tbody input[type=checkbox]")
    boxes[0].click()
    boxes[1].click()
    button = browser.find_element(By.ID, "compare-selected")
    assert button.is_enabled()
    button.click()
    _wait(browser, "return document.querySelectorAll('#compare tbody tr').length > 20")
    headers = browser.execute_script(
        "return Array.from(document.querySelectorAll('#compare thead th')).map(t => t.textContent)")
    assert len(headers) == 5
    comps = browser.execute_script(
        "return Array.from(document.querySelectorAll('#compare tbody tr'))"
        ".filter(tr => tr.children[1].textContent === 'components').length")
    assert comps == 17
    diffs = browser.execute_script("return document.querySelectorAll('#compare tr.diff').length")
    assert diffs >= 1
    assert browser.execute_script(
        "return document.querySelector('#compare tr.diff td').textContent") == "≠differs"
    # the comparison itself downloads as CSV and JSON, one row per table row
    browser.find_element(By.ID, "download-compare-csv").click()
    browser.find_element(By.ID, "download-compare-json").click()
    csv_file, json_file = downloads / "compare.csv", downloads / "compare.json"
    end = time.monotonic() + 60
    while time.monotonic() < end and not (csv_file.exists() and json_file.exists()
                                          and json_file.read_text().rstrip().endswith("}")):
        time.sleep(0.2)
    rows = browser.execute_script("return document.querySelectorAll('#compare tbody tr').length")
    lines = csv_file.read_text().splitlines()
    assert lines[0].startswith("differs,section,field,") and len(lines) == rows + 1
    data = json.loads(json_file.read_text())
    assert len(data["releases"]) == 2 and len(data["rows"]) == rows
    assert sum(r["differs"] for r in data["rows"]) == diffs


def test_csv_downloads(browser: Any, site_url: str, downloads: Path) -> None:
    from selenium.webdriver.common.by import By

    _open_grid(browser, site_url + "/index.html#q=starcoder")
    browser.find_element(By.ID, "download-csv").click()
    target = downloads / "releases-view.csv"
    end = time.monotonic() + 60  # a loaded CI machine can be slow to finish a download
    while time.monotonic() < end and not (
            target.exists() and len(target.read_text().splitlines()) >= 2):
        time.sleep(0.2)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("name,ref,organisation,licence")
    assert len(lines) == 2 and lines[1].startswith("bigcode/starcoder,hf:bigcode/starcoder")
    full = browser.find_element(By.LINK_TEXT, "All rows (CSV)").get_attribute("href")
    text = browser.execute_script("return fetch(arguments[0]).then(r => r.text())", full)
    assert len(text.strip().splitlines()) == 7


def test_hostile_card_is_inert(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    _open_grid(browser, site_url + "/index.html#q=hostile")
    browser.find_element(By.LINK_TEXT, "hostile-model").click()
    _wait(browser, "return document.querySelector('pre.card') !== null")
    b = browser
    assert b.execute_script("return typeof window.__pwned") == "undefined"
    assert "pwned" not in b.title
    assert b.execute_script("return document.scripts.length") == 0
    card = b.execute_script("return document.querySelector('pre.card').textContent")
    assert "<script>window.__pwned=5</script>" in card  # shown as text
    assert b.execute_script("return document.querySelector('pre.card').children.length") == 0
    # Nothing from the card becomes an element; the site's own badge and lineage graph are
    # the only image and SVG a page may hold.
    for tag in ("img:not([src*='/badges/'])", "iframe", "svg:not(.lineage-graph)", "form",
                "style:not(head style)"):
        assert b.execute_script(f"return document.querySelectorAll(\"body {tag}\").length") \
            == 0
    protocols = b.execute_script("return Array.from(document.links).map(a => a.protocol)")
    assert set(protocols) <= {"http:", "https:"}
    handlers = b.execute_script(
        "return Array.from(document.querySelectorAll('*')).flatMap(e => "
        "Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on')).length")
    assert handlers == 0
    # the leaderboard and compare pages show its name as text too
    _open_grid(b, site_url + "/index.html#q=hostile")
    assert b.execute_script("return typeof window.__pwned") == "undefined"
    assert b.execute_script("return document.querySelectorAll('#grid tbody img, "
                            "#grid tbody script').length") == 0
