"""Atomic writes: a temporary file in the target's directory, fsync, then rename, so that an
interrupted run never leaves a partial output behind."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO

from ftlint import remote


@contextlib.contextmanager
def atomic_write_bytes(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    path = os.fspath(path)
    if remote.is_remote(path):  # written locally, uploaded whole when the block ends
        with remote.atomic_upload(path) as fh:
            yield fh
        return
    if _special(path):
        # /dev/null, /dev/stdout, a FIFO: renaming a temp file over it would replace the device
        # node itself with a regular file, so such a target is written to directly
        with open(path, "wb") as fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        # mkstemp creates 0600; give the output the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write_text(path: str | os.PathLike) -> Iterator[IO[str]]:
    with atomic_write_bytes(path) as raw:
        import io

        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        yield text
        text.flush()
        text.detach()


def _special(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)
