"""Partial downloads: upstream listings (``--listing``), Git LFS pointers, folder-only coverage.

The real listings are the corpus releases' ``files.txt`` (``/work/shared/corpus/releases``):
each records the upstream repository at a commit, while the folder holds only the documents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED
from openscope import evidence
from openscope.components import assess
from openscope.errors import InputError
from openscope.evidence import Evidence
from openscope.evidence.code import data_folders, path_role
from openscope.evidence.weights import weight_format
from openscope.pipeline import audit_snapshot
from openscope.snapshot import FileEntry, Snapshot
from openscope.sources.listing import parse_lfs_pointer, parse_listing, read_listing
from openscope.sources.local import LocalFolderSource
from openscope.sources.refs import Ref

RELEASES = sorted((SHARED / "corpus" / "releases").iterdir()) if SHARED.exists() else []
LISTED = [f for f in RELEASES if (f / "files.txt").exists()]


def folder_snapshot(folder: Path, listing: Path | None = None) -> Snapshot:
    """The local source's snapshot of ``folder``, with ``listing`` when given."""
    parsed = read_listing(listing) if listing is not None else None
    return LocalFolderSource(listing=parsed).collect(Ref("local", str(folder)))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    return subprocess.run([sys.executable, "-m", "openscope", *args], capture_output=True,
                          text=True, timeout=120, env=env)


# -- the parser -------------------------------------------------------------------------------

def test_plain_files_txt_with_and_without_sizes() -> None:
    # Lines as in corpus/releases/EleutherAI__pythia/files.txt (PATH<TAB>SIZE) and
    # corpus/releases/01-ai__Yi-34B/files.txt (PATH only).
    got = parse_listing(b".gitignore\t1956\nLICENSE\t11340\nmodel-00001-of-00007.safetensors\n")
    assert got.entries == (FileEntry(".gitignore", 1956), FileEntry("LICENSE", 11340),
                           FileEntry("model-00001-of-00007.safetensors", None))
    assert got.format == "plain" and got.notes == ()


def test_git_ls_tree_long_format() -> None:
    raw = (b"100644 blob 2c4a5cbb4a3fa9e9f0b1bf3d0e8b5d5fb6f7a6a1    1519\t.gitattributes\n"
           b"100644 blob 7d1b3c8ad29d0c2bdbbf5b22e6f7d3f1b4a5c6d7 4943162240\tmodel.safetensors\n"
           b"160000 commit 1111111111111111111111111111111111111111       -\tthird_party/lib\n"
           b'100644 blob 3333333333333333333333333333333333333333      12\t"caf\\303\\251.md"\n'
           b"100644 blob 4444444444444444444444444444444444444444\tscripts/train.py\n")
    got = parse_listing(raw, "tree.txt")
    assert got.format == "git-ls-tree"
    assert dict((e.path, e.size) for e in got.entries) == {
        ".gitattributes": 1519, "model.safetensors": 4943162240, "café.md": 12,
        "scripts/train.py": None}  # the submodule is not a file


def test_hf_dry_run_table() -> None:
    raw = (b"[dry-run] Will download 3 files (out of 3) totalling 4.9G.\n"
           b"File                              Bytes to download\n"
           b"--------------------------------- -----------------\n"
           b".gitattributes                    1.5K\n"
           b"config.json                       684.0\n"
           b"model.safetensors                 4.9G\n")
    got = parse_listing(raw, "hf.txt")
    sizes = {e.path: e.size for e in got.entries}
    assert sizes == {".gitattributes": 1500, "config.json": 684, "model.safetensors": 4_900_000_000}
    assert got.format == "hf"


def test_json_hub_tree_and_siblings() -> None:
    tree = [{"type": "directory", "path": "onnx"},
            {"type": "file", "path": "onnx/model.onnx", "size": 10, "lfs": {"size": 10}},
            {"type": "file", "path": "README.md", "size": 3}]
    assert [e.path for e in parse_listing(json.dumps(tree).encode()).entries] == [
        "README.md", "onnx/model.onnx"]
    info = {"siblings": [{"rfilename": "pytorch_model.bin"}, {"rfilename": "../escape"}]}
    got = parse_listing(json.dumps(info).encode(), "info.json")
    assert got.entries == (FileEntry("pytorch_model.bin", None),)
    assert got.notes == ("info.json item 1: path with '..', skipped",)


def test_bad_lines_are_skipped_with_a_note() -> None:
    raw = (b"README.md\n/etc/passwd\n../../secret\nweights/../../x.bin\nbad\x1b[31mname.bin\n"
           b"C:\\Users\\x.bin\n" + b"a" * 5000 + b"\n./config.json\nfolder/\n")
    got = parse_listing(raw, "files.txt")
    assert [e.path for e in got.entries] == ["README.md", "config.json"]
    assert got.notes[0] == "files.txt line 2: absolute path, skipped"
    assert "files.txt line 3: path with '..', skipped" in got.notes
    assert got.notes[-1] == "files.txt: 1 more bad lines skipped"
    assert len(got.notes) == 6


