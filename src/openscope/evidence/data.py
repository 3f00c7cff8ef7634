"""Data: data cards and datasheets, training-data descriptions, evaluation data, withholding.

Datasets named in the metadata are extracted by :mod:`openscope.evidence.metadata`; this
module adds what the documents say about the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope.evidence.card import is_filled
from openscope.evidence.context import Context
from openscope.evidence.documentation import topic_of
from openscope.evidence.facts import Fact, LineIndex, snippet
from openscope.evidence.probes import Probe

_DATA_CARD = re.compile(r"(data[_-]?card|datasheet|data[_-]?readme|dataset[_-]?card)", re.I)
_WITHHELD = re.compile(
    r"(training|pre-?training|fine-?tuning)\s+(data|dataset|datasets|corpus|corpora)\s+"
    r"(is|are|was|were|will|remains?)\s+(be\s+)?(not|never|proprietary|confidential|private|"
    r"undisclosed|kept\s+private)"
    r"|(proprietary|undisclosed|non-public|confidential)\s+(training\s+)?(data|datasets?|corpus)"
    r"|we do not (release|disclose|share|publish) (the |our )?(training )?data",
    re.I,
)
# Data files: columnar and line formats anywhere; plain text and JSON only inside data folders.
DATA_SUFFIXES = (".parquet", ".arrow", ".jsonl", ".jsonl.gz", ".jsonl.zst", ".csv", ".csv.gz",
                 ".tsv", ".tfrecord", ".feather")
_DATA_DIR_SUFFIXES = (".txt", ".json", ".tar", ".tar.gz", ".zst", ".gz", ".zip")
_DATA_DIRS = frozenset({"data", "dataset", "datasets", "corpus", "corpora", "train_data",
                        "training_data"})


def is_data_file(path: str) -> bool:
    """Whether a listed path is a data file (by format, or by folder for plain formats).

    >>> is_data_file("data/train.txt"), is_data_file("notes.txt")
    (True, False)
    """
    lower = path.lower()
    if lower.endswith(DATA_SUFFIXES):
        return True
    if lower.endswith(_DATA_DIR_SUFFIXES) and "/" in lower:
        return any(part in _DATA_DIRS for part in lower.split("/")[:-1])
    return False


_DATA_URL = re.compile(r"https?://huggingface\.co/datasets/([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?)")


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``data.*`` and ``eval.*`` facts."""
    snap = ctx.snapshot
    for path in snap.file_paths() or tuple(d.path for d in snap.documents):
        name = path.rsplit("/", 1)[-1]
        if name.lower().endswith((".md", ".txt", ".pdf", ".rst")) and _DATA_CARD.search(name):
            yield Fact("data.card", path, "detected", path=path)
    data_files = [p for p in snap.file_paths() if is_data_file(p)]
    for path in data_files[:50]:
        yield Fact("data.file", path, "detected", path=path,
                   attrs={"count": len(data_files)} if path == data_files[0] else {})
    card = ctx.card
    if card is not None:
        for sec in card.sections:
            if topic_of(sec.title) == "training_data":
                kind = "data.description" if is_filled(sec.body) else "data.description_empty"
                yield Fact(kind, sec.title, "detected", path=card.path, line=sec.line,
                           snippet=snippet(sec.body or "(empty)"))
        lines = LineIndex(card.body)
        for m in _WITHHELD.finditer(card.body):
            yield Fact("data.withheld", "training data", "declared", path=card.path,
                       line=card.body_line + lines.line(m.start()) - 1,
                       snippet=snippet(lines.line_text(m.start())))
            break
        seen: set[str] = set()
        for dm in _DATA_URL.finditer(card.body):
            if dm.group(1) not in seen:
                seen.add(dm.group(1))
                yield Fact("data.dataset_link", dm.group(1), "inferred", path=card.path,
                           line=card.body_line + lines.line(dm.start()) - 1, url=dm.group(0),
                           attrs={"verified": False})
    model_index = ctx.card_data.get("model-index")
    if isinstance(model_index, list):
        mi_path, mi_line, mi_key = ctx.meta_location("model-index")
        results = 0
        datasets: set[str] = set()
        for entry in model_index:
            if not isinstance(entry, dict):
                continue
            for result in entry.get("results") or []:
                if not isinstance(result, dict):
                    continue
                metrics = result.get("metrics") or []
                results += len(metrics) if isinstance(metrics, list) else 0
                ds = result.get("dataset")
                if isinstance(ds, dict):
                    ds_name = ds.get("type") or ds.get("name")
                    if ds_name:
                        datasets.add(str(ds_name))
        if results:
            values = f"{results} metric value" + ("" if results == 1 else "s")
            yield Fact("eval.results", values, "declared", path=mi_path,
                       line=mi_line, key=mi_key, attrs={"count": results})
        for ds in sorted(datasets):
            yield Fact("eval.dataset", ds, "declared", path=mi_path, line=mi_line, key=mi_key)
    if snap.kind == "dataset":
        # The release is the dataset: its card is the data card, its licence the data licence.
        yield Fact("data.release", snap.ref, "detected", key="kind", url=snap.url,
                   snippet="the release is a dataset")
        if card is not None:
            yield Fact("data.card", card.path, "detected", path=card.path,
                       attrs={"dataset_release": True})
    for link in snap.metadata.get("links") or ():
        if isinstance(link, dict) and link.get("kind") == "dataset" and link.get("url"):
            ref = str(link.get("ref") or "")
            yield Fact("data.dataset_link", ref.removeprefix("hf-dataset:") or str(link["url"]),
                       "inferred", url=str(link["url"]), key="links",
                       attrs={"verified": bool(link.get("verified"))})

PROBES = (
    Probe("data.release", "Is the release itself a dataset?", ("data.release",),
          "The snapshot's kind (a Hub dataset repository).", "none known"),
    Probe("data.files", "Does the release ship training data files?", ("data.file",),
          "Columnar and line formats in data folders (`data/`, `datasets/`, `corpus/`).",
          "Small example or evaluation files shipped beside the weights."),
    Probe("data.card", "Is there a data card or datasheet?", ("data.card",),
          "Files named `DATA_CARD`, `datasheet`, `dataset_card`.", "none known"),
    Probe("data.description", "Does the card describe the training data?",
          ("data.description", "data.description_empty"),
          "A training-data heading or a bold `**Training Data:**` field with text that is not "
          "a template placeholder.", "none known"),
    Probe("data.linked", "Which Hub datasets does the card link as its training data?",
          ("data.dataset_link",),
          "`huggingface.co/datasets/...` links outside evaluation contexts, and links recorded "
          "by the source. Image hosts and badge repositories are not datasets.",
          "An evaluation set linked without an evaluation heading or phrase."),
    Probe("data.withheld", "Does the card say the training data is withheld?", ("data.withheld",),
          "\"the training data is proprietary / not released\" statements.", "none known"),
    Probe("eval.model-index", "Which evaluation results does the metadata report?",
          ("eval.results", "eval.dataset"),
          "`model-index` results and their datasets in the card metadata.", "none known"),
)
