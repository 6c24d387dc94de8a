"""The check on Spark: the same Settings, rules and Report as the local engine (ftlint.engine),
the file read and checked by Spark partitions.

Per file: pass 1 (ftlint.spark.scan) runs the reader's stage rules, the format validation and
every record rule on each partition and keeps its output (memory, spilling to disk); the format
vote is an aggregation of the records' format masks; FT103 and FT104 a map once the file's
format is known; the dataset rules Spark runs are the duplicate family's (ftlint.spark.dupes).
Only aggregates (the vote, per-chunk line counts), the template's sample of at most 2,000
records and the findings themselves reach the driver.

A selected dataset rule that is not distributed yet is not run: the report says so
(``report.engine["not_distributed"]``, in the JSON report's ``engine``), never silently."""
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
from ftlint.rules import REGISTRY, duplicates, rft
from ftlint.settings import Settings
from ftlint.spark import dupes, session
from ftlint.spark.scan import HEAD_BYTES, bits, count_lines, parsed, scan_partition

# what --engine spark runs, beyond the stage and record rules (which it runs all)
DISTRIBUTED = dupes.COVERED


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
    def __init__(self, settings: Settings, spark: Any):
        self.settings = settings
        self.spark = spark
        self.local = build_engine(settings)  # the selection, rules, options and stamping
        self.storage = session.storage()

    @property
    def not_distributed(self) -> list[str]:
        return sorted(r.code for r, _ in self.local.dataset_rules if r.code not in DISTRIBUTED)

    def run(self, inputs: Sequence[tuple[str, Any]]) -> Report:
        """``inputs``: (name, path or DataFrame) per file, in the order of the report."""
        findings: list[Finding] = []
        files: list[FileInfo] = []
        for index, (name, data) in enumerate(inputs):
            problems, info = self._file(name, data)
            findings.extend(self.local._stamp(problems, name, index))
            files.append(info)
        findings.sort(key=Finding.sort_key)
        engine = {"name": "spark", "master": self.spark.sparkContext.master,
                  "not_distributed": self.not_distributed}
        return Report(findings, files, self.settings.fail_on, engine=engine)

    def _file(self, name: str, data: Any) -> tuple[list, FileInfo]:
        with self.prepared(name, data) as p:
            extra, _ = self._dataset_rules(name, p.format, p.examples)
            got = [(REGISTRY[c] if c else None, q) for c, q in p.problems.union(extra).collect()]
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

    def _dataset_rules(self, name: str, fmt: str | None, examples) -> tuple[Any, int]:
        """The distributed dataset rules' problems, as an RDD of (code, problem)."""
        rules = {r.code: opts for r, opts in self.local.dataset_rules if r.code in DISTRIBUTED}
        out = self.spark.sparkContext.emptyRDD()
        count = examples.count() if rules else 0
        if not count:
            return out, count
        view = None
        if {"FT202", "FT205"} & set(rules):
            view = dupes.template_view(name, fmt, examples, count)
        if "FT201" in rules:
            out = out.union(dupes.exact_problems(examples, rules["FT201"]["fields"]).map(lambda p: ("FT201", p)))
        if "FT202" in rules:
            params = duplicates._params(rules["FT202"], view)
            edges = dupes.near_edges(examples, params, self.storage)
            out = out.union(dupes.near_problems(edges, self.storage).map(lambda p: ("FT202", p)))
        if "FT205" in rules:
            found = list(duplicates.shared_template.check(view, rules["FT205"]))
            out = out.union(self.spark.sparkContext.parallelize([("FT205", p) for p in found], 1))
        return out, count


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
