"""Fixtures for census tests: samples of the real Hub listing in ``../shared/census``."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import tempfile
from pathlib import Path

import pytest

# A verdict cache private to this test process (subprocesses inherit it).
os.environ["OPENSCOPE_CENSUS_CACHE"] = tempfile.mkdtemp(prefix="openscope-census-cache-")

LISTING = Path(__file__).resolve().parents[2].parent / "shared" / "census" / \
    "hf-models-2024-07.jsonl.gz"


def head_lines(n: int) -> list[str]:
    """The first ``n`` lines of the shared listing."""
    if not LISTING.is_file():
        pytest.fail(f"shared listing not found at {LISTING}")
    with gzip.open(LISTING, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in itertools.islice(fh, n)]


@pytest.fixture(scope="session")
def sample20k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 20,000 records of the listing, gzipped as the original."""
    path = tmp_path_factory.mktemp("listing") / "sample.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(head_lines(20_000)) + "\n")
    return path


@pytest.fixture(scope="session")
def records20k() -> list[dict[str, object]]:
    """The same 20,000 records, parsed with plain Python."""
    return [json.loads(line) for line in head_lines(20_000)]


@pytest.fixture(scope="session")
def census20k(sample20k: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A census of the 20k sample (in process, 4 partitions)."""
    from openscope.census import CensusOptions, run_census

    out = tmp_path_factory.mktemp("census") / "out"
    run_census(str(sample20k), out, CensusOptions(rows_per_partition=5_000, workers=1))
    return out


def read_rows(out: Path) -> list[dict[str, object]]:
    """The release table of a census, in input order."""
    import duckdb

    con = duckdb.connect()
    rows = con.sql(f"SELECT * FROM read_parquet('{out}/releases/*.parquet') ORDER BY seq")
    table = rows.to_arrow_table()
    return table.to_pylist()  # type: ignore[no-any-return]
