"""Openness claims the release makes about itself ("open source", "fully open", "open").

These facts feed the open-washing flags: a claim is compared with the verdicts later, never
judged here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openscope import lazyre
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe
from openscope.evidence.research import release_names

# (claim, pattern) strongest first; one fact per claim kind and location.
CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fully-open", re.compile(r"\b(fully|completely|truly|100%)[ -]open(?:[ -]source)?\b", re.I)),
    ("open-source", re.compile(r"\bopen[ -]?source[ds]?\b(?![ -]?(?:licen[cs]e|librar|code|"
                               r"software|tools?|project|framework|communit))", re.I)),
    ("open-weights", re.compile(r"\bopen[ -](weights?|model weights)\b", re.I)),
    ("open-model", re.compile(r"\b(open|openly[ -]available|openly[ -]released)[ -]"
                              r"(model|llm|language model|release)s?\b(?![ -]leaderboard)",
                              re.I)),
)


#: Words between the subject and the claim that turn it into a comparison with other models
#: ("outperforms comparable open-source models", "among open-source models").
_COMPARISON = lazyre.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|rival\w*|than|compar\w+|versus|vs\.?|"
    r"against|among|amongst|other|others|many|most|existing|previous|prior|several|various|"
    r"similar(?:ly)?|like|such as|including|competitive|on par|match\w*|top|leading|"
    r"popular|available|alternatives? to|gap|relative to|closes|using|uses|via|through|"
    r"based on|built on|thanks to|behind the)\b",
    re.I,
)
#: The release speaking of itself: "we release", "our model", "this model", "it is".
_SELF = lazyre.compile(
    r"\b(?:we|our|us|this|these|it|its|it's)\b|\b(?:is|are|was|were|be|being|been)\b", re.I)
#: The claim's noun: the release ("model", "LLM", "weights") or someone else's thing
#: ("open-source datasets", "the open-source NLP framework"); the first one after it decides.
_NOUN = lazyre.compile(
    r"\b(?:(models?|llms?|weights|checkpoints?|chatbot|assistant|release|series|family|"
    r"version|alternative)|(data|datasets?|corpus|corpora|packages?|ecosystem|efforts?|"
    r"contributors?|initiatives?|movement|spirit|toolkits?|implementations?|repositor\w+|"
    r"inference|engines?|stack|projects?|communit\w+|framework|library|libraries|"
    r"tools?|software|code|encoder|tokenizer|components?|backbone|pipeline|platform|grant))\b",
    re.I,
)
#: A sentence whose subject is someone else's artefact: "The code … is fully open-source".
_OTHER_SUBJECT = lazyre.compile(r"^(?:the|our|all|its)\s+(?:\w+ ){0,2}?(?:code|data|datasets?|"
                                r"library|framework|toolkit|tool|pipeline|repo|repository|"
                                r"scripts?)\b", re.I)
#: What comes right before a claim about something else: "the dataset open-sourced on …".
_OTHER_BEFORE = lazyre.compile(r"\b(?:data|dataset|datasets|code|library|corpus|framework)\s*$",
                               re.I)
_NEGATION = lazyre.compile(r"\b(?:not|never|no longer|isn't|aren't|wasn't)\s+(?:\w+\s+)?$", re.I)
_BIBTEX_FIELD = lazyre.compile(r"(?<!\s)\s*(?:title|booktitle|journal|abstract|note)\s*=", re.I)
_URL_TAIL = lazyre.compile(r"://\S*$")
#: How much of a sentence a claim quotes (``attrs.sentence``).
SENTENCE_CHARS = 300


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``claim.*`` facts from the card text, the tags and the repo name.

    A sentence in the card counts only when the release describes itself: its subject is the
    release (its name, "this model", "we", "our", "it is …") and no comparison word stands
    between the subject and the claim ("outperforms comparable open-source models").
    """
    card = ctx.card
    if card is not None:
        names = release_names(ctx.snapshot.ref)
        # Every claim says "open": scan only the lines that do (cheap on long cards).
        seen: set[str] = set()
        for line_no, line in _lines_with(card.body, "open"):
            for claim, pattern in CLAIMS:
                if claim in seen:
                    continue
                for n, m in enumerate(pattern.finditer(line)):
                    if n >= 20:
                        break
                    if _BIBTEX_FIELD.match(line) or _URL_TAIL.search(line, max(0, m.start() - 300),
                                                                      m.start()):
                        continue  # a paper title in BibTeX, or words inside a URL
                    sentence, start = _sentence(line, m.start(), m.end())
                    verb = re.match(r"open[ -]?sources\b", m.group(0), re.I)  # "X open sources Y"
                    if not verb and not _about_itself(sentence[: m.start() - start],
                                                      line[m.end(): m.end() + 40], names):
                        continue
                    seen.add(claim)
                    yield Fact(f"claim.{claim}", m.group(0), "declared", path=card.path,
                               line=card.body_line + line_no - 1, snippet=snippet(sentence),
                               attrs={"sentence": _quote(sentence)})
                    break
    for tag in ctx.tags + tuple(str(t) for t in ctx.card_data.get("tags") or []
                                if isinstance(ctx.card_data.get("tags"), list)):
        if re.fullmatch(r"open[-_ ]?source", tag, re.I):
            yield Fact("claim.open-source", tag, "declared", key="tags", snippet=tag)
    name = ctx.snapshot.ref.rsplit("/", 1)[-1]
    if re.search(r"open[-_]?source", name, re.I):
        yield Fact("claim.open-source", name, "declared", key="name", snippet=name)


