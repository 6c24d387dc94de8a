"""Record formats: detection (candidates), validation against schemas/<format>.schema.json
(is_valid, fast; schema_errors, precise) and normalization of a valid record to an Example."""
from __future__ import annotations

from typing import Any

from ftlint.formats.detect import FORMATS, candidates
from ftlint.formats.messages import schema_errors as _schema_errors
from ftlint.formats.messages import schema_problems as _schema_problems
from ftlint.formats.normalize import builders, normalize
from ftlint.formats.schema import checker as _checker
from ftlint.formats.schema import is_valid as _is_valid
from ftlint.formats.schema import load_schema

__all__ = ["FORMATS", "candidates", "checker", "is_valid", "schema_errors", "schema_problems", "normalize", "builders", "load_schema"]

_KNOWN = frozenset(FORMATS)


def _known(fmt: str) -> None:
    # "report" has a schema too, but it is not a record format
    if fmt not in _KNOWN:
        raise ValueError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")


def is_valid(fmt: str, obj: Any) -> bool:
    """Whether ``obj`` matches the format's schema (fastjsonschema, compiled once per format)."""
    _known(fmt)
    return _is_valid(fmt, obj)


def schema_errors(fmt: str, obj: Any, limit: int = 3) -> list[str]:
    """Up to ``limit`` one-line messages, each naming the JSON path, most relevant first."""
    _known(fmt)
    return _schema_errors(fmt, obj, limit)


def schema_problems(fmt: str, obj: Any, limit: int = 3) -> list[tuple[str, list[str | int]]]:
    """As schema_errors, each message with the JSON path (keys and indices) it is about."""
    _known(fmt)
    return _schema_problems(fmt, obj, limit)


def checker(fmt: str):
    """``obj -> bool`` for one format, without per-call lookups (the engine's hot path)."""
    _known(fmt)
    return _checker(fmt)
