"""Record formats: schema files, fast/precise validation, error messages, detection, normalization."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ftlint.example import Example, TextField, Turn
from ftlint.finding import Finding, Severity
from ftlint.formats import FORMATS, candidates, checker, is_valid, load_schema, normalize, schema_errors
from ftlint.formats.schema import _flat_strings, _inline_refs, _simple_checker

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
S3 = {"s3Location": {"uri": "s3://bucket/a.png"}}

VALID = {
    "prompt-completion": {"prompt": "What is 2+2?", "completion": "4"},
    "continued-pretraining": {"input": "Some domain text."},
    "claude-messages": {
        "system": "Be brief.",
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": "Bye"},
            {"role": "assistant", "content": "Goodbye"},
        ],
    },
    "bedrock-conversation": {
        "schemaVersion": "bedrock-conversation-2024",
        "system": [{"text": "Be brief."}, {"text": "Be kind."}],
        "messages": [
            {"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": S3}},
                                         {"text": "Answer in one word."}]},
            {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "It looks feline.", "signature": "x"}}},
                {"text": "Cat"}]},
        ],
    },
    "openai-chat": {
        "id": "q-17",
        "messages": [
            {"role": "system", "content": "Solve it."},
            {"role": "user", "content": "2+2?"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1"}]},
            {"role": "tool", "content": "4", "tool_call_id": "c1"},
            {"role": "assistant", "content": "4"},
        ],
        "reference_answer": {"value": 4},
    },
    "instruction": {"instruction": "Translate to French.", "input": "cat", "output": "chat", "id": 3},
    "input-output": {"input": "My bill is wrong", "output": "billing", "label": "billing", "category": "x"},
    "text": {"text": "A line of corpus.", "source": "web"},
    "preference": {"prompt": "Say hi", "chosen": "Hi!", "rejected": "No."},
    "rft": {"id": "math-001", "messages": [{"role": "system", "content": "You are a math tutor"},
                                           {"role": "user", "content": "Solve: 2x + 5 = 13"}],
            "reference_answer": {"solution": "x = 4"}, "grader_hint": "exact"},
    "image-caption": {"image-ref": "s3://bucket/pets/cat.png", "caption": "an orange cat"},
    "invocation-log": {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse",
                       "modelId": "amazon.nova-pro-v1:0",
                       "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}},
                       "output": {"outputBodyJson": {"output": {"message": {"content": [{"text": "Hello"}]}}}}},
}


def test_formats_tuple_covers_every_schema():
    assert len(FORMATS) == 12 and len(set(FORMATS)) == 12
    on_disk = {p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")}
    assert on_disk == set(FORMATS) | {"report"}


@pytest.mark.parametrize("name", [*FORMATS, "report"])
def test_schema_is_valid_draft_2020_12(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_schemas_leave_emptiness_to_rules(fmt):
    # FT105 reports empty text with a better message than a schema could
    assert "minLength" not in (SCHEMA_DIR / f"{fmt}.schema.json").read_text()
    assert is_valid(fmt, _blank(VALID[fmt]))


TEXT_KEYS = {"prompt", "completion", "input", "output", "instruction", "text", "chosen", "rejected", "content", "system"}


def _blank(node):
    """The record with every text value replaced by whitespace."""
    if isinstance(node, list):
        return [_blank(v) for v in node]
    if isinstance(node, dict):
        return {k: " " if k in TEXT_KEYS and isinstance(v, str) else _blank(v) for k, v in node.items()}
    return node


def test_load_schema_returns_a_copy():
    load_schema("text")["required"].append("oops")
    assert load_schema("text")["required"] == ["text"]
    with pytest.raises(ValueError):
        load_schema("no-such-format")


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown format"):
        is_valid("report", {})
    with pytest.raises(ValueError, match="unknown format"):
        normalize("jsonl", {}, 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_valid_record_passes_and_is_untouched(fmt):
    record = copy.deepcopy(VALID[fmt])
    assert is_valid(fmt, record)
    assert schema_errors(fmt, record) == []
    assert record == VALID[fmt]


def _fields(example: Example) -> dict[str, str]:
    return {f.path: f.text for f in example.text_fields}


def test_normalize_prompt_completion():
    ex = normalize("prompt-completion", VALID["prompt-completion"], 7)
    assert ex == Example(line=7, format="prompt-completion", system=None,
                         turns=(Turn("user", "What is 2+2?"), Turn("assistant", "4")),
                         prompt="What is 2+2?", completion="4",
                         text_fields=(TextField("prompt", "What is 2+2?"), TextField("completion", "4")))


@pytest.mark.parametrize("fmt,key", [("continued-pretraining", "input"), ("text", "text")])
def test_normalize_single_text(fmt, key):
    text = VALID[fmt][key]
    ex = normalize(fmt, VALID[fmt], 1)
    assert ex.turns == (Turn("user", text),)
    assert (ex.prompt, ex.completion, ex.system, ex.label) == (text, "", None, None)
    assert _fields(ex) == {key: text}


def test_normalize_instruction():
    ex = normalize("instruction", VALID["instruction"], 2)
    assert ex.prompt == "Translate to French.\n\ncat"
    assert ex.completion == "chat"
    assert ex.turns == (Turn("user", ex.prompt), Turn("assistant", "chat"))
    assert _fields(ex) == {"instruction": "Translate to French.", "input": "cat", "output": "chat"}
    bare = normalize("instruction", {"instruction": "Say hi.", "input": "", "output": "hi"}, 3)
    assert bare.prompt == "Say hi."
    assert "input" in _fields(bare)  # present optional fields are listed
    assert "input" not in _fields(normalize("instruction", {"instruction": "a", "output": "b"}, 4))


def test_normalize_input_output_keeps_label():
    ex = normalize("input-output", VALID["input-output"], 1)
    assert (ex.prompt, ex.completion, ex.label) == ("My bill is wrong", "billing", "billing")
    assert _fields(ex) == {"input": "My bill is wrong", "output": "billing"}
    assert normalize("input-output", {"input": "a", "output": "b"}, 1).label is None


def test_normalize_preference():
    ex = normalize("preference", VALID["preference"], 1)
    assert (ex.prompt, ex.completion) == ("Say hi", "Hi!")
    assert ex.turns == (Turn("user", "Say hi"), Turn("assistant", "Hi!"))
    assert _fields(ex) == {"prompt": "Say hi", "chosen": "Hi!", "rejected": "No."}


def test_normalize_claude_messages():
    ex = normalize("claude-messages", VALID["claude-messages"], 1)
    assert ex.system == "Be brief."
    assert [t.role for t in ex.turns] == ["user", "assistant", "user", "assistant"]
    assert (ex.prompt, ex.completion) == ("Hi\nBye", "Goodbye")
    assert list(_fields(ex)) == ["system"] + [f"messages[{i}].content" for i in range(4)]
    no_system = normalize("claude-messages", {"messages": [{"role": "user", "content": "x"}]}, 1)
    assert no_system.system is None and no_system.completion == "" and "system" not in _fields(no_system)


def test_normalize_bedrock_conversation():
    ex = normalize("bedrock-conversation", VALID["bedrock-conversation"], 5)
    assert ex.system == "Be brief.\nBe kind."
    assert ex.turns == (Turn("user", "What is this?\nAnswer in one word."), Turn("assistant", "Cat"))
    assert (ex.prompt, ex.completion) == ("What is this?\nAnswer in one word.", "Cat")
    assert _fields(ex) == {
        "system[0].text": "Be brief.", "system[1].text": "Be kind.",
        "messages[0].content[0].text": "What is this?", "messages[0].content[2].text": "Answer in one word.",
        "messages[1].content[0].reasoningContent.reasoningText.text": "It looks feline.",
        "messages[1].content[1].text": "Cat",
    }
    msgs = VALID["bedrock-conversation"]["messages"]
    assert ex.media == (
        {"turn": 0, "role": "user", "kind": "image", "block": msgs[0]["content"][1]},
        {"turn": 1, "role": "assistant", "kind": "reasoningContent", "block": msgs[1]["content"][0]},
    )
    blockless = normalize("bedrock-conversation", {"messages": [{"role": "user", "content": []}]}, 1)
    assert blockless.system is None and _fields(blockless) == {"messages[0].content": ""}


def test_normalize_openai_chat_keeps_system_turns():
    ex = normalize("openai-chat", VALID["openai-chat"], 1)
    assert ex.system == "Solve it."
    assert [t.role for t in ex.turns] == ["system", "user", "assistant", "tool", "assistant"]
    assert ex.turns[2] == Turn("assistant", "")
    assert (ex.prompt, ex.completion) == ("2+2?", "4")
    # null content beside tool_calls is not an empty field
    assert list(_fields(ex)) == ["messages[0].content", "messages[1].content", "messages[3].content",
                                 "messages[4].content"]
    late = normalize("openai-chat", {"messages": [{"role": "user", "content": "q"}, {"role": "system", "content": "s"},
                                                  {"role": "assistant", "content": None}]}, 1)
    assert late.system is None and late.turns[1] == Turn("system", "s")
    assert _fields(late)["messages[2].content"] == ""


BAD_BLOCK = "a content block must hold exactly one of 'text', 'image', 'video', 'document', 'reasoningContent', 'toolUse', 'toolResult'"
INVALID = [
    ("prompt-completion", {"prompt": "a"}, "'completion' is a required property"),
    ("prompt-completion", {"prompt": "a", "completion": 123}, "completion: 123 is not of type 'string'"),
    ("prompt-completion", {"prompt": None, "completion": "b"}, "prompt: null is not of type 'string'"),
    ("prompt-completion", {"prompt": "a", "completion": "b", "foo": 1},
     "unexpected key 'foo' (prompt-completion allows only 'prompt', 'completion')"),
    ("continued-pretraining", {"input": "a", "id": 1},
     "unexpected key 'id' (continued-pretraining allows only 'input')"),
    ("claude-messages", {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                                      {"role": "bot", "content": "c"}]},
     "messages[2].role: 'bot' is not one of 'user', 'assistant'"),
    ("claude-messages", {"messages": [{"role": "user", "content": ["a"]}]},
     "messages[0].content: [\"a\"] is not of type 'string'"),
    ("claude-messages", {"messages": [{"role": "user", "content": "a", "name": "n"}]},
     "messages[0]: unexpected key 'name' (a message allows only 'role', 'content')"),
    ("claude-messages", {"system": "s", "messages": []}, "messages: expected at least 1 item, got 0"),
    ("claude-messages", {"system": [{"text": "s"}], "messages": [{"role": "user", "content": "a"}]},
     "system: [{\"text\": \"s\"}] is not of type 'string'"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{"text": "a", "image": {}}]}]},
     f"messages[0].content[0]: {BAD_BLOCK} (found 'text', 'image')"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{}]}]},
     f"messages[0].content[0]: {BAD_BLOCK} (found none)"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{"type": "text", "text": "a"}]}]},
     "messages[0].content[0]: unexpected key 'type' (a content block allows only 'text', 'image', 'video', "
     "'document', 'reasoningContent', 'toolUse', 'toolResult')"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{"image": {"format": "bmp", "source": S3}}]}]},
     "messages[0].content[0].image.format: 'bmp' is not one of 'jpeg', 'png', 'gif', 'webp'"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [
        {"video": {"format": "mp4", "source": {"s3Location": {"url": "s3://b/v.mp4"}}}}]}]},
     "messages[0].content[0].video.source.s3Location: 'uri' is a required property"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{"document": {"format": "pdf", "source": S3}}]}]},
     "messages[0].content[0].document: 'name' is a required property"),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": "hello"}]},
     "messages[0].content: 'hello' is not of type 'array'"),
    # any string is a valid schemaVersion (Nova's guide); the exact value is target rule FT610's
    ("bedrock-conversation", {"schemaVersion": 2024, "messages": [{"role": "user", "content": [{"text": "a"}]}]},
     "schemaVersion: 2024 is not of type 'string'"),
    ("bedrock-conversation", {"system": "s", "messages": [{"role": "user", "content": [{"text": "a"}]}]},
     "system: 's' is not of type 'array'"),
    ("bedrock-conversation", {"messages": [{"role": "system", "content": [{"text": "a"}]}]},
     "messages[0].role: 'system' is not one of 'user', 'assistant'"),
    ("openai-chat", {"messages": [{"role": "user"}]}, "messages[0]: 'content' is a required property"),
    ("openai-chat", {"messages": [{"role": "bot", "content": "a"}]},
     "messages[0].role: 'bot' is not one of 'system', 'user', 'assistant', 'tool'"),
    ("openai-chat", {"messages": [{"role": "user", "content": 5}]},
     "messages[0].content: 5 is not of type 'string', 'null'"),
    ("openai-chat", {"messages": [{"role": "user", "content": "a"}], "tools": {}}, "tools: {} is not of type 'array'"),
    ("instruction", {"instruction": "a", "input": 3, "output": "b"}, "input: 3 is not of type 'string'"),
    ("instruction", {"instruction": "a", "response": "b"}, "'output' is a required property"),
    ("input-output", {"input": "a", "output": "b", "label": 1}, "label: 1 is not of type 'string'"),
    ("text", {"content": "a"}, "'text' is a required property"),
    ("preference", {"prompt": "a", "chosen": "b", "rejected": ["c"]}, "rejected: [\"c\"] is not of type 'string'"),
    ("text", ["not", "an", "object"], "[\"not\", \"an\", \"object\"] is not of type 'object'"),
]


@pytest.mark.parametrize("fmt,record,message", INVALID, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(INVALID)])
def test_invalid_record_fails_with_message(fmt, record, message):
    assert not is_valid(fmt, record)
    assert message in schema_errors(fmt, record)


def test_errors_are_limited_ordered_and_short():
    record = {"prompt": 1, "completion": 2, "a": 3}
    assert schema_errors("prompt-completion", record) == [
        "unexpected key 'a' (prompt-completion allows only 'prompt', 'completion')",
        "prompt: 1 is not of type 'string'",
        "completion: 2 is not of type 'string'",
    ]
    assert len(schema_errors("prompt-completion", record, limit=1)) == 1
    huge = {"messages": [{"role": "user", "content": [{"text": "x" * 10_000, "image": {"format": "png" * 500}}]}]}
    for message in schema_errors("bedrock-conversation", huge) + schema_errors("prompt-completion", {"prompt": ["y" * 5000]}):
        assert len(message) <= 200
    long_keys = {"prompt": "a", "completion": "b", **{f"key{i}": i for i in range(50)}}
    assert all(len(m) <= 200 for m in schema_errors("prompt-completion", long_keys))


CANDIDATES = [
    ({"prompt": "a", "completion": "b"}, ("prompt-completion",)),
    ({"prompt": "a"}, ("prompt-completion",)),
    ({"completion": "b"}, ("prompt-completion",)),
    ({"prompt": "a", "chosen": "b", "rejected": "c"}, ("preference",)),
    ({"prompt": "a", "chosen": "b"}, ("preference",)),
    ({"instruction": "a", "input": "b", "output": "c"}, ("instruction",)),
    ({"instruction": "a"}, ("instruction",)),
    ({"input": "a", "output": "b"}, ("input-output",)),
    ({"input": "a", "output": "b", "label": "x"}, ("input-output",)),
    ({"input": "a"}, ("continued-pretraining",)),
    ({"text": "a", "label": "x"}, ("text",)),
    ({"id": 1, "foo": "bar"}, ()),
    ({}, ()),
    # chats: a plain user/assistant chat is valid in both string-content formats
    ({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]},
     ("claude-messages", "openai-chat")),
    ({"messages": []}, ("claude-messages", "openai-chat")),
    ({"messages": "oops"}, ("claude-messages", "openai-chat")),
    ({"system": "s", "messages": [{"role": "user", "content": "a"}]}, ("claude-messages",)),
    ({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"}]}, ("openai-chat",)),
    ({"messages": [{"role": "user", "content": "a"}], "reference_answer": 4}, ("rft", "openai-chat")),
    ({"image-ref": "s3://b/a.png", "caption": "a cat"}, ("image-caption",)),
    ({"schemaType": "ModelInvocationLog", "modelId": "m", "input": {}}, ("invocation-log",)),
    ({"toolConfig": {"tools": []}, "messages": []}, ("bedrock-conversation",)),
    ({"messages": [{"role": "assistant", "content": None, "tool_calls": []}]}, ("openai-chat",)),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "a"}]}]}, ("openai-chat",)),
    ({"messages": [{"role": "user", "content": [{"text": "a"}]}]}, ("bedrock-conversation",)),
    ({"schemaVersion": "bedrock-conversation-2024", "messages": []}, ("bedrock-conversation",)),
    ({"system": [{"text": "s"}], "messages": [{"role": "user", "content": "a"}]}, ("bedrock-conversation",)),
    ({"messages": [{"role": "user", "content": "a"}], "prompt": "x"}, ("claude-messages", "openai-chat")),
]


@pytest.mark.parametrize("record,expected", CANDIDATES)
def test_candidates(record, expected):
    assert candidates(record) == expected


def test_candidates_of_non_object():
    assert candidates([1]) == () and candidates("x") == ()  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_valid_record_points_at_its_format(fmt):
    assert fmt in candidates(VALID[fmt])


def test_plain_chat_is_valid_in_both_chat_formats_claude_first():
    chat = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}
    valid = [f for f in candidates(chat) if is_valid(f, chat)]
    assert valid == ["claude-messages", "openai-chat"]
    assert FORMATS.index("claude-messages") < FORMATS.index("openai-chat")


AGREEMENT = [(fmt, rec) for fmt, rec in VALID.items()] + [(fmt, rec) for fmt, rec, _ in INVALID] + [
    ("openai-chat", {"messages": [{"role": "assistant", "tool_calls": [{"id": "c"}]}]}),
    ("openai-chat", {"messages": [{"role": "user", "content": None}]}),
    ("bedrock-conversation", {"messages": [{"role": "assistant", "content": [
        {"reasoningContent": {"reasoningText": {"text": "r", "extra": 1}}}]}]}),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [
        {"video": {"format": "three_gp", "source": {"s3Location": {"uri": "s3://b/v", "bucketOwner": "1"}}}}]}]}),
    ("input-output", {"input": "a", "output": "b", "label": None}),
    ("text", {"text": True}),
]


@pytest.mark.parametrize("fmt,record", AGREEMENT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(AGREEMENT)])
def test_fastjsonschema_agrees_with_jsonschema(fmt, record):
    assert is_valid(fmt, record) == Draft202012Validator(load_schema(fmt)).is_valid(record)
    assert is_valid(fmt, record) == (schema_errors(fmt, record) == [])


def _report(findings):
    return {
        "version": 1,
        "tool": {"name": "ftlint", "version": "0.1.0"},
        "files": [{"path": "train.jsonl", "records": 120, "format": "prompt-completion"},
                  {"path": "empty.jsonl", "records": 0, "format": None}],
        "summary": {"errors": 1, "warnings": 1, "infos": 0, "by_code": {"FT201": 1, "FT404": 1}},
        "findings": findings,
        "future_field": True,
    }


def test_report_schema_accepts_findings_as_serialised():
    validator = Draft202012Validator(load_schema("report"))
    findings = [
        Finding("FT201", "exact-duplicate", Severity.ERROR, "train.jsonl", 9, "duplicate of line 3",
                related=(3,), data={"first": 3}).to_dict(),
        Finding("FT404", "too-few-examples", Severity.WARNING, "train.jsonl", None, "only 120 records").to_dict(),
    ]
    report = _report(findings)
    assert list(validator.iter_errors(report)) == []


@pytest.mark.parametrize("change", [
    lambda r: r.update(version=2),
    lambda r: r.pop("summary"),
    lambda r: r["findings"].append({"code": "X1", "name": "n", "severity": "error", "path": "p", "line": 1,
                                    "column": 1, "message": "m", "related": [], "data": {}}),
    lambda r: r["findings"].append({"code": "FT101", "name": "invalid-json", "severity": "fatal", "path": "p",
                                    "line": 0, "column": None, "message": "m", "related": [], "data": {}}),
    lambda r: r["summary"]["by_code"].update(bogus=1),
    lambda r: r["files"][0].update(records="many"),
])
def test_report_schema_rejects_broken_reports(change):
    report = _report([])
    change(report)
    assert not Draft202012Validator(load_schema("report")).is_valid(report)


def test_any_of_failures_read_as_one_short_sentence():
    # no shipped schema uses anyOf/oneOf today; a future one must not dump the whole instance
    from jsonschema.exceptions import best_match

    from ftlint.formats.messages import _message

    schema = {"type": "object", "properties": {
        "a": {"title": "answer", "anyOf": [{"type": "string"}, {"type": "integer"}]},
        "b": {"oneOf": [{"type": "object", "required": ["x"]}, {"type": "array"}]}}}
    def first(record):
        return _message("f", best_match(Draft202012Validator(schema).iter_errors(record)))
    assert first({"a": [1] * 500}).endswith("is not a valid answer") and len(first({"a": [1] * 500})) < 80
    assert first({"b": {"y": 1}}) == "b: 'x' is a required property"
    assert first({"b": 3}) == "b: 3 matches none of the allowed forms"


def test_any_schema_version_string_is_valid_bedrock_conversation():
    # Nova's guide: "schemaVersion can be any string"; Llama 3.2 and distillation need the exact
    # value, which the target rule FT610 checks
    record = {"schemaVersion": "messages-v1", "messages": [{"role": "user", "content": [{"text": "a"}]}]}
    assert is_valid("bedrock-conversation", record)
    assert schema_errors("bedrock-conversation", record) == []


_OTHER = st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.text(max_size=2), max_size=2))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if _flat_strings(load_schema(f)) is not None])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_flat_checker_agrees_with_the_compiled_schema(fmt, data):
    """The engine's direct test for flat formats decides exactly as fastjsonschema does: records
    built from the format's own keys (mostly strings) plus strangers, so every branch is reached."""
    keys = [*load_schema(fmt)["properties"], "extra", "messages"]
    value = st.one_of(st.text(max_size=3), st.text(max_size=3), _OTHER)
    obj = data.draw(st.dictionaries(st.sampled_from(keys), value, max_size=len(keys)))
    assert checker(fmt)(obj) is is_valid(fmt, obj)


