"""Duplicate clusters on Spark: what ``ftlint.spark.dedup`` returns and the groups
``ftlint.spark.split`` keeps on one side. The edges are the duplicate family's own (ftlint.spark.dupes:
the local engine's digests and MinHash signatures, LSH as a shuffle, Jaccard verified); the
clusters their connected components (large-star / small-star), named by their first line as
the local union-find names them. Nothing per record reaches the driver."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from operator import add
from typing import Any

from ftlint.artifacts.normalize import normalize, prompt_context
from ftlint.rules import duplicates
from ftlint.settings import Settings
from ftlint.spark import dupes
from ftlint.spark.components import components

SCHEMA = "line long, cluster long, exact boolean"


def _chain(kv) -> list[tuple[int, int]]:
    """A group of records as a path through its lines: connected, with one edge per member."""
    lines = sorted(kv[1])
    return list(zip(lines, lines[1:], strict=False))


def _prompts(rows: Iterable[tuple[int, bytes, str]]) -> Iterator[tuple[bytes, int]]:
    """(digest of the normalized prompt, line): the key FT203 (conflicting labels) groups by."""
    for ex in dupes.examples_of(list(rows)):
        yield hashlib.blake2b(normalize(prompt_context(ex)).encode("utf-8", "surrogatepass"),
                              digest_size=16).digest(), ex.line


def digests(examples, settings: Settings):
    """(line, content digest) of every example, with FT201's ``fields``."""
    fields = settings.options_for("FT201")["fields"]
    return examples.mapPartitions(lambda rows: dupes._digests(rows, fields)).map(lambda kv: (kv[1], kv[0]))


def edges(examples, settings: Settings, name: str, fmt: str | None, *, exact: bool = True, near: bool = True,
          prompts: bool = False, storage: Any = None):
    """An RDD of (a, b) line pairs linking the records that belong together: exact copies (FT201),
    verified near duplicates (FT202, its options and the file's shared template) and, with
    ``prompts``, records with the same prompt (FT203's groups)."""
    out = examples.context.emptyRDD()
    if exact:
        out = out.union(digests(examples, settings).map(lambda kv: (kv[1], kv[0])).groupByKey().flatMap(_chain))
    if near:
        count = examples.count()
        if count:
            view = dupes.template_view(name, fmt, examples, count)
            params = duplicates._params(settings.options_for("FT202"), view)
            out = out.union(dupes.near_edges(examples, params, storage).map(lambda e: (e[0], e[1])))
    if prompts:
        out = out.union(examples.mapPartitions(_prompts).groupByKey().flatMap(_chain))
    return out


def labelled(examples, settings: Settings, name: str, fmt: str | None, storage: Any = None, **kinds: bool):
    """(line, cluster) of every record in a cluster of two or more (``kinds``: :func:`edges`')."""
    return components(edges(examples, settings, name, fmt, storage=storage, **kinds), storage)


def clusters_frame(spark: Any, settings: Settings, data: Any, name: str) -> Any:
    """The DataFrame ``ftlint.spark.dedup`` returns (``SCHEMA``): every record in a cluster of
    exact copies or near duplicates, its cluster's first line, and whether the whole cluster is
    copies of one text. Computed and kept (memory, spilling to disk) before it is returned."""
    from ftlint.spark.engine import SparkEngine

    engine = SparkEngine(settings, spark)
    with engine.prepared(name, data) as p:
        labels = labelled(p.examples, settings, name, p.format, engine.storage)
        labels.persist(engine.storage)
        texts = (digests(p.examples, settings).join(labels).map(lambda kv: ((kv[1][1], kv[1][0]), 1))
                 .reduceByKey(add).map(lambda kv: (kv[0][0], 1)).reduceByKey(add))  # (cluster, distinct texts)
        rows = (labels.map(lambda kv: (kv[1], kv[0])).join(texts)
                .map(lambda kv: (kv[1][0], kv[0], kv[1][1] == 1)))
        frame = spark.createDataFrame(rows, SCHEMA).persist(engine.storage)
        frame.count()
        labels.unpersist()
    return frame
