"""Documentation: which standard model-card sections are present and really filled.

Section titles are mapped to the standard model-card topics (Mitchell et al. 2019; the
Hugging Face card template). A section holding only template filler such as
"[More Information Needed]" is present but not filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from openscope import lazyre
from openscope.evidence.card import (
    Card,
    Field,
    body_lines,
    is_filled,
    is_placeholder,
    iter_fields,
    may_contain,
    plain_text,
)
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, line_index, snippet
from openscope.evidence.probes import Probe

# (topic, title pattern), first match wins; titles are matched after cleaning.
SECTION_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, lazyre.compile(pattern, re.I))
    for topic, pattern in (
        ("environmental_impact", r"environment|carbon|co2|emission|energy"),
        ("hardware", r"hardware|compute infrastructure|training infrastructure|^compute$"),
        ("bias_risks", r"bias|risk|ethic|fairness|safety|harm|responsib"),
        ("limitations", r"limitation|out[- ]of[- ]scope|misuse|caveat|recommendation"),
        ("intended_uses", r"intended|^uses?$|direct use|downstream use|use cases?|usage policy"),
        ("how_to_use", r"how to (use|get started)|get(ting)? started|quick ?start|usage|"
                       r"inference|^use with|example|run the model|installation"),
        ("training_data", r"training data|pre-?training data|^data(sets?)?$|dataset|data "
                          r"(sources?|collection|card)|corpus"),
        ("evaluation", r"evaluation|eval results|^results|benchmark|performance|metrics?$"),
        ("training_details", r"training|fine-?tun|hyper-?parameters?|procedure|preprocess"),
        ("model_architecture", r"architecture|technical specifications|model (structure|design)"),
        ("model_details", r"model (details|description|summary|overview|information|card)|"
                          r"^overview|^description|^about|^introduction|^summary"),
        ("citation", r"citation|cite|bibtex|reference"),
        ("license", r"licen[cs]"),
        ("contact", r"contact|author|maintainer|feedback"),
        ("sample_outputs", r"sample|generation examples|showcase|gallery|outputs?$|demo"),
        # the remaining Hugging Face template sections (Liang et al. 2024's schema)
        ("model_examination", r"model examination|interpretab|explainab"),
        ("glossary", r"^glossary"),
        ("more_information", r"^more information"),
    )
)

#: The topics a complete model card covers (used for documentation completeness).
CORE_TOPICS = (
    "model_details",
    "intended_uses",
    "limitations",
    "bias_risks",
    "training_data",
    "training_details",
    "evaluation",
    "environmental_impact",
)

_IMAGE = lazyre.compile(r"!\[[^\]]*\]\([^)]+\)|<img\s", re.I)
_NOT_ALNUM = lazyre.compile(r"[^a-z0-9]")
_RULE_CELL = lazyre.compile(r":?-{2,}:?")
_WORD2 = lazyre.compile(r"\w{2,}")
_WORD3 = lazyre.compile(r"\w{3,}")


@lru_cache(maxsize=4096)
def topic_of(title: str) -> str | None:
    """The first standard topic a section title belongs to, or ``None``.

    >>> topic_of("Bias, Risks, and Limitations")
    'bias_risks'
    >>> topic_of("Training Data")
    'training_data'
    """
    for topic, pattern in SECTION_TOPICS:
        if pattern.search(title):
            return topic
    return None


_TITLE_PARTS = lazyre.compile(r"(?<!\s)\s*(?:,|&|\+|/|\band\b)\s*", re.I)
_SHARED_NOUN = lazyre.compile(r"\s(data(?:sets?)?|corpus)$", re.I)


@lru_cache(maxsize=4096)
def topics_of(title: str) -> tuple[str, ...]:
    """Every standard topic a title names: "Intended uses & limitations" names two.

    The title is split at commas, "&", "/" and "and"; a shared final noun is given back to
    the parts that lack it ("Training and evaluation data" is training data and evaluation
    data).

    >>> topics_of("Intended uses & limitations")
    ('intended_uses', 'limitations')
    >>> topics_of("Training and evaluation data")
    ('training_data', 'evaluation')
    """
    found: list[str] = []
    parts = [p for p in _TITLE_PARTS.split(title[:200]) if p]
    if len(parts) > 1:
        noun = _SHARED_NOUN.search(parts[-1])
        for part in parts:
            if noun and len(part.split()) == 1 and part is not parts[-1]:
                part = f"{part} {noun.group(1)}"
            topic = topic_of(part)
            if topic and topic not in found:
                found.append(topic)
    whole = topic_of(title)
    if whole and whole not in found:
        found.append(whole)
    return tuple(found)


# ----------------------------------------------------------------------------- field lines

#: (topic, label pattern) for ``Label: value`` fields; stricter than section titles, since a
#: bold label inside prose ("**Massive Training Data**: trained on 2T tokens") is a feature
#: list, not a template field.
FIELD_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, lazyre.compile(pattern, re.I))
    for topic, pattern in (
        ("training_data", r"^(?:pre-?|post-?)?training (?:data(?:sets?)?|corpus|corpora)$|"
                          r"^(?:fine-?tuning|instruction|sft) (?:data(?:sets?)?|corpus)$|"
                          r"^(?:datasets?|data) used(?: for training)?$|^training sets?$"),
        ("hardware", r"^(?:training )?hardware(?: type| used)?$|^(?:training )?(?:compute|"
                     r"gpus?|accelerators?) (?:infrastructure|used|type)$|^compute "
                     r"infrastructure$|^training (?:infrastructure|gpus?|accelerators?)$|"
                     r"^training factors ?/ ?hardware$|^gpus?$"),
        ("environmental_impact", r"^(?:carbon|co2)(?: eq\.?)? (?:emitted|emissions?|"
                                 r"footprint)$|^hours used$|^energy (?:consumption|used)$"),
        ("model_architecture", r"^(?:model |network )?architecture$|^model structure$|"
                               r"^architecture type$"),
        ("training_details", r"^training (?:details|procedure|regime|recipe|setup|objective|"
                             r"strategy|time|duration|steps|epochs|tokens)$|"
                             r"^(?:training )?hyper-?parameters$|^finetuning (?:procedure|"
                             r"details|method)$|^fine-?tuning (?:procedure|details|method)$"),
        ("intended_uses", r"^(?:primary )?intended (?:uses?|users|purpose)$|^direct use$|"
                          r"^use cases?$"),
        ("limitations", r"^(?:known )?limitations$|^out-of-scope (?:uses?|use cases)$"),
        ("bias_risks", r"^(?:bias|biases|risks|ethical considerations)$"),
        ("evaluation", r"^evaluation (?:results|data(?:sets?)?|metrics?)$"),
    )
)
#: Architecture words that make a "Model type" field an architecture statement.
_ARCH_WORDS = lazyre.compile(
    r"transformer|decoder|encoder|diffusion|attention|auto-?regressive|mixture[- ]of[- ]experts|"
    r"\bmoe\b|convolution|\bcnn\b|\brnn\b|lstm|u-?net|\bvit\b|gpt-like|bert-like|"
    r"state[- ]space|mamba|\blayers?\b",
    re.I,
)


#: A sentence that names the model's architecture in prose: "X is a pretrained generative
#: Sparse Mixture of Experts", "is a causal decoder-only model", "based on [General
#: Language Model (GLM)](url) framework". Links are read as their text.
_ARCH_STATEMENT = lazyre.compile(
    r"\b(?:is|are)[ \t]+(?:an?|the)[ \t]+(?:[\w().,-]+[ \t]+){0,8}?"
    r"(?P<a>(?:sparse[ \t]+)?mixture[- ]of[- ]experts|(?:causal[ \t]+)?decoder-only|"
    r"encoder-decoder|transformer(?:-based)?[ \t]+(?:language[ \t]+)?(?:model|decoder|encoder|"
    r"architecture)|(?:latent[ \t]+)?diffusion[ \t]+model|state[- ]space[ \t]+model|"
    r"(?:recurrent|convolutional)[ \t]+(?:neural[ \t]+)?network)\b"
    r"|\bbased[ \t]+on[ \t]+(?:the[ \t]+)?(?P<b>(?:[\w()-]+[ \t]+){0,5}?)"
    r"(?:architecture|framework)\b",
    re.I,
)
_ARTICLE = lazyre.compile(r"^(?:an?|the)[ \t]+", re.I)
_MD_LINK_TEXT = lazyre.compile(r"\[([^\]\n]{0,200})\]\([^)\s]{0,400}\)")
#: Characters of the card body looked at for the statement (the description comes first).
_STATEMENT_CHARS = 20_000


def _named_architecture(m: re.Match[str]) -> str | None:
    if m.group("a"):
        return m.group("a")
    named = _ARTICLE.sub("", (m.group("b") or "").strip())
    return f"{named} {m.group(0).split()[-1]}" if named else None


def field_topic(field: Field) -> str | None:
    """The model-card topic a ``Label: value`` field fills, or ``None``."""
    topic = _label_topic(field.label)
    if topic == "model type":
        return "model_architecture" if _ARCH_WORDS.search(field.value[:300]) else None
    return topic


@lru_cache(maxsize=4096)
def _label_topic(raw: str) -> str | None:
    """The topic a field label names, or ``"model type"`` (decided by the value); labels
    repeat across fields and probes, so each is matched against the topics once."""
    label = " ".join(plain_text(raw).lower().split())
    if label == "model type":
        return label
    for topic, pattern in FIELD_TOPICS:
        if pattern.search(label):
            return topic
    return None


# ----------------------------------------------------------------------------- architecture

#: Architecture parameters named in tables and fields, with the attr each fills.
_ARCH_PARAMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, lazyre.compile(pattern, re.I))
    for name, pattern in (
        ("layers", r"^(?:#\s*|n_?|num(?:ber)?[ _]?(?:of[ _])?(?:hidden[ _])?|total )?"
                   r"(?:transformer )?(?:layers|blocks)$|^n_layer$|^num_hidden_layers$|^depth$"),
        ("hidden_size", r"^(?:hidden|embedding)[ _-]?(?:size|dim(?:ension)?s?)$|"
                        r"^model[ _-]?dim(?:ension)?s?$|"
                        r"^d_?model$|^n_embd$|^width$|^model dim$"),
        ("heads", r"^(?:#\s*|n_?|num(?:ber)?[ _]?(?:of[ _])?)?(?:attention[ _])?heads$|"
                  r"^n_head$|^attention heads$|^num_attention_heads$"),
        ("kv_heads", r"^(?:#\s*|n_?|num(?:ber)?[ _]?(?:of[ _])?)?(?:key[ /_-]?value|kv)[ _]heads$"),
        ("context_length", r"^(?:max(?:imum)?[ _])?(?:context|sequence|seq)[ _](?:length|len|"
                           r"window|size)$|^n_ctx$|^max_position_embeddings$|^context$"),
        ("vocab_size", r"^vocab(?:ulary)?[ _]?size$|^n_vocab$|^vocabulary$"),
        ("ffn_size", r"^(?:ffn|mlp|feed[- ]forward|intermediate)[ _](?:size|dim(?:ension)?)$|"
                     r"^d_ff$"),
    )
)
_NUMBER = lazyre.compile(r"\d[\d,.]*\s*[kKmM]?\b")


@lru_cache(maxsize=4096)
def _arch_param(label: str) -> str | None:
    label = " ".join(plain_text(label).strip(" :`").lower().split())
    for name, pattern in _ARCH_PARAMS:
        if pattern.search(label):
            return name
    return None


def _arch_value(text: str) -> str | None:
    m = _NUMBER.search(plain_text(text)[:80])
    return m.group(0).strip() if m else None


def _release_name(ref: str) -> str:
    """The release's own name from a snapshot ref, letters and digits only."""
    return _NOT_ALNUM.sub("", ref.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower())


