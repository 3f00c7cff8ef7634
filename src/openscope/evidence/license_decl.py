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

from openscope import lazyre, licenses
from openscope.evidence.card import (
    MAX_FIELD_LINE,
    body_lines,
    is_placeholder,
    iter_fields,
    plain_text,
)
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.metadata import as_list
from openscope.evidence.probes import Probe

_LICENSE_FILE = lazyre.compile(
    r"(^|[_\-.])(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use|terms[_-]?of[_-]?use)"
    r"([_\-.]|$)",
    re.IGNORECASE,
)
_SPDX_LINE = lazyre.compile(r"SPDX-License-Identifier:\s*([^\n*#]+?)\s*(?:\*/|-->|$)", re.MULTILINE)
_CODE_SUFFIXES = (".py", ".sh", ".js", ".ts", ".c", ".cc", ".cpp", ".h", ".cu", ".rs", ".go",
                  ".java", ".jl", ".lua", ".yaml", ".yml", ".toml")
_SECTION_TITLE = lazyre.compile(
    r"^(licen[cs]es?|licen[cs]ing|license\s+and\s+.*|terms of use)$", re.I)

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
    yield from _from_card_prose(ctx)


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

# ----------------------------------------------------------------------------- card prose

#: A field label naming a licence: "License", "Code License", "Model weights licence".
_LICENSE_LABEL = lazyre.compile(
    r"^(?:(?P<prefix>[\w ()/&,.'-]{0,40}?)\s+)?licen[cs](?:e|es|ing)"
    r"(?:\s+(?:type|info|information|terms|agreement|details))?$",
    re.I,
)
#: Words saying which part of the release a statement governs, checked in this order.
_SUBJECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"\b(?:code(?:base)?|software|scripts?|implementation|source)\b", re.I)),
    ("data", re.compile(r"\b(?:data(?:sets?)?|corpus|corpora)\b", re.I)),
    ("model", re.compile(r"\b(?:models?|weights?|checkpoints?|parameters|params)\b", re.I)),
)
#: Words naming another work than the release: its licence is context, not a statement.
_OTHER_WORK = lazyre.compile(
    r"\b(?:base|original|parent|upstream|teacher|foundation|underlying|third[- ]party|"
    r"pre-?trained|source)\s+(?:model|weights|checkpoint|llm)s?\b|\bderived\s+from\b",
    re.I,
)
_CLAUSE_SPLIT = lazyre.compile(r"[;,]\s|\.\s|\s(?:while|whereas|but)\s", re.I)
#: "This model is released under ...": a sentence whose subject is the release.
_RELEASE_SENTENCE = lazyre.compile(
    r"\b(?:this|the|our)\s+(?:(?:fine-?tuned|quantized|quantised|merged|released)\s+)?"
    r"(?P<subject>model\s+weights|model\s+checkpoints?|models?|weights|checkpoints?|"
    r"source\s+code|code(?:base)?|repository|repo)\s+(?:is|are)\s+"
    r"(?:(?:also|hereby|currently|now|being|fully)\s+)?(?:released|licensed|distributed|"
    r"made\s+available|available|published|provided|shared|open[- ]sourced)\s+under\s+",
    re.I,
)
_SENTENCE_SUBJECT = {"repository": "unknown", "repo": "unknown", "source code": "code",
                     "code": "code", "codebase": "code"}
_SPAN_WORD = lazyre.compile(r"[A-Za-z0-9][\w.+-]{0,40}")
#: Words a licence name never starts with (keeps the span search short and precise).
_NOT_A_START = frozenset((
    "the", "a", "an", "is", "are", "be", "was", "were", "under", "license", "licence",
    "licensed", "released", "available", "and", "or", "of", "this", "that", "it", "its", "our",
    "model", "models", "weights", "code", "same", "as", "with", "by", "for", "to", "in", "on",
    "see", "use", "used", "all", "any", "non", "commercial", "research", "only", "also",
    "which", "must", "comply", "terms", "please", "version", "v",
))
_MAX_SPAN_WORDS = 9
#: A qualifier that makes a named licence another one ("Modified MIT License").
_MODIFIED = lazyre.compile(
    r"\b(?:modified|custom|adapted|amended|variant\s+of|based\s+on)\W*$", re.I)
#: "The source code in this repo ...": the noun before the sentence's subject decides.
_NOUN_BEFORE = lazyre.compile(r"\b(code(?:base)?|software|scripts?|weights|checkpoints?|"
                              r"data(?:sets?)?)\s+(?:in|of|from)\s+$", re.I)


def find_licenses(text: str, *,
                  whole_family: bool = True) -> list[tuple[int, licenses.Classification]]:
    """Licences named in a short text, as (offset, classification), longest name first.

    A family name ("GPL", "BSD") counts only when it is the whole text (``whole_family``);
    "other" and "unknown" never count.

    >>> found = find_licenses("Code is released under MIT, weights under CC-BY-NC 4.0")
    >>> [c.license.id for _, c in found if c.license]
    ['MIT', 'CC-BY-NC-4.0']
    """
    text = text[:600]
    whole = licenses.classify(text.strip(" .;:")) if len(text) < 120 else None
    if whole is not None and whole.license is not None and whole.license.kind != "unspecified" \
            and (whole_family or whole.license.kind != "family") \
            and not re.match(r"(?<!\W)\W*(?:modified|custom|adapted|amended)\b", text, re.I):
        return [(0, whole)]
    words = list(_SPAN_WORD.finditer(text))[:80]
    found: list[tuple[int, licenses.Classification]] = []
    i = 0
    while i < len(words):
        if words[i].group().lower() in _NOT_A_START:
            i += 1
            continue
        for j in range(min(len(words), i + _MAX_SPAN_WORDS), i, -1):
            span = text[words[i].start():words[j - 1].end()]
            if re.search(r"\s(?:and|or|with)\s", span, re.I):
                continue
            c = licenses.classify(span)
            if c.license is not None and c.license.kind not in ("unspecified", "family"):
                if not _MODIFIED.search(text[max(0, words[i].start() - 24):words[i].start()]):
                    found.append((words[i].start(), c))
                i = j
                break
        else:
            i += 1
    return found


