"""Human review decisions: the sheet `ftlint review` writes and `ftlint fix --decisions` applies.

The sheet is a CSV with the columns :data:`COLUMNS`, one row per flagged record. A reviewer fills
the ``decision`` column:

- ``keep``: keep the record as it is, even if a fix would drop or change it;
- ``drop``: drop the record (it goes to the rejects file with the reason ``review: drop``);
- a JSON object (``{...}``): replace the whole record with it (e.g. to repair a truncated line);
- any other text: replace the record's completion (the last assistant turn, ``completion`` or
  ``output``) with it, e.g. ``billing`` for a record labelled ``Billing ``;
- empty: no decision; the record is left to the selected fixes.

``keep`` and ``drop`` are read case-insensitively with surrounding spaces ignored; to write the
literal completion "keep", give the whole record as a JSON object. Each row carries the
``content_hash`` of the record it was written for (:func:`content_hash`): a decision whose record
has changed since (or whose line no longer exists) is refused with a message naming the line, so
that a stale sheet never edits the wrong record."""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from ftlint import formats
from ftlint.curate.rewrites import set_path
from ftlint.errors import FtlintError

COLUMNS = ("line", "codes", "severity", "message", "excerpt", "content_hash", "decision")
HASH_CHARS = 16


class DecisionError(FtlintError):
    """A review sheet that cannot be applied (exit code 2)."""


@dataclass(frozen=True)
class Decision:
    line: int
    action: str  # keep | drop | edit
    content_hash: str
    text: str | None = None  # the edited text (action "edit")
    codes: tuple[str, ...] = ()

    @property
    def replaces_record(self) -> bool:
        return self.action == "edit" and self.text is not None and self.text.lstrip().startswith("{")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "decision": self.action, "content_hash": self.content_hash}
        if self.action == "edit":
            out["edit"] = "record" if self.replaces_record else "completion"
        if self.codes:
            out["codes"] = list(self.codes)
        return out


@dataclass
class Outcome:
    """What one decision does to one record: keep it as is, drop it, or write ``obj`` instead."""

    decision: Decision
    action: str
    obj: dict | None = None


def content_hash(raw: bytes) -> str:
    """The record's identity in a review sheet: sha256 of the line's bytes (no line ending, no BOM)."""
    return hashlib.sha256(raw).hexdigest()[:HASH_CHARS]


# ------------------------------------------------------------------------------------ writing

