"""Evidence beyond the repository: linked code, papers and datasets, and the base-model chain.

* :func:`find_links` lists what a card links to: code repositories, papers (arXiv, DOI, ACL
  Anthology, proceedings, OpenReview) and Hub datasets (also from the card's ``datasets:``).
* :func:`verify_links` tries to collect what can be collected (``gh:`` and ``hf-dataset:``
  refs) and records each link as ``verified: true`` or ``false`` ("linked, not verified").
* :func:`follow_code_repos` collects the GitHub repositories the card presents as the
  release's own (``code.repo``, probe ``code.own-repo``), a few at most, and embeds each
  bounded snapshot in its ``links`` entry (``followed: true``), so evidence can read them
  (``evidence/linked_code.py``) and a saved snapshot replays without the network.
* :func:`resolve_papers` asks arXiv (through a ``resolve`` callable, see
  :mod:`openscope.sources.arxiv`) for the record of each arXiv paper the card presents as
  its own (probe ``research.own-paper``), a few at most, and records it in its ``links``
  entry (``kind: paper``, ``resolved: true``, ``record``: title, venue, licence URL, date
  retrieved), so evidence can read it (``research.paper_record``) and a saved snapshot
  replays without the network.
* :func:`collect_lineage` follows base models (card ``base_model``, API ``baseModels``;
  else Hub ids the card body names as its base, probe ``lineage.prose``) recursively,
  bounded in depth and breadth (bases per model, base models in all), each collected once;
  :func:`lineage_entries` is the report's ``lineage`` list, and
  :func:`lineage_coverage_note` the report note when the bounds cut it short.

Nothing here judges licences; the audit of each snapshot does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from openscope import lazyre
from openscope.errors import OpenscopeError, SourceError
from openscope.evidence.context import Context
from openscope.lineage_names import Resolution, Resolve, choose
from openscope.snapshot import Snapshot

#: How far base models are followed by default (the model's parent is depth 1).
DEFAULT_DEPTH = 3

_URL = lazyre.compile(r"https?://[^\s<>()\[\]\"'`|]+", re.IGNORECASE)
_ARXIV_BARE = lazyre.compile(r"\barXiv:\s?(\d{4}\.\d{4,5})(v\d+)?", re.IGNORECASE)
_ARXIV_ID = lazyre.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")
_DOI_BARE = lazyre.compile(r"\bdoi:\s?(10\.\d{4,9}/[^\s\"'<>]+)", re.IGNORECASE)
_GITHUB = lazyre.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)", re.I)
_HF_DATASET = lazyre.compile(
    r"^https?://(?:www\.)?huggingface\.co/datasets/([A-Za-z0-9][\w.-]*(?:/[\w.-]+)?)", re.I
)
_PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "aclanthology.org",
    "aclweb.org",
    "openreview.net",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "proceedings.mlr.press",
    "openaccess.thecvf.com",
    "ojs.aaai.org",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "jmlr.org",
    "semanticscholar.org",
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_NOT_REPOS = frozenset({"orgs", "features", "settings", "marketplace", "sponsors", "topics"})


@dataclass(frozen=True)
class Link:
    """Something a card points to outside the repository.

    Attributes:
        url: the link as written (normalised to a URL).
        kind: ``code``, ``paper`` or ``dataset``.
        ref: an openscope ref that collects it (``gh:o/r``, ``hf-dataset:id``), if any.
        verified: ``True`` once collected, ``False`` when it could not be (or was not) fetched.
    """

    url: str
    kind: str
    ref: str | None = None
    verified: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``links`` metadata entry."""
        return {"url": self.url, "kind": self.kind, "ref": self.ref, "verified": self.verified}


def _classify(url: str) -> Link | None:
    url = url.rstrip(".,;:!?*_")
    host = re.sub(r"^https?://(www\.)?", "", url, flags=re.I).split("/", 1)[0].lower()
    gh = _GITHUB.match(url)
    if gh and gh.group(1).lower() not in _NOT_REPOS:
        name = gh.group(2).removesuffix(".git")
        return Link(f"https://github.com/{gh.group(1)}/{name}", "code", f"gh:{gh.group(1)}/{name}")
    ds = _HF_DATASET.match(url)
    if ds:
        return Link(url, "dataset", f"hf-dataset:{ds.group(1)}")
    if any(host == h or host.endswith("." + h) for h in _CODE_HOSTS):
        return Link(url, "code")
    if any(host == h or host.endswith("." + h) for h in _PAPER_HOSTS):
        return Link(url, "paper")
    return None


