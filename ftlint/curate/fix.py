"""`ftlint fix`: turn a check report into a curated file. Every fix belongs to the rule that
motivates it, so the same ``--select/--ignore`` that choose the checks choose the fixes (a rule
that is not selected yields no finding, and without a finding nothing is touched). What each
rule's findings mean here (which codes group records, how a finding is read) is the rules' own
knowledge, in ftlint/rules/curation.py; this module applies it.

| rule | fix |
|---|---|
| any rule, severity error, on a record | drop the record (rejects file) |
| bad-encoding: byte order mark on line 1 | strip the BOM (the record itself is kept) |
| exact-duplicate | drop every copy but the first one that nothing else drops |
| near-duplicate | with ``near=True``: drop every member of a cluster but one |
| conflicting-labels (error) | drop the whole conflict group (a person must choose) |
| label-variant (error) | rewrite the variant to the canonical spelling (the record is kept) |
| stray-whitespace | strip leading/trailing whitespace from the record's text fields |
| pii/secret with ``redact=True`` | mask the PII / secret (``ftlint.curate.redact``) |
| a rule that offers a fix (``Rule.fix``: mojibake, likely-mislabeled with its ``fix`` option) | the rule's repair, or a drop |
| invalid-json with ``repair_json=True`` | the record json-repair recovers unambiguously (``ftlint.formats.repair``), if valid |
| ``to=FORMAT`` | convert every kept record (``ftlint.curate.convert``) |

Every input line ends up either kept or rejected, never both, never neither."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftlint import formats
from ftlint.curate.convert import convert_record, convertible
from ftlint.curate.redact import mask_raw, redact_record
from ftlint.curate.rewrites import rewrite_labels, strip_fields
from ftlint.curate.rule_fixes import repair_json, rule_fixes
from ftlint.errors import FtlintError
from ftlint.example import Example
from ftlint.finding import Finding, Severity
from ftlint.privacy import ALL_TYPES
from ftlint.read.reader import BOM, Source
from ftlint.result import Report
from ftlint.rules import curation as roles


@dataclass
class FixOptions:
    near: bool = False  # drop near-duplicates too, keeping one record of each cluster
    to: str | None = None  # convert kept records to this format
    redact: bool = False  # mask pii/secret findings instead of leaving them
    redact_types: tuple[str, ...] | None = None
    # the pii/secret options (allow, skip-fields, regions, min-entropy) so that redaction
    # replaces exactly what the rules report, no more: fix_file fills them from the settings
    redact_options: dict[str, Any] = field(default_factory=dict)
    # a reviewer's decisions by line (ftlint.curate.decisions.apply_all); they override the fixes
    decisions: dict[int, Any] | None = None
    # credentials (and, with redact, the redacted types) are masked in the rejects file: it is
    # a file people open, share and commit, and a rejected record is no place for a live key
    mask_rejects: bool = True
    # the options of each selected rule that offers a fix (Rule.fix), by code: fix_file fills them
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # repair invalid-json lines that json-repair fixes unambiguously (ftlint.formats.repair); off by default
    repair_json: bool = False
    # keep each kept record's dicts (Kept.obj, Kept.source_obj): most of a Kept's memory, which
    # `split` needs only to stratify by a top-level field (its out bytes and examples suffice)
    keep_objects: bool = True


@dataclass
class Kept:
    line: int
    obj: dict
    example: Example
    out: bytes  # the bytes to write (the input line itself when nothing changed)
    changed: bool = False
    source_example: Example | None = None  # before conversion (labels live there)
    source_obj: dict | None = None


@dataclass
class Rejected:
    line: int
    raw: bytes
    codes: tuple[str, ...]
    reason: str
    decision: dict[str, Any] | None = None  # the review decision that dropped it
    # what the rejects file shows instead of ``raw`` when found values were masked, and how many
    shown: bytes | None = None
    masked: dict[str, int] | None = None

    def to_json(self) -> bytes:
        rec: dict[str, Any] = {"line": self.line}
        raw = self.raw if self.shown is None else self.shown
        try:
            rec["raw"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            import base64

            rec["raw"] = raw.decode("utf-8", "replace")
            rec["raw_base64"] = base64.b64encode(raw).decode()
        if self.masked:
            rec["masked"] = dict(sorted(self.masked.items()))
        rec["codes"] = list(self.codes)
        rec["reason"] = self.reason
        if self.decision is not None:
            rec["decision"] = self.decision
        return orjson.dumps(rec)


@dataclass
class Curated:
    path: str
    format: str | None  # the file's format (before conversion)
    out_format: str | None  # the format written
    lines: int  # physical lines read
    kept: list[Kept]
    rejected: list[Rejected]
    # per rule: how many records its fix dropped / changed
    dropped: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    unfixed: list[Finding] = field(default_factory=list)  # error findings no fix addresses
    decisions: list[dict[str, Any]] = field(default_factory=list)  # review decisions applied, by line
    redacted: Counter[str] = field(default_factory=Counter)  # values replaced, per PII/secret type
    masked: Counter[str] = field(default_factory=Counter)  # values masked in the rejects, per type
    # every repair a rule's fix (Rule.fix) or --repair-json made, by line: {"line", "code", ...}
    repairs: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = {"lines": self.lines, "kept": len(self.kept), "rejected": len(self.rejected),
               "dropped_by_rule": dict(sorted(self.dropped.items())),
               "changed_by_rule": dict(sorted(self.changed.items()))}
        if self.redacted:
            out["redacted_by_type"] = dict(sorted(self.redacted.items()))
        if self.masked:
            out["masked_in_rejects_by_type"] = dict(sorted(self.masked.items()))
        return out


def read_lines(source: Source) -> list[bytes]:
    """Every physical line of the source, numbered as the reader numbers them (index = line - 1),
    without its line ending; a BOM on line 1 is removed (bad-encoding reports it)."""
    fh = source.open()
    try:
        out = []
        for raw in fh:
            if raw.endswith(b"\n"):
                raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
            out.append(raw)
    finally:
        if source.name != "-":
            fh.close()
    if out and out[0].startswith(BOM):
        out[0] = out[0][len(BOM):]
    return out


def curate(report: Report, source: Source, options: FixOptions | None = None,
           lines: list[bytes] | None = None) -> Curated:
    """Apply the fixes the report's findings call for to the file ``source`` (already checked)."""
    options = options or FixOptions()
    lines = read_lines(source) if lines is None else lines
    fmt = report.files[0].format if report.files else None
    findings = [f for f in report.findings if f.file_index == 0]
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.line is not None:
            by_line[f.line].append(f)

    drop: dict[int, tuple[list[str], str]] = {}

    def reject(line: int, code: str, reason: str) -> None:
        if line in drop:
            if code not in drop[line][0]:
                drop[line][0].append(code)
            return
        drop[line] = ([code], reason)

    dropped: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    redacted: Counter[str] = Counter()
    unfixed: list[Finding] = []
    repaired = repair_json(findings, lines, fmt) if options.repair_json else {}
    # 1. records carrying an error (parse, schema, empty field, encoding, token limit...)
    for f in findings:
        if f.line is None:
            if f.severity is Severity.ERROR and f.code not in roles.RESOLVED_BY_WRITING:
                unfixed.append(f)
            continue
        if f.severity is not Severity.ERROR or f.code in roles.DUPLICATE_CODES or f.code == roles.SPLIT_LEAKAGE or f.line in repaired:
            continue
        if roles.label_variant(f) is not None:
            continue  # repaired below: the variant is rewritten to the canonical spelling
        if f.code in roles.PRIVACY and options.redact:
            continue
        if roles.is_bom(f) and roles.only_bom(by_line[1]):
            changed[f.code] += 1
            continue
        if f.line not in drop:
            dropped[f.code] += 1
        reject(f.line, f.code, f"{f.code} {f.name}: {f.message}")
    # 2. a reviewer's decisions, before any group is formed: a conflict the reviewer settled by
    # dropping the wrong answers drops nothing more, and the copy a cluster keeps is never one
    # the reviewer dropped, so each reason in the rejects file is true after the decisions
    reviewed, applied = _review(options.decisions or {}, drop, dropped, changed)
    answers = _Answers(lines, fmt, reviewed)
    # 3. conflicts (error): the whole group goes, a person must choose the answer
    conflict = roles.CONFLICTING_LABELS
    for members in roles.conflict_groups(findings).values():
        left = members
        if any(line in applied for line in members):
            left = [line for line in members if line not in drop or line in reviewed]
            if len({answers.of(line) for line in left}) <= 1:
                continue  # the reviewer settled it: the other answers were dropped or edited
        for line in left:
            if line in reviewed:
                applied[line].setdefault("overrides", []).append(conflict)
            elif line not in drop:
                dropped[conflict] += 1
                reject(line, conflict, f"{conflict} {_name(conflict)}: lines {', '.join(map(str, left))} "
                       "give different answers to the same prompt; resolve them by hand")
    # 4. duplicates: one group per cluster of copies (and, with near, near copies), by union-find
    # over `related`; the record kept is the first one that nothing else drops, so a cluster whose
    # first record carries an error or a conflict still keeps one record (the reason never names
    # a "kept" line that was dropped after all); a record a reviewer kept stays
    dup_codes = roles.duplicate_codes(options.near)
    flagged: dict[int, str] = {}
    for f in findings:
        if f.code in dup_codes and f.line is not None and flagged.get(f.line) != roles.EXACT_DUPLICATE:
            flagged[f.line] = f.code
    for members in roles.groups(findings, dup_codes).groups().values():
        keep = next((line for line in members if line not in drop), None)
        if keep is None:
            continue  # every copy carries its own error: each is dropped for it
        for line in members:
            if line == keep or line in drop:
                continue
            code = flagged.get(line, dup_codes[-1])
            if line in reviewed:
                applied[line].setdefault("overrides", []).append(code)
                continue
            dropped[code] += 1
            reject(line, code, f"{code} {_name(code)}: {roles.copy_word(code)} of line {keep} (kept)")
    # 5. rewrites on the records that stay
    variants = dict(v for f in findings if (v := roles.label_variant(f)))
    strip_lines = {f.line for f in findings if f.code == roles.STRAY_WHITESPACE and f.line is not None}
    redact_lines = {f.line for f in findings if f.code in roles.PRIVACY and f.line is not None} if options.redact else set()
    out_fmt = options.to or fmt
    if options.to and fmt and not convertible(fmt, options.to):
        raise FtlintError(f"cannot convert {fmt} to {options.to}")
    # a reviewer's keep or edit is final: no automatic rewrite touches those records
    strip_lines -= reviewed.keys()
    redact_lines -= reviewed.keys()
    kept: list[Kept] = []
    rejected: list[Rejected] = []
    repairs: list[dict[str, Any]] = []
    for index, raw in enumerate(lines):
        line = index + 1
        if line in drop:
            codes, reason = drop[line]
            rejected.append(Rejected(line, raw, tuple(codes), reason, applied.get(line)))
            continue
        obj = reviewed[line].obj if line in reviewed else repaired.get(line) or _parse(raw)
        if obj is None or fmt is None or not formats.is_valid(fmt, obj):
            # a line no selected rule flagged but that cannot be curated (its reading rules ignored)
            rejected.append(Rejected(line, raw, (), f"not a valid {fmt or 'JSONL'} record "
                                     "(its rule is not selected, so no finding names it)"))
            continue
        touched = line in reviewed and reviewed[line].action == "edit"
        if line in repaired:
            changed[roles.INVALID_JSON] += 1
            repairs.append({"line": line, "code": roles.INVALID_JSON, "original": raw.decode("utf-8")})
            touched = True
        if line not in reviewed:
            obj, why = rule_fixes(by_line.get(line, ()), obj, fmt, options.rule_options, changed, repairs)
            if obj is None:
                rejected.append(Rejected(line, raw, (why[0],), why[1]))
                dropped[why[0]] += 1
                continue
            touched = touched or why is not None
        if variants and line not in reviewed and rewrite_labels(obj, fmt, variants):
            changed[roles.LABEL_VARIANT] += 1
            touched = True
        if line in strip_lines and strip_fields(obj, fmt, line):
            changed[roles.STRAY_WHITESPACE] += 1
            touched = True
        if line in redact_lines:
            obj, counts = _redact(obj, fmt, options.redact_types, options.redact_options)
            if counts:
                changed["redact"] += 1
                redacted.update(counts)
                touched = True
        source_obj, source_example = obj, formats.normalize(fmt, obj, line)
        if out_fmt != fmt:
            try:
                obj, _dropped = convert_record(obj, fmt, out_fmt)  # type: ignore[arg-type]
            except FtlintError as exc:
                rejected.append(Rejected(line, raw, ("convert",), f"cannot convert to {out_fmt}: {exc}"))
                dropped["convert"] += 1
                continue
            touched = True
            example = formats.normalize(out_fmt, obj, line)  # type: ignore[arg-type]
        else:
            example = source_example
        out = orjson.dumps(obj) if touched else raw
        if not options.keep_objects:
            obj = source_obj = None
        kept.append(Kept(line, obj, example, out, touched, source_example, source_obj))  # type: ignore[arg-type]
    if options.to:
        changed["convert"] = sum(1 for k in kept if k.changed)
    masked: Counter[str] = Counter()
    if options.mask_rejects:
        types = ("secret",) + ((options.redact_types or ALL_TYPES) if options.redact else ())
        opts = options.redact_options or {}
        kwargs = {k: opts[k] for k in ("allow", "regions", "min_entropy") if opts.get(k) is not None}
        for r in rejected:
            shown, counts = mask_raw(r.raw, tuple(dict.fromkeys(types)), **kwargs)
            if counts:
                r.shown, r.masked = shown, dict(counts)
                masked.update(counts)
        for rep in repairs:  # the manifest quotes a repaired line as it was: no live key there either
            if "original" in rep:
                shown, counts = mask_raw(rep["original"].encode("utf-8"), tuple(dict.fromkeys(types)), **kwargs)
                if counts:
                    rep["original"] = shown.decode("utf-8")
    return Curated(source.name, fmt, out_fmt, len(lines), kept, rejected, dropped, changed, unfixed,
                   [applied[line] for line in sorted(applied)], redacted=redacted, masked=masked,
                   repairs=repairs)


