"""``ftlint split --engine spark`` and ``ftlint.spark.split``: the leakage-free split of
ftlint.curate.split at a scale where no record list fits one process.

- Which lines are rejected is the local split's decision (ftlint.rules.curation): a line that
  holds no record of the file's format, and with ``drop_invalid`` every record with an error
  finding of a selected rule and every exact copy (FT201) after the first record kept; without
  ``drop_invalid`` an error finding refuses the split, as locally.
- Groups: the components of the duplicate edges ``--group`` names (GROUP_CODES: exact copies,
  near duplicates, the same prompt), ftlint.spark.clusters; a group lands wholly on one side.
- Sides: per label, groups in the order of a hash of (seed, group's first line), validation
  taking them while the label's running total stays within its quota (its share of the
  validation size): deterministic for a seed, whatever the partitioning, and stratified.
- Every input line ends up in exactly one of train/, validation/ and rejected/; the manifest
  says how many, and that their sum is the input's line count.

Not done on Spark (the manifest's notes say so): a test split, format conversion and the
record rewrites of ``ftlint fix`` (records are written as they are), target record-count caps,
the input's sha256 (it would read the whole input on the driver) and the FT204 re-check of the
result (the groups already keep every near-duplicate pair on one side)."""
from __future__ import annotations

import hashlib
from functools import partial
from operator import add
from typing import Any

from ftlint.artifacts.labels import looks_like_classification
from ftlint.curate.fix import Rejected
from ftlint.curate.redact import mask_raw
from ftlint.curate.split import SplitOptions, SplitRefused, resolve_size
from ftlint.errors import FtlintError
from ftlint.finding import Severity
from ftlint.rules import curation as roles
from ftlint.settings import Settings
from ftlint.spark import clusters, dupes
from ftlint.spark.outputs import write_manifest, write_outputs
from ftlint.spark.scan import parsed

MAX_LABELS = 1000  # more distinct labels than this is no classification set: no stratification
VALIDATION, TRAIN = "validation", "train"


def split(spark: Any, settings: Settings, data: Any, name: str, out_dir: str, options: SplitOptions,
          single_file: bool = False) -> dict[str, Any]:
    """Split ``data`` into ``out_dir`` (train/, validation/, rejected/, manifest.json); returns the manifest."""
    from ftlint.spark.engine import SparkEngine

    if options.group not in roles.GROUP_CODES:
        raise FtlintError(f"--group must be one of {', '.join(roles.GROUP_CODES)}")
    if options.test_size:
        raise FtlintError("--test-size is not supported with --engine spark yet; use --engine local")
    engine = SparkEngine(settings, spark)
    storage = engine.storage
    user = settings.selected()
    with engine.prepared(name, data) as p:
        codes = p.problems.flatMap(partial(_codes, settings=settings, user=user)).persist(storage)
        by_code = dict(codes.map(lambda c: ((c[1], c[2]), 1)).reduceByKey(add).collect())
        _refuse(name, by_code, codes, options.drop_invalid)
        errors = codes.filter(lambda c: c[0] is not None and c[2]).map(lambda c: (c[0], None)).distinct()
        kept = p.examples.map(lambda r: (r[0], r))
        if options.drop_invalid:
            kept = kept.subtractByKey(errors)
        copies = spark.sparkContext.emptyRDD()
        if options.drop_invalid and roles.EXACT_DUPLICATE in user:
            copies = _copies(kept.values(), settings)
            kept = kept.subtractByKey(copies)
        kept = kept.values().persist(storage)
        n = kept.count()
        if not n:
            raise SplitRefused(f"{name}: nothing to split: none of its {p.lines} lines is a record kept")
        v_size = resolve_size(options.validation_size, n)
        group = roles.GROUP_CODES[options.group]
        groups = clusters.labelled(kept, settings, name, p.format, storage, exact=roles.EXACT_DUPLICATE in group,
                                   near=roles.NEAR_DUPLICATE in group, prompts=roles.CONFLICTING_LABELS in group)
        label_of, notes = _labeler(kept, n, options.stratify)
        records = (kept.mapPartitions(label_of.partition).leftOuterJoin(groups)
                   .map(lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], *kv[1][0]))
                   .persist(storage))  # (group, record, label)
        totals = records.map(lambda t: (t[2], 1)).reduceByKey(add).take(MAX_LABELS + 1)
        if len(totals) > MAX_LABELS:
            notes.append(f"more than {MAX_LABELS} distinct labels: not stratified")
            records = records.map(lambda t: (t[0], t[1], None))
            totals = [(None, n)]
        sides = _sides(spark, records, dict(totals), v_size / n, options.seed)
        rows = (records.map(lambda t: (t[0], (t[1], t[2]))).join(sides)
                .map(lambda kv: (kv[1][0][0][0], kv[1][0][0][1], kv[1][1], kv[1][0][1])))  # (line, raw, side, label)
        rejected = _rejected(p.rows, kept, codes, copies, options.mask_rejects)
        outputs, labels = write_outputs(spark, out_dir, rows, rejected, single_file, storage)
        lines = outputs["train"]["records"] + outputs["validation"]["records"] + outputs["rejected"]["records"]
        if lines != p.lines:  # pragma: no cover - every line is kept or rejected by construction
            raise FtlintError(f"{name}: {lines} lines written of {p.lines} read")
        codes.unpersist()
        records.unpersist()
        kept.unpersist()
    notes.extend(_not_done())
    manifest = {"command": "split", "engine": {"name": "spark", "master": spark.sparkContext.master},
            "options": {**options.to_dict(), "single_file": single_file}, "seed": options.seed,
            "input": {"path": name, "sha256": None, "lines": p.lines, "format": p.format},
            "outputs": outputs, "records": {k: v["records"] for k, v in outputs.items()},
            "labels": labels if label_of.source else None, "findings": {"by_code": _by_code(by_code)}, "notes": notes}
    write_manifest(spark, out_dir, manifest)
    return manifest


