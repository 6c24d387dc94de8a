"""Bytes to records: streams a JSONL source line by line (binary, 1-based line numbers) and turns
each line into a RawRecord or a Problem for the stage rules FT101, FT102, FT106, FT108, FT109 and
FT112-FT116 (see ftlint.read.sources for where the bytes come from: files, streams, compressed files,
tables). The per-line work on each chunk of lines is ftlint.read.lines's.

Fast path per line: one orjson parse plus two cheap byte scans. Only lines that fail a scan pay
for the slow, precise diagnosis (ftlint.read.diagnose: the json module for the error column, a walk
of the strings for control characters and lone surrogates, number hooks for out-of-range values,
a bracket scan for nesting, object_pairs_hook for duplicate keys).

Memory is bounded whatever the input: a line longer than the cap (FT114, ``max-bytes``) is
skipped to its end without being kept, and a file whose first bytes are binary (NUL bytes, a
Parquet or ZIP signature, UTF-16) is one finding, not a line that never ends."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from ftlint.errors import InputError
from ftlint.finding import Problem
from ftlint.read import diagnose
from ftlint.read.lines import BOM, MAX_LINE_BYTES, Batch, Chunk, parse_chunk  # noqa: F401 - BOM, Batch re-exported
from ftlint.read.sources import Source, check_readable, describe_os_error  # noqa: F401 - re-exported

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(slots=True)
class RawRecord:
    line: int
    raw: bytes  # the line without its line ending
    obj: Any  # the parsed JSON value (a dict for every RawRecord the reader yields)


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
    lineno = 0
    first_content = True
    for chunk in _chunks(fh, size, cap):
        batch, lineno, first_content, stop = parse_chunk(chunk, lineno, first_content, cap, max_depth)
        yield batch
        if stop:
            return
