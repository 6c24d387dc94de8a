"""The Python API of the curator: :func:`fix` and :func:`split`, for an orchestration step
that does not want the CLI. Same settings, same engine, same files as ``ftlint fix`` and
``ftlint split``; nothing is printed.

    import ftlint

    result = ftlint.split("tickets.jsonl", "build/split", target="claude-3-haiku",
                          validation_size=0.1, drop_invalid=True)
    result.counts            # {"train": ..., "validation": ..., "test": ..., "rejected": ...}
    result.manifest          # the manifest.json written next to the files

    fixed = ftlint.fix("tickets.jsonl", "tickets.clean.jsonl")
    fixed.dropped, fixed.changed   # per rule
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from ftlint.curate.fix import FixOptions
from ftlint.curate.fix_file import FixResult, fix_file
from ftlint.curate.split import DEFAULT_SEED, SplitOptions, SplitRefused, SplitResult, parse_size, split_file
from ftlint.errors import FtlintError
from ftlint.read.reader import Source
from ftlint.settings import from_options

__all__ = ["fix", "split", "FixResult", "SplitResult", "SplitRefused"]


def _input(path_or_records) -> str | Source:
    """A path as it is; an iterable of record dicts as an in-memory source named <records>."""
    if isinstance(path_or_records, (str, os.PathLike)):
        return os.fspath(path_or_records)
    if isinstance(path_or_records, Mapping):
        path_or_records = [path_or_records]
    try:
        records = list(path_or_records)
    except TypeError:
        raise FtlintError(f"expected a path or an iterable of record dicts, got {type(path_or_records).__name__}") from None
    bad = next((r for r in records if not isinstance(r, Mapping)), None)
    if bad is not None:
        raise FtlintError(f"records must be dicts (one JSON object each), got a {type(bad).__name__}")
    return Source("<records>", tuple(orjson.dumps(dict(r)) for r in records))


def fix(path: str | os.PathLike | Iterable[Mapping[str, Any]], output: str | os.PathLike | None = None, *,
        rejects: str | os.PathLike | None = None, in_place: bool = False, near_duplicates: bool = False,
        to: str | None = None, redact: bool = False, redact_types: Sequence[str] | None = None,
        select: Sequence[str] | None = None, extend_select: Sequence[str] = (), ignore: Sequence[str] = (),
        target: str | None = None, dataset_format: str | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None, config: str | os.PathLike | None = None,
        discover_config: bool = False, decisions: str | os.PathLike | None = None,
        manifest: str | os.PathLike | None = None, mask_rejects: bool = True,
        repair_json: bool = False) -> FixResult:
    """Curate ``path`` (a JSONL file, or an iterable of record dicts) as ``ftlint fix`` does and
    return a :class:`FixResult`.

    Writes the kept records to ``output`` (or over ``path`` with ``in_place=True``, atomically)
    and the dropped ones to ``rejects`` (default ``OUTPUT.rejected.jsonl``); with neither
    ``output`` nor ``in_place`` it is a dry run: nothing is written and ``result.records()``
    gives the curated records. ``select``/``ignore`` choose the fixes as they choose the checks.
    ``decisions`` names a review sheet from ``ftlint review``; its decisions override the fixes
    and are recorded, by line, in the rejects file and ``manifest``. Credentials found in rejected
    records are masked in the rejects file (with ``redact``, the redacted types too) unless
    ``mask_rejects=False``."""
    settings = from_options(config, discover=discover_config, select=select, extend_select=extend_select,
                            ignore=ignore, dataset_format=dataset_format, target=target, options=options or {})
    types = tuple(redact_types) if redact_types else None
    fix_options = FixOptions(near=near_duplicates, to=to, redact=redact or bool(types), redact_types=types,
                             mask_rejects=mask_rejects, repair_json=repair_json)
    return fix_file(_input(path), settings, fix_options,
                    output=os.fspath(output) if output is not None else None,
                    rejects=os.fspath(rejects) if rejects is not None else None, in_place=in_place,
                    decisions_path=os.fspath(decisions) if decisions is not None else None,
                    manifest_path=os.fspath(manifest) if manifest is not None else None)


def split(path: str | os.PathLike | Iterable[Mapping[str, Any]], out_dir: str | os.PathLike, *, validation_size: float | int | str = 0.1,
          test_size: float | int | str = 0, seed: int = DEFAULT_SEED, stratify: str = "auto",
          group: str = "near", drop_invalid: bool = False, target: str | None = None,
          select: Sequence[str] | None = None, extend_select: Sequence[str] = (), ignore: Sequence[str] = (),
          dataset_format: str | None = None, options: Mapping[str, Mapping[str, Any]] | None = None,
          config: str | os.PathLike | None = None, discover_config: bool = False,
          mask_rejects: bool = True) -> SplitResult:
    """Split ``path`` (a JSONL file, or an iterable of record dicts) into ``out_dir`` as
    ``ftlint split`` does and return a :class:`SplitResult`
    (``counts``, ``manifest``, ``notes``, ``report``).

    Raises :class:`SplitRefused` (``.report`` holds the findings) while error findings remain
    and ``drop_invalid`` is false, or when the target's record counts cannot be met; an invalid
    argument raises :class:`ftlint.errors.FtlintError`."""
    settings = from_options(config, discover=discover_config, select=select, extend_select=extend_select,
                            ignore=ignore, dataset_format=dataset_format, target=target, options=options or {})
    split_options = SplitOptions(validation_size=parse_size(validation_size, "validation_size"),
                                 test_size=parse_size(test_size, "test_size"), seed=int(seed), stratify=stratify,
                                 group=group, drop_invalid=drop_invalid, mask_rejects=mask_rejects)
    return split_file(_input(path), os.fspath(out_dir), settings, split_options)
