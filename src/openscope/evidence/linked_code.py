"""Linked code: what the release's own code repository holds, once followed.

When an audit follows a repository the card presents as its own (``code.repo``, probe
``code.own-repo``; see :func:`openscope.lineage.follow_code_repos`), the bounded snapshot of
that repository is embedded in the release snapshot's ``links`` (``followed: true``). This
module reads it like a release's own files, by the same path conventions
(:func:`openscope.evidence.code.path_role`), and emits the existing code kinds
(``code.training``, ``code.preprocessing``, ...) marked ``attrs.followed: true`` with
``attrs.repo`` (``owner/name@sha``) and a ``url`` to the file on GitHub; plus the
repository's licence (``license.repo``, which governs the code only) and its README's usage
and training documentation (``code.repo_docs``). Nothing is read from the network here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from urllib.parse import quote

from openscope import lazyre
from openscope.errors import OpenscopeError
from openscope.evidence.code import CONFIG_SUFFIXES, data_folders, path_role
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe
from openscope.evidence.weights import _INTERMEDIATE, weight_format
from openscope.snapshot import Snapshot

#: Files reported per role and repository (the count of all of them is kept in attrs).
MAX_PER_ROLE = 5
#: Lines of a README scanned for headings (a README is capped when followed anyway).
_MAX_LINES = 5000
_ROLES = ("training", "preprocessing", "evaluation", "inference", "architecture", "supporting")
# A folder of configuration files: in a model's code repository these configure runs.
_CONFIG_DIR = lazyre.compile(r"(^|/)(configs?|recipes?|hparams|experiments?)/", re.I)
_HEADING = lazyre.compile(r"^ {0,3}(#{1,6})[ \t]+(.{1,200})$")
#: README heading topics, first match wins (bounded alternations: linear).
_DOC_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The process, not the product: "Pretrained Models" and "Fine-tuned Chat Models" name
    # checkpoints, not training documentation.
    ("training", re.compile(r"\b(train|training|fine-?tuning|finetuning|fine-?tune|finetune|"
                            r"pre-?training|pretrain|reproduc\w*|sft|rlhf|dpo)\b", re.I)),
    ("usage", re.compile(r"\b(usage|quick\s?start|getting\s+started|inference|how\s+to\s+use|"
                         r"examples?|demo|run(ning)?|evaluation|deploy\w*)\b", re.I)),
    ("installation", re.compile(r"\b(install\w*|setup|set\s+up|requirements|environment|"
                                r"dependencies)\b", re.I)),
)
_WORD = lazyre.compile(r"[A-Za-z\u00C0-\u024F\u4e00-\u9fff]+")


def followed_repos(snapshot: Snapshot) -> list[tuple[Mapping[str, object], Snapshot]]:
    """(links entry, embedded snapshot) of every followed code repository."""
    out = []
    for entry in snapshot.metadata.get("links") or ():
        if not (isinstance(entry, Mapping) and entry.get("followed")
                and isinstance(entry.get("snapshot"), Mapping)):
            continue
        try:
            out.append((entry, Snapshot.from_dict(entry["snapshot"])))
        except OpenscopeError:
            continue
    return out


def repo_name(repo: Snapshot) -> str:
    """``owner/name`` of a followed repository's ``gh:`` ref."""
    return repo.ref.split("@", 1)[0].removeprefix("gh:")


def repo_label(repo: Snapshot) -> str:
    """``owner/name@sha`` (or ``owner/name`` when the commit is unknown)."""
    name = repo_name(repo)
    return f"{name}@{repo.revision}" if repo.revision else name


def file_url(repo: Snapshot, path: str) -> str:
    """The file's page on GitHub, pinned to the followed commit when known."""
    rev = repo.revision or "HEAD"
    return f"https://github.com/{repo_name(repo)}/blob/{rev}/{quote(path)}"


def extract(ctx: Context) -> Iterator[Fact]:
    """Facts about the followed repositories: code by path, licence, README docs."""
    for _entry, repo in followed_repos(ctx.snapshot):
        yield from _code_files(repo)
        yield from _licence(repo)
        yield from _readme(repo)


def _attrs(repo: Snapshot, **more: object) -> dict[str, object]:
    return {"repo": repo_label(repo), "followed": True, **more}


