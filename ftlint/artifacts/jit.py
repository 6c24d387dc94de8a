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

import functools
import os
from collections.abc import Callable

MIN_RECORDS = 200_000  # records to sign below which numpy's loop is used (where loading numba costs more)


def enabled() -> bool:
    return os.environ.get("FTLINT_JIT", "1") != "0"


def minhash_kernel() -> Callable | None:
    """:func:`ftlint.artifacts.jit_loops.fill`, loaded (or compiled) on first use, or None when
    numba is not available or ``FTLINT_JIT=0``."""
    return _load() if enabled() else None


@functools.cache
def _load() -> Callable | None:
    try:  # importing the module compiles the loop, or loads it from numba's cache
        from ftlint.artifacts import jit_loops
    except Exception:  # numba missing, or unusable here (no compiler cache anywhere): numpy it is
        return None
    return jit_loops.fill
