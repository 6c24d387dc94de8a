"""`ftlint fix`: turn a check report into a curated file. Every fix belongs to the rule that
motivates it, so the same ``--select/--ignore`` that choose the checks choose the fixes (a rule
that is not selected yields no finding, and without a finding nothing is touched).

| rule | fix |
|---|---|
| any rule, severity error, on a record | drop the record (rejects file) |
| FT106 byte order mark on line 1 | strip the BOM (the record itself is kept) |
| FT201 exact-duplicate | drop every copy but the first |
| FT202 near-duplicate | with ``near=True``: drop every member of a cluster but its representative |
| FT203 conflicting-labels (error) | drop the whole conflict group (a person must choose) |
| FT303 label-variant (error) | rewrite the variant to the canonical spelling (the record is kept) |
| FT110 stray-whitespace | strip leading/trailing whitespace from the record's text fields |
| FT701/FT702 with ``redact=True`` | mask the PII / secret (``ftlint.curate.redact``) |
| a rule that offers a fix (``Rule.fix``: FT111 mojibake, FT306 with its ``fix`` option) | the rule's repair, or a drop |
| FT101 with ``repair_json=True`` | the record json-repair recovers unambiguously (``ftlint.formats.repair``), if valid |
| ``to=FORMAT`` | convert every kept record (``ftlint.curate.convert``) |

Every input line ends up either kept or rejected, never both, never neither."""
from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ftlint import formats
from ftlint.curate import seams
from ftlint.errors import FtlintError
from ftlint.example import Example
from ftlint.finding import Finding, Severity
from ftlint.formats.messages import parse_path
from ftlint.reader import BOM, Source
from ftlint.result import Report

# codes whose fix is not "drop the record that carries an error"
DUPLICATE_CODES = ("FT201", "FT202", "FT203")
LEAKAGE = "FT204"
LABEL_VARIANT = "FT303"
WHITESPACE = "FT110"
PRIVACY = ("FT701", "FT702")


@dataclass
class FixOptions:
    near: bool = False  # drop near-duplicates too (FT202), keeping each cluster's representative
    to: str | None = None  # convert kept records to this format
    redact: bool = False  # mask FT701/FT702 findings instead of leaving them
    redact_types: tuple[str, ...] | None = None
    # the FT701/FT702 options (allow, skip-fields, regions, min-entropy) so that redaction
    # replaces exactly what the rules report, no more: fix_file fills them from the settings
    redact_options: dict[str, Any] = field(default_factory=dict)
    # a reviewer's decisions by line (ftlint.curate.decisions.apply_all); they override the fixes
    decisions: dict[int, Any] | None = None
    # the options of each selected rule that offers a fix (Rule.fix), by code: fix_file fills them
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # repair FT101 lines that json-repair fixes unambiguously (ftlint.formats.repair); off by default
    repair_json: bool = False


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

    def to_json(self) -> bytes:
        rec: dict[str, Any] = {"line": self.line}
        try:
            rec["raw"] = self.raw.decode("utf-8")
        except UnicodeDecodeError:
            import base64

            rec["raw"] = self.raw.decode("utf-8", "replace")
            rec["raw_base64"] = base64.b64encode(self.raw).decode()
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
    # every repair a rule's fix (Rule.fix) or --repair-json made, by line: {"line", "code", ...}
    repairs: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = {"lines": self.lines, "kept": len(self.kept), "rejected": len(self.rejected),
               "dropped_by_rule": dict(sorted(self.dropped.items())),
               "changed_by_rule": dict(sorted(self.changed.items()))}
        if self.redacted:
            out["redacted_by_type"] = dict(sorted(self.redacted.items()))
        return out


