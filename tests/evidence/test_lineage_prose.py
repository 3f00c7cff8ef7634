"""Probe ``lineage.prose``: bases the card names in prose (``lineage.base_named``).

Excerpts are copied from real cards in ``/work/shared/hub/models`` (cited per test); the
repo ids given to the snapshots are placeholders, so no rule can key on a model's name.
"""

from __future__ import annotations

import time

from conftest import SHARED, hub_snapshot
from openscope.evidence import extract
from openscope.evidence.facts import Fact
from openscope.snapshot import Document, Snapshot

FRONT = "---\nlicense: apache-2.0\n---\n"


def _named(body: str, repo: str = "someone/a-release", front: str = FRONT) -> list[Fact]:
    snap = Snapshot(ref=f"hf:{repo}", source="hf", metadata={"id": repo},
                    documents=(Document("README.md", front + body),))
    return extract(snap).of("lineage.base_named")


def _one(body: str, **kw: str) -> Fact:
    facts = _named(body, **kw)
    assert len(facts) == 1, [f.to_dict() for f in facts]
    return facts[0]


# -- positives ---------------------------------------------------------------------------


def test_trainer_sentence_links_the_hub_id() -> None:
    # HuggingFaceH4/zephyr-7b-beta/README.md:159 (the Trainer's generated wording)
    fact = _one(
        "# Model\n\nZephyr-7B-β is the second model in the series, and is a fine-tuned "
        "version of [mistralai/Mistral-7B-v0.1](https://huggingface.co/mistralai/Mistral-7B-v0.1)"
        " that was trained on on a mix of publicly available, synthetic datasets.\n")
    assert fact.value == "mistralai/Mistral-7B-v0.1" and fact.method == "declared"
    assert fact.attrs == {"hub_id": "mistralai/Mistral-7B-v0.1", "relation": "finetune",
                          "form": "sentence"}
    assert fact.path == "README.md" and fact.line == 6
    assert fact.url == "https://huggingface.co/mistralai/Mistral-7B-v0.1"
    assert "fine-tuned version of" in fact.snippet


def test_legacy_single_segment_hub_link() -> None:
    # adasnew/t5-small-xsum/README.md (Trainer card, canonical model without an org)
    fact = _one("This model is a fine-tuned version of [t5-small](https://huggingface.co/t5-small)"
                " on the xsum dataset.\n")
    assert fact.attrs["hub_id"] == "t5-small" and fact.attrs["relation"] == "finetune"


def test_template_field_with_link_and_with_plain_name() -> None:
    # lmsys/vicuna-7b-v1.5/README.md:15 (the Hub template's field, linking a paper)
    fact = _one("## Model Details\n\n- **Finetuned from model:** "
                "[Llama 2](https://arxiv.org/abs/2307.09288)\n")
    assert fact.value == "Llama 2" and fact.attrs == {
        "hub_id": None, "relation": "finetune", "form": "field"}
    # Riiid/sheep-duck-llama-2/README.md:22
    fact = _one("* **Backbone Model**: [LLaMA-2](https://github.com/facebookresearch/llama/tree/main)\n")
    assert fact.value == "LLaMA-2" and fact.attrs["form"] == "field"
    assert fact.attrs["hub_id"] is None and fact.attrs["relation"] == "unknown"
    # a card (README.md of the template) with "[optional]" and a bare Hub URL
    fact = _one("- **Finetuned from model [optional]:** https://huggingface.co/bert-base-uncased\n")
    assert fact.attrs["hub_id"] == "bert-base-uncased"


def test_field_with_bare_hub_id() -> None:
    # shibing624/text2vec-base-multilingual/README.md
    fact = _one("- base model: sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2\n")
    assert fact.attrs["hub_id"] == "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
    # BubbleSheep/Hgn_trans_en2zh/README.md: the first reference is the base
    fact = _one("- **Parent Model:** Helsinki-NLP/opus-mt-en-zh, see "
                "https://huggingface.co/Helsinki-NLP/opus-mt-en-zh\n")
    assert fact.value == "Helsinki-NLP/opus-mt-en-zh"


