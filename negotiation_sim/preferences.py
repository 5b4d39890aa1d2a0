"""An actor's preferences: salience weights, option values, red lines, reservation value.

Utility is linear additive over issues (Keeney & Raiffa 1976; the usual form in
automated negotiation, e.g. Faratin, Sierra & Jennings 1998):
``u(package) = sum_i w_i * v_i(option chosen on issue i)`` with weights summing
to one and option values in [0, 1]. Red lines are kept apart from utility: a
package that crosses one is never proposed or accepted, whatever it is worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from numpy.typing import ArrayLike

from negotiation_sim import kernels
from negotiation_sim.issues import OutcomeSpace


@dataclass(frozen=True)
class RedLine:
    """A combination of options an actor never proposes or accepts.

    ``forbidden[issue_index]`` is a set of option indices; a package crosses the
    red line when, on *every* issue named, it picks one of the forbidden options.
    A single-issue red line is the common case.
    """

    forbidden: tuple[tuple[int, frozenset[int]], ...]
    label: str = ""

    def crossed_by(self, packages: np.ndarray) -> np.ndarray:
        """Boolean mask over package rows: which cross this red line."""
        hit = np.ones(len(packages), dtype=bool)
        for issue_index, options in self.forbidden:
            codes = packages[:, issue_index]
            forbidden = np.zeros(max(int(codes.max(initial=0)), *options) + 1, dtype=bool)
            forbidden[list(options)] = True  # a lookup table: faster than np.isin here
            hit &= forbidden[codes]
        return hit


@dataclass(frozen=True)
class Preferences:
    """What one actor wants, aligned with the issue order of an ``OutcomeSpace``.

    ``weights`` sum to one; ``values[i][k]`` is the value in [0, 1] of option
    ``k`` of issue ``i``; ``reservation`` is what no deal is worth (utility units).
    """

    weights: np.ndarray
    values: tuple[np.ndarray, ...]
    red_lines: tuple[RedLine, ...] = ()
    reservation: float = 0.0

    @classmethod
    def from_ideals(
        cls,
        space: OutcomeSpace,
        weights: ArrayLike,
        ideals: ArrayLike,
        red_lines: Sequence[RedLine] = (),
        reservation: float = 0.0,
    ) -> Preferences:
        """Values falling linearly with the distance from an ideal position on each 0..1 axis."""
        return cls(normalised(weights), ideal_values(space, ideals), tuple(red_lines), reservation)

    def utilities(self, packages: np.ndarray) -> np.ndarray:
        """Utility of every package row at once: one gather per issue from its weighted
        option values (``take`` from ``weight * values`` gives each ``weight * value`` as
        multiplying after the gather would, at a fraction of the cost on large spaces);
        ``kernels.utilities`` if ``kernels.COMPILED``."""
        values = self.values
        if kernels.COMPILED and all(table.dtype == np.float64 for table in values):
            # (the products of float32 values are rounded to float32 by numpy: left to it)
            offsets = list(accumulate((len(table) for table in values[:-1]), initial=0))
            return kernels.utilities(
                packages, self.weights, np.concatenate(values), np.array(offsets)
            )
        total = np.zeros(len(packages))
        for i, (weight, table) in enumerate(zip(self.weights.tolist(), values, strict=True)):
            total += (weight * table).take(packages[:, i])  # the method: no dispatch per issue
        return total

    def utility(self, package: Sequence[int]) -> float:
        """Utility of one package given as option indices (plain Python, no arrays)."""
        return float(
            sum(
                float(w) * float(table[code])
                for w, table, code in zip(self.weights, self.values, package, strict=True)
            )
        )

    def allowed(self, packages: np.ndarray) -> np.ndarray:
        """Mask of the packages that cross none of this actor's red lines."""
        ok = np.ones(len(packages), dtype=bool)
        for line in self.red_lines:
            ok &= ~line.crossed_by(packages)
        return ok


def ideal_values(space: OutcomeSpace, ideals: ArrayLike) -> tuple[np.ndarray, ...]:
    """Per issue, option values falling linearly with the distance from the ideal position."""
    return tuple(
        1.0 - np.abs(issue.positions - ideal)
        for issue, ideal in zip(space.issues, np.asarray(ideals, dtype=float), strict=True)
    )


def normalised(weights: ArrayLike) -> np.ndarray:
    """Weights scaled to sum to one (salience is relative)."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"weights must be finite, non-negative and not all zero: {w}")
    return w / w.sum()
