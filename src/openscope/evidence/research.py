"""Research: arXiv ids, DOIs, peer-reviewed venue papers, technical reports, BibTeX."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, LineIndex, snippet
from openscope.evidence.probes import Probe

ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s?|arXiv\s)(\d{4}\.\d{4,5})(?:v\d+)?", re.I
)
DOI = re.compile(r"\b(10\.\d{4,9}/[-._;()/:A-Za-z0-9]+[A-Za-z0-9])")
VENUE = re.compile(
    r"https?://(?:www\.)?(aclanthology\.org|aclweb\.org/anthology|openreview\.net/(?:forum|pdf)|"
    r"proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press|jmlr\.org/papers|"
    r"openaccess\.thecvf\.com|ojs\.aaai\.org|ieeexplore\.ieee\.org|dl\.acm\.org|"
    r"link\.springer\.com|www\.nature\.com|science\.org|ijcai\.org/proceedings)[^\s)\]>\"']*",
    re.I,
)
_BIBTEX = re.compile(r"@(article|inproceedings|misc|techreport|unpublished|book|incollection|"
                     r"online|software)\s*\{", re.I)
_TECH_REPORT = re.compile(r"technical report|tech(nical)?\.? report|model report|white ?paper|"
                          r"system card", re.I)
_PEER_VENUE_FIELD = re.compile(r"^\s*(booktitle|journal)\s*=\s*[{\"](.+?)[}\"]", re.I | re.M)


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``research.*`` facts from tags, documents and listed PDF files."""
    seen: set[tuple[str, str]] = set()
    for tag in ctx.tags:
        if tag.startswith("arxiv:"):
            ident = tag[6:]
            seen.add(("arxiv", ident))
            yield Fact("research.arxiv", ident, "declared", key="tags", snippet=tag,
                       url=f"https://arxiv.org/abs/{ident}")
        elif tag.startswith("doi:"):
            seen.add(("doi", tag[4:]))
            yield Fact("research.doi", tag[4:], "declared", key="tags", snippet=tag,
                       url=f"https://doi.org/{tag[4:]}")
    for path, text in ctx.docs_text():
        if PurePosixPath(path).suffix.lower() not in (".md", ".markdown", ".rst", ".txt", ".bib",
                                                      ".cff", ""):
            continue
        yield from _from_text(path, text, seen)
    for path in ctx.snapshot.file_paths():
        lower = path.lower()
        if lower.endswith(".pdf"):
            kind = "research.tech_report" if _TECH_REPORT.search(lower.replace("_", " ")) or \
                "report" in lower or "paper" in lower else "research.pdf"
            yield Fact(kind, path, "detected", path=path)


def _from_text(path: str, text: str, seen: set[tuple[str, str]]) -> Iterator[Fact]:
    lines = LineIndex(text)
    lower = text.lower()
    # Cheap substring checks first: most documents cite nothing.
    arxiv = ARXIV.finditer(text) if "arxiv" in lower else iter(())
    dois = DOI.finditer(text) if "10." in text else iter(())
    venues = VENUE.finditer(text) if "http" in lower else iter(())
    for m in arxiv:
        ident = m.group(1)
        if ("arxiv", ident) not in seen:
            seen.add(("arxiv", ident))
            yield Fact("research.arxiv", ident, "detected", path=path, line=lines.line(m.start()),
                       url=f"https://arxiv.org/abs/{ident}",
                       snippet=snippet(lines.line_text(m.start())))
    for m in dois:
        doi = m.group(1).rstrip(".,;")
        if doi.lower().startswith("10.48550/arxiv"):
            continue  # arXiv's own DOIs are preprints, already counted
        if ("doi", doi) not in seen:
            seen.add(("doi", doi))
            yield Fact("research.doi", doi, "detected", path=path, line=lines.line(m.start()),
                       url=f"https://doi.org/{doi}", snippet=snippet(lines.line_text(m.start())))
    for m in venues:
        url = m.group(0).rstrip(".,;")
        if ("venue", url) not in seen:
            seen.add(("venue", url))
            yield Fact("research.paper", m.group(1), "detected", path=path,
                       line=lines.line(m.start()), url=url,
                       snippet=snippet(lines.line_text(m.start())))
    report = _TECH_REPORT.search(text) if ("report" in lower or "paper" in lower
                                           or "system card" in lower) else None
    if report and ("tech_report", path) not in seen:
        seen.add(("tech_report", path))
        yield Fact("research.tech_report_mention", report.group(0), "inferred", path=path,
                   line=lines.line(report.start()),
                   snippet=snippet(lines.line_text(report.start())))
    for m in (_BIBTEX.finditer(text) if "@" in text else ()):
        entry = text[m.start(): m.start() + 2000]
        line = text.count("\n", 0, m.start()) + 1
        venue = _PEER_VENUE_FIELD.search(entry)
        venue_name = venue.group(2).strip() if venue else ""
        attrs = {"type": m.group(1).lower(), "venue": venue_name or None}
        yield Fact("research.bibtex", m.group(1).lower(), "detected", path=path, line=line,
                   snippet=snippet(entry[:200]), attrs=attrs)
        if venue_name and not re.search(r"arxiv|preprint|corr\b", venue_name, re.I) and \
                m.group(1).lower() in ("article", "inproceedings", "incollection"):
            key = ("venue", venue_name.lower())
            if key not in seen:
                seen.add(key)
                yield Fact("research.paper", venue_name, "detected", path=path, line=line,
                           snippet=snippet(entry[:200]), attrs={"from": "bibtex"})

PROBES = (
    Probe("research.own-paper", "Which papers does the release present as its own?",
          ("research.arxiv", "research.doi", "research.paper", "research.bibtex"),
          "arXiv ids from `arxiv:` tags, and arXiv ids, DOIs and venue links in the card; "
          "BibTeX entries (`@inproceedings`/`@article` with a venue are peer-reviewed).",
          "An arXiv id cited for a method the release uses."),
    Probe("research.tech-report", "Is there a technical report?",
          ("research.tech_report", "research.tech_report_mention", "research.pdf"),
          "PDF files in the release, \"technical report\" / \"system card\" mentions.",
          "A mention of another model's report."),
)
