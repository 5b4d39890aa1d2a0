"""95% intervals for outcome shares, and for the change in a share between two paired ensembles.

A share of ``k`` runs out of ``n`` gets the Wilson (1927) score interval: unlike
the textbook ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and does not
collapse to a point when a class has no runs (or all of them), which happens
often for rare outcomes in small ensembles.

Two ensembles run with common random numbers are paired run by run (run ``i``
of each uses the same seed and the same draws), so their difference is
estimated with Newcombe's (1998) method 10 for paired proportions, which
combines the two Wilson intervals with the correlation of the pairs. Treating
them as independent would overstate the uncertainty of the difference.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054
"""Two-sided 95% quantile of the standard normal."""


def wilson_interval(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial share ``count / total``.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``
    (E. B. Wilson, "Probable inference, the law of succession, and statistical
    inference", JASA 22, 1927). An empty sample gives the uninformative [0, 1].
    """
    if not 0 <= count <= total:
        raise ValueError(f"count must lie in 0..total, got {count} of {total}")
    if total == 0:
        return 0.0, 1.0
    p = count / total
    z2n = z * z / total
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / total + z2n / (4 * total)) / (1 + z2n)
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exact at the ends, where rounding
    high = 1.0 if count == total else min(1.0, centre + half)  # would leave a speck like 1e-18
    return low, high


def paired_difference_interval(
    first: np.ndarray, second: np.ndarray, z: float = Z95
) -> tuple[float, float, float]:
    """Difference of shares ``mean(second) - mean(first)`` of paired yes/no runs, with
    Newcombe's (1998, "Improved confidence intervals for the difference between binomial
    proportions based on paired data", Stat. Med. 17, method 10) interval.

    Returns ``(difference, low, high)``. Identical samples give a zero difference
    and an interval around zero.
    """
    x = np.asarray(first, dtype=bool)
    y = np.asarray(second, dtype=bool)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"paired samples need the same 1-d shape, got {x.shape} and {y.shape}")
    n = len(x)
    both = int(np.sum(x & y))
    only_first = int(np.sum(x & ~y))
    only_second = int(np.sum(~x & y))
    neither = n - both - only_first - only_second
    if n == 0:
        return 0.0, -1.0, 1.0
    p1, p2 = (both + only_first) / n, (both + only_second) / n
    l1, u1 = wilson_interval(both + only_first, n, z)
    l2, u2 = wilson_interval(both + only_second, n, z)
    margins = (
        (both + only_first)
        * (only_second + neither)
        * (both + only_second)
        * (only_first + neither)
    )
    phi = (both * neither - only_first * only_second) / math.sqrt(margins) if margins else 0.0
    diff = p2 - p1
    below = math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    above = math.sqrt(max(0.0, (u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2))
    return diff, max(-1.0, diff - below), min(1.0, diff + above)
