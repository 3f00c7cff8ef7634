"""Census inputs (JSON array, Parquet, mirror folder, live listing), report, diff, CLI."""

from __future__ import annotations

import copy
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from census.conftest import head_lines, read_rows
from openscope.census import CensusOptions, run_census
from openscope.cli.main import cli

HUB = Path(__file__).resolve().parents[2].parent / "shared" / "hub"


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in head_lines(300)]


def _ids(out: Path) -> list[object]:
    return [r["id"] for r in read_rows(out)]


def test_json_array_and_parquet_inputs(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    (tmp_path / "list.json").write_text(json.dumps(records))
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "list.parquet")
    (tmp_path / "list.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    outs = {}
    for name in ("list.json", "list.parquet", "list.jsonl"):
        out = tmp_path / f"out-{name}"
        run_census(str(tmp_path / name), out, CensusOptions(workers=1, rows_per_partition=128))
        outs[name] = read_rows(out)
    assert [r["id"] for r in outs["list.json"]] == [r["id"] for r in records]
    strip = [{k: v for k, v in r.items() if k != "created_at"} for r in outs["list.jsonl"]]
    for name in ("list.json", "list.parquet"):
        assert [{k: v for k, v in r.items() if k != "created_at"} for r in outs[name]] == strip


def test_mirror_folder_input(tmp_path: Path) -> None:
    mirror = tmp_path / "hub"
    ids = [json.loads(line)["id"] for line in
           (HUB / "index.jsonl").read_text().splitlines()[:40]]
    ids += ["gpt2"] if (HUB / "models" / "gpt2").is_dir() else []
    for rid in ids:
        shutil.copytree(HUB / "models" / rid, mirror / "models" / rid)
    (mirror / "index.jsonl").write_text("\n".join(json.dumps({"id": i}) for i in ids) + "\n")
    manifest = run_census(str(mirror), tmp_path / "out", CensusOptions(workers=1))
    rows = read_rows(tmp_path / "out")
    assert _ids(tmp_path / "out") == ids
    assert manifest["counts"]["rich"] > 0  # details records (with a file listing) ...
    from openscope.census.verdicts import VERDICT_COLUMNS, audit_record
    from openscope.sources.mirror import HubMirror

    m = HubMirror(mirror)
    for row in rows:  # ... are audited on their own, exactly like `audit`
        record = m.record("model", str(row["id"]))
        assert record is not None
        assert {k: row[k] for k, _ in VERDICT_COLUMNS} == audit_record(record)


class _ListHandler(BaseHTTPRequestHandler):
    records: list[dict[str, Any]] = []  # noqa: RUF012 - set by the fixture

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/api/models":
            self.send_response(404)
            self.end_headers()
            return
        query = parse_qs(parts.query)
        rows = [r for r in self.records
                if "author" not in query or r["id"].startswith(query["author"][0] + "/")]
        start = int(query.get("cursor", ["0"])[0])
        page = rows[start:start + 4]
        body = json.dumps(page).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if start + 4 < len(rows):
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            self.send_header("Link", f'<{host}/api/models?cursor={start + 4}>; rel="next"')
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def list_server(records: list[dict[str, Any]],
                monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    _ListHandler.records = copy.deepcopy(records[:30])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ListHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", url)
    yield url
    server.shutdown()


def test_live_listing_through_huggingface_hub(list_server: str, tmp_path: Path,
                                              records: list[dict[str, Any]]) -> None:
    out = tmp_path / "live"
    manifest = run_census("hub:?limit=10", out, CensusOptions(workers=1))
    assert manifest["input"]["kind"] == "hub" and manifest["counts"]["rows"] == 10
    rows = read_rows(out)
    assert [r["id"] for r in rows] == [r["id"] for r in records[:10]]
    assert [r["license_tags"] for r in rows] == [
        [t[8:] for t in r.get("tags", []) if t.startswith("license:")] for r in records[:10]]


def test_report_and_diff(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    a = copy.deepcopy(records[:200])
    b = [*copy.deepcopy(records[10:200]), {"id": "new/model", "tags": ["license:mit"]}]
    b[0]["tags"] = [t for t in b[0].get("tags", []) if not t.startswith("license:")] + \
        ["license:cc-by-nc-4.0"]
    for name, recs in (("a", a), ("b", b)):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
        run_census(str(tmp_path / f"{name}.jsonl"), tmp_path / name, CensusOptions(workers=1))
    runner = CliRunner()
    res = runner.invoke(cli, ["census", "report", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    report = tmp_path / "a" / "report"
    for name in ("concentration", "licence_by_month", "profiles", "lineage", "organisations",
                 "openwashing"):
        assert (report / "tables" / f"{name}.csv").is_file()
        assert (report / "tables" / f"{name}.parquet").is_file()
    for chart in ("licence_by_month", "downloads", "profiles", "organisations"):
        assert (report / "charts" / f"{chart}.png").stat().st_size > 1000
        assert (report / "charts" / f"{chart}.svg").is_file()
    page = (report / "index.html").read_text()
    assert "<script" not in page and "Concentration of downloads" in page
    res = runner.invoke(cli, ["census", "diff", str(tmp_path / "a"), str(tmp_path / "b"),
                              "-f", "json"])
    assert res.exit_code == 0, res.output
    diff = json.loads(res.output)
    assert diff["added"] == ["new/model"]
    assert diff["removed"] == sorted(r["id"] for r in records[:10])
    changed = {(c["id"], c["field"]) for c in diff["changes"]}
    assert (b[0]["id"], "license") in changed
    res = runner.invoke(cli, ["census", "diff", str(tmp_path / "a"), str(tmp_path / "b"),
                              "-f", "csv"])
    assert res.output.splitlines()[0] == "change,id,field,old,new"


def test_html_escapes_text(tmp_path: Path) -> None:
    recs = [{"id": "<script>alert(1)</script>/x", "downloads": 5, "tags": ["license:mit"]},
            {"id": "org/y", "downloads": 0}]
    (tmp_path / "l.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    run_census(str(tmp_path / "l.jsonl"), tmp_path / "o", CensusOptions(workers=1))
    res = CliRunner().invoke(cli, ["census", "report", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "o" / "report" / "index.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(("args", "code"), [
    (["census", "/nonexistent/listing.jsonl", "-o", "OUT"], 3),
    (["census", "x.unknownext", "-o", "OUT"], 2),
    (["census", "hub:?colour=red", "-o", "OUT"], 2),
    (["census", "report", "/nonexistent"], 3),
    (["census", "LISTING", "-o", "OUT", "--mirror", "."], 2),
])
def test_errors_are_one_line(args: list[str], code: int, tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "x.unknownext").write_text("{}\n")
    (tmp_path / "LISTING").write_text("{}\n")
    proc = subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == code, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_help_texts() -> None:
    runner = CliRunner()
    for args in (["census", "--help"], ["census", "run", "--help"],
                 ["census", "report", "--help"], ["census", "diff", "--help"]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 0 and "Usage" in res.output


def test_deep_uses_cards_and_licence_files(tmp_path: Path) -> None:
    from openscope.census.deep import deep_key, run_deep
    from openscope.census.verdicts import VERDICT_COLUMNS, verdict_row
    from openscope.pipeline import audit_snapshot
    from openscope.sources.base import open_ref
    from openscope.sources.options import SourceOptions

    index = [json.loads(line) for line in (HUB / "index.jsonl").read_text().splitlines()]
    carded = [e["id"] for e in index if e.get("card")][:25]
    listing = tmp_path / "l.jsonl"
    listing.write_text("\n".join(json.dumps({"id": i, "tags": []}) for i in carded) + "\n")
    out = tmp_path / "out"
    run_census(str(listing), out, CensusOptions(workers=1, keep_work=True))
    manifest = run_deep(out, mirror=HUB)
    assert manifest["counts"]["deep"] == len(carded)
    rows = read_rows(out)
    for row in rows:
        assert row["verdict_key"] == deep_key(str(row["id"]))
        snap = open_ref(f"hf:{row['id']}", SourceOptions(mirror=HUB))
        assert {k: row[k] for k, _ in VERDICT_COLUMNS} == verdict_row(audit_snapshot(snap))
    assert any(row["weights_license"] for row in rows)  # licences read from the cards


def test_deep_through_the_hub_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openscope.census.deep import deep_key, run_deep
    from openscope.testing import HubServer

    index = [json.loads(line) for line in (HUB / "index.jsonl").read_text().splitlines()]
    carded = [e["id"] for e in index if e.get("card")][30:38]
    listing = tmp_path / "l.jsonl"
    listing.write_text("\n".join(json.dumps({"id": i, "tags": ["license:other"]})
                                 for i in carded) + "\n")
    out = tmp_path / "out"
    run_census(str(listing), out, CensusOptions(workers=1, keep_work=True))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with HubServer(HUB) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        manifest = run_deep(out, limit=5)
    assert manifest["counts"]["deep_selected"] == 5 and manifest["counts"]["deep"] == 5
    rows = read_rows(out)
    assert sum(r["verdict_key"] == deep_key(str(r["id"])) for r in rows) == 5


def test_live_listing_offline_is_one_line_and_exit_3(tmp_path: Path) -> None:
    import os as _os
    import subprocess as _sp
    import sys as _sys

    env = dict(_os.environ, HF_HUB_OFFLINE="1")
    proc = _sp.run([_sys.executable, "-m", "openscope", "census", "hub:?author=x", "-o",
                    str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "HF_HUB_OFFLINE" in proc.stderr and "internal error" not in proc.stderr
