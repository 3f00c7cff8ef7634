#!/usr/bin/env python3
"""openscope's licence matcher vs ScanCode, on the same files, in one run.

Files: every licence / use-policy file of ../shared/corpus/releases plus the one-line
notices, with the expected ids of ``tests/licenses/expected_ids.json`` (written from
reading the texts). Each detector runs in its own subprocess so that peak memory is
clean; reported: accuracy (all files and AI licences only), load time, median and p95 ms
per file after load, peak RSS. The last line is ``speedup_vs_scancode: N`` (ScanCode's
median ms per file / ours).

ScanCode is not a dependency of openscope: install it in its own venv, e.g.::

    python3 -m venv /work/scvenv && /work/scvenv/bin/pip install scancode-toolkit-mini 'pluggy<1.7'
    python benchmarks/licenses_vs_scancode.py --scancode-python /work/scvenv/bin/python

(or set OPENSCOPE_SCANCODE_PYTHON). Without it the script prints "scancode: not
available" and still reports openscope's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXPECTED = REPO / "tests" / "licenses" / "expected_ids.json"


# ----------------------------------------------------------------------------- workers
# Workers print one JSON object: {"load_s", "results": [{"path", "raw", "ms"}], "peak_mb"}.


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def worker_builtin(paths: list[str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    sys.path.insert(0, str(REPO / "src"))
    from openscope.licenses import identify_text, warm_up

    warm_up()
    load = time.perf_counter() - t0
    out = []
    for p in paths:
        start = time.perf_counter()
        with open(p, "rb") as fh:
            data = fh.read(800_000)
        r = identify_text(data.decode("utf-8", errors="replace"), p)
        ms = (time.perf_counter() - start) * 1000
        out.append({"path": p, "raw": r.id, "ms": ms})
    return {"load_s": load, "results": out, "peak_mb": _peak_mb()}


def worker_scancode(paths: list[str]) -> dict[str, Any]:
    import warnings

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    from licensedcode.cache import get_index  # type: ignore[import-not-found]
    from scancode.api import get_licenses  # type: ignore[import-not-found]

    get_index()
    load = time.perf_counter() - t0
    out = []
    for p in paths:
        start = time.perf_counter()
        r = get_licenses(p)
        ms = (time.perf_counter() - start) * 1000
        out.append({"path": p, "raw": r.get("detected_license_expression"), "ms": ms})
    return {"load_s": load, "results": out, "peak_mb": _peak_mb()}


# ----------------------------------------------------------------------------- driver


def _cases(tmp: Path) -> list[dict[str, Any]]:
    exp = json.loads(EXPECTED.read_text(encoding="utf-8"))
    corpus = SHARED / "corpus" / "releases"
    cases = [{"path": str(corpus / rel), "label": rel, "expected": e["id"], "ai": e["ai"]}
             for rel, e in sorted(exp["files"].items())]
    for i, n in enumerate(exp["notices"]):
        p = tmp / f"notice-{i:02d}.txt"
        p.write_text(n["text"] + "\n", encoding="utf-8")
        cases.append({"path": str(p), "label": f"notice: {n['text'][:50]}",
                      "expected": n["id"], "ai": n["ai"]})
    return cases


def _map_scancode(raw: str | None) -> str | None:
    """ScanCode key expression -> openscope ids through the knowledge base aliases."""
    if not raw:
        return None
    from openscope.licenses import get

    parts = raw.replace("(", " ( ").replace(")", " ) ").split()
    mapped = []
    for tok in parts:
        if tok.upper() in ("AND", "OR", "WITH", "(", ")"):
            mapped.append(tok.upper() if tok.upper() in ("AND", "OR", "WITH") else tok)
            continue
        lic = get(tok) or get(f"LicenseRef-scancode-{tok}")
        mapped.append(lic.id if lic else f"LicenseRef-scancode-{tok}")
    return " ".join(mapped).replace("( ", "(").replace(" )", ")")


def _run_worker(python: str, name: str, paths: list[str], tmp: Path) -> dict[str, Any]:
    lst = tmp / f"{name}-paths.json"
    lst.write_text(json.dumps(paths), encoding="utf-8")
    proc = subprocess.run(
        [python, str(Path(__file__).resolve()), "--worker", name, "--paths", str(lst)],
        capture_output=True, text=True, timeout=1800, check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{name} worker failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(name: str, cases: list[dict[str, Any]], res: dict[str, Any],
             mapper: Any, verbose: bool) -> dict[str, Any]:
    ok = ok_ai = n_ai = lenient = 0
    misses = []
    for case, r in zip(cases, res["results"], strict=True):
        got = mapper(r["raw"])
        hit = got == case["expected"]
        ok += hit
        # lenient: the expected id is one of the ids the detector named
        named = set((got or "").replace("(", " ").replace(")", " ").split())
        lenient += hit or case["expected"] in named
        if case["ai"]:
            n_ai += 1
            ok_ai += hit
        if not hit:
            misses.append(f"  {name} miss: {case['label']}: expected {case['expected']}, "
                          f"got {got}")
    ms = sorted(r["ms"] for r in res["results"])
    s = {
        "accuracy": ok / len(cases),
        "accuracy_ai": ok_ai / n_ai if n_ai else 0.0,
        "correct": ok,
        "accuracy_lenient": lenient / len(cases),
        "files": len(cases),
        "load_s": res["load_s"],
        "median_ms": statistics.median(ms),
        "p95_ms": ms[int(0.95 * (len(ms) - 1))],
        "peak_mb": res["peak_mb"],
    }
    print(f"{name}: accuracy {ok}/{len(cases)} = {s['accuracy']:.1%} "
          f"(AI licences {ok_ai}/{n_ai} = {s['accuracy_ai']:.1%}; expected id among those "
          f"named {lenient}/{len(cases)}); "
          f"load {s['load_s']:.3f} s; median {s['median_ms']:.3f} ms/file, "
          f"p95 {s['p95_ms']:.3f} ms; peak RSS {s['peak_mb']:.0f} MB")
    if verbose or len(misses) <= 12:
        for m in misses:
            print(m)
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description="openscope licence matcher vs ScanCode")
    ap.add_argument("--scancode-python", default=os.environ.get("OPENSCOPE_SCANCODE_PYTHON"),
                    help="python of a venv with scancode-toolkit-mini "
                         "(default: $OPENSCOPE_SCANCODE_PYTHON)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--paths", help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.worker:
        paths = json.loads(Path(a.paths).read_text(encoding="utf-8"))
        fn = {"builtin": worker_builtin, "scancode": worker_scancode}[a.worker]
        print(json.dumps(fn(paths)))
        return

    sys.path.insert(0, str(REPO / "src"))
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        cases = _cases(tmp)
        paths = [c["path"] for c in cases]
        print(f"files: {len(cases)} ({sum(c['ai'] for c in cases)} AI licences / policies), "
              f"{sum(1 for c in cases if c['label'].startswith('notice'))} one-line notices")
        ours = _summary("openscope", cases, _run_worker(sys.executable, "builtin", paths, tmp),
                        lambda raw: raw, a.verbose)
        theirs = None
        py = a.scancode_python
        if py and Path(py).exists():
            try:
                theirs = _summary("scancode", cases, _run_worker(py, "scancode", paths, tmp),
                                  _map_scancode, a.verbose)
            except RuntimeError as exc:
                print(f"scancode: not available ({str(exc).splitlines()[-1][:200]})")
        else:
            print("scancode: not available (pass --scancode-python or set "
                  "OPENSCOPE_SCANCODE_PYTHON)")
    if theirs is not None:
        speed = theirs["median_ms"] / ours["median_ms"] if ours["median_ms"] else float("inf")
        print(f"load time ratio (scancode/openscope): {theirs['load_s'] / ours['load_s']:.0f}x; "
              f"peak memory ratio: {theirs['peak_mb'] / ours['peak_mb']:.1f}x")
        print(f"speedup_vs_scancode: {speed:.0f}")
    else:
        print("speedup_vs_scancode: n/a")


if __name__ == "__main__":
    main()
