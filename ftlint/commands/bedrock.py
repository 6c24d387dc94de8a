"""The Bedrock job options of the CLI, installed onto the group in one call (:func:`install`):

- ``ftlint job``: write job.json, a CreateModelCustomizationJob request, for data already in S3
  (a training file, validation files, or invocation logs for distillation);
- ``ftlint split ... --job-name NAME --role-arn ARN`` writes job.json next to the split files;
- ``ftlint check --check-images`` opens every referenced image (rule FT620).

The split and check commands are extended by adding options to them and wrapping their
callbacks, so that their own modules stay as they are. No AWS call is ever made."""
from __future__ import annotations

import functools
import posixpath

import click

from ftlint import jobs, remote
from ftlint.errors import FtlintError

JOB_OPTIONS = ("job_name", "role_arn", "base_model", "custom_model_name", "output_uri", "s3_prefix", "hp",
               "grader_lambda_arn", "max_response_length", "kms_key_id", "print_command")


def _job_params() -> list[click.Option]:
    return [
        click.Option(["--job-name"], help="Write job.json (a CreateModelCustomizationJob request) with this job name."),
        click.Option(["--role-arn"], help="The IAM service role Bedrock assumes for the job (job.json)."),
        click.Option(["--base-model"], help="Base model identifier for job.json (default: the target's model id)."),
        click.Option(["--custom-model-name"], help="Name of the custom model (default: from the job name)."),
        click.Option(["--output-uri"], help="S3 location for the job's output (default: PREFIX/output/)."),
        click.Option(["--s3-prefix"], help="Where the split files will be uploaded (s3://BUCKET/PREFIX/), when "
                     "--out is a local folder; job.json points at it."),
        click.Option(["--hp"], multiple=True, metavar="NAME=VALUE",
                     help="Override a hyper-parameter of job.json (checked against the documented range)."),
        click.Option(["--grader-lambda-arn"], help="The reward function of a reinforcement fine-tuning job."),
        click.Option(["--max-response-length"], type=click.IntRange(1),
                     help="Distillation: maxResponseLengthForInference of the teacher."),
        click.Option(["--kms-key-id"], help="KMS key for the custom model (customModelKmsKeyId)."),
        click.Option(["--print-command"], is_flag=True, help="Print the aws CLI line that submits job.json."),
    ]


