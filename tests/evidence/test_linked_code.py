"""Evidence from a followed own code repository (``evidence/linked_code.py``): code by path,
the repository's licence (code only), README documentation, and the Index ratings from them.

Cards are real (``../shared/hub``); repositories are the real recordings in
``tests/data/github`` (see its README), read with the GitHub source's ``mirror``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import SHARED, hub_snapshot
from openscope.components import assess
from openscope.components.licensing import decide, licenses_for
from openscope.evidence import extract
from openscope.frameworks.osai_rules import code_docs, trainingcode
from openscope.lineage import embed_code_repos, own_code_refs
from openscope.snapshot import Document, Snapshot
from openscope.sources.github import GitHubSource
from openscope.sources.refs import parse_ref

RECORDED = Path(__file__).resolve().parents[1] / "data" / "github"
# Cards citing their own repository: the TinyLlama chat card's header link
# (hub/models/TinyLlama/TinyLlama-1.1B-Chat-v0.3/README.md:15), GPT-NeoX-20B's "trained
# using the [GPT-NeoX library](https://github.com/EleutherAI/gpt-neox)"
# (EleutherAI/gpt-neox-20b/README.md:14) and the Llama 2 card's "Reporting issues ...
# github.com/facebookresearch/llama" (meta-llama/Llama-2-7b-hf/README.md:130).
TINY = SHARED / "hub" / "models" / "TinyLlama" / "TinyLlama-1.1B-Chat-v0.3"
NEOX = SHARED / "hub" / "models" / "EleutherAI" / "gpt-neox-20b"
LLAMA2 = SHARED / "hub" / "models" / "meta-llama" / "Llama-2-7b-hf"


def _repo(name: str) -> Snapshot:
    return GitHubSource(mirror=RECORDED).collect(parse_ref(f"gh:{name}"))


def _followed(card: Path) -> tuple[Snapshot, Snapshot]:
    release = hub_snapshot(card)
    (ref, _url), *_ = own_code_refs(release)
    repo = _repo(ref[3:])
    return embed_code_repos(release, [repo]), repo


def test_training_and_preprocessing_files_by_path_with_github_urls() -> None:
    snap, repo = _followed(NEOX)
    ev = extract(snap)
    training = [f for f in ev.of("code.training") if f.attrs.get("followed")]
    prep = [f for f in ev.of("code.preprocessing") if f.attrs.get("followed")]
    assert training and prep
    label = f"{repo.ref[3:]}@{repo.revision}"
    for fact in training + prep:
        assert fact.attrs["repo"] == label and fact.path is None
        assert fact.url == f"https://github.com/{repo.ref[3:]}/blob/{repo.revision}/{fact.value}"
    repo_fact = next(f for f in ev.of("code.repo") if f.attrs.get("followed"))
    assert repo_fact.attrs["repo"] == label and repo_fact.attrs["verified"] is True
    rating = trainingcode(ev)
    assert rating.value == "open" and rating.basis == "evidence"


def test_training_without_preprocessing_is_partial() -> None:
    # The recorded TinyLlama tree: pretrain/tinyllama.py, sft/finetune.py (training);
    # its data scripts are named prepare_slimpajama.py, which no path convention reads.
    snap, _ = _followed(TINY)
    ev = extract(snap)
    assert [f for f in ev.of("code.training") if f.attrs.get("followed")]
    assert not [f for f in ev.of("code.preprocessing") if f.attrs.get("followed")]
    assert trainingcode(ev).value == "partial"


def test_repo_without_training_code_is_closed_on_evidence() -> None:
    snap, _repo_snap = _followed(LLAMA2)
    ev = extract(snap)
    assert not [f for f in ev.of("code.training", "code.preprocessing",
                                 "code.training_config") if f.attrs.get("followed")]
    assert [f for f in ev.of("code.inference") if f.attrs.get("followed")]
    rating = trainingcode(ev)
    assert rating.value == "closed" and rating.basis == "evidence"
    assert "holds no training code" in rating.reason


def test_not_followed_stays_not_checked() -> None:
    ev = extract(hub_snapshot(TINY))
    assert not ev.of("license.repo", "code.repo_docs")
    assert all(not f.attrs.get("followed") for f in ev.of("code.repo"))
    assert trainingcode(ev).basis == "not-checked"
    assert code_docs(ev).basis == "not-checked"


def test_repo_licence_governs_code_only() -> None:
    snap, repo = _followed(TINY)
    ev = extract(snap)
    (lic,) = ev.of("license.repo")
    assert lic.attrs["scope"] == "code" and lic.attrs["id"] == lic.value
    assert lic.url and lic.url.startswith(f"https://github.com/{repo.ref[3:]}/")
    code = decide(licenses_for(ev, "code"))
    assert code is not None and code.level == "code-repo"
    weights = decide(licenses_for(ev, "weights"))
    assert weights is None or weights.level != "code-repo"
    training = next(c for c in assess(ev) if c.id == 7)
    assert training.attributes["location"] == "linked" and training.license is not None
    assert training.status == "open"  # the recorded repository's licence is open for code


def test_repo_without_identified_licence_leaves_code_unknown() -> None:
    release = hub_snapshot(TINY)
    _, repo = _followed(TINY)
    bare = replace(repo, metadata={k: v for k, v in repo.metadata.items() if k != "license"},
                   documents=tuple(d for d in repo.documents if d.path != "LICENSE"))
    ev = extract(embed_code_repos(release, [bare]))
    assert not ev.of("license.repo")  # could not look: no fact, not "no licence"
    training = next(c for c in assess(ev) if c.id == 7)
    assert training.status == "unknown" and "no licence was identified" in training.reason


def test_readme_docs_rate_code_documentation() -> None:
    snap, _ = _followed(TINY)
    ev = extract(snap)
    (docs,) = ev.of("code.repo_docs")
    # Real headings of the recorded README: "## Training Details", "## Pretrain", "## Finetune"
    assert docs.attrs["training"] is True and "training" in docs.attrs["sections"]
    assert int(docs.attrs["words"]) > 0 and docs.url and docs.url.endswith("/README.md")
    assert code_docs(ev).value in ("partial", "open")


def test_readme_naming_models_is_not_training_docs() -> None:
    # facebookresearch/llama's README: "### Pretrained Models", "### Fine-tuned Chat Models"
    # name checkpoints; "## Quick Start" and "## Inference" document usage only.
    snap, _ = _followed(LLAMA2)
    ev = extract(snap)
    (docs,) = ev.of("code.repo_docs")
    assert docs.attrs["training"] is False and "usage" in docs.attrs["sections"]
    # The repository holds inference code only: "no training code, so no documentation".
    rating = code_docs(ev)
    assert rating.value == "closed" and "no training code" in rating.reason


def test_readme_without_usage_or_training_is_no_fact_and_closed() -> None:
    release = hub_snapshot(TINY)
    _, repo = _followed(TINY)
    plain = replace(repo, documents=(Document("README.md", "# A model\n\nSee the paper.\n"),))
    ev = extract(embed_code_repos(release, [plain]))
    assert not ev.of("code.repo_docs")
    rating = code_docs(ev)
    assert rating.value in ("closed", "partial")  # partial only from code files in the card


def test_hostile_embedded_repo_never_crashes() -> None:
    release = hub_snapshot(TINY)
    ref, url = own_code_refs(release)[0]
    bad = {**release.metadata, "links": [
        {"url": url, "kind": "code", "ref": ref, "followed": True, "snapshot": {"bogus": 1}},
        {"url": url, "kind": "code", "ref": ref, "followed": True, "snapshot": None},
    ]}
    ev = extract(replace(release, metadata=bad))
    assert not ev.of("license.repo", "code.repo_docs")
    huge = Document("README.md", ("## " + "x" * 5_000 + "\n") * 10 + "## Training\n")
    _, repo = _followed(TINY)
    ev = extract(embed_code_repos(release, [replace(repo, documents=(huge,))]))
    assert ev.of("code.repo_docs")
