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

# scikit-learn's ENGLISH_STOP_WORDS (the Glasgow Information Retrieval Group's list), copied so that
# mining templates does not import scikit-learn; tests/test_tfidf.py checks the copy is equal
STOP_WORDS = frozenset("""
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
    inc indeed interest into is it its itself keep last latter latterly least less ltd made many
    may me meanwhile might mill mine more moreover most mostly move much must my myself name
    namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then
    thence there thereafter thereby therefore therein thereupon these they thick thin third this
    those though three through throughout thru thus to together too top toward towards twelve
    twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
""".split())


def top_template(dataset, min_df: float, min_terms: int) -> tuple[tuple[str, ...], float, np.ndarray] | None:
    """The template with the largest share, as (terms, share, dataset indices of its prompts), or
    None. On a large file the share and the indices come from the TF-IDF sample (tfidf.MAX_ROWS)."""
    return dataset.memo(f"template:{min_df}:{min_terms}", lambda ds: _mine(ds, min_df, min_terms))


def _mine(dataset, min_df: float, min_terms: int):
    t = tfidf_of(dataset)
    if t is None:
        return None
    n = t.n_rows
    terms = {i: w for w, i in t.vocabulary.items()}
    frequent = [i for i in np.flatnonzero(t.df >= max(2, min_df * n)) if terms[i] not in STOP_WORDS]
    if len(frequent) < min_terms:
        return None
    position = np.full(len(t.df), -1, dtype=np.int64)  # term -> its position in `frequent`, or -1
    position[frequent] = np.arange(len(frequent))
    held = position[t.indices]
    keys: Counter = Counter()
    row_keys = []
    for r in range(n):
        key = held[t.indptr[r]:t.indptr[r + 1]]
        key = frozenset(key[key >= 0].tolist())
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