def find_links(snapshot: Snapshot) -> list[Link]:
    """Links to code, papers and datasets in the snapshot's card and card metadata.

    Each URL appears once, in first-seen order; card ``datasets:`` ids become
    ``hf-dataset:`` links.
    """
    found: dict[str, Link] = {}
    card = snapshot.card()
    text = card.text if card is not None and card.text else ""
    for match in _URL.finditer(text):
        link = _classify(match.group(0))
        if link is not None:
            found.setdefault(link.ref or link.url, link)
    for match in _ARXIV_BARE.finditer(text):
        url = f"https://arxiv.org/abs/{match.group(1)}"
        found.setdefault(url, Link(url, "paper"))
    for match in _DOI_BARE.finditer(text):
        url = f"https://doi.org/{match.group(1).rstrip('.,;')}"
        found.setdefault(url, Link(url, "paper"))
    for ds in dataset_ids(snapshot):
        ref = f"hf-dataset:{ds}"
        found.setdefault(ref, Link(f"https://huggingface.co/datasets/{ds}", "dataset", ref))
    return list(found.values())


def verify_links(
    snapshot: Snapshot,
    collect: Callable[[str], Snapshot],
    *,
    kinds: Iterable[str] = ("dataset",),
    limit: int = 8,
) -> tuple[Snapshot, list[Snapshot]]:
    """Collect the linked repositories that have a ref; record every link in ``metadata.links``.

    By default only Hub datasets are fetched (through the same source as the release, so a
    mirror stays offline); pass ``kinds=("code", "dataset")`` to fetch GitHub repositories.

    Returns the snapshot with ``links`` set (a new object: snapshots are immutable) and the
    snapshots collected for the links (dataset cards, code repositories). A link that could
    not be collected, or was not tried, stays ``verified: false``: linked, not verified.
    """
    wanted = set(kinds)
    links = find_links(snapshot)
    collected: list[Snapshot] = []
    out: list[Link] = []
    tried = 0
    for link in links:
        if link.ref and link.kind in wanted and tried < limit:
            tried += 1
            try:
                collected.append(collect(link.ref))
                link = replace(link, verified=True)
            except OpenscopeError:
                pass
        out.append(link)
    # Code repositories already followed (a saved snapshot replayed) keep their record.
    followed = {_link_key(e): e for e in snapshot.metadata.get("links") or ()
                if isinstance(e, Mapping) and ("followed" in e or "resolved" in e)}
    entries = [dict(followed.pop(_link_key(link.to_dict()), link.to_dict())) for link in out]
    entries.extend(dict(e) for e in followed.values())
    metadata = {**snapshot.metadata, "links": entries}
    notes = list(snapshot.notes)
    unverified = sum(1 for e in entries if not e.get("verified"))
    if unverified:
        notes.append(f"{unverified} linked resource(s) not verified (not fetched or not reachable)")
    return replace(snapshot, metadata=metadata, notes=tuple(notes)), collected


#: Own code repositories followed per release, and the bounds of what is kept of each.
MAX_FOLLOWED_REPOS = 3
MAX_FOLLOWED_FILES = 5000
MAX_FOLLOWED_DOC_CHARS = 64 * 1024
_FOLLOWED_DOCS = lazyre.compile(r"^(readme|licen[cs]e|copying)([._-][^/]*)?$", re.I)


def _link_key(entry: Mapping[str, Any]) -> str:
    return str(entry.get("ref") or entry.get("url") or "").lower()


def own_code_refs(snapshot: Snapshot, limit: int = MAX_FOLLOWED_REPOS) -> list[tuple[str, str]]:
    """(``gh:owner/name``, url) of the GitHub repositories the card presents as its own.

    Own means a ``code.repo`` fact (probe ``code.own-repo``); tools and libraries
    (``code.tool``) and mere mentions are never followed. At most ``limit``, card order.
    """
    from openscope.evidence.code import repo_facts

    out: dict[str, tuple[str, str]] = {}
    for fact in repo_facts(Context(snapshot)):
        gh = _GITHUB.match(fact.value) if fact.kind == "code.repo" else None
        if gh is None:
            continue
        ref = f"gh:{gh.group(1)}/{gh.group(2).removesuffix('.git')}"
        out.setdefault(ref.lower(), (ref, fact.value))
    return list(out.values())[:limit]


