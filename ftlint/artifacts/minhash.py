"""Shingles, MinHash signatures, LSH banding and duplicate clusters, vectorized with numpy.

The hot path has no Python work per shingle and no Python object per signature:

1. Shingles. Each field (turn) of a record is shingled on its own, after
   :func:`ftlint.artifacts.normalize.shingle_text`. A field of at most ``SHORT_MAX`` characters
   is cut into character ``char_n``-grams, a field of at least ``LONG_MIN`` characters (with
   real words, not unspaced CJK) into word ``word_n``-grams, and a field in between into both,
   so that two versions of one text whose lengths differ by up to 40% always share a shingle
   kind. Short utterances need character n-grams (a 10-word ticket has only 8 word 3-grams and
   one changed word removes three of them); long answers get word n-grams, five times fewer
   shingles for the same text, which is what makes 1M records affordable.
2. Shingle hashes. Every batch of texts is one code-point array; a prefix sum of
   ``cp[t] * Q**t mod 2**64`` gives the hash of any substring in O(1)
   (``(G[j]-G[i]) * Q**-i``), so character and word n-grams are hashed by array arithmetic.
   :func:`shingle_hash` is the same function for one Python string.
3. Signatures. The upper 32 bits of a shingle hash (times an odd constant, so that every bit of
   the hash reaches them) go through datasketch's ``affine32`` scheme
   (MurmurHash3 ``fmix32`` pre-mix, then ``a*h+b mod 2**32`` with datasketch's own permutation
   parameters), minimised per record with ``np.minimum.reduceat`` in cache-sized blocks. A row
   is bit-identical to ``datasketch.MinHash(num_perm, seed, hashfunc=<that 32-bit hash>)``
   updated with the same shingles: :func:`lean_minhash` wraps it as a ``LeanMinHash``.
4. LSH. Bands and rows are datasketch's ``_optimal_param`` choice with a 0.98 weight on false
   negatives (threshold 0.8, 128 permutations: 17 bands of 7 rows, 98% of pairs at exactly
   0.8 become candidates). The bands are hashed to one uint64 per record and band and grouped
   with a sort, instead of ``MinHashLSH`` (a Python dict insert per band and record: about 20x
   slower and ~4 KB per record at 1M records). Only band keys are kept, not signatures.
5. Verification. Every candidate pair is re-shingled and kept only if the exact Jaccard
   similarity of the two shingle sets reaches the threshold: no LSH false positive is reported.

Where the time goes (one file, `FT201`-`FT203`): two passes over the records, each one Python
join per record in this process (:func:`conversation_batch`) and then array work per batch of
BATCH records on every core (:mod:`ftlint.artifacts.parallel`: forked workers on Linux):

- the content pass (:func:`content_digests`): normalization and a 128-bit blake2b digest of
  every record and, in the same pass, of every single-turn record's prompt (FT201's exact
  groups, FT203's prompt groups, FT204's cross-file copies);
- the signature pass (:func:`build_index`, records that are not exact copies): shingle hashes,
  128 permutations (the bulk: about half of all CPU time), band keys and the low byte of every
  signature value.

Then, in this process: candidate buckets (one packed sort per band), the b-bit pre-filter,
the verification (shingle sets of the candidate records on the workers again) and clusters.
Neither pass imports datasketch (which imports scipy): :func:`permutations` and
:func:`lsh_params` compute what datasketch would, and tests check that they agree.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ftlint.artifacts import jit, parallel
from ftlint.artifacts.normalize import (
    _FLD,
    _REC,
    checked_join,
    exact_groups,
    fields_of,
    groups_by_hash,
    join_records,
    normalize_joined,
    record_digests128,
    shingle_batch,
    shingle_text,
)
from ftlint.artifacts.shared_template import SharedTemplate
from ftlint.artifacts.unionfind import UnionFind

SHORT_MAX = 200  # characters: a field up to this long gets character n-grams
LONG_MIN = 120  # characters: a field at least this long (with words) gets word n-grams
WORDY = 12  # a field counts as words when it has at least one space per WORDY characters
BATCH = 2048  # records per batch of array work (the size of every worker's temporary arrays)
CHUNK = 128  # batches whose raw text is made at once, before the workers of one round start
BLOCK = 1 << 17  # shingles per minimum-reduction block (fits in L2 with its buffer)
WINDOW = 16  # within one LSH bucket, each record is paired with its next WINDOW-1 members
# parallel work: see ftlint.artifacts.parallel (FTLINT_THREADS=1 runs everything serially)

_M64 = (1 << 64) - 1
_Q = 0x9E3779B97F4A7C15 | 1  # odd, so invertible mod 2**64
_QINV = pow(_Q, -1, 1 << 64)
_WORD_TAG = np.uint64(0xC2B2AE3D27D4EB4F)  # word n-grams never collide with character n-grams
_BAND_MUL = np.uint64(0xFF51AFD7ED558CCD)
# a shingle hash is multiplied by this odd constant before its upper 32 bits are taken: two
# shingles that differ in their first character only have hashes within 256 of each other (the
# polynomial's first coefficient is 1), so their upper bits would agree; the product's do not
_MIX = 0xD6E8FEB86659FD93

_pow_cache: list[tuple[np.ndarray, np.ndarray]] = []  # [(Q**t, Q**-t)], replaced as one tuple
_pow_lock = threading.Lock()


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Q**t and Q**-t mod 2**64 for t < n (grown by doubling and cached; thread-safe: the pair
    is swapped in as one tuple, so a reader never sees arrays of two different sizes)."""
    cached = _pow_cache[0] if _pow_cache else None
    if cached is not None and len(cached[0]) >= n:
        return cached
    with _pow_lock:
        cached = _pow_cache[0] if _pow_cache else None
        if cached is not None and len(cached[0]) >= n:
            return cached
        size = max(n, 2 * len(cached[0]) if cached is not None else 1 << 16)
        q = np.empty(size, np.uint64)
        qi = np.empty(size, np.uint64)
        q[0] = qi[0] = 1
        q[1:] = _Q
        qi[1:] = _QINV
        np.cumprod(q, out=q)
        np.cumprod(qi, out=qi)
        _pow_cache[:] = [(q, qi)]
        return q, qi


