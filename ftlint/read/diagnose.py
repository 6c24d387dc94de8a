"""The reader's slow path: why orjson declined a line, or why a file is not JSON Lines at all.

Only lines the fast path could not take come here, so this module may be thorough: the json
module for the error column, a walk of the strings for lone surrogates and control characters,
number hooks for values beyond a 64-bit float, a bracket scan for nesting too deep to handle.
A line that is valid JSON comes back as a usable object (out-of-range numbers as their literal
text, lone surrogates as U+FFFD) with its problems, so that the rest of the record is still
checked and no later stage meets a value it cannot encode."""
from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from ftlint.finding import Problem
from ftlint.read import jsonpos

# orjson writes at most 254 levels of nested arrays and objects (and reads at most 1024); every
# stage that re-serialises a record relies on it, so a deeper record is reported, not processed
MAX_DEPTH = 254
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff]")
_CHAR_NAMES = {"\x00": "NUL", "\ufffd": "U+FFFD replacement character", "\ufeff": "byte order mark (U+FEFF)"}
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))
_INT64_MIN, _UINT64_MAX = -(1 << 63), (1 << 64) - 1


class _Constant(ValueError):
    pass


def _no_constants(name: str) -> Any:
    raise _Constant(name)


def column_of(raw: bytes, offset: int) -> int:
    """The 1-based character column of byte ``offset`` (columns count characters, as editors do)."""
    return len(raw[:offset].decode("utf-8", "replace")) + 1


