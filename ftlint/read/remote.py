"""The one place ftlint reads and writes files that may be remote (``s3://bucket/key``).

Local paths go to the ordinary file system. ``s3://`` goes through fsspec and s3fs (the
``ftlint[s3]`` extra), which follow the usual AWS credential chain (environment, shared config
and credentials files, SSO, container and instance roles) and ``AWS_ENDPOINT_URL`` (a local S3
such as moto or MinIO). ftlint never calls any other AWS service.

The reader (``Source.open``, ``Source.size``, ``check_readable``), the atomic writer and the
splitter's output folder each call in here for an ``s3://`` path; nothing else in ftlint knows
about S3. Writes to S3 are complete or absent: the output is written to a local temporary file
first and uploaded only once it is whole (:func:`atomic_upload`), in one PUT or in a multipart
upload that S3 assembles only when it is completed, so an interrupted run leaves no partial
object behind, and an earlier object of the same name stays as it was."""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ftlint.errors import ConfigError, InputError

SCHEME = "s3://"
GZIP_MAGIC = b"\x1f\x8b"
# files at least this large go up as a multipart upload of parts this size (S3's minimum part
# is 5 MiB); the object exists only once S3 has every part and the upload is completed
PART_SIZE = 16 << 20


def is_remote(path: Any) -> bool:
    return isinstance(path, str) and path.startswith(SCHEME)


def _fs() -> Any:
    try:
        import fsspec
        import s3fs  # noqa: F401 - fsspec finds it by the protocol; imported here for a clear message
    except ImportError:
        raise ConfigError("s3:// paths need fsspec and s3fs: pip install 'ftlint[s3]'") from None
    # botocore reads AWS_ENDPOINT_URL itself; passing it on keeps s3fs releases that build their
    # own client configuration pointed at the same endpoint
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    options: dict[str, Any] = {"client_kwargs": {"endpoint_url": endpoint}} if endpoint else {}
    return fsspec.filesystem("s3", **options)


def _key(path: str) -> str:
    return path[len(SCHEME):]


def _failed(path: str, exc: Exception, doing: str) -> InputError:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return InputError(f"{path}: cannot {doing}: {reason}")


# ---------------------------------------------------------------------------- reading

def check_readable(path: str) -> None:
    """Fail early (exit 2) for an S3 object that does not exist or cannot be read."""
    fs = _fs()
    try:
        if fs.isdir(_key(path)):
            raise InputError(f"{path}: is a prefix (a folder); pass the .jsonl objects in it")
        if not fs.exists(_key(path)):
            raise InputError(f"{path}: no such object")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - botocore's errors: credentials, permissions, endpoint
        raise _failed(path, exc, "read") from None


def open_raw(path: str) -> io.BufferedReader:
    """A buffered binary stream over the object's bytes as stored (ftlint.read.sources recognises and
    decompresses compressed objects by their magic bytes, as for local files)."""
    fs = _fs()
    try:
        fh = fs.open(_key(path), "rb")
    except Exception as exc:  # noqa: BLE001
        raise _failed(path, exc, "read") from None
    return io.BufferedReader(fh, buffer_size=1 << 20)


def open_stream(path: str) -> IO[bytes]:
    """A binary stream over the object, decompressed when it is gzip; the caller closes it."""
    buffered = open_raw(path)
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        import gzip

        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


def size(path: str) -> int:
    if not is_remote(path):
        return os.stat(path).st_size
    fs = _fs()
    try:
        return int(fs.size(_key(path)))
    except FileNotFoundError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _failed(path, exc, "read") from None


@contextlib.contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """The raw bytes, seekable (an S3 object is read in ranges as they are needed)."""
    if not is_remote(path):
        with open(path, "rb") as fh:
            yield fh
        return
    fs = _fs()
    try:
        fh = fs.open(_key(path), "rb")
    except FileNotFoundError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _failed(path, exc, "read") from None
    with fh:
        yield fh


def exists(path: str) -> bool:
    if not is_remote(path):
        return os.path.exists(path)
    try:
        return bool(_fs().exists(_key(path)))
    except Exception as exc:  # noqa: BLE001 - no credentials, no network: one message, exit 2
        raise _failed(path, exc, "read") from None


# ---------------------------------------------------------------------------- writing

@contextlib.contextmanager
def atomic_upload(path: str) -> Iterator[IO[bytes]]:
    """Write to a local temporary file; upload it to ``path`` only when the block ends without
    an exception. Nothing reaches S3 before then, so an interrupted write leaves no object."""
    fd, tmp = tempfile.mkstemp(prefix=".ftlint-upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        upload(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def upload(local: str, path: str) -> None:
    """Put the finished local file at ``path``: one PUT, or a multipart upload of PART_SIZE
    parts that S3 makes visible only when it is completed (and that s3fs aborts on failure)."""
    fs = _fs()
    try:
        fs.put_file(local, _key(path), chunksize=PART_SIZE)
    except Exception as exc:  # noqa: BLE001
        raise _failed(path, exc, "write") from None


def write_bytes(path: str, data: bytes) -> None:
    """Write a small output (a manifest, job.json) whole, in one PUT."""
    fs = _fs()
    try:
        fs.pipe_file(_key(path), data)
    except Exception as exc:  # noqa: BLE001
        raise _failed(path, exc, "write") from None


def prepare_output_folder(folder: str, names: Iterable[str]) -> None:
    """Make ready the folder a set of outputs is written into: create a local one; for an S3
    prefix, remove earlier objects of these names (S3 has no folders to create), so that no
    stale file from an earlier run sits beside the new ones."""
    if not is_remote(folder):
        os.makedirs(folder, exist_ok=True)
        return
    fs = _fs()
    stale = [_key(folder.rstrip("/") + "/" + name) for name in names]
    try:
        present = [k for k in stale if fs.exists(k)]
        if present:
            fs.rm(present)
    except Exception as exc:  # noqa: BLE001
        raise _failed(folder, exc, "write") from None
