"""FT4: the edge cases of the edge-case rules."""
from __future__ import annotations

import ftlint
from ftlint.rules.answer_shape import repetition, truncation


def test_truncation_judges_open_ended_text_only():
    assert truncation("Open the page and follow the link we send to", 8, False)
    assert truncation("Here:\n```python\nprint(1)\n", 8, False)
    assert truncation("Call it as f(x, y", 1, False)
    assert truncation("1) first 2) second 3) third and then stop here.", 8, False) is None  # extra closers
    assert truncation("Yes", 8, True) is None  # short answers need no period
    assert truncation("It works fine on every platform we support today", 8, False) is None
    assert truncation("It works fine on every platform we support today", 8, True)


def test_classification_labels_are_never_truncated():
    rows = [{"input": f"Ticket {i} about money", "output": "billing" if i % 2 else "technical_issue"} for i in range(20)]
    assert not ftlint.check(rows, select=["FT405"]).findings


def test_degenerate_phrase_and_sentence():
    assert repetition("no no no no no no no no no", 4)
    assert repetition("Thanks for asking. I can help. Thanks for asking. Thanks for asking.", 4)
    assert repetition("The order ships today and the invoice follows by email on Monday.", 4) is None


def _messages(rows, code):
    return [(f.line, f.message) for f in ftlint.check(rows, select=[code]).findings]


def test_degenerate_reports_the_natural_unit_and_the_true_count():
    rows = [{"prompt": "I'm hungry.", "completion": "Eat a banana!" * 2000},
            {"prompt": "Help?", "completion": "Call us. " + "Please contact support. " * 7}]
    (first, second) = ftlint.check(rows, select=["FT407"]).findings
    assert (first.data["phrase"], first.data["repeats"]) == ("Eat a banana!", 2000)
    assert "repeats 'Eat a banana!' 2000 times" in first.message
    assert (second.data["phrase"], second.data["repeats"]) == ("Please contact support.", 7)


def test_degenerate_leaves_label_enumerations_and_code_alone():
    nums = ", ".join(str(i) for i in range(1, 13))
    animals = "shark, dolphin, whale, seal, cod, tuna, cat, trout, salmon, eel"
    rows = [{"prompt": f"Classify each number as even or odd: {nums}", "completion": ", ".join(["odd", "even"] * 6)},
            {"prompt": f"Which of these live in water? {animals}",
             "completion": "'water', 'water', 'water', 'water', 'water', 'water', 'not water', 'water', 'water', 'water'"},
            {"prompt": "Create an array of 24 zeros.", "completion": "arr = [" + ", ".join(["0"] * 24) + "]"},
            {"prompt": "Six rows of two cells", "completion": "<div>\n" + '  <div class="cell"></div>\n' * 12 + "</div>"},
            {"prompt": "How far did Billy run?", "completion": "Billy ran 6 miles because 1 plus 1 plus 1 plus 1 plus 1 "
             "plus 1 equals 6, and Tiffany ran 7 miles because 2 plus 2 plus 2 plus 1/3 plus 1/3 plus 1/3 equals 7, "
             "so Billy has to run 1 mile on Saturday to tie her."}]
    assert _messages(rows, "FT407") == []
    # the same label list without a list in the prompt is a loop
    assert _messages([{"prompt": "Is 7 even or odd?", "completion": ", ".join(["odd", "even"] * 6)}], "FT407")


def test_truncation_accepts_lists_and_code():
    prose = [{"prompt": f"Question {i}?", "completion": f"This is complete answer number {i} with enough words."}
             for i in range(12)]  # a file whose completions end with punctuation: the gate is on
    rows = prose + [
        {"prompt": "Name five renewable energy sources.", "completion": "Five renewable energy sources are:\n"
         "1. Solar energy\n2. Wind energy\n3. Hydropower\n4. Geothermal energy\n5. Biomass energy"},
        {"prompt": "Which areas?", "completion": "In 2021 Uber derived 23% of its bookings from five areas. They are:\n\n"
         "- Chicago, United States\n- Miami, United States\n- London, United Kingdom"},
        {"prompt": "Stand on or sit on?", "completion": "These are the answers for each of them:\nSled: Sit On\n"
         "Snowboard: Stand On\nSkis: Stand On"},
        {"prompt": "Write a function.", "completion": "Here is the function you asked for, in Python:\n"
         "```python\ndef inc(x):\n    return (x + 1\n```"},
        {"prompt": "Reverse the sentence.", "completion": "dog lazy the over jumped fox brown quick The"},
        {"prompt": "How long is her hair?", "completion": 'Her hair was 24" long and she cut 12" off, '
         "so she has 12 inches left."},
        {"prompt": "Bubble sort?", "completion": "def sort(arr):\n    n = len(arr)\n    for i in range(n):\n"
         "        print(arr[i]),"},
    ]
    rows += [{"prompt": "Nice?", "completion": "It's a pleasant thought isn't it\nI think so"},
             {"prompt": "Music?", "completion": "I get that from rap music or something like that"},
             {"prompt": "Candy?", "completion": "You deserve to treat yourself to a jolly rancher (:"}]
    assert _messages(rows, "FT405") == []
    cut = prose + [{"prompt": "Steps?", "completion": "1. Open the sign-in page\n2. Choose Forgot password and "
                    "follow the link we send to"},
                   {"prompt": "Why?", "completion": "Because the link we send expires after one hour and then the"},
                   {"prompt": "Call?", "completion": "Call it with the two values as f(x, y and read the result back."}]
    assert [line for line, _ in _messages(cut, "FT405")] == [13, 14, 15]


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


def test_median_is_numpys():
    import numpy as np

    from ftlint.rules.edge_cases import histogram, median, median_of

    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 4, 5, 10, 11, 240, 1001):
        for values in (rng.integers(1, 5000, n), np.log(rng.integers(1, 5000, n).astype(np.float64)),
                       rng.normal(size=n), np.full(n, 7), rng.integers(1, 9, n)):
            assert median(values) == float(np.median(values))
            # the median of a histogram (what the Spark engine aggregates) is the same float
            assert median_of(*histogram(values)) == median(values)
