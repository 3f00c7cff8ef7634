"""Weights: weight files by format, shards and index files, intermediate checkpoints.

Weights are counted from the listing, never loaded. Pickle-based formats are flagged
(``attrs.pickle``) because loading them would execute code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from openscope import lazyre
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
_NOT_WEIGHTS = lazyre.compile(
    r"(training_args|optimizer|scheduler|rng_state|scaler|trainer_state|tokenizer|vocab|"
    r"spiece|sentencepiece|merges|events\.out)",
    re.IGNORECASE,
)
# Adapter (LoRA/PEFT) files: trained on top of a base model, not the full model's weights.
_ADAPTER = lazyre.compile(r"(^|/)adapter_model[^/]*$|(^|[/_.-])(q?loras?|peft)([/_.-]|$)", re.I)
_ADAPTER_CONFIG = lazyre.compile(r"(^|/)adapter_config\.json$", re.I)
# Quantised copies: by file or release name (GPTQ, AWQ, GGUF q4_k_m, 4bit, ...).
_QUANT_NAME = lazyre.compile(
    r"(^|[/_.-])(gptq|awq|exl2|bnb|nf4|int4|int8|fp8|[48]-?bits?|w4a16|w8a8|i?q[1-8](_[a-z0-9]{1,4}){0,2}"
    r"|q[1-8]k(_[a-z]{1,2})?)([/_.-]|$)",
    re.I,
)
_UNQUANTISED = lazyre.compile(r"(^|[/_.-])(f16|f32|bf16|fp16|fp32)([/_.-]|$)", re.I)
_QUANT_CONFIGS = ("quantize_config.json", "quant_config.json", "quantization_config.json")
_OPTIMIZER = lazyre.compile(r"(^|/)(optimizer|optim)[^/]*\.(pt|bin|pth|safetensors)$", re.I)
_SHARD = lazyre.compile(r"-(\d{3,6})-of-(\d{3,6})\.", re.I)
_INTERMEDIATE = lazyre.compile(
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


def is_adapter(path: str) -> bool:
    """Whether a weight path is an adapter (LoRA/PEFT) file.

    >>> is_adapter("adapter_model.safetensors"), is_adapter("model.safetensors")
    (True, False)
    """
    return bool(_ADAPTER.search(path))


def _quantised_release(ctx: Context, paths: tuple[str, ...]) -> str | None:
    """Why every weight file of the release is a quantised copy, or ``None``."""
    names = {p.rsplit("/", 1)[-1].lower() for p in paths}
    if any(n in names for n in _QUANT_CONFIGS):
        return "quantisation config in the listing"
    config = ctx.snapshot.document("config.json")
    if config is not None and config.text and '"quantization_config"' in config.text:
        return "quantization_config in config.json"
    name = ctx.snapshot.ref.rsplit("/", 1)[-1]
    rid = ctx.snapshot.metadata.get("id")
    if isinstance(rid, str):
        name = rid.rsplit("/", 1)[-1]
    if _QUANT_NAME.search(name):
        return "release name"
    return None


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``weights.*`` facts from the listing and the Hub record."""
    snap = ctx.snapshot
    sizes = {f.path: f.size for f in snap.files or ()}
    paths = snap.file_paths()
    release_quant = _quantised_release(ctx, paths) if paths else None
    for path in paths:
        lower = path.lower()
        if lower.endswith(".index.json") and ("safetensors" in lower or ".bin" in lower):
            yield Fact("weights.index", path, "detected", path=path)
            continue
        if _OPTIMIZER.search(path):
            yield Fact("weights.optimizer_state", path, "detected", path=path)
            continue
        if _ADAPTER_CONFIG.search(path):
            config_attrs: dict[str, object] = {"format": "peft-config"}
            if sizes.get(path) is not None:
                config_attrs["size"] = sizes[path]
            yield Fact("weights.adapter", path, "detected", path=path, attrs=config_attrs)
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
        adapter = is_adapter(path)
        if _INTERMEDIATE.search(path):
            if adapter:
                attrs["adapter"] = True
            yield Fact("weights.intermediate", path, "detected", path=path, attrs=attrs)
            continue
        if adapter:
            # A LoRA/PEFT adapter is trained on top of a base model: not the full weights.
            yield Fact("weights.adapter", path, "detected", path=path, attrs=attrs)
            continue
        quant = _file_quantised(path, name) or release_quant
        if quant:
            attrs["quantized"] = True
            attrs["quantized_by"] = quant
        yield Fact("weights.file", path, "detected", path=path, attrs=attrs)

    st = snap.metadata.get("safetensors")
    if isinstance(st, dict) and isinstance(st.get("total"), int) and st["total"] > 0:
        st_attrs: dict[str, object] = {"by_dtype": st.get("parameters") or {}}
        tensors = [p for p in paths if p.lower().endswith(".safetensors")]
        if tensors and all(is_adapter(p) for p in tensors):
            st_attrs["adapter"] = True  # counted from adapter files only
        yield Fact("weights.parameters", str(st["total"]), "detected", key="safetensors.total",
                   attrs=st_attrs)
    if snap.files is None:  # listing unknown: fall back to the format tags
        for tag in ctx.tags:
            if tag in FORMAT_TAGS:
                yield Fact("weights.format_tag", FORMAT_TAGS[tag], "declared", key="tags",
                           snippet=tag)

def _file_quantised(path: str, fmt: str) -> str | None:
    """Why a weight file is quantised by its own name or format, or ``None``."""
    name = path.rsplit("/", 1)[-1]
    if _QUANT_NAME.search(name):
        return "file name"
    if fmt in ("gguf", "ggml") and not _UNQUANTISED.search(name):
        return f"{fmt} format"
    return None


PROBES = (
    Probe("weights.files", "Which weight files does the release ship, in which formats?",
          ("weights.file", "weights.index", "weights.optimizer_state", "weights.parameters",
           "weights.format_tag"),
          "File names and suffixes in the listing (safetensors, bin, gguf, ...), shard "
          "indexes, safetensors headers for parameter counts, weight formats in Hub tags. "
          "Quantised copies stay `weights.file` with `attrs.quantized` (and "
          "`attrs.quantized_by`): a file name with a quantisation token (GPTQ, AWQ, EXL2, "
          "4bit, int8, Q4_K_M, ...), GGUF/GGML not named f16/f32/bf16, or the whole release "
          "when its listing has `quantize_config.json`, its `config.json` a "
          "`quantization_config`, or its name a quantisation token. A parameter count "
          "taken from adapter files only carries `attrs.adapter`.",
          "A full-precision file in a release named `...-GPTQ` is marked quantised."),
    Probe("weights.adapters", "Does the release ship LoRA/PEFT adapter weights?",
          ("weights.adapter",),
          "`adapter_model.*`, `adapter_config.json` (format `peft-config`) and files or "
          "folders named `lora`/`qlora`/`peft` (`pytorch_lora_weights.safetensors`). "
          "They are trained on top of a base model, so they are never `weights.file`; a "
          "release with both full weights and adapters gets both kinds. Adapters inside "
          "checkpoint folders are `weights.intermediate` with `attrs.adapter`.",
          "A full model whose file name contains `lora` is counted as an adapter."),
    Probe("weights.checkpoints", "Does the release ship intermediate checkpoints?",
          ("weights.intermediate",),
          "`checkpoint-N/`, `step-N`, `global_stepN` folders and revision branches.",
          "Per-epoch copies of the final model from a short fine-tune."),
)
