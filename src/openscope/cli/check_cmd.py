"""``openscope check``: gate a release on framework levels, for publishers and CI.

Exit codes: 0 every requirement met; 1 at least one not met (``--strict``: unknown counts
as not met); 2 usage or policy-file error; 3 cannot assess (the input could not be read,
or, without ``--strict``, nothing failed but at least one requirement is unknown).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from openscope import evidence as evidence_mod
from openscope.cli.remote_opts import make_options, source_options
from openscope.components import assess
from openscope.errors import UsageError
from openscope.formats import FORMATS, render
from openscope.frameworks import evaluate_all, gate, osaid
from openscope.pipeline import audit_snapshot
from openscope.policy import MAX_POLICY_BYTES, POLICY_FILES, Annotation, Policy, load_named
from openscope.report import Report
from openscope.sources import open_ref
from openscope.terminal import clean

MARK = {"met": "✓", "unmet": "✗", "unknown": "?"}
WORD = {0: "all requirements met", 1: "requirements not met", 3: "cannot assess"}


@click.command()
@click.argument("ref")
@click.option("-r", "--require", "requires", multiple=True, metavar="SPEC",
              help="A requirement: mof:N, mof-mot:N, osaid, eu-exemption, osai-index:X, "
                   "no-openwashing or a requirement id. Repeatable; replaces the policy's list.")
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
def check(ref: str, requires: tuple[str, ...], strict: bool | None, policy_path: Path | None,
          fmt: str, mirror: Path | None, cache_dir: Path | None, offline: bool,
          no_cache: bool) -> None:
    """Check a release against required openness levels; the exit code says the result.

    \b
    Exit codes: 0 met, 1 not met, 2 usage or policy error,
                3 cannot assess (unreadable input, or unknown without --strict).
    Annotations in the policy are shown beside results and never change them.

    \b
    Examples:
      openscope check ./my-model --require mof:3 --require osaid
      openscope check ./my-model --require eu-exemption --strict --format json
    """
    policy = _policy(ref, policy_path)
    texts = requires or policy.require
    if not texts:
        raise UsageError("nothing to check", hint="pass --require SPEC or set 'require' in "
                         "the policy file; specs: " + gate.SPEC_HELP)
    specs = [gate.parse_spec(t) for t in texts]
    is_strict = policy.strict if strict is None else strict
    snapshot = open_ref(ref, make_options(mirror, cache_dir, offline, no_cache))
    report = audit_snapshot(snapshot)
    frameworks = report.data["frameworks"]
    if policy.osaid_parameters_accept:
        ev = evidence_mod.extract(snapshot)
        frameworks = evaluate_all(assess(ev), ev,
                                  osaid.Options(policy.osaid_parameters_accept))
    results = gate.run(specs, frameworks, policy, report.data.get("components"))
    code = gate.exit_code(results, is_strict)
    if fmt == "json":
        out = {"ref": ref, "policy": policy.source, "strict": is_strict,
               "results": [r.to_dict(is_strict) for r in results], "exit_code": code,
               "result": WORD[code], "report_revision": report.data["subject"]["revision"],
               "disclaimer": report.data["disclaimer"]}
        click.echo(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
    elif fmt == "text":
        click.echo(clean(_text(ref, policy, results, is_strict, code)), nl=False)
    else:
        checked = Report({**report.data, "frameworks": frameworks})
        ids = sorted({str(d["id"]) for r in results for d in r.details if d.get("id")})
        click.echo(render(checked, fmt, requirements=ids), nl=False)
    sys.exit(code)  # click's Exit is swallowed outside standalone mode


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
        for d in r.details:
            lines.append(f"    {MARK[d['outcome']]} {d['id']}: {d['reason']}")
            if d.get("remediation"):
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
