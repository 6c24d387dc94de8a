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


def test_stats_edge_case_shares_say_what_they_count():
    """Each share is a line with what it counts; 'any' names the categories it joins (and that
    borderline is not one), so 'borderline 60%' next to 'any 34%' no longer reads as a contradiction."""
    result = CliRunner().invoke(main, ["stats", str(SAMPLES / "support_tickets.jsonl")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "a record can be in several, so the shares do not add up" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("    ") and "%" in line
            and not line.strip()[0].isdigit()}
    assert "nearest neighbour (TF-IDF) carries another label" in rows["borderline"]
    assert "at most a third of the median length" in rows["short"]
    assert "in at least one of short, long, numbers, code, non-latin (borderline not counted)" in rows["any"]
    data = json.loads(CliRunner().invoke(main, ["stats", str(SAMPLES / "support_tickets.jsonl"), "--format",
                                                "json"]).output)
    shares = data["files"][0]["edge_cases"]
    assert f"{shares['any']:.1%}" in rows["any"] and f"{shares['borderline']:.1%}" in rows["borderline"]
