"""The one place ftlint reads and writes files that may be remote (``s3://bucket/key``).

Local paths go to the ordinary file system. ``s3://`` goes through fsspec and s3fs (the
``ftlint[s3]`` extra), which follow the usual AWS credential chain (environment, profile, SSO,
instance role) and ``AWS_ENDPOINT_URL`` (a local S3 such as moto or MinIO). ftlint never calls
any other AWS service.

Writes to S3 are complete or absent: an output is written to a local temporary file first and
uploaded only once it is whole (:func:`upload`), so an interrupted run leaves no partial object
behind."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import IO, Any

from ftlint.errors import ConfigError, InputError

SCHEME = "s3://"


def is_remote(path: str | os.PathLike) -> bool:
    return isinstance(path, str) and path.startswith(SCHEME)


def _fs() -> Any:
    try:
        import fsspec
        import s3fs  # noqa: F401 - fsspec finds it by the protocol; imported here for a clear message
    except ImportError:
        raise ConfigError("s3:// paths need fsspec and s3fs: pip install 'ftlint[s3]'") from None
    # AWS_ENDPOINT_URL is honoured by botocore itself; passing it on keeps older s3fs releases,
    # which build their own client config, pointed at the same endpoint
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    options = {"client_kwargs": {"endpoint_url": endpoint}} if endpoint else {}
    return fsspec.filesystem("s3", **options)


def _key(path: str) -> str:
    return path[len(SCHEME):]


def size(path: str) -> int:
    if is_remote(path):
        try:
            return int(_fs().size(_key(path)))
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc}") from None
    return os.stat(path).st_size


@contextlib.contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """The file's bytes, seekable (S3 objects are read in ranges as they are needed)."""
    if is_remote(path):
        with _fs().open(_key(path), "rb") as fh:
            yield fh
    else:
        with open(path, "rb") as fh:
            yield fh


def exists(path: str) -> bool:
    if is_remote(path):
        return bool(_fs().exists(_key(path)))
    return os.path.exists(path)


def write_bytes(path: str, data: bytes) -> None:
    """Write a small output (a manifest, job.json) to S3 whole: one PUT of the finished bytes."""
    try:
        _fs().pipe_file(_key(path), data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc}") from None


def upload(local: str, path: str) -> None:
    """Put the finished local file ``local`` at the S3 location ``path`` in one operation (a
    single PUT, or a multipart upload that S3 assembles only when completed)."""
    try:
        _fs().put_file(local, _key(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc}") from None
