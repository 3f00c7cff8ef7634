"""The verdict key: which metadata of a Hub list record the audit code reads, and how.

A census runs :func:`openscope.pipeline.audit_snapshot` once per distinct *verdict key*, not
once per record, and joins the verdicts back. That is only correct if the key captures
everything the evidence, component and framework code reads from a metadata-only snapshot
(``files=None``, no documents). This module is the single place that states it.

What the audit reads from a list record (``Snapshot.metadata``), and what the key keeps:

=====================  =====================================  ==============================
metadata               read by                                key field
=====================  =====================================  ==============================
``tags`` license:*     evidence.license_decl (classified)     ``k_license`` (values, in order)
``tags`` format tags   evidence.weights (listing unknown)     ``k_formats`` (values, in order)
``tags`` dataset:*     evidence.metadata -> component 15      ``k_dataset`` (any)
``tags`` arxiv:*       evidence.research -> 21, preprint      ``k_arxiv`` (any)
``tags`` doi:*         evidence.research -> 21, paper         ``k_doi`` (any)
``tags`` base_model:*  evidence.metadata (lineage facts)      ``k_base`` (any), ``k_base_rel``
``tags`` open-source   evidence.claims (tag claim)            ``k_claim_tag`` (any)
``id`` (repo name)     evidence.claims (name claim)           ``k_claim_name``
``library_name``       evidence.code -> component 22          ``k_library`` (present)
``pipeline_tag``       evidence.metadata (``meta.task``)      ``k_pipeline`` (present)
``gated``              evidence.metadata -> gating            ``k_gated`` (JSON value)
``private``            evidence.metadata (``access.private``) ``k_private``
``disabled``           evidence.metadata (``access.disabled``) ``k_disabled``
``tags`` (any at all)  osai_index weights: "nothing recorded"  ``k_tagged`` (non-empty)
``tags`` model type    evidence.metadata -> component 9       ``k_model_type`` (any)
=====================  =====================================  ==============================

Values the verdicts never depend on (dataset, arXiv and base-model ids, the library and task
names, every other tag, downloads, likes, dates) only appear in reasons and evidence lists,
which the census does not store. A record carrying any of :data:`RICH_FIELDS` (a card's
metadata, a file listing, a config, ...) is *not* keyed: it is audited on its own.

The tests prove the key complete: shuffling every non-key field between records leaves
each record's verdicts unchanged, ~2,000 real records give the same census row as
``audit_snapshot`` of their own snapshot, and :data:`READ_FIELDS` is checked against the
metadata keys the audit actually touches. At run time a sample of keyed rows is also
audited individually and any disagreement is counted in the manifest (``key_check``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from openscope.evidence.weights import FORMAT_TAGS
from openscope.snapshot import Snapshot
from openscope.sources.hubrecord import listing_from, repo_url

#: Bump when the key changes: verdicts cached under another key version are not reused.
KEY_VERSION = "3"

#: Metadata fields of a list record that the audit reads (see the table above).
READ_FIELDS: frozenset[str] = frozenset(
    {"tags", "library_name", "pipeline_tag", "gated", "private", "disabled"}
)

#: Fields whose presence makes a record "rich": it is audited individually, not keyed.
RICH_FIELDS: tuple[str, ...] = (
    "cardData",
    "siblings",
    "config",
    "safetensors",
    "baseModels",
    "model-index",
    "gguf",
    "transformersInfo",
    "links",  # links found by lineage enrichment (openscope.lineage), read as evidence
)

#: Fields of list records that the audit never reads (stored as data columns only).
PLAIN_FIELDS: frozenset[str] = frozenset(
    {"_id", "id", "modelId", "author", "likes", "downloads", "downloadsAllTime", "createdAt",
     "lastModified", "sha", "trendingScore", "spaces", "childrenModelCount"}
)

#: Format tags, exactly as :mod:`openscope.evidence.weights` reads them.
FORMAT_TAG_NAMES: tuple[str, ...] = tuple(sorted(FORMAT_TAGS))

#: Key fields, in the order they are hashed.
KEY_FIELDS: tuple[str, ...] = (
    "k_license", "k_formats", "k_dataset", "k_arxiv", "k_doi", "k_base", "k_base_rel",
    "k_claim_tag", "k_claim_name", "k_library", "k_pipeline", "k_gated", "k_private",
    "k_disabled", "k_tagged", "k_model_type",
)

# Placeholders used to build the synthetic snapshot of a key (their values never matter).
_PLACEHOLDER = {
    "dataset": "dataset:census/placeholder",
    "arxiv": "arxiv:0000.00000",
    "doi": "doi:10.0000/census.placeholder",
    "base": "base_model:census/placeholder",
}


#: A transformers model type standing for any (the verdicts never depend on which).
_MODEL_TYPE_PLACEHOLDER = "llama"


def record_snapshot(record: Mapping[str, Any]) -> Snapshot:
    """The metadata-only snapshot of one Hub API record, as ``audit`` would see it.

    The listing is the record's ``siblings`` when it has them, else unknown (``None``);
    no documents are read. This is what a census audits for a rich record and what the
    tests compare keyed verdicts against.
    """
    repo_id = str(record.get("id") or "")
    metadata = {k: v for k, v in record.items() if k != "siblings"}
    sha = record.get("sha")
    return Snapshot(
        ref=f"hf:{repo_id}",
        kind="model",
        source="census",
        revision=sha if isinstance(sha, str) else None,
        files=listing_from(record),
        metadata=metadata,
        url=repo_url("model", repo_id),
    )


def key_snapshot(key: Mapping[str, Any]) -> Snapshot:
    """A synthetic metadata-only snapshot carrying exactly the features of ``key``."""
    tags: list[str] = [f"license:{v}" for v in key.get("k_license") or ()]
    tags += list(key.get("k_formats") or ())
    for name in ("dataset", "arxiv", "doi", "base"):
        if key.get(f"k_{name}"):
            tags.append(_PLACEHOLDER[name])
    for rel in key.get("k_base_rel") or ():
        tags.append(f"base_model:{rel}:census/placeholder")
    if key.get("k_claim_tag"):
        tags.append("open-source")
    if key.get("k_tagged"):
        tags.append("census-other-tag")
    if key.get("k_model_type"):
        tags.append(_MODEL_TYPE_PLACEHOLDER)
    metadata: dict[str, Any] = {"id": "census/key", "tags": tags}
    if key.get("k_library"):
        metadata["library_name"] = "census-library"
    if key.get("k_pipeline"):
        metadata["pipeline_tag"] = "census-task"
    gated = key.get("k_gated")
    if gated is not None:
        metadata["gated"] = json.loads(gated)
    if key.get("k_private"):
        metadata["private"] = True
    if key.get("k_disabled"):
        metadata["disabled"] = True
    name = "open-source-model" if key.get("k_claim_name") else "model"
    return Snapshot(ref=f"hf:census/{name}", kind="model", source="census", files=None,
                    metadata=metadata, url=None)


def is_rich(record: Mapping[str, Any]) -> bool:
    """Whether a record carries fields beyond a list record (audited individually)."""
    return any(record.get(f) is not None for f in RICH_FIELDS)
