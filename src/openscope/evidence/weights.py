"""Weights: weight files by format, shards and index files, intermediate checkpoints.

Weights are counted from the listing, never loaded. Pickle-based formats are flagged
(``attrs.pickle``) because loading them would execute code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact
from openscope.evidence.probes import Probe

#: File suffix -> (format name, pickle-based?)
WEIGHT_FORMATS: dict[str, tuple[str, bool]] = {
    ".safetensors": ("safetensors", False),
    ".bin": ("pytorch-bin", True),
    ".pt": ("pytorch", True),
    ".pth": ("pytorch", True),
    ".ckpt": ("checkpoint", True),
    ".gguf": ("gguf", False),
    ".ggml": ("ggml", False),
    ".onnx": ("onnx", False),
    ".msgpack": ("flax-msgpack", False),
    ".h5": ("keras-h5", False),
    ".keras": ("keras", False),
    ".tflite": ("tflite", False),
    ".mlmodel": ("coreml", False),
    ".nemo": ("nemo", True),
    ".pkl": ("pickle", True),
    ".joblib": ("joblib", True),
    ".npz": ("numpy", False),
    ".pdparams": ("paddle", True),
}

#: Hub tags that name a weight format (used when the listing is unknown).
FORMAT_TAGS: dict[str, str] = {
    "safetensors": "safetensors",
    "pytorch": "pytorch",
    "gguf": "gguf",
    "onnx": "onnx",
    "tf": "tensorflow",
    "jax": "flax-msgpack",
    "keras": "keras",
    "tflite": "tflite",
    "coreml": "coreml",
    "mlx": "mlx",
    "openvino": "openvino",
}

# Files with weight suffixes that are not model weights.
_NOT_WEIGHTS = re.compile(
    r"(training_args|optimizer|scheduler|rng_state|scaler|trainer_state|tokenizer|vocab|"
    r"spiece|sentencepiece|merges|events\.out)",
    re.IGNORECASE,
)
_OPTIMIZER = re.compile(r"(^|/)(optimizer|optim)[^/]*\.(pt|bin|pth|safetensors)$", re.I)
_SHARD = re.compile(r"-(\d{3,6})-of-(\d{3,6})\.", re.I)
_INTERMEDIATE = re.compile(
    r"(^|/)(checkpoint[-_]?\d+|ckpt[-_]?\d+|step[-_]?\d+|iter[-_]?\d+|epoch[-_]?\d+|"
    r"intermediate[-_]checkpoints?|checkpoints)(/|$)|"
    r"(step|iter|epoch)[-_]?\d+[^/]*\.(pt|pth|ckpt|bin|safetensors)$",
    re.IGNORECASE,
)


def weight_format(path: str) -> tuple[str, bool] | None:
    """(format, pickle-based) for a weight file path, or ``None`` if it is not weights.

    >>> weight_format("model-00001-of-00002.safetensors")
    ('safetensors', False)
    >>> weight_format("training_args.bin") is None
    True
    """
    name = PurePosixPath(path).name
    suffix = PurePosixPath(name).suffix.lower()
    fmt = WEIGHT_FORMATS.get(suffix)
    if fmt is None or _NOT_WEIGHTS.search(name):
        return None
    return fmt


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``weights.*`` facts from the listing and the Hub record."""
    snap = ctx.snapshot
    sizes = {f.path: f.size for f in snap.files or ()}
    for path in snap.file_paths():
        lower = path.lower()
        if lower.endswith(".index.json") and ("safetensors" in lower or ".bin" in lower):
            yield Fact("weights.index", path, "detected", path=path)
            continue
        if _OPTIMIZER.search(path):
            yield Fact("weights.optimizer_state", path, "detected", path=path)
            continue
        fmt = weight_format(path)
        if fmt is None:
            continue
        name, pickled = fmt
        attrs: dict[str, object] = {"format": name, "pickle": pickled}
        if sizes.get(path) is not None:
            attrs["size"] = sizes[path]
        shard = _SHARD.search(path)
        if shard:
            attrs["shard"] = f"{int(shard.group(1))}/{int(shard.group(2))}"
        if "adapter_model" in lower or "lora" in lower:
            attrs["adapter"] = True
        kind = "weights.intermediate" if _INTERMEDIATE.search(path) else "weights.file"
        yield Fact(kind, path, "detected", path=path, attrs=attrs)

    st = snap.metadata.get("safetensors")
    if isinstance(st, dict) and isinstance(st.get("total"), int) and st["total"] > 0:
        yield Fact("weights.parameters", str(st["total"]), "detected", key="safetensors.total",
                   attrs={"by_dtype": st.get("parameters") or {}})
    if snap.files is None:  # listing unknown: fall back to the format tags
        for tag in ctx.tags:
            if tag in FORMAT_TAGS:
                yield Fact("weights.format_tag", FORMAT_TAGS[tag], "declared", key="tags",
                           snippet=tag)

PROBES = (
    Probe("weights.files", "Which weight files does the release ship, in which formats?",
          ("weights.file", "weights.index", "weights.optimizer_state", "weights.parameters",
           "weights.format_tag"),
          "File names and suffixes in the listing (safetensors, bin, gguf, ...), shard "
          "indexes, safetensors headers for parameter counts, weight formats in Hub tags. "
          "Adapter files (`adapter_model.*`, `adapter_config.json`) are adapter weights "
          "(`attrs.adapter`), not the full model's.",
          "A repository that ships only a quantised copy is credited with the final weights."),
    Probe("weights.checkpoints", "Does the release ship intermediate checkpoints?",
          ("weights.intermediate",),
          "`checkpoint-N/`, `step-N`, `global_stepN` folders and revision branches.",
          "Per-epoch copies of the final model from a short fine-tune."),
)
