"""Record GitHub repositories for the offline GitHub test server and ``--github-mirror``.

Reads a local git directory (a snapshot of the repository) and writes, under
``OUT/repos/<owner>/<name>/``, the answers the GitHub REST API would give to the calls
:mod:`openscope.sources.github` makes:

* ``repo.json``: ``/repos/{o}/{r}`` (full_name, html_url, default_branch, licence detected);
* ``commit.json``: ``/repos/{o}/{r}/commits/{ref}`` (sha and commit date);
* ``tree.json.gz``: ``/repos/{o}/{r}/git/trees/{sha}?recursive=1`` (blobs with sizes, capped
  at ``--max-entries``; ``truncated`` set when capped, as GitHub does);
* ``license.json``: ``/repos/{o}/{r}/license`` (the top-level licence file, base64, with the
  SPDX id found by ``openscope.licenses.identify_text``); absent when no licence file was
  found or none was identified (GitHub then answers 404);
* ``README.md``: the top-level README (capped at ``--max-readme`` bytes), served for
  ``/readme``.

Usage: ``python3 scripts/record_github.py OUT owner/name=GIT_DIR ...``. Nothing is fetched
from the network here: the git directory is the source.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import subprocess
import sys
from pathlib import Path

from openscope.licenses import identify_text

_README = ("readme.md", "readme.markdown", "readme.rst", "readme.txt", "readme")
_LICENSE = ("license", "license.md", "license.txt", "licence", "licence.md", "licence.txt",
            "copying", "copying.md", "copying.txt", "license.rst")


def _git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True,
                          capture_output=True).stdout


def _blob(git_dir: str, sha: str) -> bytes:
    try:
        return _git(git_dir, "cat-file", "blob", sha)
    except subprocess.CalledProcessError:
        return b""


def record(out: Path, full: str, git_dir: str, max_entries: int, max_readme: int) -> dict:
    """Write one repository's recorded answers; return its provenance line."""
    owner, name = full.split("/")
    folder = out / "repos" / owner / name
    folder.mkdir(parents=True, exist_ok=True)
    sha = _git(git_dir, "rev-parse", "HEAD").decode().strip()
    date = _git(git_dir, "log", "-1", "--format=%cI", "HEAD").decode().strip()
    branch = _git(git_dir, "rev-parse", "--abbrev-ref", "HEAD").decode().strip() or "main"
    listing = _git(git_dir, "ls-tree", "-r", "-l", "-z", "HEAD").decode("utf-8", "replace")
    blobs = []
    for item in listing.split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        parts = meta.split()
        if parts[1] != "blob":
            continue
        # A blob absent from the snapshot (its largest files may be missing) has no size.
        size = int(parts[3]) if parts[3].isdigit() else None
        blobs.append({"path": path, "type": "blob", "size": size, "sha": parts[2]})
    blobs.sort(key=lambda e: e["path"])
    truncated = len(blobs) > max_entries
    tree = {"sha": sha, "truncated": truncated,
            "tree": [{k: e[k] for k in ("path", "type", "size") if e[k] is not None}
                     for e in blobs[:max_entries]]}
    with gzip.open(folder / "tree.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(tree, fh, sort_keys=True, separators=(",", ":"))
    (folder / "commit.json").write_text(json.dumps(
        {"sha": sha, "commit": {"committer": {"date": date}}}, indent=1, sort_keys=True) + "\n")
    top = {e["path"].lower(): e for e in blobs if "/" not in e["path"]}
    readme = next((top[n] for n in _README if n in top), None)
    readme_note = None
    if readme is not None:
        raw = _blob(git_dir, readme["sha"])
        readme_note = f"{readme['path']} ({len(raw)} bytes" + (
            f", cut at {max_readme})" if len(raw) > max_readme else ")")
        (folder / "README.md").write_bytes(raw[:max_readme])
    lic_entry = next((top[n] for n in _LICENSE if n in top), None)
    spdx, how = None, "no top-level licence file"
    if lic_entry is not None:
        raw = _blob(git_dir, lic_entry["sha"])
        ident = identify_text(raw.decode("utf-8", "replace"), lic_entry["path"])
        spdx = ident.id
        how = (f"{lic_entry['path']}: identify_text -> {spdx}" if spdx
               else f"{lic_entry['path']}: not identified (no license.json, GitHub answers 404)")
        if spdx:
            (folder / "license.json").write_text(json.dumps({
                "name": lic_entry["path"].rsplit("/", 1)[-1], "path": lic_entry["path"],
                "size": len(raw), "encoding": "base64",
                "content": base64.b64encode(raw).decode(),
                "license": {"spdx_id": spdx, "key": spdx.lower(), "name": spdx,
                            "identified_by": "openscope.licenses.identify_text"},
            }, indent=1, sort_keys=True) + "\n")
    (folder / "repo.json").write_text(json.dumps({
        "full_name": full, "name": name, "owner": {"login": owner},
        "html_url": f"https://github.com/{full}", "default_branch": branch,
        "license": {"spdx_id": spdx, "key": spdx.lower(), "name": spdx} if spdx else None,
    }, indent=1, sort_keys=True) + "\n")
    return {"repo": full, "commit": sha, "commit_date": date, "tree_entries": len(blobs),
            "tree_truncated": truncated, "readme": readme_note, "license": how}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("repos", nargs="+", help="owner/name=GIT_DIR")
    parser.add_argument("--max-entries", type=int, default=5000)
    parser.add_argument("--max-readme", type=int, default=64 * 1024)
    args = parser.parse_args(argv)
    lines = []
    for spec in args.repos:
        full, git_dir = spec.split("=", 1)
        lines.append(record(args.out, full, git_dir, args.max_entries, args.max_readme))
    with (args.out / "provenance.jsonl").open("a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
