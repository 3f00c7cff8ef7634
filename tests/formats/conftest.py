"""Fixtures for the format tests: corpus reports (built once) and a malicious release."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, corpus_snapshot
from openscope.pipeline import audit_snapshot
from openscope.report import Report

RELEASES = sorted((SHARED / "corpus" / "releases").iterdir()) if SHARED.exists() else []

_CACHE: dict[str, Report] = {}


def corpus_report(folder: Path) -> Report:
    """The audit report of one corpus release, built once per test session."""
    if folder.name not in _CACHE:
        _CACHE[folder.name] = audit_snapshot(corpus_snapshot(folder))
    return _CACHE[folder.name]


MALICIOUS_CARD = """---
license: "<script>window.__pwned=1</script>"
datasets:
  - "<img src=x onerror=\\"window.__pwned=2\\">"
  - "evil/</td><script>document.title='pwned'</script>"
tags:
  - open-source
  - "<svg onload=window.__pwned=3>"
library_name: "<b onmouseover=alert(1)>lib</b>"
base_model: "<script>alert(1)</script>"
---
# <script>document.title='pwned'</script> Evil model

This open source model is fully open. <img src=x onerror="document.title='pwned'">
[click me](javascript:document.title='pwned') and <a href="javascript:alert(1)">here</a>.

## Training data

Trained on [data](javascript:window.__pwned=4) <iframe src="javascript:alert(1)"></iframe>
and `<script>` tags: <script>window.__pwned=5</script>

## Limitations

<style>body{display:none}</style> <div onclick="window.__pwned=6">limits</div>

## Evaluation

| metric | value |
|---|---|
| <script>x</script> | 1 |

## Usage

```python
from transformers import AutoModel  # </code></pre><script>window.__pwned=7</script>
model = AutoModel.from_pretrained("evil/model")
```

## Citation

https://arxiv.org/abs/2401.00001 and javascript:alert(1) and https://example.org/"onmouseover="x
"""


@pytest.fixture()
def malicious_release(tmp_path: Path) -> Path:
    """A release folder whose card tries every way to inject HTML and script."""
    folder = tmp_path / "evil-model"
    folder.mkdir()
    (folder / "README.md").write_text(MALICIOUS_CARD, encoding="utf-8")
    (folder / "LICENSE").write_text("<script>window.__pwned=8</script> All rights reserved.\n")
    (folder / "config.json").write_text('{"architectures": ["<script>x</script>ForCausalLM"]}')
    (folder / "train.py").write_text("print('<script>')\n")
    return folder
