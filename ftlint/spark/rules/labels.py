"""FT301, FT302 and FT303 on Spark, with the local rules' own decisions (ftlint.rules.labels,
ftlint.artifacts.labels) made on aggregates of the file's examples (``ctx.objects``):

- The label source (artifacts.labels.source_of): for ``label-field = auto``, one job counts the
  records with a ``label`` key and those with a long completion, and gathers the distinct
  stripped completions as 128-bit digests, at most MAX_DISTINCT + 1 of them per partition and
  in all (past that the completions are not labels: only "too many" is kept).
- The labels (artifacts.labels.label_set): a reduceByKey on each record's written label of
  (records, first line); the driver receives one row per distinct spelling and decides the
  spelling variants, the counts and the number variants on them, as the local engine does.
- FT301: its finding from the counts, on the driver.
- FT302: the rare labels decided on the counts; their first MAX_RELATED + 1 lines come from a
  bounded top-k per rare label (aggregateByKey), the only lines that reach the driver.
- FT303: the decision (which spellings are reported, with what) is broadcast, and a map over
  the records yields the findings.

``labels(ctx, field)`` is shared with FT203 (ftlint.spark.rules.duplicates): the file's label
source, and its labels, are computed once per file and field (ctx.memo)."""
from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass

from ftlint.artifacts import labels as art
from ftlint.rules import labels as rules
from ftlint.spark.rules.base import FileContext, distributed, merge


@dataclass
class FileLabels:
    """A file's labels as the driver holds them: the LabelSet (one entry per distinct spelling)
    and the first line of each written spelling."""

    labels: art.LabelSet
    first_line: dict[str, int]

    @property
    def source(self) -> str:
        return self.labels.source


def source(ctx: FileContext, field: str) -> str | None:
    """The file's label source for ``label-field = field`` (artifacts.labels.source_of), or None."""
    def build(ctx: FileContext) -> str | None:
        got: list = []

        def stats() -> tuple[int, int, int]:
            if not got:
                got.append(ctx.objects.mapPartitions(_stats).treeReduce(_merge))
            explicit, long_, seen = got[0]
            return explicit, long_, art.MAX_DISTINCT + 1 if seen is None else len(seen)

        return art.source_of(field, None, ctx.count, lambda: stats()[0],
                             lambda: art.classification_from(ctx.count, stats()[1], stats()[2]))

    return ctx.memo(("label-source", field), build)


def labels(ctx: FileContext, field: str) -> FileLabels | None:
    """The file's labels for ``label-field = field`` (what labels_of gives locally, without the
    per-record lists), or None when the file has none."""
    def build(ctx: FileContext) -> FileLabels | None:
        src = source(ctx, field)
        if src is None:
            return None
        rows = (ctx.objects.map(lambda ex: (art.label_text(ex, src), (1, ex.line)))
                .reduceByKey(merge).collect())
        rows.sort(key=lambda kv: kv[1][1])  # in order of first appearance, as Counter(raw) is locally
        written = Counter({label: n for label, (n, _) in rows})
        return FileLabels(art.label_set(src, written), {label: line for label, (_, line) in rows})

    return ctx.memo(("labels", field), build)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _stats(examples) -> list[tuple[int, int, set | None]]:
    """(records with a label key, records with a long completion, digests of the distinct
    stripped completions or None past MAX_DISTINCT) of one partition."""
    explicit = long_ = 0
    seen: set | None = set()
    for ex in examples:
        explicit += ex.label is not None
        long_ += art.is_long(ex.completion)
        if seen is not None:
            seen.add(_digest(ex.completion.strip()))
            if len(seen) > art.MAX_DISTINCT:
                seen = None
    return [(explicit, long_, seen)]


def _merge(a: tuple, b: tuple) -> tuple:
    seen = None if a[2] is None or b[2] is None else a[2] | b[2]
    if seen is not None and len(seen) > art.MAX_DISTINCT:
        seen = None
    return a[0] + b[0], a[1] + b[1], seen


def _first_lines(k: int):
    def add(acc: list[int], line: int) -> list[int]:
        if len(acc) < k:
            heapq.heappush(acc, -line)
        elif line < -acc[0]:
            heapq.heapreplace(acc, -line)
        return acc

    def merge(a: list[int], b: list[int]) -> list[int]:
        for neg in b:
            add(a, -neg)
        return a

    return add, merge


@distributed("FT301", "FT302", "FT303")
def label_family(ctx: FileContext, selected: dict[str, dict]):
    out = []
    if "FT301" in selected:
        got = labels(ctx, selected["FT301"]["label-field"])
        if got is not None:
            out.extend(("FT301", p) for p in rules.imbalance(got.labels, selected["FT301"]))
    if "FT302" in selected and ctx.role == "train":
        out.extend(("FT302", p) for p in _rare(ctx, selected["FT302"]))
    rdd = ctx.spark.sparkContext.parallelize(out, 1)
    if "FT303" in selected:
        rdd = rdd.union(_variants(ctx, selected["FT303"]))
    return rdd


def _rare(ctx: FileContext, options: dict) -> list:
    got = labels(ctx, options["label-field"])
    if got is None:
        return []
    rare = rules.rare_labels(got.labels, options)
    if not rare:
        return []
    wanted = {label for label, _ in rare}
    spelled = ctx.broadcast({s: c for s, c in got.labels.canon_of.items() if c in wanted})
    src = got.source
    add, merge = _first_lines(rules.MAX_RELATED + 1)

    def pick(ex) -> list[tuple[str, int]]:
        canon = spelled.value.get(art.label_text(ex, src))
        return [] if canon is None else [(canon, ex.line)]

    lines = dict(ctx.objects.flatMap(pick).aggregateByKey([], add, merge).collect())
    return [rules.rare_problem(label, n, sorted(-x for x in lines[label]), options) for label, n in rare]


def _variants(ctx: FileContext, options: dict):
    empty = ctx.spark.sparkContext.emptyRDD()
    got = labels(ctx, options["label-field"])
    if got is None:
        return empty
    info = got.labels
    numbers = rules.variant_numbers(info)
    if numbers is None:
        return empty
    # the spellings whose records are reported, with their canonical label
    flagged = {s: c for s, c in info.canon_of.items() if s != c or c in numbers}
    decision = ctx.broadcast((flagged, info, numbers, got.first_line))
    src = got.source

    def flag(ex) -> list:
        flagged, info, numbers, first_line = decision.value
        label = art.label_text(ex, src)
        keep = flagged.get(label)
        if keep is None:
            return []
        found = rules.variant_problem(ex.line, label, keep, info, numbers, first_line)
        return [] if found is None else [("FT303", found)]

    return ctx.objects.flatMap(flag)
