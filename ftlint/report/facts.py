"""What the HTML report shows about each file, gathered in bounded work: one hash of the file's
bytes, one pass over its lines when the engine kept no examples or excerpts are needed, token
estimates on a seeded sample, and only the excerpts of the lines that the report shows."""
from __future__ import annotations

import hashlib
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from ftlint import formats
from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.unionfind import linked_lines
from ftlint.dataset import Dataset
from ftlint.example import Example
from ftlint.finding import Finding
from ftlint.read.reader import BOM, Source
from ftlint.report.excerpt import example_text, excerpt
from ftlint.targets.tokens import record_tokens

DEFAULT_SAMPLE = 20_000
DUPLICATE_CODES = ("FT201", "FT202")


@dataclass
class FileFacts:
    path: str
    role: str
    format: str | None
    records: int
    valid: int
    size_bytes: int | None
    sha256: str | None
    sampled: int
    input_tokens: np.ndarray
    output_tokens: np.ndarray
    label_source: str | None
    label_counts: Counter
    coverage: dict[str, Any]
    excerpts: dict[int, str] = field(default_factory=dict)
    clusters: list[list[int]] = field(default_factory=list)


def sha256_of(path: str) -> str | None:
    if not os.path.isfile(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def scan(path: str, fmt: str | None, want: set[int], need_examples: bool) -> tuple[dict[int, bytes], list[Example]]:
    """Raw bytes of the lines in ``want``, and (when asked) the Examples of the records valid in
    ``fmt``, read in one pass the way the engine's reader counts lines."""
    raws: dict[int, bytes] = {}
    examples: list[Example] = []
    if not (want or need_examples) or not (os.path.isfile(path) or path.startswith("s3://")):
        return raws, examples
    valid = formats.checker(fmt) if (need_examples and fmt) else None
    with Source(path).open() as fh:
        for lineno, raw in enumerate(fh, 1):
            raw = raw.rstrip(b"\r\n")
            if lineno == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if lineno in want:
                raws[lineno] = raw
            if valid is None or not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            if type(obj) is dict and valid(obj):
                examples.append(formats.normalize(fmt, obj, lineno))  # type: ignore[arg-type]
    return raws, examples


def clusters(findings: Iterable[Finding], codes: Sequence[str] = DUPLICATE_CODES) -> list[list[int]]:
    """Groups of lines joined by the ``line`` and ``related`` of duplicate findings, largest first."""
    groups = linked_lines(findings, codes).groups().values()
    return sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), g[0]))


class _PlanningEstimate:
    """Without a target: ``ceil(len(text) / 3)``, the conservative ~3 characters per token that
    FT602 plans with."""

    method = "estimate: ~3 chars/token"

    def count(self, text: str) -> int:
        return math.ceil(len(text) / 3) if text else 0


PLANNING_ESTIMATE = _PlanningEstimate()


def token_limits(target: Any) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """((input limit, label), (output limit, label)) of a target profile, each None when unknown;
    a total (input + output) limit bounds each side when the side has none of its own."""
    if target is None:
        return None, None
    total = target.max_total_tokens
    out = []
    for side in ("input", "output"):
        own = getattr(target, f"max_{side}_tokens")
        out.append((own, f"target {side} limit") if own else (total, "target total limit (input + output)")
                   if total else None)
    return out[0], out[1]


def target_name(target: Any) -> str | None:
    if target is None:
        return None
    return target.name or target.key or str(target)


def _percentiles(values: np.ndarray) -> dict[str, int]:
    if not values.size:
        return {"median": 0, "p95": 0, "max": 0}
    med, p95 = np.percentile(values, [50, 95])
    return {"median": int(round(med)), "p95": int(math.ceil(p95)), "max": int(values.max())}


def collect(dataset: Dataset, findings: Sequence[Finding], *, excerpt_lines: set[int], sample: int = DEFAULT_SAMPLE,
            seed: int = 0, like_labels: str | None = None) -> FileFacts:
    groups = clusters(findings)
    want = set(excerpt_lines) | {g[0] for g in groups[:50]}
    need_examples = not dataset.examples and bool(dataset.format)
    raws, streamed = scan(dataset.path, dataset.format, want, need_examples)
    if need_examples:
        dataset = Dataset(path=dataset.path, format=dataset.format, examples=streamed, role=dataset.role,
                          records=dataset.records, size_bytes=dataset.size_bytes, target=dataset.target)
    examples = dataset.examples
    n = len(examples)
    if n > sample:
        rng = np.random.default_rng(seed)
        picked = [examples[i] for i in np.sort(rng.choice(n, size=sample, replace=False))]
    else:
        picked = list(examples)
    estimator = getattr(dataset.target, "estimator", None) or PLANNING_ESTIMATE
    pairs = [record_tokens(estimator, e) for e in picked]
    tin = np.array([p[0] for p in pairs], dtype=np.int64)
    tout = np.array([p[1] for p in pairs], dtype=np.int64)
    info = labels_of(dataset, field=like_labels or "auto")
    source, counts = (info.source, Counter(info.labels)) if info is not None else (None, Counter())
    by_line = {e.line: e for e in examples} if want else {}
    excerpts = {}
    for line in want:
        ex = by_line.get(line)
        if ex is not None:
            excerpts[line] = excerpt(example_text(ex))
        elif line in raws:
            excerpts[line] = excerpt(raws[line].decode("utf-8", errors="replace"))
    coverage = _coverage(examples, tin, tout, counts)
    return FileFacts(path=dataset.path, role=dataset.role, format=dataset.format, records=dataset.records,
                     valid=n, size_bytes=dataset.size_bytes, sha256=sha256_of(dataset.path), sampled=len(picked),
                     input_tokens=tin, output_tokens=tout, label_source=source, label_counts=counts,
                     coverage=coverage, excerpts=excerpts, clusters=groups)


def _coverage(examples: Sequence[Example], tin: np.ndarray, tout: np.ndarray, counts: Counter) -> dict[str, Any]:
    n = len(examples)
    if not n:
        return {}
    prompts = len({hash(e.prompt) for e in examples})
    completions = len({hash(e.completion) for e in examples})
    turns = sum(1 for e in examples if sum(1 for t in e.turns if t.role == "assistant") > 1)
    system = sum(1 for e in examples if e.system)
    media = sum(1 for e in examples if e.media)
    out: dict[str, Any] = {
        "unique prompts": (prompts, n),
        "unique completions": (completions, n),
        "multi-turn records": (turns, n),
        "records with a system prompt": (system, n),
        "records with media": (media, n),
        "input tokens (median / p95 / max)": _percentiles(tin),
        "output tokens (median / p95 / max)": _percentiles(tout),
    }
    if counts:
        top = counts.most_common()
        out["distinct labels"] = len(counts)
        out["largest / smallest class"] = f"{top[0][0]} {top[0][1]:,} / {top[-1][0]} {top[-1][1]:,}" \
                                          f" (ratio {top[0][1] / max(top[-1][1], 1):.1f})"
    return out


def counter_counts(counter: Counter, keys: Sequence[str]) -> list[int]:
    return [counter.get(k, 0) for k in keys]


def label_rows(facts: Sequence[FileFacts], limit: int = 30) -> list[str]:
    """The labels drawn: the most frequent over every file, at most ``limit``."""
    total: Counter = Counter()
    for f in facts:
        total.update(f.label_counts)
    return [k for k, _ in total.most_common(limit)]


def dumps(obj: Any) -> str:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode()
