"""Bytes to records: streams a JSONL source line by line (binary, 1-based line numbers) and turns
each line into a RawRecord or a Problem for the stage rules FT101, FT102, FT106, FT108, FT109 and
FT112-FT116 (see ftlint.read.sources for where the bytes come from: files, streams, compressed files,
tables).

Fast path per line: one orjson parse plus two cheap byte scans. Only lines that fail a scan pay
for the slow, precise diagnosis (ftlint.read.diagnose: the json module for the error column, a walk
of the strings for control characters and lone surrogates, number hooks for out-of-range values,
a bracket scan for nesting, object_pairs_hook for duplicate keys).

Memory is bounded whatever the input: a line longer than the cap (FT114, ``max-bytes``) is
skipped to its end without being kept, and a file whose first bytes are binary (NUL bytes, a
Parquet or ZIP signature, UTF-16) is one finding, not a line that never ends."""
from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

import orjson

from ftlint.errors import InputError
from ftlint.finding import Problem
from ftlint.read import diagnose, jsonpos
from ftlint.read.sources import Source, check_readable, describe_os_error  # noqa: F401 - re-exported

BOM = b"\xef\xbb\xbf"
GZIP_MAGIC = b"\x1f\x8b"
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


@dataclass(slots=True)
class RawRecord:
    line: int
    raw: bytes  # the line without its line ending
    obj: Any  # the parsed JSON value (a dict for every RawRecord the reader yields)


class Batch(NamedTuple):
    """A run of consecutive lines: the records as (line, raw bytes, parsed dict) tuples, the
    problems found on those lines, and how many of the lines were not blank. A batch of
    file-level problems (line None: compressed under a .jsonl name, an empty file) holds no
    record and comes first or last."""

    records: list[tuple[int, bytes, dict]]
    problems: list[Problem]
    nonblank: int
    last: int = 0  # the last line number the batch covers


def read(source: Source, progress: Callable[[int], None] | None = None,
         max_line: int = MAX_LINE_BYTES, max_depth: int = diagnose.MAX_DEPTH) -> Iterator[RawRecord | Problem]:
    """Yield a RawRecord for each line holding a JSON object, a Problem for every other line, in
    line order (a line's problems before its record). See read_batches for the fast form."""
    for batch in read_batches(source, progress, max_line=max_line, max_depth=max_depth):
        problems = batch.problems
        k = 0
        for line, raw, obj in batch.records:
            while k < len(problems) and problems[k].line <= line:
                yield problems[k]
                k += 1
            yield RawRecord(line, raw, obj)
        yield from problems[k:]


def read_batches(source: Source, progress: Callable[[int], None] | None = None,
                 size: int = 1 << 18, max_line: int = MAX_LINE_BYTES,
                 max_depth: int = diagnose.MAX_DEPTH) -> Iterator[Batch]:
    """The lines of ``source`` in batches of about ``size`` bytes (the engine's streaming unit:
    per-line generator steps and objects cost more than the checks themselves).

    ``progress``, when given, is called with the bytes read so far (of the file on disk, so
    compressed bytes for a .gz) after every batch and at the end. ``max_line`` caps the bytes
    of one line (FT114), ``max_depth`` the nesting of a record (FT113, at most 254)."""
    opened = source.open_stream(max_line)
    position = opened.raw or opened.stream
    nonblank = 0
    try:
        if opened.compression and not opened.named:
            yield Batch([], [_compressed(source.name, opened.compression)], 0)
        for batch in _read_lines(opened.stream, size, max_line, max_depth):
            if opened.notes:
                batch = _with_notes(batch, opened.notes)
            nonblank += batch.nonblank
            yield batch
            if progress is not None:
                progress = _report(progress, position)
        if progress is not None:
            _report(progress, position)
        if not nonblank:
            yield Batch([], [_empty(source.name, opened.table)], 0)
    except OSError as exc:
        raise InputError(f"{source.name}: read failed: {exc.strerror or exc}") from None
    finally:
        opened.close()


def _compressed(name: str, kind: str) -> Problem:
    suffix = _suffix(kind)
    return Problem(None, f"the file is {kind}-compressed but its name does not say so; a Bedrock job reads "
                   f"S3 objects as plain JSON Lines and fails on it: decompress it (ftlint checked the content), "
                   f"or name it {suffix} so that nobody uploads it as it is", code="FT115",
                   data={"compression": kind})


def _suffix(kind: str) -> str:
    from ftlint.read.sources import COMPRESSIONS

    return "*.jsonl" + COMPRESSIONS[kind][1][0]


def _empty(name: str, table: str | None) -> Problem:
    what = "table has no data row" if table else "file holds no record"
    return Problem(None, f"the {what}: a training job needs records; write them, or leave the file out",
                   code="FT116")


def _with_notes(batch: Batch, notes: dict[int, Problem]) -> Batch:
    found = [notes.pop(line) for line in sorted(n for n in notes if n <= batch.last)]
    if not found:
        return batch
    problems = sorted(batch.problems + found, key=lambda p: p.line or 0)
    return batch._replace(problems=problems)


