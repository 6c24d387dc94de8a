"""MinHash signatures, datasketch-compatible, for many records at once, and the parameters of
one near-duplicate index (see ftlint.artifacts.minhash).

   :func:`shingle_hash` is the same function for one Python string.
Signatures. The upper 32 bits of a shingle hash (times an odd constant, so that every bit of
   the hash reaches them) go through datasketch's ``affine32`` scheme
   (MurmurHash3 ``fmix32`` pre-mix, then ``a*h+b mod 2**32`` with datasketch's own permutation
   parameters), minimised per record with ``np.minimum.reduceat`` in cache-sized blocks. A row
   is bit-identical to ``datasketch.MinHash(num_perm, seed, hashfunc=<that 32-bit hash>)``
   updated with the same shingles: :func:`lean_minhash` wraps it as a ``LeanMinHash``.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ftlint import pool
from ftlint.artifacts import jit
from ftlint.artifacts.banding import _unique, band_keys, lsh_params
from ftlint.artifacts.normalize import normalize_joined, shingle_batch
from ftlint.artifacts.shared_template import SharedTemplate
from ftlint.artifacts.shingles import _MIX, shingle_parts

BLOCK = 1 << 17  # shingles per minimum-reduction block (fits in L2 with its buffer)


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
    return {"keys" + tag: pool.empty((n, bands), np.uint64, shared),
            "mini" + tag: pool.empty((n, params.num_perm), np.uint8, shared),
            "empty" + tag: pool.empty(n, bool, shared)}


@functools.lru_cache(maxsize=8)
def _hasher(num_perm: int, seed: int) -> MinHasher:
    return MinHasher(num_perm, seed)


def _compiled(n: int, params: Params) -> bool:
    """Whether n records are signed by the compiled loop. The hasher and the compiled loop are
    made here, before any worker starts, so that every worker inherits them."""
    _hasher(params.num_perm, params.seed)
    return n >= jit.MIN_RECORDS and jit.minhash_kernel() is not None
