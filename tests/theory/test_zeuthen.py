"""Zeuthen (1930), Problems of Monopoly and Economic Warfare, and Harsanyi (1956),
"Approaches to the bargaining problem before and after the theory of games",
Econometrica 24(2): two Zeuthen players, the less willing to risk conflict conceding,
agree on the Nash (1950) bargaining solution."""

from itertools import pairwise

import numpy as np
import pytest

from negotiation_sim.analysis import nash_point
from negotiation_sim.model import NegotiationModel
from negotiation_sim.strategies.zeuthen import willingness_to_risk
from tests.theory import grid_step, run, share, theory_scenario, values_of

PIE = theory_scenario("rubinstein_pie.yaml")
GRID = theory_scenario("zeuthen_grid.yaml")
ZEUTHEN = {"actors.A.strategy": "zeuthen", "actors.B.strategy": "zeuthen", "protocol.deadline": 200}

CASES = {  # name: (base scenario, u_A, u_B, reservations (d_A, d_B), closed-form Nash share)
    "linear": (PIE, None, None, (0.0, 0.0), 1 / 2),
    "linear, d off zero": (PIE, None, None, (0.2, 0.1), 0.55),
    "concave B": (PIE, None, lambda x: np.sqrt(1 - x), (0.0, 0.0), 2 / 3),
    "concave B, d off zero": (PIE, None, lambda x: np.sqrt(1 - x), (0.1, 0.3), None),
    "convex B": (PIE, None, lambda x: (1 - x) ** 2, (0.0, 0.0), 1 / 3),
    "concave A": (PIE, np.sqrt, None, (0.0, 0.0), 1 / 3),
    "coarse grid, d off zero": (GRID, None, None, (0.1, 0.2), 0.45),
    "coarse grid, both concave": (GRID, np.sqrt, lambda x: np.sqrt(1 - x), (0.05, 0.0), None),
}


def zeuthen_pie(base, u_a, u_b, reservations):
    changes = {
        **ZEUTHEN,
        # no deal is adjusted from the file's status quo s000
        "actors.A.no_deal_adjustment": reservations[0] - (0.0 if u_a is None else u_a(0.0)),
        "actors.B.no_deal_adjustment": reservations[1] - (1.0 if u_b is None else u_b(0.0)),
    }
    for name, utility in (("A", u_a), ("B", u_b)):
        if utility is not None:
            changes[f"actors.{name}.ideals"] = {}  # values replace the ideal
            changes[f"actors.{name}.values"] = {"share": values_of(base, utility)}
    return theory_scenario(base.path.name, changes)


@pytest.mark.parametrize("case", CASES)
def test_zeuthen_players_agree_on_the_nash_solution(case):
    """Harsanyi (1956): Zeuthen's process ends at the Nash (1950) solution, here within one
    grid step of the discrete Nash point and of the closed form (u_A = x, u_B = 1 - x:
    x = (1 + d_A - d_B) / 2; u_B = sqrt(1 - x): 2/3; u_B = (1 - x)^2: 1/3; u_A = sqrt x:
    1/3)."""
    base, u_a, u_b, reservations, closed_form = CASES[case]
    scenario = zeuthen_pie(base, u_a, u_b, reservations)
    result = run(scenario)
    assert result.outcome == "agreement"
    utilities = np.column_stack([scenario.utilities[name] for name in ("A", "B")])
    nash = nash_point(utilities, reservations)
    step = grid_step(scenario)
    assert share(scenario, result.package) == pytest.approx(share(scenario, nash), abs=step)
    if closed_form is not None:
        assert share(scenario, result.package) == pytest.approx(closed_form, abs=step)


def offers_by_round(scenario):
    """Each completed round's offers (A's package, B's package), from the transcript."""
    model = NegotiationModel(scenario, rng=0, collect=False)
    model.run()
    rounds = [[offer.package for offer in record.offers] for record in model.transcript]
    return [tuple(packages) for packages in rounds if len(packages) == 2]


@pytest.mark.parametrize("case", ["linear, d off zero", "concave B", "concave A"])
def test_the_party_less_willing_to_risk_conflict_makes_the_smallest_reversing_concession(case):
    """Zeuthen (1930): the party with the lower r concedes (both on a tie), the other holds;
    Harsanyi (1956): by just enough to reverse the comparison, so that one grid step less
    would not have reversed it. Read off the transcript, with the true utilities."""
    base, u_a, u_b, (d_a, d_b), _ = CASES[case]
    scenario = zeuthen_pie(base, u_a, u_b, (d_a, d_b))
    ua, ub = scenario.utilities["A"], scenario.utilities["B"]

    def risks(a, b):
        return willingness_to_risk(ua[a], ua[b], d_a), willingness_to_risk(ub[b], ub[a], d_b)

    offers = offers_by_round(scenario)
    assert len(offers) > 10  # a process of concessions, not a first-round deal
    for (a, b), (a_next, b_next) in pairwise(offers):
        r_a, r_b = risks(a, b)
        assert (a_next != a) == (r_a <= r_b)  # A concedes exactly when it risks no more
        assert (b_next != b) == (r_b <= r_a)
        if r_a < r_b:  # A alone conceded: now B risks less; one step less would not do
            assert np.greater(*risks(a_next, b))
            assert not np.greater(*risks(a_next + 1, b))
        if r_b < r_a:
            assert np.less(*risks(a, b_next))
            assert not np.less(*risks(a, b_next - 1))


def test_willingness_to_risk_conflict():
    """Zeuthen (1930) / Harsanyi (1956): r = (u(own) - u(other's)) / (u(own) - d), e.g.
    (0.8 - 0.5) / (0.8 - 0.2) = 0.5; 0 when the other's offer is as good; 1 when its own
    offer is no better than conflict (nothing to lose)."""
    risks = willingness_to_risk(np.array([0.8, 0.8, 0.2]), np.array([0.5, 0.8, 0.1]), 0.2)
    assert risks == pytest.approx([0.5, 0.0, 1.0])
