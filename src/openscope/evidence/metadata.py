"""Facts from card front matter and the Hub record: datasets, base model, tags, task, gating."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from openscope import lazyre
from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, snippet
from openscope.evidence.probes import Probe


def as_list(value: Any) -> list[str]:
    """A YAML scalar-or-list value as a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    return [text] if text else []


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield metadata facts: card presence and problems, datasets, lineage, task, access."""
    snap = ctx.snapshot
    card = ctx.card
    doc = snap.card()
    # What the source could not check: absence is only evidence where we looked.
    if snap.files is None:
        yield Fact("coverage.no_listing", "file listing not recorded", "detected",
                   snippet="the source did not record the release's files")
    yield from _folder_coverage(snap.source, snap.files is not None, snap.metadata)
    card_listed = snap.files is None or any(
        f.path.lower() in ("readme.md", "readme") for f in snap.files)
    if doc is None and card_listed:
        yield Fact("coverage.no_card", "card not read", "detected",
                   snippet="the card was not read (listed or listing unknown)")
    if doc is not None:
        yield Fact("card.present", doc.path, "detected", path=doc.path, attrs={"size": doc.size})
        if doc.problem:
            yield Fact("card.problem", doc.problem, "detected", path=doc.path)
    if card is not None:
        for problem in card.problems:
            yield Fact("card.problem", problem, "detected", path=card.path)

    data = ctx.card_data
    for key in ("datasets",):
        path, line, k = ctx.meta_location(key)
        for ds in as_list(data.get(key)):
            yield Fact("data.dataset", ds, "declared", path=path, line=line, key=k,
                       snippet=snippet(f"{key}: {ds}"))
    for tag in ctx.tags:
        if tag.startswith("dataset:"):
            yield Fact("data.dataset", tag[8:], "declared", key="tags", snippet=tag)

    relation = as_list(data.get("base_model_relation"))
    path, line, k = ctx.meta_location("base_model")
    for base in as_list(data.get("base_model")):
        yield Fact("lineage.base_model", base, "declared", path=path, line=line, key=k,
                   attrs={"relation": relation[0] if relation else None})
    for base in as_list(snap.metadata.get("baseModels") and _base_ids(snap.metadata["baseModels"])):
        yield Fact("lineage.base_model", base, "declared", key="baseModels")
    for tag in ctx.tags:
        if tag.startswith("base_model:") and tag.count(":") >= 1:
            parts = tag.split(":")
            if len(parts) == 2:
                yield Fact("lineage.base_model", parts[1], "declared", key="tags", snippet=tag)
            elif len(parts) == 3:
                yield Fact("lineage.base_model", parts[2], "declared", key="tags", snippet=tag,
                           attrs={"relation": parts[1]})

    for key, kind in (("pipeline_tag", "meta.task"), ("library_name", "meta.library")):
        value = data.get(key) or snap.metadata.get(key)
        if isinstance(value, str) and value:
            path, line, k = ctx.meta_location(key)
            yield Fact(kind, value, "declared", path=path, line=line, key=k)
    for lang in as_list(data.get("language")):
        yield Fact("meta.language", lang, "declared", key="language")
    for tag in as_list(data.get("tags")) + list(ctx.tags):
        yield Fact("meta.tag", tag, "declared", key="tags")
    types = model_types()
    for tag in ctx.tags:
        if tag in types:
            yield Fact("meta.model_type", tag, "declared", key="tags", snippet=tag,
                       attrs={"source": "Hub tag derived from config.json model_type"})
            break

    yield from _gating(ctx, data)
    for flag in ("private", "disabled"):
        if snap.metadata.get(flag) is True:
            yield Fact(f"access.{flag}", flag, "declared", key=flag)


def _folder_coverage(source: str, listed: bool, metadata: Any) -> Iterator[Fact]:
    """Where a folder's listing came from: the folder alone, an upstream listing, LFS pointers.

    A folder may be a partial download (weights left upstream); the reader should know that
    absence was judged from what the folder holds. This is a note, never a reason to call
    absence unknown: a folder is the release as the user has it.
    """
    if source != "local" or not listed:
        return
    listing = metadata.get("listing")
    pointers = metadata.get("lfs_pointers")
    if isinstance(listing, dict):
        yield Fact("coverage.upstream_listing", str(listing.get("name") or "listing"),
                   "detected", key="listing",
                   snippet=f"{listing.get('added', 0)} files of the upstream listing "
                           "added to the folder's own",
                   attrs={k: listing[k] for k in ("format", "entries", "added") if k in listing})
    if isinstance(pointers, int) and pointers > 0:
        yield Fact("coverage.lfs_pointers", str(pointers), "detected", key="lfs_pointers",
                   snippet=f"{pointers} Git LFS pointer files counted as the files they stand for",
                   attrs={"count": pointers})
    if not isinstance(listing, dict) and not pointers:
        yield Fact("coverage.folder_only", "absence judged from the folder alone", "detected",
                   snippet="no upstream listing given and no Git LFS pointers found: files "
                           "missing from the folder (e.g. weights not downloaded) count as absent; "
                           "pass --listing FILE for a partial download")


@cache
def model_types() -> frozenset[str]:
    """The transformers library's model types (``evidence/data/transformers_model_types.txt``)."""
    text = resources.files("openscope.evidence").joinpath(
        "data/transformers_model_types.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


#: Card front-matter keys the Hub reads to show an access gate.
GATE_KEYS = ("extra_gated_prompt", "extra_gated_heading", "extra_gated_fields",
             "extra_gated_button_content", "extra_gated_description")
# A licence named in the gate's prompt: "[Falcon-180B TII license](...)", "the X License".
_GATE_LICENSE = lazyre.compile(r"\[([^\]\n]{2,80}?licen[cs]e[^\]\n]{0,40})\]|"
                               r"((?<![\w.\-])(?:[A-Z][\w.\-]*\s){1,6}(?:Community\s)?Licen[cs]e(?:\s[Aa]greement)?)")


def _gating(ctx: Context, data: dict[str, Any]) -> Iterator[Fact]:
    """The gate: the API's ``gated`` field, else ``extra_gated_*`` keys in the front matter.

    The Hub shows a gate when a card declares ``extra_gated_*`` keys, so the card is evidence
    of gating even where the API record was not kept. ``access.public`` is only emitted from
    a recorded ``gated: false``: silence proves nothing.
    """
    snap = ctx.snapshot
    gated = snap.metadata.get("gated")
    gate_keys = [k for k in GATE_KEYS if k in data]
    if gated not in (None, False, "false", "False"):
        yield Fact("access.gated", str(gated), "declared", key="gated",
                   url=snap.url, snippet=f"gated: {gated}")
    elif gated is False:
        yield Fact("access.public", "not gated", "declared", key="gated",
                   snippet="gated: false (Hub API record)")
    elif gate_keys:
        path, line, k = ctx.meta_location(gate_keys[0])
        yield Fact("access.gated", "card gate", "declared", path=path, line=line, key=k,
                   snippet=snippet(f"{gate_keys[0]}: {data[gate_keys[0]]}"),
                   attrs={"source": "card", "keys": gate_keys})
    elif snap.source in ("hf", "mirror", "census"):
        yield Fact("coverage.no_gate_record", "gating not recorded", "detected",
                   snippet="the Hub record kept does not say whether the repository is gated, "
                           "and the card declares no gate")
    for key in gate_keys:
        path, line, k = ctx.meta_location(key)
        text = str(data[key])[:4000]
        yield Fact("access.gate_terms", key, "declared", path=path, line=line, key=k,
                   snippet=snippet(text))
        if key in ("extra_gated_prompt", "extra_gated_heading", "extra_gated_button_content"):
            yield from _gate_licenses(text, path, line, k)


def _gate_licenses(text: str, path: str | None, line: int | None,
                   key: str | None) -> Iterator[Fact]:
    """Licences the gate asks users to accept, where the knowledge base knows them."""
    from openscope import licenses

    seen: set[str] = set()
    for m in _GATE_LICENSE.finditer(text):
        name = (m.group(1) or m.group(2) or "").strip()
        c = licenses.classify(name)
        if c.license is None or c.license.id in seen:
            continue
        seen.add(c.license.id)
        yield Fact("license.gate_terms", name, "declared", path=path, line=line, key=key,
                   snippet=snippet(text),
                   attrs={"id": c.license.id, "openness": c.openness, "source": "gate"})


def _base_ids(value: Any) -> list[str]:
    """The API's ``baseModels`` is a dict {relation, models:[{id}]} or a list of ids."""
    if isinstance(value, dict):
        models = value.get("models") or []
        return [str(m.get("id")) for m in models if isinstance(m, dict) and m.get("id")]
    return as_list(value)

PROBES = (
    Probe("coverage.listing", "Did the source record the release's file listing?",
          ("coverage.no_listing",),
          "A snapshot without a listing (a census row, a card-only record) gets this fact, so "
          "absence of files is never read as evidence.", "none known"),
    Probe("coverage.folder", "Where did a local folder's listing come from?",
          ("coverage.folder_only", "coverage.upstream_listing", "coverage.lfs_pointers"),
          "For a folder audit (source `local`): an upstream listing given with `--listing` "
          "(`metadata.listing`: `attrs.format`, `entries`, `added`) is "
          "`coverage.upstream_listing`; Git LFS pointer files counted as the files they stand "
          "for (`metadata.lfs_pointers`) are `coverage.lfs_pointers`; with neither, "
          "`coverage.folder_only` notes that absence was judged from the folder alone. A note "
          "for the reader: it never turns absence into unknown.",
          "A complete clone audited without a listing still gets `coverage.folder_only`."),
    Probe("coverage.card", "Was the card read where one exists or may exist?",
          ("coverage.no_card", "card.present", "card.problem"),
          "The card document is looked up in the snapshot; a listed README that was not "
          "downloaded, or an unknown listing, records that the card was not read.",
          "A repository whose card lives under another name (e.g. MODEL_CARD.md only) is "
          "treated as card-less."),
    Probe("metadata.datasets", "Which datasets does the card metadata name?", ("data.dataset",),
          "`datasets:` in the front matter and `dataset:` Hub tags.",
          "Publishers sometimes list evaluation sets in `datasets:`."),
    Probe("metadata.base-model", "Which base models does the metadata declare?",
          ("lineage.base_model",),
          "`base_model` (with `base_model_relation`), the API's `baseModels` and "
          "`base_model:` tags.", "none known"),
    Probe("metadata.descriptors", "What task, library, languages and tags are declared?",
          ("meta.task", "meta.library", "meta.language", "meta.tag", "meta.model_type"),
          "`pipeline_tag`, `library_name`, `language`, `tags` and the Hub tags. A Hub tag "
          "naming a transformers `model_type` (the Hub derives it from `config.json`) shows an "
          "architecture configuration in the repository even where the listing was not kept.",
          "A publisher who adds a model-type name as a free tag without a config.json."),
    Probe("access.gating", "Does the release gate access, and on what terms?",
          ("access.gated", "access.public", "access.gate_terms", "access.private",
           "access.disabled", "license.gate_terms", "coverage.no_gate_record"),
          "The API's `gated` field; `extra_gated_*` keys in the card front matter (the gate "
          "the Hub shows, even where the API record was not kept) make the release gated, and "
          "their prompt is kept as the gate's terms, and a licence the prompt asks users to accept "
          "(\"You agree to the [X License]\") is a licence statement (`license.gate_terms`) "
          "where the knowledge base knows it. `access.public` only from a recorded "
          "`gated: false`, never from silence; a Hub record that does not say records "
          "`coverage.no_gate_record`.",
          "A card that keeps `extra_gated_*` keys after the gate was lifted on the Hub."),
)
