"""Helpers shared by the formats: reading a report, evidence locations, stable ids and times.

Formats only *read* a report (``report.data``, see ``schema/report.schema.json``). Everything
here is a view over that dict: nothing judges, nothing reads the release again.

Reproducible ids and times live in :mod:`._reproducible` and are re-exported here.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from openscope import lazyre
from openscope.formats._reproducible import (
    FALLBACK_TIME,
    NAMESPACE,
    document_time,
    iso,
    source_date_epoch,
    subject_key,
    subject_uuid,
)
from openscope.report import Report

__all__ = ["FALLBACK_TIME", "NAMESPACE", "document_time", "iso", "source_date_epoch",
           "subject_key", "subject_uuid"]

STATUSES = ("open", "restricted", "closed", "unknown")
DIMENSIONS = ("code", "weights", "data", "research")

#: Display names of the frameworks, used when :data:`openscope.frameworks.FRAMEWORKS` does
#: not name one; any other ``frameworks.*`` key with ``requirements[]`` is shown under its
#: own ``framework`` field or its key.
FRAMEWORK_LABELS = {
    "mof": "Model Openness Framework",
    "osaid": "OSI Open Source AI Definition 1.0",
    "eu_ai_act": "EU AI Act open-source exemption",
    "osai_index": "European Open Source AI Index",
    "openwashing": "Open-washing flags",
}

_LINE = lazyre.compile(r"^(?P<path>[^\s\[\]]+?):(?P<line>\d+)$")
_KEYED = lazyre.compile(r"^(?P<path>[^\s\[\]]+)\s+\[(?P<key>[^\]]+)\]$")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of evidence was seen: a file of the release (and line), a key, or a URL.

    Attributes:
        text: the pointer as a person reads it (``README.md:12``, ``[tags]``, a URL).
        path: the file in the release, if any.
        line: 1-based line, if known.
        key: metadata key, if any.
        url: an ``http``/``https`` URL, if the evidence is a link (other schemes are dropped).
        value: the observed value, if given.
    """

    text: str
    path: str | None = None
    line: int | None = None
    key: str | None = None
    url: str | None = None
    value: str | None = None


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute ``http``/``https`` URL with a host, else ``None``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\x00\n\r\t <>\"'`\\"):
        return None
    return url


def location(item: object) -> Location:
    """Parse one evidence item: a fact dict (``path``/``line``/``key``/``url``) or a pointer
    string (``README.md:12 (value)``, ``README.md [license]``, ``[tags]``, a URL)."""
    if isinstance(item, Mapping):
        path = item.get("path") if isinstance(item.get("path"), str) else None
        line = item.get("line") if isinstance(item.get("line"), int) else None
        key = item.get("key") if isinstance(item.get("key"), str) else None
        url = safe_url(item.get("url"))
        value = str(item.get("value", "")) or None
        if path:
            text = path + (f":{line}" if line else "") + (f" [{key}]" if key and not line else "")
        elif key:
            text = f"[{key}]"
        else:
            text = str(item.get("url") or value or "")
        return Location(text, path, line, key, url, value)
    text = str(item)
    pointer, value = text, None
    m = (re.match(r"^(?P<ptr>.*?): \u201c(?P<value>.*)\u201d$", text, re.S)
         or re.match(r"^(?P<ptr>.*?) \((?P<value>.*)\)$", text, re.S))
    if m:
        pointer, value = m.group("ptr"), m.group("value")
    if safe_url(pointer):
        return Location(text, url=pointer, value=value)
    if (lm := _LINE.match(pointer)) is not None:
        return Location(text, lm.group("path"), int(lm.group("line")), value=value)
    if (km := _KEYED.match(pointer)) is not None:
        return Location(text, km.group("path"), key=km.group("key"), value=value)
    if pointer.startswith("[") and pointer.endswith("]"):
        return Location(text, key=pointer[1:-1], value=value)
    if _looks_like_file(pointer):
        return Location(text, path=pointer, value=value)
    return Location(text, value=value)


#: Extensions (and name stems) that mark a bare evidence pointer as a file of the release.
FILE_EXTENSIONS = frozenset({
    "md", "txt", "json", "jsonl", "yaml", "yml", "toml", "cfg", "ini", "py", "ipynb", "sh",
    "safetensors", "bin", "gguf", "ggml", "pt", "pth", "ckpt", "onnx", "h5", "msgpack",
    "model", "tiktoken", "csv", "tsv", "parquet", "arrow", "pdf", "rst", "html", "js", "ts",
    "rs", "go", "c", "cc", "cpp", "h", "java", "zip", "tar", "gz", "npz", "npy", "pkl"})
