"""Research: arXiv ids, DOIs, peer-reviewed venue papers, technical reports, BibTeX.

A card links many papers: the release's own paper, and the papers of the methods, datasets and
base models it uses. The Hub adds an ``arxiv:`` tag for every arXiv link in a card, so neither
a link nor a tag makes a paper the release's own. Each mention is judged from its context:

* **own**: a ``Paper:`` / ``Technical report:`` field or a link labelled "paper" / "report" /
  "arXiv", "our paper", "please cite", a Citation / Paper / Model sources heading (and
  their Chinese forms: 引用, 论文, "请考虑引用", "我们的论文"), or the card's own BibTeX
  block under such a heading;
* **cited**: the sentence says the release uses it ("we use", "based on", "inspired by",
  "uses FlashAttention", "adapted from", "see the X paper", "also cite the base model"), or it
  sits in an architecture / method / acknowledgements section, or it is an author-year
  citation ("Dao et al., 2022");
* **mentioned**: neither (kept with ``attrs.own = False``).

Own papers are ``research.arxiv`` / ``research.doi`` / ``research.paper`` with
``attrs.own = True`` and ``attrs.context`` (what decided); cited ones are ``research.cited``
so that frameworks never count them. "Paper coming soon" is ``research.forthcoming``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from openscope import lazyre
from openscope.evidence.card import Section, parse_sections
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, line_index, snippet
from openscope.evidence.probes import Probe

_LABEL_IMAGE = lazyre.compile(r"!\[([^\]]{0,100})\]\([^)]{0,300}\)")
_LABEL_TAG = lazyre.compile(r"<[^>]{0,300}>")
_LABEL_PUNCT = lazyre.compile(r"[^\w\s.-]")

Level = Literal["own", "cited", "mentioned"]

ARXIV = lazyre.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|huggingface\.co/papers/|arxiv:\s?|arXiv\s)"
    r"(\d{4}\.\d{4,5})(?:v\d+)?", re.I
)
DOI = lazyre.compile(r"\b(10\.\d{4,9}/[-._;()/:A-Za-z0-9]+[A-Za-z0-9])")
VENUE = lazyre.compile(
    r"https?://(?:www\.)?(aclanthology\.org|aclweb\.org/anthology|openreview\.net/(?:forum|pdf)|"
    r"proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press|jmlr\.org/papers|"
    r"openaccess\.thecvf\.com|ojs\.aaai\.org|ieeexplore\.ieee\.org|dl\.acm\.org|"
    r"link\.springer\.com|www\.nature\.com|science\.org|ijcai\.org/proceedings)[^\s)\]>\"']*",
    re.I,
)
_BIBTEX = lazyre.compile(r"@(article|inproceedings|misc|techreport|unpublished|book|incollection|"
                         r"online|software)\s*\{", re.I)
_TECH_REPORT = lazyre.compile(r"technical report|tech(nical)?\.? report|model report|white ?paper|"
                              r"system card", re.I)
_PEER_VENUE_FIELD = lazyre.compile(r"^[ \t]*(booktitle|journal)\s*=\s*[{\"](.+?)[}\"]", re.I | re.M)
_EPRINT = lazyre.compile(r"^[ \t]*eprint\s*=\s*[{\"]\s*(?:arxiv:)?(\d{4}\.\d{4,5})", re.I | re.M)
_PREPRINT_MARK = lazyre.compile(r"archiveprefix\s*=\s*[{\"]?\s*arxiv|arxiv|preprint|\bcorr\b", re.I)

#: No paper yet: the card promises one.
_FORTHCOMING = lazyre.compile(
    r"\b(?:paper|technical report|tech report|report|preprint|publication)s?\b[^.\n]{0,30}?"
    r"\b(?:coming soon|(?:is |are |will be )?(?:released|published|available|out) soon|"
    r"will be (?:released|published|made available|available|out)|forthcoming|to be "
    r"(?:released|published)|under review|in preparation|upcoming|tbd|tba)\b"
    r"|\b(?:coming soon|forthcoming|upcoming)\b[^.\n]{0,12}?\b(?:paper|technical report|"
    r"tech report|preprint)\b",
    re.I,
)

# --- context signals -------------------------------------------------------------------
#: A field label at the start of a line: "- **Paper:**", "Technical report:", "| Paper |".
_FIELD = lazyre.compile(
    r"^[^\w\n]{0,16}(?:the\s+|our\s+|research\s+|model\s+|full\s+|arxiv\s+)?"
    r"(?:paper|papers|technical report|tech report|report|arxiv|preprint|publication|"
    r"citation)s?(?:\s*\[optional\])?(?:[^\w\n]{0,6}[:：|]|\*\*\s*(?=[\[<(]|https?:))",
    re.I | re.M,
)
#: A field naming a component the release uses: "**Optimizer:** [AdamW8bit](…)",
#: "| Positional Encoding | [RoPE](…) |".
_COMPONENT_FIELD = lazyre.compile(
    r"^[^\w\n]{0,16}(?:[\w-]+ ){0,2}(?:optimi[sz]er|attention|positional (?:encoding|"
    r"embeddings?)|position embeddings?|activation|normali[sz]ation|tokeni[sz]er|architecture|"
    r"loss|objective|scheduler|backbone|base model|finetuned from|fine-tuned from|precision|"
    r"language model|vision encoder|text encoder|image encoder|decoder|encoder|embeddings?|"
    r"method|technique|training data|dataset|datasets|benchmark|metric)s?[^\w\n]{0,6}[:：|]",
    re.I | re.M,
)
#: A link label that names the release's paper ("[Paper](…)", "[📑 Technical Report](…)").
_OWN_LABEL = lazyre.compile(
    r"^(?:see |read |see the |read the )?(?:the |our |this |full |research |model |"
    r"associated |original |accompanying |related )?(?:paper|papers|arxiv|arxiv paper|"
    r"technical report|tech report|report|preprint|publication|pdf|article)$", re.I)
#: Phrases where the card speaks of its own paper.
_OWN_PHRASE = lazyre.compile(
    r"\bour (?:\w+ ){0,2}(?:paper|technical report|tech report|report|work|preprint|"
    r"publication|article|manuscript)s?\b|\bcite (?:our|this|the following)\b|"
    r"\b(?:this|the) (?:model|work) (?:is|was) (?:introduced|presented|described|proposed)\b|"
    r"\b(?:it|which|model) (?:is|was|were) (?:introduced|presented|described|proposed|"
    r"first released) in (?:the |this |our )?\[?(?:paper|technical report|report)|"
    r"\bin (?:this|our) (?:paper|report)\b|\bthis paper\b|"
    # Chinese cards ("请考虑引用下列论文": please consider citing the following papers); CJK
    # runs have no word boundaries, so these stand without \b.
    r"引用我们的|请(?:考虑)?引用|我们的(?:工作|论文|技术报告)",
    re.I,
)
_OWN_WEAK = lazyre.compile(r"\bplease cite\b|\bplease consider citing\b|\bif you (?:find|use)\b"
                           r"|\bcitation\b|\bcite\b|\bbibtex\b|引用", re.I)
#: Phrases where the card cites someone else's work for what it uses or compares with.
_CITED_PHRASE = lazyre.compile(
    r"\bwe (?:use|used|adopt|adopted|employ|employed|follow|followed|leverage|apply|applied|"
    r"compare|compared|borrow|borrowed)\b|\b(?:uses|utili[sz]es|employs|adopts|leverages|"
    r"incorporates)\b|\bbased (?:on|upon)\b|\bbuilt (?:on|upon)\b|\bfollowing (?:the )?"
    r"(?:approach|method|recipe|setup|practice|design|work|architecture|paper of)\b|\bas in\b|"
    r"\binspired by\b|\bproposed (?:in|by)\b|\bintroduced (?:in|by)\b|\badapted from\b|"
    r"\bderived from\b|\bfine-?tuned (?:from|on|version)\b|\bbase model\b|\balso cite\b|"
    r"\boriginal (?:model|paper|work|authors)\b|\bsee\b|\bpresented in\b|\bdescribed in\b|"
    r"\bevaluat\w* on\b|\bbenchmarks?\b|\b(?:version|variant|checkpoint|port|"
    r"reproduction|replication|re-?implementation|distillation) of\b|\bsee the\b|"
    r"\blearn more about\b|"
    r"\bcompared? (?:to|with)\b|\bsuch as\b|\bthanks to\b|\bcredit\b|\backnowledg",
    re.I,
)
#: What introduces someone else's BibTeX: the base model, the original work, a dataset.
_CITED_INTRO = lazyre.compile(
    r"\balso cite\b|\bbase model\b|\boriginal (?:model|paper|work|authors|repository)\b|"
    r"\bbased (?:on|upon)\b|\bbuilt (?:on|upon)\b|\bfine-?tuned (?:from|on)\b|"
    r"\bsee the\b|\blearn more about\b|\b(?:version|variant|port|reproduction) of\b|"
    r"\bthe (?:\w+ ){0,3}(?:dataset|library|framework|toolkit)(?:'s)? (?:paper|authors)\b|"
    r"\bwe (?:use|used|adopt|adopted|follow|followed)\b|\binspired by\b|"
    r"\b(?:dataset|data|corpus)s? used\b|\bused (?:for|to train|in training) (?:this|the) model\b",
    re.I,
)
#: A paper introduced as the one about the release's training data ("To learn more about the
#: pretraining dataset, see the RefinedWeb paper"; "To cite the instruction dataset used for
#: this model"): it documents the data, not the model.
_DATA_PAPER = lazyre.compile(
    r"\b(?:pre-?training|training|fine-?tuning|instruction|instruct|sft|rlhf|preference)"
    r"[ \t]+(?:data|dataset|datasets|corpus|corpora|data[ \t]?mix)\b|"
    r"\b(?:dataset|data|corpus)s?[ \t]+used[ \t]+(?:for|to train|in training)\b",
    re.I,
)
_AUTHOR_YEAR = lazyre.compile(r"\bet al\.?,?\s*\(?(?:19|20)\d\d|\bet al\.", re.I)
_OWN_HEAD = lazyre.compile(r"\b(?:citation|citations|cite|citing|bibtex|paper|papers|publications?|"
                           r"technical report|tech report|model sources?|reference paper)\b|"
                           r"引用|论文|論文|技术报告", re.I)
_CITED_HEAD = lazyre.compile(r"\b(?:architecture|method|methods|methodology|acknowledge?ments?|"
                             r"related work|base model|inspired|credits|thanks|"
                             r"components|baselines?|comparisons?)\b", re.I)
_FENCE_OR_BLANK = lazyre.compile(r"^\s*+(?:```\w*|~~~\w*)?\s*$")

#: How far around a mention the sentence is looked for (hostile cards have huge lines).
_WINDOW = 400
#: At most this many mentions of each kind are judged per document.
_MAX_MENTIONS = 200


@dataclass(frozen=True, slots=True)
class _Mention:
    """One occurrence of a paper identifier with the decision its context gave."""

    type: str  # arxiv / doi / venue
    ident: str
    value: str  # the fact's value: the id, DOI, venue domain or BibTeX venue name
    line: int
    snippet: str
    level: Level
    context: str
    url: str | None
    bibtex: bool = False
    about: str = ""  # "training-data" for a paper introduced as the training data's


@dataclass(frozen=True, slots=True)
class _Block:
    """A BibTeX entry: its span and the decision of the prose that introduces it."""

    start: int
    end: int
    type: str
    level: Level
    context: str
    about: str = ""  # "training-data" when the introduction names the training data


class _Doc:
    """A document with its lines, sections and BibTeX blocks, for judging mentions."""

    def __init__(self, path: str, text: str, names: tuple[str, ...] = (),
                 sections: tuple[Section, ...] | None = None) -> None:
        self.path = path
        self.names = names
        self.text = text
        self.lines = line_index(text)
        self.citation_file = PurePosixPath(path).name.lower().startswith("citation") or \
            PurePosixPath(path).suffix.lower() in (".bib", ".cff")
        if sections is None:  # the card's sections are parsed once, in the Context
            sections = parse_sections(text) if "#" in text or "\n-" in text or "\n=" in text \
                else ()
        self._starts = [s.line for s in sections]
        # Each section's heading decision: the innermost heading that says own or cited.
        self._heads: list[tuple[Level, str] | None] = []
        stack: list[tuple[int, tuple[Level, str] | None]] = []
        for s in sections:
            while stack and stack[-1][0] >= s.level:
                stack.pop()
            own = _OWN_HEAD.search(s.title)
            cited = _CITED_HEAD.search(s.title)
            here: tuple[Level, str] | None = None
            if own and not cited:
                here = ("own", f"heading: {s.title[:80]}")
            elif cited:
                here = ("cited", f"heading: {s.title[:80]}")
            inherited = here or next((d for _, d in reversed(stack) if d), None)
            stack.append((s.level, inherited))
            self._heads.append(inherited)
        self.blocks = self._bibtex_blocks()

    def heading(self, offset: int) -> tuple[Level, str] | None:
        """The heading decision for the section holding ``offset``."""
        i = bisect_right(self._starts, self.lines.line(offset)) - 1
        return self._heads[i] if i >= 0 else None

    def block_at(self, offset: int) -> _Block | None:
        """The BibTeX entry holding ``offset``, if any."""
        for b in self.blocks:
            if b.start <= offset < b.end:
                return b
        return None

    def _bibtex_blocks(self) -> list[_Block]:
        text = self.text
        out: list[_Block] = []
        if "@" not in text:
            return out
        for m in _BIBTEX.finditer(text):
            if len(out) >= 50:
                break
            end = _entry_end(text, m.end())
            prose = text[(out[-1].end if out else 0):m.start()]
            if out and not prose.strip(" \t\n`~,;"):
                # A second entry in the same block: same introduction as the first.
                level, context, about = out[-1].level, out[-1].context, out[-1].about
            else:
                intro = _intro_lines(prose[-_WINDOW:])
                level, context = self._introduction(intro, m.start())
                about = _about(intro)
            out.append(_Block(m.start(), end, m.group(1).lower(), level, context, about))
        return out

    def _introduction(self, intro: str, offset: int) -> tuple[Level, str]:
        """Judge a BibTeX entry from its introduction (:func:`_intro_lines`), then its
        heading."""
        if self.citation_file:
            return "own", "citation file"
        best: tuple[int, Level, str] | None = None
        for pattern, level in ((_CITED_INTRO, "cited"), (_OWN_PHRASE, "own"), (_OWN_WEAK, "own")):
            for m in pattern.finditer(intro):
                if best is None or m.end() > best[0]:
                    best = (m.end(), level, m.group(0))  # type: ignore[assignment]
        if best is not None:
            return best[1], best[2]
        head = self.heading(offset)
        if head:
            return head
        return "mentioned", ""


def _intro_lines(prose: str) -> str:
    """The (at most three) prose lines introducing a BibTeX entry, below their heading."""
    lines = [ln for ln in prose.split("\n") if not _FENCE_OR_BLANK.match(ln)][-3:]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].lstrip().startswith("#"):
            return " ".join(lines[i + 1:])  # the introduction starts below the heading
    return " ".join(lines)


def _about(text: str) -> str:
    """``"training-data"`` when ``text`` introduces a paper as the training data's."""
    return "training-data" if _DATA_PAPER.search(text) else ""


