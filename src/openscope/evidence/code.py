"""Code: training, fine-tuning, inference, evaluation, preprocessing and architecture code.

Found by path (``train.py``, ``eval/``, ``modeling_*.py``), by content signals in the code
files read (``loss.backward()``, ``model.generate(``), by usage snippets in the card, and by
links to code repositories in the card. A link is recorded as ``linked, not verified``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from openscope.evidence.context import Context
from openscope.evidence.facts import Fact, LineIndex, snippet
from openscope.evidence.probes import Probe

CODE_SUFFIXES = (".py", ".sh", ".ipynb", ".rs", ".cpp", ".cu", ".c", ".js", ".ts", ".jl", ".lua")
CONFIG_SUFFIXES = (".yaml", ".yml", ".toml", ".cfg")

# (role, path pattern) in priority order: a file gets the first role that matches.
_PATH_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("preprocessing", re.compile(
        r"(preprocess|pre_process|prepare[_-]?data|data[_-]?prep|dedup|filter[_-]?data|"
        r"clean[_-]?data|build[_-]?dataset|make[_-]?dataset|tokeni[sz]e[_-]?data|data_pipeline)",
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

_TRAIN_CONFIG_KEYS = re.compile(
    r"^\s*(learning_rate|lr|batch_size|train_batch_size|micro_batch_size|max_steps|"
    r"num_train_epochs|warmup_steps|optimizer|weight_decay|gradient_accumulation_steps)\s*[:=]",
    re.I | re.M,
)
_REPO_LINK = re.compile(
    r"https?://(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)/"
    r"([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)",
)
_ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("training", re.compile(r"\btrain(ing)?\b|\bfine-?tun|\bpre-?train|\brecipe", re.I)),
    ("evaluation", re.compile(r"\beval(uation)?\b|\bbenchmark", re.I)),
    ("preprocessing", re.compile(r"\bpre-?process|\bdata (pipeline|processing|curation)", re.I)),
    ("inference", re.compile(r"\binferen|\bdeploy|\bserving\b", re.I)),
)
_USAGE = re.compile(r"from_pretrained\(|pipeline\(|\.generate\(|import\s+\w+|pip install", re.I)
_WITHHELD = re.compile(
    r"(training|fine-?tuning)\s+code\s+(is|are|was|will)\s+(not|never)\s+(be\s+)?"
    r"(released|available|public|open)",
    re.I,
)


def path_role(path: str) -> str | None:
    """The role a code path suggests, or ``None``.

    >>> path_role("scripts/finetune_lora.py")
    'training'
    >>> path_role("modeling_llama.py")
    'architecture'
    """
    lower = path.lower()
    name = PurePosixPath(lower).name
    is_code = lower.endswith(CODE_SUFFIXES) or lower.endswith(CONFIG_SUFFIXES) or name in (
        "dockerfile", "makefile", "requirements.txt")
    if not is_code:
        return None
    for role, pattern in _PATH_ROLES:
        if pattern.search(lower):
            return role
    return "other" if lower.endswith(CODE_SUFFIXES) else None


def extract(ctx: Context) -> Iterator[Fact]:
    """Yield ``code.*`` facts from files, configs, card snippets and repository links."""
    snap = ctx.snapshot
    texts = dict(ctx.docs_text())
    for path in snap.file_paths():
        role = path_role(path)
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
            yield Fact("code.link", str(link["url"]), "inferred", url=str(link["url"]),
                       key="links", attrs={"verified": bool(link.get("verified")),
                                           "ref": link.get("ref")})
    library = ctx.card_data.get("library_name") or snap.metadata.get("library_name")
    if isinstance(library, str) and library:
        yield Fact("code.library", library, "declared", key="library_name")
    yield from _from_card(ctx)


def _from_card(ctx: Context) -> Iterator[Fact]:
    card = ctx.card
    if card is None:
        return
    seen: set[str] = set()
    body = card.body
    index = LineIndex(body)
    lines = body.split("\n")
    for m in _REPO_LINK.finditer(body):
        repo = m.group(2).removesuffix(".git").rstrip(".")
        url = f"https://{m.group(1)}/{repo}"
        if url.lower() in seen:
            continue
        seen.add(url.lower())
        i = index.line(m.start()) - 1
        context = " ".join(lines[max(0, i - 1): i + 1])
        role = next((r for r, p in _ROLE_WORDS if p.search(context)), None)
        yield Fact("code.repo", url, "inferred", path=card.path, line=card.body_line + i,
                   url=url, snippet=snippet(lines[i]), attrs={"role": role, "verified": False})
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
          "Path conventions (`train.py`, `eval/`, `modeling_*.py`, `preprocess*`) and content "
          "signals in the code read (`loss.backward()`, `Trainer(`); configs with training "
          "hyper-parameters; `config.json` naming the architecture.",
          "A `train` folder of data, a demo app called `chat.py` counted as inference code."),
    Probe("code.usage", "Does the card show how to run the model?", ("code.usage",),
          "A code block in the card with `from_pretrained(`, `pipeline(`, `.generate(` or an "
          "install command.", "none known"),
    Probe("code.own-repo", "Which code repositories does the card present as the release's own?",
          ("code.repo", "code.link"),
          "GitHub/GitLab links in the card, with the role named beside them (training, "
          "evaluation, inference). Repositories of tools and libraries the release uses "
          "(frameworks, trainers, inference servers) are never its own code.",
          "A fork of a library that holds the release's training scripts is dropped as a "
          "library."),
    Probe("code.library", "Which library does the metadata name?", ("code.library",),
          "`library_name` in the card or the Hub record.", "none known"),
    Probe("code.withheld", "Does the card say the training code is not released?",
          ("code.withheld",),
          "\"training code is not released / will not be available\" statements.", "none known"),
)
