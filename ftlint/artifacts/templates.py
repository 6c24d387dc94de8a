"""Prompt templates and task keys, mined from the TF-IDF vocabulary (shared by FT402 and FT406).

A *template* is a set of content terms (not English stop words) that each occur in at least
``min_df`` of the prompts; a prompt's template key is the set of those frequent terms it holds.
A template's share is the fraction of prompts whose key contains all of its terms. Natural,
varied prompts do not share three or more frequent content terms; prompts generated from one
template ("Classify the sentiment of this review: ...") all do.

    from ftlint.artifacts.templates import top_template
    terms, share, rows = top_template(dataset, min_df=0.5, min_terms=3)
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ftlint.artifacts.tfidf import tfidf_of


def top_template(dataset, min_df: float, min_terms: int) -> tuple[tuple[str, ...], float, np.ndarray] | None:
    """The template with the largest share, as (terms, share, dataset indices of its prompts), or
    None. On a large file the share and the indices come from the TF-IDF sample (tfidf.MAX_ROWS)."""
    return dataset.memo(f"template:{min_df}:{min_terms}", lambda ds: _mine(ds, min_df, min_terms))


def _mine(dataset, min_df: float, min_terms: int):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    t = tfidf_of(dataset)
    if t is None:
        return None
    n = t.matrix.shape[0]
    terms = {i: w for w, i in t.vocabulary.items()}
    frequent = [i for i in np.flatnonzero(t.df >= max(2, min_df * n)) if terms[i] not in ENGLISH_STOP_WORDS]
    if len(frequent) < min_terms:
        return None
    F = t.matrix[:, frequent].tocsr()
    keys: Counter = Counter()
    row_keys = []
    for r in range(n):
        key = frozenset(F.indices[F.indptr[r]:F.indptr[r + 1]].tolist())
        row_keys.append(key)
        keys[key] += 1
    best, best_count = None, 0
    candidates = [k for k in keys if len(k) >= min_terms]
    for k in candidates[:2000]:
        count = sum(c for k2, c in keys.items() if k <= k2)
        if count > best_count or (count == best_count and best is not None and len(k) > len(best)):
            best, best_count = k, count
    if best is None:
        return None
    rows = t.rows[np.array([r for r, k in enumerate(row_keys) if best <= k], dtype=np.int64)]
    words = tuple(sorted(terms[frequent[i]] for i in best))
    return words, best_count / n, rows
