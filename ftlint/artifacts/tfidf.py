"""TF-IDF of the prompts, built once per file and shared by FT402 (template mining over the
vocabulary's document frequencies) and FT403 (nearest neighbours for borderline cases).

    from ftlint.artifacts.tfidf import tfidf_of
    t = tfidf_of(dataset)          # None when the file has no prompt text at all
    t.rows                         # dataset.examples index of each matrix row (sorted)
    t.indptr, t.indices, t.data    # the matrix in CSR arrays, L2-normalized rows, float32
    t.vocabulary                   # term -> column
    t.df                           # numpy int array: documents containing each term
    t.nearest(rows)                # (index, cosine) of each row's nearest other row

The matrix is exactly scikit-learn's ``TfidfVectorizer(sublinear_tf=True, dtype=np.float32)``
(terms: lower-cased words of two or more letters or digits, single words, smooth idf), bit for
bit, row storage order included; tests/test_tfidf.py compares them. It is computed with numpy so
that a check does not import scikit-learn, which costs about 1 s of CPU at every start (scipy.stats
and pandas come with it): that was most of a pre-commit hook's run on a small file. scikit-learn
is not faster at any size this module builds (measured 100 to 20,000 prompts, the sample cap: both
tokenize in a Python loop, within 15% of each other). So the numpy build serves small files, below
``SKLEARN_MIN_ROWS`` prompts, where the import would be most of the run (a pre-commit hook), and
scikit-learn's own TfidfVectorizer, the reference, builds the matrix for every larger file, where
its second of import is a small share of the run.

Files above ``MAX_ROWS`` prompts are represented by a seeded random sample of that many (so the
cost stays bounded: shares estimated on 20,000 prompts are within about a percentage point of the
whole file's)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

MAX_ROWS = 20_000

# From this many prompts on, the matrix comes from scikit-learn; below, from tfidf_arrays. A
# 2,000-record check takes about 1.5 s of CPU without scikit-learn's import, so the import would
# still be most of the run below that.
SKLEARN_MIN_ROWS = 2_000

# scikit-learn's default token_pattern
TOKEN = re.compile(r"(?u)\b\w\w+\b")

# The neighbour search below this much work (products of term weights, plus a fixed cost per
# position within the longest prompt of a chunk) runs in numpy: up to it numpy takes about 0.1 s
# of CPU, less than importing scipy.sparse (0.16 s). Above it scipy's sparse product is 2-10x
# faster than the numpy loop and repays its import. Both give the same floats (same products
# added in the same order); tests/test_tfidf.py checks it.
NUMPY_NEAREST_MAX_WORK = 8_000_000
_WORK_PER_POSITION = 3_000


@dataclass
class Tfidf:
    rows: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    vocabulary: dict[str, int]
    df: np.ndarray
    _postings: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def nearest(self, rows: np.ndarray, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
        """For each matrix row in ``rows``: the most similar other matrix row and its cosine
        similarity (-1 and 0.0 when the row shares no term with any other)."""
        best = np.full(len(rows), -1, dtype=np.int64)
        sims = np.zeros(len(rows), dtype=np.float32)
        similarities = self._numpy_products if self._work(rows, chunk) <= NUMPY_NEAREST_MAX_WORK else self._scipy_products()
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            S = similarities(part)
            S[np.arange(len(part)), part] = -1.0  # not itself
            j = S.argmax(axis=1)
            v = S[np.arange(len(part)), j]
            hit = v > 0
            best[start:start + len(part)][hit] = j[hit]
            sims[start:start + len(part)][hit] = v[hit]
        return best, sims

    def _work(self, rows: np.ndarray, chunk: int) -> int:
        lens = np.diff(self.indptr)
        per_row = np.bincount(np.repeat(np.arange(self.n_rows), lens), weights=self.df[self.indices],
                              minlength=self.n_rows)
        positions = sum(int(lens[rows[s:s + chunk]].max(initial=0)) for s in range(0, len(rows), chunk))
        return int(per_row[rows].sum()) + _WORK_PER_POSITION * positions

    def _scipy_products(self):
        import scipy.sparse as sp

        X = sp.csr_array((self.data, self.indices, self.indptr), shape=(self.n_rows, len(self.df)))
        XT = X.T.tocsr()
        return lambda part: (X[part] @ XT).toarray()

    def _numpy_products(self, part: np.ndarray) -> np.ndarray:
        """Rows ``part`` of X @ X.T, dense, as scipy computes it: for each row, the products of its
        k-th stored term with every document holding that term are added at step k, in float32."""
        if self._postings is None:  # for each term, the documents holding it, ascending
            order = np.argsort(self.indices, kind="stable")
            docs = np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))[order]
            starts = np.zeros(len(self.df) + 1, dtype=np.int64)
            np.cumsum(self.df, out=starts[1:])
            self._postings = (docs, self.data[order], starts)
        docs, values, starts = self._postings
        lens = np.diff(self.indptr)[part]
        first = self.indptr[part]
        S = np.zeros((len(part), self.n_rows), dtype=np.float32)
        for k in range(int(lens.max(initial=0))):
            q = np.flatnonzero(lens > k)
            at = first[q] + k
            terms = self.indices[at]
            count = self.df[terms]
            total = int(count.sum())
            # positions in the postings of every (query row, document) pair of this step
            offsets = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            p = np.repeat(starts[terms], count) + offsets
            # one term per query row at step k, so each (row, document) pair occurs once
            S[np.repeat(q, count), docs[p]] += np.repeat(self.data[at], count) * values[p]
        return S


def tfidf_of(dataset) -> Tfidf | None:
    return dataset.memo("tfidf", _build)


def _build(dataset) -> Tfidf | None:
    exs = dataset.examples
    if not exs:
        return None
    rows = np.arange(len(exs))
    if len(exs) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(len(exs), MAX_ROWS, replace=False))
    docs = [exs[i].prompt for i in rows]
    built = sklearn_arrays(docs) if len(docs) >= SKLEARN_MIN_ROWS else tfidf_arrays(docs)
    if built is None:  # empty vocabulary: no prompt has a word
        return None
    indptr, indices, data, vocabulary, df = built
    return Tfidf(rows, indptr, indices, data, vocabulary, df)


def sklearn_arrays(docs: list[str]):
    """tfidf_arrays' tuple from scikit-learn's TfidfVectorizer itself."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float32)
    try:
        X = vec.fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary
        return None
    df = np.bincount(X.indices, minlength=X.shape[1])
    return X.indptr, X.indices, X.data, vec.vocabulary_, df


