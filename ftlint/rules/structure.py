"""FT1: structure. Can the file be read as JSONL at all, and does each record have the shape its
format demands? Most of these come from the reader and the format stage (scope ``stage``); the
record rules here (FT105, FT107) read the normalized Example."""
from __future__ import annotations

from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.formats.messages import parse_path
from ftlint.formats.schema import required_text
from ftlint.rules.base import Option, rule, stage_rule

INVALID_JSON = stage_rule("FT101", "invalid-json", "error", "A line that is not valid JSON (including truncated lines and NaN/Infinity).", """
    ## What it does
    Reports every line that does not parse as JSON: a truncated line, a missing quote or brace,
    single quotes, trailing commas, or the `NaN`/`Infinity` literals that Python's `json.dumps`
    writes by default. The column points at the first byte the parser could not accept.

    A file that is not JSON Lines at all gets one finding on line 1 that says what it looks like
    and how to convert it, and ftlint reads no further: CSV or TSV (name it `.csv`/`.tsv` and
    ftlint reads its rows), YAML, TOML, XML/HTML, a pretty-printed JSON document, or binary data
    (a Parquet file, a ZIP archive, NUL bytes). In a CSV/TSV table, a row with more or fewer
    fields than the header is reported on its row.

    ## Why it matters
    A Bedrock customization job rejects the whole file ("Unable to parse Amazon S3 file ... must
    conform to JSONL format") for one bad line, often after it has been queued for a while.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today.
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Re-serialise the record with a JSON library (`json.dumps(record, allow_nan=False)`) instead of
    string formatting, and replace NaN with `null` or a number.
    """, why="Bedrock rejects the whole file when one line is not JSON.", always=True)

NOT_AN_OBJECT = stage_rule("FT102", "not-an-object", "error", "A JSON value that is not an object, or a whole file that is one JSON array.", """
    ## What it does
    Reports a line whose JSON value is an array, a string, a number, `true`/`false` or `null`
    instead of an object. A file that is one JSON array (a `.json` export passed by mistake) gets
    a single finding that says so, instead of one error per line.

    ## Why it matters
    Every Bedrock record format is one JSON object per line; any other value fails the job.

    ## Example
    ```jsonl bad
    ["Where is my order?", "It ships today."]
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Write one object per line. To turn a JSON array file into JSONL: `jq -c '.[]' data.json > data.jsonl`.
    """, why="the job's reader expects one JSON object a line and rejects anything else.", always=True)

SCHEMA_VIOLATION = stage_rule("FT103", "schema-violation", "error", "A record that does not match its format's JSON Schema.", """
    ## What it does
    Validates each record against `schemas/<format>.schema.json` for the file's format (detected
    by majority vote, or set with `--dataset-format`) and names the JSON path of the problem:
    a missing key, a wrong type, a role that is not allowed, an unknown key where the format
    forbids extra keys, a content block of an unknown kind. The column points at the value the
    first error is about (an unexpected key's value, a value of the wrong type); for a missing key,
    at the object that lacks it.

    ## Why it matters
    The job validates records the same way and fails on the first one that does not fit; ftlint
    reports all of them, with line numbers, before you upload.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?"}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```

    ## Fix
    Add the missing key or correct the type as the message says; `ftlint fix` drops records that
    cannot be repaired and lists them in the rejects file.
    """, why="a record that does not match the format fails the job's validation.")

MIXED_FORMATS = stage_rule("FT104", "mixed-formats", "error", "Records of different formats in one file.", """
    ## What it does
    Detects each record's format from its keys and shape; the file's format is the one most of
    its valid records have. Every record that is valid in another format is reported.

    ## Why it matters
    A job accepts exactly one record format per file: a `{"prompt", "completion"}` record in a
    chat file fails it, and mixed sources usually mean a merge went wrong.

    ## Example
    ```jsonl bad
    {"input": "I was charged twice", "output": "billing"}
    {"input": "The app crashes on login", "output": "technical_issue"}
    {"prompt": "Refund please", "completion": "billing"}
    ```
    ```jsonl good
    {"input": "I was charged twice", "output": "billing"}
    {"input": "The app crashes on login", "output": "technical_issue"}
    {"input": "Refund please", "output": "billing"}
    ```

    ## Fix
    Convert the odd records (`ftlint convert --to FORMAT`) or move them to their own file.
    """, why="a job reads one record format per file; a second format fails it or is misread.")