def shingle_hash(s: str, word: bool = False) -> int:
    """The 64-bit hash of one shingle string, as :func:`shingle_hashes` computes it."""
    h = 0
    qk = 1
    for ch in s:
        h = (h + ord(ch) * qk) & _M64
        qk = (qk * _QINV) & _M64
    return h ^ int(_WORD_TAG) if word else h


def shingle_hash32(s: str, word: bool = False) -> int:
    """What datasketch's ``hashfunc`` must return for a signature equal to ours."""
    return ((shingle_hash(s, word) * _MIX) & _M64) >> 32


def _field_modes(text: str) -> tuple[bool, bool]:
    n = len(text)
    wordy = n >= LONG_MIN and text.count(" ") * WORDY >= n
    return (n <= SHORT_MAX or not wordy), wordy


def shingles(text: str, char_n: int = 3, word_n: int = 3) -> list[tuple[str, bool]]:
    """The shingles of one already shingle-normalized field as (string, is_word) pairs: the
    readable reference for the vectorized path (used by tests and the naive benchmark)."""
    if not text:
        return []
    use_char, use_word = _field_modes(text)
    out: list[tuple[str, bool]] = []
    if use_char:
        out.extend((text[i:i + char_n], False) for i in range(max(len(text) - char_n + 1, 1)))
    if use_word:
        words = text.split(" ")
        out.extend((" ".join(words[i:i + word_n]), True) for i in range(max(len(words) - word_n + 1, 1)))
    return out


