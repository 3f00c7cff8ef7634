"""One fact, one judgement: no framework contradicts a component it derives from, and no
rating from absence where the sources could not look. Over every recorded Hub repo (10,499)
and every corpus release (60)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import SHARED, corpus_snapshot
from openscope import evidence as evidence_mod
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Snapshot
from openscope.sources.mirror import MirrorSource
from openscope.sources.refs import parse_ref

#: Requirements and Index parameters whose evidence lives in the card.
CARD_BASED = {"eu.usage-info", "osai.modelcard", "osai.preprint", "osai.paper",
              "osai.datasheet", "osai.code", "osai.trainingcode", "osai.hardware_architecture",
              "osai.datasources_endmodel", "osai.datasources_basemodel"}


def contradictions(report: dict[str, Any], no_card: bool, no_listing: bool) -> list[str]:
    """Every place a framework says something its component decision does not."""
    out: list[str] = []
    comps = {c["id"]: c for c in report["components"]}
    fw = report["frameworks"]
    weights = comps[10]
    index = fw["osai_index"].get("parameters", {})
    end = index.get("weights_endmodel")
    if end:
        if weights["available"] is True and end["value"] in ("closed", "unknown"):
            out.append(f"weights available but Index weights_endmodel {end['value']}")
        if weights["available"] is not True and end["value"] == "open":
            out.append("weights not shown available but Index weights_endmodel open")
        gated = (weights.get("attributes") or {}).get("access") == "gated"
        if gated and end["value"] == "open":
            out.append("weights gated but Index says freely downloadable")
        if end["value"] == "closed" and end["basis"] == "evidence" and \
                weights["status"] != "closed" and weights["available"] is not None:
            out.append("Index weights closed on evidence, component not closed")
    lic = index.get("licenses")
    if lic and lic["value"] == "open" and weights["license"] and \
            weights["license"]["openness"] != "open":
        out.append("Index licences open but the weights' licence is not")
    for req in fw["mof"].get("requirements", []):
        comp = next((c for c in report["components"]
                     if req["id"].endswith("-" + str(c["id"])) or req["title"].startswith(
                         c["name"] + " ")), None)
        if comp is not None and req["outcome"] == "met" and comp["status"] != "open":
            out.append(f"MOF {req['id']} met but component {comp['status']}")
        if comp is not None and comp["status"] == "open" and req["outcome"] != "met":
            out.append(f"MOF {req['id']} {req['outcome']} but component open")
    for req in fw["eu_ai_act"].get("requirements", []):
        if req["id"] == "eu.weights-public":
            if req["outcome"] == "met" and weights["available"] is not True:
                out.append("EU weights public met without weights")
            if req["outcome"] == "met" and (weights.get("attributes") or {}).get(
                    "access") == "gated":
                out.append("EU weights public met but gated")
    for req in fw["osaid"].get("requirements", []):
        if req["id"] == "osaid.parameters" and req["outcome"] == "met" and \
                weights["status"] != "open":
            out.append("OSAID parameters met but weights not open")
    rated = [(f"osai.{k}", v) for k, v in index.items()]
    for key in ("mof", "eu_ai_act", "osaid"):
        rated += [(r["id"], r) for r in fw[key].get("requirements", [])]
    for rid, item in rated:
        if item.get("basis") != "absence":
            continue
        if no_card and rid in CARD_BASED:
            out.append(f"{rid}: absence although no card was read")
        if no_card and no_listing:
            out.append(f"{rid}: absence although neither card nor listing was read")
    return out


def _mirror_snapshots() -> Iterator[Snapshot]:
    source = MirrorSource(SHARED / "hub")
    for line in (SHARED / "hub" / "index.jsonl").read_text().splitlines():
        repo_id = json.loads(line)["id"]
        yield source.collect(parse_ref(f"hf:{repo_id}"))


def _check(snapshot: Snapshot) -> list[str]:
    ev = evidence_mod.extract(snapshot)
    report = audit_snapshot(snapshot).data
    return contradictions(report, ev.has("coverage.no_card"), ev.has("coverage.no_listing"))


@pytest.mark.slow
def test_no_framework_contradicts_a_component_over_the_mirror() -> None:
    problems: dict[str, list[str]] = {}
    count = 0
    for snapshot in _mirror_snapshots():
        count += 1
        found = _check(snapshot)
        if found:
            problems[snapshot.ref] = found
    assert count > 10_000
    assert not problems, dict(list(problems.items())[:10])


@pytest.mark.slow  # whole corpus
def test_no_framework_contradicts_a_component_over_the_corpus() -> None:
    problems = {}
    for folder in sorted((SHARED / "corpus" / "releases").iterdir()):
        found = _check(corpus_snapshot(folder))
        if found:
            problems[folder.name] = found
    assert not problems, problems


def test_metadata_only_records_never_rate_from_absence() -> None:
    """A census-like record (no card, no listing) has no verdict based on absence."""
    snap = Snapshot(ref="hf:org/model", metadata={"tags": ["license:apache-2.0"]},
                    source="census", files=None)
    assert _check(snap) == []
