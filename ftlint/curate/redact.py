"""Redaction: replace personal data and credentials in a record with typed placeholders.

    >>> from ftlint.curate.redact import redact_record
    >>> rec = {"prompt": "Mail jo@shop.example.org or call +1 415-555-0142", "completion": "Done."}
    >>> new, counts = redact_record(rec, "prompt-completion")
    >>> new["prompt"]
    'Mail [EMAIL] or call [PHONE]'
    >>> dict(counts)
    {'email': 1, 'phone': 1}

``redact_record(obj, fmt, types)`` is the building block of ``ftlint fix --redact`` (the command
wires it in; ``--redact-types`` is ``types``): it uses the same detectors as the pii and secret rules
(ftlint.privacy), so whatever the rules report, redaction replaces, with the same allow-list and
skipped fields. Placeholders by type: [EMAIL], [PHONE], [CARD], [SSN], [IBAN], [NATIONAL_ID], [IP],
[SECRET] (ftlint.privacy.PLACEHOLDERS). Only the record's text fields (what the model reads or
learns: prompt, completion, turns, system prompt) are rewritten; the input object is not modified.
"""
from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import orjson

from ftlint import formats
from ftlint.privacy import ALL_TYPES, DEFAULT_REGIONS, PII_TYPES, PLACEHOLDERS, Match, find_pii, find_secrets, mask
from ftlint.privacy.fields import AllowList, checked_fields

_PART = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([A-Za-z_][A-Za-z0-9_]*)')


def redact_record(obj: dict, fmt: str, types: Iterable[str] = ALL_TYPES, *,
                  regions: tuple[str, ...] = DEFAULT_REGIONS, allow: Iterable[str] = (),
                  skip_fields: Iterable[str] = (), min_entropy: float = 3.0) -> tuple[dict, Counter[str]]:
    """A copy of ``obj`` (a valid record of format ``fmt``) with every found value of ``types``
    replaced by its placeholder, and the number of replacements per type.

    ``types`` are names from ftlint.privacy.ALL_TYPES: the PII types (``email``, ``phone``,
    ``card``, ``ssn``, ``iban``, ``national-id``, ``ip``) and ``secret`` for every credential
    kind. ``allow`` and ``skip_fields`` mean what the pii/secret options of those names mean.
    A record without anything to replace is returned as is (the same object), with empty counts.
    Raises ValueError for an unknown type or format."""
    wanted = tuple(types)
    unknown = [t for t in wanted if t not in PLACEHOLDERS]
    if unknown:
        raise ValueError(f"unknown redaction type {unknown[0]!r}; known types: {', '.join(ALL_TYPES)}")
    pii_types = tuple(t for t in wanted if t in PII_TYPES)
    allowed = AllowList(allow)
    skip = frozenset(skip_fields)
    example = formats.normalize(fmt, obj, 0)
    counts: Counter[str] = Counter()
    edits: list[tuple[str, str]] = []
    for path, text in checked_fields(example, skip):
        matches: list[Match] = find_pii(text, pii_types, regions) if pii_types else []
        if "secret" in wanted:
            matches += find_secrets(text, min_entropy)
        matches = [m for m in matches if m.value not in allowed]
        if matches:
            edits.append((path, _replace(text, matches, counts)))
    if not edits:
        return obj, counts
    new = copy.deepcopy(obj)
    for path, text in edits:
        _set(new, path, text)
    return new, counts


def redact_text(text: str, types: Iterable[str] = ALL_TYPES, *, regions: tuple[str, ...] = DEFAULT_REGIONS,
                min_entropy: float = 3.0) -> tuple[str, Counter[str]]:
    """``text`` with every found value of ``types`` replaced by its placeholder, and the counts."""
    wanted = tuple(types)
    pii_types = tuple(t for t in wanted if t in PII_TYPES)
    matches = find_pii(text, pii_types, regions) if pii_types else []
    if "secret" in wanted:
        matches += find_secrets(text, min_entropy)
    counts: Counter[str] = Counter()
    return (_replace(text, matches, counts) if matches else text), counts


def _replace(text: str, matches: list[Match], counts: Counter[str], masking: bool = False) -> str:
    # secrets first, then by position: a credential that contains something e-mail-like is one secret
    chosen: list[Match] = []
    for m in sorted(matches, key=lambda m: (m.type != "secret", m.start)):
        if not any(c.start < m.end and m.start < c.end for c in chosen):
            chosen.append(m)
    out, pos = [], 0
    for m in sorted(chosen, key=lambda m: m.start):
        out.append(text[pos:m.start])
        out.append(mask(m.value, m.detail or m.type) if masking else PLACEHOLDERS[m.type])
        counts[m.type] += 1
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def _set(obj: Any, path: str, value: str) -> None:
    parts: list[Any] = []
    for m in _PART.finditer(path):
        index, quoted, ident = m.groups()
        parts.append(int(index) if index is not None else (json.loads(f'"{quoted}"') if quoted is not None else ident))
    target = obj
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value


def mask_raw(raw: bytes, types: Iterable[str] = ("secret",), *, regions: tuple[str, ...] = DEFAULT_REGIONS,
             allow: Iterable[str] = (), min_entropy: float = 3.0) -> tuple[bytes, Counter[str]]:
    """A rejected line with every found value of ``types`` masked as reports mask it
    (``aws-access-key-id ****MPLE``, ftlint.privacy.mask), and the counts per type.

    Every string of the record is searched, not only its text fields (a rejected line may be
    broken or of no known format); a line that is not JSON is searched as text. A line without a
    find is returned as it is (the same bytes)."""
    wanted = tuple(types)
    pii_types = tuple(t for t in wanted if t in PII_TYPES)
    allowed = AllowList(allow)
    counts: Counter[str] = Counter()

    def masked(text: str) -> str:
        matches: list[Match] = find_pii(text, pii_types, regions) if pii_types else []
        if "secret" in wanted:
            matches += find_secrets(text, min_entropy)
        matches = [m for m in matches if m.value not in allowed]
        return _replace(text, matches, counts, masking=True) if matches else text

    try:
        new_raw = orjson.dumps(_walk(orjson.loads(raw), masked))
    except (orjson.JSONDecodeError, orjson.JSONEncodeError, RecursionError):
        # not JSON, or nested deeper than orjson writes: search the line as text
        counts.clear()
        new_raw = masked(raw.decode("utf-8", "replace")).encode()
    return (new_raw if counts else raw), counts


def _walk(value: Any, fn) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    return value
