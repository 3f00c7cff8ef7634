"""Documentation benchmark: ethics-theme precision/recall and card throughput.

Usage:
    PYTHONPATH=src python3 benchmarks/documentation.py [--split held|dev|all] [--study]

1. Precision and recall of ethics detection and of each of Gao et al.'s six themes on the
   labelled sample ``tests/data/ethics/labels.jsonl`` (written by hand, rules in
   ``tests/data/ethics/RULES.md``); by default on the held-back part, which was not used to
   write the rules.
2. Throughput over the 1,869 recorded Hub cards (``../shared/hub/models/*/README.md``, the
   cards Gao et al. mined): the baseline is the front-matter split alone
   (``split_front_matter``); the measured path is the split plus section parsing, the
   ``doc.section``/``doc.datasheet`` extractor and the ethics probe (`card` + `documentation` +
   `ethics`), in the same run. The last line is ``cards_per_s: N`` (the measured path).
3. ``--study``: the studies' headline quantities over the recorded cards, beside the
   published figures (docs/documentation.md explains the differences).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))

from openscope.analysis.documentation import MODEL_CARD_SECTIONS  # noqa: E402
from openscope.evidence import documentation, ethics  # noqa: E402
from openscope.evidence.card import split_front_matter  # noqa: E402
from openscope.evidence.context import Context  # noqa: E402
from openscope.evidence.facts import Evidence  # noqa: E402
from openscope.snapshot import Document, Snapshot  # noqa: E402

LABELS = REPO / "tests" / "data" / "ethics" / "labels.jsonl"


def load_labels(split: str) -> list[dict[str, Any]]:
    """The labelled paragraphs of ``split`` (``held``, ``dev`` or ``all``)."""
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if split == "all" or r["split"] == split]


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


def accuracy(split: str) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) for ethics detection and each theme."""
    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in ("ethics", *ethics.THEMES)}
    for row in load_labels(split):
        found = ethics.is_ethics(row["text"], row["heading"])
        got = set(ethics.themes_of(row["text"], row["heading"])) if found else set()
        want = set(row["themes"])
        for key, g, w in [("ethics", found, row["ethics"])] + [
                (t, t in got, t in want) for t in ethics.THEMES]:
            c = counts[key]
            c[0] += int(g and w)
            c[1] += int(g and not w)
            c[2] += int(w and not g)
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def cards() -> list[Path]:
    """The recorded Hub cards (1,869)."""
    root = SHARED / "hub" / "models"
    return sorted([*root.glob("*/README.md"), *root.glob("*/*/README.md")])


def _snapshot(path: Path, text: str) -> Snapshot:
    return Snapshot(ref="hf:" + str(path.parent.relative_to(SHARED / "hub" / "models")),
                    kind="model", source="mirror",
                    documents=(Document("README.md", text, size=len(text)),))


def analyse_card(path: Path, text: str) -> Evidence:
    """The documentation and ethics facts of one card (the measured path)."""
    ctx = Context(_snapshot(path, text))
    return Evidence([*documentation.extract(ctx), *ethics.extract(ctx)])


def throughput(paths: list[Path], texts: list[str]) -> tuple[float, float]:
    """(baseline cards/s, measured cards/s), best of two runs each."""
    def rate(fn: Any) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            for p, t in zip(paths, texts, strict=True):
                fn(p, t)
            best = min(best, time.perf_counter() - start)
        return len(paths) / best
    return rate(lambda p, t: split_front_matter(t)), rate(analyse_card)


def study(paths: list[Path], texts: list[str]) -> None:
    """Headline quantities over the recorded cards, beside the studies' figures."""
    n = len(paths)
    with_ethics = 0
    theme_docs: Counter[str] = Counter()
    section_filled: Counter[str] = Counter()
    hashes: Counter[str] = Counter()
    boiler_docs = 0
    for p, t in zip(paths, texts, strict=True):
        ev = analyse_card(p, t)
        facts = ev.of("doc.ethics")
        real = [f for f in facts if not f.attrs.get("boilerplate")]
        if real:
            with_ethics += 1
            for theme in {th for f in real for th in f.attrs["themes"]}:
                theme_docs[theme] += 1
        if any(f.attrs.get("boilerplate") for f in facts):
            boiler_docs += 1
        for h in {f.attrs["hash"] for f in facts}:
            hashes[h] += 1
        topics = {f.value for f in ev.of("doc.section") if f.attrs.get("filled")}
        for sid, _title, tops in MODEL_CARD_SECTIONS:
            if any(tp in topics for tp in tops):
                section_filled[sid] += 1
    copied = sum(c for c in hashes.values() if c > 1)
    gao = {"behavioural_risks": 62, "risk_mitigation": 43, "other": 39, "use_cases": 38,
           "references": 32, "data_quality": 28}
    print("\n== study: recorded Hub cards (Gao et al.'s 1,869 HF_CARD documents) ==")
    print(f"cards: {n}  (Gao: 1,869 HF cards mined; card presence is 100% by construction)")
    print(f"cards with ethics paragraphs (non-template): {with_ethics} "
          f"({100 * with_ethics / n:.1f}%)  (Gao: 186 of 1,869 HF cards relevant after "
          f"manual screening = 10.0%)")
    print(f"cards with template ethics paragraphs: {boiler_docs}; ethics paragraphs shared "
          f"by 2+ cards: {copied} paragraph-copies over {sum(1 for c in hashes.values() if c > 1)}"
          " distinct texts")
    print("theme share of cards with ethics content (ours vs Gao's 265 docs, all sources):")
    for theme in ethics.THEMES:
        ours = 100 * theme_docs[theme] / with_ethics if with_ethics else 0.0
        print(f"  {theme:18s} {ours:5.1f}%   Gao {gao[theme]}%")
    print("section completion (filled, share of all cards; Liang: limitations, evaluation "
          "and environmental impact lowest, training most often filled):")
    for sid, title, _tops in MODEL_CARD_SECTIONS:
        print(f"  {title:36s} {100 * section_filled[sid] / n:5.1f}%")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("held", "dev", "all"), default="held")
    ap.add_argument("--study", action="store_true", help="also print the study comparison")
    args = ap.parse_args(argv)
    rows = load_labels(args.split)
    print(f"labelled paragraphs ({args.split}): {len(rows)}, ethics: "
          f"{sum(r['ethics'] for r in rows)}")
    print(f"{'label':18s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s}")
    for key, (tp, fp, fn) in accuracy(args.split).items():
        p, r = _pr(tp, fp, fn)
        print(f"{key:18s} {tp:4d} {fp:4d} {fn:4d} {p:9.2f} {r:7.2f}")
    paths = cards()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    if args.study:
        study(paths, texts)
    base, measured = throughput(paths, texts)
    print(f"\ncards: {len(paths)}; baseline (front-matter split only): {base:,.0f} cards/s; "
          f"documentation + ethics: {measured:,.0f} cards/s ({base / measured:.0f}x slower)")
    print(f"cards_per_s: {measured:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
