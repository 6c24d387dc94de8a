"""Runs the selected rules over sources and stamps what they yield into Findings.

One streaming pass per file: the reader yields records and stage problems, the format stage
validates and normalizes each record, record rules run at once, and examples are kept only when
a selected dataset or pair rule needs them (so `--select FT1` runs in flat memory). Selection,
severity and sorting are applied here, after the rules, never inside them.

The costly record rules (``parallel=True``: FT7's detectors, most of a default check's
per-record time) run, for a large file on a machine with two cores or more, in a forked child at
the lowest priority that reads the file again and hands their problems back batch by batch
(ftlint.pool.background), while this process streams the file for the other rules and goes on to the
dataset rules. When this process needs the problems, it stops the child and runs the batches the
child did not finish itself. The findings are the same either way: the child runs this same scan."""
from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ftlint import dataset_pool, formats, pool
from ftlint.dataset import Dataset, Record
from ftlint.dataset_pool import _call, _failed  # noqa: F401 - ftlint.spark imports them from here
from ftlint.errors import ConfigError
from ftlint.example import Example
from ftlint.finding import Finding, Problem, Severity
from ftlint.formats import detect
from ftlint.read import jsonpos
from ftlint.read.diagnose import MAX_DEPTH
from ftlint.read.reader import Source, read_batches
from ftlint.result import FileInfo, Report
from ftlint.rules import REGISTRY, Rule, rft
from ftlint.settings import Settings

# invalid records kept for a precise FT103 message once the file's format is known; past this
# many, later ones are diagnosed against the format leading so far
_MAX_DEFERRED = 20_000
# files smaller than this run every rule in this process: a fork and a second parse cost more
# than the parallel rules save on them (FT7 takes ~0.2 s per MB)
MIN_BACKGROUND_BYTES = 2 << 20


@dataclass
class _FileScan:
    dataset: Dataset
    problems: list[tuple[Rule | None, Problem]] = field(default_factory=list)
    # the parallel rules' child for this file, and how to run here the batches it did not finish
    job: pool.Job | None = None
    redo: Callable[..., list] | None = None