def _entry_end(text: str, pos: int) -> int:
    """End of a BibTeX entry whose body starts at ``pos`` (balanced braces, bounded)."""
    depth = 1
    limit = min(len(text), pos + 4000)
    i = pos
    while i < limit:
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return limit


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around ``text[start:end]`` and the offset where it starts (bounded)."""
    lo = max(0, start - _WINDOW)
    ls = text.rfind("\n", lo, start) + 1 or lo
    if ls > lo and re.match(r"(?<!\s)\s*\]\(", text[ls:start]):
        # "[Title\n](url)": a link label broken over lines belongs to the line before.
        ls = text.rfind("\n", lo, ls - 1) + 1 or lo
    le = text.find("\n", end, end + _WINDOW)
    le = min(len(text), end + _WINDOW) if le == -1 else le
    line = text[ls:le]
    rel = start - ls
    s0 = 0
    for m in _SENTENCE_END.finditer(line, 0, rel):
        s0 = m.end()
    e = _SENTENCE_END.search(line, end - ls)
    return line[s0:(e.start() + 1 if e else len(line))], ls + s0


#: A sentence end: ". " but not after "et al.", "e.g.", "i.e.", "etc.", "vs.", "Fig.".
_SENTENCE_END = lazyre.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bfig)"
                               r"(?<!\bno)[.!?] ", re.I)


def _link_label(text: str, start: int) -> str | None:
    """The label of the Markdown or HTML link whose URL holds ``start``, if any."""
    lo = max(0, start - 300)
    i = start
    while i > lo and text[i - 1] not in " \t\n(\"'<[":
        i -= 1
    if i > 1 and text[i - 1] == "(" and text[i - 2] == "]":
        # [label](url): find the label's opening bracket, allowing one nested image.
        close = i - 2
        depth = 0
        j = close
        while j > lo:
            j -= 1
            if text[j] == "]":
                depth += 1
            elif text[j] == "[":
                if depth == 0:
                    return text[j + 1:close]
                depth -= 1
        return None
    if i > 0 and text[i - 1] in "\"'" and text[max(0, i - 6):i - 1].lower().endswith("href="):
        gt = text.find(">", start, start + 300)
        closing = text.lower().find("</a>", gt, gt + 300) if gt != -1 else -1
        if closing != -1:
            return text[gt + 1:closing]
    return None


def _clean_label(label: str) -> str:
    label = _LABEL_IMAGE.sub(r"\1", label[:300])
    label = _LABEL_TAG.sub(" ", label)
    return " ".join(_LABEL_PUNCT.sub(" ", label).split()).strip(" .-")


def _judge(doc: _Doc, start: int, end: int, block: _Block | None) -> tuple[Level, str]:
    """Own, cited or mentioned, and the phrase or heading that decided (``block``: the
    BibTeX entry holding ``start``, if any, as :meth:`_Doc.block_at` found it)."""
    if block is not None:
        return block.level, f"bibtex: {block.context}" if block.context else "bibtex"
    if doc.citation_file:
        return "own", "citation file"
    text = doc.text
    line_start = text.rfind("\n", max(0, start - _WINDOW), start) + 1
    field = _FIELD.match(text, line_start, start) or _list_under_field(text, line_start)
    if field:
        return "own", " ".join(field.group(0).split())[:60]
    component = _COMPONENT_FIELD.match(text, line_start, start)
    if component:
        return "cited", " ".join(component.group(0).split())[:60]
    # In a table row the first cell says what the row is about (a dataset, a benchmark):
    # a "[paper]" link there is that thing's paper.
    in_table = text.startswith("|", line_start) or text.startswith(" |", line_start)
    label = _link_label(text, start)
    if label is not None and not in_table:
        clean = _clean_label(label)
        if _OWN_LABEL.match(clean) or (clean.lower().startswith("arxiv ") and len(clean) < 30):
            return "own", f"link: {clean[:60]}"
    sentence, s0 = _sentence(text, start, end)
    rel = max(0, start - s0)
    before = sentence[:rel]
    decided = _nearest(before, doc.names)
    if decided is None:
        decided = _nearest(sentence[rel:], doc.names, first=True)
    if decided is not None:
        return decided
    weak = None if in_table else _OWN_WEAK.search(sentence)
    head = doc.heading(start)
    if weak and (head is None or head[0] == "own"):
        return "own", weak.group(0)
    if head is not None:
        return head
    if _AUTHOR_YEAR.search(sentence):
        return "cited", "author-year citation"
    return "mentioned", ""


def _list_under_field(text: str, line_start: int) -> re.Match[str] | None:
    """The ``- **Papers:**`` field line a nested list item sits under, if any."""
    if not re.match(r"[ \t]{1,8}[-*+] ", text[line_start:line_start + 12]):
        return None
    pos = line_start
    for _ in range(12):
        if pos <= 0:
            return None
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev:pos - 1]
        if not line.strip():
            return None
        if not line.startswith((" ", "\t")):
            m = _FIELD.match(line)
            return m if m and not line[m.end():].strip(" *_") else None
        pos = prev
    return None


def _nearest(text: str, names: tuple[str, ...], first: bool = False
             ) -> tuple[Level, str] | None:
    """The own or cited signal nearest the mention: the last one before it, or the first one
    after it (``first``)."""
    best: tuple[int, Level, str] | None = None
    for pattern, level in ((_OWN_PHRASE, "own"), (_CITED_PHRASE, "cited")):
        for m in pattern.finditer(text):
            pos = -m.start() if first else m.end()
            lvl: Level = level  # type: ignore[assignment]
            if level == "cited" and _SUBJECT_VERB.match(m.group(0)) and \
                    _is_release(text[max(0, m.start() - 120):m.start()], names):
                lvl = "own"  # "<this model> was proposed in [paper]"
            if best is None or pos > best[0]:
                best = (pos, lvl, m.group(0))
            if first:
                break
    return (best[1], best[2]) if best else None


_SUBJECT_VERB = lazyre.compile(r"(?:proposed|introduced|presented|described) (?:in|by)", re.I)
_SELF = lazyre.compile(r"\b(?:it|this model|the model|this checkpoint|our model|these models|"
                       r"this work|this method|which)\b", re.I)
#: Words in repository names that do not name the release.
_GENERIC = frozenset(("base", "large", "small", "medium", "tiny", "mini", "model", "models",
                      "chat", "instruct", "uncased", "cased", "gguf", "gptq", "awq", "bert",
                      "the", "and", "for", "with", "v1", "v2", "v3", "hf", "fp16", "int4",
                      "int8", "en", "multilingual", "finetuned", "fine", "tuned", "lora"))


def release_names(ref: str) -> tuple[str, ...]:
    """Words of the repository name that can name the release in its card ("falcon")."""
    name = ref.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()
    return tuple(w for w in re.split(r"[-_.\s]+", name)
                 if len(w) >= 3 and w not in _GENERIC and not w.isdigit())


def _is_release(subject: str, names: tuple[str, ...]) -> bool:
    """Whether ``subject`` (words before a verb) names the release."""
    if _SELF.search(subject):
        return True
    lower = subject.lower()
    return any(re.search(rf"\b{re.escape(n)}", lower) for n in names)


_RANK = {"own": 0, "cited": 1, "mentioned": 2}


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``research.*`` facts from documents, tags and listed PDF files."""
    mentions: dict[tuple[str, str], tuple[_Mention, str]] = {}
    for path, text in ctx.docs_text():
        if PurePosixPath(path).suffix.lower() not in (".md", ".markdown", ".rst", ".txt", ".bib",
                                                      ".cff", ""):
            continue
        card = ctx.card
        doc = _Doc(path, text, release_names(ctx.snapshot.ref),
                   card.sections if card is not None and card.path == path else None)
        for mention in _mentions(doc):
            key = (mention.type, mention.ident.lower())
            held = mentions.get(key)
            # The strongest reading wins: own beats cited beats mentioned.
            if held is None or _RANK[mention.level] < _RANK[held[0].level]:
                mentions[key] = (mention, path)
        yield from _text_facts(doc)
    for (mention, path) in mentions.values():
        yield _fact(mention, path)
    # The Hub derives arxiv:/doi: tags from the card's text. With no card read, a tag is
    # the best evidence there is (own); with a card read that never mentions the id, the tag
    # comes from another version of the card and says nothing about whose paper it is.
    tag_own = ctx.card is None
    tag_attrs: dict[str, object] = (
        {"own": True, "own_basis": "tag", "context": "tag only"} if tag_own else
        {"own": False, "level": "mentioned",
         "context": "tag only; the card read does not mention it"})
    for tag in ctx.tags:
        if tag.startswith("arxiv:"):
            ident = tag[6:]
            held = mentions.get(("arxiv", ident.lower()))
            if held is None:
                yield Fact("research.arxiv", ident, "declared", key="tags", snippet=tag,
                           url=f"https://arxiv.org/abs/{ident}", attrs=dict(tag_attrs))
        elif tag.startswith("doi:"):
            doi = tag[4:]
            if ("doi", doi.lower()) not in mentions:
                yield Fact("research.doi", doi, "declared", key="tags", snippet=tag,
                           url=f"https://doi.org/{doi}",
                           attrs={**tag_attrs, **_doi_archive(doi)})
    yield from paper_records(ctx)
    for path in ctx.snapshot.file_paths():
        lower = path.lower()
        if lower.endswith(".pdf"):
            kind = "research.tech_report" if _TECH_REPORT.search(lower.replace("_", " ")) or \
                "report" in lower or "paper" in lower else "research.pdf"
            yield Fact(kind, path, "detected", path=path)
        elif lower.endswith((".md", ".rst", ".txt", ".tex")) and _REPORT_DOC.search(
                lower.rsplit("/", 1)[-1]):
            # A report written as a document of the release (TECHNICAL_REPORT.md).
            yield Fact("research.tech_report", path, "detected", path=path,
                       attrs={"form": "document"})


