"""Research evidence: whose paper is it? Own, cited or only mentioned, from the card's context.

Every excerpt is copied from a real card in ``shared/hub`` (path in the comment above it).
"""

from __future__ import annotations

from conftest import SHARED, hub_snapshot
from openscope.evidence import extract
from openscope.evidence.facts import Fact
from openscope.snapshot import Document, Snapshot


def _facts(card: str, ref: str = "hf:org/model", tags: tuple[str, ...] = ()) -> list[Fact]:
    snap = Snapshot(ref=ref, documents=(Document("README.md", card, len(card)),),
                    metadata={"tags": list(tags)} if tags else {})
    return [f for f in extract(snap) if f.kind.startswith("research.")]


def _kinds(facts: list[Fact], value: str) -> dict[str, Fact]:
    return {f.kind: f for f in facts if f.value == value}


# tiiuae/falcon-40b/README.md:25 (bullet under the card's summary)
FALCON_FLASH = ("* **It features an architecture optimized for inference**, with FlashAttention "
                "([Dao et al., 2022](https://arxiv.org/abs/2205.14135)) and multiquery "
                "([Shazeer et al., 2019](https://arxiv.org/abs/1911.02150)). \n")
# tiiuae/falcon-40b/README.md:197-202 (architecture section)
FALCON_ARCH = ("### Model Architecture and Objective\n\n"
               "The architecture is broadly adapted from the GPT-3 paper ([Brown et al., 2020]"
               "(https://arxiv.org/abs/2005.14165)), with the following differences:\n\n"
               "* **Positionnal embeddings:** rotary ([Su et al., 2021]"
               "(https://arxiv.org/abs/2104.09864));\n")
# tiiuae/falcon-40b/README.md:226-248 (Citation section: own BibTeX, then the dataset's)
FALCON_CITATION = """## Citation

*Paper coming soon* 😊. In the meanwhile, you can use the following information to cite:
```
@article{falcon40b,
  title={{Falcon-40B}: an open large language model with state-of-the-art performance},
  author={Almazrouei, Ebtesam and Alobeidli, Hamza},
  year={2023}
}
```

To learn more about the pretraining dataset, see the 📓 [RefinedWeb paper](https://arxiv.org/abs/2306.01116).

```
@article{refinedweb,
  title={The {R}efined{W}eb dataset for {F}alcon {LLM}},
  journal={arXiv preprint arXiv:2306.01116},
  eprint={2306.01116},
  eprinttype = {arXiv},
  url={https://arxiv.org/abs/2306.01116},
  year={2023}
}
```
"""


def test_cited_method_papers_are_not_own() -> None:
    facts = _facts(FALCON_FLASH + "\n" + FALCON_ARCH, ref="hf:tiiuae/falcon-40b")
    for ident in ("2205.14135", "1911.02150", "2005.14165", "2104.09864"):
        kinds = _kinds(facts, ident)
        assert set(kinds) == {"research.cited"}, ident
        assert kinds["research.cited"].attrs["type"] == "arxiv"
        assert kinds["research.cited"].attrs["context"]
    assert not any(f.kind == "research.arxiv" for f in facts)


def test_hub_arxiv_tags_of_cited_papers_are_not_own() -> None:
    # The Hub tags every arXiv link (tiiuae/falcon-40b/info.json has all six as tags).
    facts = _facts(FALCON_FLASH, tags=("arxiv:2205.14135", "arxiv:1911.02150"))
    assert not [f for f in facts if f.kind == "research.arxiv"]


def test_tag_only_arxiv_is_own_by_tag() -> None:
    # A card read that never mentions the id: the tag came from another version of the card
    # and says nothing about whose paper it is.
    facts = _facts("# A model\n\nNo papers here.\n", tags=("arxiv:2311.16502",))
    fact = _kinds(facts, "2311.16502")["research.arxiv"]
    assert fact.attrs["own"] is False and fact.attrs["level"] == "mentioned"
    assert fact.key == "tags"
    # Could not look (no card read): only the tag speaks for the paper.
    snap = Snapshot(ref="hf:a/b", files=None, documents=(),
                    metadata={"tags": ["arxiv:2311.16502"]})
    (tagged,) = [f for f in extract(snap).of("research.arxiv")]
    assert tagged.attrs["own"] is True and tagged.attrs["own_basis"] == "tag"


