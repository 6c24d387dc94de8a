"""The one immutable Finding every stage speaks, and the Problem a rule yields before the engine
stamps it (as yamllint's LintProblem becomes a reported problem)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r}; use one of error, warning, info") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule yields: where and what. The engine adds code, name, severity and path."""

    line: int | None
    message: str
    column: int = 1
    related: tuple[int, ...] = ()
    data: dict[str, Any] | None = None
    # a rule that fires on several rules' behalf (the reader, the format stage) names the code
    code: str | None = None
    # a lower severity than the rule's for this one problem (FT602 warns near the limit and errors
    # over it; FT203 is an error for classification, a warning for generation); a severity the
    # user configured still wins
    severity: Severity | None = None
    # the JSON path of the one field the problem is about (``messages[1].content``): the engine
    # turns it into the column of that value in the line, for reported problems only
    json_path: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    path: str
    line: int | None
    message: str
    column: int = 1
    related: tuple[int, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    # which file of a check run (0 = first); keeps output in the order files were given
    file_index: int = 0

    def sort_key(self) -> tuple:
        # record findings in line order first, dataset-level findings (no line) after them
        return (self.file_index, self.line is None, self.line or 0, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column if self.line is not None else None,
            "message": self.message,
            "related": list(self.related),
            "data": dict(self.data),
        }
