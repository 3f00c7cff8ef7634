"""Code evidence: own repositories vs tools/libraries vs mentions; code roles by path.

Card excerpts are copied from real cards in ``shared/hub/models/<org>/<name>/README.md``
(cited beside each); the release id is a placeholder unless the rule reads it.
"""

from __future__ import annotations

from conftest import SHARED, hub_snapshot
from openscope import evidence
from openscope.evidence.code import TOOL_REPOS, model_family, path_role
from openscope.snapshot import Document, FileEntry, Snapshot


def _card(body: str, ref: str = "hf:some-org/some-model",
          files: tuple[str, ...] | None = None) -> Snapshot:
    text = "---\nlicense: mit\n---\n# Model\n\n" + body + "\n"
    listing = tuple(FileEntry(p, 10) for p in files) if files is not None else None
    return Snapshot(ref=ref, files=listing, documents=(Document("README.md", text, len(text)),))


def _kinds(snap: Snapshot) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in evidence.extract(snap):
        if f.kind.startswith("code."):
            out.setdefault(f.kind, []).append(f)
    return out


# --- tools and libraries are never the release's code -------------------------------------

def test_tool_repository_from_the_library_list() -> None:
    # llm-jp/llm-jp-1.3b-v1.0
    snap = _card("  - **Software:** [TRL](https://github.com/huggingface/trl), "
                 "[PEFT](https://github.com/huggingface/peft), and "
                 "[DeepSpeed](https://github.com/microsoft/DeepSpeed)")
    k = _kinds(snap)
    assert "code.repo" not in k
    assert {f.value for f in k["code.tool"]} == {"huggingface/trl", "huggingface/peft",
                                                  "microsoft/DeepSpeed"}
    assert all(f.attrs["reason"].startswith("well-known") and f.line for f in k["code.tool"])


def test_tool_list_beats_a_repository_field() -> None:
    # A "Repository:" field pointing at a library is still a library.
    snap = _card("- **Repository:** https://github.com/vllm-project/vllm")
    assert "code.repo" not in _kinds(snap)


def test_tool_by_usage_phrase() -> None:
    # TalTechNLP/voxlingua107-epaca-tdnn
    snap = _card("We used [SpeechBrain](https://github.com/speechbrain/speechbrain) to train "
                 "the model.")
    (tool,) = _kinds(snap)["code.tool"]
    assert tool.value == "speechbrain/speechbrain" and tool.attrs["reason"] == "usage phrase: used"


def test_nearest_phrase_decides() -> None:
    # princeton-nlp/unsup-simcse-bert-base-uncased: "our evaluation code" is based on a tool.
    snap = _card("> Our evaluation code for sentence embeddings is based on a modified version "
                 "of [SentEval](https://github.com/facebookresearch/SentEval). It evaluates "
                 "sentence embeddings on semantic textual similarity (STS) tasks.")
    k = _kinds(snap)
    assert "code.repo" not in k and k["code.tool"][0].attrs["reason"] == "usage phrase: based on"


def test_issue_links_and_badges_are_not_code() -> None:
    # microsoft/Orca-2-13b (an issue link in a code block); gogamza/kobart-base-v2
    snap = _card("```python\n# https://github.com/huggingface/transformers/issues/27132\n```\n\n"
                 "`KoBART` 관련 이슈는 [이곳](https://github.com/SKT-AI/KoBART/issues)"
                 "에 올려주세요.")
    k = _kinds(snap)
    assert "code.repo" not in k
    reasons = {f.value: f.attrs["reason"] for f in k["code.tool"]}
    assert reasons["SKT-AI/KoBART"] == "issue or discussion link"


# --- own repositories ---------------------------------------------------------------------

def test_own_repository_field() -> None:
    # deepseek-ai/deepseek-coder-1.3b-instruct (publisher name changed so only the field decides)
    snap = _card("- **Repository:** [deepseek-ai/deepseek-coder]"
                 "(https://github.com/deepseek-ai/deepseek-coder)")
    (repo,) = _kinds(snap)["code.repo"]
    assert repo.url == "https://github.com/deepseek-ai/deepseek-coder"
    assert repo.attrs["own_basis"] == "field: Repository" and repo.attrs["role"] == "unknown"
    assert repo.path == "README.md" and repo.line == 6


def test_own_repository_phrase_with_role() -> None:
    # NousResearch/Obsidian-3B-V0.5
    snap = _card("Current finetuning and inference code is available on our GitHub repo: "
                 "[Here](https://github.com/NousResearch/Obsidian)")
    (repo,) = _kinds(snap)["code.repo"]
    assert repo.attrs["own_basis"].startswith("phrase") and repo.attrs["role"] == "training"


