"""The one place where ftlint runs CPU work in other processes or threads: every fork, every
worker thread, one child protocol, one policy and one failure rule. Its users: the duplicate
family's passes over a file (the content pass, the signature pass, the verification:
ftlint.artifacts) and the engine's second reader for the parallel rules (FT7).

Policy, read once from the environment:

- ``FTLINT_THREADS``: the number of workers, default the number of CPUs, at most 4; ``1`` runs
  everything in this process, in order.
- ``FTLINT_FORK=0``: threads instead of forked processes (which are used on Linux only).

:func:`mode` picks, for a number of items: ``serial`` (one worker), ``fork`` (forks allowed and
at least MIN_FORK_ITEMS items: a fork costs ~10-50 ms) or ``threads`` (numpy releases the GIL in
the array work; the Python parts serialize). The results never depend on the mode, the number of
workers or timing.

Three ways in, one protocol:

- :func:`map_ordered`: ``[fn(x) for x in items]``, results of any size; with ``fork=True`` the
  items are dealt round-robin to forked children (shares 1..n-1) and this process (share 0),
  and each child hands its results back as frames.
- :func:`fill`: ``fn(inputs[i])``'s arrays written into rows ``rows[i]`` of preallocated output
  arrays. With ``fork`` this is a fast path, not a second protocol: the outputs live in a shared
  anonymous mapping (:func:`empty`), so nothing big is pickled; the children are dealt their
  shares and hand back, as frames, only which items they have written.
- :func:`background`: one child at the lowest CPU priority (nice 19) that runs ``fn(send)``
  while this process goes on; :meth:`Job.stop` ends it and returns what it sent.
- :func:`share`: ``{i: fn(i)}`` for a few uneven items (the dataset rules' families), taken
  one at a time, in a given order, by this process and one forked child as each becomes free:
  the queue is a pipe holding the items' numbers, from which each process reads the next.

The child protocol (:func:`_spawn`, :func:`_child`): :func:`fork` flushes buffered output first
(or the child could write it a second time). The child turns the garbage collector off (a
collection writes to every object's header, which would copy every page of the parent's heap;
the parent keeps it off too while it waits for pool children), runs ``body(send)``, where every
``send(item)`` appends one frame (8 bytes of little-endian length, then the pickle) to the
child's own in-memory file (memfd), and an empty frame when ``body`` returns. It exits with
``os._exit``, running none of the parent's cleanup; an exception is written to stderr with
``os.write`` (not through sys.stderr, whose lock a thread of the parent may have held at the
fork) unless the child is quiet; KeyboardInterrupt ends it silently. The parent reads the file
once the child has ended (:meth:`Job.wait`) or once it has stopped it (:meth:`Job.stop`: SIGKILL
if it still runs): the complete frames up to the first cut or damaged one, and whether the end
mark came.

The failure rule: a child that fails, is stopped or cannot be forked costs time, not results.
What it handed over in complete frames is kept and the rest of its share is done in this process:
by the pool itself for :func:`map_ordered` and :func:`fill` (the items a child did not report;
their rows are written again with the same values), by the caller for a background job (it gets
the items and ``finished=False``). An error that happens in this process too is raised here, as
it would be without workers.
"""
from __future__ import annotations

import gc
import mmap
import os
import pickle
import signal
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, NoReturn

import numpy as np

WORKERS = max(1, min(int(os.environ.get("FTLINT_THREADS", "0") or 0) or (os.cpu_count() or 1), 4))
FORK = os.environ.get("FTLINT_FORK", "1") != "0" and sys.platform == "linux" and hasattr(os, "fork")
MIN_FORK_ITEMS = 8  # fewer items than this run in threads (a fork costs ~10-50 ms)

_END = b"\0" * 8  # the empty frame: the child's body returned


def workers(n_items: int) -> int:
    return max(1, min(WORKERS, n_items))


def mode(n_items: int) -> str:
    """'serial', 'fork' or 'threads' for this many items."""
    if workers(n_items) < 2:
        return "serial"
    return "fork" if FORK and n_items >= MIN_FORK_ITEMS else "threads"


def can_fork() -> bool:
    """Whether the settings and the platform allow a forked child beside this process."""
    return FORK and WORKERS >= 2


