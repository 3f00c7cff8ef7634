"""``openscope licenses show / list / identify``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from openscope.cli.main import cli

from ._paths import CORPUS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_show_llama31_text() -> None:
    r = CliRunner().invoke(cli, ["licenses", "show", "llama3.1"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Llama 3.1 Community License Agreement" in out
    assert "700 million monthly active users" in out
    assert "2. Additional Commercial Terms" in out
    assert "sources" in out


def test_show_json() -> None:
    r = CliRunner().invoke(cli, ["licenses", "show", "Apache 2.0", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["id"] == "Apache-2.0" and d["osi_approved"] is True
    assert d["open_for"] == ["code", "data", "document"]
    assert d["status_by_content_type"]["data"] == "open"
    assert d["sources"]


def test_identify_json(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["licenses", "identify",
                                 str(CORPUS / "meta-llama__Llama-3/LICENSE"), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {"id", "name", "confidence", "candidates", "terms", "method"} <= set(d)
    assert d["id"] == "llama3"
    assert d["terms"]["user_threshold"] == "700M monthly active users"
    assert all({"id", "score"} <= set(c) for c in d["candidates"])


def test_identify_unknown_text(tmp_path: Path) -> None:
    f = tmp_path / "LICENSE"
    f.write_text("All rights reserved by nobody in particular. Ask first.\n" * 20)
    r = CliRunner().invoke(cli, ["licenses", "identify", str(f), "--format", "json"])
    d = json.loads(r.output)
    assert d["id"] is None and d["candidates"]


def test_identify_text_output_and_binary(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["licenses", "identify",
                                 str(CORPUS / "openai__whisper/LICENSE")])
    assert r.exit_code == 0 and "MIT" in r.output
    b = tmp_path / "LICENSE.bin"
    b.write_bytes(bytes(range(256)) * 100)
    r = CliRunner().invoke(cli, ["licenses", "identify", str(b)])
    assert r.exit_code == 0 and "not identified" in r.output


def test_list_kind() -> None:
    r = CliRunner().invoke(cli, ["licenses", "list", "--kind", "use-policy", "--format", "json"])
    assert r.exit_code == 0
    ids = {x["id"] for x in json.loads(r.output)}
    assert {"llama3.1-aup", "gemma-prohibited-use-policy"} <= ids


def test_errors_are_one_line_with_exit_codes(tmp_path: Path) -> None:
    r = _run("licenses", "show", "no-such-licence-xyz")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "unknown licence" in r.stderr
    assert "Traceback" not in r.stderr
    r = _run("licenses", "identify", str(tmp_path / "missing"))
    assert r.returncode == 3 and "no such file" in r.stderr
    r = _run("licenses", "identify", str(tmp_path))
    assert r.returncode == 3 and "directory" in r.stderr
    r = _run("licenses", "list", "--kind", "nope")
    assert r.returncode == 2


def test_scancode_backend_without_scancode_is_a_clear_error() -> None:
    from openscope.licenses import scancode_backend

    r = _run("licenses", "identify", str(CORPUS / "openai__whisper/LICENSE"),
             "--backend", "scancode")
    if scancode_backend.available():
        assert r.returncode == 0
    else:
        assert r.returncode == 2
        assert "pip install" in r.stderr and "Traceback" not in r.stderr
