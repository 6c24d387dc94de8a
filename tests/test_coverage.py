"""FT4: the edge cases of the edge-case rules."""
from __future__ import annotations

import ftlint
from ftlint.rules.coverage import _degenerate, _truncation


def test_truncation_judges_open_ended_text_only():
    assert _truncation("Open the page and follow the link we send to", 8, False)
    assert _truncation("Here:\n```python\nprint(1)\n", 8, False)
    assert _truncation("Call it as f(x, y", 1, False)
    assert _truncation("1) first 2) second 3) third and then stop here.", 8, False) is None  # extra closers
    assert _truncation("Yes", 8, True) is None  # short answers need no period
    assert _truncation("It works fine on every platform we support today", 8, False) is None
    assert _truncation("It works fine on every platform we support today", 8, True)


def test_classification_labels_are_never_truncated():
    rows = [{"input": f"Ticket {i} about money", "output": "billing" if i % 2 else "technical_issue"} for i in range(20)]
    assert not ftlint.check(rows, select=["FT405"]).findings


def test_degenerate_phrase_and_sentence():
    assert _degenerate("no no no no no no no no no", 4)
    assert _degenerate("Thanks for asking. I can help. Thanks for asking. Thanks for asking.", 4)
    assert _degenerate("The order ships today and the invoice follows by email on Monday.", 4) is None


def test_length_outlier_keeps_natural_spread_and_flags_the_extreme():
    rows = [{"prompt": f"Where is my order number {i} please?", "completion": "It ships today."} for i in range(30)]
    rows[5]["prompt"] = "Refund?"  # short but not extreme: an edge case, not an outlier
    rows[9]["prompt"] = "log " * 2000
    lines = [f.line for f in ftlint.check(rows, select=["FT401"]).findings]
    assert lines == [10]


def test_edge_case_minimum_is_silent_until_declared():
    rows = [{"prompt": f"Where is my order, please? {'x' * (i % 7)}", "completion": "It ships today."} for i in range(20)]
    assert not ftlint.check(rows, select=["FT410"]).findings
    found = ftlint.check(rows, select=["FT410"], options={"FT410": {"numbers": 0.1, "short": 0.5}}).findings
    assert sorted(f.data["category"] for f in found) == ["numbers", "short"]
    assert all(f.severity.value == "error" for f in found)


def test_too_few_examples_is_opt_in():
    rows = [{"prompt": "Where?", "completion": "Here."}] * 3
    assert not [f for f in ftlint.check(rows).findings if f.code == "FT404"]
    assert [f.code for f in ftlint.check(rows, extend_select=["FT404"]).findings if f.code == "FT404"] == ["FT404"]