def read_lines(source: Source) -> list[bytes]:
    """Every physical line of the source, numbered as the reader numbers them (index = line - 1),
    without its line ending; a BOM on line 1 is removed (FT106 reports it)."""
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
    repaired = _repair_json(findings, lines, fmt) if options.repair_json else {}
    # 1. records carrying an error (parse, schema, empty field, encoding, token limit...)
    for f in findings:
        if f.line is None:
            if f.severity is Severity.ERROR:
                unfixed.append(f)
            continue
        if f.severity is not Severity.ERROR or f.code in DUPLICATE_CODES or f.code == LEAKAGE or f.line in repaired:
            continue
        if f.code == LABEL_VARIANT and seams.label_variant(f) is not None:
            continue  # repaired below: the variant is rewritten to the canonical spelling
        if f.code in PRIVACY and options.redact:
            continue
        if f.code == "FT106" and f.line == 1 and "byte order mark" in f.message and _only_bom(by_line[1]):
            changed["FT106"] += 1
            continue
        if f.line not in drop:
            dropped[f.code] += 1
        reject(f.line, f.code, f"{f.code} {f.name}: {f.message}")
    # 2. duplicates: keep the first copy / the representative, by union-find over `related`
    for code, wanted in (("FT201", True), ("FT202", options.near)):
        if not wanted:
            continue
        for rep, members in seams.groups_from_findings(findings, [code]).groups().items():
            for line in members:
                if line != rep and line not in drop:
                    dropped[code] += 1
                    reject(line, code, f"{code} {_name(code)}: copy of line {rep} (kept)")
    conflict_groups = seams.groups_from_findings(
        [f for f in findings if f.severity is Severity.ERROR], ["FT203"]).groups()
    for members in conflict_groups.values():
        for line in members:
            if line not in drop:
                dropped["FT203"] += 1
                reject(line, "FT203", f"FT203 conflicting-labels: lines {', '.join(map(str, members))} "
                       "give different answers to the same prompt; resolve them by hand")
    # 3. rewrites on the records that stay
    variants = dict(v for f in findings if f.code == LABEL_VARIANT if (v := seams.label_variant(f)))
    strip_lines = {f.line for f in findings if f.code == WHITESPACE and f.line is not None}
    redact_lines = {f.line for f in findings if f.code in PRIVACY and f.line is not None} if options.redact else set()
    out_fmt = options.to or fmt
    if options.to and fmt and not seams.convertible(fmt, options.to):
        raise FtlintError(f"cannot convert {fmt} to {options.to}")
    reviewed, applied = _review(options.decisions or {}, drop, dropped, changed)
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
            # a line no selected rule flagged but that cannot be curated (e.g. FT1 ignored)
            rejected.append(Rejected(line, raw, (), f"not a valid {fmt or 'JSONL'} record "
                                     "(its rule is not selected, so no finding names it)"))
            continue
        touched = line in reviewed and reviewed[line].action == "edit"
        if line in repaired:
            changed["FT101"] += 1
            repairs.append({"line": line, "code": "FT101", "original": raw.decode("utf-8")})
            touched = True
        if line not in reviewed:
            obj, why = _rule_fixes(by_line.get(line, ()), obj, fmt, options.rule_options, changed, repairs)
            if obj is None:
                rejected.append(Rejected(line, raw, (why[0],), why[1]))
                dropped[why[0]] += 1
                continue
            touched = touched or why is not None
        if variants and line not in reviewed and _rewrite_labels(obj, fmt, variants):
            changed[LABEL_VARIANT] += 1
            touched = True
        if line in strip_lines and _strip_fields(obj, fmt, line):
            changed[WHITESPACE] += 1
            touched = True
        if line in redact_lines:
            obj, counts = seams.redact(obj, fmt, options.redact_types, options.redact_options)
            if counts:
                changed["redact"] += 1
                redacted.update(counts)
                touched = True
        source_obj, source_example = obj, formats.normalize(fmt, obj, line)
        if out_fmt != fmt:
            try:
                obj = seams.convert(obj, fmt, out_fmt)  # type: ignore[arg-type]
            except FtlintError as exc:
                rejected.append(Rejected(line, raw, ("convert",), f"cannot convert to {out_fmt}: {exc}"))
                dropped["convert"] += 1
                continue
            touched = True
            example = formats.normalize(out_fmt, obj, line)  # type: ignore[arg-type]
        else:
            example = source_example
        kept.append(Kept(line, obj, example, orjson.dumps(obj) if touched else raw, touched,
                         source_example, source_obj))
    if options.to:
        changed["convert"] = sum(1 for k in kept if k.changed)
    return Curated(source.name, fmt, out_fmt, len(lines), kept, rejected, dropped, changed, unfixed,
                   [applied[line] for line in sorted(applied)], redacted=redacted, repairs=repairs)


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


