"""The duplicate family on Spark: FT201 (exact copies), FT202 (near duplicates), FT203
(conflicting labels: groups of the same prompt, exact or near) and FT205 (the shared template), with the local engine's artifacts computed per partition by the local code.

- Content digests and MinHash signatures: ftlint.artifacts (content.py's ``_digest_job``,
  signatures.py's ``_signature_job``, on batches made by batches.py's ``_rounds``), per
  partition; a record's digest and signature depend on its own text only, so they are the
  local engine's, bit for bit.
- Exact groups: a shuffle on the 128-bit digest; the first line of a group is its original,
  and only originals enter the LSH (as locally).
- LSH: a shuffle on (band, band key); in a bucket, sorted by line, each record is paired with
  its next ``WINDOW - 1`` members, as ftlint.artifacts.banding.candidate_pairs pairs them.
- Verification: the exact Jaccard of the two shingle sets (similarity.py's ``_sets_job``), the
  sets made on the partitions of the candidates' records and brought to each pair by two joins.
  The local engine first drops the candidates whose b-bit estimate is more than 0.25 below the
  threshold (a pair at the threshold is dropped with probability below 1e-8); here every
  candidate is verified, so the two agree but for that chance.
- Clusters: large-star / small-star connected components (ftlint.spark.components).
- The template (FT205, and left out of FT202's text): ftlint.artifacts.shared_template on the
  same evenly spaced sample of at most 2,000 records, the only records the driver receives.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from operator import add

import numpy as np

from ftlint import formats
from ftlint.artifacts.banding import WINDOW, lsh_params
from ftlint.artifacts.batches import _rounds
from ftlint.artifacts.content import _digest_job
from ftlint.artifacts.minhash import _sets_job
from ftlint.artifacts.normalize import normalize, prompt_context
from ftlint.artifacts.shared_template import SAMPLE, detect
from ftlint.artifacts.signatures import Params, _signature_job
from ftlint.artifacts.similarity import jaccard
from ftlint.dataset import Dataset
from ftlint.finding import Problem
from ftlint.rules import duplicates
from ftlint.spark.components import components
from ftlint.spark.scan import parsed

COVERED = ("FT201", "FT202", "FT203", "FT205")


def examples_of(rows: Iterable[tuple[int, bytes, str]]) -> list:
    build = formats.builders()
    return [build[first](first, parsed(line, raw), line) for line, raw, first in rows]


def _batches(examples: list, fields: str, template=None) -> Iterator[tuple[tuple[str, int], slice]]:
    for inputs, where in _rounds(range(len(examples)), fields, examples, template=template):
        yield from zip(inputs, where, strict=True)


def _digests(rows: Iterable[tuple[int, bytes, str]], fields: str) -> Iterator[tuple[tuple[int, int], int]]:
    """((h, c), line): the 128-bit content digest of every record of a partition."""
    rows = list(rows)
    examples = examples_of(rows)
    for item, where in _batches(examples, fields):
        out = _digest_job(item, first_field=False)
        for k, (h, c) in enumerate(zip(out["h"].tolist(), out["c"].tolist(), strict=True)):
            yield (h, c), examples[where.start + k].line


def _signed(rows: Iterable[tuple[int, bytes, str]], params: Params) -> Iterator[tuple[tuple[int, int], tuple]]:
    """((h, c), (line, band keys or None)): the content digest and the band keys of every record
    of a partition (None for a record without shingles: it never pairs)."""
    examples = examples_of(list(rows))
    digests = [d for item, _ in _batches(examples, params.fields) for d in _pairs(_digest_job(item, first_field=False))]
    k = 0
    for item, _ in _batches(examples, params.fields, params.template):
        out = _signature_job(item, params)
        for keys, empty in zip(out["keys"].tolist(), out["empty"].tolist(), strict=True):
            yield digests[k], (examples[k].line, None if empty else keys)
            k += 1


def _pairs(out: dict) -> list[tuple[int, int]]:
    return list(zip(out["h"].tolist(), out["c"].tolist(), strict=True))


def _bucket_pairs(kv) -> list[tuple[int, int]]:
    lines = sorted(kv[1])
    return [(lines[i], lines[j]) for i in range(len(lines)) for j in range(i + 1, min(i + WINDOW, len(lines)))]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _sets(rows: Iterable[tuple[int, tuple[bytes, str]]], params: Params) -> Iterator[tuple[int, tuple]]:
    """(line, (shingle fingerprints, prompt digest, answer digest)) of every record of a partition:
    what the verification and FT202's skip of FT203's conflicts read."""
    flat = [(line, raw, first) for line, (raw, first) in rows]
    examples = examples_of(flat)
    for item, where in _batches(examples, params.fields, params.template):
        h, bounds = _sets_job(item, params)
        for k in range(where.stop - where.start):
            ex = examples[where.start + k]
            yield ex.line, (h[bounds[k]:bounds[k + 1]].tobytes(), _digest(normalize(prompt_context(ex))),
                            _digest(duplicates._answer(ex)))


def _verify(item, threshold: float) -> list[tuple[int, int, float, bool]]:
    b, ((a, (sa, pa, aa)), (sb, pb, ab)) = item
    sim = jaccard(np.frombuffer(sa, np.uint64), np.frombuffer(sb, np.uint64))
    if sim < threshold:
        return []
    return [(a, b, round(sim, 4), pa == pb and aa != ab)]


def _best(x: tuple[float, int, bool], y: tuple[float, int, bool]) -> tuple[float, int, bool]:
    """The closer partner: higher similarity, then the earlier line (as near_problems chooses)."""
    return x if (x[0], -x[1]) > (y[0], -y[1]) else y


def _near_problem(kv) -> list[Problem]:
    rep, ((line, (sim, pline, conflict)), size) = kv
    if line == rep or conflict:  # the cluster's first line, or FT203's finding
        return []
    related = (rep,) if pline == rep else tuple(sorted({rep, pline}))
    how = f"similarity {sim:.2f}" if pline == rep else f"similarity {sim:.2f} with line {pline} of its cluster"
    return [Problem(line, f"near-duplicate of line {rep} ({how}); keep one of them or rewrite this one",
                    related=related, data={"similarity": sim, "representative": rep, "closest": pline,
                                           "cluster_size": size})]


def exact_problems(examples, fields: str):
    """FT201's problems (an RDD): every copy after the first of a group of identical records."""
    def copies(kv) -> list[Problem]:
        g = sorted(kv[1])
        return [Problem(ln, f"exact duplicate of line {g[0]} (same text after case and whitespace "
                        "normalization); remove the copy", related=(g[0],), data={"first": g[0], "copies": len(g)})
                for ln in g[1:]]

    return examples.mapPartitions(lambda rows: _digests(rows, fields)).groupByKey().flatMap(copies)


