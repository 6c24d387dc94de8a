"""The coverage family (FT4) on Spark: FT401, FT403, FT404, FT405, FT406, FT407 and FT410, with
the local rules' own steps (ftlint.rules.coverage, edge_cases, completions; ftlint.artifacts.labels
and profile), so that both engines decide on the same numbers.

One job aggregates the file per partition: the record count, the label-source counts (records
with a ``label`` key, completions too long to be a label), the histograms of the prompts' and
completions' lengths (a count per distinct length: what FT401's exact median and MAD and FT403's
short and long shares are computed from), the prompts holding numbers, code or non-Latin text,
and FT405's punctuation counts. The decisions are taken on the driver from those aggregates;
then one pass over the records flags FT401's outliers, FT405's truncated and FT407's degenerate
completions with them. FT406 counts the task keys with a reduceByKey (map-side combined): only
the most common key reaches the driver. Whether the file is classification-like (FT401's
completions, FT404, FT405) takes at most two more small jobs: the distinct stripped completions,
at most 201 of them, and the number of distinct labels.

Left to the driver (ctx.to_driver): FT403 on a classification-like file, and FT410 there when a
borderline minimum is declared, because the borderline share is a nearest-neighbour search in
the TF-IDF space of the whole file (a model of the file, not an aggregate). FT402 (template
mining over the TF-IDF vocabulary) and FT411/FT412 (fastText on a seeded sample) are not
distributed yet (the driver fallback runs them)."""
from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import numpy as np

from ftlint.artifacts import profile
from ftlint.rules import completions, coverage, edge_cases
from ftlint.spark.rules import labels as spark_labels
from ftlint.spark.rules.base import FileContext, distributed

CODES = ("FT401", "FT403", "FT404", "FT405", "FT406", "FT407", "FT410")


@distributed(*CODES)
def coverage_family(ctx: FileContext, selected: dict[str, dict]):
    facts = _Facts(ctx, selected)
    found: list[tuple[str, Any]] = []  # the file's findings decided on the driver
    flags: dict[str, Any] = {}  # what the pass over the records flags, per code
    n = ctx.count
    if "FT401" in selected:
        opts = selected["FT401"]
        if n >= opts["min-records"]:
            fields = {"prompt": facts.chars("prompt")}
            if facts.source(opts["label-field"]) is None:
                fields["completion"] = facts.chars("completion")
            spreads = {f: coverage.log_spread(*h, opts) for f, h in fields.items()}
            spreads = {f: s for f, s in spreads.items() if s is not None}
            if spreads:
                flags["FT401"] = (spreads, opts)
    for code in ("FT403", "FT410"):
        if code in selected:
            found.extend((code, p) for p in _edge_rule(ctx, facts, code, selected[code]))
    if "FT404" in selected and ctx.role == "train":
        opts = selected["FT404"]
        labels = facts.distinct(opts["label-field"]) if n >= opts["min-records"] else None
        found.extend(("FT404", p) for p in coverage.too_few(n, labels, opts))
    if "FT405" in selected:
        opts = selected["FT405"]
        if facts.source(opts["label-field"]) is None:
            long, punctuated = facts.summary["words"][opts["min-words"]]
            flags["FT405"] = (opts["min-words"], completions.punctuation_gate(long, punctuated, opts))
    if "FT406" in selected and n >= selected["FT406"]["min-records"]:
        key, count = _top_task(ctx.objects)
        found.extend(("FT406", p) for p in coverage.monoculture(key, count, n, selected["FT406"]))
    if "FT407" in selected:
        flags["FT407"] = selected["FT407"]["min-repeats"]
    out = ctx.spark.sparkContext.parallelize(found, 1)
    if flags:
        out = out.union(ctx.objects.mapPartitions(partial(_flag, flags=flags)))
    return out


def _edge_rule(ctx: FileContext, facts: _Facts, code: str, opts: dict) -> list:
    """FT403 or FT410 from the aggregates, or [] with the code left to the driver when the file's
    borderline share is needed (a classification-like file)."""
    if code == "FT403" and ctx.count < opts["min-records"]:
        return []
    if code == "FT410" and not any(opts[k] > 0 for k in edge_cases.EDGE_CASES):
        return []
    if code == "FT403" or opts["borderline"] > 0:
        labels = facts.distinct(opts["label-field"])
        if labels is not None and labels >= 2:
            ctx.to_driver.add(code)  # borderline: nearest neighbours in the file's TF-IDF space
            return []
    s = facts.summary
    shares = edge_cases.shares_of(ctx.count, facts.chars("prompt", zeros=True), _arrays(s["plain"]), s["numbers"],
                                  s["code"], s["non-latin"], s["flagged"])
    rule = edge_cases.few_edge_cases if code == "FT403" else edge_cases.edge_case_minimum
    return list(rule.check(_Shares(shares, ctx.count), opts))


