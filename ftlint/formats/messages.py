"""jsonschema errors turned into one-line messages that name the JSON path of the problem.

jsonschema's own messages repeat the whole failing instance (a 10 kB message for one bad block)
and say "Additional properties are not allowed" without saying which keys are; these say what is
wrong, where, and what is allowed, in at most MAX_LEN characters."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only when a record fails: it costs ~0.3 s at start-up
    from jsonschema.exceptions import ValidationError

from ftlint.formats.schema import precise_validator

MAX_LEN = 200
_VALUE_LEN = 40
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WEAK = {"anyOf", "oneOf"}


def schema_errors(fmt: str, obj: Any, limit: int = 3) -> list[str]:
    return [text for text, _ in schema_problems(fmt, obj, limit)]


def schema_problems(fmt: str, obj: Any, limit: int = 3) -> list[tuple[str, list[str | int]]]:
    """(message, JSON path of the value it is about) for up to ``limit`` errors; the path of an
    unexpected key is that key's, so that a column can point at it."""
    errors = sorted(precise_validator(fmt).iter_errors(obj), key=lambda e: _order(obj, e))
    out: list[tuple[str, list[str | int]]] = []
    for error in errors:
        # anyOf/oneOf: descend to the branch that came closest, as best_match does
        from jsonschema.exceptions import best_match

        best = best_match([error])
        text = _message(fmt, best)
        if all(text != t for t, _ in out):
            parts = list(best.absolute_path)
            if best.validator == "additionalProperties" and isinstance(best.instance, dict):
                extra = [k for k in best.instance if not _declared(best.schema, k)]
                parts += extra[:1]
            out.append((text, parts))
            if len(out) >= limit:
                break
    return out


_PATH_PART = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def parse_path(path: str) -> list[str | int]:
    """``messages[1].content[0].text`` -> ``["messages", 1, "content", 0, "text"]`` (json_path's inverse)."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _PATH_PART.match(path, pos)
        if m is None:
            raise ValueError(f"bad JSON path {path!r}")
        name, index, quoted = m.groups()
        parts.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
        pos = m.end()
    return parts


def json_path(parts: Iterable[str | int]) -> str:
    """``("messages", 2, "role")`` -> ``messages[2].role``: the path style of every finding."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def _order(obj: Any, error: ValidationError) -> tuple:
    # shallow problems first (a missing key says more than a bad value inside a sibling), then
    # the order of the record's own keys and items, so the first `limit` messages are the useful
    # ones and read top to bottom
    position, node = [], obj
    for part in error.absolute_path:
        position.append(list(node).index(part) if isinstance(node, dict) else part)
        node = node[part]
    return (len(position), position, error.validator in _WEAK)


def _message(fmt: str, error: ValidationError) -> str:
    where = json_path(error.absolute_path)
    text = _describe(fmt, error, where)
    text = f"{where}: {text}" if where else text
    return text if len(text) <= MAX_LEN else text[: MAX_LEN - 1] + "…"


def _describe(fmt: str, error: ValidationError, where: str) -> str:
    kind, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema
    if kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        return f"{_short(value)} is not of type {_quoted(types)}"
    if kind == "enum":
        return f"{_short(value)} is not one of {_quoted(expected)}"
    if kind == "const":
        return f"expected {_short(expected)}, got {_short(value)}"
    if kind == "additionalProperties" and isinstance(value, dict):
        extra = [k for k in value if not _declared(schema, k)]
        owner = fmt if not where else _a(schema.get("title", "this object"))
        plural = "s" if len(extra) > 1 else ""
        return (f"unexpected key{plural} {_quoted(extra[:5])}{', ...' if len(extra) > 5 else ''} "
                f"({owner} allows only {_quoted(schema.get('properties', {}))})")
    if kind in ("minProperties", "maxProperties") and schema.get("additionalProperties") is False \
            and expected == 1 and isinstance(value, dict):
        found = _quoted(value) if value else "none"
        return (f"{_a(schema.get('title', 'object'))} must hold exactly one of "
                f"{_quoted(schema.get('properties', {}))} (found {found})")
    if kind == "minItems":
        return f"expected at least {expected} item{'s' if expected != 1 else ''}, got {len(value)}"
    if kind in _WEAK:
        title = schema.get("title")
        return f"{_short(value)} is not a valid {title}" if title else f"{_short(value)} matches none of the allowed forms"
    if kind == "pattern":
        return f"{_short(value)} does not match {expected!r}"
    if kind == "minimum":
        return f"{_short(value)} is less than the minimum of {expected}"
    if kind == "required":
        # "'completion' is a required property": names the key, not the instance; a misspelt key
        # ("ouput") is the usual cause, so name it when one is close
        text = error.message
        missing = next((k for k in expected if isinstance(value, dict) and k not in value), None)
        if missing and isinstance(value, dict):
            import difflib

            close = difflib.get_close_matches(missing, [str(k) for k in value], n=1, cutoff=0.75)
            if close:
                text += f" (found {close[0]!r}: a misspelling?)"
        return text
    return f"{_short(value)} fails the {kind!r} constraint"


def _declared(schema: dict, key: str) -> bool:
    if key in schema.get("properties", {}):
        return True
    return any(re.search(p, key) for p in schema.get("patternProperties", {}))


def _short(value: Any) -> str:
    # JSON spelling for null/true/false, since users read these as JSON records
    if isinstance(value, str):
        text = repr(value)
    elif value is None or isinstance(value, (bool, dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = repr(value)
    return text if len(text) <= _VALUE_LEN else text[: _VALUE_LEN - 1] + "…"


def _quoted(items: Iterable[Any]) -> str:
    return ", ".join(_short(i) for i in items)


def _a(noun: str) -> str:
    # "an image", "an S3 location": an acronym whose first letter is spoken with a vowel sound
    vowel = noun[:1].lower() in "aeio" or (noun[:1] in "FHLMNRSX" and noun[1:2].isupper() | noun[1:2].isdigit())
    return f"{'an' if vowel else 'a'} {noun}"
