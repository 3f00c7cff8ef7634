"""Spot checks a user would make, asserted from evidence written into test releases."""

from __future__ import annotations

from pathlib import Path

from conftest import SHARED
from helpers import write_release
from openscope.pipeline import audit

NC_WEIGHTS = SHARED / "corpus" / "releases" / "facebook__MusicGen" / "LICENSE_weights"


def test_apache_card_with_safetensors_gives_open_weights(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: apache-2.0\n---\n# A model\n")
    report = audit(str(rel))
    weights = report.component("Model parameters (Final)")
    assert weights["status"] == "open"
    assert weights["license"]["id"] == "Apache-2.0"
    assert any(e["path"] == "model.safetensors" for e in weights["evidence"])
    assert report.dimensions["weights"]["status"] == "open"


def test_llama_licence_gives_restricted_weights_with_licence_named(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "---\nlicense: llama3.1\n---\n# A fine-tune\n")
    report = audit(str(rel))
    weights = report.component("Model parameters (Final)")
    assert weights["status"] == "restricted"
    assert "Llama 3.1" in weights["license"]["name"]
    assert "Llama 3.1" in weights["reason"]
    assert report.dimensions["weights"]["status"] == "restricted"


def test_no_licence_anywhere_is_unknown_not_closed(tmp_path: Path) -> None:
    rel = write_release(tmp_path / "r", "# A model without any licence\n\nSome words here.\n")
    report = audit(str(rel))
    weights = report.component("Model parameters (Final)")
    assert weights["status"] == "unknown"
    assert "no licence" in weights["reason"]
    assert all(c["status"] != "closed" for c in report.components)


def test_more_information_needed_section_counts_as_missing(tmp_path: Path) -> None:
    card = (
        "---\nlicense: mit\n---\n# Model\n\n## Bias, Risks, and Limitations\n\n"
        "[More Information Needed]\n\n## Training Data\n\n[More Information Needed]\n\n"
        "## Evaluation\n\nAccuracy on the held-out split is 91.2% over three seeds.\n"
    )
    report = audit(str(write_release(tmp_path / "r", card)))
    sections = {
        e["value"]: e["attrs"]["filled"]
        for c in report.components for e in c["evidence"] if e["kind"] == "doc.section"
    }
    assert sections.get("evaluation") is True
    data_card = report.component("Data card")
    assert data_card["status"] == "unknown"  # the empty training-data section is not a data card
    rating = report.data["frameworks"]["osai_index"]["parameters"]["modelcard"]
    assert "bias_risks" not in rating["reason"]


def test_gated_weights_are_restricted_not_missing() -> None:
    from openscope.pipeline import audit_snapshot
    from openscope.snapshot import Document, FileEntry, Snapshot

    snap = Snapshot(
        ref="hf:org/gated", files=(FileEntry("model.safetensors", 10), FileEntry("README.md")),
        documents=(Document("README.md", "---\nlicense: apache-2.0\n---\n# m\n"),),
        metadata={"gated": "manual"}, source="hf",
    )
    report = audit_snapshot(snap)
    weights = report.component("Model parameters (Final)")
    assert weights["status"] == "restricted"
    assert "gated" in weights["reason"]
    assert report.data["frameworks"]["osai_index"]["parameters"]["weights_endmodel"]["value"] == \
        "partial"


def test_withheld_training_data_is_closed(tmp_path: Path) -> None:
    card = ("---\nlicense: apache-2.0\n---\n# M\n\n"
            "The training data is proprietary and is not released.\n")
    report = audit(str(write_release(tmp_path / "r", card)))
    assert report.component("Datasets")["status"] == "closed"
    assert report.dimensions["data"]["status"] == "closed"


def test_split_code_and_weights_licences(tmp_path: Path) -> None:
    mit = (Path(__file__).parent / "data" / "MIT.txt").read_text()
    nc_text = NC_WEIGHTS.read_text()
    rel = write_release(
        tmp_path / "r", "# Audio model\n",
        files={"LICENSE": mit, "LICENSE_weights": nc_text,
               "train.py": "loss.backward()\n"},
    )
    report = audit(str(rel))
    assert report.component("Training code")["status"] == "open"
    assert report.component("Model parameters (Final)")["status"] == "restricted"
    assert report.component("Model parameters (Final)")["license"]["level"] == "scoped-file"
    assert report.component("Model parameters (Final)")["license_clause"]["topic"] == \
        "non-commercial"


def test_unidentified_scoped_weights_licence_is_unknown_not_the_code_licence(
    tmp_path: Path,
) -> None:
    mit = (Path(__file__).parent / "data" / "MIT.txt").read_text()
    rel = write_release(tmp_path / "r", "# M\n",
                        files={"LICENSE": mit, "LICENSE_weights": "Our own terms. Ask us.\n"})
    report = audit(str(rel))
    weights = report.component("Model parameters (Final)")
    assert weights["status"] == "unknown"
    assert weights["license"]["raw"] == "LICENSE_weights"


def test_card_and_licence_file_disagreeing_is_a_finding(tmp_path: Path) -> None:
    mit = (Path(__file__).parent / "data" / "MIT.txt").read_text()
    rel = write_release(tmp_path / "r", "---\nlicense: apache-2.0\n---\n# M\n",
                        files={"LICENSE": mit})
    report = audit(str(rel))
    conflicts = [f for f in report.data["findings"] if f["id"] == "license-conflict"]
    assert len(conflicts) == 1
    assert "README.md:2" in conflicts[0]["evidence"] and "LICENSE:1" in conflicts[0]["evidence"]


def test_split_licensing_is_not_a_conflict(tmp_path: Path) -> None:
    mit = (Path(__file__).parent / "data" / "MIT.txt").read_text()
    nc_text = NC_WEIGHTS.read_text()
    rel = write_release(tmp_path / "r", "# M\n",
                        files={"LICENSE": mit, "LICENSE_weights": nc_text})
    report = audit(str(rel))
    assert not [f for f in report.data["findings"] if f["id"] == "license-conflict"]
