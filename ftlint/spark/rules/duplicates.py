"""FT201, FT202, FT203 and FT205 on Spark (the jobs: ftlint.spark.dupes). FT203's notion of
classification is the label family's (ftlint.spark.rules.labels.source, label-field auto),
computed once per file for both."""
from __future__ import annotations

from ftlint.rules import duplicates
from ftlint.spark import dupes
from ftlint.spark.rules import labels
from ftlint.spark.rules.base import FileContext, distributed


@distributed("FT201", "FT202", "FT203", "FT205")
def duplicate_family(ctx: FileContext, selected: dict[str, dict]):
    view = None
    near_prompts = False  # FT203 compares near-identical prompts (classification data), as locally
    if "FT203" in selected:
        classification = labels.source(ctx, "auto") is not None
        near_prompts = classification and float(selected["FT203"]["prompt-threshold"]) < 1.0
    if {"FT202", "FT205"} & set(selected) or near_prompts and selected["FT203"].get("ignore-template", True):
        view = dupes.template_view(ctx.name, ctx.format, ctx.examples, ctx.count)
    out = ctx.spark.sparkContext.emptyRDD()
    if "FT201" in selected:
        out = out.union(dupes.exact_problems(ctx.examples, selected["FT201"]["fields"]).map(lambda p: ("FT201", p)))
    if "FT202" in selected:
        params = duplicates._params(selected["FT202"], view)
        edges = dupes.near_edges(ctx.examples, params, ctx.storage)
        out = out.union(dupes.near_problems(edges, ctx.storage).map(lambda p: ("FT202", p)))
    if "FT203" in selected:
        opts = dict(selected["FT203"], fields="prompt", threshold=float(selected["FT203"]["prompt-threshold"]))
        params = duplicates._params(opts, view) if near_prompts else None
        found = dupes.conflict_problems(ctx.examples, classification, params, ctx.storage)
        out = out.union(found.map(lambda p: ("FT203", p)))
    if "FT205" in selected:
        found = list(duplicates.shared_template.check(view, selected["FT205"]))
        out = out.union(ctx.spark.sparkContext.parallelize([("FT205", p) for p in found], 1))
    return out