def bound_code_snapshot(snap: Snapshot) -> Snapshot:
    """What is kept of a followed repository: its listing (capped) and its README and
    licence files (each capped), so an embedded snapshot stays small."""
    notes = list(snap.notes)
    files = snap.files
    if files is not None and len(files) > MAX_FOLLOWED_FILES:
        files = files[:MAX_FOLLOWED_FILES]
        notes.append(f"listing cut at {MAX_FOLLOWED_FILES} files when followed: partial")
    docs = []
    for doc in snap.documents:
        if "/" in doc.path or not _FOLLOWED_DOCS.match(doc.path):
            continue
        if doc.text is not None and len(doc.text) > MAX_FOLLOWED_DOC_CHARS:
            doc = replace(doc, text=doc.text[:MAX_FOLLOWED_DOC_CHARS], truncated=True)
        docs.append(doc)
    return replace(snap, files=files, documents=tuple(docs), notes=tuple(notes))


def embed_code_repos(snapshot: Snapshot, repos: Iterable[Snapshot]) -> Snapshot:
    """The snapshot with each followed repository embedded in its ``links`` entry."""
    links = [dict(e) for e in snapshot.metadata.get("links") or () if isinstance(e, Mapping)]
    changed = False
    for repo in repos:
        ref = repo.ref.split("@", 1)[0]
        entry = {"url": repo.url or f"https://github.com/{ref[3:]}", "kind": "code",
                 "ref": ref, "verified": True, "followed": True,
                 "snapshot": bound_code_snapshot(repo).to_dict()}
        at = next((i for i, e in enumerate(links) if _link_key(e) == ref.lower()), None)
        if at is None:
            links.append(entry)
        else:
            links[at] = {**links[at], **entry, "url": links[at].get("url") or entry["url"]}
        changed = True
    if not changed:
        return snapshot
    return replace(snapshot, metadata={**snapshot.metadata, "links": links})


def followed_code_repos(snapshot: Snapshot) -> list[Snapshot]:
    """The repositories embedded in the snapshot's ``links`` (unreadable ones are skipped)."""
    out = []
    for entry in snapshot.metadata.get("links") or ():
        if isinstance(entry, Mapping) and entry.get("followed") and isinstance(
                entry.get("snapshot"), Mapping):
            try:
                out.append(Snapshot.from_dict(entry["snapshot"]))
            except OpenscopeError:
                continue
    return out


def follow_code_repos(
    snapshot: Snapshot,
    collect: Callable[[str], Snapshot],
    *,
    limit: int = MAX_FOLLOWED_REPOS,
) -> tuple[Snapshot, list[Snapshot]]:
    """Follow the card's own GitHub repositories (at most ``limit``) through ``collect``.

    Each one collected is embedded (bounded) in its ``links`` entry with ``followed: true``;
    one that cannot be collected is recorded with ``followed: false`` and its error, and a
    note says so (its code stays unknown). A snapshot whose links already record followed
    repositories (a saved snapshot replayed) is returned as it is, so replays never touch
    the network.
    """
    previous = [e for e in snapshot.metadata.get("links") or ()
                if isinstance(e, Mapping) and "followed" in e]
    if previous:
        return snapshot, followed_code_repos(snapshot)
    collected: list[Snapshot] = []
    failed: dict[str, str] = {}
    names: dict[str, str] = {}
    for ref, _url in own_code_refs(snapshot, limit):
        try:
            collected.append(collect(ref))
        except OpenscopeError as exc:
            failed[ref.lower()] = exc.one_line()
            names[ref.lower()] = ref
    out = embed_code_repos(snapshot, collected)
    if failed:
        links = [dict(e) for e in out.metadata.get("links") or () if isinstance(e, Mapping)]
        for entry in links:
            if _link_key(entry) in failed:
                entry.update(followed=False, verified=False, error=failed[_link_key(entry)])
        known = {_link_key(e) for e in links}
        for ref, _url in own_code_refs(snapshot, limit):
            if ref.lower() in failed and ref.lower() not in known:
                links.append({"url": _url, "kind": "code", "ref": ref, "verified": False,
                              "followed": False, "error": failed[ref.lower()]})
        # The note names the repository only: why it failed (offline, network, 404) is in
        # the links entry, so an online and an offline audit read alike.
        notes = [*out.notes, *(f"own code repository {names[r]} could not be followed "
                                "(its code stays unknown)" for r in failed)]
        out = replace(out, metadata={**out.metadata, "links": links}, notes=tuple(notes))
    return out, collected


