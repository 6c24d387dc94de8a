"""Atomic writes: a temporary file in the target's directory, fsync, then rename, so that an
interrupted run never leaves a partial output behind.

This is the one place outputs are opened, so it is also where a missing parent folder is created
(`-o build/report.html` on a fresh checkout) and where a folder that cannot be written becomes
one clear message (exit 2) instead of an internal error."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from ftlint.errors import OutputError
from ftlint.read import remote


@contextlib.contextmanager
def atomic_write_bytes(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    path = os.fspath(path)
    if remote.is_remote(path):  # written locally, uploaded whole when the block ends
        with remote.atomic_upload(path) as fh:
            yield fh
        return
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


# ---------------------------------------------------------------------------- a set of files

_STAGE = re.compile(r"^\.(?P<name>.+)\.ftlint-(?P<kind>new|old)-(?P<pid>\d+)-[A-Za-z0-9_]+$")


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike, own: Callable[[str], bool]) -> Iterator[str]:
    """Write a set of files as one: yields an empty staging folder next to ``path``; when the
    block ends normally the staging folder replaces ``path`` whole (two renames), so a reader
    never sees a new train.jsonl next to an old validation.jsonl.

    ``own(name)`` says which entries of an existing ``path`` a previous run wrote: anything else
    refuses the write (the folder is replaced, and a user's own file must not vanish with it).
    Leftovers of a killed run (staging folders, the previous set moved aside) are cleaned first;
    if a run was killed between the two renames, the previous set is put back before anything."""
    path = os.path.realpath(os.fspath(path))  # a symlinked folder: replace what it points at
    parent, name = os.path.split(path)
    try:
        os.makedirs(parent, exist_ok=True)
        _recover(parent, name, path)
        if os.path.lexists(path):
            if not os.path.isdir(path):
                raise OutputError(f"{path}: is a file; name a folder")
            foreign = sorted(n for n in os.listdir(path) if not own(n))
            if foreign:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise OutputError(f"{path}: holds files this command did not write ({shown}); the folder is "
                                  "replaced as a whole, so name a new or empty folder, or move them")
        stage = tempfile.mkdtemp(dir=parent, prefix=f".{name}.ftlint-new-{os.getpid()}-")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes 0700; a folder gets what mkdir would give
        yield stage
        _fsync_dir(stage)
        if os.path.lexists(path):
            old = tempfile.mkdtemp(dir=parent, prefix=f".{name}.ftlint-old-{os.getpid()}-")
            os.rename(path, os.path.join(old, "set"))
            os.rename(stage, path)
            _fsync_dir(parent)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(stage, path)
            _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _recover(parent: str, name: str, path: str) -> None:
    """Clean what a killed run left next to ``path``; put the previous set back if it was moved
    aside and the new one never arrived. A run still alive (its pid) is left alone."""
    for entry in sorted(os.listdir(parent)):
        m = _STAGE.match(entry)
        if not m or m["name"] != name:
            continue
        pid = int(m["pid"])
        if pid != os.getpid() and _alive(pid):
            raise OutputError(f"{path}: another ftlint run (pid {pid}) is writing this folder; wait for it")
        leftover = os.path.join(parent, entry)
        moved = os.path.join(leftover, "set")
        if m["kind"] == "old" and os.path.isdir(moved) and not os.path.lexists(path):
            os.rename(moved, path)
        shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
