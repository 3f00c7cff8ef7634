"""Resolving a base model named without its organisation ("a finetuned version of LLAMA-2")
to one Hub repository: a general, disclosed inference, never a table of model names.

A source answers :data:`Resolve`: given the name as written, the repositories whose name
could be it (:class:`Candidate`: id, downloads, whether it declares a base of its own, gated
if recorded). :func:`choose` applies one rule to them, the same for every source:

1. **Names are normalised** (:func:`tokens`): lowercased; ``-``, ``_``, ``.``, spaces and
   ``/`` separate tokens; a letter run followed by digits splits there ("llama2" = "Llama 2"
   = "LLaMA-2"); sizes (``7b``, ``1.3b``, ``350m``, ``8x7b``, and the size words of
   :data:`SIZE_WORDS`: ``base``, ``large``, ...) and versions (``v0.1``) are one token each.
2. **The repository name starts with the named base** and continues only with plain
   variant tokens: sizes, ``hf``, ``cased``/``uncased`` and, when the name gave no
   version, a version. So "LLaMA" never matches "Llama-2-7b" (``2`` is a generation, not a
   variant) and "Mistral-7B" never matches "Mistral-7B-Instruct-v0.1" (instruct and chat
   variants are not the base unless the name says so). Sizes may sit anywhere in either
   name. Legacy ids without an organisation ("roberta-large") are candidates too.
3. **Copies are not originals**: a repository whose id carries a quantisation or
   conversion marker (:data:`COPY_MARKERS`: gptq, gguf, awq, ggml, exl2, onnx, mlx, int4,
   int8, 4bit, 8bit, fp16, bf16, ...) or that itself declares a base model is excluded, and
   so is the release itself.
4. **Size**: when the named base, else the release's own name, carries a size
   ("Orca-2-7b" -> ``7b``), only candidates of that size stay (none: nothing is resolved).
   When neither does, the candidates must all be of one size (no size counts as one):
   several sizes are ambiguous and nothing is resolved.
5. **Ranking**: a candidate from the release's own organisation wins over others
   (publishers mostly fine-tune their own base); then a legacy id without organisation (the
   Hub's canonical early uploads, "roberta-large"); then the candidates whose added tokens
   the release's name repeats most ("distil-large-v2" -> "whisper-large-v2"); then the most
   downloaded. A tie in downloads between the top two from different organisations, or two
   whose downloads were not recorded, is ambiguous: nothing is resolved.

Whatever is chosen is disclosed: the lineage entry says ``source: prose-by-name``,
``resolved_from`` (the name as written), ``candidates`` (how many passed the name rule)
and ``rule``; when nothing is chosen, ``why`` says why (the base stays not-checked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openscope import lazyre

#: Tokens of a repository id that mark a quantised or converted copy, never an original.
COPY_MARKERS = frozenset({
    "gptq", "gguf", "awq", "ggml", "exl2", "onnx", "mlx", "int4", "int8", "4bit", "8bit",
    "fp16", "bf16", "q4", "q8", "4bits", "8bits", "bnb",
})
#: Words that name a size in encoder and speech families ("bert-base", "whisper-large").
SIZE_WORDS = frozenset({"tiny", "mini", "small", "base", "medium", "large", "xl", "xxl"})
#: Tokens a repository name may add after the named base (besides sizes and versions): the
#: Hub conversion suffix and letter casing.
VARIANT_TOKENS = frozenset({"hf", "cased", "uncased"})
#: The rule, as written into each resolution (the report discloses it).
RULE = ("repository name = the named base (normalised) + only size, hf, cased/uncased or "
        "version tokens; no quantised/converted copy, no repository declaring a base of its "
        "own; the size named (or the release's) required, several sizes with none named is "
        "ambiguous; the release's own organisation, then a legacy id without organisation, "
        "then the release's own name tokens, then the most downloaded; a tie between "
        "organisations (or unrecorded downloads) resolves nothing")

_TOKEN = lazyre.compile(
    r"(?P<size>\d+x\d+(?:\.\d+)?[bm]|\d+(?:\.\d+)?[bm])(?![a-z0-9])"
    r"|(?P<version>(?<![a-z0-9])v\d+(?:\.\d+)*)(?![a-z0-9])"
    r"|(?P<word>[a-z]+|\d+)"
)


@dataclass(frozen=True)
class Token:
    """One normalised token: ``kind`` is ``size``, ``version`` or ``word``."""

    text: str
    kind: str


def tokens(name: str) -> tuple[Token, ...]:
    """The normalised tokens of a name (see the module docstring, rule 1).

    >>> [t.text for t in tokens("LLaMA-2 7B_hf")]
    ['llama', '2', '7b', 'hf']
    >>> [t.text for t in tokens("llama2")] == [t.text for t in tokens("Llama 2")]
    True
    >>> [(t.text, t.kind) for t in tokens("Mistral-7B-v0.1")]
    [('mistral', 'word'), ('7b', 'size'), ('v0.1', 'version')]
    """
    out = []
    for m in _TOKEN.finditer(name.lower()[:200]):
        kind = m.lastgroup or "word"
        if m.group(0) in SIZE_WORDS:
            kind = "size"
        out.append(Token(m.group(0), kind))
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    """A repository a source offers for a name.

    Attributes:
        id: the Hub id (``org/name``).
        downloads: recorded downloads (``None`` when not recorded).
        declares_base: whether the repository declares a base model itself (a derivative).
        gated: the recorded ``gated`` value, if any (disclosed, not used to choose).
    """

    id: str
    downloads: int | None = None
    declares_base: bool = False
    gated: str | bool | None = None


#: A source's answer for a name: the repositories whose name could be it (any superset of
#: those :func:`choose` keeps; the rule is applied here, not by the source).
Resolve = Callable[[str], list[Candidate]]


@dataclass(frozen=True)
class Resolution:
    """What :func:`choose` decided for one name.

    Attributes:
        name: the name as written.
        chosen: the Hub id chosen, or ``None``.
        candidates: how many repositories passed the name rule (rules 2 and 3).
        why: why nothing was chosen (``None`` when something was).
    """

    name: str
    chosen: str | None
    candidates: int
    why: str | None = None

    def disclosure(self) -> dict[str, object]:
        """The lineage entry's fields about the resolution."""
        out: dict[str, object] = {"resolved_from": self.name, "candidates": self.candidates,
                                  "rule": RULE}
        if self.why:
            out["why"] = self.why
        return out


