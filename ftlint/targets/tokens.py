"""Token estimation for the token-limit rule (FT602): pluggable, conservative by default.

The tokenizers of Titan, Nova, Claude 3 and Cohere are not public and none ships offline, so the
default :class:`Heuristic` over-estimates on purpose (see shared/bedrock.md, "Counting tokens
without the real tokenizer"): AWS's documentation plans with about 6 characters per token and
AWS's own Claude Haiku validator uses ``len(text) // 3``; real text runs from about 4 characters
per token (English prose) down to 2 (code, SQL, PDF extracts) and under 1 (Chinese, Japanese).
So the heuristic counts

- one token per CJK character (Han, kana, Hangul, full-width forms),
- about 3 characters per token for other text, sliding down to 2 as the share of code-like
  symbols (``{}[]()<>;=/\\_*|&$#@`` and backticks) rises from 5% to 20% of the characters.

When you have the model's real tokenizer as a Hugging Face ``tokenizer.json`` (Llama's is
published), :func:`from_file` counts exactly with the optional ``tokenizers`` package
(``pip install 'ftlint[tokenizers]'``). Nothing is ever downloaded.

An estimator is any object with ``method`` (a short description used in messages) and
``count(text) -> int``."""
from __future__ import annotations

import math
import os
import re
from typing import Protocol

from ftlint.errors import ConfigError

DEFAULT_CHARS_PER_TOKEN = 3.0
CODE_CHARS_PER_TOKEN = 2.0
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_SYMBOLS = "{}[]()<>;=/\\_*|&$#@`"
_DROP_SYMBOLS = str.maketrans("", "", _SYMBOLS)


class Estimator(Protocol):
    method: str

    def count(self, text: str) -> int: ...


class Heuristic:
    """Characters-per-token estimate, conservative for Latin prose, CJK and code."""

    def __init__(self, chars_per_token: float | None = None):
        self.chars_per_token = float(chars_per_token or DEFAULT_CHARS_PER_TOKEN)
        # an upper bound that lets a caller skip counting short text: never more tokens than this
        # many per character (1 per CJK character; other text at least 1 char per token)
        self.max_tokens_per_char = 1.0 if self.chars_per_token >= 1 else 1 / self.chars_per_token
        self.method = (f"estimate: ~{self.chars_per_token:g} chars/token, 1 per CJK character, "
                       f"down to {min(CODE_CHARS_PER_TOKEN, self.chars_per_token):g} for code")

    def count(self, text: str) -> int:
        if not text:
            return 0
        n = len(text)
        cjk = 0 if text.isascii() else len(_CJK.findall(text))
        rest = n - cjk
        if not rest:
            return cjk
        symbols = n - len(text.translate(_DROP_SYMBOLS))
        share = symbols / rest
        slide = min(max((share - 0.05) / 0.15, 0.0), 1.0)
        low = min(CODE_CHARS_PER_TOKEN, self.chars_per_token)
        cpt = self.chars_per_token - slide * (self.chars_per_token - low)
        return cjk + math.ceil(rest / cpt)


class TokenizerFile:
    """Exact counts from a Hugging Face tokenizer.json, with the optional ``tokenizers`` package."""

    def __init__(self, path: str):
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise ConfigError("counting tokens with a tokenizer file needs the optional 'tokenizers' "
                              "package: pip install 'ftlint[tokenizers]'") from None
        if not os.path.isfile(path):
            raise ConfigError(f"tokenizer file {path!r} not found (ftlint never downloads one: give the "
                              "path of a local tokenizer.json)")
        try:
            self._tok = Tokenizer.from_file(path)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file
            raise ConfigError(f"cannot read tokenizer file {path!r}: {exc}") from None
        self.method = f"tokenizer {os.path.basename(path)}"
        self.max_tokens_per_char = None  # byte-level tokenizers can exceed one token per character

    def count(self, text: str) -> int:
        if not text:
            return 0
        return len(self._tok.encode(text, add_special_tokens=False).ids)


def from_file(path: str) -> TokenizerFile:
    return TokenizerFile(path)


def record_tokens(estimator: Estimator, example) -> tuple[int, int]:
    """(input tokens, output tokens) of one Example: the output is the last assistant turn (or the
    completion), the input everything before it (system prompt, earlier turns)."""
    turns = list(example.turns)
    out_text = ""
    if turns and turns[-1].role == "assistant":
        out_text = turns.pop().text
    parts = [example.system] if example.system and not (turns and turns[0].role == "system") else []
    parts.extend(t.text for t in turns)
    return sum(estimator.count(p) for p in parts if p), estimator.count(out_text)
