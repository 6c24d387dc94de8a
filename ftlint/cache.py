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
skipped silently: it never changes what is reported. Only regular files are cached: standard
input, FIFOs, devices and in-memory records are read once and never hashed.

An entry cannot change what is reported: it is an HMAC-SHA256 of its payload, then the payload
(which names its own key and format). The HMAC key is this machine's, 32 random bytes in
`$XDG_CACHE_HOME/ftlint/cache-key` (default `~/.cache/ftlint/cache-key`, mode 0600), never in
the cache folder: a cache folder committed to a repository or copied from another machine, or
an entry edited by hand, fails the check. An entry whose MAC, key, format or field types do not
check out is a miss, recomputed and overwritten; without a key file (an unwritable home) the
cache is not used. ftlint never follows a symbolic link in the cache: a cache folder, entry
folder or entry that is a link is not used, so a planted link cannot make ftlint read, write or
delete anything outside the folder."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from ftlint._version import __version__
from ftlint.finding import Finding, Severity
from ftlint.read.reader import Source
from ftlint.result import FileInfo, Report
from ftlint.settings import Settings

ENV = "FTLINT_CACHE_DIR"
DEFAULT_DIR = ".ftlint_cache"
FORMAT = 2  # 2: entries carry their digest and key (v1 entries are never read)
MAX_ENTRIES = 2000
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by ftlint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")

Runner = Callable[[Settings, list[Source], list[Source]], Report]


def default_dir() -> Path:
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


_ENTRY_NAME = re.compile(r"[A-Za-z0-9_-]+\.json")


@functools.lru_cache(maxsize=1)
def code_fingerprint(root: str | None = None) -> str:
    """Size and mtime of every module of the installed package, and the content of its data
    files (the target profiles in profiles.toml, the schemas): an edited rule or figure
    invalidates the cache."""
    root = root or os.path.dirname(os.path.abspath(__file__))
    seen: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".py"):
                st = os.stat(path)
                seen.append(f"{os.path.relpath(path, root)}:{st.st_size}:{st.st_mtime_ns}")
            elif name.endswith((".json", ".toml")):  # small: their content, not their mtime
                seen.append(f"{os.path.relpath(path, root)}:{file_digest(path)}")
    return hashlib.blake2b("\n".join(sorted(seen)).encode(), digest_size=16).hexdigest()


KEY_BYTES = 32


@functools.lru_cache(maxsize=4)
def machine_key(base: str | None = None) -> bytes | None:
    """This machine's HMAC key for cache entries (created on first use); None if it cannot be had."""
    base = base or os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "ftlint" / "cache-key"
    for _ in range(2):
        try:
            data = _read_nofollow(path)
            return data if len(data) == KEY_BYTES else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_BYTES))
        except FileExistsError:
            continue  # another process made it first: read theirs
        except OSError:
            return None
    return None


def _mac(data: bytes) -> bytes | None:
    key = machine_key(os.environ.get("XDG_CACHE_HOME"))
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode() if key else None


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
    """Only a regular file: hashing a FIFO or a device for the key would consume what the check
    then needs to read (and /dev/zero never ends); an s3:// object has no stat signature to key
    on, and reading it twice is the cost saved."""
    return source.regular()


