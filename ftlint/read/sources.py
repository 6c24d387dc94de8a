"""Where a file's bytes come from, before the reader sees them as JSON Lines.

A Source is a path, ``-`` for standard input, an ``s3://`` object (through ftlint.read.remote), or
in-memory lines (the Python API's records). A path may be a regular file, a FIFO or a device (read once, as a stream: never cached, never read
twice), compressed with gzip, zstd, bzip2 or xz (recognised by the magic bytes, whatever the
name; zstd needs the ``zstandard`` package, ``ftlint[zstd]``), or a table (``.csv``, ``.tsv``,
``.parquet``, by name) whose rows become one JSON object a line (ftlint.read.tabular).

``open_stream`` returns the JSONL bytes plus what was found on the way (the compression, whether
the name admits it, the table kind); reading errors of a decompressor become one InputError that
names the file and the format, never a library's own exception."""
from __future__ import annotations

import errno
import io
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import IO, Any

from ftlint.errors import InputError
from ftlint.read import remote

# magic bytes -> (compression, the suffixes that say so)
COMPRESSIONS: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "gzip": (b"\x1f\x8b", (".gz", ".gzip")),
    "zstd": (b"\x28\xb5\x2f\xfd", (".zst", ".zstd")),
    "bzip2": (b"BZh", (".bz2",)),
    "xz": (b"\xfd7zXZ\x00", (".xz",)),
}
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}


def compression_of(head: bytes) -> str | None:
    """The compression whose magic bytes start ``head``, if any."""
    for name, (magic, _) in COMPRESSIONS.items():
        if head.startswith(magic):
            return name
    return None


def _strip_compression_suffix(name: str) -> tuple[str, str | None]:
    lower = name.lower()
    for kind, (_, suffixes) in COMPRESSIONS.items():
        for suffix in suffixes:
            if lower.endswith(suffix):
                return name[: -len(suffix)], kind
    return name, None


def table_kind(name: str) -> str | None:
    """'csv', 'tsv' or 'parquet' when the name says so (after any compression suffix)."""
    base, _ = _strip_compression_suffix(name)
    return TABLE_SUFFIXES.get(os.path.splitext(base)[1].lower())


@dataclass
class Opened:
    """An open source: ``stream`` yields JSONL bytes; ``raw`` is the file underneath (its
    position is the progress), ``compression`` what the magic bytes said, ``named`` whether the
    name has that compression's suffix, ``table`` the table kind, ``notes`` the problems a
    table reader found on its rows (by line)."""

    stream: IO[bytes]
    raw: IO[bytes] | None = None
    compression: str | None = None
    named: bool = True
    table: str | None = None
    notes: dict[int, Any] = field(default_factory=dict)
    owned: bool = True

    def close(self) -> None:
        if not self.owned:
            return
        for fh in (self.stream, self.raw):
            if fh is not None and fh is not sys.stdin.buffer:
                try:
                    fh.close()
                except Exception:  # noqa: BLE001 - a broken stream must not hide the real error
                    pass


@dataclass(frozen=True)
class Source:
    """A named input: a path, '-' for stdin, or in-memory lines (the Python API's records)."""

    name: str
    lines: tuple[bytes, ...] | None = None

    def open(self) -> IO[bytes]:
        """The JSONL bytes (decompressed, or a table's rows as JSON lines); close it after use."""
        opened = self.open_stream()
        if not opened.owned or opened.raw is None or opened.stream is opened.raw:
            return opened.stream
        return _Closing(opened)  # type: ignore[return-value]

    def open_stream(self, line_cap: int | None = None) -> Opened:
        if self.lines is not None:
            return Opened(io.BytesIO(b"\n".join(self.lines) + (b"\n" if self.lines else b"")))
        table = table_kind(self.name)
        if table == "parquet":
            from ftlint.read import tabular

            if not self.regular():
                raise InputError(f"{self.name}: a Parquet file must be a regular file (it is read by offsets)")
            notes: dict[int, Any] = {}
            return Opened(tabular.parquet_stream(self.name, notes), table=table, notes=notes)
        if self.name == "-":
            fh: IO[bytes] = sys.stdin.buffer
            owned = False
        elif remote.is_remote(self.name):  # s3://: through fsspec (ftlint[s3])
            fh, owned = remote.open_raw(self.name), True
        else:
            try:
                fh = open(self.name, "rb")  # noqa: SIM115 - closed by Opened.close
            except OSError as exc:
                raise InputError(describe_os_error(self.name, exc)) from None
            owned = True
        try:
            head = fh.peek(8)[:8] if hasattr(fh, "peek") else b""
        except OSError as exc:
            fh.close()
            raise InputError(describe_os_error(self.name, exc)) from None
        kind = compression_of(head)
        _, suffix_kind = _strip_compression_suffix(self.name)
        stream = fh if kind is None else decompressed(kind, fh, self.name)
        opened = Opened(stream, raw=fh, compression=kind, named=kind is None or suffix_kind is not None,
                        table=table, owned=owned)
        if table in ("csv", "tsv"):
            from ftlint.read import tabular

            opened.stream = tabular.csv_stream(stream, self.name, "\t" if table == "tsv" else ",",
                                               opened.notes, line_cap)
            opened.owned = True  # the wrapper is ours to close even over stdin
        return opened

    def size(self) -> int | None:
        if self.lines is not None or self.name == "-":
            return None
        return remote.size(self.name)  # os.stat for a local path

    def rereadable(self) -> bool:
        """Whether a second open gives the same bytes again (a file or an S3 object, not a stream)."""
        return self.regular() or remote.is_remote(self.name)

    def regular(self) -> bool:
        """A regular file on disk: it can be read twice, hashed for the cache, sized for progress."""
        if self.lines is not None or self.name == "-" or remote.is_remote(self.name):
            return False
        try:
            return stat.S_ISREG(os.stat(self.name).st_mode)
        except OSError:
            return False


