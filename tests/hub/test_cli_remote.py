"""The audit command with remote refs: --mirror, many refs, --from-file, --offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openscope.testing.hubserver import HubServer

from .conftest import MIRROR


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    full_env.pop("HF_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "openscope", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        check=False,
    )


def test_many_refs_one_failing(tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("# a comment\nhf-dataset:squad\n\nhf:nobody/missing\n")
    out = run(
        "audit",
        "--mirror",
        str(MIRROR),
        "hf:gpt2",
        "--from-file",
        str(refs),
        "-f",
        "json",
        "--no-cache",
    )
    assert out.returncode == 3
    reports = json.loads(out.stdout)
    assert [r["subject"]["ref"] for r in reports] == ["hf:gpt2", "hf-dataset:squad"]
    assert "hf:nobody/missing: not found" in out.stderr
    assert "Traceback" not in out.stderr


def test_server_then_offline_from_cache(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    with HubServer(MIRROR) as hub:
        online = run(
            "audit",
            "hf:01-ai/Yi-34B",
            "--cache-dir",
            cache,
            "-f",
            "json",
            env={"HF_ENDPOINT": hub.url},
        )
        assert online.returncode == 0, online.stderr
        before = len(hub.requests)
        offline = run(
            "audit",
            "hf:01-ai/Yi-34B",
            "--cache-dir",
            cache,
            "-f",
            "json",
            "--offline",
            env={"HF_ENDPOINT": hub.url},
        )
        after = len(hub.requests)
    assert offline.returncode == 0 and offline.stdout == online.stdout
    assert after == before  # offline: the cache answered, the server saw nothing
    mirror = run("audit", "--mirror", str(MIRROR), "hf:01-ai/Yi-34B", "-f", "json")
    a, b = json.loads(online.stdout), json.loads(mirror.stdout)
    for r in (a, b):
        r["subject"].pop("source")
        r["subject"].pop("retrieved_at")
    assert a == b


def test_offline_miss_is_one_clear_line(tmp_path: Path) -> None:
    out = run("audit", "hf:01-ai/Yi-34B", "--cache-dir", str(tmp_path), "--offline")
    assert out.returncode == 3
    assert out.stderr.strip().count("\n") == 0 and "offline" in out.stderr


def test_report_shows_lineage_and_linked_datasets(tmp_path: Path) -> None:
    import shutil

    mirror = tmp_path / "mirror"
    for repo, base, lic in (("o/child", "o/parent", "apache-2.0"), ("o/parent", None, "llama2")):
        folder = mirror / "models" / repo
        folder.mkdir(parents=True)
        front = f"license: {lic}\ndatasets: [squad, nobody/missing]\n"
        front += f"base_model: {base}\n" if base else ""
        (folder / "README.md").write_text(f"---\n{front}---\n# {repo}\n")
    shutil.copytree(MIRROR / "datasets" / "squad", mirror / "datasets" / "squad")
    out = run("audit", "--mirror", str(mirror), "hf:o/child", "-f", "json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    [entry] = report["lineage"]
    assert entry["ref"] == "hf:o/parent" and entry["license"] == "llama2"
    assert entry["license_differs"] is True and set(entry["dimensions"]) >= {"weights", "data"}
    assert any("1 linked resource(s) not verified" in n for n in report["notes"])
    none = run("audit", "--mirror", str(mirror), "hf:o/child", "-f", "json", "--lineage-depth", "0")
    assert "lineage" not in json.loads(none.stdout)
