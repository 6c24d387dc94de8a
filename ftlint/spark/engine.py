"""The check on Spark: the same Settings, rules and Report as the local engine (ftlint.engine),
the file read and checked by Spark partitions.

Per file: pass 1 (ftlint.spark.scan) runs the reader's stage rules, the format validation and
every record rule on each partition and keeps its output (memory, spilling to disk); the format
vote is an aggregation of the records' format masks; FT103 and FT104 a map once the file's
format is known; then the dataset rules (ftlint.spark.rules: Spark jobs per family, the rules
no family distributes yet on the driver over at most ``driver_records`` examples). Only
aggregates (the vote, per-chunk line counts, per-label counts...), the template's sample of at
most 2,000 records, the driver rules' examples and the findings themselves reach the driver.

The report's ``engine`` says which dataset rules ran on the driver and, for a file with more
examples than ``driver_records``, that they saw a sample of them (how many of how many)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from operator import add
from typing import Any

from ftlint.engine import _other_format, _schema_problem, build_engine
from ftlint.finding import Finding, Problem
from ftlint.formats import FORMATS, detect
from ftlint.read.reader import _empty
from ftlint.result import FileInfo, Report
from ftlint.rules import REGISTRY, rft
from ftlint.settings import Settings
from ftlint.spark import session
from ftlint.spark.rules import FileContext, driver, implementations
from ftlint.spark.scan import HEAD_BYTES, bits, count_lines, parsed, scan_partition


@dataclass
class Prepared:
    """One file after pass 1: ``rows`` its lines (bytes, in order), ``problems`` an RDD of
    (code or None, Problem) of the stage and record rules, ``examples`` an RDD of (line, raw,
    format) of the records of the file's format, ``lines`` its physical lines, ``stop`` the line
    where the reader stopped (binary data) or None."""

    rows: Any
    problems: Any
    examples: Any
    format: str | None
    nonblank: int
    lines: int
    stop: int | None


class SparkEngine:
    def __init__(self, settings: Settings, spark: Any, driver_records: int = driver.DRIVER_RECORDS):
        self.settings = settings
        self.spark = spark
        self.local = build_engine(settings)  # the selection, rules, options and stamping
        self.storage = session.storage(spark)
        self.driver_records = driver_records
        self.on_driver: set[str] = set()  # the dataset rules that ran on the driver (not distributed)
        self.sampled: dict[str, dict[str, int]] = {}  # per file past driver_records: examples seen, of

    @property
    def engine_info(self) -> dict[str, Any]:
        """What the report's ``engine`` says: where it ran, which dataset rules ran on the driver
        and, per file where they saw a sample, how many examples of how many."""
        return {"name": "spark", "master": self.spark.sparkContext.master,
                "on_driver": sorted(self.on_driver), "driver_records": self.driver_records,
                "sampled": dict(sorted(self.sampled.items()))}

    def run(self, inputs: Sequence[tuple[str, Any]]) -> Report:
        """``inputs``: (name, path or DataFrame) per file, in the order of the report."""
        findings: list[Finding] = []
        files: list[FileInfo] = []
        for index, (name, data) in enumerate(inputs):
            problems, info = self._file(name, data)
            findings.extend(self.local._stamp(problems, name, index))
            files.append(info)
        findings.sort(key=Finding.sort_key)
        return Report(findings, files, self.settings.fail_on, engine=self.engine_info)

    def _file(self, name: str, data: Any) -> tuple[list, FileInfo]:
        with self.prepared(name, data) as p:
            extra = self._dataset_rules(name, p, data)
            got = [(REGISTRY[c] if c else None, q) for c, q in p.problems.collect()]
            got.extend((REGISTRY[c], q) for c, q in extra)
        if not p.nonblank:
            got.append((None, _empty(name, None)))
        return got, FileInfo(name, p.nonblank, p.format, "train")

    @contextmanager
    def prepared(self, name: str, data: Any) -> Iterator[Prepared]:
        """Pass 1 of one file and the format vote: its problems and its examples as RDDs (kept
        in memory, spilling to disk, while the block runs), nothing per record on the driver."""
        rows = session.lines_of(self.spark, data, name)
        sizes = rows.mapPartitions(count_lines).collect()
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        head = session.head_of(self.spark, data, HEAD_BYTES)
        items = rows.mapPartitionsWithIndex(partial(_scan, starts=starts, settings=self.settings, head=head))
        items.persist(self.storage)
        examples = None
        try:
            meta = items.filter(lambda t: t[0] in ("n", "s")).map(lambda t: t[:3]).collect()
            stops = [t[1] for t in meta if t[0] == "s"]
            stop = min(stops) if stops else None
            if stop is not None:  # the reader stopped (binary data): nothing after it was read
                items = items.filter(lambda t: _line(t) is None or _line(t) <= stop)
            nonblank = sum(t[2] for t in meta if t[0] == "n" and (stop is None or t[1] <= stop))
            fmt, want = self._vote(items)
            plain = detect.unanswered_bits(fmt, bits()) if want else 0
            problems = items.flatMap(partial(_late, fmt=fmt, want=want, plain=plain, bit=bits(),
                                             reported=self._rft_target))
            if plain:  # an RFT prompt ends with the user's turn: no FT107 on the unanswered ones
                unanswered = items.filter(lambda t: t[0] == "r" and not t[3] & want and t[3] & plain)
                problems = _without(problems, rft.ENDS_WITH_ANSWER, unanswered.map(lambda t: (t[1], None)))
            # the file's records, the unanswered RFT prompts too (as locally: only FT104's are left out)
            examples = (items.filter(lambda t: t[0] == "r" and (not want or t[3] & (want | plain)))
                        .map(lambda t: (t[1], t[2], t[4])))
            examples.persist(self.storage)
            yield Prepared(rows, problems, examples, fmt, nonblank, sum(sizes), stop)
        finally:
            if examples is not None:
                examples.unpersist()
            items.unpersist()

    @property
    def _rft_target(self) -> bool:
        target = self.local.target
        return target is not None and "rft" in target.formats

    def _vote(self, items) -> tuple[str | None, int]:
        """The file's format (the local engine's vote, on the aggregated format masks) and the
        bit of a record of that format (0 when forced: every record counts)."""
        bit = bits()
        forced = self.settings.dataset_format
        masks = dict(items.filter(lambda t: t[0] == "r").map(lambda t: (t[3], 1)).reduceByKey(add).collect())
        by_mask = {m: range(c) for m, c in masks.items()}  # the local tally's shape: only counts are read
        meant: dict[str, int] = {}
        if not masks:
            meant = dict(items.filter(lambda t: t[0] == "i" and t[3]).map(lambda t: (t[3][0], 1))
                         .reduceByKey(add).collect())
        fmt = forced or detect.file_format(by_mask, bit, ((c,) for c, k in meant.items() for _ in range(k)),
                                           self._rft_target)
        return fmt, bit[fmt] if fmt is not None and not forced else 0

    def _dataset_rules(self, name: str, p: Prepared, data: Any) -> Any:
        """The dataset rules' problems, a list of (code, problem): those a family module
        distributes as Spark jobs, the others on the driver (ftlint.spark.rules.driver)."""
        selected = self.local.dataset_rules
        if not selected:
            return []
        out = self.spark.sparkContext.emptyRDD()
        ctx = FileContext(self.spark, self.local, name, p.format, p.examples, p.examples.count(), p.nonblank,
                          session.size_of(self.spark, data), self.storage, run_records={"train": p.nonblank})
        try:
            spread = implementations()
            groups: dict[Any, dict[str, dict]] = {}
            for rule, opts in selected:
                if rule.code in spread:
                    groups.setdefault(spread[rule.code], {})[rule.code] = opts
            if ctx.count:
                for fn, codes in groups.items():
                    got = fn(ctx, codes)
                    out = out.union(got if hasattr(got, "mapPartitions") else
                                    self.spark.sparkContext.parallelize(list(got), 1))
            # the rules no family distributes, and those a family left to the driver for this file
            here = [(r, o) for r, o in selected if r.code not in spread or r.code in ctx.to_driver]
            found, seen = driver.run(ctx, here, self.driver_records)
            self.on_driver.update(r.code for r, _ in here)
            if here and seen < ctx.count:  # nothing on the driver: nothing sampled
                self.sampled[name] = {"examples": seen, "of": ctx.count}
            out = out.union(self.spark.sparkContext.parallelize([(r.code, q) for r, q in found], 1))
            # the jobs above are lazy: the problems are collected before the context is released
            return out.collect()
        finally:
            ctx.release()


def _scan(index: int, rows, starts: list[int], settings: Settings, head: bytes | None):
    return scan_partition(index, rows, starts, settings, head)


def _line(t: tuple) -> int | None:
    return t[2].line if t[0] == "p" else t[1]


def _late(t: tuple, fmt: str | None, want: int, plain: int, bit: dict[str, int],
          reported: bool) -> list[tuple[str | None, Problem]]:
    """Pass 1's finished problems, and what needs the file's format: FT103 for an invalid record
    (diagnosed against that format), FT104 for a valid record of another format and, in an rft
    file, FT613 for a chat without its reference answer (unless the RFT target's rule said so)."""
    kind = t[0]
    if kind == "p":
        return [(t[1], t[2])]
    if kind == "i":
        _, line, raw, cands = t
        return [(None, _schema_problem(line, parsed(line, raw), cands, fmt, raw))]
    if kind == "r" and want and not t[3] & want:
        if t[3] & plain:
            return [] if reported else [(None, rft.missing_answer(t[1]))]
        other = next(f for f in FORMATS if t[3] & bit[f])
        return [(None, _other_format(t[1], other, fmt))]
    return []


def _without(problems, code: str, lines):
    """``problems`` less those of rule ``code`` on ``lines`` (an RDD of (line, None))."""
    theirs = problems.filter(lambda cp: cp[0] == code).map(lambda cp: (cp[1].line, cp))
    return problems.filter(lambda cp: cp[0] != code).union(theirs.subtractByKey(lines).values())