def _pick_row(rows: list[list[str]], name: str) -> list[str]:
    """The data row whose first cell names the release ("1.4B" in pythia-1.4b), else the
    first row: a table of several sizes describes them all."""
    for row in rows:
        key = _NOT_ALNUM.sub("", plain_text(row[0]).lower()) if row else ""
        if len(key) >= 2 and key in name and (len(rows) == 1 or any(ch.isdigit() for ch in key)):
            return row
    return rows[0]


def _architecture_tables(card: Card, name: str = "") -> Iterator[tuple[int, dict[str, str], str]]:
    """(line, params, form) for each table or field run stating two or more parameters.

    Vertical tables (``| Layers | 32 |``) and field lists (``- n_layers: 32``) are read
    row by row; horizontal tables (``| Model | Layers | Heads |``) take the row naming the
    release (``name``), else the first data row.
    """
    lines = card.body.split("\n")
    i = 0
    n = len(lines)
    while i < n:
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        start = i
        rows: list[str] = []
        while i < n and lines[i].lstrip().startswith("|") and len(rows) < 200:
            rows.append(lines[i][:2000])
            i += 1
        while i < n and lines[i].lstrip().startswith("|"):
            i += 1
        cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
        body = [c for c in cells if not all(_RULE_CELL.fullmatch(x) or not x for x in c)]
        params: dict[str, str] = {}
        header = [_arch_param(c) for c in body[0]] if body else []
        if sum(1 for h in header if h) >= 2 and len(body) > 1:
            row = _pick_row(body[1:], name)
            params["rows"] = str(len(body) - 1)
            for param, value in zip(header, row, strict=False):
                v = _arch_value(value) if param else None
                if param and v and param not in params:
                    params[param] = v
        else:
            for cells_ in body:
                param = _arch_param(cells_[0]) if cells_ else None
                if param and len(cells_) > 1 and param not in params:
                    v = _arch_value(cells_[1])
                    if v:
                        params[param] = v
        if len([k for k in params if k != "rows"]) >= 2:
            yield card.body_line + start, params, "table"
    fields: dict[str, str] = {}
    first = 0
    for f in iter_fields(card):
        if f.form != "field":
            continue
        param = _arch_param(f.label)
        v = _arch_value(f.value) if param else None
        if param and v and param not in fields:
            fields[param] = v
            first = first or f.line
    if len(fields) >= 2:
        yield first, fields, "field"