def _codes(item: tuple, settings: Settings, user: frozenset[str]) -> list[tuple[int | None, str, bool]]:
    """(line, code, is an error) of a finding of a selected rule, its severity as the local engine stamps it."""
    code, p = item
    code = p.code or code
    if code not in user:
        return []
    return [(p.line, code, settings.finding_severity(code, p.severity) is Severity.ERROR)]


def _refuse(name: str, by_code: dict, codes, drop_invalid: bool) -> None:
    """Error findings refuse the split (file-level ones always, but those a split resolves), as locally."""
    file_level = set(codes.filter(lambda c: c[0] is None and c[2]).map(lambda c: c[1]).distinct().collect())
    blocking = {c for c in file_level if c not in roles.ENFORCED_BY_SPLIT}
    if not drop_invalid:
        blocking |= {c for (c, err), k in by_code.items() if err}
    if blocking:
        counts = ", ".join(f"{c} x{sum(k for (cc, e), k in by_code.items() if cc == c and e) or 1}"
                           for c in sorted(blocking))
        raise SplitRefused(f"{name}: error findings must be fixed first ({counts}); pass --drop-invalid to "
                           "reject the records that carry them, or run `ftlint check --engine spark` to see them")


def _copies(examples, settings: Settings):
    """(line, first line) of every exact copy after the first of its group (FT201's fix)."""
    def later(kv) -> list[tuple[int, int]]:
        lines = sorted(kv[1])
        return [(ln, lines[0]) for ln in lines[1:]]

    return clusters.digests(examples, settings).map(lambda kv: (kv[1], kv[0])).groupByKey().flatMap(later)


class _Labels:
    """The label a record is stratified by (a picklable callable), or None without labels."""

    def __init__(self, source: str | None, field: str | None = None):
        self.source, self.field = source, field

    def partition(self, rows) -> list[tuple[int, tuple[tuple, str | None]]]:
        """(line, (record, label)) of every record of a partition."""
        rows = list(rows)
        if self.source is None:
            return [(r[0], (r, None)) for r in rows]
        if self.source == "field":
            return [(r[0], (r, _field(parsed(r[0], r[1]), self.field))) for r in rows]
        return [(r[0], (r, roles.answer_key(ex))) for r, ex in zip(rows, dupes.examples_of(rows), strict=True)]


