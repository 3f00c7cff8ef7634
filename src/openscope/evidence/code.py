"""Code: training, fine-tuning, inference, evaluation, preprocessing and architecture code.

Found by path (``train.py``, ``eval/``, ``modeling_*.py``), by content signals in the code
files read (``loss.backward()``, ``model.generate(``), by usage snippets in the card, and by
links to code repositories in the card. A link is recorded as ``linked, not verified``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from openscope import lazyre
from openscope.evidence.context import Context
from openscope.evidence.data import DATA_DIRS, DATA_SUFFIXES
from openscope.evidence.facts import Fact, line_index, snippet
from openscope.evidence.probes import Probe

_SEPARATORS = lazyre.compile(r"[-_. ]")

CODE_SUFFIXES = (".py", ".sh", ".ipynb", ".rs", ".cpp", ".cu", ".c", ".js", ".ts", ".jl", ".lua")
CONFIG_SUFFIXES = (".yaml", ".yml", ".toml", ".cfg")

# (role, path pattern) in priority order: a file gets the first role that matches.
_PATH_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("preprocessing", re.compile(
        r"(preprocess|pre_process|prepare[_-]?data|training[_-]data|data[_-]?prep|dedup|filter[_-]?data|"
        r"clean[_-]?data|(?:build|make|generate|create|process|convert)[_-]?datasets?|"
        r"tokeni[sz]e[_-]?data|data_pipeline|(?:^|/)data/(?!__init__\.py$)[^/]+\.py$)",
        re.I)),
    ("training", re.compile(
        r"(^|/|_|-)(train|training|pretrain|pre_train|finetune|fine_tune|fine-tune|sft|dpo|rlhf|"
        r"ppo|lora_train)([_\-./]|$)", re.I)),
    ("evaluation", re.compile(r"(^|/|_|-)(eval|evaluate|evaluation|benchmark|bench)s?([_\-./]|$)",
                              re.I)),
    ("inference", re.compile(
        r"(^|/|_|-)(infer|inference|generate|generation|predict|demo|serve|server|chat|app|"
        r"sample|run_model|pipeline)([_\-./]|$)", re.I)),
    ("architecture", re.compile(r"(^|/)(modeling_[^/]+|configuration_[^/]+|model|models|"
                                r"architecture|network|transformer)\.py$", re.I)),
    ("supporting", re.compile(r"(^|/)(tokenization_[^/]+\.py|setup\.py|pyproject\.toml|"
                              r"requirements[^/]*\.txt|environment\.ya?ml|Dockerfile)$", re.I)),
)

_CONTENT_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("training", re.compile(r"loss\.backward\(|optimizer\.step\(|trainer\.train\(|"
                            r"\bTrainer\(|SFTTrainer\(|accelerator\.backward\(")),
    ("evaluation", re.compile(r"lm_eval|evaluate\.load\(|compute_metrics|\bevaluator\b")),
    ("preprocessing", re.compile(r"\.map\(\s*tokeni[sz]e|dedup|minhash|language_filter|"
                                 r"quality_filter")),
    ("inference", re.compile(r"\.generate\(|pipeline\(\s*[\"']")),
)

_TRAIN_CONFIG_KEYS = lazyre.compile(
    r"^[ \t]*(learning_rate|lr|batch_size|train_batch_size|micro_batch_size|max_steps|"
    r"num_train_epochs|warmup_steps|optimizer|weight_decay|gradient_accumulation_steps)\s*[:=]",
    re.I | re.M,
)
_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("training", re.compile(r"\btrain(ing)?\b|\bfine-?tun|\bpre-?train|\brecipe", re.I)),
    ("evaluation", re.compile(r"\beval(uation)?\b|\bbenchmark", re.I)),
    ("preprocessing", re.compile(r"\bpre-?process|\bdata (pipeline|processing|curation)", re.I)),
    ("inference", re.compile(r"\binferen|\bdeploy|\bserving\b", re.I)),
)
_USAGE = lazyre.compile(r"from_pretrained\(|pipeline\(|\.generate\(|import\s+\w+|pip install", re.I)
_WITHHELD = lazyre.compile(
    r"(training|fine-?tuning)\s+code\s+(is|are|was|will)\s+(not|never)\s+(be\s+)?"
    r"(released|available|public|open)",
    re.I,
)


def path_role(path: str, data_folders: frozenset[str] = frozenset()) -> str | None:
    """The role a code path suggests, or ``None``.

    The file name decides first (``training/chat.py`` is a chat demo, so inference); a
    folder's name counts only when the folder is not a data folder: ``data/train/`` and a
    ``train/`` folder holding data files name a data split, not training code.
    ``data_folders`` lists folders (``a/b/``) known to hold data files.

    >>> path_role("scripts/finetune_lora.py")
    'training'
    >>> path_role("modeling_llama.py")
    'architecture'
    >>> path_role("train/app.py")
    'inference'
    >>> path_role("data/train/tokens.py")
    'other'
    """
    lower = path.lower()
    name = PurePosixPath(lower).name
    is_code = lower.endswith(CODE_SUFFIXES) or lower.endswith(CONFIG_SUFFIXES) or name in (
        "dockerfile", "makefile", "requirements.txt")
    if not is_code:
        return None
    for role, pattern in _PATH_ROLES:
        if pattern.search(name):
            return role
    folder = lower[: len(lower) - len(name)]
    if folder and not _is_data_folder(folder, data_folders):
        for role, pattern in _PATH_ROLES:
            if pattern.search(folder):
                return role
    return "other" if lower.endswith(CODE_SUFFIXES) else None


def _is_data_folder(folder: str, data_folders: frozenset[str]) -> bool:
    if folder in data_folders:
        return True
    return any(part in DATA_DIRS for part in folder.split("/"))


def data_folders(paths: tuple[str, ...]) -> frozenset[str]:
    """Folders (``a/b/``, lower case) that hold data files (parquet, jsonl, csv, ...)."""
    out = set()
    for p in paths:
        lower = p.lower()
        if "/" in lower and lower.endswith(DATA_SUFFIXES):
            out.add(lower[: lower.rfind("/") + 1])
    return frozenset(out)


#: Well-known ML tool and library repositories (``owner/name``, lower case). This is library
#: knowledge, not a judgement on any release: frameworks, trainers, quantisers, inference
#: servers, runtimes and benchmark harnesses that many releases use or cite. A card linking
#: one of them names a tool it used, never its own training or inference code. Research
#: code bases that also host models' original releases (``pytorch/fairseq``,
#: ``google-research/bert``) are deliberately absent: the card's wording decides for them.
TOOL_REPOS: frozenset[str] = frozenset({
    # Hugging Face libraries
    "huggingface/transformers", "huggingface/trl", "huggingface/peft",
    "huggingface/accelerate", "huggingface/diffusers", "huggingface/datasets",
    "huggingface/tokenizers", "huggingface/text-generation-inference",
    "huggingface/text-embeddings-inference", "huggingface/optimum",
    "huggingface/optimum-intel", "huggingface/optimum-habana", "huggingface/evaluate",
    "huggingface/safetensors", "huggingface/huggingface_hub", "huggingface/candle",
    "huggingface/transformers.js", "huggingface/setfit", "huggingface/nanotron",
    "huggingface/lighteval", "huggingface/autotrain-advanced", "huggingface/alignment-handbook",
    "huggingface/pytorch-image-models", "rwightman/pytorch-image-models",
    "huggingface/swift-coreml-diffusers", "huggingface/exporters",
    # training frameworks and fine-tuning tools
    "microsoft/deepspeed", "microsoft/deepspeedexamples", "microsoft/megatron-deepspeed",
    "microsoft/lora", "nvidia/megatron-lm", "nvidia/nemo", "nvidia/apex",
    "nvidia/transformerengine", "lm-sys/fastchat", "openaccess-ai-collective/axolotl",
    "axolotl-ai-cloud/axolotl", "hiyouga/llama-factory", "unslothai/unsloth",
    "artidoro/qlora", "tloen/alpaca-lora", "pytorch/torchtune", "pytorch/pytorch",
    "tensorflow/tensorflow", "google/jax", "google/flax", "keras-team/keras",
    "lightning-ai/lightning", "pytorchlightning/pytorch-lightning", "lightning-ai/lit-gpt",
    "lightning-ai/litgpt", "mosaicml/composer", "ray-project/ray", "facebookresearch/xformers",
    "dao-ailab/flash-attention", "hazyresearch/flash-attention", "timdettmers/bitsandbytes",
    "bitsandbytes-foundation/bitsandbytes", "ukplab/sentence-transformers",
    "flairnlp/flair", "kohya-ss/sd-scripts", "bmaltais/kohya_ss", "ostris/ai-toolkit",
    "cloneofsimo/lora", "openai/triton", "triton-lang/triton",
    # quantisation and conversion
    "panqiwei/autogptq", "autogptq/autogptq", "casper-hansen/autoawq", "mit-han-lab/llm-awq",
    "ist-daslab/gptq", "qwopqwop200/gptq-for-llama", "turboderp/exllama",
    "turboderp/exllamav2", "intel/neural-compressor", "intel/intel-extension-for-pytorch",
    "openvinotoolkit/openvino", "microsoft/onnxruntime", "microsoft/onnxruntime-genai",
    "onnx/onnx", "opennmt/ctranslate2",
    # inference engines, servers and apps
    "vllm-project/vllm", "ggerganov/llama.cpp", "ggerganov/ggml", "ggerganov/whisper.cpp",
    "ggml-org/llama.cpp", "ggml-org/ggml", "ggml-org/whisper.cpp", "abetlen/llama-cpp-python",
    "marella/ctransformers", "jmorganca/ollama", "ollama/ollama", "mlc-ai/mlc-llm",
    "mlc-ai/web-llm", "sgl-project/sglang", "internlm/lmdeploy", "nvidia/tensorrt-llm",
    "nvidia/tensorrt", "nvidia/fastertransformer", "triton-inference-server/server",
    "predibase/lorax", "bentoml/openllm", "nomic-ai/gpt4all", "ml-explore/mlx",
    "ml-explore/mlx-examples", "oobabooga/text-generation-webui", "lostruins/koboldcpp",
    "koboldai/koboldai-client", "0cc4m/koboldai", "guillaumekln/faster-whisper",
    "systran/faster-whisper", "gradio-app/gradio", "streamlit/streamlit",
    "deepset-ai/haystack", "langchain-ai/langchain", "hwchase17/langchain",
    "run-llama/llama_index", "jerryjliu/llama_index", "automatic1111/stable-diffusion-webui",
    "comfyanonymous/comfyui", "invoke-ai/invokeai", "lmstudio-ai/lms",
    # tokenizers and text tools
    "google/sentencepiece", "openai/tiktoken", "explosion/spacy", "openai/openai-python",
    "facebookresearch/bitsandbytes", "modelscope/modelscope", "huggingface/notebooks",
    # evaluation harnesses and benchmark repositories
    "eleutherai/lm-evaluation-harness", "bigcode-project/bigcode-evaluation-harness",
    "open-compass/opencompass", "openai/evals", "openai/simple-evals", "openai/human-eval",
    "openai/grade-school-math", "tatsu-lab/alpaca_eval", "google/big-bench",
    "hendrycks/test", "stanford-crfm/helm", "embeddings-benchmark/mteb",
    "lm-sys/arena-hard-auto", "microsoft/agieval", "laion-ai/clip_benchmark",
})

# GitHub paths that are not repositories (site pages under a reserved first segment).
_NOT_OWNERS = frozenset({
    "sponsors", "orgs", "features", "topics", "marketplace", "apps", "settings", "login",
    "about", "pricing", "site", "collections", "enterprise", "security", "readme",
    "trending", "explore", "notifications", "codespaces", "users", "customer-stories",
    "search", "github", "join", "contact", "signup",
})
# A repo URL with its rest (``/issues/3``, ``/blob/main/x.png``), bounded.
_REPO_URL = lazyre.compile(
    r"https?://(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)/"
    r"([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100})(/[^\s)\]\"'<>]{0,300})?",
)
# Links that point into a repository's tracker or its badges: the repo is only cited.
_TRACKER = lazyre.compile(r"^/(issues|pull|pulls|discussions|actions|workflows|stargazers|"
                          r"network|watchers|graphs|forks|commits?|compare|milestones?|labels)"
                          r"(/|$|[?#])", re.I)
# The link is an image's source, or the target of a badge (an image wrapped in a link).
_IMAGE_BEFORE = lazyre.compile(r"!\[[^\]\n]{0,200}\]\($|<img\b[^>\n]{0,300}$", re.I)
_BADGE_BEFORE = lazyre.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,400}\)\]\($", re.I)
_BADGE_AFTER = lazyre.compile(r"[\"']?\s{0,4}>\s{0,4}<img\b", re.I)
_IMAGE_PATH = lazyre.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|ico|mp4|webm|mov)([?#]|$)", re.I)
# A field naming the release's code: "- **Repository:** <link>", "Code: <link>", "| GitHub |".
_OWN_FIELD = lazyre.compile(
    r"^[ \t]{0,8}(?:[-*+|>][ \t]{0,4})?(?:\*\*|__)?[ \t]{0,2}(?:official[ \t]+)?"
    r"(repository|repo|code|codes|code[ \t]+repository|codebase|source[ \t]+code|"
    r"github(?:[ \t]+repo(?:sitory)?)?|training[ \t]+code|implementation|"
    r"project[ \t]+(?:repository|repo))"
    r"[ \t]{0,2}(?:\[optional\])?[ \t]{0,2}(?:\*\*|__)?[ \t]{0,2}[:：|]",
    re.I,
)
# Sections whose links are the release's sources (the Hub card template's "Model Sources").
_SOURCES_TITLE = lazyre.compile(r"model\s+sources?|^\s*(code|source\s+code|repository|"
                                r"github|links?)\s*$", re.I)
# Phrases presenting a link as the release's own code (read in the link's sentence).
_OWN_PHRASE = lazyre.compile(
    r"\b(our|official)[ \t]+(?:\w+[ \t]+){0,2}?(code|codes|codebase|implementation|"
    r"repo|repository|github|git[ \t]?hub|scripts?|project[ \t]+page)\b"
    r"|\b(code|codes|scripts?|implementation|codebase)[ \t]+(for|of)[ \t]+(this|the|our)[ \t]+"
    r"(model|paper|project|work|release)"
    r"|\b(training|fine-?tuning|evaluation|inference|pre-?training|source)[ \t]+"
    r"(code|codes|scripts?)\b"
    r"|\b(code|codes|scripts?)[ \t]+(is|are|has[ \t]+been|have[ \t]+been|was|were)[ \t]+"
    r"(now[ \t]+)?(publicly[ \t]+)?(available|released|open-?sourced|hosted|public)"
    r"|\b(first[ \t]+)?released[ \t]+in[ \t]+(this|the|\w+'s)[ \t]+repo"
    r"|\bhow[ \t]+to[ \t]+reproduce|\bto[ \t]+reproduce[ \t]+(our|the|this)\b"
    r"|代码|源码",
    re.I,
)
# Link texts that present the link as the release's own code.
_OWN_TEXT = lazyre.compile(r"^\s*(github|github[ \t]+repo(sitory)?|code|codes|source[ \t]+code|"
                           r"repository|codebase|official[ \t]+(code|repo|repository|"
                           r"implementation|github))\s*$", re.I)
# Phrases presenting a link as a tool the release used, cited or thanks.
_TOOL_PHRASE = lazyre.compile(
    r"\b(use|used|uses|using|utili[sz]\w*|leverag\w*|via|trained[ \t]+with|built[ \t]+"
    r"(with|on|upon)|powered[ \t]+by|served[ \t]+(by|with)|run[ \t]+with|quanti[sz]\w*|"
    r"convert\w*|based[ \t]+on|thanks[ \t]+to|thank|appreciate|acknowledg\w*|credit\w*|"
    r"install\w*|clone|library|framework|toolkit|compatible[ \t]+with|supported[ \t]+by|"
    r"works[ \t]+with|following|inspired[ \t]+by|borrow\w*|adapted[ \t]+from)\b",
    re.I,
)
_SENTENCE_END = lazyre.compile(r"[.!?。！？][ \t\"')\]]|[.!?。！？]$")
_DATA_WORDS = lazyre.compile(r"\b(trained|fine-?tuned|pre-?trained)[ \t]+on\b|\bdata|\bcorpus|"
                             r"\bcorpora|\btask\b|\blanguages\b|\bmodel[ \t]+card", re.I)
_MD_LINK_TEXT = lazyre.compile(r"\[([^\[\]\n]{0,120})\]\($")
# Words naming a release's model variant, dropped from its name to get the family name.
_VARIANT = lazyre.compile(
    r"^(v?\d+(\.\d+)*[bmkt]?|x?\d+x\d+[bm]?|base|large|small|tiny|mini|medium|xl|xxl|xlarge|"
    r"huge|giant|chat|instruct|it|hf|deduped|gptq|awq|gguf|ggml|exl2|int4|int8|4bit|8bit|"
    r"fp16|bf16|fp8|en|uncased|cased|sft|dpo|rlhf|preview|alpha|beta|final|pt|ft|base_model)$",
    re.I,
)
_REPO_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("training", re.compile(r"train|finetun|fine-tun|recipe", re.I)),
    ("evaluation", re.compile(r"eval|bench|harness", re.I)),
    ("preprocessing", re.compile(r"preprocess|data[-_]?(pipeline|prep|processing)|dedup", re.I)),
    ("inference", re.compile(r"infer|serv(e|ing)|deploy|demo", re.I)),
)
#: How many lines at the top of a card count as its header (title, badges, sources).
HEADER_LINES = 40
# A header link counts as the release's code only when it is presented as code (the link
# text or the line says GitHub / code / repository), and never in a lineage statement or a
# comparison ("Backbone Model: [LLaMA-2](github...)", "better than [X](github...)").
_URL = lazyre.compile(r"https?://[^\s)\]>\"']{1,500}")
def _presented_as_code(line: str) -> bool:
    """A line that is only the link, or whose words say code/GitHub/repository."""
    words = _URL.sub("", line)
    return not re.sub(r"[\W_]+", "", words) or bool(_HEADER_CODE_LINK.search(words))


_HEADER_CODE_LINK = lazyre.compile(r"github|gitlab|\bcode\b|\brepo(sitory)?\b|💻", re.I)
_NOT_OWN_CONTEXT = lazyre.compile(
    r"backbone|base[ _-]?model|fine-?tuned (from|on|version)|based on|built on|"
    r"\b(than|outperform\w*|compared?|vs\.?|versus|surpass\w*)\b", re.I)


def _norm(text: str) -> str:
    return _SEPARATORS.sub("", text.lower())


def release_id(ctx: Context) -> tuple[str, str]:
    """(organisation, name) of the release, from the Hub record or the ref; ``""`` if unknown.

    >>> from openscope.snapshot import Snapshot
    >>> release_id(Context(Snapshot(ref="hf:org/my-model")))
    ('org', 'my-model')
    """
    snap = ctx.snapshot
    rid = snap.metadata.get("id") or snap.metadata.get("modelId")
    if not isinstance(rid, str) or "/" not in rid:
        ref = snap.ref.split(":", 1)[-1]
        rid = ref if ref.count("/") == 1 else ""
    org, _, name = rid.partition("/")
    return org, name


def model_family(name: str) -> str:
    """A model name without its trailing size/variant words, normalised.

    >>> model_family("Llama-2-7b-chat-hf"), model_family("xphonebert-base")
    ('llama', 'xphonebert')
    """
    tokens = [t for t in re.split(r"[-_.]", name) if t]
    while len(tokens) > 1 and _VARIANT.match(tokens[-1]):
        tokens.pop()
    return _norm("".join(tokens))


def _window(body: str, start: int, end: int) -> tuple[str, str, str]:
    """(text before the link in its sentence, link text, text after it in its sentence)."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    before = body[max(line_start, start - 200):start]
    cut = None
    for m in _SENTENCE_END.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    text = ""
    lm = _MD_LINK_TEXT.search(before)
    if lm:
        text, before = lm.group(1), before[:lm.start()]
    after = body[end:min(line_end, end + 120)]
    stop = _SENTENCE_END.search(after)
    return before, text, after[:stop.start()] if stop else after