def _arch_summary(params: dict[str, str]) -> str:
    names = {"layers": "layers", "hidden_size": "hidden", "heads": "heads",
             "kv_heads": "kv heads", "context_length": "context", "vocab_size": "vocab",
             "ffn_size": "ffn"}
    return ", ".join(f"{names[k]} {v}" for k, v in params.items() if k in names)


# ----------------------------------------------------------------------------- datasheets

#: The seven question groups of Datasheets for Datasets (Gebru et al. 2021), as titles or
#: bold question lines; the Hugging Face dataset-card headings map onto them.
DATASHEET_QUESTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, lazyre.compile(pattern, re.I))
    for name, pattern in (
        ("motivation", r"^motivation\b|curation rationale|for what purpose was the dataset|"
                       r"why was the dataset created|who created the dataset"),
        ("composition", r"^composition\b|dataset (?:structure|composition)|^data (?:instances|"
                        r"fields|splits)$|what do the instances|how many instances"),
        ("collection", r"collection process|^(?:initial )?data collection|^source data$|"
                       r"how was the data (?:associated|collected|acquired)|data acquisition"),
        ("preprocessing", r"pre-?processing|cleaning|label(?:l)?ing|^annotations?$|"
                          r"annotation process|was any preprocessing"),
        ("uses", r"^uses$|^(?:dataset )?uses\b|has the dataset been used|^intended uses?$|"
                 r"what (?:other )?tasks could the dataset|^supported tasks"),
        ("distribution", r"^distribution\b|will the dataset be distributed|dataset "
                         r"distribution|^data (?:access|availability)$|^licensing information$"),
        ("maintenance", r"^maintenance\b|who will be (?:supporting|hosting|maintaining)|"
                        r"will the dataset be updated|dataset curators|^errata$"),
    )
)
_BOLD_LINE = lazyre.compile(r"^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)([^*_\n]{3,160})(?:\*\*|__)")
_GENERIC_DATASHEET = frozenset({"uses", "preprocessing"})  # also model-card headings

