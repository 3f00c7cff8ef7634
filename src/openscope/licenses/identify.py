"""Identify a licence from its text: a fast matcher over normalised text.

Layers, first decisive one wins (the method is recorded):

1. ``spdx-line``: an ``SPDX-License-Identifier:`` line, classified as an expression.
2. ``title``: the opening words match a licence's title pattern (this is what tells the
   Llama versions apart: "Meta Llama 3 Version Release Date: April 18, 2024" vs
   "Llama 3.1 Version Release Date: July 23, 2024"); confirmed by the fingerprint score.
3. ``fingerprint``: containment of hashed word 5-grams against reference fingerprints
   (Dice of the two coverages); accepted at a score of 0.80 with a clear margin.
4. ``notice``: a one-line notice ("Llama 3.1 is licensed under the Llama 3.1 Community
   License, ...", "... licensed under the Apache License, Version 2.0") in a short text.

Anything else is ``id=None`` with the closest candidates and their scores. Reference
fingerprints are hashes derived at build time (``scripts/build_license_kb.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from openscope import lazyre
from openscope.licenses.classify import classify
from openscope.licenses.kb import get
from openscope.licenses.model import Identification
from openscope.licenses.normalize import MAX_CHARS, normalize_text, shingle_hashes

ACCEPT = 0.80  # fingerprint score needed without a title
TITLE_CONFIRM = 0.50  # fingerprint score that confirms a title match
MARGIN = 0.05
NOTICE_MAX_WORDS = 400
_HEAD_CHARS = 400

_SPDX_LINE = lazyre.compile(r"SPDX-License-Identifier\s*:\s*([^\r\n]*)", re.IGNORECASE)
_SPDX_TAIL = lazyre.compile(r"(?<!\s)\s*(?:\*/|-->|#}|\*\)|;|\"|').*$")
_GENERIC_NOTICE = lazyre.compile(
    r"\b(?:(?:licensed|released|distributed|made available|available|provided|licenced|"
    r"falls|is|are|published|shared|offered) under|governed by|covered by|subject to)"
    r" (?:and subject to )?(?:the )?(?:terms of (?:the )?)?"
    r"((?:[a-z0-9]+ ){0,8}?)(?:license|licence|terms of use|public license)\b"
)


@dataclass(frozen=True, slots=True)
class _Ref:
    id: str
    hashes: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Index:
    version: str
    sample_mod: int
    refs: tuple[_Ref, ...]
    titles: tuple[tuple[str, re.Pattern[str]], ...]
    notices: tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def _index() -> _Index:
    raw = json.loads(
        resources.files("openscope.licenses").joinpath("data", "fingerprints.json")
        .read_text(encoding="utf-8")
    )
    # No hash -> refs postings: building them in Python cost ~25 ms of every process's
    # start-up, while the ~100 set intersections of a lookup run in C.
    refs = tuple(_Ref(r["id"], frozenset(r["hashes"])) for r in raw["refs"])
    return _Index(
        version=str(raw["version"]),
        sample_mod=int(raw["sample_mod"]),
        refs=refs,
        titles=tuple((t["id"], lazyre.compile(t["pattern"])) for t in raw["titles"]),
        notices=tuple((t["id"], lazyre.compile(t["pattern"])) for t in raw["notices"]),
    )


def warm_up() -> None:
    """Load the knowledge base and fingerprints now (otherwise on first use)."""
    _index()
    get("mit")


def _scores(norm: str) -> list[tuple[str, float]]:
    """Best score per licence id, best first."""
    idx = _index()
    mod = idx.sample_mod
    sample = {h for h in shingle_hashes(norm) if h % mod == 0}
    if not sample:
        return []
    best: dict[str, float] = {}
    n = len(sample)
    for ref in idx.refs:
        k = len(sample & ref.hashes)
        if not k:
            continue
        dice = 2.0 * k / (n + len(ref.hashes))
        if dice > best.get(ref.id, 0.0):
            best[ref.id] = dice
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) < 3:  # always offer a few candidates, even with no overlap at all
        seen = {k for k, _ in ranked}
        for r in idx.refs:
            if r.id not in seen:
                ranked.append((r.id, 0.0))
                seen.add(r.id)
            if len(ranked) >= 3:
                break
    return ranked


def _result(lid: str | None, conf: float, cands: list[tuple[str, float]],
            method: str) -> Identification:
    lic = get(lid) if lid else None
    uniq: dict[str, float] = {}
    for cid, score in cands:
        uniq.setdefault(cid, score)  # first mention wins (the decision, then by score)
    top = tuple((c, round(s, 3)) for c, s in list(uniq.items())[:5])
    return Identification(
        id=lic.id if lic else lid,
        name=lic.name if lic else None,
        confidence=round(conf, 3),
        candidates=top,
        method=method,
        license=lic,
    )


def _none(method: str = "none", cands: list[tuple[str, float]] | None = None) -> Identification:
    return Identification(None, None, 0.0, tuple((c, round(s, 3)) for c, s in (cands or [])[:5]),
                          method, None)


def _looks_binary(text: str) -> bool:
    head = text[:8192]
    if "\x00" in head:
        return True
    bad = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f\v")
    return bool(head) and bad / len(head) > 0.10


def _spdx_line(text: str) -> Identification | None:
    m = _SPDX_LINE.search(text[:MAX_CHARS])
    if not m:
        return None
    expr = _SPDX_TAIL.sub("", m.group(1)).strip()
    c = classify(expr)
    if c.license is None and c.expression is None:
        return None
    lid = c.license.id if c.license else c.expression
    return Identification(lid, c.license.name if c.license else lid, 1.0, ((lid or "", 1.0),),
                          "spdx-line", c.license)


def _notice(norm: str) -> str | None:
    idx = _index()
    for lid, pat in idx.notices:
        if pat.search(norm):
            return lid
    for m in _GENERIC_NOTICE.finditer(norm):
        words = m.group(1).split()
        # try the longest phrase first, then drop leading words ("the model is ...")
        for i in range(len(words)):
            phrase = " ".join(words[i:])
            tail = m.group(0).split()[-1]
            for cand in (f"{phrase} {tail}", phrase):
                if not cand.strip():
                    continue
                c = classify(cand)
                if c.license is not None and c.license.kind not in ("unspecified", "family"):
                    return c.license.id
    return None


_MD_PREFIX = lazyre.compile(r"^[\s#>*_`=-]+|[\s*_`=#-]+$")


def _title_line(text: str) -> str | None:
    """The licence named by the text's first line, when that line is a short title."""
    lines = text[:2000].splitlines()
    if lines and lines[0].strip() == "---":  # YAML front matter is a declaration, not a title
        return None
    for line in lines:
        line = _MD_PREFIX.sub("", line).strip()
        if not line:
            continue
        if (len(line.split()) > 15 or ":" in line
                or line.lower().startswith(("copyright", "(c)", "©"))):
            return None
        c = classify(line)
        if c.license is not None and c.license.kind not in ("unspecified", "family"):
            return c.license.id
        return None
    return None