class _Shares:
    """What FT403 and FT410 read of a dataset, when the shares are known: its record count and
    the edge-case artifact (the local rules themselves then decide)."""

    def __init__(self, shares: dict, n: int):
        self.examples = range(n)
        self._shares = shares

    def memo(self, key: str, build) -> dict:
        assert key.startswith("edge-cases:"), key
        return self._shares


class _Facts:
    """The file's aggregates, each computed once when first asked for."""

    def __init__(self, ctx: FileContext, selected: dict[str, dict]):
        self.ctx = ctx
        self.min_words = sorted({selected["FT405"]["min-words"]} if "FT405" in selected else set())
        self._summary: dict | None = None

    @property
    def summary(self) -> dict:
        if self._summary is None:
            parts = self.ctx.objects.mapPartitions(partial(_summarize, min_words=self.min_words)).collect()
            self._summary = _merge(parts)
        return self._summary

    def chars(self, field: str, zeros: bool = False) -> tuple[np.ndarray, np.ndarray]:
        hist = self.summary[field]
        return _arrays(hist if zeros else {k: v for k, v in hist.items() if k > 0})

    def source(self, field: str) -> str | None:
        """The labels' source (labels_of(...).source) for ``field``, or None: not classification-like.
        The label family's, computed once per file for every family that asks (ctx.memo)."""
        return spark_labels.source(self.ctx, field)

    def distinct(self, field: str) -> int | None:
        """How many labels (labels_of(...).distinct) for ``field``, or None: not classification-like."""
        found = spark_labels.labels(self.ctx, field)
        return found.labels.distinct if found is not None else None


def _arrays(hist: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A histogram as edge_cases.histogram gives it: (distinct values ascending, counts)."""
    values = sorted(hist)
    return np.array(values, dtype=np.int64), np.array([hist[v] for v in values], dtype=np.int64)


def _summarize(examples, min_words: list[int]) -> list[dict]:
    """One partition's aggregates."""
    prompt: Counter = Counter()
    plain: Counter = Counter()
    completion: Counter = Counter()
    words = {m: [0, 0] for m in min_words}
    n = numbers = code = non_latin = flagged = 0
    for e in examples:
        n += 1
        p = len(e.prompt)
        prompt[p] += 1
        completion[len(e.completion)] += 1
        num, cod, nl = profile.has_number(e.prompt), profile.has_code(e.prompt), profile.non_latin(e.prompt)
        numbers += num
        code += cod
        non_latin += nl
        if num or cod or nl:
            flagged += 1
        else:
            plain[p] += 1
        if words:
            count = len(e.completion.split())
            for m, pair in words.items():
                if count >= m:
                    pair[0] += 1
                    pair[1] += completions.punctuated(e.completion)
    return [{"n": n, "prompt": prompt, "plain": plain,
             "completion": completion, "numbers": numbers, "code": code, "non-latin": non_latin,
             "flagged": flagged, "words": words}]


def _merge(parts: list[dict]) -> dict:
    out = parts[0]
    for part in parts[1:]:
        for key, value in part.items():
            if isinstance(value, Counter):
                out[key].update(value)
            elif key == "words":
                for m, (long, punctuated) in value.items():
                    out[key][m][0] += long
                    out[key][m][1] += punctuated
            else:
                out[key] += value
    return out


def _flag(examples, flags: dict[str, Any]) -> list[tuple[str, Any]]:
    """One partition's FT401, FT405 and FT407 findings, with the file's decisions (``flags``)."""
    exs = list(examples)
    out: list[tuple[str, Any]] = []
    if "FT401" in flags and exs:
        spreads, opts = flags["FT401"]
        for field, spread in spreads.items():
            texts = [e.prompt if field == "prompt" else e.completion for e in exs]
            chars = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
            z, long, short = coverage.length_outliers(chars, spread, opts)
            for i in np.flatnonzero(long | short):
                p = coverage.length_problem(field, exs[i].line, int(chars[i]), float(z[i]), bool(long[i]),
                                            bool(short[i]), texts[i], spread)
                if p is not None:
                    out.append(("FT401", p))
    if "FT405" in flags:
        min_words, gate = flags["FT405"]
        out.extend(("FT405", p) for e in exs if (p := completions.truncated(e, min_words, gate)) is not None)
    if "FT407" in flags:
        out.extend(("FT407", p) for e in exs if (p := completions.degenerate(e, flags["FT407"])) is not None)
    return out


def _top_task(objects) -> tuple[str, int]:
    """The most common task key and its count; ties: the key of the earliest line, as Counter's
    most_common on the examples in order."""
    counted = (objects.map(lambda e: (coverage.task_key(e), (1, e.line)))
               .reduceByKey(lambda a, b: (a[0] + b[0], min(a[1], b[1]))))
    key, (count, _) = counted.reduce(lambda a, b: a if (a[1][0], -a[1][1]) >= (b[1][0], -b[1][1]) else b)
    return key, count
