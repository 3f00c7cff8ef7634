"""`openscope compare`: real mirror releases and the bundled example side by side."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, SHARED
from openscope.explorer.compare import comparison, to_html, to_markdown
from openscope.pipeline import audit

HUB = SHARED / "hub"
#: Three real Hub records with different licences: none identified from the card
#: (llama3 tag only), CC-BY-NC-4.0, BigCode OpenRAIL-M.
REFS = ["hf:0xlws/musicgen-large", "hf:bigcode/starcoder"]


def _run(*args: str) -> tuple[int, str, str]:
    """Run the real command line (exit codes come from its error boundary)."""
    proc = subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_json_rows_cover_every_section_and_mark_differences() -> None:
    code, out, err = _run("compare", str(EXAMPLE), *REFS, "--mirror", str(HUB), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [r["name"] for r in data["releases"]] == ["tiny-open-model", "0xlws/musicgen-large",
                                                     "bigcode/starcoder"]
    rows = {(r["section"], r["field"]): r for r in data["rows"]}
    assert len([k for k in rows if k[0] == "components"]) == 17
    assert len([k for k in rows if k[0] == "Open Source AI Index"]) == 13  # 12 + score
    for key in [("verdicts", "MOF class (proven)"), ("verdicts", "MOF class (attainable)"),
                ("verdicts", "OSAID 1.0"), ("verdicts", "EU AI Act exemption")]:
        assert key in rows
    # the licence knowledge base's terms: Apache allows, CC-BY-NC forbids, OpenRAIL restricts use
    commercial = rows[("licence terms", "commercial use")]
    assert commercial["values"] == ["yes", "no", "yes"] and commercial["differs"]
    assert rows[("licence terms", "field-of-use restrictions")]["values"] == ["no", "unknown",
                                                                               "yes"]
    assert rows[("licence terms", "usable commercially")]["values"][:2] == ["yes", "no"]
    assert rows[("release", "kind")]["differs"] is False
    weights = rows[("components", "Model parameters (Final)")]["values"]
    assert weights[0] == "open (Apache-2.0)" and "bigcode-openrail-m" in weights[2]


def test_user_cap_comes_from_the_licence_kb() -> None:
    llama = {"subject": {"ref": "hf:x/y", "kind": "model"},
             "components": [{"name": "Model parameters (Final)", "status": "restricted",
                             "available": True, "license": {"id": "llama3.1"}}]}
    table = comparison([audit(str(EXAMPLE)).data, llama])
    rows = {r.field: r for r in table.rows}
    assert rows["user cap"].values == ("none recorded", "700M monthly active users")
    assert rows["user cap"].differs


def test_csv_markdown_html_and_text(tmp_path: Path) -> None:
    code, out, err = _run("compare", str(EXAMPLE), REFS[1], "--mirror", str(HUB), "-f", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["section", "field", "differs", "tiny-open-model", "bigcode/starcoder"]
    assert ["dimensions", "code", "yes", "open", "restricted"] in rows
    table = comparison([audit(str(EXAMPLE)).data, audit(str(EXAMPLE)).data])
    assert not any(r.differs for r in table.rows)
    md = to_markdown(comparison([audit(str(EXAMPLE)).data,
                                 json.loads(_run("audit", REFS[1], "--mirror", str(HUB),
                                                 "-f", "json")[1])]))
    assert "| **≠** | code | **open** | **restricted** |" in md
    page = to_html(table)
    assert "<script" not in page and 'class="diff"' not in page
    out_file = tmp_path / "c.txt"
    code, _, err = _run("compare", str(EXAMPLE), REFS[1], "--mirror", str(HUB), "-o",
                        str(out_file))
    assert code == 0, err
    text = out_file.read_text()
    assert "≠" in text and "Model parameters (Final)" in text and "\x1b[" not in text


def test_html_escapes_card_values(malicious_release: Path) -> None:
    page = to_html(comparison([audit(str(malicious_release)).data, audit(str(EXAMPLE)).data]))
    assert "<script>" not in page.split("</style>", 1)[1]
    assert 'class="diff"' in page


def test_one_failing_ref_is_reported_and_two_still_compared() -> None:
    code, out, err = _run("compare", str(EXAMPLE), REFS[1], "hf:no-such/model-here",
                          "--mirror", str(HUB), "-f", "json")
    assert code == 3
    assert "no-such/model-here" in err and "1 of 3 refs" in err
    assert len(json.loads(out)["releases"]) == 2


def test_usage_errors() -> None:
    code, _, err = _run("compare", str(EXAMPLE))
    assert code == 2 and "at least two" in err
    code, _, err = _run("compare", str(EXAMPLE), "/no/such/folder")
    assert code == 3 and "Traceback" not in err
