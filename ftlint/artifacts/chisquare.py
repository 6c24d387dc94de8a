"""Pearson's chi-square goodness-of-fit p-value, for FT305 (split-label-drift), without loading
scipy.stats (about 0.5 s of CPU, a third of a small file's whole check on its own).

    from ftlint.artifacts.chisquare import p_value, p_value_estimate
    p_value(observed, expected)           # scipy.stats.chisquare(observed, expected).pvalue, the same float
    p_value_estimate(observed, expected)  # the same within 1e-12 relative, from the math module alone

The estimate decides; the exact value (scipy.special, 0.16 s to import) is computed only when a
finding may follow, so that its message and data keep scipy's float. tests/test_tfidf.py compares
both with scipy.stats."""
from __future__ import annotations

import math

import numpy as np


def statistic(observed: list[int], expected: list[float]) -> float:
    f_obs = np.asarray(observed, dtype=np.float64)
    f_exp = np.asarray(expected, dtype=np.float64)
    return float(np.sum((f_obs - f_exp) ** 2 / f_exp))  # as scipy sums it


def p_value(observed: list[int], expected: list[float]) -> float:
    from scipy.special import chdtrc  # what scipy.stats.chisquare calls

    return float(chdtrc(len(observed) - 1, statistic(observed, expected)))


def p_value_estimate(observed: list[int], expected: list[float]) -> float:
    return chi2_sf(statistic(observed, expected), len(observed) - 1)


def chi2_sf(x: float, dof: int) -> float:
    """P(X > x) for X chi-square with a whole number ``dof`` >= 1 of degrees of freedom: the
    closed form (a Poisson tail for even dof, erfc plus a series for odd), summed in log space so
    that neither a large x nor many terms underflow."""
    if x <= 0:
        return 1.0
    h = x / 2
    if dof % 2 == 0:
        logs = [-h + i * math.log(h) - math.lgamma(i + 1) for i in range(dof // 2)]
        head = 0.0
    else:
        logs = [-h + (i + 0.5) * math.log(h) - math.lgamma(i + 1.5) for i in range((dof - 1) // 2)]
        head = math.erfc(math.sqrt(h))
    if not logs:
        return head
    top = max(logs)
    return min(1.0, head + math.exp(top) * math.fsum(math.exp(v - top) for v in logs))
