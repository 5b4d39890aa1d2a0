"""Checks shared by the solution concepts: turn array-likes into the arrays they rely on."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def utility_table(
    utilities: ArrayLike, feasible: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(utilities, feasible mask)`` as float (n_packages, n_parties) and bool arrays.

    Rows of infeasible packages are never read by the solution concepts, so they may hold
    nan or -inf; feasible rows must be finite.
    """
    table = np.asarray(utilities, dtype=float)
    if table.ndim != 2 or table.shape[1] == 0:
        raise ValueError(f"utilities must have shape (n_packages, n_parties), got {table.shape}")
    if feasible is None:
        mask = np.ones(len(table), dtype=bool)
    else:
        mask = np.asarray(feasible)
        if mask.dtype != bool or mask.shape != (len(table),):
            raise ValueError(f"feasible must be a bool array of shape ({len(table)},)")
    if not np.isfinite(table[mask]).all():
        raise ValueError("utilities of feasible packages must be finite")
    return table, mask


def disagreement_point(reservation: ArrayLike, n_parties: int) -> np.ndarray:
    """Return the reservation values as a finite float vector with one entry per party."""
    point = np.asarray(reservation, dtype=float)
    if point.shape != (n_parties,) or not np.isfinite(point).all():
        raise ValueError(f"reservation must be {n_parties} finite numbers, got {point!r}")
    return point