class Engine:
    # keep every file's examples even when no dataset rule needs them (the HTML report draws them)
    keep_examples: bool = False

    def __init__(self, settings: Settings, target_profile=None):
        self.settings = settings
        self.selected = settings.selected()
        if settings.dataset_format and settings.dataset_format not in formats.FORMATS:
            raise ConfigError(f"unknown dataset format {settings.dataset_format!r}; "
                              f"known formats: {', '.join(formats.FORMATS)}")
        self.target = target_profile
        # the reader's limits are FT114's and FT113's options: they bound memory and recursion
        # whether or not those rules are selected
        self.max_line = settings.options_for("FT114")["max-bytes"]
        self.max_depth = settings.options_for("FT113")["max-depth"]
        if self.max_line < 1:
            raise ConfigError(f"FT114.max-bytes must be a positive number of bytes, got {self.max_line}")
        if not 1 <= self.max_depth <= MAX_DEPTH:
            raise ConfigError(f"FT113.max-depth must be between 1 and {MAX_DEPTH}, got {self.max_depth}")
        # progress(path, bytes_read, size): set by the CLI for a terminal's progress bar
        self.progress = None
        active = [REGISTRY[c] for c in sorted(self.selected)]
        active = [r for r in active if not (r.needs_target and target_profile is None)]
        self.record_rules = [(r, settings.options_for(r.code)) for r in active if r.scope == "record"]
        self.dataset_rules = [(r, settings.options_for(r.code)) for r in active if r.scope == "dataset"]
        self.pair_rules = [(r, settings.options_for(r.code)) for r in active if r.scope == "pair"]

    def run(self, sources: Sequence[Source], validation: Sequence[Source] = ()) -> Report:
        keep = self.keep_examples or bool(self.dataset_rules or (self.pair_rules and validation))
        scans: list[_FileScan] = []
        try:
            for i, s in enumerate((*sources, *validation)):
                children = sum(scan.job is not None for scan in scans)
                scans.append(self._scan(s, i, "train" if i < len(sources) else "validation", keep, children))
            report = self._finish(scans[:len(sources)], scans[len(sources):], len(sources))
        finally:
            for scan in scans:
                if scan.job is not None:
                    scan.job.stop()
        return report

    def _finish(self, scans: list[_FileScan], vscans: list[_FileScan], n_sources: int) -> Report:
        # dataset rules run once every file is read, so that a rule can see the run's record counts
        # (the target's train + validation total, FT601)
        run_records = {"train": sum(s.dataset.records for s in scans),
                       "validation": sum(s.dataset.records for s in vscans)}
        planners = [(r, o) for r, o in self.dataset_rules + (self.pair_rules if vscans else []) if r.plan]
        for scan in scans + vscans:
            scan.dataset.run_records = run_records
            for rule, opts in planners:  # before any rule reads this file's artifacts
                rule.plan(scan.dataset, opts)
            for rule, problems in self._dataset_problems(scan.dataset):
                scan.problems.extend((rule, p) for p in problems)
        findings: list[Finding] = []
        for index, scan in enumerate(scans + vscans):
            _collect(scan)
            findings.extend(self._stamp(scan.problems, scan.dataset.path, index))
        for train in scans:
            for vi, val in enumerate(vscans):
                for rule, opts in self.pair_rules:
                    problems = _call(rule, rule.check, train.dataset, val.dataset, opts)
                    findings.extend(self._stamp(((rule, p) for p in problems), val.dataset.path,
                                                n_sources + vi))
        findings.sort(key=Finding.sort_key)
        datasets = [s.dataset for s in scans + vscans]
        files = [FileInfo(d.path, d.records, d.format, d.role) for d in datasets]
        return Report(findings, files, self.settings.fail_on, datasets=datasets)

    def _dataset_problems(self, dataset: Dataset) -> list[tuple[Rule, list[Problem]]]:
        return dataset_pool.problems(self.dataset_rules, dataset)

    def _stamp(self, items: Iterable[tuple[Rule | None, Problem]], path: str, index: int) -> Iterable[Finding]:
        severities: dict[str, Severity] = {}  # severity_of matches prefixes: once per code, not per finding
        for rule, p in items:
            code = p.code or rule.code  # type: ignore[union-attr]
            if code not in self.selected:
                continue
            r = REGISTRY[code]
            base = severities.get(code)
            if base is None:
                base = severities[code] = self.settings.severity_of(code)
            severity = self.settings.finding_severity(code, p.severity, base)
            yield Finding(code=code, name=r.name, severity=severity, path=path,
                          line=p.line, message=p.message, column=p.column if p.line is not None else 1,
                          related=tuple(p.related), data=dict(p.data or {}), file_index=index)

    def _scan(self, source: Source, index: int, role: str, keep: bool, children: int = 0) -> _FileScan:
        # The streaming pass allocates several small containers per record and makes no reference
        # cycles (parsed JSON, tuples), so the cycle collector only costs time here: its
        # generation-0 passes were ~10% of the instructions of `--select FT1`.
        enabled = gc.isenabled()
        gc.disable()
        try:
            rules = self.record_rules
            apart = [(r, o) for r, o in rules if r.parallel]
            job = None
            if apart and self._background(source, len(apart) < len(rules) or keep, children):
                run_apart = partial(self._apart, source, index, role, apart)
                job = pool.background(run_apart)
            if job is not None:
                rules = [(r, o) for r, o in rules if not r.parallel]
            scan = self._scan_file(source, index, role, keep, rules)
            if job is not None:
                scan.job, scan.redo = job, run_apart
            return scan
        finally:
            if enabled:
                gc.enable()

    def _apart(self, source: Source, index: int, role: str, apart: list[tuple[Rule, dict]],
               each_batch: Callable[[list], None] | None = None, skip: int = 0) -> list:
        """The parallel rules' problems of the batches from ``skip`` on, as tuples (a tenth of the
        time to pickle and unpickle that Problems take); with ``each_batch``, handed over batch by
        batch instead (the child's ``send``)."""
        out: list = []
        emit = each_batch or out.extend

        def batch_done(problems: list) -> None:
            emit([(r.code, p.line, p.message, p.column, p.related, p.data, p.code, p.severity)
                  for r, p in problems if r is not None])  # not the reader's or format stage's
            problems.clear()

        self._scan_file(source, index, role, False, apart, progress=False, batch_done=batch_done, skip=skip)
        return out

    def _background(self, source: Source, other_work: bool, children: int) -> bool:
        """Whether the parallel rules of this file run in a child: when this process has other
        work to overlap them with, the file is large and can be read twice (not stdin), and
        fewer than one child per spare core (``children``) is already running."""
        if not other_work or not source.regular() or not pool.can_fork():
            return False  # a stream (stdin, a FIFO) cannot be read a second time by the child
        if children >= pool.WORKERS - 1:
            return False  # one child per spare core: more files wait for the next scan
        size = _size(source)
        return size is not None and size >= MIN_BACKGROUND_BYTES

    def _scan_file(self, source: Source, index: int, role: str, keep: bool,
                   record_rules: list[tuple[Rule, dict]], progress: bool = True,
                   batch_done: Callable[[list], None] | None = None, skip: int = 0) -> _FileScan:
        """One pass over the file; ``batch_done(problems)`` after each read batch and ``skip``
        (batches not even parsed) are for the parallel rules' pass (see _scan)."""
        forced = self.settings.dataset_format
        problems: list[tuple[Rule | None, Problem]] = []
        examples: list[Example] = []
        single = [(r, o) for r, o in record_rules if not r.batch]
        batched = [(r, o) for r, o in record_rules if r.batch]
        build = bool(record_rules or keep)
        target = self.target
        rft_target = target is not None and "rft" in target.formats
        # lines of valid records grouped by the set of formats they are valid in (a bitmask):
        # the votes, and the FT104 lines once the majority is known, without per-record objects
        by_mask: dict[int, array] = {}
        bit = {f: 1 << i for i, f in enumerate(formats.FORMATS)}
        checker = formats.checker  # compiled on first use: a chat schema takes up to 80 ms
        # per tuple of candidate formats: (format, checker, bit) for each, looked up once
        plans: dict[tuple[str, ...], tuple[tuple[str, Callable[[Any], bool], int], ...]] = {}
        candidates = formats.candidates
        builders = formats.builders()
        new = tuple.__new__
        # (line, obj, candidate formats, raw line: for the column of the first schema error)
        deferred: list[tuple[int, dict, tuple[str, ...], bytes]] = []
        records = 0
        on_bytes = None if self.progress is None or not progress else _reporter(self.progress, source)
        last_mask, last_lines = -1, array("I")
        for number, batch in enumerate(read_batches(source, on_bytes, max_line=self.max_line,
                                                    max_depth=self.max_depth)):
            if number < skip:
                continue
            records += batch.nonblank
            problems.extend([(None, p) for p in batch.problems])
            mark = len(problems)  # the reader's problems come with their columns
            recs: list[Record] = []
            for line, raw, obj in batch.records:
                cands = (forced,) if forced else candidates(obj)
                plan = plans.get(cands)
                if plan is None:
                    plan = plans[cands] = tuple((f, checker(f), bit[f]) for f in cands)
                mask = 0
                first = None
                for f, check, b in plan:
                    if check(obj):
                        mask |= b
                        if first is None:
                            first = f
                if first is None:
                    if len(deferred) < _MAX_DEFERRED:
                        deferred.append((line, obj, cands, raw))
                    else:
                        problems.append((None, _schema_problem(line, obj, cands, detect.file_format(by_mask, bit, (), rft_target), raw)))
                    continue
                if mask != last_mask:
                    last_lines = by_mask.get(mask)
                    if last_lines is None:
                        last_lines = by_mask[mask] = array("I")
                    last_mask = mask
                last_lines.append(line)
                if not build:
                    continue  # nothing reads the Example: a parse-and-validate run skips building it
                example = builders[first](first, obj, line)
                if keep:
                    examples.append(example)
                if record_rules:
                    recs.append(new(Record, (line, raw, obj, first, example, target)))
            for rec in recs if single else ():
                for rule, opts in single:
                    try:
                        for p in rule.check(rec, opts):
                            problems.append((rule, p))
                    except Exception as exc:  # noqa: BLE001 - re-raised with the rule's name
                        raise _failed(rule, exc) from exc
            if recs:
                for rule, opts in batched:
                    problems.extend([(rule, p) for p in _call(rule, rule.check, recs, opts)])
            if len(problems) > mark:
                _locate(problems, mark, batch.records)
            if batch_done is not None:
                batch_done(problems)
        fmt = forced or detect.file_format(by_mask, bit, (c for _, _, c, _ in deferred), rft_target)
        for line, obj, cands, raw in deferred:
            problems.append((None, _schema_problem(line, obj, cands, fmt, raw)))
        if fmt is not None and not forced:
            want = bit[fmt]
            # in an rft file a plain chat is an RFT prompt without its reference answer, not a
            # record of another format: FT613 reports it (ftlint.rules.rft.unanswered)
            plain = detect.unanswered_bits(fmt, bit)
            unanswered: list[int] = []
            odd: set[int] = set()
            for mask, lines in by_mask.items():
                if mask & want:
                    continue
                if mask & plain:
                    unanswered.extend(lines)
                    continue
                other = next(f for f in formats.FORMATS if mask & bit[f])
                odd.update(lines)
                problems.extend((None, _other_format(ln, other, fmt)) for ln in lines)
            if odd and keep:
                examples = [e for e in examples if e.line not in odd]
            if unanswered:
                problems = rft.unanswered(problems, unanswered, reported=rft_target)
        dataset = Dataset(path=source.name, format=fmt, examples=examples, role=role,  # type: ignore[arg-type]
                          records=records, size_bytes=_size(source), target=self.target)
        return _FileScan(dataset, problems)


