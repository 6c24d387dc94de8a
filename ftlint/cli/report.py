"""`ftlint report PATH [--validation V] [--target T] -o report.html`: the HTML report."""
from __future__ import annotations

import time

import click

from ftlint import api
from ftlint.cli.options import selection_options, settings_from
from ftlint.engine import build_engine
from ftlint.errors import FtlintError
from ftlint.read import remote


@click.command("report")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--validation", "validation", multiple=True, type=click.Path(dir_okay=False),
              help="A held-out file shown side by side with PATH (and checked for leakage).")
@click.option("-o", "--output-file", "out", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (one self-contained page).")
@click.option("--max-rows", type=click.IntRange(0), default=2000, show_default=True,
              help="Most findings shown in the table (most severe first).")
@click.option("--sample", type=click.IntRange(1), default=20_000, show_default=True,
              help="Most records per file whose lengths are drawn (a seeded sample).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing.")
@selection_options
def report_cmd(path, validation, out, max_rows, sample, quiet, select, extend_select, ignore, rule_options,
               config, target, dataset_format) -> int:
    """Write an HTML report: summary, filterable findings, label and length charts, duplicate
    clusters, coverage and fingerprint. Exit 0 when written (use `ftlint check` to gate)."""
    from ftlint.atomic import atomic_write_text
    from ftlint.report import html

    for p in (path, *validation):
        if p == "-":
            raise FtlintError("report reads its input twice; give a file, not stdin")
    start = time.perf_counter()
    settings = settings_from(config, select, extend_select, ignore, rule_options, target, dataset_format)
    engine = build_engine(settings, keep_examples=True)  # the charts and coverage figures read every valid record
    report = engine.run(api.sources_of([path]), api.sources_of(list(validation)) if validation else [])
    page = html.build(report, max_rows=max_rows, sample=sample)
    with atomic_write_text(out) as fh:
        fh.write(page)
    if not quiet:
        s = report.summary
        size = remote.size(out)  # a local file or an s3:// object
        click.echo(f"{out}: {size / 1024:,.0f} KiB, {len(report.findings):,} findings "
                   f"({s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos) "
                   f"in {time.perf_counter() - start:.1f}s", err=True)
    return 0
