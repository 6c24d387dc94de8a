"""Completions that are broken in themselves: cut off mid-sentence or with unbalanced brackets
(FT405 truncated-completion), or one phrase repeated many times (FT407 degenerate-completion)."""
from __future__ import annotations

from collections.abc import Iterator

from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.profile import profile_of
from ftlint.finding import Problem
from ftlint.rules.answer_shape import TERMINAL, repetition, truncation
from ftlint.rules.base import Option, rule
from ftlint.rules.labels import LABEL_FIELD


@rule("FT405", "truncated-completion", "warning",
      "A completion that ends mid-sentence, or leaves brackets, quotes or a code fence open.",
      why="a cut-off answer teaches the model to stop mid-sentence; heuristics can be wrong (a list or code answer "
          "need not end like a sentence), so a person looks.",
      scope="dataset",
      options={
          "min-words": Option(8, "completions with fewer words are not judged for a missing final punctuation"),
          "punctuated-share": Option(0.9, "when this share of the file's completions end with punctuation, one "
                                     "that does not is reported"),
          "label-field": LABEL_FIELD,
      })
def truncated_completion(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Judges open-ended completions only (classification labels such as `billing` are never
    truncated): reports a completion that leaves a code fence, a bracket, a double quote or a
    curly quote open; that has at least `min-words` words and ends on a comma, a hyphen or a
    word that cannot end a sentence (`the`, `and`, `to`...); or that ends without closing
    punctuation while at least `punctuated-share` of the file's completions of that length end
    with it.

    Lists and code are complete answers. A list (bullets, numbers, `key: value` lines, or one
    line of short comma-separated items) needs no closing punctuation, and its last item is
    judged for a dangling word only when it is a phrase of five words or more: `5. Biomass
    energy` and `Skis: Stand On` are fine. A code answer (fenced, or lines only code writes:
    `def`, assignments, braces, markup) is judged only for an open fence; brackets and quotes
    inside closed fences and inline code are not counted, nor an inch mark (`24"`) or an
    emoticon (`:(`, `(:`). A capital article in mid-sentence (`... brown quick The`, a reversed
    sentence) is not a cut, nor a word that ends sentences in speech (`I think so`, `like
    that`, `get back on`): the dangling words are articles, conjunctions, `to`, `of`, `for`,
    `with`, `from`, possessives and `than`.

    ## Why it matters
    A cut-off completion (a token limit during generation, a CSV export that split a field)
    teaches the model to stop mid-thought; an unclosed fence or brace breaks every renderer and
    parser downstream.

    ## Example
    ```jsonl bad
    {"prompt": "How do I reset my password?", "completion": "Open the sign-in page, choose Forgot password and follow the link we send to"}
    {"prompt": "Show me the config", "completion": "Here it is:\\n```yaml\\nretries: 3\\n"}
    ```
    ```jsonl good
    {"prompt": "How do I reset my password?", "completion": "Open the sign-in page, choose Forgot password and follow the link we send to your email."}
    {"prompt": "Show me the config", "completion": "Here it is:\\n```yaml\\nretries: 3\\n```"}
    {"prompt": "Name five renewable energy sources.", "completion": "Five renewable energy sources are:\\n1. Solar energy\\n2. Wind energy\\n3. Hydropower\\n4. Geothermal energy\\n5. Biomass energy"}
    {"prompt": "Stand on or sit on: skis, sled, snowboard", "completion": "Sled: Sit On\\nSnowboard: Stand On\\nSkis: Stand On"}
    {"prompt": "Write a function that adds one.", "completion": "```python\\ndef inc(x):\\n    return (x + 1\\n```"}
    ```

    ## Fix
    Regenerate or rewrite the completion in full (raise the generation's max tokens), or drop it.
    """
    if labels_of(dataset, options["label-field"]) is not None:
        return
    exs = dataset.examples
    min_words = options["min-words"]
    words = profile_of(dataset).completion_words  # shared with FT401: one split per completion
    long = [e.completion for e, n in zip(exs, words.tolist(), strict=True) if n >= min_words]
    gate = punctuation_gate(len(long), sum(map(punctuated, long)), options)
    for e in exs:
        found = truncated(e, min_words, gate)
        if found is not None:
            yield found


# FT405 in steps both engines run (the Spark engine counts per partition: ftlint.spark.rules.coverage)
def punctuated(completion: str) -> bool:
    c = completion.rstrip()
    return bool(c) and c[-1] in TERMINAL


def punctuation_gate(long: int, punctuated: int, options) -> bool:
    """Whether a completion of min-words or more must end with punctuation: when ``punctuated``
    of the ``long`` completions of that length do, and they are enough."""
    return long >= 10 and punctuated >= options["punctuated-share"] * long


def truncated(e, min_words: int, gate: bool) -> Problem | None:
    why = truncation(e.completion, min_words, gate)
    if not why:
        return None
    tail = e.completion.rstrip()[-40:]
    return Problem(e.line, f"completion {why} (…{tail!r}); complete or drop it", data={"reason": why})


@rule("FT407", "degenerate-completion", "warning", "A completion that repeats one phrase many times.",
      why="a looping answer teaches the model to loop, but enumerations can repeat legitimately.",
      scope="dataset", options={
          "min-repeats": Option(4, "a phrase repeated this many times in a row (a sentence: one time fewer, anywhere) "
                                "is degenerate"),
      })
def degenerate_completion(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports a completion in which one unit of up to 30 words and punctuation repeats
    `min-repeats` times in a row (spanning at least eight tokens), or one sentence of three or
    more words occurs `min-repeats` - 1 times, when the repetition covers at least 30% of the
    answer or runs to its end. The message quotes the unit as written, from a sentence start
    where one is in reach ("Eat a banana!", also when the copies have no space between them),
    and the true number of copies. Only completions with a low share of distinct words are
    examined, which keeps the check cheap.

    Not reported: code (loops, array literals and markup repeat by nature; text inside closed
    code fences is skipped), and a list of short labels that has no more items than the prompt
    enumerates (`even, odd, even, odd, ...` for a list of numbers, `'water', 'not water', ...`
    for a list of animals): one answer per item, not a loop.

    ## Why it matters
    Repetition loops are the signature of a generation that went wrong; a model tuned on them
    learns to loop.

    ## Example
    ```jsonl bad
    {"prompt": "Summarise the ticket", "completion": "The customer wants a refund. The customer wants a refund. The customer wants a refund. The customer wants a refund."}
    {"prompt": "I'm hungry.", "completion": "Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!"}
    ```
    ```jsonl good
    {"prompt": "Summarise the ticket", "completion": "The customer was charged twice in March and wants a refund of the second charge."}
    {"prompt": "Even or odd: 1, 2, 3, 4, 5, 6, 7, 8", "completion": "odd, even, odd, even, odd, even, odd, even"}
    ```

    ## Fix
    Regenerate the completion (with a repetition penalty) or rewrite it; drop it if unsure.
    """
    for e in dataset.examples:
        found = degenerate(e, options["min-repeats"])
        if found is not None:
            yield found


def degenerate(e, min_repeats: int) -> Problem | None:
    found = repetition(e.completion, min_repeats, e.prompt)
    if not found:
        return None
    phrase, count = found
    return Problem(e.line, f"completion repeats {phrase[:60]!r} {count} times; regenerate or rewrite it",
                   data={"phrase": phrase, "repeats": count})


RULES = (truncated_completion, degenerate_completion)
