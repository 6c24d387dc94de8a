"""Record conversion between the formats Bedrock jobs take: the logic behind ``ftlint convert``,
reused by the splitter to write records in a target's format.

API
---
``convert_record(obj, src, dst, *, template=None, allow_lossy=False) -> (record, dropped)``
    Convert one record ``obj`` that is valid in format ``src`` to format ``dst``. Returns the new
    record and the list of parts that were dropped (empty for a lossless conversion), each a short
    label such as ``"earlier turn"``, ``"image"``, ``"key 'label'"``. A conversion that would drop
    anything raises :class:`LossyConversion` (its ``parts`` list says what) unless
    ``allow_lossy=True``. A record that cannot be converted at all (no assistant answer for a
    prompt-completion target, a record invalid in ``src``) raises :class:`ConversionError`.
``target_format(profile) -> str``
    The record format to write for a target profile (its first accepted format).
``convert_file(path, dst, out, ...) -> ConvertResult``
    Stream a JSONL file through ``convert_record`` and write ``out`` atomically; the input is
    never touched.

Formats: ``prompt-completion``, ``instruction``, ``input-output``, ``openai-chat``,
``claude-messages`` and ``bedrock-conversation``, in both directions.

How parts map:

- A conversation is (system prompt, user/assistant turns). Chat formats keep every turn and the
  system prompt (openai-chat as a leading ``system`` message, claude-messages as ``system``,
  bedrock-conversation as ``system: [{"text": ...}]`` with ``schemaVersion
  bedrock-conversation-2024``).
- The single-exchange formats (prompt-completion, instruction, input-output) hold one user text
  and one answer. The system prompt is carried over by putting it before the user text,
  separated by a blank line. A conversation with more than one exchange keeps its last exchange;
  the earlier turns are dropped (lossy).
- An instruction record's ``instruction`` and ``input`` become one user text through
  ``template`` (default ``DEFAULT_TEMPLATE``, ``"{instruction}\\n\\n{input}"``; with an empty or
  missing input the instruction alone). Writing the instruction format puts the user text in
  ``instruction`` and no ``input``.
- Media (images, video, documents) and ``reasoningContent`` exist only in bedrock-conversation:
  converting them to any other format drops them (lossy). OpenAI tool calls and tool messages,
  ``reference_answer`` and extra keys of the generic formats (e.g. ``label``) are dropped unless
  the destination is the same format (lossy).
- ``rft`` (reinforcement fine-tuning) holds the prompt as chat messages and the answer as
  ``reference_answer``: writing it moves the last assistant answer into ``reference_answer`` and
  keeps every turn before it; reading it makes the reference answer the last assistant turn (an
  object reference answer becomes its compact JSON text). Its ``id``, ``tools`` and grader keys
  are dropped for any other destination (lossy).
"""
from __future__ import annotations

import os
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftlint import formats
from ftlint.errors import FtlintError, InputError

CONVERTIBLE: tuple[str, ...] = ("prompt-completion", "instruction", "input-output", "openai-chat",
                                "claude-messages", "bedrock-conversation", "rft")
SINGLE = frozenset({"prompt-completion", "instruction", "input-output"})
DEFAULT_TEMPLATE = "{instruction}\n\n{input}"
SCHEMA_VERSION = "bedrock-conversation-2024"
_KNOWN_KEYS = {
    "prompt-completion": {"prompt", "completion"},
    "instruction": {"instruction", "input", "output"},
    "input-output": {"input", "output"},
}


class ConversionError(FtlintError):
    """A record that cannot be converted (exit code 2 from the CLI)."""


class LossyConversion(ConversionError):
    """The conversion would drop parts of the record; ``parts`` names them."""

    def __init__(self, message: str, parts: list[str]):
        super().__init__(message)
        self.parts = parts


@dataclass
class _Turn:
    role: str
    text: str
    media: list[dict] = field(default_factory=list)  # bedrock-conversation blocks other than text


def target_format(profile) -> str:
    """The record format to write for a target profile (the first it accepts)."""
    if not profile.formats:
        raise ConversionError(f"target {profile.key} names no record format")
    return profile.formats[0]


