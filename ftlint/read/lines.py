"""One chunk of lines to records and problems: the per-line stage rules of the reader
(FT102, FT106, FT108, FT109, FT112-FT114 and the diagnosis of lines that are not JSON), apart
from where the lines come from (ftlint.read.reader cuts a file into chunks; ftlint.spark hands over
the lines of one Spark partition, numbered from where the partition starts)."""
from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

import orjson

from ftlint.finding import Problem
from ftlint.read import diagnose, jsonpos

BOM = b"\xef\xbb\xbf"
# the default line cap (FT114's max-bytes): far above any record a Bedrock job takes (32k tokens
# is ~130 kB of text; media travel as S3 references) yet room for a record carrying an inline
# base64 image of Bedrock's 10 MB maximum; the reader holds at most one such line at a time
MAX_LINE_BYTES = 16 << 20

# a flat object (no nested keys) nests only through arrays (and one innermost {}), so with at most
# max-depth - 2 "[" it cannot be too deep, and a line shorter than twice that cannot hold them

# A line that orjson parsed has no raw C0 control bytes (JSON forbids them in strings), so only
# DEL, C1 controls (\xc2\x80-\x9f in UTF-8), U+FFFD, U+FEFF and \u escapes can hide a bad
# character. Cheap `in` tests run first; a hit is confirmed on the decoded strings, so an escaped
# backslash followed by "u0000" costs a walk but never a false finding.
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_ESCAPE = re.compile(rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[fF][fF][fF][dD]|[fF][eE][fF][fF])")


def _suspect_utf8(raw: bytes) -> bool:
    """Whether a non-ASCII line may hide a bad character (DEL and \\u escapes are tested apart)."""
    return (b"\xef\xbf\xbd" in raw or b"\xef\xbb\xbf" in raw
            or (b"\xc2" in raw and _C1.search(raw) is not None))


class Batch(NamedTuple):
    """A run of consecutive lines: the records as (line, raw bytes, parsed dict) tuples, the
    problems found on those lines, and how many of the lines were not blank. A batch of
    file-level problems (line None: compressed under a .jsonl name, an empty file) holds no
    record and comes first or last."""

    records: list[tuple[int, bytes, dict]]
    problems: list[Problem]
    nonblank: int
    last: int = 0  # the last line number the batch covers


class Chunk(NamedTuple):
    lines: list[bytes]  # without their line endings; an over-long line is b"" (see too_long)
    suspect: bool  # any byte that could hide a bad character (a backslash, DEL, non-ASCII)
    too_long: dict[int, int] | None = None  # index in lines -> length of the over-long line there
    stop: tuple[str, str, str] | None = None  # the file is not text from here: (code, kind, message)
    brackets: bool = True  # any "[" in the chunk (without one, no flat record can nest deeply)


def chunk_of(lines: list[bytes], cap: int = MAX_LINE_BYTES, head: bytes | None = None) -> Chunk:
    """A Chunk of lines already cut (without their line endings), as ftlint.read.reader makes them
    from a file: lines over ``cap`` bytes dropped to their length (FT114); with ``head``, the
    first bytes of the file, whether the file is text at all (binary data stops the reading)."""
    stop = diagnose.binary_kind(head) if head else None
    if stop is not None:
        return Chunk([], False, None, stop)
    too_long = {i: len(ln) for i, ln in enumerate(lines) if len(ln) > cap} or None
    if too_long:
        lines = [b"" if i in too_long else ln for i, ln in enumerate(lines)]
    suspect = any(ln.find(b"\\") >= 0 or ln.find(b"\x7f") >= 0 or not ln.isascii() for ln in lines)
    return Chunk(lines, suspect, too_long, None, any(ln.find(b"[") >= 0 for ln in lines))