def _split(toks: Iterable[Token]) -> tuple[list[str], set[str], list[Token]]:
    words: list[str] = []
    sizes: set[str] = set()
    rest: list[Token] = []
    for tok in toks:
        if tok.kind == "size":
            sizes.add(tok.text)
        else:
            words.append(tok.text)
            rest.append(tok)
    return words, sizes, rest


def first_word(name: str) -> str | None:
    """The first non-size token of a name: the key a source indexes its repositories by."""
    return next((t.text for t in tokens(name) if t.kind != "size"), None)


def name_matches(name: str, repo_id: str) -> bool:
    """Whether ``repo_id``'s name could be the base named ``name`` (rules 2 and 3)."""
    named = tokens(name)
    n_words, n_sizes, n_rest = _split(named)
    if not n_words:
        return False
    repo = repo_id.rsplit("/", 1)[-1]
    if is_copy(repo_id):
        return False
    c_words, c_sizes, c_rest = _split(tokens(repo))
    if c_words[:len(n_words)] != n_words or not n_sizes <= c_sizes:
        return False
    has_version = any(t.kind == "version" for t in n_rest)
    for tok in c_rest[len(n_words):]:
        if tok.kind == "version" and not has_version:
            continue
        if tok.text not in VARIANT_TOKENS:
            return False
    return True


def is_copy(repo_id: str) -> bool:
    """Whether the id (organisation or name) carries a :data:`COPY_MARKERS` token."""
    parts = set(re.split(r"[-_./ ]+", repo_id.lower()))
    return bool(parts & COPY_MARKERS) or any(t.text in COPY_MARKERS for t in tokens(repo_id))


def _repo(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]


def _sizes(name: str) -> set[str]:
    """The size tokens of a repository's name (its organisation is not read)."""
    return {t.text for t in tokens(_repo(name)) if t.kind == "size"}


def _org(repo_id: str) -> str:
    return repo_id.lower().split("/", 1)[0] if "/" in repo_id else ""


def choose(name: str, candidates: Iterable[Candidate], release_id: str) -> Resolution:
    """Choose the repository the base ``name`` means, for the release ``release_id``
    (``org/name``), by the rule of the module docstring; or say why none."""
    own = release_id.lower()
    release_name = release_id.rsplit("/", 1)[-1]
    kept = {c.id: c for c in candidates if c.id.lower() != own and name_matches(name, c.id)}
    derived = [c for c in kept.values() if c.declares_base]
    pool = [c for c in kept.values() if not c.declares_base]
    count = len(kept)
    if not pool:
        why = ("no Hub repository's name is that base (normalised) with only size or "
               "variant tokens added" if not kept else
               f"the {len(derived)} matching repositories each declare a base of their own "
               "(derivatives, not originals)")
        return Resolution(name, None, count, why)
    wanted = _sizes(name) or _sizes(release_name)
    if wanted:
        pool = [c for c in pool if _sizes(c.id) & wanted]
        if not pool:
            return Resolution(name, None, count, "no matching repository of the size "
                              f"{', '.join(sorted(wanted))}")
    if not wanted:
        classes = sorted({" ".join(sorted(_sizes(c.id))) or "none" for c in pool})
        if len(classes) > 1:
            return Resolution(name, None, count, f"ambiguous: the candidates come in sizes "
                              f"{', '.join(classes)} and neither the name nor the release "
                              "says which")
    if _org(release_id):
        pool = [c for c in pool if _org(c.id) == _org(release_id)] or pool
    # A legacy id without organisation ("roberta-large") is one of the Hub's canonical
    # early uploads, the original of the copies made under organisations since.
    pool = [c for c in pool if not _org(c.id)] or pool
    # Variant tokens the release's own name repeats ("distil-large-v2" -> "whisper-large-v2").
    named = {t.text for t in tokens(name)}
    mine = {t.text for t in tokens(release_name)}
    overlap = {c.id: len(({t.text for t in tokens(_repo(c.id))} - named) & mine) for c in pool}
    best = max(overlap.values())
    pool = [c for c in pool if overlap[c.id] == best]
    ranked = sorted(pool, key=lambda c: (-(c.downloads or 0), c.id.lower()))
    top = ranked[0]
    if len(ranked) > 1 and top.downloads == ranked[1].downloads and (
            top.downloads is None or _org(top.id) != _org(ranked[1].id)):
        counted = "were not recorded" if top.downloads is None else f"are {top.downloads}"
        return Resolution(name, None, count, f"ambiguous: the downloads of {top.id} and "
                          f"{ranked[1].id} {counted}, the same")
    return Resolution(name, top.id, count)
