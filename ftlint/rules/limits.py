'''FT6: what the target model's Bedrock job accepts (``--target MODEL``). Every rule of the family reads the
resolved profile (``dataset.target`` or ``record.target``, from ftlint/targets/profiles.toml, with
the config's ``[targets.<name>]`` overrides) and runs only when a target is given. Figures marked
uncertain in the profile are named as such in ``ftlint targets NAME``; override them in config.

This module holds the limits on the dataset as a whole (how many records, how large a file, whether
a validation file is taken) and the family's RULES; the other checks live by what they look at:
token counts in ftlint.rules.token_limits, the record's format and shape in
ftlint.rules.record_shape, media blocks in ftlint.rules.media_limits.'''
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import Option, rule
from ftlint.rules.media_limits import media_content, mixed_media, reasoning_content
from ftlint.rules.record_shape import conversation_shape, reserved_string, schema_version, unsupported_format
from ftlint.rules.target_words import bounds, figure, who
from ftlint.rules.token_limits import token_limit


@rule("FT601", "record-count-limit", "error",
      "Too few or too many records for the target's job (training, validation and total).",
      why="the job is rejected outside the target's record bounds.",
      scope="dataset", needs_target=True)
def record_count_limit(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Counts the records (non-blank lines) of each file and compares them with the target's bounds:
    the training file with the training bounds, the validation file (`--validation`) with the
    validation bounds, which are smaller for Claude 3 Haiku (32 to 1,000) and Cohere (at most
    1,000), and training plus validation with the total bounds (Llama: 100 to 10,000 together).
    The message names the target's figures; `ftlint targets NAME` shows where each comes from.

    ## Why it matters
    The job refuses a dataset outside its bounds, sometimes only after queueing. AWS's Claude
    Haiku sample validator checks the validation file against the training limits and the Llama
    one has no minimum: ftlint checks each file against its own.

    ## Example
    ```jsonl bad target=claude-3-haiku
    {"messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    {"messages": [{"role": "user", "content": "Can I pay by invoice?"}, {"role": "assistant", "content": "Yes, on the annual plan."}]}
    ```
    ```jsonl good target=titan-express
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```

    ## Fix
    Add examples up to the minimum (Claude 3 Haiku needs 32 training records), or sample down to
    the maximum; keep the validation file within its own limit. A figure marked uncertain can be
    overridden: `[tool.ftlint.targets.titan-express] total-max = 20000`.
    """
    p = dataset.target
    count = dataset.records
    role = "validation" if dataset.role == "validation" else "train"
    kind = "validation" if role == "validation" else "training"
    lo, hi = (p.validation_min, p.validation_max) if role == "validation" else (p.train_min, p.train_max)
    if (lo is not None and count < lo) or (hi is not None and count > hi):
        what = "add records" if lo is not None and count < lo else "remove records"
        yield Problem(None, f"the {kind} file has {figure(count)} records; {who(p)} takes {bounds(lo, hi)} "
                      f"{kind} records: {what}",
                      data={"records": count, "min": lo, "max": hi, "kind": kind, "target": p.key})
    if role == "train" and (p.total_min is not None or p.total_max is not None):
        total = dataset.run_records.get("train", count) + dataset.run_records.get("validation", 0)
        lo, hi = p.total_min, p.total_max
        if (lo is not None and total < lo) or (hi is not None and total > hi):
            val = dataset.run_records.get("validation", 0)
            where = f" ({figure(total - val)} training + {figure(val)} validation)" if val else ""
            what = "add records" if lo is not None and total < lo else "remove records"
            yield Problem(None, f"the dataset has {figure(total)} records in all{where}; {who(p)} takes "
                          f"{bounds(lo, hi)} records in training and validation together: {what}",
                          data={"records": total, "min": lo, "max": hi, "kind": "total", "target": p.key})


@rule("FT605", "file-size", "error", "A file larger than the target's job accepts.", why="the job rejects a file over the target's size limit.",
      scope="dataset",
      needs_target=True, options={
          "max-bytes": Option(0, "a stricter size cap in bytes for every file (0: the target's figures)"),
      })
def file_size(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Compares each file's size on disk with the target's quota for its role: Titan Text 1 GB for
    training and 100 MB for validation (10 GB for continued pre-training), Claude 3 Haiku 10 GB
    and 1 GB, distillation under 1 GB. `max-bytes` sets a stricter cap of your own.

    ## Why it matters
    An oversized file is refused when the job starts, after the upload.

    ## Example
    ```jsonl bad target=titan-express max-bytes=50
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```
    ```jsonl good target=titan-express
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Sample the file down, remove duplicates (FT201/FT202), or move long documents out.
    """
    p = dataset.target
    size = dataset.size_bytes
    if size is None:
        return
    kind = "validation" if dataset.role == "validation" else "training"
    limit = p.validation_file_max_bytes if kind == "validation" else p.train_file_max_bytes
    limit = min(x for x in (limit, p.total_file_max_bytes, options["max-bytes"] or None, 1 << 62) if x)
    if size > limit:
        yield Problem(None, f"the {kind} file is {figure(size)} bytes, over the {figure(limit)}-byte limit for "
                      f"{p.key}; sample it down or split the data", data={"bytes": size, "limit": limit,
                                                                         "target": p.key})


@rule("FT609", "validation-not-accepted", "error",
      "A validation file given for a target whose job takes none.", why="the job rejects a validation file for a target that takes none.",
      scope="dataset", needs_target=True)
def validation_not_accepted(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports the validation file (`--validation`) when the target's job takes no validation set
    (Nova 2 Lite, distillation).

    ## Why it matters
    The job refuses a validation dataset it does not support; the records are better used for
    training or a separate evaluation.

    ## Example
    ```jsonl bad target=nova-2-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```
    ```jsonl bad validation
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Can I pay by invoice?"}]}, {"role": "assistant", "content": [{"text": "Yes."}]}]}
    ```
    ```jsonl good target=nova-2-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```

    ## Fix
    Leave the validation file out of the job (merge it into training, or keep it for your own
    evaluation).
    """
    p = dataset.target
    if dataset.role == "validation" and not p.validation:
        yield Problem(None, f"{who(p)} takes no validation dataset; leave this file out of the job or "
                      "merge it into training", data={"target": p.key})


RULES = (record_count_limit, token_limit, unsupported_format, reserved_string, file_size, media_content,
         reasoning_content, mixed_media, validation_not_accepted, schema_version, conversation_shape)
