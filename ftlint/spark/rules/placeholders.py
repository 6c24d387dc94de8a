"""FT503 and FT505 on Spark, with the local rules' own functions (ftlint.rules.placeholders):
each record's placeholder hits in a map, the counts the decision needs (records per spelling,
per slot kind, code completions: a few dozen numbers) to the driver, the flags by a map."""
from __future__ import annotations

from collections import Counter
from operator import add

from ftlint.rules import placeholders as rules
from ftlint.rules.answer_shape import looks_like_code
from ftlint.spark.rules.base import FileContext, distributed, first_seen
from ftlint.spark.rules.consistency import _add


@distributed("FT503")
def placeholder_values(ctx: FileContext, selected: dict[str, dict]):
    hits = ctx.keep(ctx.objects.flatMap(lambda e: [(e.line, i, path, text)
                                                   for i, (path, text) in enumerate(rules.placeholder_hits(e))]))
    spellings = first_seen(hits.map(lambda h: (h[3], (1, (h[0], h[1])))))  # the order of the local hits
    if not spellings:
        return []
    extra = rules.spelling_note(spellings)
    return hits.map(lambda h: ("FT503", rules.placeholder_problem(h[0], h[2], h[3], extra, spellings)))


@distributed("FT505")
def template_leftovers(ctx: FileContext, selected: dict[str, dict]):
    options = selected["FT505"]
    per_record = ctx.keep(ctx.objects.map(_leftovers).filter(lambda t: t is not None))
    with_hits, syntax = per_record.map(lambda t: (1, int(rules.syntax_hits(t[1])))).fold((0, 0), _add)
    if not with_hits:
        return []
    code_file = (syntax > 0
                 and rules.code_share(ctx.objects.filter(lambda e: looks_like_code(e.completion)).count(),
                                      ctx.count) >= options["code-share"])
    judged = ctx.keep(per_record.map(lambda t: (t[0], rules.judged_hits(t[1], t[2], code_file))).filter(lambda t: t[1]))
    records_of = Counter(dict(judged.mapPartitions(lambda part: rules.kind_records(h for _, h in part).items())
                              .reduceByKey(add).collect()))
    n = ctx.count
    return (judged.map(lambda t: rules.leftover_problem(t[0], t[1], records_of, n, options))
            .filter(lambda p: p is not None).map(lambda p: ("FT505", p)))


def _leftovers(e) -> tuple | None:
    hits = rules.leftover_hits(e)
    return (e.line, hits, rules.code_paths(e, hits)) if hits else None