def test_based_on_after_fine_tuned_wording() -> None:
    # Intel/neural-chat-7b-v3-1/README.md:7 (no base_model in its metadata)
    fact = _one(
        "This model is a fine-tuned model based on [mistralai/Mistral-7B-v0.1]"
        "(https://huggingface.co/mistralai/Mistral-7B-v0.1) on the open source dataset "
        "[Open-Orca/SlimOrca](https://huggingface.co/datasets/Open-Orca/SlimOrca).\n")
    assert fact.attrs == {"hub_id": "mistralai/Mistral-7B-v0.1", "relation": "finetune",
                          "form": "sentence"}


def test_plain_name_sentence() -> None:
    # microsoft/Orca-2-7b/README.md
    fact = _one("Orca 2 is a finetuned version of LLAMA-2. Orca 2’s training data is a "
                "synthetic dataset.\n")
    assert fact.value == "LLAMA-2" and fact.attrs["hub_id"] is None
    # deepseek-ai/deepseek-coder-6.7b-instruct/README.md
    fact = _one("deepseek-coder-6.7b-instruct is a 6.7B parameter model initialized from "
                "deepseek-coder-6.7b-base and fine-tuned on 2B tokens of instruction data.\n")
    assert fact.value == "deepseek-coder-6.7b-base" and fact.attrs["relation"] == "finetune"
    # WizardLM/WizardLM-13B-V1.2/README.md:4: "trained from" a model is initialised from it
    fact = _one("This is the **Full-Weight** of WizardLM-13B V1.2 model, this model is trained "
                "from **Llama-2 13b**.\n")
    assert fact.value == "Llama-2 13b" and fact.attrs["relation"] == "finetune"
    # distilbert-base-cased-distilled-squad/README.md:50: "a fine-tune checkpoint of [x](hf)"
    fact = _one("This model is a fine-tune checkpoint of [DistilBERT-base-cased]"
                "(https://huggingface.co/distilbert-base-cased), fine-tuned using (a second step "
                "of) knowledge distillation on [SQuAD v1.1](https://huggingface.co/datasets/squad).\n")
    assert fact.attrs["hub_id"] == "distilbert-base-cased"
    # ... but "trained from scratch" names no base (stabilityai/stable-diffusion-2-base)
    assert _named("The model is trained from scratch 550k steps at resolution 256x256.\n") == []


def test_quantized_and_merge_relations() -> None:
    # TheBloke/vicuna-7B-v1.3-GPTQ/README.md:26
    fact = _one("These files are GPTQ model files for [LmSys' Vicuna 7B v1.3]"
                "(https://huggingface.co/lmsys/vicuna-7b-v1.3).\n")
    assert fact.value == "lmsys/vicuna-7b-v1.3" and fact.attrs["relation"] == "quantized"
    # PygmalionAI/mythalion-13b/README.md:18: two bases named by a merge
    facts = _named('<h2 style="text-align: center">A merge of Pygmalion-2 13B and MythoMax 13B'
                   "</h2>\n")
    assert [f.value for f in facts] == ["Pygmalion-2 13B", "MythoMax 13B"]
    assert {f.attrs["relation"] for f in facts} == {"merge"}


def test_role_link_and_quantized_model_sentence() -> None:
    # rinna/youri-7b-chat-gptq/README.md:19 and :23
    facts = _named("`rinna/youri-7b-chat-gptq` is the quantized model for [`rinna/youri-7b-chat`]"
                   "(https://huggingface.co/rinna/youri-7b-chat) using AutoGPTQ.\n\n"
                   "    Refer to the [original model](https://huggingface.co/rinna/youri-7b-chat) "
                   "for fine-tuning details.\n")
    assert [(f.value, f.attrs["relation"], f.attrs["form"]) for f in facts] == [
        ("rinna/youri-7b-chat", "quantized", "sentence")]
    fact = _one("    Refer to the [original model](https://huggingface.co/rinna/youri-7b-chat) "
                "for fine-tuning details.\n")
    assert fact.attrs == {"hub_id": "rinna/youri-7b-chat", "relation": "unknown", "form": "link"}


