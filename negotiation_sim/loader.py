"""Deprecated since 0.2.0: the scenario reader is the package ``negotiation_sim.scenario``."""

from negotiation_sim._moved import warn_moved
from negotiation_sim.scenario import load_scenario, with_changes
from negotiation_sim.scenario.build import scenario_from_document
from negotiation_sim.scenario.document import read_document

__all__ = ["load_scenario", "read_document", "scenario_from_document", "with_changes"]

warn_moved(__name__, "negotiation_sim.scenario")
