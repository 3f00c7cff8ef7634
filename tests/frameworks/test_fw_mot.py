"""MOT-compatible mode: input -> class cases reflecting the Model Openness Tool's rules (§1.4)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import REPO, SHARED
from openscope.components.catalog import COMPONENTS
from openscope.frameworks import mof, mot

REQUIRED = {c.mof_class: [] for c in COMPONENTS}  # type: dict[int, list[str]]
for _c in COMPONENTS:
    if _c.required:
        REQUIRED[_c.mof_class].append(_c.name)
CLASS3, CLASS2, CLASS1 = REQUIRED[3], REQUIRED[2], REQUIRED[1]


def listed(names: list[str], license: str | None = None) -> dict[str, mot.Declared]:
    """Components listed with their own licence key (``license=None``: no key)."""
    return {n: mot.Declared(license, license is not None) for n in names}


def run(components: dict[str, mot.Declared], **release: str) -> mot.MotResult:
    return mot.classify(mot.MotInput(components, release))


def test_required_counts_are_6_10_14() -> None:
    assert (len(CLASS3), len(CLASS3 + CLASS2), len(CLASS3 + CLASS2 + CLASS1)) == (6, 10, 14)


def test_all_required_under_apache_is_class_1_even_for_weights_and_data() -> None:
    res = run(listed(CLASS3 + CLASS2 + CLASS1), distribution="Apache-2.0")
    assert res.mof_class == 1
    assert res.progress == {3: 100.0, 2: 100.0, 1: 100.0}
    assert "Model parameters (Final)" in res.not_type_appropriate  # advisory only


@pytest.mark.parametrize("spelling", ["Apache 2.0", "apache-2.0", "BSD-3", "MIT License",
                                      "Apache-2.0 OR MIT"])
def test_exact_id_string_matching(spelling: str) -> None:
    comps = listed(CLASS3, "Apache-2.0")
    comps["Model architecture"] = mot.Declared(spelling, True)
    res = run(comps)
    assert res.status["Model architecture"] == "invalid"
    assert res.mof_class == 0


def test_pddl_is_not_open_but_odc_pddl_is() -> None:
    comps = listed(CLASS3 + CLASS2 + CLASS1, "Apache-2.0")
    comps["Datasets"] = mot.Declared("PDDL-1.0", True)
    assert run(comps).status["Datasets"] == "invalid"
    comps["Datasets"] = mot.Declared("ODC-PDDL-1.0", True)
    assert run(comps).mof_class == 1


def test_cc0_counts_as_open_but_is_document_only_type() -> None:
    comps = listed(CLASS3, "Apache-2.0")
    comps["Model parameters (Final)"] = mot.Declared("CC0-1.0", True)
    res = run(comps)
    assert res.mof_class == 3
    assert "Model parameters (Final)" in res.not_type_appropriate


def test_openmdw_and_llama_and_non_commercial() -> None:
    assert run(listed(CLASS3, "OpenMDW-1.0")).mof_class == 3
    for lic in ("llama3.1", "Llama 3.1 Community License", "CC-BY-NC-4.0", "Proprietary"):
        comps = listed(CLASS3, "Apache-2.0")
        comps["Model parameters (Final)"] = mot.Declared(lic, True)
        res = run(comps)
        assert res.status["Model parameters (Final)"] == "invalid", lic
        assert res.mof_class == 0


def test_licence_resolution_component_then_content_type_then_distribution() -> None:
    comps = listed(CLASS3)  # no own licence keys
    res = run(comps, code="MIT", distribution="Llama-3.1")
    assert res.license_level["Model architecture"] == "code"
    assert res.licenses["Model architecture"] == "MIT"
    assert res.license_level["Model parameters (Final)"] == "distribution"
    assert res.status["Model parameters (Final)"] == "invalid"
    # an empty own licence key means unlicensed: no fallback
    comps["Model parameters (Final)"] = mot.Declared("", True)
    res = run(comps, distribution="Apache-2.0")
    assert res.status["Model parameters (Final)"] == "unlicensed"
    comps["Model parameters (Final)"] = mot.Declared("unlicensed", True)
    assert run(comps, distribution="Apache-2.0").status["Model parameters (Final)"] == \
        "unlicensed"


def test_research_paper_substitutes_technical_report() -> None:
    names = [n for n in CLASS3 if n != "Technical report"] + ["Research paper"]
    res = run(listed(names, "Apache-2.0"))
    assert res.mof_class == 3
    assert res.substitution and "Research paper" in res.substitution
    # Class I: 13 required components suffice when the paper stands in
    all_but_report = [n for n in CLASS3 + CLASS2 + CLASS1 if n != "Technical report"]
    res = run(listed(all_but_report, "Apache-2.0"))
    assert res.mof_class == 1 and res.progress[1] == 100.0


def test_invalid_research_paper_fills_slot_as_invalid() -> None:
    names = [n for n in CLASS3 if n != "Technical report"]
    comps = listed(names, "Apache-2.0")
    comps["Research paper"] = mot.Declared("All rights reserved", True)
    res = run(comps)
    assert res.mof_class == 0
    assert res.progress[3] == pytest.approx(500 / 6)


def test_progress_of_harder_classes_is_zero_when_easier_incomplete() -> None:
    names = [n for n in CLASS3 + CLASS2 + CLASS1 if n != "Model card"]
    res = run(listed(names, "Apache-2.0"))
    assert res.mof_class == 0
    assert res.progress[3] == pytest.approx(500 / 6)
    assert res.progress[2] == 0.0 and res.progress[1] == 0.0


def test_class_is_best_class_at_exactly_100() -> None:
    res = run(listed(CLASS3 + CLASS2, "Apache-2.0"))
    assert res.mof_class == 2
    assert res.progress[1] < 100.0


def test_optional_components_never_count() -> None:
    optional = [c.name for c in COMPONENTS if not c.required]
    res = run(listed(CLASS3 + optional, "Apache-2.0"))
    assert res.mof_class == 3
    assert run(listed(optional, "Apache-2.0")).mof_class == 0


def test_strict_mode_differs_where_documented() -> None:
    """Strict: weights need open-data terms; spellings normalised; PDDL/CC0 open data."""
    apache = mot.MotInput(listed(CLASS3, "Apache-2.0"))
    assert mot.classify(apache).mof_class == 3
    assert mof.strict_from_declared(apache).mof_class == 0
    comps = listed(CLASS3, "Apache 2.0")
    comps["Model parameters (Final)"] = mot.Declared("CDLA-Permissive-2.0", True)
    comps["Model card"] = mot.Declared("CC-BY-4.0", True)
    comps["Data card"] = mot.Declared("CC-BY-4.0", True)
    comps["Technical report"] = mot.Declared("CC-BY-4.0", True)
    comps["Evaluation results"] = mot.Declared("CC-BY-4.0", True)
    inp = mot.MotInput(comps)
    assert mot.classify(inp).mof_class == 0  # "Apache 2.0" is not an exact id
    assert mof.strict_from_declared(inp).mof_class == 3
    comps["Model parameters (Final)"] = mot.Declared("PDDL-1.0", True)
    assert mof.strict_from_declared(mot.MotInput(comps)).mof_class == 3


def test_benchmark_agreement_with_the_tool_is_at_least_095(
        capsys: pytest.CaptureFixture[str]) -> None:
    labels = SHARED / "labels" / "mot-2026-05.json"
    spec = importlib.util.spec_from_file_location("mof_agreement",
                                                  REPO / "benchmarks" / "mof_agreement.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    records = json.loads(Path(labels).read_text())["models"]
    agree = sum(mot.classify(bench.to_input(r)).mof_class == r["mot_class"] for r in records)
    assert agree / len(records) >= 0.95