def slow_line(lineno: int, raw: bytes, max_depth: int = MAX_DEPTH) -> tuple[Any, list[Problem]]:
    """(object or None, problems) for a line orjson declined. None means the line cannot be used
    as a record (not UTF-8, not JSON, nested too deep); otherwise the object is safe to encode."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(lineno, f"invalid UTF-8 at byte {exc.start + 1} ({raw[exc.start:exc.start + 1]!r}): "
                              "re-encode the file as UTF-8", exc.start + 1, code="FT106",
                              data={"byte": exc.start + 1})]
    deep = depth_problem(lineno, raw, max_depth)
    if deep is not None:
        return None, [deep]
    numbers: list[str] = []
    try:
        obj = json.loads(text, parse_constant=_no_constants, parse_int=lambda s: _int(s, numbers),
                         parse_float=lambda s: _float(s, numbers))
    except _Constant as exc:
        name = str(exc)
        return None, [Problem(lineno, f"{name} is not valid JSON (Bedrock rejects NaN and Infinity); "
                              "write null or a number", text.find(name) + 1 or 1, code="FT101")]
    except json.JSONDecodeError as exc:
        col = exc.colno
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            msg = f"invalid JSON: the line ends before the value is complete ({exc.msg} column {col}); it looks truncated"
        else:
            msg = f"invalid JSON: {exc.msg} (column {col})"
        return None, [Problem(lineno, msg, col, code="FT101")]
    except RecursionError:  # the bracket scan above catches deep lines first; this is the backstop
        return None, [Problem(lineno, f"record nests more than {MAX_DEPTH} levels deep; flatten it", code="FT113")]
    problems = list(_number_problems(lineno, raw, obj, numbers)) if numbers else []
    problems.extend(bad_chars(lineno, raw, obj))
    if any(p.data and p.data.get("surrogate") for p in problems):
        obj = _replace_surrogates(obj)
    return obj, problems


def _int(literal: str, out: list[str]) -> Any:
    digits = len(literal) - (literal[0] == "-")
    if digits < 19:
        return int(literal)
    if digits <= 309:  # past 309 digits no integer fits a double; int() itself stops at 4300
        value = int(literal)
        if _INT64_MIN <= value <= _UINT64_MAX:
            return value
        try:
            return float(value)  # as orjson reads it, so a line reads the same on either path
        except OverflowError:
            pass
    out.append(literal)
    return literal


def _float(literal: str, out: list[str]) -> Any:
    value = float(literal)
    if math.isinf(value):
        out.append(literal)
        return literal
    return value


def _number_problems(lineno: int, raw: bytes, obj: Any, literals: list[str]) -> Iterator[Problem]:
    wanted = {id(s) for s in literals}
    found = [(path, value) for path, value in _values(obj, "") if id(value) in wanted]
    path, literal = found[0] if found else ("", literals[0])
    shown = literal if len(literal) <= 24 else f"{literal[:10]}…{literal[-6:]} ({len(literal.lstrip('-'))} digits)"
    where = f" in {path}" if path else ""
    col = _find_token(raw, literal.encode())
    more = f" ({len(literals)} such numbers on the line)" if len(literals) > 1 else ""
    yield Problem(lineno, f"number {shown}{where} is beyond the range of a 64-bit float{more}: JSON parsers read "
                  "it as infinity or reject the line; write it as a string, or drop it", col, code="FT112",
                  data={"field": path, "digits": len(literal)})


def _find_token(raw: bytes, literal: bytes) -> int:
    m = re.search(rb"(?<![\w.\"-])" + re.escape(literal) + rb"(?![\w.])", raw)
    return column_of(raw, m.start()) if m else 1


def _values(obj: Any, path: str) -> Iterator[tuple[str, Any]]:
    from ftlint.formats.messages import json_path

    stack: list[tuple[Any, tuple]] = [(obj, ())]
    while stack:
        node, parts = stack.pop()
        if type(node) is dict:
            stack.extend((v, (*parts, k)) for k, v in reversed(list(node.items())))
        elif type(node) is list:
            stack.extend((v, (*parts, i)) for i, v in reversed(list(enumerate(node))))
        else:
            yield json_path(parts), node


def bad_chars(lineno: int, raw: bytes, obj: Any) -> Iterator[Problem]:
    """FT106 for control characters, U+FFFD, a stray U+FEFF and lone surrogates in the strings."""
    seen: set[str] = set()
    for path, value in _strings(obj, ()):
        for m in _BAD_CHARS.finditer(value):
            ch = m.group()
            if ch in seen:
                continue
            seen.add(ch)
            name = _CHAR_NAMES.get(ch, f"control character U+{ord(ch):04X}")
            yield Problem(lineno, f"{name} in {_path(path)} at character {m.start() + 1}: usually "
                          "a sign of broken encoding or copy-paste; remove it", jsonpos.column(raw, path),
                          code="FT106", data={"char": f"U+{ord(ch):04X}", "field": _path(path)})
        m = _SURROGATE.search(value)
        if m is not None and "surrogate" not in seen:
            seen.add("surrogate")
            escape = _LONE_SURROGATE.search(raw.decode("utf-8", "replace"))
            col = escape.start() + 1 if escape else 1
            yield Problem(lineno, f"lone surrogate \\u{ord(m.group()):04x} in {_path(path)} at character "
                          f"{m.start() + 1}: half of a UTF-16 pair, not a character, so the record cannot be "
                          "written as UTF-8 (jobs reject it); remove the escape or add its other half", col,
                          code="FT106", data={"char": f"U+{ord(m.group()):04X}", "field": _path(path),
                                              "surrogate": True})


def _path(parts: tuple) -> str:
    from ftlint.formats.messages import json_path

    return json_path(parts) or "a string"


def _strings(obj: Any, parts: tuple) -> Iterator[tuple[tuple, str]]:
    if type(obj) is str:
        yield parts, obj
    elif type(obj) is dict:
        for k, v in obj.items():
            yield from _strings(k, parts)
            yield from _strings(v, (*parts, k))
    elif type(obj) is list:
        for i, v in enumerate(obj):
            yield from _strings(v, (*parts, i))


def _replace_surrogates(obj: Any) -> Any:
    if type(obj) is str:
        return _SURROGATE.sub("\ufffd", obj)
    if type(obj) is dict:
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in obj.items()}
    if type(obj) is list:
        return [_replace_surrogates(v) for v in obj]
    return obj


def depth_problem(lineno: int, raw: bytes, limit: int = MAX_DEPTH) -> Problem | None:
    """FT113 when the line nests arrays and objects more than ``limit`` levels deep."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return None
    import numpy as np

    # blank out strings (same length, so offsets stay) before counting brackets
    plain = _STRING.sub(lambda m: b'"' + b"x" * (len(m.group()) - 2) + b'"', raw)
    arr = np.frombuffer(plain, dtype=np.uint8)
    step = (np.isin(arr, (0x5B, 0x7B)).astype(np.int32) - np.isin(arr, (0x5D, 0x7D)).astype(np.int32))
    depth = np.cumsum(step)
    deepest = int(depth.max()) if len(depth) else 0
    if deepest <= limit:
        return None
    offset = int(np.argmax(depth > limit))
    why = (f"ftlint and the JSON tools built on orjson stop at {MAX_DEPTH}" if limit == MAX_DEPTH
           else f"the limit is {limit} (FT113.max-depth)")
    return Problem(lineno, f"record nests {deepest:,} levels deep (arrays and objects inside each other); "
                   f"{why}, and no training record needs more than a few: flatten it",
                   column_of(raw, offset), code="FT113", data={"depth": deepest, "limit": limit})


# ---------------------------------------------------------------- what a whole file looks like