#: Own arXiv papers resolved per release.
MAX_RESOLVED_PAPERS = 2


def own_arxiv_ids(snapshot: Snapshot, limit: int = MAX_RESOLVED_PAPERS) -> list[str]:
    """The arXiv ids the card presents as the release's own (``research.arxiv`` facts with
    ``attrs.own``; cited and merely mentioned papers never count), card order, at most
    ``limit``."""
    from openscope.evidence.research import extract

    out: dict[str, None] = {}
    for fact in extract(Context(snapshot)):
        m = _ARXIV_ID.match(fact.value) if fact.kind == "research.arxiv" and fact.own else None
        if m is not None:
            out.setdefault(m.group(1))
    return list(out)[:limit]


def resolve_papers(
    snapshot: Snapshot,
    resolve: Callable[[str], Mapping[str, Any]],
    *,
    limit: int = MAX_RESOLVED_PAPERS,
) -> Snapshot:
    """Record arXiv's answer for each own arXiv paper (at most ``limit``) in ``links``.

    ``resolve`` maps an arXiv id to its record (a JSON-ready mapping, see
    :meth:`openscope.sources.arxiv.PaperRecord.to_dict`) or raises
    :class:`OpenscopeError`. A resolved paper is ``{"kind": "paper", "ref": "arxiv:ID",
    "resolved": true, "record": {...}}``; one that could not be is ``resolved: false`` with
    its error, and one note says so (its licence stays unknown). A snapshot whose links
    already record resolved papers (a saved snapshot replayed) is returned as it is.
    """
    links = [dict(e) for e in snapshot.metadata.get("links") or () if isinstance(e, Mapping)]
    if any("resolved" in e for e in links):
        return snapshot
    ids = own_arxiv_ids(snapshot, limit)
    if not ids:
        return snapshot
    failed: list[str] = []
    for ident in ids:
        entry: dict[str, Any] = {"url": f"https://arxiv.org/abs/{ident}", "kind": "paper",
                                 "ref": f"arxiv:{ident}"}
        try:
            entry.update(verified=True, resolved=True, record=dict(resolve(ident)))
        except OpenscopeError as exc:
            entry.update(verified=False, resolved=False, error=exc.one_line())
            failed.append(ident)
        links.append(entry)
    notes = list(snapshot.notes)
    if failed:
        # One note, naming the papers only: why (offline, not found) is in the links entry.
        notes.append(f"own paper(s) {', '.join('arXiv:' + i for i in failed)} could not be "
                     "resolved on arXiv (licence not read; stays unknown)")
    return replace(snapshot, metadata={**snapshot.metadata, "links": links},
                   notes=tuple(notes))


def resolved_papers(snapshot: Snapshot) -> list[Mapping[str, Any]]:
    """The arXiv records embedded in the snapshot's ``links`` (resolved papers only)."""
    return [e["record"] for e in snapshot.metadata.get("links") or ()
            if isinstance(e, Mapping) and e.get("resolved") is True
            and isinstance(e.get("record"), Mapping)]


def _card_front_matter(snapshot: Snapshot) -> Mapping[str, Any]:
    """The card's metadata, parsed by the same bounded, hostile-input-safe loader as audits."""
    return Context(snapshot).card_data


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def dataset_ids(snapshot: Snapshot) -> list[str]:
    """Hub dataset ids the card names (``datasets:``), in order, each once."""
    ids = _as_list(_card_front_matter(snapshot).get("datasets"))
    return list(dict.fromkeys(i for i in ids if re.match(r"^[\w.-]+(/[\w.-]+)?$", i)))


#: Bases taken from the card's prose when the metadata declares none (a merge names a few).
MAX_PROSE_BASES = 3

_HUB_ID = lazyre.compile(r"^[\w.-]+(/[\w.-]+)?$")


