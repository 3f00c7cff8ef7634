"""Parsing a model or dataset card: YAML front matter and Markdown sections.

Cards are hostile input. The front matter is loaded with a safe YAML loader, bounded in size
and in expanded node count (alias bombs), and any failure becomes a recorded problem rather
than an exception. Sections are found by ATX (``## Title``) and setext headings outside code
fences; a section holding only template filler ("[More Information Needed]") is not filled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from openscope import lazyre
from openscope.shapes import shape_card

try:  # the C loader is ~10x faster; both are safe loaders
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FRONT_MATTER_BYTES = 512 * 1024
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 100
#: Expanded text weighs one node per this many characters: 200,000 nodes is ~6 MB of text.
BYTES_PER_NODE = 32

_FENCE = lazyre.compile(r"^\s{0,3}(```|~~~)")
_ATX = lazyre.compile(r"^\s{0,3}(#{1,6})[ \t]+(.*)$")  # closing #s: rstrip, not regex
_SETEXT = lazyre.compile(r"^\s{0,3}(=+|-+)\s*$")
_KEY_LINE = lazyre.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:")

#: Text that card templates leave in place of content.
#: Every alternative starts at a fixed token or at the start of a whitespace run, so a search
#: is linear however long the runs of spaces or braces (HTML comments: ``strip_comments``).
_FILLER = lazyre.compile(
    r"(?<![\s\[])\[?\s*more\s+information\s+needed\s*\]?|\[\s*optional\s*\]"
    r"|\[\s*needs\s+more\s+information\s*\]"
    r"|\bto\s+be\s+(added|announced|determined)\b|\btbd\b|\btba\b|\bcoming\s+soon\b|\bn/?a\b"
    r"|\{\{[^{}]*\}\}",
    re.IGNORECASE,
)
_MIN = lazyre.compile(r"more\s+information\s+needed|needs\s+more\s+information", re.I)
_MARKUP = lazyre.compile(r"[#*_`>|\-=:\[\]()]+")
_WORD2 = lazyre.compile(r"\w{2,}")
_EMPHASIS = lazyre.compile(r"[*_`]+")
_TITLE_TAG = lazyre.compile(r"<[^<>]*>")
_TITLE_LINK = lazyre.compile(r"\[([^\]\[]*)\]\([^()]*\)")


@dataclass(frozen=True, slots=True)
class Section:
    """A Markdown section: heading text, level, line span (1-based) and its own body."""

    title: str
    level: int
    line: int
    end_line: int
    body: str

    @property
    def filled(self) -> bool:
        """Whether the body holds real content, not just template filler or sub-headings."""
        return is_filled(self.body)


@dataclass(frozen=True)
class Card:
    """A parsed card.

    Attributes:
        path: the card's path in the release.
        metadata: the front matter as a dict (empty when absent or unreadable).
        key_lines: 1-based line of each top-level front-matter key.
        body: the Markdown after the front matter.
        body_line: the 1-based line where ``body`` starts.
        sections: the Markdown sections in order.
        problems: what could not be parsed, one line each.
    """

    path: str
    metadata: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    sections: tuple[Section, ...] = ()
    problems: tuple[str, ...] = ()

    def line_of(self, key: str) -> int | None:
        """The line of a front-matter key, if it is there."""
        return self.key_lines.get(key)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``text`` into (front matter or None, body, 1-based line where body starts).

    Front matter is a block opened by ``---`` on the first line and closed by ``---`` or
    ``...`` on a later line.
    """
    if not text.startswith("---"):
        return None, text, 1
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        return None, text, 1
    pos = first_nl + 1
    line_no = 2
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl == -1 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            body_start = len(text) if nl == -1 else nl + 1
            return text[first_nl + 1 : pos], text[body_start:], line_no + 1
        if nl == -1:
            break
        pos = nl + 1
        line_no += 1
    return None, text, 1  # unterminated: treat the whole text as Markdown


