"""The Snapshot: an immutable, serialisable record of what a source saw.

A source only collects; every judgement downstream is a pure function of a Snapshot, so a
saved snapshot replays an audit byte for byte (``openscope snapshot`` / ``openscope audit
x.json``). Nothing in a Snapshot is executed or unpickled: documents are text, weights are
listed (and at most their safetensors JSON header summarised).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openscope import SNAPSHOT_SCHEMA_VERSION
from openscope.errors import InputError
from openscope.shapes import loads, shape_record

SNAPSHOT_FORMAT = "openscope.snapshot"

#: The kinds of release a snapshot can describe.
RELEASE_KINDS = ("model", "dataset")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the release listing. ``size`` is ``None`` when the source did not say."""

    path: str
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A small text document read from the release (card, licence, config, ...).

    ``text`` is ``None`` when the document could not be read as text; ``problem`` then says
    why (``binary``, ``too-large``, ``unreadable``, ...). A document read but cut at the size
    limit keeps its first part and has ``truncated`` set.
    """

    path: str
    text: str | None
    size: int | None = None
    truncated: bool = False
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one source saw of one release at one revision.

    Attributes:
        ref: what the user named, normalised (``hf:org/name``, ``local:NAME``, ...).
        kind: ``model`` or ``dataset``.
        source: which source collected it (``local``, ``hf``, ``mirror``, ``github``, ...).
        revision: the resolved revision: a commit sha for remote sources, a content digest
            (``sha256:...``) for local folders.
        retrieved_at: ISO-8601 time of collection for remote sources; ``None`` for local
            folders, so that auditing the same folder twice gives identical bytes.
        files: the file listing, or ``None`` when the source could not list the files
            (unknown is not empty).
        documents: the text documents read.
        metadata: hub metadata as the source reported it (tags, gated, cardData,
            baseModels, downloads, likes, createdAt, pipeline_tag, library_name, ...).
        notes: what the source could not read and why, one line each.
        url: where a person can look at the release, when there is such a place.
    """

    ref: str
    kind: str = "model"
    source: str = "local"
    revision: str | None = None
    retrieved_at: str | None = None
    files: tuple[FileEntry, ...] | None = None
    documents: tuple[Document, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    url: str | None = None

    def __post_init__(self) -> None:
        # metadata is publisher-written: bring every key the extractors read to its shape
        object.__setattr__(self, "metadata", shape_record(self.metadata))

    # -- lookups -------------------------------------------------------------------------

    def document(self, path: str) -> Document | None:
        """The document at ``path`` (exact match), if it was read."""
        for doc in self.documents:
            if doc.path == path:
                return doc
        return None

    def card(self) -> Document | None:
        """The release's card: ``README.md`` at the top level (case-insensitive)."""
        for doc in self.documents:
            if doc.path.lower() in ("readme.md", "readme.markdown", "readme"):
                return doc
        return None

    def file_paths(self) -> tuple[str, ...]:
        """Paths of the listing (empty when the listing is unknown)."""
        return tuple(f.path for f in self.files) if self.files is not None else ()

    # -- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with sorted, stable content."""
        return {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_SCHEMA_VERSION,
            "ref": self.ref,
            "kind": self.kind,
            "source": self.source,
            "revision": self.revision,
            "retrieved_at": self.retrieved_at,
            "url": self.url,
            "files": None
            if self.files is None
            else [{"path": f.path, "size": f.size} for f in self.files],
            "documents": [
                {
                    "path": d.path,
                    "text": d.text,
                    "size": d.size,
                    "truncated": d.truncated,
                    "problem": d.problem,
                }
                for d in self.documents
            ],
            "metadata": dict(self.metadata),
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        """Canonical JSON text (sorted keys, UTF-8, trailing newline)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Snapshot:
        """Rebuild a snapshot saved by :meth:`to_dict`; raises :class:`InputError` if malformed."""
        if not isinstance(data, Mapping) or data.get("format") != SNAPSHOT_FORMAT:
            raise InputError(
                "not an openscope snapshot (no \"format\": \"openscope.snapshot\")",
                "save one with: openscope snapshot PATH -o FILE.json",
            )
        version = data.get("version")
        if version is not None and str(version).split(".", 1)[0] != \
                str(SNAPSHOT_SCHEMA_VERSION).split(".", 1)[0]:
            raise InputError(
                f"snapshot version {str(version)[:20]!r} is not one this openscope reads "
                f"(it reads {SNAPSHOT_SCHEMA_VERSION})",
                "save the snapshot again with this version: openscope snapshot REF -o FILE.json",
            )
        try:
            files_raw = data.get("files")
            files = (
                None
                if files_raw is None
                else tuple(FileEntry(str(f["path"]), _opt_int(f.get("size"))) for f in files_raw)
            )
            docs = tuple(
                Document(
                    path=str(d["path"]),
                    text=None if d.get("text") is None else str(d["text"]),
                    size=_opt_int(d.get("size")),
                    truncated=bool(d.get("truncated", False)),
                    problem=None if d.get("problem") is None else str(d["problem"]),
                )
                for d in data.get("documents") or ()
            )
            kind = str(data.get("kind") or "model")
            if kind not in RELEASE_KINDS:
                raise ValueError(f"unknown release kind {kind!r}")
            metadata = data.get("metadata") or {}
            if not isinstance(metadata, Mapping):
                raise ValueError("metadata is not an object")
            return cls(
                ref=str(data["ref"]),
                kind=kind,
                source=str(data.get("source") or "snapshot"),
                revision=None if data.get("revision") is None else str(data["revision"]),
                retrieved_at=_opt_str(data.get("retrieved_at")),
                files=files,
                documents=docs,
                metadata=dict(metadata),
                notes=tuple(str(n) for n in data.get("notes") or ()),
                url=None if data.get("url") is None else str(data["url"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"malformed snapshot: {exc}", "re-create it with: openscope snapshot"
            ) from exc

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """Parse a snapshot saved as JSON text."""
        try:
            data = loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"snapshot is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        except RecursionError as exc:
            raise InputError("snapshot JSON is nested too deeply") from exc
        return cls.from_dict(data)


def content_digest(files: Iterable[FileEntry] | None, documents: Iterable[Document]) -> str:
    """A ``sha256:`` digest of a listing and its documents, used as a local folder's revision."""
    h = hashlib.sha256()
    for f in sorted(files or (), key=lambda f: f.path):
        h.update(f"F\0{f.path}\0{f.size}\n".encode())
    for d in sorted(documents, key=lambda d: d.path):
        h.update(f"D\0{d.path}\0".encode())
        h.update((d.text or d.problem or "").encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return "sha256:" + h.hexdigest()


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"size must be a non-negative integer, got {value!r}")
    return value
