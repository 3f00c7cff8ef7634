"""Writing outputs safely: atomically, so a failed run never leaves a half-written file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from openscope.errors import InputError


def write_output(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output when ``None``."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(output, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})",
                         "choose a writable path with -o") from exc
