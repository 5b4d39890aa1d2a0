"""Nash and Kalai-Smorodinsky solutions for dividing a pie of size one between two players.

Player 1 receives the share ``x`` in [0, 1] and player 2 the rest: player 1's utility is
``u1(x)`` and player 2's is ``u2(1 - x)``, so each function takes its *own* player's share.
Both must be non-decreasing (more pie is never worse; checked on the grid) and accept a
numpy array elementwise (numpy ufuncs do; wrap scalar code in ``np.vectorize``). ``d`` is the
disagreement point in utilities. Each solver returns player 1's share, accurate to about
1e-8, or ``None`` when no split gives both players strictly more than ``d``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

UtilityOfShare = Callable[[np.ndarray], np.ndarray]

_TOLERANCE = 1e-12  # width at which bisection and golden-section search stop
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


def pie_nash(
    u1: UtilityOfShare,
    u2: UtilityOfShare,
    d: tuple[float, float] = (0.0, 0.0),
    grid: int = 10_001,
) -> float | None:
    """Share of player 1 maximising the product of gains over ``d`` (Nash 1950).

    A grid search over the agreeable shares, then golden-section search between the
    neighbours of the best grid point; exact when the product is unimodal there, which holds
    for concave utilities (the product is then log-concave).
    """
    gains = _Gains(u1, u2, d, grid)
    if gains.agreeable is None:
        return None

    def log_product(x: np.ndarray) -> np.ndarray:
        g1, g2 = gains(x)
        with np.errstate(divide="ignore"):
            return np.log(np.clip(g1, 0.0, None)) + np.log(np.clip(g2, 0.0, None))

    shares = np.linspace(*gains.agreeable, grid)
    best = int(np.argmax(log_product(shares)))
    lo, hi = shares[max(best - 1, 0)], shares[min(best + 1, grid - 1)]
    return _golden_section_max(lambda x: float(log_product(np.array([x]))[0]), lo, hi)


def pie_kalai_smorodinsky(
    u1: UtilityOfShare,
    u2: UtilityOfShare,
    d: tuple[float, float] = (0.0, 0.0),
    grid: int = 10_001,
) -> float | None:
    """Share of player 1 equalising the normalised gains (Kalai & Smorodinsky 1975).

    Each player's ideal is its utility when the other gets just its disagreement value; the
    solution is the split where ``(u1 - d1) / (ideal1 - d1) == (u2 - d2) / (ideal2 - d2)``,
    found by bisection (the difference grows with x). ``grid`` sets the monotonicity check.
    """
    gains = _Gains(u1, u2, d, grid)
    if gains.agreeable is None:
        return None
    lo, hi = gains.agreeable
    ideal1, ideal2 = gains(np.array([hi]))[0][0], gains(np.array([lo]))[1][0]

    def player1_ahead(x: float) -> bool:
        g1, g2 = gains(np.array([x]))
        return bool(g1[0] / ideal1 >= g2[0] / ideal2)

    return _bisect(player1_ahead, lo, hi)


class _Gains:
    """Both players' gains over ``d`` as functions of player 1's share, and the interval of
    shares (its ends excluded) where both gains are positive, or ``None`` if there is none."""

    def __init__(self, u1: UtilityOfShare, u2: UtilityOfShare, d: tuple[float, float], grid: int):
        if grid < 3:
            raise ValueError(f"grid needs at least 3 points, got {grid}")
        self.u1, self.u2 = u1, u2
        self.d1, self.d2 = (float(v) for v in d)
        g1, g2 = self(np.linspace(0.0, 1.0, grid))
        for name, gain in (("u1", g1), ("u2", g2[::-1])):
            if np.any(np.diff(gain) < -1e-12 * max(1.0, float(np.abs(gain).max()))):
                raise ValueError(f"{name} must be non-decreasing in its player's share")
        self.agreeable = None
        if g1[-1] > 0 and g2[0] > 0:
            lo = 0.0 if g1[0] > 0 else _bisect(lambda x: self(np.array([x]))[0][0] > 0, 0.0, 1.0)
            hi = 1.0 if g2[-1] > 0 else _bisect(lambda x: self(np.array([x]))[1][0] <= 0, 0.0, 1.0)
            if lo < hi:
                self.agreeable = (lo, hi)

    def __call__(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _evaluate(self.u1, x) - self.d1, _evaluate(self.u2, 1.0 - x) - self.d2


def _evaluate(utility: UtilityOfShare, shares: np.ndarray) -> np.ndarray:
    """Utility of an array of shares, checked to be elementwise and finite."""
    values = np.asarray(utility(shares), dtype=float)
    if values.shape != shares.shape or not np.isfinite(values).all():
        raise ValueError("a utility function must map an array of shares to finite values")
    return values


def _bisect(reached: Callable[[float], bool], lo: float, hi: float) -> float:
    """Point where a monotone predicate turns from False (at ``lo``) to True (at ``hi``)."""
    while hi - lo > _TOLERANCE:
        mid = 0.5 * (lo + hi)
        if reached(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _golden_section_max(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Maximiser of a function unimodal on [lo, hi], by golden-section search."""
    a, b = hi - _INV_PHI * (hi - lo), lo + _INV_PHI * (hi - lo)
    fa, fb = f(a), f(b)
    while hi - lo > _TOLERANCE:
        if fa >= fb:
            hi, b, fb = b, a, fa
            a = hi - _INV_PHI * (hi - lo)
            fa = f(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + _INV_PHI * (hi - lo)
            fb = f(b)
    return 0.5 * (lo + hi)
