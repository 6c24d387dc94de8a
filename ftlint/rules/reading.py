"""FT11x: reading limits. Lines and files that are JSON, or were meant to be, but that a job's
reader (or ftlint's) cannot take as they are: numbers beyond a double, nesting too deep, a line
longer than the cap, compressed bytes under a plain name, a file with no record. All come from
the reader (ftlint.read.reader, ftlint.read.diagnose), so they are stage rules; their options reach the
reader through the engine."""
from __future__ import annotations

from ftlint.rules.base import Option, stage_rule

MAX_DEPTH = 254  # orjson's limit for writing; diagnose.MAX_DEPTH is the same figure
MAX_LINE_BYTES = 16 << 20

NUMBER_OUT_OF_RANGE = stage_rule(
    "FT112", "number-out-of-range", "error",
    "A number too large for a 64-bit float (a 400-digit integer, 1e99999): parsers read infinity or fail.", """
    ## What it does
    Reports a number that JSON's grammar allows but that no 64-bit float holds: an integer of
    more than about 309 digits, or a literal such as `1e99999`. The message names the field and
    the column points at the number. The rest of the record is still checked (the number is read
    as its text).

    ## Why it matters
    Most JSON parsers read numbers as 64-bit floats: they turn this one into infinity, which
    JSON cannot even write back (Python's `json.dumps` writes `Infinity`), or reject the whole
    line (orjson, simdjson). A job that re-serialises the record fails on it, and a number that
    large is never real data: it is an overflowed counter, a hash written as digits, or garbage.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today.", "score": 1e99999}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today.", "score": 0.98}
    ```

    ## Fix
    Write such values as strings (`"id": "1234..."`) or drop them; `ftlint fix` drops the record
    and lists it in the rejects file.
    """, why="parsers read such a number as infinity (which JSON cannot hold) or reject the line, so the job "
             "fails or trains on another value.", always=True)

NESTING_TOO_DEEP = stage_rule(
    "FT113", "nesting-too-deep", "error",
    "A record whose arrays and objects nest deeper than ftlint and common JSON tools handle (254 levels).", """
    ## What it does
    Reports a record whose arrays and objects are nested more deeply than `max-depth` (254, the
    deepest orjson writes); the column points at the first bracket past the limit. Such a record
    is not checked further.

    ## Why it matters
    JSON tools limit nesting: orjson writes at most 254 levels, Python's and Java's parsers fail
    past about 1,000. A job, or any tool of the pipeline, that re-serialises the record fails on
    it, and no training record nests more than a few levels: this is generated or corrupted data.

    ## Example
    ```jsonl bad max-depth=3
    {"prompt": "Where is my order?", "completion": "It ships today.", "meta": [[["too deep"]]]}
    ```
    ```jsonl good max-depth=3
    {"prompt": "Where is my order?", "completion": "It ships today.", "meta": ["flat"]}
    ```

    ## Fix
    Flatten the nested value or drop it; `ftlint fix` drops the record and lists it in the
    rejects file.
    """, why="JSON tools fail on it (orjson past 254 levels, Python's and Java's parsers past ~1,000), and no "
             "real record nests this deep.", always=True, options={
        "max-depth": Option(MAX_DEPTH, f"deepest nesting accepted, in levels (at most {MAX_DEPTH}, orjson's limit)"),
    })

LINE_TOO_LONG = stage_rule(
    "FT114", "line-too-long", "error",
    "A line longer than the line cap (16 MiB by default); it is skipped, never held in memory.", """
    ## What it does
    Reports every line longer than `max-bytes` (16 MiB by default) and skips it: ftlint counts
    its bytes up to the next newline without keeping them, so memory stays bounded whatever the
    file holds (a 100 MB line, or a device that never sends a newline).

    ## Why it matters
    No Bedrock job takes a record anywhere near that long: the largest token limit is 32,000
    tokens (about 130 kB of text), and images and video travel as S3 references, not inline. A
    line this long is a whole file written without line breaks, an inlined binary, or a broken
    export; the job fails on it after upload.

    ## Example
    ```jsonl bad max-bytes=80
    {"prompt": "Where is my order?", "completion": "It ships today, and it should arrive on Friday."}
    ```
    ```jsonl good max-bytes=80
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Split the line into records (one JSON object per line), move inline media to S3, or raise
    the cap with `-O FT114.max-bytes=N` if the record is meant to be this long (ftlint then holds
    the whole line in memory).
    """, why="a line over the cap is far over every Bedrock target's token limit, so the job rejects it.",
    always=True, options={
        "max-bytes": Option(MAX_LINE_BYTES, "longest line read, in bytes (longer lines are skipped and reported)"),
    })

COMPRESSED_INPUT = stage_rule(
    "FT115", "compressed-input", "error",
    "A gzip, zstd, bzip2 or xz file whose name does not say so (data.jsonl holding gzip bytes).", """
    ## What it does
    Recognises compressed input by its magic bytes, whatever the name, and reads it: files named
    `.gz`, `.zst`, `.bz2` or `.xz` are checked silently. A compressed file whose name does not
    say so (`train.jsonl` holding gzip bytes) is reported once, and its content is still checked.

    ## Why it matters
    A Bedrock customization job reads the S3 object as plain UTF-8 JSON Lines: compressed bytes
    fail it ("must conform to JSONL format"), and a `.jsonl` name invites uploading it as is.

    ## Example
    ```jsonl bad compress=gzip
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Decompress before uploading (`gunzip -c train.jsonl > plain.jsonl`, `zstd -d`), or name the
    file `train.jsonl.gz` while it is stored compressed. `ftlint fix` and `ftlint split` always
    write plain JSONL.
    """, why="Bedrock reads training files as plain UTF-8 JSON Lines and fails on compressed bytes.")

EMPTY_FILE = stage_rule(
    "FT116", "empty-file", "error", "A file (or table) with no record at all.", """
    ## What it does
    Reports a file that holds no record: zero bytes, only blank lines, or a CSV with a header
    and no row. A dataset-level finding (no line).

    ## Why it matters
    A training job needs records, and an empty training or validation file fails it. An empty
    file in a dataset folder is usually an export that went wrong, or a placeholder someone
    forgot.

    ## Example
    ```jsonl bad
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    ```

    ## Fix
    Write the records, or leave the file out of the run and the upload.
    """, why="a job needs records, and an empty training or validation file fails it.")

RULES = (NUMBER_OUT_OF_RANGE, NESTING_TOO_DEEP, LINE_TOO_LONG, COMPRESSED_INPUT, EMPTY_FILE)