def binary_kind(head: bytes) -> tuple[str, str, str] | None:
    """(code, kind, message) when the first read of a file is not UTF-8 text (None for text)."""
    if head.startswith(b"PAR1"):
        return "FT101", "parquet", ("this is a Parquet file, not JSON Lines; name it .parquet to have ftlint read its rows "
                "(with pyarrow, the ftlint[parquet] extra), and write JSONL for the job with `ftlint convert`")
    if head.startswith(b"PK\x03\x04"):
        return "FT101", "zip", "this is a ZIP archive (or an .xlsx workbook), not JSON Lines; unzip it and check the .jsonl inside"
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "FT106", "utf-32", "this file is UTF-32 text; Bedrock needs UTF-8: `iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8.jsonl`"
    sample = head[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(sample) >= 16 and _utf16_pattern(sample)):
        return "FT106", "utf-16", "this file is UTF-16 text; Bedrock needs UTF-8: `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.jsonl`"
    # JSON text holds no raw control bytes but tab, CR and LF: a NUL plus many others is binary,
    # while one stray NUL in real JSONL stays a finding on its line
    if sample.count(0):
        control = len(sample) - len(sample.translate(None, _CONTROL))
        if control * 20 >= len(sample):
            return "FT101", "binary", (f"this is binary data ({control} control bytes in the first {len(sample)}), "
                                       "not JSON Lines text; check that you passed the right file")
    return None


def _utf16_pattern(sample: bytes) -> bool:
    """ASCII text in UTF-16 without a BOM: one byte of each pair is NUL, the other almost never."""
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return (even * 10 >= half * 9 and odd * 10 <= half) or (odd * 10 >= half * 9 and even * 10 <= half)


def file_hint(lineno: int, lines: list[bytes]) -> Problem | None:
    """One finding for a file whose first content line is not JSON and whose first lines show
    another format (then the reader stops: one finding says more than one per line)."""
    sample = [ln.strip() for ln in lines if ln.strip()][:20]
    if not sample:
        return None
    first = sample[0]
    text = [ln.decode("utf-8", "replace") for ln in sample]
    content = [t for t in text if not t.startswith("#")]
    if first.startswith(b"[") and not (content and _toml(content)):
        return Problem(lineno, "this file is a JSON array (a .json export), not JSON Lines; convert it with "
                       "`jq -c '.[]' FILE.json > FILE.jsonl` and check the result", 1, code="FT102",
                       data={"json_array_file": True})
    kind, message = _text_kind(first, content, text)
    if kind is None:
        return None
    return Problem(lineno, message, 1, code="FT101", data={"looks_like": kind})


def _text_kind(first: bytes, content: list[str], text: list[str]) -> tuple[str | None, str]:
    if first.startswith(b"<"):
        return "xml", "this file is XML or HTML, not JSON Lines (one JSON object a line); export the records as JSONL"
    if first == b"{":
        return "json", ("this file is a pretty-printed JSON document spread over many lines, not JSON Lines; "
                        "write one object a line: `jq -c . FILE > FILE.jsonl`")
    if content and _toml(content):
        return "toml", ("this file looks like TOML, not JSON Lines; a training file holds one JSON object a line "
                        "(convert a TOML table with Python's tomllib and json.dumps, one record a line)")
    if content and _yaml(content):
        return "yaml", ("this file looks like YAML, not JSON Lines; write one JSON object a line "
                        "(`yq -o=json -I=0 '.[]' FILE > FILE.jsonl` for a YAML list of records)")
    for delimiter, name in (("\t", "TSV"), (",", "CSV")):
        header = _table_header(text, delimiter)
        if header:
            suffix = name.lower()
            return suffix, (f"this file looks like {name} (header: {', '.join(header[:6])}), not JSON Lines; "
                            f"name it .{suffix} to have ftlint read its rows, then `ftlint convert FILE.{suffix} "
                            "--to FORMAT -o FILE.jsonl` writes the JSONL a job needs")
    return None, ""


_TOML_TABLE = re.compile(r"^\[\[?[A-Za-z0-9_.\-\" ]+\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^[A-Za-z0-9_.\-\"]+\s*=\s*\S")
_YAML = re.compile(r"^(---|\.\.\.|- |-$|[A-Za-z_][\w .\-]*:(\s|$))")


def _toml(lines: list[str]) -> bool:
    hits = sum(bool(_TOML_TABLE.match(t) or _TOML_KEY.match(t)) for t in lines)
    return hits * 2 > len(lines) and any(_TOML_TABLE.match(t) or _TOML_KEY.match(t) for t in lines[:1])


def _yaml(lines: list[str]) -> bool:
    hits = sum(bool(_YAML.match(t)) for t in lines)
    return hits * 2 > len(lines) and bool(_YAML.match(lines[0]))


def _table_header(lines: list[str], delimiter: str) -> list[str] | None:
    if len(lines) < 2 or any(t.startswith(("{", "[")) for t in lines[:1]):
        return None
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None
    width = len(rows[0])
    if width < 2 or sum(len(r) == width for r in rows) * 2 <= len(rows):
        return None
    return rows[0]
