"""The GitHub source against the local replay API, and evidence beyond the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openscope.errors import SourceError
from openscope.lineage import (
    base_model_ids,
    collect_lineage,
    find_links,
    lineage_entries,
    verify_links,
)
from openscope.snapshot import Document, Snapshot
from openscope.sources.github import GitHubSource
from openscope.sources.mirror import MirrorSource
from openscope.sources.refs import parse_ref
from openscope.testing.githubserver import GitHubServer

from .conftest import FAST, SHARED

GH_REPOS = sorted(
    f"{o.name}/{r.name}"
    for o in (SHARED / "github" / "repos").iterdir()
    for r in o.iterdir()
    if (r / "MODEL_CARD.md").is_file()
)


def test_github_replay_reads_documents_and_keeps_unknowns_unknown(
    github_server: GitHubServer, tmp_path: Path
) -> None:
    repo = GH_REPOS[0]
    snap = GitHubSource(cache_dir=tmp_path, retry=FAST).collect(parse_ref(f"gh:{repo}"))
    assert snap.source == "github" and snap.url == f"https://github.com/{repo}"
    recorded = {p.name for p in (SHARED / "github" / "repos" / repo).iterdir()}
    assert {d.path for d in snap.documents} == recorded & {"README.md", "MODEL_CARD.md"}
    assert snap.files is None  # no tree recorded: unknown, not empty
    assert "license" not in snap.metadata  # not recorded: unknown, not "no licence"
    assert any("files unknown" in n for n in snap.notes)


def test_github_recorded_tree_and_licence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "gh" / "repos" / "acme" / "model"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("# Model\nTraining code in train.py\n")
    (folder / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n")
    (folder / "tree.json").write_text(
        json.dumps(
            {
                "sha": "t",
                "truncated": False,
                "tree": [
                    {"path": "README.md", "type": "blob", "size": 30},
                    {"path": "LICENSE", "type": "blob", "size": 40},
                    {"path": "train.py", "type": "blob", "size": 100},
                    {"path": "src", "type": "tree"},
                ],
            }
        )
    )
    (folder / "commit.json").write_text(json.dumps({"sha": "a" * 40}))
    lic = {
        "path": "LICENSE",
        "encoding": "base64",
        "content": "QXBhY2hl",
        "license": {"key": "apache-2.0", "spdx_id": "Apache-2.0"},
    }
    (folder / "license.json").write_text(json.dumps(lic))
    with GitHubServer(tmp_path / "gh") as server:
        src = GitHubSource(api=server.url, cache_dir=tmp_path / "c", retry=FAST)
        snap = src.collect(parse_ref("gh:acme/model"))
        assert snap.revision == "a" * 40
        assert snap.file_paths() == ("LICENSE", "README.md", "train.py")
        assert snap.metadata["license"]["spdx_id"] == "Apache-2.0"
        doc = snap.document("LICENSE")
        assert doc is not None and doc.text is not None and doc.text.startswith("Apache License")
        served = len(server.requests)
        assert src.collect(parse_ref(f"gh:acme/model@{'a' * 40}")) == snap  # from the cache
        assert len(server.requests) == served


def test_github_errors_and_retries(github_server: GitHubServer, tmp_path: Path) -> None:
    src = GitHubSource(cache_dir=tmp_path, retry=FAST, use_cache=False)
    with pytest.raises(SourceError) as info:
        src.collect(parse_ref("gh:nobody/nothing"))
    assert info.value.reason == "not-found"
    github_server.fail(2)
    assert src.collect(parse_ref(f"gh:{GH_REPOS[1]}")).document("MODEL_CARD.md") is not None
    github_server.fail(50)
    with pytest.raises(SourceError) as info:
        src.collect(parse_ref(f"gh:{GH_REPOS[1]}"))
    assert info.value.reason == "server-error"


def test_github_token_sent_never_written(
    github_server: GitHubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "ghp_SeCrEt000111222333444"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    src = GitHubSource(cache_dir=tmp_path, retry=FAST)
    snap = src.collect(parse_ref(f"gh:{GH_REPOS[2]}"))
    assert all(auth for _, auth in github_server.requests)
    written = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    assert secret not in snap.to_json() and secret not in repr(src)
    assert not [w for w in written if secret in w]


def _snap(ref: str, card: str, **meta: object) -> Snapshot:
    return Snapshot(
        ref=ref, source="mirror", documents=(Document("README.md", card),), metadata=dict(meta)
    )


def test_find_links_in_a_card() -> None:
    card = (
        "---\nlicense: mit\ndatasets:\n- squad\n- org/data\n---\n"
        "Code: https://github.com/acme/model-code. Paper: https://arxiv.org/abs/2401.00001 and\n"
        "arXiv:2302.13971, doi:10.18653/v1/2020.acl-main.1, https://aclanthology.org/2020.acl-main.1/,\n"
        "https://proceedings.neurips.cc/paper/2020/x.pdf and the data "
        "https://huggingface.co/datasets/allenai/dolma and https://example.com/blog.\n"
    )
    links = {(link.kind, link.ref or link.url) for link in find_links(_snap("hf:a/b", card))}
    assert ("code", "gh:acme/model-code") in links
    assert ("paper", "https://arxiv.org/abs/2401.00001") in links
    assert ("paper", "https://arxiv.org/abs/2302.13971") in links
    assert ("paper", "https://doi.org/10.18653/v1/2020.acl-main.1") in links
    assert ("dataset", "hf-dataset:allenai/dolma") in links
    assert ("dataset", "hf-dataset:squad") in links and ("dataset", "hf-dataset:org/data") in links
    assert not [x for x in links if "example.com" in x[1]]


def test_unfetchable_links_are_linked_not_verified() -> None:
    card = "---\ndatasets: [squad, nobody/missing]\n---\nhttps://github.com/acme/x\n"
    mirror = MirrorSource(SHARED / "hub")
    snap, collected = verify_links(_snap("hf:a/b", card), lambda r: mirror.collect(parse_ref(r)))
    links = {link["ref"]: link for link in snap.metadata["links"]}
    assert links["hf-dataset:squad"]["verified"] is True
    assert links["hf-dataset:nobody/missing"]["verified"] is False
    assert links["gh:acme/x"]["verified"] is False  # a GitHub ref the mirror cannot fetch
    assert [s.kind for s in collected] == ["dataset"]
    assert any("not verified" in n for n in snap.notes)


def _write_model(root: Path, repo: str, base: str | list[str] | None, lic: str) -> None:
    folder = root / "models" / repo
    folder.mkdir(parents=True)
    front = f"license: {lic}\n" + (f"base_model: {json.dumps(base)}\n" if base else "")
    (folder / "README.md").write_text(f"---\n{front}---\n# {repo}\n")
    (folder / "info.json").write_text(json.dumps({"id": repo, "sha": "b" * 40, "siblings": []}))


def test_lineage_is_recursive_bounded_and_cycle_safe(tmp_path: Path) -> None:
    _write_model(tmp_path, "o/child", "o/parent", "apache-2.0")
    _write_model(tmp_path, "o/parent", ["o/grand", "o/missing"], "llama2")
    _write_model(tmp_path, "o/grand", "o/great", "llama2")
    _write_model(tmp_path, "o/great", "o/child", "llama2")  # a cycle back to the child
    mirror = MirrorSource(tmp_path)
    calls: list[str] = []

    def collect(ref: str) -> Snapshot:
        calls.append(ref)
        return mirror.collect(parse_ref(ref))

    child = mirror.collect(parse_ref("hf:o/child"))
    assert base_model_ids(child) == [("o/parent", None)]
    chain = collect_lineage(child, collect, depth=3)
    assert [(a.ref, a.depth) for a in chain] == [
        ("hf:o/parent", 1),
        ("hf:o/grand", 2),
        ("hf:o/missing", 2),
        ("hf:o/great", 3),
    ]
    assert len(calls) == len(set(calls))  # each collected once; the cycle is not followed
    entries = lineage_entries(child, chain)
    assert entries[0]["license"] == "llama2" and entries[0]["license_differs"] is True
    assert entries[0]["license_openness"] == "restricted"
    assert entries[0]["conflict"]["kind"] == "license-laundering"  # apache-2.0 child of llama2
    grand = next(e for e in entries if e["ref"] == "hf:o/grand")
    assert grand["license_differs"] is False and grand["conflict"] is None
    missing = next(e for e in entries if e["ref"] == "hf:o/missing")
    assert missing["status"] == "not collected" and missing["reason"] == "not-found"
    assert [a.ref for a in collect_lineage(child, collect, depth=1)] == ["hf:o/parent"]
