"""GitHub Actions workflow commands: one annotation per finding, grouped per file, then a summary.

`::error file=P,line=L,col=C,title=ftlint (CODE)::message` (`::warning`, `::notice` for info).
Data is escaped as the Actions toolkit does (`%`, CR, LF) and properties also escape `:` and
`,`. GitHub shows only about ten annotations of each level per step, so the log also gets a
summary line and the count per code."""
from __future__ import annotations

from itertools import groupby
from typing import TextIO

from ftlint.report import statistics
from ftlint.report.paths import relative
from ftlint.report.text import summary_line
from ftlint.result import Report

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f) -> str:
    props = [f"file={escape_property(relative(f.path))}"]
    if f.line is not None:
        props += [f"line={f.line}", f"col={f.column}"]
    props.append(f"title={escape_property(f'ftlint ({f.code})')}")
    text = f"{f.code} {f.name}: {f.message}"
    return f"::{LEVELS[f.severity.value]} {','.join(props)}::{escape_data(text)}"


def render(report: Report, out: TextIO, *, quiet: bool = False, **_) -> None:
    for path, group in groupby(report.findings, key=lambda f: (f.file_index, f.path)):
        items = list(group)
        n = len(items)
        out.write(f"::group::{escape_data(relative(path[1]))}: {n} finding{'s' * (n != 1)}\n")
        for f in items:
            out.write(annotation(f) + "\n")
        out.write("::endgroup::\n")
    if quiet:
        return
    for line in statistics.lines(report):
        out.write(line + "\n")
    out.write(summary_line(report) + "\n")


def step_summary(report: Report) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the job's summary page shows every code, not just ten."""
    lines = ["### ftlint", "", summary_line(report), ""]
    table = statistics.rows(report)
    if table:
        lines += ["| code | name | severity | count |", "|---|---|---|---:|"]
        lines += [f"| {r['code']} | {r['name']} | {r['severity']} | {r['count']} |" for r in table]
    return "\n".join(lines) + "\n"
