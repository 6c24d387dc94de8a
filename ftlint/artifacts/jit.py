"""The MinHash permutation loop, compiled with numba: the one place where numpy is not enough.

With numpy, 128 permutations of a batch's shingle hashes are 128 x (multiply, add,
``minimum.reduceat``): three passes over the array per permutation and a ufunc call per record
and permutation. That was about half of the duplicate family's CPU time at 1M records. The
compiled loop reads every shingle once and does all permutations in SIMD lanes: 5x faster on
real batches (40k records of benchmarks/bench_dedup.py: 0.44 s -> 0.083 s).

The loop is loaded once per process, when a file is large enough to repay it, and before any
worker is forked, so that the workers inherit it. Loading costs 1-1.5 s (importing numba, which
imports scipy.linalg, and reading the compiled code from numba's on-disk cache; the first time,
compiling it, about 0.5 s more) and 150 MB: `ftlint check --select FT2` on two cores breaks even
at about 200k records (measured: 50k records 0.4 s slower, 100k 0.5-0.9 s slower, 200k equal).
Without numba (``FTLINT_JIT=0``, or a platform without a numba wheel) ftlint uses the numpy loop,
whose results are bit-identical (tests/test_duplicates.py compares them).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable

MIN_RECORDS = 200_000  # records to sign below which numpy's loop is used (where loading numba costs more)

_lock = threading.Lock()
_kernel: list[Callable | None] = []  # [] until tried, then [kernel or None]


def enabled() -> bool:
    return os.environ.get("FTLINT_JIT", "1") != "0"


def minhash_kernel() -> Callable | None:
    """``fill(hashes, doc, a, b, out)``: for each 64-bit shingle hash i and permutation k,
    ``out[doc[i], k] = min(out[doc[i], k], (a[k] * fmix32(hashes[i] >> 32) + b[k]) mod 2**32)``. None when numba is
    not available or ``FTLINT_JIT=0``."""
    if not enabled():
        return None
    if _kernel:
        return _kernel[0]
    with _lock:
        if not _kernel:
            _kernel.append(_compile())
    return _kernel[0]


def _compile() -> Callable | None:
    try:
        import numba
        import numpy as np
    except ImportError:
        return None

    m32 = np.uint64(0xFFFFFFFF)

    def fill(hashes, doc, a, b, out):
        perms = a.shape[0]
        for i in range(hashes.shape[0]):
            x = hashes[i] >> np.uint64(32)  # fmix32 of the upper half, as minhash.fmix32
            x ^= x >> np.uint64(16)
            x = (x * np.uint64(0x85EBCA6B)) & m32
            x ^= x >> np.uint64(13)
            x = (x * np.uint64(0xC2B2AE35)) & m32
            x ^= x >> np.uint64(16)
            d = doc[i]
            for k in range(perms):  # vectorized by LLVM: all permutations of one shingle at once
                v = np.uint32((np.uint64(a[k]) * x + np.uint64(b[k])) & m32)
                out[d, k] = min(out[d, k], v)

    sig = "void(uint64[::1], int64[::1], uint32[::1], uint32[::1], uint32[:, ::1])"
    try:
        return numba.njit(sig, nogil=True, cache=True)(fill)
    except Exception:  # e.g. no writable cache directory: compile without caching
        try:
            return numba.njit(sig, nogil=True)(fill)
        except Exception:
            return None
