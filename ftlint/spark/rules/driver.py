"""The dataset rules no family module distributes yet, run on the driver with the local rules
themselves over the file's examples collected there: all of them when the file has at most
``limit`` records (the local engine's findings, exactly), else a seeded sample of about
``limit`` (its findings on that sample, reported as such). The driver's memory is then bounded
by ``limit``, not by the file."""
from __future__ import annotations

import zlib
from typing import Any

from ftlint.engine import _call
from ftlint.spark.rules.base import FileContext, build_examples

# examples the driver holds at most for the rules that run there (~2 KB each as Python objects)
DRIVER_RECORDS = 200_000


def run(ctx: FileContext, rules: list[tuple[Any, dict]], limit: int = DRIVER_RECORDS) -> tuple[list, int]:
    """(rule, problem) pairs of ``rules`` on this file, and how many examples they saw."""
    if not rules:
        return [], 0
    examples = ctx.examples
    if ctx.count > limit:
        share = limit / ctx.count
        examples = examples.filter(lambda t: _kept(t[0], share))
    got = sorted(examples.mapPartitions(build_examples).collect())
    dataset = ctx.meta()
    dataset.examples = got
    for rule, opts in rules:  # every plan before any check, as the local engine does
        if rule.plan:
            rule.plan(dataset, opts)
    out = [(rule, p) for rule, opts in rules for p in _call(rule, rule.check, dataset, opts)]
    return out, len(got)


def _kept(line: int, share: float) -> bool:
    """A seeded choice of lines, the same whatever the partitioning: ``share`` of them."""
    return zlib.crc32(line.to_bytes(8, "little")) < share * 0xFFFFFFFF
