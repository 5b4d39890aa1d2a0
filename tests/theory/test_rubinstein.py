"""Rubinstein (1982), "Perfect equilibrium in a bargaining model", Econometrica 50(1):
alternating offers with discount factors d1, d2 and player 1 first end at once, player 1
taking (1 - d2) / (1 - d1 d2)."""

import pytest

from negotiation_sim.strategies import Rubinstein
from tests.theory import grid_step, run, share, theory_scenario

PAIRS = [(0.9, 0.9), (0.9, 0.5), (0.5, 0.9), (0.95, 0.8), (0.8, 0.95), (0.6, 0.3), (0.99, 0.99)]


def pie(d1: float, d2: float, order: tuple[str, str] = ("A", "B")):
    """The pie with A discounting by d1 and B by d2, proposers in ``order``."""
    return theory_scenario(
        "rubinstein_pie.yaml",
        {
            "actors.A.strategy": {"name": "rubinstein", "discount": d1, "other_discount": d2},
            "actors.B.strategy": {"name": "rubinstein", "discount": d2, "other_discount": d1},
            "protocol.order": list(order),
        },
    )


@pytest.mark.parametrize(("d1", "d2"), PAIRS)
def test_first_proposer_gets_its_subgame_perfect_share_in_round_one(d1, d2):
    """Rubinstein (1982), Theorem: player 1's share is (1 - d2) / (1 - d1 d2), agreed in the
    first round; on a grid of 101 splits, within one grid step."""
    scenario = pie(d1, d2)
    result = run(scenario)
    assert result.outcome == "agreement"
    assert result.round == 1
    assert share(scenario, result.package) == pytest.approx(
        (1 - d2) / (1 - d1 * d2), abs=grid_step(scenario)
    )


@pytest.mark.parametrize(("d1", "d2"), [(0.9, 0.5), (0.95, 0.8)])
def test_second_player_proposing_first_gets_the_proposer_share(d1, d2):
    """Rubinstein (1982): the equilibrium depends on who proposes first; with B first, B takes
    (1 - d1) / (1 - d1 d2) and A the rest."""
    scenario = pie(d1, d2, order=("B", "A"))
    result = run(scenario)
    assert result.round == 1
    assert 1 - share(scenario, result.package) == pytest.approx(
        (1 - d1) / (1 - d1 * d2), abs=grid_step(scenario)
    )


def test_more_patience_means_a_larger_share():
    """Rubinstein (1982): player 1's share rises with its own discount factor (patience)."""
    shares = []
    for d1 in (0.3, 0.6, 0.9, 0.97):
        scenario = pie(d1, 0.8)
        shares.append(share(scenario, run(scenario).package))
    assert shares == sorted(shares) and shares[0] < shares[-1]


class Responder:
    """The responder side of the strategy, seen through the state it reads."""

    floor, best = 0.0, 1.0


def test_responder_accepts_exactly_its_discounted_proposer_share():
    """Rubinstein (1982): in equilibrium the responder accepts any offer worth at least
    d_self times its own proposer share (1 - d_other) / (1 - d_self d_other), and no less."""
    strategy = Rubinstein(discount=0.8, other_discount=0.9)
    threshold = 0.8 * (1 - 0.9) / (1 - 0.72)  # = 0.2857...
    assert strategy.accepts(Responder(), threshold + 1e-9)
    assert not strategy.accepts(Responder(), threshold - 0.01)


@pytest.mark.parametrize("bad", [1.0, -0.1, 1.5])
def test_discount_factors_outside_zero_one_are_refused(bad):
    """Rubinstein's (1982) result needs d < 1: with both at 1 the formula divides by zero."""
    with pytest.raises(ValueError, match="discount"):
        Rubinstein(discount=bad)
