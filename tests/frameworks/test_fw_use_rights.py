"""``use:`` specs of ``openscope check``: use rights from the licence knowledge base's terms
of the weights' licence, and licence compatibility with base models and named datasets,
on real releases of the shared Hub mirror."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED
from helpers import write_release
from openscope.errors import UsageError
from openscope.frameworks import gate, use_rights
from openscope.licenses import check_laundering, classify

SRC = str(Path(__file__).resolve().parents[2] / "src")
HUB = SHARED / "hub"

needs_mirror = pytest.mark.skipif(not (HUB / "models").is_dir(),
                                  reason="needs the shared Hub mirror")


def check(ref: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", "check", ref, "--mirror",
                           str(HUB), "--offline", "--no-cache", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": SRC})


def results(ref: str, *specs: str) -> dict[str, dict]:
    args = [a for s in specs for a in ("-r", s)]
    proc = check(ref, *args, "-f", "json")
    assert proc.returncode in (0, 1, 3), proc.stderr
    return {r["require"]: r for r in json.loads(proc.stdout)["results"]}


def test_specs_parse_and_are_listed() -> None:
    for spec in (*use_rights.SPECS, "lineage-compatible", "USE:Commercial"):
        assert gate.parse_spec(spec).kind == "use"
        assert use_rights.canonical(spec) in gate.SPEC_HELP
    assert gate.parse_spec("lineage-compatible").arg == "use:compatible"
    with pytest.raises(UsageError):
        gate.parse_spec("use:everything")


@needs_mirror
def test_llama2_release_allows_commercial_use_but_caps_users() -> None:
    got = results("hf:TheBloke/Llama-2-7B-GPTQ", "use:commercial", "use:modify",
                  "use:redistribute", "use:no-user-cap", "use:no-field-of-use", "use:ship")
    assert {k: v["outcome"] for k, v in got.items()} == {
        "use:commercial": "met", "use:modify": "met", "use:redistribute": "met",
        "use:no-user-cap": "unmet", "use:no-field-of-use": "unmet", "use:ship": "unmet"}
    (cap,) = got["use:no-user-cap"]["requirements"]
    assert "700M monthly active users" in cap["reason"]
    assert any("2. Additional Commercial Terms" in e for e in cap["evidence"])
    assert any(e.startswith("README.md") for e in cap["evidence"])  # where the licence is
    ship_ids = {d["id"] for d in got["use:ship"]["requirements"]}
    assert ship_ids == {"use:no-user-cap", "use:no-field-of-use"}


@needs_mirror
def test_non_commercial_release_fails_commercial_use() -> None:
    got = results("hf:MBZUAI/LaMini-Flan-T5-783M", "use:commercial", "use:modify")
    assert got["use:commercial"]["outcome"] == "unmet"
    assert "CC-BY-NC-4.0" in got["use:commercial"]["reason"]
    assert got["use:modify"]["outcome"] == "met"


@needs_mirror
def test_apache_release_may_ship() -> None:
    got = results("hf:teknium/OpenHermes-2.5-Mistral-7B", "use:ship")
    assert got["use:ship"]["outcome"] == "met", got


def test_unknown_licence_is_unknown(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: other\n---\n# Model\n\nWeights.\n")
    proc = check(str(rel), "-r", "use:commercial")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "? unknown use:commercial" in proc.stdout
    bare = write_release(tmp_path / "bare", "# Model\n\nWeights.\n")
    proc = check(str(bare), "-r", "use:ship", "--strict")
    assert proc.returncode == 1 and "no licence found for the weights" in proc.stdout


# --- lineage compatibility -----------------------------------------------------------------

def test_laundering_covers_non_commercial_and_share_alike_bases() -> None:
    nc = check_laundering(classify("llama3"), classify("cc-by-nc-4.0"))
    assert nc is not None and "forbids" in nc.message
    sa = check_laundering(classify("mit"), classify("cc-by-sa-4.0"))
    assert sa is not None and "share-alike" in sa.message
    assert check_laundering(classify("mit"), classify("cc-by-sa-4.0"), share_alike=False) is None
    assert check_laundering(classify("cc-by-sa-4.0"), classify("cc-by-sa-4.0")) is None
    assert check_laundering(classify("mit"), classify("apache-2.0")) is None


@needs_mirror
def test_fine_tune_more_permissive_than_its_base_is_unmet() -> None:
    # an MIT-licensed LoRA of a base under CreativeML Open RAIL++-M
    proc = check("hf:minimaxir/sdxl-wrong-lora", "-r", "use:compatible")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "lineage:hf:stabilityai/stable-diffusion-xl-base-1.0" in proc.stdout
    assert "4.a Distribution and Redistribution" in proc.stdout
    # the same spec under its alias, waived: passes, and says so
    proc = check("hf:minimaxir/sdxl-wrong-lora", "-r", "lineage-compatible", "--waive",
                 "lineage:hf:stabilityai/stable-diffusion-xl-base-1.0:false-positive:"
                 "licensed separately by the base's owner")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "waived" in proc.stdout


@needs_mirror
def test_fine_tune_under_its_base_licence_is_met() -> None:
    got = results("hf:teknium/OpenHermes-2.5-Mistral-7B", "use:compatible")
    assert got["use:compatible"]["outcome"] == "met"
    got = results("hf:HuggingFaceH4/zephyr-7b-beta", "use:compatible")
    # MIT from an Apache-2.0 base is allowed; datasets it names are not all in the mirror
    assert not any(d["id"].startswith("lineage:") for d in
                   got["use:compatible"]["requirements"])


@needs_mirror
def test_uncollected_datasets_are_named_as_unknown() -> None:
    got = results("hf:PygmalionAI/pygmalion-2-13b", "use:compatible")
    res = got["use:compatible"]
    assert res["outcome"] == "unknown"
    ids = {d["id"] for d in res["requirements"]}
    assert "dataset:hf-dataset:databricks/databricks-dolly-15k" in ids
    assert all("not collected" in d["reason"] for d in res["requirements"])
