"""From a Hub API record and a way to read repo files to a :class:`Snapshot`.

Shared by the Hub source (files over HTTP) and the mirror source (files on disk), so both
produce the same snapshot for the same repository. Which files are read is decided here:
cards, licences, use policies, data cards and configs, never weights, each within a size
limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from openscope.snapshot import Document, FileEntry, Snapshot
from openscope.sources.local import classify_path, decode_document
from openscope.sources.refs import Ref

#: API fields asked for with ``expand=`` for models (camelCase names as the API uses).
MODEL_EXPAND: tuple[str, ...] = (
    "author",
    "baseModels",
    "cardData",
    "childrenModelCount",
    "config",
    "createdAt",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "gated",
    "gguf",
    "lastModified",
    "library_name",
    "likes",
    "model-index",
    "pipeline_tag",
    "private",
    "safetensors",
    "sha",
    "siblings",
    "spaces",
    "tags",
    "transformersInfo",
)

#: API fields asked for with ``expand=`` for datasets.
DATASET_EXPAND: tuple[str, ...] = (
    "author",
    "cardData",
    "citation",
    "createdAt",
    "description",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "gated",
    "lastModified",
    "likes",
    "paperswithcode_id",
    "private",
    "sha",
    "siblings",
    "tags",
)

#: The public place a person looks at a repository (independent of the API endpoint used).
HUB_WEB = "https://huggingface.co"


@dataclass(frozen=True)
class ReadLimits:
    """Size bounds for documents read from a remote repository."""

    doc_bytes: int = 1024 * 1024
    config_bytes: int = 256 * 1024
    total_bytes: int = 8 * 1024 * 1024
    max_files: int = 16


@dataclass(frozen=True)
class FileRead:
    """The result of reading one repository file.

    ``data`` is at most the limit asked for; ``truncated`` says the file was longer.
    ``data`` is ``None`` when the file could not be read; ``problem`` then says why
    (``not found``, ``gated: ...``). ``size`` is the full size when the server said it.
    """

    data: bytes | None
    size: int | None
    problem: str | None
    truncated: bool = False

    @classmethod
    def missing(cls) -> FileRead:
        """A file that does not exist at this revision."""
        return cls(None, None, "not found")


#: Reads ``filename`` with a byte limit. Raises SourceError for failures that make the whole
#: snapshot unreliable (network trouble); returns a :class:`FileRead` otherwise.
FileReader = Callable[[str, int], FileRead]

# Text files that are large and carry no openness evidence.
_SKIP_NAMES = frozenset(
    {
        "vocab.txt",
        "merges.txt",
        "tokenizer.txt",
        "spiece.txt",
        "dict.txt",
        "labels.txt",
        "requirements.txt",
        "training_args.txt",
    }
)

# Read even when the listing does not name them (the listing may be unknown or out of date).
_ALWAYS = ("README.md",)
_UNLISTED_EXTRA = {"model": ("config.json",), "dataset": ("dataset_infos.json",)}


def api_view(record: Mapping[str, Any], expand: Iterable[str]) -> dict[str, Any]:
    """The part of an API record the Hub returns for ``expand=...`` (plus ``id`` / ``_id``)."""
    keep = {"_id", "id", *expand}
    return {k: v for k, v in record.items() if k in keep}


def listing_from(data: Mapping[str, Any]) -> tuple[FileEntry, ...] | None:
    """The file listing from ``siblings``; ``None`` when the record has none (unknown)."""
    siblings = data.get("siblings")
    if not isinstance(siblings, list):
        return None
    files: dict[str, FileEntry] = {}
    for sib in siblings:
        if not isinstance(sib, Mapping) or not isinstance(sib.get("rfilename"), str):
            continue
        size = sib.get("size")
        lfs = sib.get("lfs")
        if not isinstance(size, int) and isinstance(lfs, Mapping):
            size = lfs.get("size")
        path = sib["rfilename"]
        files[path] = FileEntry(
            path, size if isinstance(size, int) and not isinstance(size, bool) else None
        )
    return tuple(files[p] for p in sorted(files))


def pick_documents(kind: str, files: tuple[FileEntry, ...] | None, limits: ReadLimits) -> list[str]:
    """Which files to read: top-level docs and configs, licences anywhere; never weights."""
    if files is None:
        return [*_ALWAYS, *_UNLISTED_EXTRA.get(kind, ())]
    chosen: list[str] = []
    for entry in sorted(files, key=_rank):
        path = entry.path
        name = PurePosixPath(path).name.lower()
        kind_of = classify_path(path)
        if kind_of not in ("doc", "config") or name in _SKIP_NAMES:
            continue
        nested = "/" in path
        if nested and not name.startswith(
            ("license", "licence", "readme", "model_card", "use_policy")
        ):
            continue
        chosen.append(path)
    picked = [p for p in _ALWAYS if p not in chosen] + chosen
    return picked[: limits.max_files]


def _rank(entry: FileEntry) -> tuple[int, int, str]:
    kind = classify_path(entry.path)
    return ({"doc": 0, "config": 1}.get(kind or "", 2), entry.path.count("/"), entry.path)


def repo_url(kind: str, repo_id: str) -> str:
    """The public web page of a repository."""
    return f"{HUB_WEB}/datasets/{repo_id}" if kind == "dataset" else f"{HUB_WEB}/{repo_id}"


def assemble_snapshot(
    ref: Ref,
    kind: str,
    data: Mapping[str, Any],
    read: FileReader,
    *,
    source: str,
    retrieved_at: str | None,
    limits: ReadLimits | None = None,
) -> Snapshot:
    """Build the snapshot of one repository from its API record and a file reader.

    Args:
        ref: the ref as the user named it.
        kind: ``model`` or ``dataset``.
        data: the API record (camelCase field names, as returned).
        read: reads one repository file at the record's revision.
        source: ``hf`` or ``mirror``.
        retrieved_at: ISO time of collection, or ``None`` for a frozen copy.
        limits: size bounds.
    """
    limits = limits or ReadLimits()
    files = listing_from(data)
    notes: list[str] = []
    sha = data.get("sha") if isinstance(data.get("sha"), str) else None
    if files is None:
        notes.append("the Hub record has no file listing: files unknown (not the same as none)")
    if sha is None:
        notes.append("the Hub record gives no commit sha: revision not pinned")
    listed = {f.path for f in files} if files is not None else set()
    docs: list[Document] = []
    budget = limits.total_bytes
    for path in pick_documents(kind, files, limits):
        limit = limits.config_bytes if classify_path(path) == "config" else limits.doc_bytes
        limit = min(limit, budget)
        if limit <= 0:
            notes.append("document budget exhausted: later files not read")
            break
        got = read(path, limit)
        if got.data is None:
            if got.problem == "not found":
                if path in listed:
                    notes.append(f"{path}: listed but could not be downloaded (not found)")
                elif files is None:
                    notes.append(f"{path}: not found (tried because the listing is unknown)")
            else:
                notes.append(f"{path}: not read ({got.problem})")
            continue
        budget -= len(got.data)
        doc = decode_document(path, got.data, got.size, got.truncated)
        if files is not None and path not in listed:
            notes.append(f"{path}: read, though the file listing does not name it")
        if doc.problem:
            notes.append(f"{path}: {doc.problem}")
        elif doc.truncated:
            notes.append(f"{path}: larger than {limit} bytes, only the start was read")
        docs.append(doc)
    metadata = {k: v for k, v in data.items() if k != "siblings"}
    repo_id = str(data.get("id") or ref.target)
    return Snapshot(
        ref=str(ref),
        kind=kind,
        source=source,
        revision=sha,
        retrieved_at=retrieved_at,
        files=files,
        documents=tuple(sorted(docs, key=lambda d: d.path)),
        metadata=metadata,
        notes=tuple(notes),
        url=repo_url(kind, repo_id),
    )
