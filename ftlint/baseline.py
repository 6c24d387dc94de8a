"""Baselines: accept today's findings, report only new ones.

`--write-baseline FILE` records the findings of a run; `--baseline FILE` drops the findings it
holds. A finding is keyed by its file (relative path), its code and a hash of its record, never by
the line number, so inserting or deleting records above a known problem does not revive it. The
record hash is taken over the record's canonical JSON (keys sorted, no whitespace) when the line
parses, else over its raw bytes; findings do not carry the record, so a second streaming pass reads
only the lines that have findings (no JSON parsing of the others). A dataset-level finding (no
line) is keyed by its file, its code and its message with numbers blanked, so a class-imbalance
finding stays accepted while the counts drift. Keys are a multiset: three accepted copies of a
finding on identical records accept three, not a fourth."""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import orjson

from ftlint import jsonout
from ftlint._version import __version__
from ftlint.errors import FtlintError, InputError
from ftlint.finding import Finding
from ftlint.read.reader import Source
from ftlint.report.paths import relative
from ftlint.result import Report

VERSION = 1
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

Key = tuple[str, str, str]


def record_hash(raw: bytes) -> str:
    try:
        canonical = orjson.dumps(orjson.loads(raw), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        canonical = raw.strip()
    return hashlib.blake2b(canonical, digest_size=10).hexdigest()


def line_hashes(source: Source, lines: Iterable[int]) -> dict[int, str]:
    """Hashes of the given lines of a source, in one pass that stops after the last one wanted."""
    wanted = set(lines)
    if not wanted:
        return {}
    if source.name == "-" and source.lines is None:
        raise InputError("--baseline and --write-baseline need files: standard input cannot be read twice")
    last = max(wanted)
    found: dict[int, str] = {}
    fh = source.open()
    try:
        for number, raw in enumerate(fh, 1):
            if number in wanted:
                raw = raw.rstrip(b"\r\n")
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                found[number] = record_hash(raw)
            if number >= last:
                break
    finally:
        fh.close()
    return found


def message_key(message: str) -> str:
    return _NUMBER.sub("#", message)


def keys(report: Report, sources: Sequence[Source]) -> list[Key]:
    """The baseline key of every finding of the report, in the report's order."""
    by_file: dict[int, set[int]] = {}
    for f in report.findings:
        if f.line is not None:
            by_file.setdefault(f.file_index, set()).add(f.line)
    hashes = {index: line_hashes(sources[index], lines) for index, lines in by_file.items()}
    out: list[Key] = []
    for f in report.findings:
        path = relative(f.path)
        if f.line is None:
            out.append((path, f.code, "message:" + message_key(f.message)))
        else:
            out.append((path, f.code, "record:" + hashes[f.file_index].get(f.line, f"line-{f.line}")))
    return out


def write(report: Report, sources: Sequence[Source], path: str | os.PathLike) -> int:
    """Write the report's findings as a baseline file; returns how many findings it holds."""
    from ftlint.atomic import atomic_write_text

    all_keys = keys(report, sources)
    counts = Counter(all_keys)
    example: dict[Key, Finding] = {}
    for k, f in zip(all_keys, report.findings, strict=True):
        example.setdefault(k, f)
    entries = []
    for (fpath, code, key), n in sorted(counts.items()):
        entries.append({"path": fpath, "code": code, "key": key, "count": n,
                        "message": example[(fpath, code, key)].message})
    data = {"version": VERSION, "tool": {"name": "ftlint", "version": __version__},
            "findings": entries}
    with atomic_write_text(path) as out:
        jsonout.dump(data, out)
    return len(report.findings)


def load(path: str | os.PathLike) -> Counter[Key]:
    try:
        with open(path, "rb") as fh:
            data: Any = orjson.loads(fh.read())
    except FileNotFoundError:
        raise InputError(f"{os.fspath(path)}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise FtlintError(f"{os.fspath(path)}: not a readable ftlint baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise FtlintError(f"{os.fspath(path)}: not an ftlint baseline (version {VERSION}); "
                          "write a new one with --write-baseline")
    counts: Counter[Key] = Counter()
    for e in data["findings"]:
        try:
            counts[(e["path"], e["code"], e["key"])] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise FtlintError(f"{os.fspath(path)}: malformed baseline entry {e!r}") from None
    return counts


def apply(report: Report, sources: Sequence[Source], accepted: Counter[Key], path: str | None = None,
          written: bool = False) -> Report:
    """The report without the findings the baseline accepts (each key as often as recorded);
    ``accepted`` on the result counts them, so that a summary can say so."""
    if not accepted or not report.findings:
        return replace(report, accepted=0, baseline=path, baseline_written=written)
    left = Counter(accepted)
    kept: list[Finding] = []
    for k, f in zip(keys(report, sources), report.findings, strict=True):
        if left[k] > 0:
            left[k] -= 1
        else:
            kept.append(f)
    return replace(report, findings=kept, accepted=len(report.findings) - len(kept), baseline=path,
                   baseline_written=written)