def tfidf_arrays(docs: list[str]):
    """(indptr, indices, data, vocabulary, df) of ``TfidfVectorizer(sublinear_tf=True,
    dtype=np.float32).fit_transform(docs)``, or None when no document has a term."""
    first_seen: dict[str, int] = {}  # term -> order of first appearance in the corpus
    indptr, cols, counts = [0], [], []
    findall = TOKEN.findall
    for doc in docs:
        counter: dict[int, int] = {}
        for word in findall(doc.lower()):
            j = first_seen.setdefault(word, len(first_seen))
            counter[j] = counter.get(j, 0) + 1
        # scikit-learn sorts each row by first appearance, then renumbers the terms alphabetically
        # without reordering the rows: the row storage order (the order of the sums below) follows
        for j in sorted(counter):
            cols.append(j)
            counts.append(counter[j])
        indptr.append(len(cols))
    if not first_seen:
        return None
    terms = sorted(first_seen)
    renumber = np.empty(len(terms), dtype=np.int32)
    renumber[[first_seen[t] for t in terms]] = np.arange(len(terms), dtype=np.int32)
    indptr = np.asarray(indptr, dtype=np.int32)
    indices = renumber[np.asarray(cols, dtype=np.int32)]
    data = np.asarray(counts, dtype=np.float32)
    df = np.bincount(indices, minlength=len(terms))
    # TfidfTransformer: idf = ln((n + 1) / (df + 1)) + 1 in float32; tf = 1 + ln(count)
    idf = np.full(len(terms), len(docs) + 1, dtype=np.float32)
    idf /= df.astype(np.float32) + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    np.log(data, out=data)
    data += 1.0
    data *= idf[indices]
    return indptr, indices, _l2_normalized(data, indptr), {t: i for i, t in enumerate(terms)}, df


def _l2_normalized(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """scikit-learn's in-place CSR L2 normalization: squares in float32 summed in float64 in row
    order (one step per position, not numpy's pairwise sum), each value divided in float64."""
    lens = np.diff(indptr)
    squares = (data * data).astype(np.float64)
    sums = np.zeros(len(lens))
    by_length = np.argsort(-lens, kind="stable")
    desc = lens[by_length]
    starts = indptr[:-1][by_length]
    for k in range(int(desc[0]) if len(desc) else 0):
        m = int(np.searchsorted(-desc, -k, side="left"))  # the first m rows have more than k terms
        sums[by_length[:m]] += squares[starts[:m] + k]
    norms = np.repeat(np.sqrt(sums), lens)
    out = data.astype(np.float64)
    nonzero = norms != 0
    out[nonzero] /= norms[nonzero]
    return out.astype(np.float32)
