"""Bueno de Mesquita's Expected Utility Model as reconstructed by Scholz, Calbert & Smith
(2011), "Unravelling Bueno de Mesquita's group decision model", run on each issue of the
Ukraine 2022 scenario."""

import subprocess
import sys

import numpy as np
import pytest

from negotiation_sim.eum import forecast_issues, issue_models
from negotiation_sim.eum.from_scenario import eum_actors
from tests.conftest import ROOT


def test_inputs_are_ideal_options_and_issue_weights(ukraine):
    """Scholz et al. (2011) inputs per dimension: position x_i, salience s_i in [0, 1] and
    capability c_i. Russia's ideal on the open door is "closed" (position 0), the US's
    "open" (1); saliences are the scenario's weights (0.30 each); capability defaults to 1."""
    actors = {a.name: a for a in eum_actors(ukraine, "open_door")}
    assert (actors["Russia"].position, actors["United States"].position) == (0.0, 1.0)
    assert actors["Russia"].salience == pytest.approx(0.30)
    assert {a.capability for a in actors.values()} == {1.0}
    for issue in ukraine.space.issue_names:
        assert all(0.0 <= a.salience <= 1.0 for a in eum_actors(ukraine, issue))


def test_one_forecast_per_issue_within_the_initial_range(ukraine):
    """Scholz et al. (2011): offers move actors between existing positions, so every position,
    the weighted median and the weighted mean stay within the initial range of the issue;
    the forecast names the option nearest the median."""
    forecast = forecast_issues(ukraine, rounds=6)
    assert list(forecast.index) == list(ukraine.space.issue_names)
    for issue in ukraine.space.issues:
        initial = [a.position for a in eum_actors(ukraine, issue.name)]
        row = forecast.loc[issue.name]
        for column in (*ukraine.actor_names, "median", "mean"):
            assert min(initial) - 1e-12 <= row[column] <= max(initial) + 1e-12
        nearest = np.argmin(np.abs(issue.positions - row["median"]))
        assert row["option"] == issue.options[nearest].name
    assert forecast.loc["hotline", "rounds"] == 0  # all want a hotline: nothing to model
    assert (forecast.drop(index="hotline")["rounds"] == 6).all()


def test_trajectories_stay_within_range_every_round(ukraine):
    """Scholz et al. (2011): the issue width is the initial range; positions never leave it."""
    for model in issue_models(ukraine).values():
        lo, hi = model.positions().min(), model.positions().max()
        model.run(5)
        trajectory = model.trajectory()
        assert ((trajectory >= lo - 1e-12) & (trajectory <= hi + 1e-12)).all().all()


def test_capability_is_given_for_every_actor_or_not_at_all(ukraine):
    """Capability is an assumption the scenario does not hold: a mapping must name every actor."""
    with pytest.raises(ValueError, match="missing"):
        forecast_issues(ukraine, capability={"Russia": 2.0})
    weighted = eum_actors(ukraine, "open_door", {"Russia": 3, "United States": 2, "NATO": 1})
    assert [a.capability for a in weighted] == [3.0, 2.0, 1.0]


def test_example_prints_each_issue_and_writes_a_png(tmp_path):
    """The example script runs the Ukraine scenario issue by issue and plots positions."""
    png = tmp_path / "eum.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "eum_ukraine.py"), "--rounds", "3", "--out", png],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG")
    for issue in ("open_door", "force_posture", "offensive_weapons", "arms_control"):
        assert f"{issue}: positions by round" in done.stdout
    assert "Forecast after 3 rounds" in done.stdout
