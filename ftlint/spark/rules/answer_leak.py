"""FT507 on Spark, with the local rule's own functions (ftlint.rules.answer_leak) and the labels
family's labels (ftlint.spark.rules.labels: the label source and the canonical labels, computed
once per file for every family); each record's leak is found by a map, the verbatim ones
counted, the leaks flagged."""
from __future__ import annotations

from functools import partial

from ftlint.rules import answer_leak as rules
from ftlint.spark.rules import labels as spark_labels
from ftlint.spark.rules.base import FileContext, distributed


def _summary(part) -> list:
    """(non-blank completions, non-blank labels) of a partition: what quoting_by_design weighs."""
    completions = labelled = 0
    for e in part:
        completions += bool(e.completion and e.completion.strip())
        labelled += bool(e.label and e.label.strip())
    return [(completions, labelled)]


def _merge(a: tuple, b: tuple) -> tuple:
    return a[0] + b[0], a[1] + b[1]


def _answer(e, source: str | None) -> str:
    """The record's expected answer, as labels_of(...).labels or the completion gives it."""
    if source == "label":
        return e.label if e.label is not None else ""
    return e.completion


@distributed("FT507")
def answer_in_prompt(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT507"]
    completions, labelled = ctx.objects.mapPartitions(_summary).reduce(_merge)
    # the labels as the label family reads them (label-field auto, as labels_of(dataset) locally)
    found = spark_labels.labels(ctx, "auto")
    source = found.source if found is not None else None
    names = {rules._norm(label) for label in found.labels.counts} if found is not None else set()
    answer = partial(_answer, source=source)
    leaks = ctx.keep(ctx.objects.map(lambda e: (e.line, answer(e), rules.leak_kind(
        e.prompt, answer(e), source is not None, names, options))).filter(lambda t: t[2] is not None))
    quoted = leaks.filter(lambda t: t[2] == "verbatim").count()
    quoting = rules.quoting_by_design(quoted, labelled if source == "label" else completions, options)
    what = "label" if source is not None else "answer"
    return (leaks.filter(lambda t: not (quoting and t[2] == "verbatim"))
            .map(lambda t: ("FT507", rules.leak_problem(t[0], t[1], what, t[2]))))
