"""``model_of_run``: the model behind one row of an ensemble, to read how it got there."""

from __future__ import annotations

import pytest

from negotiation_sim import model_of_run, run_ensemble


@pytest.mark.parametrize("seed", [9, 2022])
def test_the_model_of_a_run_ends_as_its_row_of_the_ensemble(ukraine, seed):
    """Drawn values and model seed are the run's own: outcome, round, terms and utilities
    agree for every run, including runs whose drawn values change the scenario."""
    ensemble = run_ensemble(ukraine, runs=16, seed=seed, workers=1, progress=False)
    for run, row in ensemble.runs.iterrows():
        result = model_of_run(ukraine, seed, int(run), collect=False).run()
        assert (result.outcome, result.round) == (row["outcome"], row["round"])
        for issue, option in (result.agreement or {}).items():
            assert row[f"term_{issue}"] == option
        for name, utility in result.utilities.items():
            assert row[f"utility_{name}"] == pytest.approx(utility, abs=1e-12)


def test_a_model_of_a_run_collects_its_rounds(ukraine):
    model = model_of_run(ukraine, 3, 1)
    model.run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == model.round + 1  # the state at set-up, then each round