def _code_files(repo: Snapshot) -> Iterator[Fact]:
    paths = repo.file_paths()
    folders = data_folders(paths)
    by_role: dict[str, list[str]] = {}
    for path in paths:
        lower = path.lower()
        fmt = weight_format(path)
        if fmt is not None and _INTERMEDIATE.search(path):
            by_role.setdefault("intermediate", []).append(path)
            continue
        role = path_role(path, folders)
        if lower.endswith(CONFIG_SUFFIXES):
            # Configs are not read when followed: a config named for training, or in a
            # configs/recipes folder of the code repository, configures training runs.
            if role == "training" or (role in (None, "other") and _CONFIG_DIR.search(path)):
                by_role.setdefault("training_config", []).append(path)
            continue
        if role in _ROLES:
            by_role.setdefault(role, []).append(path)
    kinds = {"intermediate": "weights.intermediate"}
    for role, found in by_role.items():
        kind = kinds.get(role, f"code.{role}")
        for path in found[:MAX_PER_ROLE]:
            yield Fact(kind, path, "inferred", url=file_url(repo, path),
                       attrs=_attrs(repo, by="path", count=len(found)))


def _licence(repo: Snapshot) -> Iterator[Fact]:
    from openscope.licenses import identify_text

    meta = repo.metadata.get("license")
    spdx = meta.get("spdx_id") if isinstance(meta, Mapping) else None
    doc = next((d for d in repo.documents if re.match(r"(?i)^(licen[cs]e|copying)", d.path)),
               None)
    url = file_url(repo, doc.path) if doc is not None else f"https://github.com/{repo_name(repo)}"
    if isinstance(spdx, str) and spdx and spdx.upper() != "NOASSERTION":
        yield Fact("license.repo", spdx, "declared", url=url,
                   snippet=snippet(doc.text or "") if doc is not None else "",
                   attrs=_attrs(repo, id=spdx, scope="code", how="github-detected"))
        return
    if doc is not None and doc.text:
        ident = identify_text(doc.text, doc.path)
        if ident.id:
            yield Fact("license.repo", ident.id, "inferred", url=url, snippet=snippet(doc.text),
                       attrs=_attrs(repo, id=ident.id, scope="code", how="licence text"))


def _readme(repo: Snapshot) -> Iterator[Fact]:
    doc = repo.card()
    if doc is None or not doc.text:
        return
    lines = doc.text.split("\n", _MAX_LINES)[:_MAX_LINES]
    topics: dict[str, list[str]] = {}
    in_fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        m = None if in_fence else _HEADING.match(line.rstrip())
        if m is None:
            continue
        title = m.group(2).strip(" #")
        topic = next((t for t, p in _DOC_TOPICS if p.search(title)), None)
        if topic is not None:
            topics.setdefault(topic, []).append(title)
    if not topics:
        return
    words = sum(1 for _ in _WORD.finditer(doc.text))
    headings = [h for hs in topics.values() for h in hs][:6]
    yield Fact("code.repo_docs", str(PurePosixPath(doc.path)), "detected",
               url=file_url(repo, doc.path), snippet=snippet("; ".join(headings)),
               attrs=_attrs(repo, words=words, sections=sorted(topics),
                            training="training" in topics, truncated=doc.truncated))


PROBES = (
    Probe("code.linked-repo", "What does the release's own code repository hold, once "
          "followed?",
          ("license.repo", "code.repo_docs"),
          "Reads the repositories the card presents as its own (`code.repo`), followed "
          "through `gh:` by the audit (at most 3; listing cut at 5,000 files, README and "
          "licence at 64 KB) and embedded in `links`. Its files get the release's path "
          "conventions (`code.path_role`): `code.training`, `code.preprocessing`, "
          "`code.evaluation`, `code.inference`, `code.architecture`, `code.supporting` (kinds "
          "of `code.files`, at most 5 per role with `attrs.count`), configs named for "
          "training or in a `configs/`/`recipes/` folder as `code.training_config`, and "
          "`step*`/`checkpoint-*` weight files as `weights.intermediate`; each with "
          "`attrs.followed`, `attrs.repo` (`owner/name@sha`) and the file's GitHub URL. "
          "`license.repo`: the licence GitHub detected (its SPDX id), else the repository's "
          "licence file identified by text; it governs the code only. `code.repo_docs`: the "
          "README's headings about training (train, fine-tune, reproduce), usage (usage, "
          "quick start, inference, examples) and installation, with the README's word "
          "count (`attrs.words`, `attrs.sections`, `attrs.training`).",
          "Files are judged by name only (configs are not read): a `configs/` folder of "
          "inference settings counts as training configs, a `train_utils.py` helper as "
          "training code; a README heading `Training data` counts as training docs; a "
          "licence GitHub detects for the repository may not cover every file in it."),
)
