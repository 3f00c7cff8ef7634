"""Formats render a finished report; they never judge.

Each format is a function ``render(report, color=False) -> str`` registered in
:data:`FORMATS`. Adding a format is one module and one line here. ``docs/formats.md``
describes every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping

from openscope.errors import UsageError
from openscope.report import Report

Renderer = Callable[[Report, bool], str]

#: Format name -> "module:function". Modules are imported on first use, so an audit that
#: writes JSON does not pay for the CycloneDX, SPDX and rich imports (benchmarks/startup.py).
_TABLE: dict[str, str] = {
    "text": "text:render",
    "json": "json_format:render",
    "markdown": "markdown:render",
    "html": "html:render",
    "sarif": "sarif:render",
    "spdx": "spdx3:render",
    "cyclonedx": "cdx:render",
    "badge": "badge:render",
    "badge-json": "badge:render_endpoint",
}


class _LazyFormats(Mapping[str, Renderer]):
    """The format registry: a read-only mapping whose renderers are imported on access."""

    def __getitem__(self, name: str) -> Renderer:
        module, attr = _TABLE[name].split(":")
        renderer: Renderer = getattr(importlib.import_module(f"openscope.formats.{module}"),
                                     attr)
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE)

    def __len__(self) -> int:
        return len(_TABLE)


FORMATS: Mapping[str, Renderer] = _LazyFormats()


def render(report: Report, fmt: str, color: bool = False,
           requirements: Iterable[str] | None = None, badge_name: str | None = None) -> str:
    """Render ``report`` in format ``fmt`` (a key of :data:`FORMATS`).

    ``requirements`` (requirement ids or ``fnmatch`` patterns, e.g. the ids a policy checks)
    limits the SARIF results to those requirements; ``badge_name`` picks the badge of the
    ``badge`` and ``badge-json`` formats (:func:`badge.names`); other formats ignore both.
    Raises :class:`~openscope.errors.UsageError` for an unknown badge name.
    """
    if fmt == "sarif" and requirements is not None:
        from openscope.formats import sarif

        return sarif.render_sarif(report, requirements)
    if fmt in ("badge", "badge-json") and badge_name is not None:
        from openscope.formats import badge

        if badge_name not in badge.names(report):
            raise UsageError(f"unknown badge {badge_name!r}",
                             "choose one of: " + ", ".join(badge.names(report)))
        if fmt == "badge":
            return badge.svg(report, badge_name)
        return badge.endpoint(report, badge_name)
    return FORMATS[fmt](report, color)


__all__ = ["FORMATS", "render"]