BAD_ENCODING = stage_rule("FT106", "bad-encoding", "error", "Invalid UTF-8, a BOM, NUL or other control characters, U+FFFD.", """
    ## What it does
    Reports bytes that are not valid UTF-8 (with the byte column), a byte order mark at the start
    of the file, and NUL, other C0/C1 control characters (tab, newline and carriage return are
    fine), U+FFFD replacement characters or a stray U+FEFF inside strings, and lone surrogate
    escapes (`\\ud800` without its other half: not a character, so the line cannot be written as
    UTF-8). A whole file in UTF-16 or UTF-32 is one finding on line 1. The column points at the
    string that holds the character (for a lone surrogate, at the escape).

    ## Why it matters
    Bedrock requires UTF-8. Control characters and U+FFFD are the marks of a broken export or a
    decode with the wrong codec; the model learns them as if they were text.

    ## Example
    ```jsonl bad
    {"prompt": "Caf\\u00ef\\u00bf\\u00bd menu?", "completion": "We serve breakfast\\u0000."}
    ```
    ```jsonl good
    {"prompt": "Café menu?", "completion": "We serve breakfast."}
    ```

    ## Fix
    Decode the source with the right codec and re-export as UTF-8 without BOM; strip control
    characters (`re.sub(r"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]", "", text)`).
    """, why="invalid UTF-8 fails the job; control characters and U+FFFD are text the model should never learn.")

BLANK_LINE = stage_rule("FT108", "blank-line", "error", "A blank or whitespace-only line inside the JSONL.", """
    ## What it does
    Reports every empty or whitespace-only line, including extra empty lines at the end of the
    file (one final newline is fine). CRLF line endings are accepted.

    ## Why it matters
    AWS's own sample validators crash on a blank line and Bedrock rejects the file as not JSONL.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today."}

    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```

    ## Fix
    Delete the line (`ftlint fix` does), or `grep -v '^[[:space:]]*$' in.jsonl > out.jsonl`.
    """, why='a blank line fails a Bedrock job ("must conform to JSONL format").')

DUPLICATE_KEY = stage_rule("FT109", "duplicate-key", "error", "The same key twice in one JSON object.", """
    ## What it does
    Reports an object that holds the same key twice and names the key; the column points at the
    second occurrence.

    ## Why it matters
    JSON parsers keep one of the values (usually the last) and drop the other without a word, so
    what the job trains on is not what you see in the file.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "prompt": "Where is order 1234?", "completion": "It ships today."}
    ```
    ```jsonl good
    {"prompt": "Where is order 1234?", "completion": "It ships today."}
    ```

    ## Fix
    Keep the value you meant and delete the other key.
    """, why="parsers keep one of the two values silently, so the model may train on the other one.")


# format characters that show nothing (zero-width space, joiners, word joiner, BOM, soft hyphen,
# Mongolian vowel separator): a text of them and whitespace is empty to a reader and to the model
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


@rule("FT105", "empty-field", "error", "A required text field that is empty or only whitespace.", why="an empty required field trains the model to produce nothing, or fails the job (empty message text); an empty optional field (an instruction's input, a system prompt) is how a format says 'none' and is not reported.",
      scope="record",
      batch=True)
