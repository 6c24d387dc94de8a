"""`ftlint split PATH --out DIR`: grouped, stratified, seeded train/validation(/test) JSONL plus
rejected.jsonl and manifest.json (see ftlint.curate.split)."""
from __future__ import annotations

import sys

import click

from ftlint import jobs
from ftlint.cli.job_options import (
    job_options,
    job_profile,
    join,
    request_options,
    split_prefix,
    wanted,
    write_split_job,
)
from ftlint.cli.options import selection_options, settings_from
from ftlint.curate.split import DEFAULT_SEED, SplitOptions, SplitRefused, parse_size, split_file
from ftlint.errors import FtlintError
from ftlint.report import render


@click.command("split")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for train.jsonl, validation.jsonl, test.jsonl, rejected.jsonl, manifest.json.")
@click.option("--validation-size", default="0.1", show_default=True,
              help="A fraction (0.1) or a record count (500).")
@click.option("--test-size", default="0", show_default=True, help="A fraction or a record count; 0 for none.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the shuffle.")
@click.option("--stratify", default="auto", show_default=True, metavar="auto|none|FIELD",
              help="Keep label shares equal across splits: detected labels, none, or a top-level field.")
@click.option("--group", type=click.Choice(["exact", "near", "none"]), default="near", show_default=True,
              help="Keep exact (FT201) / and near (FT202) duplicates and conflicting prompts (FT203) on one side.")
@click.option("--drop-invalid", is_flag=True,
              help="Reject records with error findings (as `ftlint fix` does) instead of refusing to split.")
@click.option("--no-mask-rejects", "no_mask", is_flag=True,
              help="Write credentials in rejected.jsonl as they are (by default they are masked there).")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where the split runs: this process, or Apache Spark (needs ftlint[spark]; PATH and --out may be "
                   "s3:// or hdfs://; writes train/, validation/, rejected/ folders of JSONL parts).")
@click.option("--spark-master", default=None, metavar="URL",
              help="Spark master of --engine spark when no session is active (default local[*]).")
@click.option("--single-file", is_flag=True, help="--engine spark: one JSONL part per folder instead of one per partition.")
@selection_options
@job_options
def split_cmd(path, out_dir, validation_size, test_size, seed, stratify, group, drop_invalid, no_mask, quiet, engine,
              spark_master, single_file, select, extend_select, ignore, rule_options, config, target, dataset_format,
              **job) -> int:
    """Split a checked JSONL file into Bedrock-ready train / validation (/ test) files.

    Refuses (exit 1, printing the findings) while error findings remain, unless --drop-invalid."""
    settings = settings_from(config, select, extend_select, ignore, rule_options, target, dataset_format)
    if engine == "spark":
        if wanted(job):
            raise FtlintError("the job options are not supported with --engine spark yet; use --engine local")
        options = SplitOptions(validation_size=parse_size(validation_size, "--validation-size"),
                               test_size=parse_size(test_size, "--test-size"), seed=seed, stratify=stratify,
                               group=group, drop_invalid=drop_invalid, mask_rejects=not no_mask)
        return _on_spark(path, out_dir, settings, options, spark_master, single_file, quiet)
    prefix = split_prefix(out_dir, job["s3_prefix"]) if wanted(job) else None
    if prefix is not None:
        profile = job_profile(settings)
        request = request_options(job, prefix)
        # everything but the file list is known now: a bad name, role or hyper-parameter stops
        # the run before any output is written
        jobs.make(profile, request, training=join(prefix, "train.jsonl"))
    options = SplitOptions(validation_size=parse_size(validation_size, "--validation-size"),
                           test_size=parse_size(test_size, "--test-size"), seed=seed, stratify=stratify,
                           group=group, drop_invalid=drop_invalid, mask_rejects=not no_mask)
    try:
        result = split_file(path, out_dir, settings, options)
    except SplitRefused as exc:
        if exc.report is not None:
            errors = [f for f in exc.report.findings if f.severity.value == "error"]
            render("text", type(exc.report)(errors, exc.report.files), sys.stdout)
        click.echo(f"ftlint: split refused: {exc}", err=True)
        return 1
    if not quiet:
        c = result.counts
        parts = [f"train {c['train']}"]
        if "validation.jsonl" in result.manifest["outputs"]:
            parts.append(f"validation {c['validation']}")
        if "test.jsonl" in result.manifest["outputs"]:
            parts.append(f"test {c['test']}")
        parts.append(f"rejected {c['rejected']}")
        click.echo(f"{path}: {result.manifest['input']['lines']} lines -> {', '.join(parts)} "
                   f"(seed {seed}) in {out_dir}/")
        for note in result.notes:
            click.echo(f"note: {note}")
        masked = result.manifest["fixes"].get("masked_in_rejects_by_type")
        if masked:
            click.echo(f"note: masked {sum(masked.values())} found value(s) in rejected.jsonl; "
                       "--no-mask-rejects keeps them as they are")
    if prefix is not None:
        write_split_job(out_dir, prefix, profile, request, job["print_command"], quiet)
    return 0


def _on_spark(path, out_dir, settings, options, master, single_file, quiet) -> int:
    from ftlint import spark as ftlint_spark

    try:
        man = ftlint_spark.split(path, out_dir, settings=settings, master=master, single_file=single_file,
                                 validation_size=options.validation_size, seed=options.seed, stratify=options.stratify,
                                 group=options.group, drop_invalid=options.drop_invalid,
                                 mask_rejects=options.mask_rejects)
    except SplitRefused as exc:
        click.echo(f"ftlint: split refused: {exc}", err=True)
        return 1
    if not quiet:
        r = man["records"]
        click.echo(f"{path}: {man['input']['lines']} lines -> train {r['train']}, validation {r['validation']}, "
                   f"rejected {r['rejected']} (seed {options.seed}, Spark) in {out_dir}/")
        for note in man["notes"]:
            click.echo(f"note: {note}")
    return 0
