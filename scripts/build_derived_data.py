"""Precompute the lookup data openscope would otherwise derive at every start-up.

Writes, into ``src/openscope/licenses/data/``:

- ``licenses-keys.json``: ``normalize_key`` of every id, alias and name of
  ``licenses.json`` -> the licence's position, with the knowledge base's SHA-256;
- ``spdx-symbol-words.json``: the words of every SPDX key and alias in license_expression's
  vendored index, with that index's SHA-256.

Each file is used only while its digest matches what it was computed from (otherwise the
data is computed at run time, as before), and ``tests/licenses/test_derived_data.py`` fails
when a file is stale. Run after rebuilding the knowledge base, changing ``normalize_key``
or upgrading license-expression::

    PYTHONPATH=src python3 scripts/build_derived_data.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from openscope.licenses import kb  # noqa: E402
from openscope.licenses.spdx_table import (  # noqa: E402
    SYMBOL_WORDS_FILE,
    compute_symbol_words,
    spdx_index,
)

DATA = REPO / "src" / "openscope" / "licenses" / "data"


def keys_data() -> dict[str, object]:
    """The keys file's content for the knowledge base as it is now."""
    text = (DATA / "licenses.json").read_text(encoding="utf-8")
    lics = tuple(kb._license(d) for d in json.loads(text)["licenses"])
    position = {id(lic): i for i, lic in enumerate(lics)}
    ordered = sorted(lics, key=lambda lic: lic.deprecated)
    keys = {key: position[id(lic)] for key, lic in kb.compute_keys(ordered).items()}
    return {"licenses_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "keys": keys}


def symbol_words_data() -> dict[str, object]:
    """The symbol-words file's content for the license_expression installed here."""
    index = spdx_index()
    if index is None:
        raise SystemExit("license_expression's vendored index was not found")
    text = index.read_text(encoding="utf-8")
    return {"index_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "words": compute_symbol_words(text)}


def main() -> None:
    for name, data in ((kb.KEYS_FILE, keys_data()), (SYMBOL_WORDS_FILE, symbol_words_data())):
        path = DATA / name
        path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n",
                        encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
