"""CycloneDX 1.6 ML-BOM, built with ``cyclonedx-python-lib``.

The release is the BOM's ``metadata.component``: a ``machine-learning-model`` (``data`` for a
dataset release) with its licence (``LicenseFactory().make_from_string``: an SPDX id, an
expression or a name), external references (model card, code, papers), base models from the
report's ``lineage`` as ``pedigree.ancestors``, and the openness verdicts as ``openscope:*``
properties. Each declared dataset is a ``data`` component the model depends on.

The library does not implement ``modelCard`` or ``data`` (CycloneDX 1.5+), so the BOM is
serialised with ``JsonV1Dot6`` and both are injected into the JSON: ``modelCard`` with
``modelParameters`` (architecture, datasets), ``quantitativeAnalysis`` (the evaluation sets
the card reports) and ``considerations`` (limitations the card states), and ``data`` on the
dataset components. The result validates against the official 1.6 schema.

Reproducible: the serial number is a UUID v5 of the subject's ref and revision and the
timestamp is :func:`openscope.formats._common.document_time`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType, Pedigree
from cyclonedx.output.json import JsonV1Dot6

from openscope.formats import _common as c
from openscope.report import Report

MODEL_REF = "release"


def _licenses(license_id: str | None) -> list[Any]:
    if not license_id or license_id.lower() in ("other", "unknown", "noassertion"):
        return []
    return [LicenseFactory().make_from_string(license_id)]


def _external_refs(report: Report) -> list[ExternalReference]:
    refs: dict[tuple[str, str], ExternalReferenceType] = {}
    subject_url = c.safe_url(report.data["subject"].get("url"))
    if subject_url:
        refs[(subject_url, "")] = ExternalReferenceType.WEBSITE
        card = c.file_url(report, "README.md")
        if card:
            refs[(card, "")] = ExternalReferenceType.MODEL_CARD
    for fact in c.facts(report, "code.repo"):
        url = c.safe_url(fact.get("url"))
        if url:
            refs.setdefault((url, str(fact["value"])), ExternalReferenceType.VCS)
    for fact in c.facts(report, "research"):
        url = c.safe_url(fact.get("url"))
        if url:
            refs.setdefault((url, str(fact["value"])), ExternalReferenceType.DOCUMENTATION)
    return [ExternalReference(type=kind, url=XsUri(url), comment=comment or None)
            for (url, comment), kind in sorted(refs.items(), key=lambda kv: kv[0][0])]


def _properties(report: Report) -> list[Property]:
    d = report.data
    props = [Property(name=f"openscope:dimension:{n}", value=d["dimensions"][n]["status"])
             for n in c.DIMENSIONS]
    mof = d["frameworks"].get("mof") or {}
    if mof:
        props.append(Property(name="openscope:mof:class", value=str(mof.get("class"))))
        props.append(Property(name="openscope:mof:label", value=str(mof.get("label"))))
    for fw in c.frameworks(report):
        props.append(Property(name=f"openscope:{fw.key}:verdict", value=fw.verdict))
    for comp in d["components"]:
        lic = comp.get("license") or {}
        value = comp["status"] + (f" ({lic.get('id') or lic.get('raw')})" if lic else "")
        props.append(Property(name=f"openscope:component:{comp['id']}:{comp['name']}",
                              value=value))
    props.append(Property(name="openscope:tool:version", value=d["tool"]["version"]))
    props.append(Property(name="openscope:license-data:version",
                          value=str(d["versions"].get("license_data"))))
    return props


def _ancestors(report: Report) -> list[Component]:
    chain = report.data.get("lineage")
    out = []
    for entry in chain if isinstance(chain, list) else []:
        if not isinstance(entry, dict) or not entry.get("ref"):
            continue
        ref = str(entry["ref"])
        lic = entry.get("license")
        out.append(Component(
            name=re.sub(r"^hf:", "", ref), type=ComponentType.MACHINE_LEARNING_MODEL,
            bom_ref=f"base-model:{ref}", version=entry.get("revision") or None,
            licenses=_licenses(str(lic) if lic else None),
            description=f"base model (depth {entry.get('depth')}"
                        + (f", {entry['relation']}" if entry.get("relation") else "") + ")"))
    return out


def build(report: Report) -> Bom:
    """The library's BOM for ``report`` (without ``modelCard``/``data``; see :func:`to_dict`)."""
    subject = report.data["subject"]
    kind = (ComponentType.DATA if subject["kind"] == "dataset"
            else ComponentType.MACHINE_LEARNING_MODEL)
    lic = c.release_license(report) or {}
    ancestors = _ancestors(report)
    model = Component(
        name=c.subject_name(report), type=kind, bom_ref=MODEL_REF,
        version=subject.get("revision") or None,
        licenses=_licenses(lic.get("id") or lic.get("raw")),
        external_references=_external_refs(report),
        properties=_properties(report),
        pedigree=Pedigree(ancestors=ancestors) if ancestors else None,
        description=report.data["disclaimer"])
    bom = Bom(serial_number=c.subject_uuid(report, "cyclonedx"))
    bom.metadata.timestamp = c.document_time(report)
    bom.metadata.component = model
    bom.metadata.tools.components.add(Component(
        name="openscope", type=ComponentType.APPLICATION,
        version=report.data["tool"]["version"]))
    deps = []
    data_lic = c.dataset_license(report) or {}
    for ref in c.datasets(report):
        ds = Component(
            name=ref.name, type=ComponentType.DATA, bom_ref=f"dataset:{ref.name}",
            licenses=_licenses(data_lic.get("id") or data_lic.get("raw"))
            if ref.in_release else [],
            description="shipped in the release" if ref.in_release
            else "named by the release's card; not audited, licence not checked")
        if ref.url:
            ds.external_references.add(ExternalReference(
                type=ExternalReferenceType.DISTRIBUTION, url=XsUri(ref.url)))
        bom.components.add(ds)
        deps.append(ds)
    bom.register_dependency(model, deps)
    return bom


