"""The Spark engine gives the local engine's findings: for every code it runs (every stage, record
and dataset rule; the pair rules need --validation), the set of (code, path,
line, message) from ``ftlint.spark.check`` equals ``ftlint check``'s on the same file, on
sample_data and on planted files that span several Spark partitions; the planted files do hold
findings of every covered family, so dropping one fails here. Runs in local[2] (conftest)."""
from __future__ import annotations

import json

import pytest
import spark_planted as planted
from conftest import SAMPLES

from ftlint import api
from ftlint.rules import REGISTRY
from ftlint.settings import from_options

pytest.importorskip("pyspark")  # the fixture fails instead under CI when pyspark is missing

OPTIONS = ["FT114.max-bytes=2000"]  # so that the planted over-long line is one


def covered() -> set[str]:
    return {c for c, r in REGISTRY.items() if r.scope in ("stage", "record", "dataset")}


def both(spark, path, options=(), **kw):
    import ftlint.spark

    settings = from_options(discover=False, options=[*OPTIONS, *options], **kw)
    local = api.run(settings, api.sources_of([str(path)]))
    remote = ftlint.spark.check(str(path), settings=settings, spark=spark)
    return local, remote


def keys(report, codes=None) -> set[tuple]:
    return {(f.code, f.path, f.line, f.message) for f in report.findings if codes is None or f.code in codes}


def assert_same(local, remote) -> set[str]:
    codes = covered()
    assert keys(remote) == keys(local, codes)
    assert [(f.path, f.records, f.format) for f in remote.files] == [(f.path, f.records, f.format) for f in local.files]
    return {f.code for f in remote.findings}


def test_planted_dirty_file_every_family(spark, tmp_path):
    path = planted.write(tmp_path / "dirty.jsonl", planted.dirty_lines())
    assert spark.read.text(str(path)).rdd.getNumPartitions() >= 3
    local, remote = both(spark, path)
    found = assert_same(local, remote)
    # a family the Spark engine stops running fails here, not only as an equal pair of empty sets
    assert {"FT101", "FT102", "FT103", "FT104", "FT105", "FT108", "FT109", "FT110", "FT111", "FT114",
            "FT701", "FT702", "FT201", "FT202"} <= found, sorted(found)
    near = [f for f in remote.findings if f.code == "FT202"]
    assert max(f.data["cluster_size"] for f in near) >= 3  # chains: components, not pairs
    assert {f.line for f in remote.findings if f.code == "FT201"} == {11, 52, 201, 411}  # 0-based indices 10, 51, 200, 410: across partitions
    assert remote.engine["name"] == "spark" and remote.engine["sampled"] == {}


def test_planted_template_file(spark, tmp_path):
    path = planted.write(tmp_path / "template.jsonl", planted.template_lines())
    local, remote = both(spark, path)
    found = assert_same(local, remote)
    assert {"FT205", "FT202"} <= found, found
    # the same findings with the template left in the compared text
    local, remote = both(spark, path, select=["FT202"], options=["FT202.ignore-template=false"])
    assert keys(remote) == keys(local)


def test_crlf_bom_and_chat(spark, tmp_path):
    lines = planted.chat_lines()
    lines[0] = b"\xef\xbb\xbf" + lines[0]
    path = planted.write(tmp_path / "chat.jsonl", lines, b"\r\n")
    local, remote = both(spark, path)
    assert {"FT106", "FT107", "FT201"} <= assert_same(local, remote)


@pytest.mark.parametrize(("target", "codes"), [
    ("nova-micro", {"FT602", "FT604", "FT606", "FT607", "FT614"}),
    ("distillation", {"FT606", "FT610", "FT611", "FT614", "FT617"}),
])
def test_target_record_rules(spark, tmp_path, target, codes):
    """The target family's record rules (FT6): the same rule objects, built per partition from
    the same settings, give the same findings."""
    path = planted.write(tmp_path / "conv.jsonl", planted.target_lines())
    local, remote = both(spark, path, options=["FT114.max-bytes=1000000"], target=target,  # the long record parsed
                         select=["FT1", "FT6"])
    assert codes <= assert_same(local, remote)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"PAR1" + bytes(range(256)) * 40, b'{"x": 1}\n{"y": 2}\n'])
