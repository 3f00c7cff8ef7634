"""``openscope check``: gate a release on framework levels, for publishers and CI.

Exit codes: 0 every requirement met (or waived); 1 at least one not met (``--strict``:
unknown counts as not met); 2 usage or policy-file error; 3 cannot assess (the input could
not be read, or, without ``--strict``, nothing failed but at least one requirement is
unknown).

Waivers (policy ``[[waivers]]`` and ``--waive ID:REASON[:NOTE]``) turn a named unmet or
unknown requirement into ``waived`` in every format: text prints the reason, note and
expiry; json the ``waived`` outcome with the waiver; SARIF a suppression (kind
``external``); the report formats an ``info`` finding ``check-waiver``. An expired waiver
does not apply and is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from openscope import evidence as evidence_mod
from openscope import lineage
from openscope.cli.remote_opts import audit_collected, make_options, source_options
from openscope.components import assess
from openscope.errors import UsageError
from openscope.formats import FORMATS, render
from openscope.frameworks import evaluate_all, gate, osaid, use_rights
from openscope.pipeline import audit_snapshot
from openscope.policy import (
    MAX_POLICY_BYTES,
    POLICY_FILES,
    Annotation,
    Policy,
    Waiver,
    load_named,
    parse_waive_option,
)
from openscope.report import Report
from openscope.snapshot import Snapshot
from openscope.sources import open_ref
from openscope.sources.options import SourceOptions
from openscope.terminal import clean

MARK = {"met": "✓", "unmet": "✗", "unknown": "?", "waived": "~"}
WORD = {0: "all requirements met", 1: "requirements not met", 3: "cannot assess"}


@click.command()
@click.argument("ref")
@click.option("-r", "--require", "requires", multiple=True, metavar="SPEC",
              help="A requirement: mof:N, mof-mot:N, osaid, eu-exemption, osai-index:X, "
                   "no-openwashing, use:commercial, use:ship, use:compatible, ... or a "
                   "requirement id. Repeatable; replaces the policy's list.")
@click.option("--waive", "waives", multiple=True, metavar="ID:REASON[:NOTE]",
              help="Waive an unmet or unknown requirement or spec: it no longer fails the "
                   "check but is shown as waived. REASON: not-applicable, "
                   "published-elsewhere, accepted-risk, false-positive, in-progress. "
                   "Repeatable; added to the policy's waivers.")
@click.option("--strict", is_flag=True, default=None,
              help="Count unknown as not met (exit 1 instead of 3).")
@click.option("--policy", "policy_path", type=click.Path(path_type=Path),
              help="Policy file (.openscope.toml, or pyproject.toml with [tool.openscope]), "
                   "or a folder holding one, e.g. your own release: --policy . A policy "
                   "inside the audited release is never read unless named here.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True,
              help="Output format: text and json describe the check; the others render the "
                   "audit report (sarif: only the requirements checked).")
@source_options
def check(ref: str, requires: tuple[str, ...], waives: tuple[str, ...], strict: bool | None,
          policy_path: Path | None, fmt: str, mirror: Path | None, cache_dir: Path | None,
          offline: bool, no_cache: bool) -> None:
    """Check a release against required openness levels; the exit code says the result.

    \b
    Exit codes: 0 met (or waived), 1 not met, 2 usage or policy error,
                3 cannot assess (unreadable input, or unknown without --strict).
    Annotations in the policy are shown beside results and never change them; waivers
    (--waive or [[waivers]] in the policy) let a named unmet or unknown requirement pass,
    shown as waived in every format.

    \b
    Examples:
      openscope check ./my-model --require mof:3 --require osaid
      openscope check ./my-model --require eu-exemption --strict --format json
      openscope check hf:org/model --require use:ship --require use:compatible
      openscope check ./my-model --require osaid \\
          --waive osaid.training-data:accepted-risk:"licences under review"
    """
    policy = _policy(ref, policy_path)
    texts = requires or policy.require
    if not texts:
        raise UsageError("nothing to check", hint="pass --require SPEC or set 'require' in "
                         "the policy file; specs: " + gate.SPEC_HELP)
    specs = [gate.parse_spec(t) for t in texts]
    waivers = [*policy.waivers, *(parse_waive_option(w) for w in waives)]
    is_strict = policy.strict if strict is None else strict
    options = make_options(mirror, cache_dir, offline, no_cache, follow_links=False)
    snapshot = open_ref(ref, options)
    named: dict[str, Any] = {}
    if any(s.kind == "use" and s.arg == use_rights.COMPATIBLE for s in specs):
        report = _audit_with_lineage(snapshot, options)
        named = {"named_datasets": lineage.dataset_ids(snapshot)}
    else:
        report = audit_snapshot(snapshot)
    frameworks = report.data["frameworks"]
    if policy.osaid_parameters_accept:
        ev = evidence_mod.extract(snapshot)
        frameworks = evaluate_all(assess(ev), ev,
                                  osaid.Options(policy.osaid_parameters_accept))
    results = gate.run(specs, frameworks, policy, report.data.get("components"),
                       {**report.data, **named})
    for w in gate.apply_waivers(results, waivers, dt.date.today()):
        click.echo(clean(f"openscope: warning: waiver for {w.requirement} matches nothing "
                         f"checked ({w.source})"), err=True)
    code = gate.exit_code(results, is_strict)
    if fmt == "json":
        out = {"ref": ref, "policy": policy.source, "strict": is_strict,
               "results": [r.to_dict(is_strict) for r in results], "exit_code": code,
               "result": WORD[code], "report_revision": report.data["subject"]["revision"],
               "waivers": [w.to_dict() for w in waivers],
               "disclaimer": report.data["disclaimer"]}
        click.echo(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
    elif fmt == "text":
        click.echo(clean(_text(ref, policy, results, is_strict, code)), nl=False)
    elif fmt == "sarif":
        from openscope.formats import sarif

        checked = Report({**report.data, "frameworks": frameworks})
        click.echo(sarif.render_sarif(checked, gate_items(results), strict=is_strict),
                   nl=False)
    else:
        shown = [{"id": "check-waiver", "severity": "info", "message": m,
                  "evidence": [policy.source or "--waive"]} for m in waiver_notes(results)]
        checked = Report({**report.data, "frameworks": frameworks,
                          "findings": [*shown, *report.data.get("findings", [])]})
        click.echo(render(checked, fmt), nl=False)
    sys.exit(code)  # click's Exit is swallowed outside standalone mode


def _audit_with_lineage(snapshot: Snapshot, options: SourceOptions) -> Report:
    """The audit with base models (and, for Hub refs, named datasets) collected, for
    ``use:compatible``; a base that cannot be collected is kept with its error."""
    if snapshot.source in ("hf", "mirror"):
        return audit_collected(snapshot, options, lineage.DEFAULT_DEPTH)
    chain = []
    if snapshot.kind == "model":
        chain = lineage.collect_lineage(snapshot, lambda r: open_ref(r, options),
                                        depth=lineage.DEFAULT_DEPTH)
    return audit_snapshot(snapshot, chain)


def gate_items(results: list[gate.Checked]) -> list[dict[str, Any]]:
    """The requirements a check looked at and did not find met, for SARIF: each detail, and
    a spec without details (a component, a use right) as itself; each id once."""
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        for d in r.details:
            out.setdefault(str(d["id"]), d)
        if not r.details and r.outcome != "met":
            out.setdefault(r.spec.text, {
                "id": r.spec.text, "title": r.spec.text, "reason": r.reason,
                "outcome": r.outcome, "checked_outcome": r.checked_outcome,
                "evidence": [], "remediation": None,
                **({"waiver": r.waiver.to_dict()} if r.waiver else {}),
                **({"waiver_expired": r.expired[0].to_dict()} if r.expired else {})})
    return [out[k] for k in sorted(out)]


def _waiver_text(w: dict[str, Any] | Waiver) -> str:
    d = w.to_dict() if isinstance(w, Waiver) else w
    expiry = f"; expires {d['expires']}" if d.get("expires") else ""
    return f"[{d['reason']}] {d['note']} ({d['source']}{expiry})"


def waiver_notes(results: list[gate.Checked]) -> list[str]:
    """One line per waived or expired-waiver item; the report formats show each as an
    ``info`` finding ``check-waiver`` (a waiver never changes the audit's own findings)."""
    out = []
    for item in gate_items(results):
        if item.get("waiver"):
            out.append(f"check: {item['id']} {item.get('checked_outcome')}, waived "
                       + _waiver_text(item["waiver"]))
        elif item.get("waiver_expired"):
            out.append(f"check: {item['id']} {item['outcome']}: waiver expired on "
                       f"{item['waiver_expired']['expires']}, not applied")
    listed = {str(i["id"]) for i in gate_items(results)}
    for r in results:
        if r.spec.text in listed:
            continue
        if r.details and r.waiver is not None:
            out.append(f"check: {r.spec.text} {r.checked_outcome}, waived "
                       + _waiver_text(r.waiver))
        elif r.details and r.expired:
            out.append(f"check: {r.spec.text} {r.outcome}: waiver expired on "
                       f"{r.expired[0].expires}, not applied")
    return out


def _policy(ref: str, explicit: Path | None) -> Policy:
    """The policy named with ``--policy``; one inside the audited folder is never read unasked."""
    if explicit is not None:
        return load_named(explicit)
    folder = Path(ref)
    for name in POLICY_FILES if folder.is_dir() else ():
        if (folder / name).is_file() and (name != "pyproject.toml" or _mentions_policy(
                folder / name)):
            click.echo(f"openscope: note: {folder / name} not read: a policy inside the "
                       f"audited release applies only when named (--policy {folder})", err=True)
            break
    return Policy()


def _mentions_policy(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"tool.openscope" in fh.read(MAX_POLICY_BYTES)
    except OSError:
        return False


def _text(ref: str, policy: Policy, results: list[gate.Checked], strict: bool,
          code: int) -> str:
    lines = [f"openscope check of {ref}" + (f" (policy: {policy.source})" if policy.source
                                           else "") + (" [strict]" if strict else "")]
    for r in results:
        lines.append(f"{MARK[r.outcome]} {r.outcome:<7} {r.spec.text:<16} {r.reason}")
        if r.waiver is not None:
            lines.append(f"      waived (was {r.checked_outcome}) {_waiver_text(r.waiver)}")
        for w in r.expired:
            lines.append(f"      waiver expired on {w.expires}, not applied: "
                         + _waiver_text(w))
        for d in r.details:
            lines.append(f"    {MARK[d['outcome']]} {d['id']}: {d['reason']}")
            if d.get("waiver"):
                lines.append(f"      waived (was {d.get('checked_outcome')}) "
                             + _waiver_text(d["waiver"]))
            elif d.get("waiver_expired"):
                lines.append(f"      waiver expired on {d['waiver_expired']['expires']}, not "
                             "applied: " + _waiver_text(d["waiver_expired"]))
            if d.get("remediation") and d["outcome"] != "waived":
                lines.append(f"      fix: {d['remediation']}")
            for a in policy.annotations_for(d["id"]):
                lines.append(_annotation(a))
        for a in policy.annotations_for(r.spec.text):
            lines.append(_annotation(a))
    lines.append(f"result: {WORD[code]} (exit {code})")
    return "\n".join(lines) + "\n"


def _annotation(a: Annotation) -> str:
    note = f": {a.note}" if a.note else ""
    return f"      annotated [{a.reason}]{note} (publisher note; does not change the result)"
