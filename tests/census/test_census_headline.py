"""Headline numbers of a census match counts computed independently with plain Python."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from census.conftest import read_rows

pytestmark = pytest.mark.slow  # a 20,000-record census


def _expected(records: list[dict[str, object]]) -> dict[str, float]:
    downloads = sorted((int(r.get("downloads") or 0) for r in records), reverse=True)  # type: ignore[call-overload]
    total = sum(downloads)
    top1 = downloads[: max(1, len(downloads) // 100)]
    return {
        "rows": len(records),
        "licensed": sum(1 for r in records
                        if any(str(t).startswith("license:") for t in r.get("tags") or [])),  # type: ignore[attr-defined]
        "zero_share": sum(1 for d in downloads if d == 0) / len(downloads),
        "top1_share": sum(top1) / total,
    }


def test_counts_match_plain_python(census20k: Path, records20k: list[dict[str, object]]) -> None:
    want = _expected(records20k)
    con = duckdb.connect(str(census20k / "census.duckdb"), read_only=True)
    rows, licensed, zero = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE len(license_tags) > 0), "
        "avg((downloads = 0)::INT) FROM releases").fetchall()[0]
    assert rows == want["rows"] == 20_000
    assert licensed == want["licensed"]
    assert abs(zero - want["zero_share"]) < 1e-12
    top1 = con.execute(
        "SELECT sum(downloads) FILTER (WHERE rk <= ?) / sum(downloads) FROM "
        "(SELECT downloads, row_number() OVER (ORDER BY downloads DESC) AS rk FROM releases)",
        [20_000 // 100]).fetchall()[0][0]
    assert abs(top1 - want["top1_share"]) < 1e-12


def test_rows_follow_the_input(census20k: Path, records20k: list[dict[str, object]]) -> None:
    rows = read_rows(census20k)
    assert [r["id"] for r in rows] == [r["id"] for r in records20k]
    assert [r["seq"] for r in rows] == list(range(len(records20k)))
    for row, rec in zip(rows[:500], records20k[:500], strict=True):
        tags = [str(t) for t in rec.get("tags") or []]  # type: ignore[attr-defined]
        assert row["license_tags"] == [t[8:] for t in tags if t.startswith("license:")]
        assert row["datasets"] == [t[8:] for t in tags if t.startswith("dataset:")]
        assert row["arxiv"] == [t[6:] for t in tags if t.startswith("arxiv:")]
        assert row["downloads"] == rec["downloads"] and row["likes"] == rec["likes"]
        assert row["error"] is None


def test_manifest_and_database(census20k: Path) -> None:
    manifest = json.loads((census20k / "manifest.json").read_text())
    assert manifest["counts"]["rows"] == 20_000
    assert manifest["counts"]["errors"] == 0
    assert manifest["key_check"]["checked"] > 0
    assert manifest["key_check"]["mismatches"] == 0
    assert manifest["input"]["sha256"] and manifest["criteria"]["mof"]
    con = duckdb.connect(str(census20k / "census.duckdb"), read_only=True)
    db = con.sql("SELECT * FROM releases ORDER BY seq").fetchall()
    pq = con.sql(f"SELECT * FROM read_parquet('{census20k}/releases/*.parquet') ORDER BY seq")
    assert db == pq.fetchall()
    assert not (census20k / ".work").exists()


def test_database_reads_the_parquet_dataset_from_any_directory(
        census20k: Path, tmp_path: Path, monkeypatch: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[attr-defined]
    con = duckdb.connect(str(census20k / "census.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM releases").fetchall()[0][0] == 20_000
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"verdicts", "licenses", "manifest", "releases"} <= tables


def test_empty_listing_gives_an_empty_releases_view(tmp_path: Path) -> None:
    from openscope.census import CensusOptions, run_census
    from openscope.census.assemble import column_order

    listing = tmp_path / "empty.jsonl"
    listing.write_text("")
    out = tmp_path / "out"
    manifest = run_census(str(listing), out, CensusOptions(workers=1))
    assert manifest["counts"]["rows"] == 0
    con = duckdb.connect(str(out / "census.duckdb"), read_only=True)
    assert [r[0] for r in con.execute("DESCRIBE releases").fetchall()] == column_order()
    assert con.execute("SELECT count(*) FROM releases").fetchall()[0][0] == 0
