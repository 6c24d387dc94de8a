'''FT613: reinforcement fine-tuning records. An RFT record is a prompt (OpenAI chat messages)
plus the `reference_answer` the grader scores the model's response against (format `rft`,
schemas/rft.schema.json). The record count (100 to 20,000) is FT601 with an RFT target; tool
definitions are FT614; a reference answer that the prompt gives away is FT507 (the `rft` format
normalizes the reference answer to the record's completion and every turn to its prompt).'''
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import Option, rule
from ftlint.rules.target_words import figure

RFT_METHOD = "reinforcement-fine-tuning"
# chat records an RFT target may be given without their reference answers (FT603 names the format)
_CHATS = frozenset({"openai-chat", "claude-messages", "bedrock-conversation"})


def empty_reference(value) -> str | None:
    """Why a reference answer gives the grader nothing to score against, or None."""
    if value is None:
        return "null"
    if isinstance(value, str) and not value.strip():
        return "empty" if not value else "only whitespace"
    if isinstance(value, (dict, list)) and not value:
        return f"an empty {'object' if isinstance(value, dict) else 'array'}"
    return None


@rule("FT613", "reference-answer", "error",
      "An RFT record whose reference_answer is missing, null or empty.",
      why="the grader scores every response against the reference answer, so an empty one trains on noise (and RFT jobs need one).",
      scope="record", batch=True)
def reference_answer(records, options) -> Iterator[Problem]:
    """
    ## What it does
    For `rft` records: reports a `reference_answer` that is `null`, an empty or whitespace-only
    string, `{}` or `[]`. With an RFT target (`--target rft-nova-2-lite`, `rft-gpt-oss-20b`,
    `rft-qwen3-32b`), also reports chat records that have no `reference_answer` at all. Without
    a target it reports them in a file of RFT records: a file is `rft` when at least as many of
    its records carry a reference answer as lack one (with an RFT target, when any does), so a
    record without its answer is reported here rather than the file being read as plain chats.

    ## Why it matters
    Reinforcement fine-tuning generates several responses per prompt and the grader (a Lambda
    reward function, or a judge model) scores each against the record's reference answer or
    criteria. Bedrock's data pages require the field; an empty one makes every reward
    meaningless, and the model learns from noise.

    ## Example
    ```jsonl bad
    {"messages": [{"role": "user", "content": "Solve: 2x + 5 = 13"}], "reference_answer": "  "}
    ```
    ```jsonl good
    {"messages": [{"role": "user", "content": "Solve: 2x + 5 = 13"}], "reference_answer": {"solution": "x = 4"}}
    ```

    ## Fix
    Write the expected answer, or the criteria the grader checks, into `reference_answer` (a
    string, or an object with the fields your grader reads); drop prompts you cannot grade.
    `ftlint convert --to rft` turns prompt/answer records into RFT records.
    """
    # one target per run: whether chats need a reference answer is decided once per batch
    target = records[0].target if records else None
    needs_reference = target is not None and target.method == RFT_METHOD
    for record in records:
        obj = record.obj
        if record.format == "rft":
            why = empty_reference(obj["reference_answer"])
            if why is not None:
                yield Problem(record.line, f"reference_answer is {why}: the grader has nothing to score the "
                              "response against; write the expected answer or the grading criteria",
                              data={"field": "reference_answer"})
        elif needs_reference and record.format in _CHATS and "reference_answer" not in obj:
            yield Problem(record.line, f"the record has no reference_answer; {record.target.key} scores each "
                          "response against it: add the expected answer or the grading criteria",
                          data={"field": "reference_answer", "target": record.target.key})


# the record rule whose finding on an RFT prompt is no finding: "must end with the assistant's
# answer" (an RFT prompt ends with the user's turn)
ENDS_WITH_ANSWER = "FT107"


def missing_answer(line: int) -> Problem:
    """FT613 for a chat record of an rft file without a reference_answer."""
    return Problem(line, "the record has no reference_answer, unlike the rest of this RFT file: the grader has "
                   "nothing to score the response against; add the expected answer or the grading criteria, or "
                   "drop the record", code="FT613", data={"field": "reference_answer"})