def identify_text(text: str, path: str | None = None, backend: str = "builtin") -> Identification:
    """Identify the licence (or use policy) a text states.

    ``path`` is informational (kept for backends and messages). ``backend="scancode"``
    runs the optional ScanCode backend instead (``pip install openscope[scancode]``).
    Never raises on bad input: binary, empty or unknown text gives ``id=None`` with the
    closest candidates; only the first 200 KB are read.
    """
    if backend == "scancode":
        from openscope.licenses.scancode_backend import identify_with_scancode

        return identify_with_scancode(text, path)
    if backend != "builtin":
        raise ValueError(f"unknown backend {backend!r} (builtin or scancode)")
    if not isinstance(text, str):
        return _none()
    text = text[:MAX_CHARS]
    if _looks_binary(text):
        return _none("binary")
    norm = normalize_text(text)
    if not norm:
        return _none()
    head = norm[:_HEAD_CHARS]
    title_id = next((lid for lid, pat in _index().titles if pat.search(head)), None)
    scores = _scores(norm)
    score_of = dict(scores)
    best_id, best = scores[0] if scores else (None, 0.0)
    second = next((s for i, s in scores if i != best_id), 0.0)

    if title_id is not None:
        ts = score_of.get(title_id)
        has_ref = any(r.id == title_id for r in _index().refs)
        if not has_ref:
            return _result(title_id, 0.85, [(title_id, 0.85), *scores], "title")
        if ts is not None and ts >= TITLE_CONFIRM:
            return _result(title_id, max(ts, 0.9), scores, "title")
        # the title says one thing, the body another: not confident
        return _result(None, 0.0, [(title_id, round(ts or 0.0, 3)), *scores], "title-unconfirmed")

    spdx = _spdx_line(text)
    if spdx is not None:
        return spdx

    clear = best - second >= MARGIN or (best >= 0.9 and best - second >= 0.02)
    if best_id is not None and best >= ACCEPT and clear:
        return _result(best_id, best, scores, "fingerprint")

    tid = _title_line(text)
    if tid is not None:
        return _result(tid, 0.8, [(tid, 0.8), *scores], "title-line")

    if len(norm.split()) <= NOTICE_MAX_WORDS or best < 0.3:
        nid = _notice(norm)
        if nid is not None:
            return _result(nid, 0.9, [(nid, 0.9), *scores], "notice")
    return _none("none", scores)
