"""ftlint on Apache Spark (the ``spark`` extra): the same checks, the same findings, the same
report, on a Spark cluster or ``local[*]``. pyspark is imported by this package only, lazily:

    import ftlint.spark
    report = ftlint.spark.check("s3://bucket/train.jsonl", select=["FT1", "FT2"])
    report = ftlint.spark.check(spark.read.text("hdfs:///data/train.jsonl"), name="train")

``check`` takes a path (local, ``s3://``, ``hdfs://``: whatever the session's Hadoop file systems
read) or a DataFrame of JSON lines (one column, or a ``value`` column, one record per row), runs
on the active Spark session (or one built for ``master``, default ``local[*]``) and returns the
:class:`ftlint.Report` the local engine returns for the same file. ``dedup`` returns the
duplicate clusters (FT201 and FT202's) as a DataFrame; ``split`` writes a leakage-free
train/validation split (ftlint.spark.holdout). What runs distributed and what does not
yet: ftlint.spark.engine; the README's "Running on Spark"."""
from __future__ import annotations

import os
from typing import Any

from ftlint.result import Report
from ftlint.settings import Settings, from_options
from ftlint.spark import session
from ftlint.spark.session import DEFAULT_MASTER, SparkMissing  # noqa: F401 - public


def check(data: Any, *, name: str | None = None, spark: Any = None, master: str | None = None,
          settings: Settings | None = None, **options: Any) -> Report:
    """The report of one file (a path or a DataFrame of JSON lines); ``options`` are
    :func:`ftlint.settings.from_options`'s (select, ignore, options, dataset_format, target...),
    or pass ``settings``. ``name``: the path the findings carry (default the path, or "<dataframe>")."""
    return check_many([data], names=[name] if name else None, spark=spark, master=master,
                      settings=settings, **options)


def check_many(inputs: list[Any], *, names: list[str] | None = None, spark: Any = None,
               master: str | None = None, settings: Settings | None = None, **options: Any) -> Report:
    """One report for several files, in order (as ``ftlint check A B``)."""
    from ftlint.spark.engine import SparkEngine

    settings = settings if settings is not None else from_options(**options)
    spark = spark or session.session(master)
    named = [(names[i] if names else _name(d), d) for i, d in enumerate(inputs)]
    return SparkEngine(settings, spark).run(named)


def dedup(data: Any, *, name: str | None = None, spark: Any = None, master: str | None = None, settings: Settings | None = None,
          **options: Any) -> Any:
    """The duplicate clusters of one file as a DataFrame (line, cluster, exact): every record in a
    cluster of exact copies (FT201) or near duplicates (FT202, its options), ``cluster`` the
    cluster's first line, ``exact`` whether every member is a copy of it. Records in no cluster
    are not listed."""
    from ftlint.spark.clusters import clusters_frame

    settings = settings if settings is not None else from_options(**options)
    spark = spark or session.session(master)
    return clusters_frame(spark, settings, data, name or _name(data))


def split(data: Any, out_dir: str, *, validation_size: float | int = 0.1, seed: int = 42, stratify: str = "auto",
          group: str = "near", drop_invalid: bool = False, mask_rejects: bool = True, single_file: bool = False,
          name: str | None = None, spark: Any = None, master: str | None = None, settings: Settings | None = None,
          **options: Any) -> dict[str, Any]:
    """Split one file into ``out_dir``: train/ and validation/ (JSONL parts), rejected/ and
    manifest.json, as ``ftlint split`` does (ftlint.spark.holdout says what differs); returns the
    manifest. Duplicate groups stay on one side, sides are stratified by label and
    deterministic for ``seed``; every input line is in exactly one of the three folders."""
    from ftlint.curate.split import SplitOptions
    from ftlint.spark.holdout import split as run

    settings = settings if settings is not None else from_options(**options)
    spark = spark or session.session(master)
    opts = SplitOptions(validation_size=validation_size, seed=seed, stratify=stratify, group=group,
                        drop_invalid=drop_invalid, mask_rejects=mask_rejects)
    return run(spark, settings, data, name or _name(data), out_dir, opts, single_file)


def _name(data: Any) -> str:
    return os.fspath(data) if isinstance(data, (str, os.PathLike)) else "<dataframe>"
