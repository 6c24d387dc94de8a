"""Shingles, MinHash signatures, LSH banding and duplicate clusters, vectorized with numpy.

The hot path has no Python work per shingle and no Python object per signature:

1. Shingles (:mod:`ftlint.artifacts.shingles`). Each field (turn) of a record is shingled on its own, after
   :func:`ftlint.artifacts.normalize.shingle_text`. A field of at most ``SHORT_MAX`` characters
   is cut into character ``char_n``-grams, a field of at least ``LONG_MIN`` characters (with
   real words, not unspaced CJK) into word ``word_n``-grams, and a field in between into both,
   so that two versions of one text whose lengths differ by up to 40% always share a shingle
   kind. Short utterances need character n-grams (a 10-word ticket has only 8 word 3-grams and
   one changed word removes three of them); long answers get word n-grams, five times fewer
   shingles for the same text, which is what makes 1M records affordable.
2. Shingle hashes (:mod:`ftlint.artifacts.shingles`). Every batch of texts is one code-point array; a prefix sum of
   ``cp[t] * Q**t mod 2**64`` gives the hash of any substring in O(1)
   (``(G[j]-G[i]) * Q**-i``), so character and word n-grams are hashed by array arithmetic.
   :func:`shingle_hash` is the same function for one Python string.
3. Signatures (:mod:`ftlint.artifacts.signatures`). The upper 32 bits of a shingle hash (times an odd constant, so that every bit of
   the hash reaches them) go through datasketch's ``affine32`` scheme
   (MurmurHash3 ``fmix32`` pre-mix, then ``a*h+b mod 2**32`` with datasketch's own permutation
   parameters), minimised per record with ``np.minimum.reduceat`` in cache-sized blocks. A row
   is bit-identical to ``datasketch.MinHash(num_perm, seed, hashfunc=<that 32-bit hash>)``
   updated with the same shingles: :func:`lean_minhash` wraps it as a ``LeanMinHash``.
4. LSH (:mod:`ftlint.artifacts.banding`). Bands and rows are datasketch's ``_optimal_param`` choice with a 0.98 weight on false
   negatives (threshold 0.8, 128 permutations: 17 bands of 7 rows, 98% of pairs at exactly
   0.8 become candidates). The bands are hashed to one uint64 per record and band and grouped
   with a sort, instead of ``MinHashLSH`` (a Python dict insert per band and record: about 20x
   slower and ~4 KB per record at 1M records). Only band keys are kept, not signatures.
5. Verification (:mod:`ftlint.artifacts.similarity`). Every candidate pair is re-shingled and kept only if the exact Jaccard
   similarity of the two shingle sets reaches the threshold: no LSH false positive is reported.

Where the time goes (one file, `FT201`-`FT203`): two passes over the records, each one Python
join per record in this process (:func:`conversation_batch`) and then array work per batch of
BATCH records on every core (:mod:`ftlint.pool`: forked workers on Linux):

- the content pass (:mod:`ftlint.artifacts.content`): normalization and a 128-bit blake2b digest of
  every record and, in the same pass, of every single-turn record's prompt (FT201's exact
  groups, FT203's prompt groups, FT204's cross-file copies);
- the signature pass (:func:`build_index`, records that are not exact copies): shingle hashes,
  128 permutations (the bulk: about half of all CPU time), band keys and the low byte of every
  signature value.

Then, in this process: candidate buckets (one packed sort per band), the b-bit pre-filter,
the verification (shingle sets of the candidate records on the workers again) and clusters.
Neither pass imports datasketch (which imports scipy): :func:`permutations` and
:func:`lsh_params` compute what datasketch would, and tests check that they agree.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from ftlint import pool
from ftlint.artifacts import batches
from ftlint.artifacts.banding import WINDOW, _unique, band_keys, candidate_pairs, cross_pairs, lsh_params  # noqa: F401
from ftlint.artifacts.batches import BATCH, CHUNK, _rounds, conversation_batch, records_of, texts_for  # noqa: F401
from ftlint.artifacts.content import SHINGLED, content_digests, content_for, exact_content, shingled_for  # noqa: F401
from ftlint.artifacts.normalize import exact_groups, join_records, normalize_joined, shingle_batch  # noqa: F401
from ftlint.artifacts.shingles import shingle_hash, shingle_hash32, shingle_hashes, shingle_parts, shingles  # noqa: F401
from ftlint.artifacts.signatures import (  # noqa: F401
    MinHasher,
    Params,
    _compiled,
    _signature_job,
    _signature_outs,
    lean_minhash,
    permutations,
)
from ftlint.artifacts.similarity import _set_arrays, jaccard, jaccards, plausible, shingle_sets  # noqa: F401
from ftlint.artifacts.unionfind import UnionFind


@dataclass
class DuplicateIndex:
    """One file's duplicate structure (indices are positions in ``dataset.examples``)."""

    params: Params
    lines: np.ndarray  # line number of each example
    exact: list[list[int]]  # groups of identical (normalized) records, each sorted
    reps: np.ndarray  # indices of the records that entered the LSH (first copies)
    keys: np.ndarray  # (len(reps), bands) band keys
    hashes: np.ndarray  # normalized-content hash of every example (for cross-file exact matches)
    mini: np.ndarray  # (len(reps), num_perm) uint8: the low byte of each signature value
    edges: list[tuple[int, int, float]] = field(default_factory=list)  # verified near pairs (i, j, sim)
    near: list[list[int]] = field(default_factory=list)  # near-duplicate clusters over reps, sorted

    def exact_group_of(self) -> dict[int, list[int]]:
        return {g[0]: g for g in self.exact}

    def clusters(self) -> list[list[int]]:
        """Every duplicate cluster: near-duplicate clusters with their exact copies folded in,
        plus exact-only groups; each a sorted list of example indices, ordered by first member."""
        copies = self.exact_group_of()
        seen: set[int] = set()
        out = []
        for c in self.near:
            members = sorted(i for r in c for i in copies.get(r, [r]))
            seen.update(c)
            out.append(members)
        out.extend(g for g in self.exact if g[0] not in seen)
        out.sort(key=lambda g: g[0])
        return out