def parse_chunk(chunk: Chunk, lineno: int, first_content: bool, cap: int = MAX_LINE_BYTES,
                max_depth: int = diagnose.MAX_DEPTH) -> tuple[Batch, int, bool, bool]:
    """The records and problems of one chunk whose first line follows line ``lineno``;
    ``first_content``: no line with content came before it. Returns the batch, the last line
    number, ``first_content`` after the chunk, and whether reading stops here (the file is not
    JSON Lines text)."""
    lines, suspect, too_long, stop_reason, brackets = chunk
    chunk = lines
    loads = orjson.loads
    # below orjson's own limit, nested records need a bracket count (above it, dumps tells)
    strict = max_depth < diagnose.MAX_DEPTH
    deep_brackets = max_depth - 2  # a flat object: see the note above
    deep_bytes = 2 * deep_brackets
    dumps = orjson.dumps
    escape = _ESCAPE.search
    records: list[tuple[int, bytes, dict]] = []
    problems: list[Problem] = []
    start, blank, stop = lineno, 0, False
    add = records.append
    for raw in chunk:
        lineno += 1
        if lineno == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
            problems.append(Problem(1, "file starts with a UTF-8 byte order mark (BOM); Bedrock expects "
                                    "plain UTF-8: save the file without BOM", 1, code="FT106"))
        if not raw or raw.isspace():  # isspace stops at the first byte of text; strip() would copy
            if too_long is not None and lineno - start - 1 in too_long:
                problems.append(_too_long(lineno, too_long[lineno - start - 1], cap))
                first_content = False
                continue
            problems.append(Problem(lineno, "blank line: JSONL needs one JSON object on every line; delete it",
                                    1, code="FT108"))
            blank += 1
            continue
        try:
            obj = loads(raw)
        except orjson.JSONDecodeError:
            obj, found = diagnose.slow_line(lineno, raw, max_depth)
            if obj is None:
                if first_content:
                    hint = diagnose.file_hint(lineno, chunk[lineno - start - 1:lineno - start + 19])
                    if hint is not None:
                        problems.append(hint)
                        stop = True
                        break
                first_content = False
                problems.extend(found)
                continue
            problems.extend(found)
            if type(obj) is not dict:
                problems.append(_not_an_object(lineno, obj, first_content))
            else:
                _check_keys(lineno, raw, obj, problems)
                add((lineno, raw, obj))
            first_content = False
            continue
        if type(obj) is not dict:
            problems.append(_not_an_object(lineno, obj, first_content))
            first_content = False
            continue
        first_content = False
        # bytes.find is several times faster than `in` here, and a backslash is rare enough to
        # test before the two-byte escape search
        if suspect and (raw.find(b"\x7f") >= 0
                        or (raw.find(b"\\") >= 0 and raw.rfind(b"\\u") >= 0 and escape(raw) is not None)
                        or (not raw.isascii() and _suspect_utf8(raw))):
            problems.extend(diagnose.bad_chars(lineno, raw, obj))
        # duplicate keys: a colon per key at least, so few colons rule them out in one byte count;
        # otherwise a lost key leaves the line with more colons than the parsed object written
        # back (orjson writes the same strings, and a writer never needs to escape a colon)
        colons = raw.count(b":")
        if colons > len(obj):
            try:
                written = dumps(obj)
            except TypeError:  # deeper than orjson writes: no later stage could handle it
                problems.append(diagnose.depth_problem(lineno, raw)
                                or Problem(lineno, "record cannot be re-serialised", code="FT113"))
                continue
            if colons > written.count(b":"):
                _duplicate(lineno, raw, problems)
            if strict:
                deep = diagnose.depth_problem(lineno, raw, max_depth)
                if deep is not None:
                    problems.append(deep)
                    continue
        # find is memchr-fast and most flat lines hold no "[": count only the ones that do
        elif brackets and len(raw) > deep_bytes and raw.find(b"[") >= 0 and raw.count(b"[") > deep_brackets:
            deep = diagnose.depth_problem(lineno, raw, max_depth)
            if deep is not None:
                problems.append(deep)
                continue
        add((lineno, raw, obj))
    if stop_reason is not None:
        code, kind, message = stop_reason
        problems.append(Problem(lineno if too_long else lineno + 1, message + "; ftlint stopped reading here",
                                1, code=code, data={"looks_like": kind}))
        lineno += 0 if too_long else 1
        stop = True
    return Batch(records, problems, lineno - start - blank, lineno), lineno, first_content, stop


def _too_long(lineno: int, length: int, cap: int) -> Problem:
    return Problem(lineno, f"line is {_size(length)}, over the {_size(cap)} line cap: ftlint skipped it, and no "
                   "Bedrock job takes a record that long; split or shorten it (or raise FT114.max-bytes)",
                   1, code="FT114", data={"bytes": length, "max_bytes": cap})


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):,.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):,.1f} KiB"
    return f"{n:,} bytes"


def _check_keys(lineno: int, raw: bytes, obj: dict, problems: list[Problem]) -> None:
    if raw.count(b":") > len(obj):
        _duplicate(lineno, raw, problems)


def _duplicate(lineno: int, raw: bytes, problems: list[Problem]) -> None:
    dup = _duplicate_key(raw)
    if dup is not None:
        problems.append(Problem(lineno, f"duplicate key {dup!r} in one object: JSON parsers keep only "
                                "one of the values, so the other is silently lost; remove or rename one",
                                jsonpos.key_column(raw, dup), code="FT109", data={"key": dup}))


def _not_an_object(lineno: int, obj: Any, first_content: bool) -> Problem:
    if first_content and type(obj) is list and obj and all(type(x) is dict for x in obj):
        return Problem(lineno, f"line holds a JSON array of {len(obj)} objects; JSONL needs one object per "
                       "line: convert with `jq -c '.[]' FILE.json > FILE.jsonl`", 1, code="FT102",
                       data={"array_length": len(obj)})
    return Problem(lineno, f"line holds a JSON {_kind(obj)}, not an object; each line must be one JSON "
                   "object such as {\"prompt\": ..., \"completion\": ...}", 1, code="FT102")


def _duplicate_key(raw: bytes) -> str | None:
    found: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys) and not found:
            seen = set()
            found.extend(k for k in keys if k in seen or seen.add(k))
        return dict(pairs)

    # the values do not matter here: hooks keep huge numbers and NaN from failing the parse
    json.loads(raw, object_pairs_hook=hook, parse_int=str, parse_float=str, parse_constant=str)
    return found[0] if found else None


def _kind(obj: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(obj), "null")
