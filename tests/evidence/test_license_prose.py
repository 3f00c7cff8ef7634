"""Licence statements written in the card's prose: ``**License:**`` fields and sentences.

Excerpts are copied from real cards in ``shared/hub/models`` (cited per test).
"""

from __future__ import annotations

import time

from openscope.evidence import extract
from openscope.snapshot import Document, Snapshot


def _facts(card: str) -> list:
    snap = Snapshot(ref="test:card", files=None, source="test",
                    documents=(Document("README.md", card, len(card)),))
    return [f for f in extract(snap).of("license.section") if f.attrs.get("form")]


def test_bold_field_under_model_details() -> None:
    # shared/hub/models/facebook/mms-1b-all/README.md
    card = ("## Model details\n\n- **Model type:** Multi-Lingual Automatic Speech Recognition "
            "model\n- **Language(s):** 1162 languages\n- **License:** CC-BY-NC 4.0 license\n")
    [fact] = _facts(card)
    assert fact.attrs["id"] == "CC-BY-NC-4.0" and fact.attrs["openness"] == "restricted"
    assert fact.attrs["form"] == "field" and fact.attrs["subject"] == "unknown"
    assert fact.path == "README.md" and fact.line == 5


def test_plain_field_and_table_row() -> None:
    # shared/hub/models/EleutherAI/gpt-neox-20b/README.md; Intel/dpt-large/README.md
    plain = _facts("- Developed by: EleutherAI\n- License: Apache 2.0\n")
    table = _facts("| Model Detail | Description |\n| ----------- | ----------- |\n"
                   "| License | Apache 2.0 |\n")
    assert [f.attrs["id"] for f in plain] == ["Apache-2.0"]
    assert [(f.attrs["id"], f.attrs["form"], f.line) for f in table] == [("Apache-2.0", "table", 3)]


def test_split_field_records_each_part() -> None:
    # shared/hub/models/facebook/musicgen-small/README.md
    facts = _facts("**License:** Code is released under MIT, model weights are released under "
                   "CC-BY-NC 4.0.\n")
    assert {(f.attrs["subject"], f.attrs["id"]) for f in facts} == {
        ("code", "MIT"), ("model", "CC-BY-NC-4.0")}


def test_description_of_the_licence_is_not_a_second_licence() -> None:
    # shared/hub/models/CompVis/stable-diffusion-v1-4/README.md
    line = ("- **License:** [The CreativeML OpenRAIL M license](https://huggingface.co/spaces/"
            "CompVis/stable-diffusion-license) is an [Open RAIL M license](https://www.licenses"
            ".ai/blog/2022/8/18/naming-convention-of-responsible-ai-licenses), adapted from the "
            "work that [BigScience](https://bigscience.huggingface.co/) and [the RAIL Initiative]"
            "(https://www.licenses.ai/) are jointly carrying in the area of responsible AI "
            "licensing. See also [the article about the BLOOM Open RAIL license](https://"
            "bigscience.huggingface.co/blog/the-bigscience-rail-license) on which our license "
            "is based.\n")
    assert [f.attrs["id"] for f in _facts(line)] == ["creativeml-openrail-m"]


def test_scoped_labels() -> None:
    # shared/github/repos/*: "- Code License: Apache License, Version 2" / "- Model License: ..."
    facts = _facts("- Code License: Apache License, Version 2\n- Model License: CC-BY-NC-SA 3.0\n")
    assert {(f.attrs["subject"], f.attrs["id"]) for f in facts} == {
        ("code", "Apache-2.0"), ("model", "CC-BY-NC-SA-3.0")}


def test_release_sentence() -> None:
    # shared/hub/models/sentence-transformers/msmarco-distilbert-dot-v5/README.md
    card = ("This model is released under the Apache 2 license. However, note that this model "
            "was trained on the MS MARCO dataset which has it's own license restrictions: "
            "[MS MARCO - Terms and Conditions](https://github.com/microsoft/msmarco).\n")
    [fact] = _facts(card)
    assert (fact.attrs["id"], fact.attrs["form"], fact.attrs["subject"]) == (
        "Apache-2.0", "sentence", "model")


def test_sentence_about_the_code_in_the_repo() -> None:
    # shared/hub/models/THUDM/chatglm3-6b/README.md
    card = ("The code in this repository is open-sourced under the [Apache-2.0 license](LICENSE), "
            "while the use of the ChatGLM3-6B model weights needs to comply with the [Model "
            "License](MODEL_LICENSE).\n")
    [fact] = _facts(card)
    assert (fact.attrs["id"], fact.attrs["subject"]) == ("Apache-2.0", "code")


def test_licences_of_other_works_are_not_statements() -> None:
    # shared/hub/models/*: JSNLI dataset sentence; WeNet note; stockmark NER note
    card = (
        "[Japanese SNLI dataset](https://nlp.ist.i.kyoto-u.ac.jp/) released under "
        "[Creative Commons Attribution-ShareAlike 4.0](https://creativecommons.org/licenses/"
        "by-sa/4.0/) is used for training.\n"
        "> The pretrained model in WeNet follows the license of it's corresponding dataset.\n"
        "See [here](https://github.com/stockmarkteam/ner-wikipedia-dataset) for the license "
        "of this dataset.\n"
        "The dataset is licensed under CC-BY-4.0.\n"
        "Use of this model must follow the Llama 2 license; see the Llama 2 license.\n"
        "- **Base Model License:** Llama 2 Community License Agreement\n"
    )
    assert _facts(card) == []


def test_placeholder_and_code_are_not_read() -> None:
    # shared/hub/models/*/README.md (Trainer template): "- **License:** More information needed"
    card = "- **License:** More information needed\n- **License:** TBD\n```\nLicense: MIT\n```\n"
    assert _facts(card) == []


def test_hostile_line_is_bounded() -> None:
    card = "**License:** " + "Apache " * 200_000 + "\n" + "this model is released under " * 5000
    start = time.process_time()
    _facts(card)
    assert time.process_time() - start < 5
