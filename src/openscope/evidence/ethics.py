"""Ethical considerations in a card: which paragraphs state them, on which themes, and
which are template text copied unchanged.

The themes are those of Gao, Zahedi, Treude, Rosenstock & Cheong, "Documenting ethical
considerations in open source AI models" (ESEM '24, doi 10.1145/3674805.3686679): model
behavioural risks, model use cases, model risk mitigation, training-data quality concerns,
references to other materials, and others. Their replication package
(``Haoyu-Gao/Ethical-Document``) carries no licence, so nothing of it is copied here: the
lexicon below is our own, grown from the same roots (ethics, fairness, accountability,
transparency, morality, responsibility) and written against the labelled sample in
``tests/data/ethics`` (rules in ``tests/data/ethics/RULES.md``).

Paragraphs are split on blank lines outside code fences, as in the study; a paragraph is an
ethics paragraph when it names an ethics term, or when it sits under an ethics heading
("Bias, Risks, and Limitations", "Ethical considerations", "Out-of-scope use", ...) and says
something. Each is classified into one or more themes by rules (regular expressions over
the paragraph and its heading); a paragraph matching no theme is "other".

Boilerplate: a paragraph whose normalised text equals a known template paragraph (the
Hugging Face model-card template, ``huggingface_hub`` ``templates/modelcard_template.md``,
Apache-2.0) is marked ``attrs.boilerplate``. Every paragraph also carries ``attrs.hash`` (of
its normalised text) so a roll-up over many cards can find text copied between them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from openscope import lazyre
from openscope.evidence.card import is_filled
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe

#: The six themes, in Gao et al.'s order of prevalence.
THEMES = ("behavioural_risks", "risk_mitigation", "other", "use_cases", "references",
          "data_quality")

#: Hostile-input bounds: text read per card, paragraphs looked at, characters per paragraph.
MAX_BODY_CHARS = 2_000_000
MAX_PARAGRAPHS = 4_000
MAX_PARAGRAPH_CHARS = 4_000
#: Paragraphs kept as facts per card (the rest are counted in the last fact's attrs).
MAX_FACTS = 60


def _rx(*parts: str) -> re.Pattern[str]:
    return lazyre.compile("|".join(parts), re.I)


#: Ethics terms: the six roots and our own expansion towards the harms cards describe.
ETHICS_TERMS = _rx(
    r"\bethic(?:s|al|ally)?\b", r"\bunethical\b", r"\bfairness\b", r"\bunfair(?:ly|ness)?\b",
    r"\baccountab(?:le|ility)\b", r"\bmoral(?:s|ity|ly)?\b",
    r"\bresponsibl[ey]\b(?! for (?:the|a|an|each|this|its|generating|processing|computing|"
    r"handling)\b)",
    r"\bresponsibility\b", r"\birresponsibl[ey]\b",
    r"\bbias(?:es|ed)?\b(?![ _-]?(?:term|terms|parameter|vector|=|initiali[sz]))",
    r"\bunbiased\b", r"\bstereotyp\w*", r"\bdiscriminat(?:ion|ory|e against)\b",
    r"\btoxic(?:ity)?\b", r"\boffensive\b", r"\bharm(?:s|ful)?\b", r"\bmisuse[sd]?\b",
    r"\bmalicious\b", r"\bhate(?:ful)?\b", r"\bracis[mt]\b", r"\bsexis[mt]\b",
    r"\bprivacy\b", r"\bpersonal(?:ly identifiable)? (?:data|information)\b",
    r"\bmis-?information\b", r"\bdisinformation\b", r"\bhallucinat\w*",
    r"\bout[- ]of[- ]scope\b", r"\bunsafe\b", r"\bsafety\b", r"\bconsent\b",
    r"\bsurveillance\b", r"\bobjectionable\b", r"\bprotected (?:classes|groups|attributes)\b",
    r"\bsocietal\b", r"\bexplicit content\b", r"\bnsfw\b", r"\bdual[- ]use\b",
    r"\bcarbon (?:emissions?|footprint|emitted)\b", r"\bco2\b",
)

#: Headings under which any real paragraph is about ethics.
ETHICS_HEADING = _rx(
    r"\bbias", r"\brisks?\b", r"\bethic", r"out[- ]of[- ]scope", r"\bmisuse",
    r"\bsafety\b", r"\bresponsib", r"\bfairness\b", r"\bharms?\b", r"\bsocietal\b",
    r"\benvironmental\b", r"\bcarbon\b", r"\bemissions?\b",
)

#: Theme rules: any pattern matching the paragraph (or, for ``heading``, its heading).
THEME_RULES: dict[str, re.Pattern[str]] = {
    "behavioural_risks": _rx(
        r"\bbias(?:es|ed)?\b(?![ _-]?(?:term|parameter|vector|=))", r"\bstereotyp\w*",
        r"\bdiscriminat", r"\btoxic", r"\boffensive\b", r"\bharmful\b",
        r"\bhallucinat\w*", r"\b(?:factually )?(?:incorrect|inaccurate|false|misleading|"
        r"nonsensical|inappropriate|objectionable|upsetting|disturbing)\b",
        r"\bmemori[sz]", r"\bmis-?information\b", r"\bdisinformation\b",
        r"\bgenerat\w* (?:content|text|images?|outputs?) that\b", r"\bcan(?:not)? be predicted\b",
        r"\b(?:gender|racial|religious|cultural|ethnic|age|occupational)\b",
        r"\bunreliable\b", r"\bprone to\b", r"\bmay (?:not )?(?:produce|generate|output|"
        r"reflect|contain|amplify|perpetuate)\b", r"\bimpersonat", r"\bharass",
        r"\bprivacy\b", r"\bcopyright", r"\bfactual(?:ly)?\b", r"\bunrealistic\b",
        r"\bproblematic\b", r"\bunexpected outcomes\b",
    ),
    "use_cases": _rx(
        r"\bintended (?:for|to|use|uses|users)\b", r"\bout[- ]of[- ]scope\b",
        r"\bshould not be used\b", r"\bnot (?:be )?(?:intended|suitable|designed|meant|"
        r"recommended|appropriate|allowed|permitted)\b", r"\bmust not\b", r"\bprohibit",
        r"\bcomply with\b", r"\bacceptable use\b", r"\buse (?:it )?responsibly\b",
        r"\b(?:high[- ]risk|critical) (?:decisions?|domains?|applications?|settings?)\b",
        r"\bdeploy(?:ed|ment)?\b", r"\bproduction\b", r"\bmisuse", r"\bmalicious use\b",
        r"\bresearch (?:purposes|only|use)\b", r"\bcommercial use\b",
        r"\b(?:do|does) not use\b", r"\bterms of use\b", r"\buse cases?\b",
        r"\bagainst (?:using|use)\b", r"\bnot (?:be )?used (?:to|for|in)\b",
        r"\b(?:not|never) (?:be )?rel(?:y|ied) on\b",
    ),
    "risk_mitigation": _rx(
        r"\bmitigat\w*", r"\bwe (?:have )?(?:filtered|removed|cleaned|excluded|deduplicated|"
        r"evaluated|tested|red[- ]teamed|applied|used a|trained a|fine-?tuned)\b",
        r"\bfilter(?:ed|ing|s)?\b", r"\bsafety (?:checker|evaluation|tuning|fine-?tuning|"
        r"filter|testing|measures?|alignment)\b", r"\bred[- ]team",
        r"\b(?:users|developers|you) should\b", r"\bshould be (?:made )?aware\b",
        r"\brecommend", r"\bsafeguards?\b", r"\bguardrails?\b", r"\bmonitor",
        r"\b(?:careful|thorough|appropriate|in-domain)(?: \w+)? (?:evaluation|testing|"
        r"assessment)\b", r"\brisk assessment\b", r"\bsafety testing\b",
        r"\bno (?:safety )?(?:mitigation|measures|moderation|filtering)\b",
        r"\bnot (?:been )?(?:aligned|filtered|moderated)\b", r"\bcaution\b",
        r"\bhuman (?:oversight|review|in the loop)\b", r"\bcontent moderation\b",
    ),
    "data_quality": _rx(
        r"\b(?:training|pre-?training|fine-?tuning) (?:data|dataset|datasets|corpus|corpora|"
        r"set)\b.{0,120}\b(?:bias|contain|reflect|skew|unfiltered|uncurated|toxic|"
        r"personal|private|offensive|harmful|predominantly|mostly|only|english|"
        r"represent|noisy|quality|crawled|scraped)",
        r"\b(?:bias|contain|reflect|skew|unfiltered|uncurated|toxic|offensive|harmful)\w*\b"
        r".{0,80}\b(?:training|pre-?training) (?:data|dataset|corpus|set)\b",
        r"\b(?:internet|web|crawled|scraped)[- ](?:data|text|content|corpus|images)\b",
        r"\bunder-?represent\w*", r"\bover-?represent\w*", r"\bunfiltered\b",
        r"\buncurated\b", r"\b(?:data|dataset) (?:may|might|could|can) (?:contain|include|"
        r"reflect)\b", r"\b(?:primarily|predominantly|mainly|only) (?:on |in )?english\b",
        r"\blaion\b", r"\bcommon ?crawl\b",
    ),
    "references": _rx(
        r"\b(?:see|refer to|consult|read)\b.{0,60}\b(?:paper|card|datasheet|section|guide|"
        r"report|blog|documentation|license|licence|policy|here|appendix)\b",
        r"\bplease (?:see|refer|check|read)\b", r"\bfor (?:more|further) (?:details|"
        r"information|discussion)\b", r"\bet al\.?", r"\(\s*see\b", r"\bsee, e\.g\.",
        r"\bresponsible use guide\b", r"\bacceptable use policy\b",
    ),
    "other": _rx(
        r"\bcarbon\b", r"\bco2\b", r"\bemissions?\b", r"\bnot (?:be )?(?:held )?(?:responsible|"
        r"liable)\b", r"\bdisclaim", r"\bno (?:warrant|liability)", r"\bat (?:your|their) "
        r"own risk\b", r"\breport (?:any |an? )?(?:issues?|problems?|bugs?|concerns?)\b",
        r"\bopen an issue\b", r"\bfuture (?:work|research)\b", r"\bmore information needed\b",
        r"\bto be (?:added|written|determined)\b",
    ),
}

#: Some theme patterns are weak on their own; they count only beside another signal.
_WEAK_USE = lazyre.compile(r"\bdeploy(?:ed|ment)?\b|\bproduction\b|\buse cases?\b", re.I)
_LINK_TARGET = lazyre.compile(r"\]\([^)]*\)")
_NOT_ALNUM = lazyre.compile(r"[^a-z0-9]+")
_HEADING_MARKUP = lazyre.compile(r"[*_`]+|<[^>]{0,200}>")


def _normalise(text: str) -> str:
    """Lower-case letters and digits only, single-spaced: the key for template matching."""
    text = _LINK_TARGET.sub("]", text)  # link targets vary between copies
    return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())


def paragraph_hash(text: str) -> str:
    """The short hash of a paragraph's normalised text (copies of one text share it)."""
    return hashlib.sha256(_normalise(text).encode("utf-8")).hexdigest()[:16]


