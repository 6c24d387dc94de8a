"""The job.json options `ftlint job` and `ftlint split` share, and what they do with them: build a
CreateModelCustomizationJob request (ftlint.jobs) for files in S3, validate it offline, write
it. No AWS call is ever made."""
from __future__ import annotations

import json
import posixpath

import click

from ftlint import jobs
from ftlint.errors import FtlintError
from ftlint.read import remote

# (parameter declarations, keyword arguments) of each option, in the order --help shows them
_OPTIONS = (
    (("--job-name",), {"help": "Write job.json (a CreateModelCustomizationJob request) with this job name."}),
    (("--role-arn",), {"help": "The IAM service role Bedrock assumes for the job (job.json)."}),
    (("--base-model",), {"help": "Base model identifier for job.json (default: the target's model id)."}),
    (("--custom-model-name",), {"help": "Name of the custom model (default: from the job name)."}),
    (("--output-uri",), {"help": "S3 location for the job's output (default: PREFIX/output/)."}),
    (("--s3-prefix",), {"help": "Where the split files will be uploaded (s3://BUCKET/PREFIX/), when "
                                "--out is a local folder; job.json points at it."}),
    (("--hp",), {"multiple": True, "metavar": "NAME=VALUE",
                 "help": "Override a hyper-parameter of job.json (checked against the documented range)."}),
    (("--grader-lambda-arn",), {"help": "The reward function of a reinforcement fine-tuning job."}),
    (("--max-response-length",), {"type": click.IntRange(1),
                                  "help": "Distillation: maxResponseLengthForInference of the teacher."}),
    (("--kms-key-id",), {"help": "KMS key for the custom model (customModelKmsKeyId)."}),
    (("--print-command",), {"is_flag": True, "help": "Print the aws CLI line that submits job.json."}),
)
NAMES = ("job_name", "role_arn", "base_model", "custom_model_name", "output_uri", "s3_prefix", "hp",
         "grader_lambda_arn", "max_response_length", "kms_key_id", "print_command")


def job_options(fn=None, *, s3_prefix: bool = True):
    """The job.json options as click options (``s3_prefix=False``: without --s3-prefix, for
    `ftlint job`, whose files are already in S3)."""
    def decorate(f):
        for decls, kw in reversed(_OPTIONS):  # the last decorator applied is listed first
            if s3_prefix or decls != ("--s3-prefix",):
                f = click.option(*decls, **kw)(f)
        return f

    return decorate(fn) if fn is not None else decorate


def wanted(job: dict) -> bool:
    """Whether any job option (other than --print-command) was given."""
    return any(job[k] for k in NAMES if k != "print_command" and k in job)


def _overrides(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--hp takes NAME=VALUE, got {text!r}")
        out[name.strip()] = value.strip()
    return out


def request_options(job: dict, prefix: str | None) -> jobs.JobOptions:
    if not job["job_name"] or not job["role_arn"]:
        raise click.UsageError("job.json needs --job-name and --role-arn")
    return jobs.JobOptions(job_name=job["job_name"], role_arn=job["role_arn"], base_model=job["base_model"],
                           custom_model_name=job["custom_model_name"],
                           output_uri=job["output_uri"] or (join(prefix, "output/") if prefix else None),
                           hyperparameters=_overrides(job["hp"]), grader_lambda_arn=job["grader_lambda_arn"],
                           max_response_length=job["max_response_length"], kms_key_id=job["kms_key_id"])


def join(prefix: str, name: str) -> str:
    return prefix.rstrip("/") + "/" + name


def job_profile(settings):
    """The settings' target profile (with the config's overrides): the job's customization type
    and base model."""
    if not settings.target:
        raise click.UsageError("job.json needs --target MODEL (the job's customization type and base model)")
    return settings.profile()


def split_prefix(out: str, s3_prefix: str | None) -> str:
    """Where the split's files will be in S3: --out itself, or --s3-prefix for a local --out."""
    prefix = out if remote.is_remote(out) else s3_prefix
    if not prefix or not remote.is_remote(prefix):
        raise click.UsageError("job.json points at the files in S3: write the split to --out s3://BUCKET/PREFIX/ "
                               "or give --s3-prefix s3://BUCKET/PREFIX/ where you will upload them")
    return prefix


def write_split_job(out: str, prefix: str, profile, options: jobs.JobOptions, print_command: bool,
                    quiet: bool | None) -> None:
    """job.json next to a finished split, pointing at its train (and validation) file in S3."""
    manifest = _manifest(out)
    if manifest.get("output_format") == "invocation-log":
        raise FtlintError("invocation logs are not split: a distillation job reads them in place; run "
                          "`ftlint job --invocation-logs s3://...` instead")
    validation = (join(prefix, "validation.jsonl"),) if "validation.jsonl" in manifest.get("outputs", {}) else ()
    request = jobs.make(profile, options, training=join(prefix, "train.jsonl"), validation=validation)
    where = join(out, jobs.JOB_FILE) if remote.is_remote(out) else posixpath.join(out, jobs.JOB_FILE)
    jobs.write(request, where)
    report(where, request, print_command, quiet)


def _manifest(out: str) -> dict:
    path = join(out, "manifest.json") if remote.is_remote(out) else posixpath.join(out, "manifest.json")
    with remote.open_binary(path) as fh:
        return json.loads(fh.read())


def report(where: str, request: dict, print_command: bool, quiet: bool | None) -> None:
    if not quiet:
        click.echo(f"job.json: {request['customizationType']} of {request['baseModelIdentifier']} "
                   f"(validated against botocore {jobs.botocore_version()}) -> {where}", err=True)
    if print_command:
        click.echo(jobs.command(where))
