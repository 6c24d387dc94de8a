"""A valid record of any format -> the format-free Example every content check reads.

text_fields lists the text a person wrote and a model will read or learn, with its JSON path, so
that FT105 (empty-field) and the text rules need not know any format. Required fields are always
listed; optional ones (instruction's "input", a claude-messages "system") only when present, so
that the text rules see them too. Whether an empty one is an error is the schema's answer
(ftlint.formats.schema.required_text), not this module's."""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from ftlint.example import Example, TextField, Turn
from ftlint.formats.invocation_log import normalize as _invocation_log
from ftlint.formats.messages import json_path as _json_path

# the same few paths ("messages[3].content") recur in every chat record: format each once
json_path = functools.lru_cache(maxsize=8192)(_json_path)

_MEDIA_KINDS = ("image", "video", "document", "reasoningContent", "toolUse", "toolResult")


def normalize(fmt: str, obj: dict, line: int) -> Example:
    """``obj`` must already be valid in ``fmt`` (see is_valid)."""
    try:
        build = _BUILDERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None
    return build(fmt, obj, line)


def builders() -> dict[str, Callable[[str, dict, int], Example]]:
    """format -> build(fmt, obj, line): normalize without its dispatch, for the engine's loop."""
    return dict(_BUILDERS)


def _label(obj: dict) -> str | None:
    # the generic formats allow extra keys; a string "label" among them is the record's class
    label = obj.get("label")
    return label if isinstance(label, str) else None


# the NamedTuples' own __new__ is a Python function; tuple.__new__ builds the same object in C,
# which matters on the streaming path (one Example and four tuples per record)
_new = tuple.__new__


def _pair(fmt: str, line: int, prompt: str, completion: str, fields: list[tuple[str, str]],
          label: str | None = None) -> Example:
    # on the streaming hot path: positional arguments and no generator (measured ~2x faster)
    return _new(Example, (line, fmt, None, (_new(Turn, ("user", prompt)), _new(Turn, ("assistant", completion))),
                          prompt, completion, label, tuple([_new(TextField, f) for f in fields]), ()))


def _prompt_completion(fmt: str, obj: dict, line: int) -> Example:
    p, c = obj["prompt"], obj["completion"]
    return _new(Example, (line, fmt, None, (_new(Turn, ("user", p)), _new(Turn, ("assistant", c))), p, c, None,
                          (_new(TextField, ("prompt", p)), _new(TextField, ("completion", c))), ()))


def _instruction(fmt: str, obj: dict, line: int) -> Example:
    instruction, output, extra = obj["instruction"], obj["output"], obj.get("input")
    fields = [("instruction", instruction)]
    if isinstance(extra, str):
        fields.append(("input", extra))
    fields.append(("output", output))
    # a whitespace-only input adds nothing the model could use, so it is left out of the prompt
    prompt = f"{instruction}\n\n{extra}" if isinstance(extra, str) and extra.strip() else instruction
    return _pair(fmt, line, prompt, output, fields, _label(obj))


def _input_output(fmt: str, obj: dict, line: int) -> Example:
    i, o = obj["input"], obj["output"]
    return _pair(fmt, line, i, o, [("input", i), ("output", o)], _label(obj))


def _preference(fmt: str, obj: dict, line: int) -> Example:
    p, chosen, rejected = obj["prompt"], obj["chosen"], obj["rejected"]
    return _pair(fmt, line, p, chosen, [("prompt", p), ("chosen", chosen), ("rejected", rejected)], _label(obj))


def _single(key: str, generic: bool) -> Callable[[str, dict, int], Example]:
    def build(fmt: str, obj: dict, line: int) -> Example:
        text = obj[key]
        return _new(Example, (line, fmt, None, (_new(Turn, ("user", text)),), text, "",
                              _label(obj) if generic else None, (_new(TextField, (key, text)),), ()))
    return build


def _from_turns(fmt: str, line: int, system: str | None, turns: list[Turn], fields: list[TextField],
                label: str | None = None, media: tuple[dict, ...] = ()) -> Example:
    assistant = [t.text for t in turns if t.role == "assistant"]
    return _new(Example, (line, fmt, system, tuple(turns), "\n".join([t.text for t in turns if t.role == "user"]),
                          assistant[-1] if assistant else "", label, tuple(fields), media))


def _claude(fmt: str, obj: dict, line: int) -> Example:
    system = obj.get("system")
    fields = [_new(TextField, ("system", system))] if isinstance(system, str) else []
    turns = []
    for i, m in enumerate(obj["messages"]):
        content = m["content"]
        turns.append(_new(Turn, (m["role"], content)))
        fields.append(_new(TextField, (json_path(("messages", i, "content")), content)))
    return _from_turns(fmt, line, system, turns, fields)