_ROLE = st.sampled_from(["user", "assistant", "system", "tool", "User"])
_MESSAGE = st.one_of(
    st.fixed_dictionaries({"role": _ROLE, "content": st.one_of(st.text(max_size=3), st.text(max_size=3), _OTHER)}),
    st.dictionaries(st.sampled_from(["role", "content", "name"]), st.one_of(_ROLE, st.text(max_size=3), _OTHER),
                    max_size=3))
_CHAT_VALUE = st.one_of(st.lists(_MESSAGE, max_size=3), st.lists(_MESSAGE, max_size=3), st.text(max_size=3), _OTHER)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if _flat_strings(load_schema(f)) is None
                                 and _simple_checker(_inline_refs(load_schema(f))) is not None])
@settings(max_examples=300, deadline=None)
@given(obj=st.one_of(
    st.fixed_dictionaries({"messages": st.lists(_MESSAGE, max_size=3)},
                          optional={"system": st.one_of(st.text(max_size=3), _OTHER), "extra": st.text(max_size=2)}),
    st.dictionaries(st.sampled_from(["messages", "system", "extra"]), _CHAT_VALUE, max_size=3)))
def test_simple_checker_agrees_with_the_compiled_schema(fmt, obj):
    """The same for the nested formats the direct test covers (claude-messages)."""
    assert checker(fmt)(obj) is is_valid(fmt, obj)


def test_flat_checker_covers_the_flat_formats_only():
    flat = {f for f in FORMATS if _flat_strings(load_schema(f)) is not None}
    assert {"prompt-completion", "input-output", "instruction", "preference", "text",
            "continued-pretraining"} <= flat
    assert not flat & {"claude-messages", "bedrock-conversation", "openai-chat"}