class Cache:
    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else default_dir()
        self.entries = self.folder / f"v{FORMAT}"

    def key(self, settings: Settings, files: Sequence[tuple[str, Source]]) -> str:
        doc = {"format": FORMAT, "ftlint": __version__, "code": code_fingerprint(),
               "settings": settings_key(settings),
               # a tokenizer file changes FT602's counts: its content, not only its path
               "tokenizer": self._optional_digest(settings.tokenizer),
               "files": [[role, s.name, self.digest(s.name)] for role, s in files]}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()

    def _optional_digest(self, path: str | None) -> str | None:
        if not path:
            return None
        try:
            return self.digest(path)
        except OSError:
            return "unreadable"  # the run itself reports it

    def digest(self, path: str) -> str:
        """The file's content hash, remembered against its stat signature (size, mtime, ctime, inode,
        as git's index does) so that an untouched file is not read again; any write changes ctime."""
        try:
            st = os.stat(path)
        except OSError:
            return file_digest(path)
        signature = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
        note = self.entries / "stat" / hashlib.sha1(os.path.abspath(path).encode()).hexdigest()
        record = f"{os.path.abspath(path)} {signature}"
        if self._usable():
            try:
                known_signature, known_digest, mac = _read_nofollow(note).split()
                if (known_signature.decode() == signature and re.fullmatch(rb"[0-9a-f]{40}", known_digest)
                        and hmac.compare_digest(mac, _mac(f"{record} {known_digest.decode()}".encode()) or b"")):
                    return known_digest.decode()
            except (OSError, ValueError, UnicodeDecodeError):
                pass
        digest = file_digest(path)
        mac = _mac(f"{record} {digest}".encode())
        try:
            if mac and self._prepare() and _real_dir(note.parent, create=True):
                from ftlint.atomic import atomic_write_bytes

                with atomic_write_bytes(note) as fh:  # a rename replaces a planted link, never follows it
                    fh.write(f"{signature} {digest} ".encode() + mac + b"\n")
        except OSError:
            pass
        return digest

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry's payload, or None for a miss: absent, unreadable, or failing its checks."""
        if not self._usable():
            return None
        path = self.entries / f"{key}.json"
        try:
            blob = _read_nofollow(path)
        except OSError:
            return None
        mac, _, payload = blob.partition(b"\n")
        if not hmac.compare_digest(mac, _mac(payload) or b""):
            return None
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        with contextlib.suppress(OSError, NotImplementedError):
            os.utime(path, follow_symlinks=False)  # least recently used goes first when pruning
        return data

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            payload = orjson.dumps({"format": FORMAT, "key": key, **value}, default=str)
            mac = _mac(payload)
            if mac is None or not self._prepare():
                return
            from ftlint.atomic import atomic_write_bytes

            with atomic_write_bytes(self.entries / f"{key}.json") as fh:
                fh.write(mac + b"\n" + payload)
            self._prune()
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _usable(self) -> bool:
        """The folder and its entry folder are real folders (not links), or not there yet."""
        return all(_real_dir(p) is not False for p in (self.folder, self.entries))

    def _prepare(self) -> bool:
        """Create the folders (never through a link); False when the cache must not be used."""
        if _real_dir(self.folder) is False:
            return False
        if not _real_dir(self.folder, create=True) or not _real_dir(self.entries, create=True):
            return False
        for name, text in ((".gitignore", "# created by ftlint; safe to delete\n*\n"),
                           ("CACHEDIR.TAG", CACHEDIR_TAG)):
            with contextlib.suppress(FileExistsError):
                fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
                with os.fdopen(fd, "w") as fh:
                    fh.write(text)
        return True

    def _prune(self) -> None:
        names = [e for e in os.scandir(self.entries)
                 if _ENTRY_NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
        if len(names) <= MAX_ENTRIES:
            return
        names.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        for e in names[: len(names) - int(MAX_ENTRIES * 0.8)]:
            with contextlib.suppress(OSError):
                os.unlink(e.path)


def _real_dir(path: Path, create: bool = False) -> bool | None:
    """True for a real folder, False for anything else that is there (a link, a file), None
    when nothing is there (created first with ``create``)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if not create:
            return None
        os.makedirs(path, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


def _read_nofollow(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(f"{path}: not a regular file")
        return fh.read()


def _dump(report: Report, offset: int) -> dict[str, Any]:
    return {"files": [f.to_dict() for f in report.files],
            "findings": [[f.code, f.name, f.severity.value, f.path, f.line, f.message, f.column,
                          list(f.related), f.data, f.file_index - offset] for f in report.findings]}


def _load(data: dict[str, Any], offset: int, names: list[str]) -> tuple[list[Finding], list[FileInfo]]:
    """The findings and files of an entry; ValueError when any field is not what _dump writes
    (so that a damaged entry is a miss, not a TypeError later in sorting or rendering)."""
    from ftlint.rules import REGISTRY

    files = data["files"]
    if not isinstance(files, list) or [f.get("path") if isinstance(f, dict) else None for f in files] != names:
        raise ValueError("files")
    infos = []
    for f in files:
        records, fmt, role = f["records"], f["format"], f.get("role", "train")
        if not (_int(records) and (fmt is None or isinstance(fmt, str)) and role in ("train", "validation")):
            raise ValueError("file")
        infos.append(FileInfo(f["path"], records, fmt, role))
    findings = []
    if not isinstance(data["findings"], list):
        raise ValueError("findings")
    for c, n, s, p, ln, m, col, rel, d, i in data["findings"]:
        if not (c in REGISTRY and n == REGISTRY[c].name and isinstance(m, str) and p in names
                and (ln is None or (_int(ln) and ln >= 1)) and _int(col) and _int(i) and 0 <= i < len(names)
                and isinstance(rel, list) and all(_int(x) for x in rel) and isinstance(d, dict)):
            raise ValueError("finding")
        findings.append(Finding(code=c, name=n, severity=Severity(s), path=p, line=ln, message=m, column=col,
                                related=tuple(rel), data=d, file_index=i + offset))
    return findings, infos


def _int(value: Any) -> bool:
    return type(value) is int


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
                got, infos = _load(hit, offset, [s.name for _, s in everything])
            except (KeyError, TypeError, ValueError, AttributeError):
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
