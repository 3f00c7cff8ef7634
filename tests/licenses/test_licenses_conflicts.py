"""Conflicting declarations and licence laundering."""

from __future__ import annotations

from openscope.licenses import check_laundering, classify, find_conflicts


def test_card_vs_license_file_conflict_names_both_sources() -> None:
    found = find_conflicts([
        ("README.md front matter (license)", classify("apache-2.0")),
        ("LICENSE", classify("MIT")),
    ])
    assert len(found) == 1
    f = found[0]
    assert f.source_a == "README.md front matter (license)" and f.source_b == "LICENSE"
    assert f.license_a == "Apache-2.0" and f.license_b == "MIT"
    assert f.severity == "identity"
    d = f.to_dict()
    assert d["a"]["source"] == "README.md front matter (license)"
    assert d["b"]["license"] == "MIT"
    assert "README.md" in d["message"] and "LICENSE" in d["message"]


def test_card_vs_hub_api_openness_conflict() -> None:
    found = find_conflicts([("card", classify("apache-2.0")),
                            ("hub api tag license:", classify("llama3.1"))])
    assert [f.severity for f in found] == ["openness"]


def test_agreeing_unknown_and_policy_declarations_do_not_conflict() -> None:
    assert find_conflicts([("card", classify("apache-2.0")),
                           ("LICENSE", classify("Apache 2.0"))]) == []
    assert find_conflicts([("card", classify("other")), ("LICENSE", classify("MIT"))]) == []
    assert find_conflicts([("card", classify("")), ("LICENSE", classify("MIT"))]) == []
    assert find_conflicts([("LICENSE", classify("llama3.1")),
                           ("USE_POLICY.md", classify("llama3.1-aup"))]) == []
    assert find_conflicts([]) == []


def test_expression_containing_the_other_is_not_a_conflict() -> None:
    assert find_conflicts([("card", classify("MIT OR Apache-2.0")),
                           ("LICENSE", classify("MIT"))]) == []


def test_laundering_llama_base() -> None:
    f = check_laundering(classify("apache-2.0"), classify("llama3.1"))
    assert f is not None
    assert f.clause is not None and f.clause.topic == "flow-down"
    assert "llama3.1" in f.message
    d = f.to_dict()
    assert d["kind"] == "license-laundering" and d["clause"]["section"].startswith("1.b")


def test_laundering_rail_and_nc_bases() -> None:
    f = check_laundering(classify("mit"), classify("creativeml-openrail-m"))
    assert f is not None and f.clause is not None
    assert "enforceable provision" in f.clause.text
    f = check_laundering(classify("apache-2.0"), classify("cc-by-nc-4.0"))
    assert f is not None and f.clause is not None and f.clause.topic == "non-commercial"
    f = check_laundering(classify("apache-2.0"), classify("gemma"))
    assert f is not None and "3.1" in (f.clause.section if f.clause else "")


def test_no_laundering_when_consistent() -> None:
    assert check_laundering(classify("llama3.1"), classify("llama3.1")) is None
    assert check_laundering(classify("mit"), classify("apache-2.0")) is None
    assert check_laundering(classify("apache-2.0"), classify("unknown")) is None
    assert check_laundering(classify("cc-by-nc-4.0"), classify("llama3")) is None
    assert check_laundering(classify("other"), classify("llama3")) is None
