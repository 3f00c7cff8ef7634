"""What reaches a terminal: release-supplied text without control sequences.

File names, card values, a snapshot's ref and error messages come from whoever published the
release. Written raw to a terminal, an ESC sequence in them can retitle the window, clear the
screen or hide a link (OSC 8); a lone surrogate makes the output invalid UTF-8. Every human
output path goes through here:

* :func:`clean` / :func:`clean_tree` remove control characters from data before a renderer
  adds its own colours (the text report, ``check``'s summary, error lines);
* :func:`install` wraps standard output (when it is a terminal) and standard error so that
  whatever is written keeps only colour (SGR) sequences, whoever wrote it.
"""

from __future__ import annotations

import io
import sys
from typing import Any, TextIO

from openscope import lazyre

#: C0 controls but TAB and LF, DEL, C1 controls, and the bidirectional overrides and isolates
#: that reorder what a reader sees ("Trojan Source").
_CONTROL = lazyre.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Lone surrogates (from undecodable file names or JSON escapes): not encodable as UTF-8.
_SURROGATE = lazyre.compile("[\ud800-\udfff]")
#: An SGR (colour) sequence, the one escape the renderers emit themselves.
_SGR = lazyre.compile("\x1b\\[[0-9;]{0,32}m")


def clean(text: str) -> str:
    """``text`` without control characters (but ``\\n`` and ``\\t``) or lone surrogates.

    >>> clean("model\\x1b]0;pwned\\x07.bin\\udc80")
    'model]0;pwned.bin\\ufffd'
    """
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def clean_tree(value: Any) -> Any:
    """Every string of a JSON-like value (keys too) passed through :func:`clean`."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    return value


def clean_keeping_colour(text: str) -> str:
    """:func:`clean`, but colour (SGR) sequences survive: for text the renderers coloured.

    >>> clean_keeping_colour("\\x1b[1mok\\x1b[0m \\x1b[2J")
    '\\x1b[1mok\\x1b[0m [2J'
    """
    out: list[str] = []
    pos = 0
    for m in _SGR.finditer(text):
        out.append(clean(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(clean(text[pos:]))
    return "".join(out)


class _CleaningStream(io.TextIOBase):
    """A text stream that passes what it is given through :func:`clean_keeping_colour`."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(clean_keeping_colour(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._inner.encoding


def install() -> None:
    """Guard the process's terminal output (see the module doc); call once at start-up.

    Standard error always carries human text (error lines, progress): it is always cleaned.
    Standard output is cleaned when it is a terminal; piped, it carries the report as
    written (JSON escapes its control characters itself), with lone surrogates replaced so
    the bytes stay valid UTF-8.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, _CleaningStream):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
        if name == "stderr" or stream.isatty():
            setattr(sys, name, _CleaningStream(stream))
