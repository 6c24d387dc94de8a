"""ftlint.minhash_index: FT202's own signatures as datasketch LeanMinHash objects in a MinHashLSH."""
from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

import ftlint
from ftlint.artifacts import minhash as mh
from ftlint.artifacts.normalize import shingle_text
from ftlint.errors import ConfigError, FtlintError

ROWS = [
    {"prompt": "Where is my order 1234? It was due on Monday.", "completion": "It ships today."},
    {"prompt": "How do I reset my password on the mobile app?", "completion": "Tap Settings, then Reset."},
    {"prompt": "Can I get a refund for the annual plan?", "completion": "Yes, within 30 days."},
    {"prompt": "Where is my order 1234? It was due on Monday!", "completion": "It ships today."},
    {"prompt": "Does the Pro plan include " + " ".join(f"feature{k}" for k in range(40)), "completion": "It does."},
]


def _reference(record: dict, num_perm: int = 128, seed: int = 1) -> MinHash:
    """datasketch's own MinHash, updated shingle by shingle as documented."""
    ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
    for text in (record["prompt"], record["completion"]):
        for s, word in mh.shingles(shingle_text(text)):
            ref.update(mh.shingle_hash32(s, word))
    return ref


def test_minhashes_are_datasketch_minhashes_bit_for_bit(jsonl):
    index = ftlint.minhash_index(jsonl(ROWS))
    assert sorted(index.minhashes) == [1, 2, 3, 4, 5] and index.format == "prompt-completion"
    for line, row in enumerate(ROWS, 1):
        assert np.array_equal(index.minhashes[line].hashvalues, _reference(row).hashvalues)
    assert isinstance(index.lsh, MinHashLSH)


def test_signatures_band_as_ft202s_index(jsonl):
    path = jsonl(ROWS)
    report = ftlint.check(path, select=["FT202"])
    params = mh.Params()
    ft202 = mh.index_for(report.datasets[0], params)
    ours = ftlint.lsh.signatures(report.datasets[0].examples, params)
    bands, rows = mh.lsh_params(params.threshold, params.num_perm)
    assert np.array_equal(mh.band_keys(ours[ft202.reps], bands, rows), ft202.keys)
    assert np.array_equal(ours[ft202.reps].astype(np.uint8), ft202.mini)


def test_query_finds_the_near_copy_of_a_new_record_and_survives_a_round_trip(jsonl, tmp_path):
    index = ftlint.minhash_index(ROWS)  # a list of records: lines are positions, from 1
    new = {"prompt": "Can I get a refund for the annual plan, please?", "completion": "Yes, within 30 days."}
    assert 3 in index.query(new)
    assert index.query({"prompt": "Completely unrelated words about gardening", "completion": "Water daily."}) == []
    assert index.minhashes[3].jaccard(index.minhash(new)) > 0.6
    index.save(tmp_path / "train.lsh")
    again = ftlint.MinHashIndex.load(tmp_path / "train.lsh")
    assert again.query(new) == index.query(new) and again.params == index.params
    with pytest.raises(FtlintError, match="not a valid prompt-completion"):
        index.query({"messages": []})


def test_options_are_ft202s_and_validated_as_its_options(jsonl):
    index = ftlint.minhash_index(ROWS, threshold=0.5, fields="prompt", num_perm=64)
    assert (index.params.threshold, index.params.fields, index.params.num_perm) == (0.5, "prompt", 64)
    assert len(index.minhashes[1].hashvalues) == 64
    with pytest.raises(ConfigError, match="FT202"):
        ftlint.minhash_index(ROWS, threshold=2)
    with pytest.raises(ConfigError, match="FT202"):
        ftlint.minhash_index(ROWS, fields="everything")


def test_a_shared_template_is_left_out_as_ft202_leaves_it_out(jsonl):
    head = "You are the support assistant of Acme. Read the customer's message and answer it politely.\n\n"
    topics = ["refund", "invoice", "password", "delivery", "upgrade", "coupon", "account", "warranty"]
    rows = [{"prompt": head + f"Customer: my {t} request number {k} is stuck since {k + 2} days",
             "completion": f"We looked at your {t} request {k}."} for k, t in enumerate(topics * 3)]
    path = jsonl(rows)
    index = ftlint.minhash_index(path)
    assert index.params.template is not None  # FT205's template, left out of the signed text
    report = ftlint.check(path, select=["FT202"])
    ft202 = mh.index_for(report.datasets[0], index.params)
    ours = ftlint.lsh.signatures(report.datasets[0].examples, index.params)
    bands, rows_per_band = mh.lsh_params(index.params.threshold, index.params.num_perm)
    assert np.array_equal(mh.band_keys(ours[ft202.reps], bands, rows_per_band), ft202.keys)
    plain = ftlint.lsh.signatures(report.datasets[0].examples, mh.Params())
    assert not np.array_equal(plain, ours)  # the template did change what is signed
