"""The Bedrock job request: job.json, a CreateModelCustomizationJob request that Bedrock accepts,
built from the target profile and checked offline against botocore's model of the API.

    from ftlint import jobs, targets

    request = jobs.make(targets.lookup("nova-lite"), jobs.JobOptions(
        job_name="tickets-1", role_arn="arn:aws:iam::123456789012:role/BedrockCustomization",
        output_uri="s3://my-bucket/out/"), training="s3://my-bucket/data/train.jsonl")
    jobs.write(request, "build/job.json")
    print(jobs.command("build/job.json"))

ftlint never calls AWS: `aws bedrock create-model-customization-job --cli-input-json
file://job.json` (the line :func:`command` prints) sends it."""
from __future__ import annotations

import json
from typing import Any

from ftlint.jobs.request import JobError, JobOptions, build, custom_model_name, hyperparameters
from ftlint.jobs.validate import botocore_version, errors, supports

__all__ = ["JobError", "JobOptions", "make", "check", "write", "command", "dumps", "build", "errors",
           "hyperparameters", "custom_model_name", "botocore_version"]

JOB_FILE = "job.json"


def make(profile, options: JobOptions, **locations: Any) -> dict[str, Any]:
    """The request for ``profile``, built and validated (raises :class:`JobError`)."""
    request = build(profile, options, **locations)
    check(request)
    return request


def check(request: dict[str, Any]) -> None:
    """Raise :class:`JobError` naming every field Bedrock would reject."""
    from ftlint.targets import CUSTOMIZATION_TYPES

    kind = request.get("customizationType")
    if kind in CUSTOMIZATION_TYPES and not supports(kind):
        raise JobError(f"botocore {botocore_version()} predates customizationType {kind}: "
                       "pip install -U 'ftlint[jobs]'")
    problems = errors(request)
    if problems:
        listed = "\n  ".join(problems)
        raise JobError(f"the CreateModelCustomizationJob request is not valid (botocore {botocore_version()}'s "
                       f"model of Bedrock):\n  {listed}")


def dumps(request: dict[str, Any]) -> str:
    return json.dumps(request, indent=2, ensure_ascii=False) + "\n"


def write(request: dict[str, Any], path: str) -> None:
    """Write job.json atomically (a local file, or an s3:// object uploaded once whole)."""
    from ftlint.read import remote

    data = dumps(request).encode("utf-8")
    if remote.is_remote(path):
        remote.write_bytes(path, data)
        return
    from ftlint.atomic import atomic_write_bytes

    with atomic_write_bytes(path) as fh:
        fh.write(data)


def command(path: str) -> str:
    """The AWS CLI line that sends the request (for an s3:// job.json, read through `aws s3 cp`)."""
    from ftlint.read import remote

    if remote.is_remote(path):
        return f"aws bedrock create-model-customization-job --cli-input-json \"$(aws s3 cp {path} -)\""
    return f"aws bedrock create-model-customization-job --cli-input-json file://{path}"
