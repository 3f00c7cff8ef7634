"""Weights evidence: adapters are not the full weights; quantised copies are marked.

Listings are copied from real Hub records (``shared/hub/models/<org>/<name>/info.json``).
"""

from __future__ import annotations

import json

from conftest import SHARED
from openscope import evidence
from openscope.snapshot import FileEntry, Snapshot


def _snap(files: tuple[str, ...] | None, ref: str = "hf:some-org/some-model",
          metadata: dict | None = None) -> Snapshot:
    listing = tuple(FileEntry(p, 1000) for p in files) if files is not None else None
    return Snapshot(ref=ref, files=listing, documents=(), metadata=metadata or {})


def _w(snap: Snapshot) -> list:
    return [f for f in evidence.extract(snap) if f.kind.startswith("weights.")]


def test_adapter_only_release() -> None:
    files = ("adapter_config.json", "adapter_model.safetensors", "README.md")
    facts = _w(_snap(files, metadata={"safetensors": {"total": 100, "parameters": {"F32": 100}}}))
    kinds = {(f.kind, f.value) for f in facts}
    assert ("weights.adapter", "adapter_model.safetensors") in kinds
    assert ("weights.adapter", "adapter_config.json") in kinds
    assert not [f for f in facts if f.kind == "weights.file"]
    (params,) = [f for f in facts if f.kind == "weights.parameters"]
    assert params.attrs["adapter"] is True
    st = next(f for f in facts if f.value == "adapter_model.safetensors")
    assert st.attrs["format"] == "safetensors" and st.attrs["size"] == 1000


def test_release_with_full_weights_and_adapter_gets_both() -> None:
    # 000jd/phi-1_5-finetuned-bangla-bot
    record = json.loads((SHARED / "hub" / "models" / "000jd" / "phi-1_5-finetuned-bangla-bot"
                         / "info.json").read_text())
    files = tuple(s["rfilename"] for s in record["siblings"])
    facts = _w(_snap(files, metadata={"safetensors": record["safetensors"]}))
    assert {f.value for f in facts if f.kind == "weights.file"} == {
        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}
    assert {f.value for f in facts if f.kind == "weights.adapter"} == {
        "adapter_config.json", "adapter_model.safetensors"}
    (params,) = [f for f in facts if f.kind == "weights.parameters"]
    assert "adapter" not in params.attrs


def test_lora_files_and_checkpoint_adapters() -> None:
    files = ("pytorch_lora_weights.safetensors", "checkpoint-500/adapter_model.bin")
    facts = {f.value: f for f in _w(_snap(files))}
    assert facts["pytorch_lora_weights.safetensors"].kind == "weights.adapter"
    ckpt = facts["checkpoint-500/adapter_model.bin"]
    assert ckpt.kind == "weights.intermediate" and ckpt.attrs["adapter"] is True


def test_quantised_copies_stay_weights_with_a_flag() -> None:
    # TheBloke/*-GGUF style file names, and a GPTQ listing with quantize_config.json
    facts = {f.value: f for f in _w(_snap(("llama-2-7b.Q4_K_M.gguf", "llama-2-7b.f16.gguf")))}
    assert facts["llama-2-7b.Q4_K_M.gguf"].attrs["quantized"] is True
    assert "quantized" not in facts["llama-2-7b.f16.gguf"].attrs
    gptq = _w(_snap(("model.safetensors", "quantize_config.json", "config.json")))
    (f,) = [x for x in gptq if x.kind == "weights.file"]
    assert f.attrs["quantized"] is True and f.attrs["quantized_by"].startswith("quantisation")
    plain = _w(_snap(("model.safetensors", "config.json")))
    assert "quantized" not in plain[0].attrs


def test_unknown_listing_gives_no_file_facts() -> None:
    facts = _w(_snap(None))
    assert not [f for f in facts if f.kind in ("weights.file", "weights.adapter")]
