"""Model-card documentation facts: headings naming two topics, template fields, hardware,
architecture tables, datasheets.

Excerpts are copied from real cards in ``shared/hub`` (cited per test).
"""

from __future__ import annotations

import time

from openscope.evidence import extract
from openscope.evidence.documentation import topics_of
from openscope.snapshot import Document, Snapshot


def _ev(card: str, ref: str = "test:card"):  # type: ignore[no-untyped-def]
    snap = Snapshot(ref=ref, files=None, source="test",
                    documents=(Document("README.md", card, len(card)),))
    return extract(snap)


def _topics(card: str) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for f in _ev(card).of("doc.section"):
        out[f.value] = out.get(f.value, False) or bool(f.attrs.get("filled"))
    return out


# -- headings that name two topics ------------------------------------------------------------

def test_heading_counts_for_every_topic_it_names() -> None:
    assert topics_of("Intended uses & limitations") == ("intended_uses", "limitations")
    assert topics_of("Bias, Risks, and Limitations") == ("bias_risks", "limitations")
    assert topics_of("Training and evaluation data") == ("training_data", "evaluation")
    assert topics_of("Uses and Limitations") == ("intended_uses", "limitations")
    assert topics_of("Training Data") == ("training_data",)


def test_trainer_template_headings_are_empty() -> None:
    # shared/hub/models/AdamCodd/distilbert-base-uncased-finetuned-sentiment-amazon/README.md
    card = ("## Intended uses & limitations\n\nMore information needed\n\n"
            "## Training and evaluation data\n\nMore information needed\n")
    assert _topics(card) == {"intended_uses": False, "limitations": False,
                             "training_data": False, "evaluation": False}


def test_filled_two_topic_heading() -> None:
    # shared/hub/models/facebook/opt-1.3b/README.md
    card = ("## Intended uses & limitations\n\nThe pretrained-only model can be used for "
            "prompting for evaluation of downstream tasks as well as text generation.\n")
    facts = _ev(card).of("doc.section")
    assert {(f.value, f.attrs["filled"], f.attrs["form"]) for f in facts} == {
        ("intended_uses", True, "heading"), ("limitations", True, "heading")}


def test_quantisation_card_does_not_cover_uses_or_limitations() -> None:
    # shared/hub/models/TheBloke/Llama-2-7B-Chat-AWQ/README.md (its own top-level sections)
    card = (
        "# Llama 2 7B Chat - AWQ\n- Model creator: [Meta Llama 2](https://huggingface.co/"
        "meta-llama)\n\n## Description\n\nThis repo contains AWQ model files for Meta Llama 2's "
        "Llama 2 7B Chat.\n\n## Repositories available\n\n* AWQ model(s) for GPU inference.\n\n"
        "## Prompt template: Llama-2-Chat\n\n```\n[INST] <<SYS>>\n{prompt}[/INST]\n```\n\n"
        "## Provided files and AWQ parameters\n\nFor my first release of AWQ models, I am "
        "releasing 128g models only.\n\n## Serving this model from vLLM\n\nDocumentation on "
        "installing and using vLLM can be found here.\n\n## How to use this AWQ model from "
        "Python code\n\n### Install the necessary packages\n\nRequires: AutoAWQ 0.0.2 or "
        "later\n\n## Compatibility\n\nThe files provided are tested to work with AutoAWQ and "
        "vLLM.\n\n## Discord\n\nFor further support, and discussions on these models and AI in "
        "general, join us.\n\n## Thanks, and how to contribute\n\nThanks to the chirper.ai "
        "team!\n"
    )
    topics = _topics(card)
    assert "intended_uses" not in topics and "limitations" not in topics
    assert "bias_risks" not in topics and "training_data" not in topics


# -- template fields -------------------------------------------------------------------------

def test_fields_fill_topics() -> None:
    # shared/hub/models/stabilityai/stable-diffusion-2-1/README.md (Training section fields);
    # deepset/*: "**Training data:** SQuAD 2.0"
    card = ("- **Hardware:** 32 x 8 x A100 GPUs\n- **Optimizer:** AdamW\n"
            "**Training data:** SQuAD 2.0  \n")
    facts = {f.value: f for f in _ev(card).of("doc.section")}
    assert facts["hardware"].attrs == {"title": "Hardware", "filled": True, "form": "field",
                                       "words": 3}
    assert facts["hardware"].line == 1
    assert facts["training_data"].attrs["filled"] is True


def test_placeholder_fields_are_empty() -> None:
    # shared/hub/models/CompVis/stable-diffusion-safety-checker/README.md
    card = ("- **Hardware Type:** More information needed\n- **Hours used:** More information "
            "needed\n- **Cloud Provider:** More information needed\n")
    ev = _ev(card)
    assert {(f.value, f.attrs["filled"]) for f in ev.of("doc.section")} == {
        ("hardware", False), ("environmental_impact", False)}
    assert not ev.has("doc.hardware")


