"""`ftlint split`: check, (optionally) curate, then a grouped, stratified, seeded split into
train / validation / test JSONL that a Bedrock customization job takes as it is.

1. Check the input with the user's rules plus the duplicate and leakage rules the grouping
   needs (ftlint.rules.curation.GROUP_CODES, SPLIT_LEAKAGE). Error findings among the user's
   rules refuse the split (exit 1) unless ``drop_invalid``, which curates as ``ftlint fix`` does.
2. Groups: union-find over the duplicate findings' ``line``/``related`` (``--group``), so a
   group of copies, near-copies or conflicting answers lands wholly on one side.
3. Labels (``--stratify``) from ftlint.artifacts.labels; sizes from ``--validation-size/--test-size``,
   clamped by the target's caps.
4. Assignment (``ftlint.curate.assign``): groups in a seeded random order; first one small group of every
   label with at least two groups goes to validation, then groups fill each label's quota
   (its share of the held-out size), then any space left. Deterministic for a seed.
5. Leakage verification: the split-leakage rule itself runs on the result; any held-out record it flags
   moves (with its group) to train, so ``ftlint check train --validation validation`` is clean.
6. Outputs written atomically; manifest.json last.
"""
from __future__ import annotations

import contextlib
import math
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ftlint.artifacts.labels import ARTIFACT_FIELDS, stratify_labels
from ftlint.atomic import atomic_folder
from ftlint.curate import manifest as manifest_mod
from ftlint.curate import writers
from ftlint.curate.assign import TEST, TRAIN, VALIDATION, assign, labels_missing
from ftlint.curate.convert import convertible
from ftlint.curate.fix import Curated, FixOptions, curate
from ftlint.curate.fix_file import redact_options
from ftlint.dataset import Dataset
from ftlint.engine import build_engine
from ftlint.errors import FtlintError
from ftlint.finding import Severity
from ftlint.read import remote
from ftlint.read.reader import Source, check_readable
from ftlint.read.sources import require_rereadable
from ftlint.result import Report
from ftlint.rules import REGISTRY
from ftlint.rules import curation as roles
from ftlint.rules.curation import ENFORCED_BY_SPLIT, GROUP_CODES, UNSUPPORTED_FORMAT
from ftlint.settings import Layer, Settings
from ftlint.targets import Profile, unaccepted_format

DEFAULT_SEED = 42
LEAKAGE = roles.SPLIT_LEAKAGE
SPLIT_NAMES = ("train", "validation", "test")
OUTPUT_NAMES = ("train.jsonl", "validation.jsonl", "test.jsonl", "rejected.jsonl", "manifest.json")
# without a target every limit is unknown, so the splitter enforces none
NO_TARGET = Profile(key="", name="")


class SplitRefused(FtlintError):
    """The data cannot be split as asked (exit code 1: it is the data, not the command)."""

    exit_code = 1

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class SplitOptions:
    validation_size: float | int = 0.1  # a fraction in (0, 1) or a record count
    test_size: float | int = 0
    seed: int = DEFAULT_SEED
    stratify: str = "auto"  # auto | none | a top-level field name
    group: str = "near"  # exact | near | none
    drop_invalid: bool = False
    mask_rejects: bool = True  # credentials masked in rejected.jsonl (ftlint.curate.fix.FixOptions)

    def to_dict(self) -> dict[str, Any]:
        return {"validation_size": self.validation_size, "test_size": self.test_size, "seed": self.seed,
                "stratify": self.stratify, "group": self.group, "drop_invalid": self.drop_invalid}


@dataclass
class SplitResult:
    out_dir: str
    counts: dict[str, int]
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    report: Report | None = None


