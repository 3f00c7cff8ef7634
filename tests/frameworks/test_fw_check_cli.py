"""``openscope check`` exit codes, policy files and annotations; ``openscope explain``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_release

OPEN_CARD = """---
license: apache-2.0
datasets:
- example/corpus
---
# A small open model

## Intended uses

Text generation for research and products.

## How to use

```python
from transformers import pipeline
```

## Training data

Public-domain books, deduplicated and filtered for language, described in detail.
"""
CODE = {"config.json": '{"architectures": ["TinyForCausalLM"]}',
        "train.py": "# training loop\n", "preprocess_data.py": "# filtering\n",
        "evaluate.py": "# evaluation\n"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture()
def release(tmp_path: Path) -> Path:
    return write_release(tmp_path / "rel", OPEN_CARD, dict(CODE))


def test_met_requirement_exits_0(release: Path) -> None:
    proc = run("check", str(release), "--require", "eu-exemption")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ met" in proc.stdout and "result: all requirements met" in proc.stdout


def test_unmet_requirement_exits_1_with_remediation(release: Path) -> None:
    proc = run("check", str(release), "--require", "mof:1", "--require", "eu-exemption")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "✗ unmet" in proc.stdout and "fix:" in proc.stdout


def test_unknown_exits_3_and_strict_makes_it_1(release: Path) -> None:
    # supporting libraries are never identified here, so OSAID stays unknown
    proc = run("check", str(release), "--require", "osaid")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "cannot assess" in proc.stdout
    strict = run("check", str(release), "--require", "osaid", "--strict")
    assert strict.returncode == 1


def test_unmet_wins_over_unknown(release: Path) -> None:
    proc = run("check", str(release), "--require", "osaid", "--require", "mof:1")
    assert proc.returncode == 1


def test_json_output(release: Path) -> None:
    proc = run("check", str(release), "--require", "osai-index:0.2", "--require",
               "eu.weights-public", "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == data["exit_code"] == 0
    assert [r["require"] for r in data["results"]] == ["osai-index:0.2", "eu.weights-public"]
    assert all(r["outcome"] == "met" for r in data["results"])


def test_policy_file_supplies_requirements_and_strictness(release: Path) -> None:
    (release / ".openscope.toml").write_text('require = ["osaid"]\nstrict = true\n')
    proc = run("check", str(release), "--policy", str(release))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "policy: " in proc.stdout and "[strict]" in proc.stdout
    # the command line replaces the policy's list
    assert run("check", str(release), "--policy", str(release / ".openscope.toml"),
               "--require", "eu-exemption").returncode == 0


def test_pyproject_tool_openscope_table(release: Path) -> None:
    (release / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.openscope]\nrequire = ["eu-exemption", "mof:1"]\n')
    proc = run("check", str(release), "--format", "json", "--policy", str(release))
    data = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert data["policy"].endswith("pyproject.toml")


def test_annotations_are_shown_and_never_change_the_result(release: Path) -> None:
    before = run("check", str(release), "--require", "osaid", "--strict")
    (release / ".openscope.toml").write_text(
        '[[annotations]]\nrequirement = "osaid.supporting-libraries"\n'
        'reason = "not-applicable"\nnote = "the model needs no extra library"\n')
    after = run("check", str(release), "--require", "osaid", "--strict", "--policy", str(release))
    assert before.returncode == after.returncode == 1
    assert "annotated [not-applicable]: the model needs no extra library" in after.stdout
    assert "does not change the result" in after.stdout
    data = json.loads(run("check", str(release), "--require", "osaid", "--format",
                          "json", "--policy", str(release)).stdout)
    assert data["results"][0]["outcome"] == "unknown"
    assert data["results"][0]["annotations"][0]["reason"] == "not-applicable"


def test_bad_annotation_reason_is_a_usage_error(release: Path) -> None:
    (release / ".openscope.toml").write_text(
        '[[annotations]]\nrequirement = "osaid.training-code"\nreason = "trust-me"\n')
    proc = run("check", str(release), "--require", "osaid", "--policy", str(release))
    assert proc.returncode == 2
    assert "not-applicable" in proc.stderr and "Traceback" not in proc.stderr


def test_invalid_toml_and_unknown_spec_are_usage_errors(release: Path) -> None:
    assert run("check", str(release), "--require", "mof:4").returncode == 2
    assert run("check", str(release)).returncode == 2  # nothing to check
    (release / ".openscope.toml").write_text("require = [\n")
    proc = run("check", str(release), "--policy", str(release))
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr


def test_unreadable_input_exits_3(tmp_path: Path) -> None:
    proc = run("check", str(tmp_path / "missing"), "--require", "osaid")
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr


def test_explain() -> None:
    proc = run("explain", "osaid.training-code")
    assert proc.returncode == 0
    assert "Publish the training code under an OSI-approved licence" in proc.stdout
    listing = run("explain", "--list")
    assert "eu.weights-public" in listing.stdout and "mof.class-2" in listing.stdout
    assert "MOF Class II" in run("explain", "mof:2").stdout
    bad = run("explain", "osaid.trainig-code")
    assert bad.returncode == 2 and "osaid.training-code" in bad.stderr


def test_unrelated_pyproject_is_not_a_policy(release: Path) -> None:
    (release / "pyproject.toml").write_text("[project\nname = broken\n")
    proc = run("check", str(release), "--require", "eu-exemption", "--policy", str(release))
    assert proc.returncode == 0, proc.stderr
    assert "policy:" not in proc.stdout


def test_every_id_the_tool_prints_is_accepted_by_require() -> None:
    """SARIF names components ``component.<slug>``; --require takes every printed id."""
    import json as _json

    from conftest import EXAMPLE as _EXAMPLE
    from openscope.formats import render
    from openscope.frameworks import REQUIREMENTS, gate
    from openscope.pipeline import audit_snapshot
    from openscope.sources import open_ref

    report = audit_snapshot(open_ref(str(_EXAMPLE)))
    log = _json.loads(render(report, "sarif", requirements=["*", "component.*"]))
    printed = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} | set(REQUIREMENTS)
    assert any(p.startswith("component.") for p in printed)
    for rid in sorted(printed):
        spec = gate.parse_spec(rid)
        checked = gate.evaluate(spec, report.data["frameworks"], report.data["components"])
        assert checked.outcome in ("met", "unmet", "unknown"), rid
    weights = gate.evaluate(gate.parse_spec("component.model-parameters-final"),
                            report.data["frameworks"], report.data["components"])
    assert weights.outcome == "met"  # the example's weights are open
