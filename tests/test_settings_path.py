"""Every command and the Python API take their settings through one path (ftlint.settings.from_options
-> Settings.profile -> ftlint.engine.build_engine): a config whose [targets] overrides change a
finding changes it in each of them. `ftlint report` and `ftlint targets` used to ignore them."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import ftlint
from ftlint import settings as cfg
from ftlint.cli import main
from ftlint.engine import build_engine

TARGET = "llama3-1-8b"  # built in: 100-10,000 records, 16,000 tokens, prompt-completion
CONFIG = f"""
[targets.{TARGET}]
total-min = 10          # relaxed: 20 records are enough (FT601 is gone)
max-total-tokens = 30   # tightened: line 20 is too long (FT602)
model-id = "meta.llama3-1-8b-instruct-v1:0"

[targets.titan-express]
formats = ["bedrock-conversation"]
"""
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november".split()


def _rows() -> list[dict]:
    rows = [{"prompt": f"Ticket {i}: {WORDS[i % 14]} {WORDS[(i * 5) % 14]} fails", "completion": f"Answer {i}."}
            for i in range(19)]
    rows.append({"prompt": "A long question about " + " ".join(WORDS), "completion": "It covers " + " ".join(WORDS[::-1]) + "."})
    return rows


@pytest.fixture
def case(tmp_path, jsonl):
    data = jsonl(_rows())
    config = tmp_path / "ftlint.toml"
    config.write_text(CONFIG)
    return data, config


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _codes(payload: dict) -> set[str]:
    return {f["code"] for f in payload["findings"]}


def test_settings_carry_the_overrides_to_the_engine(case):
    _, config = case
    settings = cfg.from_options(config, target=TARGET)
    assert build_engine(settings).target.total_min == 10
    assert build_engine(cfg.from_options(None, discover=False, target=TARGET)).target.total_min == 100


def test_check_honours_the_override(case):
    data, config = case
    plain = json.loads(run("check", data, "--target", TARGET, "--format", "json", "--no-cache").output)
    mine = json.loads(run("check", data, "--target", TARGET, "--format", "json", "--no-cache",
                          "--config", config).output)
    assert "FT601" in _codes(plain) and "FT602" not in _codes(plain)
    assert "FT601" not in _codes(mine) and [f["line"] for f in mine["findings"] if f["code"] == "FT602"] == [20]


def test_python_api_honours_the_override(case):
    data, config = case
    report = ftlint.check(data, target=TARGET, config=config)
    assert {f.code for f in report.findings} >= {"FT602"} and "FT601" not in {f.code for f in report.findings}
    fixed = ftlint.fix(data, target=TARGET, config=config)
    assert fixed.dropped.get("FT602") == 1
    split = ftlint.split(data, data.parent / "api-split", target=TARGET, config=config, drop_invalid=True)
    assert split.counts["rejected"] == 1


def test_report_honours_the_override(case, tmp_path):
    data, config = case
    run("report", data, "--target", TARGET, "-o", tmp_path / "plain.html")
    run("report", data, "--target", TARGET, "--config", config, "-o", tmp_path / "mine.html")
    plain, mine = (tmp_path / "plain.html").read_text(), (tmp_path / "mine.html").read_text()
    assert "FT601" in plain and "FT602" not in plain
    assert "FT602" in mine and "FT601" not in mine


def test_stats_honours_the_override(case):
    data, config = case
    plain = json.loads(run("stats", data, "--target", TARGET, "--format", "json").output)["files"][0]["findings"]
    mine = json.loads(run("stats", data, "--target", TARGET, "--format", "json", "--config", config)
                      .output)["files"][0]["findings"]
    assert "FT601" in plain and "FT602" not in plain
    assert mine.get("FT602") == 1 and "FT601" not in mine


def test_split_honours_the_override(case, tmp_path):
    data, config = case
    refused = run("split", data, "--target", TARGET, "--drop-invalid", "--out", tmp_path / "plain")
    assert refused.exit_code == 1 and "at least 100" in refused.output
    r = run("split", data, "--target", TARGET, "--drop-invalid", "--out", tmp_path / "mine", "--config", config)
    assert r.exit_code == 0, r.output
    rejected = [json.loads(x) for x in (tmp_path / "mine" / "rejected.jsonl").read_text().splitlines()]
    assert [(x["line"], x["codes"]) for x in rejected] == [(20, ["FT602"])]


def test_fix_honours_the_override(case, tmp_path):
    data, config = case
    run("fix", data, "--target", TARGET, "-o", tmp_path / "plain.jsonl")
    run("fix", data, "--target", TARGET, "-o", tmp_path / "mine.jsonl", "--config", config)
    assert len((tmp_path / "plain.jsonl").read_text().splitlines()) == 20
    assert len((tmp_path / "mine.jsonl").read_text().splitlines()) == 19
    assert "FT602" in (tmp_path / "mine.rejected.jsonl").read_text()


def test_review_honours_the_override(case, tmp_path):
    data, config = case
    run("review", data, "--target", TARGET, "-o", tmp_path / "plain.csv")
    run("review", data, "--target", TARGET, "-o", tmp_path / "mine.csv", "--config", config)
    assert "FT602" not in (tmp_path / "plain.csv").read_text()
    assert re.search(r"^20,(?:\S+ )*FT602\b", (tmp_path / "mine.csv").read_text(), re.M)


def test_convert_honours_the_override(case, tmp_path):
    data, config = case
    run("convert", data, "--target", "titan-express", "-o", tmp_path / "plain.jsonl")
    run("convert", data, "--target", "titan-express", "-o", tmp_path / "mine.jsonl", "--config", config)
    assert "prompt" in json.loads((tmp_path / "plain.jsonl").read_text().splitlines()[0])
    assert "messages" in json.loads((tmp_path / "mine.jsonl").read_text().splitlines()[0])


def test_targets_honours_the_override(case):
    _, config = case
    plain = json.loads(run("targets", TARGET, "--format", "json").output)["figures"]
    mine = json.loads(run("targets", TARGET, "--format", "json", "--config", config).output)["figures"]
    assert plain["total-min"]["value"] == 100 and plain["max-total-tokens"]["value"] == 16000
    assert mine["total-min"] == {"value": 10, "source": str(config), "uncertain": False}
    assert mine["max-total-tokens"]["value"] == 30
    text = run("targets", TARGET, "--config", config).output
    assert re.search(rf"total-min\s+10\s+\({re.escape(str(config))}\)", text)
    listing = run("targets", "--config", config).output
    assert re.search(rf"^{TARGET}\s.*10-10,000 records\s+30 tokens", listing, re.M)


def test_job_honours_the_override(case, tmp_path):
    pytest.importorskip("botocore")
    _, config = case
    args = ("job", "--target", TARGET, "--train", "s3://bucket/data/train.jsonl", "--job-name", "tickets-1",
            "--role-arn", "arn:aws:iam::123456789012:role/BedrockFineTuning")
    run(*args, "-o", tmp_path / "plain.json")
    run(*args, "-o", tmp_path / "mine.json", "--config", config)
    assert json.loads((tmp_path / "plain.json").read_text())["baseModelIdentifier"].endswith(":128k")
    assert json.loads((tmp_path / "mine.json").read_text())["baseModelIdentifier"] == "meta.llama3-1-8b-instruct-v1:0"
