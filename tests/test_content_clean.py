"""False alarms: the FT3/FT4/FT5 rules stay silent on the clean sample data, on a balanced varied
classification set, and raise no error on the conformance check's 30 records."""
from __future__ import annotations

import json

import pytest
from conftest import SAMPLES

import ftlint
from ftlint.rules import REGISTRY

MINE = sorted(c for c in REGISTRY if c[:3] in ("FT3", "FT4", "FT5"))
CLEAN = ["support_tickets.jsonl", "product_qa.jsonl", "support_chat_claude.jsonl", "support_chat_nova.jsonl"]
# every clean sample has at least 100 records, so not even FT404's advice applies
GENUINE: dict[str, list] = {}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_have_no_content_findings(name):
    report = ftlint.check(SAMPLES / name, select=MINE)
    assert [(f.code, f.line) for f in report.findings] == GENUINE.get(name, [])


def test_clean_tickets_as_validation_of_themselves_have_no_split_findings():
    path = SAMPLES / "support_tickets.jsonl"
    report = ftlint.check(path, validation=path, select=MINE)
    assert report.findings == []


def test_balanced_varied_classification_set_is_silent(tmp_path):
    rows = [json.loads(x) for x in (SAMPLES / "support_tickets.jsonl").read_text().splitlines()]
    by_label: dict[str, list] = {}
    for r in rows:
        by_label.setdefault(r["output"], []).append(r)
    balanced = [r for label in sorted(by_label)[:4] for r in by_label[label][:30]]
    train, val = tmp_path / "train.jsonl", tmp_path / "val.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for i, r in enumerate(balanced) if i % 5))
    val.write_text("".join(json.dumps(r) + "\n" for i, r in enumerate(balanced) if not i % 5))
    # FT404 left out: the 24-record validation file is genuinely under its 100-record advice
    report = ftlint.check(train, validation=val, select=[c for c in MINE if c != "FT404"])
    assert [(f.code, f.path, f.line) for f in report.findings] == []


def test_conformance_records_raise_no_error(tmp_path):
    rows = [{"prompt": f"Where is order {i}?", "completion": f"Order {i} ships on Monday."} for i in range(30)]
    path = tmp_path / "good.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = ftlint.check(path, select=MINE)
    assert report.exit_code == 0
    assert [f.code for f in report.findings] == ["FT404"]  # 30 records: genuine advice, info level


def test_dirty_tickets_label_variants_are_found():
    report = ftlint.check(SAMPLES / "support_tickets_dirty.jsonl", select=["FT303"])
    found = {(f.code, f.line, f.data["keep"]) for f in report.findings if f.code == "FT303"}
    assert {("FT303", 26, "billing"), ("FT303", 105, "billing"), ("FT303", 166, "technical_issue")} <= found
    assert len(found) == 4


def test_dirty_product_qa_planted_lines_and_nothing_else():
    report = ftlint.check(SAMPLES / "product_qa_dirty.jsonl", select=MINE)
    assert [(f.code, f.line) for f in report.findings] == [
        ("FT503", 6), ("FT405", 14), ("FT501", 23), ("FT407", 34), ("FT401", 45), ("FT405", 56)]
