"""Publisher policy for ``openscope check``: required levels, strictness and annotations.

Read only from what the user names with ``--policy``: a file (``.openscope.toml`` top-level
keys, or the ``[tool.openscope]`` table of a ``pyproject.toml``) or a folder holding one
(``.openscope.toml`` first). A policy inside the audited release is never read on its own:
the release under audit must not choose the rules it is judged by. Files are read with a size
cap and never through a symlink out of the folder they were looked up in.

.. code-block:: toml

    [tool.openscope]
    require = ["mof:3", "osaid", "eu-exemption", "osai-index:0.5"]
    strict = false                       # unknown counts as not met when true
    osaid-parameters-accept = ["CC-BY-4.0", "OpenMDW-1.0"]   # or "osd-compatible"

    [[tool.openscope.annotations]]
    requirement = "osaid.training-code"
    reason = "published-elsewhere"
    note = "training code: https://github.com/org/train"

    [[tool.openscope.waivers]]
    requirement = "osaid.training-data"
    reason = "accepted-risk"
    note = "data licences under legal review, ticket LEGAL-12"
    expires = 2027-01-31                 # a TOML date; optional

Annotations are shown beside the results they name and **never change an outcome or the exit
code**. Waivers (like ``pip-audit --ignore-vuln``) turn a named unmet or unknown requirement
into ``waived``: it no longer blocks the exit code but is shown in every output, with its
reason, note and expiry; an expired waiver does not apply and is shown as expired. A waiver
never changes a fact or a framework verdict, only the gate's outcome. Reasons of both must
be one of :data:`REASONS`; a waiver needs a non-empty ``note``. In ``.openscope.toml`` the
tables are top-level ``[[annotations]]`` and ``[[waivers]]``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openscope.errors import UsageError

#: The fixed vocabulary of annotation reasons.
REASONS: dict[str, str] = {
    "not-applicable": "the requirement does not apply to this release (e.g. no supporting "
                      "libraries are needed)",
    "published-elsewhere": "the item exists outside the sources openscope checked (another "
                           "repository, a paper, a website); the note says where",
    "in-progress": "the publisher is working on it; the note says what and when",
    "false-positive": "the publisher believes openscope's evidence is wrong; the note says why",
    "accepted-risk": "the publisher knows the requirement is not met and accepts it for this "
                     "release; the note says why",
}

#: Accepted for OSAID parameters with ``osaid-parameters-accept = "osd-compatible"``.
OSD_COMPATIBLE = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDLA-Permissive-1.0",
                  "CDLA-Permissive-2.0", "ODC-By-1.0", "PDDL-1.0", "OpenMDW-1.0")

POLICY_FILES = (".openscope.toml", "pyproject.toml")
#: Largest policy file read (a pyproject.toml with a lock table is well under this).
MAX_POLICY_BYTES = 256 * 1024


class PolicyError(UsageError):
    """The policy file is malformed (exit 2)."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A publisher's note on one requirement, with a reason from :data:`REASONS`."""

    requirement: str
    reason: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"requirement": self.requirement, "reason": self.reason, "note": self.note}


@dataclass(frozen=True, slots=True)
class Waiver:
    """A publisher's decision that one requirement does not block the gate.

    ``requirement`` is any id ``openscope check`` prints or accepts (a spec text such as
    ``osaid``, a requirement id such as ``osaid.training-code``, ``component.<slug>``,
    ``use:commercial``); ``reason`` is one of :data:`REASONS`; ``expires`` is the last day
    it applies (``None``: no expiry); ``source`` says where it was declared.
    """

    requirement: str
    reason: str
    note: str
    expires: dt.date | None = None
    source: str = "policy"

    def expired(self, today: dt.date) -> bool:
        """True when ``today`` is after the expiry date."""
        return self.expires is not None and today > self.expires

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form."""
        return {"requirement": self.requirement, "reason": self.reason, "note": self.note,
                "expires": self.expires.isoformat() if self.expires else None,
                "source": self.source}


def parse_waive_option(text: str) -> Waiver:
    """A ``--waive ID:REASON[:NOTE]`` value; ID may hold colons itself (``mof:2``).

    The first ``:``-separated part after the id that is a reason of :data:`REASONS` ends
    the id; whatever follows is the note. Raises :class:`UsageError` (exit 2) otherwise.
    """
    parts = text.split(":")
    for i in range(1, len(parts)):
        if parts[i].strip() in REASONS:
            ident = ":".join(parts[:i]).strip()
            note = ":".join(parts[i + 1:]).strip()
            if ident:
                return Waiver(ident, parts[i].strip(), note or "waived on the command line",
                              None, "--waive")
    raise UsageError(f"--waive {text!r} is not ID:REASON[:NOTE]",
                     hint="REASON is one of " + ", ".join(REASONS))


@dataclass(frozen=True)
class Policy:
    """What ``openscope check`` requires, and the publisher's annotations."""

    require: tuple[str, ...] = ()
    strict: bool = False
    annotations: tuple[Annotation, ...] = ()
    osaid_parameters_accept: tuple[str, ...] = ()
    source: str | None = None
    waivers: tuple[Waiver, ...] = ()

    def annotations_for(self, *ids: str) -> list[Annotation]:
        """Annotations naming any of ``ids``."""
        return [a for a in self.annotations if a.requirement in ids]