def shingle_hashes(docs: Sequence[Sequence[str]], char_n: int = 3, word_n: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """All shingle hashes of a batch of records (each a list of shingle-normalized fields):
    (hashes uint64, record index int64), grouped by record in record order."""
    return batch_shingle_hashes(_REC.join(_FLD.join(fs) for fs in docs), len(docs), char_n, word_n)


def batch_shingle_hashes(batch: str | np.ndarray, ndocs: int, char_n: int = 3, word_n: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """shingle_hashes() of a batch (see :func:`shingle_parts`), grouped by record."""
    parts = shingle_parts(batch, ndocs, char_n, word_n)
    if len(parts) == 1:
        return parts[0]
    (hc, dc), (hw, dw) = parts
    # merge by record (each part is already in record order): a counting scatter, not a sort
    cc = np.bincount(dc, minlength=ndocs)
    cw = np.bincount(dw, minlength=ndocs)
    off = np.zeros(ndocs + 1, np.int64)
    np.cumsum(cc + cw, out=off[1:])
    cstart = np.cumsum(cc) - cc
    wstart = np.cumsum(cw) - cw
    h = np.empty(len(hc) + len(hw), np.uint64)
    h[np.arange(len(hc)) + np.repeat(off[:-1] - cstart, cc)] = hc
    h[np.arange(len(hw)) + np.repeat(off[:-1] + cc - wstart, cw)] = hw
    return h, np.repeat(np.arange(ndocs), cc + cw)


def shingle_parts(batch: str | np.ndarray, ndocs: int, char_n: int = 3, word_n: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    """The character and the word n-gram hashes of a batch, as one or two (hashes, record) parts,
    each in record order. The batch is a string (records joined by \\x00, fields by \\x01, as
    :func:`ftlint.artifacts.normalize.shingle_records` returns). Everything is array arithmetic
    over the batch's code points: no Python work per record or per shingle."""
    if not len(batch) or ndocs == 0:
        return [(np.empty(0, np.uint64), np.empty(0, np.int64))]
    if isinstance(batch, np.ndarray):  # ASCII bytes, from shingle_batch()
        cp = batch
    elif batch.isascii():
        cp = np.frombuffer(batch.encode("ascii"), np.uint8)
    else:
        cp = np.frombuffer(batch.encode("utf-32-le"), np.uint32)
    T = len(cp)
    # the batch is collapsed: only letters/digits, single spaces inside a field and the
    # separators \x00 (record) and \x01 (field) remain, so every "gap" (code point <= 32) ends
    # one token and starts the next, and a field boundary is a gap that is a separator
    gaps = np.flatnonzero(cp <= 32)
    is_sep = cp[gaps] <= 1
    sep_pos = gaps[is_sep]
    starts = np.r_[0, sep_pos + 1]  # every field, empty ones included
    ends = np.r_[sep_pos, T]
    fdoc = np.zeros(len(starts), np.int64)  # record of each field
    np.cumsum(cp[sep_pos] == 0, out=fdoc[1:])
    lens = ends - starts
    q, qi = _powers(T + 1)
    G = np.zeros(T + 1, np.uint64)
    np.cumsum(cp * qi[:T], out=G[1:])

    # tokens (words): the runs between gaps, without the empty ones (empty fields)
    tok_start = np.r_[0, gaps + 1]
    tok_end = np.r_[gaps, T]
    tok_field = np.zeros(len(tok_start), np.int64)
    np.cumsum(is_sep, out=tok_field[1:])
    real = tok_end > tok_start
    if not real.all():
        tok_start, tok_end, tok_field = tok_start[real], tok_end[real], tok_field[real]
    nspace = np.bincount(tok_field, minlength=len(starts)) - 1
    wordy = (lens >= LONG_MIN) & (nspace * WORDY >= lens)
    charry = ((lens <= SHORT_MAX) | ~wordy) & (lens > 0)

    # character n-grams: the windows of the character-shingled fields only (a long answer has
    # none), gathered by position; a field shorter than n is one shingle, the whole field
    hc = np.empty(0, np.uint64)
    dc = np.empty(0, np.int64)
    cf = np.flatnonzero(charry)
    if len(cf):
        fl = lens[cf]
        full = fl >= char_n
        cnt = np.where(full, fl - char_n + 1, 1)
        first = np.cumsum(cnt) - cnt
        pos = np.arange(int(first[-1] + cnt[-1])) + np.repeat(starts[cf] - first, cnt)
        end = pos + char_n
        if not full.all():
            end[first[~full]] = ends[cf[~full]]
        hc = (G[end] - G[pos]) * q[pos]
        dc = np.repeat(fdoc[cf], cnt)
    # word n-grams
    hw = np.empty(0, np.uint64)
    dw = np.empty(0, np.int64)
    if wordy.any() and len(tok_start) >= word_n:
        k = np.arange(len(tok_start) - word_n + 1)
        last = k + word_n - 1
        ok = (tok_field[k] == tok_field[last]) & wordy[tok_field[k]]
        k, last = k[ok], last[ok]
        i, j = tok_start[k], tok_end[last]
        hw = ((G[j] - G[i]) * q[i]) ^ _WORD_TAG
        dw = fdoc[tok_field[k]]
    parts = [(h, d) for h, d in ((hc, dc), (hw, dw)) if len(h)]
    return parts or [(hc, dc)]


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch's affine32 scheme pre-mixes every input hash."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class MinHasher:
    """datasketch-compatible (scheme ``affine32``) MinHash signatures for many records at once."""

    def __init__(self, num_perm: int = 128, seed: int = 1):
        self.num_perm, self.seed = num_perm, seed
        self.a, self.b = permutations(num_perm, seed)

    def signatures_of(self, parts: Sequence[tuple[np.ndarray, np.ndarray]], ndocs: int, compiled: bool = False) -> np.ndarray:
        """signatures() of shingles given in parts (each grouped by record): the minimum of theirs.
        With ``compiled``, by :func:`ftlint.artifacts.jit.minhash_kernel` when it is available."""
        kernel = jit.minhash_kernel() if compiled else None
        if kernel is not None:
            out = np.full((ndocs, self.num_perm), 0xFFFFFFFF, np.uint32)
            for h, d in parts:
                if len(h):
                    kernel(h, d.astype(np.int64, copy=False), self.a, self.b, out)
            return out
        out = self.signatures(*parts[0], ndocs)
        for h, d in parts[1:]:
            np.minimum(out, self.signatures(h, d, ndocs), out=out)
        return out

    def signatures(self, hashes: np.ndarray, doc: np.ndarray, ndocs: int) -> np.ndarray:
        """(ndocs, num_perm) uint32; a record without shingles keeps datasketch's empty value."""
        out = np.full((ndocs, self.num_perm), 0xFFFFFFFF, np.uint32)
        if not len(hashes):
            return out
        hv = fmix32(((hashes * np.uint64(_MIX)) >> np.uint64(32)).astype(np.uint32))
        counts = np.bincount(doc, minlength=ndocs)
        present = np.flatnonzero(counts)
        offs = np.zeros(len(present), np.intp)
        np.cumsum(counts[present][:-1], out=offs[1:])
        ends = offs + counts[present]
        # blocks of whole records of about BLOCK shingles each, so the buffer stays in cache
        cuts = _unique(np.r_[np.searchsorted(offs, np.arange(0, len(hv), BLOCK)), len(present)])
        buf = np.empty(max(BLOCK, int(counts.max())) * 2, np.uint32)
        a, b = self.a, self.b
        blockT = np.empty((self.num_perm, len(present)), np.uint32)  # permutation-major: whole rows
        for s, e in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            lo, hi = int(offs[s]), int(ends[e - 1])
            h = hv[lo:hi]
            o = offs[s:e] - lo
            bb = buf[:hi - lo]
            for k in range(self.num_perm):
                np.multiply(h, a[k], out=bb)
                np.add(bb, b[k], out=bb)
                np.minimum.reduceat(bb, o, out=blockT[k, s:e])
        out[present] = blockT.T
        return out


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutation parameters (a odd, b), drawn as
    ``MinHash(num_perm, seed, scheme="affine32")`` draws them, without importing datasketch
    (and scipy with it); tests/test_duplicates.py checks them against datasketch."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.ascontiguousarray(a), np.ascontiguousarray(b)


def lean_minhash(row: np.ndarray, seed: int = 1):
    """One signature row as a datasketch ``LeanMinHash`` (e.g. to query a ``MinHashLSH``)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=row, scheme="affine32")


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

    found = [p for got in _map(one, range(keys.shape[1])) for p in got]
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


FP_SHIFT = 12  # verification compares shingle fingerprints: the low 52 bits of each 64-bit hash
_FP_MASK = np.uint64((1 << (64 - FP_SHIFT)) - 1)


def shingle_sets(docs: Sequence[Sequence[str]], char_n: int, word_n: int) -> list[np.ndarray]:
    """Sorted unique shingle fingerprints of each record (for exact Jaccard; see _set_arrays),
    in batches of BATCH records so that the temporary arrays stay small: the readable reference
    for :func:`sets_of`."""
    if len(docs) > BATCH:
        return [s for k in range(0, len(docs), BATCH) for s in shingle_sets(docs[k:k + BATCH], char_n, word_n)]
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


def _sets_job(item: tuple[str, int], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """One batch of raw text -> its records' sorted unique shingle fingerprints, concatenated, and the
    record bounds (compact to send back from a worker)."""
    text, n = item
    return _set_arrays(shingle_parts(shingle_batch(*normalize_joined(text)), n, params.char_n, params.word_n), n)


def sets_of(examples, idx, params: Params) -> list[np.ndarray]:
    """Sorted unique shingle fingerprints of examples[i] for i in idx (for exact Jaccard)."""
    inputs = [x for got, _ in _rounds(np.asarray(idx, np.int64), params.fields, examples, template=params.template)
              for x in got]
    out: list[np.ndarray] = []
    for h, bounds in parallel.fork_map(functools.partial(_sets_job, params=params), inputs):
        out.extend(h[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1))
    return out


def _map(fn: Callable, items: Iterable) -> Iterable:
    """[fn(x) for x in items] in order, on threads when there are several workers."""
    return parallel.map_ordered(fn, list(items))


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


@dataclass
class Params:
    fields: str = "conversation"
    threshold: float = 0.8
    num_perm: int = 128
    char_n: int = 3
    word_n: int = 3
    seed: int = 1
    # the file's shared template (ftlint.artifacts.shared_template), left out of the compared text
    template: SharedTemplate | None = None

    @property
    def key(self) -> str:
        key = f"neardup:{self.fields}:{self.threshold}:{self.num_perm}:{self.char_n}:{self.word_n}:{self.seed}"
        return key if self.template is None else f"{key}:{self.template.key}"


@dataclass
class DuplicateIndex:
    """One file's duplicate structure (indices are positions in ``dataset.examples``)."""

    params: Params
    lines: np.ndarray  # line number of each example
    exact: list[list[int]]  # groups of identical (normalized) records, each sorted
    reps: np.ndarray  # indices of the records that entered the LSH (first copies)
    keys: np.ndarray  # (len(reps), bands) band keys
    hashes: np.ndarray  # normalized-content hash of every example (for cross-file exact matches)
    mini: np.ndarray  # (len(reps), num_perm) uint8: the low byte of each signature value
    edges: list[tuple[int, int, float]] = field(default_factory=list)  # verified near pairs (i, j, sim)
    near: list[list[int]] = field(default_factory=list)  # near-duplicate clusters over reps, sorted

    def exact_group_of(self) -> dict[int, list[int]]:
        return {g[0]: g for g in self.exact}

    def clusters(self) -> list[list[int]]:
        """Every duplicate cluster: near-duplicate clusters with their exact copies folded in,
        plus exact-only groups; each a sorted list of example indices, ordered by first member."""
        copies = self.exact_group_of()
        seen: set[int] = set()
        out = []
        for c in self.near:
            members = sorted(i for r in c for i in copies.get(r, [r]))
            seen.update(c)
            out.append(members)
        out.extend(g for g in self.exact if g[0] not in seen)
        out.sort(key=lambda g: g[0])
        return out


def texts_for(examples, idx, fields: str) -> list[list[str]]:
    return [[shingle_text(t) for t in fields_of(examples[i], fields)] for i in idx]


def records_of(examples, idx, fields: str) -> list[list[str]]:
    """fields_of() of examples[i] for i in idx (inlined for the common "conversation")."""
    if fields == "conversation":
        if isinstance(idx, range) and idx.step == 1:
            part = examples[idx.start:idx.stop]
        else:
            part = [examples[i] for i in idx]
        return [[x for r, x in e.turns if r != "system"] for e in part]
    return [fields_of(examples[i], fields) for i in idx]


def conversation_batch(part, others: list[int] | None = None) -> str | bytes:
    """join_records(records_of(part, "conversation")) with less Python per record (two-turn
    records, the common case, are joined directly). With ``others``, the positions of the
    records that are not single-turn (see :func:`_single_turn`) are appended to it."""
    out = []
    extra = 0  # field separators beyond one per record
    for k, e in enumerate(part):
        t = e.turns
        if len(t) == 2 and t[0][0] != "system" and t[1][0] != "system":
            out.append(t[0][1] + _FLD + t[1][1])
            if others is not None and (e.system is not None or t[0][0] != "user" or t[1][0] != "assistant"):
                others.append(k)
        else:
            fs = [x for r, x in t if r != "system"]
            extra += len(fs) - 2 if fs else -1
            out.append(_FLD.join(fs))
            if others is not None:
                others.append(k)
    return checked_join(out, len(out) + extra) or join_records(records_of(part, range(len(part)), "conversation"))


def _rounds(idx: np.ndarray | range, fields: str, examples, others: list[int] | None = None,
            template: SharedTemplate | None = None):
    """The raw text of every BATCH of examples[idx], CHUNK batches at a time: (inputs, rows)
    per round. The text is made here, in this process, before any worker starts. With
    ``others`` (fields "conversation"), the positions in idx of records that are not
    single-turn are appended to it. With a ``template``, the text is the records' without it."""
    n = len(idx)
    for c in range(0, n, BATCH * CHUNK):
        inputs, rows = [], []
        for s in range(c, min(c + BATCH * CHUNK, n), BATCH):
            part = idx[s:s + BATCH]
            if template is not None:
                part = part.tolist() if isinstance(part, np.ndarray) else part
                inputs.append((join_records([template.fields(examples[i], fields) for i in part]), len(part)))
            elif fields == "conversation":
                part = examples[part.start:part.stop] if isinstance(part, range) and part.step == 1 else \
                    [examples[i] for i in (part.tolist() if isinstance(part, np.ndarray) else part)]
                got: list[int] | None = [] if others is not None else None
                inputs.append((conversation_batch(part, got), len(part)))
                if got:
                    others.extend(s + k for k in got)
            else:
                if isinstance(part, np.ndarray):
                    part = part.tolist()
                inputs.append((join_records(records_of(examples, part, fields)), len(part)))
            rows.append(slice(s, s + len(part)))
        yield inputs, rows


def _signature_job(item: tuple[str, int], params: Params, compiled: bool = False) -> dict[str, np.ndarray]:
    """One batch of raw text -> its records' band keys, low signature bytes and empty flags."""
    text, n = item
    return _sign(normalize_joined(text), n, params, compiled)


def _sign(normalized: tuple[bytes, bool], n: int, params: Params, compiled: bool, tag: str = "") -> dict[str, np.ndarray]:
    """The band keys, low signature bytes and empty flags of a normalized batch's n records
    (named ``keys``, ``mini`` and ``empty``, each followed by ``tag``)."""
    bands, rows = lsh_params(params.threshold, params.num_perm)
    parts = shingle_parts(shingle_batch(*normalized), n, params.char_n, params.word_n)
    sig = _hasher(params.num_perm, params.seed).signatures_of(parts, n, compiled)
    return {"keys" + tag: band_keys(sig, bands, rows), "mini" + tag: sig.astype(np.uint8),  # b-bit MinHash, b = 8
            "empty" + tag: sum(np.bincount(d, minlength=n) for _, d in parts) == 0}


def _signature_outs(n: int, params: Params, shared: bool, tag: str = "") -> dict[str, np.ndarray]:
    bands, _ = lsh_params(params.threshold, params.num_perm)
    return {"keys" + tag: parallel.empty((n, bands), np.uint64, shared),
            "mini" + tag: parallel.empty((n, params.num_perm), np.uint8, shared),
            "empty" + tag: parallel.empty(n, bool, shared)}


@functools.lru_cache(maxsize=8)
def _hasher(num_perm: int, seed: int) -> MinHasher:
    return MinHasher(num_perm, seed)


def _compiled(n: int, params: Params) -> bool:
    """Whether n records are signed by the compiled loop. The hasher and the compiled loop are
    made here, before any worker starts, so that every worker inherits them."""
    _hasher(params.num_perm, params.seed)
    return n >= jit.MIN_RECORDS and jit.minhash_kernel() is not None


def _compact(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """a[rows] for increasing rows, written over a's first len(rows) rows instead of a copy
    (rows[i] >= i, so no row is overwritten before it is read)."""
    step = 1 << 16
    for s in range(0, len(rows), step):
        part = rows[s:s + step]
        a[s:s + len(part)] = a[part]
    return a[:len(rows)]


def build_index(examples, params: Params, content: tuple[np.ndarray, list[list[int]]] | None = None,
                signed: dict[str, np.ndarray] | None = None) -> DuplicateIndex:
    """The duplicate index of examples. ``signed``: the keys, low bytes and empty flags of every
    record, when the content pass computed them (see :func:`content_for`)."""
    n = len(examples)
    lines = np.fromiter((e.line for e in examples), np.int64, n)
    hashes, exact = content or exact_content(examples, params.fields)
    dup = np.zeros(n, bool)
    for g in exact:
        dup[g[1:]] = True
    reps = np.flatnonzero(~dup)
    if signed is not None:
        outs = {k: _compact(v, reps) for k, v in signed.items()}
    else:
        how = parallel.mode(-(-len(reps) // BATCH))
        outs = _signature_outs(len(reps), params, how == "fork")
        job = functools.partial(_signature_job, params=params, compiled=_compiled(len(reps), params))
        for inputs, where in _rounds(reps, params.fields, examples, template=params.template):
            parallel.fill(job, inputs, where, outs, how)
    keys, mini, empty = outs["keys"], outs["mini"], outs["empty"]
    index = DuplicateIndex(params, lines, exact, reps, keys, hashes, mini)
    pairs = candidate_pairs(keys, empty)
    pairs = pairs[plausible(mini, pairs[:, 0], mini, pairs[:, 1], params.threshold)]
    index.edges = _verify(examples, reps[pairs[:, 0]], examples, reps[pairs[:, 1]], params)
    index.near = _components(index.edges)
    return index


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


def _verify(ex_a, ia: np.ndarray, ex_b, ib: np.ndarray, params: Params) -> list[tuple[int, int, float]]:
    """Exact Jaccard of each candidate pair; keeps those at or above the threshold."""
    if not len(ia):
        return []
    if ex_a is ex_b:
        u = _unique(np.r_[ia, ib])
        sa = sb = sets_of(ex_a, u, params)
        pa, pb = np.searchsorted(u, ia), np.searchsorted(u, ib)
    else:
        ua, pa = np.unique(ia, return_inverse=True)
        ub, pb = np.unique(ib, return_inverse=True)
        sa = sets_of(ex_a, ua, params)
        sb = sets_of(ex_b, ub, params)
    def sims(r: range) -> np.ndarray:  # forked workers read sa, sb, pa, pb as they are here
        return jaccards(sa, sb, pa[r.start:r.stop], pb[r.start:r.stop])

    step = max(4096, -(-len(ia) // (4 * parallel.WORKERS)))  # worth a fork from ~30k pairs on
    sim = np.concatenate(parallel.fork_map(sims, [range(s, min(s + step, len(ia))) for s in range(0, len(ia), step)]))
    t = params.threshold
    return [(a, b, round(x, 4)) for a, b, x in zip(ia.tolist(), ib.tolist(), sim.tolist(), strict=True) if x >= t]


def _components(edges: list[tuple[int, int, float]]) -> list[list[int]]:
    """The connected components of the verified pairs, each sorted, by first member."""
    uf = UnionFind()
    for a, b, _ in edges:
        uf.add(a)
        uf.add(b)
        uf.union(a, b)
    return list(uf.groups().values())


def _digest_job(item: tuple[str, int], first_field: bool, sign: Sequence[Params] = (),
                compiled: bool = False, shingled: bool = False) -> dict[str, np.ndarray]:
    """One batch of raw text -> the 128-bit content digest of every record (as key_text hashes
    it), with ``first_field`` that of every record's first field too, with ``shingled`` that of
    every record's punctuation-free text (as FT202 shingles it, "sh" and "sc"), and for each
    parameter set of ``sign`` (number k) the records' signature arrays (see :func:`_sign`, tag ``:k``)."""
    text, n = item
    normalized = normalize_joined(text)
    out = dict(zip(("h", "c"), record_digests128(normalized[0]), strict=True))
    if first_field:
        out["ph"], out["pc"] = record_digests128(normalized[0], first_field=True)
    if shingled:
        sb = shingle_batch(*normalized)
        out["sh"], out["sc"] = record_digests128(sb.tobytes() if isinstance(sb, np.ndarray) else sb.encode("utf-8"))
    for k, params in enumerate(sign):
        out.update(_sign(normalized, n, params, compiled, f":{k}"))
    return out


def _single_turn(e) -> bool:
    """prompt_context(e) is e's first conversation field (no system prompt, one user turn, one answer)."""
    t = e.turns
    return e.system is None and len(t) == 2 and t[0][0] == "user" and t[1][0] == "assistant"


def content_digests(examples, fields: str, idx=None, prompts: bool = False,
                    sign: Sequence[Params] = (), shingled: bool = False) -> dict[str, np.ndarray]:
    """{"h", "c"}: the two 64-bit halves of a 128-bit digest of each record's normalized text
    (key_text); with ``prompts`` and fields "conversation" also {"ph", "pc"}, the same for
    the prompt (prompt_context), taken from the same pass for single-turn records. For each
    parameter set k of ``sign`` (with these ``fields``), the signature arrays of every record
    too: "keys:k", "mini:k" and "empty:k" (read, joined and normalized once for both). With
    ``shingled``, {"sh", "sc"}: the digest of each record's text with punctuation removed too."""
    idx = range(len(examples)) if idx is None else idx
    n = len(idx)
    first = prompts and fields == "conversation"
    how = parallel.mode(-(-n // BATCH))
    names = ("h", "c", "ph", "pc") if first else ("h", "c")
    names += ("sh", "sc") if shingled else ()
    outs = {k: parallel.empty(n, np.uint64, how == "fork") for k in names}
    for k, params in enumerate(sign):
        outs.update(_signature_outs(n, params, how == "fork", f":{k}"))
    compiled = any([_compiled(n, params) for params in sign])
    job = functools.partial(_digest_job, first_field=first, sign=tuple(sign), compiled=compiled, shingled=shingled)
    other: list[int] | None = [] if first else None
    for inputs, where in _rounds(idx, fields, examples, other):
        parallel.fill(job, inputs, where, outs, how)
    # the digests out of the shared mapping; the signature arrays stay in it (the index keeps them)
    outs = {k: np.array(v) if k in names else v for k, v in outs.items()}
    if first:
        if other:
            got = content_digests(examples, "prompt", [idx[k] for k in other])
            outs["ph"][other], outs["pc"][other] = got["h"], got["c"]
    return outs


def exact_content(examples, fields: str, digests: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[list[int]]]:
    """(content hash of each record, groups of identical normalized records)."""
    d = digests or content_digests(examples, fields)
    return d["h"], groups_by_hash(d["h"], check=d["c"])


SHINGLED = "digests:shingled"  # a plan: the content pass digests the punctuation-free text too (FT204)


def _content_pass(ds) -> dict[str, np.ndarray]:
    """The conversation and prompt digests of every record, in one pass. The conversation's
    duplicate indexes that the run's rules planned are signed in this pass too (index_for takes
    their arrays), so every record is read, joined and normalized once, not twice; not those
    with a template, which compare other text than the digests."""
    sign = [p for p in ds.plans if isinstance(p, Params) and p.fields == "conversation" and p.template is None]
    d = content_digests(ds.examples, "conversation", prompts=True, sign=sign, shingled=SHINGLED in ds.plans)
    for k, params in enumerate(sign):
        arrays = {name: d.pop(f"{name}:{k}") for name in ("keys", "mini", "empty")}
        ds.memo(f"signed:{params.key}", lambda _, a=arrays: a)
    return d


def shingled_for(dataset, fields: str) -> tuple[np.ndarray, np.ndarray]:
    """(hash, check): a 128-bit digest of each record's text after case, whitespace and
    punctuation normalization (shingle_text of every field), built once and shared; taken from
    the content pass when a rule planned it (``dataset.plan(SHINGLED)``)."""
    def build(ds):
        d = ds.memo("digests:conversation+prompt", _content_pass) if fields == "conversation" else {}
        if "sh" not in d:
            d = content_digests(ds.examples, fields, shingled=True)
        return d["sh"], d["sc"]

    return dataset.memo(f"shingled:{fields}", build)


def content_for(dataset, fields: str) -> tuple[np.ndarray, list[list[int]]]:
    """The dataset's content hashes and exact-duplicate groups, built once and shared. The
    conversation and prompt digests are made in one pass (what FT201, FT203 and FT204 use)."""
    if fields in ("conversation", "prompt"):
        def build(ds):
            d = ds.memo("digests:conversation+prompt", _content_pass)
            if fields == "prompt":
                return exact_content(ds.examples, fields, {"h": d["ph"], "c": d["pc"]})
            return exact_content(ds.examples, fields, d)

        return dataset.memo(f"content:{fields}", build)
    return dataset.memo(f"content:{fields}", lambda ds: exact_content(ds.examples, fields))


def index_for(dataset, params: Params) -> DuplicateIndex:
    """The dataset's duplicate index for these parameters, built once and shared (signed in the
    content pass when a rule planned it: ``dataset.plan(params)``)."""
    def build(ds) -> DuplicateIndex:
        content = content_for(ds, params.fields)
        return build_index(ds.examples, params, content, ds.take(f"signed:{params.key}"))

    return dataset.memo(params.key, build)


__all__ = ["Params", "DuplicateIndex", "MinHasher", "index_for", "shingled_for", "build_index", "shingle_hashes",
           "shingles", "shingle_hash", "shingle_hash32", "lean_minhash", "lsh_params", "exact_groups"]
