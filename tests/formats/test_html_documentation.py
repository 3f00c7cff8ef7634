"""The ``documentation`` section in the HTML report: real recorded cards, escaped text."""

from __future__ import annotations

import json
import re

from conftest import SHARED
from openscope.formats import html
from openscope.pipeline import audit_snapshot
from openscope.report import Report
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions

from .test_untrusted_card import assert_inert_html


def _reports_with_ethics(n: int) -> list[Report]:
    hub = SHARED / "hub"
    out = []
    for line in (hub / "index.jsonl").read_text().splitlines()[::25]:
        rid = json.loads(line)["id"]
        if not (hub / "models" / rid / "README.md").is_file():
            continue
        report = audit_snapshot(open_ref(f"hf:{rid}", SourceOptions(mirror=hub)))
        eth = (report.data.get("documentation") or {}).get("ethics") or {}
        if eth.get("listed"):
            out.append(report)
            if len(out) == n:
                break
    return out


def test_html_documentation_section() -> None:
    reports = _reports_with_ethics(3)
    assert len(reports) == 3
    for report in reports:
        doc = report.data["documentation"]
        page = html.render(report)
        assert_inert_html(page)
        assert '<h2 id="documentation">Documentation</h2>' in page
        card = doc["model_card"]
        assert (f"Model card: {card['filled']} of 13 Hugging Face template sections filled "
                f"(fill ratio {card['fill_ratio']:.2f})") in page
        table = page.split('id="doc-model-card"')[1].split("</table>")[0]
        assert table.count("<tr>") == 14  # header + 13 sections
        assert len(re.findall(r'st-met">filled<', table)) == card["filled"]
        eth = doc["ethics"]
        assert f"Ethical considerations: {eth['paragraphs']} paragraph(s)" in page
        ethics_table = page.split('id="doc-ethics"')[1].split("</table>")[0]
        assert ethics_table.count("<tr>") == len(eth["listed"]) + 1


def test_html_documentation_escapes_card_text() -> None:
    report = _reports_with_ethics(1)[0]
    data = json.loads(report.to_json())
    eth = data["documentation"]["ethics"]
    eth["listed"][0]["text"] = "<script>alert(1)</script>"
    eth["listed"][0]["themes"] = ["<img src=x onerror=alert(2)>"]
    data["documentation"]["model_card"]["sections"][0]["title"] = "<b onclick=x>t</b>"
    page = html.render(Report(data))
    assert_inert_html(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b onclick=x&gt;t&lt;/b&gt;" in page


def test_html_no_documentation_without_card() -> None:
    report = _reports_with_ethics(1)[0]
    data = json.loads(report.to_json())
    data["documentation"] = {"card": None}
    assert 'id="documentation"' not in html.render(Report(data))