def find(folder: Path) -> Path | None:
    """The policy file of a folder, if any (``.openscope.toml`` first).

    Raises :class:`PolicyError` for a policy file that is a symlink out of ``folder``.
    """
    for name in POLICY_FILES:
        path = folder / name
        if path.is_file():
            try:
                inside = path.resolve().is_relative_to(folder.resolve())
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                raise PolicyError(f"{path}: policy file is a symlink out of {folder}, not read",
                                  "name the policy file itself with --policy")
            if name == "pyproject.toml" and "tool.openscope" not in _text(path):
                continue  # someone else's pyproject: not a policy
            return path
    return None


def load_named(path: Path) -> Policy:
    """The policy the user named with ``--policy``: a file, or a folder holding one.

    A folder without a policy file gives the empty policy; a missing path is an error.
    """
    if path.is_dir():
        found = find(path)
        return load(found) if found is not None else Policy()
    if not path.is_file():
        raise PolicyError(f"policy file not found: {path}")
    return load(path)


def load(path: Path) -> Policy:
    """Parse a policy file: ``.openscope.toml`` top level or ``[tool.openscope]``."""
    data = _read(path)
    tool = data.get("tool")
    table: Any = tool.get("openscope") if isinstance(tool, dict) else None
    if table is None:
        if path.name == "pyproject.toml":
            return Policy(source=str(path))
        table = data
    if not isinstance(table, dict):
        raise PolicyError(f"{path}: [tool.openscope] must be a table")
    return parse(table, str(path))


def parse(table: dict[str, Any], source: str = "policy") -> Policy:
    """Validate a policy table (already parsed from TOML)."""
    known = {"require", "strict", "annotations", "osaid-parameters-accept", "waivers"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise PolicyError(f"{source}: unknown policy key(s) {', '.join(unknown)}",
                          hint="known keys: " + ", ".join(sorted(known)))
    require = table.get("require", [])
    if not isinstance(require, list) or not all(isinstance(r, str) for r in require):
        raise PolicyError(f"{source}: 'require' must be a list of strings such as \"mof:2\"")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise PolicyError(f"{source}: 'strict' must be true or false")
    accept_raw = table.get("osaid-parameters-accept", [])
    if accept_raw == "osd-compatible":
        accept: tuple[str, ...] = OSD_COMPATIBLE
    elif isinstance(accept_raw, list) and all(isinstance(a, str) for a in accept_raw):
        accept = tuple(accept_raw)
    else:
        raise PolicyError(f"{source}: 'osaid-parameters-accept' must be a list of licence ids "
                          "or \"osd-compatible\"")
    annotations = []
    items = table.get("annotations", [])
    if not isinstance(items, list):
        raise PolicyError(f"{source}: 'annotations' must be a list of tables "
                          "([[tool.openscope.annotations]])")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("requirement"), str):
            raise PolicyError(f"{source}: annotation {i + 1} needs a 'requirement' id")
        reason = item.get("reason")
        if reason not in REASONS:
            raise PolicyError(f"{source}: annotation {i + 1} has reason {reason!r}",
                              hint="use one of " + ", ".join(REASONS))
        note = item.get("note", "")
        if not isinstance(note, str):
            raise PolicyError(f"{source}: annotation {i + 1}: 'note' must be a string")
        annotations.append(Annotation(item["requirement"], str(reason), note))
    return Policy(tuple(require), strict, tuple(annotations), accept, source,
                  _waivers(table.get("waivers", []), source))


def _waivers(items: Any, source: str) -> tuple[Waiver, ...]:
    """Validate the ``waivers`` tables: requirement, reason, non-empty note, optional date."""
    if not isinstance(items, list):
        raise PolicyError(f"{source}: 'waivers' must be a list of tables "
                          "([[tool.openscope.waivers]] or [[waivers]])")
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("requirement"), str) \
                or not item["requirement"].strip():
            raise PolicyError(f"{source}: waiver {i} needs a 'requirement' id")
        unknown = sorted(set(item) - {"requirement", "reason", "note", "expires"})
        if unknown:
            raise PolicyError(f"{source}: waiver {i}: unknown key(s) {', '.join(unknown)}",
                              hint="known keys: requirement, reason, note, expires")
        reason = item.get("reason")
        if reason not in REASONS:
            raise PolicyError(f"{source}: waiver {i} has reason {reason!r}",
                              hint="use one of " + ", ".join(REASONS))
        note = item.get("note")
        if not isinstance(note, str) or not note.strip():
            raise PolicyError(f"{source}: waiver {i} needs a non-empty 'note' saying why")
        expires = item.get("expires")
        if isinstance(expires, dt.datetime) or not (expires is None
                                                     or isinstance(expires, dt.date)):
            raise PolicyError(f"{source}: waiver {i}: 'expires' must be a TOML date such as "
                              "2027-01-31 (no quotes, no time)")
        out.append(Waiver(item["requirement"].strip(), str(reason), note.strip(), expires,
                          source))
    return tuple(out)


def _text(path: Path) -> str:
    """The file's text, at most :data:`MAX_POLICY_BYTES`; :class:`PolicyError` otherwise."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc.strerror}") from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(f"policy file {path} is larger than {MAX_POLICY_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"policy file {path} is not UTF-8 text") from exc


def _read(path: Path) -> dict[str, Any]:
    text = _text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise PolicyError(f"policy file {path} is nested too deeply") from exc
