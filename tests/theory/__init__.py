"""Classic results of bargaining theory as executable checks on the model.

Shared helpers for the one-issue "share" scenarios in scenarios/theory/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from negotiation_sim.engine import simulate
from negotiation_sim.model import RunResult
from negotiation_sim.scenario import load_scenario, with_changes
from negotiation_sim.scenario.types import Scenario
from tests.conftest import SCENARIOS

THEORY = SCENARIOS / "theory"


def theory_scenario(file: str, changes: Mapping[str, Any] | None = None) -> Scenario:
    """A scenario of scenarios/theory, with ``changes`` set by dotted path."""
    scenario = load_scenario(THEORY / file)
    return with_changes(scenario, changes) if changes else scenario


def grid_step(scenario: Scenario) -> float:
    """Distance between neighbouring options of the single issue."""
    return float(np.diff(scenario.space.issues[0].positions).max())


def share(scenario: Scenario, package: int) -> float:
    """The first actor's share: the position of the package's option on the single issue."""
    issue = scenario.space.issues[0]
    return float(issue.positions[scenario.space.packages[package, 0]])


def values_of(scenario: Scenario, utility: Callable[[np.ndarray], np.ndarray]) -> dict[str, float]:
    """A ``values`` table for the single issue: option name -> utility of its position."""
    issue = scenario.space.issues[0]
    values = utility(issue.positions)
    return {option.name: float(v) for option, v in zip(issue.options, values, strict=True)}


def run(scenario: Scenario) -> RunResult:
    """One run to its end (the theory scenarios have no belief noise: the seed is immaterial)."""
    return simulate(scenario, seed=0)
