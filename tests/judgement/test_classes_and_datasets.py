"""MOF proven and attainable classes; dataset releases judged as datasets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, SHARED
from helpers import write_release
from openscope.cli.remote_opts import audit_collected, make_options
from openscope.pipeline import audit_snapshot
from openscope.sources import open_ref


def test_the_bundled_example_proves_a_class() -> None:
    mof = audit_snapshot(open_ref(str(EXAMPLE))).data["frameworks"]["mof"]
    assert mof["proven_class"] == mof["class"] == 3
    assert mof["attainable_class"] in (2, 3)


def test_unknowns_are_listed_as_what_to_confirm(tmp_path: Path) -> None:
    # Everything Class III needs is in the release except a technical report; the card
    # cites its own arXiv paper, whose licence was not read.
    card = ("---\nlicense: apache-2.0\nmodel-index:\n- name: m\n  results:\n  - task: {type: x}\n"
            "    dataset: {name: d, type: org/d}\n    metrics: [{type: acc, value: 1}]\n---\n"
            "# m\n\n" + " ".join(["words"] * 60) + "\n\n- **Paper:** "
            "[arXiv](https://arxiv.org/abs/2309.11235)\n")
    folder = write_release(tmp_path / "r", card, {"config.json": '{"architectures": ["X"]}',
                                                  "DATA_CARD.md": "# Data\n"})
    mof = audit_snapshot(open_ref(str(folder))).data["frameworks"]["mof"]
    assert mof["proven_class"] == 0
    assert mof["attainable_class"] == 3
    assert [c["component"] for c in mof["to_confirm"]] == ["Research paper"]


def test_a_dataset_is_judged_as_a_dataset() -> None:
    options = make_options(SHARED / "hub", None, True, True)
    report = audit_collected(open_ref("hf-dataset:squad", options), options, 1).data
    fw = report["frameworks"]
    for key in ("osaid", "eu_ai_act", "mof", "osai_index"):
        assert fw[key]["applicable"] is False, key
        assert "dataset" in fw[key]["verdict"]
    text = json.dumps(fw)
    assert "no weight files" not in text and "EU exemption not available" not in text
    ids = {r["id"]: r for r in fw["dataset"]["requirements"]}
    assert ids["dataset.licence"]["outcome"] == "met"  # CC-BY-4.0 in the card
    assert ids["dataset.datasheet"]["outcome"] in ("met", "unmet")


def test_check_says_a_model_framework_does_not_apply_to_a_dataset() -> None:
    proc = subprocess.run([sys.executable, "-m", "openscope", "check", "hf-dataset:squad",
                           "--mirror", str(SHARED / "hub"), "--require", "osaid"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "not applicable" in proc.stdout + proc.stderr
