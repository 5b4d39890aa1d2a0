"""Bargaining solutions on a discrete outcome space: the zone of possible agreement and the
Nash, Kalai-Smorodinsky and utilitarian points.

Conventions shared by the points:
- The bargaining set is the zone of possible agreement (ZOPA): feasible packages that every
  party strictly prefers to its reservation value (the disagreement point of Nash 1950).
- When the ZOPA is empty there is no deal every party would sign, and the points are ``None``.
- Each point is searched among the Pareto-optimal packages of its candidate set (it always
  lies there in exact arithmetic). Scores within ``TIE_TOLERANCE`` of the best (relative to
  it when it exceeds one; the Nash score is a log, so that is relative in the product) count
  as ties, so float rounding cannot decide between packages that are equally good;
  remaining ties go to the lowest package index.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from negotiation_sim.analysis._inputs import disagreement_point, utility_table
from negotiation_sim.analysis.frontier import pareto_frontier

TIE_TOLERANCE = 1e-9


def bargaining_range(
    utilities: ArrayLike, reservation: ArrayLike, feasible: ArrayLike | None = None
) -> np.ndarray:
    """Indices of the ZOPA: feasible packages every party strictly prefers to no deal.

    Strict, because a party indifferent between a package and walking away has no reason to
    sign it.
    """
    table, mask = utility_table(utilities, feasible)
    return np.flatnonzero(zopa_mask(table, disagreement_point(reservation, table.shape[1]), mask))


def nash_point(
    utilities: ArrayLike, reservation: ArrayLike, feasible: ArrayLike | None = None
) -> int | None:
    """The ZOPA package maximising the product of the parties' gains over their reservation
    values (Nash 1950), or ``None`` when the ZOPA is empty."""
    table, point, candidates = _bargaining_frontier(utilities, reservation, feasible)
    return nash_among(table, point, candidates)


def kalai_smorodinsky_point(
    utilities: ArrayLike, reservation: ArrayLike, feasible: ArrayLike | None = None
) -> int | None:
    """The discrete Kalai-Smorodinsky (1975) point, or ``None`` when the ZOPA is empty.

    The continuous solution is the Pareto point on the segment from the disagreement point d
    to the ideal point, where ``ideal_i`` is party i's best utility in the bargaining set.
    A finite set rarely has a package on that segment, so this takes the ZOPA package that
    maximises the smallest normalised gain ``(u_i - d_i) / (ideal_i - d_i)``; ties on the
    smallest gain are broken by the next smallest, and so on (leximin).
    """
    table, point, candidates = _bargaining_frontier(utilities, reservation, feasible)
    return kalai_smorodinsky_among(table, point, candidates)


def utilitarian_point(
    utilities: ArrayLike,
    reservation: ArrayLike | None = None,
    feasible: ArrayLike | None = None,
) -> int | None:
    """The package with the largest sum of utilities (maximum welfare).

    Without ``reservation`` it is searched among all feasible packages (``None`` only when
    there are none); with it, only among the ZOPA, as a bargaining solution must be
    acceptable to every party.
    """
    table, mask = utility_table(utilities, feasible)
    if reservation is not None:
        mask = zopa_mask(table, disagreement_point(reservation, table.shape[1]), mask)
    return utilitarian_among(table, pareto_frontier(table, mask))


def zopa_mask(table: np.ndarray, point: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mask of the feasible packages every party strictly prefers to the disagreement point."""
    return mask & np.all(table > point, axis=1)


def nash_among(table: np.ndarray, point: np.ndarray, candidates: np.ndarray) -> int | None:
    """Nash point among candidate ZOPA packages (sum of log gains: the product, overflow-free)."""
    if not len(candidates):
        return None
    return _best(candidates, np.log(table[candidates] - point).sum(axis=1, keepdims=True))


def kalai_smorodinsky_among(
    table: np.ndarray, point: np.ndarray, candidates: np.ndarray
) -> int | None:
    """Leximin point of the normalised gains among candidate ZOPA packages (see above)."""
    if not len(candidates):
        return None
    gains = table[candidates] - point
    return _best(candidates, np.sort(gains / gains.max(axis=0), axis=1))


def utilitarian_among(table: np.ndarray, candidates: np.ndarray) -> int | None:
    """Welfare maximum among candidate packages."""
    if not len(candidates):
        return None
    return _best(candidates, table[candidates].sum(axis=1, keepdims=True))


def _bargaining_frontier(
    utilities: ArrayLike, reservation: ArrayLike, feasible: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked utilities and disagreement point, and the Pareto-optimal ZOPA packages."""
    table, mask = utility_table(utilities, feasible)
    point = disagreement_point(reservation, table.shape[1])
    return table, point, pareto_frontier(table, zopa_mask(table, point, mask))


def _best(candidates: np.ndarray, scores: np.ndarray) -> int:
    """The candidate whose row of scores is lexicographically largest, up to the tie
    tolerance; the lowest index among ties (``candidates`` is ascending)."""
    tied = np.ones(len(candidates), dtype=bool)
    for column in scores.T:
        top = column[tied].max()
        tied &= column >= top - TIE_TOLERANCE * max(1.0, abs(top))
    return int(candidates[np.argmax(tied)])