def _repair_json(findings: list[Finding], lines: list[bytes], fmt: str | None) -> dict[int, dict]:
    """The FT101 lines json-repair fixes unambiguously into a valid record of the file's format."""
    from ftlint.formats.repair import repair_line

    out: dict[int, dict] = {}
    for f in findings:
        if f.code == "FT101" and f.line is not None and fmt is not None and f.line <= len(lines):
            obj = repair_line(lines[f.line - 1])
            if obj is not None and formats.is_valid(fmt, obj):
                out[f.line] = obj
    return out


def _rule_fixes(found: Iterable[Finding], obj: dict, fmt: str, rule_options: dict[str, dict[str, Any]],
                changed: Counter[str], repairs: list[dict[str, Any]]) -> tuple[dict | None, Any]:
    """Apply the fixes the rules offer for their findings on one record (Rule.fix): returns the
    record (None when a fix drops it) and what happened (None: nothing; (code, reason) when dropped)."""
    from ftlint.rules import REGISTRY
    from ftlint.rules.base import DROP

    what = None
    for f in found:
        rule = REGISTRY.get(f.code)
        if rule is None or rule.fix is None or f.code not in rule_options:
            continue
        result = rule.fix(f, obj, fmt, rule_options[f.code])
        if result == DROP:
            return None, (f.code, f"{f.code} {f.name}: {f.message}")
        if isinstance(result, dict) and result != obj:
            obj = result
            changed[f.code] += 1
            repairs.append({"line": f.line, "code": f.code, **_repair_note(f)})
            what = f.code
    return obj, what


def _repair_note(f: Finding) -> dict[str, Any]:
    data = f.data or {}
    return {k: data[k] for k in ("field", "before", "after", "label", "suggested") if k in data}


