"""Costly signals (Fearon 1997, ``negotiation_sim.signals``): a build-up sinks costs, a
leak ties hands, a deterrence move shows red lines that hold; the types that would not
pay a signal's cost do not send it, so observers learn from it, made or not."""

from __future__ import annotations

import numpy as np
import pytest

from negotiation_sim.beliefs import TREMBLE, TypeBelief
from negotiation_sim.model import LEAK_EVENT, NegotiationModel
from negotiation_sim.signals import deterrence_worth, signal_likelihood, sinks_costs, ties_hands
from tests.theory import theory_scenario

BUILD_UP = "border build-up"
DETER = "forward force"
WEST_LINE = [{"options": {"share": [f"r{k:03d}" for k in range(45, 101, 5)]}, "why": "test"}]


def crisis(cost: float = 0.05, adjustment: float = 0.0, noise: float = 0.0, **changes):
    """The Fearon crisis (Russia's war 0.6 - 0.12 = 0.48, no deal 0 + ``adjustment``) in
    which Russia may, from round 1, move 40,000 more troops up at ``cost``: p rises to
    100/140, its war to 0.594. Learning beliefs of 2 types when ``noise`` is set."""
    return theory_scenario(
        "fearon_crisis.yaml",
        {
            "actors.Russia.no_deal_adjustment": adjustment,
            "actors.Russia.outside_option.escalation_rate": 0.001,
            "beliefs.noise": noise,
            "beliefs.types": 2 if noise else 1,
            "events": [
                {
                    "round": 1,
                    "name": BUILD_UP,
                    "actor": "Russia",
                    "changes": {"border_troops": 40000},
                    "chosen_by": "Russia",
                    "cost": cost,
                }
            ],
            **changes,
        },
    )


def two_types(reservations, war_errors=(0.0, 0.0), firm=((False,), (False,))) -> TypeBelief:
    return TypeBelief(
        np.array(reservations, float),
        np.array(war_errors, float),
        np.array(firm, bool).reshape(2, -1),
        np.full(2, 0.5),
    )


def held_by(model: NegotiationModel, observer: str, about: str, belief: TypeBelief) -> None:
    """Make ``belief`` the one ``observer`` holds and learns about ``about``."""
    actor = model.negotiators[observer]
    actor.types[about] = actor._learning[about] = belief


# -- the rules, by hand -----------------------------------------------------------


def test_a_build_up_pays_only_for_a_type_it_lets_fight():
    """Floors 0.48 -> 0.594 (war) against 0.7 -> 0.7 (no deal beats war even after)."""
    now, after = np.maximum([0.0, 0.7], 0.48), np.maximum([0.0, 0.7], 0.594)
    assert sinks_costs(now, after, 0.05).tolist() == [True, False]
    assert sinks_costs(now, after, 0.2).tolist() == [False, False]  # dearer than any gain


def test_hands_are_tied_only_by_a_type_that_means_to_fight():
    """War 0.53 once public against a hoped-for 0.6 less an audience cost of 0.03."""
    assert ties_hands(np.array([0.53, 0.6]), 0.6, 0.0, 0.03).tolist() == [False, True]
    assert not ties_hands(0.53, 0.4, 0.6, 0.03)  # no deal beats war: it waits


def test_deterrence_is_worth_the_pressure_it_removes():
    assert deterrence_worth(np.array([-0.1, 0.05, 0.3]), 0.1).tolist() == pytest.approx(
        [0.0, 0.05, 0.1]
    )


def test_a_signal_without_tremble_separates():
    sends = np.array([True, False])
    assert signal_likelihood(sends, True).tolist() == [1.0, 0.0]
    assert signal_likelihood(sends, False, TREMBLE).tolist() == [TREMBLE, 1.0]


def test_a_move_no_type_would_make_leaves_the_belief_as_it_was():
    belief = two_types([0.2, 0.4])
    belief.update(signal_likelihood(np.array([False, False]), True))
    assert belief.weights.tolist() == [0.5, 0.5]


# -- the mover's choice -------------------------------------------------------------


def round_of(scenario, name: str, seed: int = 0) -> int | None:
    model = NegotiationModel(scenario, rng=seed, collect=False)
    model.run()
    return next((r.round for r in model.transcript if any(name in e for e in r.events)), None)


@pytest.mark.parametrize(
    ("cost", "adjustment", "expected"),
    [(0.05, 0.0, 1), (0.2, 0.0, None), (0.05, 0.7, None)],
    ids=["resolute, cheap", "resolute, dearer than its gain", "no deal beats war"],
)
def test_russia_builds_up_only_when_the_forces_raise_its_floor_by_more_than_they_cost(
    cost, adjustment, expected
):
    assert round_of(crisis(cost, adjustment), BUILD_UP) == expected


def test_the_build_up_and_its_reason_are_in_the_transcript_and_shift_p():
    model = NegotiationModel(crisis(), rng=0, collect=False)
    model.step()
    (event,) = model.transcript[0].events
    assert event == f"{BUILD_UP} (chosen by Russia: floor 0.480 raised to 0.594 > cost 0.050)"
    assert model.negotiators["Russia"].war.border_troops == 100000