class _Occurrence:
    """One link to a repository in the card, with what its context says."""

    __slots__ = ("line", "own", "plain", "role", "text", "tool")

    def __init__(self, line: int, own: str | None, tool: str | None, role: str | None,
                 text: str, plain: bool) -> None:
        self.line, self.own, self.tool, self.role, self.text = line, own, tool, role, text
        self.plain = plain


def classify_repo_links(ctx: Context) -> list[tuple[str, str, list[_Occurrence]]]:
    """(repo url, decision, occurrences) for every code repository the card links.

    Decision is ``own`` (the release's code), ``tool`` (a tool, library, issue or badge
    the card cites) or ``mentioned`` (linked without either signal).
    """
    card = ctx.card
    if card is None:
        return []
    body = card.body
    index = line_index(body)
    org, name = release_id(ctx)
    org_n, family = _norm(org), model_family(name)
    section_at = _section_titles(ctx)
    found: dict[str, tuple[str, str, list[_Occurrence]]] = {}
    for m in _REPO_URL.finditer(body):
        owner, repo = m.group(2), m.group(3).removesuffix(".git").rstrip(".")
        rest = m.group(4) or ""
        if owner.lower() in _NOT_OWNERS or not repo:
            continue
        slug = f"{owner}/{repo}"
        key = slug.lower()
        url = f"https://{m.group(1)}/{slug}"
        i = index.line(m.start()) - 1
        before, text, after = _window(body, m.start(), m.end())
        line_text = index.line_text(m.start())
        own = tool = None
        context = f"{before} {text} {after}"
        if _TRACKER.match(rest):
            tool = "issue or discussion link"
        elif _IMAGE_PATH.search(rest) or _IMAGE_BEFORE.search(
                body[max(0, m.start() - 300):m.start()]):
            tool = "badge or image"
        elif _BADGE_BEFORE.search(body[max(0, m.start() - 600):m.start()]) or \
                _BADGE_AFTER.match(body[m.end():m.end() + 40]):
            # A badge's target: only an owner or name match makes it the release's own.
            own = _own_basis("", "", "", "", "", owner, repo, org_n, family, names_only=True)
            tool = None if own else "badge or image"
        elif key in TOOL_REPOS:
            tool = "well-known tool or library repository"
        else:
            own = _own_basis(line_text, before, text, after, section_at(i), owner, repo,
                             org_n, family)
            tm = _last(_TOOL_PHRASE, before) or _TOOL_PHRASE.search(text)
            # The phrase nearest the link decides: "our evaluation code is based on [X]".
            if tm and (own is None or (own.startswith("phrase") and tm.start() > _own_end(
                    before))):
                own, tool = None, f"usage phrase: {tm.group(0).lower()}"
        role = next((r for r, p in _ROLE_WORDS if p.search(context)), None)
        if role is None:
            role = next((r for r, p in _REPO_ROLE_WORDS if p.search(repo)), None)
        # A link to a file, or in a sentence about data, is never a lone header repo link.
        plain = not rest.strip("/") or rest.lower().startswith("/tree/")
        plain = plain and not _DATA_WORDS.search(context)
        occ = _Occurrence(card.body_line + i, own, tool, role, line_text, plain)
        if key not in found:
            found[key] = (url, "", [])
        found[key][2].append(occ)
    out = []
    for url, _, occs in found.values():
        key = url.split("/", 3)[3].lower()
        if key in TOOL_REPOS:
            decision = "tool"
        elif any(o.own for o in occs):
            decision = "own"
        elif any(o.tool for o in occs):
            decision = "tool"
        else:
            decision = "mentioned"
        out.append((url, decision, occs))
    # A lone link in the card's header, with nothing else presented as code, is the
    # release's own (the usual "<title>\n<link to the repo>" layout).
    candidates = [r for r in out if r[1] == "mentioned"]
    if not any(r[1] == "own" for r in out) and len(candidates) == 1:
        url, _, occs = candidates[0]
        if occs[0].line - card.body_line < HEADER_LINES and occs[0].plain and \
                _presented_as_code(occs[0].text) and \
                not _NOT_OWN_CONTEXT.search(occs[0].text):
            occs[0].own = "sole code link in the card header"
            out = [(u, "own" if u == url else d, o) for u, d, o in out]
    return out


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return last


