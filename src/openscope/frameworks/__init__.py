"""Framework verdicts: one module per framework, each a pure function of the components.

* :mod:`.mof` - Model Openness Framework 1.0 classes and progress
* :mod:`.osai_index` - European Open Source AI Index parameters
"""

from __future__ import annotations

from typing import Any

from openscope.components.assess import Component
from openscope.evidence.facts import Evidence
from openscope.frameworks import mof, osai_index


def evaluate_all(components: list[Component], evidence: Evidence) -> dict[str, Any]:
    """Every framework's verdict, keyed as in the report's ``frameworks`` object."""
    ratings = osai_index.rate(components, evidence)
    return {
        "mof": mof.classify(components).to_dict(),
        "osai_index": {
            "version": osai_index.INDEX_VERSION,
            "parameters": {name: r.to_dict() for name, r in ratings.items()},
            "scores": osai_index.score(ratings),
        },
    }


__all__ = ["evaluate_all", "mof", "osai_index"]
