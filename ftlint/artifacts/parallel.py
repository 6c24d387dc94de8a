"""Batches of array work on every core: the duplicate family's passes over a file.

:func:`fill` runs ``fn(inputs[i])`` for every batch and writes each result's arrays into rows
``rows[i]`` of preallocated output arrays (:func:`empty`), so the result does not depend on the
number of workers or on timing: every batch writes its own rows.

Workers (``FTLINT_THREADS``, default: the number of CPUs, at most 4; ``1`` runs everything in this
process, in order):

- On Linux, ``fork``: the inputs (plain strings, made by the caller before the call) are
  inherited, the outputs live in a shared anonymous mapping, and each child runs its share of
  the batches and exits; this process runs a share too. Nothing is pickled. While children live,
  neither side runs the garbage collector (a collection writes to every object's header, which
  would copy every page of the parent's heap) and the parent touches no other Python data, so the
  children share the parent's memory instead of copying it. ``FTLINT_FORK=0`` uses threads instead.
- Elsewhere, threads (numpy releases the GIL in the array work; the Python parts serialize).

A child that fails makes the parent redo its share in-process, so a failure costs time, not
results.
"""
from __future__ import annotations

import gc
import mmap
import os
import pickle
import select
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

WORKERS = max(1, min(int(os.environ.get("FTLINT_THREADS", "0") or 0) or (os.cpu_count() or 1), 4))
FORK = os.environ.get("FTLINT_FORK", "1") != "0" and sys.platform == "linux" and hasattr(os, "fork")
MIN_FORK_ITEMS = 8  # fewer batches than this run in threads (a fork costs ~10-50 ms)


def workers(n_items: int) -> int:
    return max(1, min(WORKERS, n_items))


def mode(n_items: int) -> str:
    """'serial', 'fork' or 'threads' for this many batches."""
    if workers(n_items) < 2:
        return "serial"
    return "fork" if FORK and n_items >= MIN_FORK_ITEMS else "threads"


def empty(shape, dtype, shared: bool) -> np.ndarray:
    """An uninitialised array; in a shared anonymous mapping when ``shared`` (for fork workers)."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape)) * dtype.itemsize
    if not shared or size == 0:
        return np.empty(shape, dtype)
    buf = mmap.mmap(-1, size)  # MAP_SHARED | MAP_ANONYMOUS: children's writes are seen here
    return np.frombuffer(buf, dtype).reshape(shape)


def fork() -> int:
    """os.fork() for every worker of ftlint (these and ftlint.background's): buffered output is
    flushed first, or the child would inherit it and could write it a second time."""
    # Python 3.12+ warns about fork() in a process with threads (numpy's BLAS starts some); the
    # children run ftlint's own code and exit with os._exit, taking no lock a thread of the
    # parent could hold (a failing child writes its traceback with os.write, or nothing)
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        return os.fork()


def _put(res: dict[str, np.ndarray], rows: slice, outs: dict[str, np.ndarray]) -> None:
    for k, v in res.items():
        outs[k][rows] = v


def fill(fn: Callable, inputs: Sequence, rows: Sequence[slice], outs: dict[str, np.ndarray],
         how: str | None = None) -> None:
    """For each i: ``outs[k][rows[i]] = fn(inputs[i])[k]`` for every key the result has. With
    ``how == 'fork'`` the outputs must come from :func:`empty` with ``shared=True``."""
    how = how or mode(len(inputs))
    if how == "serial":
        for x, r in zip(inputs, rows, strict=True):
            _put(fn(x), r, outs)
    elif how == "threads":
        def one(i: int) -> None:
            _put(fn(inputs[i]), rows[i], outs)

        with ThreadPoolExecutor(workers(len(inputs))) as pool:
            for _ in pool.map(one, range(len(inputs))):
                pass
    else:
        _fork_fill(fn, inputs, rows, outs, workers(len(inputs)))


def _fork_fill(fn: Callable, inputs: Sequence, rows: Sequence[slice], outs: dict[str, np.ndarray], n: int) -> None:
    shares = [range(w, len(inputs), n) for w in range(n)]
    enabled = gc.isenabled()
    gc.disable()
    pids: dict[int, int] = {}
    try:
        for w in range(1, n):
            pid = fork()
            if pid == 0:  # the child: its share, then exit without running any cleanup
                code = 1
                try:
                    for i in shares[w]:
                        _put(fn(inputs[i]), rows[i], outs)
                    code = 0
                except KeyboardInterrupt:
                    pass
                except BaseException:  # written without sys.stderr, whose lock another thread may hold
                    os.write(2, f"ftlint worker {os.getpid()}: {traceback.format_exc()}".encode(errors="replace"))
                finally:
                    os._exit(code)
            pids[pid] = w
        try:
            for i in shares[0]:
                _put(fn(inputs[i]), rows[i], outs)
        finally:
            failed = [w for pid, w in pids.items() if os.waitpid(pid, 0)[1] != 0]
        for w in failed:  # redo a failed child's share here
            for i in shares[w]:
                _put(fn(inputs[i]), rows[i], outs)
    finally:
        if enabled:
            gc.enable()


def fork_map(fn: Callable, inputs: Sequence) -> list:
    """[fn(x) for x in inputs] for results of any size: with ``fork``, children compute and send
    their results back through pipes while this process only collects them (it must read as they
    come, or a child would block on a full pipe); otherwise as :func:`map_ordered`."""
    if mode(len(inputs)) != "fork":
        return map_ordered(fn, inputs)
    n = workers(len(inputs))
    out: list = [None] * len(inputs)
    done = [False] * len(inputs)
    enabled = gc.isenabled()
    gc.disable()
    pids, reads = [], {}
    try:
        for w in range(n):
            r, wfd = os.pipe()
            pid = fork()
            if pid == 0:
                code = 1
                try:
                    os.close(r)
                    with os.fdopen(wfd, "wb") as fh:
                        for i in range(w, len(inputs), n):
                            data = pickle.dumps((i, fn(inputs[i])), protocol=pickle.HIGHEST_PROTOCOL)
                            fh.write(len(data).to_bytes(8, "little") + data)
                    code = 0
                except KeyboardInterrupt:
                    pass
                except BaseException:
                    os.write(2, f"ftlint worker {os.getpid()}: {traceback.format_exc()}".encode(errors="replace"))
                finally:
                    os._exit(code)
            os.close(wfd)
            pids.append(pid)
            reads[r] = bytearray()
        while reads:
            ready, _, _ = select.select(list(reads), [], [])
            for r in ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    os.close(r)
                    del reads[r]
                    continue
                buf = reads[r]
                buf += chunk
                while len(buf) >= 8 and len(buf) >= 8 + int.from_bytes(buf[:8], "little"):
                    size = int.from_bytes(buf[:8], "little")
                    i, res = pickle.loads(bytes(buf[8:8 + size]))
                    out[i], done[i] = res, True
                    del buf[:8 + size]
    finally:
        for r in reads:
            os.close(r)
        for pid in pids:
            os.waitpid(pid, 0)
        if enabled:
            gc.enable()
    for i in range(len(inputs)):  # a failed child's missing results are computed here
        if not done[i]:
            out[i] = fn(inputs[i])
    return out


def map_ordered(fn: Callable, items: Sequence) -> list:
    """[fn(x) for x in items] on threads (results that are not fixed-size rows)."""
    if workers(len(items)) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(workers(len(items))) as pool:
        return list(pool.map(fn, items))