# File names of report documents: technical-report.md, TECH_REPORT.md, model_report.rst.
_REPORT_DOC = lazyre.compile(r"^(technical|tech|model)[_ -]?report\.", re.I)


#: A journal reference that names no venue ("preprint", "submitted to ...", "under review").
_NOT_A_VENUE = lazyre.compile(r"\b(?:preprint|arxiv|corr|submitted|under review|in preparation|"
                              r"in submission|to appear|work in progress|draft)\b", re.I)


def paper_records(ctx: Context) -> Iterator[Fact]:
    """``research.paper_record`` for each own arXiv paper the audit resolved on arXiv.

    The record was fetched by the audit (:func:`openscope.lineage.resolve_papers`) and is
    read from the snapshot's ``links``; nothing is fetched here. A journal reference that
    names a venue also gives an own peer-reviewed ``research.paper``
    (``attrs.from: arxiv-journal-ref``).
    """
    for entry in ctx.snapshot.metadata.get("links") or ():
        if not isinstance(entry, dict) or "resolved" not in entry:
            continue
        ref = str(entry.get("ref") or "")
        if entry.get("resolved") is not True and ref.startswith("arxiv:"):
            # Asked, not answered: the licence could not be read. Why (offline, unreachable,
            # not found) stays in the links entry, so online and offline audits read alike.
            yield Fact("research.paper_record", ref[6:], "detected",
                       url=f"https://arxiv.org/abs/{ref[6:]}",
                       snippet=f"arXiv:{ref[6:]}: not resolved", attrs={"own": True,
                                                                      "resolved": False})
            continue
        if not isinstance(entry.get("record"), dict):
            continue
        record = entry["record"]
        ident = str(record.get("id") or "")
        if not ident:
            continue
        url = f"https://arxiv.org/abs/{ident}"
        journal = record.get("journal_ref") if isinstance(record.get("journal_ref"), str) \
            else None
        peer = bool(journal) and not _NOT_A_VENUE.search(journal or "")
        title = str(record.get("title") or "")[:300]
        comments = str(record.get("comments") or "")[:300]
        license_url = record.get("license_url") if isinstance(record.get("license_url"),
                                                              str) else None
        # imported only for a resolved record: the arXiv source pulls in the HTTP client,
        # which a local audit never needs
        from openscope.sources.arxiv import licence_id

        attrs: dict[str, object] = {
            "own": True, "resolved": True, "title": title, "license": licence_id(license_url),
            "license_url": license_url, "journal_ref": journal, "peer_reviewed": peer,
            "retrieved": record.get("retrieved"),
            "tech_report": bool(_TECH_REPORT.search(f"{title} {comments}")),
        }
        if record.get("license_error"):
            attrs["license_error"] = str(record["license_error"])[:200]
        yield Fact("research.paper_record", ident, "declared", url=url,
                   snippet=snippet(f"{title} ({license_url or 'licence not read'})"[:400]),
                   attrs=attrs)
        if peer and journal:
            yield Fact("research.paper", journal[:200], "declared", url=url,
                       snippet=snippet(f"arXiv:{ident} journal-ref: {journal}"[:400]),
                       attrs={"own": True, "context": "arXiv journal reference",
                              "from": "arxiv-journal-ref"})