def _field(obj: dict, key: str | None) -> str | None:
    value = obj.get(key) if key else None
    return None if value is None else str(value)


def _labeler(kept, n: int, stratify: str) -> tuple[_Labels, list[str]]:
    """Labels as the local split finds them (an explicit label on 90% of records, or completions
    that look like classes), decided on the evenly spaced sample FT205 reads."""
    if stratify == "none":
        return _Labels(None), []
    if stratify not in ("auto", "label", "completion"):
        return _Labels("field", stratify), []
    picked = dupes.sample(kept, n)
    if stratify == "label" or sum(e.label is not None for e in picked) >= 0.9 * len(picked):
        return _Labels("answer"), []
    if stratify == "completion" or looks_like_classification([e.completion for e in picked]):
        return _Labels("answer"), []
    return _Labels(None), ["no labels found (in a sample of the records): not stratified"]


def _rank(group: int, seed: int) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}:{group}".encode(), digest_size=8).digest(), "big") >> 1


def _sides(spark: Any, records, totals: dict, share: float, seed: int):
    """(group, side): per label, groups by their rank, validation while the label's running
    count stays within its quota. A group's label is its first record's."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    quotas = spark.createDataFrame([(str(k), int(share * c + 0.5)) for k, c in totals.items()],
                                   "label string, quota long")
    per_group = (records.map(lambda t: (t[0], (1, t[1][0], t[2])))
                 .reduceByKey(lambda a, b: (a[0] + b[0],) + (a[1:] if a[1] < b[1] else b[1:]))
                 .map(lambda kv: (kv[0], kv[1][0], str(kv[1][2]), _rank(kv[0], seed))))
    frame = spark.createDataFrame(per_group, "grp long, size long, label string, rank long")
    window = Window.partitionBy("label").orderBy("rank", "grp").rowsBetween(Window.unboundedPreceding, 0)
    chosen = (frame.join(F.broadcast(quotas), "label").withColumn("running", F.sum("size").over(window))
              .select("grp", (F.col("running") <= F.col("quota")).alias("held")))
    return chosen.rdd.map(lambda r: (r[0], VALIDATION if r[1] else TRAIN))


def _rejected(rows, kept, codes, copies, mask: bool):
    """The rejects file's lines (ftlint.curate.fix.Rejected's JSON) of every line not kept."""
    numbered = rows.zipWithIndex().map(lambda kv: (kv[1] + 1, kv[0]))
    line_codes = codes.filter(lambda c: c[0] is not None).map(lambda c: (c[0], c[1])).distinct().groupByKey()
    gone = numbered.subtractByKey(kept.map(lambda r: (r[0], None)))
    return gone.leftOuterJoin(line_codes).leftOuterJoin(copies).map(partial(_reject, mask=mask))


def _reject(kv, mask: bool) -> tuple[int, bytes]:
    line, ((raw, codes), first) = kv
    codes = tuple(sorted(codes or ()))
    if first is not None:
        reason = f"{roles.copy_word(roles.EXACT_DUPLICATE)} of line {first}"
        codes = tuple(sorted({*codes, roles.EXACT_DUPLICATE}))
    elif codes:
        reason = "findings: " + ", ".join(codes)
    else:
        reason = "not a record of the file's format"
    shown, masked = mask_raw(raw) if mask else (raw, None)
    return line, Rejected(line, raw, codes, reason, shown=shown if masked else None,
                          masked=dict(masked) if masked else None).to_json()


def _by_code(by_code: dict) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (code, err), k in sorted(by_code.items()):
        out.setdefault(code, {"errors": 0, "others": 0})["errors" if err else "others"] += k
    return out


def _not_done() -> list[str]:
    return ["records written as they are (no format conversion, no fix rewrites, no target record-count caps "
            "on Spark); input sha256 not computed"]
