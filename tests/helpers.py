"""Small builders for test releases written on the fly."""

from __future__ import annotations

import json
import struct
from pathlib import Path


def write_safetensors(path: Path, n: int = 4) -> None:
    """A valid, tiny safetensors file with one float32 tensor of ``n`` values."""
    header = json.dumps({"w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}).encode()
    header += b" " * ((8 - len(header) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * (4 * n))


def write_release(folder: Path, card: str, files: dict[str, str | bytes] | None = None,
                  weights: bool = True) -> Path:
    """A release folder with a card, optional files and (by default) a safetensors file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(card, encoding="utf-8")
    for name, content in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if weights:
        write_safetensors(folder / "model.safetensors")
    return folder
