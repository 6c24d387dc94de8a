"""The format stage inside the engine: majority detection, FT103 vs FT104, forced formats, and
examples kept only when a dataset rule needs them."""
from __future__ import annotations

import ftlint
from ftlint import config as cfg
from ftlint.api import sources_of
from ftlint.engine import Engine

PC = [{"prompt": f"question {i}?", "completion": f"answer {i}."} for i in range(5)]
IO = [{"input": f"message {i}", "output": "billing"} for i in range(3)]


def codes(report):
    return [(f.line, f.code) for f in report.findings]


def test_majority_format_wins_and_others_are_ft104():
    report = ftlint.check(IO + PC)
    assert report.files[0].format == "prompt-completion"
    assert codes(report) == [(1, "FT104"), (2, "FT104"), (3, "FT104")]


def test_tie_breaks_by_format_order_deterministically():
    a = ftlint.check(PC[:3] + IO).files[0].format
    b = ftlint.check(IO + PC[:3]).files[0].format
    assert a == b


def test_forced_format_reports_schema_errors_instead_of_mixing():
    report = ftlint.check(IO + PC, dataset_format="input-output")
    assert report.files[0].format == "input-output"
    assert {c for _, c in codes(report)} == {"FT103"}


def test_broken_record_of_another_format_is_ft104_with_its_own_errors():
    broken = {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "hi", "image": {}}]}]}
    chat = [{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}] * 3
    (f,) = ftlint.check(chat + [broken], select=["FT1"]).findings
    assert f.code == "FT104" and "exactly one of" in f.message


def test_no_valid_record_still_names_a_format():
    report = ftlint.check([{"prompt": "a"}, {"prompt": "b", "completion": 3}])
    assert report.files[0].format == "prompt-completion"
    assert [c for _, c in codes(report)] == ["FT103", "FT103"]


def test_unknown_shape_is_ft103():
    (f,) = ftlint.check([{"foo": 1}]).findings
    assert f.code == "FT103" and "matches no known format" in f.message


def test_examples_are_kept_only_when_a_dataset_rule_needs_them():
    settings = cfg.with_cli(cfg.Settings(), select=["FT1"])
    report = Engine(settings).run(sources_of(PC))
    assert report.datasets[0].examples == []  # streaming: nothing retained for FT1
