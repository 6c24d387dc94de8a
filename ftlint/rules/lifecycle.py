'''FT612: the target model's place in Bedrock's model lifecycle (Active, Legacy, end-of-life),
from the `status`, `legacy-date`, `eol-date` and `replacement` figures of the target profile
(ftlint/targets/profiles.toml, taken from the model lifecycle page). The figures are data: a run
never looks at the clock, so the same file and options give the same findings on any day.'''
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem, Severity
from ftlint.rules.base import rule


@rule("FT612", "target-lifecycle", "error",
      "A target whose base model is Legacy (warning, naming the replacement) or past its end of life (error).",
      why="a job on a model past its end of life is rejected (a Legacy model still trains, so that is a warning).",
      scope="dataset", needs_target=True)
def target_lifecycle(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reads the target's lifecycle status. A **Legacy** target gives a warning with its end-of-life
    date and the target to move to; a target past its **end of life** gives an error. The status
    and dates come from Bedrock's model lifecycle page (`ftlint targets NAME` shows the page; a
    status marked [U] could not be confirmed there). Reported once, on the training file.

    ## Why it matters
    After the end-of-life date requests to a model fail, so a customization job on it is
    rejected. In the Legacy period Bedrock restricts customization (the lifecycle page: no new
    fine-tuning jobs or Provisioned Throughput on a Legacy model) and a custom model stops working
    at the base model's end of life: training on it now means migrating soon.

    ## Example
    ```jsonl bad target=claude-3-haiku
    {"system": "Answer briefly.", "messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```

    ## Fix
    Move to the replacement the message names (`ftlint convert --target REPLACEMENT` writes its
    record format). If AWS extends a date or the page changes, override the figures in your
    config: `[tool.ftlint.targets.llama3-2-1b] status = "active"` (or `status = "legacy"` with
    the new `eol-date`). A shipped profile that the page lists as Legacy is end-of-life once its
    `eol-date` is on or before the day the page was read (`[lifecycle] as-of` in
    `ftlint/targets/profiles.toml`, 2026-12-04); your overrides are taken as written.
    """
    p = dataset.target
    if p.status == "active" or dataset.role != "train":
        return
    unsure = " (unconfirmed: check the lifecycle page)" if "status" in p.uncertain else ""
    move = (f"; move to {p.replacement} (`ftlint targets {p.replacement}`)" if p.replacement
            else "; the lifecycle page names no replacement")
    data = {"target": p.key, "status": p.status, "legacy_date": p.legacy_date, "eol_date": p.eol_date,
            "replacement": p.replacement}
    if p.status == "end-of-life":
        when = f" on {p.eol_date}" if p.eol_date else ""
        yield Problem(None, f"{p.key} ({p.name}) reached its end of life on Amazon Bedrock{when}{unsure}: requests "
                      f"to it fail, so a customization job is rejected{move}", data=data)
        return
    since = f" since {p.legacy_date}" if p.legacy_date else ""
    eol = f", end of life {p.eol_date}" if p.eol_date else ""
    yield Problem(None, f"{p.key} ({p.name}) is Legacy on Amazon Bedrock{since}{eol}{unsure}: Bedrock restricts "
                  f"new customization jobs on Legacy models and the custom model stops at the end of life{move}",
                  data=data, severity=Severity.WARNING)


RULES = (target_lifecycle,)
