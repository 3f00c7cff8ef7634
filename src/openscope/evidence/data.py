"""Data: data cards and datasheets, training-data descriptions, evaluation data, withholding.

Datasets named in the metadata are extracted by :mod:`openscope.evidence.metadata`; this
module adds what the documents say about the data.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from openscope import lazyre
from openscope.evidence.card import is_filled, may_contain
from openscope.evidence.context import Context
from openscope.evidence.data_mix import mix_tables
from openscope.evidence.documentation import topics_of
from openscope.evidence.facts import Fact, line_index, snippet
from openscope.evidence.probes import Probe

_DATA_CARD = lazyre.compile(r"(data[_-]?card|datasheet|data[_-]?readme|dataset[_-]?card)", re.I)
_WITHHELD = lazyre.compile(
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
DATA_DIRS = frozenset({"data", "dataset", "datasets", "corpus", "corpora", "train_data",
                        "training_data"})


# An identifiable source: a link, a Hub-style ``org/name`` id, or a named corpus in capitals
# followed by a corpus word ("The Pile", "RedPajama dataset", "C4 corpus").
_SOURCE_NAMED = lazyre.compile(
    r"https?://|\b[\w.-]{2,40}/[\w.-]{2,80}\b|"
    r"\b[A-Z][\w-]{1,30}(?:\s[A-Z][\w-]{1,30}){0,3}(?<!-style)(?<!-like)"
    r"\s(?:dataset|corpus|corpora|collection)s?\b")


def names_source(text: str) -> bool:
    """Whether a training-data description names an identifiable source.

    "a variety of publicly available conversation datasets" names none; a link, a Hub id or
    "the RefinedWeb dataset" does.

    >>> names_source("a variety of publicly available datasets"), names_source("[x](https://a)")
    (False, True)
    """
    return bool(_SOURCE_NAMED.search(text[:20000]))


def is_data_file(path: str) -> bool:
    """Whether a listed path is a data file (by format, or by folder for plain formats).

    >>> is_data_file("data/train.txt"), is_data_file("notes.txt")
    (True, False)
    """
    lower = path.lower()
    if lower.endswith(DATA_SUFFIXES):
        return True
    if lower.endswith(_DATA_DIR_SUFFIXES) and "/" in lower:
        return any(part in DATA_DIRS for part in lower.split("/")[:-1])
    return False


# A Hub dataset URL: the id (one or two parts) and the rest of the path, bounded.
_DATA_URL = lazyre.compile(
    r"https?://huggingface\.co/datasets/([A-Za-z0-9_.-]{1,100})(?:/([A-Za-z0-9_.-]{1,100}))?"
    r"(/[^\s)\]\"'<>]{0,300})?"
)
# Hub page names that follow a one-part dataset id (``datasets/squad/viewer``).
_HUB_PAGES = frozenset({"viewer", "resolve", "blob", "tree", "raw", "discussions", "commits",
                        "commit", "edit", "refs", "settings"})
# Image and media files: a card's pictures are often hosted in dataset repositories.
_MEDIA = lazyre.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|ico|tiff?|avif|mp4|webm|mov|avi|mkv|mp3|"
                        r"wav|flac|ogg|m4a|pdf)([?#]|$)", re.I)
_IMAGE_TAG_BEFORE = lazyre.compile(
    r"!\[[^\]\n]{0,200}\]\($|<(img|source|video|audio)\b[^>\n]{0,300}$",
    re.I)
# Words presenting a dataset as evaluation data, or as training data (the nearer one wins).
_EVAL_CUE = lazyre.compile(r"\b(evaluat\w*|benchmark\w*|test[ \t-]+(set|split|data)\w*|"
                           r"validation[ \t-]+(set|split|data)|held-?out|eval)\b", re.I)
_TRAIN_CUE = lazyre.compile(r"\b(train\w*|fine-?tun\w*|pre-?train\w*|instruction[ \t-]+tun\w*|"
                            r"sft|distill\w*|learned|learnt)\b", re.I)
_EVAL_TITLE = lazyre.compile(
    r"eval|benchmark|^\W*results?\W*$|performance|test(ing)?[ \t]+(data|set)",
    re.I)
_TRAIN_TITLE = lazyre.compile(r"train|fine-?tun|pre-?train|data", re.I)
_CALIBRATION = lazyre.compile(r"calibrat|\b(gptq|awq|quanti[sz]ation)[ \t]+data", re.I)
_SENTENCE_END = lazyre.compile(r"[.!?。！？](?:[ \t\"')\]]|$)")


def dataset_ref(match: re.Match[str]) -> tuple[str, str]:
    """(dataset id, rest of the path) from a :data:`_DATA_URL` match.

    >>> dataset_ref(_DATA_URL.search("https://huggingface.co/datasets/wikitext/viewer/x"))
    ('wikitext', '/viewer/x')
    """
    first, second, rest = match.group(1), match.group(2), match.group(3) or ""
    if second is None:
        return first, rest
    if second.lower() in _HUB_PAGES:
        return first, f"/{second}{rest}"
    return f"{first}/{second}", rest


def link_context(body: str, start: int) -> str:
    """The text before ``start`` in its sentence (at most 200 characters, one line)."""
    line_start = body.rfind("\n", 0, start) + 1
    before = body[max(line_start, start - 200):start]
    cut = None
    for m in _SENTENCE_END.finditer(before):
        cut = m.end()
    return before if cut is None else before[cut:]


def eval_basis(before: str, section: str) -> str | None:
    """Why a dataset named in ``before`` (its sentence) and ``section`` is evaluation data.

    >>> eval_basis("We evaluate on the ", ""), eval_basis("fine-tuned on ", "Evaluation")
    ('phrase: evaluate', None)
    """
    last_eval = last_train = None
    for last_eval in _EVAL_CUE.finditer(before):  # noqa: B007 - the last match is wanted
        pass
    for last_train in _TRAIN_CUE.finditer(before):  # noqa: B007
        pass
    if last_eval and (last_train is None or last_eval.start() > last_train.start()):
        return f"phrase: {last_eval.group(0)}"
    if last_train:
        return None
    if _EVAL_TITLE.search(section) and not _TRAIN_TITLE.search(section):
        return f"section: {section.strip()}"
    return None


# Data files named as training data, and files named as examples, tests or evaluation sets.
_TRAINING_NAME = lazyre.compile(
    r"(^|[/_.-])(train|training|corpus|corpora|pretrain\w*|pre-train\w*|"
    r"sft|instruct\w*|finetun\w*|fine-tun\w*|dpo|rlhf|preference\w*)"
    r"([/_.\-0-9]|$)", re.I)
_SAMPLE_NAME = lazyre.compile(r"(^|[/_.-])(examples?|samples?|tests?|testing|evals?|evaluation|"
                              r"dev|valid|validation|val|demos?|benchmarks?|toy|dummy|fixtures?|"
                              r"results?|predictions?|metrics?|outputs?)([/_.\-0-9]|$)", re.I)


def data_file_kind(path: str) -> tuple[str, str]:
    """(``data.file`` or ``data.sample_file``, why) for a data file in a model release.

    >>> data_file_kind("data/train-00000-of-00002.parquet")[0]
    'data.file'
    >>> data_file_kind("examples/sample.csv")[0], data_file_kind("results.csv")[0]
    ('data.sample_file', 'data.sample_file')
    """
    lower = path.lower()
    if _SAMPLE_NAME.search(lower):
        return "data.sample_file", "example, test or evaluation file"
    folders = lower.split("/")[:-1]
    if any(part in DATA_DIRS for part in folders):
        return "data.file", "in a data folder"
    if _TRAINING_NAME.search(lower):
        return "data.file", "named as training data"
    return "data.sample_file", "not in a data folder, not named as training data"


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``data.*`` and ``eval.*`` facts."""
    snap = ctx.snapshot
    for path in snap.file_paths() or tuple(d.path for d in snap.documents):
        name = path.rsplit("/", 1)[-1]
        if name.lower().endswith((".md", ".txt", ".pdf", ".rst")) and _DATA_CARD.search(name):
            yield Fact("data.card", path, "detected", path=path)
    data_files: list[str] = []
    samples: list[tuple[str, str]] = []
    for path in snap.file_paths():
        if not is_data_file(path):
            continue
        # In a dataset release every data file is the data; in a model release only files
        # in data folders or named as training data are, the rest are examples or results.
        kind, why = ("data.file", "") if snap.kind == "dataset" else data_file_kind(path)
        if kind == "data.file":
            data_files.append(path)
        else:
            samples.append((path, why))
    for path in data_files[:50]:
        yield Fact("data.file", path, "detected", path=path,
                   attrs={"count": len(data_files)} if path == data_files[0] else {})
    for path, why in samples[:50]:
        yield Fact("data.sample_file", path, "detected", path=path, attrs={"reason": why})
    card = ctx.card
    if card is not None:
        for sec in card.sections:
            if "training_data" in topics_of(sec.title):
                kind = "data.description" if is_filled(sec.body) else "data.description_empty"
                yield Fact(kind, sec.title, "detected", path=card.path, line=sec.line,
                           snippet=snippet(sec.body or "(empty)"),
                           attrs={"names_source": names_source(sec.body or ""),
                                  "words": len((sec.body or "").split())})
                yield from _mix_facts(ctx, sec.body or "", sec.line + 1)
        lines = line_index(card.body)
        # every match holds one of these words (not in the body: skip the regex)
        withheld = _WITHHELD.finditer(card.body) if may_contain(
            card, "training", "tuning", "proprietary", "undisclosed", "non-public",
            "confidential", "we do not") else ()
        for m in withheld:
            yield Fact("data.withheld", "training data", "declared", path=card.path,
                       line=card.body_line + lines.line(m.start()) - 1,
                       snippet=snippet(lines.line_text(m.start())))
            break
        yield from _card_dataset_links(ctx)
        yield from _external_data_links(ctx)
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