def _mentions(doc: _Doc) -> Iterator[_Mention]:
    """Every paper identifier in ``doc`` with its judged level."""
    text = doc.text
    lower = text.lower()

    def at(type_: str, ident: str, value: str, start: int, end: int, url: str | None,
           judged: tuple[Level, str] | None = None, bibtex: bool = False) -> _Mention:
        block = doc.block_at(start)
        level, context = judged or _judge(doc, start, end, block)
        about = block.about if block is not None else (
            _about(_sentence(text, start, end)[0]) if level == "cited" else "")
        return _Mention(type_, ident, value, doc.lines.line(start),
                        snippet(doc.lines.line_text(start)[:1000]), level, context, url, bibtex,
                        about)

    # Cheap substring checks first: most documents cite nothing.
    if "arxiv" in lower or "huggingface.co/papers" in lower:
        for n, m in enumerate(ARXIV.finditer(text)):
            if n >= _MAX_MENTIONS:
                break
            ident = m.group(1)
            yield at("arxiv", ident, ident, m.start(), m.end(), f"https://arxiv.org/abs/{ident}")
    if "10." in text:
        for n, m in enumerate(DOI.finditer(text)):
            if n >= _MAX_MENTIONS:
                break
            doi = m.group(1).rstrip(".,;")
            if doi.lower().startswith("10.48550/arxiv"):
                continue  # arXiv's own DOIs are preprints, already counted
            yield at("doi", doi, doi, m.start(), m.end(), f"https://doi.org/{doi}")
    if "http" in lower:
        for n, m in enumerate(VENUE.finditer(text)):
            if n >= _MAX_MENTIONS:
                break
            url = m.group(0).rstrip(".,;")
            yield at("venue", url, m.group(1), m.start(), m.end(), url)
    for block in doc.blocks:
        entry = text[block.start:block.end]
        judged = (block.level, f"bibtex: {block.context}" if block.context else "bibtex")
        venue = _PEER_VENUE_FIELD.search(entry)
        venue_name = " ".join(venue.group(2).split())[:200] if venue else ""
        if venue_name and not _PREPRINT_MARK.search(venue_name) and \
                block.type in ("article", "inproceedings", "incollection"):
            yield at("venue", venue_name, venue_name, block.start, block.start, None, judged,
                     bibtex=True)
        eprint = _EPRINT.search(entry)
        if eprint and _PREPRINT_MARK.search(entry):
            ident = eprint.group(1)
            yield at("arxiv", ident, ident, block.start + eprint.start(1),
                     block.start + eprint.end(1), f"https://arxiv.org/abs/{ident}", judged, True)


