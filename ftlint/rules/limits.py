'''FT6: what the target model's Bedrock job accepts (``--target MODEL``). Every rule here reads the
resolved profile (``dataset.target`` or ``record.target``, from ftlint/targets/profiles.toml, with
the config's ``[targets.<name>]`` overrides) and runs only when a target is given. Figures marked
uncertain in the profile are named as such in ``ftlint targets NAME``; override them in config.'''
from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.finding import Problem, Severity
from ftlint.rules.base import Option, rule
from ftlint.targets import SCHEMA_VERSION
from ftlint.targets.tokens import record_tokens


def _n(value: int) -> str:
    return f"{value:,}"


def _who(p) -> str:
    return f"{p.key} ({p.name})"


def _bounds(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{_n(lo)} to {_n(hi)}"
    return f"at least {_n(lo)}" if lo is not None else f"at most {_n(hi)}"


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
        yield Problem(None, f"the {kind} file has {_n(count)} records; {_who(p)} takes {_bounds(lo, hi)} "
                      f"{kind} records: {what}",
                      data={"records": count, "min": lo, "max": hi, "kind": kind, "target": p.key})
    if role == "train" and (p.total_min is not None or p.total_max is not None):
        total = dataset.run_records.get("train", count) + dataset.run_records.get("validation", 0)
        lo, hi = p.total_min, p.total_max
        if (lo is not None and total < lo) or (hi is not None and total > hi):
            val = dataset.run_records.get("validation", 0)
            where = f" ({_n(total - val)} training + {_n(val)} validation)" if val else ""
            what = "add records" if lo is not None and total < lo else "remove records"
            yield Problem(None, f"the dataset has {_n(total)} records in all{where}; {_who(p)} takes "
                          f"{_bounds(lo, hi)} records in training and validation together: {what}",
                          data={"records": total, "min": lo, "max": hi, "kind": "total", "target": p.key})


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
    amount = f"{'' if exact else 'about '}{_n(used)} {kind} tokens"
    data = {"tokens": used, "limit": limit, "kind": kind, "input_tokens": tin, "output_tokens": tout,
            "method": est.method, "target": p.key}
    if used > limit:
        yield Problem(record.line, f"record has {amount}, over the limit of {_n(limit)} {kind} tokens for "
                      f"{p.key} ({est.method}); shorten or split it", data=data)
    else:
        yield Problem(record.line, f"record has {amount}, {share:.0%} of the limit of {_n(limit)} {kind} "
                      f"tokens for {p.key} ({est.method}); the real count may exceed it: shorten it",
                      data=data, severity=Severity.WARNING)


@rule("FT603", "unsupported-format", "error",
      "A record format that the target's job does not accept.", why="the target's job rejects a record format it does not take.",
      scope="dataset", needs_target=True)
def unsupported_format(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Compares the file's format (detected, or `--dataset-format`) with the formats the target's
    job takes, and names the `ftlint convert` command that writes the right one.

    ## Why it matters
    Each Bedrock job takes exactly one record format: Titan and Llama 3.1 want
    `{"prompt", "completion"}`, Claude 3 Haiku `{"system", "messages"}` with string contents, Nova
    and Llama 3.2 the Converse `bedrock-conversation` shape. Any other shape fails the job.

    ## Example
    ```jsonl bad target=titan-express
    {"input": "I was charged twice", "output": "billing"}
    ```
    ```jsonl good target=titan-express
    {"prompt": "I was charged twice", "completion": "billing"}
    ```

    ## Fix
    Run the command in the message, e.g. `ftlint convert data.jsonl --to prompt-completion -o
    data.titan.jsonl`. Multi-turn chats become single exchanges only with `--allow-lossy`.
    """
    from ftlint.curate.convert import CONVERTIBLE

    p = dataset.target
    fmt = dataset.format
    if fmt is None or not p.formats or fmt in p.formats:
        return
    want = p.formats[0]
    if fmt in CONVERTIBLE and want in CONVERTIBLE:
        fix = f"convert it: ftlint convert {dataset.path} --to {want} -o OUT.jsonl"
    else:
        fix = f"ftlint convert cannot write it from {fmt}: rewrite the records as {want}"
    yield Problem(None, f"the file is in {fmt} format but {_who(p)} takes {', '.join(p.formats)}; {fix}",
                  data={"format": fmt, "accepted": list(p.formats), "target": p.key})


@rule("FT604", "reserved-string", "error",
      "Text that contains a string the target reserves (Nova's role markers, Claude's \\nHuman:).",
      why="the target rejects records holding its reserved strings.",
      scope="record", needs_target=True)
def reserved_string(record, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks for the target's reserved strings in the text the job reads: for Nova, `System:`,
    `User:`, `Bot:`, `Assistant:`, `Thought:`, `[EOS]`, `<image>`, `<video>` and `<unk>` in user and
    system text, in any case; for Claude 3 Haiku, `\\nHuman:` and `\\nAssistant:` (a newline then
    the word) in the system prompt and in every message.

    ## Why it matters
    The job fails on data with these strings ("the training job will fail due to data issues"):
    the model uses them as its own turn markers.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "User: where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```

    ## Fix
    Reword the text: drop transcript labels ("User:", "Customer said:" works), or replace the
    marker with a word of the same meaning.
    """
    p = record.target
    if not p.reserved_strings:
        return
    ex = record.example
    pattern = _reserved_pattern(p.reserved_strings, p.reserved_case_insensitive)
    places = []
    if ex.system and "system" in p.reserved_roles and not (ex.turns and ex.turns[0].role == "system"):
        places.append(("system", "system", ex.system))
    single = ex.format not in ("claude-messages", "bedrock-conversation", "openai-chat", "rft", "invocation-log")
    for i, t in enumerate(ex.turns):
        if t.role in p.reserved_roles:
            where = ("prompt" if t.role == "user" else "completion") if single else f"messages[{i}]"
            places.append((where, t.role, t.text))
    for where, role, text in places:
        found = sorted({m.group(0) for m in pattern.finditer(text)})
        if found:
            shown = ", ".join(repr(f) for f in found)
            yield Problem(record.line, f"{where} ({role} text) contains reserved string{'s' if len(found) > 1 else ''} "
                          f"{shown}, which fail{'' if len(found) > 1 else 's'} {p.key} jobs; reword it",
                          data={"field": where, "strings": found, "target": p.key})


_PATTERNS: dict[tuple, re.Pattern] = {}


def _reserved_pattern(strings: tuple[str, ...], ci: bool) -> re.Pattern:
    key = (strings, ci)
    if key not in _PATTERNS:
        _PATTERNS[key] = re.compile("|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)),
                                    re.I if ci else 0)
    return _PATTERNS[key]


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
        yield Problem(None, f"the {kind} file is {_n(size)} bytes, over the {_n(limit)}-byte limit for "
                      f"{p.key}; sample it down or split the data", data={"bytes": size, "limit": limit,
                                                                         "target": p.key})


_S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/[^\s]+$")


@rule("FT606", "media-content", "error",
      "An image, video or document block the target does not take, or in the wrong place or form.",
      why="the job rejects media the target does not take or in the wrong place.",
      scope="record", needs_target=True)
def media_content(record, options) -> Iterator[Problem]:
    """
    ## What it does
    For bedrock-conversation records: media only where the target takes it (none for Nova Micro
    or distillation, images only for the Llama 3.2 vision models), only in user turns, video in a
    format the target accepts (Nova: mov, mkv, mp4, webm), at most 10 images per message and one
    video per sample, and each `source.s3Location.uri` a well-formed `s3://bucket/key`.

    ## Why it matters
    Nova and Llama jobs reject these records ("images and video only in user turns"); a bad URI
    fails when the job fetches the object, late.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}]}, {"role": "assistant", "content": [{"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    ```

    ## Fix
    Move the media into the user turn it belongs to, keep one video per record, split messages
    with more than 10 images, fix the URI, or choose a target that takes the medium.
    """
    p = record.target
    ex = record.example
    if ex.format != "bedrock-conversation" or not ex.media:
        return
    allowed = {"image": p.images, "video": p.videos, "document": p.documents}
    images: dict[int, int] = {}
    videos = 0
    for m in ex.media:
        kind, turn, block = m["kind"], m["turn"], m["block"]
        if kind in ("reasoningContent", "toolUse", "toolResult"):
            continue  # FT607 and the tool-use rules (FT615-FT617)
        where = f"messages[{turn}]"
        if not allowed.get(kind, False):
            yield Problem(record.line, f"{where} has a {kind} block but {_who(p)} takes no {kind}s; remove it",
                          data={"kind": kind, "turn": turn})
            continue
        if m["role"] != "user":
            yield Problem(record.line, f"{where} is a {m['role']} turn with a {kind} block; media may only "
                          "appear in user turns", data={"kind": kind, "turn": turn})
        body = block[kind]
        if kind == "video" and p.video_formats and body.get("format") not in p.video_formats:
            yield Problem(record.line, f"{where} has a video in format {body.get('format')!r}; {p.key} takes "
                          f"{', '.join(p.video_formats)}", data={"kind": kind, "turn": turn})
        if kind == "image" and p.image_formats and body.get("format") not in p.image_formats:
            yield Problem(record.line, f"{where} has an image in format {body.get('format')!r}; {p.key} takes "
                          f"{', '.join(p.image_formats)}", data={"kind": kind, "turn": turn})
        uri = body.get("source", {}).get("s3Location", {}).get("uri", "")
        if not _S3_URI.match(uri):
            yield Problem(record.line, f"{where} {kind} uri {uri!r} is not an s3://bucket/key address",
                          data={"kind": kind, "turn": turn, "uri": uri})
        if kind == "image":
            images[turn] = images.get(turn, 0) + 1
        elif kind == "video":
            videos += 1
    for turn, n in images.items():
        if p.max_images_per_message and n > p.max_images_per_message:
            yield Problem(record.line, f"messages[{turn}] has {n} images; {p.key} takes at most "
                          f"{p.max_images_per_message} per message: split the message",
                          data={"images": n, "turn": turn})
    if p.max_videos_per_sample and videos > p.max_videos_per_sample:
        yield Problem(record.line, f"the record has {videos} videos; {p.key} takes at most "
                      f"{p.max_videos_per_sample} per sample: split it", data={"videos": videos})


@rule("FT607", "reasoning-content", "error",
      "A reasoningContent block where the target takes none (only Nova 2 Lite, only assistant turns).",
      why="the job rejects reasoning blocks the target does not take.",
      scope="record", needs_target=True)
def reasoning_content(record, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports `reasoningContent` blocks for targets that do not train on reasoning (every target
    but Nova 2 Lite) and, for Nova 2 Lite, reasoning outside assistant turns.

    ## Why it matters
    The job rejects the record; a reasoning trace in a user turn is also a sign of a bad export.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "2+2?"}]}, {"role": "assistant", "content": [{"reasoningContent": {"reasoningText": {"text": "Add them."}}}, {"text": "4"}]}]}
    ```
    ```jsonl good target=nova-2-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "2+2?"}]}, {"role": "assistant", "content": [{"reasoningContent": {"reasoningText": {"text": "Add them."}}}, {"text": "4"}]}]}
    ```

    ## Fix
    Drop the reasoning blocks (`ftlint convert` to another format drops them with
    `--allow-lossy`), or target Nova 2 Lite.
    """
    p = record.target
    for m in record.example.media:
        if m["kind"] != "reasoningContent":
            continue
        where = f"messages[{m['turn']}]"
        if not p.reasoning:
            yield Problem(record.line, f"{where} has a reasoningContent block but {_who(p)} does not train on "
                          "reasoning; remove it", data={"turn": m["turn"]})
        elif m["role"] != "assistant":
            yield Problem(record.line, f"{where} is a {m['role']} turn with a reasoningContent block; reasoning "
                          "belongs in assistant turns only", data={"turn": m["turn"]})


@rule("FT608", "mixed-media", "error", "Images and video in one dataset, which the target does not allow.",
      why="the job rejects a dataset that mixes images and video.",
      scope="dataset", needs_target=True)
def mixed_media(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports a dataset that holds image blocks in some records and video blocks in others (or
    both in one), naming the first record of each.

    ## Why it matters
    Nova jobs take text with images or text with video, never both in one dataset.

    ## Example
    ```jsonl bad target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What happens?"}, {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://my-bucket/a.mp4"}}}}]}, {"role": "assistant", "content": [{"text": "A demo."}]}]}
    ```
    ```jsonl good target=nova-lite
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://my-bucket/a.png"}}}}]}, {"role": "assistant", "content": [{"text": "A receipt."}]}]}
    ```

    ## Fix
    Split the data into an image dataset and a video dataset, and train separate jobs (or drop one
    medium).
    """
    p = dataset.target
    if p.mixed_media:
        return
    first: dict[str, int] = {}
    for ex in dataset.examples:
        for m in ex.media:
            if m["kind"] in ("image", "video"):
                first.setdefault(m["kind"], ex.line)
        if len(first) == 2:
            break
    if len(first) == 2:
        yield Problem(None, f"the dataset has images (first on line {first['image']}) and video (first on line "
                      f"{first['video']}); {p.key} takes one medium per dataset: split it",
                      related=tuple(sorted(first.values())), data={"target": p.key})


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
        yield Problem(None, f"{_who(p)} takes no validation dataset; leave this file out of the job or "
                      "merge it into training", data={"target": p.key})


@rule("FT610", "schema-version", "error",
      "A bedrock-conversation schemaVersion the target does not accept (exactly bedrock-conversation-2024).",
      why="the job rejects any other schemaVersion.",
      scope="record", needs_target=True)
def schema_version(record, options) -> Iterator[Problem]:
    """
    ## What it does
    Checks `schemaVersion` against the target: Llama 3.2 / 3.3 jobs require exactly
    `bedrock-conversation-2024` when it is present, distillation requires it always; Nova's guide
    lets it be any string, so Nova targets do not check it.

    ## Why it matters
    A different value fails a Llama or distillation job even though the same file trains on Nova.

    ## Example
    ```jsonl bad target=llama3-2-1b
    {"schemaVersion": "bedrock-conversation-v1", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```
    ```jsonl good target=llama3-2-1b
    {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```

    ## Fix
    Set `"schemaVersion": "bedrock-conversation-2024"` on every record (`ftlint convert` writes it).
    """
    p = record.target
    if record.format != "bedrock-conversation" or p.schema_version == "any":
        return
    obj = record.obj
    if "schemaVersion" not in obj:
        if p.schema_version == "required-exact":
            yield Problem(record.line, f"schemaVersion is missing; {p.key} requires "
                          f"\"schemaVersion\": \"{SCHEMA_VERSION}\"", data={"target": p.key})
    elif obj["schemaVersion"] != SCHEMA_VERSION:
        yield Problem(record.line, f"schemaVersion is {obj['schemaVersion']!r}; {p.key} requires exactly "
                      f"{SCHEMA_VERSION!r}", data={"value": obj["schemaVersion"], "target": p.key})


@rule("FT611", "conversation-shape", "error",
      "A conversation shape the target does not take (several system blocks, too many user turns).",
      why="the job rejects a conversation shape the target does not take.",
      scope="record", needs_target=True)
def conversation_shape(record, options) -> Iterator[Problem]:
    """
    ## What it does
    For bedrock-conversation records: at most the target's number of `system` blocks (Llama 3.2
    and 3.3 take exactly one `{"text"}` block when `system` is present) and at most its number of
    user turns (distillation: one user message, optionally followed by one assistant answer).

    ## Why it matters
    These jobs reject the record; a multi-turn prompt in a distillation set is not distilled.

    ## Example
    ```jsonl bad target=llama3-2-1b
    {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "Be brief."}, {"text": "Be kind."}], "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```
    ```jsonl good target=llama3-2-1b
    {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "Be brief and kind."}], "messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "It ships today."}]}]}
    ```

    ## Fix
    Join the system blocks into one; split a multi-turn conversation into single prompts.
    """
    p = record.target
    if record.format != "bedrock-conversation":
        return
    system = record.obj.get("system")
    if p.system_blocks_max is not None and isinstance(system, list):
        if len(system) > p.system_blocks_max or not system:
            yield Problem(record.line, f"system has {len(system)} blocks; {p.key} takes exactly "
                          f"{p.system_blocks_max} {{\"text\"}} block: join them", data={"blocks": len(system)})
    if p.max_user_turns is not None:
        users = sum(1 for t in record.example.turns if t.role == "user")
        if users > p.max_user_turns:
            yield Problem(record.line, f"the record has {users} user turns; {p.key} takes at most "
                          f"{p.max_user_turns}: split it into single prompts", data={"user_turns": users})


RULES = (record_count_limit, token_limit, unsupported_format, reserved_string, file_size, media_content,
         reasoning_content, mixed_media, validation_not_accepted, schema_version, conversation_shape)
