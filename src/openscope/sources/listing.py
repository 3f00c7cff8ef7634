"""Upstream file listings and Git LFS pointers: the files a partial download stands for.

A folder holding only a release's documents (weights left on the Hub, or a clone made with
``GIT_LFS_SKIP_SMUDGE=1``) is audited as the whole release when its upstream listing is
given (``openscope audit DIR --listing FILE``) or its LFS pointer files are recognised.

Accepted listing formats, one file per line (detected per line, so a file may mix them):

* ``git ls-tree -r -l REV``: ``MODE TYPE SHA SIZE<TAB>PATH`` (also without ``-l``); only
  ``blob`` entries are files; C-quoted paths (``"a\\tb"``) are unquoted.
* the ``hf`` / ``huggingface-cli`` table (``hf download --dry-run``): ``PATH  SIZE`` with two
  or more spaces before a size such as ``1.5K`` or ``4.9G``; header, separator and
  ``[dry-run]`` lines are skipped.
* a plain ``files.txt``: ``PATH`` or ``PATH<TAB>SIZE``.
* JSON: a list of paths, or of objects with ``path``/``rfilename`` and ``size`` (the Hub
  API's ``tree`` and ``siblings``), or an object with ``siblings``.

Bad lines (absolute paths, ``..``, control characters, over-long lines) are skipped with a
note; input that is not a text listing at all raises :class:`~openscope.errors.InputError`.
Parsing is line by line with bounded, linear regexes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openscope import lazyre
from openscope.errors import InputError
from openscope.snapshot import FileEntry

#: Largest listing file read (a 100,000-file ls-tree is about 12 MB).
MAX_LISTING_BYTES = 32 * 1024 * 1024
#: Most entries kept (the folder walk's own bound).
MAX_ENTRIES = 100_000
#: Longest line and path accepted.
MAX_LINE = 4096
MAX_PATH = 1024
#: Bad lines quoted in notes; the rest are counted.
MAX_NOTED = 5

_LS_TREE = lazyre.compile(r"^([0-7]{6}) (blob|tree|commit) ([0-9a-f]{40}|[0-9a-f]{64})"
                          r"(?: +(-|\d{1,20}))?\t(.+)$")
_HF_SIZE = lazyre.compile(r"^(\d{1,15}(?:\.\d{1,6})?) ?([KMGTP]i?B?|B|bytes)?$", re.I)
_HF_HEADER = lazyre.compile(r"^(file|path|filename)\b.{0,80}\b(size|bytes)\b", re.I)
_SEPARATOR_CHARS = frozenset(" \t-=+|:")
_CONTROL = lazyre.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = lazyre.compile(r"^[A-Za-z]:")
_UNITS = {"": 1, "b": 1, "bytes": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2,
          "g": 1000**3, "gb": 1000**3, "t": 1000**4, "tb": 1000**4, "p": 1000**5, "pb": 1000**5,
          "ki": 1024, "kib": 1024, "mi": 1024**2, "mib": 1024**2, "gi": 1024**3,
          "gib": 1024**3, "ti": 1024**4, "tib": 1024**4, "pi": 1024**5, "pib": 1024**5}
_JSON_START = lazyre.compile(r"(\[\s*[\[{\"\]]|\{\s*[\"}])")
_OCTAL = lazyre.compile(r"[0-7]{3}")
_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


@dataclass(frozen=True)
class Listing:
    """A parsed upstream listing.

    Attributes:
        name: the listing file's name (not its path: a snapshot must not depend on where
            the listing was kept).
        entries: the files listed, sorted by path, each path once.
        format: ``git-ls-tree``, ``hf``, ``plain``, ``json`` or ``mixed``.
        notes: lines skipped and why (bounded), one line each.
    """

    name: str
    entries: tuple[FileEntry, ...]
    format: str
    notes: tuple[str, ...] = ()


def read_listing(path: Path) -> Listing:
    """Read and parse the listing at ``path``.

    Raises :class:`InputError` (exit 3) when the file is missing, too large, binary, not
    UTF-8, or holds no usable path.
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_LISTING_BYTES + 1)
    except IsADirectoryError as exc:
        raise InputError(f"{path}: the listing is a folder, not a file",
                         "give a file with one path per line") from exc
    except OSError as exc:
        raise InputError(f"{path}: listing not readable ({exc.strerror})",
                         "check the --listing path") from exc
    if len(raw) > MAX_LISTING_BYTES:
        raise InputError(f"{path}: listing larger than {MAX_LISTING_BYTES // (1024 * 1024)} MiB",
                         "give the listing of one release")
    return parse_listing(raw, path.name)


