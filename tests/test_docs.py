"""Docs that cannot rot: every command is documented and has help; README links resolve."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import REPO
from openscope.cli.main import COMMANDS, cli

README = (REPO / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert len(cli.all_commands[name].help or "") > 20
    assert f"openscope {name}" in README


def test_readme_links_to_files_that_exist() -> None:
    for target in re.findall(r"\]\(([^)#\s]+)\)", README):
        if target.startswith(("http://", "https://")):
            continue
        assert (REPO / target).exists(), target


def test_readme_commands_are_the_ci_commands() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    setup = ("python3 -m venv --system-site-packages .venv && . .venv/bin/activate && "
             "python3 -m pip install -e '.[dev]' && openscope audit examples/tiny-open-model")
    test = ". .venv/bin/activate && bash scripts/install-browser.sh && python3 -m pytest -n 2"
    for command in (setup, test):  # the README's two commands, and CI runs exactly them
        assert command in README and command in ci


def test_every_evidence_kind_is_documented() -> None:
    """Run the extractors over real releases and cards; each kind they emit has a doc row."""
    from conftest import EXAMPLE, SHARED, corpus_snapshot, hub_card_folders, hub_snapshot
    from openscope import evidence
    from openscope.sources import open_ref

    documented = set(re.findall(r"`([a-z_]+\.[a-z_\-]+)`", (REPO / "docs" / "evidence.md")
                                .read_text()))
    snapshots = [open_ref(str(EXAMPLE))]
    snapshots += [corpus_snapshot(f) for f in sorted((SHARED / "corpus" / "releases").iterdir())]
    snapshots += [hub_snapshot(f) for f in hub_card_folders()[:400]]
    seen = {fact.kind for snap in snapshots for fact in evidence.extract(snap)}
    assert seen - documented == set()
    assert len(seen) > 30