def _redact(obj: dict, fmt: str, types: tuple[str, ...] | None, options: dict | None) -> tuple[dict, Counter]:
    """(record with PII/secrets masked, replacements per type); ``options`` are the pii/secret
    options (allow, skip_fields, regions, min_entropy) that redaction honours as the rules do."""
    kwargs = {k: v for k, v in (options or {}).items() if v is not None}
    try:
        return redact_record(obj, fmt, types, **kwargs) if types else redact_record(obj, fmt, **kwargs)
    except ValueError as exc:
        raise FtlintError(f"--redact-types: {exc}") from None


def _review(outcomes: dict[int, Any], drop: dict[int, tuple[list[str], str]], dropped: Counter[str],
            changed: Counter[str]) -> tuple[dict[int, Any], dict[int, dict[str, Any]]]:
    """Let a reviewer's decisions override the fixes: ``drop`` rejects the record (code "review"),
    ``keep`` and an edit keep it whatever a fix would have done. Returns the kept-by-review outcomes
    and, per line, the decision as the rejects file and the manifest record it."""
    reviewed: dict[int, Any] = {}
    applied: dict[int, dict[str, Any]] = {}
    for line, outcome in sorted(outcomes.items()):
        record = outcome.decision.to_dict()
        overridden = drop.get(line)
        if overridden is not None:  # counted once, under the decision rather than the fix
            dropped[overridden[0][0]] -= 1
            if dropped[overridden[0][0]] <= 0:
                del dropped[overridden[0][0]]
        if outcome.action == "drop":
            codes = ["review"] + (overridden[0] if overridden else [])
            reason = "review: drop" + (f" (also {overridden[1]})" if overridden else "")
            drop[line] = (codes, reason)
            dropped["review"] += 1
        else:
            if overridden is not None:
                del drop[line]
                record["overrides"] = list(overridden[0])
            reviewed[line] = outcome
            if outcome.action == "edit":
                changed["review"] += 1
        applied[line] = record
    return reviewed, applied


class _Answers:
    """The answer of a record as conflicting-labels compares answers, as a reviewer left it, to tell whether a conflict group still holds different answers."""

    def __init__(self, lines: list[bytes], fmt: str | None, reviewed: dict[int, Any]):
        self.lines, self.fmt, self.reviewed = lines, fmt, reviewed

    def of(self, line: int) -> str | None:
        obj = self.reviewed[line].obj if line in self.reviewed else _parse(self.lines[line - 1])
        if obj is None or self.fmt is None or not formats.is_valid(self.fmt, obj):
            return None
        return roles.answer_key(formats.normalize(self.fmt, obj, line))


def _name(code: str) -> str:
    from ftlint.rules import REGISTRY

    rule = REGISTRY.get(code)
    return rule.name if rule else code


def _parse(raw: bytes) -> dict | None:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return obj if type(obj) is dict else None