def _declared_names(ctx: Context) -> frozenset[str]:
    """The card's ``datasets:`` as names a table may use (the last part of a Hub id)."""
    declared = ctx.card_data.get("datasets")
    items = declared if isinstance(declared, list) else [declared]
    return frozenset(str(d).rsplit("/", 1)[-1].lower() for d in items if isinstance(d, str))


def _mix_facts(ctx: Context, body: str, first_line: int) -> Iterator[Fact]:
    """``data.mix_unlinked``: a data-mix table in the training-data section that links some
    sources and leaves others unlinked (named, not published)."""
    if "|" not in body:
        return
    card = ctx.card
    for table in mix_tables(body, _declared_names(ctx)):
        names = ", ".join(table.unlinked[:4]) + (
            f" (+{len(table.unlinked) - 4} more)" if len(table.unlinked) > 4 else "")
        yield Fact("data.mix_unlinked", names, "detected",
                   path=card.path if card is not None else None,
                   line=first_line + table.line,
                   snippet=f"data-mix table: {table.linked} of {table.rows} sources linked",
                   attrs={"rows": table.rows, "linked": table.linked,
                          "unlinked": list(table.unlinked[:20])})


def _calibration_table(body_lines: list[str], i: int) -> bool:
    """Whether line ``i`` is a row of a table whose header names a calibration dataset.

    Quantised releases list the dataset used to calibrate each quantisation ("GPTQ dataset",
    "AWQ dataset") in a table; it is not the model's training data.
    """
    if not body_lines[i].lstrip().startswith("|"):
        return False
    top = i
    while top > 0 and i - top < 60 and body_lines[top - 1].lstrip().startswith("|"):
        top -= 1
    return bool(_CALIBRATION.search(body_lines[top][:1000]))