def test_original_model_card_section_is_the_bases_own_card() -> None:
    # TheBloke/vicuna-7B-v1.3-GPTQ/README.md: line 26, then the reproduced card (line 211)
    body = ("These files are GPTQ model files for [LmSys' Vicuna 7B v1.3]"
            "(https://huggingface.co/lmsys/vicuna-7b-v1.3).\n\n"
            "# Original model card: LmSys' Vicuna 7B v1.3\n\n"
            "- **Finetuned from model:** [LLaMA](https://arxiv.org/abs/2302.13971).\n")
    assert [f.value for f in _named(body)] == ["lmsys/vicuna-7b-v1.3"]


# -- negatives ---------------------------------------------------------------------------


def test_template_placeholder_is_no_base() -> None:
    # microsoft/speecht5_tts/README.md:33
    assert _named("- **Finetuned from model [optional]:** [More Information Needed]\n") == []


def test_evaluation_tables_and_comparisons_are_no_base() -> None:
    # Intel/neural-chat-7b-v3-1/README.md:18 (a results table row)
    assert _named("|[mistralai/Mistral-7B-v0.1](https://huggingface.co/mistralai/Mistral-7B-v0.1)"
                  " | 50.32 | 59.58  | 83.31  |\n") == []
    # SZTAKI-HLT/hubert-base-cc/README.md:27 ("fine-tuned" about downstream use, a comparison)
    assert _named("When fine-tuned (via `BertForTokenClassification`) on chunking and NER, the "
                  "model outperforms multilingual BERT.\n") == []
    # a comparison sentence built on a Trainer-style statement
    assert _named("It outperforms every model fine-tuned from [x/base-7b]"
                  "(https://huggingface.co/x/base-7b).\n") == []
    # tiiuae/falcon-7b/README.md: a pointer to a derived model, not a base
    assert _named("* **You are looking for a ready-to-use chat/instruct model based on "
                  "[Falcon-7B](https://huggingface.co/tiiuae/falcon-7b).**\n",
                  repo="tiiuae/falcon-7b") == []


def test_architecture_card_credit_and_derivatives_are_no_base() -> None:
    # runwayml/stable-diffusion-v1-5/README.md:209 (the card text, not the model)
    assert _named("*This model card was written by: Robin Rombach and Patrick Esser and is based "
                  "on the [DALL-E Mini model card](https://huggingface.co/dalle-mini/dalle-mini).*"
                  "\n") == []
    # deepset/roberta-base-squad2/README.md: a model derived from this one
    assert _named("Please note that we have also released a distilled version of this model "
                  "called [deepset/tinyroberta-squad2](https://huggingface.co/deepset/tinyroberta-"
                  "squad2).\n") == []
    # databricks/dolly-v2-3b/README.md: "based on" names no Hub id; the prose is no id
    assert _named("Based on pythia-2.8b, Dolly is trained on ~15k instruction/response "
                  "fine tuning records.\n") == []
    # code fences are not statements
    assert _named("```\n# a fine-tuned version of [a/b](https://huggingface.co/a/b)\n```\n") == []


def test_list_items_about_other_models_and_titles_are_no_base() -> None:
    # /work/shared/github/repos/gsarti/covid-papers-browser/README.md:11 (a list of models)
    assert _named("- **[`covidbert-nli`](https://huggingface.co/gsarti/covidbert-nli)**, a "
                  "fine-tuned version of Deepset's [CovidBERT]"
                  "(https://huggingface.co/deepset/covid_bert_base).\n") == []
    # /work/shared/github/repos/gyunggyung/AGI-Papers/README.md:419 (a paper title)
    assert _named("- [2019/10] **[DistillBERT, a distilled version of BERT: smaller, faster, "
                  "cheaper and lighter](https://arxiv.org/abs/1910.01108)** : *DistillBERT*\n"
                  ) == []


