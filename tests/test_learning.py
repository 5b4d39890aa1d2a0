"""Beliefs that learn: particle beliefs over another party's private values, updated by
Bayes' rule after each move it makes (``beliefs.TypeBelief``, ``beliefs.move_likelihood``)."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from negotiation_sim import kernels
from negotiation_sim.beliefs import TREMBLE, TypeBelief, move_likelihood
from negotiation_sim.model import NegotiationModel
from negotiation_sim.scenario import load_scenario, with_changes
from negotiation_sim.transcript import transcript_json
from tests.conftest import SCENARIOS

TEXTBOOK = SCENARIOS / "textbook_two_party.yaml"


def three_types(firm: bool = False) -> TypeBelief:
    """No-deal values 0.2, 0.5 and 0.8 under a uniform prior, one red line."""
    return TypeBelief(
        np.array([0.2, 0.5, 0.8]),
        np.zeros(3),
        np.array([[firm], [False], [firm]]),
        np.full(3, 1 / 3),
    )


def test_one_update_equals_the_hand_computed_posterior():
    """An offer worth 0.6 to the proposer bounds its floor: the type at 0.8 would not have
    made it (likelihood TREMBLE), so the posterior is (1, 1, 0.05) / 2.05."""
    belief = three_types()
    acceptable = belief.acceptable(0.6, np.array([False]), None, 0.0)
    belief.update(move_likelihood(acceptable, "offer", 0.5))
    np.testing.assert_allclose(belief.weights, np.array([1, 1, TREMBLE]) / (2 + TREMBLE))
    assert belief.floor(None, 0.0) == pytest.approx((0.2 + 0.5 + 0.8 * TREMBLE) / (2 + TREMBLE))


def test_a_rejection_in_the_deadline_round_bounds_the_floor_from_below():
    """Rejecting 0.6 at the deadline: the types at 0.2 and 0.5 would have taken it."""
    belief = three_types()
    belief.update(
        move_likelihood(belief.acceptable(0.6, np.array([False]), None, 0.0), "reject", 1)
    )
    np.testing.assert_allclose(belief.weights, np.array([TREMBLE, TREMBLE, 1]) / (1 + 2 * TREMBLE))


def test_an_acceptance_across_a_red_line_shows_it_is_no_red_line():
    """The types holding the crossed line firm (the first and last) would have refused."""
    belief = three_types(firm=True)
    assert belief.firm_lines().tolist() == [True]
    belief.update(move_likelihood(belief.acceptable(0.9, np.array([True]), None, 0.0), "accept", 0))
    np.testing.assert_allclose(belief.weights, np.array([TREMBLE, 1, TREMBLE]) / (1 + 2 * TREMBLE))
    assert belief.firm_lines().tolist() == [False]


def test_each_reading_of_a_package_rests_on_its_own_lines_and_facts():
    """One belief asked in turn about packages crossing different red lines, at different
    war values and audience costs (it keeps what it worked out, which must not leak from
    one question to the next): no-deal values 0.2 and 0.5, the first type holding line 0
    firm, the second line 1; war read without error."""
    belief = TypeBelief(
        np.array([0.2, 0.5]), np.zeros(2), np.array([[True, False], [False, True]]), np.full(2, 0.5)
    )
    cases = [  # worth, lines crossed, war, audience cost -> acceptable per type
        (0.6, [True, False], None, 0.0, [False, True]),
        (0.6, [False, True], None, 0.0, [True, False]),
        (0.6, [False, False], None, 0.0, [True, True]),
        (0.3, [False, False], None, 0.0, [True, False]),
        (0.45, [False, False], 0.4, 0.0, [True, False]),  # floors 0.4 and 0.5
        (0.45, [False, False], 0.4, 0.1, [False, False]),  # floors 0.5 and 0.6
        (0.55, [True, True], 0.4, 0.1, [False, False]),
        (0.55, [False, False], 0.4, 0.1, [True, False]),
    ]
    for worth, crossed, war, audience_cost, expected in cases * 2:
        got = belief.acceptable(worth, np.array(crossed), war, audience_cost)
        assert got.tolist() == expected, (worth, crossed, war, audience_cost)
    with pytest.raises(ValueError, match="read-only"):
        belief.floors(0.4, 0.1)[0] = 0.0  # kept for later readings: not to be written


@pytest.mark.parametrize(
    ("worth", "move", "t"),
    [(0.9, "offer", 0.3), (0.9, "accept", 0.7), (0.1, "reject", 1.0), (0.6, "reject", 0.5)],
)
def test_a_move_every_type_would_make_teaches_nothing(worth, move, t):
    """An offer or acceptance every type beats its floor with, a final rejection of what no
    type would take, and any rejection before the deadline leave the prior as it was."""
    belief = three_types()
    prior = belief.weights.copy()
    belief.update(move_likelihood(belief.acceptable(worth, np.array([False]), None, 0.0), move, t))
    np.testing.assert_array_equal(belief.weights, prior)


def test_the_posterior_mass_on_the_true_type_rises_on_average():
    """The buyer's belief about the seller's no-deal value over five types, one of them the
    truth, uniform prior: over many runs the truth ends with more than its prior mass.
    Utilities are known exactly (noise 0; the red-line doubt varies the runs), so no move
    of the truth is ever ruled out and the types above its floor are."""
    scenario = with_changes(
        load_scenario(TEXTBOOK),
        {
            "beliefs": {"noise": 0.0, "red_line_doubt": 0.5, "types": 2},
            "actors.Seller.strategy": "linear",
            "actors.Buyer.strategy": "linear",
        },
    )
    offsets = np.array([-0.3, -0.15, 0.0, 0.15, 0.3])
    finals = []
    for seed in range(100):
        model = NegotiationModel(scenario, rng=seed, collect=False)
        buyer, seller = model.negotiators["Buyer"], model.negotiators["Seller"]
        belief = TypeBelief(
            seller.reservation + offsets, np.zeros(5), np.ones((5, 1), bool), np.full(5, 0.2)
        )
        buyer.types["Seller"] = buyer._learning["Seller"] = belief
        model.run()
        finals.append(belief.weights[2])
    assert np.mean(finals) > 0.2 + 0.05
    assert min(finals) >= 0.2 - 1e-12  # the truth never loses mass here


def test_many_types_learn_in_a_run_and_act_on_it():
    """With 200 types the West's believed floor of Russia moves during the talks."""
    ukraine = with_changes(load_scenario(SCENARIOS / "ukraine_2022.yaml"), {"beliefs.types": 200})
    model = NegotiationModel(ukraine, rng=3, collect=False)
    west = model.negotiators["United States"]
    russia = model.negotiators["Russia"]
    before = west.believed_floor(russia)
    model.step()
    model.step()
    assert west.learns and west.types["Russia"].weights.std() > 0
    assert west.believed_floor(russia) != before


