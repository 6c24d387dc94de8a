"""Bytes to records: streams a JSONL source line by line (binary, 1-based line numbers) and turns
each line into a RawRecord or a Problem for the stage rules FT101, FT102, FT106, FT108, FT109.

Fast path per line: one orjson parse plus two cheap byte scans. Only lines that fail a scan pay
for the slow, precise diagnosis (the json module for the error column, a walk of the strings for
control characters, object_pairs_hook for duplicate keys)."""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

import orjson

from ftlint import remote
from ftlint.errors import InputError
from ftlint.finding import Problem

BOM = b"\xef\xbb\xbf"
GZIP_MAGIC = b"\x1f\x8b"

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


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff]")

_CHAR_NAMES = {"\x00": "NUL", "\ufffd": "U+FFFD replacement character", "\ufeff": "byte order mark (U+FEFF)"}


@dataclass(slots=True)
class RawRecord:
    line: int
    raw: bytes  # the line without its line ending
    obj: Any  # the parsed JSON value (a dict for every RawRecord the reader yields)


@dataclass(frozen=True)
class Source:
    """A named input: a path, '-' for stdin, or in-memory lines (the Python API's records)."""

    name: str
    lines: tuple[bytes, ...] | None = None

    def open(self) -> IO[bytes]:
        if self.lines is not None:
            return io.BytesIO(b"\n".join(self.lines) + (b"\n" if self.lines else b""))
        if self.name == "-":
            return sys.stdin.buffer
        if remote.is_remote(self.name):  # s3://: through fsspec (ftlint[s3])
            return remote.open_stream(self.name)
        fh = open(self.name, "rb")  # noqa: SIM115 - closed by the caller
        if fh.peek(2)[:2] == GZIP_MAGIC if hasattr(fh, "peek") else False:
            return gzip.GzipFile(fileobj=fh)  # type: ignore[return-value]
        return fh

    def size(self) -> int | None:
        if self.lines is not None or self.name == "-":
            return None
        return remote.size(self.name)  # os.stat for a local path


