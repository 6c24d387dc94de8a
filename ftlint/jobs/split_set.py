"""Whether the files a job request names are one finished `ftlint split` set. On S3 a set cannot
be renamed into place as a whole: `split` removes its earlier outputs, uploads each file whole
and writes manifest.json last, so the manifest is what says the set is finished, and its
sha256 per file says which run each file comes from. :func:`verify` reads that back before
`ftlint job --verify` names the files in a request, so a job never trains on half of an interrupted
split, or on a train file from one run beside a validation file from another."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath

from ftlint.errors import InputError
from ftlint.read import remote

MANIFEST = "manifest.json"
# beside a train file, one of these says it was written by `ftlint split` (a set in progress has
# no manifest yet; data uploaded by other means has neither)
_SPLIT_ONLY = ("rejected.jsonl",)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with remote.open_binary(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _folder(path: str) -> str:
    return posixpath.dirname(path) if remote.is_remote(path) else os.path.dirname(path)


def _join(folder: str, name: str) -> str:
    return f"{folder.rstrip('/')}/{name}" if remote.is_remote(folder) else os.path.join(folder, name)


def verify(paths: list[str]) -> list[str]:
    """The files of ``paths`` that sit beside a split manifest, checked against it; raises
    :class:`InputError` naming the first file that does not belong to a finished set. Files
    that no `ftlint split` wrote (no manifest and no rejected.jsonl beside them) are left alone.
    Returns the paths checked."""
    checked = []
    for path in paths:
        folder = _folder(path)
        name = posixpath.basename(path)
        manifest_path = _join(folder, MANIFEST)
        if not remote.exists(manifest_path):
            if any(remote.exists(_join(folder, other)) for other in _SPLIT_ONLY):
                raise InputError(f"{path}: the split set in {folder} has no {MANIFEST}: the split that wrote it "
                                 "is unfinished or was interrupted; run `ftlint split` again")
            continue
        try:
            with remote.open_binary(manifest_path) as fh:
                outputs = json.loads(fh.read())["outputs"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{manifest_path}: not a manifest written by `ftlint split` ({exc})") from None
        entry = outputs.get(name) if isinstance(outputs, dict) else None
        if not isinstance(entry, dict) or "sha256" not in entry:
            raise InputError(f"{path}: {MANIFEST} beside it does not list {name}: the file is not part of that "
                             "split set")
        if _sha256(path) != entry["sha256"]:
            raise InputError(f"{path}: its sha256 is not the one {MANIFEST} records: the file was changed or "
                             "comes from another run of `ftlint split`; split again")
        checked.append(path)
    return checked
