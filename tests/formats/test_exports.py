"""SARIF selection and anchoring, SPDX and CycloneDX content, reproducible ids and times."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from spdx_python_model import v3_0_1 as spdx

from openscope.formats import _common, badge, cdx, sarif, spdx3
from openscope.frameworks import REQUIREMENTS
from openscope.pipeline import audit
from openscope.report import Report

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tiny-open-model"


@pytest.fixture(scope="module")
def tiny() -> Report:
    return audit(str(EXAMPLE))


ARCH = {"kind": "code.architecture_config", "value": "LlamaForCausalLM", "method": "detected",
        "key": "config.architectures"}


def _with(report: Report, **changes: Any) -> Report:
    data = copy.deepcopy(report.data)
    if changes.pop("arch", False):
        data["components"][0]["evidence"].append(dict(ARCH))
    for key, value in changes.items():
        if key == "subject":
            data["subject"].update(value)
        else:
            data[key] = value
    return Report(data)


# ---------------------------------------------------------------- SARIF

def test_sarif_default_is_every_unmet_requirement(tiny: Report) -> None:
    log = sarif.to_sarif(tiny)
    unmet = sorted({r.id for fw in _common.frameworks(tiny) for r in fw.requirements
                    if r.outcome == "unmet"})
    assert unmet, "the example should fail some requirement"
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == unmet
    assert sorted(r["ruleId"] for r in run["results"]) == unmet
    assert all(r["level"] == "error" for r in run["results"])


def test_sarif_selection_by_pattern_and_components(tiny: Report) -> None:
    log = sarif.to_sarif(tiny, ["osaid.*", "component.model-parameters-final"])
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "component.model-parameters-final" in rules
    assert all(r.startswith(("osaid.", "component.")) for r in rules)
    assert len(rules) == len([k for k in REQUIREMENTS if k.startswith("osaid.")]) + 1
    # met requirements are rules without results; unknown ones are warnings
    results = log["runs"][0]["results"]
    assert all(r["properties"]["outcome"] != "met" for r in results)
    assert {r["level"] for r in results} <= {"error", "warning"}
    assert sarif.to_sarif(tiny, ["nothing.matches"])["runs"][0]["results"] == []


def test_sarif_rules_carry_the_requirement_docs(tiny: Report) -> None:
    log = sarif.to_sarif(tiny, ["*"])
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rid, req in REQUIREMENTS.items():
        if rid in rules:
            assert rules[rid]["fullDescription"]["text"] == req.description
            assert req.remediation in rules[rid]["help"]["text"]
    errors = list(jsonschema.Draft4Validator(sarif.schema()).iter_errors(log))
    assert not errors


def test_sarif_anchors_to_release_files_with_stable_fingerprints(tiny: Report) -> None:
    log = sarif.to_sarif(tiny, ["*"])
    files = {p.name for p in EXAMPLE.rglob("*")} | {
        str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*")}
    for result in log["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] in files
    # a new revision keeps the fingerprints; another release gets others
    moved = sarif.to_sarif(_with(tiny, subject={"revision": "sha256:other"}), ["*"])
    fps = [r["partialFingerprints"] for r in log["runs"][0]["results"]]
    assert fps == [r["partialFingerprints"] for r in moved["runs"][0]["results"]]
    other = sarif.to_sarif(_with(tiny, subject={"ref": "local:other"}), ["*"])
    assert fps != [r["partialFingerprints"] for r in other["runs"][0]["results"]]


def test_sarif_falls_back_to_readme() -> None:
    req = _common.RequirementView("osaid", "osaid.x", "t", "unmet", "r", None, ())
    assert sarif._anchor(req) == ("README.md", None)


# ---------------------------------------------------------------- SPDX

@pytest.mark.parametrize(("given", "expected"), [
    ("Apache-2.0", "Apache-2.0"),
    ("apache-2.0", "Apache-2.0"),
    ("llama3.2", "LicenseRef-llama3.2"),
    ("openrail++", "LicenseRef-openrail-plus-plus"),
    ("LicenseRef-yi-1.0", "LicenseRef-yi-1.0"),
    ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
    ("other", None), ("unknown", None), (None, None),
])
def test_spdx_expression(given: str | None, expected: str | None) -> None:
    assert spdx3.spdx_expression(given) == expected


def _read_spdx(text: str) -> spdx.SHACLObjectSet:
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().read(io.BytesIO(text.encode()), objects)
    return objects


def test_spdx_ai_package_with_lineage_datasets_and_licences(tiny: Report) -> None:
    report = _with(tiny, arch=True, lineage=[
        {"ref": "hf:org/base", "depth": 1, "relation": "finetune", "child": "local:tiny",
         "status": "collected", "revision": "abc123", "url": "https://huggingface.co/org/base",
         "license": "llama3.2", "license_differs": True},
        {"ref": "hf:org/grandbase", "depth": 2, "relation": None, "child": "hf:org/base",
         "status": "not collected", "error": "not found"}])
    objects = _read_spdx(spdx3.render(report))
    assert spdx3.missing_required(objects) == []
    model = next(o for o in objects.foreach_type(spdx.ai_AIPackage)
                 if o.name == "tiny-open-model")
    assert model.software_primaryPurpose == spdx.software_SoftwarePurpose.model
    assert model.ai_typeOfModel == ["LlamaForCausalLM"]
    rels = {(r.relationshipType, r.from_.name if hasattr(r.from_, "name") else None):
            r.to for r in objects.foreach_type(spdx.Relationship)}
    trained = rels[(spdx.RelationshipType.trainedOn, "tiny-open-model")]
    assert [d.name for d in trained] == ["data/tiny-corpus.txt"]
    data_lic = rels[(spdx.RelationshipType.hasConcludedLicense, "data/tiny-corpus.txt")]
    assert data_lic[0].simplelicensing_licenseExpression == "CC-BY-4.0"
    declared = rels[(spdx.RelationshipType.hasDeclaredLicense, "tiny-open-model")]
    assert declared[0].simplelicensing_licenseExpression == "Apache-2.0"
    bases = rels[(spdx.RelationshipType.descendantOf, "tiny-open-model")]
    assert [b.name for b in bases] == ["org/base"]
    base_lic = rels[(spdx.RelationshipType.hasDeclaredLicense, "org/base")]
    assert base_lic[0].simplelicensing_licenseExpression == "LicenseRef-llama3.2"


def test_spdx_dataset_subject() -> None:
    report = audit(str(EXAMPLE))
    ds = _with(report, subject={"kind": "dataset"})
    objects = _read_spdx(spdx3.render(ds))
    assert spdx3.missing_required(objects) == []
    root = next(iter(objects.foreach_type(spdx.SpdxDocument))).rootElement[0]
    assert isinstance(root, spdx.dataset_DatasetPackage)
    assert root.dataset_datasetType


def test_spdx_missing_required_reports_gaps() -> None:
    objects = spdx.SHACLObjectSet()
    objects.add(spdx.ai_AIPackage(spdxId="https://x.example/p", name="p"))
    missing = spdx3.missing_required(objects)
    assert any("releaseTime" in m for m in missing)
    assert any("software_primaryPurpose" in m for m in missing)


# ---------------------------------------------------------------- CycloneDX

def test_cyclonedx_model_card_and_datasets(tiny: Report) -> None:
    report = _with(tiny, arch=True, lineage=[{"ref": "hf:org/base", "depth": 1,
                                              "relation": "finetune",
                                   "child": "local:tiny", "status": "collected",
                                   "revision": "abc", "license": "apache-2.0"}])
    text = cdx.render(report)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    doc = json.loads(text)
    model = doc["metadata"]["component"]
    assert model["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    params = model["modelCard"]["modelParameters"]
    assert params["modelArchitecture"] == "LlamaForCausalLM"
    assert params["datasets"] == [{"ref": "dataset:data/tiny-corpus.txt"}]
    (data,) = doc["components"]
    assert data["type"] == "data" and data["licenses"] == [{"license": {"id": "CC-BY-4.0"}}]
    assert model["pedigree"]["ancestors"][0]["name"] == "org/base"
    props = {p["name"]: p["value"] for p in model["properties"]}
    assert props["openscope:dimension:weights"] == "open"


def test_cyclonedx_validator_rejects_bad_model_card(tiny: Report) -> None:
    doc = cdx.to_dict(tiny)
    doc["metadata"]["component"]["modelCard"]["modelParameters"] = {"approach": {"type": "magic"}}
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is not None


def test_cyclonedx_licence_forms() -> None:
    assert [type(x).__name__ for x in cdx._licenses("llama3")] == ["DisjunctiveLicense"]
    assert cdx._licenses("other") == [] and cdx._licenses(None) == []


# ---------------------------------------------------------------- reproducibility

def test_source_date_epoch_is_honoured(tiny: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert json.loads(cdx.render(tiny))["metadata"]["timestamp"].startswith("2023-11-14T22:13:20")
    assert '"created": "2023-11-14T22:13:20Z"' in spdx3.render(tiny)


def test_retrieved_at_then_fixed_epoch(tiny: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fetched = _with(tiny, subject={"retrieved_at": "2026-01-02T03:04:05Z"})
    assert _common.iso(_common.document_time(fetched)) == "2026-01-02T03:04:05Z"
    assert _common.document_time(tiny) == _common.FALLBACK_TIME


def test_ids_derive_from_subject(tiny: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = json.loads(cdx.render(tiny))["serialNumber"]
    assert first == json.loads(cdx.render(audit(str(EXAMPLE))))["serialNumber"]
    other = _with(tiny, subject={"revision": "sha256:0"})
    assert json.loads(cdx.render(other))["serialNumber"] != first
    assert spdx3.render(tiny) == spdx3.render(audit(str(EXAMPLE)))


# ---------------------------------------------------------------- badges

def test_badges(tiny: Report) -> None:
    names = badge.names(tiny)
    assert names[0] == "mof" and {"weights", "osaid", "eu_ai_act"} <= set(names)
    for name in names:
        data = json.loads(badge.endpoint(tiny, name))
        assert data["schemaVersion"] == 1 and data["message"]
        assert badge.svg(tiny, name).startswith("<svg")
    assert json.loads(badge.endpoint(tiny, "weights"))["message"] == "open"
    classed = _with(tiny)
    classed.data["frameworks"]["mof"].update({"class": 2, "label": "Class II - Open Tooling"})
    assert badge.badge(classed) == {"label": "MOF", "message": "Class II", "color": "green"}
    with pytest.raises(KeyError):
        badge.badge(tiny, "nope")
    assert "&lt;b&gt;" in badge.svg_badge("<b>", "x", "red")


# ---------------------------------------------------------------- hub releases

def test_hub_release_lineage_in_every_format(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from conftest import SHARED
    from openscope.cli.main import cli

    ref = "hf:DunnBC22/opus-mt-zh-en-Chinese_to_English"
    outputs = {}
    for fmt in ("json", "markdown", "html", "spdx", "cyclonedx"):
        out = tmp_path / fmt
        result = CliRunner().invoke(cli, ["audit", ref, "--mirror", str(SHARED / "hub"),
                                          "--no-cache", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs[fmt] = out.read_text(encoding="utf-8")
    lineage = json.loads(outputs["json"])["lineage"]
    assert lineage and lineage[0]["ref"] == "hf:Helsinki-NLP/opus-mt-zh-en"
    assert "(https://huggingface.co/Helsinki-NLP/opus-mt-zh-en)" in outputs["markdown"]
    assert 'id="lineage"' in outputs["html"]
    objects = _read_spdx(outputs["spdx"])
    rel = next(r for r in objects.foreach_type(spdx.Relationship)
               if r.relationshipType == spdx.RelationshipType.descendantOf)
    assert rel.to[0].name == "Helsinki-NLP/opus-mt-zh-en"
    ancestors = json.loads(outputs["cyclonedx"])["metadata"]["component"]["pedigree"]
    assert ancestors["ancestors"][0]["name"] == "Helsinki-NLP/opus-mt-zh-en"


def test_evidence_links_to_file_and_line_at_revision(tiny: Report) -> None:
    from openscope.formats import markdown

    hub = _with(tiny, subject={"url": "https://huggingface.co/org/name", "revision": "abc123",
                               "ref": "hf:org/name"})
    text = markdown.render(hub)
    assert "(https://huggingface.co/org/name/blob/abc123/README.md#L10)" in text
    assert "](https://huggingface.co/org/name/blob/abc123/config.json)" in text
    # a local folder has no web home: pointers stay text
    assert "/blob/" not in markdown.render(tiny)
    assert _common.file_url(_with(tiny, subject={"url": "javascript:x", "revision": "a"}),
                            "README.md") is None


def test_render_passes_the_policy_requirements_to_sarif(tiny: Report) -> None:
    from openscope.formats import render

    log = json.loads(render(tiny, "sarif", requirements=["mof.model-parameters-intermediate"]))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["mof.model-parameters-intermediate"]
    assert render(tiny, "markdown", requirements=["x"]) == render(tiny, "markdown")
