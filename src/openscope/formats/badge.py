"""Badges: flat SVG badges and shields.io endpoint JSON for a report.

Available badges (:func:`names`): ``mof`` (the MOF class, the main badge), ``code``,
``weights``, ``data``, ``research`` (the four dimensions) and one per framework verdict in the
report (``osaid``, ``eu_ai_act``, ``openwashing``, ...).

* ``openscope audit PATH --format badge`` writes the main (``mof``) badge as SVG;
* ``--format badge-json`` writes its shields.io endpoint JSON
  (``{"schemaVersion": 1, "label", "message", "color"}``), for
  ``https://img.shields.io/endpoint?url=...``;
* :func:`svg` and :func:`endpoint` render any badge by name from Python.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from openscope.formats import _common as c
from openscope.report import Report

MAIN = "mof"

#: shields.io named colours and their hex values.
COLORS = {"brightgreen": "#4c1", "green": "#97ca00", "yellowgreen": "#a4a61d",
          "yellow": "#dfb317", "orange": "#fe7d37", "red": "#e05d44",
          "lightgrey": "#9f9f9f", "blue": "#007ec6"}
STATUS_COLOR = {"open": "brightgreen", "restricted": "yellow", "closed": "red",
                "unknown": "lightgrey"}
OUTCOME_COLOR = {"met": "brightgreen", "unmet": "red", "unknown": "lightgrey"}
#: Short badge messages per framework outcome (others show the verdict or the outcome).
MESSAGES = {
    "osaid": {"met": "pass", "unmet": "fail", "unknown": "unknown"},
    "eu_ai_act": {"met": "conditions met", "unmet": "not met", "unknown": "unknown"},
    "openwashing": {"met": "no flags", "unmet": "flagged", "unknown": "unchecked"},
}
MOF_COLOR = {1: "brightgreen", 2: "green", 3: "yellowgreen", 0: "lightgrey"}
SHORT = {"osaid": "OSAID", "eu_ai_act": "EU AI Act exemption", "openwashing": "open-washing",
         "mof": "MOF"}


def names(report: Report) -> list[str]:
    """The badges this report can show, main first."""
    return [MAIN, *c.DIMENSIONS, *(fw.key for fw in c.frameworks(report) if fw.key != MAIN)]


def badge(report: Report, which: str = MAIN) -> dict[str, Any]:
    """``{label, message, color}`` of one badge (a shields.io named colour)."""
    d = report.data
    if which == MAIN:
        mof = d["frameworks"].get("mof") or {}
        cls = mof.get("class", 0)
        label = str(mof.get("label") or "unknown").split(" - ", 1)[0]
        return {"label": "MOF", "message": label,
                "color": MOF_COLOR.get(cls if isinstance(cls, int) else 0, "lightgrey")}
    if which in c.DIMENSIONS:
        status = d["dimensions"][which]["status"]
        return {"label": which, "message": status,
                "color": STATUS_COLOR.get(status, "lightgrey")}
    if which == "osai_index":
        overall = ((d["frameworks"].get("osai_index") or {}).get("scores") or {}).get("overall")
        return {"label": "Open Source AI Index",
                "message": "n/a" if overall is None else f"{overall:.2f}", "color": "blue"}
    for fw in c.frameworks(report):
        if fw.key == which:
            words = MESSAGES.get(fw.key, {})
            message = words.get(fw.outcome) or (fw.verdict if len(fw.verdict) <= 24
                                                else fw.outcome)
            color = OUTCOME_COLOR.get(fw.outcome, "blue")
            if fw.key == "openwashing" and fw.outcome == "unmet":
                color = "orange"
            return {"label": SHORT.get(fw.key, fw.key), "message": message, "color": color}
    raise KeyError(f"unknown badge {which!r}; choose one of {', '.join(names(report))}")


def endpoint(report: Report, which: str = MAIN) -> str:
    """shields.io endpoint JSON for one badge (sorted keys, trailing newline)."""
    data = {"schemaVersion": 1, **badge(report, which)}
    return json.dumps(data, sort_keys=True) + "\n"


def _width(text: str) -> int:
    """Approximate rendered width of ``text`` in 11px Verdana, in pixels."""
    wide = sum(1 for ch in text if ch in "MWmw@%")
    narrow = sum(1 for ch in text if ch in "iIl.,:;|!' ()[]ftrj1")
    return int(6.5 * (len(text) - wide - narrow) + 9.5 * wide + 3.8 * narrow) + 10


def svg_badge(label: str, message: str, color: str) -> str:
    """A flat two-part badge as standalone SVG (text escaped)."""
    fill = COLORS.get(color, COLORS["lightgrey"])
    lw, mw = _width(label), _width(message)
    total = lw + mw
    lab, msg = escape(label), escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{lab}: {msg}">\n'
        f"<title>{lab}: {msg}</title>\n"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{fill}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>\n'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2:.1f}" y="14">{lab}</text>'
        f'<text x="{lw + mw / 2:.1f}" y="14">{msg}</text></g>\n'
        "</svg>\n")


def svg(report: Report, which: str = MAIN) -> str:
    """One badge as SVG."""
    b = badge(report, which)
    return svg_badge(b["label"], b["message"], b["color"])


def render(report: Report, color: bool = False) -> str:
    """The main badge (MOF class) as SVG; ``color`` is ignored."""
    return svg(report)


def render_endpoint(report: Report, color: bool = False) -> str:
    """The main badge as shields.io endpoint JSON; ``color`` is ignored."""
    return endpoint(report)
