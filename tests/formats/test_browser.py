"""The HTML report in a real browser (Debian's headless Chromium driven by Selenium).

Set-up: ``scripts/install-browser.sh`` (apt-get installs ``chromium`` and
``chromium-driver``). Without the browser the test skips locally and fails in CI
(``CI=true``), so CI cannot pass without running it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import chromium
from openscope.formats import html
from openscope.pipeline import audit


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A headless Chromium with a fresh profile, JavaScript enabled."""
    yield from chromium(tmp_path_factory.mktemp("chromium-profile"))


def _open(browser: object, path: Path) -> None:
    browser.get(path.as_uri())  # type: ignore[attr-defined]


def test_browser_runs_scripts_at_all(browser: object, tmp_path: Path) -> None:
    """Control: the harness would notice a script that runs."""
    page = tmp_path / "control.html"
    page.write_text("<!DOCTYPE html><title>clean</title>"
                    "<script>document.title='pwned'; window.__pwned = 1;</script>")
    _open(browser, page)
    assert browser.title == "pwned"  # type: ignore[attr-defined]
    assert browser.execute_script("return window.__pwned") == 1  # type: ignore[attr-defined]


def test_html_report_renders_and_card_script_does_not_run(
        browser: object, malicious_release: Path, tmp_path: Path) -> None:
    report = audit(str(malicious_release))
    page = tmp_path / "report.html"
    page.write_text(html.render(report), encoding="utf-8")
    _open(browser, page)
    b: object = browser
    assert b.title == "openscope report: evil-model"  # type: ignore[attr-defined]
    assert b.execute_script("return typeof window.__pwned") == "undefined"  # type: ignore[attr-defined]
    rows = b.execute_script(  # type: ignore[attr-defined]
        "return document.querySelectorAll('#components tbody tr').length")
    assert rows == 17
    assert b.execute_script("return document.scripts.length") == 0  # type: ignore[attr-defined]
    visible = b.execute_script("return document.body.innerText")  # type: ignore[attr-defined]
    assert "<script>" in visible  # the attack is shown as text
    hrefs = b.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.links).map(a => a.protocol)")
    assert set(hrefs) <= {"http:", "https:"}
    # no handler attributes anywhere in the live DOM
    handlers = b.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('*')).flatMap(e => "
        "Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on')).length")
    assert handlers == 0


def test_tiny_example_renders(browser: object, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "tiny-open-model"
    page = tmp_path / "tiny.html"
    page.write_text(html.render(audit(str(example))), encoding="utf-8")
    _open(browser, page)
    b: object = browser
    assert "tiny-open-model" in b.title  # type: ignore[attr-defined]
    cells = b.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('#components tbody tr td:nth-child(4)'))"
        ".map(td => getComputedStyle(td.querySelector('.st')).backgroundColor)")
    assert len(cells) == 17 and len(set(cells)) >= 2  # status colours applied
