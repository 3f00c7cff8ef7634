"""Training compute and model size, where the release states them (EU AI Act Art. 51)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope import lazyre
from openscope.evidence.card import (
    MAX_FIELD_LINE,
    body_lines,
    is_placeholder,
    iter_fields,
    plain_text,
)
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe

# "3.8 x 10^25 FLOPs", "3.8e25 FLOPs", "1.2×10²⁴ FLOP"
_FLOPS = lazyre.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[x×*]\s*10\s*(?:\^|\*\*)?\s*([0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})|e\+?(\d{1,3}))"
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
    """Yield ``compute.flops`` facts from the documents and ``doc.hardware`` from the card."""
    yield from _hardware_facts(ctx)
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

# ----------------------------------------------------------------------------- hardware

#: Accelerator names (NVIDIA data-centre and consumer GPUs, AMD Instinct, Google TPUs,
#: Intel Gaudi, AWS Trainium); group 1 is the name as written.
_ACCELERATOR = lazyre.compile(
    r"(?<![A-Za-z_-])((?:nvidia\s+|amd\s+|tesla\s+|google\s+(?:cloud\s+)?)?"
    r"(?:[ahlbv]100|h200|gh200|a800|h800|a10g?|a30|a40|a6000|l40s?|l4|t4|p100|k80|v100|"
    r"rtx\s?(?:a?\d{4})(?:\s?ti)?|(?:geforce\s+)?(?:gtx|rtx)\s?\d{4}(?:\s?ti)?|"
    r"quadro\s+\w{2,6}|titan\s+\w{1,4}|mi\d{3}x?|tpu\s?-?v\d[a-z]?(?:[\s-]\d{1,5})?|"
    r"tpus?|gaudi\s?\d?|trainium\d?|gpus?))s?(?=[x×]\d|[^\w]|$)",
    re.I,
)
_TRAIN_WORD = lazyre.compile(r"\b(?:trained|training|pre-?trained|pre-?training|fine-?tuned|"
                             r"fine-?tuning|finetuned|finetuning)\b", re.I)
#: A line about running the model, not training it ("runs on a single 4090").
_RUN_WORD = lazyre.compile(
    r"\b(?:inference|infer|run(?:s|ning)?|requires?|vram|deploy|serv(?:e|ing)|"
    r"load(?:ing)?|quantiz|quantis|tokens?/s(?:ec)?|benchmark(?:ed)?|"
    r"latency|throughput)\b", re.I)
_COUNT_X = lazyre.compile(r"(\d[\d,]{0,6})\s*[x×*]\s*(\d[\d,]{0,6})\s*[x×*]?\s*$")
_COUNT_1 = lazyre.compile(r"(\d[\d,]{0,6})\s*[x×*]?\s*(?:\d{1,3}\s?gb\s+)?$", re.I)
_COUNT_AFTER = lazyre.compile(r"^(?:[-\s]?\d{2,3}\s?gb)?\s*[x×*]\s*(\d[\d,]{0,6})", re.I)


def _accelerator_name(raw: str) -> str:
    """"NVIDIA A100" -> "A100", "tpu v4" -> "TPU v4", "GPUs" -> "GPU"."""
    name = re.sub(r"^(?:nvidia|amd|tesla|google(?:\s+cloud)?)\s+", "", raw.strip(), flags=re.I)
    name = " ".join(name.split()).upper()
    name = re.sub(r"^(GPU|TPU)S$", r"\1", name)
    return re.sub(r"TPU( ?-?)V", r"TPU\1v", name)


def parse_hardware(text: str) -> dict[str, object]:
    """Accelerator and count in a hardware statement, where they can be read.

    >>> parse_hardware("64 x 8 x A100 GPUs")
    {'accelerator': 'A100', 'count': 512}
    >>> parse_hardware("trained on 384 NVIDIA A100 80GB GPUs")
    {'accelerator': 'A100', 'count': 384}
    """
    text = text[:400]
    named = [(m, _accelerator_name(m.group(1))) for m in _ACCELERATOR.finditer(text)]
    specific = [(m, n) for m, n in named if n not in ("GPU", "TPU")]
    if not named:
        return {}
    m, name = (specific or named)[0]
    out: dict[str, object] = {"accelerator": name}
    before = text[max(0, m.start() - 40):m.start()]
    before = re.sub(r"(?i)\b(?:nvidia|amd|tesla)\s*$", "", before.rstrip()).rstrip() + " "
    before = re.sub(r"(?i)\d{2,3}\s?gb\s*$", "", before.rstrip()).rstrip()
    two = _COUNT_X.search(before)
    one = _COUNT_1.search(before)
    after = _COUNT_AFTER.match(text[m.end():m.end() + 20])
    count = None
    if two:
        count = int(two.group(1).replace(",", "")) * int(two.group(2).replace(",", ""))
    elif one:
        count = int(one.group(1).replace(",", ""))
    elif after:
        count = int(after.group(1).replace(",", ""))
    if count and 0 < count < 1_000_000:
        out["count"] = count
    return out


def _hardware_facts(ctx: Context) -> Iterator[Fact]:
    """``doc.hardware``: hardware fields ("Hardware Type: A100") and training sentences
    naming accelerators ("trained on 384 A100 GPUs") in the card."""
    from openscope.evidence.documentation import field_topic  # late: avoids an import cycle

    card = ctx.card
    if card is None:
        return
    seen: set[int] = set()
    count = 0
    for f in iter_fields(card):
        if field_topic(f) != "hardware" or is_placeholder(f.value):
            continue
        value = plain_text(f.value)
        seen.add(f.line)
        count += 1
        yield Fact("doc.hardware", snippet(value)[:120], "declared", path=card.path,
                   line=f.line, snippet=snippet(f.raw),
                   attrs={"form": "field", "title": f.label, **parse_hardware(value)})
        if count >= 5:
            return
    lines, mask = body_lines(card)
    for i, full in enumerate(lines):
        line_no = card.body_line + i
        if mask[i] or line_no in seen:
            continue
        line = full[:MAX_FIELD_LINE]
        if line.lstrip().startswith(("#", "|")):
            continue  # headings and table rows are not statements
        if not _TRAIN_WORD.search(line) or not _ACCELERATOR.search(line):
            continue
        text = plain_text(line)
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            acc = _ACCELERATOR.search(sentence)
            if acc is None or not _TRAIN_WORD.search(sentence) or _RUN_WORD.search(sentence):
                continue
            parsed = parse_hardware(sentence)
            if parsed.get("accelerator") in ("GPU", "TPU") and "count" not in parsed:
                continue  # "trained on GPUs" says nothing about the hardware
            count += 1
            yield Fact("doc.hardware", snippet(sentence)[:120], "declared", path=card.path,
                       line=line_no, snippet=snippet(sentence),
                       attrs={"form": "sentence", **parsed})
            break
        if count >= 5:
            return


PROBES = (
    Probe("compute.flops", "How much training compute does the release state?",
          ("compute.flops",), "FLOP figures stated in a document.", "none known"),
    Probe("compute.hardware", "On what hardware was the model trained?", ("doc.hardware",),
          "Hardware fields of the card (`**Hardware:**`, `Hardware Type:` of the Hugging "
          "Face environmental-impact template, `Training Factors/Hardware`, `attrs.form` "
          "field) with a non-placeholder value, and sentences that name an accelerator "
          "(A100, H100, V100, TPU v4, MI250 ...) together with a training verb (\"trained "
          "on 384 A100 GPUs\", `attrs.form` sentence); `attrs.accelerator` and "
          "`attrs.count` (\"64 x 8 x A100\" = 512) when they can be read. Sentences about "
          "running the model (inference, VRAM, requires) are skipped.",
          "The base model's training hardware quoted in a fine-tune's card; a sentence "
          "naming the GPU a fine-tune was trained on next to the base model's."),
)
