"""FT506 on Spark, with the local rule's own functions (ftlint.rules.system_prompt): the records
per system prompt by reduceByKey (with each prompt's first line), the dominant prompts and the
most used rarer ones (at most MAX_CANDIDATES, a top-k list) to the driver, their similarity to
the dominant ones in a Spark job, the records of the edited variants flagged by a map."""
from __future__ import annotations

from ftlint.rules import system_prompt as rules
from ftlint.spark.rules.base import FileContext, distributed, merge
from ftlint.spark.rules.consistency import _add

# comparisons of candidates with dominant prompts made on the driver rather than in a job
ON_DRIVER = 200


def _order(kv: tuple) -> tuple:
    return -kv[1][0], kv[1][1]  # Counter.most_common's order: most records, then first seen


@distributed("FT506")
def system_prompt_outliers(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT506"]
    systems = ctx.objects.map(lambda e: (rules.system_of(e), e.line)).filter(lambda t: t[0] is not None)
    prompts = ctx.keep(systems.map(lambda t: (t[0], (1, t[1]))).reduceByKey(merge))
    distinct, total = prompts.map(lambda kv: (1, kv[1][0])).fold((0, 0), _add)
    if distinct < 2:
        return []
    floor = rules.dominant_floor(total, options)
    top = sorted(prompts.filter(lambda kv: kv[1][0] >= floor).collect(), key=_order)
    if not top:
        return []
    rare = prompts.filter(lambda kv: kv[1][0] < floor).takeOrdered(rules.MAX_CANDIDATES, key=_order)
    dominant = [p for p, _ in top]
    threshold = options["min-similarity"]
    candidates = [p for p, _ in rare]
    if len(candidates) * len(dominant) <= ON_DRIVER:
        edits = [e for p in candidates if (e := rules.nearest(p, dominant, threshold)) is not None]
    else:  # up to MAX_CANDIDATES x dominant difflib ratios: a job
        sc = ctx.spark.sparkContext
        edits = (sc.parallelize(candidates, min(len(candidates), sc.defaultParallelism))
                 .map(lambda p: rules.nearest(p, dominant, threshold)).filter(lambda e: e is not None).collect())
    seen = {p: c for p, c in top + rare}  # prompt -> (records, first line)
    if not rules.edits_reported(sum(seen[p][0] for p, _, _ in edits), total, options):
        return []
    found = {p: rules.outlier_problem(p, usual, similarity, seen[usual][0], seen[usual][1], seen[p][0])
             for p, usual, similarity in edits}
    return systems.filter(lambda t: t[0] in found).map(lambda t: ("FT506", rules.at_line(found[t[0]], t[1])))
