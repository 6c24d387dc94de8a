"""Tables as records: CSV/TSV and Parquet files are read row by row (the data row number is the
line), so `check` works on them and `convert`, `fix` and `split` write the JSONL a job needs.
A `.jsonl` name still means JSON Lines: a CSV under that name is reported, not read as a table."""
from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from click.testing import CliRunner

import ftlint
from ftlint.cli import main

ROWS = [("Where is my order?", "It ships today."), ("Can I pay by invoice?", "Yes, on the annual plan."),
        ("How do I reset my password?", "Use the link on the sign-in page."),
        ("Do you ship to Canada?", "Yes, within five working days."),
        ("Can I change my address?", "Yes, until the parcel leaves the warehouse.")]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_csv(path, rows, header=("prompt", "completion"), delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def codes(report):
    return sorted((f.code, f.line) for f in report.findings)


def test_csv_rows_are_records_numbered_by_data_row(tmp_path):
    rows = [*ROWS[:2], ("Where is my refund?", ""), *ROWS[2:]]
    p = write_csv(tmp_path / "data.csv", rows)
    report = ftlint.check(p, select=["FT1"])
    assert report.files[0].records == 6 and report.files[0].format == "prompt-completion"
    assert codes(report) == [("FT105", 3)]


def test_tsv_and_multiline_cells(tmp_path):
    rows = [("Where is my order?\nIt is late.", "It ships today."), *ROWS[1:]]
    p = write_csv(tmp_path / "data.tsv", rows, delimiter="\t")
    report = ftlint.check(p, select=["FT1"])
    assert report.files[0].records == 5 and codes(report) == []


def test_a_row_with_the_wrong_field_count_is_reported_on_its_row(tmp_path):
    p = tmp_path / "data.csv"
    p.write_text("prompt,completion\nWhere is my order?,It ships today.\nCan I pay, by invoice?,Yes.\n"
                 "How do I reset my password?\n")
    found = [(f.code, f.line) for f in ftlint.check(p, select=["FT1"]).findings if f.code == "FT101"]
    assert found == [("FT101", 2), ("FT101", 3)]
    r = run("fix", p, "-o", tmp_path / "out.jsonl")
    assert r.exit_code == 0, r.output
    rejects = [json.loads(x) for x in (tmp_path / "out.rejected.jsonl").read_text().splitlines()]
    assert [x["line"] for x in rejects] == [2, 3]
    assert "by invoice?" in rejects[0]["raw"] and "__extra_fields__" in rejects[0]["raw"]  # nothing lost


def test_chat_csv_with_a_messages_column(tmp_path):
    turns = [json.dumps([{"role": "user", "content": q}, {"role": "assistant", "content": a}]) for q, a in ROWS]
    p = write_csv(tmp_path / "chat.csv", [(t, "You are a support agent.") for t in turns], header=("messages", "system"))
    report = ftlint.check(p, select=["FT1"])
    assert report.files[0].format == "claude-messages" and codes(report) == []


TOPICS = ("invoice", "parcel", "password", "refund", "warranty", "courier", "coupon", "battery", "screen",
          "upgrade", "receipt", "address", "trial", "login", "charger")


def test_convert_fix_and_split_write_jsonl_from_csv(tmp_path):
    rows = [(f"What about my {a} and the {b}, order {i * 37}?", f"Your {b} is handled by the {a} team, case {i}.")
            for i, (a, b) in enumerate((a, b) for a in TOPICS[:6] for b in TOPICS[6:11])]
    p = write_csv(tmp_path / "data.csv", rows)
    out = tmp_path / "data.jsonl"
    r = run("convert", p, "--to", "prompt-completion", "-o", out)
    assert r.exit_code == 0, r.output
    written = [json.loads(x) for x in out.read_text().splitlines()]
    assert written[0] == {"prompt": rows[0][0], "completion": rows[0][1]} and len(written) == 30
    assert ftlint.check(out, select=["FT1"]).findings == []
    r = run("convert", p, "--to", "claude-messages", "-o", tmp_path / "chat.jsonl")
    assert r.exit_code == 0, r.output
    r = run("fix", p, "-o", tmp_path / "fixed.jsonl")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "fixed.jsonl").read_text() == out.read_text()
    r = run("split", p, "--out", tmp_path / "split", "--validation-size", "5", "--group", "none")
    assert r.exit_code == 0, r.output
    train = (tmp_path / "split" / "train.jsonl").read_text().splitlines()
    assert len(train) == 25 and all(json.loads(x)["prompt"] for x in train)
    r = run("fix", p, "--in-place")
    assert r.exit_code == 2 and "CSV table" in r.output


