"""Agreement of openscope's MOT-compatible MOF mode with the Model Openness Tool's classes.

Feeds every record of ../shared/labels/mot-2026-05.json (the MOT's 273 self-assessed model
records at lfai/model_openness_tool@8b5d30e) through :func:`openscope.frameworks.mot.classify`
- the same function audits use - and compares the class with the tool's (``mot_class``), and
each component's status (included / invalid / unlicensed / missing) with the record's. Every
disagreement is listed with its reason. Then the strict default mode is run over the same
declared licences, and the differences are explained.

The adapter below turns a label record into the mode's input: a component with status
``missing`` is not listed; ``license_raw`` null means the component has no licence key of its
own (MOT then falls back to the release licence for its content type, then distribution).

Usage: python benchmarks/mof_agreement.py [--labels PATH] [--quiet]
Last line: ``agreement: 0.xx``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openscope.components.catalog import BY_NAME
from openscope.frameworks import mof, mot

if TYPE_CHECKING:
    from openscope.licenses import ContentType

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO.parent / "shared" / "labels" / "mot-2026-05.json"
STATUS = {"open": "included", "not_open": "invalid", "unlicensed": "unlicensed",
          "missing": "missing"}


def to_input(record: dict[str, Any]) -> mot.MotInput:
    """Adapt one label record to the MOT-compatible mode's input."""
    listed: dict[str, mot.Declared] = {}
    for name, comp in record["components"].items():
        if comp["status"] == "missing":
            continue
        raw = comp.get("license_raw")
        listed[name] = mot.Declared(raw, raw is not None)
    return mot.MotInput(listed, dict(record.get("global_licenses") or {}))


def _why_strict(inp: mot.MotInput, res: mot.MotResult) -> list[str]:
    """Reasons strict mode scores components differently from MOT."""
    from openscope import licenses

    reasons = []
    for name in inp.components:
        raw, _ = mot.resolve(BY_NAME[name].id, inp)
        if not raw or raw == "unlicensed":
            continue
        ctype = cast("ContentType", BY_NAME[name].content_type)
        c = licenses.classify(raw)
        status, _why, _clause = licenses.component_status(c, ctype)
        strict_ok = status == "open" and licenses.type_fit(c, ctype)
        mot_ok = res.status.get(name) == "included"
        if strict_ok and not mot_ok:
            reasons.append(f"{name}: {raw!r} normalised to an open licence (MOT: exact id "
                           "string only)")
        elif mot_ok and not strict_ok:
            why = ("not suited to " + ctype if status == "open"
                   else f"not an open licence for {ctype} ({status})")
            reasons.append(f"{name}: {raw!r} is {why} (MOT: type fit advisory)")
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--quiet", action="store_true", help="Only the summary lines.")
    args = parser.parse_args()
    data = json.loads(args.labels.read_text())
    records = data["models"]
    agree = 0
    component_agree = component_total = 0
    disagreements: list[str] = []
    strict_diff: list[str] = []
    reasons: Counter[str] = Counter()
    strict_classes: Counter[tuple[int, int]] = Counter()
    for rec in records:
        inp = to_input(rec)
        res = mot.classify(inp)
        bad = []
        for name, comp in rec["components"].items():
            component_total += 1
            if STATUS[comp["status"]] == res.status.get(name):
                component_agree += 1
            else:
                bad.append(f"{name}: tool {STATUS[comp['status']]}, ours "
                           f"{res.status.get(name)} (licence {res.licenses.get(name)!r})")
        if res.mof_class == rec["mot_class"]:
            agree += 1
        else:
            disagreements.append(f"{rec['name']} {rec.get('version') or ''}: tool class "
                                 f"{rec['mot_class']}, ours {res.mof_class}; "
                                 + ("; ".join(bad) or "component statuses agree"))
        strict = mof.strict_from_declared(inp)
        strict_classes[(res.mof_class, strict.mof_class)] += 1
        why = _why_strict(inp, res)
        for w in why:
            kind = ("accepted by strict only (normalised spelling / expression / PDDL)"
                    if "normalised" in w else "accepted by MOT only: " + w.split(" is ", 1)[-1]
                    .split(" (")[0])
            reasons[kind] += 1
        if strict.mof_class != res.mof_class:
            strict_diff.append(f"{rec['name']} {rec.get('version') or ''}: MOT class "
                               f"{res.mof_class} -> strict {strict.mof_class}: "
                               + "; ".join(why[:4]))
    n = len(records)
    print(f"MOT records: {n} (lfai/model_openness_tool@{data['commit'][:7]}, "
          f"{data['commit_date']})")
    print(f"component statuses agreeing: {component_agree}/{component_total}")
    print(f"class disagreements: {len(disagreements)}")
    for line in disagreements:
        print("  " + line)
    print()
    print(f"strict default mode differs from MOT on {len(strict_diff)} of {n} records:")
    if not args.quiet:
        for line in strict_diff:
            print("  " + line)
    print("  (MOT class -> strict class: count) "
          + ", ".join(f"{a}->{b}: {c}" for (a, b), c in sorted(strict_classes.items())
                      if a != b))
    print("  why: strict mode requires open-data terms (or OpenMDW) for weights and data and "
          "open-content terms for documents, where MOT only warns; it normalises spellings "
          "('Apache 2.0' -> Apache-2.0) and parses SPDX expressions, where MOT matches exact "
          "ids; it accepts PDDL-1.0 and CC0-1.0 as open data.")
    if reasons:
        print("  component licences judged differently (all records):")
        for reason, count in reasons.most_common(8):
            print(f"    {count:4d}  {reason}")
    print(f"agreement: {agree / n:.2f}")


if __name__ == "__main__":
    main()
