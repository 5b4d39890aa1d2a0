"""Solution concepts of a negotiation scenario, and how far agreements fell from them.

The bridge from a ``Scenario`` to the array functions of this package: every package's
utility to every actor (in the scenario's actor order), the actors' reservation values as
the disagreement point, and as feasible set the packages that cross nobody's red line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negotiation_sim.analysis.report import SolutionConcepts

if TYPE_CHECKING:
    from negotiation_sim.scenario.types import Scenario

DISTANCE_COLUMNS = ("pareto", "zopa", "nash", "kalai_smorodinsky", "utilitarian")


def concepts_for(scenario: Scenario) -> SolutionConcepts:
    """Pareto frontier, ZOPA, Nash, Kalai-Smorodinsky and utilitarian points of ``scenario``.

    Columns of ``utilities`` follow ``scenario.actor_names``. The disagreement point is the
    reservation values (an outside option such as war is not included).
    """
    names = scenario.actor_names
    utilities = np.column_stack([scenario.utilities[name] for name in names])
    reservation = [scenario.actor(name).preferences.reservation for name in names]
    feasible = np.logical_and.reduce([scenario.allowed[name] for name in names])
    return SolutionConcepts.compute(utilities, reservation, feasible)


def agreement_distances(scenario: Scenario, packages: Iterable[Any]) -> pd.DataFrame:
    """One row per agreement: its package and its utility-space distance to the Pareto
    frontier, to the ZOPA and to the Nash, Kalai-Smorodinsky and utilitarian points of
    ``scenario``.

    ``packages`` holds package indices; a run without agreement is given as None, NaN or
    ``pd.NA`` and gets NaN distances.
    """
    concepts = concepts_for(scenario)
    rows = []
    for package in packages:
        if pd.isna(package):
            rows.append({"package": pd.NA, **dict.fromkeys(DISTANCE_COLUMNS, np.nan)})
        else:
            rows.append({"package": int(package), **concepts.distance_to(int(package))})
    frame = pd.DataFrame(rows, columns=["package", *DISTANCE_COLUMNS])
    return frame.astype({"package": "Int64", **dict.fromkeys(DISTANCE_COLUMNS, "float64")})
