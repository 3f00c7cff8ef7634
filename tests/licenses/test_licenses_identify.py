"""Text identification: every licence and use-policy file of the corpus, notices, bad input."""

from __future__ import annotations

import glob
import os
import random
import statistics
import time

import pytest

from openscope.licenses import get, identify_text, warm_up

from ._paths import CORPUS, EXPECTED

FILES: dict[str, dict[str, object]] = EXPECTED["files"]
NOTICES: list[dict[str, object]] = EXPECTED["notices"]
LICENSE_PATTERNS = ("LICENSE*", "*LICENSE*", "USE_POLICY*", "MODEL_LICENSE*", "NOTICE*",
                    "COPYING*", "*ACCEPTABLE_USE*")


def _corpus_license_files() -> set[str]:
    found: set[str] = set()
    for pat in LICENSE_PATTERNS:
        for p in glob.glob(str(CORPUS / "*" / pat)):
            found.add(os.path.relpath(p, CORPUS))
    return found


def test_expected_table_covers_every_licence_file_of_the_corpus() -> None:
    found = _corpus_license_files()
    assert found, f"no licence files under {CORPUS}"
    assert found == set(FILES), sorted(found ^ set(FILES))


@pytest.mark.parametrize("rel", sorted(FILES))
def test_corpus_file_identified(rel: str) -> None:
    text = (CORPUS / rel).read_text(encoding="utf-8", errors="replace")
    ident = identify_text(text, rel)
    assert ident.id == FILES[rel]["id"], (ident.method, ident.candidates)
    assert ident.confidence >= 0.8
    assert ident.license is not None and ident.license.id == ident.id
    if str(ident.id).endswith("-aup"):
        assert ident.license.kind == "use-policy"
        assert ident.license.policy_of == str(ident.id).removesuffix("-aup")


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: str(n["id"]))
def test_one_line_notices(notice: dict[str, object]) -> None:
    ident = identify_text(str(notice["text"]))
    assert ident.id == notice["id"], (ident.method, ident.candidates)
    assert ident.method in ("notice", "spdx-line", "title-line", "title")


def test_llama_versions_told_apart_by_opening_line() -> None:
    l3 = (CORPUS / "meta-llama__Llama-3/LICENSE").read_text(encoding="utf-8")
    l31 = (CORPUS / "meta-llama__Llama-3.1/LICENSE").read_text(encoding="utf-8")
    assert identify_text(l3).id == "llama3"
    assert identify_text(l31).id == "llama3.1"
    # the bodies are near-identical: the fingerprint alone must not be trusted for version
    r = identify_text(l31)
    assert dict(r.candidates).get("llama3.3", 0) > 0.9


def test_spdx_identifier_lines() -> None:
    assert identify_text("# SPDX-License-Identifier: MIT\nimport os\n").id == "MIT"
    r = identify_text("/* SPDX-License-Identifier: MIT OR Apache-2.0 */\nint x;")
    assert r.id == "MIT OR Apache-2.0" and r.method == "spdx-line"


def test_readme_licence_section_notice() -> None:
    text = "Falcon-40B is made available under the Apache 2.0 license.\n"
    assert identify_text(text).id == "Apache-2.0"
    assert identify_text("This model is released under the CC BY-NC 4.0 license.").id == \
        "CC-BY-NC-4.0"


def test_unknown_text_gives_candidates_not_a_guess() -> None:
    rng = random.Random(7)
    words = ["model", "weights", "data", "train", "the", "of", "permission", "use", "we",
             "river", "blue", "seven", "compute", "token", "license", "grant"]
    text = " ".join(rng.choice(words) for _ in range(3000))
    r = identify_text(text)
    assert r.id is None and r.confidence == 0.0
    assert len(r.candidates) >= 3
    assert all(0.0 <= s < 0.5 for _, s in r.candidates)


