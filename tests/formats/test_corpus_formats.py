"""Every format for every corpus release: produced, validated, and byte-identical twice."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from spdx_python_model import v3_0_1 as spdx

from openscope.formats import FORMATS, sarif, spdx3
from openscope.report import Report

from .conftest import RELEASES, corpus_report

pytestmark = pytest.mark.slow  # every format over the whole corpus


REPORT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "src" / "openscope" / "schema"
     / "report.schema.json").read_text())


@cache
def _sarif_validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(sarif.schema())


@cache
def _cdx_validator() -> JsonStrictValidator:
    return JsonStrictValidator(SchemaVersion.V1_6)


def check_json(report: Report, text: str) -> None:
    jsonschema.validate(json.loads(text), REPORT_SCHEMA)


def _release_files(report: Report) -> set[str]:
    folder = next(f for f in RELEASES if report.data["subject"]["ref"] == f"corpus:{f.name}")
    names = {p.name for p in folder.iterdir()}
    if (folder / "files.txt").exists():
        names |= {ln.split("\t")[0].strip()
                  for ln in (folder / "files.txt").read_text().splitlines()}
    return names


def check_sarif(report: Report, text: str) -> None:
    log = json.loads(text)
    files = _release_files(report)
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri in files, uri
        assert result["partialFingerprints"][sarif.FINGERPRINT_KEY]


def check_spdx(report: Report, text: str) -> None:
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().read(io.BytesIO(text.encode()), objects)
    assert spdx3.missing_required(objects) == []
    docs = list(objects.foreach_type(spdx.SpdxDocument))
    assert len(docs) == 1
    root = docs[0].rootElement[0]
    kind = report.data["subject"]["kind"]
    assert isinstance(root, spdx.dataset_DatasetPackage if kind == "dataset"
                      else spdx.ai_AIPackage)
    rels = {r.relationshipType for r in objects.foreach_type(spdx.Relationship)
            if r.from_ is root}
    assert spdx.RelationshipType.hasDeclaredLicense in rels
    assert spdx.RelationshipType.hasConcludedLicense in rels
    datasets = list(objects.foreach_type(spdx.dataset_DatasetPackage))
    if report.data["subject"]["kind"] == "model" and datasets:
        assert rels & {spdx.RelationshipType.trainedOn, spdx.RelationshipType.testedOn}


def check_cyclonedx(report: Report, text: str) -> None:
    error = _cdx_validator().validate_str(text)
    assert error is None, error
    doc = json.loads(text)
    assert doc["specVersion"] == "1.6"
    model = doc["metadata"]["component"]
    if report.data["subject"]["kind"] == "model":
        assert model["type"] == "machine-learning-model"
        assert "modelCard" in model
    for comp in doc.get("components", []):
        assert comp["type"] == "data" and comp["data"][0]["type"] == "dataset"


def check_html(report: Report, text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert 'id="components"' in text
    assert "<script" not in text.lower()
    assert "http-equiv=\"Content-Security-Policy\"" in text
    for comp in report.components:
        assert comp["name"] in text


def check_markdown(report: Report, text: str) -> None:
    assert "| # | component |" in text
    assert "<" not in text.replace("&lt;", "")


def check_badge(report: Report, text: str) -> None:
    root = ElementTree.fromstring(text)
    assert root.tag.endswith("svg")


def check_badge_json(report: Report, text: str) -> None:
    data = json.loads(text)
    assert data["schemaVersion"] == 1 and {"label", "message", "color"} <= set(data)


def check_text(report: Report, text: str) -> None:
    assert "openscope audit" in text


CHECKS: dict[str, Any] = {
    "text": check_text, "json": check_json, "markdown": check_markdown, "html": check_html,
    "sarif": check_sarif, "spdx": check_spdx, "cyclonedx": check_cyclonedx,
    "badge": check_badge, "badge-json": check_badge_json,
}


def test_every_format_has_a_check() -> None:
    assert set(FORMATS) == set(CHECKS)


@pytest.mark.parametrize("folder", RELEASES, ids=lambda p: p.name)
def test_corpus_release_every_format(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    report = corpus_report(folder)
    for name, renderer in FORMATS.items():
        first = renderer(report, False)
        CHECKS[name](report, first)
        assert renderer(report, False) == first, f"{name} not reproducible"


def test_corpus_is_there() -> None:
    assert len(RELEASES) >= 50