def transcripts_hash(scenario, seeds: range) -> str:
    """A digest of every run's outcome and transcript."""
    digest = hashlib.sha256()
    for seed in seeds:
        model = NegotiationModel(scenario, rng=seed, collect=False)
        result = model.run()
        digest.update(repr((result.outcome, result.round, result.package)).encode())
        for record in model.transcript:
            offers = [(o.proposer, o.package, sorted(o.replies.items())) for o in record.offers]
            digest.update(repr((record.round, record.events, offers)).encode())
    return digest.hexdigest()


EXACT = {"beliefs.noise": 0.0, "beliefs.red_line_doubt": 0.0}
MAIN_EXACT_UKRAINE = "b88902dda77bb91ac97e5e050167fbc5723ae493a98a1bf082feecc3e5fa5545"
"""``transcripts_hash`` of the Ukraine file with exact beliefs, seeds 0-39, on main at
9356320 (and still at f4f37c8), before beliefs learned."""


def test_with_exact_beliefs_a_belief_is_a_point_mass_and_runs_are_as_before():
    """Complete information: however many types are asked for, each belief is one type,
    the truth, and the transcripts equal those of main before learning existed (digest
    recorded from commit 9356320 with the same function, when the Ukraine file scripted
    its moves as the as-reported variant now does)."""
    ukraine = load_scenario(SCENARIOS / "ukraine_2022_as_reported.yaml")
    exact = with_changes(ukraine, {**EXACT, "beliefs.types": 200})
    model = NegotiationModel(exact, rng=0, collect=False)
    for actor in model.negotiators.values():
        assert not actor.learns
        for belief in actor.types.values():
            assert belief.weights.tolist() == [1.0]
    assert transcripts_hash(exact, range(40)) == MAIN_EXACT_UKRAINE