def _report(progress: Callable[[int], None], raw: IO[bytes]) -> Callable[[int], None]:
    try:
        progress(raw.tell())
    except (OSError, ValueError, AttributeError):  # a pipe has no position: stop asking
        return _ignore
    return progress


def _ignore(_: int) -> None:
    return None


class Chunk(NamedTuple):
    lines: list[bytes]  # without their line endings; an over-long line is b"" (see too_long)
    suspect: bool  # any byte that could hide a bad character (a backslash, DEL, non-ASCII)
    too_long: dict[int, int] | None = None  # index in lines -> length of the over-long line there
    stop: tuple[str, str, str] | None = None  # the file is not text from here: (code, kind, message)
    brackets: bool = True  # any "[" in the chunk (without one, no flat record can nest deeply)


def _chunks(fh: IO[bytes], size: int, cap: int = MAX_LINE_BYTES) -> Iterator[Chunk]:
    """The file's lines without their line endings (LF or CRLF), in lists of about ``size``
    bytes. One read per chunk, and one memchr-speed scan of the chunk instead of three calls per
    line: on a clean chunk the per-line scans are skipped. A line longer than ``cap`` bytes is
    not kept: the bytes up to its end are counted and dropped (memory stays at about ``cap``)."""
    size = max(1, min(size, cap))  # a line inside one read is then never over the cap
    pending: list[bytes] = []  # pieces of a line that began in an earlier read
    pending_len = 0
    skipping = -1  # while >= 0: dropping an over-long line, of this many bytes so far
    crlf = False  # sticky: a CR may end one chunk and its LF start the next
    data = fh.read(size)
    stop = diagnose.binary_kind(data) if data else None
    if stop is not None:
        yield Chunk([], False, None, stop)
        return
    while data:
        lead: list[bytes] = []  # the line that began in an earlier read, now complete
        too_long = None
        if pending or skipping >= 0:
            nl = data.find(b"\n")
            head = len(data) if nl < 0 else nl
            if skipping < 0 and pending_len + head > cap:
                skipping, pending, pending_len = pending_len, [], 0
            if skipping >= 0:
                skipping += head
                if nl < 0:
                    if data.find(b"\x00") >= 0:  # no JSON line holds a raw NUL: binary data, endless maybe
                        yield Chunk([b""], False, {0: skipping},
                                    ("FT101", "binary", "binary data (NUL bytes) inside this over-long line"))
                        return
                    data = fh.read(size)
                    continue
                lead, too_long, skipping = [b""], {0: skipping}, -1
            elif nl < 0:
                pending.append(data)
                pending_len += len(data)
                crlf = crlf or data.find(b"\r") >= 0
                data = fh.read(size)
                continue
            else:
                pending.append(data[:nl])
                lead = [b"".join(pending)]
                pending, pending_len = [], 0
                crlf = crlf or lead[0].find(b"\r") >= 0
            data = data[nl + 1:]
        end = data.rfind(b"\n") + 1
        carry = data[end:]  # the piece after the last newline: the start of the next line
        if carry:
            pending, pending_len = [carry], len(carry)
            crlf = crlf or carry.find(b"\r") >= 0
        body = data[:end] if carry else data
        crlf = crlf or body.find(b"\r") >= 0
        # BytesIO's line iterator finds newlines with memchr: ~3x faster than bytes.split here
        lines = [ln[:-1] for ln in io.BytesIO(body)] if body else []
        if lead:
            lines = lead + lines if lines else lead
        if crlf:
            lines = [ln[:-1] if ln[-1:] == b"\r" else ln for ln in lines]
        if lines:
            suspect = (body.find(b"\\") >= 0 or body.find(b"\x7f") >= 0 or not body.isascii()
                       or (bool(lead) and (lead[0].find(b"\\") >= 0 or lead[0].find(b"\x7f") >= 0
                                           or not lead[0].isascii())))
            brackets = body.find(b"[") >= 0 or (bool(lead) and lead[0].find(b"[") >= 0)
            yield Chunk(lines, suspect, too_long, None, brackets)
        data = fh.read(size)
    if skipping >= 0:
        yield Chunk([b""], False, {0: skipping})
    elif pending:
        yield Chunk([b"".join(pending)], True)  # a last line without a newline (a CR there stays, as before)


def _read_lines(fh: IO[bytes], size: int, cap: int = MAX_LINE_BYTES,
                max_depth: int = diagnose.MAX_DEPTH) -> Iterator[Batch]:
    loads = orjson.loads
    # below orjson's own limit, nested records need a bracket count (above it, dumps tells)
    strict = max_depth < diagnose.MAX_DEPTH
    deep_brackets = max_depth - 2  # a flat object: see above
    deep_bytes = 2 * deep_brackets
    dumps = orjson.dumps
    escape = _ESCAPE.search
    lineno = 0
    first_content = True
    for chunk, suspect, too_long, stop_reason, brackets in _chunks(fh, size, cap):
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
        yield Batch(records, problems, lineno - start - blank, lineno)
        if stop:
            return


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