def test_owner_possessive_names_the_model_not_the_owner() -> None:
    # the same sentence as the release's own statement (covid-papers-browser README.md:11)
    fact = _one("This model is a fine-tuned version of Deepset's [CovidBERT]"
                "(https://huggingface.co/deepset/covid_bert_base).\n")
    assert fact.value == "deepset/covid_bert_base"
    # covid-papers-browser README.md:7, the link to a code host gives the name
    fact = _one("This model is a fine-tuned version of AllenAI's [SciBERT]"
                "(https://github.com/allenai/scibert) [1].\n")
    assert fact.value == "SciBERT" and fact.attrs["hub_id"] is None


def test_own_repo_id_is_never_its_base() -> None:
    body = ("This model is a fine-tuned version of [someone/a-release]"
            "(https://huggingface.co/someone/a-release) on a dataset.\n")
    assert _named(body, repo="someone/a-release") == []
    assert [f.value for f in _named(body, repo="other/x")] == ["someone/a-release"]


def test_announced_derivative_is_no_base() -> None:
    # Qwen/Qwen-1_8B-Chat/README.md: the card announces a quantized release of itself
    assert _named("**Note: we provide a new solution based on [AutoGPTQ]"
                  "(https://github.com/PanQiWei/AutoGPTQ), and release an Int4 quantized model for"
                  " Qwen-1.8B-Chat [Click here](https://huggingface.co/Qwen/Qwen-1_8B-Chat-Int4)"
                  "**\n") == []
    # its own name written with a dot where the repo id has an underscore
    assert _named("This is a fine-tuned version of Qwen-1.8B-Chat for dialogue.\n",
                  repo="someone/Qwen-1_8B-Chat") == []


def test_card_without_prose_lineage() -> None:
    # tiiuae/falcon-7b's card names no base of its own (it is a base model)
    card = SHARED / "hub" / "models" / "tiiuae" / "falcon-7b"
    assert extract(hub_snapshot(card)).of("lineage.base_named") == []
    assert _named("# A model\n\nTrained from scratch on our corpus.\n") == []


def test_no_card_could_not_look() -> None:
    snap = Snapshot(ref="hf:someone/a-release", source="hf")
    assert extract(snap).of("lineage.base_named") == []


# -- hostile input -----------------------------------------------------------------------


def test_hostile_card_is_bounded_and_linear() -> None:
    line = "fine-tuned version of " + "[" * 5000 + "a/b" + "(" * 5000 + "\n"
    stmt = ("This model is a fine-tuned version of [o{i}/m{i}](https://huggingface.co/o{i}/m{i})"
            " on data.\n")
    body = line * 30 + "".join(stmt.format(i=i) for i in range(50)) + "x" * 1_000_000
    start = time.process_time()
    facts = _named(body)
    assert time.process_time() - start < 5
    assert len(facts) == 6  # the per-card cap


def test_candidate_lines_never_rule_out_a_trigger_on_real_cards() -> None:
    """The word pre-check only skips lines neither trigger nor role-link regex can match."""
    from conftest import hub_card_folders
    from openscope.evidence import lineage_prose as lp

    checked = 0
    for folder in hub_card_folders()[:300]:
        body = (folder / "README.md").read_text(encoding="utf-8", errors="replace")
        candidates = lp._candidate_lines(body)
        for i, line in enumerate(body.split("\n")):
            if line.isascii() and (lp._TRIGGER.search(line) or lp._ROLE_LINK.search(line)):
                assert i in candidates, (folder.name, line)
                checked += 1
    assert checked > 100


def test_candidate_lines_keep_every_line_when_lower_case_moves_offsets() -> None:
    from openscope.evidence import lineage_prose as lp

    body = "İstanbul\nfine-tuned from X"
    assert lp._candidate_lines(body) == {0, 1}
    assert lp._candidate_lines("a\nBased on [x](y)\nThe [Base Model](z)") == {1, 2}