def _only_bom(findings: Iterable[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR and not (f.code == "FT106" and "byte order mark" in f.message)
                   for f in findings)


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


# ---------------------------------------------------------------------------- rewrites



def set_path(obj: Any, path: str, value: Any) -> None:
    parts = parse_path(path)
    for p in parts[:-1]:
        obj = obj[p]
    obj[parts[-1]] = value


def _strip_fields(obj: dict, fmt: str, line: int) -> bool:
    changed = False
    for tf in formats.normalize(fmt, obj, line).text_fields:
        stripped = tf.text.strip()
        if stripped != tf.text and stripped:
            set_path(obj, tf.path, stripped)
            changed = True
    return changed


def _rewrite_labels(obj: dict, fmt: str, variants: dict[str, str]) -> bool:
    """Rewrite a label variant where the label lives: an explicit ``label`` key, else the
    completion field when its whole text is the variant."""
    label = obj.get("label")
    if isinstance(label, str) and label in variants:
        obj["label"] = variants[label]
        return True
    example = formats.normalize(fmt, obj, 0)
    answer = example.completion
    if answer not in variants:
        return False
    for tf in reversed(example.text_fields):
        if tf.text == answer:
            set_path(obj, tf.path, variants[answer])
            return True
    return False


# ---------------------------------------------------------------------------- the command's core

@dataclass
class FixResult:
    """What ``ftlint fix`` (or :func:`ftlint.fix`) did: ``output`` / ``rejects`` are None when
    nothing was written (a dry run); ``curated`` holds the kept and rejected records."""

    path: str
    output: str | None
    rejects: str | None
    curated: Curated
    report: Report

    @property
    def kept(self) -> int:
        return len(self.curated.kept)

    @property
    def rejected(self) -> int:
        return len(self.curated.rejected)

    @property
    def dropped(self) -> dict[str, int]:
        return dict(sorted(self.curated.dropped.items()))

    @property
    def changed(self) -> dict[str, int]:
        return dict(sorted(self.curated.changed.items()))

    @property
    def unfixed(self) -> list[Finding]:
        return self.curated.unfixed

    def records(self) -> list[dict]:
        """The kept records as dicts, in input order (after repairs and conversion)."""
        return [k.obj for k in self.curated.kept]

    def summary(self) -> dict[str, Any]:
        return dict(self.curated.summary(), output=self.output, rejects=self.rejects)


def default_rejects(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".rejected.jsonl"


def fix_file(path: str, settings, profile: Any = None, options: FixOptions | None = None, *,
             output: str | None = None, rejects: str | None = None, in_place: bool = False,
             decisions_path: str | None = None, manifest_path: str | None = None) -> FixResult:
    """Check ``path`` with ``settings``, curate it, and write the kept records to ``output`` (or
    over ``path`` with ``in_place``, atomically) and the dropped ones to ``rejects`` (default
    ``OUT.rejected.jsonl``). With neither ``output`` nor ``in_place`` nothing is written.

    ``decisions_path`` names a review sheet (``ftlint review``): its decisions override the fixes
    and are recorded by line in the rejects file and a manifest (``manifest_path``, default
    ``OUT.manifest.json`` when decisions are given)."""
    from dataclasses import replace

    from ftlint.curate import decisions, writers
    from ftlint.engine import Engine
    from ftlint.reader import check_readable

    if path == "-":
        raise FtlintError("fix reads its input twice; give a file, not stdin")
    if output and in_place:
        raise FtlintError("give either an output file or in_place, not both")
    if output and os.path.abspath(output) == os.path.abspath(path):
        raise FtlintError("the output names the input file; use --in-place to replace it")
    check_readable(path)
    sheet = decisions.load(decisions_path) if decisions_path else None  # a bad sheet fails before the data
    source = Source(path)
    report = Engine(settings, profile).run([source])
    lines = read_lines(source)
    options = options or FixOptions()
    if options.redact and not options.redact_options:
        options = replace(options, redact_options=redact_options(settings))
    if not options.rule_options:
        options = replace(options, rule_options=fix_options(settings))
    if sheet is not None:
        fmt = report.files[0].format if report.files else None
        options = replace(options, decisions=decisions.apply_all(sheet, dict(enumerate(lines, 1)), fmt, path))
    curated = curate(report, source, options, lines=lines)
    target_path = path if in_place else output
    if target_path is None:
        return FixResult(path, None, None, curated, report)
    rejects = rejects or default_rejects(target_path)
    manifest_path = manifest_path or (default_manifest(target_path) if decisions_path or options.repair_json else None)
    input_sha = writers.sha256_file(path) if manifest_path else None  # before in_place replaces it
    writers.write_jsonl(target_path, (k.out for k in curated.kept))
    writers.write_jsonl(rejects, (r.to_json() for r in curated.rejected))
    if manifest_path:
        writers.write_json(manifest_path, fix_manifest(path, input_sha, lines, curated, target_path, rejects,
                                                       decisions_path))
    return FixResult(path, target_path, rejects, curated, report)


def default_manifest(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".manifest.json"


def fix_manifest(path: str, input_sha: str | None, lines: list[bytes], curated, out: str, rejects: str,
                 decisions_path: str | None) -> dict:
    """What fix did, deterministically (no clock): input and output hashes, per-rule counts and
    every review decision by line."""
    from ftlint import __version__
    from ftlint.curate import writers

    return {
        "manifest_version": 1,
        "tool": {"name": "ftlint", "version": __version__},
        "command": "fix",
        "input": {"path": path, "sha256": input_sha, "lines": len(lines), "format": curated.format},
        "outputs": {out: {"sha256": writers.sha256_file(out), "records": len(curated.kept)},
                    rejects: {"sha256": writers.sha256_file(rejects), "records": len(curated.rejected)}},
        "output_format": curated.out_format,
        "fixes": curated.summary(),
        "decisions_file": ({"path": decisions_path, "sha256": writers.sha256_file(decisions_path)}
                           if decisions_path else None),
        "decisions": curated.decisions,
        **({"repairs": curated.repairs} if curated.repairs else {}),
    }


def fix_options(settings) -> dict[str, dict[str, Any]]:
    """The options of every selected rule that offers a fix (Rule.fix), by code."""
    from ftlint.rules import REGISTRY

    return {code: settings.options_for(code) for code in sorted(settings.selected())
            if code in REGISTRY and REGISTRY[code].fix is not None}


def redact_options(settings) -> dict[str, Any]:
    """The FT701/FT702 options that decide what counts as a find, merged for redaction."""
    pii, secret = settings.options_for("FT701"), settings.options_for("FT702")
    return {"allow": tuple(pii.get("allow", ())) + tuple(secret.get("allow", ())),
            "skip_fields": tuple(pii.get("skip-fields", ())) + tuple(secret.get("skip-fields", ())),
            "regions": tuple(pii.get("regions", ())) or None,
            "min_entropy": secret.get("min-entropy")}