def test_header_only_csv_is_empty(tmp_path):
    p = tmp_path / "data.csv"
    p.write_text("prompt,completion\n")
    assert [(f.code, f.line) for f in ftlint.check(p).findings] == [("FT116", None)]


@pytest.mark.parametrize("header,word", [("prompt,prompt", "twice"), ("prompt,", "no name")])
def test_a_bad_header_is_one_clear_message(tmp_path, header, word):
    p = tmp_path / "data.csv"
    p.write_text(header + "\na,b\n")
    r = run("check", p)
    assert r.exit_code == 2 and word in r.output and "internal error" not in r.output


def test_invalid_utf8_in_a_csv_is_ft106_on_its_row(tmp_path):
    p = tmp_path / "data.csv"
    p.write_bytes(b"prompt,completion\nWhere is my order?,It ships today.\nCaf\xe9 menu?,We serve breakfast.\n")
    assert ("FT106", 2) in codes(ftlint.check(p, select=["FT1"]))


def test_jsonl_named_file_holding_csv_is_not_read_as_a_table(tmp_path):
    p = write_csv(tmp_path / "data.jsonl", ROWS)
    (f,) = ftlint.check(p).findings
    assert f.code == "FT101" and "CSV" in f.message and "convert" in f.message


# ------------------------------------------------------------------ Parquet

def write_parquet(path, table: dict):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table(table), path)
    return path


def test_parquet_chat_set_as_hugging_face_ships_it(tmp_path):
    messages = [[{"role": "user", "content": q}, {"role": "assistant", "content": a}] for q, a in ROWS]
    messages[2][1]["content"] = " "
    p = write_parquet(tmp_path / "train.parquet", {"messages": messages, "id": list(range(5))})
    report = ftlint.check(p, select=["FT1"])
    assert report.files[0].records == 5 and report.files[0].format in ("claude-messages", "openai-chat")
    assert codes(report) == [("FT105", 3)]
    out = tmp_path / "train.jsonl"
    r = run("convert", p, "--to", "bedrock-conversation", "-o", out, "--allow-lossy")
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text().splitlines()[0])["schemaVersion"] == "bedrock-conversation-2024"


def test_parquet_types_become_json(tmp_path):
    import datetime
    import decimal

    p = write_parquet(tmp_path / "t.parquet", {
        "input": [q for q, _ in ROWS], "output": [a for _, a in ROWS],
        "when": [datetime.date(2024, 1, i + 1) for i in range(5)],
        "price": [decimal.Decimal("1.50")] * 5, "blob": [b"\x00\xff"] * 5})
    report = ftlint.check(p, select=["FT1"])
    assert report.files[0].format == "input-output" and codes(report) == []
    from ftlint.read.reader import Source

    first = json.loads(Source(str(p)).open().readline())
    assert (first["when"], first["price"], first["blob"]) == ("2024-01-01", "1.50", "AP8=")


def test_parquet_without_pyarrow_is_one_clear_message(tmp_path, monkeypatch):
    p = write_parquet(tmp_path / "t.parquet", {"prompt": ["a"], "completion": ["b"]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    r = run("check", p)
    assert r.exit_code == 2 and "ftlint[parquet]" in r.output


def test_a_corrupt_parquet_file_is_one_clear_message(tmp_path):
    pytest.importorskip("pyarrow")
    p = tmp_path / "t.parquet"
    p.write_bytes(b"PAR1" + b"\x00" * 64)
    r = run("check", p)
    assert r.exit_code == 2 and "not a readable Parquet file" in r.output and "internal error" not in r.output


# ------------------------------------------------------------------ real data, as tables

REAL = __import__("pathlib").Path(__file__).parent / "realdata" / "data"


def _same_findings(a, b):
    return sorted((f.code, f.line, f.message) for f in a.findings) == sorted((f.code, f.line, f.message)
                                                                               for f in b.findings)


def test_a_real_chat_set_as_parquet_reads_as_its_jsonl(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = REAL / "chitchat" / "chitchat_200.jsonl"
    records = [json.loads(x) for x in src.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "chitchat.parquet")
    a, b = ftlint.check(src), ftlint.check(tmp_path / "chitchat.parquet")
    assert a.findings and _same_findings(a, b) and b.files[0].records == 200


def test_a_real_prompt_completion_set_as_csv_reads_as_its_jsonl(tmp_path):
    src = REAL / "chatterbot-en" / "chatterbot_en.jsonl"
    records = [json.loads(x) for x in src.read_text(encoding="utf-8").splitlines()]
    p = write_csv(tmp_path / "chatterbot.csv", [(r["prompt"], r["completion"]) for r in records])
    a, b = ftlint.check(src), ftlint.check(p)
    assert a.findings and _same_findings(a, b) and b.files[0].records == len(records)
