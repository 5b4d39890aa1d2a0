"""negotiation-sim: multi-party diplomatic negotiations as agent-based models on Mesa.

Typical use::

    from negotiation_sim import NegotiationModel, load_scenario

    scenario = load_scenario("ukraine_2022")  # shipped; a path to a file works too
    model = NegotiationModel(scenario, rng=2022)
    result = model.run()
    print(result.outcome, result.agreement)
"""

from importlib.metadata import version

from negotiation_sim.actors import ACTOR_CLASSES, NATO, Negotiator, Russia, UnitedStates
from negotiation_sim.analysis import (
    SolutionConcepts,
    agreement_distances,
    bargaining_range,
    concepts_for,
    kalai_smorodinsky_point,
    nash_point,
    pareto_frontier,
    pie_kalai_smorodinsky,
    pie_nash,
    utilitarian_point,
)
from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.engine import simulate
from negotiation_sim.ensemble import (
    Ensemble,
    Sensitivity,
    compare,
    load_ensemble,
    model_of_run,
    run_ensemble,
    sensitivity,
    sweep,
)
from negotiation_sim.eum import (
    EUMActor,
    EUMInputError,
    ExpectedUtilityModel,
    forecast_issues,
    issue_models,
    load_actors,
)
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.model import OUTCOMES, NegotiationModel, RunResult
from negotiation_sim.outside_option import WarOption
from negotiation_sim.preferences import Preferences, RedLine
from negotiation_sim.scenario import (
    Scenario,
    ScenarioError,
    ShippedScenario,
    load_scenario,
    shipped_scenarios,
    with_changes,
)
from negotiation_sim.strategies import STRATEGIES, Strategy
from negotiation_sim.transcript import format_transcript

__version__ = version("negotiation-sim")  # one source: pyproject.toml

__all__ = [
    "ACTOR_CLASSES",
    "NATO",
    "OUTCOMES",
    "STRATEGIES",
    "BeliefNoise",
    "EUMActor",
    "EUMInputError",
    "Ensemble",
    "ExpectedUtilityModel",
    "Issue",
    "NegotiationModel",
    "Negotiator",
    "Option",
    "OutcomeSpace",
    "Preferences",
    "RedLine",
    "RunResult",
    "Russia",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "ShippedScenario",
    "SolutionConcepts",
    "Strategy",
    "UnitedStates",
    "WarOption",
    "agreement_distances",
    "bargaining_range",
    "compare",
    "concepts_for",
    "forecast_issues",
    "format_transcript",
    "issue_models",
    "kalai_smorodinsky_point",
    "load_actors",
    "load_ensemble",
    "load_scenario",
    "model_of_run",
    "nash_point",
    "pareto_frontier",
    "pie_kalai_smorodinsky",
    "pie_nash",
    "run_ensemble",
    "sensitivity",
    "shipped_scenarios",
    "simulate",
    "sweep",
    "utilitarian_point",
    "with_changes",
]