def _card_dataset_links(ctx: Context) -> Iterator[Fact]:
    """``data.dataset_link`` / ``eval.dataset`` facts for Hub dataset links in the card."""
    card = ctx.card
    if card is None:
        return
    body = card.body
    lines = line_index(body)
    starts = [sec.line - card.body_line for sec in card.sections]
    titles = [sec.title for sec in card.sections]
    seen: set[tuple[str, str]] = set()
    body_lines = body.split("\n")
    for dm in _DATA_URL.finditer(body):
        ds, rest = dataset_ref(dm)
        # A picture hosted in a dataset repository is an image, never data.
        if _MEDIA.search(rest) or _IMAGE_TAG_BEFORE.search(body[max(0, dm.start() - 300):
                                                                dm.start()]):
            continue
        i = lines.line(dm.start()) - 1
        if _calibration_table(body_lines, i):
            continue  # quantisation calibration data, not the model's training data
        k = bisect_right(starts, i) - 1
        basis = eval_basis(link_context(body, dm.start()), titles[k] if k >= 0 else "")
        kind = "eval.dataset" if basis else "data.dataset_link"
        if (kind, ds) in seen:
            continue
        seen.add((kind, ds))
        attrs: dict[str, object] = {"verified": False}
        if basis:
            attrs["basis"] = basis
        yield Fact(kind, ds, "inferred", path=card.path, line=card.body_line + i,
                   url=dm.group(0), snippet=snippet(lines.line_text(dm.start())), attrs=attrs)


