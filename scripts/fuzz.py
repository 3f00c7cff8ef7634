"""Long fuzzing runs of the parsers that meet hostile input, outside the test suite.

The suite's hypothesis tests (``tests/test_fuzz.py``) run a brief budget; hypothesis spends
most of its time on shrinking and bookkeeping, which is too slow for a million inputs. This
script applies the same mutations (hostile runs spliced into real cards, wrong-typed values
in real Hub records) with a seeded ``random.Random``, so a run is reproducible from its seed,
and feeds them straight to one target:

- ``card``: :func:`openscope.evidence.card.parse_card` must return a card;
- ``census``: :func:`openscope.census.partition.validate` must return a record or an error;
- ``snapshot``: :meth:`openscope.snapshot.Snapshot.from_json` may raise only ``InputError``;
- ``pipeline``: :func:`openscope.pipeline.audit_snapshot` must return a report whose JSON
  encodes.

Any other exception is a finding: the input is written to ``--crashes DIR`` and counted.
Seeds come from ``../shared/hub`` (real cards and API records).

Usage: ``python3 scripts/fuzz.py TARGET [-n 1000000] [--seed 15] [--start I] [--seconds S]
[--crashes DIR]``. ``--start`` continues or splits a run across processes: input ``i`` of a
seed is the same whatever process tries it.
Last line: ``fuzz TARGET: N inputs, F failures, R inputs/s``. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from openscope.census.partition import validate  # noqa: E402
from openscope.errors import InputError  # noqa: E402
from openscope.evidence.card import parse_card  # noqa: E402
from openscope.pipeline import audit_snapshot  # noqa: E402
from openscope.snapshot import Document, FileEntry, Snapshot  # noqa: E402
from openscope.testing.fixtures import shared_dir  # noqa: E402
from openscope.testing.fuzzseeds import NASTY as SUITE_NASTY  # noqa: E402
from openscope.testing.fuzzseeds import real_seeds  # noqa: E402

#: The suite's hostile fragments and a few more the long runs can afford.
NASTY = [*SUITE_NASTY, "```", "|", "\r", "\u202e", "**", ":", "<script>", "](", "http://", "\\"]
KEYS = ["tags", "cardData", "config", "baseModels", "siblings", "links", "lastModified",
        "safetensors", "gated", "id", "license", "pipeline_tag"]


def seeds(n: int = 200) -> tuple[list[str], list[dict[str, Any]]]:
    """Up to ``n`` real cards and Hub records of the whole mirror, chosen reproducibly."""
    return real_seeds(shared_dir() / "hub", n)


def _value(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of any type, hostile strings included."""
    pick = rng.randrange(9 if depth < 3 else 7)
    if pick == 0:
        return None
    if pick == 1:
        return rng.random() < 0.5
    if pick == 2:
        return rng.choice([0, -1, 5, 2**63, -(2**70), 10**5000 if rng.random() < 0.01 else 7])
    if pick == 3:
        return rng.uniform(-1e300, 1e300)
    if pick in (4, 5):
        return rng.choice(NASTY) * rng.randint(1, 3)
    if pick == 6:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(0, 12)))
    if pick == 7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice([*KEYS, "x", "rfilename", "models"]): _value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


def mutate_text(rng: random.Random, cards: list[str]) -> str:
    """A seed card with slices spliced, repeated or replaced by hostile runs."""
    text = rng.choice(cards)
    for _ in range(rng.randint(0, 4)):
        i = rng.randint(0, len(text))
        if rng.random() < 0.3:  # splice a slice of another card
            other = rng.choice(cards)
            j = rng.randint(0, len(other))
            piece = other[j:j + rng.randint(0, 400)]
        else:
            piece = rng.choice(NASTY) * rng.randint(1, 200)
        cut = rng.randint(0, 50) if rng.random() < 0.3 else 0
        text = text[:i] + piece + text[i + cut:]
    return text


