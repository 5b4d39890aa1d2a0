"""Deprecated since 0.2.0: ``ScenarioError`` is in ``negotiation_sim.scenario``."""

from negotiation_sim._moved import warn_moved
from negotiation_sim.scenario import ScenarioError

__all__ = ["ScenarioError"]

warn_moved(__name__, "negotiation_sim.scenario")