# -- training data hosted off the Hub ---------------------------------------------------------

# Any web link; the Hub's own dataset links are handled above.
_URL = lazyre.compile(r"https?://[^\s)\]\"'<>`|]{1,300}")
# "trained on [X](url)": a training verb, at most four words, then "on"/"from", at the end of
# the text before the link (a sentence, so bounded).
_TRAINED_ON = lazyre.compile(r"\b(trained|pre-?trained|fine-?tuned|finetuned|tuned|learned|learnt|"
                             r"distilled)(?:\s+[\w,-]{1,30}){0,4}?\s+(on|(?:data|datasets?|corpus|corpora|"
                             r"text|samples|examples|images)\s+from)"
                             r"(?:\s+(?:the|a|an|data|datasets?|corpus|corpora|samples|examples|"
                             r"text|images|audio|recordings)){0,3}\W{0,3}$", re.I)
_TRAINING_DATA_PHRASE = lazyre.compile(
    r"\b(training|pre-?training|fine-?tuning)[ \t]+(data|datasets?|"
    r"set|corpus|corpora)\b", re.I)
_DATA_WORD = lazyre.compile(r"\bdata\b(?![ \t-]{0,3}parallel)|datasets?|corpus|corpora|/data", re.I)
# "pre-trained models on [benchmark]", "trained based on [architecture]": not data.
_NOT_TRAINED_ON = lazyre.compile(r"\bmodels?\b|\bbased\s+on\b|\bcompar", re.I)
# Hosts whose pages are papers, licences, badges, social media, packages or notebooks: never
# where training data is downloaded from.
_NOT_DATA_HOST = lazyre.compile(
    r"(^|\.)(arxiv\.org|aclanthology\.org|aclweb\.org|openreview\.net|semanticscholar\.org|"
    r"papers\.nips\.cc|neurips\.cc|proceedings\.\w+\.\w+|ieeexplore\.ieee\.org|dl\.acm\.org|"
    r"link\.springer\.com|sciencedirect\.com|nature\.com|biorxiv\.org|medrxiv\.org|"
    r"researchgate\.net|scholar\.google\.com|ssrn\.com|creativecommons\.org|opensource\.org|"
    r"spdx\.org|choosealicense\.com|shields\.io|badge\.fury\.io|twitter\.com|x\.com|"
    r"discord\.gg|discord\.com|youtube\.com|youtu\.be|linkedin\.com|medium\.com|"
    r"colab\.research\.google\.com|pypi\.org|pytorch\.org|wandb\.ai|huggingface\.co|hf\.co|"
    r"readthedocs\.io|github\.io|openai\.com|google\.com|microsoft\.com|nvidia\.com|"
    r"sbert\.net|mlcommons\.org|paperswithcode\.com|pubmed\.ncbi\.nlm\.nih\.gov)$|"
    r"^(www\.)?ncbi\.nlm\.nih\.gov$", re.I)
