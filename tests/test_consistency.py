"""FT5: dates, JSON structure, placeholders, templates."""
from __future__ import annotations

import ftlint
from ftlint.rules.consistency import _affixes, _date_formats


def test_date_formats():
    assert _date_formats("due 2024-03-05") == {"ISO (2024-03-05)"}
    assert _date_formats("due 25/03/2024") == {"slash day first (25/03/2024)"}
    assert _date_formats("due 03/25/2024") == {"slash month first (03/25/2024)"}
    assert _date_formats("on March 5, 2024 and 5 March 2024") == {"written month first (March 5, 2024)",
                                                                  "written day first (5 March 2024)"}
    assert _date_formats("version 1.2.3 costs 12/month in 2024") == set()


def test_undecided_slash_dates_follow_the_known_order():
    rows = [{"prompt": f"When {i}?", "completion": f"On {d}."} for i, d in
            enumerate(["25/03/2024", "14/02/2024", "03/04/2024", "19/11/2023"])]
    assert not ftlint.check(rows, select=["FT501"]).findings


def test_placeholder_spellings_are_listed_and_completions_ignored():
    rows = [{"instruction": "Do it.", "input": "N/A", "output": "Done."},
            {"instruction": "Do it again.", "input": "n/a", "output": "None"},
            {"instruction": "And again.", "input": "", "output": "Done."}]
    found = ftlint.check(rows, select=["FT503"]).findings
    assert [f.line for f in found] == [1, 2]
    assert "2 ways" in found[0].message


def test_affixes():
    assert _affixes("Question: Where?\n\nAnswer:") == ("Question:", "\nAnswer:")
    assert _affixes("Where is my order?") == ("", "")
    assert _affixes("Summarise this\n\n###\n\n") == ("", "\n\n###\n\n")


def test_natural_prompts_have_no_template_to_break():
    rows = [{"prompt": p, "completion": "Sure."} for p in
            ["Where is my order?", "Urgent: refund me", "Can I pay later?", "Hi, the app crashes.", "Thanks!"]]
    assert not ftlint.check(rows, select=["FT504"]).findings


def test_json_minority_in_plain_text_is_not_flagged():
    rows = [{"prompt": f"Q{i}", "completion": f"A plain answer number {i}."} for i in range(9)]
    rows.append({"prompt": "Q9", "completion": '{"example": "payload"}'})
    assert not ftlint.check(rows, select=["FT502"]).findings