def _fact(m: _Mention, path: str) -> Fact:
    """The fact for a judged paper identifier: its own kind, or ``research.cited``."""
    if m.level == "cited":
        return Fact("research.cited", m.value if m.type == "venue" and m.bibtex else m.ident,
                    "detected", path=path, line=m.line, url=m.url, snippet=m.snippet,
                    attrs={"type": m.type, "context": m.context,
                           **({"about": m.about} if m.about else {})})
    attrs: dict[str, object] = {"own": m.level == "own", "context": m.context or "none"}
    if m.level == "mentioned":
        attrs["level"] = "mentioned"
    if m.bibtex:
        attrs["from"] = "bibtex"
    if m.type == "doi":
        attrs.update(_doi_archive(m.ident))
    kind = {"arxiv": "research.arxiv", "doi": "research.doi"}.get(m.type, "research.paper")
    return Fact(kind, m.value, "detected", path=path, line=m.line, url=m.url, snippet=m.snippet,
                attrs=attrs)


#: DOI prefixes of archives that mint DOIs for repositories and software, not papers.
ARCHIVE_DOI = (("10.57967/hf/", "huggingface"), ("10.5281/zenodo", "zenodo"))


def _doi_archive(doi: str) -> dict[str, object]:
    """``{"archive": …, "paper": False}`` for a repository/software DOI, else nothing."""
    lower = doi.lower()
    for prefix, archive in ARCHIVE_DOI:
        if lower.startswith(prefix):
            return {"archive": archive, "paper": False}
    return {}


