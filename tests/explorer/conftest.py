"""Fixtures of the explorer tests: a release whose card tries every injection."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.hostile_card import write_hostile


@pytest.fixture()
def malicious_release(tmp_path: Path) -> Path:
    """A release folder whose card, licence and config try to inject HTML and script."""
    folder = tmp_path / "hostile-model"
    folder.mkdir()
    return write_hostile(folder)
