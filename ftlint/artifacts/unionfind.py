"""Disjoint sets of line numbers (union-find): the groups that duplicate and conflict findings
draw between records, as the splitter, the fixer and the HTML report read them.

The smaller member is always its set's root, so a group's representative is its first line."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def __contains__(self, x: int) -> bool:
        return x in self.parent

    def add(self, x: int) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self) -> dict[int, list[int]]:
        """Root -> its members, sorted; roots in increasing order (singletons included)."""
        out: dict[int, list[int]] = {}
        for x in sorted(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


def linked_lines(findings: Iterable[Any], codes: Iterable[str]) -> UnionFind:
    """The sets joined by the ``line`` and ``related`` lines of every finding whose code is in
    ``codes`` (a finding's own line is a member even when it relates to no other)."""
    wanted = frozenset(codes)
    uf = UnionFind()
    for f in findings:
        if f.code not in wanted or f.line is None:
            continue
        uf.add(f.line)
        for r in f.related:
            uf.add(r)
            uf.union(f.line, r)
    return uf
