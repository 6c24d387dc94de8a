"""FT3 and the labels artifact: detection, variants, pair rules."""
from __future__ import annotations

import ftlint
from ftlint.artifacts.labels import looks_like_classification, variant_key


def test_variant_key_merges_case_space_and_separators():
    assert variant_key("Technical_Bug") == variant_key("technical bug") == variant_key("Technical-Bug ")
    assert variant_key("billing") != variant_key("billings")


def test_open_ended_completions_are_not_labels():
    answers = [f"Order {i} ships on Monday." for i in range(30)]
    assert not looks_like_classification(answers)
    assert looks_like_classification(["billing", "cancellation"] * 10)
    # short answers that are all different (facts) are not classes either
    assert not looks_like_classification([f"Paris {i}" for i in range(20)])


def _io(pairs):
    return [{"input": i, "output": o} for i, o in pairs]


def test_label_field_none_turns_the_rules_off():
    rows = _io([(f"charged twice {i}", "billing") for i in range(12)] + [("close it", "cancellation")])
    assert ftlint.check(rows, select=["FT301"]).findings
    assert not ftlint.check(rows, select=["FT301"], options={"FT301": {"label-field": "none"}}).findings


def test_explicit_label_key_wins_over_open_ended_outputs():
    rows = [{"input": f"Text number {i} about things", "output": f"A long answer number {i}.", "label": lab}
            for i, lab in enumerate(["spam"] * 12 + ["ham"])]
    found = ftlint.check(rows, select=["FT301"]).findings
    assert found and found[0].data["smallest"] == "ham"


def test_imbalance_counts_variants_as_one_label():
    rows = _io([(f"charge {i}", "billing") for i in range(6)] + [(f"cancel {i}", "cancellation") for i in range(5)]
               + [("refund", "Billing")])
    assert not ftlint.check(rows, select=["FT301"]).findings
    assert [f.line for f in ftlint.check(rows, select=["FT303"]).findings] == [12]


def test_drift_needs_significance(tmp_path):
    # a 4-record validation file that differs by 0.25 is sampling noise at the default p-value
    train = _io([(f"charge {i}", "billing") for i in range(10)] + [(f"cancel {i}", "cancellation") for i in range(10)])
    val = _io([("a charge", "billing"), ("b charge", "billing"), ("c charge", "billing"), ("x cancel", "cancellation")])
    assert not ftlint.check(train, validation=val, select=["FT305"]).findings
    found = ftlint.check(train, validation=val, select=["FT305"], options={"FT305": {"max-p-value": 1.0}}).findings
    assert found and found[0].data["distance"] == 0.25