# DOI prefixes of data repositories (Zenodo, Figshare, Dataverse, Dryad, PANGAEA).
_DATA_DOI = lazyre.compile(r"^/(10\.5281|10\.6084|10\.7910|10\.5061|10\.1594)/", re.I)
_DATA_REPOSITORY = lazyre.compile(
    r"(^|\.)(zenodo\.org|kaggle\.com|figshare\.com|dataverse\.\w+|\w*dataverse\.org|"
    r"data\.mendeley\.com|osf\.io|physionet\.org|openml\.org|archive\.ics\.uci\.edu|"
    r"registry\.opendata\.aws|datadryad\.org|pangaea\.de|commoncrawl\.org|"
    r"data\.europa\.eu|data\.gov|catalog\.ldc\.upenn\.edu|elra\.info)$", re.I)
_CODE_HOST = lazyre.compile(r"(^|\.)(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|"
                            r"raw\.githubusercontent\.com|gitee\.com)$", re.I)
_ACADEMIC = lazyre.compile(r"(\.edu|\.ac\.[a-z]{2}|\.edu\.[a-z]{2})$|(^|[.-])(uni|univ|university)"
                           r"([.-]|$)|^(www\.)?uni-", re.I)
# Compute and tools, not data: "trained on the [JUWELS](...) supercomputer".
_NOT_DATA_AFTER = lazyre.compile(r"^\W{0,3}\s*(supercomputer|cluster|gpus?|tpus?|nodes?|hardware|"
                                 r"machines?|library|framework|toolkit|tool|platform|cloud|"
                                 r"architecture|procedure|recipe|method|objective|script|code|"
                                 r"(is|was|are|were)\s+used\s+to|to\s+(extract|process|preprocess|"
                                 r"clean|filter|tokeni[sz]e))\b", re.I)
# Libraries whose repositories a card links when it says how data was loaded; knowledge about
# these tools, not about any model.
_LIBRARY_REPOS = frozenset({"/huggingface/datasets", "/huggingface/transformers",
                            "/tensorflow/datasets", "/pytorch/vision", "/pytorch/audio"})
_EVAL_AFTER = lazyre.compile(r"^\s{0,3}\([^)\n]{0,40}\b(valid\w*|test\w*|eval\w*|benchmark\w*)",
                             re.I)
_BY_WHOM = lazyre.compile(r"\b(by|with\s+this|see|in|at)\W{0,3}$", re.I)
_MAX_EXTERNAL = 20


def data_host_kind(host: str, path: str) -> str | None:
    """What kind of place ``host`` is for data, or ``None`` when it never hosts data.

    >>> data_host_kind("zenodo.org", "/record/1"), data_host_kind("arxiv.org", "/abs/1")
    ('data-repository', None)
    >>> data_host_kind("github.com", "/org/data"), data_host_kind("cs.stanford.edu", "/x")
    ('code-host', 'academic')
    """
    host = host.lower().removeprefix("www.")
    if host == "doi.org" or host.endswith(".doi.org"):
        return "data-repository" if _DATA_DOI.match(path) else None
    if _DATA_REPOSITORY.search(host):
        return "data-repository"
    if _NOT_DATA_HOST.search(host):
        return None
    if _CODE_HOST.search(host):
        return "code-host"
    if _ACADEMIC.search(host):
        return "academic"
    return "other"


def _link_text(body: str, start: int) -> tuple[int, str]:
    """For a URL at ``start`` written as ``[text](url)``: where the link starts, and its text."""
    if start < 2 or body[start - 2:start] != "](":
        return start, ""
    opening = body.rfind("[", max(0, start - 300), start - 2)
    if opening < 0 or "\n" in body[opening:start]:
        return start, ""
    return opening, body[opening + 1:start - 2]


def _near(between: str) -> bool:
    """Whether a cue is close to the link after it: no other link between, short distance."""
    return len(between) <= 120 and "](" not in between and "http" not in between


