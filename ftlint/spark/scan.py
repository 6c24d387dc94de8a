"""Pass 1 of a file on Spark, one Spark partition at a time (``mapPartitionsWithIndex``): the
local reader's per-line stage rules (ftlint.read.lines, on the partition's lines numbered from where
the partition starts), the format stage's validation of every record, and every selected
record rule with the same Rule objects and options the local engine runs (ftlint.engine).

What a partition yields, as tuples (so that Spark pickles no class of ours per record):

- ``("p", code, problem)``: a finished problem (``code`` is the rule's, or None for the reader's);
- ``("r", line, raw, mask, first)``: a record valid in the formats of ``mask`` (the bits of
  ftlint.formats.FORMATS), ``first`` the first of them (what its Example is built as);
- ``("i", line, raw, candidates)``: a record valid in no candidate format (FT103 once the file's
  format is known, ftlint.spark.engine);
- ``("n", first_line, nonblank)``: the non-blank lines of one chunk (the file's record count);
- ``("s", line)``: the reader stopped here (the file is not JSON Lines text).

What the local engine does after the whole file (the format vote, FT103, FT104) is the driver's
work on aggregates: ftlint.spark.engine."""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from ftlint import formats
from ftlint.dataset import Record
from ftlint.engine import _call, _failed, _locate, build_engine
from ftlint.read import diagnose
from ftlint.read.lines import BOM, chunk_of, parse_chunk
from ftlint.settings import Settings

CHUNK_BYTES = 1 << 18  # the local reader's read size: record rules see batches of the same size
HEAD_BYTES = 1 << 18  # what the local reader looks at to tell binary data (its first read)


def bits() -> dict[str, int]:
    return {f: 1 << i for i, f in enumerate(formats.FORMATS)}


def count_lines(rows: Iterable[Any]) -> list[int]:
    return [sum(1 for _ in rows)]


def scan_partition(index: int, rows: Iterable[bytes], starts: list[int], settings: Settings,
                   head: bytes | None = None) -> Iterator[tuple]:
    """The items of partition ``index`` (module doc); ``starts[index]`` is the number of lines
    before it. The partition holding the file's first line also looks at the file's ``head``
    (its first bytes; without them, its first lines joined): binary data, and the byte order
    mark that Spark's text source drops from the first line."""
    engine = build_engine(settings)  # per partition: the same settings give the same rules and options
    lineno, first_content = starts[index], starts[index] == 0
    pending: list[bytes] = []
    size = 0
    head = first_content and (head if head is not None else True)
    rows = iter(rows)
    if first_content and isinstance(head, bytes) and head.startswith(BOM):
        first = next(rows, None)
        rows = itertools.chain([] if first is None else [first if first.startswith(BOM) else BOM + first], rows)
    for raw in rows:
        pending.append(raw)
        size += len(raw) + 1
        if size >= CHUNK_BYTES:
            stopped = yield from _chunk(engine, pending, lineno, first_content, head)
            lineno, first_content, head = stopped[0], stopped[1], False
            if stopped[2]:
                return
            pending, size = [], 0
    if pending:
        yield from _chunk(engine, pending, lineno, first_content, head)


def _chunk(engine, lines: list[bytes], lineno: int, first_content: bool, head: bytes | bool):
    """Yield the items of one chunk of lines; return (last line, first_content, stopped)."""
    cap, depth = engine.max_line, engine.max_depth
    if head is True:
        head = b"\n".join(lines)[:HEAD_BYTES]
    chunk = chunk_of(lines, cap, head or None)
    batch, last, first_content, stop = parse_chunk(chunk, lineno, first_content, cap, depth)
    yield ("n", lineno + 1, batch.nonblank)
    for p in batch.problems:
        yield ("p", None, p)
    if stop:
        yield ("s", max([p.line for p in batch.problems if p.line is not None], default=last))
    yield from _records(engine, batch.records)
    return last, first_content, stop


def _records(engine, records: list[tuple[int, bytes, dict]]) -> Iterator[tuple]:
    """The format stage and the record rules of one batch, as the local engine's _scan_file runs them."""
    forced = engine.settings.dataset_format
    bit = bits()
    rules = engine.record_rules
    single = [(r, o) for r, o in rules if not r.batch]
    batched = [(r, o) for r, o in rules if r.batch]
    builders = formats.builders()
    plans: dict[tuple[str, ...], tuple] = {}
    recs: list[Record] = []
    for line, raw, obj in records:
        cands = (forced,) if forced else formats.candidates(obj)
        plan = plans.get(cands)
        if plan is None:
            plan = plans[cands] = tuple((f, formats.checker(f), bit[f]) for f in cands)
        mask, first = 0, None
        for f, check, b in plan:
            if check(obj):
                mask |= b
                if first is None:
                    first = f
        if first is None:
            yield ("i", line, raw, cands)
            continue
        yield ("r", line, raw, mask, first)
        if rules:
            recs.append(Record(line, raw, obj, first, builders[first](first, obj, line), engine.target))
    if not recs:
        return
    problems: list = []
    for rec in recs if single else ():
        for rule, opts in single:
            try:
                problems.extend((rule, p) for p in rule.check(rec, opts))
            except Exception as exc:  # noqa: BLE001 - re-raised with the rule's name
                raise _failed(rule, exc) from exc
    for rule, opts in batched:
        problems.extend((rule, p) for p in _call(rule, rule.check, recs, opts))
    _locate(problems, 0, records)
    for rule, p in problems:
        yield ("p", rule.code, p)


def parsed(line: int, raw: bytes, max_depth: int = diagnose.MAX_DEPTH) -> dict:
    """The record's object again, as the reader parsed it (orjson, else the slow path that takes
    what orjson declines: integers past 64 bits, NaN)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return diagnose.slow_line(line, raw, max_depth)[0]
