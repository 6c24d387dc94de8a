"""The text most records share (an instruction template, a system prompt, "### Response:"
scaffolding), found once per file and left out of the text the duplicate family compares.

Two prompts filled into one 81-character template share most of their shingles although they
share nothing else: the template decides their similarity, makes near-duplicates (FT202),
conflicts (FT203) and leaks (FT204) of unrelated records, and puts nearly every record into the
same LSH buckets, where true pairs are lost. So for similarity only, each prompt-side text (the
system prompt, every user turn) loses:

- a **prefix** and a **suffix** that more than half of that role's texts share (the longest,
  cut at a word boundary, at least ``MIN_CHARS`` characters after shingle normalization; a
  suffix after a prefix may be shorter, one word: it closes the same template), and
- every whole **line** that more than half of that role's texts contain.

Answers are never stripped: a shared answer is a label, and it is what makes two records differ.
Exact-copy checks (FT201, FT204's verbatim tier) compare the full text.

The detection reads an evenly spaced sample of at most ``SAMPLE`` records, so it costs the same
on 1M records as on 2,000 (a few milliseconds); a file with fewer than ``MIN_TEXTS`` texts of a
role has no template for it.

    from ftlint.artifacts.shared_template import template_of
    t = template_of(dataset)            # SharedTemplate or None, built once per file
    t.fields(example, "conversation")   # fields_of(example, ...) without the template
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field

from ftlint.artifacts.normalize import _SEP, fields_of, shingle_text
from ftlint.example import Example

SAMPLE = 2000  # records read to find the template
MIN_TEXTS = 5  # a role with fewer sampled texts has no template
MIN_CHARS = 24  # a prefix or suffix shorter than this (shingle-normalized) is a common opening, not a template
ROLES = ("system", "user")  # the prompt side; answers are never stripped


@dataclass(frozen=True)
class RoleTemplate:
    """What one role's texts share; the shares (of the sampled texts) are figures for FT205."""

    prefix: str = ""
    suffix: str = ""
    lines: tuple[str, ...] = ()
    prefix_share: float = field(default=0.0, compare=False)
    suffix_share: float = field(default=0.0, compare=False)
    line_shares: tuple[float, ...] = field(default=(), compare=False)

    def strip(self, text: str) -> str:
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix):]
        if self.suffix and text.endswith(self.suffix):
            text = text[:len(text) - len(self.suffix)]
        if self.lines:
            drop = set(self.lines)
            text = "\n".join(ln for ln in text.split("\n") if ln.strip() not in drop)
        return text


@dataclass(frozen=True)
class SharedTemplate:
    roles: tuple[tuple[str, RoleTemplate], ...]  # (role, what its texts share), in ROLES order
    sampled: int = field(default=0, compare=False)  # records read

    @property
    def key(self) -> str:
        """A short stable name of the template, part of the duplicate index's cache key."""
        return hashlib.blake2b(repr(self.roles).encode("utf-8"), digest_size=8).hexdigest()

    def strip(self, text: str, role: str) -> str:
        for r, t in self.roles:
            if r == role:
                return t.strip(text)
        return text

    def fields(self, ex: Example, fields: str) -> list[str]:
        """fields_of(ex, fields) with the template left out of every prompt-side text."""
        strip = self.strip
        if fields == "conversation":
            return [strip(t.text, t.role) for t in ex.turns if t.role != "system"]
        if fields == "prompt":
            turns = [t for t in ex.turns if t.role != "system"]
            if turns and turns[-1].role == "assistant":
                turns.pop()
            parts = [strip(ex.system, "system")] if ex.system else []
            parts.extend(strip(t.text, t.role) for t in turns)
            return [_SEP.join(parts)]
        if fields == "all":
            return ([strip(ex.system, "system")] if ex.system else []) + \
                [strip(t.text, t.role) for t in ex.turns if t.role != "system"]
        return fields_of(ex, fields)


def template_of(dataset) -> SharedTemplate | None:
    """The dataset's shared template (None when no role has one), found once and shared."""
    return dataset.memo("shared-template", lambda ds: detect(ds.examples))


def detect(examples) -> SharedTemplate | None:
    n = len(examples)
    step = max(1, n / SAMPLE)
    sample = [examples[int(k * step)] for k in range(min(n, SAMPLE))]
    texts: dict[str, list[str]] = {r: [] for r in ROLES}
    for ex in sample:
        if ex.system:
            texts["system"].append(ex.system)
        texts["user"].extend(t.text for t in ex.turns if t.role == "user")
    roles = tuple((r, t) for r in ROLES if (t := _role_template(texts[r])) is not None)
    return SharedTemplate(roles, len(sample)) if roles else None


def _role_template(texts: list[str]) -> RoleTemplate | None:
    m = len(texts)
    if m < MIN_TEXTS:
        return None
    need = m // 2 + 1  # more than half
    prefix = _shared_start(texts, need)
    rest = [t[len(prefix):] if prefix and t.startswith(prefix) else t for t in texts]
    # once a role has a template start, its end may be short ("### Response:", "</question>"):
    # it closes the same template; alone, a short common end is only a common ending
    suffix = _shared_start([t[::-1] for t in rest], need, 1 if prefix else MIN_CHARS)[::-1]
    suffix_share = sum(t.endswith(suffix) for t in rest) / m if suffix else 0.0
    if suffix:
        rest = [t[:len(t) - len(suffix)] if t.endswith(suffix) else t for t in rest]
    counts = Counter(ln for t in rest for ln in {ln.strip() for ln in t.split("\n")})
    lines = sorted((ln for ln, c in counts.items() if c >= need and ln and shingle_text(ln)),
                   key=lambda ln: (-counts[ln], ln))
    if not (prefix or suffix or lines):
        return None
    return RoleTemplate(prefix, suffix, tuple(lines),
                        prefix_share=sum(t.startswith(prefix) for t in texts) / m if prefix else 0.0,
                        suffix_share=suffix_share, line_shares=tuple(counts[ln] / m for ln in lines))


def _shared_start(texts: list[str], need: int, min_chars: int = MIN_CHARS) -> str:
    """The longest start that at least ``need`` texts share, cut so that it ends at a word
    boundary in those texts, or "" if it is shorter than ``min_chars`` once shingle-normalized.
    In sorted order the texts that share a start are adjacent, so the longest start of any
    ``need`` of them is the longest common prefix of some window of ``need`` sorted texts."""
    s = sorted(texts)
    best = ""
    for i in range(len(s) - need + 1):
        p = os.path.commonprefix([s[i], s[i + need - 1]])
        if len(p) > len(best):
            best = p
    bare = best
    while bare and not bare[-1].isalnum():
        bare = bare[:-1]
    if bare != best and sum(t.startswith(bare) for t in texts) > sum(t.startswith(best) for t in texts):
        # punctuation that most texts, not all, add after the template ("...?\n### Response:"):
        # a start without it is shared by more texts, and similarity ignores punctuation anyway
        best = bare
    while best and best[-1].isalnum():
        # the start ends inside a word: keep it only if most texts end a word there too
        # (a constant system prompt that ends in a letter), else cut back to the last boundary
        ends = sum(1 for t in texts if t.startswith(best) and (len(t) == len(best) or not t[len(best)].isalnum()))
        if ends >= need:
            break
        cut = len(best)
        while cut and best[cut - 1].isalnum():
            cut -= 1
        best = best[:cut]
    return best if len(shingle_text(best)) >= min_chars else ""
