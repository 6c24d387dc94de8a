"""Where a value sits in a JSON line: the column a finding about one field points at.

A rule names the field by its JSON path (``Problem.json_path``, e.g. ``messages[1].content``);
the engine turns it into a column only for the findings it reports, never for every record. The
walk follows the path through the text with the json module's C scanner: a key is read with
``scanstring`` and every value off the path is skipped with ``raw_decode``, so a finding costs
a few C calls per level, whatever the size of the values it passes."""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from json.decoder import scanstring

_WS = re.compile(r"[ \t\n\r]*")
_skip = json.JSONDecoder().raw_decode


def value_offset(text: str, parts: Sequence[str | int]) -> int | None:
    """The character offset of the value at ``parts`` (keys and indices) in the JSON ``text``,
    or None when the text has no such value. With duplicate keys, the first one counts."""
    ws = _WS.match
    try:
        i = ws(text, 0).end()
        for part in parts:
            c = text[i]
            if c == "{" and isinstance(part, str):
                i = ws(text, i + 1).end()
                while True:
                    if text[i] != '"':
                        return None  # "}" (no such key) or not JSON
                    key, i = scanstring(text, i + 1)
                    i = ws(text, i).end()
                    if text[i] != ":":
                        return None
                    i = ws(text, i + 1).end()
                    if key == part:
                        break
                    i = _next(text, i)
            elif c == "[" and type(part) is int:
                i = ws(text, i + 1).end()
                for _ in range(part):
                    i = _next(text, i)
                if text[i] == "]":
                    return None
            else:
                return None
        return i
    except (ValueError, IndexError, TypeError):  # truncated, not JSON, or past the end
        return None


def _next(text: str, i: int) -> int:
    """Skip the value at ``i`` and the comma after it: the start of the next item."""
    _, i = _skip(text, i)
    i = _WS.match(text, i).end()
    if text[i] != ",":
        raise ValueError("no next item")
    return _WS.match(text, i + 1).end()


def column(raw: bytes, path: str | Sequence[str | int] | None) -> int:
    """The 1-based character column of the value at ``path`` in ``raw``; 1 when not found."""
    if not path:
        return 1
    if isinstance(path, str):
        path = _parts(path)
        if path is None:
            return 1
    offset = value_offset(raw.decode("utf-8", "replace"), path)
    return 1 if offset is None else offset + 1


@functools.lru_cache(maxsize=1024)
def _parts(path: str) -> tuple[str | int, ...] | None:
    # the same few paths (completion, messages[3].content) come back for every finding
    from ftlint.formats.messages import parse_path

    try:
        return tuple(parse_path(path))
    except ValueError:
        return None


def key_column(raw: bytes, key: str, occurrence: int = 2) -> int:
    """The column of the ``occurrence``-th time ``key`` appears as an object key (for FT109's
    duplicate); 1 when not found."""
    seen = 0
    for m in re.finditer(rb'"(?:[^"\\]|\\.)*"\s*:', raw):
        try:
            name = json.loads(m.group()[:m.group().rindex(b'"') + 1])
        except ValueError:
            continue
        if name == key:
            seen += 1
            if seen == occurrence:
                return len(raw[:m.start()].decode("utf-8", "replace")) + 1
    return 1