def test_the_collector_records_each_belief_of_the_others_floors(ukraine):
    """Per round, each actor's belief of every other's floor (NaN for itself); a partner's
    is exact, and with 200 types the US's belief of Russia's floor moves."""
    scenario = with_changes(ukraine, {"beliefs.types": 200})
    model = NegotiationModel(scenario, rng=3)
    model.run()
    agents = model.datacollector.get_agent_vars_dataframe().set_index("actor", append=True)
    us = agents.xs("United States", level="actor")
    assert us["believed_floor_of_United States"].isna().all()
    assert us["believed_floor_of_NATO"].iloc[-1] == pytest.approx(model.negotiators["NATO"].floor)
    assert us["believed_floor_of_Russia"].nunique() > 1


def test_an_offer_teaches_which_issues_the_proposer_cares_about():
    """Two types alike but for their weights over two issues, (1, 0) and (0, 1): an offer
    whose options are worth 0.9 and 0.1 is worth 0.9 to the first and 0.1 to the second,
    so only the first would make it with a floor of 0.5. The posterior mean weights are
    (1, TREMBLE) / (1 + TREMBLE)."""
    belief = TypeBelief(
        np.array([0.5, 0.5]), np.zeros(2), np.zeros((2, 0), bool), np.full(2, 0.5), np.eye(2)
    )
    worth = belief.saliences @ np.array([0.9, 0.1])
    belief.update(
        move_likelihood(belief.acceptable(worth, np.zeros(0, bool), None, 0.0), "offer", 0.5)
    )
    np.testing.assert_allclose(belief.salience, np.array([1, TREMBLE]) / (1 + TREMBLE))


def test_an_observer_reads_the_others_utilities_with_the_weights_it_now_expects(ukraine):
    """After learning, the US's estimate of Russia's utility of every package is its
    estimate of the option values weighted by the posterior mean of Russia's weights."""
    model = NegotiationModel(ukraine, rng=5, collect=False)
    us = model.negotiators["United States"]
    prior = us.types["Russia"].salience.copy()
    for _ in range(3):
        model.step()
    belief, estimate = us.types["Russia"], us.beliefs["Russia"]
    assert not np.allclose(belief.salience, prior)
    packages = model.space.packages
    values = sum(
        w * table[packages[:, i]]
        for i, (w, table) in enumerate(zip(belief.salience, estimate.values, strict=True))
    )
    np.testing.assert_allclose(us.believed_utilities["Russia"], values, atol=1e-12)


def test_the_collector_records_how_firm_each_red_line_is_believed(ukraine):
    """Per round, the probability each actor gives each red line of the others being firm:
    NATO's lines are known to the US (1), Russia's reading of them moves as it learns."""
    model = NegotiationModel(ukraine, rng=3)
    model.run()
    agents = model.datacollector.get_agent_vars_dataframe().set_index("actor", append=True)
    us, russia = agents.xs("United States", level="actor"), agents.xs("Russia", level="actor")
    assert (us["firm_red_line_1_of_NATO"] == 1.0).all()
    assert us["firm_red_line_0_of_United States"].isna().all()
    belief = model.negotiators["Russia"].types["NATO"]
    last = russia["firm_red_line_1_of_NATO"].iloc[-1]
    assert last == pytest.approx(float(belief.weights @ belief.firm[:, 1]))
    assert 0.0 < russia["firm_red_line_0_of_NATO"].iloc[0] < 1.0