def test_modified_licence_is_not_a_confident_wrong_answer() -> None:
    # The first half of the Llama 3.1 licence glued to an unrelated text: whatever is said,
    # it must not be a confident *different* licence.
    l31 = (CORPUS / "meta-llama__Llama-3.1/LICENSE").read_text(encoding="utf-8")
    mixed = "Custom Model Licence\n\n" + l31[len(l31) // 2:]
    r = identify_text(mixed)
    assert r.id in (None, "llama3.1", "llama3.2", "llama3.3", "llama4") or r.confidence < 0.8
    if r.id is not None and r.id != "llama3.1":
        assert r.confidence < 0.9


def test_empty_and_whitespace() -> None:
    for text in ("", "   \n\t", "***\n---\n"):
        r = identify_text(text)
        assert r.id is None and r.confidence == 0.0


def test_binary_input() -> None:
    blob = bytes(range(256)) * 64
    r = identify_text(blob.decode("latin-1"))
    assert r.id is None and r.method == "binary"


def test_huge_input_is_capped_and_fast() -> None:
    mit = (CORPUS / "openai__whisper/LICENSE").read_text(encoding="utf-8")
    huge = mit + ("lorem ipsum dolor sit amet " * 2_000_000)  # ~54 MB
    t = time.process_time()  # CPU time: a loaded machine does not inflate it
    r = identify_text(huge)
    assert time.process_time() - t < 5
    assert r.id in ("MIT", None)


def test_non_string_input() -> None:
    r = identify_text(None)  # type: ignore[arg-type]
    assert r.id is None


def test_unknown_backend_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        identify_text("MIT", backend="nope")


def test_scancode_backend_clear_error_or_result() -> None:
    from openscope.errors import UsageError
    from openscope.licenses import scancode_backend

    if scancode_backend.available():
        r = identify_text((CORPUS / "openai__whisper/LICENSE").read_text(encoding="utf-8"),
                          backend="scancode")
        assert r.id == "MIT"
    else:
        with pytest.raises(UsageError, match="scancode"):
            identify_text("MIT License", backend="scancode")


def test_speed_after_load() -> None:
    warm_up()
    texts = [(CORPUS / rel).read_text(encoding="utf-8", errors="replace") for rel in FILES]
    times = []
    for t in texts:
        start = time.process_time()
        identify_text(t)
        times.append(time.process_time() - start)
    assert statistics.median(times) < 0.010  # ScanCode: 3-545 ms per file


def test_identified_ids_exist_in_kb() -> None:
    for e in list(FILES.values()) + NOTICES:
        lid = str(e["id"])
        if " " not in lid:
            assert get(lid) is not None, lid


# Licence sections of model cards (README.md), quoted from the corpus cards.
README_SECTIONS = [
    ("This model falls under the [`FLUX.1 [dev]` Non-Commercial License]"
     "(https://huggingface.co/black-forest-labs/FLUX.1-dev/blob/main/LICENSE.md).",
     "LicenseRef-flux-1-dev-nc"),
    ("The model is licensed under the [microsoft-research-license]"
     "(https://huggingface.co/microsoft/phi-2/resolve/main/LICENSE).",
     "LicenseRef-microsoft-research-license"),
    ("The model is licensed under the BigCode OpenRAIL-M v1 license agreement. You can find "
     "the full agreement [here](https://huggingface.co/spaces/bigcode/"
     "bigcode-model-license-agreement).", "bigcode-openrail-m"),
    ("Falcon-40B is made available under the Apache 2.0 license.", "Apache-2.0"),
]


@pytest.mark.parametrize("text,lid", README_SECTIONS)
def test_readme_licence_sections(text: str, lid: str) -> None:
    r = identify_text(text)
    assert r.id == lid, (r.method, r.candidates)


def test_plain_prose_is_not_a_licence() -> None:
    for text in ("This section is subject to change without notice.",
                 "The weights are available under request from the authors.",
                 "We trained the model under the supervision of our team."):
        assert identify_text(text).id is None, text


def _reflow(text: str, width: int = 60) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n"))


@pytest.mark.parametrize("rel", ["meta-llama__Llama-3.1/LICENSE", "meta-llama__Llama-3/LICENSE",
                                 "openai__whisper/LICENSE", "EleutherAI__pythia/LICENSE",
                                 "facebook__MusicGen/LICENSE_weights",
                                 "deepseek-ai__DeepSeek-V3/LICENSE",
                                 "meta-llama__Llama-3.2/USE_POLICY.md"])
@pytest.mark.parametrize("transform", ["reflow", "crlf", "upper", "markdown", "preamble"])
def test_robust_to_layout(rel: str, transform: str) -> None:
    text = (CORPUS / rel).read_text(encoding="utf-8")
    changed = {
        "reflow": _reflow,
        "crlf": lambda t: t.replace("\n", "\r\n"),
        "upper": str.upper,
        "markdown": lambda t: "\n".join(f"> **{ln}**" if ln.strip() else ln
                                        for ln in t.splitlines()),
        "preamble": lambda t: "Copyright (c) 2024 Some Company\n\n" + t,
    }[transform](text)
    assert identify_text(changed).id == FILES[rel]["id"]