def empty(shape, dtype, shared: bool) -> np.ndarray:
    """An uninitialised array; in a shared anonymous mapping when ``shared`` (for fork workers)."""
    dtype = np.dtype(dtype)
    size = int(np.prod(shape)) * dtype.itemsize
    if not shared or size == 0:
        return np.empty(shape, dtype)
    buf = mmap.mmap(-1, size)  # MAP_SHARED | MAP_ANONYMOUS: children's writes are seen here
    return np.frombuffer(buf, dtype).reshape(shape)


def map_ordered(fn: Callable, items: Sequence, *, fork: bool = False) -> list:
    """[fn(x) for x in items], in order. On threads by default (``fn`` may write into this
    process's memory); with ``fork=True`` and mode 'fork', in forked children, whose results
    come back pickled (``fn`` must then only return its result)."""
    how = mode(len(items))
    if how == "serial":
        return [fn(x) for x in items]
    if how == "threads" or not fork:
        return _threads(fn, items)
    out: list = [None] * len(items)
    _forked(len(items), lambda i: fn(items[i]), out.__setitem__)
    return out


def fill(fn: Callable, inputs: Sequence, rows: Sequence[slice], outs: dict[str, np.ndarray],
         how: str | None = None) -> None:
    """For each i: ``outs[k][rows[i]] = fn(inputs[i])[k]`` for every key the result has. With
    ``how == 'fork'`` the outputs must come from :func:`empty` with ``shared=True``."""
    if len(rows) != len(inputs):
        raise ValueError(f"{len(inputs)} inputs for {len(rows)} row ranges")
    how = how or mode(len(inputs))

    def put(i: int) -> None:
        for k, v in fn(inputs[i]).items():
            outs[k][rows[i]] = v

    if how == "serial":
        for i in range(len(inputs)):
            put(i)
    elif how == "threads":
        _threads(put, range(len(inputs)))
    else:
        _forked(len(inputs), put, lambda i, res: None)


def _threads(fn: Callable, items: Sequence) -> list:
    with ThreadPoolExecutor(workers(len(items))) as executor:
        return list(executor.map(fn, items))


def _forked(n_items: int, do: Callable[[int], Any], keep: Callable[[int, Any], None]) -> None:
    """``keep(i, do(i))`` here for every item, ``do`` run by the workers: item i goes to share
    i % n; shares 1..n-1 to forked children, which send ``(i, do(i))``, share 0 to this process.
    The items a child did not hand over are done here afterwards (the failure rule)."""
    n = workers(n_items)
    shares = [range(w, n_items, n) for w in range(n)]
    enabled = gc.isenabled()
    gc.disable()  # while children live (see the module doc)
    try:
        jobs = [_spawn(partial(_send_share, do, share)) for share in shares[1:]]
        try:
            for i in shares[0]:
                keep(i, do(i))
        finally:
            ends = [job.wait() if job is not None else ([], False) for job in jobs]
        for (sent, _), share in zip(ends, shares[1:], strict=True):
            done = set()
            for i, res in sent:
                keep(i, res)
                done.add(i)
            for i in share:
                if i not in done:  # the child failed, or was not started, before item i
                    keep(i, do(i))
    finally:
        if enabled:
            gc.enable()


def _send_share(do: Callable[[int], Any], share: range, send: Callable[[Any], None]) -> None:
    for i in share:
        send((i, do(i)))


def share(fn: Callable[[int], Any], order: Sequence[int]) -> dict[int, Any]:
    """``{i: fn(i) for i in order}``, the items taken in that order by this process and one forked
    child, each taking the next one when it is free (longest first makes the two end together).
    ``fn`` must only return its result (the child's comes back pickled). In this process alone,
    in order, when the settings allow no fork or there is one item."""
    if len(order) < 2 or not can_fork():
        return {i: fn(i) for i in order}
    if max(order) >= 1 << 16 or len(order) > 16_000:
        raise ValueError("share: at most 16,000 items numbered below 65,536")  # the pipe's 64 KiB
    r, w = os.pipe()
    try:
        os.write(w, b"".join(i.to_bytes(2, "little") for i in order))
    finally:
        os.close(w)  # both readers see the end of the queue once it is empty

    def take() -> int | None:
        # a read of 2 bytes from a pipe holding whole pairs, with no writer left, returns one
        # whole pair or nothing: each item goes to exactly one process
        data = os.read(r, 2)
        return int.from_bytes(data, "little") if data else None

    def body(send: Callable[[Any], None]) -> None:
        while (i := take()) is not None:
            send((i, fn(i)))

    out: dict[int, Any] = {}
    enabled = gc.isenabled()
    gc.disable()  # while the child lives (see the module doc)
    try:
        job = _spawn(body, quiet=True)  # a failing child: its items are done here, and fail here
        try:
            while (i := take()) is not None:
                out[i] = fn(i)
        except BaseException:
            if job is not None:
                job.stop()
            raise
        if job is not None:
            for i, res in job.wait()[0]:
                out[i] = res
    finally:
        os.close(r)
        if enabled:
            gc.enable()
    for i in order:
        if i not in out:  # taken by a child that failed or was stopped before handing it over
            out[i] = fn(i)
    return out