@dataclass(frozen=True)
class BaseRef:
    """One base model of a snapshot and where the link came from.

    Attributes:
        id: the Hub model id.
        relation: how the child derives from it (``finetune``, ``quantized``, ...), if known.
        source: ``declared`` (card ``base_model`` or the API's ``baseModels``), ``prose``
            (a ``lineage.base_named`` statement in the card body, used only when the
            metadata declares no base), ``prose-same-org`` (a name without organisation,
            tried under the release's organisation when no resolver is given),
            ``prose-by-name`` (such a name resolved to a Hub repository, see
            :mod:`openscope.lineage_names`) or ``prose-unresolved`` (the resolver chose
            nothing: ``id`` is the name as written and nothing is fetched).
        resolution: for ``prose-by-name`` and ``prose-unresolved``, what the resolver decided.
    """

    id: str
    relation: str | None
    source: str = "declared"
    resolution: Resolution | None = None


def _declared_bases(snapshot: Snapshot) -> dict[str, str | None]:
    front = _card_front_matter(snapshot)
    relation = _as_list(front.get("base_model_relation"))
    rel = relation[0] if relation else None
    found: dict[str, str | None] = {}
    for base in _as_list(front.get("base_model")):
        found.setdefault(base, rel)
    api = snapshot.metadata.get("baseModels")
    if isinstance(api, Mapping):
        api_rel = api.get("relation") if isinstance(api.get("relation"), str) else None
        for model in api.get("models") or []:
            if isinstance(model, Mapping) and isinstance(model.get("id"), str):
                found.setdefault(model["id"], api_rel)
    else:
        for base in _as_list(api):
            found.setdefault(base, None)
    return {b: r for b, r in found.items() if _HUB_ID.match(b)}


def _prose_bases(snapshot: Snapshot, resolve: Resolve | None = None) -> list[BaseRef]:
    """Hub ids the card body names as its base (probe ``lineage.prose``), a few at most.

    When the card names its base only without an organisation (and no Hub id at all), the
    first such name is resolved through ``resolve`` by the rule of
    :mod:`openscope.lineage_names` (``prose-by-name``, or ``prose-unresolved`` saying why);
    without a resolver it is tried under the release's own organisation
    (``prose-same-org``).
    """
    from openscope.evidence.lineage_prose import statements

    found: dict[str, BaseRef] = {}
    named: list[tuple[str, str | None]] = []
    for item in statements(Context(snapshot)):
        rel = None if item.relation == "unknown" else item.relation
        if item.hub_id is None or not _HUB_ID.match(item.hub_id):
            named.append((item.value.strip(), rel))
            continue
        found.setdefault(item.hub_id.lower(), BaseRef(item.hub_id, rel, "prose"))
        if len(found) >= MAX_PROSE_BASES:
            break
    if found or not named:
        return list(found.values())
    if resolve is not None:
        name, rel = named[0]
        return [_by_name(snapshot, name, rel, resolve)] if 0 < len(name) <= MAX_NAME_CHARS \
            else []
    # A base named like a repository but without its organisation ("a fine-tuned version
    # of Mistral-7B-v0.1"): publishers mostly fine-tune their own base, so try the
    # release's organisation. A wrong guess is not found and stays an error.
    org = _org_of(snapshot.ref)
    for name, rel in named:
        if org and _REPO_NAME.fullmatch(name) and any(ch.isdigit() for ch in name):
            return [BaseRef(f"{org}/{name}", rel, "prose-same-org")]
    return []


#: Longest base name resolved by name (longer is a phrase, not a name).
MAX_NAME_CHARS = 60


def _by_name(snapshot: Snapshot, name: str, rel: str | None, resolve: Resolve) -> BaseRef:
    """The base ``name`` resolved through ``resolve`` (``prose-by-name``), else
    ``prose-unresolved`` with the reason."""
    release = snapshot.ref.split("@", 1)[0].removeprefix("hf:")
    try:
        res = choose(name, resolve(name), release)
    except OpenscopeError as exc:
        res = Resolution(name, None, 0, f"the source could not be searched: {exc.one_line()}")
    if res.chosen is None:
        return BaseRef(name, rel, "prose-unresolved", res)
    return BaseRef(res.chosen, rel, "prose-by-name", res)


_REPO_NAME = lazyre.compile(r"[A-Za-z][A-Za-z0-9._-]{1,95}")


def _org_of(ref: str) -> str | None:
    """The organisation of an ``hf:org/name[@rev]`` ref, else ``None``."""
    if not ref.startswith("hf:") or "/" not in ref:
        return None
    return ref[3:].split("/", 1)[0] or None


