"""Text normalisation for licence matching: pure functions, no knowledge base.

``normalize_text`` turns a licence text into lowercase words separated by single spaces,
without punctuation, Markdown/HTML markup, link targets or copyright lines, so that the
same licence typed, reflowed or rendered differently gives the same string. It is
idempotent. ``shingle_hashes`` turns a normalised text into stable hashes of its word
5-grams (crc32, so the values do not depend on the Python process).
"""

from __future__ import annotations

import re
import zlib

from openscope import lazyre

SHINGLE = 5

_TAG = lazyre.compile(r"<[^>\n]{0,300}>")
_MD_LINK = lazyre.compile(r"\[([^\]\n]{0,300})\]\([^)\s]{0,500}\)")
_ENTITY = lazyre.compile(r"&(?:nbsp|amp|lt|gt|quot|#\d+);")
_WORD = lazyre.compile(r"[^\W_]+")
_COPYRIGHT_LINE = lazyre.compile(
    r"^[ \t]*(?:copyright|\(c\)|©)[^\n]{0,80}$", re.IGNORECASE | re.MULTILINE
)
_LICENSE_WORD = lazyre.compile(r"licen[cs]e", re.IGNORECASE)
_YEARISH = lazyre.compile(r"(?:\(c\)|©|\b(?:19|20)\d\d\b)", re.IGNORECASE)

#: The largest text looked at (characters); longer inputs are cut.
MAX_CHARS = 200_000


def _strip_copyright_lines(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        line = m.group(0)
        if _LICENSE_WORD.search(line):  # "Copyright (c) 2023 X Open RAIL++-M License ..."
            return line
        return "" if _YEARISH.search(line) else line

    return _COPYRIGHT_LINE.sub(repl, text)


def _one_pass(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _ENTITY.sub(" ", text)
    text = _strip_copyright_lines(text)
    return " ".join(_WORD.findall(text.lower()))


def normalize_text(text: str) -> str:
    """Normalise a licence text for matching (idempotent).

    Lowercases, drops Markdown links' targets, HTML tags and entities, copyright lines
    (``Copyright (c) 2023 ...``), punctuation and layout; keeps letters and digits of any
    script. Inputs longer than :data:`MAX_CHARS` are cut first.
    """
    out = _one_pass(text[:MAX_CHARS])
    # Each pass only removes material, so this reaches a fixed point quickly; looping
    # makes the function idempotent by construction.
    for _ in range(4):
        nxt = _one_pass(out)
        if nxt == out:
            break
        out = nxt
    return out


def shingle_hashes(normalized: str, size: int = SHINGLE) -> set[int]:
    """Stable hashes of the word ``size``-grams of a normalised text.

    A text with fewer words than ``size`` gives one shingle of all its words.
    """
    words = normalized.split()
    if not words:
        return set()
    if len(words) <= size:
        return {zlib.crc32(" ".join(words).encode("utf-8"))}
    crc = zlib.crc32
    return {
        crc(" ".join(words[i : i + size]).encode("utf-8"))
        for i in range(len(words) - size + 1)
    }


_KEY_DROP = lazyre.compile(
    r"\b(?:the|a|an|licen[cs]es?|agreement|version|ver|vers|public|terms|of|and|or|"
    r"software|use|international|v(?=\d))\b"
)

_KEY_VERSION = lazyre.compile(r"\bv\s*(?=\d)")
_KEY_PUNCT = lazyre.compile(r"[^\w.]+")
_KEY_NON_WORD = lazyre.compile(r"[\W_]+")


def normalize_key(name: str) -> str:
    """A loose lookup key for licence names and ids.

    ``"Apache License, Version 2.0"``, ``"apache-2.0"`` and ``"Apache 2.0"`` all give
    ``"apache20"``; ``"CC BY-NC 4.0"`` gives ``"ccbync40"``.
    """
    s = name.lower().replace("licence", "license").replace("+", " plus ")
    s = _KEY_VERSION.sub(" ", s)
    s = _KEY_PUNCT.sub(" ", s)
    s = s.replace(".", " ")
    s = _KEY_DROP.sub(" ", s)
    return _KEY_NON_WORD.sub("", s)
