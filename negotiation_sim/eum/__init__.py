"""Bueno de Mesquita's Expected Utility Model as reconstructed by Scholz et al. (2011)."""

from negotiation_sim.eum.actors import EUMActor, EUMInputError
from negotiation_sim.eum.conventions import Conventions
from negotiation_sim.eum.from_scenario import forecast_issues, forecast_table, issue_models
from negotiation_sim.eum.io import load_actors
from negotiation_sim.eum.model import ActorAgent, ExpectedUtilityModel

__all__ = [
    "ActorAgent",
    "Conventions",
    "EUMActor",
    "EUMInputError",
    "ExpectedUtilityModel",
    "forecast_issues",
    "forecast_table",
    "issue_models",
    "load_actors",
]