# -- what observers learn -----------------------------------------------------------


@pytest.mark.parametrize(
    ("made", "posterior"), [(True, [1.0, 0.0]), (False, [0.0, 1.0])], ids=["made", "not made"]
)
def test_a_build_up_made_or_not_separates_the_two_types(made, posterior):
    """Of no-deal values 0 and 0.7, only the first gains from the forces (see above): the
    West's posterior is one on it after the build-up, one on the other without it."""
    model = NegotiationModel(crisis(noise=0.1), rng=0, collect=False)
    russia, west = model.negotiators["Russia"], model.negotiators["West"]
    held_by(model, "West", "Russia", two_types([0.0, 0.7]))
    (move,) = model._moves
    west.observe_choice(russia, russia, move, made)
    assert west.types["Russia"].weights.tolist() == posterior


def test_a_build_up_dearer_than_any_type_would_pay_teaches_nothing():
    model = NegotiationModel(crisis(cost=0.2, noise=0.1), rng=0, collect=False)
    russia, west = model.negotiators["Russia"], model.negotiators["West"]
    held_by(model, "West", "Russia", two_types([0.0, 0.7]))
    west.observe_choice(russia, russia, model._moves[0], False)
    assert west.types["Russia"].weights.tolist() == [0.5, 0.5]


def test_over_many_runs_the_build_up_leaves_only_types_that_would_have_chosen_as_russia_did():
    """300 seeds of 16 types each: after round 1, every type the West still gives weight
    agrees with Russia's choice, by the rule evaluated here from the type's floors."""
    separated = 0
    for seed in range(300):
        scenario = crisis(noise=0.15, **{"beliefs.types": 16})
        model = NegotiationModel(scenario, rng=seed, collect=False)
        russia, west = model.negotiators["Russia"], model.negotiators["West"]
        belief = west.types["Russia"]
        war = russia.apparent_war_value
        now = belief.floors(war, 0.0)
        after = belief.floors(war + russia.war_value_change({"border_troops": 40000}), 0.0)
        sends = after - now > 0.05
        model.step()
        made = any(BUILD_UP in e for e in model.transcript[0].events)
        agreeing = sends == made
        if agreeing.any():
            assert belief.weights[~agreeing].sum() < 1e-12
            separated += 1
    assert separated >= 270  # some draws leave no type agreeing with the truth


def test_a_chosen_leak_ties_russias_hands_and_the_west_learns_from_it():
    """War 0.48 + pretext 0.05 = 0.53; types read it 0.2 higher or 0.3 lower, against the
    most the West can offer (its red line stops at r040) less the audience cost."""
    scenario = crisis(
        noise=0.1,
        **{
            "events": [],
            "actors.West.red_lines": WEST_LINE,
            "protocol.leak": {
                "round": 1,
                "chosen_by": "Russia",
                "pretext": 0.05,
                "audience_cost": 0.03,
            },
        },
    )
    model = NegotiationModel(scenario, rng=0, collect=False)
    russia, west = model.negotiators["Russia"], model.negotiators["West"]
    no_lines = ((), ())  # Russia holds no red lines here
    held_by(model, "West", "Russia", two_types([0.0, 0.0], [0.2, -0.3], firm=no_lines))
    most = float(west.believed_utilities["Russia"][west.allowed].max())
    assert 0.23 < most - 0.03 < 0.73  # so the rule separates the two types
    leaks = russia.ties_hands(scenario.protocol.leak) is not None
    model.step()
    events = model.transcript[0].events
    assert any(e.startswith(LEAK_EVENT) for e in events) == leaks == model.leaked
    expected = np.array([1.0, TREMBLE] if leaks else [TREMBLE, 1.0]) / (1 + TREMBLE)
    np.testing.assert_allclose(west.types["Russia"].weights, expected)


def test_deterrence_made_raises_russias_belief_that_the_wests_red_line_holds():
    """Russia's war 0.48; a firm West offers at most 0.4 (pressure 0.08), a bluffing one
    all (none): only the firm type sends a move cutting 0.1 at cost 0.05."""
    scenario = crisis(
        noise=0.1,
        **{
            "actors.West.red_lines": WEST_LINE,
            "events": [
                {
                    "round": 1,
                    "name": DETER,
                    "actor": "Russia",
                    "changes": {"base_cost": 0.1},
                    "deterrence": True,
                    "chosen_by": "West",
                    "cost": 0.05,
                }
            ],
        },
    )
    model = NegotiationModel(scenario, rng=0, collect=False)
    russia, west = model.negotiators["Russia"], model.negotiators["West"]
    russia.defender_scale = 1.0  # its own reading exact, so its floor is 0.48
    russia.update_floor()
    held_by(model, "Russia", "West", two_types([0.3, 0.3], firm=[[True], [False]]))
    russia.observe_choice(west, russia, model._moves[0], True)
    np.testing.assert_allclose(russia.types["West"].weights, np.array([1, TREMBLE]) / (1 + TREMBLE))
    assert russia.types["West"].firm_lines().tolist() == [True]