def _openai(fmt: str, obj: dict, line: int) -> Example:
    turns, fields = [], []
    for i, m in enumerate(obj["messages"]):
        content = m.get("content")
        turns.append(Turn(m["role"], content or ""))
        if isinstance(content, str):
            fields.append(TextField(json_path(("messages", i, "content")), content))
        elif not m.get("tool_calls"):
            # null content is legitimate only beside tool calls; otherwise it is an empty turn
            fields.append(TextField(json_path(("messages", i, "content")), ""))
    # system turns stay in `turns` too, so that the role-order rule sees a misplaced one
    system = turns[0].text if turns and turns[0].role == "system" else None
    return _from_turns(fmt, line, system, turns, fields, _label(obj))


def _rft(fmt: str, obj: dict, line: int) -> Example:
    """An RFT prompt: the turns as openai-chat; every turn (assistant turns too) is what the model
    is given, so all of them are the prompt, and the reference answer is the completion. The
    content rules then treat the reference as the answer to learn: FT507 (answer-in-prompt)
    reports a prompt, or an assistant turn in it, that gives the reference away."""
    ex = _openai(fmt, obj, line)
    answer = reference_text(obj.get("reference_answer"))
    fields = ex.text_fields
    ref = obj.get("reference_answer")
    if isinstance(ref, str) and ref.strip():  # an empty one is FT613's, not FT105's too
        fields = (*fields, TextField("reference_answer", ref))
    prompt = "\n".join([t.text for t in ex.turns if t.role != "system"])
    return ex._replace(prompt=prompt, completion=answer, text_fields=fields)


def reference_text(value) -> str:
    """A reference answer as text: a string as it is, any other JSON value as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits: the json module writes it
        import json

        return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _image_caption(fmt: str, obj: dict, line: int) -> Example:
    """The caption is the text; the image is a media block, as Converse writes one, so that media
    rules and --check-images read every format's images the same way.

    The turns hold the caption and, as a second turn of role "image", a short digest of the
    image reference: the duplicate rules (FT201-FT204) then compare (caption, image) pairs. Label
    captions repeat across images by design (Titan Multimodal Embeddings), and image URIs differ
    in a digit or two (img001.png, img002.png), so neither alone identifies a record; a digest
    shares no shingle with another image's digest."""
    ref, caption = obj["image-ref"], obj["caption"]
    ext = ref.rsplit(".", 1)[-1].lower() if "." in ref.rsplit("/", 1)[-1] else ""
    block = {"image": {"format": "jpeg" if ext == "jpg" else ext, "source": {"s3Location": {"uri": ref}}}}
    token = "image:" + hashlib.blake2b(ref.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return _new(Example, (line, fmt, None, (_new(Turn, ("user", caption)), _new(Turn, ("image", token))),
                          caption, "", None, (_new(TextField, ("caption", caption)),),
                          ({"turn": 0, "role": "user", "kind": "image", "block": block},)))


def _bedrock(fmt: str, obj: dict, line: int) -> Example:
    fields: list[TextField] = []
    system = None
    if "system" in obj:
        texts = [b["text"] for b in obj["system"]]
        fields.extend(TextField(json_path(("system", k, "text")), t) for k, t in enumerate(texts))
        system = "\n".join(texts)
    turns, media = [], []
    for i, m in enumerate(obj["messages"]):
        role, texts = m["role"], []
        if not m["content"]:
            # a message without any block is an empty turn: report it as an empty field
            fields.append(TextField(json_path(("messages", i, "content")), ""))
        for j, block in enumerate(m["content"]):
            if "text" in block:
                texts.append(block["text"])
                fields.append(TextField(json_path(("messages", i, "content", j, "text")), block["text"]))
                continue
            kind = next(k for k in _MEDIA_KINDS if k in block)
            media.append({"turn": i, "role": role, "kind": kind, "block": block})
            if kind == "toolResult":
                # what the tool returned is text the model reads in the next turn
                for k, part in enumerate(block["toolResult"]["content"]):
                    if "text" in part:
                        path = ("messages", i, "content", j, "toolResult", "content", k, "text")
                        fields.append(TextField(json_path(path), part["text"]))
            if kind == "reasoningContent":
                # the model learns to write the reasoning, so it is text to check, not turn text
                path = ("messages", i, "content", j, "reasoningContent", "reasoningText", "text")
                fields.append(TextField(json_path(path), block["reasoningContent"]["reasoningText"]["text"]))
        turns.append(Turn(role, "\n".join(texts)))
    return _from_turns(fmt, line, system, turns, fields, media=tuple(media))


_BUILDERS: dict[str, Callable[[str, dict, int], Example]] = {
    "prompt-completion": _prompt_completion,
    "continued-pretraining": _single("input", generic=False),
    "text": _single("text", generic=True),
    "instruction": _instruction,
    "input-output": _input_output,
    "preference": _preference,
    "claude-messages": _claude,
    "bedrock-conversation": _bedrock,
    "rft": _rft,
    "openai-chat": _openai,
    "image-caption": _image_caption,
    "invocation-log": _invocation_log,
}

