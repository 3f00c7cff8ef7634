"""Output-identity safety net for performance work: a digest of each audit's JSON report.

Audits N mirror releases (snapshots of the recorded hub repos, built as in
``benchmarks/audit_throughput.py``: every repo with a card first, then repos with only an API
record) and writes one line per release, ``<ref> <sha256 of report.to_json()>``, to the output
file. Record the digests on unchanged code, then after each optimisation compare::

    PYTHONPATH=src python3 benchmarks/report_identity.py --limit 2000 --out before.txt
    PYTHONPATH=src python3 benchmarks/report_identity.py --limit 2000 --check before.txt

``--check`` exits 1 and names the first differing releases when any digest changed (an
optimisation must not change a byte of any report), 0 when all are identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import SHARED, hub_card_folders, hub_snapshot  # noqa: E402
from openscope.pipeline import audit_snapshot  # noqa: E402


def folders(limit: int) -> list[Path]:
    """The first ``limit`` recorded repos: those with a card, then those without."""
    out = hub_card_folders()
    if len(out) < limit:
        root = SHARED / "hub" / "models"
        for line in (SHARED / "hub" / "index.jsonl").read_text().splitlines():
            rec = json.loads(line)
            if not rec.get("card") and (root / rec["id"]).exists():
                out.append(root / rec["id"])
                if len(out) >= limit:
                    break
    return out[:limit]


def digests(limit: int) -> list[str]:
    """``<ref> <digest>`` lines for the first ``limit`` releases."""
    lines = []
    for folder in folders(limit):
        snap = hub_snapshot(folder)
        text = audit_snapshot(snap).to_json()
        lines.append(f"{snap.ref} {hashlib.sha256(text.encode()).hexdigest()}")
    return lines


def main() -> int:
    """Write or check the digests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the digests here")
    group.add_argument("--check", type=Path, help="compare with digests written before")
    args = parser.parse_args()
    lines = digests(args.limit)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")
        print(f"{len(lines)} report digests written to {args.out}")
        return 0
    expected = args.check.read_text().splitlines()
    if len(expected) != len(lines):
        print(f"count differs: {len(expected)} recorded, {len(lines)} now")
        return 1
    differing = [(a, b) for a, b in zip(expected, lines, strict=True) if a != b]
    for a, b in differing[:10]:
        print(f"DIFFERS: {a.split()[0]}  {a.split()[1][:12]} -> {b.split()[1][:12]}")
    print(f"{len(lines) - len(differing)}/{len(lines)} reports byte-identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