def write_sheet(rows: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> int:
    """Write review rows (dicts with the keys of COLUMNS; ``decision`` left empty); returns the count."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in COLUMNS})
        n += 1
    return n


# ------------------------------------------------------------------------------------ reading

_HASH = re.compile(rf"^[0-9a-f]{{{HASH_CHARS}}}$")


def parse_decision(value: str) -> tuple[str, str | None] | None:
    """``(action, edited text)`` of a decision cell, or None when it is empty."""
    if value is None or not value.strip():
        return None
    word = value.strip().lower()
    if word in ("keep", "drop"):
        return word, None
    return "edit", value


def load(path: str) -> dict[int, Decision]:
    """The decisions of a review sheet by line (rows without a decision are left out). Every problem
    in the sheet is reported at once, with its CSV row number."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return loads(fh.read(), name=path)
    except OSError as exc:
        raise DecisionError(f"{path}: cannot read the review sheet: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DecisionError(f"{path}: the review sheet is not UTF-8 text") from None


def loads(text: str, name: str = "<review>") -> dict[int, Decision]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("line", "content_hash", "decision") if c not in header]
    if missing:
        raise DecisionError(f"{name}: not a review sheet: missing column(s) {', '.join(missing)} "
                            f"(write one with `ftlint review PATH -o {name}`)")
    out: dict[int, Decision] = {}
    problems: list[str] = []
    for row in reader:
        where = f"{name}:{reader.line_num}"
        parsed = parse_decision(row.get("decision") or "")
        if parsed is None:
            continue
        try:
            line = int((row.get("line") or "").strip())
            if line < 1:
                raise ValueError
        except ValueError:
            problems.append(f"{where}: line {row.get('line')!r} is not a line number")
            continue
        digest = (row.get("content_hash") or "").strip().lower()
        if not _HASH.match(digest):
            problems.append(f"{where}: content_hash {digest!r} is not the {HASH_CHARS}-hex-digit hash "
                            "`ftlint review` writes")
            continue
        if line in out:
            problems.append(f"{where}: a second decision for line {line}; keep one row per line")
            continue
        action, text = parsed
        if action == "edit" and text is not None and text.lstrip().startswith("{"):
            try:
                obj = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                problems.append(f"{where}: the edited record for line {line} is not valid JSON ({exc})")
                continue
            if type(obj) is not dict:
                problems.append(f"{where}: the edited record for line {line} must be a JSON object")
                continue
        codes = tuple(c for c in re.split(r"[\s,]+", row.get("codes") or "") if c)
        out[line] = Decision(line, action, digest, text, codes)
    if problems:
        raise DecisionError(f"{name}: {len(problems)} problem(s) in the review sheet:\n  " + "\n  ".join(problems))
    return out


# ------------------------------------------------------------------------------------ applying

def verify(decisions: Mapping[int, Decision], raw_by_line: Mapping[int, bytes], path: str) -> None:
    """Refuse a sheet with any decision whose record is gone or changed (all listed at once)."""
    stale = []
    for line, d in sorted(decisions.items()):
        raw = raw_by_line.get(line)
        if raw is None:
            stale.append(f"line {line}: no such line in {path} any more")
        elif content_hash(raw) != d.content_hash:
            stale.append(f"line {line}: the record changed since the review (content hash {content_hash(raw)}, "
                         f"the sheet has {d.content_hash})")
    if stale:
        raise DecisionError(f"{path}: {len(stale)} review decision(s) no longer match the file, so none was "
                            "applied; run `ftlint review` again and carry the decisions over:\n  " + "\n  ".join(stale))


def apply(decision: Decision, raw: bytes, fmt: str | None) -> Outcome:
    """The outcome of one (verified) decision on the record ``raw`` of a file in format ``fmt``."""
    if decision.action == "drop":
        return Outcome(decision, "drop")
    if decision.action == "keep":
        obj = _record(raw)
        if obj is None or (fmt is not None and not formats.is_valid(fmt, obj)):
            why = "not a JSON object" if obj is None else "; ".join(formats.schema_errors(fmt, obj))  # type: ignore[arg-type]
            raise DecisionError(f"line {decision.line}: cannot keep a record that is not a valid {fmt or 'JSONL'} "
                                f"record ({why}); write the corrected record as a JSON object, or drop it")
        return Outcome(decision, "keep", obj)
    text = decision.text or ""
    if decision.replaces_record:
        obj = orjson.loads(text)
        if fmt is not None and not formats.is_valid(fmt, obj):
            errors = "; ".join(formats.schema_errors(fmt, obj)) or "does not match the schema"
            raise DecisionError(f"line {decision.line}: the edited record is not a valid {fmt} record: {errors}")
        return Outcome(decision, "edit", obj)
    return Outcome(decision, "edit", set_completion(raw, fmt, text, decision.line))


def _record(raw: bytes) -> dict | None:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return obj if type(obj) is dict else None


def set_completion(raw: bytes, fmt: str | None, text: str, line: int) -> dict:
    """The record with its completion (last assistant turn, ``completion``, ``output``) set to ``text``."""
    obj = _record(raw)
    if obj is None or fmt is None or not formats.is_valid(fmt, obj):
        raise DecisionError(f"line {line}: an edited completion needs a valid {fmt or 'known-format'} record; "
                            "give the whole corrected record as a JSON object instead")
    example = formats.normalize(fmt, obj, line)
    if not example.completion and not example.text_fields:
        raise DecisionError(f"line {line}: a {fmt} record has no completion to edit; give the whole record as a "
                            "JSON object instead")
    for tf in reversed(example.text_fields):
        if tf.text == example.completion:
            new = copy.deepcopy(obj)
            set_path(new, tf.path, text)
            return new
    raise DecisionError(f"line {line}: the completion spans several text blocks; give the whole record as a "
                        "JSON object instead")


def apply_all(decisions: Mapping[int, Decision], raw_by_line: Mapping[int, bytes], fmt: str | None,
              path: str) -> dict[int, Outcome]:
    """Verify every decision, then compute each outcome (all problems raised before any is applied)."""
    verify(decisions, raw_by_line, path)
    out: dict[int, Outcome] = {}
    problems = []
    for line, d in sorted(decisions.items()):
        try:
            out[line] = apply(d, raw_by_line[line], fmt)
        except DecisionError as exc:
            problems.append(str(exc))
    if problems:
        raise DecisionError(f"{path}: {len(problems)} decision(s) cannot be applied:\n  " + "\n  ".join(problems))
    return out
