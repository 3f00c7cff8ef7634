"""Replays a snapshot saved with ``openscope snapshot``."""

from __future__ import annotations

from pathlib import Path

from openscope.errors import InputError
from openscope.snapshot import Snapshot
from openscope.sources.refs import Ref

#: A saved snapshot larger than this is refused rather than loaded into memory.
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024


class SavedSnapshotSource:
    """Reads a snapshot JSON file."""

    def collect(self, ref: Ref) -> Snapshot:
        """Load and validate the snapshot at ``ref.target``."""
        path = Path(ref.target)
        try:
            if path.stat().st_size > MAX_SNAPSHOT_BYTES:
                raise InputError(f"{path}: snapshot larger than 256 MiB, refused")
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: snapshot is not UTF-8 text") from exc
        except OSError as exc:
            raise InputError(f"{path}: cannot read snapshot: {exc.strerror}") from exc
        return Snapshot.from_json(text)
