"""Verdicts a reviewer would agree with, on real releases and hub cards, asserted from evidence.

Releases are selected by what the evidence shows (licence ids, files, gating), never by name.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import REPO, SHARED, corpus_snapshot, hub_card_folders, hub_snapshot
from helpers import write_release
from openscope.pipeline import audit, audit_snapshot
from openscope.snapshot import Snapshot

SCHEMA = json.loads((REPO / "src" / "openscope" / "schema" / "report.schema.json").read_text())
RELEASES = SHARED / "corpus" / "releases"


def req(report: dict[str, Any], framework: str, rid: str) -> dict[str, Any]:
    return next(r for r in report["frameworks"][framework]["requirements"] if r["id"] == rid)


def comp(report: dict[str, Any], cid: int) -> dict[str, Any]:
    return next(c for c in report["components"] if c["id"] == cid)


@cache
def corpus_reports() -> list[dict[str, Any]]:
    return [audit_snapshot(corpus_snapshot(f)).data for f in sorted(RELEASES.iterdir())]


def _apache_weights_without_training_code(limit: int = 8) -> list[dict[str, Any]]:
    """Releases whose evidence shows open OSI-licensed weights and, where the sources looked
    (listing and card both read), no training code."""
    out = []
    for report in corpus_reports():
        if (comp(report, 10)["status"] == "open"
                and (comp(report, 10)["license"] or {}).get("id") in ("Apache-2.0", "MIT")
                and report["subject"]["files_listed"] is not None  # absence is evidence
                and comp(report, 7)["available"] is None):
            out.append(report)
            if len(out) >= limit:
                break
    return out


@pytest.mark.slow  # every hub card
def test_unlisted_files_make_absence_unknown_not_a_failure() -> None:
    """A list-only Hub record: training code may be in files nobody recorded."""
    for folder in hub_card_folders():
        report = audit_snapshot(hub_snapshot(folder)).data
        if report["subject"]["files_listed"] is None and comp(report, 7)["available"] is None:
            training = req(report, "osaid", "osaid.training-code")
            assert training["outcome"] == "unknown"
            assert training["basis"] == "not-checked"
            assert "listing" in training["reason"]
            return
    pytest.fail("no list-only record without training code found")


def test_apache_weights_without_training_code_fail_osaid_with_remediation(
    tmp_path: Path,
) -> None:
    cases = _apache_weights_without_training_code()
    assert len(cases) >= 1  # the real corpus: listing and card both read
    rel = write_release(tmp_path / "r", "---\nlicense: apache-2.0\n---\n# A model\n\n"
                        "Weights only: no code, no paper.\n")
    cases.append(audit(str(rel)).data)
    for report in cases:
        osaid = report["frameworks"]["osaid"]
        assert osaid["verdict"] == "fail"
        training = req(report, "osaid", "osaid.training-code")
        assert training["outcome"] == "unmet" and training["basis"] == "absence"
        assert training["remediation"].startswith(
            "Publish the training code under an OSI-approved licence")
        assert req(report, "osaid", "osaid.parameters")["outcome"] == "met"


def test_llama_licensed_release_fails_eu_licence_condition_citing_the_clause() -> None:
    cases = [r for r in corpus_reports()
             if any(str(f.get("attrs", {}).get("id") or f.get("value", "")).lower()
                    .startswith("llama") for c in r["components"] for f in c["evidence"]
                    if f["kind"].startswith("license"))
             or "Llama" in str(r["frameworks"]["eu_ai_act"]["requirements"][0]["reason"])]
    assert len(cases) >= 5
    for report in cases:
        eu = report["frameworks"]["eu_ai_act"]
        licence = req(report, "eu_ai_act", "eu.foss-licence")
        assert licence["outcome"] == "unmet", licence
        assert "Community License" in licence["reason"]
        # the clause is cited: section and quotation
        assert "\u201c" in licence["reason"] and ":" in licence["reason"]
        assert eu["outcome"] == "unmet"
        assert eu["verdict"].startswith("exemption not available")
        assert "Art. 53(1)(d)" in " ".join(eu["duties_remaining"])
        assert "not legal advice" in eu["disclaimer"]


def test_non_commercial_weights_fail_eu_licence_and_osaid_parameters() -> None:
    cases = [r for r in corpus_reports()
             if (comp(r, 10)["license"] or {}).get("id", "").startswith("CC-BY-NC")]
    assert cases
    for report in cases:
        assert "no commercial use" in req(report, "eu_ai_act", "eu.foss-licence")["reason"]
        assert req(report, "osaid", "osaid.parameters")["outcome"] == "unmet"


def _gated(folder: Path, value: str) -> Snapshot:
    snap = hub_snapshot(folder)
    return dataclasses.replace(snap, metadata={**snap.metadata, "gated": value})


@pytest.mark.parametrize(("gate", "outcome"), [("manual", "unmet"), ("auto", "unmet")])
def test_gated_release_is_not_weights_public(gate: str, outcome: str) -> None:
    folder = next(f for f in hub_card_folders()
                  if (f / "info.json").exists()
                  and "siblings" in json.loads((f / "info.json").read_text())
                  and any(s["rfilename"].endswith(".safetensors")
                          for s in json.loads((f / "info.json").read_text())["siblings"]))
    report = audit_snapshot(_gated(folder, gate)).data
    public = req(report, "eu_ai_act", "eu.weights-public")
    assert public["outcome"] == outcome
    assert "gated" in public["reason"] and "public" in public["reason"]
    assert report["frameworks"]["eu_ai_act"]["outcome"] != "met"
    assert report["frameworks"]["osai_index"]["parameters"]["weights_endmodel"]["value"] == \
        "partial"
    assert req(report, "osaid", "osaid.parameters")["outcome"] in ("unmet", "unknown")


def test_open_source_claim_with_failing_osaid_is_flagged_citing_claim_and_requirement() -> None:
    flagged = [r for r in corpus_reports() if r["frameworks"]["openwashing"]["flags"]]
    assert flagged
    for report in flagged:
        ow = report["frameworks"]["openwashing"]
        for flag in ow["flags"]:
            claim = flag["claim"]
            assert claim["kind"].startswith("claim.")
            assert claim.get("path") or claim.get("key")
            assert flag["failing_requirements"]
            if flag["id"] == "openwashing.open-source-claim":
                assert report["frameworks"]["osaid"]["verdict"] == "fail"
                assert all(f["id"].startswith("osaid.") for f in flag["failing_requirements"])
            else:
                assert comp(report, 10)["license"] is None or \
                    comp(report, 10)["license"]["openness"] == "restricted"


def test_open_source_claim_without_osaid_failure_is_not_flagged(tmp_path: Path) -> None:
    card = "---\nlicense: apache-2.0\n---\n# A model\n\nNo claims here.\n"
    report = audit(str(write_release(tmp_path / "r", card))).data
    assert report["frameworks"]["openwashing"]["flags"] == []
    assert report["frameworks"]["openwashing"]["verdict"] == "no openness claims found"


def test_restrictive_weights_called_open_source_are_flagged(tmp_path: Path) -> None:
    card = ("---\nlicense: cc-by-nc-4.0\n---\n# A model\n\nOur open source model for "
            "everyone.\n")
    report = audit(str(write_release(tmp_path / "r", card))).data
    ids = {f["id"] for f in report["frameworks"]["openwashing"]["flags"]}
    assert "openwashing.restrictive-weights" in ids
    flag = next(f for f in report["frameworks"]["openwashing"]["flags"]
                if f["id"] == "openwashing.restrictive-weights")
    assert flag["claim"]["path"] == "README.md" and flag["claim"]["line"]
    assert flag["clause"] and "NonCommercial" in flag["clause"]["text"]


def test_stated_compute_above_threshold_loses_exemption(tmp_path: Path) -> None:
    card = ("---\nlicense: apache-2.0\n---\n# A model\n\n## How to use\n\nCall generate().\n\n"
            "## Training\n\nTrained with 3.8 x 10^25 FLOPs.\n")
    report = audit(str(write_release(tmp_path / "r", card,
                                     {"config.json": '{"architectures": ["X"]}'}))).data
    systemic = req(report, "eu_ai_act", "eu.no-systemic-risk")
    assert systemic["outcome"] == "unmet" and "3.8e+25" in systemic["reason"]
    assert report["frameworks"]["eu_ai_act"]["outcome"] == "unmet"


def test_open_release_meets_eu_conditions_with_caveats(tmp_path: Path) -> None:
    card = ("---\nlicense: apache-2.0\n---\n# A model\n\n## Intended uses\n\nText generation "
            "for research and products.\n\n## How to use\n\n```python\nfrom transformers import "
            "pipeline\n```\n")
    report = audit(str(write_release(tmp_path / "r", card,
                                     {"config.json": '{"architectures": ["X"]}'}))).data
    eu = report["frameworks"]["eu_ai_act"]
    assert eu["outcome"] == "met", eu
    assert set(eu["caveats"]) == {"eu.not-monetised", "eu.no-systemic-risk"}
    assert "indicative" in eu["verdict"]


def test_every_verdict_has_requirements_and_remediation_and_validates(example: Path) -> None:
    report = audit(str(example)).data
    jsonschema.validate(report, SCHEMA)
    for key in ("mof", "osaid", "eu_ai_act", "osai_index", "openwashing"):
        reqs = report["frameworks"][key]["requirements"]
        assert reqs, key
        for r in reqs:
            assert r["outcome"] in ("met", "unmet", "unknown")
            assert r["reason"]
            if r["outcome"] != "met":
                assert r["remediation"], r
    assert "mot_compatible" in report["frameworks"]["mof"]


def test_osai_index_scoring_is_the_index_mean() -> None:
    for report in corpus_reports()[:10]:
        idx = report["frameworks"]["osai_index"]
        values = {"open": 1.0, "partial": 0.5, "closed": 0.0, "unknown": 0.0}
        scores = [values[p["value"]] for p in idx["parameters"].values()]
        assert idx["scores"]["overall"] == round(sum(scores) / 12, 3)
        avail = [values[idx["parameters"][p]["value"]] for p in
                 ("datasources_basemodel", "datasources_endmodel", "weights_basemodel",
                  "weights_endmodel", "trainingcode")]
        assert idx["scores"]["categories"]["availability"] == round(sum(avail) / 5, 3)


def test_strict_mof_reports_substitution_and_type_fit(tmp_path: Path) -> None:
    card = "---\nlicense: apache-2.0\n---\n# A model\n\nSee arXiv:2401.00001.\n"
    report = audit(str(write_release(tmp_path / "r", card))).data
    mof = report["frameworks"]["mof"]
    weights = req(report, "mof", "mof.model-parameters-final")
    # One judgement: the component says Apache-2.0 weights are open, so MOF agrees and only
    # advises type-specific terms (as the Model Openness Tool does).
    component = next(c for c in report["components"] if c["id"] == 10)
    assert component["status"] == "open"
    assert weights["outcome"] == "met" and "advisory" in weights["reason"]
    assert mof["mot_compatible"]["components"]["Model parameters (Final)"]["status"] == \
        "included"
    assert mof["substitution"] is None or "Research paper" in mof["substitution"]
