"""Licence declarations: card YAML, Hub tags, licence files, SPDX lines, README licence sections.

Each declaration becomes a ``license.*`` fact; the licence itself is identified by
:mod:`openscope.licenses` (declared ids classified, texts identified), and the result is kept
in the fact's ``attrs`` so every later judgement can cite it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from openscope import licenses
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.metadata import as_list
from openscope.evidence.probes import Probe

_LICENSE_FILE = re.compile(
    r"(^|[_\-.])(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use|terms[_-]?of[_-]?use)"
    r"([_\-.]|$)",
    re.IGNORECASE,
)
_SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*([^\n*#]+?)\s*(?:\*/|-->|$)", re.MULTILINE)
_CODE_SUFFIXES = (".py", ".sh", ".js", ".ts", ".c", ".cc", ".cpp", ".h", ".cu", ".rs", ".go",
                  ".java", ".jl", ".lua", ".yaml", ".yml", ".toml")
_SECTION_TITLE = re.compile(r"^(licen[cs]es?|licen[cs]ing|license\s+and\s+.*|terms of use)$", re.I)

#: Minimum identification confidence for a licence text to count as detected.
MIN_CONFIDENCE = 0.8


def is_license_file(path: str) -> bool:
    """Whether a path names a licence, notice or use-policy file (``LICENSE_weights`` too)."""
    name = PurePosixPath(path).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if name.lower().endswith((".py", ".json", ".yaml", ".yml", ".sh")):
        return False
    return bool(_LICENSE_FILE.search(stem))


def file_scope(path: str) -> str:
    """Which part of a release a licence file governs, from its name.

    ``weights`` (LICENSE_weights, MODEL_LICENSE), ``code`` (LICENSE-CODE), ``data``
    (DATA_LICENSE), ``policy`` (USE_POLICY, acceptable use), ``notice`` (NOTICE) or ``all``.
    """
    name = PurePosixPath(path).name.lower()
    if re.search(r"use[_-]?policy|acceptable[_-]?use|terms[_-]?of[_-]?use", name):
        return "policy"
    if "notice" in name:
        return "notice"
    if re.search(r"weight|model|param|checkpoint", name):
        return "weights"
    if "code" in name or "software" in name:
        return "code"
    if "data" in name:
        return "data"
    if "/" in path.strip("/"):
        return "subfolder"
    return "all"


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``license.*`` facts from every place the release states a licence."""
    yield from _from_card_metadata(ctx)
    yield from _from_tags(ctx)
    yield from _from_dataset_infos(ctx)
    yield from _from_files(ctx)
    yield from _from_spdx_lines(ctx)
    yield from _from_card_section(ctx)


def _declared_fact(raw: str, *, source: str, path: str | None, line: int | None,
                   key: str | None, text: str) -> Fact:
    c = licenses.classify(raw)
    return Fact(
        "license.declared",
        raw,
        "declared",
        path=path,
        line=line,
        key=key,
        snippet=snippet(text),
        attrs={
            "source": source,
            "id": c.license.id if c.license else c.expression,
            "openness": c.openness,
            "classified_by": c.method,
        },
    )


def _from_card_metadata(ctx: Context) -> Iterator[Fact]:
    data = ctx.card_data
    path, line, key = ctx.meta_location("license")
    source = "card" if path else "hub-cardData"
    values = as_list(data.get("license"))
    name_values = as_list(data.get("license_name"))
    for raw in values:
        if raw.lower() == "other" and name_values:
            continue  # the license_name says which "other" it is
        yield _declared_fact(raw, source=source, path=path, line=line, key=key,
                             text=f"license: {raw}")
    npath, nline, nkey = ctx.meta_location("license_name")
    for raw in name_values:
        yield _declared_fact(raw, source=source, path=npath, line=nline, key=nkey,
                             text=f"license_name: {raw}")
    lpath, lline, lkey = ctx.meta_location("license_link")
    for link in as_list(data.get("license_link")):
        yield Fact("license.link", link, "declared", path=lpath, line=lline, key=lkey,
                   url=link if link.startswith("http") else None,
                   snippet=snippet(f"license_link: {link}"))


