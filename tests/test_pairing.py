"""Training and held-out files passed side by side (as pre-commit passes them) are paired by name
and checked as a split: the planted leaks of sample_data/support_tickets_val.jsonl are found
without --validation; --no-pair-splits and `pair-splits = false` check them apart."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from ftlint import pairing
from ftlint.cli import main


def run(*args):
    return CliRunner().invoke(main, [*map(str, args), "--no-cache"])


@pytest.mark.parametrize("paths, expected", [
    (["d/train.jsonl", "d/validation.jsonl"], [(0, [1])]),
    (["d/val.jsonl", "d/train.jsonl", "d/test.jsonl"], [(1, [0, 2])]),
    (["x/tickets.jsonl", "x/tickets_val.jsonl", "x/tickets-test.jsonl", "x/tickets.validation.jsonl"],
     [(0, [1, 2, 3])]),
    (["x/tickets_train.jsonl", "x/tickets_validation.jsonl.gz", "x/tickets_dev.jsonl"], [(0, [1, 2])]),
    (["x/TICKETS.jsonl", "x/tickets_VAL.jsonl"], [(0, [1])]),
    (["a/tickets.jsonl", "b/tickets_val.jsonl"], []),  # other folders: not a pair
    (["x/tickets.jsonl", "x/tickets_dirty.jsonl"], []),
    (["x/tickets_val.jsonl"], []),  # no training file among the paths
    (["x/train.jsonl", "x/other_val.jsonl", "x/other.jsonl"], [(2, [1])]),
    (["-", "x/val.jsonl"], []),
])
def test_groups_by_name(paths, expected):
    assert [(g.train, g.held) for g in pairing.groups(paths)] == expected


@pytest.fixture
def samples(tmp_path, monkeypatch):
    for name in ("support_tickets.jsonl", "support_tickets_val.jsonl", "product_qa.jsonl"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_held_out_file_next_to_its_training_file_is_checked_as_a_split(samples):
    r = run("check", "support_tickets.jsonl", "product_qa.jsonl", "support_tickets_val.jsonl", "--format", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 1, r.output
    assert [(f["path"], f["role"]) for f in doc["files"]] == [
        ("support_tickets.jsonl", "train"), ("product_qa.jsonl", "train"), ("support_tickets_val.jsonl", "validation")]
    leaks = [f for f in doc["findings"] if f["code"] == "FT204"]
    # the 3 planted leaks, then the validation file's per-tier summary (info)
    assert [f["severity"] for f in leaks] == ["error", "warning", "error", "info"], leaks
    assert {f["path"] for f in leaks} == {"support_tickets_val.jsonl"}
    assert "support_tickets_val.jsonl checked as the validation split of support_tickets.jsonl" in r.stderr
    # the same as --validation gives
    explicit = json.loads(run("check", "support_tickets.jsonl", "--validation", "support_tickets_val.jsonl",
                              "--format", "json").stdout)
    assert [f for f in explicit["findings"] if f["code"] == "FT204"] == leaks


def test_pairing_can_be_turned_off(samples):
    for args in (["--no-pair-splits"], ["--config", "ftlint.toml"]):
        (samples / "ftlint.toml").write_text("pair-splits = false\n")
        r = run("check", "support_tickets.jsonl", "support_tickets_val.jsonl", "--format", "json", *args)
        doc = json.loads(r.stdout)
        assert r.exit_code == 0, r.output
        assert {f["role"] for f in doc["files"]} == {"train"} and "checked as the" not in r.stderr
    (samples / "ftlint.toml").write_text('pair-splits = "no"\n')
    r = run("check", "support_tickets.jsonl", "--config", "ftlint.toml")
    assert r.exit_code == 2 and "pair-splits must be true or false" in r.output


def test_explicit_validation_is_not_re_paired(samples):
    r = run("check", "support_tickets.jsonl", "product_qa.jsonl", "--validation", "support_tickets_val.jsonl",
            "--format", "json")
    assert "checked as the" not in r.stderr