FILE_STEMS = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "README", "USE_POLICY", "DATA_CARD")


def _looks_like_file(pointer: str) -> bool:
    """Whether a bare evidence pointer names a file (``config.json``, ``LICENSE_data``)
    rather than a value (``apache-2.0``)."""
    if not re.fullmatch(r"[\w.\-/]+", pointer) or ".." in pointer.split("/"):
        return False
    name = pointer.rsplit("/", 1)[-1]
    upper = name.upper()
    for stem in FILE_STEMS:
        if upper == stem or (upper.startswith(stem) and upper[len(stem)] in "._-"):
            return True
    return "." in name and name.rsplit(".", 1)[1].lower() in FILE_EXTENSIONS


def file_url(report: Report, path: str, line: int | None = None) -> str | None:
    """A web link to ``path`` (and ``line``) at the audited revision, when the release has a
    web home on the Hugging Face Hub or GitHub; ``None`` for local folders."""
    subject = report.data["subject"]
    base = safe_url(subject.get("url"))
    rev = subject.get("revision")
    if not base or not rev or not re.fullmatch(r"[\w.\-]+", str(rev)):
        return None
    host = urlsplit(base).netloc.lower()
    if not (host.endswith("huggingface.co") or host.endswith("github.com")):
        return None
    anchor = f"#L{line}" if line else ""
    return f"{base.rstrip('/')}/blob/{quote(str(rev))}/{quote(path)}{anchor}"


def link_for(report: Report, loc: Location) -> str | None:
    """The URL a person opens for ``loc``: its own URL, else the file at the revision."""
    if loc.url:
        return loc.url
    if loc.path:
        return file_url(report, loc.path, loc.line)
    return None


@dataclass(frozen=True, slots=True)
class RequirementView:
    """One requirement outcome of one framework, as rendered."""

    framework: str
    id: str
    title: str
    outcome: str
    reason: str
    remediation: str | None
    evidence: tuple[Location, ...]
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class FrameworkView:
    """A framework verdict with its requirements."""

    key: str
    label: str
    verdict: str
    outcome: str
    requirements: tuple[RequirementView, ...]


def frameworks(report: Report) -> list[FrameworkView]:
    """Every ``frameworks.*`` entry that has a ``requirements`` list, in a stable order
    (known frameworks first, then the others by key)."""
    fws = report.data.get("frameworks") or {}
    titles = _framework_titles()
    order = [k for k in titles if k in fws] + sorted(k for k in fws if k not in titles)
    out = []
    for key in order:
        fw = fws[key]
        if not isinstance(fw, Mapping) or not isinstance(fw.get("requirements"), list):
            continue
        reqs = []
        for raw in fw["requirements"]:
            if not isinstance(raw, Mapping):
                continue
            rid = str(raw.get("id") or "")
            if not rid:
                continue
            raw_ev = raw.get("evidence")
            evidence: list[Any] = raw_ev if isinstance(raw_ev, list) else []
            reqs.append(RequirementView(
                framework=key,
                id=rid,
                title=str(raw.get("title") or rid),
                outcome=str(raw.get("outcome") or "unknown"),
                reason=str(raw.get("reason") or ""),
                remediation=str(raw["remediation"]) if raw.get("remediation") else None,
                evidence=tuple(location(e) for e in evidence),
                basis=str(raw["basis"]) if raw.get("basis") else None,
            ))
        label = titles.get(key) or str(fw.get("framework") or key)
        outcome = str(fw.get("outcome") or _overall(reqs))
        verdict = str(fw.get("verdict") or fw.get("label") or outcome)
        out.append(FrameworkView(key, label, verdict, outcome, tuple(reqs)))
    return out


def _overall(reqs: list[RequirementView]) -> str:
    outcomes = {r.outcome for r in reqs}
    return "unmet" if "unmet" in outcomes else "unknown" if "unknown" in outcomes else "met"


def _framework_titles() -> dict[str, str]:
    titles = dict(FRAMEWORK_LABELS)
    try:
        from openscope.frameworks import FRAMEWORKS
    except ImportError:  # pragma: no cover - older frameworks package
        return titles
    for key, value in FRAMEWORKS.items():
        if isinstance(value, tuple) and value and isinstance(value[0], str):
            titles[key] = value[0]
    return titles


def requirement_docs() -> dict[str, Any]:
    """The documented requirements (id -> ``frameworks.criteria.Requirement``, with
    ``title``, ``description``, ``remediation``, ``version``, ``source``); empty if the
    frameworks package has no criteria tables."""
    try:
        frameworks_pkg = importlib.import_module("openscope.frameworks")
    except ImportError:  # pragma: no cover - frameworks package always present
        return {}
    table = getattr(frameworks_pkg, "REQUIREMENTS", None)
    return dict(table) if isinstance(table, Mapping) else {}


