"""Base models the card names in prose, not in metadata.

Many fine-tunes name their base only in the card body: the Trainer's generated sentence
("This model is a fine-tuned version of [x/y](https://huggingface.co/x/y) on ..."), the Hub
card template's field ("- **Finetuned from model [optional]:** ..."), a quantizer's "GPTQ
model files for [X](...)", a merge's "a merge of [A](...) and [B](...)". This module reads
those statements about *this* release's base and emits ``lineage.base_named`` facts.

Only lines outside code fences and Markdown tables are read (tables are where other models
are compared and evaluated); statements whose sentence compares, recommends or lists ("than",
"outperforms", "compared", "see also", "such as", "you can") are skipped; template filler
("[More Information Needed]") is no base; the release's own repo id is never its base.

Every regex is linear (bounded repetitions, no nested quantifiers over the same characters),
lines are cut to :data:`MAX_LINE_CHARS`, the card body to :data:`MAX_BODY_CHARS`, and a card
yields at most :data:`MAX_FACTS` bases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from openscope import lazyre
from openscope.evidence.card import is_filled
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, LineIndex, line_index, snippet
from openscope.evidence.probes import Probe

#: Body characters read (a base is named near the top; huge cards are hostile or generated).
MAX_BODY_CHARS = 400_000
#: Characters of one line read (long lines are minified HTML or data).
MAX_LINE_CHARS = 2_000
#: Bases one card may name (a merge names a few; more is a list, not a lineage).
MAX_FACTS = 6
#: Bases one merge statement may name.
MAX_PER_STATEMENT = 4
#: Characters after a trigger searched for the base it names.
WINDOW = 300

#: First path segments of huggingface.co that are not model repositories.
_HF_RESERVED = frozenset({
    "datasets", "spaces", "docs", "blog", "papers", "transformers", "collections", "models",
    "join", "login", "settings", "organizations", "tasks", "learn", "pricing", "new", "api",
    "chat", "search", "posts", "course", "enterprise", "inference-api", "inference-endpoints",
    "hub", "terms-of-service", "privacy", "support", "welcome", "autotrain", "notifications",
})

# A labelled field: "- **Finetuned from model [optional]:** VALUE", "* **Backbone Model**: X",
# "Base model: X". The label list is the conventions seen on cards, all about the base.
_FIELD = lazyre.compile(
    r"^[\s>*+#-]{0,12}(?:\*\*|__)?[ \t]{0,3}"
    r"(?P<label>fine-?[ \t]?tuned[ \t]+from(?:[ \t]+model)?|finetuned[ \t]+from(?:[ \t]+model)?"
    r"|base[ \t]+model|backbone[ \t]+(?:model|llm)|base[ \t]+llm|parent[ \t]+model"
    r"|original[ \t]+model|foundation[ \t]+model|initiali[sz]ed[ \t]+from)"
    r"[ \t]{0,3}(?:\[optional\])?[ \t]{0,3}(?:\*\*|__)?[ \t]{0,3}:[ \t]{0,3}(?:\*\*|__)?"
    r"[ \t]{0,3}(?P<value>.*)$",
    re.IGNORECASE,
)

# A Markdown link whose text names the role: "Refer to the [original model](https://hf...)".
_ROLE_LINK = lazyre.compile(
    r"\[[ \t]{0,3}(?:the[ \t]+)?(?P<role>base[ \t]+model|original[ \t]+model|parent[ \t]+model"
    r"|foundation[ \t]+model)[ \t]{0,3}\]\(",
    re.IGNORECASE,
)

# Sentence triggers. ``loose`` ones may name the base as a plain word ("fine-tuned from
# LLaMA"); the others ("based on", "built on top of") are too common in other senses, so
# they count only when followed by a Hub link or Hub id.
_LOOSE = (
    r"(?:fine-?[ \t]?tuned|finetuned|instruction-tuned|instruct-tuned|chat-tuned|tuned"
    r"|quanti[sz]ed|distilled|merged)[ \t]+version[ \t]+of"
    r"|(?:fine-?[ \t]?tuned|finetuned)[ \t]+(?:from|on[ \t]+top[ \t]+of)"
    r"|(?:further|continued)[ \t]+(?:pre-?)?trained[ \t]+(?:from|on[ \t]+top[ \t]+of)"
    r"|trained[ \t]+on[ \t]+top[ \t]+of|initiali[sz]ed[ \t]+from"
    r"|(?:is|was|were|been)[ \t]+trained[ \t]+from"
    r"|(?:a|the)[ \t]+(?:fine-?[ \t]?tune|finetune)[ \t]+(?:checkpoint[ \t]+)?of"
    r"|(?:is|a|an)[ \t]+merge[ \t]+(?:of|between)|merged[ \t]+from"
    r"|(?:GGUF|GGML|GPTQ|AWQ|EXL2)[ \t]+(?:format[ \t]+)?model[ \t]+files[ \t]+for"
    r"|quanti[sz]ed[ \t]+(?:model|weights)[ \t]+(?:for|of)"
    r"|continued[ \t]+pre-?[ \t]?training[ \t]+of"
)
_STRICT = (
    r"based[ \t]+on|built[ \t]+(?:on[ \t]+top[ \t]+of|upon)"
    r"|continu(?:ed|al|ally)[ \t]+pre-?[ \t]?train(?:ing|ed)[ \t]+(?:on|from)"
    r"|(?:LoRA|QLoRA|PEFT)[ \t]+(?:adapter[ \t]+)?(?:for|of|on)|adapter[ \t]+(?:weights[ \t]+)?for"
)
_TRIGGER = lazyre.compile(rf"(?P<loose>{_LOOSE})|(?P<strict>{_STRICT})", re.IGNORECASE)
#: Every ``_TRIGGER`` alternative holds one of these words: an ASCII line whose lower case
#: holds none cannot match, and skips the regex (non-ASCII lines always run it, since
#: IGNORECASE also folds letters such as the long s).
_TRIGGER_WORDS = ("version", "tune", "further", "top", "initiali", "merge", "files",
                  "quanti", "continu", "based", "built", "lora", "peft", "adapter",
                  "trained")

# What a statement must not be: comparisons, recommendations, lists of other models.
_GUARD = lazyre.compile(
    r"compar|outperform|\bthan\b|\bvs\b|versus|\bunlike\b|similar[ \t]+to|see[ \t]+also"
    r"|such[ \t]+as|e\.g\.|for[ \t]+example|\bother[ \t]+models\b|\bincluding\b|\byou\b"
    r"|\bcan\b|\bcould\b|\bshould\b|\bfollowing\b|\bif\b|\blooking[ \t]+for\b"
    r"|inspired|tokeni[sz]er|\bnote\b|\breleased?[ \t]+(?:an?|the)\b",
    re.IGNORECASE,
)

_LINK = lazyre.compile(r"\[(?P<text>[^\]\n]{1,200})\]\([ \t]{0,3}(?P<url>[^\s)]{1,400})")
_HF_URL = lazyre.compile(
    r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<a>[A-Za-z0-9][\w.-]{0,95})"
    r"(?:/(?P<b>[A-Za-z0-9][\w.-]{0,95}))?",
    re.IGNORECASE,
)
# A Hub id written as text: "org/name", not part of a URL or path.
_ID = lazyre.compile(
    r"(?<![\w/.:@-])(?P<id>[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})(?![\w/])"
)
_SENTENCE_END = lazyre.compile(r"[.!?;](?=\s|$)")
_SEPARATORS = lazyre.compile(r"[-_. ]")
# Words that may stand between a trigger and the name: "the pre-trained", "the weights of".
_LEAD = lazyre.compile(
    r"[ \t]{0,3}(?:(?:the|a|an)[ \t]+)?(?:(?:weights|checkpoint|parameters)[ \t]+of[ \t]+"
    r"(?:the[ \t]+)?)?(?:(?:pre-?trained|pretrained|original|official|base)[ \t]+)?"
    r"(?:(?:hugging[ \t]?face|hf|hub)[ \t]+)?(?:(?:model|checkpoint)[ \t]+)?"
)
# "a distilled version of this model called X": the statement is about another release.
_SELF = lazyre.compile(r"(?:this|these|it|its|our|their)\b", re.IGNORECASE)
# A plain model name: a token with a capital, a digit or a hyphen, then up to three
# version-like or capitalised tokens ("Llama 2", "Stable Diffusion 2.1", "Falcon-7B").
_NAME = lazyre.compile(
    r"(?P<name>[A-Za-z][\w.+-]{0,60}(?:[ \t](?:[A-Z0-9][\w.+-]{0,30}|v\d[\w.]{0,10})){0,3})"
)
_NOT_NAMES = frozenset({
    "scratch", "model", "models", "a", "an", "the", "this", "our", "it", "its", "their",
    "two", "three", "several", "multiple", "various", "both", "we", "huggingface", "hugging",
    "see", "refer", "please", "first", "note", "same", "none", "unknown", "n/a", "multi-modal",
    "multimodal", "multilingual", "open-source", "state-of-the-art", "large-scale",
    "well-known", "pre-trained", "pretrained", "fine-tuned", "finetuned", "i", "they",
})
# A section reproducing the base's card ("# Original model card: X") is about the base.
_ORIGINAL_CARD = lazyre.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]+.{0,40}original[ \t]+model[ \t]+card", re.I)
_MARKUP = lazyre.compile(r"\*\*|__|`")
_SEP = lazyre.compile(r"[ \t]{0,3}(?:,|&|\+|\band\b|\bwith\b)[ \t]{0,3}(?:and[ \t]+)?", re.I)

_RELATIONS = (
    ("quantized", re.compile(r"quanti[sz]|\bGGUF\b|\bGGML\b|\bGPTQ\b|\bAWQ\b|\bEXL2\b", re.I)),
    ("merge", re.compile(r"\bmerge", re.I)),
    ("adapter", re.compile(r"\bq?lora\b|adapter|\bpeft\b", re.I)),
    ("continued-pretraining", re.compile(
        r"continu(?:ed|al|ally)[ \t]+pre-?[ \t]?train|further[ \t]+pre-?[ \t]?train", re.I)),
    ("finetune", re.compile(
        r"fine-?[ \t]?tun|finetun|instruct(?:ion)?-tuned|chat-tuned|tuned[ \t]+version"
        r"|trained[ \t]+on[ \t]+top|further[ \t]+trained|initiali[sz]ed"
        r"|trained[ \t]+from|fine-?[ \t]?tune[ \t]+(?:checkpoint[ \t]+)?of", re.I)),
)


@dataclass(frozen=True, slots=True)
class Named:
    """One base named on one line: value, Hub id (or ``None``), relation, form, where."""

    value: str
    hub_id: str | None
    relation: str
    form: str
    line: int
    text: str


def _relation(text: str) -> str:
    for name, pattern in _RELATIONS:
        if pattern.search(text):
            return name
    return "unknown"


def _hub_id(url: str) -> str | None:
    """The model id a huggingface.co URL points to, or ``None`` (datasets, docs, spaces)."""
    m = _HF_URL.match(url)
    if m is None:
        return None
    a, b = m.group("a"), m.group("b")
    if a.lower() in _HF_RESERVED:
        return None
    b = b.rstrip(".") if b else b
    a = a.rstrip(".")
    return f"{a}/{b}" if b else a


def _looks_like_id(ident: str) -> bool:
    """Whether ``org/name`` written as text looks like a Hub repo id, not prose or a path."""
    org, _, name = ident.partition("/")
    if len(org) < 2 or len(name) < 2 or not re.search(r"[A-Za-z]", name):
        return False
    # "instruction/response", "and/or": ids almost always carry a capital, digit or separator
    if not re.search(r"[A-Z0-9_.-]", ident):
        return False
    # file paths are not repo ids
    return not re.search(r"\.(?:py|md|txt|json|zip|tar|gz|bin|pt|ckpt|html?|png|jpg)$", name, re.I)


def _plain_name(text: str) -> str | None:
    """A model name at the start of ``text``, if it looks like one (not an English phrase)."""
    m = _NAME.match(text)
    if m is None:
        return None
    rest = text[m.end():m.end() + 3]
    if rest[:2] in ("'s", "’s") and rest[2:] in (" ", "\t"):
        # "a fine-tuned version of AllenAI's SciBERT": the owner, then the model
        return _plain_name(text[m.end() + 3:m.end() + 3 + 200])
    name = m.group("name").rstrip(".,:;-")
    first = name.split()[0] if name else ""
    if not first or first.lower().rstrip(".,:;'s") in _NOT_NAMES or first.lower() in _NOT_NAMES:
        return None
    if not re.search(r"[A-Z0-9-]", first) or len(name) < 2:
        return None
    return name


@dataclass(frozen=True, slots=True)
class _Ref:
    start: int
    end: int
    value: str
    hub_id: str | None


def _lead_end(text: str) -> int:
    lead = _LEAD.match(text)
    return lead.end() if lead else 0


def _refs(text: str, *, strict: bool) -> list[_Ref]:
    """References to a model in ``text``, in order: links, Hub URLs, Hub ids, plain names.

    ``strict``: only references that resolve to a Hub id. Otherwise a non-Hub link's text
    and a plain name right at the start also count. A bare ``org/name`` counts only right
    at the start (after "the", "pre-trained", ...): elsewhere it is too often prose.
    """
    found: list[_Ref] = []
    taken: list[tuple[int, int]] = []
    at = _lead_end(text)
    for m in _LINK.finditer(text):
        url = m.group("url")
        label = _MARKUP.sub("", m.group("text")).strip()
        taken.append(m.span())
        if re.search(r"\bcard\b", label, re.I):
            continue  # "based on the [X model card](...)": the card text, not the model
        hub = _hub_id(url)
        if hub is not None:
            found.append(_Ref(m.start(), m.end(), hub, hub))
        elif not strict and "huggingface.co/datasets" not in url.lower():
            name = _plain_name(label)
            if name is not None:
                found.append(_Ref(m.start(), m.end(), name, None))
    for m in _HF_URL.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        hub = _hub_id(m.group(0))
        taken.append(m.span())
        if hub is not None:
            found.append(_Ref(m.start(), m.end(), hub, hub))
    bare = _ID.match(text, at)
    if bare is not None and not any(s <= bare.start() < e for s, e in taken):
        ident = bare.group("id").rstrip(".")
        if _looks_like_id(ident):
            taken.append(bare.span())
            found.append(_Ref(bare.start(), bare.end(), ident, ident))
    if not strict and not any(s <= at < e for s, e in taken):
        name = _plain_name(text[at:])
        if name is not None:
            found.append(_Ref(at, at + len(name), name, None))
    return sorted(found, key=lambda r: r.start)


def _merge_refs(text: str, refs: list[_Ref]) -> list[_Ref]:
    """A merge names several bases joined by "and" / commas; stop at the first gap."""
    out = refs[:1]
    for ref in refs[1:MAX_PER_STATEMENT]:
        gap = text[out[-1].end:ref.start]
        if not _SEP.fullmatch(gap):
            # plain names are joined the same way: "a merge of Pygmalion-2 13B and MythoMax 13B"
            break
        out.append(ref)
    if len(out) == 1 and out[0].hub_id is None:
        rest = text[out[0].end:]
        while len(out) < MAX_PER_STATEMENT:
            sep = _SEP.match(rest)
            if sep is None:
                break
            name = _plain_name(rest[sep.end():])
            if name is None:
                break
            start = len(text) - len(rest) + sep.end()
            out.append(_Ref(start, start + len(name), name, None))
            rest = rest[sep.end() + len(name):]
    return out


def _field(line: str, lineno: int) -> list[Named]:
    m = _FIELD.match(line)
    if m is None:
        return []
    label = " ".join(m.group("label").lower().split())
    value = m.group("value").strip()
    if not value or not is_filled(value):
        return []
    # "Original model" also names a conversion's source weights (a zip, TF Hub): Hub only.
    hub_only = label.startswith("original")
    refs = _refs(_MARKUP.sub("", value), strict=hub_only)
    if not refs:
        return []
    ref = refs[0]
    return [Named(ref.value, ref.hub_id, _relation(line), "field", lineno, line)]


def _role_links(line: str, lineno: int) -> list[Named]:
    out = []
    for m in _ROLE_LINK.finditer(line):
        hub = _hub_id(line[m.end():m.end() + 400].strip())
        before = _sentence_before(line, m.start())
        if hub is not None and not _GUARD.search(before):
            # relation from the words before the link: what follows is often "for
            # fine-tuning details", about the base, not how this release derives from it
            out.append(Named(hub, hub, _relation(before), "link", lineno, line))
    return out


def _sentence_before(line: str, pos: int) -> str:
    """The part of the sentence before ``pos`` (at most 200 characters)."""
    head = line[max(0, pos - 200):pos]
    ends = list(_SENTENCE_END.finditer(head))
    return head[ends[-1].end():] if ends else head


def _sentences(line: str, lineno: int) -> list[Named]:
    out: list[Named] = []
    for m in _TRIGGER.finditer(line):
        prefix = _sentence_before(line, m.start())
        if _GUARD.search(prefix):
            continue
        strict = m.group("strict") is not None
        if re.search(r"huggingface\.co/", prefix, re.I):
            # "built on [A](hf) based on [B](hf)": B is A's base; "- [`x`](hf), a fine-tuned
            # version of B": a list item about another model
            continue
        if prefix.rfind("[") > prefix.rfind("]"):
            continue  # inside a link's text: a title ("DistilBERT, a distilled version of BERT")
        window = line[m.end():m.end() + WINDOW]
        end = _SENTENCE_END.search(_LINK.sub(lambda x: "x" * len(x.group(0)), window))
        if end is not None:
            window = window[:end.start()]
        window = _MARKUP.sub("", window)
        at = _lead_end(window)
        if _SELF.match(window, at):
            continue  # "a distilled version of this model called [X]": X derives from us
        refs = _refs(window, strict=strict)
        if not refs:
            continue
        trigger = m.group(0)
        merge = _relation(trigger) == "merge"
        # The base follows the trigger closely; a link further on is about something else
        # ("based on encoder-decoder architecture ... ([t5](...))").
        if not merge and refs[0].start > at + (16 if strict or refs[0].hub_id is None else 60):
            continue
        chosen = _merge_refs(window, refs) if merge else refs[:1]
        statement = prefix + trigger + window[:chosen[-1].end]
        relation = _relation(prefix + trigger)
        for ref in chosen:
            out.append(Named(ref.value, ref.hub_id, relation, "sentence", lineno, statement))
    return out


def _find_lines(lower: str, word: str, index: LineIndex) -> set[int]:
    """0-based indexes of the lines of ``lower`` that hold ``word``."""
    found: set[int] = set()
    pos = lower.find(word)
    while pos != -1:
        found.add(index.line(pos) - 1)
        pos = lower.find(word, pos + len(word))
    return found


def _candidate_lines(body: str) -> set[int]:
    """Lines (0-based) whose lower case holds a trigger word, or "model" just before "](".

    One ``str.find`` pass per word over the whole body instead of the trigger regexes over
    every line; only these lines (and non-ASCII lines) need the regexes.
    """
    lower = body.lower()
    if len(lower) != len(body):  # lower case changed offsets: no line is ruled out here
        return set(range(body.count("\n") + 1))
    index = line_index(body)
    lines: set[int] = set()
    for word in _TRIGGER_WORDS:
        lines |= _find_lines(lower, word, index)
    pos = lower.find("](")
    while pos != -1:  # a role link: "model", then at most 3 blanks, then "]("
        if "model" in lower[max(0, pos - 8):pos]:
            lines.add(index.line(pos) - 1)
        pos = lower.find("](", pos + 2)
    return lines


def _own_ids(ctx: Context) -> tuple[set[str], set[str]]:
    """The release's own repo ids and names (lower case): never its own base."""
    ids: set[str] = set()
    for raw in (ctx.snapshot.metadata.get("id"), ctx.snapshot.metadata.get("modelId"),
                ctx.snapshot.ref):
        if isinstance(raw, str) and raw:
            ident = raw.split(":", 1)[-1].split("@", 1)[0].strip().lower()
            if ident:
                ids.add(ident)
    names = {_norm(i.rsplit("/", 1)[-1]) for i in ids}
    return ids, names