def mutate_record(rng: random.Random, records: list[dict[str, Any]]) -> dict[str, Any]:
    """A seed Hub record with some keys replaced by values of any type."""
    record = dict(rng.choice(records))
    for _ in range(rng.randint(1, 5)):
        record[rng.choice([*record, *KEYS])] = _value(rng)
    return record


def target_card(rng: random.Random, cards: list[str], records: list[dict[str, Any]]) -> Any:
    text = mutate_text(rng, cards)
    card = parse_card("README.md", text)
    assert isinstance(card.metadata, dict)
    return text


def target_census(rng: random.Random, cards: list[str], records: list[dict[str, Any]]) -> Any:
    kind = rng.randrange(3)
    if kind == 0:
        try:
            line = json.dumps(mutate_record(rng, records), ensure_ascii=rng.random() < 0.5)
        except (TypeError, ValueError):
            return None
    elif kind == 1:
        line = mutate_text(rng, cards)[:400]
    else:
        line = "".join(chr(rng.randrange(0, 0x110000)) for _ in range(rng.randint(0, 60)))
    record, error, _rid = validate(line)
    assert (record is None) == (error is not None)
    return line


def target_snapshot(rng: random.Random, cards: list[str],
                    records: list[dict[str, Any]]) -> Any:
    data = Snapshot(ref="hf:org/model", source="hub").to_dict()
    data.update(metadata=mutate_record(rng, records), files=_value(rng))
    if rng.random() < 0.3:
        data[rng.choice(list(data))] = _value(rng)
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return None
    with contextlib.suppress(InputError):
        Snapshot.from_json(text)
    return text


def target_pipeline(rng: random.Random, cards: list[str],
                    records: list[dict[str, Any]]) -> Any:
    record = mutate_record(rng, records)
    card = mutate_text(rng, cards) if rng.random() < 0.8 else None
    siblings = record.get("siblings")
    files = tuple(FileEntry(s["rfilename"], None) for s in siblings
                  if isinstance(s, dict) and isinstance(s.get("rfilename"), str)) \
        if isinstance(siblings, list) else None
    docs = (Document("README.md", card, len(card)),) if card is not None else ()
    snap = Snapshot(ref="hf:org/model", source="hub", files=files, documents=docs,
                    metadata=record)
    # The values ``Report.to_json`` writes, encoded by json's C encoder (``to_json``'s
    # indent makes json use its pure-Python encoder, a third of this target's time).
    report = audit_snapshot(snap)
    json.dumps(report.data, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogateescape")
    return {"record": record, "card": card}


TARGETS: dict[str, Callable[[random.Random, list[str], list[dict[str, Any]]], Any]] = {
    "card": target_card, "census": target_census, "snapshot": target_snapshot,
    "pipeline": target_pipeline}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("-n", type=int, default=1_000_000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--start", type=int, default=0,
                        help="first input number (to continue or split a run: input i is "
                        "the same whatever the start)")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--seconds", type=float, default=None,
                        help="stop after this long and report the inputs tried")
    args = parser.parse_args()
    cards, records = seeds()
    run = TARGETS[args.target]
    failures = 0
    start = time.perf_counter()
    tried = 0
    for i in range(args.start, args.start + args.n):
        if args.seconds is not None and time.perf_counter() - start > args.seconds:
            break
        tried += 1
        rng = random.Random(args.seed * 1_000_003 + i)  # input i is reproducible alone
        try:
            run(rng, cards, records)
        except Exception:  # the finding: anything but the documented outcome
            failures += 1
            args.crashes.mkdir(parents=True, exist_ok=True)
            (args.crashes / f"{args.target}-{args.seed}-{i}.txt").write_text(
                traceback.format_exc(), encoding="utf-8", errors="backslashreplace")
        if tried % 100_000 == 0:
            rate = tried / (time.perf_counter() - start)
            print(f"  {args.target}: {tried} inputs (to #{i}), {failures} failures, "
                  f"{rate:.0f}/s", flush=True)
    rate = tried / (time.perf_counter() - start)
    print(f"fuzz {args.target}: {tried} inputs, {failures} failures, {rate:.0f} inputs/s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
