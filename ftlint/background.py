"""One function run in a forked child while this process goes on: the engine's second reader for
the costly per-record rules (FT7), so that on two cores their time overlaps the other rules'.

:func:`start` forks (Linux only; ``None`` elsewhere or when ``FTLINT_THREADS=1`` or
``FTLINT_FORK=0``); :meth:`Job.result` reads the child's pickled return value from a pipe and
reaps the child. A child that fails, is killed or sends nothing makes ``result`` return
``None``: the caller redoes the work in-process, where an error surfaces as it would have
without the child. Nothing the child prints reaches the caller's output (it writes only to its
pipe and exits with ``os._exit``, running no cleanup of the parent's)."""
from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

from ftlint.artifacts import parallel


class Job:
    __slots__ = ("pid", "fd")

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def result(self) -> Any | None:
        """The child's return value, or None if it did not deliver one. Blocks until it exits."""
        if self.pid == 0:
            return None
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            status = os.waitpid(self.pid, 0)[1]
            self.pid = 0
        if status != 0 or not chunks:
            return None
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a truncated result is redone by the caller
            return None

    def cancel(self) -> None:
        """Stop the child (the caller failed or was interrupted) and reap it."""
        if self.pid == 0:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        self.pid = 0


def available() -> bool:
    return parallel.FORK and parallel.WORKERS >= 2


def start(fn: Callable[[], Any]) -> Job | None:
    """Run ``fn()`` in a forked child; None if this platform or the settings allow no fork."""
    if not available():
        return None
    r, w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = parallel.fork()
    if pid == 0:  # the child: compute, send, exit without the parent's cleanup
        code = 1
        try:
            os.close(r)
            data = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent redoes the work and reports the error
            pass
        finally:
            os._exit(code)
    os.close(w)
    return Job(pid, r)
