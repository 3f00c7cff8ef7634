"""Training compute and model size, where the release states them (EU AI Act Art. 51)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe

# "3.8 x 10^25 FLOPs", "3.8e25 FLOPs", "1.2×10²⁴ FLOP"
_FLOPS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:[x×*]\s*10\s*(?:\^|\*\*)?\s*([0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})|e\+?(\d{1,3}))"
    r"\s*(?:total\s+)?(?:training\s+)?FLOP",
    re.I,
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def parse_flops(text: str) -> float | None:
    """The first FLOP figure in ``text``.

    >>> parse_flops("trained with 3.8 x 10^25 FLOPs")
    3.8e+25
    """
    m = _FLOPS.search(text)
    if not m:
        return None
    exponent = (m.group(2) or m.group(3) or "0").translate(_SUPERSCRIPT)
    return float(m.group(1)) * 10.0 ** int(exponent)


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``compute.flops`` facts from the documents."""
    for path, text in ctx.docs_text():
        if not path.lower().endswith((".md", ".txt", ".rst")):
            continue
        for i, line in enumerate(text.split("\n")):
            if "flop" not in line.lower():
                continue
            value = parse_flops(line)
            if value is not None:
                yield Fact("compute.flops", f"{value:.3g}", "declared", path=path, line=i + 1,
                           snippet=snippet(line), attrs={"flops": value})
                return

PROBES = (
    Probe("compute.flops", "How much training compute does the release state?",
          ("compute.flops",), "FLOP figures stated in a document.", "none known"),
)
