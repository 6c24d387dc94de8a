'''FT621: distillation from invocation logs. A distillation target is one teacher/student pair
(`ftlint targets` lists them as distill-TEACHER-to-STUDENT); prompt files are checked by the
general rules with the student's limits (FT601, FT602, FT610, FT611). Invocation logs
(format `invocation-log`) are read by the job through invocationLogsConfig; this rule checks what
the logs must hold when the job uses their responses.'''
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem, Severity
from ftlint.formats.invocation_log import model_id
from ftlint.rules.base import Option, rule


def from_teacher(logged: str, teacher: str) -> bool:
    """Whether a logged modelId is the teacher: the id itself, an ARN ending in it, or a
    cross-Region inference profile (``us.amazon.nova-pro-v1:0``) of it."""
    return logged == teacher or logged.endswith(("/" + teacher, "." + teacher))


@rule("FT621", "invocation-log-teacher", "warning",
      "Too few logged responses from the distillation target's teacher model for a job that uses the logged responses.",
      why="only a job that uses the logged responses (usePromptResponse) needs them, which ftlint cannot see in the data.",
      scope="dataset", needs_target=True, options={
          "min-teacher-responses": Option(100, "responses from the teacher that a usePromptResponse job needs "
                                          "(the distillation data page: at least 100)"),
      })
def invocation_log_teacher(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    For a file of Bedrock invocation logs and a distillation target, counts the log entries
    whose `modelId` is the target's teacher (or a cross-Region inference profile or ARN of it)
    and warns when fewer than `min-teacher-responses` (100) are, naming the models the others
    came from. Prompt counts (100 to 15,000) are FT601.

    ## Why it matters
    With `usePromptResponse`, Bedrock fine-tunes the student on the logged responses and needs
    at least 100 prompt-response pairs from exactly the teacher model; responses from other
    models are not used. Without it (prompts only), any model's logs serve as prompts.

    ## Example
    ```jsonl bad target=distill-nova-pro-to-nova-lite min-teacher-responses=2
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "amazon.nova-lite-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "It ships today."}]}}}}}
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Can I pay by invoice?"}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "Yes, on the annual plan."}]}}}}}
    ```
    ```jsonl good target=distill-nova-pro-to-nova-lite min-teacher-responses=2
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "us.amazon.nova-pro-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "It ships today."}]}}}}}
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Can I pay by invoice?"}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "Yes, on the annual plan."}]}}}}}
    ```

    ## Fix
    Log more traffic from the teacher, filter the logs to it (requestMetadataFilters), or run
    the job on prompts only (`--use-prompt-response` off), letting Bedrock call the teacher.
    """
    p = dataset.target
    if dataset.format != "invocation-log" or not p.teacher_model_id:
        return
    counts: dict[str, int] = {}
    for ex in dataset.examples:
        logged = model_id(ex)
        counts[logged] = counts.get(logged, 0) + 1
    teacher = sum(n for m, n in counts.items() if from_teacher(m, p.teacher_model_id))
    need = options["min-teacher-responses"]
    if teacher < need:
        others = sorted(((n, m) for m, n in counts.items() if not from_teacher(m, p.teacher_model_id)), reverse=True)
        shown = ", ".join(f"{m or 'no modelId'} ({n:,})" for n, m in others[:3])
        yield Problem(None, f"{teacher:,} of {sum(counts.values()):,} logged responses come from the teacher "
                      f"{p.teacher_model_id}; a distillation job that uses logged responses needs at least {need:,} "
                      f"(the others: {shown})", data={"teacher": teacher, "total": sum(counts.values()),
                                                      "min": need, "target": p.key})


@rule("FT622", "invocation-log-prompt", "error",
      "An invocation log entry a distillation job cannot use: no logged response, or a prompt with images or other non-text content.",
      why="AWS's distillation validator rejects these entries (a multi-turn prompt is only a warning: its own comment limits that to the validator).",
      scope="record", batch=True)
def invocation_log_prompt(records, options) -> Iterator[Problem]:
    """
    ## What it does
    For `invocation-log` records: an entry without `output` (the job needs the logged input and
    output), a user message whose content is anything but one text block (an image, a document,
    several blocks), and, as a warning, more than one user message in the logged request.
    Follows AWS's own distillation dataset validator (aws-samples, model_distillation).

    ## Why it matters
    Distillation in Bedrock is text to text; a prompt with an image, or a log entry whose
    response was not logged, is rejected by the validator AWS publishes for these jobs.

    ## Example
    ```jsonl bad
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": "png", "source": {"bytes": "..."}}}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "A receipt."}]}}}}}
    ```
    ```jsonl good
    {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "operation": "Converse", "modelId": "amazon.nova-pro-v1:0", "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"text": "Where is my order?"}]}]}}, "output": {"outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "It ships today."}]}}}}}
    ```

    ## Fix
    Filter such entries out of the logs the job reads (requestMetadataFilters on a metadata key
    you set on text-only calls), or distill from a prompt file instead.
    """
    for record in records:
        if record.format != "invocation-log":
            continue
        obj = record.obj
        if "output" not in obj:
            yield Problem(record.line, "the log entry has no output: a distillation job needs the logged input and "
                          "output")
        body = obj["input"].get("inputBodyJson")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list):
            continue
        users = [(i, m) for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "user"]
        for i, m in users:
            content = m.get("content")
            if isinstance(content, list) and (len(content) != 1 or not (
                    isinstance(content[0], dict) and isinstance(content[0].get("text"), str) and content[0]["text"])):
                yield Problem(record.line, f"input.inputBodyJson.messages[{i}] is not one text block: distillation "
                              "takes text prompts only", data={"message": i})
        if len(users) > 1:
            yield Problem(record.line, f"the logged request has {len(users)} user messages; AWS's distillation "
                          "validator takes single-turn prompts from invocation logs", severity=Severity.WARNING,
                          data={"user_messages": len(users)})


RULES = (invocation_log_teacher, invocation_log_prompt)
