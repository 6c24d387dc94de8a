"""FT602: a record's estimated (or, with a tokenizer file, counted) tokens against the target's
input, output and total limits; part of the FT6 family (ftlint.rules.limits holds its RULES)."""
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem, Severity
from ftlint.rules.base import Option, rule
from ftlint.rules.target_words import figure
from ftlint.targets.tokens import record_tokens


@rule("FT602", "token-limit", "error",
      "A record longer than the target allows, in estimated tokens (a warning near the limit).",
      why="a record over the token limit fails the job, often hours in (a warning near the limit, since the count is estimated).",
      scope="record", needs_target=True, options={
          "warn-share": Option(0.8, "warn when a record reaches this share of a limit; the default "
                               "estimate can be off by 20% or more for unusual text", type=float),
      })
def token_limit(record, options) -> Iterator[Problem]:
    """
    ## What it does
    Estimates each record's tokens (input: system prompt and every turn before the last answer;
    output: the last assistant turn or the completion) and compares them with the target's input,
    output and total limits. Above a limit it is an error; above `warn-share` of a limit (80%)
    a warning. The message gives the estimate, the limit and the method.

    The default estimate is deliberately conservative because the Titan, Nova, Claude and Cohere
    tokenizers are not public: about 3 characters per token for prose, 1 token per CJK character
    and down to 2 characters per token for code (AWS's own Claude validator uses `len // 3`;
    English prose is nearer 4). Set `tokenizer = "path/to/tokenizer.json"` in the config to count
    exactly with a local Hugging Face tokenizer file (needs `pip install 'ftlint[tokenizers]'`;
    nothing is downloaded).

    ## Why it matters
    A record over the limit fails the job, counted with the service's tokenizer, and users report
    jobs that fail only after about two hours. AWS's Llama sample validator does not count tokens.

    ## Example
    ```jsonl bad target=titan-express warn-share=0.01
    {"prompt": "Summarise this support ticket in one sentence: the customer was charged twice for the annual plan and asks for a refund.", "completion": "A customer charged twice for the annual plan wants a refund."}
    ```
    ```jsonl good target=titan-express
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Shorten or split the record (a long document into several records with the same question),
    trim the system prompt, or choose a target with a longer context. Titan's limit is 4,096
    tokens at batch size 1 and 2,048 at larger batches: set `max-total-tokens` under
    `[tool.ftlint.targets.titan-express]` to match your batch size.
    """
    p = record.target
    if not (p.max_input_tokens or p.max_output_tokens or p.max_total_tokens):
        return
    est = p.estimator
    bound = getattr(est, "max_tokens_per_char", None)
    if bound:
        # fast path: text too short to reach the warning share of the smallest limit at the
        # estimator's most tokens per character needs no count
        ex = record.example
        chars = sum(len(t.text) for t in ex.turns) + len(ex.system or "")
        smallest = min(x for x in (p.max_input_tokens, p.max_output_tokens, p.max_total_tokens) if x)
        if chars * bound <= options["warn-share"] * smallest:
            return
    tin, tout = record_tokens(est, record.example)
    worst = None
    for kind, used, limit in (("total", tin + tout, p.max_total_tokens), ("input", tin, p.max_input_tokens),
                              ("output", tout, p.max_output_tokens)):
        if not limit:
            continue
        share = used / limit
        if share > options["warn-share"] and (worst is None or share > worst[3]):
            worst = (kind, used, limit, share)
    if worst is None:
        return
    kind, used, limit, share = worst
    exact = not est.method.startswith("estimate")
    amount = f"{'' if exact else 'about '}{figure(used)} {kind} tokens"
    data = {"tokens": used, "limit": limit, "kind": kind, "input_tokens": tin, "output_tokens": tout,
            "method": est.method, "target": p.key}
    if used > limit:
        yield Problem(record.line, f"record has {amount}, over the limit of {figure(limit)} {kind} tokens for "
                      f"{p.key} ({est.method}); shorten or split it", data=data)
    else:
        yield Problem(record.line, f"record has {amount}, {share:.0%} of the limit of {figure(limit)} {kind} "
                      f"tokens for {p.key} ({est.method}); the real count may exceed it: shorten it",
                      data=data, severity=Severity.WARNING)