def _about_itself(before: str, after: str, names: tuple[str, ...]) -> bool:
    """Whether the words before a claim make the release its subject, with no comparison."""
    # The noun phrase ends at punctuation or a preposition ("open for academic research").
    phrase = re.split(r"[,.;:!?(]|\s(?:for|to|under|and|with|on|in|by|from)\s", after[:60],
                      maxsplit=1)[0]
    noun = _NOUN.search(phrase)
    if re.search(r"\b(?:this|our)\s*$", before, re.I):
        noun = None  # "this open-source pipeline": whatever the noun, it is the release
    if (noun and noun.group(2)) or _NEGATION.search(before[-40:]) or \
            _OTHER_BEFORE.search(before[-40:]):
        return False
    words = _MARKUP.sub(" ", before).strip()
    if not words:
        # The sentence opens with the claim: a feature bullet ("**Fully open**: …") or a
        # title; it speaks of the release only when it goes on with "we"/"our"/the name.
        rest = _MARKUP.sub(" ", after)
        return bool(re.match(r"(?<!\s)\s*[:\-–—]", after.lstrip("*_ "))
                    or re.search(r"\b(?:we|our)\b", rest[:30], re.I))
    if _OTHER_SUBJECT.match(words):
        return False
    # The subject nearest the claim; comparisons count only between it and the claim.
    lower = words.lower()
    last = max([m.end() for m in _SELF.finditer(words)]
               + [m.end() for n in names for m in re.finditer(rf"\b{re.escape(n)}", lower)],
               default=-1)
    return last != -1 and not _COMPARISON.search(words, last)


_MARKUP = lazyre.compile(r"[*_`#>|\[\]()]+|<[^>]{0,200}>|https?://\S{0,300}")
_SENTENCE_END = lazyre.compile(
    r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?][*_)\"'\u201d]{0,3} ", re.I)


def _sentence(line: str, start: int, end: int) -> tuple[str, int]:
    """The sentence of ``line`` holding ``line[start:end]``, and where it starts."""
    lo = max(0, start - 600)
    s0 = lo
    for m in _SENTENCE_END.finditer(line, lo, start):
        s0 = m.end()
    e = _SENTENCE_END.search(line, end, end + 600)
    stop = e.start() + 1 if e else min(len(line), end + 600)
    return line[s0:stop], s0


def _quote(sentence: str) -> str:
    """The sentence as quoted in a flag: whitespace collapsed, at most 300 characters."""
    flat = " ".join(sentence.split())
    return flat if len(flat) <= SENTENCE_CHARS else flat[: SENTENCE_CHARS - 1] + "…"


def _lines_with(text: str, word: str) -> list[tuple[int, str]]:
    """(1-based line number, line) of the lines containing ``word``, case-insensitively."""
    lower = text.lower()
    out = []
    pos = lower.find(word)
    while pos != -1:
        start = lower.rfind("\n", 0, pos) + 1
        end = lower.find("\n", pos)
        end = len(lower) if end == -1 else end
        out.append((lower.count("\n", 0, start) + 1, text[start:end][:5000]))
        pos = lower.find(word, end)
    return out

PROBES = (
    Probe("claims.openness", "Does the release call itself open?",
          ("claim.fully-open", "claim.open-source", "claim.open-weights", "claim.open-model"),
          "Sentences in the card where the release describes itself as open source / open "
          "weights / fully open / an open model: the subject before the claim is the release "
          "(a word of its repository name, \"this model\", \"we\", \"our\", \"it is\", a copula) "
          "with no comparison word between subject and claim (\"outperforms comparable "
          "open-source models\", \"among open models\", \"than\"), the claim's noun is the "
          "release's (not \"open-source datasets / framework / library\"), not negated, not in "
          "a URL or a BibTeX title; \"X open sources Y\"; `open-source` tags; the repository "
          "name. The whole sentence is quoted in `attrs.sentence` (up to 300 characters).",
          "A sentence about another model whose name shares a word with the release; a "
          "copied base-model paragraph in a fine-tune's card; a blog or paper title that "
          "calls the release open source."),
)