def _own_end(before: str) -> int:
    m = _last(_OWN_PHRASE, before)
    return m.end() if m else -1


def _own_basis(line_text: str, before: str, text: str, after: str, section: str,
               owner: str, repo: str, org_n: str, family: str,
               names_only: bool = False) -> str | None:
    """Why a link is the release's own code, or ``None``."""
    if names_only:
        return _name_basis(owner, repo, org_n, family)
    field = _OWN_FIELD.match(line_text[:300])
    if field:
        return f"field: {field.group(1).strip()}"
    if _SOURCES_TITLE.search(section):
        return f"section: {section.strip()}"
    if _OWN_TEXT.match(text):
        return f"link text: {text.strip()}"
    phrase = _OWN_PHRASE.search(f"{before} {text} {after}")
    if phrase:
        return f"phrase: {phrase.group(0).strip()}"
    return _name_basis(owner, repo, org_n, family)


def _name_basis(owner: str, repo: str, org_n: str, family: str) -> str | None:
    if org_n and _norm(owner) == org_n:
        return "repository owner is the publisher"
    repo_n = _norm(repo)
    if family and len(family) >= 4 and family in repo_n:
        return "repository named after the model"
    if org_n and len(org_n) >= 4 and repo_n == org_n:
        return "repository named after the publisher"
    return None