class _Closing:
    """A stream whose close() also closes what lies beneath it (the file under a decompressor)."""

    def __init__(self, opened: Opened):
        self._opened = opened
        self._stream = opened.stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(self._stream)

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._opened.close()


def decompressed(kind: str, fh: IO[bytes], name: str) -> IO[bytes]:
    """A buffered stream of ``fh``'s decompressed bytes; corrupt data raises InputError."""
    if kind == "gzip":
        import gzip

        inner: Any = gzip.GzipFile(fileobj=fh)
    elif kind == "bzip2":
        import bz2

        inner = bz2.BZ2File(fh)
    elif kind == "xz":
        import lzma

        inner = lzma.LZMAFile(fh)
    else:
        try:
            import zstandard
        except ImportError:
            raise InputError(f"{name}: zstd-compressed; reading it needs the zstandard package: "
                             "pip install zstandard, the ftlint[zstd] extra (or decompress it: zstd -d FILE)") from None
        inner = zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True, closefd=False)
    return io.BufferedReader(_Guarded(inner, name, kind), buffer_size=1 << 18)


class _Guarded(io.RawIOBase):
    """Turns whatever a decompressor raises on bad data (OSError, EOFError, zlib.error,
    lzma.LZMAError, zstandard.ZstdError) into one InputError naming the file and format."""

    def __init__(self, inner: Any, name: str, kind: str):
        self._inner, self._name, self._kind = inner, name, kind
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._inner.read(len(buffer))
        except Exception as exc:  # noqa: BLE001 - every decompressor has its own error types
            raise InputError(f"{self._name}: corrupt {self._kind} data after {self._out:,} bytes of output "
                             f"({type(exc).__name__}: {exc}); re-download or re-compress the file") from None
        n = len(data)
        buffer[:n] = data
        self._out += n
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        except Exception:  # noqa: BLE001 - closing a broken stream
            pass
        super().close()


def describe_os_error(name: str, exc: OSError) -> str:
    """One sentence for an OSError on ``name``: a symlink loop and a dangling link say so."""
    if exc.errno == errno.ELOOP:
        return f"{name}: symbolic link loop (the link resolves back to itself); point it at a real file"
    if exc.errno == errno.ENOENT:
        if os.path.islink(name):
            return f"{name}: broken symbolic link (it points to {os.readlink(name)!r}, which does not exist)"
        return f"{name}: no such file"
    return f"{name}: cannot read: {exc.strerror or exc}"


def check_readable(name: str) -> None:
    """Fail early, before any output, for a path that cannot be read (exit code 2). A FIFO or a
    device is not opened here: opening a FIFO waits for its writer, and a test read would take
    bytes the reader then never sees."""
    if name == "-":
        return
    if remote.is_remote(name):
        return remote.check_readable(name)
    try:
        st = os.stat(name)
    except OSError as exc:
        raise InputError(describe_os_error(name, exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory; pass the .jsonl files inside it")
    if not stat.S_ISREG(st.st_mode):
        if not os.access(name, os.R_OK):
            raise InputError(f"{name}: cannot read: permission denied")
        return
    try:
        with open(name, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise InputError(describe_os_error(name, exc)) from None


def require_rereadable(name: str, command: str) -> None:
    """``fix`` and ``split`` read their input twice (check, then curate): a stream cannot be."""
    if not Source(name).rereadable():
        what = "standard input" if name == "-" else f"{name} (a pipe or device)"
        raise InputError(f"{command} reads its input twice, so {what} will not do; save it to a file first")


def container(name: str) -> str | None:
    """What wraps the JSON Lines of a regular file, if anything: 'gzip', 'csv', ... (None for plain
    JSONL). Writing JSONL over such a file in place would change its kind, not just its records."""
    table = table_kind(name)
    if table:
        return f"a {table.upper() if table != 'parquet' else 'Parquet'} table"
    if remote.is_remote(name):
        return None
    try:
        with open(name, "rb") as fh:
            kind = compression_of(fh.read(8))
    except OSError:
        return None
    return f"{kind}-compressed" if kind else None
