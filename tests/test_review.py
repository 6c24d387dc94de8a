"""The human review loop: `ftlint review` writes a decision sheet, ftlint.curate.decisions reads
and checks it, `ftlint fix --decisions` applies it and records every decision by line."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from ftlint.cli import main
from ftlint.curate import decisions as dec

ROOT = Path(__file__).resolve().parent.parent
DIRTY = ROOT / "sample_data" / "support_tickets_dirty.jsonl"


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def _sheet(rows: list[dict]) -> str:
    out = io.StringIO()
    dec.write_sheet(rows, out)
    return out.getvalue()


def _row(line: int, raw: bytes, decision: str, codes: str = "FT101") -> dict:
    return {"line": line, "codes": codes, "content_hash": dec.content_hash(raw), "decision": decision}


# ------------------------------------------------------------------------- the sheet format

def test_parse_decision():
    assert dec.parse_decision("") is None and dec.parse_decision("   ") is None
    assert dec.parse_decision(" Keep ") == ("keep", None)
    assert dec.parse_decision("DROP") == ("drop", None)
    assert dec.parse_decision("billing") == ("edit", "billing")
    assert dec.parse_decision('{"a": 1}') == ("edit", '{"a": 1}')


def test_loads_skips_undecided_and_reads_codes():
    raw = b'{"prompt": "a", "completion": "b"}'
    text = _sheet([_row(3, raw, "drop", "FT201 FT202"), _row(4, raw, ""), _row(5, raw, "new answer")])
    got = dec.loads(text)
    assert sorted(got) == [3, 5]
    assert got[3].action == "drop" and got[3].codes == ("FT201", "FT202")
    assert got[5].action == "edit" and got[5].text == "new answer" and not got[5].replaces_record


def test_loads_reports_every_problem_with_its_row():
    raw = b"{}"
    text = _sheet([_row(0, raw, "drop"), {"line": "x", "content_hash": "ab", "decision": "keep"},
                   {"line": 7, "content_hash": "zz", "decision": "keep"}, _row(8, raw, "{not json"),
                   _row(9, raw, "[1, 2]"), _row(10, raw, "keep"), _row(10, raw, "drop")])
    with pytest.raises(dec.DecisionError) as err:
        dec.loads(text, name="r.csv")
    msg = str(err.value)
    assert "5 problem(s)" in msg
    for where in ("r.csv:2: line '0'", "r.csv:3: line 'x'", "r.csv:4: content_hash 'zz'",
                  "r.csv:5: the edited record for line 8 is not valid JSON", "r.csv:8: a second decision for line 10"):
        assert where in msg
    # a JSON array is not a record, but it is not an object-looking edit either: it edits the completion
    assert "line 9" not in msg


def test_loads_refuses_a_file_that_is_not_a_sheet():
    with pytest.raises(dec.DecisionError, match="missing column"):
        dec.loads("line,decision\n1,keep\n")


def test_verify_refuses_stale_decisions():
    raws = {1: b'{"prompt": "a", "completion": "b"}', 2: b'{"prompt": "c", "completion": "d"}'}
    sheet = {1: dec.Decision(1, "drop", dec.content_hash(raws[1])),
             2: dec.Decision(2, "keep", dec.content_hash(b"something else")),
             9: dec.Decision(9, "keep", dec.content_hash(raws[1]))}
    with pytest.raises(dec.DecisionError) as err:
        dec.verify(sheet, raws, "data.jsonl")
    msg = str(err.value)
    assert "2 review decision(s) no longer match" in msg and "none was applied" in msg
    assert "line 2: the record changed since the review" in msg and "line 9: no such line" in msg
    assert "line 1" not in msg


@pytest.mark.parametrize("fmt, record, path", [
    ("prompt-completion", {"prompt": "p", "completion": "old"}, ["completion"]),
    ("input-output", {"input": "p", "output": "old"}, ["output"]),
    ("claude-messages", {"system": "s", "messages": [{"role": "user", "content": "p"},
                                                      {"role": "assistant", "content": "old"}]},
     ["messages", 1, "content"]),
    ("bedrock-conversation", {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "s"}],
                              "messages": [{"role": "user", "content": [{"text": "p"}]},
                                           {"role": "assistant", "content": [{"text": "old"}]}]},
     ["messages", 1, "content", 0, "text"]),
])
def test_apply_edits_the_completion(fmt, record, path):
    raw = json.dumps(record).encode()
    d = dec.Decision(1, "edit", dec.content_hash(raw), "new text")
    out = dec.apply(d, raw, fmt)
    assert out.action == "edit"
    node = out.obj
    for p in path:
        node = node[p]
    assert node == "new text"
    assert json.loads(raw) == record  # the input object is not modified


def test_apply_keep_drop_and_record_edits():
    raw = b'{"prompt": "p", "completion": "c"}'
    h = dec.content_hash(raw)
    assert dec.apply(dec.Decision(1, "drop", h), raw, "prompt-completion").action == "drop"
    assert dec.apply(dec.Decision(1, "keep", h), raw, "prompt-completion").obj == {"prompt": "p", "completion": "c"}
    new = dec.apply(dec.Decision(1, "edit", h, '{"prompt": "p2", "completion": "c2"}'), raw, "prompt-completion")
    assert new.obj == {"prompt": "p2", "completion": "c2"}
    with pytest.raises(dec.DecisionError, match="not a valid prompt-completion record"):
        dec.apply(dec.Decision(1, "edit", h, '{"prompt": "p2"}'), raw, "prompt-completion")
    broken = b'{"prompt": "p", "compl'
    with pytest.raises(dec.DecisionError, match="cannot keep a record that is not a valid"):
        dec.apply(dec.Decision(1, "keep", dec.content_hash(broken)), broken, "prompt-completion")
    with pytest.raises(dec.DecisionError, match="give the whole corrected record as a JSON object"):
        dec.apply(dec.Decision(1, "edit", dec.content_hash(broken), "text"), broken, "prompt-completion")


# ------------------------------------------------------------------------- the commands

def _decide(sheet: Path, choices: dict[int, str]) -> None:
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    for r in rows:
        r["decision"] = choices.get(int(r["line"]), "")
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        dec.write_sheet(rows, fh)


def test_review_sheet(tmp_path):
    sheet = tmp_path / "review.csv"
    assert main(["review", str(DIRTY), "-o", str(sheet)], standalone_mode=False) == 0
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert tuple(rows[0]) == dec.COLUMNS
    by_line = {int(r["line"]): r for r in rows}
    raw = _lines(DIRTY)
    assert {17, 35, 70, 96, 157} <= set(by_line)  # planted errors
    assert 7 not in by_line and 62 not in by_line  # blank lines hold nothing to decide on
    assert all(r["decision"] == "" for r in rows)
    assert all(r["content_hash"] == dec.content_hash(raw[int(r["line"]) - 1]) for r in rows)
    assert by_line[17]["codes"] == "FT101" and by_line[17]["severity"] == "error"
    # the planted e-mail address and phone number are masked in the excerpt
    assert "example.com" not in by_line[88]["excerpt"] and "555-01" not in by_line[88]["excerpt"]
    warnings = tmp_path / "w.csv"
    assert main(["review", str(DIRTY), "-o", str(warnings), "--min-severity", "error"], standalone_mode=False) == 0
    assert 88 not in {int(r["line"]) for r in csv.DictReader(warnings.open(encoding="utf-8"))}


def test_round_trip_on_sample_data(tmp_path):
    data = tmp_path / "tickets.jsonl"
    shutil.copy(DIRTY, data)
    raw = _lines(data)
    sheet = tmp_path / "review.csv"
    assert main(["review", str(data), "-o", str(sheet)], standalone_mode=False) == 0
    repaired = {"input": "How do I get copies of last year's invoices for our auditor?", "output": "billing"}
    _decide(sheet, {
        70: json.dumps(repaired),  # FT103: the misspelt key, repaired by hand
        88: "drop",                # FT701: personal data, dropped (a warning: fix alone would keep it)
        105: "billing",            # FT110 stray whitespace; the label rewritten by hand
        17: "keep",                # FT101 truncated JSON: refused below (not a valid record)
    })
    out, rejects, manifest = tmp_path / "out.jsonl", tmp_path / "out.rejected.jsonl", tmp_path / "out.manifest.json"
    # a keep on an invalid record is refused, and nothing is written
    assert main(["fix", str(data), "--decisions", str(sheet), "-o", str(out)], standalone_mode=False) == 2
    assert not out.exists()
    _decide(sheet, {70: json.dumps(repaired), 88: "drop", 105: "billing", 148: "keep", 157: "drop"})
    assert main(["fix", str(data), "--decisions", str(sheet), "-o", str(out)], standalone_mode=False) == 0
    kept = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    rejected = {r["line"]: r for r in map(json.loads, rejects.read_text(encoding="utf-8").splitlines())}
    assert repaired in kept  # line 70 repaired and kept instead of dropped
    assert 70 not in rejected
    assert rejected[88]["codes"][0] == "review" and rejected[88]["decision"]["decision"] == "drop"
    assert rejected[157]["decision"]["decision"] == "drop" and "FT105" in rejected[157]["codes"]
    line105 = json.loads(raw[104])
    assert {"input": line105["input"], "output": "billing"} in kept and line105["output"] == "billing "
    assert json.loads(raw[147]) in kept  # kept as it was: FT110's whitespace strip does not touch it
    # nothing lost: every input line is kept or rejected (blank lines are rejected as FT108)
    assert raw[-1] == b"" and len(kept) + len(rejected) == len(raw) - 1 == 266
    m = json.loads(manifest.read_text(encoding="utf-8"))
    assert [d["line"] for d in m["decisions"]] == [70, 88, 105, 148, 157]
    by_line = {d["line"]: d for d in m["decisions"]}
    assert by_line[70] == {"line": 70, "decision": "edit", "edit": "record", "codes": ["FT103"],
                           "content_hash": dec.content_hash(raw[69]), "overrides": ["FT103"]}
    assert by_line[105]["edit"] == "completion" and by_line[148]["decision"] == "keep"
    assert m["decisions_file"]["path"] == str(sheet)
    assert m["outputs"][str(out)]["records"] == len(kept)
    assert m["fixes"]["dropped_by_rule"]["review"] == 2 and m["fixes"]["changed_by_rule"]["review"] == 2
    # the same sheet on a changed file is refused, with the line, and nothing is written
    changed = bytearray(data.read_bytes())
    data.write_bytes(bytes(changed).replace(b"auditor?\", \"ouput\"", b"auditors?\", \"ouput\""))
    out.unlink()
    assert main(["fix", str(data), "--decisions", str(sheet), "-o", str(out)], standalone_mode=False) == 2
    assert not out.exists()


def test_stale_sheet_message(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text('{"prompt": "a", "completion": " "}\n{"prompt": "b", "completion": "c"}\n', encoding="utf-8")
    sheet = tmp_path / "r.csv"
    assert main(["review", str(data), "-o", str(sheet)], standalone_mode=False) == 0
    _decide(sheet, {1: "fixed answer"})
    data.write_text('{"prompt": "a!", "completion": " "}\n{"prompt": "b", "completion": "c"}\n', encoding="utf-8")
    code = main(["fix", str(data), "--decisions", str(sheet), "-o", str(tmp_path / "o.jsonl")], standalone_mode=False)
    assert code == 2
    err = capsys.readouterr().err
    assert "line 1: the record changed since the review" in err and "run `ftlint review` again" in err


def _tickets(tmp_path, extra):
    rows = [{"input": f"Ticket {i}: the export of report {i * 13} fails with code {i * 7}",
             "output": ["technical", "billing"][i % 2]} for i in range(16)]
    data = tmp_path / "t.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows[:3] + extra + rows[3:]), encoding="utf-8")
    return data


def _fix_with(tmp_path, data, choices):
    sheet = tmp_path / "review.csv"
    assert main(["review", str(data), "-o", str(sheet), "-q"], standalone_mode=False) == 0
    _decide(sheet, choices)
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    raw = _lines(data)
    for line in sorted(set(choices) - {int(r["line"]) for r in rows}):  # a row the reviewer added
        rows.append({"line": line, "content_hash": dec.content_hash(raw[line - 1]), "decision": choices[line]})
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        dec.write_sheet(rows, fh)
    out = tmp_path / "out.jsonl"
    assert main(["fix", str(data), "--decisions", str(sheet), "-o", str(out), "-q"], standalone_mode=False) == 0
    kept = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    rejected = {r["line"]: r for r in map(json.loads, (tmp_path / "out.rejected.jsonl").read_text().splitlines())}
    return kept, rejected


def test_a_conflict_the_reviewer_settled_drops_nothing_more(tmp_path):
    right = {"input": "I was charged twice for the March invoice", "output": "billing"}
    wrong = {"input": "I was charged twice for the March invoice", "output": "technical"}
    data = _tickets(tmp_path, [right, wrong])  # lines 4 and 5: an FT203 conflict
    kept, rejected = _fix_with(tmp_path, data, {5: "drop"})
    assert right in kept and 4 not in rejected  # not "resolve them by hand": the reviewer did
    assert rejected[5]["reason"] == "review: drop"
    # without a decision both go, as before
    kept, rejected = _fix_with(tmp_path, data, {})
    assert sorted(rejected) == [4, 5] and "resolve them by hand" in rejected[4]["reason"]


def test_the_copy_a_cluster_keeps_is_never_one_the_reviewer_dropped(tmp_path):
    copy = {"input": "Where do I download last year's invoices?", "output": "billing"}
    data = _tickets(tmp_path, [copy, copy])  # lines 4 and 5: FT201 keeps line 4 (the sheet lists only 5)
    kept, rejected = _fix_with(tmp_path, data, {4: "drop"})
    assert rejected[4]["reason"] == "review: drop"
    assert copy in kept and 5 not in rejected  # the cluster keeps line 5, not a "copy of line 4 (kept)"
    kept, rejected = _fix_with(tmp_path, data, {5: "keep"})  # a kept copy stays; the manifest says what it overrode
    assert kept.count(copy) == 2
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert manifest["decisions"][0]["overrides"] == ["FT201"]


def test_a_dropped_record_shows_the_reviewer_s_reason_first(tmp_path):
    data = _tickets(tmp_path, [{"input": "x", "output": ""}])  # line 4: FT105 empty field
    _, rejected = _fix_with(tmp_path, data, {4: "drop"})
    assert rejected[4]["codes"][0] == "review" and rejected[4]["reason"].startswith("review: drop")
