"""A release whose card, licence and config try every HTML and script injection."""

from __future__ import annotations

from pathlib import Path

#: A card that tries script tags, handler attributes, javascript: links and raw HTML, in
#: the front matter (values that reach the report) and the body (text the site shows).
HOSTILE_CARD = """---
license: "<script>window.__pwned=1</script>"
datasets:
  - "<img src=x onerror=\\"window.__pwned=2\\">"
  - "evil/</td><script>document.title='pwned'</script>"
tags:
  - open-source
  - "<svg onload=window.__pwned=3>"
base_model: "<script>window.__pwned=9</script>"
---
# <script>document.title='pwned'</script> Hostile model

This open source model is fully open. <img src=x onerror="window.__pwned=10">
[click me](javascript:window.__pwned=11) and <a href="javascript:window.__pwned=12">here</a>.

## Training data

Trained on [data](javascript:window.__pwned=4) <iframe src="javascript:alert(1)"></iframe>
and `<script>` tags: <script>window.__pwned=5</script>

## Limitations

<style>body{display:none}</style> <div onclick="window.__pwned=6">limits</div>
<form action="javascript:window.__pwned=13"><button>go</button></form>

## Citation

https://arxiv.org/abs/2401.00001 and javascript:alert(1) and https://example.org/"onmouseover="x
"""


def write_hostile(folder: Path) -> Path:
    """Fill ``folder`` with a card, licence and config that try to inject HTML and script."""
    (folder / "README.md").write_text(HOSTILE_CARD, encoding="utf-8")
    (folder / "LICENSE").write_text("<script>window.__pwned=8</script> All rights reserved.\n")
    (folder / "config.json").write_text('{"architectures": ["<script>x</script>ForCausalLM"]}')
    (folder / "train.py").write_text("print('<script>')\n")
    return folder
