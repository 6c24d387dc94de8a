"""`ftlint job`: write job.json, a CreateModelCustomizationJob request, for data already in S3 (a
training file, validation files, or invocation logs for distillation). `ftlint split` writes one
next to its files with the same options (ftlint.cli.job_options). No AWS call is ever made."""
from __future__ import annotations

import posixpath

import click

from ftlint import jobs
from ftlint.cli.job_options import job_options, job_profile, report, request_options
from ftlint.cli.options import settings_from
from ftlint.jobs import split_set


@click.command("job")
@click.option("--target", required=True, help="The Bedrock target (ftlint targets): customization type and base model.")
@click.option("--train", "training", help="S3 URI of the training file.")
@click.option("--validation", "validation", multiple=True, help="S3 URI of a validation file (repeatable).")
@click.option("--invocation-logs", help="Distillation from invocation logs: their S3 location.")
@click.option("--use-prompt-response", is_flag=True, help="Distillation: train on the logged responses too.")
@click.option("-o", "--output", "out", default=jobs.JOB_FILE, show_default=True,
              help="Where to write the request (a path or s3://).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file with [targets] overrides.")
@click.option("--verify", is_flag=True,
              help="Read the files and the manifest.json of the `ftlint split` set they sit in (from S3) and "
                   "refuse a file that is not the manifest's (changed, or from another run) or a set without "
                   "its manifest (an interrupted split).")
@job_options(s3_prefix=False)
def job_cmd(target, training, validation, invocation_logs, use_prompt_response, out, config, verify,
            **job) -> int:
    """Write job.json, a CreateModelCustomizationJob request for data already in S3, validated
    offline against botocore's model of Bedrock. ftlint never calls AWS."""
    profile = job_profile(settings_from(config, target=target))
    if verify:  # reads S3; without it the command stays offline
        split_set.verify([p for p in (training, *validation) if p])
    prefix = posixpath.dirname(training) + "/" if training else None
    options = request_options(job, prefix)
    options.use_prompt_response = use_prompt_response
    request = jobs.make(profile, options, training=training, validation=tuple(validation),
                        invocation_logs=invocation_logs)
    jobs.write(request, out)
    report(out, request, job["print_command"], False)
    return 0
