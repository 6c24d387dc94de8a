"""FT507 on Spark, with the local rule's own functions (ftlint.rules.answer_leak) and the labels
artifact's decisions (ftlint.artifacts.labels): whether the file is classification comes from
counts (records with a label, long completions, distinct completions up to 201) gathered in one
pass; for classification data the records per label (with their first line) give the canonical
labels; each record's leak is found by a map, the verbatim ones counted, the leaks flagged."""
from __future__ import annotations

from functools import partial

from ftlint.artifacts import labels
from ftlint.rules import answer_leak as rules
from ftlint.spark.rules.base import FileContext, distributed
from ftlint.spark.rules.consistency import first_seen

# distinct completions counted at most: classification allows 200
DISTINCT_CAP = 201


def _summary(part) -> list:
    """(records with a label, long completions, non-blank completions, non-blank labels, the
    distinct stripped completions or None past DISTINCT_CAP) of a partition."""
    explicit = long_ = completions = labelled = 0
    distinct: set | None = set()
    for e in part:
        explicit += e.label is not None
        long_ += labels.is_long(e.completion)
        completions += bool(e.completion and e.completion.strip())
        labelled += bool(e.label and e.label.strip())
        if distinct is not None:
            distinct.add(e.completion.strip())
            if len(distinct) > DISTINCT_CAP:
                distinct = None
    return [(explicit, long_, completions, labelled, distinct)]


def _merge(a: tuple, b: tuple) -> tuple:
    both = None if a[4] is None or b[4] is None else a[4] | b[4]
    return (*(x + y for x, y in zip(a[:4], b[:4], strict=True)), both if both is None or len(both) <= DISTINCT_CAP else None)


def _answer(e, source: str | None) -> str:
    """The record's expected answer, as labels_of(...).labels or the completion gives it."""
    if source == "label":
        return e.label if e.label is not None else ""
    return e.completion


@distributed("FT507")
def answer_in_prompt(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT507"]
    n = ctx.count
    explicit, long_, completions, labelled, distinct = ctx.objects.mapPartitions(_summary).reduce(_merge)
    source = labels.source_of("auto", None, n, lambda: explicit, lambda: labels.classification_from(
        n, long_, DISTINCT_CAP if distinct is None else len(distinct)))
    names: set[str] = set()
    if source is not None:
        written = first_seen(ctx.objects.map(lambda e: (_answer(e, source), (1, e.line))))
        canon_of = labels.label_set(source, written).canon_of
        names = {rules._norm(label) for label in set(canon_of.values())}
    answer = partial(_answer, source=source)
    leaks = ctx.keep(ctx.objects.map(lambda e: (e.line, answer(e), rules.leak_kind(
        e.prompt, answer(e), source is not None, names, options))).filter(lambda t: t[2] is not None))
    quoted = leaks.filter(lambda t: t[2] == "verbatim").count()
    quoting = rules.quoting_by_design(quoted, labelled if source == "label" else completions, options)
    what = "label" if source is not None else "answer"
    return (leaks.filter(lambda t: not (quoting and t[2] == "verbatim"))
            .map(lambda t: ("FT507", rules.leak_problem(t[0], t[1], what, t[2]))))
