"""Write docs/probes.md from the probe table (``openscope.evidence.probes``).

Usage: python scripts/gen_probe_docs.py [--check]
With --check, exit 1 when docs/probes.md is stale instead of writing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openscope.evidence.probes import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "probes.md"


def main() -> int:
    text = markdown()
    if "--check" in sys.argv[1:]:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is stale: run python scripts/gen_probe_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
