"""FT307 split-shift: length, language and topic tests between training and validation."""
from __future__ import annotations

import random

import langdata

import ftlint
from ftlint.rules.split_shift import topic_shift


def _support(rng, n):
    return [{"prompt": langdata.english_prompt(rng), "completion": langdata.english_answer(rng)} for _ in range(n)]


def test_a_random_split_does_not_shift():
    rng = random.Random(1)
    data = _support(rng, 500)
    assert ftlint.check(data[:400], validation=data[400:], select=["FT307"]).findings == []


def test_longer_validation_records_shift_in_length():
    rng = random.Random(2)
    train = _support(rng, 300)
    val = [{"prompt": r["prompt"], "completion": " ".join([r["completion"]] * 4)} for r in _support(rng, 80)]
    tests = {f.data["test"] for f in ftlint.check(train, validation=val, select=["FT307"]).findings}
    assert tests == {"length"}


def test_validation_in_another_language_shifts_the_mix():
    rng = random.Random(3)
    train = _support(rng, 300)
    val = _support(rng, 60)
    foreign = [t for ts in langdata.FOREIGN.values() for t in ts]
    for i in range(0, 60, 2):
        val[i] = {"prompt": foreign[i % len(foreign)], "completion": foreign[(i + 1) % len(foreign)]}
    findings = ftlint.check(train, validation=val, select=["FT307"]).findings
    language = [f for f in findings if f.data["test"] == "language"]
    assert language and language[0].data["language"] == "en"


def test_topic_permutation_test():
    rng = random.Random(4)
    a = [f"my card {w} was declined at the shop" for w in rng.choices(["visa", "debit", "credit"], k=200)]
    b = [f"the parcel {w} arrived late and damaged" for w in rng.choices(["box", "letter", "crate"], k=60)]
    dist, p, null = topic_shift(a, b)
    assert p < 0.01 and dist > 10 * null
    dist, p, null = topic_shift(a[:150], a[150:])
    assert p > 0.01
