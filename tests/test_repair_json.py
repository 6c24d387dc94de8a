"""`ftlint fix --repair-json`: FT101 lines repaired only when json-repair's repair is unambiguous
and the record then validates; each repair recorded with the original line; never by default."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ftlint
from ftlint.cli import main
from ftlint.formats.repair import repair_line

pytest.importorskip("json_repair")

GOOD = '{"prompt": "Where is my order?", "completion": "It ships today."}'
SINGLE_QUOTES = "{'prompt': 'Can I pay by invoice?', 'completion': 'Yes, on the annual plan.'}"
TRAILING_COMMA = '{"prompt": "Do you ship abroad?", "completion": "To 30 countries.",}'
NO_BRACE = '{"prompt": "Is there a trial?", "completion": "Fourteen days."'
TRUNCATED = '{"prompt": "What is the refund window?", "completion": "Thirty days from'
WRONG_SHAPE = "{'question': 'Who are you?'}"
GARBAGE = "this line is not JSON at all"


@pytest.mark.parametrize("line", [SINGLE_QUOTES, TRAILING_COMMA, NO_BRACE])
def test_unambiguous_repairs(line):
    obj = repair_line(line.encode())
    assert obj is not None and set(obj) == {"prompt", "completion"}


@pytest.mark.parametrize("line", [TRUNCATED, GARBAGE, '{"prompt": "a", "completion": NaN}',
                                  '{"prompt": "a", "completion": "He said "hi" to me"}'])
def test_ambiguous_lines_are_refused(line):
    assert repair_line(line.encode()) is None


def _write(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([GOOD, SINGLE_QUOTES, TRAILING_COMMA, NO_BRACE, TRUNCATED, WRONG_SHAPE, GARBAGE]) + "\n")
    return path


def test_fix_repairs_only_with_the_flag_and_records_each_repair(tmp_path):
    path = _write(tmp_path)
    plain = ftlint.fix(path, tmp_path / "plain.jsonl", select=["FT1"])
    assert plain.kept == 1 and plain.rejected == 6  # never on by default
    assert not (tmp_path / "plain.manifest.json").exists()

    out = tmp_path / "out.jsonl"
    result = ftlint.fix(path, out, select=["FT1"], repair_json=True)
    kept = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["prompt"] for r in kept] == ["Where is my order?", "Can I pay by invoice?", "Do you ship abroad?",
                                          "Is there a trial?"]
    assert result.changed == {"FT101": 3}
    rejected = [json.loads(x) for x in (tmp_path / "out.rejected.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejected] == [5, 6, 7]  # truncated, not the file's format, garbage
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert [(r["line"], r["code"], r["original"]) for r in manifest["repairs"]] == [
        (2, "FT101", SINGLE_QUOTES), (3, "FT101", TRAILING_COMMA), (4, "FT101", NO_BRACE)]


def test_cli_flag(tmp_path):
    path = _write(tmp_path)
    r = CliRunner().invoke(main, ["fix", str(path), "-o", str(tmp_path / "o.jsonl"), "--repair-json", "--select", "FT1"])
    assert r.exit_code == 0, r.output
    assert "FT101 3 changed" in r.output
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 4