def near_edges(examples, params: Params, storage=None):
    """The verified near-duplicate pairs (a, b, similarity, conflict) of the exact groups' originals."""
    bands, _ = lsh_params(params.threshold, params.num_perm)
    originals = (examples.mapPartitions(lambda rows: _signed(rows, params))
                 .reduceByKey(min).map(lambda kv: kv[1]).filter(lambda t: t[1] is not None))
    candidates = (originals.flatMap(lambda t: [((b, k), t[0]) for b, k in enumerate(t[1][:bands])])
                  .groupByKey().flatMap(_bucket_pairs).distinct())
    if storage is not None:
        candidates.persist(storage)
    wanted = candidates.flatMap(lambda p: p).distinct().map(lambda ln: (ln, None))
    sets = (examples.map(lambda r: (r[0], (r[1], r[2]))).join(wanted).map(lambda kv: (kv[0], kv[1][0]))
            .mapPartitions(lambda rows: _sets(rows, params)))
    threshold = params.threshold
    return (candidates.join(sets).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).join(sets)
            .flatMap(lambda item: _verify(item, threshold)))


def near_problems(edges, storage=None):
    """FT202's problems (an RDD) from the verified pairs: one per cluster member but the first."""
    if storage is not None:
        edges.persist(storage)
    labels = components(edges.map(lambda e: (e[0], e[1])), storage)  # (line, first line of its cluster)
    sizes = labels.map(lambda kv: (kv[1], 1)).reduceByKey(add)
    best = edges.flatMap(lambda e: [(e[0], (e[2], e[1], e[3])), (e[1], (e[2], e[0], e[3]))]).reduceByKey(_best)
    members = labels.join(best).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))  # (rep, (line, best))
    return members.join(sizes).flatMap(_near_problem)


