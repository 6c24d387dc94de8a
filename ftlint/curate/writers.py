"""Output files of `fix` and `split`: JSONL written atomically (temporary file in the same
directory, fsync, rename; see ftlint.atomic), names checked against what S3 accepts."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable

import orjson

from ftlint.atomic import atomic_write_bytes
from ftlint.errors import FtlintError
from ftlint.read import remote

# S3 object keys that need no special handling: letters, digits and _ - . / (bedrock.md)
S3_SAFE = re.compile(r"[A-Za-z0-9_.\-/]+")


def s3_safe(name: str) -> bool:
    return bool(S3_SAFE.fullmatch(name))


def check_s3_name(name: str) -> str:
    if not s3_safe(name):
        raise FtlintError(f"output name {name!r} has characters S3 object keys should not use; "
                          "use only letters, digits, '_', '-', '.' and '/'")
    return name


def write_jsonl(path: str | os.PathLike, lines: Iterable[bytes]) -> str:
    """Write one JSON object per line (each ending in \\n) atomically; returns the sha256."""
    digest = hashlib.sha256()
    with atomic_write_bytes(path) as fh:
        for line in lines:
            chunk = line + b"\n"
            digest.update(chunk)
            fh.write(chunk)
    return digest.hexdigest()


def write_json(path: str | os.PathLike, obj) -> str:
    data = orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    with atomic_write_bytes(path) as fh:
        fh.write(data)
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with remote.open_binary(os.fspath(path)) as fh:  # a local file, or an s3:// object
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_source(source) -> str:
    """sha256 of an input: its file, or the in-memory lines of records given to the Python API
    (as the reader sees them: one line each, newline-terminated)."""
    if source.lines is None:
        return sha256_file(source.name)
    digest = hashlib.sha256()
    for line in source.lines:
        digest.update(line + b"\n")
    return digest.hexdigest()
