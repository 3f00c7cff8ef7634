"""``census --deep`` documentation columns and their roll-up in ``census report``.

A small deep census over real recorded Hub cards (``../shared/hub``, read as a mirror); every
row's documentation columns must equal those of the same card audited on its own, and the
report's roll-up must count them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
from click.testing import CliRunner

from census.conftest import read_rows
from openscope.census import CensusOptions, run_census
from openscope.cli.main import cli

HUB = Path(__file__).resolve().parents[2].parent / "shared" / "hub"


def test_deep_documentation_columns_and_report(tmp_path: Path) -> None:
    from openscope.census.deep import run_deep
    from openscope.census.verdicts import DOC_COLUMNS, doc_row
    from openscope.pipeline import audit_snapshot
    from openscope.sources.base import open_ref
    from openscope.sources.options import SourceOptions

    index = [json.loads(line) for line in (HUB / "index.jsonl").read_text().splitlines()]
    carded = [e["id"] for e in index if e.get("card")][::60][:30]
    listing = tmp_path / "l.jsonl"
    listing.write_text("\n".join(json.dumps({"id": i, "tags": []}) for i in carded) + "\n")
    out = tmp_path / "out"
    run_census(str(listing), out, CensusOptions(workers=1, keep_work=True))
    assert all(r["doc_card_fill"] is None for r in read_rows(out))  # metadata only: none
    run_deep(out, mirror=HUB)
    rows = read_rows(out)
    assert len(rows) == len(carded)
    with_ethics = 0
    for row in rows:
        snap = open_ref(f"hf:{row['id']}", SourceOptions(mirror=HUB))
        doc = audit_snapshot(snap).data["documentation"]
        assert {k: row[k] for k, _ in DOC_COLUMNS} == doc_row(doc)
        assert row["doc_sections_filled_n"] == doc["model_card"]["filled"]
        with_ethics += bool(row["doc_has_ethics"])
    assert 0 < with_ethics < len(rows)  # the sample has cards with and without
    assert len({r["doc_sections_filled_n"] for r in rows}) > 2

    res = CliRunner().invoke(cli, ["census", "report", str(out)])
    assert res.exit_code == 0, res.output
    report = out / "report"
    summary = {r["metric"]: r for r in
               pacsv.read_csv(report / "tables" / "documentation.csv").to_pylist()}
    assert summary["cards read"]["census"] == len(rows)
    share = summary["% of cards with ethics content (non-template)"]
    assert share["census"] == round(100 * with_ethics / len(rows), 2)
    assert abs(share["study"] - 9.95) < 0.01  # Gao et al.: 186 / 1,869
    behav = sum("behavioural_risks" in (r["doc_ethics_themes"] or "").split(",")
                for r in rows if r["doc_has_ethics"])
    assert summary["theme behavioural_risks: % of cards with ethics content"]["census"] == \
        round(100 * behav / with_ethics, 2)
    sections = {r["section"]: r for r in
                pacsv.read_csv(report / "tables" / "documentation_sections.csv").to_pylist()}
    filled = sum("citation" in (r["doc_sections_filled"] or "").split(",") for r in rows)
    assert sections["Citation"]["cards_filled"] == filled
    page = (report / "index.html").read_text()
    assert "Documentation and ethical considerations" in page and "Gao et al." in page
    headline = json.loads((report / "summary.json").read_text())["documentation"]
    assert headline["cards_read"] == len(rows)
