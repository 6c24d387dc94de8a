"""FT1 record rules that read the normalized Example: FT105 (empty-field) decides what is required
from the format's JSON Schema, so an empty optional field is not an error."""
from __future__ import annotations

import pytest

import ftlint
from ftlint.formats.schema import required_text


def _ft105(records):
    return [(f.line, f.data["field"]) for f in ftlint.check(records, select=["FT105"]).findings]


def test_empty_optional_input_is_not_an_empty_field():
    # Alpaca: most records have "input": "" because the instruction needs none
    records = [{"instruction": "Name three primary colours.", "input": "", "output": "Red, yellow and blue."},
               {"instruction": "Add the numbers.", "input": "   ", "output": "Which numbers?"},
               {"instruction": "Summarise the text.", "input": "The meeting moved to Friday.", "output": ""},
               {"instruction": "Translate to French.", "input": "", "output": " \n"}]
    assert _ft105(records) == [(3, "output"), (4, "output")]


def test_empty_optional_system_is_not_an_empty_field():
    chat = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]
    assert _ft105([{"system": "", "messages": chat}, {"system": " ", "messages": chat}]) == []
    empty_turn = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]
    assert _ft105([{"system": "", "messages": empty_turn}]) == [(1, "messages[1].content")]


def test_converse_system_is_optional_but_message_text_is_required():
    user = {"role": "user", "content": [{"text": "Hi"}]}
    records = [{"schemaVersion": "bedrock-conversation-2024", "system": [{"text": ""}],
                "messages": [user, {"role": "assistant", "content": [{"text": "Hello!"}]}]},
               {"schemaVersion": "bedrock-conversation-2024",
                "messages": [user, {"role": "assistant", "content": [{"text": " "}]}]},
               {"schemaVersion": "bedrock-conversation-2024",
                "messages": [user, {"role": "assistant", "content": []}]}]
    assert _ft105(records) == [(2, "messages[1].content[0].text"), (3, "messages[1].content")]


def test_required_fields_of_the_flat_formats_stay_required():
    for records, field in (([{"prompt": "", "completion": "x"}], "prompt"),
                           ([{"input": "q", "output": ""}], "output"),
                           ([{"text": " "}], "text"),
                           ([{"prompt": "p", "chosen": "a", "rejected": ""}], "rejected")):
        assert _ft105(records) == [(1, field)]


@pytest.mark.parametrize("fmt, obj, path, required", [
    ("instruction", {"instruction": "i", "input": "", "output": "o"}, ["input"], False),
    ("instruction", {"instruction": "i", "input": "", "output": ""}, ["output"], True),
    ("claude-messages", {"system": "", "messages": [{"role": "user", "content": ""}]}, ["system"], False),
    ("claude-messages", {"messages": [{"role": "user", "content": ""}]}, ["messages", 0, "content"], True),
    ("bedrock-conversation", {"system": [{"text": ""}], "messages": [{"role": "user", "content": [{"text": "a"}]}]},
     ["system", 0, "text"], False),
    ("bedrock-conversation", {"messages": [{"role": "user", "content": [{"text": ""}]}]},
     ["messages", 0, "content", 0, "text"], True),
    # openai-chat needs content only when the message has no tool_calls (the schema's if/then)
    ("openai-chat", {"messages": [{"role": "user", "content": ""}]}, ["messages", 0, "content"], True),
    ("openai-chat", {"messages": [{"role": "assistant", "content": "", "tool_calls": []}]},
     ["messages", 0, "content"], False),
])
def test_required_text_reads_the_schema(fmt, obj, path, required):
    before = repr(obj)
    assert required_text(fmt, obj, path) is required
    assert repr(obj) == before  # the record is never changed
