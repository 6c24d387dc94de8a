"""The dataset rules of one file, shared by this process and a forked child on a large file
(ftlint.pool.share): the engine's dataset phase, out of ftlint.engine to keep it one module of
one job."""
from __future__ import annotations

from ftlint import pool
from ftlint.dataset import Dataset
from ftlint.finding import Problem
from ftlint.rules.base import Rule

# files with fewer examples than this run their dataset rules in this process alone (a fork and
# the pages it copies cost more than a second core saves on them)
MIN_SHARED_EXAMPLES = 5_000
# the dataset rules' modules, costliest first on a default check of a large file (measured with
# benchmarks/profile_check.py): the order they are dealt to the two processes; others come after
_COSTLIEST = ("duplicates", "completions", "placeholders", "consistency", "mislabeled", "coverage",
              "language", "edge_cases", "labels", "answer_leak")


def problems(rules: list[tuple[Rule, dict]], dataset: Dataset) -> list[tuple[Rule, list[Problem]]]:
    """Each dataset rule with its problems, in the rules' order. On a large file the rules'
    modules (a family's rules share artifacts, and FT202 takes what FT201's pass built for
    it) are dealt, costliest first, to this process and one forked child as each is free
    (pool.share): a default check's dataset rules are most of its time, and one core would
    otherwise sit idle. The problems are the same either way: each rule runs on the same
    dataset, and its artifacts are functions of the dataset alone."""
    if len(dataset.examples) < MIN_SHARED_EXAMPLES or not pool.can_fork():
        return [(rule, _call(rule, rule.check, dataset, opts)) for rule, opts in rules]
    units: dict[str, list[int]] = {}
    for k, (rule, _) in enumerate(rules):
        units.setdefault(rule.check.__module__, []).append(k)
    groups = list(units.values())
    names = list(units)

    def run(u: int) -> list[list[Problem]]:
        return [_call(rules[k][0], rules[k][0].check, dataset, rules[k][1]) for k in groups[u]]

    cost = {name: i for i, name in enumerate(reversed(_COSTLIEST))}
    order = sorted(range(len(groups)), key=lambda u: -cost.get(names[u].rsplit(".", 1)[-1], -1))
    done = pool.share(run, order)
    found: list[list[Problem]] = [[] for _ in rules]
    for u, group in enumerate(groups):
        for k, problems in zip(group, done[u], strict=True):
            found[k] = problems
    return [(rule, found[k]) for k, (rule, _) in enumerate(rules)]


def _failed(rule: Rule, exc: Exception) -> RuntimeError:
    return RuntimeError(f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}")


def _call(rule: Rule, fn, *args):
    """Run a rule; a crash names the rule instead of surfacing as a bare traceback."""
    try:
        return list(fn(*args))
    except Exception as exc:  # noqa: BLE001 - re-raised with the rule's name
        raise _failed(rule, exc) from exc
