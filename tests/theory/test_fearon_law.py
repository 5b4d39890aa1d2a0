"""Fearon (1995) as a law of the model: with complete information, informed actors never
fight over a deal they can all see, and a take-it-or-leave-it offer is the textbook one.

"Complete information" is belief noise 0 and red-line doubt 0: every actor knows the
others' preferences, red lines and war values. The law is for rational bargainers,
whose demands come down to their floors by the deadline (the time-dependent
strategies); a hardliner or a stalled tit-for-tat is a commitment not to concede
(Schelling 1960), under which war over an available deal is the point of the test
in ``test_a_commitment_not_to_concede_can_end_in_war``. A package "every party strictly prefers
to its floor" respects every red line and is worth more to each party than the better
of its no-deal value and its war value (plus any audience cost).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import load_scenario, uncertainty_of, with_changes
from tests.conftest import SCENARIOS
from tests.factories import random_scenario
from tests.theory import grid_step, share, theory_scenario

CONCEDING = ("boulware", "linear", "conceder")  # strategies that reach their floor by the deadline
P, C_A, C_B = 0.6, 0.12, 0.08  # the crisis file: war worth p - c_A and 1 - p - c_B


def preferred_by_all(model: NegotiationModel) -> np.ndarray:
    """Packages inside every red line and worth more than its floor to every party, by the
    floors the actors hold now (events and leaks move them)."""
    inside = np.ones(len(model.space), dtype=bool)
    for name, actor in model.negotiators.items():
        inside &= model.allowed[name] & (model.true_utilities[name] > actor.floor)
    return inside


def check_fearon(model: NegotiationModel) -> None:
    result = model.run()
    if result.package is not None:  # nobody signs below its floor
        for name, actor in model.negotiators.items():
            assert model.true_utilities[name][result.package] >= actor.floor - 1e-12, name
    if preferred_by_all(model).any():
        assert result.outcome != "escalation", "war although a deal all prefer existed"
        return
    for name, actor in model.negotiators.items():
        if not actor.has_outside_option:
            continue
        others_accept = np.ones(len(model.space), dtype=bool)
        for other_name, other in model.negotiators.items():
            if other_name != name:
                others_accept &= model.allowed[other_name]
                others_accept &= model.true_utilities[other_name] >= other.floor
        reachable = model.true_utilities[name][others_accept & model.allowed[name]]
        best = max(actor.reservation, float(reachable.max()) if reachable.size else -np.inf)
        if actor.outside_value - actor.audience_cost > best:
            assert result.outcome == "escalation", f"{name}'s war beats all it can get"


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    parties=st.integers(2, 4),
    with_war=st.booleans(),
    deadline=st.integers(1, 12),
    first_only_replies=st.booleans(),
)
def test_no_war_while_a_deal_all_prefer_exists(
    seed, parties, with_war, deadline, first_only_replies
):
    """Random scenarios of 2 to 4 parties, with and without an outside option, the first
    party (the one with the war option, if any) proposing or only replying."""
    scenario = random_scenario(
        seed, n_actors=parties, strategies=CONCEDING, noise=0.0, deadline=deadline,
        with_war=with_war,
    )  # fmt: skip
    if first_only_replies:
        scenario = only_replies(scenario, scenario.actor_names[0])
    check_fearon(NegotiationModel(scenario, rng=seed, collect=False))


def only_replies(scenario, name):
    """The scenario with ``name`` left out of the proposers: it only answers offers."""
    order = tuple(n for n in scenario.protocol.order if n != name)
    return dataclasses.replace(
        scenario, protocol=dataclasses.replace(scenario.protocol, order=order)
    )


def test_no_war_while_a_deal_all_prefer_exists_in_the_ukraine_draws():
    """500 draws of the Ukraine file's uncertain values, each with complete information."""
    ukraine = load_scenario(SCENARIOS / "ukraine_2022.yaml")
    uncertainty = uncertainty_of(ukraine)
    rng = np.random.default_rng(1995)
    exact = {"beliefs.noise": 0.0, "beliefs.red_line_doubt": 0.0}
    outcomes = []
    for run in range(500):
        drawn = {**uncertainty.draw(rng), **exact}
        model = NegotiationModel(with_changes(ukraine, drawn), rng=run, collect=False)
        check_fearon(model)
        outcomes.append(model.result.outcome)
    assert len(set(outcomes)) > 1  # the draws reach both sides of the law


