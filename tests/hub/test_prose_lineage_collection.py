"""Lineage from prose: a card that names its base only in a sentence gets its base collected."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openscope.cli.remote_opts import audit_collected
from openscope.lineage import BaseRef, base_model_ids, base_models, collect_lineage, lineage_entries
from openscope.snapshot import Snapshot
from openscope.sources.base import open_ref
from openscope.sources.mirror import MirrorSource
from openscope.sources.options import SourceOptions
from openscope.sources.refs import parse_ref

from .conftest import MIRROR

# The Trainer's generated sentence, as found in real cards (e.g. adasnew/t5-small-xsum).
TRAINER = ("This model is a fine-tuned version of [{base}](https://huggingface.co/{base}) "
           "on the xsum dataset.\n")


def _write(root: Path, repo: str, front: str, body: str, info: dict[str, object] | None = None
           ) -> None:
    folder = root / "models" / repo
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(f"---\n{front}---\n# {repo}\n\n{body}")
    record = {"id": repo, "sha": "c" * 40, "siblings": [], **(info or {})}
    (folder / "info.json").write_text(json.dumps(record))


def test_prose_base_is_followed_when_metadata_declares_none(tmp_path: Path) -> None:
    _write(tmp_path, "o/child", "license: apache-2.0\n", TRAINER.format(base="o/parent"))
    _write(tmp_path, "o/parent", "license: llama2\n", "A base model.\n")
    mirror = MirrorSource(tmp_path)

    def collect(ref: str) -> Snapshot:
        return mirror.collect(parse_ref(ref))

    child = collect("hf:o/child")
    assert base_models(child) == [BaseRef("o/parent", "finetune", "prose")]
    assert base_model_ids(child) == [("o/parent", "finetune")]
    chain = collect_lineage(child, collect, depth=3)
    entries = lineage_entries(child, chain)
    assert [(e["ref"], e["source"], e["status"]) for e in entries] == [
        ("hf:o/parent", "prose", "collected")]
    assert entries[0]["conflict"]["kind"] == "license-laundering"  # audited like a declared base


def test_declared_base_wins_over_prose(tmp_path: Path) -> None:
    _write(tmp_path, "o/child", "base_model: o/declared\n", TRAINER.format(base="o/other"))
    child = MirrorSource(tmp_path).collect(parse_ref("hf:o/child"))
    assert base_models(child) == [BaseRef("o/declared", None, "declared")]
    _write(tmp_path, "o/api", "license: mit\n", TRAINER.format(base="o/other"),
           {"baseModels": {"relation": "adapter", "models": [{"id": "o/declared"}]}})
    api = MirrorSource(tmp_path).collect(parse_ref("hf:o/api"))
    assert base_models(api) == [BaseRef("o/declared", "adapter", "declared")]


def test_prose_names_without_hub_id_are_not_followed(tmp_path: Path) -> None:
    # lmsys/vicuna-7b-v1.5/README.md:15: a name and a paper link, no Hub id to collect
    _write(tmp_path, "o/child", "license: llama2\n",
           "- **Finetuned from model:** [Llama 2](https://arxiv.org/abs/2307.09288)\n")
    child = MirrorSource(tmp_path).collect(parse_ref("hf:o/child"))
    assert base_models(child) == []


def _prose_only_example() -> tuple[str, str]:
    """A mirror model whose card links its base only in the Trainer sentence, base mirrored."""
    pattern = re.compile(r"fine-tuned version of \[[^\]\n]+\]\(https://huggingface\.co/"
                         r"([\w.-]+/[\w.-]+)\)")
    for line in (MIRROR / "index.jsonl").read_text().splitlines():
        rec = json.loads(line)
        folder = MIRROR / "models" / rec["id"]
        card = folder / "README.md"
        if not rec.get("card") or not card.is_file():
            continue
        text = card.read_text(encoding="utf-8", errors="replace")
        info = folder / "info.json"
        api = json.loads(info.read_text()) if info.is_file() else {}
        if "base_model" in text or api.get("baseModels"):
            continue
        m = pattern.search(text)
        base = m.group(1) if m else None
        if base and base != rec["id"] and (MIRROR / "models" / base / "README.md").is_file():
            return rec["id"], base
    raise AssertionError("no mirror card names its base only in prose")


def test_mirror_audit_of_prose_only_fine_tune_has_a_lineage_entry(tmp_path: Path) -> None:
    repo, base = _prose_only_example()
    options = SourceOptions(mirror=MIRROR, cache_dir=tmp_path, use_cache=False, offline=True)
    report = audit_collected(open_ref(f"hf:{repo}", options), options, 1)
    lineage = report.data.get("lineage") or []
    entry = next(e for e in lineage if e["ref"] == f"hf:{base}")
    assert entry["source"] == "prose" and entry["status"] == "collected"
    assert entry["relation"] == "finetune" and entry["depth"] == 1