def _from_dataset_infos(ctx: Context) -> Iterator[Fact]:
    """Short ``license`` fields of a legacy ``dataset_infos.json`` (one per config)."""
    doc = ctx.snapshot.document("dataset_infos.json")
    if doc is None or not doc.text:
        return
    try:
        infos = json.loads(doc.text)
    except (json.JSONDecodeError, RecursionError):
        return
    if not isinstance(infos, dict):
        return
    seen: set[str] = set()
    for config, info in infos.items():
        raw = info.get("license") if isinstance(info, dict) else None
        if not isinstance(raw, str) or not raw.strip() or len(raw) > 80 or raw in seen:
            continue
        seen.add(raw)
        yield _declared_fact(raw.strip(), source="dataset-infos", path=doc.path, line=None,
                             key=f"{config}.license", text=f"license: {raw}")


def _from_tags(ctx: Context) -> Iterator[Fact]:
    for tag in ctx.tags:
        if tag.startswith("license:"):
            raw = tag[len("license:"):]
            yield _declared_fact(raw, source="hub-api", path=None, line=None, key="tags",
                                 text=tag)


def _from_files(ctx: Context) -> Iterator[Fact]:
    snap = ctx.snapshot
    read = {d.path: d for d in snap.documents}
    for path in snap.file_paths() or tuple(read):
        if not is_license_file(path):
            continue
        doc = read.get(path)
        attrs: dict[str, object] = {"scope": file_scope(path)}
        if doc is None or doc.text is None:
            attrs["read"] = False
            if doc is not None and doc.problem:
                attrs["problem"] = doc.problem
            yield Fact("license.file", path, "detected", path=path, attrs=attrs,
                       snippet="listed, text not read")
            continue
        ident = licenses.identify_text(doc.text, path)
        title = next((ln.strip() for ln in doc.text.splitlines() if ln.strip()), "")
        attrs.update(
            {
                "read": True,
                "id": ident.id if ident.confidence >= MIN_CONFIDENCE else None,
                "confidence": round(ident.confidence, 3),
                "identified_by": ident.method,
                "candidates": [[cid, round(score, 3)] for cid, score in ident.candidates[:3]],
            }
        )
        if ident.id and ident.confidence >= MIN_CONFIDENCE and ident.license is not None:
            attrs["openness"] = ident.license.openness
        yield Fact("license.file", path, "detected", path=path, line=1, attrs=attrs,
                   snippet=snippet(title))


def _from_spdx_lines(ctx: Context) -> Iterator[Fact]:
    seen: set[tuple[str, str]] = set()
    for path, text in ctx.docs_text():
        # SPDX lines in source files license that code; licence files are read as texts.
        if "SPDX-License-Identifier" not in text or not path.lower().endswith(_CODE_SUFFIXES):
            continue
        for m in _SPDX_LINE.finditer(text):
            expr = m.group(1).strip()
            if not expr or (path, expr) in seen:
                continue
            seen.add((path, expr))
            line = text.count("\n", 0, m.start()) + 1
            c = licenses.classify(expr)
            yield Fact(
                "license.spdx_line", expr, "detected", path=path, line=line,
                snippet=snippet(m.group(0)),
                attrs={"id": c.license.id if c.license else c.expression, "openness": c.openness},
            )


def _from_card_section(ctx: Context) -> Iterator[Fact]:
    card = ctx.card
    if card is None:
        return
    for sec in card.sections:
        if not _SECTION_TITLE.match(sec.title) or not sec.body.strip():
            continue
        ident = licenses.identify_text(sec.body, card.path)
        attrs: dict[str, object] = {"title": sec.title}
        if ident.id and ident.confidence >= MIN_CONFIDENCE:
            attrs.update({"id": ident.id, "confidence": round(ident.confidence, 3),
                          "identified_by": ident.method})
            if ident.license is not None:
                attrs["openness"] = ident.license.openness
        yield Fact("license.section", sec.title, "detected", path=card.path, line=sec.line,
                   snippet=snippet(sec.body), attrs=attrs)

PROBES = (
    Probe("license.declared", "Which licence does the publisher declare?",
          ("license.declared", "license.link"),
          "Card YAML `license` / `license_name` / `license_link`, `license:` Hub tags, "
          "`dataset_infos.json`; normalised through the licence knowledge base.",
          "A Hub tag that lags behind a licence change in the card."),
    Probe("license.text", "Which licence texts ship in the release, and what do they say?",
          ("license.file", "license.spdx_line", "license.section"),
          "LICENSE / COPYING / NOTICE / USE_POLICY and scoped licence files identified by "
          "text; `SPDX-License-Identifier:` lines; the card's licence section and bold "
          "`**License**:` fields.",
          "A licence section that quotes the base model's licence as context."),
)
