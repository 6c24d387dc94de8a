"""The Python API behind the CLI: the same settings, the same engine, no printing."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from ftlint.engine import build_engine
from ftlint.read.reader import Source, check_readable
from ftlint.result import Report
from ftlint.settings import Settings, from_options

PathsOrRecords = str | os.PathLike | Sequence[str | os.PathLike] | Iterable[Mapping[str, Any]]


def sources_of(items: PathsOrRecords, name: str = "<records>") -> list[Source]:
    """Paths (or '-') become file sources after a readability check; dicts become one in-memory file."""
    if isinstance(items, (str, os.PathLike)):
        items = [items]
    items = list(items)
    if items and all(isinstance(x, Mapping) for x in items):
        return [Source(name, tuple(encode_record(r, i) for i, r in enumerate(items, 1)))]
    paths = [os.fspath(p) for p in items]
    for p in paths:
        check_readable(p)
    return [Source(p) for p in paths]


def encode_record(record: Mapping[str, Any], number: int) -> bytes:
    """One JSON line for a record dict. What orjson refuses (a lone surrogate, an integer beyond
    64 bits, NaN, nesting past 254 levels) is written by the json module instead, as escapes and
    literals the reader then reports (FT106, FT112, FT101, FT113) like the same line in a file."""
    try:
        return orjson.dumps(dict(record))
    except TypeError:
        pass
    import json

    try:
        return json.dumps(dict(record)).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        from ftlint.errors import InputError

        raise InputError(f"record {number} cannot be written as JSON: {type(exc).__name__}: {exc}") from None


def check(paths_or_records: PathsOrRecords, *, validation: PathsOrRecords | None = None,
          select: Sequence[str] | None = None, extend_select: Sequence[str] = (),
          ignore: Sequence[str] = (), fail_on: str | None = None, target: str | None = None,
          dataset_format: str | None = None, options: Mapping[str, Mapping[str, Any]] | None = None,
          config: str | os.PathLike | None = None, discover_config: bool = False) -> Report:
    """Check files (or a list of record dicts) and return a Report.

    ``options`` maps a rule code to its options, e.g. ``{"FT202": {"threshold": 0.9}}``. The config
    file is read only when ``config`` names one or ``discover_config`` is true; a bad option raises
    :class:`ftlint.errors.ConfigError` before any data is read."""
    settings = from_options(config, discover=discover_config, select=select, extend_select=extend_select,
                            ignore=ignore, fail_on=fail_on, dataset_format=dataset_format, target=target,
                            options=options or {})
    return run(settings, sources_of(paths_or_records),
               sources_of(validation, "<validation>") if validation is not None else [])


def run(settings: Settings, sources: list[Source], validation: list[Source] = (), progress=None) -> Report:
    """``progress(path, bytes_read, size)`` is called while each file is read (for a progress bar)."""
    return build_engine(settings, progress=progress).run(sources, validation)