def empty_field(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports every required text field of the record's format that is empty or only whitespace
    (zero-width characters such as U+200B count as whitespace here: they show nothing): a prompt, a completion, an instruction or output, the content of a chat turn, a Converse text
    block. The format's JSON Schema (`schemas/<format>.schema.json`) says what is required: a
    field is optional when the record would still be valid without it, or without a key that
    holds it. So an empty `input` of an instruction record (Alpaca's "no input") and an empty
    optional `system` prompt are not reported; an empty `output` or chat turn is. The column
    points at the empty value.

    ## Why it matters
    An empty completion teaches the model to answer with nothing; an empty turn fails Bedrock's
    Converse validation ("a message's text must not be empty"). An empty optional field means
    "none" and is what the format asks for when there is nothing to say.

    ## Example
    ```jsonl bad
    {"instruction": "Where is my order?", "input": "Order 1234", "output": "   "}
    {"instruction": "Name three primary colours.", "input": "", "output": ""}
    ```
    ```jsonl good
    {"instruction": "Where is my order?", "input": "Order 1234", "output": "It ships today."}
    {"instruction": "Name three primary colours.", "input": "", "output": "Red, yellow and blue."}
    ```

    ## Fix
    Write the missing text or drop the record (`ftlint fix` drops it).
    """
    for record in records:
        for path, text in record.example.text_fields:
            # isspace stops at the first letter; strip() would copy, so it runs only on a text that
            # starts with whitespace or an invisible character (zero-width characters are not whitespace to Python)
            blank = not text or text.isspace() or ((text[0] in _INVISIBLE or text[0].isspace()) and not text.strip().strip(_INVISIBLE))
            if blank and required_text(record.format, record.obj, parse_path(path)):
                what = "empty" if not text else "only whitespace" if text.isspace() else "only invisible characters"
                yield Problem(record.line, f"{path} is {what}; write the text or drop the record",
                              data={"field": path}, json_path=path)


@rule("FT107", "role-order", "error",
      "Chat turns out of order: system not first, roles not alternating, not starting with user or not ending with the assistant.",
      why="Bedrock rejects conversations whose roles are out of order.",
      scope="record", batch=True, options={
          "require-assistant-last": Option(True, "a chat must end with an assistant turn; set false for "
                                           "prompt-only sets (distillation, RFT records without reference_answer)"),
      })
def role_order(records, options) -> Iterator[Problem]:
    """
    ## What it does
    For chat formats (claude-messages, bedrock-conversation, openai-chat): a system message only
    as the first message, the first conversational turn from the user, user and assistant turns
    alternating (tool results may follow an assistant turn in openai-chat), the last turn from the
    assistant, and at least one user turn. An RFT record (a `reference_answer`) may end with the
    user turn, and so may any record for a target that takes prompts (`--target` a distillation
    or RFT profile: `prompt-only` in `ftlint targets NAME`).

    ## Why it matters
    Claude 3 Haiku and Nova jobs reject a conversation that does not start with the user, end
    with the assistant and alternate strictly; a model trained on two assistant turns in a row
    learns to talk to itself.

    ## Example
    ```jsonl bad
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    ```
    ```jsonl good
    {"messages": [{"role": "user", "content": "Hi, where is my order?"}, {"role": "assistant", "content": "It ships today."}]}
    ```

    ## Fix
    Merge consecutive turns of one role, move the system prompt to the front (or to the `system`
    field), and end each conversation with the answer the model should learn.
    """
    for record in records:
        if record.format in CHAT_FORMATS:
            yield from _role_order(record, options)


def _role_order(record, options) -> Iterator[Problem]:
    roles = [t.role for t in record.example.turns]
    for i, role in enumerate(roles):
        if role == "system" and i > 0:
            yield Problem(record.line, f"messages[{i}] is a system message after the conversation started; "
                          "a system message may only come first")
    convo = [(i, r) for i, r in enumerate(roles) if r != "system"]
    if not any(r == "user" for _, r in convo):
        yield Problem(record.line, "the conversation has no user turn; add the user's message")
        return
    first_i, first_role = convo[0]
    if first_role != "user":
        yield Problem(record.line, f"messages[{first_i}] is the first turn but its role is {first_role!r}; "
                      "a conversation must start with the user")
    prev = None
    for i, role in convo:
        if prev is not None and role == prev[1] and role != "tool":
            yield Problem(record.line, f"messages[{i}] repeats role {role!r} after messages[{prev[0]}]; "
                          "user and assistant turns must alternate: merge them")
        elif prev is not None and role == "tool" and prev[1] not in ("assistant", "tool"):
            yield Problem(record.line, f"messages[{i}] is a tool result that does not follow an assistant turn")
        prev = (i, role)
    last_i, last_role = convo[-1]
    if last_role != "assistant" and options["require-assistant-last"] and not _prompt_only(record):
        yield Problem(record.line, f"the last turn (messages[{last_i}]) is from {last_role!r}; a training "
                      "conversation must end with the assistant's answer")


def _prompt_only(record) -> bool:
    """An RFT prompt, or a record for a target that takes prompts (distillation): the answer is
    the grader's reference or the teacher's response, not a last turn."""
    return "reference_answer" in record.obj or (record.target is not None and record.target.prompt_only)


@rule("FT110", "stray-whitespace", "info",
      "A text field that starts or ends with spaces, tabs or blank lines.", why="statistics only: stray spaces are harmless to a job and rarely to a model.",
      scope="record", batch=True)
def stray_whitespace(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports a required text field (prompt, completion, chat turn, Converse text block, system
    prompt) whose text starts or ends with whitespace: spaces, tabs, newlines. A field that is
    only whitespace is FT105 (empty-field), not this rule. The column points at the first such
    field's value.

    ## Why it matters
    The model learns the whitespace too: completions that end with "\\n\\n" or start with a space
    teach it to emit them, and copies that differ only by a trailing space escape exact
    de-duplication by other tools.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order? ", "completion": "It ships today.\\n"}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Strip the field's text (`ftlint fix` does, for every field this rule reports).
    """
    for record in records:
        # strip() hands back the very same object when there is nothing to strip, without a copy
        for _, text in record.example.text_fields:
            if text.strip() is not text:
                break
        else:
            continue  # the common record: every field already stripped
        fields = [path for path, text in record.example.text_fields
                  if text.strip() is not text and not text.isspace()]
        if fields:
            yield Problem(record.line, f"{', '.join(fields)} {'has' if len(fields) == 1 else 'have'} leading "
                          "or trailing whitespace; strip it (`ftlint fix` does)", data={"fields": fields},
                          json_path=fields[0])


CHAT_FORMATS = frozenset({"claude-messages", "bedrock-conversation", "openai-chat", "rft"})

RULES = (INVALID_JSON, NOT_AN_OBJECT, SCHEMA_VIOLATION, MIXED_FORMATS, empty_field, BAD_ENCODING,
         role_order, BLANK_LINE, DUPLICATE_KEY, stray_whitespace)
