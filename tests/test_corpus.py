"""Every real release and every real hub card audits without error, each well under a second."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import SHARED, corpus_snapshot, hub_card_folders
from openscope.pipeline import audit, audit_snapshot

pytestmark = pytest.mark.slow  # whole corpus and every hub card


RELEASES = sorted((SHARED / "corpus" / "releases").iterdir()) if SHARED.exists() else []


@pytest.mark.parametrize("folder", RELEASES, ids=lambda p: p.name)
def test_corpus_release_folder_audits(folder: Path) -> None:
    audit(str(folder))  # warm: the first audit in a process loads the licence data
    start = time.process_time()  # CPU time: the shared CI machine's load does not inflate it
    report = audit(str(folder))
    assert time.process_time() - start < 1.0
    assert len(report.components) == 17
    assert report.data["frameworks"]["mof"]["class"] in (0, 1, 2, 3)
    assert report.data["subject"]["revision"].startswith("sha256:")


def test_corpus_releases_with_listing_find_weights() -> None:
    found = 0
    for folder in RELEASES:
        if not (folder / "files.txt").exists():
            continue
        text = (folder / "files.txt").read_text()
        if not re.search(r"\.(safetensors|bin|pth|ckpt|gguf)(\t|$)", text, re.M):
            continue
        report = audit_snapshot(corpus_snapshot(folder))
        weights = report.component("Model parameters (Final)")
        assert weights["available"] is True, folder.name
        found += 1
    assert found >= 5


def test_every_hub_card_folder_audits_quickly() -> None:
    folders = hub_card_folders()
    assert len(folders) == 1869
    slow = []
    for folder in folders:
        start = time.process_time()  # CPU time, not wall time: robust to a loaded machine
        report = audit(str(folder))
        elapsed = time.process_time() - start
        if elapsed > 1.0:
            slow.append((folder.name, elapsed))
        assert len(report.components) == 17
    # each well under a second; allow a handful of outliers from machine noise
    assert len(slow) <= 3, slow