def background(fn: Callable[[Callable[[Any], None]], object]) -> Job | None:
    """Run ``fn(send)`` in a quiet forked child at nice 19, which gets a core only when nothing
    else of this machine wants it; None if the platform or the settings allow no fork, or the
    fork fails (the caller then does the work itself). :meth:`Job.stop` gives back what it sent."""
    if not can_fork():
        return None
    return _spawn(fn, nice=True, quiet=True)


class Job:
    """A forked child and the in-memory file it writes its frames to."""
    __slots__ = ("pid", "fd")

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def stop(self) -> tuple[list, bool]:
        """Stop the child if it still runs; (the items it sent, whether its body returned)."""
        return self._end(kill=True)

    def wait(self) -> tuple[list, bool]:
        """Wait for the child to end; (the items it sent, whether its body returned)."""
        return self._end(kill=False)

    def _end(self, kill: bool) -> tuple[list, bool]:
        if self.pid == 0:
            return [], False
        try:
            if not kill:
                os.waitpid(self.pid, 0)
            elif os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = 0
        try:
            os.lseek(self.fd, 0, os.SEEK_SET)
            with os.fdopen(self.fd, "rb", closefd=True) as fh:
                data = fh.read()
        finally:
            self.fd = -1
        return _frames(data)


def fork() -> int:
    """os.fork() for every worker of ftlint: buffered output is flushed first, or the child would
    inherit it and could write it a second time."""
    # Python 3.12+ warns about fork() in a process with threads (numpy's BLAS starts some); the
    # children run ftlint's own code and exit with os._exit, taking no lock a thread of the
    # parent could hold (a failing child writes its traceback with os.write, or nothing)
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        return os.fork()


def _spawn(body: Callable[[Callable[[Any], None]], object], nice: bool = False, quiet: bool = False) -> Job | None:
    """A forked child running ``body(send)`` (the child protocol, see the module doc); None if no
    child could be started (a process limit, no memory for the page tables)."""
    try:
        fd = _file()
    except OSError:
        return None
    try:
        pid = fork()
    except OSError:
        os.close(fd)
        return None
    if pid == 0:
        _child(body, fd, nice, quiet)
    return Job(pid, fd)


def _child(body: Callable[[Callable[[Any], None]], object], fd: int, nice: bool, quiet: bool) -> NoReturn:
    """The child's whole life: work, frames, exit without the parent's cleanup."""
    code = 1
    try:
        gc.disable()
        if nice:
            os.nice(19)
        body(lambda item: _write(fd, _frame(item)))
        _write(fd, _END)
        code = 0
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001 - the parent redoes the unfinished part and reports errors
        if not quiet:
            os.write(2, f"ftlint worker {os.getpid()}: {traceback.format_exc()}".encode(errors="replace"))
    finally:
        os._exit(code)


def _file() -> int:
    try:
        return os.memfd_create("ftlint-worker", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        fd, path = tempfile.mkstemp(prefix="ftlint-worker-")
        os.unlink(path)
        return fd


def _frame(item: Any) -> bytes:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(8, "little") + data


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _frames(data: bytes) -> tuple[list, bool]:
    """The items of the complete frames, up to the first cut or damaged one; whether the end
    mark came after them."""
    items, pos, view = [], 0, memoryview(data)
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 8], "little")
        if size == 0:
            return items, True
        if pos + 8 + size > len(data):
            break  # the child was stopped in the middle of this item
        try:
            items.append(pickle.loads(view[pos + 8:pos + 8 + size]))
        except Exception:  # noqa: BLE001 - a damaged item: it and what follows are redone
            break
        pos += 8 + size
    return items, False
