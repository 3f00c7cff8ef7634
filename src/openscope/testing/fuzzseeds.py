"""Seeds and hostile fragments shared by the fuzzing tests and ``scripts/fuzz.py``.

Both mutate real cards and Hub records from a recorded mirror (``../shared/hub``); this module
picks them reproducibly so the suite's brief runs and the long runs start from the same kind
of input.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

#: Hostile fragments spliced into real cards: terminal escapes, lone surrogates, NUL, BOM,
#: unclosed comments and templates, YAML markers, runs that made regexes super-linear.
NASTY = ["\x1b]8;;http://x\x07", "\udc80", "\x00", "\ufeff", "<!--", "{{", "[", "]", "&a",
         "*a", "---\n", "\n---\n", "    ", "\t", "license: ", "9" * 5000, "- ", "# "]


def real_seeds(hub: Path, n: int, lines: int | None = None
               ) -> tuple[list[str], list[dict[str, Any]]]:
    """Up to ``n`` real cards (first 20,000 characters) and ``n`` Hub records from the
    mirror at ``hub``, chosen reproducibly (seed 15) among the first ``lines`` entries of
    its ``index.jsonl`` (all when ``None``)."""
    index = [json.loads(line) for line in
             (hub / "index.jsonl").read_text().splitlines()[:lines]]
    random.Random(15).shuffle(index)
    cards: list[str] = []
    records: list[dict[str, Any]] = []
    for rec in index:
        folder = hub / "models" / rec["id"]
        if rec.get("card") and len(cards) < n and (folder / "README.md").exists():
            cards.append((folder / "README.md").read_text(encoding="utf-8",
                                                           errors="replace")[:20_000])
        if len(records) < n and (folder / "info.json").exists():
            records.append(json.loads((folder / "info.json").read_text()))
        if len(cards) >= n and len(records) >= n:
            break
    return cards, records
