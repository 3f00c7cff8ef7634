"""Optional ScanCode backend for licence text identification.

Used only when asked (``identify_text(..., backend="scancode")`` or
``openscope licenses identify FILE --backend scancode``). Requires
``pip install 'openscope[scancode]'`` (scancode-toolkit-mini, pinned with pluggy<1.7).
ScanCode loads a ~400 MB index (seconds, ~1.4 GB RAM) on first use.

ScanCode keys are mapped back to openscope ids through the knowledge base aliases; the
Llama version is post-checked against the text's opening line, because ScanCode reports
the Meta Llama 3 licence as ``llama-3.1-license-2024``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from openscope.errors import UsageError
from openscope.licenses.kb import get
from openscope.licenses.model import Identification

MIN_SCORE = 80.0
#: ScanCode keys that say "some licence text is here" without naming a licence.
GENERIC_KEYS = ("unknown", "proprietary-license", "warranty-disclaimer", "free-unknown",
                "other-permissive", "other-copyleft", "commercial-license", "generic-cla",
                "public-domain-disclaimer")


def available() -> bool:
    """Whether ScanCode can be imported."""
    try:
        import scancode.api  # type: ignore[import-not-found]  # noqa: F401
    except Exception:
        return False
    return True


def _get_licenses(path: str) -> dict[str, Any]:
    try:
        from scancode.api import get_licenses
    except Exception as exc:  # ImportError, or pluggy >= 1.7 breaking plugin discovery
        raise UsageError(
            f"the ScanCode backend is not available ({type(exc).__name__}: {exc})",
            hint="install it with: pip install 'openscope[scancode]' (pins pluggy<1.7)",
        ) from exc
    result: dict[str, Any] = get_licenses(path, include_text=False)
    return result


def _map_key(key: str) -> str:
    lic = get(key) or get(f"LicenseRef-scancode-{key}")
    return lic.id if lic is not None else f"LicenseRef-scancode-{key}"


def identify_with_scancode(text: str, path: str | None = None) -> Identification:
    """Identify a licence text with ScanCode (matches below score 80 are rejected)."""
    from openscope.licenses.identify import _index
    from openscope.licenses.normalize import normalize_text

    if path and os.path.isfile(path):
        res = _get_licenses(path)
    else:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
                                         encoding="utf-8") as fh:
            fh.write(text)
            tmp = fh.name
        try:
            res = _get_licenses(tmp)
        finally:
            os.unlink(tmp)
    matches: list[tuple[str, float]] = []
    for det in res.get("license_detections") or []:
        for m in det.get("matches") or []:
            key = m.get("license_expression") or ""
            score = float(m.get("score") or 0.0)
            if key.startswith(GENERIC_KEYS):
                continue
            if key and all(k != key for k, _ in matches):
                matches.append((key, score))
    matches.sort(key=lambda kv: -kv[1])
    cands = tuple((_map_key(k), round(s / 100.0, 3)) for k, s in matches[:5])
    if not matches or matches[0][1] < MIN_SCORE:
        return Identification(None, None, 0.0, cands, "scancode", None)
    lid = _map_key(matches[0][0])
    # Llama version post-check from the opening line
    head = normalize_text(text[:2000])[:400]
    for tid, pat in _index().titles:
        if tid.startswith("llama") and pat.search(head):
            lid = tid
            break
    lic = get(lid)
    return Identification(lic.id if lic else lid, lic.name if lic else None,
                          round(matches[0][1] / 100.0, 3), cands, "scancode", lic)
