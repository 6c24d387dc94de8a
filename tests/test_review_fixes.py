"""Small defects found in review, each with the record that shows it and a clean one: a text of
only zero-width characters is empty (FT105); a template slot that ends a prose text is a
leftover, not code (FT505)."""
from __future__ import annotations

import ftlint
from ftlint.rules.answer_shape import looks_like_code


def lines(report, code):
    return [f.line for f in report.findings if f.code == code]


def test_a_text_of_zero_width_characters_is_empty():
    rows = [{"prompt": "Where is my order?", "completion": "\u200b"},
            {"prompt": "Where is my order?", "completion": " \u200b\u200d\ufeff "},
            {"prompt": "Where is my order?", "completion": "\u200bIt ships today."},
            {"prompt": "Where is my order?", "completion": "It ships today."}]
    report = ftlint.check(rows, select=["FT105"])
    assert lines(report, "FT105") == [1, 2]
    assert "only invisible characters" in report.findings[0].message
    # an optional field is still optional when it holds only a zero-width space
    optional = [{"instruction": "Name three primary colours.", "input": "\u200b", "output": "Red, yellow and blue."}]
    assert lines(ftlint.check(optional, select=["FT105"]), "FT105") == []


BASE = [{"prompt": f"Write a note to customer {i} about the delay.",
         "completion": f"Hello, your order {i} ships Monday. Thanks for waiting."} for i in range(40)]


def test_a_slot_at_the_end_of_prose_is_a_leftover():
    for tail in ("Hello {name}", "Best, {{agent_name}}", "Kind regards, ${AGENT}", "Regards, {name}."):
        rows = [*BASE, {"prompt": "Write a note to customer 99.", "completion": "Your order ships Monday. " + tail}]
        assert lines(ftlint.check(rows, select=["FT505"]), "FT505") == [41], tail
    assert lines(ftlint.check(BASE, select=["FT505"]), "FT505") == []


def test_code_that_ends_with_a_brace_is_still_code():
    assert looks_like_code("function f() {\n  return 1;\n}")
    assert looks_like_code("const x = {a}") and looks_like_code("body {color: red}")
    assert not looks_like_code("Your order ships Monday. Hello {name}")


def test_an_empty_system_message_is_no_system_prompt(tmp_path):
    from click.testing import CliRunner
    from conftest import write_jsonl

    from ftlint.cli import main

    rows = [{"messages": [{"role": "system", "content": ""}, {"role": "user", "content": f"Where is order {i}?"},
                          {"role": "assistant", "content": f"Order {i} ships today."}]} for i in range(3)]
    assert lines(ftlint.check(rows, select=["FT105"]), "FT105") == []
    # an empty user or assistant turn is still empty content
    rows[1]["messages"][1]["content"] = ""
    assert lines(ftlint.check(rows, select=["FT105"]), "FT105") == [2]
    # converted to Converse, the empty system prompt is left out, not written as an empty text block
    src = write_jsonl(tmp_path / "chat.jsonl", rows[:1])
    out = tmp_path / "nova.jsonl"
    assert CliRunner().invoke(main, ["convert", str(src), "--target", "nova-lite", "-o", str(out)]).exit_code == 0
    assert '"system"' not in out.read_text()


def test_convert_never_writes_a_line_the_reader_repaired_or_lost(tmp_path):
    from click.testing import CliRunner

    from ftlint.cli import main

    src = tmp_path / "in.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"prompt": "bom", "completion": "kept"}\n'
                    b'{"prompt": "Where is \\ud800 my order?", "completion": "a lone surrogate"}\n'
                    b'{"prompt": "caf\xe9", "completion": "not UTF-8"}\n'
                    b'{"prompt": "a", "prompt": "b", "completion": "a duplicate key"}\n'
                    b'{"prompt": "ok", "completion": "fine"}\n')
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(main, ["convert", str(src), "--to", "openai-chat", "-o", str(out)])
    assert r.exit_code == 2 and not out.exists()
    assert "3 record(s) cannot be converted" in r.output and "line 2: FT106" in r.output
    r = CliRunner().invoke(main, ["convert", str(src), "--to", "openai-chat", "-o", str(out), "--skip-invalid"])
    assert r.exit_code == 0 and "skipped 3 invalid records (lines 2, 3, 4)" in r.output
    # every line is written or named as skipped; the BOM is not the record's fault
    assert [line.count("kept") + line.count("fine") for line in out.read_text().splitlines()] == [1, 1]


def test_line_errors_are_the_readers_error_codes():
    from ftlint.rules import REGISTRY
    from ftlint.rules.curation import LINE_ERRORS

    assert all(REGISTRY[c].severity.value == "error" and c.startswith("FT1") for c in LINE_ERRORS)