@pytest.mark.parametrize("raw, words", [
    (b"\x00\x01\x02ELF", "binary"),
    (b"model.bin\n\xff\xfe\n", "not UTF-8"),
    (b"", "no file paths"),
    (b"/abs/only\n../up\n", "no file paths"),
    (b'[{"path": "a", ', "does not parse"),
    (b'{"a": 1}', "not a list"),
])
def test_unusable_listing_is_an_input_error(raw: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_listing(raw, "files.txt")


path_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000) | st.text(path_chars, max_size=2000).map(str.encode))
def test_parser_never_crashes_and_paths_stay_inside(raw: bytes) -> None:
    """Any bytes: an InputError or entries that are relative, clean, unique, sorted paths."""
    try:
        got = parse_listing(raw)
    except InputError:
        return
    paths = [e.path for e in got.entries]
    assert paths == sorted(set(paths))
    for path in paths:
        parts = path.split("/")
        assert path and not path.startswith("/") and ".." not in parts and "" not in parts
        assert not any(ord(c) < 32 or 127 <= ord(c) <= 159 for c in path)
    assert all(e.size is None or e.size >= 0 for e in got.entries)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[A-Za-z0-9_.-]{1,12}(/[A-Za-z0-9_-]{1,12}){0,3}",
                                        fullmatch=True),
                          st.none() | st.integers(0, 10**13)), max_size=40))
def test_plain_listing_round_trips(rows: list[tuple[str, int | None]]) -> None:
    """What ``files.txt`` writes (PATH or PATH<TAB>SIZE) is what the parser reads back."""
    rows = [(p, s) for p, s in rows if p.strip(".") and "/." not in "/" + p]
    text = "".join(p + ("" if s is None else f"\t{s}") + "\n" for p, s in rows)
    if not rows:
        return
    expected: dict[str, int | None] = {}
    for p, s in rows:
        if expected.get(p) is None:
            expected[p] = s
    got = parse_listing(text.encode())
    assert {e.path: e.size for e in got.entries} == expected


def test_huge_listing_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "files.txt"
    with open(big, "wb") as fh:
        fh.truncate(33 * 1024 * 1024)
    with pytest.raises(InputError, match="larger than"):
        read_listing(big)


# -- LFS pointers ---------------------------------------------------------------------------

POINTER = ("version https://git-lfs.github.com/spec/v1\n"
           "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
           "size {size}\n")


def test_lfs_pointer_parsed_and_lookalikes_not() -> None:
    assert parse_lfs_pointer(POINTER.format(size=12345).encode())[1] == 12345
    assert parse_lfs_pointer(b"version https://git-lfs.github.com/spec/v1\nsize 3\n") is None
    assert parse_lfs_pointer(b"# version https://git-lfs.github.com/spec/v1\n") is None
    assert parse_lfs_pointer(POINTER.format(size=1).encode() + b"x" * 2000) is None


def test_folder_with_lfs_pointers_from_a_real_listing(tmp_path: Path) -> None:
    """A GIT_LFS_SKIP_SMUDGE clone: the corpus docs, and a pointer for every LFS-sized file."""
    source = next(f for f in LISTED if any(
        weight_format(e.path) for e in read_listing(f / "files.txt").entries))
    listing = read_listing(source / "files.txt")
    folder = tmp_path / "clone"
    folder.mkdir()
    for doc in source.iterdir():
        if doc.name not in ("files.txt", "source.txt", "hub_api.json"):
            (folder / doc.name).write_bytes(doc.read_bytes())
    pointed = {}
    for i, entry in enumerate(listing.entries):
        if weight_format(entry.path) and not (folder / entry.path).exists():
            size = entry.size if entry.size is not None else 10**9 + i
            target = folder / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(POINTER.format(size=size))
            pointed[entry.path] = size
    snap = folder_snapshot(folder)
    sizes = {f.path: f.size for f in snap.files or ()}
    assert all(sizes[p] == s for p, s in pointed.items())  # the recorded size, not ~130 bytes
    assert snap.metadata["lfs_pointers"] == len(pointed)
    assert not any(d.path in pointed for d in snap.documents)  # never read as documents
    assert "safetensors" not in snap.metadata  # never read as a weights header
    facts = evidence.extract(snap)
    assert facts.has("coverage.lfs_pointers") and not facts.has("coverage.folder_only")
    weights = audit_snapshot(snap).component("Model parameters (Final)")
    assert weights["available"] is True
    assert weights["evidence"][0]["path"] in pointed
    # The saved snapshot replays to the same report.
    again = Snapshot.from_json(snap.to_json())
    assert audit_snapshot(again).data == audit_snapshot(snap).data


# -- coverage --------------------------------------------------------------------------------

