"""The coverage family (FT4) on Spark gives the local findings: planted files spanning several
Spark partitions hold a finding of every code ftlint.spark.rules.coverage distributes (FT401,
FT403, FT404, FT405, FT406, FT407, FT410), compared with the local engine's, data included, and
those codes no longer run on the driver. Runs in local[2] (conftest), files cut in 16 KB."""
from __future__ import annotations

import json
import random

import pytest
import spark_planted as planted

from ftlint import api
from ftlint.settings import from_options

pytest.importorskip("pyspark")

DISTRIBUTED = {"FT401", "FT403", "FT404", "FT405", "FT406", "FT407", "FT410"}


def both(spark, path, options=(), select=None):
    import ftlint.spark

    settings = from_options(discover=False, select=sorted(select or DISTRIBUTED), options=list(options))
    local = api.run(settings, api.sources_of([str(path)]))
    remote = ftlint.spark.check(str(path), settings=settings, spark=spark)
    return local, remote


def findings(report) -> list[tuple]:
    return sorted((f.code, f.line, f.message, json.dumps(f.data, sort_keys=True)) for f in report.findings
                  if f.code in DISTRIBUTED)


def open_ended_lines(seed: int = 17, records: int = 320) -> list[bytes]:
    """Explanations (one task: FT406) of uniform length with no numbers, code or other script
    (FT403, FT410), with a pasted-in prompt and a near-empty answer (FT401), cut-off answers
    (FT405) and a looping one (FT407), spread over the file."""
    rng = random.Random(seed)

    def answer() -> str:
        return planted._sentence(rng, 12) + "."

    rows = [{"prompt": "Explain the " + planted._sentence(rng, 12).lower(), "completion": answer()}
            for _ in range(records)]
    rows[5]["prompt"] = "Explain the " + " ".join(planted._sentence(rng, 12) for _ in range(40))  # FT401 long
    rows[130]["completion"] = "Ok."  # FT401 short
    rows[131]["completion"] = "   "  # blank: FT105's, not FT401's
    rows[200]["completion"] = planted._sentence(rng, 10) + " and the"  # FT405: a dangling word
    rows[290]["completion"] = planted._sentence(rng, 10) + " (see the"  # FT405: an open bracket
    rows[77]["completion"] = "The customer wants a refund. " * 5  # FT407
    rows[250]["prompt"] = "Summarise this " + planted._sentence(rng, 12).lower()  # another task key
    return [json.dumps(r).encode() for r in rows]


def test_open_ended_file(spark, tmp_path):
    path = planted.write(tmp_path / "open.jsonl", open_ended_lines())
    assert spark.read.text(str(path)).rdd.getNumPartitions() >= 3
    local, remote = both(spark, path, options=["FT410.numbers=0.5", "FT410.short=0.1", "FT404.min-records=1000"])
    assert findings(remote) == findings(local)
    found = {f[0] for f in findings(remote)}
    assert found == DISTRIBUTED, sorted(found)
    assert {f.line for f in remote.findings if f.code == "FT401"} == {6, 131}
    assert {f.line for f in remote.findings if f.code == "FT405"} == {201, 291}
    assert remote.engine["on_driver"] == [] and remote.engine["sampled"] == {}


def test_classification_file(spark, tmp_path):
    """Labels: FT401 judges prompts only, FT404 counts the labels, FT405 is silent; FT403 needs
    the borderline share (nearest neighbours in TF-IDF space), so it is left to the driver."""
    path = planted.write(tmp_path / "labels.jsonl", planted.dirty_lines())
    local, remote = both(spark, path, options=["FT404.min-records=10", "FT404.min-per-label=100",
                                               "FT403.min-borderline=0.9", "FT410.code=0.5"])
    assert findings(remote) == findings(local)
    found = {f[0] for f in findings(remote)}
    assert {"FT401", "FT403", "FT404", "FT410"} <= found, sorted(found)
    assert {f.data["field"] for f in remote.findings if f.code == "FT401"} == {"prompt"}
    assert next(f for f in remote.findings if f.code == "FT404").data["labels"] >= 5  # and the empty completion
    assert remote.engine["on_driver"] == ["FT403"]
