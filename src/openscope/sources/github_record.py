"""Recorded GitHub REST answers: one folder per repository, read without the network.

A recording (``tests/data/github``, ``../shared/github``, or one made with
``scripts/record_github.py``) holds ``repos/<owner>/<repo>/`` with recorded documents
(``README.md``, ``LICENSE``, ...) and optional API answers beside them: ``repo.json``
(``/repos/{o}/{r}``), ``license.json`` (``/license``), ``tree.json`` or ``tree.json.gz``
(``/git/trees/...``) and ``commit.json`` (``/commits/{ref}``). :func:`answer` maps an API
path to (HTTP status, JSON body) exactly as the local test server serves it, so
``--github-mirror DIR`` and the server over ``DIR`` give the same snapshots. What was not
recorded answers 404, which the GitHub source treats as unknown, never as absent.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from openscope import lazyre

_PART = lazyre.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_ROUTE = lazyre.compile(r"^/repos/([^/]+)/([^/]+)(?:/(.*))?$")
#: Recorded API answers (not repository files): never served as contents.
RECORDED_API = frozenset({"repo.json", "license.json", "tree.json", "tree.json.gz",
                          "commit.json"})
#: A recorded answer larger than this (decompressed) is refused as not recorded.
_MAX_JSON = 64 * 1024 * 1024
_NOT_FOUND: dict[str, Any] = {"message": "Not Found"}


def answer(root: Path, path: str) -> tuple[int, Any]:
    """(status, JSON body) of a GitHub REST API ``path`` (with query) over recording ``root``."""
    match = _ROUTE.match(unquote(urlsplit(path).path))
    if not match or not (_PART.match(match.group(1)) and _PART.match(match.group(2))):
        return 404, _NOT_FOUND
    owner, name, rest = match.group(1), match.group(2), match.group(3) or ""
    folder = root / "repos" / owner / name
    if not folder.is_dir():
        return 404, _NOT_FOUND
    full = f"{owner}/{name}"
    if rest == "":
        return 200, _load(folder, "repo.json") or {
            "full_name": full,
            "name": name,
            "owner": {"login": owner},
            "html_url": f"https://github.com/{full}",
        }
    if rest == "license" or rest.startswith(("git/trees/", "commits/")):
        key = ("license.json" if rest == "license"
               else "tree.json" if rest.startswith("git/") else "commit.json")
        data = _load(folder, key)
        return (200, data) if data is not None else (404, _NOT_FOUND)
    if rest == "readme":
        return _content(folder, "README.md")
    if rest.startswith("contents/"):
        return _content(folder, rest.removeprefix("contents/"))
    return 404, _NOT_FOUND


def _load(folder: Path, name: str) -> Any:
    """A recorded JSON answer (``name`` or ``name.gz``), or ``None``."""
    try:
        plain = folder / name
        if plain.is_file():
            raw = plain.read_bytes()[: _MAX_JSON + 1]
        elif (folder / f"{name}.gz").is_file():
            with gzip.open(folder / f"{name}.gz", "rb") as fh:
                raw = fh.read(_MAX_JSON + 1)
        else:
            return None
        if len(raw) > _MAX_JSON:
            return None
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, EOFError, RecursionError):
        return None


def _content(folder: Path, path: str) -> tuple[int, Any]:
    if not path or any(p in ("", ".", "..") for p in path.split("/")) or path in RECORDED_API:
        return 404, _NOT_FOUND
    file = folder / path
    if not file.is_file() or file.is_symlink():
        return 404, _NOT_FOUND
    raw = file.read_bytes()
    return 200, {
        "type": "file",
        "name": file.name,
        "path": path,
        "size": len(raw),
        "encoding": "base64",
        "content": base64.b64encode(raw).decode(),
    }
