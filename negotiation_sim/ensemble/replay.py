"""The model behind one row of an ensemble, to read its rounds.

An ensemble keeps one row per run: its outcome, round, terms and utilities. To see how a
run got there (its transcript, the moves chosen, what each actor came to believe), rebuild
it: run ``run`` of ``run_ensemble(scenario, seed=seed)`` has its own model seed and drawn
values (``seeds``), so the same inputs give the same model, step for step.
"""

from __future__ import annotations

from pathlib import Path

from negotiation_sim.ensemble.runner import Job, as_scenario
from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import uncertainty_of, with_changes
from negotiation_sim.scenario.types import Scenario


def model_of_run(
    scenario: Scenario | str | Path, seed: int, run: int, *, collect: bool = True
) -> NegotiationModel:
    """A fresh model of run ``run`` of the ensemble seeded ``seed`` (call ``run()`` or
    ``step()`` on it); its result equals that run's row of ``run_ensemble``."""
    base = as_scenario(scenario)
    model_seed, drawn = Job(base, uncertainty_of(base)).inputs(seed, run)
    return NegotiationModel(
        with_changes(base, drawn) if drawn else base, rng=model_seed, collect=collect
    )
