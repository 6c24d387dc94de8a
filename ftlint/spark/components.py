"""Connected components of a graph held as a Spark RDD of edges, by the large-star / small-star
algorithm (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii: "Connected Components in
MapReduce and Beyond", SoCC 2014): every round is two shuffles over the edges, the number of
rounds grows with the logarithm of the largest component, and no step gathers a component, let
alone the graph, in one place. A component is named by its smallest node: for the duplicate
clusters that is the first line of the cluster, as the local engine's union-find names it."""
from __future__ import annotations

from typing import Any

MAX_ROUNDS = 64  # far above the ~2 log2(n) rounds a graph of a billion nodes needs


def _large_star(kv: tuple[Any, Any]) -> list[tuple[Any, Any]]:
    """Link every neighbour larger than u to the smallest node of u's neighbourhood (u included)."""
    u, nbrs = kv
    nbrs = set(nbrs)
    m = min(min(nbrs), u)
    return [(v, m) for v in nbrs if v > u]


def _small_star(kv: tuple[Any, Any]) -> list[tuple[Any, Any]]:
    """Link u and its smaller neighbours to the smallest of them (u included)."""
    u, nbrs = kv
    nbrs = set(nbrs)
    nbrs.add(u)
    m = min(nbrs)
    return [(v, m) for v in nbrs if v != m]


def _both(e: tuple[Any, Any]) -> list[tuple[Any, Any]]:
    return [(e[0], e[1]), (e[1], e[0])]


def _down(e: tuple[Any, Any]) -> tuple[Any, Any]:
    return (e[0], e[1]) if e[0] > e[1] else (e[1], e[0])


def _roles(e: tuple[Any, Any]) -> list[tuple[Any, tuple[int, int]]]:
    return [(e[0], (1, 0)), (e[1], (0, 1))]


def _sum2(x: tuple[int, int], y: tuple[int, int]) -> tuple[int, int]:
    return x[0] + y[0], x[1] + y[1]


def _not_star(kv: tuple[Any, tuple[int, int]]) -> bool:
    parents, children = kv[1]
    return parents > 1 or (parents > 0 and children > 0)


def stars(down) -> bool:
    """Whether edges oriented (larger, smaller) are stars: every node has at most one smaller
    neighbour, and a node with one has no larger neighbour. Both operations keep every component
    connected, so then each star is a component and its centre is its smallest node."""
    return down.flatMap(_roles).reduceByKey(_sum2).filter(_not_star).isEmpty()


def components(edges, storage=None):
    """(node, smallest node of its component) for every node that has an edge; ``edges`` is an
    RDD of (a, b) pairs of comparable nodes (a != b). Each round's edges are persisted (with
    ``storage``, a pyspark StorageLevel) and the previous round's released, so the lineage stays short."""
    current = edges.map(_down).distinct()
    if storage is not None:
        current.persist(storage)
    rounds = 0
    while not stars(current):
        rounds += 1
        if rounds > MAX_ROUNDS:  # pragma: no cover - a star forms in O(log n) rounds
            raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
        # small-star dedups each node's neighbours itself: large-star's repeats need no distinct
        large = current.flatMap(_both).groupByKey().flatMap(_large_star)
        small = large.map(_down).groupByKey().flatMap(_small_star).distinct()
        if storage is not None:
            small.persist(storage)
        current.unpersist()
        current = small
    # a star: every edge is (node, centre), the centre being the component's smallest node
    return current.union(current.map(lambda e: (e[1], e[1])).distinct())
