"""Untrusted metadata brought to the shapes the extractors expect, at the boundary.

Card front matter, Hub API records and saved snapshots are written by whoever publishes the
release. Every key the code reads is declared here with its shape; :func:`shape_card` and
:func:`shape_record` apply the declaration once, so an extractor never meets ``tags: 5``,
``model-index: [{results: 7}]``, ``config: {architectures: 5}`` or an integer too long to
print. A value of the wrong shape is converted when that is unambiguous (a scalar where a
list is expected becomes a one-item list, a number where text is expected becomes its text)
and dropped otherwise. Keys not declared are kept, with oversized integers removed.

>>> shape_card({"tags": 5, "license": ["mit", {"x": 1}], "model-index": [{"results": 7}]})
{'tags': ['5'], 'license': ['mit'], 'model-index': [{'results': []}]}
>>> shape_record({"config": {"architectures": "LlamaForCausalLM"}, "siblings": [7]})
{'config': {'architectures': ['LlamaForCausalLM']}, 'siblings': []}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: Integers longer than this many bits are dropped: ``str()`` refuses beyond 4,300 digits, and
#: no real count, size or parameter number comes near it.
MAX_INT_BITS = 256
#: How deep undeclared values are walked to remove oversized integers; deeper is cut.
MAX_DEPTH = 64

# Shape names: TEXT a string; TEXTS a list of strings; TEXT_OR_TEXTS either; INT an integer;
# SCALAR a string, number or boolean; MAP a mapping (undeclared keys kept); ANY anything.
# A dict spec is a MAP with declared keys; a one-item list spec is a list of that shape.
TEXT, TEXTS, TEXT_OR_TEXTS, INT, SCALAR, MAP, ANY = (
    "text", "texts", "text|texts", "int", "scalar", "map", "any")

_MODEL_INDEX: dict[str, Any] = {
    "name": TEXT,
    "results": [{"task": MAP, "dataset": MAP, "metrics": [MAP], "source": MAP}],
}

#: Card front matter (and the Hub record's ``cardData``).
CARD_SPEC: dict[str, Any] = {
    "tags": TEXTS, "datasets": TEXTS, "language": TEXTS, "metrics": TEXTS,
    "license": TEXT_OR_TEXTS, "license_name": TEXT_OR_TEXTS, "license_link": TEXT_OR_TEXTS,
    "base_model": TEXT_OR_TEXTS, "base_model_relation": TEXT_OR_TEXTS,
    "pipeline_tag": TEXT, "library_name": TEXT_OR_TEXTS, "model_name": TEXT,
    "model_type": TEXT, "model-index": [_MODEL_INDEX],
    "extra_gated_prompt": TEXT, "extra_gated_heading": TEXT, "extra_gated_description": TEXT,
    "extra_gated_button_content": TEXT, "extra_gated_fields": MAP,
    "pretty_name": TEXT, "task_categories": TEXTS, "size_categories": TEXTS,
}

#: A Hub API record (``/api/models/ID``) or a snapshot's metadata.
RECORD_SPEC: dict[str, Any] = {
    "id": TEXT, "modelId": TEXT, "author": TEXT, "sha": TEXT, "lastModified": TEXT,
    "createdAt": TEXT, "pipeline_tag": TEXT, "library_name": TEXT, "tags": TEXTS,
    "gated": SCALAR, "private": SCALAR, "disabled": SCALAR,
    "downloads": INT, "likes": INT, "usedStorage": INT,
    "cardData": CARD_SPEC,
    "config": {"architectures": TEXTS, "model_type": TEXT},
    "baseModels": ANY,  # a mapping {relation, models: [{id}]} or a list of ids
    "siblings": [{"rfilename": TEXT, "size": INT}],
    "links": [MAP],
    "safetensors": {"total": INT, "parameters": MAP},
}


def shape_card(data: Mapping[str, Any]) -> dict[str, Any]:
    """Card metadata with every declared key in its declared shape (see module doc)."""
    return _shape_map(data, CARD_SPEC, 0)


def shape_record(data: Mapping[str, Any]) -> dict[str, Any]:
    """A Hub record with every declared key in its declared shape (see module doc)."""
    shaped = _shape_map(data, RECORD_SPEC, 0)
    bases = shaped.get("baseModels")
    if isinstance(bases, Mapping):
        models = bases.get("models")
        shaped["baseModels"] = {**bases, "models": [m for m in models if isinstance(m, Mapping)]
                                if isinstance(models, list) else []}
    return shaped


def safe_int(text: str) -> int | None:
    """``json``'s ``parse_int``: an integer, or ``None`` beyond :data:`MAX_INT_BITS`.

    >>> safe_int("12"), safe_int("9" * 5000)
    (12, None)
    """
    return int(text) if len(text) <= MAX_INT_BITS // 3 else None


def loads(text: str | bytes) -> Any:
    """``json.loads`` for untrusted text: oversized integers become ``None``, not an error."""
    return json.loads(text, parse_int=safe_int)


_MISSING = object()


def _shape(value: Any, spec: Any, depth: int) -> Any:
    """``value`` in shape ``spec``, or :data:`_MISSING` when it cannot be."""
    if depth > MAX_DEPTH:
        return _MISSING
    if isinstance(spec, dict):
        return _shape_map(value, spec, depth + 1) if isinstance(value, Mapping) else _MISSING
    if isinstance(spec, list):
        items = value if isinstance(value, list | tuple) else [value]
        out = [_shape(item, spec[0], depth + 1) for item in items]
        return [item for item in out if item is not _MISSING]
    if spec == TEXT:
        return _text(value)
    if spec == TEXTS:
        return _shape(value, [TEXT], depth)
    if spec == TEXT_OR_TEXTS:
        return _text(value) if not isinstance(value, list | tuple) else _shape(value, [TEXT],
                                                                               depth)
    if spec == INT:
        return value if isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() <= MAX_INT_BITS else _MISSING
    if spec == SCALAR:
        return _clean(value, depth) if isinstance(value, str | int | float | bool) else _MISSING
    if spec == MAP:
        return _shape_map(value, {}, depth + 1) if isinstance(value, Mapping) else _MISSING
    return _clean(value, depth)


def _shape_map(value: Mapping[str, Any], spec: Mapping[str, Any], depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        shaped = _shape(item, spec[key], depth) if key in spec else _clean(item, depth + 1)
        if shaped is not _MISSING:
            out[str(key) if not isinstance(key, str) else key] = shaped
    return out


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return _MISSING
    if isinstance(value, int):
        return str(value) if value.bit_length() <= MAX_INT_BITS else _MISSING
    if isinstance(value, float):
        return repr(value)
    return _MISSING


def _clean(value: Any, depth: int) -> Any:
    """``value`` without oversized integers, cut below :data:`MAX_DEPTH`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value.bit_length() <= MAX_INT_BITS else _MISSING
    if depth > MAX_DEPTH:
        return _MISSING if isinstance(value, Mapping | list | tuple) else value
    if isinstance(value, Mapping):
        return _shape_map(value, {}, depth + 1)
    if isinstance(value, list | tuple):
        out = [_clean(item, depth + 1) for item in value]
        return [item for item in out if item is not _MISSING]
    return value