def test_model_type_counts_as_architecture_only_when_it_names_one() -> None:
    # shared/hub/models/tiiuae/falcon-7b/README.md; timm/*/README.md
    arch = _topics("- **Model type:** Causal decoder-only;\n")
    task = _topics("- **Model Type:** Image classification / feature backbone\n")
    assert arch == {"model_architecture": True}
    assert task == {}


def test_feature_list_label_is_not_a_field() -> None:
    # shared/hub/models/*/README.md (a feature bullet, not the template field)
    card = "- **Massive Training Data**: Trained from scratch on 2T tokens, including 87% code\n"
    assert "training_data" not in _topics(card)


# -- hardware -------------------------------------------------------------------------------

def test_hardware_field_with_count() -> None:
    # shared/hub/models/stabilityai/stable-diffusion-2-1/README.md
    [hw] = _ev("- **Hardware:** 32 x 8 x A100 GPUs\n").of("doc.hardware")
    assert hw.value == "32 x 8 x A100 GPUs"
    assert (hw.attrs["accelerator"], hw.attrs["count"], hw.attrs["form"]) == ("A100", 256, "field")


def test_hardware_type_template_field() -> None:
    # shared/hub/models/flan-t5 style: google/flan-t5-small/README.md
    [hw] = _ev("- **Hardware Type:** Google Cloud TPU Pods - TPU v3 or TPU v4  | Number of "
               "chips ≥ 4.\n").of("doc.hardware")
    assert hw.attrs["accelerator"] == "TPU v3"


def test_hardware_sentence() -> None:
    # shared/hub/models/EleutherAI/polyglot-ko-1.3b/README.md
    card = ("Polyglot-Ko-1.3B was trained on 213 billion tokens over 102,000 steps on 256 A100 "
            "GPUs with the [GPT-NeoX framework](https://github.com/EleutherAI/gpt-neox).\n")
    [hw] = _ev(card).of("doc.hardware")
    assert (hw.attrs["accelerator"], hw.attrs["count"], hw.attrs["form"]) == ("A100", 256,
                                                                              "sentence")
    assert hw.line == 1


def test_running_the_model_is_not_training_hardware() -> None:
    # shared/hub/models/TheBloke/*-AWQ/README.md style inference notes
    card = ("This model was trained by Meta. It runs on a single A100 80GB for inference.\n"
            "AWQ models are supported by vLLM: you need an A100 GPU.\n"
            "Training was done with care on GPUs.\n")
    assert not _ev(card).has("doc.hardware")


# -- architecture ---------------------------------------------------------------------------

def test_architecture_table() -> None:
    # shared/hub/models/mosaicml/mpt-7b/README.md
    card = ("| Hyperparameter | Value |\n|----------------|-------|\n|n_parameters | 6.7B |\n"
            "|n_layers | 32 |\n| n_heads | 32 |\n| d_model | 4096 |\n| vocab size | 50432 |\n"
            "| sequence length | 2048 |\n")
    ev = _ev(card)
    [arch] = ev.of("doc.architecture")
    assert (arch.attrs["layers"], arch.attrs["heads"], arch.attrs["hidden_size"],
            arch.attrs["vocab_size"], arch.attrs["context_length"]) == (
        "32", "32", "4096", "50432", "2048")
    assert arch.line == 1 and arch.attrs["form"] == "table"
    assert _topics(card) == {"model_architecture": True}


def test_horizontal_table_row_naming_the_release() -> None:
    # shared/hub/models/EleutherAI/pythia-1.4b/README.md (a table of every size)
    card = ("| Pythia model | Non-Embedding Params | Layers | Model Dim | Heads | Batch Size |\n"
            "| -----------: | -------------------: | :----: | :-------: | :---: | :--------: |\n"
            "| 70M | 18,915,328 | 6 | 512 | 8 | 2M |\n"
            "| 1.4B | 1,208,602,624 | 24 | 2048 | 16 | 2M |\n")
    [arch] = _ev(card, ref="mirror:pythia-1.4b").of("doc.architecture")
    assert (arch.attrs["layers"], arch.attrs["hidden_size"], arch.attrs["rows"]) == ("24", "2048",
                                                                                     "2")


def test_table_without_architecture_parameters() -> None:
    # shared/hub/models/mosaicml/mpt-7b/README.md (data mix table)
    card = ("| Data Source | Number of Tokens in Source | Proportion | Epochs |\n"
            "|-------------|----------------------------|------------|--------|\n"
            "| mC4 3.1.0 - English | 417.99 B | 0.33 | 0.14 |\n")
    assert not _ev(card).has("doc.architecture")


