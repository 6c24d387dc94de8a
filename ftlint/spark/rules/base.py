"""What a Spark implementation of dataset rules receives (FileContext) and how it registers
(@distributed); the family modules import this, ftlint.spark.rules imports them."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ftlint.dataset import Dataset

# code -> the function that runs it (a function may run several codes at once: they share its jobs)
_BY_CODE: dict[str, Callable[..., Any]] = {}


def distributed(*codes: str) -> Callable[[Callable], Callable]:
    """Register ``fn(ctx, selected)`` as the Spark implementation of ``codes``; ``selected`` maps
    the codes of ``codes`` the run selected to their options."""

    def wrap(fn: Callable) -> Callable:
        for code in codes:
            _BY_CODE[code] = fn
        return fn

    return wrap




@dataclass
class FileContext:
    """One file as the dataset rules on Spark see it: ``examples`` an RDD of (line, raw, format)
    of its records of the file's format, ``count`` how many, ``records`` its non-blank lines (as
    Dataset.records), ``size_bytes`` its size when known."""

    spark: Any
    engine: Any  # the local Engine of the run's settings: its selection, options, target
    name: str
    format: str | None
    examples: Any
    count: int
    records: int
    size_bytes: int | None
    storage: Any
    role: str = "train"
    run_records: dict[str, int] = field(default_factory=dict)
    # codes a family module leaves to the driver for this file (a case its jobs do not cover)
    to_driver: set[str] = field(default_factory=set)
    _persisted: list = field(default_factory=list, repr=False)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def target(self) -> Any:
        return self.engine.target

    @property
    def settings(self) -> Any:
        return self.engine.settings

    @cached_property
    def objects(self) -> Any:
        """An RDD of the file's Examples (ftlint.example.Example), built once per partition
        with the local builders and kept (memory, spilling to disk) while the file is checked."""
        rdd = self.examples.mapPartitions(build_examples)
        rdd.persist(self.storage)
        self._persisted.append(rdd)
        return rdd

    def keep(self, rdd: Any) -> Any:
        """``rdd`` persisted (memory, spilling to disk) until the file is checked: for a family's
        per-record features that its jobs read more than once."""
        rdd.persist(self.storage)
        self._persisted.append(rdd)
        return rdd

    def memo(self, key: Any, build: Callable[[FileContext], Any]) -> Any:
        """What ``build(self)`` gives, built once per file and shared by the families (the
        label source and labels that FT203 and FT3 both read, ...), as Dataset.memo locally."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]

    def broadcast(self, value: Any) -> Any:
        """``value`` broadcast to the executors (a decision on aggregates that a map applies
        per record), released with the file."""
        got = self.spark.sparkContext.broadcast(value)
        self._persisted.append(got)
        return got

    def meta(self) -> Dataset:
        """A Dataset with this file's counts, size, format, role and target and no examples: what
        the rules that read only those (FT601, FT605, ...) need."""
        return Dataset(path=self.name, format=self.format, examples=[], role=self.role,  # type: ignore[arg-type]
                       records=self.records, size_bytes=self.size_bytes, target=self.target,
                       run_records=dict(self.run_records))

    def release(self) -> None:
        for rdd in self._persisted:
            rdd.unpersist()
        self._persisted.clear()


# what the families count a value with: (records, first position), merged by reduceByKey
def merge(a: tuple, b: tuple) -> tuple:
    """Two (count, first position) of one value."""
    return a[0] + b[0], min(a[1], b[1])


def first_seen(pairs) -> Counter:
    """A Counter of the (value, (1, position)) pairs of an RDD, in the order of each value's
    first position (then of the value): the order a local Counter fed in line order has."""
    got = pairs.reduceByKey(merge).collect()
    return Counter({value: n for value, (n, _) in sorted(got, key=lambda kv: (kv[1][1], kv[0]))})


def build_examples(rows) -> list:
    """Examples of (line, raw, format) rows, as the local engine builds them."""
    from ftlint import formats
    from ftlint.spark.scan import parsed

    builders = formats.builders()
    return [builders[fmt](fmt, parsed(line, raw), line) for line, raw, fmt in rows]
