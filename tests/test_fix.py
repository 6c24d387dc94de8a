"""`ftlint fix`: each fix belongs to its rule, every line is kept or rejected, writes are atomic."""
from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner
from conftest import write_jsonl

from ftlint.artifacts.unionfind import linked_lines
from ftlint.cli import main
from ftlint.curate.fix import FixOptions, curate, read_lines
from ftlint.finding import Finding, Severity
from ftlint.formats.messages import parse_path
from ftlint.read.reader import Source
from ftlint.result import FileInfo, Report

GOOD = [{"input": f"Ticket {i}: cannot open invoice {i * 7}", "output": ["billing", "technical"][i % 2]}
        for i in range(12)]


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture
def dirty(tmp_path):
    rows = GOOD[:3] + [b'{"input": "broken', b"", {"input": "x", "output": ""},
                       {"input": " padded ", "output": "billing"}] + GOOD[3:]
    return write_jsonl(tmp_path / "dirty.jsonl", rows)


def lines_of(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_fix_drops_errors_strips_whitespace_and_accounts_for_every_line(dirty, tmp_path):
    before = dirty.read_bytes()
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    r = run("fix", dirty, "-o", out, "--rejects", rej)
    assert r.exit_code == 0, r.output
    assert dirty.read_bytes() == before  # input untouched
    kept, rejected = lines_of(out), lines_of(rej)
    assert [x["line"] for x in rejected] == [4, 5, 6]
    assert [x["codes"] for x in rejected] == [["FT101"], ["FT108"], ["FT105"]]
    assert rejected[0]["raw"] == '{"input": "broken' and rejected[1]["raw"] == ""
    assert all(x["reason"] for x in rejected)
    assert len(kept) + len(rejected) == len(before.splitlines())
    assert {"input": "padded", "output": "billing"} in kept
    # unchanged records are written byte for byte as they were
    assert out.read_bytes().splitlines()[0] == before.splitlines()[0]


def test_fix_default_rejects_path_and_summary(dirty, tmp_path):
    r = run("fix", dirty, "-o", tmp_path / "clean.jsonl")
    assert r.exit_code == 0
    assert (tmp_path / "clean.rejected.jsonl").exists()
    assert "3 rejected" in r.output and "FT110 1 changed" in r.output


def test_dry_run_counts_per_rule_and_writes_nothing(dirty, tmp_path):
    r = run("fix", dirty, "--dry-run")
    assert r.exit_code == 0
    assert "would keep 13, reject 3" in r.output
    for code in ("FT101", "FT105", "FT108"):
        assert any(line.split()[0] == code and line.endswith("1 dropped") for line in r.output.splitlines())
    assert "FT110" in r.output and "changed" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dirty.jsonl"]


def test_fixes_follow_selection(dirty, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("fix", dirty, "-o", out, "--ignore", "FT110")
    assert r.exit_code == 0
    assert {"input": " padded ", "output": "billing"} in lines_of(out)


def test_in_place_is_atomic_and_replaces_input(dirty, tmp_path):
    r = run("fix", dirty, "--in-place")
    assert r.exit_code == 0, r.output
    assert len(dirty.read_text().splitlines()) == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dirty.jsonl", "dirty.rejected.jsonl"]
    assert run("check", dirty, "--select", "FT1").exit_code == 0


def test_output_equal_to_input_needs_in_place(dirty):
    r = run("fix", dirty, "-o", dirty)
    assert r.exit_code == 2 and "--in-place" in r.output


def test_exactly_one_destination(dirty, tmp_path):
    assert run("fix", dirty).exit_code == 2
    assert run("fix", dirty, "--dry-run", "-o", tmp_path / "x.jsonl").exit_code == 2


def _report(path, findings, fmt="input-output", records=0):
    return Report(findings, [FileInfo(str(path), records, fmt)])


def _finding(code, line, related=(), severity=Severity.WARNING, data=None, name="x"):
    return Finding(code=code, name=name, severity=severity, path="p", line=line, message="m",
                   related=tuple(related), data=data or {})


def test_duplicates_keep_first_copy_from_related_lines(tmp_path):
    # FT201/FT202 findings as the duplicates family reports them: `related` = the first copy
    path = write_jsonl(tmp_path / "d.jsonl", GOOD[:6])
    findings = [_finding("FT201", 4, (2,)), _finding("FT201", 6, (4,)), _finding("FT202", 5, (1,))]
    cur = curate(_report(path, findings), Source(str(path)))
    assert [r.line for r in cur.rejected] == [4, 6]
    assert all("copy of line 2" in r.reason for r in cur.rejected)
    assert cur.dropped == {"FT201": 2}
    near = curate(_report(path, findings), Source(str(path)), FixOptions(near=True))
    assert [r.line for r in near.rejected] == [4, 5, 6] and near.dropped["FT202"] == 1


def test_conflicting_labels_drop_whole_group_only_when_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", GOOD[:4])
    warn = curate(_report(path, [_finding("FT203", 3, (1,))]), Source(str(path)))
    assert warn.rejected == []
    err = curate(_report(path, [_finding("FT203", 3, (1,), Severity.ERROR)]), Source(str(path)))
    assert [r.line for r in err.rejected] == [1, 3]


def test_label_variant_rewritten_to_canonical(tmp_path):
    rows = [{"input": "a b", "output": "Billing "}, {"input": "c d", "output": "billing"},
            {"prompt": "q", "completion": "x", "label": "Billing "}]
    path = write_jsonl(tmp_path / "d.jsonl", rows[:2])
    f = _finding("FT303", 1, data={"label": "Billing ", "keep": "billing"}, severity=Severity.ERROR)
    cur = curate(_report(path, [f]), Source(str(path)))
    assert [k.obj["output"] for k in cur.kept] == ["billing", "billing"]
    assert cur.changed == {"FT303": 1}
    assert cur.kept[1].out == path.read_bytes().splitlines()[1]  # untouched record keeps its bytes


def test_bom_is_stripped_not_dropped(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD[0]).encode() + b"\n" + json.dumps(GOOD[1]).encode() + b"\n")
    out = tmp_path / "o.jsonl"
    assert run("fix", path, "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b'{"input"') and len(lines_of(out)) == 2


def test_parse_path():
    assert parse_path('messages[1].content[0].text') == ["messages", 1, "content", 0, "text"]
    assert parse_path('a["odd key"][2]') == ["a", "odd key", 2]


def test_union_find_groups_are_transitive():
    uf = linked_lines([_finding("FT202", 9, (5,)), _finding("FT202", 5, (3,)),
                                     _finding("FT201", 7, (2,))], ["FT202"])
    assert uf.groups() == {3: [3, 5, 9]}


def test_read_lines_numbers_like_the_reader(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\r\n\n{"b": 2}')
    assert read_lines(Source(str(path))) == [b'{"a": 1}', b"", b'{"b": 2}']


def test_rejected_keeps_undecodable_bytes(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(json.dumps(GOOD[0]).encode() + b"\n" + b'{"input": "\xff"}\n')
    rej = tmp_path / "r.jsonl"
    assert run("fix", path, "-o", tmp_path / "o.jsonl", "--rejects", rej).exit_code == 0
    row = orjson.loads(rej.read_bytes().splitlines()[0])
    assert row["line"] == 2 and "raw_base64" in row and row["codes"] == ["FT106"]


def test_redact_masks_pii_on_flagged_records(tmp_path):
    rows = [{"input": "Mail me at jane.doe@example.com about order 5", "output": "billing"}] + GOOD[:4]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    out = tmp_path / "o.jsonl"
    r = run("fix", path, "-o", out, "--redact")
    assert r.exit_code == 0, r.output
    first = lines_of(out)[0]
    assert "jane.doe@example.com" not in first["input"] and len(lines_of(out)) == 5
    assert run("fix", path, "--dry-run", "--redact-types", "nonsense").exit_code == 2


def test_redact_counts_per_type_and_honours_the_rules_allow_list(tmp_path):
    import json

    from click.testing import CliRunner

    from ftlint.cli import main

    rows = [{"prompt": f"question {i} about exports", "completion": f"answer {i}."} for i in range(6)]
    rows[1]["prompt"] = "Mail me at jane.doe@example.org or call +1 415-555-0142 please"
    rows[2]["prompt"] = "Write to support@larkspur.example for help"
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(main, ["fix", str(src), "-o", str(out), "--redact", "--select", "FT7",
                                  "-O", "FT701.allow=['support@larkspur.example']"])
    assert r.exit_code == 0, r.output
    assert "1 email redacted" in r.output and "1 phone redacted" in r.output
    text = out.read_text()
    assert "[EMAIL]" in text and "[PHONE]" in text and "jane.doe" not in text
    assert "support@larkspur.example" in text  # allowed by the rule's option, so not redacted


def test_near_duplicates_keep_one_record_of_a_cluster_whose_first_record_conflicts(tmp_path):
    """The cluster {1, 3} (FT202, similarity 0.88) is not in the conflict {1, 2} (FT203 needs 0.9):
    FT203 drops line 1, so line 3 is the record the cluster keeps, not a 'copy of line 1 (kept)'."""
    import ftlint

    base = "My invoice for March shows the same charge twice and I would like a refund for the second charge please"
    rows = [{"prompt": base, "completion": "billing"}, {"prompt": base, "completion": "refund"},
            {"prompt": base + " thanks a lot", "completion": "billing"}]
    # distinct fillers: on character 3-grams, 'Question 4: ... on device 524' and 'Question 8: ... on device
    # 1048' would be near-duplicates themselves
    fillers = ["How do I reset a password", "Where can I download the desktop app", "Can I change my plan mid-year",
               "The calendar sync fails every night", "Is two-factor login available", "Why is my export empty",
               "Who can see a private board", "How are guest seats billed", "Does the API have a rate limit",
               "My invitation email never arrived", "Can I undo a deleted comment", "What happens when a trial ends"]
    rows += [{"prompt": text + "?", "completion": ["account", "technical"][i % 2]} for i, text in enumerate(fillers)]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    codes = {(f.code, f.line) for f in ftlint.check(str(path), select=["FT2"]).findings}
    assert codes == {("FT203", 2), ("FT202", 3)}  # the premise: the cluster reaches past the conflict
    res = ftlint.fix(str(path), near_duplicates=True)
    assert [r.line for r in res.curated.rejected] == [1, 2]
    assert 3 in [k.line for k in res.curated.kept]
    assert res.dropped == {"FT203": 2}


def test_duplicate_cluster_keeps_its_first_record_that_nothing_else_drops(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", GOOD[:6])
    error = _finding("FT105", 2, severity=Severity.ERROR)  # the first copy is dropped for its own error
    findings = [error, _finding("FT201", 4, (2,)), _finding("FT201", 6, (4,)), _finding("FT202", 5, (2,))]
    cur = curate(_report(path, findings), Source(str(path)), FixOptions(near=True))
    rejected = {r.line: r.reason for r in cur.rejected}
    assert sorted(rejected) == [2, 5, 6]  # 4 is kept: the cluster {2, 4, 5, 6} keeps one record
    assert "copy of line 4 (kept)" in rejected[6] and "near copy of line 4 (kept)" in rejected[5]
    kept = {k.line for k in cur.kept}
    assert all(f"line {n} (kept)" not in reason or n in kept for reason in rejected.values() for n in range(1, 7))
    # every record of a cluster carrying its own error: each is dropped for it, none as a "copy"
    all_bad = [_finding("FT105", n, severity=Severity.ERROR) for n in (2, 4)] + [_finding("FT201", 4, (2,))]
    cur = curate(_report(path, all_bad), Source(str(path)))
    assert [r.codes for r in cur.rejected] == [("FT105",), ("FT105",)]


# random-looking keys: the providers' documented examples (AKIAIOSFODNN7EXAMPLE) are not credentials to FT702
SECRET_ROWS = [
    {"prompt": "Deploy with key AKIAQZ6JYWVDAMXIQK36 and secret z+d04jTJ9nI4Otf8E+jZ06bxdWw9xX3pJ9HxrYmM",
     "completion": "ok"},
    b'{"prompt": "a broken line with ghp_IIiO4tu4JqaUvCqNTte94bIQyT7Kympjgn0H in it',
] + GOOD[:6]
SECRETS = ("AKIAQZ6JYWVDAMXIQK36", "z+d04jTJ9nI4Otf8E+jZ06bxdWw9xX3pJ9HxrYmM", "ghp_IIiO4tu4JqaUvCqNTte94bIQyT7Kympjgn0H")


def test_rejects_file_masks_credentials_unless_asked_not_to(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", SECRET_ROWS)
    r = run("fix", path, "-o", tmp_path / "o.jsonl")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "o.rejected.jsonl").read_text()
    assert not any(s in text for s in SECRETS), text
    rows = [json.loads(x) for x in text.splitlines()]
    assert [row["line"] for row in rows] == [1, 2]
    assert "aws-access-key-id ****QK36" in rows[0]["raw"] and rows[0]["masked"] == {"secret": 2}
    assert json.loads(rows[0]["raw"])["completion"] == "ok"  # still the record, only the values masked
    assert "github-token ****gn0H" in rows[1]["raw"]  # a line that is not JSON is masked as text
    assert "masked 3 found values" in r.output and "--no-mask-rejects" in r.output
    r = run("fix", path, "-o", tmp_path / "clear.jsonl", "--no-mask-rejects")
    clear = (tmp_path / "clear.rejected.jsonl").read_text()
    assert all(s in clear for s in SECRETS) and '"masked"' not in clear


def test_split_rejected_file_masks_credentials(tmp_path):
    import ftlint

    rows = SECRET_ROWS + [{"input": f"Ticket {i}: the export of report {i * 13} fails", "output": "technical"}
                          for i in range(20)]
    path = write_jsonl(tmp_path / "s.jsonl", rows)
    res = ftlint.split(path, tmp_path / "o", drop_invalid=True, ignore=["FT104"])
    text = (tmp_path / "o" / "rejected.jsonl").read_text()
    assert res.counts["rejected"] >= 2 and not any(s in text for s in SECRETS)
    ftlint.split(path, tmp_path / "c", drop_invalid=True, ignore=["FT104"], mask_rejects=False)
    assert all(s in (tmp_path / "c" / "rejected.jsonl").read_text() for s in SECRETS)
