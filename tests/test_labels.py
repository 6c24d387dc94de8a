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


def _counts_rows(counts):
    return _io([(f"utterance {i} for {label}", label) for label, n in counts.items() for i in range(n)])


def test_imbalance_spread_over_many_labels():
    # CLINC150's imbalanced variant: whole quarters of its 150 intents at 25, 50, 75 and 100 examples
    clinc = {f"intent_{k}": (25, 50, 75, 100)[k % 4] for k in range(150)}
    (found,) = ftlint.check(_counts_rows(clinc), select=["FT301"]).findings
    assert found.data["spread"] == 4.0 and found.data["p10_count"] == 25 and found.data["p90_count"] == 100
    # Banking77's training split: 35 to 187 examples (5.3x max/min) but 90% of the intents within 1.8x
    banking = [35, 41, 59, 61, 82, 86, 87, 95, 97, 97, 98, 102, 103, 104, 105, 106, 108, 110, 111, 112, 112, 112,
               113, 113, 114, 114, 115, 118, 120, 121, 121, 121, 121, 121, 122, 126, 126, 126, 127, 128, 129, 129,
               129, 129, 133, 135, 137, 139, 143, 145, 146, 148, 149, 153, 153, 156, 157, 159, 159, 160, 161, 162,
               163, 166, 167, 168, 169, 171, 171, 172, 173, 175, 177, 180, 181, 182, 187]
    assert not ftlint.check(_counts_rows({f"intent_{k}": n for k, n in enumerate(banking)}), select=["FT301"]).findings
    # few labels: largest over smallest, as before
    assert ftlint.check(_counts_rows({"billing": 40, "cancellation": 10}), select=["FT301"]).findings
    assert not ftlint.check(_counts_rows({"billing": 30, "cancellation": 10}), select=["FT301"]).findings


def test_number_variants_are_warnings():
    rows = _counts_rows({"refund": 40, "refunds": 5, "delivery": 30, "deliveries": 4, "billing": 20})
    found = ftlint.check(rows, select=["FT303"]).findings
    assert {(f.data["label"], f.data["keep"], f.severity.value) for f in found} == {
        ("refunds", "refund", "warning"), ("deliveries", "delivery", "warning")}
    assert len(found) == 9 and "differs from 'refund' (40 records) only in number" in found[0].message
    # a spelling variant of the same group stays an error and is reported once
    rows = _counts_rows({"refund": 40, "Refund ": 2, "refunds": 5})
    by_label = {f.data["label"]: f.severity.value for f in ftlint.check(rows, select=["FT303"]).findings}
    assert by_label == {"Refund ": "error", "refunds": "warning"}


def test_number_variants_on_distinct_words_are_not_reported():
    rows = _counts_rows({"status": 20, "bus": 20, "news": 20, "new": 20, "card_arrival": 20, "cards": 20})
    assert not ftlint.check(rows, select=["FT303"]).findings


def test_fix_rewrites_number_variants_only_when_ft303_is_an_error(tmp_path):
    from conftest import write_jsonl

    path = write_jsonl(tmp_path / "d.jsonl", _counts_rows({"refund": 12, "refunds": 3, "billing": 12}))
    as_is = ftlint.fix(path, select=["FT303"]).curated
    assert [k.obj["output"] for k in as_is.kept].count("refunds") == 3 and not as_is.changed
    promoted = ftlint.fix(path, select=["FT303"], options={"FT303": {"severity": "error"}}).curated
    assert [k.obj["output"] for k in promoted.kept].count("refund") == 15 and not promoted.rejected
