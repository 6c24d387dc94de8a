"""Training and held-out files passed side by side (`ftlint check train.jsonl validation.jsonl`,
as pre-commit passes every changed file) are paired by name and checked as a split, as if the
held-out one had been given with --validation: leakage (FT204), label coverage and drift, the
target's validation limits.

A held-out file is named after its training file with a suffix (``X_val``, ``X_valid``,
``X_validation``, ``X_dev``, ``X_test``, separated by ``_``, ``-`` or ``.``), or is one of
``val``/``valid``/``validation``/``dev``/``test`` next to ``train``/``training``; the training
file is ``X``, ``X_train`` or ``X_training`` in the same folder. Files that pair with nothing are
checked alone, as before. Each group runs on its own (a held-out file is compared with its own
training file only), and the reports are merged in the order the files were given."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ftlint.read.reader import Source
from ftlint.result import Report

HELD = ("validation", "valid", "val", "dev", "test")
TRAIN = ("train", "training")
_EXT = re.compile(r"\.(?:jsonl|json|csv|tsv|parquet)(?:\.(?:gz|zst|bz2|xz))?$", re.I)
_HELD = re.compile(rf"^(?P<base>.+?)[_.-](?P<kind>{'|'.join(HELD)})$", re.I)


@dataclass
class Group:
    train: int  # index into the paths
    held: list[int] = field(default_factory=list)


def _stem(path: str) -> tuple[str, str]:
    folder, name = os.path.split(os.path.normpath(path))
    return os.path.normcase(os.path.abspath(folder or ".")), _EXT.sub("", name)


def _train_names(stem: str) -> list[str]:
    """The names a held-out file's training file may have, best first (None if not held-out)."""
    low = stem.lower()
    if low in HELD:
        return list(TRAIN)
    m = _HELD.match(stem)
    if not m:
        return []
    base = m["base"]
    return [f"{base}{sep}{t}" for t in TRAIN for sep in "_-."] + [base]


def groups(paths: Sequence[str]) -> list[Group]:
    """The training files among ``paths`` that have held-out files among them, with those files."""
    by_name: dict[tuple[str, str], int] = {}
    for i, p in enumerate(paths):
        if p != "-":
            folder, stem = _stem(p)
            by_name.setdefault((folder, stem.lower()), i)
    found: dict[int, Group] = {}
    for i, p in enumerate(paths):
        if p == "-":
            continue
        folder, stem = _stem(p)
        for name in _train_names(stem):
            t = by_name.get((folder, name.lower()))
            if t is not None and t != i:
                found.setdefault(t, Group(t)).held.append(i)
                break
    held = {h for g in found.values() for h in g.held}
    # a file that is both (X_val.jsonl next to X_val_test.jsonl) stays a training file only
    return [replace(g, held=[h for h in g.held if h not in found]) for t, g in sorted(found.items())
            if t not in held]


def kind(path: str) -> str:
    return "test" if _stem(path)[1].lower().endswith("test") else "validation"


def run(sources: Sequence[Source], pairs: list[Group], runner: Callable[[list[Source], list[Source]], Report]) -> Report:
    """One run per pair (its training file plus its held-out files) and one for every other file,
    merged into one report whose files and findings follow the order of ``sources``."""
    paired = {g.train for g in pairs} | {h for g in pairs for h in g.held}
    parts: list[tuple[list[int], Report]] = []
    for g in pairs:
        held = [h for h in g.held]
        parts.append(([g.train, *held], runner([sources[g.train]], [sources[h] for h in held])))
    rest = [i for i in range(len(sources)) if i not in paired]
    if rest:
        parts.append((rest, runner([sources[i] for i in rest], [])))
    return merge(parts, len(sources))


def merge(parts: list[tuple[list[int], Report]], n: int) -> Report:
    """Reports of runs over subsets of the files (``indices``: each run's files, in its order)
    as one report over all ``n`` files."""
    files: list = [None] * n
    datasets: list = [None] * n
    findings = []
    fail_on = parts[0][1].fail_on
    for indices, report in parts:
        for local, index in enumerate(indices):
            files[index] = report.files[local]
            if report.datasets:
                datasets[index] = report.datasets[local]
        findings.extend(replace(f, file_index=indices[f.file_index]) for f in report.findings)
    findings.sort(key=lambda f: f.sort_key())
    return Report(findings, files, fail_on, datasets=[d for d in datasets if d is not None])
