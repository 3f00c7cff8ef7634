"""Ethics paragraphs and themes (evidence/ethics.py) and the report's documentation section.

Excerpts are real card text from ../shared/hub and ../shared/github (path in the comment).
"""

from __future__ import annotations

import time

import pytest

from conftest import SHARED
from openscope.analysis.documentation import MODEL_CARD_SECTIONS
from openscope.evidence.ethics import analyse, boilerplate_of, is_ethics, themes_of
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Document, Snapshot
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions

# (theme, positive excerpt, negative excerpt: an ethics paragraph without that theme)
THEME_CASES = [
    ("behavioural_risks",
     # EleutherAI/pythia-*: Limitations and biases
     "Never rely on Pythia-70M to produce factually accurate output.",
     "Please see the Responsible Use Guide available at https://ai.meta.com/llama/"
     "responsible-use-guide/"),
    ("use_cases",
     # openai/glide-base: Intended Use
     "These models are not intended to be commercially deployed. Additionally, they are not "
     "intended to be used to create propaganda or offensive imagery.",
     "Even if the training data used for this model could be characterized as fairly "
     "neutral, this model can have biased predictions:"),
    ("risk_mitigation",
     # HuggingFaceH4/zephyr-7b-beta: Bias, Risks, and Limitations
     "Zephyr-7B-β has not been aligned to human preferences with techniques like RLHF or "
     "deployed with in-the-loop filtering of responses like ChatGPT, so the model can "
     "produce problematic outputs (especially when prompted to do so).",
     "This bias will also affect all fine-tuned versions of this model."),
    ("data_quality",
     # google/madlad400-*: Ethical considerations and risks
     "Given that these models were trained with web-crawled datasets that may contain "
     "sensitive, offensive or otherwise low-quality content despite extensive "
     "preprocessing, it is still possible that these issues to the underlying training "
     "data may cause differences in model performance and toxic outputs.",
     "These models are not intended to be commercially deployed."),
    ("references",
     # microsoft/deberta-v3-*-mnli: Limitations and bias
     "Please consult the original DeBERTa paper and literature on different NLI datasets "
     "for potential biases.",
     "MPT-30B can produce factually incorrect output, and should not be relied on to "
     "produce factually accurate information."),
    ("other",
     # speechbrain/*: Limitations
     "The SpeechBrain team does not provide any warranty on the performance achieved by "
     "this model when used on other datasets.",
     "Certain use cases which would fall under the domain of surveillance and facial "
     "recognition are always out-of-scope regardless of performance of the model."),
]


@pytest.mark.parametrize(("theme", "positive", "negative"), THEME_CASES,
                         ids=[c[0] for c in THEME_CASES])
def test_theme_rule_positive_and_negative(theme: str, positive: str, negative: str) -> None:
    heading = "Limitations and bias"
    assert is_ethics(positive, heading)
    assert theme in themes_of(positive, heading)
    assert theme not in themes_of(negative, heading)


def test_plain_model_description_is_not_ethics() -> None:
    # ../shared/hub/models/google/vit-base-patch16-224 style description
    text = ("SegFormer consists of a hierarchical Transformer encoder and a lightweight "
            "all-MLP decode head to achieve great results on semantic segmentation.")
    assert not is_ethics(text, "Model description")
    assert not is_ethics("You can use the raw model for image classification. See the model "
                         "hub to look for fine-tuned versions.", "Intended uses")


def test_template_paragraphs_are_boilerplate() -> None:
    text = ("Users (both direct and downstream) should be made aware of the risks, biases "
            "and limitations of the model. More information needed for further "
            "recommendations.")
    assert boilerplate_of(text) == "hf-template:bias_recommendations"
    assert boilerplate_of("  users (both direct and downstream) should be made AWARE of the "
                          "risks, biases and limitations of the model.") is not None
    assert boilerplate_of("The model may produce biased text.") is None


def _mirror(ref: str) -> Snapshot:
    return open_ref(ref, SourceOptions(mirror=SHARED / "hub"))


def test_report_documentation_section_on_a_template_card() -> None:
    report = audit_snapshot(_mirror("hf:microsoft/speecht5_tts"))
    doc = report.data["documentation"]
    assert doc["card"] == "README.md"
    sections = {s["id"]: s for s in doc["model_card"]["sections"]}
    assert len(sections) == len(MODEL_CARD_SECTIONS)
    # "# Bias, Risks, and Limitations" holds only [More Information Needed]
    assert sections["bias_risks_limitations"]["status"] == "empty"
    assert "README.md:126" in sections["bias_risks_limitations"]["evidence"]
    assert sections["citation"]["status"] == "filled"
    assert sections["model_card_contact"]["status"] == "absent"
    assert 0 < doc["model_card"]["fill_ratio"] < 1
    eth = doc["ethics"]
    assert eth["boilerplate"] >= 2  # the placeholder and the stock recommendation
    assert any(p["boilerplate"] == "hf-template:bias_recommendations" for p in eth["listed"])
    # HTML comments are not shown to readers: never an ethics paragraph
    assert not any(p["text"].startswith("<!--") for p in eth["listed"])


def test_report_sections_render_in_text_and_markdown() -> None:
    from openscope.formats import markdown, text

    report = audit_snapshot(_mirror("hf:microsoft/speecht5_tts"))
    assert "Model card: " in text.render(report)
    md = markdown.render(report)
    assert "## Documentation" in md
    assert "| Bias, Risks, and Limitations | empty | 0.00 |" in md


def test_dataset_release_gets_a_data_card() -> None:
    report = audit_snapshot(_mirror("hf-dataset:squad"))
    doc = report.data["documentation"]
    assert "model_card" not in doc
    assert doc["data_card"]["groups"][0]["id"] == "motivation"


def _snap(text: str | None, data: bytes | None = None) -> Snapshot:
    doc = Document("README.md", text, size=len(text or data or b""))
    return Snapshot(ref="local:hostile", kind="model", source="local", documents=(doc,))


def test_huge_card_stays_fast() -> None:
    par = "The model may produce biased and offensive text; see the paper.\n\n"
    body = "# Bias, Risks, and Limitations\n\n" + par * 200_000  # ~13 MB
    start = time.perf_counter()
    found = analyse(body)
    assert time.perf_counter() - start < 10
    assert 0 < len(found) <= 4_000
    one_line = "bias " * 2_000_000  # one 10 MB paragraph
    start = time.perf_counter()
    analyse(one_line)
    assert time.perf_counter() - start < 5


def test_binary_card_gives_no_ethics_and_no_traceback() -> None:
    blob = bytes(range(256)).decode("latin-1") * 4000
    assert len(analyse(blob)) < 50
    report = audit_snapshot(_snap(None, b"\x00\x01"))
    assert report.data["documentation"] == {"card": None}
