"""``openscope check`` waivers: waived outcomes in every format, expiry, validation, SARIF
suppressions, and the Action's SARIF coming from the check (real mirror releases)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SHARED
from openscope.errors import UsageError
from openscope.frameworks import gate
from openscope.pipeline import audit_snapshot
from openscope.policy import PolicyError, Waiver, parse, parse_waive_option
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions

REPO = Path(__file__).resolve().parents[2]
SRC = str(REPO / "src")
HUB = SHARED / "hub"
#: A real Llama-2-licensed release of the mirror (a quantisation of Llama 2).
LLAMA = "hf:TheBloke/Llama-2-7B-GPTQ"

pytestmark = pytest.mark.skipif(not (HUB / "models" / "TheBloke" / "Llama-2-7B-GPTQ").is_dir(),
                                reason="needs the shared Hub mirror")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": SRC})


def check(ref: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run("check", ref, "--mirror", str(HUB), "--offline", "--no-cache", *args)


@pytest.fixture(scope="module")
def llama_report() -> dict:
    snap = open_ref(LLAMA, SourceOptions(mirror=HUB, offline=True, use_cache=False))
    return audit_snapshot(snap).data


# --- policy and option parsing -------------------------------------------------------------

def test_policy_waivers_parse_with_toml_date() -> None:
    import tomllib

    table = tomllib.loads('[[waivers]]\nrequirement = "osaid.training-code"\n'
                          'reason = "accepted-risk"\nnote = "code in review"\n'
                          'expires = 2027-01-31\n')
    (w,) = parse(table, "p.toml").waivers
    assert w == Waiver("osaid.training-code", "accepted-risk", "code in review",
                       dt.date(2027, 1, 31), "p.toml")
    assert w.expired(dt.date(2027, 2, 1)) and not w.expired(dt.date(2027, 1, 31))


@pytest.mark.parametrize("item, words", [
    ({"requirement": "osaid", "reason": "accepted-risk"}, "non-empty 'note'"),
    ({"requirement": "osaid", "reason": "accepted-risk", "note": "  "}, "non-empty 'note'"),
    ({"requirement": "osaid", "reason": "because", "note": "x"}, "reason 'because'"),
    ({"requirement": "osaid", "reason": "in-progress", "note": "x", "expires": "2027-01-31"},
     "TOML date"),
    ({"reason": "in-progress", "note": "x"}, "'requirement'"),
    ({"requirement": "osaid", "reason": "in-progress", "note": "x", "until": 1}, "until"),
])
def test_bad_waivers_are_policy_errors(item: dict, words: str) -> None:
    with pytest.raises(PolicyError, match=words):
        parse({"waivers": [item]}, "p.toml")


def test_waive_option_keeps_colons_of_spec_ids() -> None:
    w = parse_waive_option("mof:2:accepted-risk:data: licences pending")
    assert (w.requirement, w.reason, w.note, w.source) == (
        "mof:2", "accepted-risk", "data: licences pending", "--waive")
    assert parse_waive_option("use:no-user-cap:not-applicable").note
    with pytest.raises(UsageError):
        parse_waive_option("osaid.training-code:because")


# --- gate semantics on a real report -------------------------------------------------------

def test_waiving_every_unmet_detail_waives_the_spec_but_not_the_framework(
        llama_report: dict) -> None:
    frameworks = llama_report["frameworks"]
    before = copy.deepcopy(frameworks)
    (res,) = gate.run([gate.parse_spec("osaid")], frameworks, parse({}),
                      llama_report["components"])
    assert res.outcome in ("unmet", "unknown")
    waivers = [Waiver(d["id"], "accepted-risk", "reviewed") for d in res.details]
    unmatched = gate.apply_waivers([res], waivers, dt.date(2026, 1, 1))
    assert unmatched == []
    assert res.outcome == "waived" and res.checked_outcome in ("unmet", "unknown")
    assert all(d["outcome"] == "waived" and d["waiver"]["note"] == "reviewed"
               for d in res.details)
    assert gate.exit_code([res], strict=True) == 0
    assert frameworks == before  # a waiver never rewrites a framework verdict


def test_partial_waiver_leaves_the_rest_deciding(llama_report: dict) -> None:
    (res,) = gate.run([gate.parse_spec("osaid")], llama_report["frameworks"], parse({}),
                      llama_report["components"])
    unmet = [d for d in res.details if d["outcome"] == "unmet"]
    assert unmet, "a Llama-licensed release fails OSAID"
    first = unmet[0]["id"]
    gate.apply_waivers([res], [Waiver(first, "in-progress", "next release")],
                       dt.date(2026, 1, 1))
    outcomes = {d["id"]: d["outcome"] for d in res.details}
    assert outcomes[first] == "waived"
    rest = [o for i, o in outcomes.items() if i != first]
    assert rest, "OSAID has more than one unmet or unknown requirement here"
    assert res.outcome == ("unmet" if "unmet" in rest else "unknown")
    assert gate.exit_code([res], strict=True) == 1


def test_expired_waiver_does_not_apply(llama_report: dict) -> None:
    (res,) = gate.run([gate.parse_spec("use:no-user-cap")], llama_report["frameworks"],
                      parse({}), llama_report["components"])
    assert res.outcome == "unmet"
    w = Waiver("use:no-user-cap", "accepted-risk", "small product", dt.date(2020, 1, 1))
    assert gate.apply_waivers([res], [w], dt.date(2026, 1, 1)) == []
    assert res.outcome == "unmet" and res.expired == [w]
    assert res.details[0]["waiver_expired"]["expires"] == "2020-01-01"
    assert gate.exit_code([res], False) == 1


# --- CLI: every format ---------------------------------------------------------------------

def test_cli_waiver_passes_the_gate_and_is_shown(tmp_path: Path) -> None:
    base = check(LLAMA, "-r", "use:no-user-cap")
    assert base.returncode == 1, base.stdout + base.stderr
    proc = check(LLAMA, "-r", "use:no-user-cap",
                 "--waive", "use:no-user-cap:accepted-risk:far below 700M users")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "~ waived" in proc.stdout
    assert "[accepted-risk] far below 700M users (--waive)" in proc.stdout
    data = json.loads(check(LLAMA, "-r", "use:no-user-cap", "-f", "json", "--waive",
                            "use:no-user-cap:accepted-risk:far below 700M users").stdout)
    (res,) = data["results"]
    assert res["outcome"] == "waived" and res["counts_as"] == "met"
    assert res["checked_outcome"] == "unmet"
    assert res["waiver"]["reason"] == "accepted-risk" and data["exit_code"] == 0
    md = check(LLAMA, "-r", "use:no-user-cap", "-f", "markdown",
               "--waive", "use:no-user-cap:accepted-risk:far below 700M users")
    assert md.returncode == 0
    assert "check: use:no-user-cap unmet, waived" in md.stdout
    assert md.stdout.count("far below 700M users") == 1


def test_policy_waiver_expired_and_unmatched(tmp_path: Path) -> None:
    policy = tmp_path / ".openscope.toml"
    policy.write_text('require = ["use:no-user-cap"]\n'
                      '[[waivers]]\nrequirement = "use:no-user-cap"\nreason = "accepted-risk"\n'
                      'note = "small product"\nexpires = 2020-01-31\n'
                      '[[waivers]]\nrequirement = "osaid.training-code"\n'
                      'reason = "published-elsewhere"\nnote = "github.com/x/y"\n')
    proc = check(LLAMA, "--policy", str(policy))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "waiver expired on 2020-01-31, not applied" in proc.stdout
    assert "waiver for osaid.training-code matches nothing checked" in proc.stderr
    policy.write_text(policy.read_text().replace("2020-01-31", "2099-01-31"))
    proc = check(LLAMA, "--policy", str(policy))
    assert proc.returncode == 0 and "expires 2099-01-31" in proc.stdout


def test_bad_waiver_is_exit_2(tmp_path: Path) -> None:
    proc = check(LLAMA, "-r", "osaid", "--waive", "osaid:because")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    policy = tmp_path / ".openscope.toml"
    policy.write_text('[[waivers]]\nrequirement = "osaid"\nreason = "accepted-risk"\n')
    proc = check(LLAMA, "-r", "osaid", "--policy", str(policy))
    assert proc.returncode == 2 and "note" in proc.stderr


# --- SARIF: only what is checked, levels from outcome and strictness -------------------------

def _sarif(*args: str) -> dict:
    proc = check(LLAMA, "-f", "sarif", *args)
    assert proc.returncode in (0, 1, 3), proc.stderr
    return json.loads(proc.stdout)


def test_sarif_of_check_holds_only_the_checked_requirements() -> None:
    audit = json.loads(run("audit", LLAMA, "--mirror", str(HUB), "--offline", "--no-cache",
                           "-f", "sarif").stdout)
    log = _sarif("-r", "osaid")
    ids = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert ids and all(i.startswith("osaid.") for i in ids)
    assert len(audit["runs"][0]["results"]) > len(ids)  # the audit lists every framework
    levels = {r["ruleId"]: (r["level"], r["properties"]["outcome"])
              for r in log["runs"][0]["results"]}
    assert all(lvl == {"unmet": "error", "unknown": "warning"}[o] for lvl, o in levels.values())
    strict = _sarif("-r", "osaid", "--strict")
    assert all(r["level"] == "error" for r in strict["runs"][0]["results"])


def test_sarif_waived_result_is_an_external_suppression() -> None:
    log = _sarif("-r", "use:no-user-cap", "-r", "use:commercial",
                 "--waive", "use:no-user-cap:accepted-risk:far below 700M users")
    (res,) = log["runs"][0]["results"]  # use:commercial is met: no result
    assert res["ruleId"] == "use:no-user-cap" and res["level"] == "error"
    (sup,) = res["suppressions"]
    assert sup["kind"] == "external"
    assert sup["justification"] == "accepted-risk: far below 700M users"


def test_action_sarif_step_runs_check_with_the_same_args() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    lines = [ln.strip() for ln in step["run"].splitlines()]
    calls = [shlex.split(ln.split(">")[0]) for ln in lines if ln.startswith("openscope check")]
    gate_call = next(c for c in calls if "--format" not in c)
    sarif_call = next(c for c in calls if "--format" in c and "sarif" in c)
    assert sarif_call[:len(gate_call)] == gate_call  # same ref, policy, specs, strictness
    assert "sarif" not in " ".join(ln for ln in lines if ln.startswith("openscope audit"))
