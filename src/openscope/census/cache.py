"""A verdict cache shared between census runs.

A verdict depends only on its key and on the audit code. Verdicts are cached per *code
fingerprint*: a SHA-256 of every source and data file the audit reads (evidence,
components, frameworks, licences and their data, pipeline, report, the census key and
verdict modules). Any edit to that code starts a new, empty cache, so a cached verdict is
always the one the current code would compute. A new snapshot of the Hub shares most of
its keys with the previous one, so rerunning a census mostly reads verdicts from here.

Location: ``$OPENSCOPE_CENSUS_CACHE``, else the user cache folder
(``.../openscope/census-verdicts``). ``--no-verdict-cache`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import openscope

#: Package parts that do not affect verdicts (collecting, rendering, running).
_EXCLUDE_DIRS = ("cli", "formats", "testing", "sources", "census", "schema")
_INCLUDE_CENSUS = ("keyspec.py", "verdicts.py")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the code and data that verdicts depend on."""
    root = Path(openscope.__file__).resolve().parent
    h = hashlib.sha256()
    files: list[tuple[str, Path]] = []
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix not in (".py", ".json", ".yaml", ".yml"):
            continue
        relative = path.relative_to(root)
        top = relative.parts[0]
        if top in _EXCLUDE_DIRS and not (top == "census" and relative.name in _INCLUDE_CENSUS):
            continue
        files.append((relative.as_posix(), path))
    for name, path in sorted(files):
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def census_fingerprint() -> str:
    """SHA-256 of the verdict code and the census package: a census is only resumed by the
    code that started it."""
    root = Path(openscope.__file__).resolve().parent / "census"
    h = hashlib.sha256(code_fingerprint().encode())
    for path in sorted(root.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cache_dir() -> Path:
    """The cache folder for the current code (created)."""
    base = os.environ.get("OPENSCOPE_CENSUS_CACHE")
    if base:
        root = Path(base)
    else:
        from platformdirs import user_cache_dir

        root = Path(user_cache_dir("openscope")) / "census-verdicts"
    path = root / code_fingerprint()[:32]
    path.mkdir(parents=True, exist_ok=True)
    return path
