"""Behaviour of NegotiationModel that users rely on: red lines hold, agreement needs
everyone, runs are reproducible, and the Ukraine scenario responds to deterrence
and to the cost of war in the expected direction."""

import dataclasses
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.engine import simulate
from negotiation_sim.model import OUTCOMES, NegotiationModel, classify
from negotiation_sim.transcript import transcript_json
from tests.factories import make_space, random_scenario

SEEDS = range(500)


def finished(scenario, seed, **kw):
    model = NegotiationModel(scenario, rng=seed, collect=False, **kw)
    model.run()
    return model


def red_line_violations(scenario, model):
    """Every (actor, package) where an actor proposed or accepted across its own red lines."""
    allowed = {a.name: a.preferences.allowed(scenario.space.packages) for a in scenario.actors}
    bad = []
    for record in model.transcript:
        for offer in record.offers:
            if not allowed[offer.proposer][offer.package]:
                bad.append((offer.proposer, "proposed", offer.package))
            bad += [
                (n, "accepted", offer.package)
                for n, yes in offer.replies.items()
                if yes and not allowed[n][offer.package]
            ]
    return bad


def test_no_actor_crosses_its_red_lines_over_500_ukraine_seeds(ukraine):
    offers = 0
    for seed in SEEDS:
        model = finished(ukraine, seed)
        assert red_line_violations(ukraine, model) == [], f"seed {seed}"
        offers += sum(len(r.offers) for r in model.transcript)
    assert offers > 500 * 3  # the check saw real traffic


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    counts=st.lists(st.integers(2, 4), min_size=1, max_size=4),
    n_actors=st.integers(2, 4),
)
def test_no_actor_crosses_its_red_lines_in_random_scenarios(seed, counts, n_actors):
    scenario = random_scenario(seed, counts, n_actors)
    model = finished(scenario, seed)
    assert red_line_violations(scenario, model) == []


def check_agreement_rules(scenario, model):
    result = model.result
    unanimous = [
        (r.round, o)
        for r in model.transcript
        for o in r.offers
        if all(o.replies.values()) and model.negotiators[o.proposer].would_sign(o.package)
    ]
    if result.package is None:
        assert unanimous == []
        assert result.agreement is None
        return
    assert len(unanimous) == 1, "the first offer everyone accepts ends the talks"
    round_, offer = unanimous[0]
    assert (round_, offer.package) == (result.round, result.package)
    assert set(offer.replies) | {offer.proposer} == set(scenario.actor_names)
    row = scenario.space.packages[result.package]
    for actor in scenario.actors:
        assert result.utilities[actor.name] == pytest.approx(actor.preferences.utility(row))
    assert result.agreement == scenario.space.terms(result.package)


def test_agreement_only_when_every_party_accepted(ukraine):
    outcomes = Counter()
    for seed in range(200):
        model = finished(ukraine, seed)
        check_agreement_rules(ukraine, model)
        outcomes[model.result.outcome] += 1
    assert outcomes["agreement"] + outcomes["partial_agreement"] > 0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n_actors=st.integers(2, 4))
def test_agreement_rules_in_random_scenarios(seed, n_actors):
    scenario = random_scenario(seed, (3, 3, 2), n_actors, with_war=False)
    check_agreement_rules(scenario, finished(scenario, seed))


def test_same_seed_same_transcript_and_frames(ukraine):
    a = NegotiationModel(ukraine, rng=7)
    b = NegotiationModel(ukraine, rng=7)
    a.run(), b.run()
    assert transcript_json(a) == transcript_json(b)
    pd.testing.assert_frame_equal(
        a.datacollector.get_agent_vars_dataframe(), b.datacollector.get_agent_vars_dataframe()
    )
    pd.testing.assert_frame_equal(
        a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe()
    )


def stepped(scenario, seed):
    """A run played by Mesa's own step wrapper, one ``step()`` at a time."""
    model = NegotiationModel(scenario, rng=seed)
    while model.result is None:
        model.step()
    return model


@pytest.mark.parametrize("seed", range(5))
def test_run_plays_what_mesa_stepping_plays_and_counts_steps_alike(ukraine, seed):
    stepped_model, run_model = stepped(ukraine, seed), NegotiationModel(ukraine, rng=seed)
    run_model.run()
    assert transcript_json(run_model) == transcript_json(stepped_model)
    pd.testing.assert_frame_equal(
        run_model.datacollector.get_agent_vars_dataframe(),
        stepped_model.datacollector.get_agent_vars_dataframe(),
    )
    assert (run_model.steps, run_model.time) == (stepped_model.steps, stepped_model.time)
    assert run_model.steps == run_model.round
    run_model.step()  # after the end a step does nothing but count, once
    stepped_model.step()
    assert (run_model.steps, run_model.time) == (stepped_model.steps, stepped_model.time)


