"""Repairing a line that is not JSON (FT101) when the repair is unambiguous: `ftlint fix
--repair-json`, never on by default.

``json-repair`` (an optional dependency, ``pip install 'ftlint[repair]'``) parses what it can and
writes down what it had to guess. A repair is kept only when

- the result is a JSON object,
- json-repair guessed nothing that could change the text: single quotes, a trailing comma, a
  missing comma or closing brace are repaired without a note, and of the notes it writes only
  :data:`SAFE_NOTES` are accepted; a missing closing quote (which may mean a truncated text), a
  stray or doubled quote inside a string, a filled-in value or dropped extra content are refused,
- the words of the record are the words of the line, in order (nothing dropped or invented), and
- the caller finds the record valid in the file's format (:func:`ftlint.formats.is_valid`)."""
from __future__ import annotations

import json
import math
import re

from ftlint.errors import FtlintError

# json-repair's notes about decisions that keep the line's text as it is
SAFE_NOTES = ("we found a comma that belongs to the string, keeping it",)

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\[nrtbf]|\\(.)")
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    def unescape(m: re.Match) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        return m.group(2) or " "

    return _WORD.findall(_ESCAPE.sub(unescape, text).casefold())


def _finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def repair_line(raw: bytes) -> dict | None:
    """The record a broken JSON line unambiguously stands for, or None."""
    try:
        import json_repair
    except ImportError:
        raise FtlintError("--repair-json needs json-repair: pip install 'ftlint[repair]'") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        obj, log = json_repair.repair_json(text, return_objects=True, logging=True)
    except Exception:  # noqa: BLE001 - json-repair gave up: not repairable
        return None
    if any(not str(note.get("text", "")).endswith(SAFE_NOTES) for note in log):
        return None
    if type(obj) is not dict or not obj or not _finite(obj):
        return None
    if _words(text) != _words(json.dumps(obj, ensure_ascii=False)):
        return None
    return obj