def lineage_details(entry: Mapping[str, Any]) -> list[str]:
    """Plain-text facts about one ``lineage`` entry: relation, how a base named without
    organisation was resolved, status, error, licence and its openness, the ancestor's
    dimensions, a licence conflict."""
    out = []
    if entry.get("relation"):
        out.append(str(entry["relation"]))
    out.append(f"base of {entry.get('child', '')}")
    if entry.get("resolved_from") is not None:
        found = ("resolved by name" if entry.get("source") == "prose-by-name"
                 else "not resolved by name")
        out.append(f"{found} from {entry['resolved_from']!r} "
                   f"({entry.get('candidates', 0)} candidate repositories)")
    if entry.get("status"):
        out.append(str(entry["status"]))
    if entry.get("error"):
        out.append(str(entry["error"]))
    if entry.get("license"):
        openness = entry.get("license_openness")
        out.append(f"licence {entry['license']}" + (f" ({openness})" if openness else ""))
    dims = entry.get("dimensions")
    if isinstance(dims, Mapping) and dims:
        out.append(", ".join(f"{k} {dims[k]}" for k in DIMENSIONS if k in dims))
    if entry.get("conflict"):
        out.append(f"conflict: {entry['conflict']}")
    return out


def subject_name(report: Report) -> str:
    """The release name as a person reads it (the ref without its scheme)."""
    ref = str(report.data["subject"]["ref"])
    ref = re.sub(r"^(hf|hf-dataset|gh|local|corpus|mirror):", "", ref)
    return ref.split("@", 1)[0]


def weights_component(report: Report) -> dict[str, Any] | None:
    """The ``Model parameters (Final)`` component entry, if present."""
    for comp in report.data.get("components", []):
        if comp.get("name") == "Model parameters (Final)":
            return dict(comp)
    return None


def release_license(report: Report) -> dict[str, Any] | None:
    """The licence that governs the weights (else the first licensed component)."""
    comp = weights_component(report)
    if comp and comp.get("license"):
        return dict(comp["license"])
    for comp in report.data.get("components", []):
        if comp.get("license"):
            return dict(comp["license"])
    return None


def facts(report: Report, *kinds: str) -> Iterator[dict[str, Any]]:
    """Every evidence fact in the components whose kind is one of ``kinds`` (or starts with
    ``kind.``), de-duplicated, in report order."""
    seen: set[tuple[str, str, str]] = set()
    for comp in report.data.get("components", []):
        for fact in comp.get("evidence", []):
            kind = str(fact.get("kind", ""))
            if not any(kind == k or kind.startswith(k + ".") for k in kinds):
                continue
            ident = (kind, str(fact.get("value")), str(fact.get("path")))
            if ident in seen:
                continue
            seen.add(ident)
            yield fact


@dataclass(frozen=True, slots=True)
class DatasetRef:
    """A dataset the release declares, links or ships.

    Attributes:
        name: the Hub id or name as written, or the path of a data file in the release.
        url: an http(s) URL for it, when known.
        in_release: ``True`` for data files shipped in the release (their licence is the
            ``Datasets`` component's); ``False`` for datasets outside it (licence unchecked).
    """

    name: str
    url: str | None
    in_release: bool


def datasets(report: Report) -> list[DatasetRef]:
    """The training datasets the release declares, links or ships, each once."""
    out: dict[str, DatasetRef] = {}
    for fact in facts(report, "data.dataset", "data.dataset_link", "data.file"):
        name = str(fact["value"])
        if name in out:
            continue
        in_release = fact["kind"] == "data.file"
        url = safe_url(fact.get("url"))
        if in_release:
            url = file_url(report, name)
        elif url is None and re.fullmatch(r"[\w.\-]+/[\w.\-]+", name):
            url = f"https://huggingface.co/datasets/{name}"
        out[name] = DatasetRef(name, url, in_release)
    return list(out.values())


def dataset_license(report: Report) -> dict[str, Any] | None:
    """The licence of the ``Datasets`` component (data shipped in the release), if any."""
    for comp in report.data.get("components", []):
        if comp.get("name") == "Datasets" and comp.get("license"):
            return dict(comp["license"])
    return None


def eval_datasets(report: Report) -> list[str]:
    """Names of the evaluation datasets the card's results name."""
    return list(dict.fromkeys(str(f["value"]) for f in facts(report, "eval.dataset")))
