"""Bargaining solution concepts on numpy arrays (no dependency on the rest of the package).

A discrete outcome space is described by ``utilities`` (n_packages, n_parties), the utility of
every package to every party; ``reservation`` (n_parties,), the disagreement point; and an
optional bool mask ``feasible`` (n_packages,) of the packages that cross no red line. The
functions return package indices. ``pie_*`` solve the continuous division of a unit pie.
"""

from negotiation_sim.analysis.frontier import pareto_frontier
from negotiation_sim.analysis.pie import pie_kalai_smorodinsky, pie_nash
from negotiation_sim.analysis.points import (
    TIE_TOLERANCE,
    bargaining_range,
    kalai_smorodinsky_point,
    nash_point,
    utilitarian_point,
)
from negotiation_sim.analysis.report import SolutionConcepts
from negotiation_sim.analysis.scenario_concepts import agreement_distances, concepts_for

__all__ = [
    "TIE_TOLERANCE",
    "SolutionConcepts",
    "agreement_distances",
    "bargaining_range",
    "concepts_for",
    "kalai_smorodinsky_point",
    "nash_point",
    "pareto_frontier",
    "pie_kalai_smorodinsky",
    "pie_nash",
    "utilitarian_point",
]
