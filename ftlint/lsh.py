"""A datasketch MinHash LSH index of a dataset, for a pipeline that keeps it and asks, for every
new record, which training records it nearly duplicates.

    import ftlint

    index = ftlint.minhash_index("train.jsonl")           # or a list of record dicts
    index.minhashes[12]                                   # line 12's datasketch LeanMinHash
    index.query({"prompt": "Where is my order?", "completion": "..."})   # candidate lines
    index.save("train.lsh")                                # pickle; MinHashIndex.load("train.lsh")
    index.lsh                                             # the datasketch MinHashLSH itself

The signatures are FT202's own (ftlint.artifacts.minhash: the same normalization, shingles and
``affine32`` permutations), bit-identical to ``datasketch.MinHash(num_perm, seed)`` updated with
those shingles, and the index bands them as FT202 does (``lsh_params``). A query returns LSH
candidates; ``index.minhashes[line].jaccard(index.minhash(record))`` estimates their similarity
(FT202 itself reports a pair only after the exact Jaccard of their shingle sets).
datasketch is imported on first use (here and by ``minhash.lean_minhash``), never by `ftlint check`."""
from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ftlint import formats
from ftlint.api import PathsOrRecords, sources_of
from ftlint.artifacts import minhash as mh
from ftlint.artifacts.normalize import fields_of, join_records, normalize_joined, shingle_batch
from ftlint.artifacts.shared_template import template_of
from ftlint.atomic import atomic_write_bytes
from ftlint.engine import build_engine
from ftlint.errors import ConfigError, FtlintError
from ftlint.example import Example
from ftlint.settings import from_options

NEAR_DUPLICATE = "FT202"  # the rule whose options and signatures the index shares


@dataclass
class MinHashIndex:
    """``minhashes``: line number -> LeanMinHash of every valid record; ``lsh``: a
    ``datasketch.MinHashLSH`` holding them under their line numbers; ``format``: the record
    format new records are read as."""

    params: mh.Params
    format: str | None
    minhashes: dict[int, Any]
    lsh: Any

    def minhash(self, record: Mapping[str, Any]):
        """The LeanMinHash of a new record (a dict in the index's format), signed as the index's."""
        if self.format is None or not formats.is_valid(self.format, record):
            raise FtlintError(f"the record is not a valid {self.format or 'record of the indexed format'}")
        row = signatures([formats.normalize(self.format, dict(record), 0)], self.params)[0]
        return mh.lean_minhash(row, self.params.seed)

    def query(self, record: Mapping[str, Any]) -> list[int]:
        """Lines of indexed records that share an LSH band with ``record`` (candidates)."""
        return sorted(self.lsh.query(self.minhash(record)))

    def save(self, path: str | os.PathLike) -> None:
        """Pickle the index (atomically); :meth:`load` reads it back."""
        with atomic_write_bytes(path) as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | os.PathLike) -> MinHashIndex:
        """An index written by :meth:`save` (a pickle: load only files you wrote yourself)."""
        with open(path, "rb") as fh:
            index = pickle.load(fh)  # noqa: S301 - the caller's own file
        if not isinstance(index, cls):
            raise FtlintError(f"{os.fspath(path)}: not an ftlint MinHashIndex")
        return index


def minhash_index(paths_or_records: PathsOrRecords, *, threshold: float | None = None, fields: str | None = None,
                  num_perm: int | None = None, dataset_format: str | None = None,
                  config: str | os.PathLike | None = None, discover_config: bool = False,
                  storage_config: dict | None = None) -> MinHashIndex:
    """Index one file (or a list of record dicts) as FT202 sees it: ``threshold``, ``fields`` and
    ``num_perm`` are FT202's options of those names (validated as they are; unset, the config's
    or the defaults: 0.8, "conversation", 128). As FT202, the file's shared template (FT205) is
    left out of the signed text unless FT202's ``ignore-template`` is off; a new record is signed
    without the same template. ``storage_config`` goes to ``MinHashLSH`` (e.g. a
    Redis backend). Invalid records are left out."""
    _datasketch()
    sources = sources_of(paths_or_records)
    if len(sources) != 1:
        raise FtlintError("minhash_index takes one file (or one list of records)")
    given = {"threshold": threshold, "fields": fields, "num-perm": num_perm}
    settings = from_options(config, discover=discover_config, select=["FT101"], dataset_format=dataset_format,
                            options={NEAR_DUPLICATE: {k: v for k, v in given.items() if v is not None}})
    opts = settings.options_for(NEAR_DUPLICATE)
    if not 0 < opts["threshold"] <= 1:
        raise ConfigError(f"{NEAR_DUPLICATE}.threshold must be above 0 and at most 1, got {opts['threshold']}")
    dataset = build_engine(settings, keep_examples=True).run(sources).datasets[0]
    template = template_of(dataset) if opts["ignore-template"] else None
    params = mh.Params(fields=opts["fields"], threshold=float(opts["threshold"]), num_perm=opts["num-perm"],
                       char_n=opts["char-ngram"], word_n=opts["word-ngram"], template=template)
    return build(dataset.examples, params, dataset.format, storage_config)


def build(examples: list[Example], params: mh.Params, fmt: str | None = None,
          storage_config: dict | None = None) -> MinHashIndex:
    """The index of ``examples`` (keyed by their line numbers)."""
    from datasketch import MinHashLSH

    bands, rows = mh.lsh_params(params.threshold, params.num_perm)
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm, params=(bands, rows),
                     storage_config=storage_config)
    minhashes: dict[int, Any] = {}
    sig = signatures(examples, params)
    with lsh.insertion_session() as session:
        for e, row in zip(examples, sig, strict=True):
            m = mh.lean_minhash(row, params.seed)
            minhashes[e.line] = m
            session.insert(e.line, m)
    return MinHashIndex(params, fmt, minhashes, lsh)


def signatures(examples: Iterable[Example], params: mh.Params) -> np.ndarray:
    """(records, num_perm) uint32 MinHash signatures of the examples' ``params.fields``."""
    examples = list(examples)
    hasher = mh.MinHasher(params.num_perm, params.seed)
    texts = params.template.fields if params.template is not None else fields_of
    out = np.empty((len(examples), params.num_perm), np.uint32)
    for s in range(0, len(examples), mh.BATCH):
        part = examples[s:s + mh.BATCH]
        batch = shingle_batch(*normalize_joined(join_records([texts(e, params.fields) for e in part])))
        parts = mh.shingle_parts(batch, len(part), params.char_n, params.word_n)
        out[s:s + len(part)] = hasher.signatures_of(parts, len(part))
    return out


def _datasketch() -> None:
    try:
        import datasketch  # noqa: F401
    except ImportError:
        raise FtlintError("ftlint.minhash_index needs datasketch: pip install datasketch") from None
