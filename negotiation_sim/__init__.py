"""negotiation-sim: multi-party diplomatic negotiations as agent-based models on Mesa.

Typical use::

    from negotiation_sim import NegotiationModel, load_scenario

    scenario = load_scenario("ukraine_2022")  # shipped; a path to a file works too
    model = NegotiationModel(scenario, rng=2022)
    result = model.run()
    print(result.outcome, result.agreement)

The names are loaded on first use (PEP 562; Scientific Python SPEC 1): importing the package
imports none of its modules, so that ``negotiation_sim.cli`` starts without numpy, pandas
or Mesa and can guard their import against Ctrl-C (see ``negotiation_sim.cli``). Each name
is then the very object of the module that defines it, named below; ``from negotiation_sim
import kernels`` still imports a submodule.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # where each name comes from, for readers and type checkers alike
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
        load_ensemble,
        model_of_run,
        run_ensemble,
    )

    # named like their modules: imported from the package under TYPE_CHECKING, mypy takes
    # each for a second definition ("already defined (by an import)")
    from negotiation_sim.ensemble.compare import compare
    from negotiation_sim.ensemble.sensitivity import sensitivity
    from negotiation_sim.ensemble.sweep import sweep
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

    __version__: str

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

# The modules ``__getattr__`` loads each name from: the imports above, kept equal to them
# and to ``__all__`` by tests/test_startup.py.
_NAMES_BY_MODULE: dict[str, tuple[str, ...]] = {
    "actors": ("ACTOR_CLASSES", "NATO", "Negotiator", "Russia", "UnitedStates"),
    "analysis": (
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
    ),
    "beliefs": ("BeliefNoise",),
    "engine": ("simulate",),
    "ensemble": ("Ensemble", "Sensitivity", "load_ensemble", "model_of_run", "run_ensemble"),
    "ensemble.compare": ("compare",),
    "ensemble.sensitivity": ("sensitivity",),
    "ensemble.sweep": ("sweep",),
    "eum": (
        "EUMActor",
        "EUMInputError",
        "ExpectedUtilityModel",
        "forecast_issues",
        "issue_models",
        "load_actors",
    ),
    "issues": ("Issue", "Option", "OutcomeSpace"),
    "model": ("OUTCOMES", "NegotiationModel", "RunResult"),
    "outside_option": ("WarOption",),
    "preferences": ("Preferences", "RedLine"),
    "scenario": (
        "Scenario",
        "ScenarioError",
        "ShippedScenario",
        "load_scenario",
        "shipped_scenarios",
        "with_changes",
    ),
    "strategies": ("STRATEGIES", "Strategy"),
    "transcript": ("format_transcript",),
}
_MODULE_OF = {name: module for module, names in _NAMES_BY_MODULE.items() for name in names}

if not TYPE_CHECKING:  # hidden from type checkers, for which it would make any name valid

    def __getattr__(name: str) -> Any:
        """A name of the package, imported from its module on first use and then kept here
        (so this runs once per name); ``__version__`` read from the installed metadata
        (one source: pyproject.toml). Any other name is an ``AttributeError``, which is also
        what lets ``from negotiation_sim import kernels`` fall back to importing the
        submodule."""
        if name == "__version__":
            from importlib.metadata import version

            value = version("negotiation-sim")
        elif name in _MODULE_OF:
            value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
