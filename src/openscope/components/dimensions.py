"""The four dimensions of openness - code, weights, data, research - from the components.

Each dimension takes the status of its key components (worst first: closed, restricted,
unknown, open) and gives a one-line reason naming the component that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openscope.components.assess import Component, Status

DIMENSIONS = ("code", "weights", "data", "research")

#: Key components of each dimension, by MOF id.
KEYS: dict[str, tuple[int, ...]] = {
    "code": (7, 8, 9),  # training code, inference code, architecture
    "weights": (10,),  # final parameters
    "data": (15,),  # datasets
    "research": (13,),  # model card; papers handled below
}
_ORDER: dict[str, int] = {"closed": 0, "restricted": 1, "unknown": 2, "open": 3}


@dataclass(frozen=True, slots=True)
class Dimension:
    """One of the four dimensions with its status and the reason for it."""

    name: str
    status: Status
    reason: str
    components: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"status": self.status, "reason": self.reason,
                "components": list(self.components)}


def summarise(components: list[Component]) -> dict[str, Dimension]:
    """The four dimensions from assessed components."""
    by_id = {c.id: c for c in components}
    out = {}
    for name in DIMENSIONS:
        if name == "research":
            out[name] = _research(by_id)
            continue
        keys = KEYS[name]
        worst = min((by_id[i] for i in keys), key=lambda c: _ORDER[c.status])
        status = worst.status
        if status == "open":
            reason = "; ".join(f"{by_id[i].name}: open" for i in keys)
            reason = f"{reason} ({_short(by_id[keys[0]].reason)})"
        else:
            reason = f"{worst.name}: {_short(worst.reason)}"
        out[name] = Dimension(name, status, reason, keys)
    return out


def _research(by_id: dict[int, Component]) -> Dimension:
    """Research is about papers being public and the model being documented.

    A paper on arXiv is readable by anyone even when its licence was not checked, so the
    research dimension rates availability (of the paper and the card); the components keep
    the licence-based status.
    """
    papers = [by_id[i] for i in (11, 21) if by_id[i].available]
    card = by_id[13]
    ids = (11, 21, 13)
    if any(c.status == "closed" for c in (by_id[11], by_id[21])):
        return Dimension("research", "closed", "a paper or report is stated as withheld", ids)
    if not papers:
        return Dimension("research", "unknown",
                         "no paper or technical report found in the sources checked", ids)
    paper = papers[0]
    # Research is open when it can be read: the card's text falling under the model's
    # licence does not make a public paper and a public card "restricted".
    if card.available:
        return Dimension("research", "open",
                         f"{paper.name} public ({_short(paper.reason)}); card present", ids)
    return Dimension("research", "unknown",
                     f"{paper.name} public, but no substantive model card found", ids)


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
