"""FT507 answer-in-prompt: the expected answer (the completion, the label, or an RFT record's
reference answer, all an Example's ``completion``) written verbatim into the prompt."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.artifacts.labels import labels_of
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

# words that announce an answer: "Answer: 72", "the correct label is billing", "ground truth = B"
_CUE = re.compile(r"\b(?:the\s+)?(?:correct\s+|final\s+|expected\s+|reference\s+|right\s+)?"
                  r"(?:answer|label|output|response|solution|category|intent|class|ground[\s_-]*truth|target)"
                  r"\s*(?:is|was|:|=|->|=>)\s*[\"'“‘*`(\[]*")
# for labels only the words that name a label: "the answer is yes" is a natural utterance of CLINC150's
# intent `yes`, "intent: yes" is not
_LABEL_CUE = re.compile(r"\b(?:the\s+)?(?:correct\s+|expected\s+|right\s+)?(?:label|category|intent|class)"
                        r"\s*(?:is|was|:|=|->|=>)\s*[\"'“‘*`(\[]*")
# a label spelt as an identifier (card_arrival, RefundRequest) does
# not occur in prose by chance; a plain word (billing, weather) does
_IDENTIFIER = re.compile(r"_|[a-z][A-Z]")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _exact(answer: str, prompt: str) -> bool:
    """The answer in the prompt with its case (whitespace aside): changing case is a task."""
    return " ".join(answer.split()) in " ".join(prompt.split())


def _after_cue(cue: re.Pattern, prompt: str, answer: str) -> bool:
    for m in cue.finditer(prompt):
        rest = prompt[m.end():]
        if rest.startswith(answer) and (len(rest) == len(answer) or not rest[len(answer)].isalnum()):
            return True
    return False


@rule("FT507", "answer-in-prompt", "warning", "The expected answer or label written verbatim into the prompt.",
      why="a leaked answer makes the task trivial, but extraction tasks quote the prompt by design: a person decides.",
      scope="dataset", options={
          "min-chars": Option(25, "an answer this long (and at least four words) found anywhere in its prompt is a leak; "
                              "shorter ones only right after a cue such as 'Answer:'"),
          "max-share": Option(0.5, "when more records than this share quote their answer in the prompt, the task is "
                              "extraction by design and only cued leaks are reported"),
      })
def answer_in_prompt(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks for each record's expected answer in its prompt: the completion (the last assistant
    turn), the label of classification data, or the reference answer of a reinforcement
    fine-tuning record. It reports the record when

    - the answer follows a cue such as `Answer:`, `label is`, `correct answer =` or `ground
      truth:` in the prompt (any answer, even `72`), or
    - an answer of at least `min-chars` characters and four words occurs anywhere in the prompt,
      unless more than `max-share` of the records do so (a span-extraction or quoting task), or
    - a label spelt as an identifier (`card_arrival`, `RefundRequest`) occurs in the prompt, unless
      the prompt also names two other labels (a list of options to choose from).

    Whitespace is ignored, and case too except for long answers (changing case is a task). For
    labels, only cues that name a label count (`label:`, `intent is`): "the answer is yes" is a
    natural utterance of an intent `yes`.

    ## Why it matters
    A model trained on prompts that contain their answers learns to copy, not to solve: the
    training loss drops fast, validation looks excellent, and the model fails on real prompts,
    which never carry the answer. Such leaks come from a template that interpolated the wrong
    field, or from a reference answer pasted into an RFT prompt (the grader then rewards copying).

    ## Example
    ```jsonl bad
    {"prompt": "Natalia sold 48 clips in April and half as many in May. How many in total? Answer: 72", "completion": "72"}
    {"prompt": "A shirt costs $20 and is 25% off. What is the price now?", "completion": "15"}
    ```
    ```jsonl good
    {"prompt": "Natalia sold 48 clips in April and half as many in May. How many in total?", "completion": "72"}
    {"prompt": "A shirt costs $20 and is 25% off. What is the price now?", "completion": "15"}
    ```

    ## Fix
    Remove the answer from the prompt (fix the template that put it there). If the task is to
    extract a span of the prompt, this is expected: ignore FT507 for the file.
    """
    info = labels_of(dataset)
    answers = info.labels if info is not None else [ex.completion for ex in dataset.examples]
    names = {_norm(label) for label in info.counts} if info is not None else set()
    found = [(ex.line, answer, kind) for ex, answer in zip(dataset.examples, answers, strict=True)
             if (kind := leak_kind(ex.prompt, answer, info is not None, names, options))]
    n = sum(1 for a in answers if a and a.strip())
    quoting = quoting_by_design(sum(1 for *_, kind in found if kind == "verbatim"), n, options)
    what = "label" if info is not None else "answer"
    for line, answer, kind in sorted(found):
        if not (quoting and kind == "verbatim"):
            yield leak_problem(line, answer, what, kind)


def leak_kind(prompt: str, answer: str, labelled: bool, names: set[str], options) -> str | None:
    """How ``answer`` (a label when ``labelled``, ``names`` the file's labels normalized) leaks
    into its prompt: "cue", "verbatim" (reported unless quoting is the file's design) or None."""
    if not answer or not prompt:
        return None
    a = answer.strip()
    if not a or a.casefold() not in prompt.casefold():
        return None  # the common case, decided by one substring search
    normed, a = _norm(prompt), _norm(a)
    if _after_cue(_LABEL_CUE if labelled else _CUE, normed, a):
        return "cue" if not labelled or not _lists_options(normed, a, names) else None
    if not labelled and len(a) >= options["min-chars"] and len(a.split()) >= 4 and _exact(answer, prompt):
        return "verbatim"
    if labelled and _IDENTIFIER.search(answer.strip()) and not _lists_options(normed, a, names):
        return "cue"
    return None


def quoting_by_design(quoted: int, n: int, options) -> bool:
    """Whether ``quoted`` verbatim answers, of ``n`` records with an answer, make an extraction or
    quoting task (then only cued leaks are reported)."""
    return quoted > options["max-share"] * max(n, 1)


def leak_problem(line: int, answer: str, what: str, kind: str) -> Problem:
    shown = answer.strip() if len(answer.strip()) <= 60 else answer.strip()[:57] + "..."
    return Problem(line, f"the prompt contains the expected {what} {shown!r} verbatim, so the model can copy it instead "
                   "of learning the task; remove it from the prompt", data={"answer": answer.strip()[:200], "kind": kind})


def _lists_options(prompt: str, answer: str, names: set[str]) -> bool:
    """Whether the prompt names at least two labels besides this one (a list of options)."""
    others = 0
    for label in names:
        if label != answer and label in prompt:
            others += 1
            if others >= 2:
                return True
    return False


RULES = (answer_in_prompt,)
