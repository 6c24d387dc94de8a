"""The report's seams: everything the HTML report and the review sheet take from other parts of
ftlint goes through one function here, so that wiring in a better implementation is one edit.

- :func:`excerpt`: the ONE way a record is quoted (HTML report, review CSV): PII and secrets
  masked, then flattened to one line and cut. It masks with the FT7 family's redaction
  (``ftlint.curate.redact.redact_text``) when that module is installed, and with the small
  built-in masker below (e-mail, phone, card-like digit runs, AWS access key ids, private-key
  blocks, bearer tokens) until then.
- :func:`count_tokens` / :func:`record_tokens`: the target profile's token estimator
  (``profile.estimator.count``) when ``--target`` gave one, else ``ceil(len(text) / 3)`` (the
  conservative ~3 characters per token that FT602 plans with).
- :func:`token_limits`: the profile's ``max_input_tokens`` / ``max_output_tokens`` (or its
  ``max_total_tokens`` for both) when it has them.
- :func:`labels`: the labels artifact (``ftlint.artifacts.labels.labels_of``) when installed,
  else an explicit ``label`` on 90% of the records, else the completion when the completions look
  like class names (few distinct short values)."""
from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from ftlint.example import Example

EXCERPT_WIDTH = 200

_FALLBACK_PATTERNS = (
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.S), "[SECRET]"),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "[SECRET]"),
    (re.compile(r"(?i)\b(?:bearer|token|api[_-]?key|secret|password)\b(\s*[:=]\s*|\s+)[A-Za-z0-9._~+/=-]{12,}"),
     "[SECRET]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[EMAIL]"),
    (re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), "[CARD]"),
    (re.compile(r"(?<![\w+])\+?\(?\d{1,3}\)?[ .-]?\(?\d{3}\)?[ .-]\d{3}[ .-]?\d{4}\b"), "[PHONE]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
)


@cache
def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def fallback_mask(text: str) -> str:
    """The built-in masker used until the FT7 family's redaction is installed."""
    for pattern, placeholder in _FALLBACK_PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


@cache
def _masker() -> tuple[str, Callable[[str], str]]:
    redact = _optional("ftlint.curate.redact")
    if redact is not None and hasattr(redact, "redact_text"):
        return "ftlint's FT7 PII and secret detectors", lambda t: redact.redact_text(t)[0]
    return "a basic built-in masker (e-mail, phone, card, SSN, keys)", fallback_mask


def masker_name() -> str:
    return _masker()[0]


def excerpt(text: str, width: int = EXCERPT_WIDTH) -> str:
    """``text`` with PII and secrets masked, whitespace runs collapsed, control characters written
    as escapes (ftlint.report.escape), cut to ``width`` characters."""
    from ftlint.report.escape import printable

    masked = _masker()[1](text)
    flat = printable(" ".join(masked.split()))  # a NUL or an override shows as \x00 / \u202e
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def example_text(example: Example) -> str:
    """What an excerpt of a valid record shows: the prompt, then the completion."""
    if example.completion:
        return f"{example.prompt} \u2192 {example.completion}"
    return example.prompt or example.text


# ------------------------------------------------------------------------------------- tokens

def count_tokens(text: str, target: Any = None) -> int:
    if not text:
        return 0
    estimator = getattr(target, "estimator", None)
    if estimator is not None:
        return int(estimator.count(text))
    return math.ceil(len(text) / 3)


def record_tokens(example: Example, target: Any = None) -> tuple[int, int]:
    """(input tokens, output tokens): the output is the last assistant turn (the completion), the
    input everything before it (system prompt, earlier turns)."""
    tokens_mod = _optional("ftlint.targets.tokens")
    estimator = getattr(target, "estimator", None)
    if tokens_mod is not None and estimator is not None and hasattr(tokens_mod, "record_tokens"):
        return tokens_mod.record_tokens(estimator, example)
    turns = list(example.turns)
    out = turns.pop().text if turns and turns[-1].role == "assistant" else ""
    parts = [example.system] if example.system and not (turns and turns[0].role == "system") else []
    parts.extend(t.text for t in turns)
    return sum(count_tokens(p, target) for p in parts if p), count_tokens(out, target)


def token_limits(target: Any) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """((input limit, label), (output limit, label)) of a target profile, each None when unknown;
    a total (input + output) limit bounds each side when the side has none of its own."""
    if target is None:
        return None, None
    total = getattr(target, "max_total_tokens", None)
    out = []
    for side in ("input", "output"):
        own = getattr(target, f"max_{side}_tokens", None)
        out.append((own, f"target {side} limit") if own else (total, "target total limit (input + output)")
                   if total else None)
    return out[0], out[1]


def target_name(target: Any) -> str | None:
    if target is None:
        return None
    return getattr(target, "name", None) or getattr(target, "key", None) or str(target)


# ------------------------------------------------------------------------------------- labels

def looks_like_labels(completions: Sequence[str]) -> bool:
    n = len(completions)
    if n < 4:
        return False
    short = sum(1 for c in completions if len(c) <= 60 and len(c.split()) <= 5)
    distinct = len({c.strip() for c in completions})
    return short >= 0.95 * n and 2 <= distinct <= min(200, n // 2)


def labels(dataset: Any, like: str | None = None) -> tuple[str | None, Counter]:
    """(source, Counter of labels as written) of a dataset; source is "label", "completion" or
    None (not classification-like). ``like`` forces the training file's source on a validation file."""
    mod = _optional("ftlint.artifacts.labels")
    examples = dataset.examples
    if mod is not None and hasattr(mod, "labels_of"):
        field = like or "auto"
        info = mod.labels_of(dataset, field=field)
        return (info.source, Counter(info.labels)) if info is not None else (None, Counter())
    if not examples:
        return None, Counter()
    source = like
    if source is None:
        if sum(1 for e in examples if e.label is not None) >= 0.9 * len(examples):
            source = "label"
        elif looks_like_labels([e.completion for e in examples]):
            source = "completion"
        else:
            return None, Counter()
    if source == "label":
        return source, Counter(e.label if e.label is not None else "" for e in examples)
    return source, Counter(e.completion for e in examples)
