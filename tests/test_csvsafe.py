"""Census CSV exports never carry a live spreadsheet formula from a release's metadata."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pacsv

from openscope import csvsafe
from openscope.census.diff import render


def test_string_columns_are_neutralised_and_numbers_kept() -> None:
    tbl = pa.table({"license": ["=HYPERLINK(\"http://x\",\"y\")", "apache-2.0", None],
                    "n": [1, -2, 3]})
    buf = io.BytesIO()
    pacsv.write_csv(csvsafe.table(tbl), buf)
    text = buf.getvalue().decode()
    assert "'=HYPERLINK" in text and "\n\"apache-2.0\"," in text and "-2" in text


def test_census_diff_csv_is_safe() -> None:
    result = {"a": "A", "b": "B", "added": ["@evil/model"], "removed": [],
              "changes": [{"id": "org/m", "field": "license", "old": "mit",
                           "new": "+cmd|' /C calc'!A0"}], "counts": {}}
    text = render(result, "csv")
    assert "'@evil/model" in text and "'+cmd" in text
