"""TF-IDF of the prompts (scikit-learn), built once per file and shared by FT402 (template mining
over the vocabulary's document frequencies) and FT403 (nearest neighbours for borderline cases).

    from ftlint.artifacts.tfidf import tfidf_of
    t = tfidf_of(dataset)          # None when the file has no prompt text at all
    t.rows                         # dataset.examples index of each matrix row (sorted)
    t.matrix                       # scipy CSR, one row per t.rows entry, L2-normalized, float32
    t.vocabulary                   # term -> column
    t.df                           # numpy int array: documents containing each term
    t.nearest(rows)                # (index, cosine) of each row's nearest other row

Terms are lower-cased words of two or more letters or digits (scikit-learn's default pattern),
single words only, sublinear term frequency. Files above ``MAX_ROWS`` prompts are represented by
a seeded random sample of that many (so the cost stays bounded: shares estimated on 20,000
prompts are within about a percentage point of the whole file's)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ROWS = 20_000


@dataclass
class Tfidf:
    rows: np.ndarray
    matrix: object
    vocabulary: dict[str, int]
    df: np.ndarray

    def nearest(self, rows: np.ndarray, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
        """For each matrix row in ``rows``: the most similar other matrix row and its cosine
        similarity (-1 and 0.0 when the row shares no term with any other)."""
        X = self.matrix
        XT = X.T.tocsr()
        best = np.full(len(rows), -1, dtype=np.int64)
        sims = np.zeros(len(rows), dtype=np.float32)
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            S = (X[part] @ XT).toarray()
            S[np.arange(len(part)), part] = -1.0  # not itself
            j = S.argmax(axis=1)
            v = S[np.arange(len(part)), j]
            hit = v > 0
            best[start:start + len(part)][hit] = j[hit]
            sims[start:start + len(part)][hit] = v[hit]
        return best, sims


def tfidf_of(dataset) -> Tfidf | None:
    return dataset.memo("tfidf", _build)


def _build(dataset) -> Tfidf | None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    exs = dataset.examples
    if not exs:
        return None
    rows = np.arange(len(exs))
    if len(exs) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(len(exs), MAX_ROWS, replace=False))
    docs = [exs[i].prompt for i in rows]
    vec = TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float32)
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary: no prompt has a word
        return None
    df = np.bincount(X.indices, minlength=X.shape[1])
    return Tfidf(rows, X.tocsr(), vec.vocabulary_, df)
