"""The report's ``documentation`` section: card completeness, datasheet completeness and
ethical considerations, rolled up from the evidence.

- **Model card**: the sections of the Hugging Face model-card template, the schema Liang et
  al. (2024, "What's documented in AI?", Nat. Mach. Intell. 6:744) measured completion
  against. Each section is ``filled``, ``empty`` (present, but only template filler such as
  "[More Information Needed]") or ``absent``, from the ``doc.section`` facts (headings,
  fields and tables mapped to topics, :mod:`openscope.evidence.documentation`); ``fill`` is
  the share of the section's topics that are filled, and the card's ``fill_ratio`` the mean.
- **Data card**: the seven Datasheets-for-Datasets question groups (Gebru et al. 2021) the
  ``doc.datasheet`` fact found answered, each with its line.
- **Ethics**: the ``doc.ethics`` paragraphs (:mod:`openscope.evidence.ethics`) counted by
  Gao et al.'s (ESEM '24) themes, with the template paragraphs copied unchanged.

Nothing here re-reads the card: it is a pure function of the evidence.
"""

from __future__ import annotations

from typing import Any

from openscope.evidence.facts import Evidence, Fact

#: (section id, template heading, the ``doc.section`` topics that fill it).
MODEL_CARD_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("model_details", "Model Details", ("model_details",)),
    ("uses", "Uses", ("intended_uses",)),
    ("bias_risks_limitations", "Bias, Risks, and Limitations", ("bias_risks", "limitations")),
    ("how_to_get_started", "How to Get Started with the Model", ("how_to_use",)),
    ("training_details", "Training Details", ("training_data", "training_details")),
    ("evaluation", "Evaluation", ("evaluation",)),
    ("model_examination", "Model Examination", ("model_examination",)),
    ("environmental_impact", "Environmental Impact", ("environmental_impact",)),
    ("technical_specifications", "Technical Specifications",
     ("model_architecture", "hardware")),
    ("citation", "Citation", ("citation",)),
    ("glossary", "Glossary", ("glossary",)),
    ("more_information", "More Information", ("more_information",)),
    ("model_card_contact", "Model Card Authors / Contact", ("contact",)),
)

#: The Datasheets-for-Datasets question groups, in the paper's order.
DATASHEET_GROUPS = ("motivation", "composition", "collection", "preprocessing", "uses",
                    "distribution", "maintenance")

#: Paragraphs listed in the report (all are counted).
LISTED_PARAGRAPHS = 12


def _loc(fact: Fact) -> str:
    return fact.location()


def model_card(evidence: Evidence) -> dict[str, Any]:
    """Per template section: status, fill, words and evidence; the card's fill ratio."""
    by_topic: dict[str, list[Fact]] = {}
    for fact in evidence.of("doc.section"):
        by_topic.setdefault(fact.value, []).append(fact)
    sections = []
    total = 0.0
    for sid, title, topics in MODEL_CARD_SECTIONS:
        facts = [f for t in topics for f in by_topic.get(t, [])]
        filled_topics = [t for t in topics
                         if any(f.attrs.get("filled") for f in by_topic.get(t, []))]
        fill = len(filled_topics) / len(topics)
        total += fill
        shown = list(dict.fromkeys(_loc(f) for f in sorted(
            facts, key=lambda f: (not f.attrs.get("filled"), f.line or 0))))[:3]
        sections.append({
            "id": sid, "title": title,
            "status": "filled" if filled_topics else ("empty" if facts else "absent"),
            "fill": round(fill, 3),
            "words": sum(int(f.attrs.get("words") or 0) for f in facts
                         if f.attrs.get("filled")),
            "evidence": shown,
        })
    n = len(MODEL_CARD_SECTIONS)
    return {
        "schema": "Hugging Face model-card template (huggingface_hub modelcard_template.md)",
        "sections": sections,
        "present": sum(1 for s in sections if s["status"] != "absent"),
        "filled": sum(1 for s in sections if s["status"] == "filled"),
        "fill_ratio": round(total / n, 3),
    }


def data_card(evidence: Evidence) -> dict[str, Any]:
    """The datasheet question groups answered, with their lines, and the fill ratio."""
    sheet = evidence.first("doc.datasheet")
    answered = set(sheet.attrs.get("questions") or []) if sheet else set()
    lines = dict(sheet.attrs.get("lines") or {}) if sheet else {}
    groups = []
    for group in DATASHEET_GROUPS:
        where = []
        if sheet is not None and group in answered:
            line = lines.get(group)
            where = [f"{sheet.path}:{line}" if line else _loc(sheet)]
        groups.append({"id": group, "status": "filled" if group in answered else "absent",
                       "evidence": where})
    return {
        "schema": "Datasheets for Datasets (Gebru et al. 2021), seven question groups",
        "datasheet": sheet is not None,
        "groups": groups,
        "filled": len(answered),
        "fill_ratio": round(len(answered) / len(DATASHEET_GROUPS), 3),
    }


def ethics(evidence: Evidence) -> dict[str, Any]:
    """Ethics paragraphs counted by theme, with template copies and the first few listed.

    ``themes`` counts every paragraph, ``themes_own`` only those that are not template
    copies (``boilerplate``).
    """
    from openscope.evidence.ethics import THEMES

    facts = evidence.of("doc.ethics")
    themes = {t: 0 for t in THEMES}
    for f in facts:
        for t in f.attrs.get("themes") or []:
            if t in themes:
                themes[t] += 1
    own = {t: 0 for t in THEMES}
    for f in facts:
        if not f.attrs.get("boilerplate"):
            for t in f.attrs.get("themes") or []:
                if t in own:
                    own[t] += 1
    more = sum(int(f.attrs.get("more") or 0) for f in facts)
    boiler = [f for f in facts if f.attrs.get("boilerplate")]
    return {
        "method": "Gao et al. (ESEM '24) six themes; openscope's own lexicon and rules",
        "paragraphs": len(facts) + more,
        "themes": themes,
        "boilerplate": len(boiler),
        "themes_own": own,
        "listed": [{"where": _loc(f), "themes": list(f.attrs.get("themes") or []),
                    "boilerplate": f.attrs.get("boilerplate"), "text": f.snippet}
                   for f in facts[:LISTED_PARAGRAPHS]],
    }


def section(evidence: Evidence, kind: str = "model") -> dict[str, Any]:
    """The report's ``documentation`` section for a release of ``kind``."""
    card = evidence.first("doc.model_card")
    out: dict[str, Any] = {"card": card.value if card else None}
    if card is None:
        return out
    if kind != "dataset":
        out["model_card"] = model_card(evidence)
    if kind == "dataset" or evidence.has("doc.datasheet"):
        out["data_card"] = data_card(evidence)
    out["ethics"] = ethics(evidence)
    return out