def _text_facts(doc: _Doc) -> Iterator[Fact]:
    """BibTeX entries, own technical-report mentions and promised papers in ``doc``."""
    text = doc.text
    lower = text.lower()
    for block in doc.blocks:
        entry = text[block.start:block.end]
        venue = _PEER_VENUE_FIELD.search(entry)
        venue_name = " ".join(venue.group(2).split())[:200] if venue else ""
        line = doc.lines.line(block.start)
        context = block.context or "none"
        if block.level == "cited":
            key = re.match(r"@\w+\s*\{\s*([^,\s]{1,100})", entry)
            yield Fact("research.cited", key.group(1) if key else block.type, "detected",
                       path=doc.path, line=line, snippet=snippet(entry[:200]),
                       attrs={"type": "bibtex", "context": f"bibtex: {context}",
                              **({"about": block.about} if block.about else {})})
            continue
        attrs: dict[str, object] = {"type": block.type, "venue": venue_name or None,
                                    "own": block.level == "own", "context": context}
        if block.level == "mentioned":
            attrs["level"] = "mentioned"
        yield Fact("research.bibtex", block.type, "detected", path=doc.path, line=line,
                   snippet=snippet(entry[:200]), attrs=attrs)
    if "report" in lower or "paper" in lower or "system card" in lower:
        for n, m in enumerate(_TECH_REPORT.finditer(text)):
            if n >= _MAX_MENTIONS:
                break
            level, context = _judge_report(doc, m.start(), m.end())
            if level == "own":
                yield Fact("research.tech_report_mention", m.group(0), "inferred", path=doc.path,
                           line=doc.lines.line(m.start()),
                           snippet=snippet(doc.lines.line_text(m.start())[:1000]),
                           attrs={"own": True, "context": context})
                break
    if "soon" in lower or "will be" in lower or "forthcoming" in lower or "upcoming" in lower \
            or "review" in lower or "preparation" in lower or "tba" in lower or "tbd" in lower:
        promise = _FORTHCOMING.search(text)
        if promise:
            yield Fact("research.forthcoming", " ".join(promise.group(0).split())[:80],
                       "declared", path=doc.path, line=doc.lines.line(promise.start()),
                       snippet=snippet(doc.lines.line_text(promise.start())[:1000]))


