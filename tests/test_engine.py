"""The batch engine plays exactly the agent model's rules: random plain scenarios give the same
transcript and result both ways, and what the engine does not support runs the agent model."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation_sim import engine, kernels
from negotiation_sim.actors import ACTOR_CLASSES, Negotiator
from negotiation_sim.beliefs import BeliefNoise
from negotiation_sim.engine import Run, simulate, unsupported
from negotiation_sim.model import NegotiationModel, RoundRecord
from negotiation_sim.preferences import Preferences, RedLine, normalised
from negotiation_sim.scenario.types import ActorSpec, Leak, Protocol, Scenario, StrategySpec
from negotiation_sim.strategies import STRATEGIES, Boulware, Strategy
from tests.factories import make_space, random_scenario

STRATEGY_SPECS = [
    StrategySpec("boulware"),
    StrategySpec("boulware", {"exponent": 0.5}),
    StrategySpec("linear"),
    StrategySpec("conceder"),
    StrategySpec("conceder", {"exponent": 4.0}),
    StrategySpec("time_dependent", {"exponent": 0.7}),
    StrategySpec("hardliner"),
    StrategySpec("hardliner", {"aspiration": 0.8}),
]
BELIEFS = [
    BeliefNoise(),
    BeliefNoise(types=8),  # exact: a point belief, which does not learn
    BeliefNoise(noise=0.1),
    BeliefNoise(noise=0.2, red_line_doubt=0.5),
]


@st.composite
def plain_scenarios(draw: st.DrawFn) -> tuple[Scenario, int]:
    """A random scenario the engine supports and a seed: 2-5 parties, coalitions, red lines,
    openings, parties that only reply, noisy beliefs, deadlines of 1-60 rounds; values on a
    coarse grid (or none) so that packages often tie."""
    options = draw(st.lists(st.integers(2, 4), min_size=1, max_size=4))
    space = make_space(options, draw(st.lists(st.booleans(), max_size=len(options))))
    grid = draw(st.sampled_from([2, 4, 10, 0]))  # 0: any value

    def value() -> float:
        if grid:
            return draw(st.integers(0, grid)) / grid
        return draw(st.floats(0.0, 1.0))

    n = draw(st.integers(2, 5))
    actors = []
    for a in range(n):
        weights = [value() + 0.01 * (not grid) for _ in options]
        if sum(weights) == 0:
            weights[0] = 1.0
        lines = [
            RedLine(
                tuple(
                    (
                        issue,
                        frozenset(draw(st.sets(st.integers(1, options[issue] - 1), min_size=1))),
                    )
                    for issue in draw(
                        st.sets(st.integers(0, len(options) - 1), min_size=1, max_size=2)
                    )
                )
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        preferences = Preferences(
            normalised(weights),
            tuple(np.array([value() for _ in range(k)]) for k in options),
            tuple(lines),
            reservation=value() * 0.8,
        )
        opening = draw(st.none() | st.integers(0, len(space) - 1))
        actors.append(
            ActorSpec(
                f"P{a}",
                draw(st.sampled_from(["Negotiator", "UnitedStates", "NATO"])),
                preferences,
                draw(st.sampled_from(STRATEGY_SPECS)),
                opening=opening,
                coalition=draw(st.sampled_from([None, None, "west", "east"])),
            )
        )
    names = [a.name for a in actors]
    order = draw(st.permutations(names).flatmap(lambda p: st.integers(1, n).map(lambda k: p[:k])))
    protocol = Protocol(tuple(order), deadline=draw(st.integers(1, 60)))
    scenario = Scenario("random", space, tuple(actors), protocol, draw(st.sampled_from(BELIEFS)))
    return scenario, draw(st.integers(0, 2**32 - 1))


def rounds_of(transcript: list[RoundRecord]) -> list[tuple]:
    """What a transcript says: per round, its events and each offer with its replies and
    whether its proposer would sign it."""
    return [
        (
            r.round,
            r.events,
            [(o.proposer, o.package, o.replies, o.signed) for o in r.offers],
            math.isnan(r.escalation_pressure),
        )
        for r in transcript
    ]


def assert_plays_alike(scenario: Scenario, seed: int) -> None:
    """The engine's transcript and result are the agent model's (or both refuse the run),
    played by the numba kernels and by the numpy code (``kernels.COMPILED``), the agent model
    by numpy alone and by its compiled concession tables."""
    assert unsupported(scenario) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernels, "COMPILED", False)
        try:
            model = NegotiationModel(scenario, rng=seed, collect=False)
            expected = model.run()
        except (IndexError, ValueError) as error:  # e.g. red lines that leave a side nothing
            for compiled in (False, True):
                patch.setattr(kernels, "COMPILED", compiled)
                with pytest.raises(type(error)):
                    Run(scenario, seed).play()
            return
        for compiled in (False, True):
            patch.setattr(kernels, "COMPILED", compiled)
            transcript: list[RoundRecord] = []
            assert Run(scenario, seed).play(transcript) == expected, compiled
            assert rounds_of(transcript) == rounds_of(model.transcript), compiled
            assert simulate(scenario, seed) == expected, compiled
        patch.setattr(kernels, "COMPILED", True)  # the agent model's concession tables too
        again = NegotiationModel(scenario, rng=seed, collect=False)
        assert again.run() == expected
        assert rounds_of(again.transcript) == rounds_of(model.transcript)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=plain_scenarios())
def test_the_engine_plays_random_scenarios_as_the_agent_model(case):
    assert_plays_alike(*case)


@pytest.mark.slow
@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=plain_scenarios())
def test_the_engine_plays_thousands_of_random_scenarios_as_the_agent_model(case):
    assert_plays_alike(*case)


def test_offers_held_in_hand_are_played_alike(monkeypatch):
    """Random negotiations in which what a proposer holds in hand (``Negotiator.in_hand``)
    decides some runs: played alike, and ignoring it would end some of them otherwise
    (rarely, so the random scenarios above seldom test it)."""
    conceding = ("boulware", "linear", "conceder", "hardliner")
    runs = [
        (random_scenario(seed, with_war=False, strategies=conceding), seed) for seed in range(300)
    ]
    for scenario, seed in runs:
        assert_plays_alike(scenario, seed)
    monkeypatch.setattr(Negotiator, "in_hand", property(lambda me: 0.0))
    ignored = [NegotiationModel(s, rng=seed, collect=False).run() for s, seed in runs]
    assert ignored != [simulate(s, seed) for s, seed in runs]


def test_a_partners_opening_across_its_own_red_line_is_held_as_the_model_holds_it():
    """What an actor holds from an offer is nothing if the offer crosses its side's red lines
    (``Negotiator.receive`` reads the ranking's mask, its partners' lines too), even where
    its own allow it: a coalition partner's opening may cross the partner's own lines.
    (The engine once read the actor's own lines here and played some of these otherwise.)"""
    space = make_space([3, 3])
    rng = np.random.default_rng(0)

    def preferences(lines: tuple[RedLine, ...] = ()) -> Preferences:
        values = tuple(rng.integers(0, 5, 3) / 4 for _ in range(2))
        return Preferences(normalised([1.0, 1.0]), values, lines, reservation=0.1)

    for seed in range(300):
        line = RedLine(((0, frozenset({int(rng.integers(1, 3))})),))
        actors = (
            ActorSpec("A", "Negotiator", preferences(), StrategySpec("linear"), coalition="w"),
            ActorSpec(
                "B",
                "Negotiator",
                preferences((line,)),
                StrategySpec("linear"),
                opening=int(rng.integers(0, 9)),
                coalition="w",
            ),
            ActorSpec("C", "Negotiator", preferences(), StrategySpec("conceder")),
        )
        deadline = int(rng.integers(1, 4))
        scenario = Scenario("opening", space, actors, Protocol(("B", "A", "C"), deadline))
        assert_plays_alike(scenario, seed)


def test_a_long_deadline_is_played_in_blocks(monkeypatch):
    """Past the first block of rounds, what actors hold in hand carries over to the next."""
    monkeypatch.setattr(engine, "FIRST_BLOCK", 3)
    space = make_space([4, 3, 3])
    rng = np.random.default_rng(7)
    for seed in range(40):
        actors = tuple(
            ActorSpec(
                f"P{a}",
                "Negotiator",
                Preferences(
                    normalised(rng.random(3)),
                    tuple(np.round(rng.random(k), 1) for k in (4, 3, 3)),
                    reservation=float(rng.uniform(0.2, 0.6)),
                ),
                STRATEGY_SPECS[int(rng.integers(len(STRATEGY_SPECS)))],
            )
            for a in range(3)
        )
        scenario = Scenario("blocks", space, actors, Protocol(("P0", "P1", "P2"), deadline=30))
        assert_plays_alike(scenario, seed)


def test_simulate_plays_a_supported_scenario_without_the_agent_model(monkeypatch):
    scenario = textbook_like()
    expected = NegotiationModel(scenario, rng=3, collect=False).run()
    monkeypatch.setattr(engine, "NegotiationModel", None)  # calling it would fail
    assert simulate(scenario, 3) == expected


def textbook_like() -> Scenario:
    space = make_space([3, 3])
    actors = tuple(
        ActorSpec(
            name,
            "Negotiator",
            Preferences.from_ideals(space, [1.0, 2.0], ideals, reservation=0.3),
            StrategySpec(strategy),
        )
        for name, ideals, strategy in [("A", [0, 1], "linear"), ("B", [1, 0], "conceder")]
    )
    return Scenario("two", space, actors, Protocol(("A", "B"), deadline=10))


def assert_falls_back(scenario: Scenario, why: str) -> None:
    reason = unsupported(scenario)
    assert reason is not None and why in reason
    with pytest.raises(ValueError, match="cannot play"):
        Run(scenario, 0)
    for seed in range(5):
        expected = NegotiationModel(scenario, rng=seed, collect=False).run()
        assert simulate(scenario, seed) == expected


def test_a_user_strategy_runs_the_agent_model(monkeypatch):
    monkeypatch.setattr(STRATEGIES, "_items", dict(STRATEGIES._items))

    @STRATEGIES.register("my_boulware")
    class MyBoulware(Boulware):  # the same target, but a class the engine does not know
        name = "my_boulware"

    scenario = textbook_like()
    mine = replace(scenario.actors[0], strategy=StrategySpec("my_boulware"))
    assert_falls_back(
        Scenario("two", scenario.space, (mine, scenario.actors[1]), scenario.protocol),
        "my_boulware",
    )


def test_a_user_actor_class_runs_the_agent_model(monkeypatch):
    monkeypatch.setattr(ACTOR_CLASSES, "_items", dict(ACTOR_CLASSES._items))

    @ACTOR_CLASSES.register("Mine")
    class Mine(Negotiator):
        def accepts(self, package: int) -> bool:
            return True

    scenario = textbook_like()
    mine = replace(scenario.actors[1], actor_class="Mine")
    assert_falls_back(
        Scenario("two", scenario.space, (scenario.actors[0], mine), scenario.protocol), "Mine"
    )


def test_outside_options_events_leaks_and_learning_run_the_agent_model(ukraine):
    assert_falls_back(ukraine, "'Russia'")
    base = textbook_like()
    leaking = Protocol(base.protocol.order, base.protocol.deadline, leak=Leak(round=3))
    assert_falls_back(Scenario("two", base.space, base.actors, leaking), "leak")
    learning = BeliefNoise(noise=0.1, types=4)
    assert_falls_back(Scenario("two", base.space, base.actors, base.protocol, learning), "learn")
    late = Protocol(base.protocol.order, base.protocol.deadline, leak=Leak(round=11))
    assert unsupported(Scenario("two", base.space, base.actors, late)) is None  # never leaks


def test_a_seed_that_is_a_generator_runs_the_agent_model():
    scenario = textbook_like()
    noisy = Scenario("two", scenario.space, scenario.actors, scenario.protocol, BeliefNoise(0.2))
    got = simulate(noisy, np.random.default_rng(5))  # type: ignore[arg-type]
    assert got == NegotiationModel(noisy, rng=np.random.default_rng(5), collect=False).run()


def test_rounds_override_the_deadline_alike():
    scenario = textbook_like()
    for rounds in (1, 2, 25):
        expected = NegotiationModel(scenario, rng=0, rounds=rounds, collect=False).run()
        assert simulate(scenario, 0, rounds=rounds) == expected
    with pytest.raises(ValueError, match="at least 1"):
        simulate(scenario, 0, rounds=0)


def test_what_the_engine_takes_as_plain_adds_nothing_it_would_miss():
    """Its supported strategies offer and accept by ``Strategy``'s rules and its supported
    actor classes override nothing of ``Negotiator``: a class that starts to must leave
    ``PLAIN_ACTORS``/``TARGET_ONLY`` (the random scenarios above would find it, slowly)."""
    for cls in engine.TARGET_ONLY:
        assert cls.offer is Strategy.offer and cls.accepts is Strategy.accepts
        assert cls.concession_offer is Strategy.concession_offer and cls.offers_best_deal
    for cls in engine.PLAIN_ACTORS:
        own = {n for n in vars(cls) if not n.startswith("__")} - {"_datasets"}  # Mesa's, per class
        assert cls is Negotiator or not own, own
