"""ftlint: a linter and curator for fine-tuning datasets.

The Python API, for a pipeline step that does not want the CLI::

    import ftlint
    report = ftlint.check("train.jsonl", validation="val.jsonl", ignore=["FT4"])
    if report.failed:
        raise SystemExit(report.summary)
    ftlint.split("train.jsonl", "build/split", target="claude-3-haiku", drop_invalid=True)
    ftlint.fix("train.jsonl", "train.clean.jsonl")
    index = ftlint.minhash_index("train.jsonl")   # datasketch MinHashLSH of FT202's signatures
"""
from __future__ import annotations

from ftlint._version import __version__
from ftlint.api import check
from ftlint.clusters import DuplicateCluster, duplicate_clusters
from ftlint.curate.api import FixResult, SplitRefused, SplitResult, fix, split
from ftlint.finding import Finding, Severity
from ftlint.lsh import MinHashIndex, minhash_index
from ftlint.result import Report

__all__ = ["check", "Report", "Finding", "Severity", "__version__", "duplicate_clusters", "DuplicateCluster",
           "fix", "split", "FixResult", "SplitResult", "SplitRefused", "minhash_index", "MinHashIndex"]
