"""Text from the data is shown, never embedded raw: a NUL, a control character, a lone surrogate
or a bidi override in a record appears in the HTML report and the review sheet as a visible
escape (\\x00, \\u202e), not as the byte itself."""
from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner

from ftlint.cli import main
from ftlint.report.escape import html, printable

UNSAFE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
HOSTILE = ["Exported CSV has a \x00 strange character", "the bell \x07 rings", "reversed \u202e text",
           "escape \x1b[31m red", "next line \x85 C1"]


def _data(tmp_path):
    rows = [{"input": text, "output": "billing\x00"} for text in HOSTILE]
    rows += [{"input": f"Ticket {i}: the export of report {i} fails", "output": "technical"} for i in range(10)]
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_printable_makes_unsafe_characters_visible():
    assert printable("a\x00b\x07c\x7f\x85\u202e\ud800\ufffe") == "a\\x00b\\x07c\\x7f\\x85\\u202e\\ud800\\ufffe"
    assert printable("plain text, tabs\tand newlines\n stay; é ü 日本 too") == \
        "plain text, tabs\tand newlines\n stay; é ü 日本 too"
    assert html('<b a="x">\x00') == "&lt;b a=&quot;x&quot;&gt;\\x00"


def test_html_report_embeds_no_control_character(tmp_path):
    out = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", str(_data(tmp_path)), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    page = out.read_bytes()
    assert UNSAFE.findall(page) == []
    assert b"Exported CSV has a \\x00 strange" in page  # the excerpt shows where it was
    assert b"billing\\x00" in page  # ...and so does the label chart


def test_review_sheet_embeds_no_control_character(tmp_path):
    out = tmp_path / "review.csv"
    r = CliRunner().invoke(main, ["review", str(_data(tmp_path)), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert UNSAFE.findall(raw) == []
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) >= len(HOSTILE)
    assert any("Exported CSV has a \\x00 strange" in row["excerpt"] for row in rows)


def test_text_output_keeps_one_finding_a_line_and_no_escape_sequence():
    from ftlint.finding import Finding, Severity
    from ftlint.report import text
    from ftlint.result import FileInfo, Report

    f = Finding(code="FT303", name="label-variant", severity=Severity.ERROR, path="a\x1b[2Jb.jsonl", line=3,
                message="label 'x\x1b[31m' is\na variant")
    out = io.StringIO()
    text.render(Report([f], [FileInfo("a\x1b[2Jb.jsonl", 3, "prompt-completion")]), out, quiet=True)
    assert out.getvalue() == "a\\x1b[2Jb.jsonl:3:1: FT303 [error] label 'x\\x1b[31m' is\\na variant\n"
