"""The outcome of a check run: findings, per-file facts, the summary, the exit code."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ftlint._version import __version__
from ftlint.finding import Finding, Severity


@dataclass(frozen=True)
class FileInfo:
    path: str
    records: int
    format: str | None
    role: str = "train"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "records": self.records, "format": self.format, "role": self.role}


@dataclass
class Report:
    findings: list[Finding]
    files: list[FileInfo]
    fail_on: Severity = Severity.ERROR
    datasets: list[Any] = field(default_factory=list, repr=False)  # Dataset objects, for the API
    # findings a baseline accepted (left out of `findings`), its path, and whether this run wrote it
    accepted: int = 0
    baseline: str | None = None
    baseline_written: bool = False
    # the engine that made a report other than the local one, and what it left out (ftlint.spark:
    # {"name": "spark", "on_driver": [codes], "sampled": {...}}); in the JSON report only when set
    engine: dict[str, Any] | None = None

    @property
    def summary(self) -> dict[str, Any]:
        by_sev = Counter(f.severity for f in self.findings)
        by_code = Counter(f.code for f in self.findings)
        return {
            "errors": by_sev[Severity.ERROR],
            "warnings": by_sev[Severity.WARNING],
            "infos": by_sev[Severity.INFO],
            "by_code": dict(sorted(by_code.items())),
        }

    @property
    def failed(self) -> bool:
        return any(f.severity.rank >= self.fail_on.rank for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "tool": {"name": "ftlint", "version": __version__},
            "files": [f.to_dict() for f in self.files],
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
        } | ({"engine": self.engine} if self.engine is not None else {})
