"""`ftlint check PATH...`: report every finding (text, JSON, SARIF, GitHub, JUnit...) and choose
the exit code: 0 clean, 1 findings at or above --fail-on, 2 a failure (ftlint.cli.main maps it)."""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from ftlint import api, baseline, cache, pairing, progress
from ftlint import spark as ftlint_spark
from ftlint.cli.options import ci_options, selection_options, settings_from
from ftlint.errors import FtlintError
from ftlint.report import REPORTERS, render

FORMAT_ENV = "FTLINT_FORMAT"


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--validation", "validation", multiple=True, type=click.Path(allow_dash=False),
              help="A held-out file checked as a split against PATHS (repeat for a test file too).")
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default=None,
              help=f"Output format (default text, or ${FORMAT_ENV}).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (2 still means failure).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--no-pair-splits", is_flag=True,
              help="Check X_val.jsonl, X_validation.jsonl, X_test.jsonl (or validation.jsonl) given next to "
                   "X.jsonl (train.jsonl) apart, not as its split (config: pair-splits = false).")
@ci_options
@selection_options
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where the checks run: this process, or Apache Spark (needs ftlint[spark]; paths may be s3:// or hdfs://).")
@click.option("--spark-master", default=None, metavar="URL",
              help="Spark master of --engine spark when no session is active (default local[*]).")
@click.option("--check-images", is_flag=True,
              help="Open every image the records reference (local or s3://) and check its format, size and "
                   "dimensions against the target (rule FT620; needs ftlint[images]).")
def check(paths, validation, output_format, output_file, fail_on, exit_zero, quiet, no_pair_splits, select,
          extend_select, ignore, rule_options, config, target, dataset_format, statistics, baseline_file,
          write_baseline, no_cache, engine, spark_master, check_images) -> int:
    """Check JSONL files and report every finding as path:line:col: CODE message."""
    if check_images:
        try:
            import PIL  # noqa: F401 - FT620 opens the images with Pillow
        except ImportError:
            raise FtlintError("--check-images needs Pillow: pip install 'ftlint[images]'") from None
        extend_select = (*extend_select, "FT620")
    settings = settings_from(config, select, extend_select, ignore, rule_options, target, dataset_format,
                             fail_on, output_format)
    name = settings.output_format or os.environ.get(FORMAT_ENV) or _ci_default_format() or "text"
    if name not in REPORTERS:
        raise FtlintError(f"unknown output format {name!r}; use one of {', '.join(sorted(REPORTERS))}")
    if engine == "spark":
        return _on_spark(paths, validation, settings, name, output_file, exit_zero, quiet, statistics,
                         baseline_file or write_baseline, spark_master)
    accepted = baseline.load(baseline_file) if baseline_file and not write_baseline else None
    sources = api.sources_of(list(paths))
    vsources = api.sources_of(list(validation)) if validation else []
    pairs = pairing.groups(list(paths)) if settings.pair_splits and not no_pair_splits and not vsources else []
    with progress.bar(progress.wanted(quiet)) as on_progress:
        def runner(settings_, train, val):
            return api.run(settings_, train, val, progress=on_progress)

        def run(train, val):
            return runner(settings, train, val) if no_cache else cache.run(settings, train, val, runner)

        report = pairing.run(sources, pairs, run) if pairs else run(sources, vsources)
    if pairs and not quiet:
        for g in pairs:
            for h in g.held:
                click.echo(f"ftlint: {paths[h]} checked as the {pairing.kind(paths[h])} split of {paths[g.train]} "
                           "(paired by name; --no-pair-splits checks them apart)", err=True)
    if write_baseline:
        n = baseline.write(report, sources + vsources, write_baseline)
        if quiet or output_file or statistics or name != "text":  # else the summary line says it
            click.echo(f"ftlint: wrote {n} finding{'s' * (n != 1)} to the baseline {write_baseline}; "
                       "they are accepted from now on", err=True)
        accepted = baseline.load(write_baseline)
    if accepted is not None:
        report = baseline.apply(report, sources + vsources, accepted, write_baseline or baseline_file,
                                written=bool(write_baseline))
    if statistics:
        _emit_statistics(name, report, output_file)
    else:
        _emit(name, report, output_file, quiet=quiet)
    if name == "github" and os.environ.get("GITHUB_STEP_SUMMARY") and not quiet:
        _append_step_summary(report)
    return 0 if exit_zero else report.exit_code


def _on_spark(paths, validation, settings, name, output_file, exit_zero, quiet, statistics, baselines, master) -> int:
    if validation or baselines:
        raise FtlintError("--validation and baselines are not supported with --engine spark yet; use --engine local")
    report = ftlint_spark.check_many(list(paths), settings=settings, master=master)
    sampled = report.engine["sampled"] if report.engine else {}
    if sampled and not quiet:
        rules = ", ".join(report.engine["on_driver"])
        for path, seen in sampled.items():
            click.echo(f"ftlint: {path}: {rules} ran on the Spark driver over a sample of {seen['examples']} "
                       f"of its {seen['of']} examples (not distributed yet; see engine.sampled in the JSON report)",
                       err=True)
    if statistics:
        _emit_statistics(name, report, output_file)
    else:
        _emit(name, report, output_file, quiet=quiet)
    return 0 if exit_zero else report.exit_code


def _ci_default_format() -> str | None:
    """GitHub Actions gets annotations without configuration (an explicit format still wins)."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else None


def _emit_statistics(name: str, report, output_file: str | None) -> None:
    from ftlint.report import statistics as stats

    if output_file:
        from ftlint.atomic import atomic_write_text

        with atomic_write_text(output_file) as out:
            stats.render(report, out, as_json=name == "json")
    else:
        stats.render(report, sys.stdout, as_json=name == "json")


def _append_step_summary(report) -> None:
    from ftlint.report import github

    try:
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(github.step_summary(report))
    except OSError:
        pass  # the summary page is a nicety; the annotations and the exit code are what count


def _emit(name: str, report, output_file: str | None, **options: Any) -> None:
    if output_file:
        from ftlint.atomic import atomic_write_text

        with atomic_write_text(output_file) as out:
            render(name, report, out, **options)
    else:
        color = name == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        render(name, report, sys.stdout, color=color, **options)