def _model_card(report: Report) -> dict[str, Any]:
    params: dict[str, Any] = {}
    archs = sorted({str(f["value"]) for f in c.facts(report, "code.architecture_config")
                    if not str(f["value"]).endswith(".json")})
    if archs:
        params["modelArchitecture"] = ", ".join(archs)
    refs = c.datasets(report)
    if refs:
        params["datasets"] = [{"ref": f"dataset:{r.name}"} for r in refs]
    card: dict[str, Any] = {}
    if params:
        card["modelParameters"] = params
    evals = c.eval_datasets(report)
    if evals:
        card["quantitativeAnalysis"] = {"performanceMetrics": [
            {"type": "reported in the model card (model-index)", "slice": name}
            for name in evals]}
    limits = [str(f.get("snippet") or f.get("value")) for f in c.facts(report, "doc.section")
              if "limit" in str((f.get("attrs") or {}).get("title", "")).lower()]
    if limits:
        card["considerations"] = {"technicalLimitations": limits}
    card["properties"] = [
        {"name": f"openscope:dimension:{n}",
         "value": report.data["dimensions"][n]["status"]} for n in c.DIMENSIONS]
    return card


def to_dict(report: Report) -> dict[str, Any]:
    """The CycloneDX 1.6 JSON document (with ``modelCard`` and ``data`` injected)."""
    doc: dict[str, Any] = json.loads(JsonV1Dot6(build(report)).output_as_string())
    component = doc["metadata"]["component"]
    if component.get("type") == "machine-learning-model":
        component["modelCard"] = _model_card(report)
    urls = {r.name: r.url for r in c.datasets(report)}
    for comp in doc.get("components", []):
        if comp.get("type") != "data":
            continue
        data: dict[str, Any] = {"type": "dataset", "name": comp["name"]}
        if urls.get(comp["name"]):
            data["contents"] = {"url": urls[comp["name"]]}
        comp["data"] = [data]
    return doc


def render(report: Report, color: bool = False) -> str:
    """CycloneDX 1.6 JSON text (sorted keys, trailing newline); ``color`` is ignored."""
    return json.dumps(to_dict(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