def _overrides(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--hp takes NAME=VALUE, got {text!r}")
        out[name.strip()] = value.strip()
    return out


def _options(kw: dict, prefix: str | None) -> jobs.JobOptions:
    if not kw["job_name"] or not kw["role_arn"]:
        raise click.UsageError("job.json needs --job-name and --role-arn")
    return jobs.JobOptions(job_name=kw["job_name"], role_arn=kw["role_arn"], base_model=kw["base_model"],
                           custom_model_name=kw["custom_model_name"],
                           output_uri=kw["output_uri"] or (_join(prefix, "output/") if prefix else None),
                           hyperparameters=_overrides(kw["hp"]), grader_lambda_arn=kw["grader_lambda_arn"],
                           max_response_length=kw["max_response_length"], kms_key_id=kw["kms_key_id"])


def _join(prefix: str, name: str) -> str:
    return prefix.rstrip("/") + "/" + name


def _profile(kw: dict):
    from ftlint import api
    from ftlint.cli import load_settings

    settings = load_settings(kw.get("config"), kw.get("select", ()), kw.get("extend_select", ()), kw.get("ignore", ()),
                             kw.get("rule_options", ()), kw.get("target"), kw.get("dataset_format"))
    if not settings.target:
        raise click.UsageError("job.json needs --target MODEL (the job's customization type and base model)")
    return api.resolve_target(settings.target, settings.target_overrides, settings.tokenizer, settings.source)


def _wrap_split(split_cmd: click.Command) -> None:
    split_cmd.params.extend(_job_params())
    inner = split_cmd.callback

    @functools.wraps(inner)
    def callback(**kw):
        mine = {k: kw.pop(k) for k in JOB_OPTIONS}
        wanted = any(mine[k] for k in JOB_OPTIONS if k not in ("print_command",))
        if not wanted:
            return inner(**kw)
        out = kw["out_dir"]
        prefix = out if remote.is_remote(out) else mine["s3_prefix"]
        if not prefix or not remote.is_remote(prefix):
            raise click.UsageError("job.json points at the files in S3: write the split to --out s3://BUCKET/PREFIX/ "
                                   "or give --s3-prefix s3://BUCKET/PREFIX/ where you will upload them")
        profile = _profile({**kw, **mine})
        options = _options(mine, prefix)
        # everything but the file list is known now: a bad name, role or hyper-parameter stops
        # the run before any output is written
        jobs.make(profile, options, training=_join(prefix, "train.jsonl"))
        code = inner(**kw)
        if code:
            return code
        manifest = _manifest(out)
        if manifest.get("output_format") == "invocation-log":
            raise FtlintError("invocation logs are not split: a distillation job reads them in place; run "
                              "`ftlint job --invocation-logs s3://...` instead")
        validation = (_join(prefix, "validation.jsonl"),) if "validation.jsonl" in manifest.get("outputs", {}) else ()
        request = jobs.make(profile, options, training=_join(prefix, "train.jsonl"), validation=validation)
        where = _join(out, jobs.JOB_FILE) if remote.is_remote(out) else posixpath.join(out, jobs.JOB_FILE)
        jobs.write(request, where)
        _report(where, request, mine["print_command"], kw.get("quiet"))
        return 0

    split_cmd.callback = callback


def _manifest(out: str) -> dict:
    import json

    path = _join(out, "manifest.json") if remote.is_remote(out) else posixpath.join(out, "manifest.json")
    with remote.open_binary(path) as fh:
        return json.loads(fh.read())


def _report(where: str, request: dict, print_command: bool, quiet: bool | None) -> None:
    if not quiet:
        click.echo(f"job.json: {request['customizationType']} of {request['baseModelIdentifier']} "
                   f"(validated against botocore {jobs.botocore_version()}) -> {where}", err=True)
    if print_command:
        click.echo(jobs.command(where))


@click.command("job")
@click.option("--target", required=True, help="The Bedrock target (ftlint targets): customization type and base model.")
@click.option("--train", "training", help="S3 URI of the training file.")
@click.option("--validation", "validation", multiple=True, help="S3 URI of a validation file (repeatable).")
@click.option("--invocation-logs", help="Distillation from invocation logs: their S3 location.")
@click.option("--use-prompt-response", is_flag=True, help="Distillation: train on the logged responses too.")
@click.option("-o", "--output", "out", default=jobs.JOB_FILE, show_default=True,
              help="Where to write the request (a path or s3://).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file with [targets] overrides.")
def job_cmd(target, training, validation, invocation_logs, use_prompt_response, out, config, **kw) -> int:
    """Write job.json, a CreateModelCustomizationJob request for data already in S3, validated
    offline against botocore's model of Bedrock. ftlint never calls AWS."""
    profile = _profile({"target": target, "config": config})
    prefix = posixpath.dirname(training) + "/" if training else None
    options = _options(kw, prefix)
    options.use_prompt_response = use_prompt_response
    request = jobs.make(profile, options, training=training, validation=tuple(validation),
                        invocation_logs=invocation_logs)
    jobs.write(request, out)
    _report(out, request, kw["print_command"], False)
    return 0


for _param in _job_params():
    if _param.name != "s3_prefix":
        job_cmd.params.append(_param)


def _check_images(check_cmd: click.Command) -> None:
    check_cmd.params.append(click.Option(
        ["--check-images"], is_flag=True,
        help="Open every image the records reference (local or s3://) and check its format, size and "
             "dimensions against the target (rule FT620; needs ftlint[images])."))
    inner = check_cmd.callback

    @functools.wraps(inner)
    def callback(**kw):
        if kw.pop("check_images"):
            try:
                import PIL  # noqa: F401
            except ImportError:
                raise FtlintError("--check-images needs Pillow: pip install 'ftlint[images]'") from None
            kw["extend_select"] = (*kw["extend_select"], "FT620")
        return inner(**kw)

    check_cmd.callback = callback


def install(group: click.Group) -> None:
    """Add `ftlint job`, the job options of `split` and `check --check-images` to the CLI."""
    group.add_command(job_cmd)
    _wrap_split(group.commands["split"])
    _check_images(group.commands["check"])
