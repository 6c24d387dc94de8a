"""A result cache so that a hook run on unchanged files costs almost nothing.

An entry is the findings of one unit of work: one file when no validation file is given (so a
commit that touches one of ten files re-checks one), or the whole train + validation set when
one is (pair rules compare the files). Its key hashes the files' content (never their mtime;
the stat signature only spares re-reading a file nobody touched),
their paths and roles, everything that changes findings (selected rules, their options and
severities, the dataset format, the target), the ftlint version and a fingerprint of the
installed package's files, so an upgrade or an edited rule never reuses stale results.

The folder is `.ftlint_cache/` in the working directory, or `$FTLINT_CACHE_DIR`; it holds its
own `.gitignore` and a CACHEDIR.TAG, is safe to delete at any time, and keeps at most
MAX_ENTRIES entries (least recently used go first). A cache that cannot be read or written is
skipped silently: it never changes what is reported. Standard input and in-memory records are
never cached."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from ftlint import __version__
from ftlint.config import Settings
from ftlint.finding import Finding, Severity
from ftlint.reader import Source
from ftlint.result import FileInfo, Report

ENV = "FTLINT_CACHE_DIR"
DEFAULT_DIR = ".ftlint_cache"
FORMAT = 1
MAX_ENTRIES = 2000
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by ftlint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")

Runner = Callable[[Settings, list[Source], list[Source]], Report]


def default_dir() -> Path:
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Size and mtime of every file of the installed package: an edited rule invalidates the cache."""
    root = os.path.dirname(os.path.abspath(__file__))
    seen: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                st = os.stat(path)
                seen.append(f"{os.path.relpath(path, root)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.blake2b("\n".join(sorted(seen)).encode(), digest_size=16).hexdigest()


def settings_key(settings: Settings) -> dict[str, Any]:
    """What in the settings changes the findings (fail-on and the output format do not)."""
    codes = sorted(settings.selected())
    return {"rules": {c: {"options": settings.options_for(c), "severity": settings.severity_of(c).value}
                      for c in codes},
            "dataset_format": settings.dataset_format, "target": settings.target,
            # later settings that shape findings (target overrides, tokenizer, ...), whatever they are
            "other": {k: v for k, v in vars(settings).items()
                      if k not in ("layers", "warnings", "fail_on", "output_format", "source", "rule_options",
                                   "severity_overrides", "dataset_format", "target")}}


def file_digest(path: str) -> str:
    """The content hash (SHA-1: the fastest of hashlib's here, ~0.5 GB/s; a cache key, not a seal)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha1").hexdigest()


def cacheable(source: Source) -> bool:
    # an s3:// object has no stat signature to key on, and reading it twice is the cost saved
    return source.lines is None and source.name != "-" and not source.name.startswith("s3://")


class Cache:
    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else default_dir()
        self.entries = self.folder / f"v{FORMAT}"

    def key(self, settings: Settings, files: Sequence[tuple[str, Source]]) -> str:
        doc = {"format": FORMAT, "ftlint": __version__, "code": code_fingerprint(),
               "settings": settings_key(settings),
               "files": [[role, s.name, self.digest(s.name)] for role, s in files]}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()

    def digest(self, path: str) -> str:
        """The file's content hash, remembered against its stat signature (size, mtime, ctime, inode,
        as git's index does) so that an untouched file is not read again; any write changes ctime."""
        try:
            st = os.stat(path)
        except OSError:
            return file_digest(path)
        signature = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
        note = self.entries / "stat" / hashlib.sha1(os.path.abspath(path).encode()).hexdigest()
        try:
            known_signature, known_digest = note.read_text().split()
            if known_signature == signature:
                return known_digest
        except (OSError, ValueError):
            pass
        digest = file_digest(path)
        try:
            self._prepare()
            note.parent.mkdir(exist_ok=True)
            note.write_text(f"{signature} {digest}\n")
        except OSError:
            pass
        return digest

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.entries / f"{key}.json"
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used goes first when pruning
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            self._prepare()
            from ftlint.atomic import atomic_write_bytes

            with atomic_write_bytes(self.entries / f"{key}.json") as fh:
                fh.write(orjson.dumps({"format": FORMAT, **value}, default=str))
            self._prune()
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _prepare(self) -> None:
        if self.entries.is_dir():
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# created by ftlint; safe to delete\n*\n"),
                           ("CACHEDIR.TAG", CACHEDIR_TAG)):
            target = self.folder / name
            if not target.exists():
                target.write_text(text)

    def _prune(self) -> None:
        names = [e for e in os.scandir(self.entries) if e.name.endswith(".json")]
        if len(names) <= MAX_ENTRIES:
            return
        names.sort(key=lambda e: e.stat().st_mtime_ns)
        for e in names[: len(names) - int(MAX_ENTRIES * 0.8)]:
            with contextlib.suppress(OSError):
                os.unlink(e.path)


def _dump(report: Report, offset: int) -> dict[str, Any]:
    return {"files": [f.to_dict() for f in report.files],
            "findings": [[f.code, f.name, f.severity.value, f.path, f.line, f.message, f.column,
                          list(f.related), f.data, f.file_index - offset] for f in report.findings]}


def _load(data: dict[str, Any], offset: int) -> tuple[list[Finding], list[FileInfo]]:
    findings = [Finding(code=c, name=n, severity=Severity(s), path=p, line=ln, message=m, column=col,
                        related=tuple(rel), data=d, file_index=i + offset)
                for c, n, s, p, ln, m, col, rel, d, i in data["findings"]]
    files = [FileInfo(f["path"], f["records"], f["format"], f.get("role", "train")) for f in data["files"]]
    return findings, files


def run(settings: Settings, sources: Sequence[Source], validation: Sequence[Source], runner: Runner,
        cache: Cache | None = None) -> Report:
    """Like runner(settings, sources, validation), reusing cached results for unchanged units."""
    cache = cache or Cache()
    sources, validation = list(sources), list(validation)
    if validation:
        units = [(0, sources, validation)]
    else:
        units = [(i, [s], []) for i, s in enumerate(sources)]
    findings: list[Finding] = []
    files: list[FileInfo] = []
    datasets: list[Any] = []
    for offset, train, val in units:
        everything = [("train", s) for s in train] + [("validation", s) for s in val]
        key = cache.key(settings, everything) if all(cacheable(s) for _, s in everything) else None
        hit = cache.get(key) if key else None
        if hit is not None:
            try:
                got, infos = _load(hit, offset)
            except (KeyError, TypeError, ValueError):
                hit = None
            else:
                findings.extend(got)
                files.extend(infos)
                continue
        report = runner(settings, train, val)
        if key:
            cache.put(key, _dump(report, 0))
        findings.extend(replace_index(f, f.file_index + offset) for f in report.findings)
        files.extend(report.files)
        datasets.extend(report.datasets)
    findings.sort(key=Finding.sort_key)
    return Report(findings, files, settings.fail_on, datasets=datasets)


def replace_index(f: Finding, index: int) -> Finding:
    if f.file_index == index:
        return f
    from dataclasses import replace

    return replace(f, file_index=index)