def parse_size(text: str | float | int, what: str) -> float | int:
    """'0.1' -> 0.1 (a fraction), '500' -> 500 (a count); negative or 1.0+ fractions refused."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise FtlintError(f"{what} must be a fraction such as 0.1 or a record count such as 500, got {text!r}") from None
    if not math.isfinite(value) or value < 0 or (value != int(value) and value >= 1):
        raise FtlintError(f"{what} must be a fraction in [0, 1) or a whole record count, got {text!r}")
    return value if value < 1 else int(value)


def resolve_size(size: float | int, n: int) -> int:
    if isinstance(size, float) and size < 1:
        return int(size * n + 0.5)
    return min(int(size), n)


def split_file(path: str | Source, out_dir: str, settings: Settings, options: SplitOptions) -> SplitResult:
    """Split ``path`` (a file, or a Source holding the Python API's records) into ``out_dir``,
    honouring the settings' target profile (record counts, formats, hyper-parameters)."""
    if options.group not in GROUP_CODES:
        raise FtlintError(f"--group must be one of {', '.join(GROUP_CODES)}")
    source = path if isinstance(path, Source) else Source(path)
    path = source.name
    if source.lines is None:
        check_readable(path)
        require_rereadable(path, "split")
    writers.check_s3_name(os.path.basename(os.path.normpath(out_dir)) or out_dir)
    user_selected = settings.selected()
    extra = tuple(c for c in (*GROUP_CODES[options.group], LEAKAGE) if c in REGISTRY)
    run_settings = replace(settings, layers=settings.layers + (Layer(extend_select=extra),))
    engine = build_engine(run_settings)
    profile = engine.target
    report = engine.run([source])
    # the checked dataset (its examples and every rule's artifacts) is done with: the curate pass
    # below reads the file again and builds what the split needs, so free it before that pass
    report.datasets.clear()
    user_findings = [f for f in report.findings if f.code in user_selected]
    user_report = Report(user_findings, report.files, settings.fail_on)
    file_fmt = report.files[0].format if report.files else None
    out_fmt = profile.formats[0] if profile is not None and profile.formats else None
    caps = profile if profile is not None else NO_TARGET
    if out_fmt is not None and file_fmt in caps.formats:
        out_fmt = file_fmt  # already a format the target takes: write records as they are
    handled = set(ENFORCED_BY_SPLIT)
    if out_fmt and file_fmt and convertible(file_fmt, out_fmt):
        handled.add(UNSUPPORTED_FORMAT)  # the splitter writes the target's format itself
    blocking = [f for f in user_findings if f.severity is Severity.ERROR
                and not (f.line is None and f.code in handled)
                and not (options.drop_invalid and f.line is not None)]
    if blocking:
        raise SplitRefused(f"{path}: {len(blocking)} error finding(s) must be fixed first "
                           "(or pass --drop-invalid to reject the records that carry them)", user_report)
    fix_report = Report(user_findings if options.drop_invalid else [], report.files, settings.fail_on)
    written = out_fmt if out_fmt and file_fmt and convertible(file_fmt, out_fmt) else file_fmt
    if (refusal := unaccepted_format(profile, written)) is not None:
        raise SplitRefused(f"{path}: {refusal}")  # a file the job would reject is no split
    field_name = None if options.stratify in ("auto", "none") else options.stratify
    curated = curate(fix_report, source, FixOptions(to=out_fmt if out_fmt != file_fmt else None,
                                                    mask_rejects=options.mask_rejects,
                                                    redact_options=redact_options(settings),
                                                    keep_objects=field_name not in (None, *ARTIFACT_FIELDS)))
    notes: list[str] = []
    group_ids = _group_ids(curated, report, GROUP_CODES[options.group])
    labels = stratify_labels([k.source_example for k in curated.kept], [k.source_obj for k in curated.kept],
                             field_name, options.stratify)
    n = len(curated.kept)
    if n == 0:
        why = f"all {len(curated.rejected)} lines were rejected" if curated.rejected else "it holds no records"
        raise SplitRefused(f"{path}: nothing to split: {why}; a training file needs at least one record",
                           user_report)
    v_size, t_size = resolve_size(options.validation_size, n), resolve_size(options.test_size, n)
    _check_requested(path, n, options, v_size, t_size)
    v_size = _clamp_validation(v_size, caps, notes)
    if v_size + t_size >= n:
        raise SplitRefused(f"{path}: validation {v_size} + test {t_size} records of {n} leave none for training; "
                           "ask for smaller --validation-size/--test-size, or add records")
    sides = assign(group_ids, labels, v_size, t_size, options.seed)
    _verify_leakage(curated, sides, group_ids, run_settings, profile, notes)
    counts = {name: int((sides == i).sum()) for i, name in enumerate(SPLIT_NAMES)}
    _check_filled(path, n, counts, v_size, t_size, group_ids)
    _check_caps(counts, caps, path)
    if labels is not None:
        missing = labels_missing(labels, sides)
        if missing:
            notes.append("labels with 2+ examples missing from validation (all their examples are one "
                         "duplicate group, or validation is too small), kept in train: " + ", ".join(missing))
    return _write(source, out_dir, curated, sides, labels, counts, options, caps, user_report, notes, v_size,
                  t_size)


def _group_ids(curated: Curated, report: Report, codes: tuple[str, ...]) -> list[int]:
    uf = roles.groups(report.findings, codes)
    return [uf.find(k.line) if k.line in uf else k.line for k in curated.kept]


def _check_requested(path: str, n: int, options: SplitOptions, v_size: int, t_size: int) -> None:
    """A held-out share that rounds to no record is refused with the figures: writing no
    validation file when one was asked for would pass silently."""
    for what, asked, size in (("validation", options.validation_size, v_size), ("test", options.test_size, t_size)):
        if asked and not size:
            raise SplitRefused(f"{path}: a {what} share of {asked:g} of {n} records is {asked * n:.2f} records, "
                               f"which rounds to 0: give --{what}-size as a record count (1 or more), "
                               f"0 for no {what} file, or add records")


def _check_filled(path: str, n: int, counts: dict[str, int], v_size: int, t_size: int,
                  group_ids: list[int]) -> None:
    """A split whose asked-for held-out file came out empty is refused with the figures (whole
    duplicate groups move together, and leakage verification moves records back to train); train
    is never empty, as validation + test < n."""
    groups = len(set(group_ids))
    for what, size in (("validation", v_size), ("test", t_size)):
        if size and not counts[what]:
            raise SplitRefused(
                f"{path}: {what} would be empty: the {n} records form {groups} group(s) of copies, near-copies "
                f"or conflicting prompts that each stay on one side, and none fitted in {size} {what} record(s) "
                "without leaking; ask for a larger size, pass --group exact or none, or add records")


def _clamp_validation(v_size: int, caps: Profile, notes: list[str]) -> int:
    if not caps.key:
        return v_size
    if not caps.validation:
        if v_size:
            notes.append(f"{caps.key} takes no validation file: validation size {v_size} set to 0")
        return 0
    if caps.validation_max is not None and v_size > caps.validation_max:
        notes.append(f"{caps.key} takes at most {caps.validation_max} validation records: "
                     f"validation size {v_size} capped")
        v_size = caps.validation_max
    if v_size and caps.validation_min is not None and v_size < caps.validation_min:
        notes.append(f"{caps.key} needs at least {caps.validation_min} validation records: "
                     f"validation size {v_size} raised")
        v_size = caps.validation_min
    return v_size


def _check_caps(counts: dict[str, int], caps: Profile, path: str) -> None:
    if not caps.key:
        return
    train, val = counts["train"], counts["validation"]
    problems = []
    if caps.train_min is not None and train < caps.train_min:
        problems.append(f"train would hold {train} records; {caps.key} needs at least {caps.train_min}")
    if caps.train_max is not None and train > caps.train_max:
        problems.append(f"train would hold {train} records; {caps.key} takes at most {caps.train_max}")
    if caps.total_min is not None and train + val < caps.total_min:
        problems.append(f"train + validation would hold {train + val} records; {caps.key} needs at least "
                        f"{caps.total_min}")
    if caps.total_max is not None and train + val > caps.total_max:
        problems.append(f"train + validation would hold {train + val} records; {caps.key} takes at most "
                        f"{caps.total_max}")
    if val and caps.validation_min is not None and val < caps.validation_min:
        problems.append(f"validation would hold {val} records; {caps.key} needs at least {caps.validation_min}")
    if problems:
        raise SplitRefused(f"{path}: " + "; ".join(problems) + ": add or remove records, or change the sizes")


# ---------------------------------------------------------------------------- assignment


# ---------------------------------------------------------------------------- leakage

def _verify_leakage(curated: Curated, sides: np.ndarray, group_ids: list[int], settings: Settings,
                    profile: Any, notes: list[str]) -> None:
    rule = REGISTRY.get(LEAKAGE)
    if rule is None or rule.check is None:
        notes.append(f"leakage verification skipped: {LEAKAGE} is not available in this build")
        return
    opts = settings.options_for(LEAKAGE)
    index_of = {k.line: i for i, k in enumerate(curated.kept)}
    fmt = curated.out_format
    moved = 0
    train = None  # built once and shared by the validation and test checks until a record moves
    for held in (VALIDATION, TEST):
        for _ in range(5):
            if train is None:
                train = Dataset("train.jsonl", fmt,
                                [curated.kept[i].example for i in np.flatnonzero(sides == TRAIN)],
                                role="train", target=profile)
            other = Dataset(f"{SPLIT_NAMES[held]}.jsonl", fmt,
                            [curated.kept[i].example for i in np.flatnonzero(sides == held)],
                            role="validation", target=profile)
            if not other.examples:
                break
            leaked = {p.line for p in rule.check(train, other, opts) if p.line in index_of}
            if not leaked:
                break
            bad_groups = {group_ids[index_of[line]] for line in leaked}
            for i, g in enumerate(group_ids):
                if g in bad_groups and sides[i] == held:
                    sides[i] = TRAIN
                    moved += 1
            train = None
    if moved:
        notes.append(f"leakage verification ({LEAKAGE}) moved {moved} held-out record(s) to train")


# ---------------------------------------------------------------------------- outputs

def _own(name: str) -> bool:
    """Entries of an existing --out folder that a split wrote: its outputs, and the temporary
    files of an older ftlint's per-file writes that a killed run left behind."""
    return name in OUTPUT_NAMES or any(name.startswith(f".{o}.") and name.endswith(".tmp") for o in OUTPUT_NAMES)


@contextlib.contextmanager
def _remote_folder(out_dir: str) -> Iterator[str]:
    remote.prepare_output_folder(out_dir, OUTPUT_NAMES)
    yield out_dir


def _write(source: Source, out_dir: str, curated: Curated, sides: np.ndarray, labels, counts: dict[str, int],
           options: SplitOptions, caps: Profile, user_report: Report, notes: list[str],
           v_size: int, t_size: int) -> SplitResult:
    outputs: dict[str, dict[str, Any]] = {}
    wanted = [TRAIN]
    if v_size > 0:
        wanted.append(VALIDATION)
    if t_size > 0:
        wanted.append(TEST)
    label_dist = None
    if labels is not None:
        label_dist = {SPLIT_NAMES[s]: Counter(str(labels[i]) for i in np.flatnonzero(sides == s)) for s in wanted}
    path, input_sha = source.name, writers.sha256_source(source)
    # a local set is written into a staging folder that replaces out_dir whole (ftlint.atomic):
    # a kill at any point leaves either the previous complete set or the new one, never a mix.
    # An s3:// prefix has no renames: its earlier outputs are removed first, each object is put
    # whole, and manifest.json comes last, so a set without its manifest is an unfinished one
    staging = _remote_folder(out_dir) if remote.is_remote(out_dir) else atomic_folder(out_dir, _own)
    with staging as stage:
        for side in wanted:
            name = f"{SPLIT_NAMES[side]}.jsonl"
            rows = [curated.kept[i].out for i in np.flatnonzero(sides == side)]
            outputs[name] = {"records": len(rows), "sha256": writers.write_jsonl(os.path.join(stage, name), rows)}
        outputs["rejected.jsonl"] = {"records": len(curated.rejected), "sha256": writers.write_jsonl(
            os.path.join(stage, "rejected.jsonl"), (r.to_json() for r in curated.rejected))}
        man = manifest_mod.build(
            command="split", options=options.to_dict(), seed=options.seed, input_path=path,
            input_sha256=input_sha, input_lines=curated.lines, input_format=curated.format,
            output_format=curated.out_format, outputs=outputs, labels=label_dist, caps=caps,
            findings=user_report.summary, fixes=curated.summary(), notes=notes)
        writers.write_json(os.path.join(stage, "manifest.json"), man)
    counts = dict(counts, rejected=len(curated.rejected))
    return SplitResult(out_dir, counts, man, notes, user_report)