def _sets_job(item: tuple[str, int], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """One batch of raw text -> its records' sorted unique shingle fingerprints, concatenated, and the
    record bounds (compact to send back from a worker)."""
    text, n = item
    return _set_arrays(shingle_parts(shingle_batch(*normalize_joined(text)), n, params.char_n, params.word_n), n)


def sets_of(examples, idx, params: Params) -> list[np.ndarray]:
    """Sorted unique shingle fingerprints of examples[i] for i in idx (for exact Jaccard)."""
    inputs = [x for got, _ in _rounds(np.asarray(idx, np.int64), params.fields, examples, template=params.template)
              for x in got]
    out: list[np.ndarray] = []
    for h, bounds in pool.map_ordered(functools.partial(_sets_job, params=params), inputs, fork=True):
        out.extend(h[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1))
    return out


def _compact(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """a[rows] for increasing rows, written over a's first len(rows) rows instead of a copy
    (rows[i] >= i, so no row is overwritten before it is read)."""
    step = 1 << 16
    for s in range(0, len(rows), step):
        part = rows[s:s + step]
        a[s:s + len(part)] = a[part]
    return a[:len(rows)]


def build_index(examples, params: Params, content: tuple[np.ndarray, list[list[int]]] | None = None,
                signed: dict[str, np.ndarray] | None = None) -> DuplicateIndex:
    """The duplicate index of examples. ``signed``: the keys, low bytes and empty flags of every
    record, when the content pass computed them (see :func:`content_for`)."""
    n = len(examples)
    lines = np.fromiter((e.line for e in examples), np.int64, n)
    hashes, exact = content or exact_content(examples, params.fields)
    dup = np.zeros(n, bool)
    for g in exact:
        dup[g[1:]] = True
    reps = np.flatnonzero(~dup)
    if signed is not None:
        outs = {k: _compact(v, reps) for k, v in signed.items()}
    else:
        how = pool.mode(-(-len(reps) // batches.BATCH))
        outs = _signature_outs(len(reps), params, how == "fork")
        job = functools.partial(_signature_job, params=params, compiled=_compiled(len(reps), params))
        for inputs, where in _rounds(reps, params.fields, examples, template=params.template):
            pool.fill(job, inputs, where, outs, how)
    keys, mini, empty = outs["keys"], outs["mini"], outs["empty"]
    index = DuplicateIndex(params, lines, exact, reps, keys, hashes, mini)
    pairs = candidate_pairs(keys, empty)
    pairs = pairs[plausible(mini, pairs[:, 0], mini, pairs[:, 1], params.threshold)]
    index.edges = _verify(examples, reps[pairs[:, 0]], examples, reps[pairs[:, 1]], params)
    index.near = _components(index.edges)
    return index


def _verify(ex_a, ia: np.ndarray, ex_b, ib: np.ndarray, params: Params) -> list[tuple[int, int, float]]:
    """Exact Jaccard of each candidate pair; keeps those at or above the threshold."""
    if not len(ia):
        return []
    if ex_a is ex_b:
        u = _unique(np.r_[ia, ib])
        sa = sb = sets_of(ex_a, u, params)
        pa, pb = np.searchsorted(u, ia), np.searchsorted(u, ib)
    else:
        ua, pa = np.unique(ia, return_inverse=True)
        ub, pb = np.unique(ib, return_inverse=True)
        sa = sets_of(ex_a, ua, params)
        sb = sets_of(ex_b, ub, params)
    def sims(r: range) -> np.ndarray:  # forked workers read sa, sb, pa, pb as they are here
        return jaccards(sa, sb, pa[r.start:r.stop], pb[r.start:r.stop])

    step = max(4096, -(-len(ia) // (4 * pool.WORKERS)))  # worth a fork from ~30k pairs on
    sim = np.concatenate(pool.map_ordered(sims, [range(s, min(s + step, len(ia))) for s in range(0, len(ia), step)], fork=True))
    t = params.threshold
    return [(a, b, round(x, 4)) for a, b, x in zip(ia.tolist(), ib.tolist(), sim.tolist(), strict=True) if x >= t]


def _components(edges: list[tuple[int, int, float]]) -> list[list[int]]:
    """The connected components of the verified pairs, each sorted, by first member."""
    uf = UnionFind()
    for a, b, _ in edges:
        uf.add(a)
        uf.add(b)
        uf.union(a, b)
    return list(uf.groups().values())


def index_for(dataset, params: Params) -> DuplicateIndex:
    """The dataset's duplicate index for these parameters, built once and shared (signed in the
    content pass when a rule planned it: ``dataset.plan(params)``)."""
    def build(ds) -> DuplicateIndex:
        content = content_for(ds, params.fields)
        return build_index(ds.examples, params, content, ds.take(f"signed:{params.key}"))

    return dataset.memo(params.key, build)


__all__ = ["Params", "DuplicateIndex", "MinHasher", "index_for", "shingled_for", "build_index", "shingle_hashes",
           "shingles", "shingle_hash", "shingle_hash32", "lean_minhash", "lsh_params", "exact_groups"]
