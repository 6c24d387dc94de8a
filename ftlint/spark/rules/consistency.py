"""FT501, FT502 and FT504 on Spark, with the local rules' own functions (ftlint.rules.consistency):
each record's features in a map (its date formats, its output's shape, its prompt's affixes),
the counts the decision needs by reduceByKey (per format, per key, per key and type, per affix:
at most as many as there are distinct values, and for an affix only the most used one reaches
the driver), the decision on the driver from those counts, the flags by a map.

Where the local rule breaks a tie by the order it first saw the values in (a Counter), the
counts carry the first record (line) of each value and are put in that order on the driver
(spark.rules.base.first_seen)."""
from __future__ import annotations

from collections import Counter
from functools import partial
from operator import add

from ftlint.rules import consistency as rules
from ftlint.spark.rules.base import FileContext, distributed, first_seen, merge


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


@distributed("FT501")
def date_formats(ctx: FileContext, selected: dict[str, dict]):
    dated = ctx.keep(ctx.objects.map(lambda e: (e.line, rules._date_formats(e.completion))).filter(lambda t: t[1]))
    # a record's formats in sorted order, as date_votes counts them
    votes = first_seen(dated.flatMap(lambda t: ((f, (1, (t[0], f))) for f in t[1])))
    verdict = rules.date_verdict(dated.count(), votes, selected["FT501"]["min-dated"])
    if verdict is None:
        return []
    return (dated.map(lambda t: rules.date_problem(t[0], t[1], verdict)).filter(lambda p: p is not None)
            .map(lambda p: ("FT501", p)))


@distributed("FT502")
def output_structure(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT502"]
    share = options["min-share"]
    shapes = ctx.keep(ctx.objects.map(lambda e: (e.line, rules.output_shape(e.completion))))
    n_json, n_obj = shapes.map(lambda t: (int(t[1] is not None), int(isinstance(t[1], dict)))).fold((0, 0), _add)
    if not rules.json_judged(ctx.count, n_json, options):
        return []
    n = ctx.count
    out = shapes.filter(lambda t: t[1] is None).map(lambda t: ("FT502", rules.not_json(t[0], n_json, n)))
    if n_obj < options["min-records"]:
        return out
    objects = shapes.filter(lambda t: isinstance(t[1], dict))
    # the keys common to the objects or not rare among them: the others are rare, whatever their count
    key_counts = dict(objects.flatMap(lambda t: ((k, 1) for k in t[1])).reduceByKey(add)
                      .filter(lambda kc: rules.kept_key(kc[1], n_obj, share)).collect())
    common = rules.common_keys(n_obj, key_counts, share)
    types: dict[str, Counter] = {k: Counter() for k in common}
    seen = first_seen(objects.flatMap(lambda t: (((k, t[1][k]), (1, t[0])) for k in common if k in t[1])))
    for (k, kind), c in seen.items():  # first-seen order within each key, as the local Counters
        types[k][kind] = c
    model = rules.object_model(n_obj, key_counts, types, share)
    flagged = objects.map(lambda t: rules.object_problem(t[0], t[1], model)).filter(lambda p: p is not None)
    return out.union(flagged.map(lambda p: ("FT502", p)))


@distributed("FT504")
def prompt_template(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT504"]
    n = ctx.count
    if n < options["min-records"]:
        return []
    affixes = ctx.keep(ctx.objects.map(lambda e: (e.line, rules.prompt_affixes(e))))
    # the most used prefix and separator in one job: counts per (which, value), then the top of each
    tops = dict(affixes.flatMap(lambda t: (((0, t[1][0]), (1, t[0])), ((1, t[1][1]), (1, t[0]))))
                .reduceByKey(merge).map(lambda kv: (kv[0][0], (-kv[1][0], kv[1][1], kv[0][1])))
                .reduceByKey(min).collect())
    out = ctx.spark.sparkContext.emptyRDD()
    for index, what in ((0, "prefix"), (1, "separator")):
        minus, _, top = tops[index]  # most records, then first seen: Counter.most_common(1)
        if rules.template_judged(top, -minus, n, options):
            flag = partial(_affix_problem, index=index, what=what, top=top, n_top=-minus, n=n)
            out = out.union(affixes.filter(partial(_off_template, index=index, top=top)).map(flag))
    return out


def _off_template(t: tuple, index: int, top: str) -> bool:
    return t[1][index] != top


def _affix_problem(t: tuple, index: int, what: str, top: str, n_top: int, n: int) -> tuple:
    return "FT504", rules.template_problem(t[0], what, t[1][index], top, n_top, n)
