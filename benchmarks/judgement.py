"""How often openscope's verdicts agree with people who rated the same releases by hand.

End to end: every release is audited the way a user would audit it (``hf:ORG/NAME --mirror
../shared/hub`` with lineage and linked datasets, or the corpus folder with its upstream
listing), and the report is compared with

1. the Model Openness Tool's self-assessments (``../shared/labels/mot-2026-05.json``) for the
   Hub repos in the mirror and the corpus releases that have one: the MOF class (the class the
   evidence *proves*, MOT-compatible mode, and the attainable class) and each component's
   status, beside the baselines "always class 0" and "all unknown";
2. the European Open Source AI Index's expert ratings (``../shared/labels/osai-index/``): the 11
   rated dev releases, parameter by parameter, beside the baselines "all closed" and "best
   single value per parameter"; and, as a check on releases the rules were not tuned on, the
   Index's current ratings of systems whose end model is in the mirror (none today), and the
   current ratings of base models (``weights_basemodel``, ``datasources_basemodel``) where the
   raters' own evidence link is a model repository in the mirror: that repository is audited
   as a release of its own, whose base-model items are its own items.

Agreement here is **accuracy of our audits**; the port-fidelity figure of
``benchmarks/mof_agreement.py`` (our port of the MOT algorithm fed the records' own declared
licences) measures something else and is printed separately.

Every disagreement is listed with its cause: ``evidence we lack`` (the rating is unknown /
not-checked, or the raters' evidence lives where no source of ours looked) or ``rule`` (we
had evidence and judged differently).

Usage: python benchmarks/judgement.py [--quiet] [--no-follow-links]

By default the Index figures are printed twice, with and without following the releases' own
code repositories (recorded GitHub data in tests/data/github), and the gain is printed.
Last line: ``osai_agreement: 0.xx``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openscope.cli.remote_opts import audit_collected, make_options
from openscope.pipeline import audit_snapshot
from openscope.report import Report
from openscope.sources import open_ref

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MIRROR = SHARED / "hub"
MOT_LABELS = SHARED / "labels" / "mot-2026-05.json"
DEV = SHARED / "labels" / "osai-index" / "dev-releases.jsonl"
INDEX = SHARED / "labels" / "osai-index" / "index-2026-06.jsonl"
CORPUS = SHARED / "corpus"
GITHUB_MIRROR = REPO / "tests" / "data" / "github"

#: MOT component status -> the openscope status that agrees with it.
MOT_TO_OURS = {"open": "open", "not_open": "restricted", "unlicensed": "restricted",
               "missing": "absent"}


def hub_ids() -> set[str]:
    return {json.loads(line)["id"] for line in (MIRROR / "index.jsonl").open()}


def audit_hub(repo_id: str, follow: bool) -> Report:
    """The Hub mirror audit; own code repositories followed through the recorded GitHub
    data (``tests/data/github``) unless ``--no-follow-links``. Offline either way: a repo
    not recorded stays unknown, with a note. Own arXiv papers are not resolved here (a
    mirror with no ``OPENSCOPE_ARXIV_API`` never asks arXiv), so their licences stay
    "not checked"."""
    options = make_options(MIRROR, None, True, True, github_mirror=GITHUB_MIRROR,
                           follow_links=follow)
    snapshot = open_ref(f"hf:{repo_id}", options)
    return audit_collected(snapshot, options, 2)


def audit_corpus(folder: Path) -> Report:
    """``openscope audit FOLDER --listing FOLDER/files.txt``: the upstream listing joins the
    folder's own files, as a user auditing a partial download would do."""
    from openscope.cli.audit_cmd import collect

    listing = folder / "files.txt"
    options = make_options(None, None, True, True)
    return audit_snapshot(collect(str(folder), options,
                                  listing if listing.exists() else None))


# --------------------------------------------------------------------------- MOT

def _ours(status: str) -> str:
    return "absent" if status in ("unknown", "closed") else status


def mot_cases(hub: set[str]) -> list[tuple[str, Callable[[], Report], dict[str, Any]]]:
    models = json.loads(MOT_LABELS.read_text())["models"]
    cases: list[tuple[str, Callable[[], Report], dict[str, Any]]] = []
    done = set()
    for m in models:
        rid = m.get("hf_repo_id")
        if rid in hub and rid not in done:
            done.add(rid)
            cases.append((f"hf:{rid}", lambda r=rid: audit_hub(r, True), m))
    by_stem: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in models:
        by_stem[f"{m['name']}-{m['version']}".replace(" ", "-").lower()].append(m)
        by_stem[m["name"].replace(" ", "-").lower()].append(m)
    for row in csv.DictReader((CORPUS / "releases-index.csv").open()):
        if not row["mot"]:
            continue
        found = by_stem.get(row["mot"].removesuffix(".yml").lower(), [])
        if len(found) != 1 or found[0].get("hf_repo_id") in done:
            continue
        folder = CORPUS / "releases" / row["dir"]
        cases.append((f"corpus:{row['dir']}", lambda f=folder: audit_corpus(f), found[0]))
    return cases