def nesting_depth(source: str) -> int:
    r"""An upper bound of how deeply YAML nests: flow brackets, or block indentation levels.

    libyaml recurses once per level and overflows the C stack on hostile input (tens of
    thousands of ``[``), so depth is checked before parsing. Brackets inside quoted strings
    do not count, and indentation counts levels (a block scalar indented 40 spaces is one
    level, not twenty), so ordinary cards are never refused.

    >>> nesting_depth('a: "[[[[["\nb: [1, [2]]')
    2
    >>> nesting_depth("a:\n  b:\n    c: 1\n")
    3
    """
    depth = deepest = 0
    for line in source.split("\n"):
        if "[" not in line and "{" not in line and "]" not in line and "}" not in line:
            continue  # quote and comment state is per line: only brackets move the depth
        quote = ""
        prev = " "
        sig = ":"  # the last non-blank character (line start counts as a scalar start)
        for ch in line:
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and sig in ":,[{-" and (prev in " \t" or prev == sig):
                quote = ch  # a quote opens a scalar only where a scalar starts
            elif ch == "#" and prev in " \t":
                break  # a comment
            elif ch in "[{":
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif ch in "]}" and depth:
                depth -= 1
            prev = ch
            if ch not in " \t":
                sig = ch
    stack: list[int] = []
    levels = 0
    for line in source.split("\n"):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" -"))
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        levels = max(levels, len(stack))
    return max(deepest, levels)


