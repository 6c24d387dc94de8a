"""The compiled MinHash loop (see :mod:`ftlint.artifacts.jit`, which imports this module only
when numba is installed and enabled). It is bit-identical to the numpy loop it replaces,
:meth:`ftlint.artifacts.signatures.MinHasher.signatures`; tests/test_duplicates.py compares them.

Only the permutations are compiled: a compiled shingle hasher (one pass over the code points,
no arrays of intermediate positions) was measured no faster than numpy's shingle_parts (40k
records: 0.35 s either way, with the permutations), so that part stays in numpy."""
from __future__ import annotations

import numpy as np
from numba import njit

from ftlint.artifacts.shingles import _MIX as minhash_mix

_M32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(minhash_mix)


@njit("void(uint64[::1], int64[::1], uint32[::1], uint32[::1], uint32[:, ::1])", nogil=True, cache=True)
def fill(hashes, doc, a, b, out):
    """For each 64-bit shingle hash i and permutation k: ``out[doc[i], k] = min(out[doc[i], k],
    (a[k] * fmix32(hashes[i] * MIX >> 32) + b[k]) mod 2**32)``, as minhash.MinHasher and
    datasketch's affine32 scheme compute it."""
    for i in range(hashes.shape[0]):
        x = (hashes[i] * _MIX) >> np.uint64(32)
        x ^= x >> np.uint64(16)
        x = (x * np.uint64(0x85EBCA6B)) & _M32
        x ^= x >> np.uint64(13)
        x = (x * np.uint64(0xC2B2AE35)) & _M32
        x ^= x >> np.uint64(16)
        d = doc[i]
        for k in range(a.shape[0]):  # vectorized by LLVM: all permutations of one shingle at once
            v = np.uint32((np.uint64(a[k]) * x + np.uint64(b[k])) & _M32)
            out[d, k] = min(out[d, k], v)