def _external_data_links(ctx: Context) -> Iterator[Fact]:
    """``data.external``: training data the card links on a host other than the Hub.

    A link counts when the text before it says the model was trained on it ("trained on
    [X](url)", "training data: url"), or when it sits in a training-data section and its
    text or address names data, or its host is a data repository. Evaluation contexts (see
    :func:`eval_basis`), papers, licences, badges, images and compute are never data.
    """
    card = ctx.card
    if card is None:
        return
    from urllib.parse import urlsplit

    body = card.body
    lines = line_index(body)
    starts = [sec.line - card.body_line for sec in card.sections]
    titles = [sec.title for sec in card.sections]
    seen: set[str] = set()
    for um in _URL.finditer(body):
        if len(seen) >= _MAX_EXTERNAL:
            break
        url = um.group(0).rstrip(".,;:!?*_")
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = (parts.hostname or "").lower()
        kind = data_host_kind(host, parts.path) if host else None
        if kind is None or url in seen or _MEDIA.search(parts.path):
            continue
        link_start, text = _link_text(body, um.start())
        if _IMAGE_TAG_BEFORE.search(body[max(0, link_start - 300):link_start]) or \
                body[max(0, link_start - 1):link_start] == "!":
            continue
        i = lines.line(um.start()) - 1
        k = bisect_right(starts, i) - 1
        title = titles[k] if k >= 0 else ""
        before = link_context(body, link_start)
        if eval_basis(before, title):
            continue  # evaluation data, or a training section's evaluation sentence
        if host.removeprefix("www.") == "github.com" and \
                parts.path.rstrip("/").lower() in _LIBRARY_REPOS:
            continue
        after = body[um.end():um.end() + 80].lstrip(")]")
        if _EVAL_AFTER.match(after):
            continue  # "[KorSTS](url) (Validation & Testing)"
        if _NOT_DATA_AFTER.search(after) or _NOT_DATA_AFTER.search(text[-40:]):
            continue
        if kind != "data-repository" and _BY_WHOM.search(before[-40:]):
            continue  # "a dataset released by [Together](url)": the publisher, not the data
        trained = _TRAINED_ON.search(before[-160:])
        phrase = None
        for phrase in _TRAINING_DATA_PHRASE.finditer(before):  # noqa: B007 - the last one
            pass
        if trained and not _NOT_TRAINED_ON.search(trained.group(0)):
            basis = "sentence: trained on"
        elif phrase and _near(before[phrase.end():]):
            basis = "sentence: training data"
        elif "training_data" in topics_of(title) and (
                kind == "data-repository" or _DATA_WORD.search(text[:200])
                or _DATA_WORD.search(parts.path) or _DATA_WORD.search(after[:25])):
            basis = f"section: {title.strip()}"
        else:
            continue
        seen.add(url)
        yield Fact("data.external", url, "inferred", path=card.path, line=card.body_line + i,
                   url=url, snippet=snippet(lines.line_text(um.start())),
                   attrs={"host": host, "host_kind": kind, "basis": basis,
                          "name": text.strip()[:120] or None})