def _subject_of(text: str) -> str | None:
    """The part of the release a clause names (model, code, data), if exactly one."""
    text = _OTHER_WORK.sub(" ", text)
    named = [name for name, pat in _SUBJECTS if pat.search(text)]
    if len(named) == 1:
        return named[0]
    return "unknown" if named else None


def _prose_fact(c: licenses.Classification, *, title: str, form: str, subject: str,
                path: str, line: int, text: str) -> Fact:
    lic = c.license
    attrs: dict[str, object] = {
        "title": title, "form": form, "subject": subject,
        "id": lic.id if lic else c.expression, "openness": c.openness,
        "identified_by": c.method,
    }
    return Fact("license.section", title, "detected", path=path, line=line,
                snippet=snippet(text), attrs=attrs)


def _from_card_prose(ctx: Context) -> Iterator[Fact]:
    """Licence fields (``**License:** CC BY-NC 4.0``, ``Code License: MIT``) and sentences
    whose subject is the release ("This model is released under Apache 2.0")."""
    card = ctx.card
    if card is None:
        return
    seen: set[tuple[int, str]] = set()
    field_lines: set[int] = set()
    for f in iter_fields(card):
        m = _LICENSE_LABEL.match(plain_text(f.label))
        if m is None or is_placeholder(f.value):
            continue
        prefix = (m.group("prefix") or "").strip()
        if prefix and _OTHER_WORK.search(prefix + " model"):
            continue  # "Base model license:", "Original license:": another work's licence
        label_subject = _subject_of(prefix) if prefix else "unknown"
        if label_subject is None:
            continue  # "Usage license", "Demo license": not the release as a whole
        field_lines.add(f.line)
        value = plain_text(f.value)
        for n, clause in enumerate(_CLAUSE_SPLIT.split(value)):
            named = _subject_of(clause)
            if n and (named is None or clause.lstrip().lower().startswith("see")):
                continue  # a later clause counts only when it names its own part
            subject = named or label_subject
            # the first licence of a clause is the statement; later ones describe it
            # ("[CreativeML OpenRAIL-M] is an Open RAIL-M license, adapted from ...")
            for _, c in find_licenses(clause)[:1]:
                key = (f.line, str(c.license.id if c.license else c.expression))
                if key in seen:
                    continue
                seen.add(key)
                yield _prose_fact(c, title=f.label, form=f.form, subject=subject,
                                  path=card.path, line=f.line, text=f.raw)
    lines, mask = body_lines(card)
    sentences = 0
    for i, full in enumerate(lines):
        line_no = card.body_line + i
        if mask[i] or line_no in field_lines or "under" not in full:
            continue
        text = plain_text(full[:MAX_FIELD_LINE])
        for m in _RELEASE_SENTENCE.finditer(text):
            found = find_licenses(text[m.end():m.end() + 160], whole_family=False)
            if not found:
                continue
            c = found[0][1]
            noun = " ".join(m.group("subject").lower().split())
            subject = _SENTENCE_SUBJECT.get(noun, "model")
            before = _NOUN_BEFORE.search(text[max(0, m.start() - 40):m.start()])
            if before is not None:  # "the source code in this repo is licensed under"
                subject = _subject_of(before.group(1)) or subject
                if subject == "data":
                    continue  # the data of something else: not the release's licence
            key = (line_no, str(c.license.id if c.license else c.expression))
            if key in seen:
                continue
            seen.add(key)
            sentences += 1
            yield _prose_fact(c, title=m.group(0).strip(), form="sentence", subject=subject,
                              path=card.path, line=line_no, text=text[m.start():])
        if sentences >= 5:
            return


PROBES = (
    Probe("license.declared", "Which licence does the publisher declare?",
          ("license.declared", "license.link"),
          "Card YAML `license` / `license_name` / `license_link`, `license:` Hub tags, "
          "`dataset_infos.json`; normalised through the licence knowledge base.",
          "A Hub tag that lags behind a licence change in the card."),
    Probe("license.text", "Which licence texts ship in the release, and what do they say?",
          ("license.file", "license.spdx_line", "license.section"),
          "LICENSE / COPYING / NOTICE / USE_POLICY and scoped licence files identified by "
          "text; `SPDX-License-Identifier:` lines; the card's licence section; licence "
          "fields in the card body (`**License:** CC BY-NC 4.0`, `Code License: MIT`, "
          "`| License | Apache 2.0 |`, `attrs.form` field/table) and sentences whose subject "
          "is the release (\"This model is released under ...\", `attrs.form` sentence), "
          "with `attrs.subject` model/code/data/unknown from the label or clause; labels "
          "naming another work (\"Base model license\") are skipped.",
          "A licence section that quotes the base model's licence as context; a `License:` "
          "field that names an upstream licence (\"same as Llama 2\") is read as the "
          "release's own; a model name that is also a licence id (\"Gemma\", \"Qwen\") "
          "in a licence field value."),
)