def build_engine(settings: Settings, *, keep_examples: bool = False, progress=None) -> Engine:
    """The one way from settings to a ready engine: its target profile is the settings' own
    (the config's [targets] overrides and tokenizer applied). ``keep_examples``: keep every
    file's examples (the HTML report draws them); ``progress(path, bytes_read, size)``: called
    while each file is read."""
    engine = Engine(settings, settings.profile())
    engine.keep_examples = keep_examples
    engine.progress = progress
    return engine


def _locate(problems: list[tuple[Rule | None, Problem]], start: int, records: list[tuple[int, bytes, dict]]) -> None:
    """Give the batch's new problems that name a field (``json_path``) the column of its value:
    per reported problem, never per record."""
    raws: dict[int, bytes] | None = None
    for k in range(start, len(problems)):
        rule, p = problems[k]
        if p.json_path is None or p.column != 1:
            continue
        if raws is None:
            raws = {line: raw for line, raw, _ in records}
        raw = raws.get(p.line)  # type: ignore[arg-type]
        if raw is not None:
            # the constructor, not dataclasses.replace: ten times faster, and this runs per finding
            problems[k] = (rule, Problem(p.line, p.message, jsonpos.column(raw, p.json_path), p.related, p.data,
                                         p.code, p.severity, p.json_path))


