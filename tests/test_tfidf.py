"""The TF-IDF artifact without scikit-learn: the same vocabulary, document frequencies and float32
matrix as ``TfidfVectorizer(sublinear_tf=True, dtype=np.float32)`` bit for bit, the same nearest
neighbours as scipy's sparse product, the same stop words, and the same findings as the
scikit-learn/scipy code it replaced (FT402, FT403 and FT305, whose chi-square is in
ftlint.artifacts.chisquare, on sample_data)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from realdata import corpus

import ftlint
from ftlint.artifacts import chisquare, templates, tfidf

pytest.importorskip("sklearn")
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
FILES = sorted(SAMPLES.glob("*.jsonl")) + [d.root() / f for d in corpus.datasets() if d.root() for f in d.files]


def _sklearn(docs):
    vec = TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float32)
    return vec.fit_transform(docs).tocsr(), vec.vocabulary_


def _prompts(path: Path, monkeypatch) -> list[str]:
    seen = []
    real = tfidf._build
    monkeypatch.setattr(tfidf, "_build", lambda ds: seen.append([e.prompt for e in ds.examples]) or real(ds))
    ftlint.check([str(path)], select=["FT402"])
    monkeypatch.setattr(tfidf, "_build", real)
    return seen[0][:tfidf.MAX_ROWS] if seen else []


def test_stop_words_are_scikit_learns():
    assert templates.STOP_WORDS == ENGLISH_STOP_WORDS


@pytest.mark.parametrize("docs", [
    ["Hello hello world", "The WORLD is big, big, big", "a I x", "", "Ünïcode wörds and 42 numbers 42"],
    ["only one document here"],
    ["same text", "same text", "same text"],
])
def test_matrix_is_scikit_learns(docs):
    X, vocabulary = _sklearn(docs)
    indptr, indices, data, vocab, df = tfidf.tfidf_arrays(docs)
    assert vocab == vocabulary
    assert np.array_equal(indptr, X.indptr) and np.array_equal(indices, X.indices)  # storage order too
    assert data.dtype == np.float32 and np.array_equal(data, X.data)
    assert np.array_equal(df, np.bincount(X.indices, minlength=X.shape[1]))


def test_no_word_at_all_is_none():
    assert tfidf.tfidf_arrays(["a", "", "? !"]) is None
    with pytest.raises(ValueError):
        _sklearn(["a", "", "? !"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_prompts_give_scikit_learns_matrix_and_scipys_neighbours(path, monkeypatch):
    docs = _prompts(path, monkeypatch)
    if not docs:
        pytest.skip("no prompts")
    X, vocabulary = _sklearn(docs)
    indptr, indices, data, vocab, df = tfidf.tfidf_arrays(docs)
    assert vocab == vocabulary
    assert np.array_equal(indptr, X.indptr) and np.array_equal(indices, X.indices)
    assert np.array_equal(data, X.data)
    t = tfidf.Tfidf(np.arange(len(docs)), indptr, indices, data, vocab, df)
    rows = np.arange(len(docs))
    if len(rows) > 256:  # FT403 queries up to 2,000; fewer keep the suite fast, against every row
        rows = np.sort(np.random.default_rng(0).choice(len(rows), 256, replace=False))
    monkeypatch.setattr(tfidf, "NUMPY_NEAREST_MAX_WORK", 10**18)
    by_numpy = t.nearest(rows)
    monkeypatch.setattr(tfidf, "NUMPY_NEAREST_MAX_WORK", -1)
    by_scipy = t.nearest(rows)
    assert np.array_equal(by_numpy[0], by_scipy[0]) and np.array_equal(by_numpy[1], by_scipy[1])


def _old_chisquare_p(observed, expected):
    from scipy.stats import chisquare as scipy_chisquare

    return float(scipy_chisquare(observed, expected).pvalue)


def _old_tfidf_arrays(docs):
    """The scikit-learn code this module replaced, in the shape of tfidf_arrays."""
    try:
        X, vocabulary = _sklearn(docs)
    except ValueError:
        return None
    return X.indptr, X.indices, X.data, vocabulary, np.bincount(X.indices, minlength=X.shape[1])


def _findings(paths, validation=None) -> str:
    report = ftlint.check(paths, validation=validation, extend_select=["FT4", "FT3"],
                          options={"FT305": {"max-p-value": 1.0, "max-distance": 0.0}})
    return json.dumps([f.to_dict() for f in report.findings], sort_keys=True)


@pytest.mark.parametrize("paths,validation", [
    *[([str(p)], None) for p in sorted(SAMPLES.glob("*.jsonl"))],
    ([str(SAMPLES / "support_tickets.jsonl")], [str(SAMPLES / "support_tickets_val.jsonl")]),
], ids=lambda v: Path(v[0]).name if isinstance(v, list) else "")
def test_findings_are_the_same_as_with_scikit_learn_and_scipy(paths, validation, monkeypatch):
    fast = _findings(paths, validation)
    monkeypatch.setattr(tfidf, "tfidf_arrays", _old_tfidf_arrays)
    monkeypatch.setattr(tfidf, "NUMPY_NEAREST_MAX_WORK", -1)
    monkeypatch.setattr(chisquare, "p_value_estimate", lambda observed, expected: 0.0)  # always the exact one
    monkeypatch.setattr(chisquare, "p_value", _old_chisquare_p)
    assert _findings(paths, validation) == fast


def test_large_files_use_scikit_learn_and_small_ones_numpy(monkeypatch):
    docs = [f"ticket {i} about billing refund number {i % 7}" for i in range(50)] + ["Hello world", ""]
    calls = []
    monkeypatch.setattr(tfidf, "sklearn_arrays", lambda d: calls.append("sklearn") or _old_tfidf_arrays(d))
    monkeypatch.setattr(tfidf, "tfidf_arrays", lambda d: calls.append("numpy") or _old_tfidf_arrays(d))

    class DS:
        examples = [type("E", (), {"prompt": d})() for d in docs]

    monkeypatch.setattr(tfidf, "SKLEARN_MIN_ROWS", len(docs))
    tfidf._build(DS())
    monkeypatch.setattr(tfidf, "SKLEARN_MIN_ROWS", len(docs) + 1)
    tfidf._build(DS())
    assert calls == ["sklearn", "numpy"]


def test_both_builds_give_the_same_arrays():
    docs = [p.read_text(encoding="utf-8", errors="replace")[:400] for p in sorted(SAMPLES.glob("*.jsonl"))] * 3 + ["x", "Ünïcode 42 42"]
    a, b = tfidf.sklearn_arrays(docs), tfidf.tfidf_arrays(docs)
    assert a[3] == b[3]
    for x, y in zip(a[:3] + a[4:], b[:3] + b[4:], strict=True):
        assert np.array_equal(x, y)
    assert tfidf.sklearn_arrays(["a", "? !"]) is None
