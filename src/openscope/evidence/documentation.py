"""Documentation: which standard model-card sections are present and really filled.

Section titles are mapped to the standard model-card topics (Mitchell et al. 2019; the
Hugging Face card template). A section holding only template filler such as
"[More Information Needed]" is present but not filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from openscope.evidence.card import is_filled
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe

# (topic, title pattern), first match wins; titles are matched after cleaning.
SECTION_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, re.I))
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

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]+\)|<img\s", re.I)


@lru_cache(maxsize=4096)
def topic_of(title: str) -> str | None:
    """The standard topic a section title belongs to, or ``None``.

    >>> topic_of("Bias, Risks, and Limitations")
    'bias_risks'
    >>> topic_of("Training Data")
    'training_data'
    """
    for topic, pattern in SECTION_TOPICS:
        if pattern.search(title):
            return topic
    return None


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``doc.section`` facts (filled or not), card-level facts and sample outputs."""
    card = ctx.card
    if card is None:
        return
    filled_words = len(re.findall(r"\w{3,}", card.body))
    yield Fact("doc.model_card", card.path, "detected", path=card.path,
               attrs={"words": filled_words, "sections": len(card.sections)})
    # A topic is filled when any of its sections (including its sub-sections) is filled.
    sections = card.sections
    own = [is_filled(sec.body) for sec in sections]
    for i, sec in enumerate(sections):
        topic = topic_of(sec.title)
        if topic is None:
            continue
        body = sec.body
        filled = own[i]
        for j in range(i + 1, len(sections)):
            if sections[j].level <= sec.level:
                break
            filled = filled or own[j]
            if not body.strip():
                body = sections[j].body
        yield Fact("doc.section", topic, "detected", path=card.path, line=sec.line,
                   snippet=snippet(sec.title + ": " + (body.strip() or "(empty)")),
                   attrs={"title": sec.title, "filled": filled})
    data = ctx.card_data
    if data.get("co2_eq_emissions"):
        path, line, key = ctx.meta_location("co2_eq_emissions")
        yield Fact("doc.section", "environmental_impact", "declared", path=path, line=line,
                   key=key, snippet=snippet(f"co2_eq_emissions: {data['co2_eq_emissions']}"),
                   attrs={"title": "co2_eq_emissions", "filled": True})
    if data.get("widget") or _IMAGE.search(card.body):
        yield Fact("doc.sample_outputs", "examples in card", "inferred", path=card.path,
                   snippet="widget examples or images in the card")

PROBES = (
    Probe("doc.card-sections", "Which model-card topics does the card fill?",
          ("doc.model_card", "doc.section", "doc.sample_outputs"),
          "Headings mapped to the Hugging Face model-card template topics; a heading that "
          "names two topics counts for both; `[More Information Needed]` counts as empty.",
          "A heading with a template title over unrelated text."),
)
