"""Cheap per-record text features, computed in one Python pass over the examples and shared by
the FT4 rules and `ftlint stats`: lengths in characters (and the completion's in words), and
whether the prompt holds numbers, code or non-Latin script.

    from ftlint.artifacts.profile import profile_of
    p = profile_of(dataset)
    p.prompt_chars, p.completion_chars, p.completion_words  # numpy int arrays
    p.has_number, p.has_code, p.non_latin                    # numpy bool arrays (prompt)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

NUMBER = re.compile(r"\d")
# inline or fenced code, a call `name(...)`, markup tags, operators and statement ends that prose
# does not use; deliberately not English words such as "import" or "return"
CODE = re.compile(r"`|\w\([^()\n]{0,80}\)|</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?>|=>|==|!=|::|;\s*$|\{\s*\"", re.M)
# characters one of which every CODE match contains: most prose has none, and skips the regex
_CODE_HINT = frozenset("`(<=:;{")
NON_LATIN = re.compile("[\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff"
                       "\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass
class Profile:
    prompt_chars: np.ndarray
    completion_chars: np.ndarray
    completion_words: np.ndarray
    has_number: np.ndarray
    has_code: np.ndarray
    non_latin: np.ndarray


def profile_of(dataset) -> Profile:
    return dataset.memo("profile", _build)


def _build(dataset) -> Profile:
    exs = dataset.examples
    n = len(exs)
    pc = np.fromiter((len(e.prompt) for e in exs), dtype=np.int64, count=n)
    cc = np.fromiter((len(e.completion) for e in exs), dtype=np.int64, count=n)
    cw = np.fromiter((len(e.completion.split()) for e in exs), dtype=np.int64, count=n)
    num = np.fromiter((has_number(e.prompt) for e in exs), dtype=bool, count=n)
    code = np.fromiter((has_code(e.prompt) for e in exs), dtype=bool, count=n)
    nl = np.fromiter((non_latin(e.prompt) for e in exs), dtype=bool, count=n)
    return Profile(pc, cc, cw, num, code, nl)


# one prompt's flags, as the profile holds them (the Spark engine computes them per record)
def has_number(prompt: str) -> bool:
    return NUMBER.search(prompt) is not None


def has_code(prompt: str) -> bool:
    return not _CODE_HINT.isdisjoint(prompt) and CODE.search(prompt) is not None


def non_latin(prompt: str) -> bool:
    return NON_LATIN.search(prompt) is not None