def _prompted(rows: Iterable[tuple[int, bytes, str]]) -> Iterator[tuple[tuple[int, int], tuple]]:
    """((h, c), (line, *conflict_features)): the 128-bit digest of every record's prompt (as
    content_for(dataset, "prompt") makes it) with what FT203 reads of the record."""
    examples = examples_of(list(rows))
    for item, where in _batches(examples, "prompt"):
        out = _digest_job(item, first_field=False)
        for k, digest in enumerate(_pairs(out)):
            ex = examples[where.start + k]
            yield digest, (ex.line, *duplicates.conflict_features(ex))


def _in_order(members: Iterable[tuple]) -> list[tuple]:
    return sorted(members, key=lambda m: m[0])


def conflict_problems(examples, classification: bool, params: Params | None = None, storage=None):
    """FT203's problems (an RDD): rules.duplicates.conflict_problems on every group of records
    with the same prompt. The groups: a shuffle on the prompt's digest (exact prompts); with
    ``params`` (near-identical prompts, classification data), the near-duplicate clusters of
    the exact groups' originals too (near_edges and components on the prompts, as FT202's on
    the records), each exact group joined to its original's cluster, a second shuffle."""
    exact = examples.mapPartitions(_prompted).groupByKey().map(lambda kv: _in_order(kv[1]))
    if params is None:
        groups = exact.filter(lambda g: len(g) > 1)
    else:
        edges = near_edges(examples, params, storage)  # read once, by components
        clusters = components(edges.map(lambda e: (e[0], e[1])), storage)  # (original, first line of its cluster)
        groups = (exact.map(lambda g: (g[0][0], g)).leftOuterJoin(clusters)
                  .map(lambda kv: (kv[0] if kv[1][1] is None else kv[1][1], kv[1][0]))
                  .reduceByKey(add).values().filter(lambda g: len(g) > 1).map(_in_order))
    return groups.flatMap(lambda g: duplicates.conflict_problems(g, classification))


def sample(examples, count: int) -> list:
    """The evenly spaced sample shared_template.detect reads (``examples``: in line order)."""
    sizes = examples.mapPartitions(lambda rows: [sum(1 for _ in rows)]).collect()
    starts = np.r_[0, np.cumsum(sizes)].tolist()
    step = max(1, count / SAMPLE)
    wanted = {int(k * step) for k in range(min(count, SAMPLE))}

    def pick(index: int, rows):
        return [r for k, r in enumerate(rows, starts[index]) if k in wanted]

    return examples_of(sorted(examples.mapPartitionsWithIndex(pick).collect()))


def template_view(path: str, fmt: str | None, examples, count: int) -> Dataset:
    """A Dataset holding the file's shared template (from the sample) for FT205 and FT202's
    parameters; its ``examples`` are the sample, with ``len()`` the file's example count."""
    picked = sample(examples, count)
    view = Dataset(path=path, format=fmt, examples=_Counted(picked, count))
    view.memo("shared-template", lambda _: detect(picked))
    return view


class _Counted(list):
    """The sampled examples of a file, whose len() is the file's number of examples (FT205 says
    "of 2,000 sampled records" when the sample is not the whole file)."""

    def __init__(self, items: list, count: int):
        super().__init__(items)
        self.count = count

    def __len__(self) -> int:
        return self.count
