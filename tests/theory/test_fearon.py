"""Fearon (1995), "Rationalist Explanations for War", International Organization 49(3):
with war worth p - c_A to the challenger and 1 - p - c_B to the defender, every division
x in (p - c_A, p + c_B) is preferred to war by both; with complete information a rational
challenger fights only when no offer it can get reaches p - c_A."""

import numpy as np
import pytest

from negotiation_sim.model import NegotiationModel
from tests.theory import grid_step, run, theory_scenario

CRISIS = theory_scenario("fearon_crisis.yaml")  # p = 0.6, c_A = 0.12, c_B = 0.08
SHARES = CRISIS.space.issues[0].positions
NAMES = CRISIS.space.issues[0].option_names


def crisis(attacker, defender, c_a, c_b):
    """The crisis with p = attacker / (attacker + defender), Russia's war cost c_A and the
    West's reservation set to its value of war, 1 - p - c_B."""
    p = attacker / (attacker + defender)
    war = "actors.Russia.outside_option"
    return theory_scenario(
        "fearon_crisis.yaml",
        {
            f"{war}.border_troops": attacker,
            f"{war}.defender_strength": defender,
            f"{war}.base_cost": c_a,
            "actors.West.no_deal_adjustment": (1 - p - c_b) - 1.0,  # the status quo gives it all
        },
    )


def preferred_to_war_by_both(model):
    """Mask of the divisions both value above war, by the model's own utilities and war values:
    Russia's expected value of war, and the West's reservation (its value of war)."""
    russia, west = model.negotiators["Russia"], model.negotiators["West"]
    return (model.true_utilities["Russia"] > russia.outside_value) & (
        model.true_utilities["West"] > west.outside_value
    )


@pytest.mark.parametrize(
    ("attacker", "defender", "c_a", "c_b"),
    [(60000, 40000, 0.12, 0.08), (30000, 70000, 0.07, 0.17), (80000, 20000, 0.33, 0.03)],
)
def test_the_bargaining_range_is_every_division_between_the_war_values(
    attacker, defender, c_a, c_b
):
    """Fearon (1995), section "War as a bargaining failure": since war costs both sides,
    c_A + c_B > 0, the divisions in (p - c_A, p + c_B) are each preferred to war by both,
    and no other division is (ends chosen off the grid)."""
    p = attacker / (attacker + defender)
    model = NegotiationModel(crisis(attacker, defender, c_a, c_b), rng=0)
    russia = model.negotiators["Russia"]
    assert russia.outside_value == pytest.approx(p - c_a)
    assert russia.floor == pytest.approx(p - c_a)  # no bargain worth less than war is taken
    inside = np.greater(SHARES, p - c_a) & np.less(SHARES, p + c_b)
    assert inside.any()
    np.testing.assert_array_equal(preferred_to_war_by_both(model), inside)


def west_standing_at(b, red_line, russia="linear", deadline=10):
    """The crisis with a West that offers Russia the share ``b`` every round and accepts no
    more (a hardliner whose aspiration lies half a grid step below 1 - b); with ``red_line``
    the West can go no further either, else it could go up to its war value."""
    index = int(np.flatnonzero(np.isclose(SHARES, b))[0])
    changes = {
        "actors.West.strategy": {"name": "hardliner", "aspiration": 1 - b - grid_step(CRISIS) / 2},
        "actors.Russia.strategy": russia,
        "protocol.deadline": deadline,
    }
    if red_line:
        changes["actors.West.red_lines"] = [{"options": {"share": list(NAMES[index + 1 :])}}]
    return theory_scenario("fearon_crisis.yaml", changes)


OFFERS = [round(float(b), 2) for b in SHARES if b <= 0.65]  # the West's war value caps it at 0.68


@pytest.mark.parametrize("russia", ["linear", "boulware"])
@pytest.mark.parametrize("red_line", [True, False], ids=["take-it-or-leave-it", "could-go-further"])
def test_russia_escalates_exactly_when_the_best_offer_is_worth_less_than_war(russia, red_line):
    """Fearon (1995): a fully informed, rational challenger prefers any division above
    p - c_A to war, so it fights exactly when the best offer on the table gives it less.
    Over every stance b of the West, on both sides of p - c_A = 0.48."""
    war = NegotiationModel(CRISIS, rng=0).negotiators["Russia"].outside_value
    escalated = {}
    for b in OFFERS:
        result = run(west_standing_at(b, red_line, russia))
        escalated[b] = result.outcome == "escalation"
        if escalated[b]:
            assert result.escalated_by == "Russia" and result.package is None
        else:
            assert result.outcome == "agreement"
            assert war <= result.utilities["Russia"]
    assert escalated == {b: b < war for b in OFFERS}
    assert any(escalated.values()) and not all(escalated.values())


@pytest.mark.parametrize(("b", "outcome"), [(0.45, "escalation"), (0.5, "agreement")])
def test_the_threshold_holds_in_the_deadline_round(b, outcome):
    """Fearon (1995), at the last moment: with five rounds, a Boulware Russia and a West that
    could concede up to 0.65 but stands at b, Russia hopes for more until the deadline round,
    where only the offer in hand counts: it fights for b = 0.45 < 0.48 and settles for 0.5."""
    result = run(west_standing_at(b, red_line=False, russia="boulware", deadline=5))
    assert (result.outcome, result.round) == (outcome, 5)


def test_a_first_strike_advantage_empties_the_range_and_war_follows():
    """Fearon (1995), section "Preemptive war and offensive advantages": if striking first
    raises the challenger's chance of winning to p_first with p_first - c_A > p + c_B, no
    division is preferred to war by both and war follows even with complete information.
    The first strike is a flanking force counted three times (the Belarus inputs of the war
    option): p_first = (60000 + 3 * 50000) / 250000 = 0.84, so p_first - c_A = 0.72, above
    p + c_B = 0.68, the most the West would ever give."""
    first_strike = {
        "actors.Russia.outside_option.belarus_troops": 50000,
        "actors.Russia.outside_option.belarus_multiplier": 3.0,
    }
    model = NegotiationModel(theory_scenario("fearon_crisis.yaml", first_strike), rng=0)
    assert model.negotiators["Russia"].outside_value == pytest.approx(0.84 - 0.12)
    assert not preferred_to_war_by_both(model).any()
    result = model.run()
    assert (result.outcome, result.escalated_by, result.package) == ("escalation", "Russia", None)
    assert run(CRISIS).outcome == "agreement"  # without the advantage, the same crisis settles


@pytest.mark.parametrize("b", [0.5, 0.55, 0.6, 0.65])
def test_russia_waits_for_a_conceding_west_that_will_offer_enough(b):
    """Fearon (1995): with complete information a rational challenger does not fight when a
    division it prefers to war is sure to be offered. Here the West concedes linearly up to
    its red line b >= p - c_A = 0.48, which Russia knows (noise 0), so the talks end in
    agreement rather than in war while the West is still on its way."""
    index = int(np.flatnonzero(np.isclose(SHARES, b))[0])
    red_line = [{"options": {"share": list(NAMES[index + 1 :])}}]
    result = run(theory_scenario("fearon_crisis.yaml", {"actors.West.red_lines": red_line}))
    assert result.outcome == "agreement"
