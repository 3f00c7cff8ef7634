"""Shared fixtures: where the read-only ``shared/`` data lives, and snapshot builders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openscope.snapshot import Document, FileEntry, Snapshot

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "tiny-open-model"


def corpus_snapshot(folder: Path) -> Snapshot:
    """A snapshot of a corpus release: its documents, plus ``files.txt`` as the listing.

    ``files.txt`` records the upstream repository's listing (weights are listed there, not
    copied), so the snapshot sees what the real release holds.
    """
    docs = []
    for path in sorted(folder.iterdir()):
        if path.name in ("files.txt", "source.txt", "hub_api.json"):
            continue
        docs.append(Document(path.name, path.read_text(encoding="utf-8", errors="replace"),
                             path.stat().st_size))
    listing = None
    files_txt = folder / "files.txt"
    if files_txt.exists():
        sizes: dict[str, int | None] = {d.path: d.size for d in docs}
        for line in files_txt.read_text().splitlines():
            name, _, size = line.strip().partition("\t")
            if name:
                sizes[name] = int(size) if size.strip().isdigit() else None
        listing = tuple(FileEntry(n, sizes[n]) for n in sorted(sizes))
    metadata = {}
    api = folder / "hub_api.json"
    if api.exists():
        metadata = json.loads(api.read_text())
    return Snapshot(ref=f"corpus:{folder.name}", files=listing, documents=tuple(docs),
                    metadata=metadata, source="corpus")


def hub_snapshot(folder: Path) -> Snapshot:
    """A snapshot of a recorded hub repo: its card and, where recorded, its API record."""
    docs = []
    card = folder / "README.md"
    if card.exists():
        docs.append(Document("README.md", card.read_text(encoding="utf-8", errors="replace"),
                             card.stat().st_size))
    metadata: dict[str, object] = {}
    files = None
    info = folder / "info.json"
    if info.exists():
        metadata = json.loads(info.read_text())
        siblings = metadata.pop("siblings", None)
        if isinstance(siblings, list):
            files = tuple(FileEntry(s["rfilename"], s.get("size")) for s in siblings)
    return Snapshot(ref=f"mirror:{folder.name}", files=files, documents=tuple(docs),
                    metadata=metadata, source="mirror")


def hub_card_folders() -> list[Path]:
    """Every recorded hub model repo that has a card (1,869)."""
    root = SHARED / "hub" / "models"
    out = []
    for line in (SHARED / "hub" / "index.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec.get("card"):
            out.append(root / rec["id"])
    return out


@pytest.fixture()
def shared() -> Path:
    """The shared data folder beside the repository."""
    if not SHARED.exists():
        pytest.fail(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture()
def example() -> Path:
    """The example release shipped in examples/."""
    return EXAMPLE
