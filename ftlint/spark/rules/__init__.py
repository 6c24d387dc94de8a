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

from collections.abc import Callable
from typing import Any

from ftlint.spark.rules.base import _BY_CODE, FileContext, build_examples, distributed  # noqa: F401 - the package's interface


def implementations() -> dict[str, Callable[..., Any]]:
    """Every Spark implementation, by code. The family modules register themselves when they are
    imported, here, when a Spark check first asks (one module per line, as ftlint.rules)."""
    from ftlint.spark.rules import (  # noqa: F401 - imported for their registrations
        answer_leak,
        consistency,
        coverage,
        duplicates,
        labels,
        placeholders,
        system_prompt,
    )

    return _BY_CODE
