"""job.json: the CreateModelCustomizationJob request (ftlint.jobs), validated offline against
botocore's own service model for Bedrock; `ftlint job` and `ftlint split --job-name ...`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from ftlint import jobs, targets
from ftlint.cli import main
from ftlint.jobs import JobError, JobOptions

botocore = pytest.importorskip("botocore")

ROLE = "arn:aws:iam::123456789012:role/BedrockCustomization"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:math-grader"
PREFIX = "s3://my-bucket/jobs/tickets"


def options(**kw) -> JobOptions:
    return JobOptions(**{"job_name": "tickets-1", "role_arn": ROLE, "output_uri": f"{PREFIX}/output/", **kw})


def botocore_errors(request: dict) -> list[str]:
    """botocore's own ParamValidator, as boto3 runs it before sending the request."""
    from botocore.session import get_session
    from botocore.validate import ParamValidator

    shape = get_session().get_service_model("bedrock").operation_model("CreateModelCustomizationJob").input_shape
    report = ParamValidator().validate(request, shape)
    return report.generate_report().splitlines() if report.has_errors() else []


# --- one request per customization type passes botocore's validation ---------------------------

CASES = {
    "FINE_TUNING": ("nova-lite", {"training": f"{PREFIX}/train.jsonl", "validation": (f"{PREFIX}/validation.jsonl",)}, {}),
    "CONTINUED_PRE_TRAINING": ("titan-express-cpt", {"training": f"{PREFIX}/corpus.jsonl"}, {}),
    "DISTILLATION": ("distill-nova-pro-to-nova-lite", {"training": f"{PREFIX}/prompts.jsonl"},
                     {"max_response_length": 1000}),
    "REINFORCEMENT_FINE_TUNING": ("rft-nova-2-lite", {"training": f"{PREFIX}/rft.jsonl"},
                                  {"grader_lambda_arn": LAMBDA}),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_customization_type_gives_a_request_botocore_accepts(kind):
    target, where, extra = CASES[kind]
    request = jobs.make(targets.lookup(target), options(**extra), **where)
    assert request["customizationType"] == kind
    assert botocore_errors(request) == [] and jobs.errors(request) == []
    assert request["baseModelIdentifier"] == targets.lookup(target).model_id
    json.loads(jobs.dumps(request))  # what job.json holds


def test_request_details_per_type():
    ft = jobs.make(targets.lookup("nova-lite"), options(hyperparameters={"epochCount": "3"}),
                   training=f"{PREFIX}/train.jsonl")
    # a map of string to string: numbers written as text, decimals not in exponent form
    assert ft["hyperParameters"] == {"epochCount": "3", "learningRate": "0.00001", "learningRateWarmupSteps": "10"}
    dist = jobs.make(targets.lookup("distill-llama3-1-70b-to-llama3-1-8b"), options(), training=f"{PREFIX}/p.jsonl")
    assert dist["customizationConfig"] == {"distillationConfig": {"teacherModelConfig": {
        "teacherModelIdentifier": "meta.llama3-1-70b-instruct-v1:0"}}}
    assert dist["baseModelIdentifier"] == "meta.llama3-1-8b-instruct-v1:0:128k" and "hyperParameters" not in dist
    rft = jobs.make(targets.lookup("rft-nova-2-lite"), options(grader_lambda_arn=LAMBDA,
                                                               hyperparameters={"reasoningEffort": "low"}),
                    training=f"{PREFIX}/rft.jsonl")
    hp = rft["customizationConfig"]["rftConfig"]["hyperParameters"]
    assert hp["reasoningEffort"] == "low" and hp["epochCount"] == 2 and isinstance(hp["learningRate"], float)
    assert rft["customizationConfig"]["rftConfig"]["graderConfig"] == {"lambdaGrader": {"lambdaArn": LAMBDA}}
    assert "hyperParameters" not in rft  # RFT's live in rftConfig, typed
    logs = jobs.make(targets.lookup("distill-nova-pro-to-nova-lite"), options(use_prompt_response=True),
                     invocation_logs="s3://my-logs/AWSLogs/")
    assert logs["trainingDataConfig"] == {"invocationLogsConfig": {
        "invocationLogSource": {"s3Uri": "s3://my-logs/AWSLogs/"}, "usePromptResponse": True}}
    image = jobs.make(targets.lookup("titan-image-generator-v2"), options(), training=f"{PREFIX}/images.jsonl")
    assert image["hyperParameters"]["stepCount"] == "auto"  # documented: no default, "auto" accepted


# --- a wrong field fails with ftlint's message --------------------------------------------------

@pytest.mark.parametrize("change,expected", [
    ({"customizationType": "FINETUNING"}, "customizationType: 'FINETUNING' is not one of FINE_TUNING"),
    ({"roleArn": "arn:aws:iam::1234:role/x"}, "roleArn: 'arn:aws:iam::1234:role/x' does not match"),
    ({"trainingDataConfig": {"s3Uri": "s3://My_Bucket/train.jsonl"}}, "trainingDataConfig.s3Uri"),
    ({"jobName": "tickets 1"}, "jobName: 'tickets 1' does not match"),
    ({"hyperParameters": {"epochCount": 3}}, "Invalid type for parameter hyperParameters.epochCount"),
    ({"outputDataConfig": {}}, 'Missing required parameter in outputDataConfig: "s3Uri"'),
    ({"learningRate": "0.1"}, 'Unknown parameter in input: "learningRate"'),
])
def test_a_wrong_field_is_an_ftlint_error_naming_it(change, expected):
    request = jobs.make(targets.lookup("nova-lite"), options(), training=f"{PREFIX}/train.jsonl")
    with pytest.raises(JobError, match="is not valid") as exc:
        jobs.check({**request, **change})
    assert expected in str(exc.value)


def test_ranges_botocore_does_not_check_are_checked():
    request = jobs.make(targets.lookup("rft-nova-2-lite"), options(grader_lambda_arn=LAMBDA), training=f"{PREFIX}/r.jsonl")
    request["customizationConfig"]["rftConfig"]["hyperParameters"]["batchSize"] = 4096
    request["customizationConfig"]["rftConfig"]["hyperParameters"]["reasoningEffort"] = "max"
    assert botocore_errors(request) == []  # botocore checks minimums only, and no enums
    problems = jobs.errors(request)
    assert any("batchSize: 4096 is above the maximum of 512" in p for p in problems)
    assert any("reasoningEffort: 'max' is not one of low, medium, high" in p for p in problems)


@pytest.mark.parametrize("target,opts,where,message", [
    ("rft-gpt-oss-20b", {}, {"training": f"{PREFIX}/r.jsonl"}, "OpenAI-compatible fine-tuning API"),
    ("rft-nova-2-lite", {}, {"training": f"{PREFIX}/r.jsonl"}, "--grader-lambda-arn"),
    ("nova-lite", {"hyperparameters": {"epochCount": "9"}}, {"training": f"{PREFIX}/t.jsonl"}, "outside its documented range 1..5"),
    ("nova-lite", {"hyperparameters": {"epochs": "2"}}, {"training": f"{PREFIX}/t.jsonl"}, "unknown hyper-parameter epochs"),
    ("nova-lite", {"hyperparameters": {"learningRate": "fast"}}, {"training": f"{PREFIX}/t.jsonl"}, "must be a float"),
    ("nova-2-lite", {}, {"training": f"{PREFIX}/t.jsonl", "validation": (f"{PREFIX}/v.jsonl",)}, "takes no validation"),
    ("nova-lite", {}, {"invocation_logs": "s3://logs/"}, "invocation logs train only distillation"),
    ("nova-lite", {"grader_lambda_arn": LAMBDA}, {"training": f"{PREFIX}/t.jsonl"}, "for reinforcement fine-tuning"),
])
def test_requests_bedrock_would_reject_are_refused(target, opts, where, message):
    with pytest.raises(JobError) as exc:
        jobs.make(targets.lookup(target), options(**opts), **where)
    assert message in str(exc.value)


# --- the CLI --------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_split_writes_job_json_and_prints_the_command(tmp_path):
    out = tmp_path / "split"
    r = run("split", SAMPLES / "support_chat_nova.jsonl", "--out", out, "--target", "nova-lite",
            "--job-name", "help-chat-1", "--role-arn", ROLE, "--s3-prefix", "s3://my-bucket/help/",
            "--hp", "epochCount=3", "--print-command")
    assert r.exit_code == 0, r.output
    request = json.loads((out / "job.json").read_text())
    assert request["trainingDataConfig"] == {"s3Uri": "s3://my-bucket/help/train.jsonl"}
    assert request["validationDataConfig"] == {"validators": [{"s3Uri": "s3://my-bucket/help/validation.jsonl"}]}
    assert request["outputDataConfig"] == {"s3Uri": "s3://my-bucket/help/output/"}
    assert request["hyperParameters"]["epochCount"] == "3"
    assert f"aws bedrock create-model-customization-job --cli-input-json file://{out}/job.json" in r.output
    assert botocore_errors(request) == []


def test_split_job_options_are_checked_before_any_output(tmp_path):
    out = tmp_path / "split"
    r = run("split", SAMPLES / "support_chat_nova.jsonl", "--out", out, "--target", "nova-lite",
            "--job-name", "help-chat-1", "--role-arn", "arn:aws:iam::42:role/x", "--s3-prefix", "s3://my-bucket/help/")
    assert r.exit_code == 2 and "roleArn" in r.output and not out.exists()
    r = run("split", SAMPLES / "support_chat_nova.jsonl", "--out", out, "--target", "nova-lite",
            "--job-name", "help-chat-1", "--role-arn", ROLE)
    assert r.exit_code == 2 and "--s3-prefix" in r.output and not out.exists()


def test_split_writes_rft_records_and_an_rft_job(tmp_path):
    src = tmp_path / "qa.jsonl"
    src.write_text("".join(json.dumps({"prompt": f"What is {i} plus {i + 3}?", "completion": str(2 * i + 3)}) + "\n"
                           for i in range(120)))
    out = tmp_path / "rft"
    r = run("split", src, "--out", out, "--target", "rft-nova-2-lite", "--job-name", "sums-1", "--role-arn", ROLE,
            "--s3-prefix", "s3://my-bucket/sums/", "--grader-lambda-arn", LAMBDA)
    assert r.exit_code == 0, r.output
    first = json.loads((out / "train.jsonl").read_text().splitlines()[0])
    assert set(first) == {"messages", "reference_answer"} and first["messages"][-1]["role"] == "user"
    # Nova RFT takes a validation file (AWS's own RFT notebook passes validationDataConfig)
    assert (out / "validation.jsonl").exists()
    request = json.loads((out / "job.json").read_text())
    assert request["customizationType"] == "REINFORCEMENT_FINE_TUNING"
    assert request["validationDataConfig"] == {"validators": [{"s3Uri": "s3://my-bucket/sums/validation.jsonl"}]}


def test_job_command_for_data_in_s3_and_for_invocation_logs(tmp_path):
    out = tmp_path / "job.json"
    r = run("job", "--target", "titan-express", "--train", "s3://my-bucket/qa/train.jsonl", "--job-name", "qa-1",
            "--role-arn", ROLE, "-o", out, "--print-command")
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["outputDataConfig"] == {"s3Uri": "s3://my-bucket/qa/output/"}
    r = run("job", "--target", "distill-nova-pro-to-nova-micro", "--invocation-logs", "s3://my-logs/bedrock/",
            "--use-prompt-response", "--job-name", "distill-1", "--role-arn", ROLE, "--output-uri",
            "s3://my-bucket/distill/", "-o", out)
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["trainingDataConfig"]["invocationLogsConfig"]["usePromptResponse"] is True
    r = run("job", "--target", "nova-lite", "--train", "s3://my-bucket/qa/train.jsonl", "--job-name", "qa-1",
            "--role-arn", ROLE, "-o", out, "--base-model", "not a model id")
    assert r.exit_code == 2 and "baseModelIdentifier" in r.output and "Traceback" not in r.output


def test_missing_extras_give_one_clear_message(monkeypatch, tmp_path):
    import sys

    from ftlint.errors import ConfigError
    from ftlint.jobs import validate
    from ftlint.read import remote

    validate._shape.cache_clear()
    monkeypatch.setitem(sys.modules, "botocore", None)
    monkeypatch.setitem(sys.modules, "botocore.session", None)
    with pytest.raises(ConfigError, match=r"pip install 'ftlint\[jobs\]'"):
        jobs.errors({})
    monkeypatch.undo()
    validate._shape.cache_clear()
    monkeypatch.setitem(sys.modules, "s3fs", None)
    with pytest.raises(ConfigError, match=r"pip install 'ftlint\[s3\]'"):
        remote.size("s3://my-bucket/a.jsonl")
    r = run("check", "s3://my-bucket/a.jsonl")
    assert r.exit_code == 2 and "ftlint[s3]" in r.output and "Traceback" not in r.output
    monkeypatch.setitem(sys.modules, "PIL", None)
    path = tmp_path / "a.jsonl"
    path.write_text('{"image-ref": "a.png", "caption": "a mug"}\n')
    r = run("check", path, "--check-images", "--no-cache")
    assert r.exit_code == 2 and "ftlint[images]" in r.output


def test_job_verify_without_credentials_is_one_message(tmp_path, monkeypatch):
    pytest.importorskip("s3fs")
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookup: never the network
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    r = run("job", "--target", "nova-lite", "--train", "s3://my-bucket/qa/train.jsonl", "--job-name", "qa-1",
            "--role-arn", ROLE, "-o", tmp_path / "job.json", "--verify")
    assert r.exit_code == 2 and "internal error" not in r.output, r.output
