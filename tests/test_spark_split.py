"""``ftlint.spark.dedup`` and ``ftlint.spark.split`` / ``ftlint split --engine spark`` in local[2]
(conftest's session): clusters as the local engine finds them, every input line in exactly one
output, clusters on one side, labels stratified, the same sides for the same seed."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import spark_planted as planted
from click.testing import CliRunner

from ftlint import api
from ftlint.cli import main
from ftlint.rules.curation import linked_lines
from ftlint.settings import from_options

pytest.importorskip("pyspark")

SETTINGS = dict(discover=False, options=["FT114.max-bytes=2000"])


def _lines(folder: Path) -> list[bytes]:
    return [ln for part in sorted(folder.glob("part-*.jsonl")) for ln in part.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    return planted.write(tmp_path_factory.mktemp("split") / "dirty.jsonl", planted.dirty_lines())


@pytest.fixture(scope="module")
def spark_split(spark, dirty):
    import ftlint.spark

    out = dirty.parent / "out"
    manifest = ftlint.spark.split(str(dirty), str(out), drop_invalid=True, spark=spark,
                                  settings=from_options(**SETTINGS))
    return out, manifest


def test_dedup_clusters_are_the_local_engines(spark, dirty):
    import ftlint.spark

    settings = from_options(select=["FT201", "FT202"], **SETTINGS)
    frame = ftlint.spark.dedup(str(dirty), spark=spark, settings=settings)
    assert frame.columns == ["line", "cluster", "exact"]
    got = {r.line: (r.cluster, r.exact) for r in frame.collect()}
    local = api.run(settings, api.sources_of([str(dirty)]))
    uf = linked_lines(local.findings, ["FT201", "FT202"])
    groups = {min(g): set(g) for g in uf.groups().values() if len(g) > 1}
    # the Spark clusters hold the local groups whole (and FT202's pairs of conflicting labels,
    # which FT202 leaves to FT203 but which are near duplicates all the same)
    for first, members in groups.items():
        assert {got[m][0] for m in members} == {first}, (first, members)
    assert got[11] == (4, True) and got[62][1] is False


def test_every_line_accounted_for(spark_split, dirty):
    out, manifest = spark_split
    lines = dirty.read_bytes().splitlines()
    train, validation = _lines(out / "train"), _lines(out / "validation")
    rejected = [json.loads(r) for r in _lines(out / "rejected")]
    assert len(train) + len(validation) + len(rejected) == len(lines) == manifest["input"]["lines"]
    assert manifest["records"] == {"train": len(train), "validation": len(validation), "rejected": len(rejected)}
    by_line = {r["line"]: r for r in rejected}
    kept = [ln for i, ln in enumerate(lines, 1) if i not in by_line]
    assert Counter(train + validation) == Counter(kept)  # the kept records, byte for byte, once each
    assert {31, 32, 33, 34, 35, 36, 37, 40, 252} <= set(by_line)  # the reader's and the format stage's errors
    assert by_line[11]["codes"] == ["FT110", "FT201"] and by_line[11]["reason"] == "copy of line 4"
    assert "ghp_" not in by_line[43]["raw"] and by_line[43]["masked"]  # the credential masked in the rejects
    assert (out / "manifest.json").exists() and json.loads((out / "manifest.json").read_text()) == manifest


def test_clusters_on_one_side_and_stratified(spark, spark_split, dirty):
    import ftlint.spark

    out, manifest = spark_split
    where = {ln: "train" for ln in _lines(out / "train")} | {ln: "validation" for ln in _lines(out / "validation")}
    lines = dirty.read_bytes().splitlines()
    frame = ftlint.spark.dedup(str(dirty), spark=spark, settings=from_options(**SETTINGS))
    sides: dict[int, set] = {}
    for r in frame.collect():
        if lines[r.line - 1] in where:
            sides.setdefault(r.cluster, set()).add(where[lines[r.line - 1]])
    assert sides and all(len(s) == 1 for s in sides.values())
    held = manifest["labels"]["validation"]
    total = Counter(held) + Counter(manifest["labels"]["train"])
    assert set(held) == set(total) == set(planted.LABELS)
    for label, k in total.items():  # each label's share of validation is its quota (10%), give or take a group
        assert abs(held[label] - 0.1 * k) <= 2, (label, held[label], k)


def test_same_seed_same_split(spark, spark_split, dirty, tmp_path):
    import ftlint.spark

    out, _ = spark_split
    again = ftlint.spark.split(str(dirty), str(tmp_path / "again"), drop_invalid=True, spark=spark,
                               settings=from_options(**SETTINGS), single_file=True)
    assert len(list((tmp_path / "again" / "train").glob("part-*.jsonl"))) == 1
    assert _lines(tmp_path / "again" / "validation") == _lines(out / "validation")  # in line order, both
    assert Counter(_lines(tmp_path / "again" / "train")) == Counter(_lines(out / "train"))
    assert again["records"]["validation"] > 0


def test_cli_split_engine_spark(spark, dirty, tmp_path):
    r = CliRunner().invoke(main, ["split", str(dirty), "--out", str(tmp_path / "o"), "--engine", "spark",
                                  "-O", "FT114.max-bytes=2000", "--seed", "7"])
    assert r.exit_code == 1 and "error findings must be fixed first" in r.output and "--drop-invalid" in r.output
    r = CliRunner().invoke(main, ["split", str(dirty), "--out", str(tmp_path / "o"), "--engine", "spark",
                                  "-O", "FT114.max-bytes=2000", "--seed", "7", "--drop-invalid", "--single-file"])
    assert r.exit_code == 0, r.output
    assert "420 lines -> train" in r.output and "(seed 7, Spark)" in r.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["seed"] == 7 and sum(manifest["records"].values()) == 420


def test_no_pyspark_is_one_message_exit_2(monkeypatch, tmp_path):
    """Without the extra: one line saying what to install, exit 2, no traceback."""
    import sys

    path = planted.write(tmp_path / "d.jsonl", [b'{"prompt": "a", "completion": "b"}'] * 3)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    for args in (["check", str(path), "--engine", "spark"],
                 ["split", str(path), "--out", str(tmp_path / "o"), "--engine", "spark"]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2 and "pip install 'ftlint[spark]'" in r.output and "Traceback" not in r.output