def test_the_same_evidence_counts_once():
    """An offer repeated where every type would repeat it splits the types as the first
    did: the posterior after two is the posterior after one, (1, 1, TREMBLE) / (2 +
    TREMBLE); a new split (a lower offer) then counts."""
    belief = three_types()
    offer = move_likelihood(belief.acceptable(0.6, np.array([False]), None, 0.0), "offer", 0.5)
    belief.update(offer)
    belief.update(offer.copy())
    np.testing.assert_allclose(belief.weights, np.array([1, 1, TREMBLE]) / (2 + TREMBLE))
    belief.update(
        move_likelihood(belief.acceptable(0.3, np.array([False]), None, 0.0), "offer", 0.6)
    )
    np.testing.assert_allclose(
        belief.weights, np.array([1, TREMBLE, TREMBLE**2]) / (1 + TREMBLE + TREMBLE**2)
    )


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("lines", [0, 1, 3, 6])
def test_firm_patterns_are_the_distinct_rows_in_the_order_first_held(lines, compiled, monkeypatch):
    """By the numpy code and by ``kernels.firm_patterns`` alike."""
    monkeypatch.setattr(kernels, "COMPILED", compiled)
    firm = np.random.default_rng(lines).random((32, lines)) < 0.5
    belief = TypeBelief(np.zeros(32), np.zeros(32), firm, np.full(32, 1 / 32))
    patterns, inverse = belief.firm_patterns
    assert patterns.dtype == bool and inverse.dtype == np.intp
    assert patterns.shape[1] == lines
    assert np.array_equal(patterns[inverse], firm)
    assert len({row.tobytes() for row in patterns}) == len(patterns)
    # pattern k first appears after patterns 0 to k - 1 have
    assert inverse[0] == 0 and np.all(np.diff(np.maximum.accumulate(inverse)) <= 1)


def finished_beliefs(scenario, seed):
    model = NegotiationModel(scenario, rng=seed, collect=False)
    model.run()
    weights = {
        (actor.name, other): belief.weights.tobytes()
        for actor in model.negotiators.values()
        for other, belief in actor.types.items()
    }
    return transcript_json(model), weights


@pytest.mark.parametrize("file", ["ukraine_2022.yaml", "ukraine_2022_as_reported.yaml"])
def test_skipping_evidence_already_weighed_changes_no_posterior(file, monkeypatch):
    """A belief works out a move's likelihood only for evidence it has not weighed
    (``TypeBelief.is_new``); one that works out every likelihood ends every run of 100 with
    the same posteriors, bit for bit, and the same transcript."""
    scenario = load_scenario(SCENARIOS / file)
    skipping = [finished_beliefs(scenario, seed) for seed in range(100)]
    monkeypatch.setattr(TypeBelief, "is_new", lambda self, evidence: True)
    assert [finished_beliefs(scenario, seed) for seed in range(100)] == skipping


@pytest.mark.parametrize("file", ["ukraine_2022.yaml", "ukraine_2022_as_reported.yaml"])
def test_each_round_rests_on_all_that_was_learned_before_it(file, monkeypatch):
    """When a round's offers begin, every actor's believed floors and its reading of the
    others' utilities are those its beliefs give now: a belief that moved in the last round
    (by a move seen or a choice made or not) has been acted on. Over 60 runs."""
    play_turn = NegotiationModel._turn
    checked = []

    def checked_turn(model, proposer, record):
        if not record.offers:  # the round's first turn: the reassessments are done
            for actor in model.negotiators.values():
                for other in actor.others:
                    assert actor.believed_floors[other.name] == actor.believed_floor(other)
                for name, belief in actor.types.items():
                    if belief.learns and belief.saliences is not None:
                        now = dataclasses.replace(actor.beliefs[name], weights=belief.salience)
                        expected = now.utilities(model.space.packages)
                        assert actor.believed_utilities[name].tobytes() == expected.tobytes()
            checked.append(model.round)
        return play_turn(model, proposer, record)

    monkeypatch.setattr(NegotiationModel, "_turn", checked_turn)
    scenario = load_scenario(SCENARIOS / file)
    for seed in range(60):
        NegotiationModel(scenario, rng=seed, collect=False).run()
    assert len(checked) > 300
