"""FT603, FT604, FT610, FT611: whether a record is written the way the target's job reads it (its
format, reserved strings, schemaVersion, system blocks and user turns); part of the FT6 family
(ftlint.rules.limits holds its RULES)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.base import rule
from ftlint.rules.target_words import who
from ftlint.targets import SCHEMA_VERSION


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
    yield Problem(None, f"the file is in {fmt} format but {who(p)} takes {', '.join(p.formats)}; {fix}",
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