def run_mot(hub: set[str], quiet: bool) -> dict[str, float]:
    cases = mot_cases(hub)
    cls_ok = cls_attain_ok = cls_zero = cls_mot_ok = 0
    comp_ok = comp_unknown = comp_n = 0
    confusion: Counter[tuple[str, str]] = Counter()
    lines = []
    for name, run, label in cases:
        report = run()
        mof_block = report.data["frameworks"]["mof"]
        proven = int(mof_block.get("proven_class", 0) or 0)
        attain = int(mof_block.get("attainable_class", proven) or 0)
        mot_cls = int(mof_block.get("mot_compatible", {}).get("class", 0) or 0)
        want = int(label.get("mot_class") or 0)
        cls_ok += proven == want
        cls_attain_ok += attain == want
        cls_mot_ok += mot_cls == want
        cls_zero += want == 0
        comps = {c["name"]: c for c in report.data["components"]}
        for cname, lab in label["components"].items():
            if cname not in comps:
                continue
            exp = MOT_TO_OURS.get(lab["status"], "absent")
            got = _ours(comps[cname]["status"])
            comp_n += 1
            comp_ok += got == exp
            comp_unknown += exp == "absent"
            confusion[(exp, got)] += 1
            if got != exp and not quiet:
                cause = ("evidence we lack" if comps[cname]["status"] == "unknown"
                         else "rule")
                lines.append(f"  {name:55} {cname:32} ours={comps[cname]['status']:10} "
                             f"MOT={lab['status']:10} [{cause}]")
        if proven != want and not quiet:
            lines.append(f"  {name:55} CLASS ours={proven} attainable={attain} MOT={want}")
    n = len(cases)
    print(f"== Model Openness Tool self-assessments: {n} releases, end to end ==")
    print(f"MOF proven class agreement:                   {cls_ok}/{n} = {cls_ok / n:.2f}   "
          f"baseline 'always class 0': {cls_zero}/{n} = {cls_zero / n:.2f}")
    print(f"MOF attainable-class agreement:               {cls_attain_ok}/{n} = "
          f"{cls_attain_ok / n:.2f}")
    print(f"MOF class, MOT-compatible mode:               {cls_mot_ok}/{n} = "
          f"{cls_mot_ok / n:.2f}")
    print(f"component status agreement: {comp_ok}/{comp_n} = {comp_ok / comp_n:.2f}   "
          f"baseline 'all unknown': {comp_unknown}/{comp_n} = {comp_unknown / comp_n:.2f}")
    print("  confusion (MOT -> ours): " + ", ".join(
        f"{e}->{g}: {c}" for (e, g), c in sorted(confusion.items())))
    if lines:
        print("disagreements:")
        print("\n".join(lines))
    return {"mot_class": cls_ok / n, "mot_components": comp_ok / comp_n}


# --------------------------------------------------------------------------- Index

PARAMS = ("datasources_basemodel", "datasources_endmodel", "weights_basemodel",
          "weights_endmodel", "trainingcode", "code", "hardware_architecture", "preprint",
          "paper", "modelcard", "datasheet", "licenses")


