"""A finding about one field points at that field's value: the column (1-based, in characters)
where the value starts in the line, for FT103, FT105, FT106, FT109 and FT110 (and FT101, FT112,
FT113 as before); a finding about the whole record keeps column 1."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ftlint
from ftlint.cli import main

GOOD = '{"prompt": "Where is order %d?", "completion": "It ships on day %d."}'


def write(tmp_path, bad: str):
    p = tmp_path / "data.jsonl"
    p.write_text("\n".join([GOOD % (i, i) for i in range(1, 6)] + [bad]) + "\n", encoding="utf-8")
    return p


def found(tmp_path, bad: str, code: str, **kw):
    p = write(tmp_path, bad)
    (f,) = [f for f in ftlint.check(p, select=[code], **kw).findings if f.code == code]
    assert f.line == 6
    return f


def col(line: str, fragment: str) -> int:
    return line.index(fragment) + 1


def test_ft105_points_at_the_empty_value(tmp_path):
    bad = '{"prompt": "Where is my refund?", "completion": "  "}'
    assert found(tmp_path, bad, "FT105").column == col(bad, '"  "')


def test_ft105_in_a_chat_turn(tmp_path):
    bad = ('{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}')
    p = tmp_path / "chat.jsonl"
    p.write_text(bad + "\n")
    (f,) = [f for f in ftlint.check(p, select=["FT105"]).findings]
    assert f.column == bad.rindex('""') + 1


def test_ft110_points_at_the_first_field(tmp_path):
    bad = '{"prompt": "Where is my refund?", "completion": "It is on its way. "}'
    assert found(tmp_path, bad, "FT110").column == col(bad, '"It is on')


def test_ft106_points_at_the_string_holding_the_character(tmp_path):
    bad = '{"prompt": "Caf\u00e9 menu?", "completion": "We serve \\u0000 breakfast."}'
    assert found(tmp_path, bad, "FT106").column == col(bad, '"We serve')


def test_ft103_points_at_the_wrong_value(tmp_path):
    bad = '{"prompt": "Where is my refund?", "completion": 42}'
    assert found(tmp_path, bad, "FT103").column == col(bad, "42")


def test_ft103_points_at_an_unexpected_key(tmp_path):
    bad = '{"prompt": "Where is my refund?", "completion": "Soon.", "lable": "billing"}'
    assert found(tmp_path, bad, "FT103").column == col(bad, '"billing"')


def test_ft109_points_at_the_second_key(tmp_path):
    bad = '{"prompt": "a", "completion": "b", "prompt": "c"}'
    assert found(tmp_path, bad, "FT109").column == col(bad, '"prompt": "c"')


def test_columns_count_characters_not_bytes(tmp_path):
    bad = '{"prompt": "Ça coûte combien ?", "completion": ""}'
    assert found(tmp_path, bad, "FT105").column == col(bad, '""')


def test_a_whole_record_finding_keeps_column_1(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text((GOOD % (1, 1) + "\n") * 2)
    assert {f.column for f in ftlint.check(p, select=["FT201"]).findings} == {1}


def test_text_json_and_sarif_carry_the_column(tmp_path):
    bad = '{"prompt": "Where is my refund?", "completion": ""}'
    p = write(tmp_path, bad)
    c = col(bad, '""')
    r = CliRunner().invoke(main, ["check", str(p), "--select", "FT105", "--no-cache"])
    assert f"{p}:6:{c}: FT105" in r.output
    r = CliRunner().invoke(main, ["check", str(p), "--select", "FT105", "--no-cache", "--format", "json"])
    assert json.loads(r.output)["findings"][0]["column"] == c


def test_columns_survive_the_background_child(tmp_path, monkeypatch):
    # a file large enough for the parallel rules' child: FT1 columns still come from this process
    from ftlint import engine

    monkeypatch.setattr(engine, "MIN_BACKGROUND_BYTES", 0)
    bad = '{"prompt": "Where is my refund?", "completion": " "}'
    p = write(tmp_path, bad)
    (f,) = [f for f in ftlint.check(p).findings if f.code == "FT105"]
    assert f.column == col(bad, '" "')


# ------------------------------------------------------------------ the locator itself

@pytest.mark.parametrize("line,path,fragment", [
    ('{"a": 1, "b": [10, {"c": "x"}, []]}', ["b", 1, "c"], '"x"'),
    ('{"a": 1, "b": [10, {"c": "x"}, []]}', ["b", 2], "[]"),
    ('{"a": {"b": {}}, "c": [[], [3]]}', ["c", 1, 0], "3"),
    ('{"a\\u0062": 5}', ["ab"], "5"),
    ('{"k": "has \\"quotes\\" and , : [ {", "z": null}', ["z"], "null"),
    ('{"x": 1, "x": 2}', ["x"], "1"),
])
def test_value_offset(line, path, fragment):
    from ftlint.read.jsonpos import value_offset

    assert value_offset(line, path) == line.index(fragment)


@pytest.mark.parametrize("line,path", [('{"a": 1}', ["b"]), ('{"a": [1]}', ["a", 3]), ("[1, 2]", ["a"]),
                                       ('{"a": ', ["a", 0]), ("not json", ["a"]), ('{"a": 1}', [0])])
def test_value_offset_not_found(line, path):
    from ftlint.read.jsonpos import column, value_offset

    assert value_offset(line, path) is None and column(line.encode(), path) == 1


def test_key_column():
    from ftlint.read.jsonpos import key_column

    line = b'{"p": 1, "q": {"p": 2}}'
    assert key_column(line, "p") == line.index(b'"p": 2') + 1 and key_column(line, "z") == 1
