"""Nash (1950), "The bargaining problem", Econometrica 18(2), and Kalai & Smorodinsky (1975),
"Other solutions to Nash's bargaining problem", Econometrica 43(3): closed forms on a
discrete pie, computed through the scenario-level ``concepts_for``."""

import math

import numpy as np
import pytest

from negotiation_sim.analysis import (
    agreement_distances,
    concepts_for,
    pie_kalai_smorodinsky,
    pie_nash,
)
from tests.theory import grid_step, share, theory_scenario, values_of

PIE = theory_scenario("rubinstein_pie.yaml")


def pie_with(u_b=None, reservations=(0.0, 0.0), red_line=None):
    """The 101-split pie with B's utility ``u_b`` of A's share x (default 1 - x)."""
    at_s000 = 1.0 if u_b is None else float(u_b(0.0))  # no deal is adjusted from the file's s000
    changes = {
        "actors.A.no_deal_adjustment": reservations[0],
        "actors.B.no_deal_adjustment": reservations[1] - at_s000,
    }
    if u_b is not None:
        changes["actors.B.ideals"] = {}  # values replace the ideal
        changes["actors.B.values"] = {"share": values_of(PIE, u_b)}
    if red_line is not None:
        changes["actors.B.red_lines"] = [{"options": {"share": red_line}}]
    return theory_scenario("rubinstein_pie.yaml", changes)


def test_linear_pie_splits_in_half():
    """Nash (1950) symmetry axiom and Kalai-Smorodinsky (1975): with u1 = x, u2 = 1 - x and
    d = (0, 0) both solutions give x = 1/2."""
    concepts = concepts_for(PIE)
    assert share(PIE, concepts.nash) == pytest.approx(0.5)
    assert share(PIE, concepts.kalai_smorodinsky) == pytest.approx(0.5)


def test_nash_and_kalai_smorodinsky_differ_with_a_concave_party():
    """u1 = x, u2 = sqrt(1 - x), d = 0. Nash (1950): maximise x sqrt(1 - x); the derivative
    sqrt(1 - x) - x / (2 sqrt(1 - x)) vanishes at 2 (1 - x) = x, so x_N = 2/3.
    Kalai-Smorodinsky (1975): both ideals are 1, so equal gains x = sqrt(1 - x), i.e.
    x^2 + x - 1 = 0 and x_KS = (sqrt 5 - 1) / 2 = 0.618..."""
    scenario = pie_with(u_b=lambda x: np.sqrt(1 - x))
    concepts = concepts_for(scenario)
    step = grid_step(scenario)
    x_nash, x_ks = share(scenario, concepts.nash), share(scenario, concepts.kalai_smorodinsky)
    assert x_nash == pytest.approx(2 / 3, abs=step)
    assert x_ks == pytest.approx((math.sqrt(5) - 1) / 2, abs=step)
    assert x_nash - x_ks >= 3 * step  # they really are different points


def test_disagreement_point_shifts_the_linear_split():
    """Nash (1950) with u1 = x, u2 = 1 - x, d = (0.2, 0.1): maximise (x - 0.2)(0.9 - x), so
    x_N = (1 + d1 - d2) / 2 = 0.55. Kalai-Smorodinsky: ideals 0.9 and 0.8, equal normalised
    gains (x - 0.2) / 0.7 = (0.9 - x) / 0.7 give the same 0.55."""
    scenario = pie_with(reservations=(0.2, 0.1))
    concepts = concepts_for(scenario)
    assert share(scenario, concepts.nash) == pytest.approx(0.55)
    assert share(scenario, concepts.kalai_smorodinsky) == pytest.approx(0.55)
    assert concepts.zopa.size == 69  # x in (0.2, 0.9), ends excluded: 0.21 .. 0.89


def test_discrete_points_match_the_continuous_pie_solutions():
    """Nash (1950) and Kalai-Smorodinsky (1975) on a concave case with d = (0.1, 0.2): the
    grid points lie within one step of the continuous solutions of ``pie_nash`` and
    ``pie_kalai_smorodinsky``."""
    scenario = pie_with(u_b=lambda x: np.sqrt(1 - x), reservations=(0.1, 0.2))
    concepts = concepts_for(scenario)
    step = grid_step(scenario)
    d = (0.1, 0.2)
    assert share(scenario, concepts.nash) == pytest.approx(
        pie_nash(lambda x: x, np.sqrt, d), abs=step
    )
    assert share(scenario, concepts.kalai_smorodinsky) == pytest.approx(
        pie_kalai_smorodinsky(lambda x: x, np.sqrt, d), abs=step
    )


def test_red_lines_bound_the_feasible_set():
    """Nash (1950) on the feasible set only: with B's red line forbidding shares of 0.6 and
    more, the product x sqrt(1 - x), increasing below 2/3, peaks at the last allowed 0.59."""
    forbidden = [f"s{k:03d}" for k in range(60, 101)]
    scenario = pie_with(u_b=lambda x: np.sqrt(1 - x), red_line=forbidden)
    assert share(scenario, concepts_for(scenario).nash) == pytest.approx(0.59)


def test_agreement_distances_in_utility_space():
    """Distances to the Nash (1950) point: zero at it; for the split 0.71 of the linear pie
    sqrt(0.21^2 + 0.21^2); a run without agreement gets NaN. With d = (0, 0) the ZOPA is every
    split but 0 and 1, so both agreements are in it (distance 0); with d = (0.2, 0.1) it is
    0.21 .. 0.89, and the split 0.95 lies sqrt(0.06^2 + 0.06^2) from its nearest end."""
    frame = agreement_distances(PIE, [50, 71, None])
    columns = ["package", "pareto", "zopa", "nash", "kalai_smorodinsky", "utilitarian"]
    assert list(frame.columns) == columns
    assert list(frame["zopa"].iloc[:2]) == [0.0, 0.0]
    assert frame.loc[0, "nash"] == pytest.approx(0.0, abs=1e-12)
    assert frame.loc[1, "nash"] == pytest.approx(math.hypot(0.21, 0.21))
    assert frame.loc[1, "pareto"] == pytest.approx(0.0, abs=1e-12)  # every split is efficient
    assert frame.loc[2, ["nash", "pareto", "zopa"]].isna().all()
    outside = agreement_distances(pie_with(reservations=(0.2, 0.1)), [95])
    assert outside.loc[0, "zopa"] == pytest.approx(math.hypot(0.06, 0.06))