def _compare(cases: list[tuple[str, dict[str, Any]]], follow: bool, quiet: bool,
             title: str) -> float:
    confusion: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    ok = total = closed = decided = decided_ok = 0
    by_param: dict[str, Counter[str]] = defaultdict(Counter)
    lines = []
    for repo_id, params in cases:
        report = audit_hub(repo_id, follow)
        ours = report.data["frameworks"]["osai_index"]["parameters"]
        for p in PARAMS:
            lab = (params.get(p) or {}).get("class")
            if lab not in ("open", "partial", "closed"):
                continue
            got = ours[p]["value"]
            total += 1
            ok += got == lab
            decided += got != "unknown"
            decided_ok += got == lab and got != "unknown"
            closed += lab == "closed"
            by_param[p][lab] += 1
            confusion[p][(lab, got)] += 1
            if got != lab and not quiet:
                cause = ("evidence we lack" if ours[p]["basis"] == "not-checked"
                         or got == "unknown" else "rule")
                note = ((params.get(p) or {}).get("notes") or "")[:90].replace("\n", " ")
                lines.append(f"  {repo_id:40} {p:22} ours={got:8} Index={lab:8} [{cause}] "
                             f"{ours[p]['reason'][:70]!r} | raters: {note!r}")
    best = sum(c.most_common(1)[0][1] for c in by_param.values())
    print(f"== {title}: {len({r for r, _ in cases})} releases, {total} ratings ==")
    for p in PARAMS:
        conf = confusion[p]
        agree = sum(v for (e, g), v in conf.items() if e == g)
        n = sum(conf.values())
        if n:
            cells = " ".join(f"{e[:1]}>{g[:2]}:{v}" for (e, g), v in sorted(conf.items()))
            print(f"  {p:22} {agree}/{n}  {cells}")
    agreement = ok / total if total else 0.0
    print(f"agreement: {ok}/{total} = {agreement:.2f}   baseline 'all closed': "
          f"{closed / total:.2f}   baseline 'best single value per parameter': "
          f"{best / total:.2f}")
    print(f"  of which openscope decided {decided}/{total}; agreement on those: "
          f"{decided_ok}/{decided} = {decided_ok / max(decided, 1):.2f}; the rest are "
          "unknown for evidence no source of ours recorded")
    if lines:
        print("disagreements (cause: evidence we lack = unknown/not-checked; rule = we judged):")
        print("\n".join(lines))
    return agreement


def dev_cases() -> list[tuple[str, dict[str, Any]]]:
    rows = [json.loads(line) for line in DEV.open()]
    return [(r["hf"], r["params"]) for r in rows]


def unseen_cases(hub: set[str], dev: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """Index systems (current ratings) whose own link is a model repo in the mirror."""
    out = []
    for line in INDEX.open():
        row = json.loads(line)
        link = (row["system"].get("link") or "").rstrip("/")
        if "huggingface.co/" not in link:
            continue
        rid = "/".join(link.split("huggingface.co/", 1)[1].split("/")[:2])
        if rid in hub and rid not in dev:
            out.append((rid, row["params"]))
    return out


#: Index parameters about the base model, checked on the base model's own repository.
BASE_PARAMS = ("weights_basemodel", "datasources_basemodel")
_HF_REPO = re.compile(r"huggingface\.co/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)")


def base_cases(hub: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """(base repo, {base parameter: rating}) for each Index system whose raters' evidence
    link for a base-model parameter is a model repository in the mirror. The raters named
    the repository themselves, so no name matching is involved."""
    out = []
    for line in INDEX.open():
        row = json.loads(line)
        for param in BASE_PARAMS:
            rating = row["params"].get(param) or {}
            link = rating.get("link")
            text = " ".join(map(str, link)) if isinstance(link, list) else str(link or "")
            for rid in dict.fromkeys(m.group(1) for m in _HF_REPO.finditer(text)):
                if rid in hub and rating.get("class"):
                    out.append((rid, {param: rating}))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--no-follow-links", action="store_true",
                        help="do not follow the releases' own code repositories")
    args = parser.parse_args()
    follow = not args.no_follow_links
    hub = hub_ids()
    run_mot(hub, args.quiet)
    print()
    fidelity = subprocess.run([sys.executable, str(REPO / "benchmarks" / "mof_agreement.py"),
                               "--quiet"], capture_output=True, text=True)
    last = (fidelity.stdout.strip().splitlines() or ["?"])[-1]
    print(f"(separate: port fidelity of the MOT algorithm on the records' own declared "
          f"licences, benchmarks/mof_agreement.py: {last})")
    print()
    dev = dev_cases()
    unseen = unseen_cases(hub, {r for r, _ in dev})
    if unseen:
        _compare(unseen, follow, args.quiet,
                 "Index ratings of systems not used to write the rules (check)")
        print()
    else:
        print("(no other Index-rated system has its end model in the mirror: the rules are "
              "checked on the dev releases only)")
        print()
    bases = base_cases(hub)
    held_out = _compare(bases, follow, args.quiet, "Index base-model ratings, checked on the "
                        "base model's own repository (rules not tuned on these)")
    print(f"base_model_agreement: {held_out:.2f}")
    print()
    without = None
    if follow:
        # The same releases without following their own code repositories, so the gain of
        # following links is measured in this run, not assumed.
        without = _compare(dev, False, True, "Index dev releases, links NOT followed")
        print()
    agreement = _compare(dev, follow, args.quiet, "Open Source AI Index dev releases"
                         + (", links followed" if follow else ", links not followed"))
    if without is not None:
        print(f"gain from following links: {agreement - without:+.2f} "
              f"({without:.2f} -> {agreement:.2f})")
    print(f"osai_agreement: {agreement:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
