"""Atomic writes: a temporary file in the target's directory, fsync, then rename, so that an
interrupted run never leaves a partial output behind.

This is the one place outputs are opened, so it is also where a missing parent folder is created
(`-o build/report.html` on a fresh checkout) and where a folder that cannot be written becomes
one clear message (exit 2) instead of an internal error."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO

from ftlint.errors import OutputError


@contextlib.contextmanager
def atomic_write_bytes(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    path = os.fspath(path)
    if os.path.isdir(path):
        raise OutputError(f"{path}: is a folder; name a file")
    if _special(path):
        # /dev/null, /dev/stdout, a FIFO: renaming a temp file over it would replace the device
        # node itself with a regular file, so such a target is written to directly
        try:
            fh = open(path, "wb")  # noqa: SIM115 - closed below; an open error is the output's fault
        except OSError as exc:
            raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
        with fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        # mkstemp creates 0600; give the output the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, path)
        except IsADirectoryError:
            raise OutputError(f"{path}: is a folder; name a file") from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
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