def base_models(snapshot: Snapshot, resolve: Resolve | None = None) -> list[BaseRef]:
    """The snapshot's base models: declared metadata first; else Hub ids named in prose.

    Declared bases (card ``base_model``, API ``baseModels``) win: prose is read only when
    the metadata declares none, so a fine-tune whose card only links its base in a sentence
    ("a fine-tuned version of [x/y](https://huggingface.co/x/y)") is followed like one with
    ``base_model``. ``resolve`` resolves a base named without its organisation (see
    :func:`_prose_bases`).
    """
    declared = _declared_bases(snapshot)
    if declared:
        return [BaseRef(b, r, "declared") for b, r in declared.items()]
    return _prose_bases(snapshot, resolve)


def base_model_ids(snapshot: Snapshot) -> list[tuple[str, str | None]]:
    """(base model id, relation) of :func:`base_models`: declared first, else from prose."""
    return [(b.id, b.relation) for b in base_models(snapshot)]


@dataclass(frozen=True)
class Ancestor:
    """One base model in a lineage: collected, or the error that stopped it."""

    ref: str
    depth: int
    relation: str | None
    child: str
    snapshot: Snapshot | None = None
    error: OpenscopeError | None = None
    source: str = "declared"
    resolution: Resolution | None = None


#: Most bases followed per model (a merge naming more has the rest recorded, not followed).
MAX_BASES_PER_MODEL = 10
#: Most base models collected for one lineage in all (each is one or more fetches).
MAX_LINEAGE_FETCHES = 30
#: Most bases not followed that get their own ``lineage`` entry (the note counts them all).
MAX_UNFOLLOWED_ENTRIES = 50


def collect_lineage(
    snapshot: Snapshot,
    collect: Callable[[str], Snapshot],
    *,
    depth: int = DEFAULT_DEPTH,
    seen: set[str] | None = None,
    skipped: list[str] | None = None,
    resolve: Resolve | None = None,
) -> list[Ancestor]:
    """The chain of base models, breadth first, each collected once, at most ``depth`` deep.

    ``collect`` maps an ``hf:`` ref to a snapshot (use a cached source, so a shared base is
    fetched once). A base that cannot be collected is kept with its error, and its own
    bases are unknown.

    Bounded in breadth too: at most :data:`MAX_BASES_PER_MODEL` bases of each model are
    followed, and at most :data:`MAX_LINEAGE_FETCHES` bases are collected in all (100 bases
    each naming 100 more would otherwise be 10^6 fetches at depth 3). A base cut by either
    bound is kept as not collected with reason ``not-checked`` (the first
    :data:`MAX_UNFOLLOWED_ENTRIES` of them; ``skipped``, when given, receives every one),
    so what it would show stays unknown, never closed; :func:`lineage_coverage_note` says so
    in the report.

    ``resolve`` (a source's :data:`openscope.lineage_names.Resolve`) resolves a base the
    card names without its organisation ("a finetuned version of LLAMA-2") to a Hub
    repository by the rule of :mod:`openscope.lineage_names`; the ancestor carries the
    :class:`~openscope.lineage_names.Resolution` (disclosed in its lineage entry). A name
    that resolves to nothing is kept as not collected (``not-checked``, saying why), with
    no fetch; resolving counts against no bound, its fetch counts like any other.
    """
    seen = set(seen or ()) | {snapshot.ref.split("@", 1)[0]}
    chain: list[Ancestor] = []
    cut: list[str] = []
    fetches = 0
    frontier: list[tuple[Snapshot, int]] = [(snapshot, 0)]
    while frontier:
        current, level = frontier.pop(0)
        if level >= depth:
            continue
        followed = 0
        for base in base_models(current, resolve):
            if base.source == "prose-unresolved":
                why = base.resolution.why if base.resolution else None
                error = SourceError(f"base named {base.id!r} not resolved by name: {why}",
                                    None, "not-checked")
                chain.append(Ancestor(f"name:{base.id}", level + 1, base.relation,
                                      current.ref, None, error, base.source, base.resolution))
                continue
            ref = f"hf:{base.id}"
            if ref in seen:
                continue
            seen.add(ref)
            if followed >= MAX_BASES_PER_MODEL or fetches >= MAX_LINEAGE_FETCHES:
                bound = (f"{MAX_BASES_PER_MODEL} bases per model"
                         if followed >= MAX_BASES_PER_MODEL
                         else f"{MAX_LINEAGE_FETCHES} base models per lineage")
                cut.append(ref)
                if len(cut) <= MAX_UNFOLLOWED_ENTRIES:
                    error = SourceError(f"{ref}: not followed: lineage bound ({bound})",
                                        None, "not-checked")
                    chain.append(Ancestor(ref, level + 1, base.relation, current.ref, None,
                                          error, base.source, base.resolution))
                continue
            followed += 1
            fetches += 1
            try:
                snap = collect(ref)
            except OpenscopeError as exc:
                chain.append(Ancestor(ref, level + 1, base.relation, current.ref, None, exc,
                                      base.source, base.resolution))
                continue
            chain.append(Ancestor(ref, level + 1, base.relation, current.ref, snap,
                                  source=base.source, resolution=base.resolution))
            frontier.append((snap, level + 1))
    if skipped is not None:
        skipped.extend(cut)
    return chain