def _judge_report(doc: _Doc, start: int, end: int) -> tuple[Level, str]:
    """Whether a "technical report" mention is the release's own report."""
    block = doc.block_at(start)
    if block is not None:
        return block.level, f"bibtex: {block.context}"
    text = doc.text
    line_start = text.rfind("\n", max(0, start - _WINDOW), start) + 1
    field = _FIELD.match(text, line_start, end + 8)
    if field:
        return "own", " ".join(field.group(0).split())[:60]
    label = _link_label_around(text, start, end)
    if label is not None and _OWN_LABEL.match(_clean_label(label)):
        return "own", f"link: {_clean_label(label)[:60]}"
    sentence, s0 = _sentence(text, start, end)
    before = sentence[: max(0, start - s0)]
    own = re.search(r"\bour (?:\w+ ){0,3}$|\b(?:this|the present) $", before, re.I)
    if own:
        return "own", (own.group(0) + text[start:end]).strip()
    cited = _CITED_PHRASE.search(before)
    if cited:
        return "cited", cited.group(0)
    return "mentioned", ""


def _link_label_around(text: str, start: int, end: int) -> str | None:
    """The Markdown link label holding ``text[start:end]`` (``[Technical Report](url)``)."""
    open_ = text.rfind("[", max(0, start - 60), start)
    close = text.find("](", end, end + 60)
    if open_ == -1 or close == -1 or "]" in text[open_ + 1:start] or "\n" in text[open_:close]:
        return None
    return text[open_ + 1:close]