def check_readable(name: str) -> None:
    """Fail early, before any output, for a path that cannot be read (exit code 2)."""
    if name == "-":
        return
    if remote.is_remote(name):
        return remote.check_readable(name)
    if not os.path.exists(name):
        raise InputError(f"{name}: no such file")
    if os.path.isdir(name):
        raise InputError(f"{name}: is a directory; pass the .jsonl files inside it")
    try:
        with open(name, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None


class Batch(NamedTuple):
    """A run of consecutive lines: the records as (line, raw bytes, parsed dict) tuples, the
    problems found on those lines, and how many of the lines were not blank."""

    records: list[tuple[int, bytes, dict]]
    problems: list[Problem]
    nonblank: int


def read(source: Source, progress: Callable[[int], None] | None = None) -> Iterator[RawRecord | Problem]:
    """Yield a RawRecord for each line holding a JSON object, a Problem for every other line, in
    line order (a line's problems before its record). See read_batches for the fast form."""
    for batch in read_batches(source, progress):
        problems = batch.problems
        k = 0
        for line, raw, obj in batch.records:
            while k < len(problems) and problems[k].line <= line:
                yield problems[k]
                k += 1
            yield RawRecord(line, raw, obj)
        yield from problems[k:]


def read_batches(source: Source, progress: Callable[[int], None] | None = None,
                 size: int = 1 << 18) -> Iterator[Batch]:
    """The lines of ``source`` in batches of about ``size`` bytes (the engine's streaming unit:
    per-line generator steps and objects cost more than the checks themselves).

    ``progress``, when given, is called with the bytes read so far (of the file on disk, so
    compressed bytes for a .gz) after every batch and at the end."""
    try:
        fh = source.open()
    except OSError as exc:
        raise InputError(f"{source.name}: cannot read: {exc.strerror or exc}") from None
    raw_fh = getattr(fh, "fileobj", None) or fh
    try:
        for batch in _read_lines(fh, size):
            yield batch
            if progress is not None:
                progress = _report(progress, raw_fh)
        if progress is not None:
            _report(progress, raw_fh)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{source.name}: read failed: {exc}") from None
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _report(progress: Callable[[int], None], raw: IO[bytes]) -> Callable[[int], None]:
    try:
        progress(raw.tell())
    except (OSError, ValueError):  # a pipe has no position: stop asking
        return _ignore
    return progress


def _ignore(_: int) -> None:
    return None


def _chunks(fh: IO[bytes], size: int) -> Iterator[tuple[list[bytes], bool]]:
    """The file's lines without their line endings (LF or CRLF), in lists of about ``size``
    bytes, each with whether its chunk holds any byte that could hide a bad character (a
    backslash, DEL or a non-ASCII byte). One read per chunk, and one memchr-speed scan of the
    chunk instead of three calls per line: on a clean chunk the per-line scans are skipped."""
    pending: list[bytes] = []  # pieces of a line longer than one chunk, joined once it ends
    crlf = False  # sticky: a CR may end one chunk and its LF start the next
    while True:
        data = fh.read(size)
        if not data:
            break
        if data.rfind(b"\n") < 0:
            pending.append(data)
            crlf = crlf or data.find(b"\r") >= 0
            continue
        if pending:
            data = b"".join([*pending, data])
            pending = []
        crlf = crlf or data.find(b"\r") >= 0
        end = data.rfind(b"\n") + 1
        carry = data[end:]  # the piece after the last newline: the start of the next line
        if carry:
            pending.append(carry)
        # BytesIO's line iterator finds newlines with memchr: ~3x faster than bytes.split here
        lines = [ln[:-1] for ln in io.BytesIO(data[:end] if carry else data)]
        if crlf:
            lines = [ln[:-1] if ln[-1:] == b"\r" else ln for ln in lines]
        yield lines, (data.find(b"\\", 0, end) >= 0 or data.find(b"\x7f", 0, end) >= 0
                      or not data[:end].isascii())
    if pending:
        yield [b"".join(pending)], True  # a last line without a newline (a CR there stays, as before)


def _read_lines(fh: IO[bytes], size: int) -> Iterator[Batch]:
    loads = orjson.loads
    dumps = orjson.dumps
    escape = _ESCAPE.search
    lineno = 0
    first_content = True
    for chunk, suspect in _chunks(fh, size):
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
                problems.append(Problem(lineno, "blank line: JSONL needs one JSON object on every line; delete it",
                                        1, code="FT108"))
                blank += 1
                continue
            try:
                obj = loads(raw)
            except orjson.JSONDecodeError:
                problem = _diagnose(lineno, raw)
                if problem is None:  # valid JSON that orjson declines (integers beyond 64 bits)
                    obj = json.loads(raw)
                else:
                    if first_content and raw.lstrip().startswith(b"["):
                        problems.append(_array_file(lineno))
                        stop = True
                        break
                    first_content = False
                    problems.append(problem)
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
                problems.extend(_bad_chars(lineno, raw, obj))
            # duplicate keys: a colon per key at least, so few colons rule them out in one byte count;
            # otherwise a lost key leaves the line with more colons than the parsed object written
            # back (orjson writes the same strings, and a writer never needs to escape a colon)
            colons = raw.count(b":")
            if colons > len(obj) and colons > dumps(obj).count(b":"):
                dup = _duplicate_key(raw)
                if dup is not None:
                    problems.append(Problem(lineno, f"duplicate key {dup!r} in one object: JSON parsers keep only "
                                            "one of the values, so the other is silently lost; remove or rename one",
                                            1, code="FT109", data={"key": dup}))
            add((lineno, raw, obj))
        yield Batch(records, problems, lineno - start - blank)
        if stop:
            return


def _not_an_object(lineno: int, obj: Any, first_content: bool) -> Problem:
    if first_content and type(obj) is list and obj and all(type(x) is dict for x in obj):
        return Problem(lineno, f"line holds a JSON array of {len(obj)} objects; JSONL needs one object per "
                       "line: convert with `jq -c '.[]' FILE.json > FILE.jsonl`", 1, code="FT102",
                       data={"array_length": len(obj)})
    return Problem(lineno, f"line holds a JSON {_kind(obj)}, not an object; each line must be one JSON "
                   "object such as {\"prompt\": ..., \"completion\": ...}", 1, code="FT102")


def _diagnose(lineno: int, raw: bytes) -> Problem | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(lineno, f"invalid UTF-8 at byte {exc.start + 1} ({raw[exc.start:exc.start + 1]!r}): "
                       "re-encode the file as UTF-8", exc.start + 1, code="FT106",
                       data={"byte": exc.start + 1})

    def no_constants(name: str) -> Any:
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=no_constants)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            name = str(exc)
            col = text.find(name) + 1 or 1
            return Problem(lineno, f"{name} is not valid JSON (Bedrock rejects NaN and Infinity); "
                           "write null or a number", col, code="FT101")
        col = exc.colno
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            msg = f"invalid JSON: the line ends before the value is complete ({exc.msg} column {col}); it looks truncated"
        else:
            msg = f"invalid JSON: {exc.msg} (column {col})"
        return Problem(lineno, msg, col, code="FT101")
    except RecursionError:
        return Problem(lineno, "invalid JSON: nesting too deep", 1, code="FT101")
    return None


def _array_file(lineno: int) -> Problem:
    return Problem(lineno, "this file is a JSON array (a .json export), not JSON Lines; convert it with "
                   "`jq -c '.[]' FILE.json > FILE.jsonl` and check the result", 1, code="FT102",
                   data={"json_array_file": True})


def _bad_chars(lineno: int, raw: bytes, obj: Any) -> Iterator[Problem]:
    seen: set[str] = set()
    for path, value in _strings(obj, ""):
        for m in _BAD_CHARS.finditer(value):
            ch = m.group()
            if ch in seen:
                continue
            seen.add(ch)
            name = _CHAR_NAMES.get(ch, f"control character U+{ord(ch):04X}")
            yield Problem(lineno, f"{name} in {path or 'a string'} at character {m.start() + 1}: usually "
                          "a sign of broken encoding or copy-paste; remove it", 1, code="FT106",
                          data={"char": f"U+{ord(ch):04X}", "field": path})


def _strings(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    if type(obj) is str:
        yield path, obj
    elif type(obj) is dict:
        for k, v in obj.items():
            yield from _strings(k, path)
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif type(obj) is list:
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


def _duplicate_key(raw: bytes) -> str | None:
    found: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys) and not found:
            seen = set()
            found.extend(k for k in keys if k in seen or seen.add(k))
        return dict(pairs)

    json.loads(raw, object_pairs_hook=hook)
    return found[0] if found else None


def _kind(obj: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(obj), "null")
