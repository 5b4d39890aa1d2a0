"""All solution concepts of one outcome space, computed once, and how far an agreement lies
from each: the yardstick for reports on simulated negotiations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from negotiation_sim.analysis._inputs import disagreement_point, utility_table
from negotiation_sim.analysis.frontier import pareto_frontier
from negotiation_sim.analysis.points import (
    kalai_smorodinsky_among,
    nash_among,
    utilitarian_among,
    zopa_mask,
)


@dataclass(frozen=True, eq=False)
class SolutionConcepts:
    """Pareto frontier, ZOPA and the Nash, Kalai-Smorodinsky and utilitarian points.

    Build with :meth:`compute`. Index arrays are read-only; a point is ``None`` when the ZOPA
    is empty. The utilitarian point is the ZOPA's welfare maximum, like the other two a deal
    every party would accept (``utilitarian_point`` without reservation gives the
    unrestricted one).
    """

    utilities: np.ndarray
    reservation: np.ndarray
    frontier: np.ndarray
    zopa: np.ndarray
    nash: int | None
    kalai_smorodinsky: int | None
    utilitarian: int | None

    @classmethod
    def compute(
        cls, utilities: ArrayLike, reservation: ArrayLike, feasible: ArrayLike | None = None
    ) -> SolutionConcepts:
        """Compute every concept; the ZOPA's frontier is the frontier restricted to the ZOPA,
        since whatever dominates a ZOPA package is itself in the ZOPA."""
        table, mask = utility_table(utilities, feasible)
        point = disagreement_point(reservation, table.shape[1])
        frontier = pareto_frontier(table, mask)
        in_zopa = zopa_mask(table, point, mask)
        candidates = frontier[in_zopa[frontier]]
        arrays = (table.copy(), point.copy(), frontier, np.flatnonzero(in_zopa))
        for array in arrays:
            array.setflags(write=False)
        utilities_, reservation_, frontier_, zopa_ = arrays
        return cls(
            utilities_,
            reservation_,
            frontier_,
            zopa_,
            nash=nash_among(table, point, candidates),
            kalai_smorodinsky=kalai_smorodinsky_among(table, point, candidates),
            utilitarian=utilitarian_among(table, candidates),
        )

    def distance_to(self, agreement: int | ArrayLike) -> dict[str, float]:
        """Euclidean distances in utility space from an agreement to the nearest frontier
        package, to the nearest ZOPA package (0 inside the ZOPA) and to each point, keyed
        ``pareto``, ``zopa``, ``nash``, ``kalai_smorodinsky`` and ``utilitarian`` (nan when
        the target does not exist, e.g. every key but ``pareto`` when the ZOPA is empty).

        ``agreement`` is a package index or a utility vector (one entry per party). The
        distances are in raw utility units: they compare parties only when their utilities
        share a scale, such as [0, 1].
        """
        vector = self._as_vector(agreement)
        distances = {
            "pareto": self._nearest(self.frontier, vector),
            "zopa": self._nearest(self.zopa, vector),
        }
        for name in ("nash", "kalai_smorodinsky", "utilitarian"):
            index = getattr(self, name)
            distances[name] = np.nan if index is None else self._nearest([index], vector)
        return distances

    def _nearest(self, packages: ArrayLike, vector: np.ndarray) -> float:
        """Distance from ``vector`` to the nearest of ``packages`` (nan if there are none)."""
        points = self.utilities[np.asarray(packages, dtype=int)]
        return float(np.linalg.norm(points - vector, axis=1).min()) if len(points) else np.nan

    def _as_vector(self, agreement: int | ArrayLike) -> np.ndarray:
        """Utility vector of an agreement given as a package index or as utilities."""
        n_packages, n_parties = self.utilities.shape
        if isinstance(agreement, int | np.integer):
            if not 0 <= agreement < n_packages:
                raise IndexError(f"package {agreement} not in 0..{n_packages - 1}")
            return self.utilities[agreement]
        vector = np.asarray(agreement, dtype=float)
        if vector.shape != (n_parties,):
            raise ValueError(f"an agreement's utilities need {n_parties} entries, got {vector!r}")
        return vector