#: Paragraphs of the Hugging Face model-card template (huggingface_hub
#: ``src/huggingface_hub/templates/modelcard_template.md``, Apache-2.0; written here from
#: that file), plus the template's stock placeholder and two stock bias paragraphs the
#: template's earlier generator (``ModelCard.from_template`` defaults) and the Hub's
#: BERT-family cards carry. Keyed by normalised text.
TEMPLATE_PARAGRAPHS: dict[str, str] = {
    _normalise(t): name for name, t in (
        ("hf-template:bias_recommendations",
         "Users (both direct and downstream) should be made aware of the risks, biases and "
         "limitations of the model. More information needed for further recommendations."),
        ("hf-template:bias_recommendations", "Users (both direct and downstream) should be "
         "made aware of the risks, biases and limitations of the model."),
        ("hf-template:placeholder", "[More Information Needed]"),
        ("hf-template:environmental_impact",
         "Carbon emissions can be estimated using the [Machine Learning Impact calculator]"
         "(https://mlco2.github.io/impact#compute) presented in [Lacoste et al. (2019)]"
         "(https://arxiv.org/abs/1910.09700)."),
        ("hf-template:comment_limitations", "<!-- This section is meant to convey both "
         "technical and sociotechnical limitations. -->"),
        ("hf-template:comment_recommendations", "<!-- This section is meant to convey "
         "recommendations with respect to the bias, risk, and technical limitations. -->"),
        ("hf-template:comment_out_of_scope", "<!-- This section addresses misuse, malicious "
         "use, and uses that the model will not work well for. -->"),
        ("hf-template:comment_uses", "<!-- Address questions around how the model is intended "
         "to be used, including the foreseeable users of the model and those affected by the "
         "model. -->"),
        ("hf-stock:bias_research", "Significant research has explored bias and fairness "
         "issues with language models (see, e.g., [Sheng et al. (2021)](https://aclanthology"
         ".org/2021.acl-long.330.pdf) and [Bender et al. (2021)](https://dl.acm.org/doi/pdf/"
         "10.1145/3442188.3445922))."),
        ("hf-stock:bias_research", "Significant research has explored bias and fairness "
         "issues with language models (see, e.g., [Sheng et al. (2021)](https://aclanthology"
         ".org/2021.acl-long.330.pdf) and [Bender et al. (2021)](https://dl.acm.org/doi/pdf/"
         "10.1145/3442188.3445922)). Predictions generated by the model may include "
         "disturbing and harmful stereotypes across protected classes; identity "
         "characteristics; and sensitive, social, and occupational groups."),
    )
}


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a card: its text, first line (1-based, in the file) and heading."""

    text: str
    line: int
    heading: str


_FENCE = lazyre.compile(r"^\s{0,3}(```|~~~)")
_COMMENT = lazyre.compile(r"<!--.*?(?:-->|$)", re.S)
# The title's closing #s are stripped in Python: a lazy group before "[ \t#]*$" backtracks
# quadratically on a line of "# # # …".
_HEADING = lazyre.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*)$")


def paragraphs(body: str, first_line: int = 1) -> Iterator[Paragraph]:
    """Paragraphs of Markdown split on blank lines, outside code fences, with the heading
    they sit under (heading lines themselves are not paragraphs). Bounded for hostile input.
    """
    heading = ""
    buf: list[str] = []
    start = 0
    in_fence = False
    fence = ""
    count = 0
    for i, line in enumerate(body[:MAX_BODY_CHARS].split("\n")):
        # both patterns need their marker character: skip the regex on lines without it
        m = _FENCE.match(line) if "`" in line or "~" in line else None
        if m or in_fence:
            if m and not in_fence:
                in_fence, fence = True, m.group(1)
            elif m and m.group(1) == fence:
                in_fence = False
            if buf:
                yield Paragraph("\n".join(buf)[:MAX_PARAGRAPH_CHARS], first_line + start, heading)
                count += 1
                buf = []
            continue
        h = _HEADING.match(line) if "#" in line else None
        if h or not line.strip():
            if buf:
                yield Paragraph("\n".join(buf)[:MAX_PARAGRAPH_CHARS], first_line + start, heading)
                count += 1
                buf = []
            if h:
                title = h.group(1).rstrip(" \t#")
                heading = _HEADING_MARKUP.sub("", title).strip()[:200]
            if count >= MAX_PARAGRAPHS:
                return
            continue
        if not buf:
            start = i
        if len(buf) < 200:
            buf.append(line[:MAX_PARAGRAPH_CHARS])
    if buf and count < MAX_PARAGRAPHS:
        yield Paragraph("\n".join(buf)[:MAX_PARAGRAPH_CHARS], first_line + start, heading)


def is_ethics(text: str, heading: str = "") -> bool:
    """Whether a paragraph states an ethical consideration.

    >>> is_ethics("The model may produce biased or offensive text.")
    True
    >>> is_ethics("The model has 12 layers and a hidden size of 768.")
    False
    """
    ethics_heading = _is_ethics_heading(heading)
    if ethics_heading and _normalise(text) in TEMPLATE_PARAGRAPHS:
        return True
    if ETHICS_TERMS.search(text):
        return True
    return bool(heading and ethics_heading and is_filled(text) and len(text.split()) >= 6)


@lru_cache(maxsize=1024)
def _is_ethics_heading(heading: str) -> bool:
    """Whether a heading names an ethics topic (asked once per heading, not per paragraph)."""
    return ETHICS_HEADING.search(heading) is not None


def themes_of(text: str, heading: str = "") -> tuple[str, ...]:
    """The themes an ethics paragraph touches (at least one: "other" when no rule fits).

    >>> themes_of("The model may generate stereotypes about gender and race.")
    ('behavioural_risks',)
    >>> themes_of("This model should not be used for medical diagnosis.")
    ('use_cases',)
    """
    found = [t for t in THEMES if THEME_RULES[t].search(text)]
    if "use_cases" in found:
        hits = {m.group(0).lower() for m in THEME_RULES["use_cases"].finditer(text)}
        if all(_WEAK_USE.fullmatch(h) for h in hits) and not re.search(
                r"out[- ]of[- ]scope|use", heading, re.I):
            found.remove("use_cases")
    if not found and re.search(r"out[- ]of[- ]scope|misuse", heading, re.I):
        found = ["use_cases"]
    return tuple(found) or ("other",)


def boilerplate_of(text: str) -> str | None:
    """The name of the template paragraph ``text`` copies unchanged, or ``None``."""
    return TEMPLATE_PARAGRAPHS.get(_normalise(text))


@dataclass(frozen=True, slots=True)
class EthicsParagraph:
    """An ethics paragraph with its themes and template match."""

    paragraph: Paragraph
    themes: tuple[str, ...]
    boilerplate: str | None


def analyse(body: str, first_line: int = 1) -> list[EthicsParagraph]:
    """Every ethics paragraph of a card body, classified."""
    out = []
    for par in paragraphs(body, first_line):
        if not _COMMENT.sub("", par.text).strip():
            continue  # an HTML comment is not shown to readers
        if is_ethics(par.text, par.heading):
            out.append(EthicsParagraph(par, themes_of(par.text, par.heading),
                                       boilerplate_of(par.text)))
    return out


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield one ``doc.ethics`` fact per ethics paragraph of the card (at most
    :data:`MAX_FACTS`; the last carries ``attrs.more`` when there were more)."""
    card = ctx.card
    if card is None:
        return
    found = analyse(card.body, card.body_line)
    for n, item in enumerate(found[:MAX_FACTS]):
        attrs: dict[str, object] = {
            "themes": list(item.themes), "heading": item.paragraph.heading,
            "words": len(item.paragraph.text.split()),
            "hash": paragraph_hash(item.paragraph.text)}
        if item.boilerplate:
            attrs["boilerplate"] = item.boilerplate
        if n == MAX_FACTS - 1 and len(found) > MAX_FACTS:
            attrs["more"] = len(found) - MAX_FACTS
        yield Fact("doc.ethics", ",".join(item.themes), "detected", path=card.path,
                   line=item.paragraph.line, snippet=snippet(item.paragraph.text),
                   attrs=attrs)


