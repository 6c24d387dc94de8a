"""What dataset-level and pair rules receive: one file's examples plus shared artifacts that are
computed on first use and cached, so that many rules share one pass of expensive work."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from ftlint.example import Example


class Record(NamedTuple):
    """A parsed record as record rules see it, while the file streams (built per record, so a
    NamedTuple: the engine makes it with tuple.__new__, in C)."""

    line: int
    raw: bytes
    obj: dict
    format: str
    example: Example
    target: Any = None  # the target profile, when --target is given


@dataclass
class Dataset:
    path: str
    format: str | None
    examples: list[Example]
    role: Literal["train", "validation", "test"] = "train"
    records: int = 0  # non-blank lines, parsed or not
    size_bytes: int | None = None
    target: Any = None  # the target profile, when --target is given
    # records (non-blank lines) per role over the whole run, e.g. {"train": 900, "validation": 100}
    run_records: dict[str, int] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    # what the run's rules announced they will ask for (Rule.plan), e.g. duplicate-index
    # parameters: an artifact built first can then do the work of a later one in the same pass
    plans: list[Any] = field(default_factory=list, repr=False)

    def memo(self, key: str, build: Callable[[Dataset], Any]) -> Any:
        """The artifact named key, built once by build(self) and shared by every rule."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]

    def take(self, key: str) -> Any:
        """Remove and return the artifact named key (None if it was never built): for a part
        that one artifact built for another, which is consumed once."""
        return self._memo.pop(key, None)

    def plan(self, item: Any) -> None:
        if item not in self.plans:
            self.plans.append(item)

    @property
    def lines(self) -> list[int]:
        return self.memo("lines", lambda ds: [e.line for e in ds.examples])
