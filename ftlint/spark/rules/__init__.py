"""The dataset rules on Spark: one module per rule family, as ftlint.rules is laid out.

A family module registers, with :func:`distributed`, a function that runs some of its family's
dataset rules as Spark jobs over the file's examples and yields (code, Problem) pairs (or
returns an RDD of them): the same problems the local rule gives on the same file. Whatever a
file needs from the driver is aggregates (counts per label, per date format, ...), never one
item per record.

A selected dataset rule no family module distributes runs on the driver, with the local rule
itself, over the file's examples collected there, at most ``driver_records`` of them
(ftlint.spark.rules.driver): the same findings as the local engine up to that many records, a
seeded sample of them past it; the report's ``engine`` says which rules ran how. A family
module may also leave a code to the driver for one file (``ctx.to_driver``), when that file is
a case its jobs do not cover."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ftlint.dataset import Dataset

# the family modules, imported when a Spark check first asks what is distributed
FAMILIES = (
    "duplicates",
    "coverage",
)

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


def implementations() -> dict[str, Callable[..., Any]]:
    for family in FAMILIES:
        importlib.import_module(f"ftlint.spark.rules.{family}")
    return _BY_CODE


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
    # codes a family module leaves to the driver for this file (a case its jobs do not cover):
    # the engine runs them there with the rules no family distributes
    to_driver: set[str] = field(default_factory=set)
    _persisted: list = field(default_factory=list, repr=False)

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


def build_examples(rows) -> list:
    """Examples of (line, raw, format) rows, as the local engine builds them."""
    from ftlint import formats
    from ftlint.spark.scan import parsed

    builders = formats.builders()
    return [builders[fmt](fmt, parsed(line, raw), line) for line, raw, fmt in rows]
