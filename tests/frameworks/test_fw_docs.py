"""Every requirement is documented, and the committed reference is generated from the tables."""

from __future__ import annotations

import pytest

from conftest import REPO
from openscope.frameworks import FRAMEWORKS, REQUIREMENTS, docs

DOC = REPO / "docs" / "requirements" / "index.md"


@pytest.mark.parametrize("rid", sorted(REQUIREMENTS))
def test_requirement_has_description_and_remediation(rid: str) -> None:
    req = REQUIREMENTS[rid]
    assert req.id.split(".", 1)[0] in {"mof", "osaid", "eu", "osai", "openwashing", "dataset"}
    assert req.framework in FRAMEWORKS
    assert len(req.title) > 5, f"{rid}: no title"
    assert len(req.description) > 40, f"{rid}: no description"
    assert len(req.remediation) > 20, f"{rid}: no remediation"
    assert req.version, f"{rid}: no framework version"


def test_every_framework_has_requirements() -> None:
    frameworks = {r.framework for r in REQUIREMENTS.values()}
    assert frameworks == set(FRAMEWORKS)


def test_committed_requirements_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == docs.markdown(), (
        "docs/requirements/index.md is stale: run "
        "`openscope explain --markdown > docs/requirements/index.md`")


def test_every_requirement_appears_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rid in REQUIREMENTS:
        assert f"`{rid}`" in text