@pytest.mark.parametrize("blind_to", ["floors", "red lines"])
def test_the_check_fails_on_proposers_blind_to_what_the_others_accept(monkeypatch, blind_to):
    """Planted errors, the two causes of war with a deal in reach that this law guards
    against: proposers reading the others' floors as their no-deal values alone (the West
    ignoring Russia's value of war), or offering across red lines they know."""
    from negotiation_sim.actors import Negotiator

    if blind_to == "floors":
        monkeypatch.setattr(
            Negotiator, "believed_floor", lambda me, o: me.beliefs[o.name].reservation
        )
    else:
        monkeypatch.setattr(
            Negotiator, "_believed_allowed_of", lambda me, o: np.ones(len(me.utilities), bool)
        )
    failures = 0
    for seed in range(300):
        scenario = random_scenario(seed, n_actors=3, strategies=CONCEDING, noise=0.0)
        scenario = only_replies(scenario, "A0")  # only the others' offers can keep A0 from war
        try:
            check_fearon(NegotiationModel(scenario, rng=seed, collect=False))
        except AssertionError:
            failures += 1
    assert failures > 0


def test_a_commitment_not_to_concede_can_end_in_war():
    """Outside the law's scope: a West that never concedes (a hardliner) against a Russia
    whose war beats the West's opening demand fights although a deal all prefer exists."""
    scenario = theory_scenario("fearon_crisis.yaml", {"actors.West.strategy": "hardliner"})
    model = NegotiationModel(scenario, rng=0)
    assert model.run().outcome == "escalation"
    assert preferred_by_all(model).any()


def ultimatum(proposer: str, responder: str, options: int = 21):
    """The crisis as one take-it-or-leave-it offer, on a grid of ``options`` divisions."""
    names = [f"x{k:03d}" for k in range(options)]
    return theory_scenario(
        "fearon_crisis.yaml",
        {
            "protocol.order": [proposer],
            "protocol.reply_only": [responder],
            "protocol.deadline": 1,
            "issues.share.options": names,
            "issues.share.status_quo": names[0],
            "actors.Russia.ideals": {"share": names[-1]},
            "actors.West.ideals": {"share": names[0]},
        },
    )


@pytest.mark.parametrize("options", [21, 199])  # 199: no division falls on an end
def test_the_defender_offers_the_least_the_attacker_prefers_to_war(options):
    """Fearon (1995): the side without the outside option offers p - c_A (the lower end of
    the bargaining range), at the grid's resolution, and it is taken."""
    scenario = ultimatum("West", "Russia", options)
    model = NegotiationModel(scenario, rng=0)
    result = model.run()
    assert result.outcome == "agreement" and result.round == 1
    x = share(scenario, result.package)
    assert P - C_A < x <= P - C_A + grid_step(scenario)


@pytest.mark.parametrize("options", [21, 199])  # 199: no division falls on an end
def test_the_attacker_demands_the_most_the_defender_prefers_to_war(options):
    """Fearon (1995): the side with the outside option demands p + c_B (the upper end), at
    the grid's resolution, and it is taken."""
    scenario = ultimatum("Russia", "West", options)
    result = NegotiationModel(scenario, rng=0).run()
    assert result.outcome == "agreement" and result.round == 1
    x = share(scenario, result.package)
    assert P + C_B - grid_step(scenario) <= x < P + C_B


def test_a_finer_grid_brings_the_offers_to_the_ends_of_the_range():
    coarse, fine = (
        share(s, NegotiationModel(s, rng=0).run().package)
        for s in (ultimatum("West", "Russia", 21), ultimatum("West", "Russia", 199))
    )
    assert abs(fine - (P - C_A)) < abs(coarse - (P - C_A))
    assert abs(fine - (P - C_A)) <= 1 / 198
