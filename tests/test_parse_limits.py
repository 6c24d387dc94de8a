"""Lines that are JSON, or nearly, but that a job's parser chokes on: lone surrogates (FT106),
numbers beyond a double (FT112), nesting too deep (FT113). Each is one finding on its line, and
`check`, `fix` and `split` agree on it: no internal error, no crash where a stage re-encodes."""
from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

import ftlint
from ftlint.cli import main


def chat(i: int, meta: str = "1") -> str:
    return ('{"messages": [{"role": "user", "content": "Where is order ' + str(i) + '?"}, {"role": "assistant", '
            f'"content": "Order {i} ships on day {i} of the month."}}], "metadata": {{"x": {meta}}}}}')


def write(tmp_path, bad: str, n: int = 12, name: str = "data.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join([chat(i) for i in range(1, n)] + [bad]) + "\n", encoding="utf-8")
    return p


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_no_crash(result):
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def check_then_fix(tmp_path, path, code: str):
    """check reports ``code`` on the last line; fix drops that line for that code; they agree."""
    last = len(path.read_text().splitlines())
    r = run("check", path, "--no-cache", "--format", "json")
    assert_no_crash(r)
    found = [(f["code"], f["line"]) for f in json.loads(r.output)["findings"]]
    assert (code, last) in found, found
    out = tmp_path / "out.jsonl"
    r = run("fix", path, "-o", out)
    assert_no_crash(r)
    rejects = [json.loads(x) for x in (tmp_path / "out.rejected.jsonl").read_text().splitlines()]
    assert [(x["line"], x["codes"]) for x in rejects] == [(last, [code])]
    assert len(out.read_text().splitlines()) == last - 1
    return json.loads(r.output) if r.output.startswith("{") else None


# ------------------------------------------------------------------ lone surrogates (FT106)

SURROGATE = ('{"messages": [{"role": "user", "content": "Where is my \\ud800 order?"}, '
             '{"role": "assistant", "content": "It ships today."}]}')


def test_lone_surrogate_is_ft106_on_its_line_with_column(tmp_path):
    p = write(tmp_path, SURROGATE)
    report = ftlint.check(p)  # the whole default set: FT201 re-encodes every record
    (f,) = [f for f in report.findings if f.code == "FT106"]
    assert f.line == 12 and "surrogate" in f.message and "messages[0].content" in f.message
    assert f.column == SURROGATE.index("\\ud800") + 1


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\udc00\\ud800", "x\\ud83d"])
def test_every_kind_of_lone_surrogate(tmp_path, escape):
    p = write(tmp_path, '{"prompt": "a ' + escape + ' b", "completion": "c"}')
    assert "FT106" in ftlint.check(p, select=["FT1"]).summary["by_code"]


def test_a_valid_surrogate_pair_is_fine(tmp_path):
    p = write(tmp_path, '{"messages": [{"role": "user", "content": "smile \\ud83d\\ude00"}, '
                        '{"role": "assistant", "content": "Glad to help."}]}')
    assert "FT106" not in ftlint.check(p).summary["by_code"]


def test_fix_and_split_survive_a_lone_surrogate(tmp_path):
    # distinct records: chat(i)'s differ only in their numbers, so on FT202's character 3-grams they
    # are near-duplicates of each other, and split keeps them all in train (one group, near leaks)
    words = "parcel refund invoice courier warranty battery screen coupon login upgrade receipt trial".split()
    p = tmp_path / "data.jsonl"
    p.write_text("".join(json.dumps({"messages": [
        {"role": "user", "content": " ".join(random.Random(i).sample(words, 5)) + "?"},
        {"role": "assistant", "content": " ".join(random.Random(-i).sample(words, 6)) + "."}]}) + "\n"
        for i in range(1, 40)) + SURROGATE + "\n", encoding="utf-8")
    check_then_fix(tmp_path, p, "FT106")
    r = run("split", p, "--out", tmp_path / "split", "--drop-invalid")
    assert_no_crash(r)
    assert r.exit_code == 0, r.output
    kept = sum(len((tmp_path / "split" / n).read_text().splitlines()) for n in ("train.jsonl", "validation.jsonl"))
    assert kept == 39


def test_api_records_with_a_lone_surrogate_are_checked_not_crashed():
    records = [{"prompt": "a \ud800 b", "completion": "c"}, {"prompt": "d", "completion": "e"}]
    report = ftlint.check(records)
    assert [(f.code, f.line) for f in report.findings if f.code == "FT106"] == [("FT106", 1)]


# ------------------------------------------------------------------ numbers (FT112)

@pytest.mark.parametrize("literal", ["1" * 400, "-" + "9" * 400, "1" * 5000, "1e99999", "-2.5E400"])
def test_numbers_beyond_a_double_are_ft112_in_check_and_fix(tmp_path, literal):
    p = write(tmp_path, chat(99, literal))
    check_then_fix(tmp_path, p, "FT112")
    (f,) = [f for f in ftlint.check(p).findings if f.code == "FT112"]
    assert "metadata.x" in f.message and "NaN" not in f.message
    assert f.column == chat(99, literal).index(literal) + 1


@pytest.mark.parametrize("literal", ["1e308", "18446744073709551615", "-9223372036854775808",
                                     "123456789012345678901234567890", "1e-99999"])
def test_numbers_a_double_holds_are_fine(tmp_path, literal):
    p = write(tmp_path, chat(99, literal))
    report = ftlint.check(p)
    assert report.findings == [] or {"FT112", "FT101"}.isdisjoint(report.summary["by_code"])
    r = run("fix", p, "-o", tmp_path / "out.jsonl")
    assert_no_crash(r)
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 12


def test_nan_message_is_kept_for_nan(tmp_path):
    p = write(tmp_path, chat(99, "NaN"))
    (f,) = [f for f in ftlint.check(p).findings if f.code == "FT101"]
    assert "NaN" in f.message


def test_number_and_other_defects_on_one_line_are_all_reported(tmp_path):
    # the rest of the record is still checked: the number is read as its text
    p = write(tmp_path, '{"prompt": "a\\u0000b", "completion": "", "n": %s}' % ("7" * 400))
    codes = {f.code for f in ftlint.check(p).findings if f.line == 12}
    assert {"FT112", "FT106"} <= codes


# ------------------------------------------------------------------ nesting (FT113)

@pytest.mark.parametrize("depth", [255, 300, 1023, 1100, 20_000])
def test_deep_nesting_is_ft113_in_check_and_fix(tmp_path, depth):
    p = write(tmp_path, chat(99, "[" * depth + "]" * depth))
    check_then_fix(tmp_path, p, "FT113")


def test_deep_objects_are_ft113(tmp_path):
    p = write(tmp_path, chat(99, '{"a": ' * 400 + "1" + "}" * 400))
    check_then_fix(tmp_path, p, "FT113")


def test_deep_nesting_in_a_flat_record(tmp_path):
    # no nested key, so the reader's duplicate-key probe never re-serialises it
    p = write(tmp_path, '{"prompt": "a", "completion": "b", "x": ' + "[" * 300 + "]" * 300 + "}")
    assert "FT113" in ftlint.check(p, select=["FT1"]).summary["by_code"]


def test_nesting_under_the_limit_is_fine(tmp_path):
    p = write(tmp_path, chat(99, "[" * 240 + "]" * 240))
    assert "FT113" not in ftlint.check(p).summary["by_code"]


def test_truncated_deep_line_is_one_finding(tmp_path):
    p = write(tmp_path, '{"prompt": ' + "[" * 5000)
    found = [f for f in ftlint.check(p, select=["FT1"]).findings if f.line == 12]
    assert len(found) == 1 and found[0].code in ("FT101", "FT113")


def test_max_depth_option(tmp_path):
    p = write(tmp_path, chat(99, "[[[[1]]]]"))
    assert "FT113" in ftlint.check(p, options={"FT113": {"max-depth": 4}}).summary["by_code"]
    assert "FT113" not in ftlint.check(p).summary["by_code"]
    r = run("check", p, "-O", "FT113.max-depth=999")
    assert r.exit_code == 2 and "max-depth" in r.output