def load_yaml_mapping(source: str) -> tuple[dict[str, Any], str | None]:
    """Safely load a YAML mapping; returns (mapping, problem or None). Never raises."""
    if len(source.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        return {}, f"front matter larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB, not parsed"
    if nesting_depth(source) > MAX_YAML_DEPTH:
        return {}, f"front matter nested deeper than {MAX_YAML_DEPTH} levels, not parsed"
    try:
        data = yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or "syntax error"
        return {}, f"malformed YAML front matter{where}: {reason}"
    except (ValueError, RecursionError, OverflowError) as exc:
        return {}, f"malformed YAML front matter: {exc.__class__.__name__}"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"front matter is a {type(data).__name__}, not a mapping"
    if _count_nodes(data, MAX_YAML_NODES) > MAX_YAML_NODES:
        return {}, "front matter expands to too many values (alias bomb?), not used"
    # YAML keys may be ints, dates, ...: keep string keys only, as the Hub does
    keyed = {str(k): v for k, v in data.items() if isinstance(k, str | int | float)}
    return shape_card(keyed), None


def _count_nodes(value: Any, limit: int) -> int:
    """Count values with aliases expanded, stopping early past ``limit``.

    A string counts once per :data:`BYTES_PER_NODE` characters, so one long string aliased
    many times (which expands the report, not the node count) is bounded by its output size.
    """
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        count += 1 + (len(item) // BYTES_PER_NODE if isinstance(item, str) else 0)
        if count > limit:
            return count
        if isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return count


def parse_sections(body: str, first_line: int = 1) -> tuple[Section, ...]:
    """Split Markdown into sections by heading, ignoring headings inside code fences."""
    lines = body.split("\n")
    return _sections(lines, fence_mask(lines), first_line)


def _sections(lines: list[str], mask: list[bool], first_line: int) -> tuple[Section, ...]:
    heads: list[tuple[int, int, str]] = []  # (index, level, title)
    for i, (line, fenced) in enumerate(zip(lines, mask, strict=True)):
        if fenced:
            continue
        atx = _ATX.match(line)
        if atx:
            heads.append((i, len(atx.group(1)), _clean_title(atx.group(2).rstrip(" \t#"))))
            continue
        if i > 0 and _SETEXT.match(line) and lines[i - 1].strip() and not _ATX.match(lines[i - 1]):
            prev = lines[i - 1]
            if _SETEXT.match(prev) or prev.lstrip().startswith(("|", "-", "*", ">")):
                continue
            if line.strip().startswith("-") and len(line.strip()) < 3:
                continue
            level = 1 if line.strip().startswith("=") else 2
            heads.append((i - 1, level, _clean_title(prev)))
    sections = []
    for n, (idx, level, title) in enumerate(heads):
        start = idx + 1
        setext = start < len(lines) and _SETEXT.match(lines[start]) is not None and not _ATX.match(
            lines[idx]
        )
        if setext:
            start += 1
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body_text = "\n".join(lines[start:end])
        sections.append(
            Section(
                title=title,
                level=level,
                line=first_line + idx,
                end_line=first_line + max(end - 1, idx),
                body=body_text,
            )
        )
    return tuple(sections)


def strip_comments(text: str) -> str:
    """``text`` without HTML comments, in one linear pass (an unclosed ``<!--`` is kept).

    A regex such as ``<!--.*?-->`` rescans the rest of the text from every unclosed ``<!--``,
    which is quadratic on a card made of them.

    >>> strip_comments("a <!-- hidden --> b <!-- open")
    'a   b <!-- open'
    """
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start == -1:
            out.append(text[pos:])
            break
        end = text.find("-->", start + 4)
        if end == -1:
            out.append(text[pos:])
            break
        out.append(text[pos:start])
        out.append(" ")
        pos = end + 3
    return "".join(out)


@lru_cache(maxsize=4096)
def is_filled(text: str) -> bool:
    """Whether Markdown holds real content once filler, markup and comments are removed.

    >>> is_filled("[More Information Needed]")
    False
    >>> is_filled("The model was trained on 1T tokens of web text.")
    True
    """
    # A template line such as "- **Developed by:** [More Information Needed]" is filler as a
    # whole: its label is not content.
    if _MIN.search(text):
        text = "\n".join(line for line in text.split("\n") if not _MIN.search(line))
    stripped = _FILLER.sub(" ", strip_comments(text))
    stripped = _MARKUP.sub(" ", stripped)
    words = _WORD2.findall(stripped)
    return len(words) >= 3


def parse_card(path: str, text: str) -> Card:
    """Parse a card's text into metadata and sections; never raises."""
    front, body, body_line = split_front_matter(text)
    metadata: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    problems: list[str] = []
    if front is not None:
        metadata, problem = load_yaml_mapping(front)
        if problem:
            problems.append(problem)
        for offset, line in enumerate(front.split("\n")):
            m = _KEY_LINE.match(line)
            if m and m.group(1) not in key_lines:
                key_lines[m.group(1)] = offset + 2
    elif text.startswith("---\n"):
        problems.append("front matter opened with --- but never closed")
    lines = body.split("\n")
    mask = fence_mask(lines)
    card = Card(
        path=path,
        metadata=metadata,
        key_lines=key_lines,
        body=body,
        body_line=body_line,
        sections=_sections(lines, mask, body_line),
        problems=tuple(problems),
    )
    card.__dict__["_lines"] = (tuple(lines), tuple(mask))  # frozen: cache beside the fields
    return card


def ascii_lower(card: Card) -> str | None:
    """The card body in lower case, computed once for every probe; ``None`` when the body
    is not pure ASCII.

    Probes use it to skip a case-insensitive regex when a word every match must contain is
    absent. Only for ASCII text is ``word in lower`` exactly as strict as ``re.I`` (which
    also folds letters such as the long s and the Kelvin sign), so ``None`` means "run it".

    >>> ascii_lower(parse_card("README.md", "Training Data"))
    'training data'
    """
    if "_lower" not in card.__dict__:
        card.__dict__["_lower"] = card.body.lower() if card.body.isascii() else None
    lower: str | None = card.__dict__["_lower"]
    return lower


def may_contain(card: Card, *words: str) -> bool:
    """Whether the card body may hold one of ``words`` (lower-case ASCII), case-insensitively.

    ``False`` only when the body is ASCII and holds none of them: then no case-insensitive
    regex each of whose matches contains one of the words can match the body.

    >>> c = parse_card("README.md", "Trained on web text.")
    >>> may_contain(c, "summary"), may_contain(c, "web", "summary")
    (False, True)
    """
    lower = ascii_lower(card)
    return lower is None or any(word in lower for word in words)


def body_lines(card: Card) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The card body's lines and their :func:`fence_mask`, split once for every probe.

    >>> body_lines(parse_card("README.md", "a\\n```\\nb\\n```"))
    (('a', '```', 'b', '```'), (False, True, True, True))
    """
    cached = card.__dict__.get("_lines")
    if cached is None:
        lines = card.body.split("\n")
        cached = (tuple(lines), tuple(fence_mask(lines)))
        card.__dict__["_lines"] = cached
    return cached


def _clean_title(title: str) -> str:
    title = _TITLE_TAG.sub("", title)  # inline HTML anchors
    title = _EMPHASIS.sub("", title)
    title = _TITLE_LINK.sub(r"\1", title)
    return " ".join(title.split()).strip(" :")


# ----------------------------------------------------------------------------- field lines

#: Longest line read as a field; longer lines are prose (or hostile) and are cut.
MAX_FIELD_LINE = 2000

_LIST_PREFIX = lazyre.compile(r"^(?:[-*+>][ \t]+|\d{1,3}[.)][ \t]+){1,3}")
_LABEL_OK = lazyre.compile(r"[^\W\d_][\w .,'()/&+-]{0,58}")
_TABLE_SEP = lazyre.compile(r"^\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_LINK = lazyre.compile(r"\[([^\]\n]{0,300})\]\([^)\s]{0,500}\)")
_TAG_HTML = lazyre.compile(r"<[^>\n]{0,300}>")
_PLACEHOLDER = lazyre.compile(
    r"^\W*(?:\[?\s*more\s+information\s+needed\s*\]?|\[?\s*needs\s+more\s+information\s*\]?"
    r"|n/?a|tbd|tba|tbc|none|unknown|todo|coming\s+soon|to\s+be\s+(?:added|announced|"
    r"determined)|\[\s*optional\s*\]|\{\{.{0,200}\}\}|<!--.{0,500}-->)?\W*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Field:
    """A ``Label: value`` statement in the card body, with its 1-based line.

    ``form`` is ``field`` (a bold or plain ``Label:`` line, a list item) or ``table`` (a
    two-cell table row ``| Label | value |``). ``value`` is the text after the label; for a
    bold label alone on its line it is the paragraph that follows.
    """

    line: int
    label: str
    value: str
    raw: str
    form: str


def plain_text(text: str) -> str:
    """Markdown reduced to its words: link texts kept, targets, tags and emphasis dropped."""
    text = _LINK.sub(r"\1", text)
    text = _TAG_HTML.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def is_placeholder(value: str) -> bool:
    """Whether a field value is empty or template filler ("[More Information Needed]", "N/A").

    >>> is_placeholder("[More Information Needed]"), is_placeholder("-"), is_placeholder("A100")
    (True, True, False)
    """
    return _PLACEHOLDER.match(plain_text(value)[:600]) is not None


def fence_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside (or opens/closes) a fenced code block."""
    mask = []
    in_fence = False
    fence = ""
    for line in lines:
        m = _FENCE.match(line)
        if m:
            if not in_fence:
                in_fence, fence = True, m.group(1)
            elif m.group(1) == fence:
                in_fence = False
            mask.append(True)
            continue
        mask.append(in_fence)
    return mask


def _split_field(line: str) -> tuple[str, str, bool] | None:
    """(label, value, bold) of a field line, or ``None``."""
    if ":" not in line and "**" not in line and "__" not in line:
        return None  # neither a bold label nor a "Label:": most lines of prose
    s = _LIST_PREFIX.sub("", line.strip(), count=1)
    bold = s[:2] in ("**", "__")
    if bold:
        end = s.find(s[:2], 2)
        if end == -1 or end > 80:
            return None
        label, rest = s[2:end].strip(), s[end + 2:].lstrip()
        if label.endswith(":"):
            label = label[:-1]
        elif rest.startswith(":"):
            rest = rest[1:]
    else:
        i = s.find(":", 0, 62)
        if i <= 0:
            return None
        label, rest = s[:i], s[i + 1:]
        if rest.startswith("//"):  # a URL, not a label
            return None
    label = label.strip().rstrip(":").strip()
    if not _LABEL_OK.fullmatch(label) or len(label.split()) > 7:
        return None
    return label, rest.strip().strip("*_").strip(), bold


def _table_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def iter_fields(card: Card) -> list[Field]:
    """Every ``Label: value`` line and two-cell table row of the card body, outside code.

    Scanned once per card (several probes read the fields).

    >>> c = parse_card("README.md", "- **Hardware:** 8 x A100\\n")
    >>> [(f.label, f.value, f.form) for f in iter_fields(c)]
    [('Hardware', '8 x A100', 'field')]
    """
    cached = card.__dict__.get("_fields")
    if cached is None:
        cached = _scan_fields(card)
        card.__dict__["_fields"] = cached  # frozen dataclass: cache beside the fields
    return list(cached)


def _scan_fields(card: Card) -> list[Field]:
    lines, mask = body_lines(card)
    out: list[Field] = []
    for i, full in enumerate(lines):
        if mask[i]:
            continue
        line = full[:MAX_FIELD_LINE]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("|"):
            if _TABLE_SEP.match(stripped):
                continue
            cells = _table_cells(stripped)
            label = plain_text(cells[0]).strip(" :") if cells else ""
            if len(cells) >= 2 and label and _LABEL_OK.fullmatch(label) \
                    and len(label.split()) <= 7 and cells[1]:
                out.append(Field(card.body_line + i, label, cells[1], stripped, "table"))
            continue
        split = _split_field(stripped)
        if split is None:
            continue
        label, value, bold = split
        if not value and bold:
            value = _following_paragraph(lines, mask, i + 1)
        if value:
            out.append(Field(card.body_line + i, label, value, stripped, "field"))
    return out


def _following_paragraph(lines: Sequence[str], mask: Sequence[bool], start: int) -> str:
    """Up to six lines after a bold label on its own line (one blank line allowed first)."""
    taken: list[str] = []
    j = start
    if j < len(lines) and not lines[j].strip():
        j += 1
    while j < len(lines) and len(taken) < 6:
        text = lines[j].strip()
        if not text or mask[j] or text.startswith(("#", "**", "__", "|")) \
                or _split_field(text) is not None:
            break
        taken.append(text[:MAX_FIELD_LINE])
        j += 1
    return " ".join(taken)