def lineage_coverage_note(skipped: list[str]) -> str | None:
    """The report note for bases :func:`collect_lineage` did not follow (``None``: none)."""
    if not skipped:
        return None
    named = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5
                                      else "")
    return (f"lineage cut short: {len(skipped)} base model(s) not followed (bounds: "
            f"{MAX_BASES_PER_MODEL} bases per model, {MAX_LINEAGE_FETCHES} in all): {named}; "
            "what they would show stays unknown (not-checked)")


def declared_license(snapshot: Snapshot) -> str | None:
    """The licence id the card (or the ``license:`` tag) declares, as written."""
    lic = _as_list(_card_front_matter(snapshot).get("license"))
    if lic:
        return ", ".join(lic)
    for tag in snapshot.metadata.get("tags") or []:
        if isinstance(tag, str) and tag.startswith("license:"):
            return tag.split(":", 1)[1]
    return None


def lineage_entries(snapshot: Snapshot, chain: list[Ancestor]) -> list[dict[str, Any]]:
    """The report's ``lineage`` list: one entry per ancestor, with declared licences.

    ``source`` says where the link came from: ``declared`` metadata or the card's ``prose``
    (``prose-same-org``, ``prose-by-name``, ``prose-unresolved``: a name without its
    organisation; a resolved or unresolved one adds ``resolved_from``, ``candidates``,
    ``rule`` and, unresolved, ``why``).

    ``license_differs`` marks an ancestor whose declared licence differs from the one its
    child declares; ``license_openness`` classifies the ancestor's licence and
    ``conflict`` is a laundering finding when the child declares a more open licence than
    its base's terms allow (inherited terms).
    """
    licences = {snapshot.ref.split("@", 1)[0]: declared_license(snapshot)}
    for anc in chain:
        if anc.snapshot is not None:
            licences[anc.ref] = declared_license(anc.snapshot)
    out: list[dict[str, Any]] = []
    for anc in chain:
        entry: dict[str, Any] = {
            "ref": anc.ref,
            "depth": anc.depth,
            "relation": anc.relation,
            "child": anc.child.split("@", 1)[0],
            "source": anc.source,
        }
        if anc.resolution is not None:
            entry.update(anc.resolution.disclosure())
        if anc.snapshot is None:
            entry["status"] = "not collected"
            entry["error"] = anc.error.one_line() if anc.error else None
            entry["reason"] = getattr(anc.error, "reason", None)
        else:
            entry["status"] = "collected"
            entry["revision"] = anc.snapshot.revision
            entry["url"] = anc.snapshot.url
            entry["license"] = licences.get(anc.ref)
            child_lic = licences.get(entry["child"])
            entry["license_differs"] = (
                entry["license"] is not None
                and child_lic is not None
                and entry["license"] != child_lic
            )
            entry.update(_inherited_terms(child_lic, entry["license"]))
        out.append(entry)
    return out


def _inherited_terms(child: str | None, base: str | None) -> dict[str, Any]:
    """The base's licence openness, and a laundering finding when the child is more open."""
    from openscope.licenses import check_laundering, classify

    if base is None:
        return {}
    try:
        base_c = classify(base.split(", ")[0])
        out: dict[str, Any] = {"license_openness": base_c.openness, "conflict": None}
        if child is not None:
            finding = check_laundering(classify(child.split(", ")[0]), base_c)
            out["conflict"] = finding.to_dict() if finding is not None else None
    except Exception:  # licence data is advisory here: never fail a lineage on it
        return {}
    return out