#: EU AI Act Art. 53(1)(d): the public summary of training content (AI Office template).
_CONTENT_SUMMARY = lazyre.compile(
    r"public\s+summary\s+of\s+(?:the\s+)?(?:content|training\s+(?:content|data))"
    r"|summary\s+of\s+(?:the\s+)?content\s+used\s+for\s+(?:the\s+)?training"
    r"|training\s+(?:content|data)\s+summary\s+template"
    r"|template\s+for\s+the\s+(?:public\s+)?summary\s+of\s+training\s+content",
    re.I,
)


def _datasheet(card: Card) -> Fact | None:
    """A ``doc.datasheet`` fact when the card answers 4+ of the 7 datasheet question groups."""
    answered: dict[str, int] = {}
    sections = card.sections
    for i, sec in enumerate(sections):
        filled = sec.filled or any(
            s.filled for s in sections[i + 1:_end_of(sections, i)])
        if not filled:
            continue
        for name, pattern in DATASHEET_QUESTIONS:
            if pattern.search(sec.title) and name not in answered:
                answered[name] = sec.line
    for f in iter_fields(card):
        for name in _label_questions(f.label):
            if name not in answered and not is_placeholder(f.value):
                answered[name] = f.line
    lines, _mask = body_lines(card)
    for j, text in enumerate(lines):
        if "?" not in text[:400]:
            continue  # a question ends in "?"
        m = _BOLD_LINE.match(text[:400])
        if m is None or not m.group(1).rstrip().endswith("?"):
            continue
        for name, pattern in DATASHEET_QUESTIONS:
            if name not in answered and pattern.search(m.group(1)):
                answered[name] = card.body_line + j
    specific = [q for q in answered if q not in _GENERIC_DATASHEET]
    if len(answered) < 4 or len(specific) < 2:
        return None
    questions = [q for q, _ in DATASHEET_QUESTIONS if q in answered]
    line = min(answered.values())
    return Fact("doc.datasheet", str(len(questions)), "detected", path=card.path, line=line,
                snippet=snippet("datasheet questions answered: " + ", ".join(questions)),
                attrs={"questions": questions, "lines": {q: answered[q] for q in questions}})