def _section_titles(ctx: Context) -> Callable[[int], str]:
    """A function from a 0-based body line to the title of the section holding it."""
    card = ctx.card
    if card is None:
        return lambda _i: ""
    starts = [sec.line - card.body_line for sec in card.sections]
    titles = [sec.title for sec in card.sections]

    def title(i: int) -> str:
        # Headings start sections in order, so the last heading at or above the line owns it.
        k = bisect_right(starts, i) - 1
        return titles[k] if k >= 0 else ""
    return title


def repo_facts(ctx: Context) -> Iterator[Fact]:
    """``code.repo`` / ``code.tool`` / ``code.mentioned_repo`` facts for the card's links."""
    card = ctx.card
    if card is None:
        return
    followed = _followed(ctx)
    for url, decision, occs in classify_repo_links(ctx):
        if decision == "own":
            occ = next(o for o in occs if o.own)
            role = next((o.role for o in occs if o.own and o.role), None) or next(
                (o.role for o in occs if o.role), None) or "unknown"
            attrs: dict[str, object] = {"role": role, "own_basis": occ.own, "verified": False}
            slug = url.split("/", 3)[3].lower() if url.count("/") >= 3 else ""
            if slug in followed:
                # The audit followed it: its evidence comes from evidence/linked_code.py.
                attrs.update(verified=True, followed=True, repo=followed[slug])
            yield Fact("code.repo", url, "inferred", path=card.path, line=occ.line, url=url,
                       snippet=snippet(occ.text), attrs=attrs)
        elif decision == "tool":
            occ = next((o for o in occs if o.tool), occs[0])
            yield Fact("code.tool", url.split("/", 3)[3], "inferred", path=card.path,
                       line=occ.line, url=url, snippet=snippet(occ.text),
                       attrs={"reason": occ.tool or "well-known tool or library repository"})
        else:
            occ = occs[0]
            yield Fact("code.mentioned_repo", url, "inferred", path=card.path, line=occ.line,
                       url=url, snippet=snippet(occ.text),
                       attrs={"role": occ.role or "unknown"})


