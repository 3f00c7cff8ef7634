"""``use:compatible`` over the mirror's fine-tunes whose base model is in the mirror.

For every model of the shared Hub mirror whose card declares a ``base_model`` that the mirror
holds, runs the check's ``use:compatible`` spec (base models and named datasets collected
through the mirror, offline) and prints each release whose declared licence is more
permissive than its base's terms allow, then the tally of outcomes. Measuring only: nothing
here is keyed on a model.

Usage: PYTHONPATH=src python benchmarks/lineage_compatible.py [--hub ../shared/hub]
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

from openscope import lineage
from openscope.cli.remote_opts import audit_collected
from openscope.frameworks import gate
from openscope.policy import Policy
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions

REPO = Path(__file__).resolve().parents[1]
_BASE = re.compile(r"^base_model:\s*(?:\n\s*-\s*)?([\w.-]+/[\w.-]+)", re.M)


def fine_tunes(hub: Path) -> list[str]:
    """``hf:`` refs of mirror models whose declared base model is in the mirror too."""
    out = []
    for card in sorted((hub / "models").glob("*/*/README.md")):
        m = _BASE.search(card.read_text(encoding="utf-8", errors="replace")[:4000])
        if m and (hub / "models" / m.group(1) / "README.md").is_file():
            out.append(f"hf:{card.parent.parent.name}/{card.parent.name}")
    return out


def main() -> None:
    """Print unmet releases and the outcome tally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", type=Path, default=REPO.parent / "shared" / "hub")
    args = parser.parse_args()
    opts = SourceOptions(mirror=args.hub, offline=True, use_cache=False, follow_links=False)
    spec = gate.parse_spec("use:compatible")
    outcomes: collections.Counter[str] = collections.Counter()
    bases: collections.Counter[str] = collections.Counter()
    refs = fine_tunes(args.hub)
    for ref in refs:
        snap = open_ref(ref, opts)
        data = audit_collected(snap, opts, lineage.DEFAULT_DEPTH).data
        (res,) = gate.run([spec], data["frameworks"], Policy(), data["components"],
                          {**data, "named_datasets": lineage.dataset_ids(snap)})
        outcomes[res.outcome] += 1
        for d in res.details:
            if d["id"].startswith("lineage:"):
                bases[d["outcome"]] += 1
                if d["outcome"] == "unmet":
                    print(f"unmet: {ref}: {d['reason']}")
    print(f"releases: {len(refs)}; use:compatible {dict(sorted(outcomes.items()))}; "
          f"base-model details not met {dict(sorted(bases.items()))}")


if __name__ == "__main__":
    main()
