"""The CreateModelCustomizationJob request for a target: what goes into job.json.

Everything the target decides comes from its profile (ftlint/targets/profiles.toml): the
customization type, the base model, whether a validation file is taken, the hyper-parameters
(their documented defaults, ranges and types) and, for distillation and RFT, the
customizationConfig. The caller gives what only the user knows: names, the role, the S3
locations, hyper-parameter overrides, the grader's Lambda. ftlint never sends the request."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ftlint.errors import FtlintError

OPENAI_COMPATIBLE = "openai-compatible"


class JobError(FtlintError):
    """A job request that cannot be built or that Bedrock would reject (exit code 2)."""


@dataclass
class JobOptions:
    job_name: str
    role_arn: str
    base_model: str | None = None
    custom_model_name: str | None = None
    output_uri: str | None = None
    hyperparameters: dict[str, str] = field(default_factory=dict)  # overrides, NAME -> text
    grader_lambda_arn: str | None = None
    max_response_length: int | None = None
    use_prompt_response: bool = False
    kms_key_id: str | None = None


def custom_model_name(job_name: str) -> str:
    """A customModelName derived from the job name: the characters a model name may not hold
    (Bedrock: letters and digits, each optionally followed by one '_' or '-') become '-'."""
    name = re.sub(r"[^0-9a-zA-Z_-]+", "-", job_name)
    name = re.sub(r"[_-]{2,}", "-", name).strip("_-")
    return name[:63] or "custom-model"


def build(profile, options: JobOptions, *, training: str | None = None, validation: tuple[str, ...] = (),
          invocation_logs: str | None = None) -> dict[str, Any]:
    """The request as a dict (JSON-ready); ``training`` is the training file's S3 URI, or
    ``invocation_logs`` an S3 prefix of invocation logs (distillation only)."""
    if profile.job_api == OPENAI_COMPATIBLE:
        raise JobError(f"{profile.key} is customized through Bedrock's OpenAI-compatible fine-tuning API "
                       "(files.create with purpose fine-tune, then fine_tuning.jobs.create), not "
                       "CreateModelCustomizationJob: ftlint writes no job.json for it")
    if not profile.customization_type or not profile.model_id:
        raise JobError(f"{profile.key} names no customization type or base model: it is not a job target")
    if bool(training) == bool(invocation_logs):
        raise JobError("a job needs exactly one of a training file and an invocation-log location")
    if invocation_logs and profile.customization_type != "DISTILLATION":
        raise JobError(f"invocation logs train only distillation jobs; {profile.key} is {profile.customization_type}")
    if not options.output_uri:
        raise JobError("the job needs an output location: give --output-uri s3://BUCKET/PREFIX/")
    request: dict[str, Any] = {
        "jobName": options.job_name,
        "customModelName": options.custom_model_name or custom_model_name(options.job_name),
        "roleArn": options.role_arn,
        "baseModelIdentifier": options.base_model or profile.model_id,
        "customizationType": profile.customization_type,
    }
    if invocation_logs:
        logs: dict[str, Any] = {"invocationLogSource": {"s3Uri": invocation_logs}}
        if options.use_prompt_response:
            logs["usePromptResponse"] = True
        request["trainingDataConfig"] = {"invocationLogsConfig": logs}
    else:
        request["trainingDataConfig"] = {"s3Uri": training}
    if validation:
        if not profile.validation:
            raise JobError(f"{profile.key} takes no validation dataset; leave it out of the job")
        request["validationDataConfig"] = {"validators": [{"s3Uri": uri} for uri in validation]}
    request["outputDataConfig"] = {"s3Uri": options.output_uri}
    values = hyperparameters(profile, options.hyperparameters)
    if profile.customization_type == "REINFORCEMENT_FINE_TUNING":
        if not options.grader_lambda_arn:
            raise JobError(f"{profile.key} is reinforcement fine-tuning: give the grader's Lambda with "
                           "--grader-lambda-arn arn:aws:lambda:REGION:ACCOUNT:function:NAME")
        rft: dict[str, Any] = {"graderConfig": {"lambdaGrader": {"lambdaArn": options.grader_lambda_arn}}}
        if values:
            rft["hyperParameters"] = values  # typed values: RFTHyperParameters is a structure
        request["customizationConfig"] = {"rftConfig": rft}
    else:
        if values:
            # hyperParameters is a map of string to string: numbers are written as text
            request["hyperParameters"] = {k: _text(v) for k, v in values.items()}
        if profile.customization_type == "DISTILLATION":
            if not profile.teacher_model_id:
                raise JobError(f"{profile.key} names no teacher: choose a distillation pair from `ftlint targets` "
                               "(distill-TEACHER-to-STUDENT)")
            teacher: dict[str, Any] = {"teacherModelIdentifier": profile.teacher_model_id}
            if options.max_response_length is not None:
                teacher["maxResponseLengthForInference"] = options.max_response_length
            request["customizationConfig"] = {"distillationConfig": {"teacherModelConfig": teacher}}
    if options.grader_lambda_arn and profile.customization_type != "REINFORCEMENT_FINE_TUNING":
        raise JobError(f"--grader-lambda-arn is for reinforcement fine-tuning; {profile.key} is "
                       f"{profile.customization_type}")
    if options.kms_key_id:
        request["customModelKmsKeyId"] = options.kms_key_id
    return request


def hyperparameters(profile, overrides: dict[str, str]) -> dict[str, Any]:
    """Each documented hyper-parameter's value, typed: the override when given (checked against
    the documented type and range), the documented default otherwise ("auto" where the page
    says the value must be given and accepts it)."""
    specs = profile.hyperparameter_specs
    unknown = sorted(set(overrides) - set(specs))
    if unknown:
        known = ", ".join(specs) or "none documented"
        raise JobError(f"unknown hyper-parameter{'s' * (len(unknown) > 1)} {', '.join(unknown)} for {profile.key} "
                       f"(its hyper-parameters: {known})")
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in overrides:
            out[name] = _parse(profile.key, name, spec, overrides[name])
        elif "default" in spec:
            out[name] = spec["default"]
        elif "auto" in spec:
            out[name] = spec["auto"]
    return out


def _parse(target: str, name: str, spec: dict, text: str) -> Any:
    kind = spec.get("type", "string")
    if "auto" in spec and text.lower() == str(spec["auto"]).lower():
        return spec["auto"]
    try:
        value: Any = int(text) if kind == "integer" else float(text) if kind == "float" else text
    except ValueError:
        raise JobError(f"hyper-parameter {name}={text!r} for {target} must be {'an' if kind == 'integer' else 'a'} "
                       f"{kind}") from None
    if "choices" in spec and value not in spec["choices"]:
        raise JobError(f"hyper-parameter {name}={text!r} for {target} must be one of {', '.join(spec['choices'])}")
    lo, hi = spec.get("min"), spec.get("max")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise JobError(f"hyper-parameter {name}={text} for {target} is outside its documented range "
                       f"{lo if lo is not None else ''}..{hi if hi is not None else ''}")
    return value


def _text(value: Any) -> str:
    """A hyper-parameter value as Bedrock's hyperParameters map wants it: 0.00001, not 1e-05."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
