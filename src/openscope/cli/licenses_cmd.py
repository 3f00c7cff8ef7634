"""``openscope licenses``: show, list and identify licences from the knowledge base."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from openscope.errors import InputError, UsageError
from openscope.licenses import (
    Identification,
    License,
    all_licenses,
    classify,
    component_status,
    get,
    identify_text,
    kb_version,
)
from openscope.licenses.normalize import MAX_CHARS

_READ_BYTES = MAX_CHARS * 4  # utf-8 worst case for MAX_CHARS characters


def _terms_dict(lic: License | None) -> dict[str, Any] | None:
    return None if lic is None else dataclasses.asdict(lic.terms)


def license_dict(lic: License) -> dict[str, Any]:
    """A licence as a JSON-ready dict (stable keys)."""
    c = classify(lic.id)
    status = {ct: component_status(c, ct)[0] for ct in ("code", "data", "document")}
    return {
        "id": lic.id,
        "name": lic.name,
        "kind": lic.kind,
        "openness": lic.openness,
        "spdx_id": lic.spdx_id,
        "hf_id": lic.hf_id,
        "osi_approved": lic.osi_approved,
        "fsf_libre": lic.fsf_libre,
        "open_for": sorted(lic.open_for),
        "suits": sorted(lic.suits),
        "status_by_content_type": status,
        "terms": _terms_dict(lic),
        "clauses": [dataclasses.asdict(cl) for cl in lic.clauses],
        "url": lic.url,
        "aliases": list(lic.aliases),
        "use_policy": lic.use_policy,
        "policy_of": lic.policy_of,
        "note": lic.note,
        "sources": list(lic.sources),
        "kb_version": kb_version(),
    }


def identification_dict(ident: Identification) -> dict[str, Any]:
    """An identification as a JSON-ready dict (the ``identify --format json`` output)."""
    lic = ident.license
    return {
        "id": ident.id,
        "name": ident.name,
        "kind": lic.kind if lic else None,
        "openness": lic.openness if lic else "unknown",
        "confidence": ident.confidence,
        "method": ident.method,
        "candidates": [{"id": cid, "score": score} for cid, score in ident.candidates],
        "terms": _terms_dict(lic),
        "kb_version": kb_version(),
    }


def _dump(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False))


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@click.group("licenses")
def licenses() -> None:
    """The licence knowledge base: show a licence, list them, identify a licence text.

    \b
    Examples:
      openscope licenses show llama3.1
      openscope licenses identify LICENSE --format json
      openscope licenses list --kind ai-vendor-community-license
    """


@licenses.command("show")
@click.argument("license_id")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def show(license_id: str, fmt: str) -> None:
    """Show a licence: kind, flags, terms, deciding clauses, open-for, suits, sources.

    LICENSE_ID is an SPDX id, a Hugging Face id, a known alias or an expression.
    """
    lic = get(license_id)
    if lic is None:
        c = classify(license_id)
        lic = c.license
        if lic is None:
            raise UsageError(f"unknown licence '{license_id}'",
                             hint="see `openscope licenses list` for the known ids")
    d = license_dict(lic)
    if fmt == "json":
        _dump(d)
        return
    _show_text(d)


def _yn(v: object) -> str:
    return {True: "yes", False: "no", None: "?"}.get(v, str(v))  # type: ignore[call-overload, no-any-return]


def _show_text(d: dict[str, Any]) -> None:
    from rich.table import Table

    con = _console()
    colour = {"open": "green", "restricted": "yellow", "unknown": "dim"}[d["openness"]]
    con.print(f"[bold]{d['name']}[/bold]  ([cyan]{d['id']}[/cyan])")
    con.print(f"kind: {d['kind']}   openness: [{colour}]{d['openness']}[/{colour}]   "
              f"OSI-approved: {_yn(d['osi_approved'])}   FSF libre: {_yn(d['fsf_libre'])}")
    ids = [f"SPDX {d['spdx_id']}" if d["spdx_id"] else None,
           f"HF {d['hf_id']}" if d["hf_id"] else None]
    if any(ids):
        con.print("ids: " + ", ".join(i for i in ids if i))
    con.print(f"open for: {', '.join(d['open_for']) or 'nothing'}   "
              f"suits (MOF type): {', '.join(d['suits']) or '-'}")
    con.print("status: " + ", ".join(f"{k} {v}" for k, v in d["status_by_content_type"].items()))
    terms = {k: v for k, v in d["terms"].items() if v is not None}
    if terms:
        t = Table(title="terms", show_header=False, box=None, pad_edge=False)
        for k, v in terms.items():
            t.add_row(k.replace("_", " "), _yn(v) if isinstance(v, bool) else str(v))
        con.print(t)
    for cl in d["clauses"]:
        con.print(f"[bold]{cl['topic']}[/bold] - {cl['section']}:\n  “{cl['text']}”")
    if d["use_policy"]:
        con.print(f"use policy: {d['use_policy']}")
    if d["policy_of"]:
        con.print(f"use policy of: {d['policy_of']}")
    if d["note"]:
        con.print(f"note: {d['note']}")
    if d["url"]:
        con.print(f"url: {d['url']}")
    con.print("sources: " + "; ".join(d["sources"]))
    con.print(f"[dim]knowledge base {d['kb_version']} - not legal advice[/dim]")


@licenses.command("list")
@click.option("--kind", help="Only licences of this kind (e.g. ai-vendor-community-license).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def list_(kind: str | None, fmt: str) -> None:
    """List the licences of the knowledge base (id, kind, openness, name)."""
    rows = [lic for lic in all_licenses() if kind is None or lic.kind == kind]
    if kind is not None and not rows:
        kinds = sorted({lic.kind for lic in all_licenses()})
        raise UsageError(f"no licence of kind '{kind}'", hint="kinds: " + ", ".join(kinds))
    if fmt == "json":
        _dump([{"id": lic.id, "kind": lic.kind, "name": lic.name, "openness": lic.openness}
               for lic in rows])
        return
    for lic in rows:
        click.echo(f"{lic.id:45s} {lic.kind:30s} {lic.openness:10s} {lic.name}")


def _read_text(file: Path) -> str:
    try:
        with file.open("rb") as fh:
            data = fh.read(_READ_BYTES)
    except IsADirectoryError as exc:
        raise InputError(f"{file} is a directory, not a licence file") from exc
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from exc
    if b"\x00" in data[:8192]:
        return "\x00"  # binary: the identifier reports it as such
    return data.decode("utf-8", errors="replace")


@licenses.command("identify")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--backend", type=click.Choice(["builtin", "scancode"]), default="builtin",
              show_default=True,
              help="Matcher: the built-in fingerprint matcher, or ScanCode "
                   "(needs `pip install 'openscope[scancode]'`).")
def identify(file: Path, fmt: str, backend: str) -> None:
    """Identify the licence or use policy a text file states.

    Prints the id, name, confidence, method, the closest candidates and the licence's
    terms. Unknown texts give no id, with the closest candidates and their scores.
    """
    if not file.exists():
        raise InputError(f"no such file: {file}")
    text = _read_text(file)
    ident = identify_text(text, str(file), backend=backend)
    d = identification_dict(ident)
    if fmt == "json":
        _dump(d)
        return
    con = _console()
    if d["id"] is None:
        con.print(f"{file}: [yellow]not identified[/yellow] (method {d['method']})")
    else:
        colour = {"open": "green", "restricted": "yellow", "unknown": "dim"}[d["openness"]]
        con.print(f"{file}: [bold]{d['id']}[/bold] - {d['name']}  "
                  f"[{colour}]{d['openness']}[/{colour}]  confidence {d['confidence']:.2f} "
                  f"({d['method']})")
    if d["candidates"]:
        con.print("candidates: " + ", ".join(f"{c['id']} {c['score']:.2f}"
                                             for c in d["candidates"]))
    if d["terms"]:
        terms = {k: v for k, v in d["terms"].items() if v is not None}
        if terms:
            con.print("terms: " + ", ".join(
                f"{k.replace('_', ' ')}={_yn(v) if isinstance(v, bool) else v}"
                for k, v in terms.items()))
    sys.stdout.flush()
