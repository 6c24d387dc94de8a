"""Work done by a forked child on a spare core while this process goes on: the engine's second
reader for the costly per-record rules (FT7), so that on two cores their time hides in the
stretches where this process runs alone.

:func:`start` forks (Linux only; ``None`` elsewhere or when ``FTLINT_THREADS=1`` or
``FTLINT_FORK=0``) a child that runs ``fn(send)`` at the lowest CPU priority (nice 19): it gets
a core only when nothing else of this machine wants it, so it never slows the process that
started it. Each ``send(item)`` appends the pickled item to an in-memory file. :meth:`Job.stop`
then stops the child if it is still running and returns the items it sent and whether it
finished: the caller does the rest itself, at its own priority. So a busy machine, where the
child got little or no CPU, costs at most the work the caller would have done without a child
(plus the part of one item the child was in the middle of); and a child that fails costs only
its unfinished part. Nothing the child prints reaches the caller's output: it writes only to its
file and exits with ``os._exit``, running none of the parent's cleanup."""
from __future__ import annotations

import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from typing import Any

from ftlint.artifacts import parallel

_END = b"\0" * 8  # written after the last item when fn returns


class Job:
    __slots__ = ("pid", "fd")

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def stop(self) -> tuple[list, bool]:
        """Stop the child if it still runs; (the items it sent, whether fn returned)."""
        if self.pid == 0:
            return [], False
        try:
            if os.waitpid(self.pid, os.WNOHANG)[0] == 0:
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
        items, pos, finished = [], 0, False
        while pos + 8 <= len(data):
            size = int.from_bytes(data[pos:pos + 8], "little")
            if size == 0:
                finished = True
                break
            if pos + 8 + size > len(data):
                break  # the child was stopped in the middle of this item
            try:
                items.append(pickle.loads(data[pos + 8:pos + 8 + size]))
            except Exception:  # noqa: BLE001 - a damaged item: the caller redoes it and what follows
                break
            pos += 8 + size
        return items, finished


def available() -> bool:
    return parallel.FORK and parallel.WORKERS >= 2


def _file() -> int:
    try:
        return os.memfd_create("ftlint-background", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        fd, path = tempfile.mkstemp(prefix="ftlint-background-")
        os.unlink(path)
        return fd


def start(fn: Callable[[Callable[[Any], None]], None]) -> Job | None:
    """Run ``fn(send)`` in a forked child at nice 19; None if the platform or settings allow no
    fork (the caller then does the work itself)."""
    if not available():
        return None
    try:
        fd = _file()
    except OSError:
        return None
    try:
        pid = parallel.fork()
    except OSError:  # a process limit or no memory for the page tables: the caller does the work
        os.close(fd)
        return None
    if pid == 0:  # the child: work, write, exit without the parent's cleanup
        code = 1
        try:
            os.nice(19)

            def send(item: Any) -> None:
                data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                _write(fd, len(data).to_bytes(8, "little") + data)

            fn(send)
            _write(fd, _END)
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent does the unfinished part and reports errors
            pass
        finally:
            os._exit(code)
    return Job(pid, fd)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
