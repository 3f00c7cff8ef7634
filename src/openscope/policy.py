"""Publisher policy for ``openscope check``: required levels, strictness and annotations.

Read from the audited folder: ``.openscope.toml`` (top-level keys) or, failing that, the
``[tool.openscope]`` table of ``pyproject.toml``; or from a file named with ``--policy``.

.. code-block:: toml

    [tool.openscope]
    require = ["mof:3", "osaid", "eu-exemption", "osai-index:0.5"]
    strict = false                       # unknown counts as not met when true
    osaid-parameters-accept = ["CC-BY-4.0", "OpenMDW-1.0"]   # or "osd-compatible"

    [[tool.openscope.annotations]]
    requirement = "osaid.training-code"
    reason = "published-elsewhere"
    note = "training code: https://github.com/org/train"

Annotations are shown beside the results they name and **never change an outcome or the exit
code**. Their reason must be one of :data:`REASONS`.
"""

from __future__ import annotations

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
}

#: Accepted for OSAID parameters with ``osaid-parameters-accept = "osd-compatible"``.
OSD_COMPATIBLE = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDLA-Permissive-1.0",
                  "CDLA-Permissive-2.0", "ODC-By-1.0", "PDDL-1.0", "OpenMDW-1.0")

POLICY_FILES = (".openscope.toml", "pyproject.toml")


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


@dataclass(frozen=True)
class Policy:
    """What ``openscope check`` requires, and the publisher's annotations."""

    require: tuple[str, ...] = ()
    strict: bool = False
    annotations: tuple[Annotation, ...] = ()
    osaid_parameters_accept: tuple[str, ...] = ()
    source: str | None = None

    def annotations_for(self, *ids: str) -> list[Annotation]:
        """Annotations naming any of ``ids``."""
        return [a for a in self.annotations if a.requirement in ids]


def find(folder: Path) -> Path | None:
    """The policy file of a release folder, if any (``.openscope.toml`` first)."""
    for name in POLICY_FILES:
        path = folder / name
        if path.is_file():
            if name == "pyproject.toml":
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if "tool.openscope" not in text:  # someone else's pyproject: not a policy
                    continue
            return path
    return None


def load(path: Path) -> Policy:
    """Parse a policy file: ``.openscope.toml`` top level or ``[tool.openscope]``."""
    data = _read(path)
    table: Any = data.get("tool", {}).get("openscope") if "tool" in data else None
    if table is None:
        if path.name == "pyproject.toml":
            return Policy(source=str(path))
        table = data
    if not isinstance(table, dict):
        raise PolicyError(f"{path}: [tool.openscope] must be a table")
    return parse(table, str(path))


def parse(table: dict[str, Any], source: str = "policy") -> Policy:
    """Validate a policy table (already parsed from TOML)."""
    known = {"require", "strict", "annotations", "osaid-parameters-accept"}
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
    for i, item in enumerate(table.get("annotations", [])):
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
    return Policy(tuple(require), strict, tuple(annotations), accept, source)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from exc
