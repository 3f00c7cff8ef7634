"""Card text is untrusted: nothing from it becomes live HTML or a live Markdown link."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema

from openscope.formats import FORMATS, html, markdown, sarif
from openscope.pipeline import audit
from openscope.report import Report

from .test_corpus_formats import CHECKS


class _Collector(HTMLParser):
    """Every start tag and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p",
                "div", "span", "code", "table", "thead", "tbody", "tr", "th", "td", "ul",
                "li", "a", "b"}


def assert_inert_html(page: str) -> None:
    """Only openscope's own tags and attributes; links only to http(s)."""
    parser = _Collector()
    parser.feed(page)
    assert parser.tags
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in {"class", "id", "href", "rel", "lang", "charset", "http-equiv",
                            "content", "name", "style"}, (tag, name)
            if name == "href":
                assert value and re.match(r"^https?://", value), value
    assert "<script" not in page.lower()


def assert_inert_markdown(text: str) -> None:
    """No raw HTML, and every link target is http(s)."""
    assert "<" not in text.replace("&lt;", ""), "raw '<' in Markdown"
    for target in re.findall(r"\]\(([^)]*)\)", text):
        assert re.match(r"^https?://", target), target


def test_malicious_card_is_escaped_in_html_and_markdown(malicious_release: Path) -> None:
    report = audit(str(malicious_release))
    raw = report.to_json()
    assert "<script>" in raw  # the attack reaches the report ...
    page = html.render(report)
    assert_inert_html(page)  # ... and goes no further
    assert "&lt;script&gt;" in page
    assert_inert_markdown(markdown.render(report))


def _poison(value: Any) -> Any:
    """Replace every string in a report with an attack (keeping enum-like fields)."""
    if isinstance(value, dict):
        return {k: (v if k in ("status", "outcome", "kind", "method", "content_type")
                    else _poison(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v) for v in value]
    if isinstance(value, str):
        return value + "<script>alert(1)</script><img src=x onerror=alert(2)>"
    return value


def test_every_report_field_is_escaped(malicious_release: Path) -> None:
    data = copy.deepcopy(audit(str(malicious_release)).data)
    data["lineage"] = [{"ref": "hf:evil/base", "depth": 1, "relation": "finetune",
                        "child": "local:evil", "status": "collected",
                        "url": "javascript:alert(1)", "license": "<b>x</b>"}]
    for comp in data["components"]:
        comp["evidence"].append({"kind": "code.repo", "value": "x", "method": "inferred",
                                 "url": "javascript:alert(1)"})
        comp["evidence"].append({"kind": "code.repo", "value": "x", "method": "inferred",
                                 "url": "https://ok.example/\"onmouseover=\"alert(1)"})
    poisoned = Report(_poison(data))
    assert_inert_html(html.render(poisoned))
    assert_inert_markdown(markdown.render(poisoned))


def test_markdown_escape_and_links() -> None:
    assert markdown.md("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert markdown.md("<img src=x>") == "&lt;img src=x&gt;"
    assert markdown.md("a | b\nc") == "a \\| b c"
    assert markdown.link("x", "javascript:alert(1)") == "x"
    assert markdown.link("x", "https://a.example/(b)") == "[x](https://a.example/%28b%29)"


def test_html_links_only_http() -> None:
    assert str(html.link("x", "javascript:alert(1)")) == "x"
    assert str(html.link("x", "data:text/html,<script>")) == "x"
    assert str(html.link("<b>", "https://a.example/")) == (
        '<a href="https://a.example/" rel="noopener noreferrer nofollow">&lt;b&gt;</a>')


def test_malicious_card_still_gives_valid_exports(malicious_release: Path) -> None:
    report = audit(str(malicious_release))
    for name, renderer in FORMATS.items():
        text = renderer(report, False)
        if name == "sarif":  # the corpus check also matches files against the corpus listing
            errors = list(jsonschema.Draft4Validator(sarif.schema()).iter_errors(
                json.loads(text)))
            assert not errors, errors[0]
        else:
            CHECKS[name](report, text)
