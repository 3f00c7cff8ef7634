"""Licence intelligence for AI releases.

A versioned knowledge base (every SPDX licence with OSI/FSF flags, every Hugging Face
licence id, the AI model licences and use policies with their terms and deciding
clauses), classification of declared ids and expressions, per-component openness with
the deciding clause as evidence, fast text identification, and conflict / laundering
checks.

>>> from openscope.licenses import classify, component_status
>>> component_status(classify("llama3.1"), "data")[0]
'restricted'
"""

from __future__ import annotations

from openscope.licenses.classify import classify, component_status, deciding_clause, type_fit
from openscope.licenses.conflicts import (
    LaunderingFinding,
    LicenseConflict,
    check_laundering,
    find_conflicts,
)
from openscope.licenses.identify import identify_text, warm_up
from openscope.licenses.kb import all_licenses, get, kb_version
from openscope.licenses.model import (
    CONTENT_TYPES,
    Classification,
    Clause,
    ContentType,
    Identification,
    License,
    LicenseTerms,
    Openness,
)
from openscope.licenses.normalize import normalize_text


def __getattr__(name: str) -> str:
    # KB_VERSION is read from the data file lazily, so importing the package stays cheap.
    if name == "KB_VERSION":
        return kb_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONTENT_TYPES",
    "KB_VERSION",
    "Classification",
    "Clause",
    "ContentType",
    "Identification",
    "LaunderingFinding",
    "License",
    "LicenseConflict",
    "LicenseTerms",
    "Openness",
    "all_licenses",
    "check_laundering",
    "classify",
    "component_status",
    "deciding_clause",
    "find_conflicts",
    "get",
    "identify_text",
    "kb_version",
    "normalize_text",
    "type_fit",
    "warm_up",
]
