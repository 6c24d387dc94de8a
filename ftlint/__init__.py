"""ftlint: a linter and curator for fine-tuning datasets.

The Python API, for a pipeline step that does not want the CLI::

    import ftlint
    report = ftlint.check("train.jsonl", validation="val.jsonl", ignore=["FT4"])
    if report.failed:
        raise SystemExit(report.summary)
"""
from __future__ import annotations

__version__ = "0.1.0"

from ftlint.api import check  # noqa: E402
from ftlint.clusters import DuplicateCluster, duplicate_clusters  # noqa: E402
from ftlint.finding import Finding, Severity  # noqa: E402
from ftlint.result import Report  # noqa: E402

__all__ = ["check", "Report", "Finding", "Severity", "__version__", "duplicate_clusters", "DuplicateCluster"]