def test_run_half_stepped_goes_on_from_where_it_stands(ukraine):
    model = NegotiationModel(ukraine, rng=4)
    model.step(), model.step()
    model.run()
    assert transcript_json(model) == transcript_json(stepped(ukraine, 4))
    assert model.steps == model.round


def test_run_keeps_events_a_user_schedules_on_mesas_event_list(ukraine):
    model = NegotiationModel(ukraine, rng=3)
    seen = []

    def note():
        seen.append((model.time, model.round))

    model.schedule_event(note, at=1.5)
    model.run()
    assert seen == [(1.5, 1)]
    assert transcript_json(model) == transcript_json(stepped(ukraine, 3))


def test_a_generator_seeds_a_run_as_reproducibly_as_an_int(ukraine):
    first = finished(ukraine, np.random.default_rng(11))
    again = finished(ukraine, np.random.default_rng(11))
    assert transcript_json(first) == transcript_json(again)


def test_different_seeds_give_different_runs(ukraine):
    transcripts = {str(transcript_json(finished(ukraine, seed))) for seed in range(10)}
    assert len(transcripts) > 1


def test_zero_noise_is_deterministic_whatever_the_seed(ukraine):
    exact = dataclasses.replace(ukraine, beliefs=BeliefNoise(0.0, 0.0))
    transcripts = {str(transcript_json(finished(exact, seed))) for seed in range(5)}
    assert len(transcripts) == 1


def test_datacollector_frames_as_mesa_users_expect(ukraine):
    model = NegotiationModel(ukraine, rng=3)
    result = model.run()
    agents = model.datacollector.get_agent_vars_dataframe()
    assert agents.index.names == ["Step", "AgentID"]
    assert len(agents) == (result.round + 1) * len(ukraine.actors)
    expected = {"actor", "offer", "target"} | {f"utility_to_{n}" for n in ukraine.actor_names}
    assert expected <= set(agents.columns)
    first_round = agents.xs(1.0, level="Step").set_index("actor")
    opening = ukraine.actor("Russia").opening
    assert first_round.loc["Russia", "offer"] == opening
    rows = ukraine.space.packages[opening]
    for actor in ukraine.actors:
        assert first_round.loc["Russia", f"utility_to_{actor.name}"] == pytest.approx(
            actor.preferences.utility(rows)
        )
    model_vars = model.datacollector.get_model_vars_dataframe()
    assert list(model_vars["round"]) == list(range(result.round + 1))
    pressures = [r.escalation_pressure for r in model.transcript]
    np.testing.assert_array_equal(model_vars["escalation_pressure"].iloc[1:], pressures)


def outcome_counts(scenario, seeds=SEEDS):
    return Counter(simulate(scenario, seed).outcome for seed in seeds)


def with_russia_war(scenario, **changes):
    russia = scenario.actor("Russia")
    war = dataclasses.replace(russia.outside_option, **changes)
    actors = tuple(
        dataclasses.replace(a, outside_option=war) if a.name == "Russia" else a
        for a in scenario.actors
    )
    return dataclasses.replace(scenario, actors=actors)


def test_ukraine_outcomes_are_not_a_constant(ukraine):
    counts = outcome_counts(ukraine)
    assert len(counts) > 1, counts
    assert set(counts) <= set(OUTCOMES)


def test_deterrence_events_lower_the_share_of_escalation(ukraine):
    without = dataclasses.replace(
        ukraine, events=tuple(e for e in ukraine.events if not e.deterrence)
    )
    assert len(without.events) < len(ukraine.events)
    assert outcome_counts(ukraine)["escalation"] < outcome_counts(without)["escalation"]


def test_cheaper_war_raises_the_share_of_escalation(ukraine):
    base_cost = ukraine.actor("Russia").outside_option.base_cost
    cheaper = with_russia_war(ukraine, base_cost=base_cost / 2)
    assert outcome_counts(cheaper)["escalation"] > outcome_counts(ukraine)["escalation"]


def test_rounds_override_sets_the_deadline(ukraine):
    model = finished(ukraine, 1, rounds=2)
    assert model.result.round <= 2
    model.step()
    assert len(model.transcript) == model.result.round  # stepping after the end does nothing
    with pytest.raises(ValueError, match="rounds"):
        NegotiationModel(ukraine, rounds=0)


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ({"i0": "o1"}, "agreement"),
        ({"i1": "o1"}, "partial_agreement"),
        ({"i0": "o1", "i1": "o1"}, "agreement"),
        ({}, "stalemate"),
    ],
)
def test_outcome_class_follows_what_moved(terms, expected):
    space = make_space([2, 2], confidence_building=[False, True])
    assert classify(space, space.index_of(terms)) == expected
