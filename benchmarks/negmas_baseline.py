"""The NegMAS baseline negotiation (shared/notes/negmas-baseline.md), as both libraries play it.

Six issues of 4, 4, 3, 3, 2 and 3 options (864 packages), three parties with
linear additive utilities (random weights and option values), reservation
values drawn in 0.2..0.6 and a Boulware / linear / conceder strategy drawn per
party and run, 100 rounds, agreement needing every other party's acceptance.
Both ``ours`` and ``theirs`` get the very same draws for a seed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from negotiation_sim import NegotiationModel, simulate
from negotiation_sim.issues import Issue, Option, OutcomeSpace
from negotiation_sim.preferences import Preferences, normalised
from negotiation_sim.scenario.types import ActorSpec, Protocol, Scenario, StrategySpec

ISSUES = {
    "open_door": ["closed", "moratorium", "case_by_case", "open"],
    "force_posture": ["rollback", "freeze", "current", "reinforce"],
    "offensive_weapons": ["banned", "limited", "unrestricted"],
    "arms_control": ["none", "talks", "new_start_successor"],
    "hotline": ["no", "yes"],
    "exercise_transparency": ["none", "notification", "observers"],
}
PARTIES = ("US", "NATO", "Russia")
STRATEGIES = ("boulware", "linear", "conceder")
ROUNDS = 100


@dataclass(frozen=True)
class Party:
    """One party's draws: weights, option values per issue, reservation value, strategy."""

    name: str
    weights: np.ndarray
    values: tuple[np.ndarray, ...]
    reservation: float
    strategy: str


def draw_parties(seed: int) -> list[Party]:
    rng = np.random.default_rng(seed)
    return [
        Party(
            name,
            normalised(rng.random(len(ISSUES))),
            tuple(rng.random(len(options)) for options in ISSUES.values()),
            float(rng.uniform(0.2, 0.6)),
            STRATEGIES[int(rng.integers(len(STRATEGIES)))],
        )
        for name in PARTIES
    ]


SPACE = OutcomeSpace(
    tuple(
        Issue(name, tuple(Option(o, k / (len(options) - 1)) for k, o in enumerate(options)))
        for name, options in ISSUES.items()
    )
)


def scenario_of(parties: list[Party]) -> Scenario:
    """The negotiation as a negotiation-sim scenario."""
    actors = tuple(
        ActorSpec(
            p.name,
            "Negotiator",
            Preferences(p.weights, p.values, reservation=p.reservation),
            StrategySpec(p.strategy),
        )
        for p in parties
    )
    return Scenario("negmas-baseline", SPACE, actors, Protocol(PARTIES, deadline=ROUNDS))


def ours(parties: list[Party], seed: int) -> bool:
    """Build and run the negotiation in negotiation-sim as a batch runs it (``simulate``);
    True if it ended in agreement."""
    return simulate(scenario_of(parties), seed).package is not None


def ours_agent_model(parties: list[Party], seed: int) -> bool:
    """The same, played by the agent model (``NegotiationModel``) with its Mesa steps."""
    return NegotiationModel(scenario_of(parties), rng=seed, collect=False).run().package is not None


def theirs(parties: list[Party], seed: int) -> bool:
    """Build and run the same negotiation in NegMAS's SAOMechanism."""
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun
    from negmas.sao.negotiators.timebased import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
    )

    negotiators = {
        "boulware": BoulwareTBNegotiator,
        "linear": LinearTBNegotiator,
        "conceder": ConcederTBNegotiator,
    }
    issues = [make_issue(name=name, values=options) for name, options in ISSUES.items()]
    session = SAOMechanism(issues=issues, n_steps=ROUNDS)
    for p in parties:
        tables = [
            TableFun(dict(zip(options, map(float, values), strict=True)))
            for options, values in zip(ISSUES.values(), p.values, strict=True)
        ]
        ufun = LinearAdditiveUtilityFunction(
            values=tables,
            weights=[float(w) for w in p.weights],
            outcome_space=session.outcome_space,
            reserved_value=p.reservation,
        )
        session.add(negotiators[p.strategy](name=p.name), preferences=ufun)
    return session.run().agreement is not None


def seconds_per_run(
    run: Callable[[list[Party], int], bool], runs: int, repeats: int
) -> tuple[float, float]:
    """Median over repeats of the mean seconds per negotiation, and the agreement rate; one
    untimed negotiation first, so that neither library's first-use costs (imports, numba's
    loading of its compiled kernels) are counted."""
    draws = [draw_parties(seed) for seed in range(runs)]
    run(draws[0], 0)
    samples, agreed = [], 0
    for _ in range(repeats):
        agreed = 0
        start = time.perf_counter()
        for seed, parties in enumerate(draws):
            agreed += run(parties, seed)
        samples.append((time.perf_counter() - start) / runs)
    return statistics.median(samples), agreed / runs
