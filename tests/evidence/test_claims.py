"""Openness claims: only where the release describes itself, quoted in full.

Every excerpt is copied from a real card in ``shared/`` (path in the comment above it).
"""

from __future__ import annotations

from openscope.evidence import extract
from openscope.evidence.facts import Fact
from openscope.pipeline import audit_snapshot
from openscope.snapshot import Document, Snapshot


def _claims(card: str, ref: str = "hf:org/model") -> list[Fact]:
    snap = Snapshot(ref=ref, documents=(Document("README.md", card, len(card)),))
    return [f for f in extract(snap) if f.kind.startswith("claim.")]


def test_comparisons_with_open_models_are_not_claims() -> None:
    cases = [
        # meta-llama/Llama-2-7b-chat-hf/README.md:32
        ("hf:meta-llama/Llama-2-7b-chat-hf",
         "Our fine-tuned LLMs, called Llama-2-Chat, are optimized for dialogue use cases. "
         "Llama-2-Chat models outperform open-source chat models on most benchmarks we tested, "
         "and in our human evaluations for helpfulness and safety, are on par with some popular "
         "closed-source models like ChatGPT and PaLM."),
        # corpus/releases/meta-llama__Llama-3/README.md:3
        ("hf:meta-llama/Meta-Llama-3-8B",
         "The Llama 3 instruction tuned models are optimized for dialogue use cases and "
         "outperform many of the available open source chat models on common industry "
         "benchmarks."),
        # tiiuae/falcon-7b/README.md:22
        ("hf:tiiuae/falcon-7b",
         "* **It outperforms comparable open-source models** (e.g., [MPT-7B]"
         "(https://huggingface.co/mosaicml/mpt-7b), [StableLM](https://github.com/"
         "Stability-AI/StableLM)), thanks to being trained on 1,500B tokens."),
        # Qwen/Qwen-7B/README.md:42
        ("hf:Qwen/Qwen-7B",
         "2. **Competitive performance**: It significantly surpasses existing open-source "
         "models of similar scale on multiple Chinese and English downstream evaluation tasks."),
    ]
    for ref, line in cases:
        assert _claims(line + "\n", ref) == [], line


def test_things_that_are_not_the_release_are_not_claims() -> None:
    # deepset/tinyroberta-squad2/README.md:234
    assert _claims("[deepset](http://deepset.ai/) is the company behind the open-source NLP "
                   "framework [Haystack](https://haystack.deepset.ai/) which is designed to "
                   "help you build production ready NLP systems.\n") == []
    # microsoft/git-base/README.md: a negation
    assert _claims('=> however this is for the model referred to as "GIT" in the paper, which '
                   "is not open-sourced.\n") == []
    # pankajmathur/orca_mini_3b/README.md: words inside a URL and a leaderboard's name
    assert _claims("also know as [ZeRO stage 3](https://engineering.fb.com/2021/07/15/"
                   "open-source/fsdp/) by writing\n# [Open LLM Leaderboard Evaluation Results]"
                   "(https://huggingface.co/spaces/HuggingFaceH4/open_llm_leaderboard)\n") == []


def test_release_describing_itself_is_a_claim_quoted_in_full() -> None:
    # liuhaotian/llava-v1.5-7b/README.md:13
    line = ("LLaVA is an open-source chatbot trained by fine-tuning LLaMA/Vicuna on "
            "GPT-generated multimodal instruction-following data.")
    facts = _claims(line + "\n", "hf:liuhaotian/llava-v1.5-7b")
    assert [f.kind for f in facts] == ["claim.open-source"]
    assert facts[0].attrs["sentence"] == line and facts[0].line == 1
    # microsoft/phi-1_5/README.md:17 ("this open-source model", second sentence of the line)
    card = ("We **did not** fine-tune Phi-1.5 either for **instruction following or through "
            "reinforcement learning from human feedback**. The intention behind crafting this "
            "open-source model is to provide the research community with a non-restricted "
            "small model to explore vital safety challenges.\n")
    facts = _claims(card, "hf:microsoft/phi-1_5")
    assert facts and facts[0].attrs["sentence"].startswith("The intention behind crafting")
    # tiiuae/falcon-40b/README.md:24: "It is the best open-source model" is a claim.
    card = ("* **It is the best open-source model currently available.** Falcon-40B "
            "outperforms [LLaMA](https://github.com/facebookresearch/llama), etc.\n")
    facts = _claims(card, "hf:tiiuae/falcon-40b")
    assert facts and "best open-source model currently available" in facts[0].attrs["sentence"]
    assert "outperforms" not in facts[0].attrs["sentence"]


def test_long_sentence_is_cut_at_300_characters() -> None:
    # baichuan-inc/Baichuan-7B/README.md:16, its first sentence lengthened
    card = ("Baichuan-7B is an open-source large-scale pre-trained model developed by Baichuan "
            "Intelligent Technology" + ", and more" * 60 + ".\n")
    fact = _claims(card, "hf:baichuan-inc/Baichuan-7B")[0]
    assert len(fact.attrs["sentence"]) == 300 and fact.attrs["sentence"].endswith("…")


def test_tags_and_name_still_count() -> None:
    snap = Snapshot(ref="hf:org/my-opensource-model", metadata={"tags": ["open-source"]})
    kinds = [(f.kind, f.key) for f in extract(snap) if f.kind.startswith("claim.")]
    assert ("claim.open-source", "tags") in kinds and ("claim.open-source", "name") in kinds


def test_no_card_no_claims() -> None:
    # Could not look: no card text means no claim, never a negative fact.
    assert [f for f in extract(Snapshot(ref="hf:org/model")) if f.kind.startswith("claim.")] \
        == []


def test_openwashing_flag_quotes_the_whole_sentence() -> None:
    # liuhaotian/llava-v1.5-7b/README.md:13, under a restrictive licence, no code or data
    line = ("LLaVA is an open-source chatbot trained by fine-tuning LLaMA/Vicuna on "
            "GPT-generated multimodal instruction-following data.")
    card = f"---\nlicense: llama2\n---\n{line}\n"
    snap = Snapshot(ref="hf:liuhaotian/llava-v1.5-7b", files=(),
                    documents=(Document("README.md", card, len(card)),))
    flags = audit_snapshot(snap).data["frameworks"]["openwashing"]["flags"]
    assert flags and all(line in f["cited"] and line in f["message"] for f in flags)