PROBES = (
    Probe("research.own-paper", "Which papers does the release present as its own?",
          ("research.arxiv", "research.doi", "research.paper", "research.bibtex"),
          "arXiv ids, DOIs, venue links and BibTeX entries, each judged from its context: own "
          "(`attrs.own: true`, `attrs.context`) in a `Paper:` / `Technical report:` field, a "
          "link labelled paper / report / arXiv, \"our paper\", \"please cite\", a Citation / "
          "Paper / Model sources heading (also in Chinese: 引用, 论文, \"请考虑引用\", "
          "\"我们的论文\"), or the card's BibTeX introduced as its own; "
          "`attrs.level: mentioned` (own false) when nothing decides. `arxiv:` / `doi:` tags "
          "add a fact only when the text never mentions the id (`attrs.own_basis: tag`). "
          "BibTeX `@inproceedings`/`@article` with a venue that is not arXiv/CoRR is a "
          "peer-reviewed `research.paper` (`attrs.from: bibtex`); an arXiv `eprint` is a "
          "`research.arxiv`.",
          "A fine-tune that copies its base model's Citation section (with no 'base model' "
          "words) gets the base model's paper as own; several BibTeX entries in one block all "
          "take the first one's introduction."),
    Probe("research.paper-record", "What does arXiv say of the release's own paper: title, "
          "venue, licence?",
          ("research.paper_record",),
          "For each own arXiv paper (probe research.own-paper, at most 2), the record the "
          "audit fetched from arXiv's query API and OAI-PMH (`--follow-links`; live `hf:` "
          "refs, or any Hub ref when `--arxiv-api` / `OPENSCOPE_ARXIV_API` is set) and kept "
          "in the snapshot's `links`: `attrs.title`, `attrs.license` (knowledge-base id of "
          "the `<license>` URL: CC-BY-4.0, CC-BY-NC-SA-4.0, "
          "LicenseRef-arxiv-nonexclusive-distrib-1.0, ...), `attrs.license_url`, "
          "`attrs.journal_ref`, `attrs.peer_reviewed` (a journal reference naming a venue, "
          "which also gives an own `research.paper`, `attrs.from: arxiv-journal-ref`), "
          "`attrs.tech_report` (title or comments say technical report), `attrs.retrieved`. "
          "A paper arXiv did not answer for (offline, not found) is `attrs.resolved: false` "
          "(the reason is in the snapshot's `links` entry).",
          "A journal reference naming the venue of a different version (an extended "
          "abstract, a workshop) counts as peer-reviewed; authors rarely update it."),
    Probe("research.cited", "Which papers does the release only cite (methods, base models, "
          "datasets, comparisons)?",
          ("research.cited",),
          "A mention whose sentence says the release uses / is based on / is inspired by / "
          "compares with it (\"we use\", \"based on\", \"uses FlashAttention\", \"adapted "
          "from\", \"see the X paper\", \"also cite the base model\"), or that sits under an "
          "architecture / method / acknowledgements / references heading, or is an author-year "
          "citation (\"Dao et al., 2022\"), or a BibTeX block introduced as a dataset's "
          "(\"the instruction dataset used for this model\"). `attrs.type` arxiv / doi / "
          "venue / bibtex, `attrs.context` the deciding phrase; `attrs.about` "
          "`training-data` when the introduction or sentence names the (pre)training / "
          "instruction data.",
          "The release's own paper named in a sentence that also says 'based on' (\"our model "
          "is based on the architecture described in [paper]\"); a release whose own paper is "
          "mainly about its dataset is marked training-data too."),
    Probe("research.forthcoming", "Does the card promise a paper that is not out yet?",
          ("research.forthcoming",),
          "\"Paper coming soon\", \"technical report will be released\", \"paper: TBD\", "
          "\"preprint in preparation / under review\".",
          "A promise about a different paper (e.g. a dataset paper) in the same card."),
    Probe("research.tech-report", "Is there a technical report?",
          ("research.tech_report", "research.tech_report_mention", "research.pdf"),
          "PDF files in the release; a \"technical report\" / \"system card\" mention only in "
          "an own context (\"our technical report\", a `Technical report:` field, a link "
          "labelled report, the card's own BibTeX); `attrs.own: true`. \"See the X technical "
          "report\" of another model is not counted.",
          "\"The technical report\" of a base model named without 'see' or 'based on'."),
)
