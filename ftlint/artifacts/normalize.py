"""Normalized text and content hashes, shared by the duplicate family (FT2) and the splitter.

Two normalizations, on purpose:

- :func:`normalize` (exact duplicates, FT201/FT203/FT204): Unicode NFKC, case folding and
  whitespace collapsed to one space. Punctuation is kept: ``"Refund?"`` and ``"Refund!"`` are
  not the same example, but they are near-duplicates.
- :func:`shingle_text` (near-duplicates, FT202): the same plus every run of punctuation or
  symbols replaced by one space, so that punctuation-only edits do not change the shingles.

Which text of an Example counts is the ``fields`` choice (:data:`FIELDS`)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from ftlint.example import Example

#: what text of a record the duplicate rules compare
FIELDS = ("conversation", "prompt", "completion", "all")
FIELDS_HELP = ("which text is compared: `conversation` (every turn: the prompt and the completion of "
               "single-turn formats, every message of a chat), `prompt`, `completion`, or `all` "
               "(conversation plus the system prompt)")

_NONWORD = re.compile(r"[\W_]+")
# ASCII fast path for shingle_text: every ASCII character that is not a letter or digit -> space
_ASCII_SPACE = {c: " " for c in range(128) if not chr(c).isalnum()}
_SEP = "\x1f"  # joins the fields of one record inside a content key; never part of normalized text


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed (the FT201 notion of 'the same text')."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def shingle_text(text: str) -> str:
    """normalize() plus punctuation and symbols turned into spaces (what FT202 shingles)."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_SPACE).split())
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_NONWORD.sub(" ", text.casefold()).split())


def fields_of(ex: Example, fields: str) -> list[str]:
    """The raw texts of one record that the duplicate rules compare, one per turn or field."""
    if fields == "conversation":
        return [t.text for t in ex.turns if t.role != "system"]
    if fields == "prompt":
        return [prompt_context(ex)]
    if fields == "completion":
        return [ex.completion]
    if fields == "all":
        return ([ex.system] if ex.system else []) + [t.text for t in ex.turns if t.role != "system"]
    raise ValueError(f"unknown fields {fields!r}; use one of {', '.join(FIELDS)}")


def prompt_context(ex: Example) -> str:
    """What the model is given before the answer it learns: the system prompt and every turn but
    the last assistant turn (the prompt of single-turn formats). FT203 groups records by it."""
    turns = [t for t in ex.turns if t.role != "system"]
    if turns and turns[-1].role == "assistant":
        turns.pop()
    parts = [ex.system] if ex.system else []
    parts.extend(t.text for t in turns)
    return _SEP.join(parts)


def key_text(ex: Example, fields: str) -> str:
    return _SEP.join(normalize(t) for t in fields_of(ex, fields))


def digest(text: str) -> int:
    """A stable 64-bit content hash (blake2b), the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def content_hashes(examples: Sequence[Example], fields: str) -> np.ndarray:
    """uint64 hash of each record's normalized text; equal hashes are verified by the caller."""
    return np.fromiter((digest(key_text(e, fields)) for e in examples), dtype=np.uint64, count=len(examples))


def exact_groups(examples: Sequence[Example], fields: str) -> list[list[int]]:
    """Indices (into examples) of records whose normalized text is identical, groups of 2 or more,
    each sorted, in order of their first member. Hash collisions are ruled out by comparing text."""
    hashes = content_hashes(examples, fields)
    return groups_by_hash(hashes, lambda i: key_text(examples[i], fields))


def groups_by_hash(hashes: np.ndarray, text_of) -> list[list[int]]:
    if len(hashes) < 2:
        return []
    order = np.argsort(hashes, kind="stable")
    sorted_h = hashes[order]
    starts = np.flatnonzero(np.r_[True, sorted_h[1:] != sorted_h[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    groups: list[list[int]] = []
    for s, n in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = order[s:s + n].tolist()
        by_text: dict[str, list[int]] = {}
        for i in members:  # a 64-bit collision would split here, never merge two texts
            by_text.setdefault(text_of(i), []).append(i)
        groups.extend(sorted(g) for g in by_text.values() if len(g) > 1)
    groups.sort(key=lambda g: g[0])
    return groups