def test_edge_files(spark, tmp_path, content):
    """An empty file (FT116), blank lines only, binary data (the reader stops: one finding), and
    records of no known format (no vote)."""
    path = tmp_path / "edge.jsonl"
    path.write_bytes(content)
    local, remote = both(spark, path)
    assert_same(local, remote)
    assert local.findings


@pytest.mark.parametrize("name", ["support_tickets_dirty.jsonl", "product_qa_dirty.jsonl", "math_rft.jsonl",
                                  "distill_prompts_nova.jsonl", "tool_use_nova.jsonl"])
def test_sample_data(spark, name):
    local, remote = both(spark, SAMPLES / name)
    assert_same(local, remote)


def test_dataframe_input_and_json_report(spark, tmp_path):
    import ftlint.spark

    lines = planted.dirty_lines()
    path = planted.write(tmp_path / "d.jsonl", lines)
    df = spark.createDataFrame([(ln.decode("utf-8", "surrogateescape"),) for ln in lines], ["value"])
    settings = from_options(discover=False, options=OPTIONS, select=["FT1", "FT201"])
    local = api.run(settings, api.sources_of([str(path)]))
    remote = ftlint.spark.check(spark.read.text(str(path)), name=str(path), settings=settings, spark=spark)
    assert keys(remote) == keys(local)
    # a DataFrame built from Python strings: the same lines but the one with invalid UTF-8
    from_rows = ftlint.spark.check(df, settings=settings, spark=spark)
    assert {(c, ln) for c, _, ln, _ in keys(from_rows) if ln != 35} == {(c, ln) for c, _, ln, _ in keys(local) if ln != 35}
    doc = json.loads(json.dumps(remote.to_dict()))
    assert doc["engine"]["name"] == "spark" and doc["engine"]["on_driver"] == []
    assert "engine" not in local.to_dict()  # the local report is unchanged


def test_driver_rules_give_local_findings_then_a_sample(spark, tmp_path, monkeypatch):
    """Every dataset rule run on the driver (none distributed): the local findings while the
    file fits ``driver_records``; past it, a sample, and the report says how big."""
    from ftlint.spark import engine as spark_engine

    monkeypatch.setattr(spark_engine, "implementations", dict)
    path = planted.write(tmp_path / "d.jsonl", planted.dirty_lines())
    settings = from_options(discover=False, options=OPTIONS)
    local = api.run(settings, api.sources_of([str(path)]))
    run = spark_engine.SparkEngine(settings, spark)
    remote = run.run([(str(path), str(path))])
    assert keys(remote) == keys(local, covered())
    dataset = {r.code for r, _ in run.local.dataset_rules}
    assert remote.engine["on_driver"] == sorted(dataset) and remote.engine["sampled"] == {}
    small = spark_engine.SparkEngine(settings, spark, driver_records=100).run([(str(path), str(path))])
    seen = small.engine["sampled"][str(path)]
    assert seen["of"] > 300 and 50 < seen["examples"] < 200, seen


@pytest.mark.parametrize("target", [None, "rft-nova-2-lite"])
def test_rft_file_with_unanswered_records(spark, tmp_path, target):
    """An rft file where some records lack reference_answer stays an rft file on Spark as
    locally (ftlint.formats.detect.prefer_rft): the unanswered records are FT613, not FT107 or a
    vote for openai-chat; and they stay among the file's records for the dataset rules."""
    rows = [json.loads(line) for line in (SAMPLES / "math_rft.jsonl").read_text().splitlines()]
    for row in rows[:3] + rows[60:62]:  # in the first and a later partition
        del row["reference_answer"]
    path = planted.write(tmp_path / "rft.jsonl", [json.dumps(r).encode() for r in rows])
    local, remote = both(spark, path, target=target)
    found = assert_same(local, remote)
    assert remote.files[0].format == "rft" and "FT613" in found and "FT107" not in found
    assert {f.line for f in remote.findings if f.code == "FT613"} == {1, 2, 3, 61, 62}
