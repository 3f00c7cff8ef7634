"""Data evidence: dataset links vs images, evaluation sets and calibration tables; data files.

Card excerpts are copied from real cards in ``shared/hub/models/<org>/<name>/README.md`` and
listings from ``shared/corpus/releases/<release>/files.txt`` (cited beside each).
"""

from __future__ import annotations

from conftest import SHARED, corpus_snapshot
from openscope import evidence
from openscope.evidence.data import data_file_kind
from openscope.snapshot import Document, FileEntry, Snapshot


def _card(body: str, files: tuple[str, ...] | None = None, kind: str = "model") -> Snapshot:
    text = "---\nlicense: mit\n---\n# Model\n\n" + body + "\n"
    listing = tuple(FileEntry(p, 10) for p in files) if files is not None else None
    return Snapshot(ref="hf:some-org/some-model", files=listing, kind=kind,  # type: ignore[arg-type]
                    documents=(Document("README.md", text, len(text)),))


def _facts(snap: Snapshot, *kinds: str) -> list:
    return [f for f in evidence.extract(snap) if f.kind in kinds and f.key != "model-index"]


def test_images_hosted_in_dataset_repos_are_not_data() -> None:
    # Intel/dpt-large (and many cards): a picture in huggingface/documentation-images
    img = ("![model image](https://huggingface.co/datasets/huggingface/documentation-images/"
           "resolve/main/dpt_architecture.jpg)")
    # A Spaces badge served from huggingface/badges, inside an <img> tag
    badge = ('  <img src="https://huggingface.co/datasets/huggingface/badges/raw/main/'
             'open-in-hf-spaces-sm.svg" alt="Open in HuggingFace"/>')
    assert _facts(_card(img + "\n" + badge), "data.dataset_link", "eval.dataset") == []


def test_training_dataset_link() -> None:
    # olm/olm-roberta-base-dec-2022
    snap = _card("The model and tokenizer were trained with this [December 2022 cleaned "
                 "Wikipedia dataset](https://huggingface.co/datasets/olm/olm-wikipedia-20221220).")
    (link,) = _facts(snap, "data.dataset_link")
    assert link.value == "olm/olm-wikipedia-20221220" and link.line == 6 and link.url


def test_evaluation_sentence_gives_eval_dataset() -> None:
    # google/fnet-base
    snap = _card("FNet-base was fine-tuned and evaluated on the validation data of the "
                 "[GLUE benchamrk](https://huggingface.co/datasets/glue).")
    assert _facts(snap, "data.dataset_link") == []
    (ev,) = _facts(snap, "eval.dataset")
    assert ev.value == "glue" and ev.attrs["basis"].startswith("phrase") and ev.path == "README.md"


def test_nearest_cue_decides_in_a_mixed_sentence() -> None:
    # MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7 (shortened)
    snap = _card("The model was evaluated on the XNLI test set in 15 languages and the English "
                 "test sets of [MultiNLI](https://huggingface.co/datasets/multi_nli). It was "
                 "fine-tuned on [ANLI](https://huggingface.co/datasets/anli).")
    assert [f.value for f in _facts(snap, "eval.dataset")] == ["multi_nli"]
    assert [f.value for f in _facts(snap, "data.dataset_link")] == ["anli"]


def test_evaluation_section_gives_eval_dataset() -> None:
    # eugenesiow/edsr-base, section "Evaluation results"
    snap = _card("## Evaluation results\n\n- BSD100 - [Martin et al. (2001)]"
                 "(https://huggingface.co/datasets/eugenesiow/BSD100)\n\n## Training data\n\n"
                 "- [DIV2K](https://huggingface.co/datasets/eugenesiow/Div2k)")
    assert [f.value for f in _facts(snap, "eval.dataset")] == ["eugenesiow/BSD100"]
    assert [f.value for f in _facts(snap, "data.dataset_link")] == ["eugenesiow/Div2k"]


def test_calibration_table_is_not_training_data_and_viewer_ids_are_canonical() -> None:
    # TheBloke/Llama-2-13B-chat-GPTQ
    table = ("| Branch | Bits | GS | Act Order | Damp % | GPTQ Dataset | Seq Len | Size | "
             "ExLlama | Desc |\n| ------ | ---- | -- | --------- | ------ | ------------ | "
             "------- | ---- | ------- | ---- |\n| [main](https://huggingface.co/TheBloke/"
             "Llama-2-13B-chat-GPTQ/tree/main) | 4 | 128 | No | 0.01 | [wikitext](https://"
             "huggingface.co/datasets/wikitext/viewer/wikitext-2-v1/test) | 4096 | 7.26 GB | "
             "Yes | 4-bit |")
    assert _facts(_card(table), "data.dataset_link", "eval.dataset") == []
    plain = "Trained on [wikitext](https://huggingface.co/datasets/wikitext/viewer/wikitext-2-v1)"
    assert [f.value for f in _facts(_card(plain), "data.dataset_link")] == ["wikitext"]


