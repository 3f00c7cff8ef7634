"""Census inputs: a Hub listing file, a mirror directory, or a live listing, as JSONL rows.

Every input is read as a stream of JSON lines (one API list record per line), so memory
stays bounded however long the listing is:

* ``*.jsonl`` / ``*.ndjson`` (optionally ``.gz``): read as is;
* ``*.json`` (optionally ``.gz``): a JSON array of records, or one object per line;
* ``*.parquet``: one record per row (columns named as in the API);
* a directory laid out like ``../shared/hub`` (``models/<org>/<name>/info.json``): the
  recorded API record of every repository, in ``index.jsonl`` order;
* ``hub:`` (optionally ``hub:?search=...&author=...&filter=...&limit=...``): a live
  listing through ``huggingface_hub.HfApi.list_models`` (``HF_ENDPOINT`` honoured). It is
  saved whole under the output folder before processing, so a rerun uses the same listing.

:func:`open_input` returns an :class:`Input` with a cheap fingerprint (to refuse resuming
someone else's census) and :meth:`Input.lines` (bytes, with a running SHA-256 of the
input).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs

from isal import igzip as _igzip

from openscope.errors import InputError, UsageError

_BLOCK = 4 * 1024 * 1024


class _HashingReader:
    """A binary reader that hashes every byte read through it."""

    def __init__(self, fh: IO[bytes], digest: Any) -> None:
        self._fh = fh
        self._digest = digest

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._digest.update(data)
        return data

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._digest.update(memoryview(buffer)[:n])
        return int(n or 0)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._fh.close()


@dataclass
class Input:
    """One census input.

    Attributes:
        kind: ``jsonl``, ``json``, ``parquet``, ``mirror`` or ``hub``.
        path: the file or folder (for ``hub``: the saved listing, once fetched).
        label: what the user named.
        query: filters of a live listing.
        notes: why a live listing stopped short (default maximum, pagination cycle).
    """

    kind: str
    path: Path
    label: str
    query: dict[str, str] = field(default_factory=dict)
    sha256: str | None = None
    notes: list[str] = field(default_factory=list)

    def fingerprint(self) -> dict[str, Any]:
        """Identity of the input that is cheap to compute (path, size, mtime)."""
        out: dict[str, Any] = {"kind": self.kind, "label": self.label}
        if self.kind == "hub":
            out["query"] = dict(sorted(self.query.items()))
            return out
        target = self.path / "index.jsonl" if self.kind == "mirror" else self.path
        try:
            st = target.stat()
            out.update({"path": str(self.path.resolve()), "size": st.st_size,
                        "mtime_ns": st.st_mtime_ns})
        except OSError:
            out["path"] = str(self.path)
        return out

    def partitions(self, size: int) -> Iterator[tuple[bytes, int]]:
        """(JSONL payload, record count) of consecutive partitions of ``size`` records.

        Every partition but the last holds exactly ``size`` non-blank lines. JSON lines
        files are cut by bytes (no per-line Python work); other inputs line by line.
        Sets :attr:`sha256` at the end.
        """
        if self.kind in ("jsonl", "hub"):
            digest = hashlib.sha256()
            yield from _cut(_blocks(self.path, digest), size)
            self.sha256 = digest.hexdigest()
            return
        buf: list[bytes] = []
        for line in self.lines():
            buf.append(line)
            if len(buf) == size:
                yield b"\n".join(buf) + b"\n", size
                buf = []
        if buf:
            yield b"\n".join(buf) + b"\n", len(buf)

    def lines(self) -> Iterator[bytes]:
        """Every non-blank record line, without its newline. Sets :attr:`sha256` at the end."""
        digest = hashlib.sha256()
        if self.kind == "jsonl":
            yield from _jsonl_lines(self.path, digest)
        elif self.kind == "json":
            yield from _json_lines(self.path, digest)
        elif self.kind == "parquet":
            yield from _parquet_lines(self.path, digest)
        elif self.kind == "mirror":
            yield from _mirror_lines(self.path, digest)
        elif self.kind == "hub":
            yield from _jsonl_lines(self.path, digest)
        else:  # pragma: no cover - open_input validates kinds
            raise UsageError(f"unknown input kind {self.kind}")
        self.sha256 = digest.hexdigest()


def _open_binary(path: Path, digest: Any) -> IO[bytes]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})",
                         "check the path of the listing") from exc
    reader = _HashingReader(fh, digest)
    if path.name.endswith(".gz"):
        # ISA-L's gzip reader decompresses ~2.5x faster than zlib's (same format, same errors).
        return _igzip.GzipFile(fileobj=reader, mode="rb")  # type: ignore[no-untyped-call,return-value]
    return reader  # type: ignore[return-value]


def _jsonl_lines(path: Path, digest: Any) -> Iterator[bytes]:
    """The non-blank lines of a (possibly gzipped) JSON-lines file."""
    rest = b""
    for block in _blocks(path, digest):
        parts = (rest + block).split(b"\n")
        rest = parts.pop()
        for part in parts:
            if part.strip():
                yield part
    if rest.strip():
        yield rest


_BLANK = re.compile(rb"\n[ \t\r]*(?=\n)")  # a newline that ends a blank line


def _blocks(path: Path, digest: Any) -> Iterator[bytes]:
    """The bytes of a (possibly gzipped) file in blocks; a broken gzip is one clear error."""
    fh = _open_binary(path, digest)
    first = True
    try:
        while True:
            try:
                block = fh.read(_BLOCK)
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                raise InputError(f"{path}: cannot decompress ({exc})",
                                 "check that the file is a complete gzip file") from exc
            if not block:
                return
            if first:  # a UTF-8 byte-order mark (Windows editors) is not part of the data
                block, first = block.removeprefix(b"\xef\xbb\xbf"), False
            yield block
    finally:
        fh.close()


def _cut(blocks: Iterator[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    """Cut a byte stream of JSON lines into payloads of ``size`` non-blank lines."""
    pending: list[bytes] = []
    count = 0
    rest = b""
    for block in blocks:
        data = rest + block
        end = data.rfind(b"\n")
        if end < 0:
            rest = data
            continue
        body, rest = _BLANK.sub(b"", data[: end + 1]), data[end + 1:]
        first = body.find(b"\n")
        if first >= 0 and not body[:first].strip():  # a blank first line
            body = body[first + 1:]
        n = body.count(b"\n")
        while count + n >= size:
            need = size - count
            pos = -1
            for _ in range(need):
                pos = body.find(b"\n", pos + 1)
            pending.append(body[: pos + 1])
            yield b"".join(pending), size
            pending, count = [], 0
            body, n = body[pos + 1:], n - need
        if body:
            pending.append(body)
            count += n
    if rest.strip():
        pending.append(rest + b"\n")
        count += 1
    if pending and count:
        yield b"".join(pending), count


def _json_lines(path: Path, digest: Any) -> Iterator[bytes]:
    """A JSON array of records (loaded whole), or JSON lines in a ``.json`` file."""
    try:
        with (gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")) as peek:
            head = peek.read(4096).lstrip()
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({exc})", "check the listing file") from exc
    if not head.startswith(b"["):
        yield from _jsonl_lines(path, digest)
        return
    fh = _open_binary(path, digest)
    try:
        data = fh.read()
    finally:
        fh.close()
    try:
        items = json.loads(data)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})",
                         "give a JSON array of records, or JSON lines") from exc
    for item in items:
        yield json.dumps(item, ensure_ascii=False, default=str).encode("utf-8")


def _parquet_lines(path: Path, digest: Any) -> Iterator[bytes]:
    import pyarrow.parquet as pq

    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    for batch in pf.iter_batches(batch_size=65536):
        for row in batch.to_pylist():
            clean = {k: v for k, v in row.items() if v is not None}
            if "createdAt" in clean and not isinstance(clean["createdAt"], str):
                clean["createdAt"] = clean["createdAt"].isoformat()
            yield json.dumps(clean, ensure_ascii=False, default=str).encode("utf-8")


def _mirror_lines(root: Path, digest: Any) -> Iterator[bytes]:
    from openscope.errors import SourceError
    from openscope.sources.mirror import HubMirror

    mirror = HubMirror(root)
    ids = mirror.ids("model")
    if not ids:
        models = root / "models"
        ids = sorted(
            str(p.parent.relative_to(models)) for p in models.glob("**/info.json")
        ) if models.is_dir() else []
    for repo_id in ids:
        try:
            record = mirror.record("model", repo_id)
        except SourceError as exc:
            record = {"id": repo_id, "__census_error__": exc.message}
        if record is None:
            record = {"id": repo_id, "__census_error__": "listed in index.jsonl, not in mirror"}
        line = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
        digest.update(line + b"\n")
        yield line


def open_input(text: str) -> Input:
    """The :class:`Input` a user names; raises :class:`InputError` if it does not exist."""
    if text == "hub" or text.startswith("hub:"):
        query = {k: v[-1] for k, v in parse_qs(text[4:].lstrip("?")).items()}
        allowed = {"search", "author", "filter", "limit", "sort", "library", "pipeline_tag"}
        unknown = set(query) - allowed
        if unknown:
            raise UsageError(f"unknown listing filter(s): {', '.join(sorted(unknown))}",
                             f"use {', '.join(sorted(allowed))}")
        return Input("hub", Path(), text, query)
    path = Path(text)
    if path.is_dir():
        if not (path / "models").is_dir() and not (path / "index.jsonl").is_file():
            raise InputError(f"{path}: not a Hub mirror (no models/ or index.jsonl)",
                             "pass a listing file or a folder laid out like the Hub")
        return Input("mirror", path, text)
    if not path.is_file():
        raise InputError(f"{path}: no such file", "pass a listing (.jsonl[.gz], .json, "
                         ".parquet), a mirror folder, or hub:")
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return Input("jsonl", path, text)
    if name.endswith(".json"):
        return Input("json", path, text)
    if name.endswith(".parquet"):
        return Input("parquet", path, text)
    raise UsageError(f"{path}: unknown listing format",
                     "use .jsonl, .jsonl.gz, .json or .parquet")


def fetch_listing(inp: Input, dest: Path) -> None:
    """Fetch a live listing into ``dest`` (JSONL, written atomically) and point ``inp`` at it.

    Why the listing stopped short, if it did, goes to ``inp.notes`` and one stderr line each.
    """
    from openscope.census.live import list_records
    from openscope.census.store import write_bytes_atomic

    if not dest.is_file():
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
                 for r in list_records(inp.query, inp.notes)]
        write_bytes_atomic(dest, ("\n".join(lines) + "\n").encode("utf-8"))
        for note in inp.notes:
            print(f"openscope: note: {note}", file=sys.stderr)
    inp.path = dest


def stat_size(path: Path) -> int:
    """Size of a file, 0 when unknown."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
