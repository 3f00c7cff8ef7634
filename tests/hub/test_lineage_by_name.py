"""A base named without its organisation ("a finetuned version of LLAMA-2") is resolved to a
Hub repository by the general rule of :mod:`openscope.lineage_names`, and disclosed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from openscope.cli.remote_opts import audit_collected, make_options
from openscope.errors import OpenscopeError
from openscope.formats._common import lineage_details
from openscope.lineage import MAX_LINEAGE_FETCHES, collect_lineage, lineage_entries
from openscope.lineage_names import Candidate, choose, is_copy, name_matches, tokens
from openscope.snapshot import Snapshot
from openscope.sources.base import open_ref
from openscope.sources.mirror import HubMirror, MirrorSource
from openscope.sources.refs import parse_ref

from .conftest import MIRROR


def _audit(repo: str) -> dict[str, object]:
    options = make_options(MIRROR, None, True, True, follow_links=False)
    return audit_collected(open_ref(f"hf:{repo}", options), options, 2).data


def test_orca_2_llama_2_resolves_to_a_gated_original_of_its_size() -> None:
    data = _audit("microsoft/Orca-2-7b")
    entry = data["lineage"][0]  # type: ignore[index]
    assert entry["source"] == "prose-by-name" and entry["resolved_from"] == "LLAMA-2"
    assert entry["status"] == "collected" and entry["candidates"] >= 2
    assert "most downloaded" in entry["rule"]
    assert any("resolved by name from 'LLAMA-2'" in d for d in lineage_details(entry))
    chosen = entry["ref"].removeprefix("hf:")
    assert chosen == "meta-llama/Llama-2-7b-hf"  # this test's expectation, not a product rule
    # From the evidence: an original (declares no base), gated (the card asks for access),
    # of the release's size.
    record = HubMirror(MIRROR).record("model", chosen) or {}
    card = (MIRROR / "models" / chosen / "README.md").read_text()
    assert "extra_gated_prompt" in card and "base_model" not in card.split("---")[1]
    assert "base_model:" not in " ".join(record.get("tags") or [])
    assert "7b" in chosen.lower()
    index = data["frameworks"]["osai_index"]["parameters"]  # type: ignore[index]
    for item in ("weights_basemodel", "datasources_basemodel"):
        reason = index[item]["reason"]
        assert chosen in reason and "resolved by name" in reason and "LLAMA-2" in reason
        assert index[item]["basis"] != "not-checked"
    assert index["weights_basemodel"]["value"] == "partial"  # gated download: partly shared


def test_llama_alone_never_resolves_to_a_llama_2_repository() -> None:
    candidates = HubMirror(MIRROR).name_candidates("LLaMA")
    res = choose("LLaMA", candidates, "someone/foo-7b")
    assert res.chosen is not None and "llama-2" not in res.chosen.lower()
    assert not any(name_matches("LLaMA", c) for c in ("meta-llama/Llama-2-7b-hf",
                                                       "x/Llama2-7b", "x/llama-2"))


def test_instruct_and_chat_variants_are_not_the_base_unless_named() -> None:
    assert not name_matches("Mistral-7B", "mistralai/Mistral-7B-Instruct-v0.1")
    assert name_matches("Mistral-7B", "mistralai/Mistral-7B-v0.1")
    assert not name_matches("Llama-2", "meta-llama/Llama-2-7b-chat-hf")
    assert name_matches("Llama-2 7b chat", "meta-llama/Llama-2-7b-chat-hf")
    assert not name_matches("Mistral-7B-v0.1", "mistralai/Mistral-7B-v0.2")  # a named version
    assert [t.text for t in tokens("llama2")] == [t.text for t in tokens("LLaMA-2")]


def test_a_quantised_copy_is_never_chosen() -> None:
    mirror = HubMirror(MIRROR)
    for name in ("Llama-2-7b-chat", "Mistral-7B", "Llama-2 13b", "LLaMA"):
        for cand in mirror.name_candidates(name):
            assert not is_copy(cand.id), cand.id
    # Even with by far the most downloads, a copy loses to the original.
    copies = [Candidate("TheBloke/Llama-2-7B-GPTQ", 10**9), Candidate("4bit/Llama-2-7b-hf", 10**9),
              Candidate("x/Llama-2-7b-hf-int8", 10**9), Candidate("o/Llama-2-7b-hf", 5)]
    assert choose("Llama-2", copies, "r/my-7b").chosen == "o/Llama-2-7b-hf"


def test_derivatives_and_ties_resolve_nothing() -> None:
    derived = [Candidate("a/Foo-7b", 100, declares_base=True)]
    res = choose("Foo", derived, "r/bar")
    assert res.chosen is None and "declare a base" in str(res.why)
    tie = [Candidate("a/Foo-7b", 100), Candidate("b/Foo-7b", 100)]
    res = choose("Foo", tie, "r/bar-7b")
    assert res.chosen is None and "ambiguous" in str(res.why)
    # The release's own organisation wins; more downloads win otherwise.
    assert choose("Foo", [*tie, Candidate("r/Foo-7b", 1)], "r/bar-7b").chosen == "r/Foo-7b"
    assert choose("Foo", [Candidate("a/Foo", 5), Candidate("b/Foo", 9)], "r/x").chosen == "b/Foo"
    # Downloads not recorded cannot rank; a legacy id without organisation is the original.
    res = choose("Foo", [Candidate("a/Foo"), Candidate("b/Foo")], "r/x")
    assert res.chosen is None and "not recorded" in str(res.why)
    assert choose("Foo", [Candidate("a/Foo", 10**6), Candidate("Foo")], "r/x").chosen == "Foo"
    # Several sizes, and neither the name nor the release says which: nothing.
    sizes = [Candidate("a/Foo-7b", 9), Candidate("a/Foo-13b", 5)]
    res = choose("Foo", sizes, "r/bar")
    assert res.chosen is None and "sizes 13b, 7b" in str(res.why)
    assert choose("Foo", sizes, "r/bar-13b").chosen == "a/Foo-13b"
    assert choose("Foo", sizes, "r/bar-70b").why == "no matching repository of the size 70b"


def _write(root: Path, repo: str, body: str, info: dict[str, object] | None = None) -> None:
    folder = root / "models" / repo
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(f"---\nlicense: mit\n---\n# {repo}\n\n{body}\n")
    (folder / "info.json").write_text(json.dumps({"id": repo, "sha": "c" * 40, **(info or {})}))
    with (root / "index.jsonl").open("a") as fh:
        fh.write(json.dumps({"id": repo}) + "\n")


def _collector(root: Path):  # type: ignore[no-untyped-def]
    source = MirrorSource(root)

    def collect(ref: str) -> Snapshot:
        return source.collect(parse_ref(ref))
    return collect


def test_an_ambiguous_name_stays_not_checked_saying_why(tmp_path: Path) -> None:
    _write(tmp_path, "r/child-7b", "This model is a finetuned version of Zorp-2.")
    _write(tmp_path, "a/Zorp-2-7b", "A base.", {"downloads": 50})
    _write(tmp_path, "b/Zorp-2-7b", "A base.", {"downloads": 50})
    collect = _collector(tmp_path)
    child = collect("hf:r/child-7b")
    chain = collect_lineage(child, collect, resolve=HubMirror(tmp_path).name_candidates)
    [entry] = lineage_entries(child, chain)
    assert entry["source"] == "prose-unresolved" and entry["status"] == "not collected"
    assert entry["reason"] == "not-checked" and "ambiguous" in entry["why"]
    assert entry["candidates"] == 2 and "Zorp-2" in entry["error"]
    # More downloads for one of them resolves it, and it is collected like any base.
    (tmp_path / "models/b/Zorp-2-7b/info.json").write_text(json.dumps(
        {"id": "b/Zorp-2-7b", "sha": "d" * 40, "downloads": 51}))
    chain = collect_lineage(child, collect, resolve=HubMirror(tmp_path).name_candidates)
    [entry] = lineage_entries(child, chain)
    assert (entry["ref"], entry["status"], entry["source"]) == (
        "hf:b/Zorp-2-7b", "collected", "prose-by-name")


def test_bounds_still_hold_with_names_resolved(tmp_path: Path) -> None:
    # Each model names its parent only by name: a chain deeper than the bounds allow.
    for i in range(MAX_LINEAGE_FETCHES + 5):
        _write(tmp_path, f"o{i}/Gen{i}", f"This model is a finetuned version of Gen{i + 1}.",
               {"downloads": 10})
    collect = _collector(tmp_path)
    child = collect("hf:o0/Gen0")
    chain = collect_lineage(child, collect, depth=MAX_LINEAGE_FETCHES + 10,
                            resolve=HubMirror(tmp_path).name_candidates)
    assert sum(a.snapshot is not None for a in chain) <= MAX_LINEAGE_FETCHES
    assert all(a.source == "prose-by-name" for a in chain)
    chain = collect_lineage(child, collect, depth=2, resolve=HubMirror(tmp_path).name_candidates)
    assert [a.ref for a in chain] == ["hf:o1/Gen1", "hf:o2/Gen2"]


def test_resolution_is_cheap_on_the_full_mirror() -> None:
    mirror = HubMirror(MIRROR)
    mirror.name_candidates("warm-up")  # the index is built once per mirror
    start = time.perf_counter()
    for name in ("LLAMA-2", "Llama-2 13b", "Mistral-7B", "LLaMA", "Falcon-7B", "gpt2") * 5:
        mirror.name_candidates(name)
    assert time.perf_counter() - start < 2.0


def test_the_live_hub_resolver_searches_and_agrees_with_the_mirror(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openscope.sources.hub import HubSource
    from openscope.testing.hubserver import HubServer

    with HubServer(MIRROR) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        source = HubSource(endpoint=hub.url, use_cache=False, timeout=10.0)
        live = source.name_candidates("LLAMA-2")
        # The 100 most downloaded ids containing "llama": a subset of the mirror's answer.
        ids = {c.id for c in live}
        assert ids <= {c.id for c in HubMirror(MIRROR).name_candidates("LLAMA-2")}
        assert {"meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-hf"} <= ids
        assert choose("LLAMA-2", live, "microsoft/Orca-2-7b").chosen == \
            "meta-llama/Llama-2-7b-hf"
        # End to end through the CLI's resolver: a live audit discloses the same resolution.
        options = make_options(None, tmp_path / "cache", False, True, follow_links=False)
        data = audit_collected(open_ref("hf:microsoft/Orca-2-7b", options), options, 1).data
        entry = data["lineage"][0]
        assert (entry["ref"], entry["source"], entry["status"]) == (
            "hf:meta-llama/Llama-2-7b-hf", "prose-by-name", "collected")
    with pytest.raises(OpenscopeError):  # offline: no search, the caller says why
        HubSource(endpoint="http://127.0.0.1:9", offline=True,
                  use_cache=False).name_candidates("LLAMA-2")
