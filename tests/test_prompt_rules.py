"""FT506 system-prompt-outlier and FT507 answer-in-prompt: what fires, and what is by design."""
from __future__ import annotations

import json

from conftest import FIXTURES

import ftlint

SYS = "You are Acme's support assistant. Answer briefly, politely and only about Acme products."


def _chat(system, i):
    return {"system": system, "messages": [{"role": "user", "content": f"Question number {i} about my order?"},
                                           {"role": "assistant", "content": f"Answer number {i}."}]}


def test_a_typo_in_the_system_prompt_is_reported_with_the_difference():
    records = [_chat(SYS, i) for i in range(30)]
    records[7]["system"] = SYS.replace("politely", "politly")
    (f,) = ftlint.check(records, select=["FT506"]).findings
    assert f.line == 8 and f.related == (1,)
    assert "politly" in f.data["excerpt"] and "politely" in f.data["dominant_excerpt"]
    assert f.data["dominant_count"] == 29


def test_different_prompts_by_design_are_not_outliers():
    # per-record prompts (no dominant one), a second dominant prompt, and a distinct rare prompt
    assert ftlint.check([_chat(f"You help customer number {i} with orders.", i) for i in range(30)],
                        select=["FT506"]).findings == []
    two = [_chat(SYS if i % 2 else SYS.replace("support", "sales"), i) for i in range(30)]
    assert ftlint.check(two, select=["FT506"]).findings == []
    rare = [_chat(SYS, i) for i in range(30)]
    rare[3]["system"] = "You are a pirate. Answer every question in rhymes."
    assert ftlint.check(rare, select=["FT506"]).findings == []


def test_variants_on_many_records_are_by_design():
    records = [_chat(SYS if i % 3 else SYS + f" Today is day {i}.", i) for i in range(60)]
    assert ftlint.check(records, select=["FT506"]).findings == []


def test_cued_answer_in_prompt_is_a_leak_even_when_short():
    records = [{"prompt": f"What is {i} plus {i}?", "completion": str(2 * i)} for i in range(1, 30)]
    records[4] = {"prompt": "What is 5 plus 5? The correct answer is 10.", "completion": "10"}
    (f,) = ftlint.check(records, select=["FT507"]).findings
    assert f.line == 5 and f.data["kind"] == "cue"


def test_short_answers_that_occur_by_chance_are_not_leaks():
    # '12' is in the prompt, but as a quantity, not after an answer cue
    records = [{"prompt": f"Tom has 12 apples and eats {i}. How many are left?", "completion": str(12 - i)}
               for i in range(1, 12)]
    records.append({"prompt": "Tom has 12 apples and eats none. How many are left?", "completion": "12"})
    assert ftlint.check(records, select=["FT507"]).findings == []


def test_extraction_tasks_quote_the_prompt_by_design():
    records = [{"prompt": f"Extract the sentence about shipping: The parcel number {i} was shipped from the warehouse today. "
                          "Nothing else happened.",
                "completion": f"The parcel number {i} was shipped from the warehouse today."} for i in range(20)]
    assert ftlint.check(records, select=["FT507"]).findings == []


def test_labels_in_an_options_list_and_plain_word_labels_are_not_leaks():
    options = "Classify as card_arrival, card_lost or refund_request: "
    records = [{"input": options + t, "output": lab} for t, lab in
               [("Where is my card?", "card_arrival"), ("I lost my card", "card_lost"), ("Money back please", "refund_request")] * 5]
    assert ftlint.check(records, select=["FT507"]).findings == []
    natural = [{"input": t, "output": lab} for t, lab in
               [("what's the weather today", "weather"), ("set a timer", "timer"), ("the answer is yes", "yes")] * 5]
    assert ftlint.check(natural, select=["FT507"]).findings == []
    leaked = [dict(r) for r in natural]
    leaked[0] = {"input": "what's the weather today (intent: weather)", "output": "weather"}
    leaked[1] = {"input": "set a timer card_arrival", "output": "card_arrival"}
    assert [f.line for f in ftlint.check(leaked, select=["FT507"]).findings] == [1, 2]


def test_rft_reference_answer_in_the_prompt(tmp_path):
    # an RFT record's expected output is its reference answer (an Example's completion)
    ok = {"messages": [{"role": "user", "content": "Natalia sold 48 clips in April and half as many in May. How many?"}],
          "reference_answer": "Natalia sold 48/2 = 24 clips in May, so 48+24 = 72 clips.\n#### 72"}
    leak = {"messages": [{"role": "user", "content": ok["messages"][0]["content"] + " Reference answer: "
                          + ok["reference_answer"]}], "reference_answer": ok["reference_answer"]}
    path = tmp_path / "rft.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [ok] * 5 + [leak]))
    report = ftlint.check(path, select=["FT507"])
    assert report.files[0].format == "rft"
    assert [f.line for f in report.findings] == [6]


def test_fixture_leaks_are_the_planted_ones():
    lines = json.loads((FIXTURES / "rules" / "FT507" / "expected.json").read_text())["lines"]
    report = ftlint.check(FIXTURES / "rules" / "FT507" / "trigger.jsonl", select=["FT507"])
    assert {f.data["kind"] for f in report.findings} == {"cue", "verbatim"}
    assert [f.line for f in report.findings] == lines