def parse_listing(raw: bytes, name: str = "listing") -> Listing:
    """Parse listing bytes (see the module docstring for the formats); never crashes.

    >>> parse_listing(b"model.safetensors\\t12\\nREADME.md\\n").entries
    (FileEntry(path='README.md', size=None), FileEntry(path='model.safetensors', size=12))
    """
    if b"\x00" in raw[:65536]:
        raise InputError(f"{name}: binary content, not a text listing",
                         "give a text file with one path per line")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: listing is not UTF-8 text (byte {exc.start})",
                         "give a UTF-8 text file with one path per line") from exc
    stripped = text.lstrip()
    if _JSON_START.match(stripped[:64]):
        return _parse_json(stripped, name)
    entries: dict[str, int | None] = {}
    bad: list[str] = []
    bad_count = 0
    formats: set[str] = set()
    notes: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(entries) >= MAX_ENTRIES:
            notes.append(f"{name}: listing stopped at {MAX_ENTRIES} files")
            break
        parsed = _parse_line(line)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            bad_count += 1
            if len(bad) < MAX_NOTED:
                bad.append(f"{name} line {number}: {parsed}, skipped")
            continue
        path, size, fmt = parsed
        formats.add(fmt)
        if path not in entries or entries[path] is None:
            entries[path] = size
    if bad_count > len(bad):
        bad.append(f"{name}: {bad_count - len(bad)} more bad lines skipped")
    if not entries:
        first = f" ({bad[0]})" if bad else ""
        raise InputError(f"{name}: no file paths found in the listing{first}",
                         "give one path per line, `git ls-tree -r -l` output or an hf listing")
    fmt = formats.pop() if len(formats) == 1 else "mixed"
    return Listing(name, _sorted(entries), fmt, tuple(bad + notes))


