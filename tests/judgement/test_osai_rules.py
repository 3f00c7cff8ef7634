"""The Index parameters rated as the Index's raters rate them: one positive, one negative and
one could-not-look case per rule, built from real card excerpts (source noted beside each).

Every assertion reads the rating and its basis; nothing depends on a model's name.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from helpers import write_release
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Document, Snapshot
from openscope.sources import open_ref

# mistralai/Mistral-7B-Instruct-v0.1 README.md:11 (the base link removed)
VAGUE_DATA = ("The model is an instruct fine-tuned version of a generative text model using a "
              "variety of publicly available conversation datasets.")
# openchat/openchat_3.5 README.md:192-200
OWN_BIBTEX = """## Citation

```
@article{wang2023openchat,
  title={OpenChat: Advancing Open-source Language Models with Mixed-Quality Data},
  author={Wang, Guan and Cheng, Sijie and Zhan, Xianyuan and Li, Xiangang and Song, Sen},
  journal={arXiv preprint arXiv:2309.11235},
  year={2023}
}
```
"""
# BM-K/KoSimCSE-Unsup-BERT README.md:187-191
VENUE_BIBTEX = """## Citation

Please cite our paper:

```
@inproceedings{gao2021simcse,
   title={{SimCSE}: Simple Contrastive Learning of Sentence Embeddings},
   author={Gao, Tianyu and Yao, Xingcheng and Chen, Danqi},
   booktitle={Empirical Methods in Natural Language Processing (EMNLP)},
   year={2021}
}
```
"""
# tiiuae/falcon-180B-chat README.md:22
COMING_SOON = "*Paper coming soon* 😊"
# tiiuae/falcon-40b-instruct README.md:192-214 (author lists shortened)
DATA_PAPERS = """To learn more about the pretraining dataset, see the 📓 [RefinedWeb paper](https://arxiv.org/abs/2306.01116).

```
@article{refinedweb,
  title={The {R}efined{W}eb dataset for {F}alcon {LLM}},
  author={Guilherme Penedo and Quentin Malartic},
  journal={arXiv preprint arXiv:2306.01116},
  eprint={2306.01116},
  eprinttype = {arXiv},
  year={2023}
}
```

""" + ("To cite the [Baize](https://github.com/project-baize/baize-chatbot) instruction "
         "dataset used for this model: ") + """
```
@article{xu2023baize,
  title={Baize: An Open-Source Chat Model with Parameter-Efficient Tuning on Self-Chat Data},
  author={Xu, Canwen and Guo, Daya},
  journal={arXiv preprint arXiv:2304.01196},
  year={2023}
}
```
"""
# EleutherAI/pythia-1b README.md:69-71 (one row)
ARCH_TABLE = """| Pythia model | Non-Embedding Params | Layers | Model Dim | Heads |
| -----------: | -------------------: | :----: | :-------: | :---: |
| 1.0B         | 805,736,448          | 16     | 2048      | 8     |
"""
# CompVis/stable-diffusion-v1-4 README.md:306
HARDWARE = "- **Hardware Type:** A100 PCIe 40GB"
# EleutherAI/gpt-j-6b README.md:84
PILE = ("The model was trained on [the Pile](https://pile.eleuther.ai), a large-scale curated "
        "dataset created by [EleutherAI](https://www.eleuther.ai).")
# tiiuae/falcon-40b README.md:134-145 (the table; the Europe row shortened)
FALCON_MIX = ("### Training Data\n\n"
              "Falcon-40B was trained on 1,000B tokens of [RefinedWeb](https://huggingface.co/"
              "datasets/tiiuae/falcon-refinedweb), a high-quality filtered and deduplicated web "
              "dataset which we enhanced with curated corpora.\n\n"
              "| **Data source**    | **Fraction** | **Tokens** | **Sources**         |\n"
              "|--------------------|--------------|------------|---------------------|\n"
              "| [RefinedWeb-English](https://huggingface.co/datasets/tiiuae/falcon-refinedweb)"
              " | 75% | 750B | massive web crawl |\n"
              "| RefinedWeb-Europe | 7% | 70B | European massive web crawl |\n"
              "| Books  | 6%           | 60B        |                  |\n"
              "| Conversations | 5% | 50B | Reddit, StackOverflow, HackerNews |\n"
              "| Code               | 5%           | 50B        |                     |\n"
              "| Technical          | 2%           | 20B        | arXiv, PubMed, USPTO, etc. |\n")
# mosaicml/mpt-7b README.md:177-186 (three of ten rows): the parts of public corpora
MPT_MIX = """### Data Mix

| Data Source | Number of Tokens in Source | Proportion | Effective Number of Tokens | Epochs |
|-------------|----------------------------|------------|----------------------------|--------|
| mC4 3.1.0 - English | 417.99 B | 0.33 | 330 B | 0.14 |
| RedPajama - CommonCrawl | 878.45 B | 0.1 | 100 B | 0.11 |
| The Stack - Selected Languages | 463.78 B | 0.1 | 100 B | 0.22 |
"""


def _rate(tmp_path: Path, card: str, files: dict[str, str | bytes] | None = None,
          weights: bool = True) -> dict[str, Any]:
    folder = write_release(tmp_path / "release", card, files, weights)
    return dict(audit_snapshot(open_ref(str(folder))).data["frameworks"]["osai_index"]
                ["parameters"])


def _front(license_id: str = "apache-2.0", extra: str = "") -> str:
    return f"---\nlicense: {license_id}\n{extra}---\n# A model\n\n"


def _no_card(tmp_path: Path) -> dict[str, Any]:
    """A Hub record whose card is listed but was not read, and whose listing is unknown."""
    snap = Snapshot(ref="hf:org/model", files=None, documents=(), source="mirror",
                    metadata={"tags": ["license:apache-2.0", "safetensors"]})
    return dict(audit_snapshot(snap).data["frameworks"]["osai_index"]["parameters"])


def test_datasources(tmp_path: Path) -> None:
    named = _rate(tmp_path / "a", _front(extra="datasets:\n- org/instructions\n"))
    assert named["datasources_endmodel"]["value"] == "open"
    assert "org/instructions" in named["datasources_endmodel"]["reason"]
    vague = _rate(tmp_path / "b", _front() + "## Training Data\n\n" + VAGUE_DATA + "\n")
    assert vague["datasources_endmodel"]["value"] == "closed"
    assert vague["datasources_endmodel"]["basis"] == "evidence"
    prose = _rate(tmp_path / "c", _front() + "## Training Data\n\n" + PILE + "\n")
    assert prose["datasources_endmodel"]["value"] in ("open", "partial")
    assert _no_card(tmp_path)["datasources_endmodel"]["value"] == "unknown"


def test_datasources_partly_published_data_mix(tmp_path: Path) -> None:
    """A data-mix table that links one source and not the others discloses the data in
    part (the Index's "partly disclosed"); a table of unlinked parts of public corpora
    says nothing either way."""
    front = _front(extra="datasets:\n- tiiuae/falcon-refinedweb\n")
    mixed = _rate(tmp_path / "a", front + FALCON_MIX)["datasources_endmodel"]
    assert mixed["value"] == "partial" and mixed["basis"] == "evidence"
    assert "RefinedWeb-Europe, Books, Conversations, Code (+1 more)" in mixed["reason"]
    assert "README.md:12" in mixed["evidence"]  # the table's header line
    parts = _rate(tmp_path / "b", front + MPT_MIX)["datasources_endmodel"]
    assert parts["value"] == "open"
    declared = _front(extra="datasets:\n- tiiuae/falcon-refinedweb\n- org/books\n- org/code\n"
                      "- org/conversations\n- org/technical\n- org/refinedweb-europe\n")
    named_all = _rate(tmp_path / "c", declared + FALCON_MIX)["datasources_endmodel"]
    assert named_all["value"] == "open"  # every row names a dataset the card declares


def test_weights(tmp_path: Path) -> None:
    assert _rate(tmp_path / "a", _front())["weights_endmodel"]["value"] == "open"
    nc = _rate(tmp_path / "b", _front("cc-by-nc-4.0"))["weights_endmodel"]
    assert nc["value"] == "partial" and "commercial" in nc["reason"]
    adapter = _rate(tmp_path / "c", _front(), {"adapter_model.safetensors": b"\0" * 16,
                                                "adapter_config.json": "{}"}, weights=False)
    assert adapter["weights_endmodel"]["value"] == "partial"
    absent = _rate(tmp_path / "d", _front(), weights=False)["weights_endmodel"]
    assert absent["value"] == "closed" and absent["basis"] == "absence"


def test_trainingcode_and_code_documentation(tmp_path: Path) -> None:
    both = _rate(tmp_path / "a", _front(), {"train.py": "loss.backward()\n",
                                           "preprocess_data.py": "dedup()\n"})
    assert both["trainingcode"]["value"] == "open"
    assert both["code"]["value"] == "partial"
    only = _rate(tmp_path / "b", _front(), {"train.py": "loss.backward()\n"})
    assert only["trainingcode"]["value"] == "partial"
    # A usage snippet and a library link are not the release's code.
    usage = _front() + ("Use it with [transformers](https://github.com/huggingface/transformers)"
                        ":\n\n```python\nmodel = AutoModel.from_pretrained('org/model')\n```\n")
    none = _rate(tmp_path / "c", usage)
    assert none["trainingcode"]["value"] == "closed" and none["trainingcode"]["basis"] == \
        "absence"
    assert none["code"]["value"] == "closed"
    linked = _rate(tmp_path / "d", _front() + "- **Repository:** "
                   "https://github.com/example-lab/example-model-train\n")
    assert linked["trainingcode"]["value"] == "unknown"
    assert linked["trainingcode"]["basis"] == "not-checked"
    assert "github.com/example-lab" in linked["trainingcode"]["reason"]
    # Training code in the release plus an own repository not read: a lower bound, partial,
    # naming the repository (THUDM/chatglm-6b ships ptuning/train.sh and links its repo).
    bound = _rate(tmp_path / "e", _front() + "- **Repository:** "
                  "https://github.com/example-lab/example-model-train\n",
                  {"ptuning/train.sh": "deepspeed main.py --do_train\n"})
    assert bound["trainingcode"]["value"] == "partial"
    assert "at least partial" in bound["trainingcode"]["reason"]
    assert "github.com/example-lab" in bound["trainingcode"]["reason"]


def test_hardware_architecture(tmp_path: Path) -> None:
    card = _front() + "## Model Details\n\n" + ARCH_TABLE + "\n## Training\n\n" + HARDWARE + "\n"
    both = _rate(tmp_path / "a", card + OWN_BIBTEX)
    assert both["hardware_architecture"]["value"] == "open"
    card_only = _rate(tmp_path / "b", card)
    assert card_only["hardware_architecture"]["value"] == "partial"
    one = _rate(tmp_path / "c", _front() + HARDWARE + "\n")
    assert one["hardware_architecture"]["value"] == "partial"
    paper_only = _rate(tmp_path / "d", _front() + OWN_BIBTEX)
    assert paper_only["hardware_architecture"]["basis"] == "not-checked"
    nothing = _rate(tmp_path / "e", _front() + "A model.\n", {"config.json": '{"a": 1}'})
    assert nothing["hardware_architecture"]["value"] == "closed"
    assert "config.json alone" in nothing["hardware_architecture"]["reason"]


def test_hardware_architecture_named_in_prose(tmp_path: Path) -> None:
    """A description sentence naming the architecture is "some information": partial; a
    lower bound when an own paper was not read; a base named is not an architecture."""
    # mistralai/Mixtral-8x7B-Instruct-v0.1 README.md:9
    moe = ("The Mixtral-8x7B Large Language Model (LLM) is a pretrained generative Sparse "
           "Mixture of Experts.\n")
    named = _rate(tmp_path / "a", _front() + moe)["hardware_architecture"]
    assert named["value"] == "partial" and named["basis"] == "evidence"
    assert "Sparse Mixture of Experts" in named["reason"] and named["evidence"] == ["README.md:6"]
    # THUDM/chatglm-6b README.md:23, with the release's own citation block
    glm = ("ChatGLM-6B is an open bilingual language model based on [General Language Model "
           "(GLM)](https://github.com/THUDM/GLM) framework, with 6.2 billion parameters.\n")
    bound = _rate(tmp_path / "b", _front() + glm + OWN_BIBTEX)["hardware_architecture"]
    assert bound["value"] == "partial" and "at least partial" in bound["reason"]
    assert "General Language Model (GLM) framework" in bound["reason"]
    # microsoft/Orca-2-7b README.md:11: the base, not an architecture
    base = _rate(tmp_path / "c", _front() + "Orca 2 is a finetuned version of LLAMA-2.\n")
    assert base["hardware_architecture"]["value"] == "closed"
    assert _no_card(tmp_path)["hardware_architecture"]["value"] == "unknown"


def test_preprint_and_paper(tmp_path: Path) -> None:
    own = _rate(tmp_path / "a", _front() + OWN_BIBTEX)
    assert own["preprint"]["value"] == "open" and "2309.11235" in own["preprint"]["reason"]
    cited = _rate(tmp_path / "b", _front() + "We use FlashAttention (Dao et al., 2022; "
                  "arXiv:2205.14135) for speed.\n")
    assert cited["preprint"]["value"] == "closed"
    soon = _rate(tmp_path / "c", _front() + COMING_SOON + "\n")
    assert soon["preprint"]["value"] == "closed" and soon["preprint"]["basis"] == "evidence"
    # Papers about the training data (the pretraining corpus's, a dataset "used for this
    # model") are not the model's preprint: partial, even beside "paper coming soon".
    data = _rate(tmp_path / "e", _front() + COMING_SOON + "\n\n" + DATA_PAPERS)
    assert data["preprint"]["value"] == "partial"
    assert "training data" in data["preprint"]["reason"]
    assert "2304.01196" not in data["preprint"]["reason"]
    assert data["hardware_architecture"]["value"] != "open"  # no paper of the model's own
    venue = _rate(tmp_path / "d", _front() + VENUE_BIBTEX)
    assert venue["paper"]["value"] == "open"
    assert own["paper"]["value"] == "closed"  # an arXiv preprint is not peer-reviewed
    assert _no_card(tmp_path)["paper"]["value"] == "unknown"


def test_modelcard(tmp_path: Path) -> None:
    para = " ".join(["The model documents this topic in real sentences."] * 8)
    full = _front() + "".join(f"## {h}\n\n{para}\n\n" for h in (
        "Model Details", "Intended Uses", "Limitations", "Training Data",
        "Training Procedure", "Evaluation"))
    assert _rate(tmp_path / "a", full)["modelcard"]["value"] == "open"
    usage = _front() + "## Usage\n\n```python\nfrom_pretrained('x')\n```\n\n## Limitations\n\n" \
        "None known.\n"
    assert _rate(tmp_path / "b", usage)["modelcard"]["value"] == "closed"
    assert _no_card(tmp_path)["modelcard"]["value"] == "unknown"


def test_datasheet(tmp_path: Path) -> None:
    sheet = _rate(tmp_path / "a", _front(), {"DATA_CARD.md": "# Data card\n\nMotivation...\n"})
    assert sheet["datasheet"]["value"] == "open"
    para = _rate(tmp_path / "b", _front() + "## Training Data\n\n" + PILE + "\n")
    assert para["datasheet"]["value"] == "closed"
    assert "not a datasheet" in para["datasheet"]["reason"]
    named = _rate(tmp_path / "c", _front(extra="datasets:\n- org/instructions\n"))
    assert named["datasheet"]["value"] == "unknown"
    assert named["datasheet"]["basis"] == "not-checked"


def test_licenses(tmp_path: Path) -> None:
    assert _rate(tmp_path / "a", _front("apache-2.0"))["licenses"]["value"] == "open"
    assert _rate(tmp_path / "b", _front("cc-by-nc-4.0"))["licenses"]["value"] == "partial"
    llama = _rate(tmp_path / "c", _front("llama2"))["licenses"]
    assert llama["value"] == "closed" and "restrictions" in llama["reason"]
    split = _rate(tmp_path / "d", _front("apache-2.0") + "- **Data License:** CC BY-NC 4.0\n")
    assert split["licenses"]["value"] in ("open", "partial")
    assert _no_card(tmp_path)["licenses"]["value"] in ("unknown", "open")
    # A Hub record whose file listing was not recorded: the weights are not seen, but the
    # card's declared licence still says what they are under (AIARTCHAN/MIX-Pro-V4 README.md:2).
    card = "---\nlicense: creativeml-openrail-m\nlibrary_name: diffusers\n---\n# MIX-Pro-V4\n"
    unlisted = Snapshot(ref="hf:org/model", files=None, source="mirror",
                        documents=(Document("README.md", card, len(card)),))
    rated = audit_snapshot(unlisted).data["frameworks"]["osai_index"]["parameters"]["licenses"]
    assert rated["value"] == "closed" and "weight files were not listed" in rated["reason"]
    assert "README.md:2" in rated["evidence"]
    # Nothing declared anywhere and no listing: still unknown, not closed.
    bare = Snapshot(ref="hf:org/model", files=None, source="mirror",
                    documents=(Document("README.md", "# A model\n", 10),))
    none = audit_snapshot(bare).data["frameworks"]["osai_index"]["parameters"]["licenses"]
    assert none["value"] == "unknown" and none["basis"] == "not-checked"


def test_base_model_items(tmp_path: Path) -> None:
    alone = _rate(tmp_path / "a", _front())
    assert alone["weights_basemodel"] == alone["weights_endmodel"]
    derived = _rate(tmp_path / "b", _front(extra="base_model: org/base-7b\n"))
    assert derived["weights_basemodel"]["value"] == "unknown"
    assert derived["weights_basemodel"]["basis"] == "not-checked"
    assert "org/base-7b" in derived["weights_basemodel"]["reason"]
    prose = _rate(tmp_path / "c", _front() + "This model is a fine-tuned version of "
                  "[org/base-7b](https://huggingface.co/org/base-7b).\n")
    assert prose["datasources_basemodel"]["value"] == "unknown"


def test_index_block_scores_and_departures(tmp_path: Path) -> None:
    folder = write_release(tmp_path / "r", _front())
    index = audit_snapshot(open_ref(str(folder))).data["frameworks"]["osai_index"]
    assert index["outcome"] == "scored" and index["verdict"].startswith("score ")
    assert set(index["departures"]) >= {"licenses"}
    replaced = dataclasses.replace(open_ref(str(folder)), documents=(
        Document("README.md", _front("llama2")),))
    again = audit_snapshot(replaced).data["frameworks"]["osai_index"]
    assert again["parameters"]["licenses"]["value"] == "closed"


def test_card_completeness_in_reasons() -> None:
    """The modelcard/datasheet reasons carry the documentation analysis's completeness
    figure, and the rating is the one the rule gives without it (real recorded cards)."""
    from conftest import SHARED
    from openscope.analysis.documentation import data_card, model_card
    from openscope.evidence import extract
    from openscope.frameworks import osai_rules
    from openscope.sources.options import SourceOptions

    hub = SHARED / "hub"
    ids = [json.loads(line)["id"] for line in
           (hub / "index.jsonl").read_text().splitlines()[::150]]
    seen = set()
    for rid in [i for i in ids if (hub / "models" / i / "README.md").is_file()][:12]:
        ev = extract(open_ref(f"hf:{rid}", SourceOptions(mirror=hub)))
        rating = osai_rules.modelcard(ev)
        filled = model_card(ev)["filled"]
        assert rating.reason.endswith(f"(template sections filled: {filled}/13)")
        assert rating.value == osai_rules._modelcard(ev).value
        seen.add(filled)
    assert len(seen) > 1  # the figure follows the card
    sheets = 0
    for name in sorted(p.name for p in (hub / "datasets").iterdir() if p.is_dir())[:80]:
        text = (hub / "datasets" / name / "README.md").read_text(encoding="utf-8")
        # A model release shipping a datasheet as its card: the Index rates model releases.
        snap = Snapshot(ref=f"hf:org/{name}", kind="model", source="mirror",
                        documents=(Document("README.md", text, size=len(text)),))
        ev = extract(snap)
        if not ev.has("doc.datasheet"):
            continue
        sheets += 1
        reason = audit_snapshot(snap).data["frameworks"]["osai_index"]["parameters"][
            "datasheet"]["reason"]
        assert reason.endswith(f"(datasheet question groups answered: "
                               f"{data_card(ev)['filled']}/7)")
    assert sheets > 0