PROBES = (
    Probe("data.release", "Is the release itself a dataset?", ("data.release",),
          "The snapshot's kind (a Hub dataset repository).", "none known"),
    Probe("data.files", "Does the release ship training data files?",
          ("data.file", "data.sample_file"),
          "Columnar and line formats (parquet, arrow, jsonl, csv, tsv, ...), and text/JSON in "
          "data folders. In a model release a file is training data (`data.file`) only under "
          "a data folder (`data/`, `dataset(s)/`, `corpus/`, `train_data/`) or when its name "
          "says train/training/corpus/pretrain/sft/instruct/finetune/dpo/rlhf/preference; a "
          "name or folder saying example/sample/test/eval/dev/valid/demo/benchmark/results/"
          "predictions wins over both. Other data files are `data.sample_file` "
          "(`attrs.reason`), which no framework counts. In a dataset release every data "
          "file is `data.file`.",
          "A training set saved under a neutral name at the repository root is a sample "
          "file; `data/test.jsonl` holding training data is a sample file."),
    Probe("data.card", "Is there a data card or datasheet?", ("data.card",),
          "Files named `DATA_CARD`, `datasheet`, `dataset_card`.", "none known"),
    Probe("data.description", "Does the card describe the training data?",
          ("data.description", "data.description_empty"),
          "A training-data heading or a bold `**Training Data:**` field with text that is not "
          "a template placeholder; `attrs.names_source` says whether it names an identifiable "
          "source (a link, an `org/name` id, a capitalised name followed by dataset/corpus).",
          "A capitalised phrase such as \"Private Dataset\" counts as a named source."),
    Probe("data.mix", "Does the card's data-mix table leave some sources unpublished?",
          ("data.mix_unlinked",),
          "In a training-data section, a table whose first column names sources (header "
          "data/dataset/source/corpus/subset/domain) and another gives their share (fraction, "
          "%, tokens, weight, ratio, sampling, epochs), where some rows link their source (or "
          "name a dataset of the card's `datasets:`) and others do not. `value` and "
          "`attrs.unlinked` name the unlinked rows. A table with no linked row is not "
          "counted: it usually lists the parts of one published corpus.",
          "A row whose source is published but not linked in the table counts as unlinked."),
    Probe("data.linked", "Which Hub datasets does the card link as its training data?",
          ("data.dataset_link",),
          "`huggingface.co/datasets/...` links (id canonicalised: `datasets/x/viewer/...` is "
          "`x`), and links recorded by the source. Never data: a link to an image or media "
          "file (png, svg, mp4, ... also under `/resolve/` or `/blob/`), a link inside an "
          "image tag (`![..](url)`, `<img src>`), a row of a table whose header names a "
          "calibration dataset (\"GPTQ dataset\"). A link whose sentence names evaluation "
          "nearer than training (\"evaluated on\", \"test set\", \"benchmark\"), or that "
          "sits in an evaluation/benchmark/results section whose title does not name "
          "training or data, is `eval.dataset` (`attrs.basis`).",
          "A sentence naming training and evaluation (\"data used for training (and "
          "evaluation)\") counts as evaluation; an evaluation set linked without an "
          "evaluation heading or phrase counts as training data."),
    Probe("data.external", "Which training data does the card link on a host other than the Hub?",
          ("data.external",),
          "A web link (not the Hub) that the card presents as its training data: the text "
          "before it in its sentence says \"trained / pre-trained / fine-tuned ... on|from "
          "[X](url)\" or \"training data/dataset/set/corpus ... url\", or it sits in a "
          "training-data section and its link text, path or the words right after it name "
          "data (data, dataset, corpus) "
          "or its host is a data repository. Value: the URL; `attrs.host`, `attrs.host_kind` "
          "(`data-repository`: Zenodo, Kaggle, Figshare, Dataverse, data DOIs, ...; "
          "`code-host`: GitHub, GitLab, ...; `academic`: .edu, .ac.xx, university hosts; "
          "`other`), `attrs.basis`, `attrs.name` (the link text). Never data: an evaluation "
          "context (as for `data.linked`), paper hosts (arXiv, ACL Anthology, OpenReview, "
          "publisher sites, DOIs outside data repositories), licence pages, badges, social "
          "media, package indexes, images, and links followed by compute or tool words "
          "(\"the [JUWELS](url) supercomputer\"). The data's licence is not read.",
          "A dataset's project page that does not host the data (a landing page, a "
          "discontinued download) counts; \"trained on [a base model](url)\" on a non-Hub "
          "host counts; data named without a link is not recorded here."),
    Probe("data.withheld", "Does the card say the training data is withheld?", ("data.withheld",),
          "\"the training data is proprietary / not released\" statements.", "none known"),
    Probe("eval.model-index", "Which evaluation results and datasets does the card report?",
          ("eval.results", "eval.dataset"),
          "`model-index` results and their datasets in the card metadata; Hub dataset links "
          "the card presents as evaluation data (see `data.linked`).",
          "Bias probe datasets mentioned in a limitations paragraph (\"evaluate the risks\") "
          "count as evaluation datasets."),
)
