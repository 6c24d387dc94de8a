"""FT201, FT202 and FT205 on Spark (the jobs: ftlint.spark.dupes)."""
from __future__ import annotations

from ftlint.rules import duplicates
from ftlint.spark import dupes
from ftlint.spark.rules.base import FileContext, distributed


@distributed("FT201", "FT202", "FT205")
def duplicate_family(ctx: FileContext, selected: dict[str, dict]):
    view = None
    if {"FT202", "FT205"} & set(selected):
        view = dupes.template_view(ctx.name, ctx.format, ctx.examples, ctx.count)
    out = ctx.spark.sparkContext.emptyRDD()
    if "FT201" in selected:
        out = out.union(dupes.exact_problems(ctx.examples, selected["FT201"]["fields"]).map(lambda p: ("FT201", p)))
    if "FT202" in selected:
        params = duplicates._params(selected["FT202"], view)
        edges = dupes.near_edges(ctx.examples, params, ctx.storage)
        out = out.union(dupes.near_problems(edges, ctx.storage).map(lambda p: ("FT202", p)))
    if "FT205" in selected:
        found = list(duplicates.shared_template.check(view, selected["FT205"]))
        out = out.union(ctx.spark.sparkContext.parallelize([("FT205", p) for p in found], 1))
    return out