def test_own_repository_by_owner_and_by_model_name() -> None:
    # mosaicml/mpt-7b-chat: the publisher owns the code base.
    line = "* [Codebase (mosaicml/llm-foundry repo)](https://github.com/mosaicml/llm-foundry/)"
    (repo,) = _kinds(_card(line, ref="hf:mosaicml/mpt-7b-chat"))["code.repo"]
    assert repo.attrs["own_basis"] == "repository owner is the publisher"
    # The same link under another publisher has no own signal (and is not in the header).
    far = "\n" * 50 + line
    k = _kinds(_card(far, ref="hf:someone/mpt-7b-chat-copy"))
    assert "code.repo" not in k and k["code.mentioned_repo"][0].url.endswith("llm-foundry")
    # vinai/xphonebert-base: the model family name is in the repository name.
    text = "\n" * 50 + ("For further information or requests, please go to [XPhoneBERT's "
                        "homepage](https://github.com/VinAIResearch/XPhoneBERT)!")
    (repo,) = _kinds(_card(text, ref="hf:vinai/xphonebert-base"))["code.repo"]
    assert repo.attrs["own_basis"] == "repository named after the model"
    assert model_family("Llama-2-7b-chat-hf") == "llama"


def test_sole_header_link_is_own_but_data_links_are_not() -> None:
    # sagorsarker/codeswitch-hineng-ner-lince: the card's lone repository link under its title.
    snap = _card("[https://github.com/sagorbrur/codeswitch](https://github.com/sagorbrur/codeswitch)")
    (repo,) = _kinds(snap)["code.repo"]
    assert repo.attrs["own_basis"] == "sole code link in the card header"
    # Vamsi/T5_Paraphrase_Paws: a lone link to a data repository is only mentioned.
    snap = _card("T5 Model for generating paraphrases of english sentences. Trained on the "
                 "[Google PAWS](https://github.com/google-research-datasets/paws) dataset.")
    k = _kinds(snap)
    assert "code.repo" not in k and len(k["code.mentioned_repo"]) == 1


def test_mentioned_repository_in_a_data_table() -> None:
    # intfloat/multilingual-e5-small: a table of training pairs
    snap = _card("| [S2ORC](https://github.com/allenai/s2orc) | (title, abstract) and citation "
                 "pairs  | 100M |\n\n[GitHub Repo](https://github.com/someone/own-code)")
    k = _kinds(snap)
    assert [f.value for f in k["code.mentioned_repo"]] == ["https://github.com/allenai/s2orc"]
    assert [f.attrs["own_basis"] for f in k["code.repo"]] == ["link text: GitHub Repo"]


def test_no_card_and_no_links_give_no_repo_facts() -> None:
    snap = Snapshot(ref="hf:a/b", files=(FileEntry("model.safetensors", 1),), documents=())
    assert not {"code.repo", "code.tool", "code.mentioned_repo"} & set(_kinds(snap))
    assert not {"code.repo", "code.tool", "code.mentioned_repo"} & set(
        _kinds(_card("Plain text, no links.")))


def test_tool_list_is_lower_case_owner_name() -> None:
    assert all(r == r.lower() and r.count("/") == 1 for r in TOOL_REPOS)


def test_real_card_keeps_own_and_drops_tools() -> None:
    folder = SHARED / "hub" / "models" / "TheBloke" / "Falcon-7B-Instruct-GPTQ"
    k = _kinds(hub_snapshot(folder))
    tools = {f.value.lower() for f in k.get("code.tool", [])}
    assert "panqiwei/autogptq" in tools
    assert not any(f.value.lower().endswith("/autogptq") for f in k.get("code.repo", []))


def test_hostile_card_does_not_crash() -> None:
    body = ("[x](https://github.com/" + "a" * 5000 + "/b) " + "using " * 20000 + "\n") * 3
    body += "https://github.com/o/r" * 2000
    _kinds(_card(body))


# --- roles by path ------------------------------------------------------------------------

def test_path_roles_file_name_first() -> None:
    assert path_role("train/app.py") == "inference"  # a Gradio demo in a train folder
    assert path_role("src/chat.py") == "inference"
    assert path_role("demos/musicgen_app.py") == "inference"  # corpus facebook__MusicGen
    assert path_role("audiocraft/train.py") == "training"
    assert path_role("training/eval_ppl.py") == "evaluation"
    assert path_role("scripts/train/run.py") == "training"
    # openai__gpt-2 files.txt: scripts that build the training data are preprocessing.
    assert path_role("src/encode_training_data.py") == "preprocessing"


def test_dataset_generation_and_data_package_scripts_are_preprocessing() -> None:
    # tests/data/github imoneoi/openchat tree: the code that builds the training set
    assert path_role("ochat/data/generate_dataset.py") == "preprocessing"
    assert path_role("ochat/experimental/generate_dataset_old.py") == "preprocessing"
    # bigscience-workshop/bigscience tree: the data-mix sampling probabilities
    assert path_role("train/tr5-1B3-multilingual/generate_dataset_probabilities.py") \
        == "preprocessing"
    assert path_role("scripts/create_dataset.py") == "preprocessing"
    # a package's marker file and a script that generates text are not
    assert path_role("ochat/data/__init__.py") != "preprocessing"
    assert path_role("scripts/generate.py") == "inference"


def test_train_folder_holding_data_is_a_split() -> None:
    files = ("train/data-00000.parquet", "train/load.py", "scripts/finetune.py")
    k = _kinds(_card("text", files=files))
    assert [f.value for f in k["code.training"]] == ["scripts/finetune.py"]
    assert [f.value for f in k["code.file"]] == ["train/load.py"]
    assert path_role("data/train/tokens.py") == "other"
