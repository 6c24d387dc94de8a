"""What ``ftlint split --engine spark`` writes: train/, validation/ and rejected/ folders of
JSONL parts (one per partition, in line order; one part with ``single_file``) and
manifest.json, through Spark's writers and the session's Hadoop file system, so that an
``s3://`` or ``hdfs://`` folder is written as a local one is. The records' bytes are written as
they are (a binary column cast to a string keeps its bytes)."""
from __future__ import annotations

import json
from typing import Any

SIDES = ("train", "validation")
ROWS = "line long, value binary, side string, label string"


def write_outputs(spark: Any, out_dir: str, rows, rejected, single_file: bool,
                  storage: Any = None) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, int]]]:
    """Write the kept ``rows`` (line, raw, side, label) and the ``rejected`` (line, JSON) lines;
    returns the outputs (records, parts per folder) and the label counts per side."""
    frame = spark.createDataFrame(rows, ROWS)
    if storage is not None:
        frame = frame.persist(storage)
    counts = frame.groupBy("side", "label").count().collect()  # one row per side and label
    outputs: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, int]] = {side: {} for side in SIDES}
    for side, label, k in counts:
        labels[side][str(label)] = labels[side].get(str(label), 0) + k
    for side in SIDES:
        outputs[side] = _write(spark, frame.filter(frame.side == side), out_dir, side, single_file)
        outputs[side]["records"] = sum(labels[side].values())
    rejects = spark.createDataFrame(rejected, "line long, value binary")
    outputs["rejected"] = _write(spark, rejects, out_dir, "rejected", single_file)
    outputs["rejected"]["records"] = rejects.count()
    frame.unpersist()
    return outputs, {side: dict(sorted(c.items())) for side, c in labels.items()}


def _write(spark: Any, frame, out_dir: str, name: str, single_file: bool) -> dict[str, Any]:
    from pyspark.sql import functions as F

    frame = frame.repartition(1).sortWithinPartitions("line") if single_file else frame.orderBy("line")
    path = f"{out_dir.rstrip('/')}/{name}"
    frame.select(F.col("value").cast("string")).write.mode("overwrite").option("compression", "none").text(path)
    return {"path": f"{name}/", "parts": _as_jsonl(spark, path)}


def _fs(spark: Any, path: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), p


def _as_jsonl(spark: Any, folder: str) -> list[str]:
    """Name the text writer's parts .jsonl (what Bedrock and ftlint take), and drop an empty
    folder's empty part (a side with no records has no part)."""
    fs, path = _fs(spark, folder)
    names = []
    for status in fs.listStatus(path):
        part = status.getPath()
        name = part.getName()
        if not name.startswith("part-"):
            continue
        if status.getLen() == 0:
            fs.delete(part, False)
            continue
        new = name.rsplit(".", 1)[0] + ".jsonl"
        fs.rename(part, _child(spark, folder, new))
        names.append(new)
    return sorted(names)


def _child(spark: Any, folder: str, name: str) -> Any:
    return spark.sparkContext._jvm.org.apache.hadoop.fs.Path(f"{folder}/{name}")


def write_manifest(spark: Any, out_dir: str, manifest: dict[str, Any]) -> None:
    """manifest.json, written last: a folder without it is an unfinished split."""
    fs, path = _fs(spark, f"{out_dir.rstrip('/')}/manifest.json")
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"))
    finally:
        stream.close()
