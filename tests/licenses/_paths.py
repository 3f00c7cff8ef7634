"""Paths shared by the licence tests: ``shared/`` sits beside the repository root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "releases"
EXPECTED: dict[str, Any] = json.loads((HERE / "expected_ids.json").read_text(encoding="utf-8"))
