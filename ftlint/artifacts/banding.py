"""LSH banding: band keys of signatures and the candidate pairs that share one (see
ftlint.artifacts.minhash).

LSH. Bands and rows are datasketch's ``_optimal_param`` choice with a 0.98 weight on false
   negatives (threshold 0.8, 128 permutations: 17 bands of 7 rows, 98% of pairs at exactly
   0.8 become candidates). The bands are hashed to one uint64 per record and band and grouped
   with a sort, instead of ``MinHashLSH`` (a Python dict insert per band and record: about 20x
   slower and ~4 KB per record at 1M records). Only band keys are kept, not signatures.
5. Verification. Every candidate pair is re-shingled and kept only if the exact Jaccard
"""
from __future__ import annotations

import functools

import numpy as np

from ftlint import pool

WINDOW = 16  # within one LSH bucket, each record is paired with its next WINDOW-1 members

_BAND_MUL = np.uint64(0xFF51AFD7ED558CCD)



@functools.lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising 0.02 x the false-positive area plus 0.98 x the false-negative
    area, datasketch's ``_optimal_param`` with weights (0.02, 0.98), without scipy: the
    integrands are polynomials of degree b*r <= num_perm, which Gauss-Legendre quadrature with
    num_perm/2+1 nodes integrates exactly (tests/test_duplicates.py checks the choice against
    datasketch's)."""
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 2)
    best, opt = float("inf"), (0, 0)
    lo_s = (x + 1) * threshold / 2  # nodes on [0, threshold]
    hi_s = threshold + (x + 1) * (1 - threshold) / 2  # nodes on [threshold, 1]
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = float(w @ (1 - (1 - lo_s ** float(r)) ** float(b))) * threshold / 2
            fn = float(w @ ((1 - hi_s ** float(r)) ** float(b))) * (1 - threshold) / 2
            err = fp * 0.02 + fn * 0.98
            if err < best:
                best, opt = err, (b, r)
    return opt


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: one hash per band of each signature (a band's rows, mixed)."""
    n = len(sig)
    keys = np.zeros((n, bands), np.uint64)
    view = sig[:, :bands * rows].reshape(n, bands, rows).astype(np.uint64)
    for r in range(rows):
        keys = keys * _BAND_MUL + view[:, :, r] + np.uint64(r + 1)
        keys ^= keys >> np.uint64(29)
    keys += np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return keys


def _unique(x: np.ndarray) -> np.ndarray:
    """np.unique(x) for integers, by one (SIMD) sort: numpy 2's hash-based unique is slower here."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def candidate_pairs(keys: np.ndarray, empty: np.ndarray | None = None) -> np.ndarray:
    """(m, 2) int64 pairs i < j that share a band key, unique; records flagged ``empty`` never pair."""
    n = len(keys)
    shift = np.uint64(max(1, (n - 1).bit_length()))
    mask = (np.uint64(1) << shift) - np.uint64(1)
    rec = np.arange(n, dtype=np.uint64)

    def one(band: int) -> list[np.ndarray]:  # bands on threads: the sorts release the GIL
        k = np.ascontiguousarray(keys[:, band])
        # only keys that occur twice or more can pair. Find their records with one fast sort of
        # (top bits of the key, record) packed in 64 bits (a superset: keys equal in those bits),
        # then order just those records by the full key, stably (so by record within a bucket)
        comb = ((k >> shift) << shift) | rec
        comb.sort()
        top = comb >> shift
        rep = top[1:] == top[:-1]
        if not rep.any():
            return []
        inrun = np.zeros(n, bool)
        inrun[1:] = rep
        inrun[:-1] |= rep
        members = np.sort((comb[inrun] & mask).astype(np.int64))
        sub = k[members]
        o = np.argsort(sub, kind="stable")
        order, ks = members[o], sub[o]
        got = []
        for d in range(1, WINDOW):
            same = ks[d:] == ks[:-d]
            if not same.any():
                break
            got.append(np.stack([order[:-d][same], order[d:][same]], axis=1))
        return got

    found = [p for got in pool.map_ordered(one, range(keys.shape[1])) for p in got]  # threads over bands
    if not found:
        return np.empty((0, 2), np.int64)
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    if empty is not None and len(pairs):
        pairs = pairs[~(empty[pairs[:, 0]] | empty[pairs[:, 1]])]
    code = _unique(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def cross_pairs(keys_a: np.ndarray, keys_b: np.ndarray) -> np.ndarray:
    """(m, 2) pairs (i in a, j in b) that share a band key, unique (at most WINDOW per bucket)."""
    found = []
    nb = len(keys_b)
    if not len(keys_a) or not nb:
        return np.empty((0, 2), np.int64)
    for band in range(keys_a.shape[1]):
        order = np.argsort(keys_b[:, band], kind="stable")
        kb = keys_b[order, band]
        ka = keys_a[:, band]
        lo = np.searchsorted(kb, ka, side="left")
        cnt = np.minimum(np.searchsorted(kb, ka, side="right") - lo, WINDOW)
        if not cnt.any():
            continue
        ia = np.repeat(np.arange(len(ka)), cnt)
        off = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        found.append(np.stack([ia, order[lo[ia] + off]], axis=1))
    if not found:
        return np.empty((0, 2), np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    code = _unique(pairs[:, 0] * nb + pairs[:, 1])
    return np.stack([code // nb, code % nb], axis=1)