@lru_cache(maxsize=4096)
def _label_questions(label: str) -> tuple[str, ...]:
    """The datasheet question groups a field label names, in order (once per label)."""
    text = plain_text(label)
    return tuple(name for name, pattern in DATASHEET_QUESTIONS if pattern.search(text))


def _end_of(sections: tuple, i: int) -> int:  # type: ignore[type-arg]
    """Index after the last sub-section of section ``i``."""
    level = sections[i].level
    j = i + 1
    while j < len(sections) and sections[j].level > level:
        j += 1
    return j


# ----------------------------------------------------------------------------- extract


#: ``attrs.words`` given to an architecture table: a table of dimensions is documentation.
TABLE_WORDS = 50


def _words(text: str) -> int:
    """Words of prose in a section body (code blocks and markup count too; cheap)."""
    return len(_WORD2.findall(text[:200_000]))


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``doc.section`` facts (headings, fields, tables), card-level facts, sample
    outputs, architecture statements, datasheets and training-content summaries."""
    card = ctx.card
    if card is None:
        return
    filled_words = len(_WORD3.findall(card.body))
    yield Fact("doc.model_card", card.path, "detected", path=card.path,
               attrs={"words": filled_words, "sections": len(card.sections)})
    # A topic is filled when any of its sections (including its sub-sections) is filled.
    sections = card.sections
    own = [is_filled(sec.body) for sec in sections]
    counts = [_words(sec.body) if filled else 0 for sec, filled in zip(sections, own,
                                                                       strict=True)]
    for i, sec in enumerate(sections):
        topics = topics_of(sec.title)
        if not topics:
            continue
        body = sec.body
        filled = own[i]
        words = counts[i]
        for j in range(i + 1, len(sections)):
            if sections[j].level <= sec.level:
                break
            filled = filled or own[j]
            words += counts[j]
            if not body.strip():
                body = sections[j].body
        for topic in topics:
            yield Fact("doc.section", topic, "detected", path=card.path, line=sec.line,
                       snippet=snippet(sec.title + ": " + (body.strip() or "(empty)")),
                       attrs={"title": sec.title, "filled": filled, "form": "heading",
                              "words": words,
                              "own_words": counts[i]})
    seen: set[tuple[str, int]] = set()
    for f in iter_fields(card):
        ftopic = field_topic(f)
        if ftopic is None or (ftopic, f.line) in seen:
            continue
        seen.add((ftopic, f.line))
        yield Fact("doc.section", ftopic, "detected", path=card.path, line=f.line,
                   snippet=snippet(f.raw if len(f.raw) > 20 else f"{f.label}: {f.value}"),
                   attrs={"title": f.label, "filled": not is_placeholder(f.value),
                          "form": f.form, "words": _words(f.value)})
    for at, params, form in _architecture_tables(card, _release_name(ctx.snapshot.ref)):
        yield Fact("doc.section", "model_architecture", "detected", path=card.path, line=at,
                   snippet=snippet(_arch_summary(params)),
                   attrs={"title": "architecture " + form, "filled": True, "form": form,
                          "words": TABLE_WORDS})
        yield Fact("doc.architecture", _arch_summary(params), "detected", path=card.path,
                   line=at, snippet=snippet(_arch_summary(params)),
                   attrs={"form": form, **params})
    yield from _architecture_statement(card)
    data = ctx.card_data
    if data.get("co2_eq_emissions"):
        mpath, mline, mkey = ctx.meta_location("co2_eq_emissions")
        yield Fact("doc.section", "environmental_impact", "declared", path=mpath, line=mline,
                   key=mkey, snippet=snippet(f"co2_eq_emissions: {data['co2_eq_emissions']}"),
                   attrs={"title": "co2_eq_emissions", "filled": True, "form": "metadata",
                          "words": 0})
    if data.get("widget") or (("![" in card.body or may_contain(card, "<img"))
                              and _IMAGE.search(card.body)):
        yield Fact("doc.sample_outputs", "examples in card", "inferred", path=card.path,
                   snippet="widget examples or images in the card")
    sheet = _datasheet(card)
    if sheet is not None:
        yield sheet
    # every match holds "summary": skip the search over the body when it cannot match
    m = _CONTENT_SUMMARY.search(card.body[:1_000_000]) if may_contain(card, "summary") else None
    if m is not None:
        lines = line_index(card.body)
        yield Fact("doc.training_content_summary", m.group(0), "declared", path=card.path,
                   line=card.body_line + lines.line(m.start()) - 1,
                   snippet=snippet(lines.line_text(m.start())))


def _architecture_statement(card: Card) -> Iterator[Fact]:
    """``doc.architecture_named``: the first prose line that names the architecture."""
    if not may_contain(card, " is a", " is an", "based on", " are a"):
        return
    # One search over the prose (code, tables, headings and quotes blanked, each line cut
    # at 2,000 characters): the pattern cannot cross a line, links never span one, so the
    # first match is the first line's, as line by line, at a fortieth of the cost.
    lines, fenced = body_lines(card)  # split at "\n" once for every probe: line_index's lines
    kept: list[str] = []
    left = _STATEMENT_CHARS
    for line, in_fence in zip(lines, fenced, strict=True):
        if left <= 0:
            break
        skip = in_fence or line.lstrip().startswith(("|", "#", ">", "@"))
        kept.append("" if skip else line[:min(2000, left)])
        left -= len(line) + 1
    prose = _MD_LINK_TEXT.sub(r"\1", "\n".join(kept))
    for m in _ARCH_STATEMENT.finditer(prose):
        named = _named_architecture(m)
        if named:
            at = prose.count("\n", 0, m.start())
            yield Fact("doc.architecture_named", named, "detected", path=card.path,
                       line=card.body_line + at, snippet=snippet(lines[at]))
            return


PROBES = (
    Probe("doc.card-sections", "Which model-card topics does the card fill?",
          ("doc.model_card", "doc.section", "doc.sample_outputs"),
          "Headings mapped to the Hugging Face model-card template topics (`attrs.form` "
          "heading); a heading that names two topics (\"Intended uses & limitations\", "
          "\"Training and evaluation data\") counts for both; `Label: value` fields and "
          "two-cell table rows with a template label (`**Training Data:**`, `**Hardware:**`, "
          "`Hardware Type:`, `**Model Architecture**`, a `Model type:` that names an "
          "architecture; `attrs.form` field/table); architecture tables. "
          "`[More Information Needed]`, `N/A`, `TBD`, `-` count as empty (`attrs.filled`).",
          "A heading with a template title over unrelated text; a `Training data:` field "
          "that names only a fine-tuning set."),
    Probe("doc.architecture", "Does the card state the architecture's dimensions?",
          ("doc.architecture",),
          "A Markdown table (vertical `| Layers | 32 |` or horizontal `| Model | Layers | "
          "Heads |`, first data row) or a run of fields naming two or more of layers, hidden "
          "size / d_model, attention heads, KV heads, context length, vocab size, FFN size; "
          "`attrs` holds the numbers read.",
          "A table of several model sizes is summarised by its first row; a table of "
          "another model (a comparison or the base model) is read as the release's."),
    Probe("doc.architecture-named", "Does the card's prose name the architecture?",
          ("doc.architecture_named",),
          "The first prose line (not code, tables, headings or quotes; first 20,000 "
          "characters) saying the model `is a ...` mixture of experts, decoder-only, "
          "encoder-decoder, transformer model/decoder/encoder, diffusion model, state-space "
          "model or recurrent/convolutional network, or is `based on the ... architecture / "
          "framework`; links read as their text. The value is the architecture named.",
          "A sentence describing another model (\"BERT is a transformers model\" in a "
          "fine-tune's card) is read as the release's architecture, which it usually is."),
    Probe("doc.datasheet", "Does the card answer the Datasheets-for-Datasets questions, or "
          "mention the EU AI Act training-content summary?",
          ("doc.datasheet", "doc.training_content_summary"),
          "Headings, fields and bold question lines matched to the seven datasheet groups "
          "(motivation, composition, collection process, preprocessing/cleaning/labelling, "
          "uses, distribution, maintenance; the Hugging Face dataset-card headings map onto "
          "them); four groups answered, two of them other than uses and preprocessing, make "
          "a datasheet (`value` = groups answered, `attrs.questions`). \"Public summary of "
          "training content\" / \"training data summary template\" phrases give "
          "`doc.training_content_summary`.",
          "A model card whose own sections happen to be titled like datasheet groups; a "
          "summary mentioned as planned, not published."),
)
