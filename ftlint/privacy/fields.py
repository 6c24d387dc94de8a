"""Which values and fields the privacy rules and redaction leave alone: the allow-list of
known-public values and the skipped fields, shared so that what FT701/FT702 report is exactly
what redaction replaces."""
from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

_WILD = re.compile(r"[*?\[]")
_INDEX = re.compile(r"^(\w+)(?:\[(\d+)\])?")


def _norm(value: str) -> str:
    return "".join(value.split()).lower()


class AllowList:
    """Known-public values, compared without case and whitespace; ``*``, ``?`` and ``[...]`` are
    wildcards (``*@example.com`` allows every address at example.com)."""

    __slots__ = ("exact", "patterns")

    def __init__(self, values: Iterable[str] = ()):
        norm = [_norm(v) for v in values if isinstance(v, str)]
        self.exact = frozenset(v for v in norm if not _WILD.search(v))
        self.patterns = tuple(v for v in norm if _WILD.search(v))

    def __bool__(self) -> bool:
        return bool(self.exact or self.patterns)

    def __contains__(self, value: str) -> bool:
        if not self:
            return False
        v = _norm(value)
        return v in self.exact or any(fnmatchcase(v, p) for p in self.patterns)


def field_names(example, path: str) -> set[str]:
    """What a text field may be called in skip-fields: its path, its top-level key and, in a chat,
    its turn's role (``messages[0].content`` of a system turn is also ``system``)."""
    m = _INDEX.match(path)
    if not m:
        return {path}
    names = {m.group(1), path}
    if m.group(1) == "messages" and m.group(2) is not None:
        i = int(m.group(2))
        if i < len(example.turns):
            names.add(example.turns[i].role)
    return names


def checked_fields(example, skip: frozenset[str]) -> Iterable[tuple[str, str]]:
    """(path, text) of every non-empty text field not named in ``skip``."""
    for f in example.text_fields:
        if f.text and not (skip and skip & field_names(example, f.path)):
            yield f.path, f.text
