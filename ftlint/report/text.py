"""`path:line:col: CODE [severity] message`, one finding a line, then a summary line."""
from __future__ import annotations

from typing import TextIO

from ftlint.report.escape import one_line
from ftlint.result import Report


def location(f) -> str:
    path = one_line(f.path)
    return f"{path}:{f.line}:{f.column}" if f.line is not None else path


def render(report: Report, out: TextIO, *, quiet: bool = False, color: bool = False, **_) -> None:
    for f in report.findings:
        sev = f.severity.value
        if color:
            import click

            sev = click.style(sev, fg={"error": "red", "warning": "yellow"}.get(sev, "blue"), bold=True)
        out.write(f"{location(f)}: {f.code} [{sev}] {one_line(f.message)}\n")
    if quiet:
        return
    out.write(summary_line(report) + "\n")


def summary_line(report: Report) -> str:
    s = report.summary
    records = sum(fi.records for fi in report.files)
    files = len(report.files)
    where = f"{files} file{'s' * (files != 1)}, {records:,} record{'s' * (records != 1)}"
    total = s["errors"] + s["warnings"] + s["infos"]
    accepted, base = report.accepted, one_line(report.baseline or "")
    if report.baseline_written:
        # the findings were just written to the baseline: not a pass, a record of what is there
        return (f"Wrote {accepted} finding{'s' * (accepted != 1)} to the baseline {base}; they are accepted "
                f"from now on, and later runs with --baseline {base} report only new ones ({where}).")
    also = (f"; {accepted} more accepted by the baseline {base}" if total else
            f"; {accepted} finding{'s' * (accepted != 1)} accepted by the baseline {base}") if accepted else ""
    if not total:
        head = "No new findings" if accepted else "All checks passed"
        return f"{head} ({where}){also}."
    parts = [f"{s['errors']} error{'s' * (s['errors'] != 1)}",
             f"{s['warnings']} warning{'s' * (s['warnings'] != 1)}",
             f"{s['infos']} info{'s' * (s['infos'] != 1)}"]
    return f"Found {total} finding{'s' * (total != 1)}: {', '.join(parts)} ({where}){also}."