def test_folder_alone_is_noted_without_turning_absence_unknown(tmp_path: Path) -> None:
    from helpers import write_release

    folder = write_release(tmp_path / "r", "# A model\n\nWeights: not included.\n", weights=False)
    snap = folder_snapshot(folder)
    facts = evidence.extract(snap)
    fact = facts.first("coverage.folder_only")
    assert fact is not None and "folder alone" in fact.value
    assert not facts.has("coverage.no_listing")
    # A note only: every component is decided as it would be without it.
    without = Evidence([f for f in facts if f.kind != "coverage.folder_only"])
    assert [c.to_dict() for c in assess(facts)] == [c.to_dict() for c in assess(without)]


def test_folder_only_is_not_emitted_for_remote_or_unlisted_snapshots() -> None:
    facts = evidence.extract(Snapshot(ref="hf:x/y", source="mirror", files=(FileEntry("a"),)))
    assert not facts.has("coverage.folder_only")
    facts = evidence.extract(Snapshot(ref="local:x", source="local", files=None))
    assert not facts.has("coverage.folder_only") and facts.has("coverage.no_listing")


# -- every real listing ----------------------------------------------------------------------

@pytest.mark.parametrize("folder", LISTED, ids=lambda p: p.name)
def test_corpus_release_audited_with_its_listing(folder: Path) -> None:
    """Weights and code components are decided from the listing's files, by format and path."""
    listing = read_listing(folder / "files.txt")
    snap = folder_snapshot(folder, folder / "files.txt")
    assert set(snap.file_paths()) >= {e.path for e in listing.entries}
    assert snap.metadata["listing"]["entries"] == len(listing.entries)
    facts = evidence.extract(snap)
    assert facts.has("coverage.upstream_listing") and not facts.has("coverage.folder_only")
    report = audit_snapshot(snap)
    paths = tuple(e.path for e in listing.entries)
    listed_only = set(paths) - {p.name for p in folder.iterdir()}
    full = [p for p in paths if (fmt := weight_format(p)) and not fmt[1]]
    weights = report.component("Model parameters (Final)")
    if full and not facts.has("weights.adapter"):
        assert weights["available"] is True, folder.name
    for fact in facts.of("weights.file"):
        assert fact.path in paths  # every weight fact points at a listed file
    folders = data_folders(paths)
    training = [p for p in paths if path_role(p, folders) == "training"]
    if training:
        comp = report.component("Training code")
        assert comp["available"] is True, folder.name
    if full and listed_only & set(full):
        # Without the listing the folder alone has none of these weights.
        alone = audit_snapshot(folder_snapshot(folder)).component("Model parameters (Final)")
        assert not any(e.get("path") in listed_only for e in alone["evidence"])


def test_listing_effects_seen_over_the_corpus() -> None:
    """Enough real releases exercise both rules for the parametrised test to mean something."""
    weights = training = 0
    for folder in LISTED:
        paths = [e.path for e in read_listing(folder / "files.txt").entries]
        weights += any(weight_format(p) for p in paths)
        training += any(path_role(p, data_folders(tuple(paths))) == "training" for p in paths)
    assert len(LISTED) >= 40 and weights >= 10 and training >= 3


# -- the command line ------------------------------------------------------------------------

def test_cli_listing_and_snapshot_replay(tmp_path: Path) -> None:
    folder = next(f for f in LISTED if any(
        weight_format(e.path) for e in read_listing(f / "files.txt").entries))
    listing = str(folder / "files.txt")
    direct = run_cli("audit", str(folder), "--listing", listing, "-f", "json")
    assert direct.returncode == 0, direct.stderr
    saved = tmp_path / "snap.json"
    snap = run_cli("snapshot", str(folder), "--listing", listing, "-o", str(saved))
    assert snap.returncode == 0, snap.stderr
    replay = run_cli("audit", str(saved), "-f", "json")
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout) == json.loads(direct.stdout)
    report = json.loads(direct.stdout)
    comp = next(c for c in report["components"] if c["name"] == "Model parameters (Final)")
    assert comp["available"] is True


@pytest.mark.parametrize("content, code, words", [
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", 3, "binary"),
    (b"/etc/passwd\n", 3, "no file paths"),
    (None, 3, "not readable"),
])
def test_cli_bad_listing_one_line_and_exit_code(tmp_path: Path, content: bytes | None,
                                                 code: int, words: str) -> None:
    from helpers import write_release

    folder = write_release(tmp_path / "r", "# card\n", weights=False)
    listing = tmp_path / "files.txt"
    if content is not None:
        listing.write_bytes(content)
    proc = run_cli("audit", str(folder), "--listing", str(listing))
    assert proc.returncode == code, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in proc.stderr


def test_cli_listing_needs_a_folder(tmp_path: Path) -> None:
    listing = tmp_path / "files.txt"
    listing.write_text("model.safetensors\n")
    proc = run_cli("audit", "hf:org/name", "--listing", str(listing))
    assert proc.returncode == 2 and "folder" in proc.stderr