def test_forthcoming_paper_and_own_bibtex_without_venue() -> None:
    facts = _facts(FALCON_CITATION, ref="hf:tiiuae/falcon-40b")
    assert [f.value for f in facts if f.kind == "research.forthcoming"] == ["Paper coming soon"]
    bib = [f for f in facts if f.kind == "research.bibtex"]
    assert len(bib) == 1 and bib[0].attrs["own"] is True and bib[0].attrs["venue"] is None
    # The dataset paper the card points to is cited, in prose and in its BibTeX block.
    assert set(_kinds(facts, "2306.01116")) == {"research.cited"}
    assert any(f.kind == "research.cited" and f.attrs["type"] == "bibtex" for f in facts)
    assert not any(f.kind in ("research.arxiv", "research.paper") for f in facts)


def test_no_forthcoming_without_a_promise() -> None:
    assert not [f for f in _facts(FALCON_ARCH) if f.kind == "research.forthcoming"]


def test_paper_field_is_own() -> None:
    # meta-llama/Llama-2-7b-hf/README.md:58
    card = ('**Research Paper** ["Llama-2: Open Foundation and Fine-tuned Chat Models"]'
            '(arxiv.org/abs/2307.09288)\n')
    fact = _kinds(_facts(card), "2307.09288")["research.arxiv"]
    assert fact.attrs["own"] is True and "Research Paper" in fact.attrs["context"]
    # google/mt5-base/README.md:122
    card = ("Paper: [mT5: A massively multilingual pre-trained text-to-text transformer]"
            "(https://arxiv.org/abs/2010.11934)\n")
    assert _kinds(_facts(card), "2010.11934")["research.arxiv"].attrs["own"] is True


def test_papers_field_list_is_own() -> None:
    # timm/convnext_tiny.fb_in22k/README.md (Model Details)
    card = ("## Model Details\n- **Model Type:** Image classification / feature backbone\n"
            "- **Papers:**\n  - A ConvNet for the 2020s: https://arxiv.org/abs/2201.03545\n")
    assert _kinds(_facts(card), "2201.03545")["research.arxiv"].attrs["own"] is True


def test_link_labelled_paper_is_own_but_not_in_a_dataset_table() -> None:
    # facebook/hubert-large-ll60k/README.md:20
    assert _kinds(_facts("[Paper](https://arxiv.org/abs/2106.07447)\n"),
                  "2106.07447")["research.arxiv"].attrs["own"] is True
    # sentence-transformers/all-roberta-large-v1/README.md:124 (training-data table)
    row = ("| [PAQ](https://github.com/facebookresearch/PAQ) (Question, Answer) pairs | "
           "[paper](https://arxiv.org/abs/2102.07033) | 64,371,441 |\n")
    fact = _kinds(_facts(row), "2102.07033")["research.arxiv"]
    assert fact.attrs["own"] is False and fact.attrs["level"] == "mentioned"


def test_introduced_in_is_own_when_the_release_is_the_subject() -> None:
    # latent-consistency/lcm-lora-sdxl/README.md:13
    card = ("Latent Consistency Model (LCM) LoRA was proposed in [LCM-LoRA: A universal "
            "Stable-Diffusion Acceleration Module](https://arxiv.org/abs/2311.05556)\n")
    own = _kinds(_facts(card, ref="hf:latent-consistency/lcm-lora-sdxl"), "2311.05556")
    assert own["research.arxiv"].attrs["own"] is True
    # The same sentence in another release's card names someone else's method.
    other = _kinds(_facts(card, ref="hf:someone/sdxl-turbo-merge"), "2311.05556")
    assert set(other) == {"research.cited"}


def test_component_field_is_cited() -> None:
    # DeepFloyd/IF-II-M-v1.0/README.md
    card = ("**Optimizer:** [AdamW8bit](https://arxiv.org/abs/2110.02861) + "
            "[DeepSpeed ZeRO-1](https://www.deepspeed.ai/tutorials/zero/)\n")
    assert set(_kinds(_facts(card), "2110.02861")) == {"research.cited"}


def test_bibtex_with_venue_is_peer_reviewed_own() -> None:
    # bvanaken/clinical-assertion-negation-bert/README.md:46-58
    card = """### Cite

When working with the model, please cite our paper as follows:

```bibtex
@inproceedings{van-aken-2021-assertion,
    title = "Assertion Detection in Clinical Notes: Medical Language Models to the Rescue?",
    booktitle = "Proceedings of the Second Workshop on Natural Language Processing for {MEDICAL}",
    year = "2021",
}
```
"""
    medical = "Medical Conversations"  # the booktitle's end, kept under the line length
    facts = _facts(card.replace("{MEDICAL}", medical))
    paper = [f for f in facts if f.kind == "research.paper"]
    assert paper and paper[0].attrs["own"] is True and paper[0].attrs["from"] == "bibtex"
    assert paper[0].value.startswith("Proceedings of the Second Workshop")