def test_data_files_only_when_named_or_placed_as_training_data() -> None:
    # corpus facebook__MusicGen files.txt: example files are not training data
    files = ("dataset/example/electro_1.json", "egs/example/data.jsonl",
             "polypythias/data/training_maps.tsv", "sft_train.jsonl", "results.csv")
    facts = _facts(_card("x", files=files), "data.file", "data.sample_file")
    kinds = {f.value: f.kind for f in facts}
    assert kinds == {"dataset/example/electro_1.json": "data.sample_file",
                     "egs/example/data.jsonl": "data.sample_file",
                     "polypythias/data/training_maps.tsv": "data.file",
                     "sft_train.jsonl": "data.file", "results.csv": "data.sample_file"}
    assert all(f.attrs.get("reason") for f in facts if f.kind == "data.sample_file")


def test_dataset_release_keeps_every_data_file() -> None:
    files = ("data/test-00000.parquet", "data/train-00000.parquet")
    facts = _facts(_card("x", files=files, kind="dataset"), "data.file", "data.sample_file")
    assert {f.kind for f in facts} == {"data.file"} and len(facts) == 2


def test_no_listing_gives_no_file_facts() -> None:
    assert _facts(_card("no files"), "data.file", "data.sample_file") == []
    assert data_file_kind("evals/csv/run.csv")[0] == "data.sample_file"


def test_real_release_eval_csvs_are_samples() -> None:
    # corpus EleutherAI__pythia: evals/csv/*.csv are evaluation outputs
    folder = SHARED / "corpus" / "releases" / "EleutherAI__pythia"
    facts = _facts(corpus_snapshot(folder), "data.file", "data.sample_file")
    assert not [f for f in facts if f.kind == "data.file" and f.value.startswith("evals/")]


def test_hostile_links_do_not_crash() -> None:
    body = ("https://huggingface.co/datasets/" + "a" * 3000 + "/" + "b/" * 2000 + "\n") * 3
    body += "| calibration |\n" + "| x | https://huggingface.co/datasets/a/b |\n" * 3000
    _facts(_card(body), "data.dataset_link")


def test_a_data_mix_table_with_unlinked_rows_names_them() -> None:
    # tiiuae/falcon-7b README.md:136-143 (two of the unlinked rows)
    table = ("### Training Data\n\n"
             "| **Data source**    | **Fraction** | **Tokens** | **Sources**               |\n"
             "|--------------------|--------------|------------|---------------------------|\n"
             "| [RefinedWeb-English](https://huggingface.co/datasets/tiiuae/falcon-refinedweb)"
             " | 79%          | 1,185B     | massive web crawl         |\n"
             "| Books              | 7%           | 110B       |                           |\n"
             "| Conversations      | 6%           | 85B        | Reddit, StackOverflow     |\n")
    (mix,) = _facts(_card(table), "data.mix_unlinked")
    assert mix.value == "Books, Conversations" and mix.line == 8
    assert mix.attrs == {"rows": 3, "linked": 1, "unlinked": ["Books", "Conversations"]}


def test_a_table_outside_training_data_or_without_shares_is_not_a_mix() -> None:
    # HuggingFaceM4/idefics-9b README.md:246 header, under an evaluation heading here
    rows = ("| Data Source | Data Description | Number of Unique Samples | Sampling ratio |\n"
            "|---|---|---|---|\n| [OBELICS](https://huggingface.co/datasets/HuggingFaceM4/"
            "OBELICS) | web documents | 141M | 73.85% |\n| Wikipedia | text | 6M | 6.15% |\n")
    assert _facts(_card("## Evaluation\n\n" + rows), "data.mix_unlinked") == []
    no_share = "## Training Data\n\n" + rows.replace("Sampling ratio", "Notes")
    no_share = no_share.replace("Number of Unique Samples", "Kind")
    assert _facts(_card(no_share), "data.mix_unlinked") == []
    assert len(_facts(_card("## Training Data\n\n" + rows), "data.mix_unlinked")) == 1