def _norm(name: str) -> str:
    """A name compared loosely: case, and ``-``/``_``/``.``/space all alike (1_8B ~ 1.8B)."""
    return _SEPARATORS.sub("", name.lower())


def statements(ctx: Context) -> list[Named]:
    """Every base this card names in prose, each once, in card order, at most MAX_FACTS."""
    card = ctx.card
    if card is None or not card.body:
        return []
    own_ids, own_names = _own_ids(ctx)
    found: dict[str, Named] = {}
    fenced = False
    body = card.body[:MAX_BODY_CHARS]
    candidates = _candidate_lines(body)
    for offset, raw in enumerate(body.split("\n")):
        if len(found) >= MAX_FACTS:
            break
        line = raw[:MAX_LINE_CHARS]
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or stripped.startswith("|"):
            continue  # code, and tables: where other models are compared
        if _ORIGINAL_CARD.match(line):
            break  # the rest reproduces the base's own card: its statements are the base's
        lineno = card.body_line + offset
        named = _field(line, lineno)
        if not named and (offset in candidates or not line.isascii()):
            named = _role_links(line, lineno) + _sentences(line, lineno)
        for item in named:
            key = (item.hub_id or item.value).lower()
            if key in own_ids or ("/" not in key and _norm(key) in own_names):
                continue
            prior = found.get(key)
            if prior is None:
                if len(found) < MAX_FACTS:
                    found[key] = item
            elif prior.relation == "unknown" and item.relation != "unknown":
                found[key] = Named(prior.value, prior.hub_id, item.relation, prior.form,
                                   prior.line, prior.text)
    return list(found.values())


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``lineage.base_named`` facts: bases the card names in prose."""
    path = ctx.card_path
    for item in statements(ctx):
        yield Fact(
            "lineage.base_named", item.value, "declared", path=path, line=item.line,
            url=f"https://huggingface.co/{item.hub_id}" if item.hub_id else None,
            snippet=snippet(item.text),
            attrs={"hub_id": item.hub_id, "relation": item.relation, "form": item.form},
        )


PROBES = (
    Probe("lineage.prose", "Which base model does the card name in prose?",
          ("lineage.base_named",),
          "Card body lines outside code fences and tables: labelled fields (`Finetuned from "
          "model [optional]:`, `Base model:`, `Backbone model:`, `Parent model:`, `Original "
          "model:` (Hub links only), `Initialized from:`), links whose text is the role "
          "(`[original model](https://huggingface.co/x/y)`), and sentences (`fine-tuned "
          "version of`, `fine-tuned from`, `initialized from`, `is trained from` (never "
          "`from scratch`), `a fine-tune (checkpoint) of`, `a merge of`, `GPTQ/GGUF model "
          "files for`, `continued pre-training of`; `based on`, `built on top of`, `LoRA "
          "adapter for` only with a Hub link or id). The value is the Hub id when the "
          "statement links `huggingface.co/<org>/<name>` or writes an `org/name` id, else the "
          "name as written (`hub_id` null). `relation` (finetune, adapter, merge, quantized, "
          "continued-pretraining, unknown) comes from the wording; `form` is field, link or "
          "sentence. Sentences that compare, recommend or list (`than`, `outperforms`, "
          "`compared`, `such as`, `see also`, `you can`) or announce (`Note:`, `release an "
          "Int4 model for`), sentences whose subject is a linked "
          "Hub model (a list of other models) or that sit inside a link's text (a paper "
          "title), template filler, \"based on the [X model card]\" credits, a section "
          "reproducing the base's card (`# Original model card: ...`, where reading stops) "
          "and the release's own repo id or name (compared ignoring case, `-`, `_`, `.`) are "
          "skipped; at most 6 bases per card, one per "
          "statement (up to 4 for a merge).",
          "A field or sentence about a component rather than the whole model (\"initialized "
          "from the weights of DeiT\" for one module); a plain name may be an architecture "
          "family (\"fine-tuned from a BERT model\") rather than a checkpoint; a `based on` "
          "Hub link in a footnote about evaluation runs; list items of \"awesome\" READMEs "
          "that describe other models without linking them (\"Alpaca 7B, a model fine-tuned "
          "from the LLaMA 7B\"); a single-segment Hub link (`huggingface.co/bert-base-uncased`)"
          " is taken as a legacy model id."),
)
