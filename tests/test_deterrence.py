"""Deterrence chosen by the West (``Negotiator.deters``): a move the scenario lists as
``chosen_by`` an actor is made once, by the mover's belief, the part of the adversary's
escalation pressure it removes exceeds its cost."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from negotiation_sim.beliefs import TREMBLE
from negotiation_sim.model import NegotiationModel
from negotiation_sim.signals import deterrence_worth, signal_likelihood
from tests.theory import theory_scenario

MOVE = "forward force"


def crisis(cost: float, base_cost: float = 0.12, **changes):
    """The Fearon crisis with the West unable to offer more than 0.4 (a red line), so by
    its belief Russia's war (0.48 at the file's cost) beats every deal it can offer by
    0.08; a forward force it may send from round 1 raises Russia's cost of war by 0.1; the
    replies leak in round 3, which cheapens Russia's war by 0.05 and so raises the
    pressure to 0.13. A tiny escalation hazard keeps the talks going."""
    names = [f"r{k:03d}" for k in range(0, 101, 5)]
    return theory_scenario(
        "fearon_crisis.yaml",
        {
            "actors.West.red_lines": [{"options": {"share": names[9:]}, "why": "test"}],
            "actors.Russia.outside_option.base_cost": base_cost,
            "actors.Russia.outside_option.escalation_rate": 0.001,
            "protocol.leak": {"round": 3, "pretext": 0.05},
            "events": [
                {
                    "round": 1,
                    "name": MOVE,
                    "actor": "Russia",
                    "changes": {"base_cost": 0.1},
                    "deterrence": True,
                    "chosen_by": "West",
                    "cost": cost,
                }
            ],
            **changes,
        },
    )


def round_chosen(scenario) -> int | None:
    """The round in which the West made the move (None: never, while the talks lasted)."""
    model = NegotiationModel(scenario, rng=0, collect=False)
    model.run()
    for record in model.transcript:
        if any(name.startswith(MOVE) for name in record.events):
            return record.round
    return None


@pytest.mark.parametrize(("cost", "expected"), [(0.05, 1), (0.09, 3), (0.2, None)])
def test_raising_a_moves_cost_delays_or_removes_it(cost, expected):
    """Worth 0.08 before the leak and 0.1 (the move's whole cut) after it."""
    assert round_chosen(crisis(cost)) == expected


def test_raising_russias_resolve_brings_it_forward():
    """A cheaper war for Russia (cost 0.05: war worth 0.55, pressure 0.15) makes the move
    worth its whole cut from round 1."""
    assert round_chosen(crisis(0.09)) == 3
    assert round_chosen(crisis(0.09, base_cost=0.05)) == 1


def test_while_a_deal_is_in_reach_nothing_is_deterred():
    """Without the red line the West can offer more than Russia's war is worth."""
    assert round_chosen(crisis(0.0, **{"actors.West.red_lines": []})) is None


def test_the_move_is_news_and_its_reason_is_in_the_transcript():
    model = NegotiationModel(crisis(0.05), rng=0, collect=False)
    model.step()
    (event,) = model.transcript[0].events
    assert event == f"{MOVE} (chosen by West: pressure 0.080 cut by 0.080 > cost 0.050)"
    assert model.negotiators["Russia"].war.base_cost == pytest.approx(0.22)


def test_russias_floor_with_a_move_is_read_afresh_once_what_it_rests_on_changes(ukraine):
    """``Russia.floor_with`` keeps what it works out; each of its war option, its audience
    cost, its reading of the defence and (Powell's case) the shifts ahead must make it
    work the floor out again."""
    changes = {"nato_troops": 5000.0}

    def check(russia, before: float) -> float:
        fresh = russia._floor_given(russia.war.changed(changes).value(russia.defender_scale))
        assert russia.floor_with(changes) == fresh != before
        return fresh

    russia = NegotiationModel(ukraine, rng=1, collect=False).negotiators["Russia"]
    floor = check(russia, math.nan)
    russia.war = russia.war.changed({"border_troops": 20_000.0})
    floor = check(russia, floor)
    russia.audience_cost += 0.03  # as a leak would set it, without the leak's pretext
    floor = check(russia, floor)
    russia.defender_scale *= 0.7
    check(russia, floor)
    powell = NegotiationModel(theory_scenario("powell_shift.yaml"), rng=1, collect=False)
    russia = powell.negotiators["Russia"]
    floor = check(russia, math.nan)
    powell.step()  # a round nearer the shift: its weight in the stretches ahead grows
    check(russia, floor)


def not_made(observer, mover, move) -> np.ndarray:
    """Per type of ``observer``'s belief about ``mover``, the likelihood of ``move`` not
    made (``Negotiator.observe_choice``), worked out by hand."""
    pressure = observer.floor - observer._most_by_type(mover)
    cut = observer.floor - observer.floor_with(move.changes)
    return signal_likelihood(deterrence_worth(pressure, cut) > move.cost, False, TREMBLE)


def test_a_deterrence_choice_is_weighed_again_once_the_movers_partners_lines_read_otherwise(
    ukraine,
):
    """Russia reads a US move not made against the most the US side could offer each of its
    types, which rests on Russia's reading of NATO's red lines; once that reading changes
    (here: to a NATO type holding fewer lines firm), the same choice, in the same facts,
    is evidence to weigh again. Russia is made to read Ukraine's defence as weak, so that
    its floor is above some deals, and the move made cheap enough to be worth making."""
    weighed = 0
    for seed in range(12):
        model = NegotiationModel(ukraine, rng=seed, collect=False)
        russia, us = model.negotiators["Russia"], model.negotiators["United States"]
        russia.defender_scale = 0.2
        russia.update_floor()
        move = next(m for m in model._moves if m.chosen_by == "United States")
        move = dataclasses.replace(move, cost=0.001)
        nato, belief = russia.types["NATO"], russia.types["United States"]
        firm = nato.firm_lines()
        fewer = np.flatnonzero((nato.firm <= firm).all(axis=1) & (nato.firm != firm).any(axis=1))
        if not len(fewer):
            continue
        first = not_made(russia, us, move)
        russia.observe_choice(us, russia, move, False)
        weights = belief.weights
        nato.weights = np.eye(len(nato.weights))[fewer[0]]  # sure of a type with fewer lines
        russia._learn_red_lines(["NATO"])  # the belief that moved
        second = not_made(russia, us, move)
        if np.array_equal(second, first):  # the same likelihood counts once (``update``)
            continue
        russia.observe_choice(us, russia, move, False)
        expected = weights * second
        np.testing.assert_array_equal(belief.weights, expected / expected.sum())
        weighed += 1
    assert weighed >= 3