def _other_format(line: int, other: str, fmt: str) -> Problem:
    """FT104 for a valid record of another format than the file's."""
    return Problem(line, f"record is in {other} format but the file is {fmt} (the format of most records); "
                   "convert it or move it to its own file", code="FT104",
                   data={"record_format": other, "file_format": fmt})


def _schema_problem(line: int, obj: dict, cands: tuple[str, ...], fmt: str | None, raw: bytes = b"") -> Problem:
    if fmt is None:
        keys = ", ".join(repr(k) for k in list(obj)[:6]) or "none"
        return Problem(line, f"record matches no known format (keys: {keys}); see `ftlint rules FT103` "
                       "for the formats ftlint reads", code="FT103")
    # an invalid record is judged against the file's format (FT104 is for records of another
    # format), unless that format rejects its very keys while they point at another format: then
    # it is another format's record, broken, and that format's errors are the useful ones
    found = formats.schema_problems(fmt, obj)
    errors = [text for text, _ in found]
    if cands and fmt not in cands and any("unexpected key" in e for e in errors):
        own = formats.schema_errors(cands[0], obj, 2)
        return Problem(line, f"record looks like {cands[0]} format but the file is {fmt}, and it is not valid "
                       f"{cands[0]} either: {'; '.join(own)}", code="FT104",
                       data={"record_format": cands[0], "file_format": fmt, "errors": own})
    misspelt = any("misspelling" in e for e in errors)
    hint = f" (its keys look like {cands[0]})" if cands and fmt not in cands and not misspelt else ""
    column = jsonpos.column(raw, found[0][1]) if raw and found else 1
    return Problem(line, f"{fmt}: " + "; ".join(errors or ["does not match the schema"]) + hint, column,
                   code="FT103", data={"format": fmt, "errors": errors})


def _collect(scan: _FileScan) -> None:
    """Add the problems of the file's parallel rules: the batches its child finished, and the
    rest computed here (an error in a rule then surfaces here, as it would without a child)."""
    if scan.job is None:
        return
    enabled = gc.isenabled()
    gc.disable()  # unpickling 30k problems with the collector on took 12x longer
    try:
        batches, finished = scan.job.stop()
        scan.job = None
        got = [t for batch in batches for t in batch]
        if not finished:  # the child was still running (a busy machine) or failed: the rest here
            got += scan.redo(skip=len(batches))  # type: ignore[misc]
        scan.problems.extend((REGISTRY[t[0]], Problem(*t[1:])) for t in got)
    finally:
        if enabled:
            gc.enable()


def _size(source: Source) -> int | None:
    try:
        return source.size()
    except OSError:
        return None


def _reporter(progress, source: Source):
    size = _size(source)
    return lambda done: progress(source.name, done, size)
