"""Shingles and their 64-bit hashes, vectorized with numpy (the first two steps of the
near-duplicate pipeline: see ftlint.artifacts.minhash).

Shingles. Each field (turn) of a record is shingled on its own, after
   :func:`ftlint.artifacts.normalize.shingle_text`. A field of at most ``SHORT_MAX`` characters
   is cut into character ``char_n``-grams, a field of at least ``LONG_MIN`` characters (with
   real words, not unspaced CJK) into word ``word_n``-grams, and a field in between into both,
   so that two versions of one text whose lengths differ by up to 40% always share a shingle
   kind. Short utterances need character n-grams (a 10-word ticket has only 8 word 3-grams and
   one changed word removes three of them); long answers get word n-grams, five times fewer
   shingles for the same text, which is what makes 1M records affordable.
Shingle hashes. Every batch of texts is one code-point array; a prefix sum of
   ``cp[t] * Q**t mod 2**64`` gives the hash of any substring in O(1)
   (``(G[j]-G[i]) * Q**-i``), so character and word n-grams are hashed by array arithmetic.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ftlint.artifacts.normalize import _FLD, _REC

SHORT_MAX = 200  # characters: a field up to this long gets character n-grams
LONG_MIN = 120  # characters: a field at least this long (with words) gets word n-grams
WORDY = 12  # a field counts as words when it has at least one space per WORDY characters

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
