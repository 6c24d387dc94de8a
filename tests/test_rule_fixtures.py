"""One data-driven fixture per rule: tests/fixtures/rules/<CODE>/ holds trigger.jsonl (with the
lines that must fire in expected.json) and clean.jsonl (must not fire). Removing a rule, or
breaking it, fails its case here."""
from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

import ftlint
from ftlint.rules import REGISTRY

CASES = sorted(p.name for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def _run(code: str, name: str):
    folder = FIXTURES / "rules" / code
    spec = json.loads((folder / "expected.json").read_text())
    validation = folder / spec["validation"] if spec.get("validation") and name == "trigger" else None
    if name == "clean" and spec.get("clean_validation"):
        validation = folder / spec["clean_validation"]
    # a rule about the target itself (FT612) needs another target for its clean case
    target = spec.get("clean_target", spec.get("target")) if name == "clean" else spec.get("target")
    report = ftlint.check(folder / f"{name}.jsonl", validation=validation, select=[code],
                          options=spec.get("options"), target=target,
                          dataset_format=spec.get("dataset_format"))
    return spec, [f for f in report.findings if f.code == code]


@pytest.mark.parametrize("code", CASES)
def test_trigger_fires_on_expected_lines(code):
    spec, found = _run(code, "trigger")
    assert found, f"{code} did not fire on its trigger fixture"
    assert sorted({f.line for f in found}, key=lambda x: (x is None, x or 0)) == spec["lines"]


@pytest.mark.parametrize("code", CASES)
def test_clean_does_not_fire(code):
    _, found = _run(code, "clean")
    assert found == [], [f.message for f in found]


def test_every_rule_has_a_fixture():
    missing = sorted(set(REGISTRY) - set(CASES))
    assert not missing, f"rules without tests/fixtures/rules/<CODE>/: {missing}"