def convertible(src: str, dst: str) -> bool:
    """Whether records of ``src`` can be written as ``dst`` (a format is always its own)."""
    return src == dst or (src in CONVERTIBLE and dst in CONVERTIBLE)


def check_template(template: str) -> str:
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    unknown = names - {"instruction", "input"}
    if unknown or "instruction" not in names:
        raise ConversionError(f"--template {template!r}: use {{instruction}} and optionally {{input}} "
                              f"(unknown: {', '.join(sorted(unknown)) or 'none'})")
    return template


def convert_record(obj: dict, src: str, dst: str, *, template: str | None = None,
                   allow_lossy: bool = False) -> tuple[dict, list[str]]:
    """Convert one record valid in ``src`` to ``dst``: (new record, dropped parts). See the module doc."""
    for fmt in (src, dst):
        if fmt not in CONVERTIBLE:
            raise ConversionError(f"cannot convert {'from' if fmt == src else 'to'} {fmt!r}; "
                                  f"convertible formats: {', '.join(CONVERTIBLE)}")
    if not formats.is_valid(src, obj):
        errors = "; ".join(formats.schema_errors(src, obj, 2)) if isinstance(obj, dict) else "not an object"
        raise ConversionError(f"record is not valid {src}: {errors}")
    if src == dst:
        return dict(obj), []
    dropped: list[str] = []
    system, turns = _read(obj, src, template or DEFAULT_TEMPLATE, dropped)
    out = _write(system, turns, dst, dropped)
    if dropped and not allow_lossy:
        what = describe_parts(Counter(dropped))
        raise LossyConversion(f"converting {src} to {dst} would drop {what}", dropped)
    return out, dropped


def _read(obj: dict, src: str, template: str, dropped: list[str]) -> tuple[str | None, list[_Turn]]:
    if src in SINGLE:
        dropped.extend(f"key {k!r}" for k in obj if k not in _KNOWN_KEYS[src])
    if src == "prompt-completion":
        return None, [_Turn("user", obj["prompt"]), _Turn("assistant", obj["completion"])]
    if src == "input-output":
        return None, [_Turn("user", obj["input"]), _Turn("assistant", obj["output"])]
    if src == "instruction":
        extra = obj.get("input")
        text = template.format(instruction=obj["instruction"], input=extra) if isinstance(extra, str) \
            and extra.strip() else obj["instruction"]
        return None, [_Turn("user", text), _Turn("assistant", obj["output"])]
    if src == "claude-messages":
        return obj.get("system"), [_Turn(m["role"], m["content"]) for m in obj["messages"]]
    if src == "bedrock-conversation":
        if "toolConfig" in obj:
            dropped.append("key 'toolConfig'")
        system = "\n".join(b["text"] for b in obj["system"]) if obj.get("system") else None
        turns = []
        for m in obj["messages"]:
            texts = [b["text"] for b in m["content"] if "text" in b]
            turns.append(_Turn(m["role"], "\n".join(texts), [b for b in m["content"] if "text" not in b]))
        return system, turns
    # openai-chat, rft
    kept = ("messages", "reference_answer") if src == "rft" else ("messages",)
    dropped.extend(f"key {k!r}" for k in obj if k not in kept)
    system, turns = None, []
    for i, m in enumerate(obj["messages"]):
        role, content = m["role"], m.get("content")
        if isinstance(content, list):
            texts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
            dropped.extend(f"{p.get('type', 'content part')} part" for p in content
                           if not (isinstance(p, dict) and p.get("type") == "text"))
            content = "\n".join(texts)
        if m.get("tool_calls"):
            dropped.append("tool call")
        if role in ("system", "developer") and i == 0:
            system = content or ""
        elif role in ("user", "assistant"):
            turns.append(_Turn(role, content or ""))
        else:
            dropped.append(f"{role} message")
    if src == "rft":
        from ftlint.formats.normalize import reference_text

        turns.append(_Turn("assistant", reference_text(obj["reference_answer"])))
    return system, turns


