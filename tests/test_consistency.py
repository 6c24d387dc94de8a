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


def _ft505(rows, **options):
    found = ftlint.check(rows, select=["FT505"], options={"FT505": options} if options else None).findings
    return [(f.line, [p["text"] for p in f.data["placeholders"]]) for f in found]


def _notes(n):
    return [{"prompt": f"Write a thank-you note to customer {i}.", "completion": f"Dear customer {i}, thanks for your order."}
            for i in range(n)]


def test_template_leftovers_of_every_kind():
    rows = _notes(20)
    leftovers = ["Dear {customer_name}, thanks.", "Dear {{ name }}, thanks.", "Your key is ${API_KEY}.",
                 "Send it to $CUSTOMER_EMAIL today.", "Dear <CUSTOMER NAME>, thanks.", "Thanks!\n[Your Name]",
                 "[Insert the tracking number here]", "TODO: write the answer", "Lorem ipsum dolor sit amet."]
    for i, text in enumerate(leftovers):
        rows[i]["completion"] = text
    found = _ft505(rows)
    assert [line for line, _ in found] == list(range(1, len(leftovers) + 1))
    assert found[0][1] == ["{customer_name}"] and found[3][1] == ["$CUSTOMER_EMAIL"]


def test_template_leftovers_spare_prose_that_only_looks_like_one():
    rows = _notes(6) + [
        {"prompt": "Build a TODO list app.", "completion": "Start with a list of items and a button to add one."},
        {"prompt": "Which HTML tag breaks a line?", "completion": "Use <BR> or <br>; both work in HTML."},
        {"prompt": "Price of $AAPL?", "completion": "It closed at $5 above its open."},
        {"prompt": "Format a name.", "completion": "Use `'{name}'.format(name=n)` or a fenced block:\n```\nf'{name}'\n```"},
        {"prompt": "Solve it.", "completion": "The set is x^{th} power, \\frac{1}{2} of \\text{cm}."},
        {"prompt": "Template variables, e.g. {{client_name}} in task titles?", "completion": "It is on the roadmap."},
        {"prompt": "How do I sign off?", "completion": "End with a field such as [Your Name] or \"{signature}\"."}]
    assert _ft505(rows) == []


def test_template_leftovers_in_most_records_are_the_design():
    rows = _notes(10)
    for r in rows[:6]:
        r["completion"] = "Dear {customer_name}, thanks for your order."
    assert _ft505(rows) == []
    assert [line for line, _ in _ft505(rows, **{"max-share": 0.7})] == [1, 2, 3, 4, 5, 6]


def test_template_leftovers_not_fired_on_code_answers():
    # a CodeAlpaca-like file: Python answers whose braces are format strings, dicts and sets
    code = [{"instruction": f"Write a function that greets user {i}.", "input": "",
             "output": f"def greet_{i}(name):\n    return f'Hello {{name}}, you are user {i}'"} for i in range(8)]
    code += [{"instruction": "Build a dict.", "input": "keys = ['a']", "output": "d = {key: 0 for key in keys}\n# TODO: more"},
             {"instruction": "Explain str.format.", "input": "", "output": "It replaces {name} with the argument."},
             {"instruction": "Write a note.", "input": "", "output": "Dear [Your Name], welcome."}]
    # braces and TODO are syntax here, even in the prose answer; a bracket slot is still a leftover
    assert _ft505(code) == [(11, ["[Your Name]"])]
    prose = _notes(8) + [{"prompt": "Explain str.format.", "completion": "It replaces {name} with the argument."}]
    assert _ft505(prose) == [(9, ["{name}"])]


def test_whole_placeholder_inputs_are_ft503_not_ft505():
    rows = [{"instruction": f"Name colour {i}.", "input": "", "output": f"Colour {i} is red."} for i in range(8)]
    rows.append({"instruction": "Name a colour.", "input": "<placeholder>", "output": "Red."})
    rows.append({"instruction": "Name a colour.", "input": "[TODO]", "output": "Blue."})
    rows.append({"instruction": "Name a colour for <YOUR_NAME>.", "input": "", "output": "Green."})
    report = ftlint.check(rows, select=["FT503", "FT505"])
    by_code = sorted((f.code, f.line) for f in report.findings)
    assert by_code == [("FT503", 9), ("FT503", 10), ("FT505", 11)]


def test_placeholders_in_code_are_instructions_to_the_reader():
    rows = [{"instruction": f"Write a thank-you note to customer {i}.", "input": "",
             "output": f"Dear customer {i}, thanks for your order."} for i in range(8)]
    rows += [{"instruction": "Call the weather API.", "input": "City: Oslo", "output":
              "import requests\n\nurl = f'https://api.example.com/w?q={city}&appid=<YOUR_API_KEY>'\n"
              "data = requests.get(url).json()"},
             {"instruction": "Show the text in two columns.", "input": "<p>Lorem ipsum dolor</p>",
              "output": '<div class="column">\n  Lorem ipsum dolor\n</div>'}]
    assert _ft505(rows) == []
