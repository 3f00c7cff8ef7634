"""Parsing what the user names into a :class:`Ref`.

Forms: ``hf:org/name[@rev]``, ``hf-dataset:org/name[@rev]``, ``gh:owner/repo[@rev]``, a
local folder, or a saved snapshot file (``*.json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openscope import lazyre
from openscope.errors import UsageError

#: Hub repo ids: ``name`` or ``org/name`` of letters, digits, ``-_.``.
_REPO_ID = lazyre.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9._-]{1,96})?$")

SCHEMES = {"hf": "hf-model", "hf-model": "hf-model", "hf-dataset": "hf-dataset", "gh": "github"}


@dataclass(frozen=True, slots=True)
class Ref:
    """A parsed reference to a release.

    ``scheme`` is one of ``local``, ``snapshot``, ``hf-model``, ``hf-dataset``, ``github``.
    """

    scheme: str
    target: str
    revision: str | None = None

    def __str__(self) -> str:
        prefix = {"hf-model": "hf:", "hf-dataset": "hf-dataset:", "github": "gh:"}.get(self.scheme)
        if prefix is None:
            return self.target
        return f"{prefix}{self.target}" + (f"@{self.revision}" if self.revision else "")


def parse_ref(text: str) -> Ref:
    """Parse a ref; raises :class:`UsageError` for a malformed remote ref.

    >>> parse_ref("hf:meta-llama/Llama-3.1-8B@main")
    Ref(scheme='hf-model', target='meta-llama/Llama-3.1-8B', revision='main')
    """
    head, sep, rest = text.partition(":")
    if sep and head in SCHEMES and not Path(text).exists():
        scheme = SCHEMES[head]
        target, _, revision = rest.partition("@")
        if not _REPO_ID.match(target) or (scheme == "github" and "/" not in target):
            raise UsageError(
                f"malformed {head}: ref {text!r}",
                f"write it as {head}:owner/name[@revision]",
            )
        return Ref(scheme, target, revision or None)
    path = Path(text)
    if path.is_file() and path.suffix.lower() == ".json":
        return Ref("snapshot", text)
    return Ref("local", text)
