"""The review of issue 20's Bedrock work: an RFT file whose format vote flipped (FT613 never
reported), lifecycle dates computed against today, split sets read back against their manifest,
RFT prompt length (FT623). Each test has the record or file that triggers the fix and a clean one."""
from __future__ import annotations

import json

from conftest import SAMPLES, write_jsonl

import ftlint
from ftlint.formats import detect


def rft_rows():
    return [json.loads(line) for line in (SAMPLES / "math_rft.jsonl").read_text().splitlines()]


def without_answer(rows, every):
    out = []
    for i, row in enumerate(rows):
        if i % every == 3:
            row = {k: v for k, v in row.items() if k != "reference_answer"}
        out.append(row)
    return out


def found(report, code):
    return sorted(f.line for f in report.findings if f.code == code)


# --- 1. an RFT file keeps its format when some records lack reference_answer ---------------------

def test_one_missing_reference_answer_is_ft613_not_another_format(tmp_path):
    rows = without_answer(rft_rows(), every=1000)  # line 4 only
    path = write_jsonl(tmp_path / "rft.jsonl", rows)
    report = ftlint.check(path)
    assert report.files[0].format == "rft"
    assert found(report, "FT613") == [4]
    # the prompt ends with the user's turn, as every RFT prompt does: not FT107, not FT104
    assert found(report, "FT107") == [] and found(report, "FT104") == []
    # with an RFT target: the rule's own message, once, and no FT603 "the file is openai-chat"
    report = ftlint.check(path, target="rft-nova-2-lite")
    assert found(report, "FT613") == [4] and found(report, "FT603") == []
    assert "rft-nova-2-lite scores each response" in next(f.message for f in report.findings if f.code == "FT613")
    clean = ftlint.check(write_jsonl(tmp_path / "clean.jsonl", rft_rows()), target="rft-nova-2-lite")
    assert found(clean, "FT613") == [] and clean.files[0].format == "rft"


def test_many_missing_answers_are_each_reported(tmp_path):
    rows = without_answer(rft_rows(), every=10)  # 12 of 120
    report = ftlint.check(write_jsonl(tmp_path / "rft.jsonl", rows))
    assert report.files[0].format == "rft"
    assert found(report, "FT613") == list(range(4, 121, 10))


def test_an_rft_target_keeps_a_minority_of_rft_records_rft(tmp_path):
    rows = rft_rows()
    mixed = [row if i < 40 else {k: v for k, v in row.items() if k != "reference_answer"} for i, row in enumerate(rows)]
    path = write_jsonl(tmp_path / "mixed.jsonl", mixed)
    report = ftlint.check(path, target="rft-nova-2-lite")
    assert report.files[0].format == "rft" and found(report, "FT613") == list(range(41, 121))
    # without a target, a chat file with a few reference answers stays a chat file
    assert ftlint.check(path).files[0].format == "openai-chat"


def test_prefer_rft_counts_rft_records_as_such():
    assert detect.prefer_rft("openai-chat", rft=119, chats=1) == "rft"
    assert detect.prefer_rft("openai-chat", rft=60, chats=60) == "rft"  # a tie goes to rft
    assert detect.prefer_rft("openai-chat", rft=10, chats=90) == "openai-chat"
    assert detect.prefer_rft("openai-chat", rft=10, chats=90, rft_target=True) == "rft"
    assert detect.prefer_rft("claude-messages", rft=0, chats=90, rft_target=True) == "claude-messages"
    assert detect.prefer_rft("prompt-completion", rft=5, chats=0) == "prompt-completion"


# --- 10. RFT prompts longer than the job's maxPromptLength (FT623) ------------------------------

def test_rft_prompt_over_the_default_max_prompt_length(tmp_path):
    rows = rft_rows()
    rows[5] = {**rows[5], "messages": [{"role": "system", "content": "Worked examples:\n" + "2 + 2 = 4. " * 1300},
                                       *rows[5]["messages"]]}  # ~14,300 characters: over 4,096 estimated tokens
    path = write_jsonl(tmp_path / "rft.jsonl", rows)
    report = ftlint.check(path, target="rft-nova-2-lite")
    hits = [f for f in report.findings if f.code == "FT623"]
    assert [f.line for f in hits] == [6] and hits[0].severity.value == "warning"
    assert "maxPromptLength of 4,096" in hits[0].message
    # the job's own value, told to the rule
    assert found(ftlint.check(path, target="rft-nova-2-lite", options={"FT623": {"max-prompt-length": 8192}}), "FT623") == []
    # the same file for a fine-tuning target: maxPromptLength is an RFT hyper-parameter only
    assert found(ftlint.check(path, target="nova-lite"), "FT623") == []
    assert found(ftlint.check(SAMPLES / "math_rft.jsonl", target="rft-nova-2-lite"), "FT623") == []
