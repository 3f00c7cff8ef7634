"""The 17 components of the Model Openness Framework 1.0 (MOT ``mof.settings.yml``)."""

from __future__ import annotations

from dataclasses import dataclass

MOF_VERSION = "1.0 (2024-12-15)"
MOT_COMMIT = "8b5d30e"


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """One MOF component: id and name as MOT spells them, content type, class, required."""

    id: int
    name: str
    content_type: str  # code | data | document
    mof_class: int  # the easiest class that needs it: 3, 2 or 1
    required: bool
    description: str


COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec(9, "Model architecture", "code", 3, True,
                  "Code or configuration defining the model's structure."),
    ComponentSpec(10, "Model parameters (Final)", "data", 3, True,
                  "The trained weights of the final model."),
    ComponentSpec(12, "Evaluation results", "document", 3, True,
                  "Results of evaluating the model on benchmarks."),
    ComponentSpec(13, "Model card", "document", 3, True,
                  "Documentation of the model: uses, limitations, training, evaluation."),
    ComponentSpec(14, "Data card", "document", 3, True,
                  "Documentation of the training data (datasheet)."),
    ComponentSpec(11, "Technical report", "document", 3, True,
                  "A report describing the model and how it was built."),
    ComponentSpec(20, "Sample model outputs", "document", 3, False,
                  "Examples of the model's outputs."),
    ComponentSpec(7, "Training code", "code", 2, True,
                  "Code used to train or fine-tune the model."),
    ComponentSpec(8, "Inference code", "code", 2, True,
                  "Code to run the model."),
    ComponentSpec(18, "Evaluation code", "code", 2, True,
                  "Code used to evaluate the model."),
    ComponentSpec(19, "Evaluation data", "data", 2, True,
                  "Data used to evaluate the model."),
    ComponentSpec(22, "Supporting libraries and tools", "code", 2, False,
                  "Libraries and tools needed to use or build the model."),
    ComponentSpec(15, "Datasets", "data", 1, True,
                  "The training datasets themselves."),
    ComponentSpec(16, "Data preprocessing code", "code", 1, True,
                  "Code that cleans, filters and prepares the training data."),
    ComponentSpec(24, "Model parameters (Intermediate)", "data", 1, True,
                  "Checkpoints saved during training."),
    ComponentSpec(21, "Research paper", "document", 1, True,
                  "A research paper about the model (peer-reviewed or preprint)."),
    ComponentSpec(17, "Model metadata", "data", 1, False,
                  "Structured metadata about the model (configuration, card metadata)."),
)

BY_ID = {c.id: c for c in COMPONENTS}
BY_NAME = {c.name: c for c in COMPONENTS}