def unanswered(problems: list, lines: list[int], reported: bool) -> list:
    """The file stage's problems for the chat records of an rft file that have no reference_answer
    (the file is rft: ftlint.formats.detect.prefer_rft). Each is an RFT prompt without its answer:
    FT613 (unless the rule already said so, as it does with an RFT target), and no FT107 "must end
    with the assistant's answer" (an RFT prompt ends with the user's turn)."""
    at = set(lines)
    kept = [(r, p) for r, p in problems if not (r is not None and r.code == ENDS_WITH_ANSWER and p.line in at)]
    if not reported:
        kept.extend((None, missing_answer(line)) for line in sorted(at))
    return kept


def _prompt_tokens(estimator, example) -> int:
    # every turn of an RFT record is prompt (ftlint.formats.normalize._rft), the system turn too
    in_turns = bool(example.turns) and example.turns[0].role == "system"
    parts = [t.text for t in example.turns] + ([example.system] if example.system and not in_turns else [])
    return sum(estimator.count(p) for p in parts if p)


@rule("FT623", "rft-prompt-length", "warning",
      "An RFT prompt longer than the job's maxPromptLength, in estimated tokens.",
      why="the job's maxPromptLength caps the prompt the model is given; a longer prompt is cut or left out "
          "(the API reference does not say which), so the response is graded against an answer to a prompt the "
          "model never saw whole; a warning, since the count is estimated and the behaviour undocumented.",
      scope="record", needs_target=True, options={
          "max-prompt-length": Option(0, "the job's maxPromptLength hyper-parameter in tokens; 0 takes the "
                                      "target's documented default (`ftlint targets NAME`)", type=int),
      })
def prompt_length(record, options) -> Iterator[Problem]:
    """
    ## What it does
    With an RFT target (`rft-nova-2-lite`, `rft-gpt-oss-20b`, `rft-qwen3-32b`), estimates each
    record's prompt tokens (the system prompt and every message: in RFT the whole conversation is
    the prompt, the reference answer is not) and reports a prompt longer than the job's
    `maxPromptLength`: the option `max-prompt-length` when set, the target's default otherwise
    (4,096 tokens for Nova 2 Lite). The estimate is the one FT602 uses; with `tokenizer =` in
    the config it is an exact count.

    ## Why it matters
    `maxPromptLength` (CreateModelCustomizationJob, `rftConfig.hyperParameters`) is the longest
    prompt the training takes. A longer prompt is cut or dropped; either way the grader scores a
    response to a prompt the model never saw whole against the full prompt's reference answer,
    or the record does not train at all.

    ## Example
    ```jsonl bad target=rft-nova-2-lite max-prompt-length=10
    {"messages": [{"role": "user", "content": "A train leaves at 9:00 and travels 120 km at 60 km/h. When does it arrive?"}], "reference_answer": "11:00"}
    ```
    ```jsonl good target=rft-nova-2-lite
    {"messages": [{"role": "user", "content": "What is 12 * 7?"}], "reference_answer": "84"}
    ```

    ## Fix
    Shorten the prompt (fewer examples in it, a shorter system prompt), or raise the job's
    `maxPromptLength` (`ftlint split --hp maxPromptLength=N`) and tell this rule
    (`-O FT623.max-prompt-length=N`): longer prompts cost memory and training time.
    """
    p = record.target
    if p.method != RFT_METHOD or record.format not in ("rft", *_CHATS):
        return
    limit = options["max-prompt-length"] or p.hyperparameter_specs.get("maxPromptLength", {}).get("default")
    if not limit:
        return
    used = _prompt_tokens(p.estimator, record.example)
    if used <= limit:
        return
    exact = not p.estimator.method.startswith("estimate")
    yield Problem(record.line, f"the prompt is {'' if exact else 'about '}{figure(used)} tokens, over the job's "
                  f"maxPromptLength of {figure(limit)} ({p.estimator.method}): a longer prompt is cut or left out "
                  "of RFT training; shorten it or raise maxPromptLength (-O FT623.max-prompt-length=N)",
                  data={"tokens": used, "limit": limit, "target": p.key})


RULES = (reference_answer, prompt_length)
