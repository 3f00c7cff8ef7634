"""Property tests: normalisation and expression handling never raise and behave."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openscope.licenses import classify, component_status, identify_text, normalize_text
from openscope.licenses.normalize import normalize_key, shingle_hashes

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
_NORM_OK = re.compile(r"^(?:[^\W_]+(?: [^\W_]+)*)?$")

KNOWN = ["MIT", "Apache-2.0", "llama3.1", "cc-by-nc-4.0", "gemma", "CC-BY-4.0",
         "openrail++", "GPL-3.0-only", "unknown", "LicenseRef-nothing-known", "BSD-3-Clause"]


@FAST
@given(st.text(max_size=3000))
def test_normalize_is_idempotent_and_clean(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert _NORM_OK.match(once)
    assert once == once.lower() or not once.isascii()


#: Copyright lines are dropped line by line ("© 2023 X" is a notice, not licence text), so
#: reflowing text that holds a copyright marker may rightly change what is dropped.
_COPYRIGHT_MARK = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)


@FAST
@given(st.text(max_size=2000).filter(lambda t: not _COPYRIGHT_MARK.search(t)))
def test_normalize_ignores_layout_and_case(text: str) -> None:
    reflowed = "\n\n".join(text.upper().split(" "))
    assert normalize_text(reflowed) == normalize_text(text.upper())


def test_copyright_lines_are_dropped_whole() -> None:
    # the falsifying example hypothesis found: the whole line "© 0" is a copyright line
    assert normalize_text("© 0") == ""
    assert normalize_text("©\n\n0") == "0"
    assert normalize_text("Copyright (c) 2023 Acme\nMIT License") == "mit license"


@FAST
@given(st.text(max_size=500))
def test_shingles_are_stable_ints(text: str) -> None:
    n = normalize_text(text)
    a, b = shingle_hashes(n), shingle_hashes(n)
    assert a == b
    assert all(isinstance(h, int) and 0 <= h < 2**32 for h in a)
    assert bool(a) == bool(n)


@FAST
@given(st.text(max_size=300))
def test_normalize_key_never_raises(text: str) -> None:
    assert isinstance(normalize_key(text), str)


@FAST
@given(st.text(max_size=200))
def test_classify_never_raises(text: str) -> None:
    c = classify(text)
    assert c.openness in ("open", "restricted", "unknown")
    assert c.method
    for ct in ("code", "data", "document"):
        status, reason, _ = component_status(c, ct)  # type: ignore[arg-type]
        assert status in ("open", "restricted", "unknown") and reason


def _expr_tree(depth: int) -> st.SearchStrategy[tuple[str, str]]:
    """(expression, expected openness) built from known operands."""
    leaf = st.sampled_from(KNOWN).map(lambda k: (k, classify(k).openness))
    if depth == 0:
        return leaf

    def combine(op: str, parts: list[tuple[str, str]]) -> tuple[str, str]:
        values = [v for _, v in parts]
        if op == "OR":
            val = "open" if "open" in values else ("unknown" if "unknown" in values
                                                   else "restricted")
        else:
            val = "restricted" if "restricted" in values else ("unknown" if "unknown" in values
                                                               else "open")
        return "(" + f" {op} ".join(e for e, _ in parts) + ")", val

    node = st.builds(combine, st.sampled_from(["AND", "OR"]),
                     st.lists(_expr_tree(depth - 1), min_size=2, max_size=3))
    return st.one_of(leaf, node)


@FAST
@given(_expr_tree(3))
def test_expression_openness_rules(case: tuple[str, str]) -> None:
    expr, expected = case
    assert classify(expr).openness == expected


@FAST
@given(_expr_tree(2), st.sampled_from(["(", ")", " AND", "OR ", "WITH", "((", " AND )"]))
def test_broken_expressions_are_unknown_or_parsed(case: tuple[str, str], junk: str) -> None:
    c = classify(case[0] + junk)
    assert c.openness in ("open", "restricted", "unknown")
    if c.method == "unparsable":
        assert c.openness == "unknown" and c.license is None


@FAST
@given(st.text(max_size=5000))
def test_identify_never_raises(text: str) -> None:
    r = identify_text(text)
    assert 0.0 <= r.confidence <= 1.0
    assert r.id is None or r.confidence > 0
    assert all(isinstance(c, str) and 0.0 <= s <= 1.0 for c, s in r.candidates)


@FAST
@given(st.binary(max_size=4000))
def test_identify_bytes_decoded_never_raises(data: bytes) -> None:
    r = identify_text(data.decode("utf-8", errors="replace"))
    assert r.id is None or r.confidence > 0