def _followed(ctx: Context) -> dict[str, str]:
    """``owner/name`` (lower case) -> ``owner/name@sha`` of the followed repositories."""
    out: dict[str, str] = {}
    for entry in ctx.snapshot.metadata.get("links") or ():
        if not (isinstance(entry, dict) and entry.get("followed")):
            continue
        ref = str(entry.get("ref") or "")
        snap = entry.get("snapshot")
        rev = snap.get("revision") if isinstance(snap, dict) else None
        if ref.startswith("gh:"):
            name = ref[3:].split("@", 1)[0]
            out[name.lower()] = f"{name}@{rev}" if rev else name
    return out


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``code.*`` facts from files, configs, card snippets and repository links."""
    snap = ctx.snapshot
    texts = dict(ctx.docs_text())
    folders = data_folders(snap.file_paths())
    for path in snap.file_paths():
        role = path_role(path, folders)
        if role is None:
            continue
        text = texts.get(path)
        if role == "other" and text is not None:
            role = _content_role(text) or "other"
        if path.lower().endswith(CONFIG_SUFFIXES):
            if text is not None and _TRAIN_CONFIG_KEYS.search(text):
                match = _TRAIN_CONFIG_KEYS.search(text)
                yield Fact("code.training_config", path, "inferred", path=path,
                           snippet=snippet(match.group(0) if match else ""))
            continue
        if role == "other":
            yield Fact("code.file", path, "detected", path=path)
            continue
        yield Fact(f"code.{role}", path, "inferred", path=path, attrs={"by": "path"})
    config = snap.document("config.json")
    if config is not None and config.text and ('"architectures"' in config.text
                                               or '"model_type"' in config.text):
        first = _first_match(config.text, r'"(architectures|model_type)"[^\n]*')
        yield Fact("code.architecture_config", "config.json", "detected", path="config.json",
                   snippet=snippet(first))
    elif isinstance(snap.metadata.get("config"), dict) and snap.metadata["config"].get(
        "architectures"
    ):
        archs = snap.metadata["config"]["architectures"]
        yield Fact("code.architecture_config", ",".join(map(str, archs)), "detected",
                   key="config.architectures")
    for link in snap.metadata.get("links") or ():
        if isinstance(link, dict) and link.get("kind") == "code" and link.get("url"):
            link_attrs = {"verified": bool(link.get("verified")), "ref": link.get("ref")}
            if "followed" in link:
                link_attrs["followed"] = bool(link["followed"])
            yield Fact("code.link", str(link["url"]), "inferred", url=str(link["url"]),
                       key="links", attrs=link_attrs)
    library = ctx.card_data.get("library_name") or snap.metadata.get("library_name")
    if isinstance(library, str) and library:
        yield Fact("code.library", library, "declared", key="library_name")
    yield from _from_card(ctx)


def _from_card(ctx: Context) -> Iterator[Fact]:
    card = ctx.card
    if card is None:
        return
    body = card.body
    index = line_index(body)
    lines = body.split("\n")
    yield from repo_facts(ctx)
    withheld = _WITHHELD.search(body)
    if withheld:
        i = index.line(withheld.start()) - 1
        yield Fact("code.withheld", "training code", "declared", path=card.path,
                   line=card.body_line + i, snippet=snippet(lines[i]))
    in_fence = False
    start = 0
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            if not in_fence:
                in_fence, start = True, i
            else:
                in_fence = False
                block = "\n".join(lines[start + 1: i])
                if _USAGE.search(block):
                    yield Fact("code.usage", "usage snippet in card", "detected", path=card.path,
                               line=card.body_line + start, snippet=snippet(block))
                    return


def _content_role(text: str) -> str | None:
    for role, pattern in _CONTENT_ROLES:
        if pattern.search(text):
            return role
    return None


def _first_match(text: str, pattern: str) -> str:
    m = re.search(pattern, text)
    return m.group(0) if m else ""

PROBES = (
    Probe("code.files", "Which code files does the release ship, in which role?",
          ("code.training", "code.inference", "code.evaluation", "code.preprocessing",
           "code.architecture", "code.supporting", "code.file", "code.training_config",
           "code.architecture_config"),
          "Path conventions, the file name before its folders: `train*.py`/`finetune*` "
          "training; `eval*`/`benchmark*` evaluation; `infer*`, `generate*`, `predict*`, "
          "`demo*`, `serve*`, `chat*.py`, `app.py` (Gradio/Streamlit demos) inference; "
          "`preprocess*`, `prepare_data*`, `*training_data*`, `{build,make,generate,create,"
          "process,convert}_dataset*` and a script directly in a `data/` package "
          "preprocessing; `modeling_*.py`, "
          "`model.py` architecture. A folder's name (`train/`, `eval/`) counts only when it "
          "is not a data folder (`data/`, `dataset/`, or a folder holding parquet/jsonl/csv "
          "files, where `train/` is a data split). Code with no role by path gets one from "
          "content signals (`loss.backward()`, `Trainer(`, `.generate(`); configs with "
          "training hyper-parameters; `config.json` naming the architecture.",
          "`inference/model.py` is counted as architecture, not inference; a training script "
          "named `run.py` with no content read is `code.file`."),
    Probe("code.usage", "Does the card show how to run the model?", ("code.usage",),
          "A code block in the card with `from_pretrained(`, `pipeline(`, `.generate(` or an "
          "install command.", "none known"),
    Probe("code.own-repo", "Which code repositories does the card present as the release's own?",
          ("code.repo", "code.tool", "code.mentioned_repo", "code.link"),
          "Every GitHub/GitLab/Bitbucket/Codeberg link in the card, decided per repository. "
          "`code.tool`: a well-known tool/library repository (`TOOL_REPOS`, library "
          "knowledge: transformers, TRL, PEFT, DeepSpeed, Megatron-LM, vLLM, TGI, llama.cpp, "
          "FastChat, axolotl, lm-evaluation-harness, ...), an issue/discussion link, a badge "
          "or image, or a link whose sentence presents it as used or cited (\"using\", "
          "\"trained with\", \"built on\", \"install\", \"thanks to\", \"based on\"; the "
          "phrase nearest the link wins). `code.repo` (own, `attrs.own_basis`): a field "
          "(`Repository:`, `Code:`, `GitHub:`), a `Model Sources` section, a link text "
          "(`[GitHub Repo]`, `[official repository]`), a phrase (\"our code\", \"training code "
          "is available\", \"code for this model\", \"first released in this repository\"), "
          "the repository owner equal to the publisher (case-insensitive, ignoring `-_. `), "
          "the model family name (the name without size/variant words) in the repository "
          "name, or the publisher's name as the repository name. `attrs.role` (training, "
          "evaluation, preprocessing, inference, unknown) from the words beside the link or "
          "the repository name. Any other link is `code.mentioned_repo` (frameworks ignore "
          "it), except a lone such link in the card's first 40 lines, pointing at the "
          "repository itself (not a file), on a line that presents it as code (GitHub, code, "
          "repository) and is not a lineage statement or a comparison (\"Backbone Model: "
          "[X](...)\", \"better than [X](...)\") nor about data: that is the "
          "card's header repo link, `code.repo` with own_basis `sole code link in the card "
          "header`. `code.link`: code links recorded by a remote source. A `code.repo` the "
          "audit followed (embedded in `links`, see probe `code.linked-repo`) gets "
          "`attrs.followed: true`, `attrs.verified: true` and `attrs.repo` (`owner/name@sha`).",
          "Ported models (timm `Original:` links) credit the original authors' repository as "
          "own; a fork of a listed library holding the release's scripts is a tool; a "
          "repository owned by the publisher but unrelated to the model is own."),
    Probe("code.library", "Which library does the metadata name?", ("code.library",),
          "`library_name` in the card or the Hub record.", "none known"),
    Probe("code.withheld", "Does the card say the training code is not released?",
          ("code.withheld",),
          "\"training code is not released / will not be available\" statements.", "none known"),
)
