"""Exact Jaccard similarity of shingle sets, and the b-bit MinHash pre-filter that decides which
LSH candidates are worth it (see ftlint.artifacts.minhash).

   similarity of the two shingle sets reaches the threshold: no LSH false positive is reported.

"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ftlint.artifacts import batches
from ftlint.artifacts.shingles import shingle_hashes

FP_SHIFT = 12  # verification compares shingle fingerprints: the low 52 bits of each 64-bit hash
_FP_MASK = np.uint64((1 << (64 - FP_SHIFT)) - 1)


def shingle_sets(docs: Sequence[Sequence[str]], char_n: int, word_n: int) -> list[np.ndarray]:
    """Sorted unique shingle fingerprints of each record (for exact Jaccard; see _set_arrays),
    in batches of BATCH records so that the temporary arrays stay small: the readable reference
    for :func:`sets_of`."""
    step = batches.BATCH
    if len(docs) > step:
        return [s for k in range(0, len(docs), step) for s in shingle_sets(docs[k:k + step], char_n, word_n)]
    h, d = shingle_hashes(docs, char_n, word_n)
    out = [np.empty(0, np.uint64)] * len(docs)
    if not len(h):
        return out
    h = h & _FP_MASK
    order = np.lexsort((h, d))
    h, d = h[order], d[order]
    keep = np.r_[True, (h[1:] != h[:-1]) | (d[1:] != d[:-1])]
    h, d = h[keep], d[keep]
    bounds = np.searchsorted(d, np.arange(len(docs) + 1))
    return [h[bounds[i]:bounds[i + 1]] for i in range(len(docs))]


def _set_arrays(parts: Sequence[tuple[np.ndarray, np.ndarray]], ndocs: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted unique shingle fingerprints of every record, concatenated, and each record's
    bounds. A fingerprint is the low 52 bits of the shingle's 64-bit hash, so that the record
    (up to 4096 in a batch) and the fingerprint fit one uint64 key, ordered by one np.sort (a
    SIMD sort, 6x faster than the argsort and gathers of three arrays it replaces). The low bits,
    not the high ones: two shingles that differ in their first character only have hashes that
    differ by less than 256 (the polynomial's first coefficient is 1), so their high bits agree,
    while their low bits cannot. Two other distinct shingles of a compared pair share a
    fingerprint with probability about 260**2 / 2**53 (1e-11): the Jaccard similarity is that of
    the shingle sets but for such a collision."""
    h = np.concatenate([p[0] for p in parts]) & _FP_MASK
    d = np.concatenate([p[1] for p in parts])
    if not len(h):
        return h, np.zeros(ndocs + 1, np.int64)
    if ndocs <= 1 << FP_SHIFT:
        key = (d.astype(np.uint64) << np.uint64(64 - FP_SHIFT)) | h
        key.sort()
        key = key[np.r_[True, key[1:] != key[:-1]]]
        h = key & _FP_MASK
        d = (key >> np.uint64(64 - FP_SHIFT)).astype(np.int64)
    else:
        order = np.lexsort((h, d))
        h, d = h[order], d[order]
        keep = np.r_[True, (h[1:] != h[:-1]) | (d[1:] != d[:-1])]
        h, d = h[keep], d[keep]
    return h, np.searchsorted(d, np.arange(ndocs + 1))


def jaccards(sa: Sequence[np.ndarray], sb: Sequence[np.ndarray], pa: np.ndarray, pb: np.ndarray) -> np.ndarray:
    """[jaccard(sa[x], sb[y]) for x, y in zip(pa, pb)], the same floats, without Python work per
    pair: 2**FP_SHIFT pairs at a time, each pair's fingerprints tagged with its number in the
    bits above them (fingerprints have 64 - FP_SHIFT bits), so that all the pairs' sets are two
    sorted arrays and one searchsorted counts every intersection."""
    out = np.empty(len(pa))
    step = 1 << FP_SHIFT
    for s in range(0, len(pa), step):
        xa = [sa[x] for x in pa[s:s + step].tolist()]
        xb = [sb[y] for y in pb[s:s + step].tolist()]
        k = len(xa)
        la = np.fromiter(map(len, xa), np.int64, k)
        lb = np.fromiter(map(len, xb), np.int64, k)
        tag = np.arange(k, dtype=np.uint64) << np.uint64(64 - FP_SHIFT)
        a = np.concatenate(xa) | np.repeat(tag, la) if la.any() else np.empty(0, np.uint64)
        b = np.concatenate(xb) | np.repeat(tag, lb) if lb.any() else np.empty(0, np.uint64)
        inter = np.zeros(k, np.int64)
        if len(a) and len(b):
            i = np.searchsorted(b, a)
            i[i == len(b)] = 0
            inter = np.bincount(np.repeat(np.arange(k), la)[b[i] == a], minlength=k)
        union = la + lb - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            out[s:s + k] = np.where(union > 0, inter / union, 1.0)  # two empty sets: 1.0, as jaccard()
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) and not len(b):
        return 1.0
    if not len(a) or not len(b):
        return 0.0
    i = np.searchsorted(b, a)  # both sorted and unique
    i[i == len(b)] = 0
    inter = int(np.count_nonzero(b[i] == a))
    return inter / (a.size + b.size - inter)


MARGIN = 0.25  # candidates estimated this far below the threshold are not verified


def plausible(mini_a: np.ndarray, pa: np.ndarray, mini_b: np.ndarray, pb: np.ndarray, threshold: float) -> np.ndarray:
    """Which candidate pairs are worth the exact Jaccard: a b-bit MinHash estimate (8 bits of each
    of the signature values; equal with probability J + (1 - J) / 256) at least
    ``threshold - MARGIN``. With 128 permutations the estimate's standard deviation is at most
    0.045, so a pair at the threshold is dropped with probability below 1e-8; most LSH false
    positives (Jaccard 0.1-0.4) are dropped before any re-shingling.

    Gathering the rows is the cost, and character 3-grams make many LSH candidates (short texts
    share common trigrams), so the first half of each row is compared first with a cut 0.1
    lower (64 values: a standard deviation of at most 0.0625, so a pair at the threshold fails
    it with probability below 1e-12); only the pairs left read the second half."""
    keep = np.zeros(len(pa), bool)
    if not len(pa):
        return keep
    P = mini_a.shape[1]
    h = P // 2
    cut = ((threshold - MARGIN) * (1 - 1 / 256) + 1 / 256) * P
    cut_half = ((threshold - MARGIN - 0.1) * (1 - 1 / 256) + 1 / 256) * h
    step = 1 << 16
    for s in range(0, len(pa), step):
        a, b = pa[s:s + step], pb[s:s + step]
        m = (mini_a[a, :h] == mini_b[b, :h]).sum(axis=1)
        live = np.flatnonzero(m >= cut_half)
        if len(live):
            m = m[live] + (mini_a[a[live], h:] == mini_b[b[live], h:]).sum(axis=1)
            keep[s + live] = m >= cut
    return keep