def _write(system: str | None, turns: list[_Turn], dst: str, dropped: list[str]) -> dict:
    if system is not None and (not system or system.isspace()):
        # an empty system prompt says "none"; written out it would be an empty Converse text
        # block, which Bedrock rejects (an empty-field error when the output is checked)
        system = None
    if dst in SINGLE:
        return _write_single(system, turns, dst, dropped)
    if dst == "bedrock-conversation":
        rec: dict[str, Any] = {"schemaVersion": SCHEMA_VERSION}
        if system is not None:
            rec["system"] = [{"text": system}]
        rec["messages"] = [{"role": t.role, "content": ([{"text": t.text}] if t.text or not t.media else [])
                            + t.media} for t in turns]
        return rec
    for t in turns:
        dropped.extend(_media_name(b) for b in t.media)
    if dst == "rft":
        return _write_rft(system, turns, dropped)
    if dst == "claude-messages":
        rec = {"system": system} if system is not None else {}
        rec["messages"] = [{"role": t.role, "content": t.text} for t in turns]
        return rec
    # openai-chat
    messages = [{"role": "system", "content": system}] if system is not None else []
    messages.extend({"role": t.role, "content": t.text} for t in turns)
    return {"messages": messages}


def _write_rft(system: str | None, turns: list[_Turn], dropped: list[str]) -> dict:
    last_answer = max((i for i, t in enumerate(turns) if t.role == "assistant"), default=None)
    if last_answer is None:
        raise ConversionError("the conversation has no assistant turn to become the rft reference_answer")
    if not any(t.role == "user" for t in turns[:last_answer]):
        raise ConversionError("the conversation has no user turn before its answer to become the rft prompt")
    dropped.extend("trailing turn" for _ in range(last_answer + 1, len(turns)))
    messages = [{"role": "system", "content": system}] if system is not None else []
    messages.extend({"role": t.role, "content": t.text} for t in turns[:last_answer])
    return {"messages": messages, "reference_answer": turns[last_answer].text}


def _write_single(system: str | None, turns: list[_Turn], dst: str, dropped: list[str]) -> dict:
    for t in turns:
        dropped.extend(_media_name(b) for b in t.media)
    last_answer = max((i for i, t in enumerate(turns) if t.role == "assistant"), default=None)
    if last_answer is None:
        raise ConversionError(f"the conversation has no assistant turn to become the {dst} answer")
    users = [i for i in range(last_answer) if turns[i].role == "user"]
    if not users:
        raise ConversionError(f"the conversation has no user turn before its answer to become the {dst} prompt")
    last_user = users[-1]
    # consecutive user turns right before the answer belong to the same exchange: joined
    first_user = last_user
    while first_user > 0 and turns[first_user - 1].role == "user":
        first_user -= 1
    kept = set(range(first_user, last_user + 1)) | {last_answer}
    dropped.extend("earlier turn" for i in range(last_answer) if i not in kept)
    dropped.extend("trailing turn" for _ in range(last_answer + 1, len(turns)))
    prompt = "\n".join(turns[i].text for i in range(first_user, last_user + 1))
    if system:
        prompt = f"{system}\n\n{prompt}"
    answer = turns[last_answer].text
    if dst == "prompt-completion":
        return {"prompt": prompt, "completion": answer}
    if dst == "instruction":
        return {"instruction": prompt, "output": answer}
    return {"input": prompt, "output": answer}


def _media_name(block: dict) -> str:
    kind = next(iter(block), "block")
    return "reasoningContent block" if kind == "reasoningContent" else kind


@dataclass
class ConvertResult:
    src: str
    dst: str
    written: int = 0
    blank_lines: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why) with skip_invalid
    dropped: Counter = field(default_factory=Counter)  # part -> count (allow_lossy)
    lossy_lines: list[int] = field(default_factory=list)


def detect_format(path: str, sample: int = 1000) -> str:
    """The format most of the first ``sample`` valid records have (the vote: ftlint.formats.detect)."""
    from itertools import islice

    from ftlint.formats.detect import majority_format
    from ftlint.read.reader import RawRecord, Source, read

    objs = (item.obj for item in read(Source(path)) if type(item) is RawRecord)
    fmt = majority_format(islice(objs, sample))
    if fmt is None:
        raise InputError(f"{path}: no record in a known format; pass --from FORMAT")
    return fmt


