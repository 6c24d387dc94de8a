"""Baselines: keyed by path, code and a record hash, so records inserted above a known problem
do not revive it; only new findings are reported."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_jsonl

from ftlint import baseline
from ftlint.cli import main
from ftlint.finding import Finding, Severity
from ftlint.read.reader import Source
from ftlint.result import FileInfo, Report

GOOD = [{"prompt": f"How do I export report {i}?", "completion": f"Open report {i} and choose Export."} for i in range(6)]
EMPTY = {"prompt": "Where is my refund?", "completion": "  "}
EMPTY2 = {"prompt": "Can I pay by card?", "completion": ""}


def run(*args):
    return CliRunner().invoke(main, [*map(str, args), "--select", "FT1", "--no-cache"])


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_jsonl(Path("train.jsonl"), GOOD[:2] + [EMPTY] + GOOD[2:4] + [b'{"prompt": "broken'])


def test_write_then_use_baseline_reports_nothing(data):
    r = run("check", data, "--write-baseline", "baseline.json")
    assert r.exit_code == 0, r.output  # the findings are accepted
    # it says what it wrote, not "All checks passed"
    assert r.output.startswith("Wrote 2 findings to the baseline baseline.json; they are accepted"), r.output
    assert "All checks passed" not in r.output
    quiet = run("check", data, "--write-baseline", "baseline.json", "-q")
    assert "wrote 2 findings to the baseline baseline.json" in quiet.output  # on stderr when no summary
    doc = json.loads(Path("baseline.json").read_text())
    assert doc["version"] == 1 and [(e["path"], e["code"]) for e in doc["findings"]] == [
        ("train.jsonl", "FT101"), ("train.jsonl", "FT105")]
    assert all("line" not in e for e in doc["findings"])  # never the line number
    r = run("check", data, "--baseline", "baseline.json")
    assert r.exit_code == 0 and r.output.startswith("No new findings"), r.output
    assert "2 findings accepted by the baseline baseline.json" in r.output


def test_records_inserted_above_keep_old_findings_accepted_and_show_new_ones(data):
    run("check", data, "--write-baseline", "baseline.json")
    lines = data.read_bytes().splitlines()
    # three records inserted above the known problems, one of them a new problem
    new = [json.dumps(GOOD[4]).encode(), json.dumps(EMPTY2).encode(), json.dumps(GOOD[5]).encode()]
    data.write_bytes(b"\n".join(new + lines) + b"\n")
    without = run("check", data)
    assert without.output.count("FT105") == 2 and re.search(rf"{data}:6:\d+: FT105", without.output)  # moved from 3 to 6
    r = run("check", data, "--baseline", "baseline.json")
    assert r.exit_code == 1
    (only, summary) = r.output.splitlines()  # the column points at the empty completion
    assert re.fullmatch(rf"{data}:2:\d+: FT105 \[error\] completion is empty; write the text or drop the record", only)
    assert summary.endswith("; 2 more accepted by the baseline baseline.json.")


def test_fixing_a_record_changes_its_hash_and_a_copy_is_a_new_finding(data):
    run("check", data, "--write-baseline", "baseline.json")
    # the same bad record twice: the baseline accepted one copy, the second is new
    data.write_bytes(data.read_bytes() + json.dumps(EMPTY).encode() + b"\n")
    r = run("check", data, "--baseline", "baseline.json")
    assert r.exit_code == 1 and r.output.count("FT105") == 1 and re.search(rf"{data}:7:\d+: FT105", r.output)


def test_reformatting_a_record_keeps_it_accepted(data):
    run("check", data, "--write-baseline", "baseline.json")
    text = data.read_text().replace(json.dumps(EMPTY), '{"completion":"  ",   "prompt":"Where is my refund?"}')
    data.write_text(text)
    assert run("check", data, "--baseline", "baseline.json").exit_code == 0


def test_baseline_is_per_file(data):
    run("check", data, "--write-baseline", "baseline.json")
    other = write_jsonl(Path("other.jsonl"), [EMPTY])
    r = run("check", data, other, "--baseline", "baseline.json")
    assert r.exit_code == 1 and re.match(rf"{other}:1:\d+: FT105", r.output)


def test_dataset_level_findings_keyed_by_message_without_numbers(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", GOOD)

    def report(message):
        return Report([Finding("FT108", "blank-line", Severity.WARNING, str(src), None, message)],
                      [FileInfo(str(src), 6, "prompt-completion")])

    baseline.write(report("label 'billing' has 120 of 130 records (92.3%)"), [Source(str(src))], tmp_path / "b.json")
    accepted = baseline.load(tmp_path / "b.json")
    assert baseline.apply(report("label 'billing' has 140 of 150 records (93.3%)"), [Source(str(src))],
                          accepted).findings == []
    assert len(baseline.apply(report("label 'refund' has 140 of 150 records (93.3%)"), [Source(str(src))],
                              accepted).findings) == 1


def test_missing_or_broken_baseline_is_exit_2(data):
    r = run("check", data, "--baseline", "nope.json")
    assert r.exit_code == 2 and "no such baseline file" in r.output
    Path("bad.json").write_text("[1, 2]")
    r = run("check", data, "--baseline", "bad.json")
    assert r.exit_code == 2 and "not an ftlint baseline" in r.output


def test_stdin_cannot_be_baselined(data):
    r = CliRunner().invoke(main, ["check", "-", "--write-baseline", "b.json", "--no-cache"], input=data.read_bytes())
    assert r.exit_code == 2 and "standard input cannot be read twice" in r.output


def test_record_hash_ignores_key_order_and_whitespace():
    assert baseline.record_hash(b'{"a": 1, "b": [1, 2]}') == baseline.record_hash(b'{"b":[1,2],"a":1}')
    assert baseline.record_hash(b'{"a": 1}') != baseline.record_hash(b'{"a": 2}')
    assert baseline.record_hash(b'{"a": broken') == baseline.record_hash(b'{"a": broken  ')
