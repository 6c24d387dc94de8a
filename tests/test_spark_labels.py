"""The label family on Spark (FT203, FT301, FT302, FT303: ftlint.spark.rules.labels and
.duplicates) gives the local engine's findings, on planted files that span several partitions:
labels from the completion (classification-style records), from an explicit ``label`` key, and
open-ended answers (no labels: FT203 compares exact prompts and warns). Each planted file holds
findings of every code it is run for, so a rule that stops firing fails here; the codes run as
Spark jobs, not on the driver."""
from __future__ import annotations

import json
import random

import pytest
import spark_planted as planted

from ftlint import api
from ftlint.settings import from_options

pytest.importorskip("pyspark")

CODES = {"FT203", "FT301", "FT302", "FT303"}


def _prompt(rng: random.Random) -> str:
    return planted._sentence(rng, 14)


def completion_labels(seed: int = 13) -> list[bytes]:
    """Labels as completions: imbalanced (250 to 40), a rare label and its plural, spelling
    variants of the largest label, the same prompt with other labels (exact copies, in other
    partitions) and near-identical prompts with another label (a word appended, a chain)."""
    rng = random.Random(seed)
    labels = (["billing"] * 250 + ["technical_issue"] * 150 + ["account_access"] * 100 + ["feature_request"] * 60
              + ["shipping"] * 40)
    rng.shuffle(labels)
    rows = [{"prompt": _prompt(rng), "completion": lab} for lab in labels]
    for i, lab in ((7, "refund"), (230, "refund"), (231, "refund"), (580, "refund"), (100, "refunds"),
                   (470, "refunds"), (12, "shippings"), (300, "shippings"), (590, "shippings"),
                   (40, "Billing "), (333, "Billing "), (560, "Billing "), (41, "BILLING"), (444, "BILLING")):
        rows[i]["completion"] = lab
    rows[3]["completion"], rows[5]["completion"] = "billing", "billing"
    for src, dst, lab in ((3, 200, "technical_issue"), (3, 450, "billing"), (5, 520, "account_access"),
                          (60, 61, "shipping")):
        rows[dst] = {"prompt": "  " + rows[src]["prompt"].upper(), "completion": lab}  # the same prompt, normalized
    rows[60]["completion"] = "feature_request"
    for src, dst, lab in ((20, 380, "feature_request"), (380, 381, "account_access"), (150, 151, "technical_issue")):
        rows[dst] = {"prompt": rows[src]["prompt"] + " urgent" * (1 + (dst == 381)), "completion": lab}
    rows[20]["completion"] = rows[150]["completion"] = "billing"
    return [json.dumps(r).encode() for r in rows]


def label_key(seed: int = 17) -> list[bytes]:
    """An explicit label key on every record, open-ended completions: variants and rare labels
    among the keys, and one label with more records than FT302's related lines (min-count 40)."""
    rng = random.Random(seed)
    labels = ["spam"] * 300 + ["ham"] * 200 + ["promo"] * 30 + ["Promo"] * 2 + ["phishing"] * 3
    rng.shuffle(labels)
    rows = [{"input": _prompt(rng), "output": planted._sentence(rng, 12) + ".", "label": lab} for lab in labels]
    rows[10]["label"], rows[400]["label"] = "Ham", "hams"
    return [json.dumps(r).encode() for r in rows]


def open_ended(seed: int = 19) -> list[bytes]:
    """Open-ended answers (over 200 distinct: no labels): the same prompt with other answers."""
    rng = random.Random(seed)
    rows = [{"prompt": _prompt(rng), "completion": planted._sentence(rng, 3)} for _ in range(450)]
    rows[300] = {"prompt": rows[4]["prompt"], "completion": "Another answer"}
    rows[301] = {"prompt": rows[4]["prompt"], "completion": rows[4]["completion"]}
    return [json.dumps(r).encode() for r in rows]


def both(spark, path, options=()):
    import ftlint.spark

    settings = from_options(discover=False, select=[*CODES, "FT306"], options=list(options))
    local = api.run(settings, api.sources_of([str(path)]))
    remote = ftlint.spark.check(str(path), settings=settings, spark=spark)
    return local, remote


def found(report, codes=CODES) -> list[tuple]:
    return sorted((f.code, f.line, f.message, f.related, f.severity.value, json.dumps(f.data, sort_keys=True))
                  for f in report.findings if f.code in codes)


def assert_same(spark, path, options=()) -> dict[str, list]:
    assert spark.read.text(str(path)).rdd.getNumPartitions() >= 3
    local, remote = both(spark, path, options)
    assert found(remote) == found(local)
    # distributed: not on the driver (FT306, a model over the file, stays there)
    assert remote.engine["on_driver"] == ["FT306"], remote.engine
    by_code: dict[str, list] = {}
    for f in remote.findings:
        by_code.setdefault(f.code, []).append(f)
    return by_code


def test_labels_from_the_completion(spark, tmp_path):
    got = assert_same(spark, planted.write(tmp_path / "labels.jsonl", completion_labels()))
    assert CODES <= set(got), sorted(got)
    assert {f.data["kind"] for f in got["FT303"]} == {"spelling", "number"}
    assert {f.data["label"] for f in got["FT302"]} >= {"refund", "refunds", "shippings"}
    conflicts = {f.line for f in got["FT203"]}
    assert {201, 521, 62} <= conflicts and {381, 382, 152} & conflicts, conflicts  # exact and near prompts
    assert all(f.severity.value == "error" for f in got["FT203"])


def test_labels_from_a_label_key_and_open_ended_answers(spark, tmp_path):
    got = assert_same(spark, planted.write(tmp_path / "key.jsonl", label_key()), ["FT302.min-count=40"])
    assert {"FT301", "FT302", "FT303"} <= set(got), sorted(got)
    assert max(len(f.related) for f in got["FT302"]) == 20  # a rare label past the related lines kept
    got = assert_same(spark, planted.write(tmp_path / "open.jsonl", open_ended()))
    assert set(got) == {"FT203"} and [f.line for f in got["FT203"]] == [301]
    assert got["FT203"][0].severity.value == "warning"


def test_no_dataset_rule_selected(spark, tmp_path):
    """A selection without dataset rules (here FT1's record rules only) gives the record findings."""
    import ftlint.spark

    path = planted.write(tmp_path / "open.jsonl", open_ended()[:40] + [b'{"prompt": 5}'])
    settings = from_options(discover=False, select=["FT1"])
    remote = ftlint.spark.check(str(path), settings=settings, spark=spark)
    assert {f.code for f in remote.findings} == {f.code for f in api.run(settings, api.sources_of([str(path)])).findings}
    assert remote.findings