def _records(path: str) -> Iterator[tuple[int, Any, str | None]]:
    """(line, obj, why-unreadable) per non-blank line; blank lines as (line, None, '')."""
    from ftlint.read.reader import RawRecord, Source, read
    from ftlint.rules.curation import BLANK_LINE, line_error

    # a line the reader found an error on is not converted, even when the reader still gives a
    # record for it: the record is the reader's repair (a lone surrogate replaced, the last of
    # two duplicate keys kept, a number rounded), and writing it would pass the repair off as
    # the data; a line whose bytes are not UTF-8 gives no record at all and must not vanish
    flagged: dict[int, str] = {}
    for item in read(Source(path)):
        if type(item) is RawRecord:
            if item.line not in flagged:
                yield item.line, item.obj, None
        elif item.code == BLANK_LINE:
            yield item.line, None, ""
        elif not line_error(item) or item.line in flagged:
            continue
        else:
            flagged[item.line] = item.message
            yield item.line, None, f"{item.code} {item.message}"


def convert_file(path: str, dst: str, out: str, *, src: str | None = None, template: str | None = None,
                 allow_lossy: bool = False, skip_invalid: bool = False) -> ConvertResult:
    """Convert the JSONL file ``path`` to ``dst`` and write ``out`` atomically (nothing is written
    when a record cannot be converted, or would lose data without ``allow_lossy``)."""
    from ftlint.atomic import atomic_write_bytes

    if path == "-":
        raise InputError("convert reads a file, not standard input")
    if os.path.exists(out) and os.path.samefile(path, out):
        raise InputError(f"{out}: the output would overwrite the input; choose another -o path")
    if template is not None:
        check_template(template)
    src = src or detect_format(path)
    if dst not in CONVERTIBLE or src not in CONVERTIBLE:
        bad = dst if dst not in CONVERTIBLE else src
        raise ConversionError(f"cannot convert {'to' if bad == dst else 'from'} {bad!r}; "
                              f"convertible formats: {', '.join(CONVERTIBLE)}")
    result = ConvertResult(src, dst)
    lossy: list[tuple[int, str]] = []
    invalid: list[tuple[int, str]] = []
    with atomic_write_bytes(out) as fh:
        for line, obj, why in _records(path):
            if why == "":
                result.blank_lines += 1
                continue
            if why is not None:
                invalid.append((line, why))
                continue
            try:
                rec, dropped = convert_record(obj, src, dst, template=template, allow_lossy=True)
            except ConversionError as exc:
                invalid.append((line, str(exc)))
                continue
            if dropped:
                result.lossy_lines.append(line)
                result.dropped.update(dropped)
                if not allow_lossy:
                    lossy.append((line, ", ".join(sorted(set(dropped)))))
                    continue
            fh.write(orjson.dumps(rec) + b"\n")
            result.written += 1
        if invalid and not skip_invalid:
            raise InputError(f"{path}: {len(invalid)} record(s) cannot be converted from {src}, nothing "
                             f"written: {_lines(invalid)}; fix them (`ftlint check`) or pass --skip-invalid")
        if lossy:
            parts = describe_parts(result.dropped)
            raise LossyConversion(f"{path}: converting {src} to {dst} would drop {parts} in {len(lossy)} "
                                  f"record(s) ({_lines(lossy)}); nothing written. Pass --allow-lossy to "
                                  "convert anyway", [p for _, p in lossy])
    result.skipped = invalid
    return result


def describe_parts(counts: Counter) -> str:
    """"66 earlier turns, 1 image, 2 key 'label'": what a lossy conversion dropped."""
    return ", ".join(f"{n} {p}{'s' if n > 1 and not p.startswith('key') else ''}" for p, n in sorted(counts.items()))


def _lines(items: list[tuple[int, str]], limit: int = 5) -> str:
    shown = "; ".join(f"line {ln}: {why}" for ln, why in items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")