def test_arxiv_preprint_bibtex_is_not_peer_reviewed() -> None:
    card = FALCON_CITATION.replace("To learn more about the pretraining dataset, see the 📓 "
                                   "[RefinedWeb paper](https://arxiv.org/abs/2306.01116).", "")
    facts = _facts(card)
    assert not [f for f in facts if f.kind == "research.paper"]
    # Without the "see the" introduction the second block inherits the first's (own).
    assert _kinds(facts, "2306.01116")["research.arxiv"].attrs["own"] is True


def test_tech_report_mentions_only_in_own_context() -> None:
    # BAAI/bge-small-en-v1.5/README.md:2527
    own = ("- 09/15/2023: The [technical report](https://arxiv.org/pdf/2309.07597.pdf) of BGE "
           "has been released \n")
    facts = [f for f in _facts(own) if f.kind == "research.tech_report_mention"]
    assert facts and facts[0].attrs["own"] is True
    # A fine-tune pointing to its base model's report (phrase as in many derived cards).
    cited = "For details, see the Qwen2 technical report.\n"
    assert not [f for f in _facts(cited) if f.kind == "research.tech_report_mention"]
    # kandinsky-community/kandinsky-2-1-prior/README.md:195: promised, not out yet.
    upcoming = "For more information, please refer to the upcoming technical report.\n"
    kinds = {f.kind for f in _facts(upcoming)}
    assert "research.forthcoming" in kinds and "research.tech_report_mention" not in kinds


def test_real_cards_falcon_has_no_own_paper() -> None:
    folder = SHARED / "hub" / "models" / "tiiuae" / "falcon-180B-chat"
    facts = [f for f in extract(hub_snapshot(folder)) if f.kind.startswith("research.")]
    assert not [f for f in facts if f.kind == "research.arxiv" and f.attrs.get("own")]
    assert any(f.kind == "research.forthcoming" for f in facts)
    assert any(f.kind == "research.cited" and f.value == "1911.02150" for f in facts)


def test_hostile_long_line_does_not_hang() -> None:
    card = ("see the " + "[x](https://arxiv.org/abs/2101.00027) et al. " * 5000 + "@misc{" * 300
            + "a" * 200_000)
    facts = _facts(card)
    assert any(f.kind == "research.cited" for f in facts)


# tiiuae/falcon-40b-instruct/README.md:206-214
BAIZE = ("To cite the [Baize](https://github.com/project-baize/baize-chatbot) instruction "
         "dataset used for this model: " + """
```
@article{xu2023baize,
  title={Baize: An Open-Source Chat Model with Parameter-Efficient Tuning on Self-Chat Data},
  author={Xu, Canwen and Guo, Daya and Duan, Nan and McAuley, Julian},
  journal={arXiv preprint arXiv:2304.01196},
  year={2023}
}
```
""")


def test_papers_about_the_training_data_are_cited_and_marked() -> None:
    # "cite the ... dataset used for this model": the dataset's paper, not the release's own.
    facts = _facts(BAIZE)
    baize = [f for f in facts if f.value == "2304.01196"]
    assert baize and all(f.kind == "research.cited" for f in baize)
    assert all(f.attrs.get("about") == "training-data" for f in baize)
    # The pretraining corpus's paper is marked the same way; a method paper is not.
    marked = _facts(FALCON_CITATION, ref="hf:tiiuae/falcon-40b")
    assert any(f.value == "2306.01116" and f.attrs.get("about") == "training-data"
               for f in marked)
    method = _facts(FALCON_FLASH)
    assert method and not any(f.attrs.get("about") for f in method)


# THUDM/chatglm-6b/README.md:72-92 (the Chinese citation section; authors and venue shortened)
CHINESE_CITATION = """## 引用

如果你觉得我们的工作有帮助的话，请考虑引用下列论文：

```
@inproceedings{du2022glm,
  title={GLM: General Language Model Pretraining with Autoregressive Blank Infilling},
  author={Du, Zhengxiao and Qian, Yujie and Liu, Xiao},
  booktitle={Proceedings of the 60th Annual Meeting of the ACL},
  year={2022}
}
```
"""


def test_a_chinese_citation_section_declares_the_release_s_own_papers() -> None:
    """"引用" (citation) and "请考虑引用下列论文" (please consider citing the following
    papers) say what "## Citation / please cite" says; a bare venue link stays mentioned."""
    facts = _facts(CHINESE_CITATION)
    venue = next(f for f in facts if f.kind == "research.paper")
    assert venue.attrs["own"] is True and "请考虑引用" in venue.attrs["context"]
    plain = _facts(CHINESE_CITATION.replace("## 引用", "## 其他").replace(
        "如果你觉得我们的工作有帮助的话，请考虑引用下列论文：", "下列论文："))
    assert not any(f.attrs.get("own") for f in plain)
