"""FT506 system-prompt-outlier: in chat data, a system prompt that is a small edit of the file's
dominant one (a typo, an older version), rather than a different prompt by design."""
from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

# distinct rare system prompts compared with the dominant ones, most frequent first: bounds the
# cost when every record has its own system prompt (then there is rarely a dominant one anyway)
MAX_CANDIDATES = 2_000
CONTEXT = 25


def _diff(odd: str, usual: str) -> tuple[str, str]:
    """The first stretch where ``odd`` differs from ``usual``, with some context on each side."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, odd, usual, autojunk=False).get_opcodes():
        if tag != "equal":
            return odd[max(0, i1 - CONTEXT):i2 + CONTEXT], usual[max(0, j1 - CONTEXT):j2 + CONTEXT]
    return odd[:2 * CONTEXT], usual[:2 * CONTEXT]


def _similar(a: str, b: str, threshold: float) -> float:
    """difflib's ratio of two prompts when it can reach ``threshold`` (cheap bounds first), else 0."""
    if 2 * min(len(a), len(b)) / max(len(a) + len(b), 1) < threshold:
        return 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < threshold or m.quick_ratio() < threshold:
        return 0.0
    return m.ratio()


@rule("FT506", "system-prompt-outlier", "warning",
      "A system prompt that is a small edit of the file's dominant one (a typo, an older version).",
      why="a near-copy of the dominant system prompt is usually a stale version or a typo, but a variant can be deliberate.",
      scope="dataset", options={
          "min-share": Option(0.1, "a system prompt on at least this share of the records is a dominant one, by design"),
          "min-similarity": Option(0.9, "difflib similarity to a dominant prompt from which a rarer prompt is a small edit of it"),
          "max-share": Option(0.2, "when more records than this share use edited variants, the variation is by design "
                              "(a per-record date or name) and nothing is reported"),
      })
def system_prompt_outlier(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    In chat data, counts the system prompts. Those used by at least `min-share` of the records
    with a system prompt are the dominant ones. Every rarer system prompt whose difflib similarity
    to a dominant one is at least `min-similarity` (but that is not equal to it) is a small edit of
    it: each record that uses it is reported, with the first differing stretch of both prompts
    and the line of the dominant prompt's first record. Files whose system prompts are all
    different (no dominant one), or in which edited variants are on more than `max-share` of the
    records (a per-record date or user name), are by design and not reported.

    ## Why it matters
    The model learns the system prompt it will be served with. A few records with an older
    wording or a typo ("You are a helpful asistant") teach it a second, slightly different
    instruction and are usually leftovers of an earlier export; at inference only the current
    prompt is used, so those records train on an input that never occurs.

    ## Example
    ```jsonl bad
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Can I pay by invoice?"}, {"role": "assistant", "content": "Yes, on the annual plan."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Do you ship abroad?"}, {"role": "assistant", "content": "To 30 countries."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Is there a trial?"}, {"role": "assistant", "content": "Fourteen days, free."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "How do I reset my password?"}, {"role": "assistant", "content": "Use the link on the login page."}]}
    {"system": "You are Acme's suport assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Can I change my plan?"}, {"role": "assistant", "content": "Yes, under Billing."}]}
    ```
    ```jsonl good
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Can I pay by invoice?"}, {"role": "assistant", "content": "Yes, on the annual plan."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Do you ship abroad?"}, {"role": "assistant", "content": "To 30 countries."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Is there a trial?"}, {"role": "assistant", "content": "Fourteen days, free."}]}
    {"system": "You are Acme's billing assistant. Quote the invoice number in every answer.", "messages": [{"role": "user", "content": "Why was I charged twice?"}, {"role": "assistant", "content": "Invoice 1043 was charged twice; the refund is on its way."}]}
    {"system": "You are Acme's support assistant. Answer briefly and politely.", "messages": [{"role": "user", "content": "Can I change my plan?"}, {"role": "assistant", "content": "Yes, under Billing."}]}
    ```

    ## Fix
    Rewrite the records with the dominant system prompt (or regenerate them with it); if the
    variant is deliberate, make it differ by more than a small edit, or raise `min-similarity`.
    """
    lines: dict[str, list[int]] = {}
    for ex in dataset.examples:
        if (prompt := system_of(ex)) is not None:
            lines.setdefault(prompt, []).append(ex.line)
    if len(lines) < 2:
        return
    counts = Counter({prompt: len(ls) for prompt, ls in lines.items()})
    total = sum(counts.values())
    floor = dominant_floor(total, options)
    dominant = [p for p, n in counts.most_common() if n >= floor]
    if not dominant:
        return
    rare = [p for p, _ in counts.most_common() if p not in dominant][:MAX_CANDIDATES]
    edits = [e for prompt in rare if (e := nearest(prompt, dominant, options["min-similarity"])) is not None]
    if not edits_reported(sum(counts[p] for p, _, _ in edits), total, options):
        return
    for prompt, usual, similarity in edits:
        found = outlier_problem(prompt, usual, similarity, counts[usual], lines[usual][0], counts[prompt])
        for line in lines[prompt]:
            yield at_line(found, line)


def system_of(ex) -> str | None:
    """The system prompt FT506 compares (stripped), or None."""
    return ex.system.strip() if ex.system is not None and ex.system.strip() else None


def dominant_floor(total: int, options) -> float:
    """The records a system prompt needs to be a dominant one, of ``total`` with a system prompt."""
    return max(2, options["min-share"] * total)


def nearest(prompt: str, dominant: list[str], threshold: float) -> tuple[str, str, float] | None:
    """(prompt, the dominant prompt it is a small edit of, similarity), or None: ties go to the
    first of ``dominant`` (most used first)."""
    best = max(((d, _similar(prompt, d, threshold)) for d in dominant), key=lambda t: t[1])
    return (prompt, best[0], best[1]) if best[1] >= threshold else None


def edits_reported(on_edits: int, total: int, options) -> bool:
    """Whether edited variants on ``on_edits`` of ``total`` records are reported (not by design)."""
    return 0 < on_edits <= options["max-share"] * total


def outlier_problem(prompt: str, usual: str, similarity: float, n_usual: int, first: int, n_prompt: int) -> Problem:
    """The problem of every record with ``prompt`` (a small edit of ``usual``), without its line
    (at_line gives each record its own)."""
    odd, normal = _diff(prompt, usual)
    return Problem(None, f"system prompt is a small edit of the one on {n_usual} records (line {first}; "
                   f"similarity {similarity:.2f}): {odd!r} where they have {normal!r}; use that prompt, or "
                   "make the difference deliberate",
                   related=(first,), data={"similarity": round(similarity, 4), "dominant_count": n_usual,
                                           "count": n_prompt, "excerpt": odd, "dominant_excerpt": normal})


def at_line(p: Problem, line: int) -> Problem:
    return dataclasses.replace(p, line=line, data=dict(p.data or {}))


RULES = (system_prompt_outlier,)
