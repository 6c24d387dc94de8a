"""FT306 likely-mislabeled: confident learning over out-of-fold probabilities, its guards, and its fix."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from conftest import FIXTURES

import ftlint
from ftlint.artifacts.label_noise import confident_learning

FOLDER = FIXTURES / "rules" / "FT306"
SMALL = 50  # the fixtures have 200 records, under the default min-records


def _probs(rows: list[list[float]]) -> np.ndarray:
    p = np.array(rows, dtype=float)
    return p / p.sum(axis=1, keepdims=True)


def test_confident_learning_flags_the_record_whose_label_is_unlikely():
    # 6 records of class 0 and 6 of class 1, predicted confidently; record 3 is labelled 0 but
    # predicted 1 with certainty
    y = np.array([0] * 6 + [1] * 6)
    probs = _probs([[0.9, 0.1]] * 3 + [[0.02, 0.98]] + [[0.9, 0.1]] * 2 + [[0.1, 0.9]] * 6)
    flagged, estimated = confident_learning(y, probs)
    assert list(flagged) == [3]
    assert estimated == 1


def test_a_record_the_model_still_predicts_as_its_label_is_not_flagged():
    y = np.array([0] * 6 + [1] * 6)
    probs = _probs([[0.55, 0.45]] * 6 + [[0.1, 0.9]] * 6)
    flagged, _ = confident_learning(y, probs)
    assert list(flagged) == []


def test_estimated_count_is_cleanlabs_calibrated_off_diagonal():
    count = pytest.importorskip("cleanlab.count")
    rng = np.random.default_rng(3)
    y = rng.integers(0, 4, 400)
    logits = rng.normal(size=(400, 4))
    logits[np.arange(400), y] += 2.0
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    _, estimated = confident_learning(y, probs)
    assert estimated == count.num_label_issues(y, probs, estimation_method="off_diagonal_calibrated")


def test_flipped_labels_are_found_with_the_suggested_label():
    report = ftlint.check(FOLDER / "trigger.jsonl", select=["FT306"], options={"FT306": {"min-records": SMALL}})
    expected = json.loads((FOLDER / "expected.json").read_text())["lines"]
    assert [f.line for f in report.findings] == expected
    rows = (FOLDER / "clean.jsonl").read_text().splitlines()
    for f in report.findings:
        truth = json.loads(rows[f.line - 1])["output"]
        assert f.data["suggested"] == truth
        assert f.data["label"] != truth
        assert f"suggests {truth!r}" in f.message


def _random_labels(tmp_path, n=300):
    rng = random.Random(7)
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    path = tmp_path / "random.jsonl"
    path.write_text("".join(json.dumps({"input": " ".join(rng.choices(words, k=8)), "output": f"c{rng.randint(0, 3)}"})
                            + "\n" for _ in range(n)))
    return path


def test_labels_the_text_cannot_predict_are_not_judged(tmp_path):
    # a weak model's disagreements are its own errors: no findings below min-accuracy
    path = _random_labels(tmp_path)
    assert ftlint.check(path, select=["FT306"], options={"FT306": {"min-records": SMALL}}).findings == []
    loose = ftlint.check(path, select=["FT306"], options={"FT306": {"min-accuracy": 0.0, "min-records": SMALL}}).findings
    assert loose, "without the guard the same file is full of findings"


def test_small_files_are_not_judged():
    report = ftlint.check(FOLDER / "trigger.jsonl", select=["FT306"], options={"FT306": {"min-records": 100_000}})
    assert report.findings == []


def test_large_files_are_judged_on_a_sample_and_say_so():
    report = ftlint.check(FOLDER / "trigger.jsonl", select=["FT306"], options={"FT306": {"max-records": 150, "min-records": SMALL}})
    assert all("sample of 150 of 200 records" in f.message for f in report.findings)


@pytest.mark.parametrize("mode", ["relabel", "drop"])
def test_fix_relabels_or_drops_on_request(tmp_path, mode):
    out = tmp_path / "out.jsonl"
    result = ftlint.fix(FOLDER / "trigger.jsonl", out, select=["FT306"], options={"FT306": {"fix": mode, "min-records": SMALL}})
    expected = json.loads((FOLDER / "expected.json").read_text())["lines"]
    clean = [json.loads(x) for x in (FOLDER / "clean.jsonl").read_text().splitlines()]
    kept = [json.loads(x) for x in out.read_text().splitlines()]
    if mode == "relabel":
        assert kept == clean
        assert result.changed == {"FT306": len(expected)}
    else:
        assert kept == [r for i, r in enumerate(clean, 1) if i not in expected]
        assert result.dropped == {"FT306": len(expected)}


def test_fix_leaves_records_alone_by_default(tmp_path):
    out = tmp_path / "out.jsonl"
    result = ftlint.fix(FOLDER / "trigger.jsonl", out, select=["FT306"], options={"FT306": {"min-records": SMALL}})
    assert out.read_text() == (FOLDER / "trigger.jsonl").read_text()
    assert result.changed == {} and result.dropped == {}
