"""The local-folder source: a release as cloned or downloaded.

It walks the folder without following symlinks, records the listing with sizes, and reads the
small text documents (cards, licences, use policies, other docs, configs, code) within size
limits. Files are only ever read as bytes: nothing is imported, executed or unpickled.
Safetensors files contribute their JSON header (tensor shapes and dtypes), never their data.

A partial download is audited as the whole release: Git LFS pointer files (a clone made with
``GIT_LFS_SKIP_SMUDGE=1``) are listed as the files they stand for, with their recorded size,
and an upstream listing (:mod:`openscope.sources.listing`) adds the files the folder lacks.
Both are recorded in the snapshot (``metadata.listing``, ``metadata.lfs_pointers``) so a
saved snapshot replays identically; neither kind of file is ever read.
"""

from __future__ import annotations

import json
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from openscope import lazyre
from openscope.errors import InputError
from openscope.shapes import loads
from openscope.snapshot import Document, FileEntry, Snapshot, content_digest
from openscope.sources.listing import LFS_POINTER_MAX, Listing, parse_lfs_pointer
from openscope.sources.refs import Ref


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep a hostile folder from exhausting time or memory."""

    max_entries: int = 100_000
    max_depth: int = 12
    doc_bytes: int = 1024 * 1024  # per document; larger ones are truncated
    code_bytes: int = 256 * 1024  # per code or config file
    total_bytes: int = 24 * 1024 * 1024  # all documents together
    max_code_files: int = 400
    safetensors_header_bytes: int = 16 * 1024 * 1024


SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".cache", ".venv"})

# Documents worth reading, by name. Matching is case-insensitive on the file name.
_DOC_NAME = lazyre.compile(
    r"^(readme|license|licence|copying|notice|use_policy|acceptable_use_policy|"
    r"model_license|license_\w+|licence_\w+|\w+_license|\w+_licence|responsible_use_guide|"
    r"model_card|modelcard|data_card|datacard|datasheet|data_readme|citation|"
    r"model_license_agreement|\w+_license_agreement)(\.[a-z0-9]+)?$",
    re.IGNORECASE,
)
_DOC_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".cff", ".bib")
_CONFIG_NAMES = frozenset(
    {
        "config.json",
        "generation_config.json",
        "params.json",
        "adapter_config.json",
        "dataset_infos.json",
        "dataset_info.json",
        "model_index.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "requirements.txt",
    }
)
_CODE_SUFFIXES = (".py", ".sh", ".yaml", ".yml", ".toml", ".cfg", ".ipynb", ".json")


def classify_path(path: str) -> str | None:
    """Which kind of document a path is worth reading as: ``doc``, ``config``, ``code`` or None.

    >>> classify_path("LICENSE_weights")
    'doc'
    >>> classify_path("scripts/train.py")
    'code'
    """
    name = PurePosixPath(path).name
    lower = name.lower()
    if lower in _CONFIG_NAMES or lower.endswith(".safetensors.index.json"):
        return "config"
    if _DOC_NAME.match(name) or lower.endswith(_DOC_SUFFIXES):
        return "doc"
    if lower.endswith(_CODE_SUFFIXES) and not lower.endswith(
        ("tokenizer.json", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")
    ):
        return "code"
    return None


def _priority(path: str) -> tuple[int, int, str]:
    """Read order: top-level docs first, then deeper docs, configs, then code."""
    kind = classify_path(path) or "zzz"
    rank = {"doc": 0, "config": 1, "code": 2}.get(kind, 3)
    return (rank, path.count("/"), path)


class LocalFolderSource:
    """Collects a snapshot from a folder on disk."""

    def __init__(self, limits: ReadLimits | None = None, listing: Listing | None = None) -> None:
        self.limits = limits or ReadLimits()
        self.listing = listing

    def collect(self, ref: Ref) -> Snapshot:
        """Walk ``ref.target`` and return its snapshot.

        Raises :class:`InputError` when the path is missing or not a folder.
        """
        root = Path(ref.target)
        if not root.exists():
            raise InputError(f"{root}: no such file or folder", "check the path")
        if not root.is_dir():
            raise InputError(
                f"{root}: not a folder or a snapshot .json file",
                "name a release folder, a saved snapshot, or hf:org/name",
            )
        root = root.resolve()
        files, notes, links = self._walk(root)
        metadata: dict[str, Any] = {}
        pointers = self._lfs_pointers(root, files, links)
        if pointers:
            files = [FileEntry(f.path, pointers.get(f.path, f.size)) for f in files]
            links |= set(pointers)  # stand-ins: never read as documents or weights
            metadata["lfs_pointers"] = len(pointers)
            notes.append(f"{len(pointers)} Git LFS pointer file"
                         f"{'' if len(pointers) == 1 else 's'} counted as the files they stand "
                         "for, not read")
        if self.listing is not None:
            files, added = _merge_listing(files, self.listing)
            links |= added  # listed upstream, not in the folder: nothing to read
            metadata["listing"] = {"name": self.listing.name, "format": self.listing.format,
                                   "entries": len(self.listing.entries), "added": len(added)}
            notes.extend(self.listing.notes)
        documents, doc_notes = self._read_documents(root, files, links)
        metadata.update(self._safetensors_summary(root, files, links))
        return Snapshot(
            ref=f"local:{root.name}",
            kind=_guess_kind(documents),
            source="local",
            revision=content_digest(files, documents),
            retrieved_at=None,
            files=tuple(files),
            documents=tuple(documents),
            metadata=metadata,
            notes=tuple(notes + doc_notes),
            url=None,
        )

    # -- walking -------------------------------------------------------------------------

    def _walk(self, root: Path) -> tuple[list[FileEntry], list[str], set[str]]:
        """List regular files; symlinks are listed but never followed out of ``root``."""
        files: list[FileEntry] = []
        notes: list[str] = []
        links: set[str] = set()  # listed paths whose content must not be read
        stack = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                notes.append(f"{_rel(root, Path(folder))}: folder not readable ({exc.strerror})")
                continue
            for entry in entries:
                rel = _rel(root, Path(entry.path))
                try:
                    rel.encode("utf-8")
                except UnicodeEncodeError:
                    # Not a UTF-8 name: list it under a readable name, never open it by that.
                    shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                    notes.append(f"{shown}: file name is not valid UTF-8, listed but not read")
                    if entry.is_file(follow_symlinks=False):
                        links.add(shown)
                        files.append(FileEntry(shown, None))
                    continue
                if len(files) >= self.limits.max_entries:
                    notes.append(f"listing stopped at {self.limits.max_entries} files")
                    return files, notes, links
                try:
                    if entry.is_symlink():
                        try:
                            target = Path(entry.path).resolve()
                        except RuntimeError:  # a loop (ln -s x x): Python 3.11 raises
                            notes.append(f"{rel}: symlink loop, not followed")
                            links.add(rel)
                            continue
                        if not target.is_relative_to(root):
                            notes.append(
                                f"{rel}: symlink pointing outside the folder, not followed"
                            )
                            links.add(rel)
                            files.append(FileEntry(rel, None))
                            continue
                        if target.is_dir():
                            notes.append(f"{rel}: symlink to a folder, not followed")
                            continue
                        links.add(rel)  # inside the folder: its target is listed on its own
                        files.append(FileEntry(rel, None))
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name in SKIP_DIRS:
                            continue
                        if depth + 1 > self.limits.max_depth:
                            notes.append(
                                f"{rel}: deeper than {self.limits.max_depth} levels, skipped"
                            )
                            continue
                        stack.append((Path(entry.path), depth + 1))
                        continue
                    st = entry.stat(follow_symlinks=False)
                    if not stat.S_ISREG(st.st_mode):
                        continue  # sockets, fifos, devices: never opened
                    files.append(FileEntry(rel, st.st_size))
                except OSError as exc:
                    notes.append(f"{rel}: not readable ({exc.strerror})")
        files.sort(key=lambda f: f.path)
        return files, notes, links

    # -- reading ---------------------------------------------------------------------------

    def _read_documents(
        self, root: Path, files: list[FileEntry], links: set[str]
    ) -> tuple[list[Document], list[str]]:
        notes: list[str] = []
        docs: list[Document] = []
        budget = self.limits.total_bytes
        code_files = 0
        for entry in sorted(files, key=lambda f: _priority(f.path)):
            kind = classify_path(entry.path)
            if kind is None or entry.path in links:
                continue
            if kind == "code":
                if code_files >= self.limits.max_code_files:
                    continue
                code_files += 1
            limit = self.limits.doc_bytes if kind == "doc" else self.limits.code_bytes
            limit = min(limit, budget)
            if limit <= 0:
                notes.append("document budget exhausted: later files not read")
                break
            doc = read_text_document(root / entry.path, entry.path, limit)
            budget -= min(entry.size or 0, limit)
            if doc.problem:
                notes.append(f"{entry.path}: {doc.problem}")
            elif doc.truncated:
                notes.append(f"{entry.path}: larger than {limit} bytes, only the start was read")
            docs.append(doc)
        docs.sort(key=lambda d: d.path)
        return docs, notes

    def _lfs_pointers(self, root: Path, files: list[FileEntry], links: set[str]) -> dict[str, int]:
        """Sizes recorded by the Git LFS pointer files of the folder, by path.

        Only files small enough to be pointers are opened, and only their first bytes read.
        """
        found: dict[str, int] = {}
        for entry in files:
            if entry.size is None or entry.size > LFS_POINTER_MAX or entry.path in links:
                continue
            try:
                with open(root / entry.path, "rb") as fh:
                    raw = fh.read(LFS_POINTER_MAX + 1)
            except OSError:
                continue
            pointer = parse_lfs_pointer(raw)
            if pointer is not None:
                found[entry.path] = pointer[1]
        return found

    def _safetensors_summary(
        self, root: Path, files: list[FileEntry], links: set[str]
    ) -> dict[str, Any]:
        """Parameter counts per dtype from safetensors headers (the Hub API's shape)."""
        params: dict[str, int] = {}
        seen = False
        for entry in files:
            if not entry.path.endswith(".safetensors") or entry.path in links:
                continue
            header = read_safetensors_header(
                root / entry.path, self.limits.safetensors_header_bytes
            )
            if header is None:
                continue
            seen = True
            for name, info in header.items():
                if name == "__metadata__" or not isinstance(info, dict):
                    continue
                shape = info.get("shape")
                dtype = str(info.get("dtype", "unknown"))
                if isinstance(shape, list) and all(
                        type(n) is int and 0 <= n < 2**63 for n in shape):
                    count = 1
                    for n in shape:
                        count *= n
                    params[dtype] = params.get(dtype, 0) + count
        if not seen:
            return {}
        summary = {"parameters": dict(sorted(params.items())), "total": sum(params.values())}
        return {"safetensors": summary}


def read_text_document(path: Path, rel: str, limit: int) -> Document:
    """Read at most ``limit`` bytes of ``path`` as text, never raising for bad content.

    Binary content (a NUL byte near the start) is not kept; invalid UTF-8 is decoded with
    replacement characters and flagged.
    """
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            raw = fh.read(limit + 1)
    except OSError as exc:
        return Document(rel, None, None, False, f"unreadable ({exc.strerror})")
    truncated = len(raw) > limit
    return decode_document(rel, raw[:limit], size, truncated)


def decode_document(path: str, raw: bytes, size: int | None, truncated: bool) -> Document:
    """Turn bytes read from a release into a :class:`Document` (never raises).

    Every source reads documents through this: binary content (a NUL byte near the start) is
    not kept; UTF-16 with a byte-order mark is decoded; invalid UTF-8 is decoded with
    replacement characters and flagged; a cut inside a multi-byte character at the size limit
    is not an error; a BOM is dropped.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte-order mark (Windows editors save cards so): text, not binary.
        body = raw[2:]
        if len(body) % 2:
            body = body[:-1]  # a cut inside a code unit at the size limit
        enc = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        text = body.decode(enc, "replace")
        if "\x00" not in text[:4096]:
            return Document(path, text, size, truncated,
                            None if "\ufffd" not in text else
                            "invalid UTF-16, decoded with replacement characters")
    if b"\x00" in raw[:8192]:
        return Document(path, None, size, truncated, "binary content, not read as text")
    try:
        text = raw.decode("utf-8")
        problem = None
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(raw) - 4:
            text = raw[: exc.start].decode("utf-8", "replace")  # cut inside a character
            problem = None
        else:
            text = raw.decode("utf-8", "replace")
            problem = "invalid UTF-8, decoded with replacement characters"
    return Document(path, text.removeprefix("\ufeff"), size, truncated, problem)


def read_safetensors_header(path: Path, max_bytes: int) -> dict[str, Any] | None:
    """The JSON header of a safetensors file, or ``None`` if it is not one.

    The format is an 8-byte little-endian length followed by that many bytes of JSON; the
    tensor data after it is never read.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                return None
            (length,) = struct.unpack("<Q", head)
            if length <= 1 or length > max_bytes:
                return None
            raw = fh.read(length)
    except OSError:
        return None
    try:
        header = loads(raw.decode("utf-8"))  # oversized integers become None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    return header if isinstance(header, dict) else None


def _merge_listing(files: list[FileEntry], listing: Listing) -> tuple[list[FileEntry], set[str]]:
    """The folder's files plus the listed ones it lacks; and the paths added.

    A file in both keeps the folder's entry (its real size, or a pointer's recorded size),
    taking the listed size only where the folder's is unknown.
    """
    merged = {f.path: f for f in files}
    added: set[str] = set()
    for entry in listing.entries:
        have = merged.get(entry.path)
        if have is None:
            merged[entry.path] = entry
            added.add(entry.path)
        elif have.size is None and entry.size is not None:
            merged[entry.path] = FileEntry(entry.path, entry.size)
    return [merged[p] for p in sorted(merged)], added


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


def _guess_kind(documents: list[Document]) -> str:
    """A folder is a dataset release when its card's front matter says so (dataset keys)."""
    for doc in documents:
        if doc.path.lower() == "readme.md" and doc.text:
            head = doc.text[:4096]
            if re.search(r"^(task_categories|size_categories|dataset_info|configs):", head, re.M):
                return "dataset"
    return "model"