# -- datasheets -----------------------------------------------------------------------------

_GO_EMOTIONS = """## Dataset Structure

### Data Instances

Each instance is a reddit comment with a corresponding ID and one or more emotion
annotations (or neutral).

## Dataset Creation

### Curation Rationale

> Understanding emotion expressed in language has a wide range of applications, from
building empathetic chatbots to detecting harmful online behavior.

### Source Data

#### Initial Data Collection and Normalization

Data was collected from Reddit comments via a variety of automated methods discussed in
3.1 of the paper.

### Annotations

#### Annotation process

[More Information Needed]

#### Who are the annotators?

Annotations were produced by 3 English-speaking crowdworkers in India.

## Additional Information

### Dataset Curators

Researchers at Amazon Alexa, Google Research, and Stanford. See the [author list](https://arxiv.org/abs/2005.00547).
"""


def test_datasheet_sections() -> None:
    # shared/hub/datasets/go_emotions/README.md
    [sheet] = _ev(_GO_EMOTIONS).of("doc.datasheet")
    assert sheet.attrs["questions"] == ["motivation", "composition", "collection",
                                        "preprocessing", "maintenance"]
    assert sheet.value == "5"


def test_training_data_paragraph_is_not_a_datasheet() -> None:
    # shared/hub/models/facebook/opt-1.3b/README.md
    card = ("## Training data\n\nThe Meta AI team wanted to train this model on a corpus as "
            "large as possible.\n\n### Collection process\n\nThe dataset was collected form "
            "internet, and went through classic data processing algorithms.\n\n## Training "
            "procedure\n\n### Preprocessing\n\nThe texts are tokenized using the GPT2 byte-level "
            "version of Byte Pair Encoding (BPE).\n")
    assert not _ev(card).has("doc.datasheet")


def test_empty_datasheet_template_is_not_a_datasheet() -> None:
    # shared/hub/datasets/*/README.md (the template left unfilled)
    card = ("### Curation Rationale\n\n[More Information Needed]\n\n### Source Data\n\n"
            "[More Information Needed]\n\n### Annotations\n\n[More Information Needed]\n\n"
            "### Dataset Curators\n\n[More Information Needed]\n")
    assert not _ev(card).has("doc.datasheet")


def test_training_content_summary() -> None:
    # No mirror card mentions it yet (2023 snapshot); wording of the AI Office's
    # "Template for the Public Summary of Training Content" (EU AI Act Art. 53(1)(d)).
    card = "## Training data\n\nSee our public summary of training content for this model.\n"
    [fact] = _ev(card).of("doc.training_content_summary")
    assert fact.line == 3
    assert not _ev("A summary of the training data is given below.\n").has(
        "doc.training_content_summary")


def test_hostile_table_and_fields_are_bounded() -> None:
    card = ("| layers | 32 |\n" * 50_000) + ("**Hardware:** " + "A100 x " * 100_000 + "\n")
    start = time.process_time()
    _ev(card)
    assert time.process_time() - start < 10


def test_the_architecture_named_in_prose_and_its_line() -> None:
    """The first prose line naming the architecture, at its own line whatever the line
    endings; code blocks and tables are not prose."""
    # tiiuae/falcon-rw-1b README.md:17, after a code block and a table that mention models
    card = ("---\nlicense: apache-2.0\n---\n# Falcon\r\n\r\n```\nx is a decoder-only model\n```\n"
            "| it is an encoder-decoder model | 1 |\n|---|---|\nintro\u2028text\r\n\r\n"
            "**Falcon-RW-1B is a 1B parameters causal decoder-only model built by "
            "[TII](https://www.tii.ae).**\r\n")
    snap = Snapshot(ref="hf:o/m", documents=(Document("README.md", card, len(card)),))
    (named,) = [f for f in extract(snap) if f.kind == "doc.architecture_named"]
    assert (named.value, named.line) == ("causal decoder-only", 13)


def test_architecture_named_reads_links_as_text_and_ignores_a_named_base() -> None:
    """The sentences that were the doctests of the helper this probe used to call."""
    def named(sentence: str) -> list[str]:
        card = "---\nlicense: mit\n---\n# M\n\n" + sentence + "\n"
        snap = Snapshot(ref="hf:o/m", documents=(Document("README.md", card, len(card)),))
        return [f.value for f in extract(snap) if f.kind == "doc.architecture_named"]

    assert named("The Mixtral-8x7B Large Language Model (LLM) is a pretrained generative "
                 "Sparse Mixture of Experts.") == ["Sparse Mixture of Experts"]
    assert named("It is an open bilingual language model based on [General Language Model "
                 "(GLM)](https://x.y/GLM) framework") == ["General Language Model (GLM) framework"]
    assert named("This model is a fine-tuned version of Llama 2.") == []