PROBES = (
    Probe("doc.ethics", "Which paragraphs of the card state ethical considerations, on which "
          "of Gao et al.'s six themes, and which are template text?",
          ("doc.ethics",),
          "Paragraphs split on blank lines outside code fences. An ethics paragraph names an "
          "ethics term (our own lexicon from the roots ethics, fairness, accountability, "
          "transparency, morality, responsibility, grown towards bias, stereotypes, toxicity, "
          "harm, misuse, privacy, hallucination, out-of-scope, safety, consent), or sits "
          "under an ethics heading (bias, risks, ethics, limitations, out-of-scope, misuse, "
          "safety, environmental impact) and has six or more words. Themes by rules "
          "(`attrs.themes`, `value`): "
          "behavioural_risks, use_cases, risk_mitigation, data_quality, references, other "
          "(nothing else fits, carbon, disclaimers, invitations to report issues, an ethics "
          "section left as a placeholder). `attrs.boilerplate` names the Hugging Face "
          "model-card template paragraph the text copies unchanged; `attrs.hash` is the "
          "normalised text's hash, for finding copies across cards. At most 60 facts per "
          "card (`attrs.more` on the last).",
          "\"bias\" in a technical sense outside code (a bias term written in prose); "
          "\"safety\"/\"harm\" in an unrelated sense (a safety-critical control task); "
          "technical limitations under a Limitations heading counted as ethics; a link "
          "counted as a reference."),
)
