"""Each issue of a negotiation ``Scenario`` through the Expected Utility Model.

One EUM dimension per issue, on the issue's 0..1 axis of option positions. For each actor:

* position: where on that axis lies the option it values most (the first, on ties);
* salience: its weight on the issue; a scenario's weights are normalised to sum to one,
  so saliences lie in [0, 1] and say how much of its attention this issue takes;
* capability: from the caller's mapping, equal for all by default. A negotiation scenario
  holds no capabilities (only Russia's war inputs), so any value here is an assumption.

An issue that is off the table, or on which every actor wants the same option, has nothing
for the model to move: its forecast is that common position, after no rounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negotiation_sim.eum.actors import EUMActor
from negotiation_sim.eum.model import ExpectedUtilityModel

if TYPE_CHECKING:
    from negotiation_sim.scenario.types import Scenario


def eum_actors(
    scenario: Scenario, issue: str, capability: Mapping[str, float] | None = None
) -> list[EUMActor]:
    """The actors of ``scenario`` on one issue: ideal position, salience, capability."""
    names = scenario.space.issue_names
    if issue not in names:
        raise KeyError(f"no issue named {issue!r}; issues are {list(names)}")
    index = names.index(issue)
    positions = scenario.space.issues[index].positions
    capability = _capabilities(scenario, capability)
    return [
        EUMActor(
            name=spec.name,
            capability=capability[spec.name],
            position=float(positions[int(np.argmax(spec.preferences.values[index]))]),
            salience=float(spec.preferences.weights[index]),
        )
        for spec in scenario.actors
    ]


def issue_models(
    scenario: Scenario, capability: Mapping[str, float] | None = None, **conventions: Any
) -> dict[str, ExpectedUtilityModel]:
    """An ``ExpectedUtilityModel`` for each contested issue, by issue name, not yet run.

    ``conventions`` are passed on to the model (q, p_normalisation, ...).
    """
    models = {}
    for issue in scenario.space.issue_names:
        actors = eum_actors(scenario, issue, capability)
        if len({actor.position for actor in actors}) > 1:
            models[issue] = ExpectedUtilityModel(actors, **conventions)
    return models


def forecast_table(scenario: Scenario, models: Mapping[str, ExpectedUtilityModel]) -> pd.DataFrame:
    """One row per issue: each actor's position, the weighted median and mean, and the option
    nearest the median, from the models as they stand (the common position where uncontested).
    """
    rows = []
    for issue in scenario.space.issues:
        model = models.get(issue.name)
        if model is None:  # uncontested: everyone already stands at the same position
            actors = eum_actors(scenario, issue.name)
            names = [actor.name for actor in actors]
            positions = np.array([actor.position for actor in actors])
            if np.ptp(positions) > 0:
                raise KeyError(f"issue {issue.name!r} is contested but has no model")
            median = mean = float(positions[0])
        else:
            names = [agent.name for agent in model.actors]
            positions, median, mean = model.positions(), model.median, model.mean
        nearest = issue.options[int(np.argmin(np.abs(issue.positions - median)))].name
        rows.append(
            {
                "issue": issue.name,
                **dict(zip(names, positions.tolist(), strict=True)),
                "median": float(median),
                "mean": float(mean),
                "option": nearest,
                "rounds": 0 if model is None else model.steps,
            }
        )
    return pd.DataFrame(rows).set_index("issue")


def forecast_issues(
    scenario: Scenario,
    rounds: int = 8,
    capability: Mapping[str, float] | None = None,
    **conventions: Any,
) -> pd.DataFrame:
    """Run every contested issue for ``rounds`` rounds; the forecast table of ``forecast_table``."""
    models = issue_models(scenario, capability, **conventions)
    for model in models.values():
        model.run(rounds)
    return forecast_table(scenario, models)


def _capabilities(scenario: Scenario, given: Mapping[str, float] | None) -> dict[str, float]:
    """Capability per actor: ``given`` (which must name every actor, and no one else) or 1."""
    names = scenario.actor_names
    if given is None:
        return dict.fromkeys(names, 1.0)
    missing, unknown = set(names) - set(given), set(given) - set(names)
    if missing or unknown:
        raise ValueError(
            f"capability must name every actor exactly: missing {sorted(missing)},"
            f" unknown {sorted(unknown)}"
        )
    return {name: float(given[name]) for name in names}
