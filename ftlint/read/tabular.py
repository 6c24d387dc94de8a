"""Tables as records: a CSV/TSV or Parquet file read as one JSON object per row, so that
`check`, `fix`, `convert` and `split` work on the files data teams keep, and write the JSON Lines
a Bedrock job needs.

A row's line number is its data row number: 1 for the first row after the header (blank CSV
lines are not counted; a Parquet file has no header). Columns become keys; a CSV cell is text,
except a ``messages`` cell (and a ``system`` cell holding a list) whose text is a JSON array,
which becomes that array (chat sets exported to CSV keep their turns that way). Parquet values
keep their types (lists, structs, numbers); dates are written as ISO text, decimals and binary
as text. A CSV row with more or fewer fields than the header is reported (FT101) on its row; its
extra fields are kept under ``__extra_fields__`` so that a rejects file loses nothing."""
from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

import orjson

from ftlint.errors import InputError
from ftlint.finding import Problem

ROWS_PER_BLOCK = 512
JSON_CELLS = ("messages", "system")
EXTRA_KEY = "__extra_fields__"


class _BlocksRaw(io.RawIOBase):
    """A raw stream over an iterator of byte blocks (one block = many JSON lines)."""

    def __init__(self, blocks: Iterator[bytes]):
        self._blocks = blocks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._buf:
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._buf = memoryview(block)
        n = min(len(buffer), len(self._buf))
        buffer[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _stream(blocks: Iterator[bytes]) -> IO[bytes]:
    return io.BufferedReader(_BlocksRaw(blocks), buffer_size=1 << 18)


def csv_stream(raw: IO[bytes], name: str, delimiter: str, notes: dict[int, Problem],
               line_cap: int | None) -> IO[bytes]:
    return _stream(_csv_blocks(raw, name, delimiter, notes, line_cap))


def _csv_blocks(raw: IO[bytes], name: str, delimiter: str, notes: dict[int, Problem],
                line_cap: int | None) -> Iterator[bytes]:
    # invalid UTF-8 becomes U+FFFD, which FT106 then reports on the row, as for a JSONL line
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    # a cell over the line cap would make a JSON line over it anyway; past it csv stops with an error
    limit = max(line_cap or 0, csv.field_size_limit())
    csv.field_size_limit(limit)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return
        _check_header(name, header)
        out: list[bytes] = []
        row = 0
        for fields in reader:
            if not fields:
                continue  # a blank line: not a row
            row += 1
            out.append(orjson.dumps(_record(header, fields, row, notes)))
            if len(out) >= ROWS_PER_BLOCK:
                yield b"\n".join(out) + b"\n"
                out = []
        if out:
            yield b"\n".join(out) + b"\n"
    except csv.Error as exc:
        raise InputError(f"{name}: CSV row {reader.line_num}: {exc}") from None


def _check_header(name: str, header: list[str]) -> None:
    seen: set[str] = set()
    for i, column in enumerate(header, 1):
        if not column.strip():
            raise InputError(f"{name}: column {i} of the header has no name; every column needs one")
        if column in seen:
            raise InputError(f"{name}: the header names column {column!r} twice; rename one")
        seen.add(column)


def _record(header: list[str], fields: list[str], row: int, notes: dict[int, Problem]) -> dict[str, Any]:
    rec = {k: _cell(k, v) for k, v in zip(header, fields, strict=False)}
    if len(fields) != len(header):
        notes[row] = Problem(row, f"CSV row has {len(fields)} fields but the header has {len(header)} columns "
                             "(a stray delimiter or an unquoted comma?); quote the field or fix the row",
                             code="FT101", data={"fields": len(fields), "columns": len(header)})
        if len(fields) > len(header):
            rec[EXTRA_KEY] = fields[len(header):]
    return rec


def _cell(column: str, value: str) -> Any:
    if column in JSON_CELLS and value[:1] == "[":
        try:
            parsed = orjson.loads(value)
        except orjson.JSONDecodeError:
            return value  # FT103 then says the turns are not a list
        if type(parsed) is list:
            return parsed
    return value


def parquet_stream(path: str, notes: dict[int, Problem]) -> IO[bytes]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow: pip install pyarrow, the ftlint[parquet] extra") from None
    return _stream(_parquet_blocks(pq, path))


def _parquet_blocks(pq: Any, path: str) -> Iterator[bytes]:
    import pyarrow

    row = 0
    try:
        table = pq.ParquetFile(path)
        for batch in table.iter_batches(batch_size=ROWS_PER_BLOCK):
            lines = []
            for rec in batch.to_pylist():
                row += 1
                try:
                    lines.append(orjson.dumps(rec, default=_default, option=orjson.OPT_NON_STR_KEYS))
                except TypeError as exc:  # nesting orjson cannot write (over 254 levels)
                    raise InputError(f"{path}: row {row}: cannot write it as JSON: {exc}") from None
            if lines:
                yield b"\n".join(lines) + b"\n"
    except (pyarrow.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(data).decode()
    return str(value)