def _parse_line(line: str) -> tuple[str, int | None, str] | str | None:
    """``(path, size, format)`` for a file line, a reason string for a bad line, ``None`` for
    lines that carry no file (blank, headers, separators, folders, submodules)."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    if len(line) > MAX_LINE:
        return f"line longer than {MAX_LINE} characters"
    if "\t" in line:
        m = _LS_TREE.match(line)
        if m:
            if m.group(2) != "blob":
                return None  # folders (ls-tree -t) and submodules are not files
            size = m.group(4)
            return _checked(_unquote(m.group(5)), None if size in (None, "-") else int(size),
                            "git-ls-tree")
        path, _, size_text = line.rpartition("\t")
        size_text = size_text.strip()
        if size_text.isdigit() and len(size_text) <= 20:
            return _checked(path, int(size_text), "plain")
        if not size_text:
            return _checked(path, None, "plain")
        return "a TAB but no size or git ls-tree fields"
    if line.startswith("[dry-run]") or _is_separator(line) or _HF_HEADER.match(line):
        return None
    # The hf table: the size after the last run of two spaces (found without backtracking).
    body = line.rstrip()
    cut = body.rfind("  ")
    m = _HF_SIZE.match(body[cut:].strip()) if cut > 0 else None
    if m and body[:cut].strip():
        unit = (m.group(2) or "").lower()
        return _checked(body[:cut].strip(), round(float(m.group(1)) * _UNITS.get(unit, 1)), "hf")
    return _checked(line.strip(), None, "plain")


def _is_separator(line: str) -> bool:
    """A table rule such as ``----- -----`` (a lone ``-`` may be a file name)."""
    return set(line) <= _SEPARATOR_CHARS and line.count("-") + line.count("=") >= 3


def _checked(path: str, size: int | None, fmt: str) -> tuple[str, int | None, str] | str | None:
    """Normalise a listed path, or say why it cannot be a file of the release."""
    if _CONTROL.search(path):
        return "control character in the path"
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return "absolute path"
    if "\\" in path:
        return "backslash in the path (not a repository path)"
    if path.endswith("/"):
        return None  # a folder
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        return "path with '..'"
    if not parts:
        return "empty path"
    if len(path) > MAX_PATH:
        return f"path longer than {MAX_PATH} characters"
    if parts[0] == ".git":
        return None  # git's own files are not the release's
    return "/".join(parts), size, fmt


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths (``"caf\\303\\251.txt"``)."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    body = path[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out += ch.encode("utf-8")
            i += 1
            continue
        nxt = body[i + 1]
        if _OCTAL.fullmatch(body[i + 1:i + 4]):
            out.append(int(body[i + 1:i + 4], 8) & 0xFF)
            i += 4
        elif nxt in _C_ESCAPES:
            out.append(_C_ESCAPES[nxt])
            i += 2
        else:
            out += ch.encode("utf-8")
            i += 1
    return out.decode("utf-8", "replace")


def _parse_json(text: str, name: str) -> Listing:
    """A JSON listing: paths, or objects with ``path``/``rfilename`` and ``size``."""
    try:
        data: Any = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{name}: listing looks like JSON but does not parse",
                         "give a JSON list of paths or of {path, size} objects") from exc
    if isinstance(data, dict):
        data = data.get("siblings") if isinstance(data.get("siblings"), list) else None
    if not isinstance(data, list):
        raise InputError(f"{name}: JSON listing is not a list of files",
                         "give a JSON list of paths or of {path, size} objects")
    entries: dict[str, int | None] = {}
    bad: list[str] = []
    bad_count = 0
    for i, item in enumerate(data[:MAX_ENTRIES]):
        if isinstance(item, dict):
            if item.get("type") not in (None, "file"):
                continue  # folders in the Hub's tree listing
            path, size = item.get("path", item.get("rfilename")), item.get("size")
        else:
            path, size = item, None
        if not isinstance(path, str) or isinstance(size, bool) or not (
                size is None or (isinstance(size, int) and size >= 0)):
            reason: str | tuple[str, int | None, str] | None = "not a path with a size"
        else:
            reason = _checked(path, size, "json") if len(path) <= MAX_LINE else "path too long"
        if isinstance(reason, tuple):
            entries.setdefault(reason[0], reason[1])
        elif reason is not None:
            bad_count += 1
            if len(bad) < MAX_NOTED:
                bad.append(f"{name} item {i}: {reason}, skipped")
    if bad_count > len(bad):
        bad.append(f"{name}: {bad_count - len(bad)} more bad items skipped")
    if len(data) > MAX_ENTRIES:
        bad.append(f"{name}: listing stopped at {MAX_ENTRIES} files")
    if not entries:
        raise InputError(f"{name}: no file paths found in the JSON listing",
                         "give a JSON list of paths or of {path, size} objects")
    return Listing(name, _sorted(entries), "json", tuple(bad))


def _sorted(entries: dict[str, int | None]) -> tuple[FileEntry, ...]:
    return tuple(FileEntry(p, entries[p]) for p in sorted(entries))


# -- Git LFS pointers ----------------------------------------------------------------------

#: Pointer files are small by specification (under 1024 bytes).
LFS_POINTER_MAX = 1024
_LFS_VERSION = b"version https://git-lfs.github.com/spec/v1\n"
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)
_LFS_SIZE = re.compile(rb"^size (\d{1,20})$", re.M)


def parse_lfs_pointer(raw: bytes) -> tuple[str, int] | None:
    """``(sha256, size)`` when ``raw`` is a Git LFS pointer file, else ``None``.

    >>> parse_lfs_pointer(b"version https://git-lfs.github.com/spec/v1\\n"
    ...                   b"oid sha256:" + b"a" * 64 + b"\\nsize 42\\n")[1]
    42
    """
    if len(raw) > LFS_POINTER_MAX or not raw.startswith(_LFS_VERSION):
        return None
    oid = _LFS_OID.search(raw)
    size = _LFS_SIZE.search(raw)
    if oid is None or size is None:
        return None
    return oid.group(1).decode(), int(size.group(1))
