"""``data.external``: training data the card links on a host other than the Hub.

Every excerpt is copied from a real card in /work/shared/hub/models (path in the comment).
"""

from __future__ import annotations

from openscope import evidence
from openscope.evidence.data import data_host_kind
from openscope.snapshot import Document, FileEntry, Snapshot


def external(card: str) -> list[tuple[str, dict[str, object]]]:
    snap = Snapshot(ref="local:x", files=(FileEntry("README.md"),),
                    documents=(Document("README.md", card),))
    return [(f.value, f.attrs) for f in evidence.extract(snap).of("data.external")]


def test_trained_on_a_kaggle_dataset() -> None:
    # lvwerra/gpt2-imdb/README.md:7
    got = external("A GPT2 (`gpt2`) language model fine-tuned on the [IMDB dataset]"
                   "(https://www.kaggle.com/lakshmi25npathi/imdb-dataset-of-50k-movie-reviews).\n")
    assert got == [("https://www.kaggle.com/lakshmi25npathi/imdb-dataset-of-50k-movie-reviews",
                    {"host": "www.kaggle.com", "host_kind": "data-repository",
                     "basis": "sentence: trained on", "name": "IMDB dataset"})]


def test_trained_on_a_github_data_repository_and_university_sites() -> None:
    # rinna/japanese-clip-vit-b-16/README.md:68
    got = external("The model was trained on [CC12M](https://github.com/google-research-datasets/"
                   "conceptual-12m) translated the captions to Japanese.\n")
    assert [(v, a["host_kind"]) for v, a in got] == [
        ("https://github.com/google-research-datasets/conceptual-12m", "code-host")]
    # cross-encoder/nli-deberta-v3-base/README.md:18: both datasets of the sentence
    got = external("The model was trained on the [SNLI](https://nlp.stanford.edu/projects/snli/) "
                   "and [MultiNLI](https://cims.nyu.edu/~sbowman/multinli/) datasets.\n")
    assert [a["host"] for _, a in got][:1] == ["nlp.stanford.edu"]
    assert got[0][1]["host_kind"] == "academic"


def test_training_data_sentence_and_section_list() -> None:
    # martin-ha/toxic-comment-model/README.md:42
    got = external("The training data comes this [Kaggle competition](https://www.kaggle.com/c/"
                   "jigsaw-unintended-bias-in-toxicity-classification/data). We use 10% of the "
                   "`train.csv` data to train the model.\n")
    assert got and got[0][1]["basis"] == "sentence: training data"
    # funnel-transformer/small/README.md:71-74 (its "Training data" section)
    card = ("## Training data\n\nThe BERT model was pretrained on:\n"
            "- [BookCorpus](https://yknzhu.wixsite.com/mbweb), a dataset consisting of 11,038 "
            "unpublished books,\n"
            "- [English Wikipedia](https://en.wikipedia.org/wiki/English_Wikipedia) (excluding "
            "lists, tables and headers),\n"
            "- [GigaWord](https://catalog.ldc.upenn.edu/LDC2011T07), an archive of newswire "
            "text data,\n")
    got = dict(external(card))
    assert got["https://catalog.ldc.upenn.edu/LDC2011T07"]["host_kind"] == "data-repository"
    assert got["https://yknzhu.wixsite.com/mbweb"]["basis"] == "section: Training data"
    assert "https://en.wikipedia.org/wiki/English_Wikipedia" not in got  # names no data


def test_evaluation_papers_tools_and_compute_are_not_training_data() -> None:
    # Qwen/Qwen-1_8B/README.md:240 (benchmark)
    assert external("We compared the math capabilities of pre-trained models on [GSM8K]"
                    "(https://github.com/openai/grade-school-math) (8-shot), and the results "
                    "are as follows:\n") == []
    # NousResearch/Yarn-Mistral-7b-128k/README.md:62 (compute)
    assert external("It was trained on the [JUWELS](https://www.fz-juelich.de/en/ias/jsc/systems/"
                    "supercomputers/juwels) supercomputer.\n") == []
    # abbasgolestani/ag-nli-DeTS-sentence-similarity-v1/README.md:21 (a library)
    assert external("This model was trained using [SentenceTransformers](https://sbert.net) "
                    "[Cross-Encoder](https://www.sbert.net/examples/applications/cross-encoder/"
                    "README.html) class.\n") == []
    # af1tang/personaGPT/README.md:13 (the dataset named through its paper)
    assert external("This model is trained on the [Persona-Chat](https://arxiv.org/pdf/"
                    "1801.07243) dataset, with added special tokens.\n") == []
    # BM-K/KoDiffCSE-RoBERTa/README.md:54-57 (the evaluation set of a Datasets list)
    got = external("## Datasets\nThe data must exist in the \"--path_to_data\" folder\n"
                   "- [wiki-corpus](https://github.com/jeongukjae/korean-wikipedia-corpus) "
                   "(Unsupervised Training)\n"
                   "- [KorSTS](https://github.com/kakaobrain/KorNLUDatasets) (Validation & "
                   "Testing)\n")
    assert [v for v, _ in got] == ["https://github.com/jeongukjae/korean-wikipedia-corpus"]


def test_hub_links_stay_dataset_links_and_card_less_is_silent() -> None:
    # yolos: a Hub dataset link is data.dataset_link, not data.external
    # (hustvl/yolos-small/README.md)
    assert external("The YOLOS model was pre-trained on [ImageNet-1k](https://huggingface.co/"
                    "datasets/imagenet2012) and fine-tuned on COCO.\n") == []
    snap = Snapshot(ref="local:x", files=(FileEntry("model.safetensors"),))
    assert not evidence.extract(snap).has("data.external")


def test_host_kinds() -> None:
    assert data_host_kind("doi.org", "/10.5281/zenodo.123") == "data-repository"
    assert data_host_kind("doi.org", "/10.18653/v1/x") is None
    assert data_host_kind("www.cs.cmu.edu", "/~x/data/") == "academic"
    assert data_host_kind("creativecommons.org", "/licenses/by/4.0/") is None


def test_hostile_card_is_linear() -> None:
    import time

    card = ("trained on [" + "a" * 5000 + "](https://x.org/" + "b" * 5000 + ") " + "\n") * 200
    card += ("## Training data\n" + "- [d](https://x.org/data) " * 5000)
    start = time.process_time()
    external(card)
    assert time.process_time() - start < 2.0
