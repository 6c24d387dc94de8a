"""`ftlint review PATH -o review.csv`: a sheet of the flagged records for a person to decide on
(see ftlint.curate.decisions for the columns and what each decision does)."""
from __future__ import annotations

import sys

import click
import orjson

from ftlint import api, formats
from ftlint.cli.options import selection_options, settings_from
from ftlint.curate import decisions
from ftlint.errors import FtlintError
from ftlint.finding import Severity
from ftlint.report import facts
from ftlint.report.escape import printable
from ftlint.report.excerpt import example_text, excerpt

# blank lines hold nothing to decide on; `ftlint fix` drops them
SKIP_CODES = frozenset({"FT108"})


def review_rows(report, path: str, min_severity: Severity = Severity.INFO) -> list[dict]:
    """One row per flagged line of the report's first file, in line order."""
    by_line: dict[int, list] = {}
    for f in report.findings:
        if f.file_index == 0 and f.line is not None and f.code not in SKIP_CODES and f.severity.rank >= min_severity.rank:
            by_line.setdefault(f.line, []).append(f)
    fmt = report.files[0].format if report.files else None
    raws, _ = facts.scan(path, fmt, set(by_line), need_examples=False)
    rows = []
    for line in sorted(by_line):
        found = by_line[line]
        raw = raws.get(line, b"")
        rows.append({
            "line": line,
            "codes": " ".join(sorted({f.code for f in found})),
            "severity": max((f.severity for f in found), key=lambda s: s.rank).value,
            "message": printable(" | ".join(dict.fromkeys(f"{f.code}: {f.message}" for f in found))),
            "excerpt": excerpt(_text(raw, fmt, line)),
            "content_hash": decisions.content_hash(raw),
            "decision": "",
        })
    return rows


def _text(raw: bytes, fmt: str | None, line: int) -> str:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        obj = None
    if type(obj) is dict and fmt and formats.is_valid(fmt, obj):
        return example_text(formats.normalize(fmt, obj, line))
    return raw.decode("utf-8", errors="replace")


@click.command("review")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("-o", "--output-file", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="The review sheet (CSV) to write; '-' for stdout.")
@click.option("--min-severity", type=click.Choice(["error", "warning", "info"]), default="info", show_default=True,
              help="Leave out records whose findings are all below this severity.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@selection_options
def review_cmd(path, out, min_severity, quiet, select, extend_select, ignore, rule_options, config, target,
               dataset_format) -> int:
    """Write the flagged records to a CSV with an empty `decision` column: fill it with keep, drop
    or an edited text, then apply it with `ftlint fix PATH --decisions SHEET -o OUT`."""
    if path == "-":
        raise FtlintError("review reads its input twice; give a file, not stdin")
    settings = settings_from(config, select, extend_select, ignore, rule_options, target, dataset_format)
    report = api.run(settings, api.sources_of([path]))
    rows = review_rows(report, path, Severity.parse(min_severity))
    if out == "-":
        decisions.write_sheet(rows, sys.stdout)
    else:
        from ftlint.atomic import atomic_write_text

        with atomic_write_text(out) as fh:
            decisions.write_sheet(rows, fh)
    if not quiet:
        click.echo(f"{out}: {len(rows)} flagged records of {report.files[0].records} in {path}; fill the "
                   f"decision column (keep, drop or an edited text), then run "
                   f"`ftlint fix {path} --decisions {out} -o OUT`", err=True)
    return 0
