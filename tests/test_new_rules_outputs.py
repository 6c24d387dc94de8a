"""The issue-23 rules (FT111, FT306, FT307, FT411, FT412, FT506, FT507) reach every output a person
reads: the HTML report, `ftlint stats` and `ftlint review`."""
from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import FIXTURES

from ftlint.cli import main

CASES = {"FT111": "trigger.jsonl", "FT306": "trigger.jsonl", "FT411": "trigger.jsonl", "FT412": "trigger.jsonl",
         "FT506": "trigger.jsonl", "FT507": "trigger.jsonl"}


def test_each_rule_shows_in_the_html_report_stats_and_review(tmp_path):
    runner = CliRunner()
    # the FT306 fixture has 200 records, under FT306's default min-records
    config = tmp_path / "ftlint.toml"
    config.write_text("[tool.ftlint.rules.FT306]\nmin-records = 50\n", encoding="utf-8")
    for code, name in CASES.items():
        src = tmp_path / f"{code}.jsonl"
        shutil.copy(FIXTURES / "rules" / code / name, src)
        html = tmp_path / f"{code}.html"
        r = runner.invoke(main, ["report", str(src), "-o", str(html), "--select", code, "--config", str(config)])
        assert r.exit_code in (0, 1), r.output
        assert code in html.read_text(encoding="utf-8")
        r = runner.invoke(main, ["stats", str(src), "--format", "json", "--config", str(config)])
        assert json.loads(r.output)["files"][0]["findings"].get(code), (code, r.output[:500])
        sheet = tmp_path / f"{code}.csv"
        r = runner.invoke(main, ["review", str(src), "-o", str(sheet), "--select", code, "--config", str(config)])
        assert r.exit_code in (0, 1), r.output
        assert code in sheet.read_text(encoding="utf-8")


def test_split_shift_shows_in_the_html_report(tmp_path):
    folder = FIXTURES / "rules" / "FT307"
    html = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", str(folder / "trigger.jsonl"), "--validation", str(folder / "val.jsonl"),
                                  "-o", str(html), "--select", "FT307"])
    assert r.exit_code in (0, 1), r.output
    assert "FT307" in html.read_text(encoding="utf-8")
