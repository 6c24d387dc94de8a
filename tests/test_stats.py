"""`ftlint stats`: text table and JSON, labels, percentiles and finding counts."""
from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import SAMPLES

from ftlint.cli import main


def test_stats_json_has_labels_lengths_and_findings():
    result = CliRunner().invoke(main, ["stats", str(SAMPLES / "support_tickets.jsonl"), "--validation",
                                       str(SAMPLES / "support_tickets_dirty.jsonl"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    train, val = data["files"]
    assert train["labels"]["counts"]["technical_issue"] == 44 and train["labels"]["distinct"] == 6
    assert train["lengths"]["prompt_chars"]["50%"] == 79.0
    assert train["records"] == 240 and train["findings"] == {}
    assert val["role"] == "validation" and val["findings"]["FT303"] == 4


def test_stats_text_table():
    result = CliRunner().invoke(main, ["stats", str(SAMPLES / "product_qa.jsonl")])
    assert result.exit_code == 0, result.output
    assert "prompt_chars" in result.output and "95%" in result.output and "labels" not in result.output


def test_stats_missing_file_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
