"""A Bedrock model invocation log entry -> Example: the prompt and the logged response, read from
the request and response bodies of the Converse API and of InvokeModel for Nova, Anthropic,
Llama and Titan. A body ftlint does not know (or one logged to S3 separately, inputBodyS3Path)
gives an Example without turns: the record still counts, and the content rules skip it."""
from __future__ import annotations

from typing import Any

from ftlint.example import Example, TextField, Turn


def normalize(fmt: str, obj: dict, line: int) -> Example:
    body = _body(obj.get("input"), "inputBodyJson")
    system, turns = _request(body)
    answer = _response(_body(obj.get("output"), "outputBodyJson"))
    if answer is not None:
        turns.append(Turn("assistant", answer))
    fields = [TextField(f"input.inputBodyJson.messages[{i}]", t.text) for i, t in enumerate(turns)
              if t.role == "user"]
    if system:
        fields.insert(0, TextField("input.inputBodyJson.system", system))
    prompt = "\n".join(t.text for t in turns if t.role == "user")
    completion = answer or ""
    # the invoked model travels with the Example (as a media entry no media rule reads), so that
    # dataset rules can count the teacher's responses (FT621)
    media = ({"turn": -1, "role": "log", "kind": "model", "block": {"modelId": obj["modelId"]}},)
    return Example(line, fmt, system, tuple(turns), prompt, completion, None, tuple(fields), media)


def model_id(example: Example) -> str:
    """The modelId an invocation-log Example was logged for ("" for other formats)."""
    for m in example.media:
        if m["kind"] == "model":
            return m["block"]["modelId"]
    return ""


def _body(part: Any, key: str) -> Any:
    return part.get(key) if isinstance(part, dict) else None


def _request(body: Any) -> tuple[str | None, list[Turn]]:
    if not isinstance(body, dict):
        return None, []
    system = _text(body.get("system")) or None
    turns: list[Turn] = []
    messages = body.get("messages")
    if isinstance(messages, list):
        for m in messages:
            if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
                turns.append(Turn(m["role"], _text(m.get("content"))))
    elif isinstance(body.get("prompt"), str):  # Llama, Mistral
        turns.append(Turn("user", body["prompt"]))
    elif isinstance(body.get("inputText"), str):  # Titan Text
        turns.append(Turn("user", body["inputText"]))
    return system, turns


def _response(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    output = body.get("output")
    if isinstance(output, dict) and isinstance(output.get("message"), dict):  # Converse, Nova Invoke
        return _text(output["message"].get("content"))
    if "content" in body:  # Anthropic Messages
        return _text(body["content"])
    if isinstance(body.get("generation"), str):  # Llama
        return body["generation"]
    results = body.get("results")
    if isinstance(results, list) and results and isinstance(results[0], dict):  # Titan Text
        return _text(results[0].get("outputText"))
    return None


def _text(content: Any) -> str:
    """Text of a content value: a string, a list of {text} (Converse) or {type: text, text}
    (Anthropic) blocks, or a system list of {text} blocks; other blocks contribute nothing."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(b["text"] for b in content if isinstance(b, dict) and isinstance(b.get("text"), str))
    return ""
