"""``openscope explain``: the documentation of a requirement, from the criteria tables."""

from __future__ import annotations

import difflib

import click

from openscope.errors import UsageError
from openscope.frameworks import REQUIREMENTS, docs

#: Shorthands accepted besides requirement ids.
ALIASES = {"mof:3": "mof.class-3", "mof:2": "mof.class-2", "mof:1": "mof.class-1",
           "mof-mot:3": "mof.class-3", "mof-mot:2": "mof.class-2", "mof-mot:1": "mof.class-1"}
FRAMEWORK_PREFIX = {"osaid": "osaid.", "eu-exemption": "eu.", "eu": "eu.", "mof": "mof.",
                    "osai-index": "osai.", "osai": "osai.", "openwashing": "openwashing.",
                    "no-openwashing": "openwashing."}


@click.command()
@click.argument("requirement", required=False)
@click.option("--list", "list_all", is_flag=True, help="List every requirement id and title.")
@click.option("--markdown", is_flag=True,
              help="Print the full requirements reference as Markdown.")
def explain(requirement: str | None, list_all: bool, markdown: bool) -> None:
    """Explain a requirement: what is checked, and how to meet it.

    REQUIREMENT is an id such as osaid.training-code, a check spec such as mof:2, or a
    framework (osaid, eu-exemption, mof, osai-index, openwashing) to list its requirements.

    \b
    Examples:
      openscope explain osaid.training-code
      openscope explain --list
      openscope explain --markdown > docs/requirements/index.md
    """
    if markdown:
        click.echo(docs.markdown(), nl=False)
        return
    if list_all or not requirement:
        click.echo(docs.listing(), nl=False)
        return
    key = ALIASES.get(requirement.lower(), requirement)
    req = REQUIREMENTS.get(key)
    if req is not None:
        click.echo(docs.explain(req), nl=False)
        return
    from openscope.frameworks import use_rights

    use = use_rights.canonical(requirement)
    if use is not None:
        click.echo(docs.explain_use(use) or "", nl=False)
        return
    prefix = FRAMEWORK_PREFIX.get(requirement.lower())
    if prefix:
        for r in REQUIREMENTS.values():
            if r.id.startswith(prefix):
                click.echo(f"{r.id:<36}  {r.title}")
        return
    close = difflib.get_close_matches(requirement, list(REQUIREMENTS), n=3)
    hint = ("did you mean " + ", ".join(close) + "?") if close else \
        "see `openscope explain --list`"
    raise UsageError(f"unknown requirement {requirement!r}", hint=hint)
